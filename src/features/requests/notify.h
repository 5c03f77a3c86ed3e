/* requests notify: tells the applicant that their request moved, through the outbox (an SMS or
 * WhatsApp message to the account's phone, else an e-mail), with the new status in plain words,
 * the reason when there is one (perlu_perbaikan, ditolak, a failed delivery) and the tracking
 * link (base_url + /lacak/{code}).
 *
 * THE CONTRACT for every page or API that moves a request (officer worklist, courier, kiosk,
 * system jobs, the citizen's own pages):
 *   call req_notify_status() right after a successful req_transition (or req_delivery_*), on
 *   the SAME db_conn inside the SAME transaction, so the message is queued if and only if the
 *   move is committed (a rolled-back or retried transition sends nothing). Pass the state the
 *   request moved INTO and the note given with the move (NULL when none). A failure of the
 *   enqueue (a DB error) must fail the transaction like any other write; DB_DONE ("nobody to
 *   tell") is not an error.
 *
 * Nothing is sent when the request has no applicant account (assisted, integration or home-visit
 * channel: the citizen gave no account, and the phone sealed with the request is for the officer
 * to call, not for automatic messages), when the account is not verified or is disabled, or when
 * it has neither phone nor e-mail. The message is in the account's language (Indonesian unless
 * the citizen chose English). The subject holds no personal data; the body (sealed in the outbox)
 * holds the tracking code, the service and the reason. */
#ifndef LAYAN_REQUESTS_NOTIFY_H
#define LAYAN_REQUESTS_NOTIFY_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct app;

/* queues the message for request_id having moved into new_status, with reason (NULL or "" =
 * none). DB_OK queued; DB_DONE nobody to tell (see above) or no such request; DB_E* errors. */
int req_notify_status(db_conn *c, const struct app *a, int64_t now, int64_t request_id,
                      const char *new_status, const char *reason);

/* the message body (exposed for tests): lang "id" or "en"; custom states read as their code */
const char *req_notify_body(char *out, size_t cap, const char *lang, const char *shown_code,
                            const char *service, const char *status, const char *reason,
                            const char *link);

#endif

/* outbox: notifications (one-time codes, notices) queued in the database in the same
 * transaction as what they belong to, then sent by a worker thread on each node.
 *
 * A message is 'pending' until a node claims it ('sending', with the node's name and the time:
 * one UPDATE that checks the status, so two nodes never send one message), then 'sent', or back
 * to 'pending' with a growing delay after a failure (30 s, 1 min, 2 min ... at most 1 hour), or
 * 'failed' after [notify] max_attempts or a permanent refusal. A claim older than 10 minutes (its
 * node died) goes back to 'pending'. Recipient and body are stored sealed (they hold phone
 * numbers and codes). See docs/internals/outbox.md.
 *
 * Senders ([notify] sender): "dev" writes each message to the log (and the admin page shows it):
 * the demo works offline, never use it in production; "live" sends e-mail by SMTP and SMS through
 * the HTTP webhook of an SMS/WhatsApp gateway (libcurl). */
#ifndef LAYAN_OUTBOX_H
#define LAYAN_OUTBOX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "lib/arena.h"
#include "lib/config.h"
#include "lib/crypto.h"

typedef struct outbox_worker outbox_worker;

/* queues a message ("email" or "sms") due now, in the caller's transaction if one is open (a
 * code is queued atomically with the record it belongs to). Recipient (<= 320 bytes) and body
 * (<= 4000 bytes) are sealed; the subject is stored as is, so it must not hold personal data or
 * a code. DB_OK, or DB_ERR for a bad channel or an oversized value. */
int outbox_enqueue(db_conn *c, const cr_keys *k, int64_t now, const char *channel,
                   const char *recipient, const char *subject, const char *body);

/* frees claims older than 10 minutes, claims up to max (<= 64) due messages for this node,
 * sends them outside any transaction and records each outcome. Returns how many were handled
 * (sent, rescheduled or failed), or a negative DB error. */
int outbox_run_once(db *d, const cr_keys *k, const layan_config *cfg, int64_t now, int max);

outbox_worker *outbox_worker_start(db *d, const cr_keys *k, const layan_config *cfg);
void outbox_worker_stop(outbox_worker *w);
void outbox_kick(outbox_worker *w); /* wake it now (after an enqueue) */

/* for the admin page "Kotak keluar": newest first; status NULL = all; counts are indexed by
 * OUTBOX_PENDING .. OUTBOX_FAILED */
typedef struct {
    int64_t id;
    const char *channel, *recipient_masked, *subject;
    const char *body; /* decrypted (NULL if it cannot be): the page decides whether to show it */
    const char *status;
    int attempts;
    /* UTC ISO 8601 text as stored; sent_at and last_error may be NULL */
    const char *next_attempt_at, *sent_at, *last_error, *created_at;
    const char *sender; /* "dev", "smtp", "webhook", "none"; NULL before the first attempt */
} outbox_item;
enum { OUTBOX_PENDING, OUTBOX_SENDING, OUTBOX_SENT, OUTBOX_FAILED };
int outbox_list(db_conn *c, const cr_keys *k, arena *a, const char *status, int limit, int offset,
                outbox_item **items, size_t *n, int64_t *total);
int outbox_counts(db_conn *c, int64_t counts[4]);
/* a failed message back to pending, attempts from zero; DB_DONE when it was not failed */
int outbox_retry(db_conn *c, int64_t id, int64_t now);

/* ---- internal: the senders (send.c) ---- */
typedef struct {
    int64_t id;
    const char *channel, *recipient, *recipient_masked, *subject, *body;
} outbox_msg;
enum outbox_result { OUTBOX_OK, OUTBOX_RETRY, OUTBOX_PERMANENT };
/* sends one message; err gets a short reason without personal data or secrets; *sender names
 * what was used ("dev", "smtp", "webhook" or "none") */
enum outbox_result outbox_send(const layan_config *cfg, const outbox_msg *m, char *err,
                               size_t errlen, const char **sender);
/* the delay before attempt `attempts` + 1: 30 s doubled per failed attempt, at most 1 hour */
int64_t outbox_backoff(int attempts);

#endif

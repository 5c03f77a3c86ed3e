/* requests survey: after a service, the citizen gets a one-time link to the satisfaction survey
 * (issue 7, features/skm). The link goes out when a request reaches a finished hand-over state:
 * a terminal state that ends the work (WF_END_DONE) after the document was made (the history
 * passed through a non-terminal WF_END_DONE state, "selesai" in the default workflow), i.e.
 * diambil, diterima, dicetak — not ditolak, not dibatalkan.
 *
 * Anonymity: skm_link_issue stores only the token's hash with the unit's period and the
 * service; nothing links the link to the request. This module returns the URL for the message
 * and keeps no record of it either, so call it exactly once, in the transaction of the move into
 * the hand-over state (a state is entered only once). */
#ifndef LAYAN_REQUESTS_SURVEY_H
#define LAYAN_REQUESTS_SURVEY_H
#include "db/db.h"
#include "lib/arena.h"

/* DB_OK with *url ("<base_url>/survei/<token>", in the arena) when a link was issued; DB_DONE
 * when none is due (not a finished hand-over, or the service point runs no open survey period
 * today); a DB_E* on error */
int req_survey_link(db_conn *c, arena *a, const char *base_url, int64_t request_id,
                    const char **url);

#endif

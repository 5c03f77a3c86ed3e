/* requests web ops: the JSON API of the same operations the pages offer, for a signed-in user's
 * session (the citizen app, officers' and couriers' tools). The cookie authenticates; every write
 * carries X-CSRF-Token (GET /api/v1/me gives it as "csrf"). Each operation goes through the very
 * functions the pages use (mine.c, work*.c, courier.c: web_track.h, web_work.h), so the checks,
 * the audit log, the applicant's messages, the SLA clock and the records of personal-data reads
 * are the same as on the web.
 *
 *   citizen (ROLE_CITIZEN; another account's request is 404, as on the pages)
 *     GET  /api/v1/me/requests                 own requests, newest first, paged
 *     GET  /api/v1/me/requests/{code}          the full own view (notes, documents, what may be
 *                                              done now)
 *     POST /api/v1/me/requests/{code}/cancel   {"expect_from"?}
 *   officer (WORK_ROLES, scoped to their units like /petugas; unknown 404, outside the scope 403)
 *     GET  /api/v1/work                        the worklist: tab, unit, service, status filters,
 *                                              the /petugas order
 *     GET  /api/v1/work/{code}                 one request with its personal data (the read is
 *                                              recorded first, as on /petugas/{code})
 *     POST /api/v1/work/{code}/claim | release
 *     POST /api/v1/work/{code}/transitions     {"to", "note"?, "expect_from"?, "courier_id"?}
 *   courier (ROLE_KURIR; a delivery that is not the caller's open one is 404)
 *     GET  /api/v1/deliveries                  open deliveries with the address (reads recorded)
 *     POST /api/v1/deliveries/{code}/outcome   {"outcome": "delivered", "recipient_name",
 *                                              "relation", "photo"?} | {"outcome": "failed",
 *                                              "reason"}
 *
 * A refused move or a stale one is 409 with the workflow's reason in the caller's language.
 * See docs/api.md "Working with requests (session)" and docs/openapi.json. */
#ifndef LAYAN_REQUESTS_WEB_OPS_H
#define LAYAN_REQUESTS_WEB_OPS_H
#include "features/requests/web_work.h"
#include "http/http.h"

#define OPS_BODY_MAX (16 * 1024)
/* a delivery outcome may carry a photo of at most WORK_PHOTO_MAX bytes as base64 */
#define OPS_OUTCOME_MAX (WORK_PHOTO_MAX / 3 * 4 + 64 * 1024)

extern const http_param_spec reqops_page_params[], reqops_code_params[], reqops_work_params[],
    reqops_work_code_params[];

int reqops_mine_list(http_req *rq);
int reqops_mine_get(http_req *rq);
int reqops_mine_cancel(http_req *rq);
int reqops_work_list(http_req *rq);
int reqops_work_get(http_req *rq);
int reqops_work_claim(http_req *rq);
int reqops_work_release(http_req *rq);
int reqops_work_move(http_req *rq);
int reqops_deliveries(http_req *rq);
int reqops_delivery_outcome(http_req *rq);
/* ops_api.c: the caller's own request {code} as GET /api/v1/me/requests/{code} answers it */
int reqops_mine_answer(http_req *rq, db_conn *c, int status);

/* ops_api_more.c: the rest of the pages' operations (docs/api.md "Working with requests")
 *   POST /api/v1/me/requests/{code}/documents  multipart: berkas_<doc_type> files (as the
 *                                              page's form), note? (ROLE_CITIZEN)
 *   POST /api/v1/work/requests                 {service, point, nik, name, phone?, delivery,
 *                                              address?, fields?} + Idempotency-Key: assisted
 *                                              filing (as /petugas/ajukan)
 *   GET  /api/v1/work/visits                   from?, to?, state? (open | done | all)
 *   POST /api/v1/work/{code}/visits            {date, time, team, notes?}
 *   POST /api/v1/work/visits/{id}/done         {notes?}
 * Officers' requests outside their units are 404 here, as on the pages. */
extern const http_param_spec reqops_fix_params[], reqops_visits_params[], reqops_visit_params[];
int reqops_mine_fix(http_req *rq);
int reqops_work_file(http_req *rq);
int reqops_visits(http_req *rq);
int reqops_visit_add(http_req *rq);
int reqops_visit_done(http_req *rq);

#endif

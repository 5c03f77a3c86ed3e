/* requests web (tracking): where a request stands, for anyone holding its tracking code
 * (/lacak, /lacak/{code}, GET /api/v1/requests/{code}: service, service point, status in plain
 * words with dates, the history, the expected completion, masked NIK; no name, no notes), and
 * for the signed-in citizen their own requests (/akun/permohonan...: the list, the full detail
 * with the officers' reasons and the documents, cancelling, and answering "perlu perbaikan" with
 * replacement documents). Every move made here queues a message to the applicant
 * (requests/notify.h) in the same transaction. See docs/guide-citizen.md "Melacak permohonan". */
#ifndef LAYAN_REQUESTS_WEB_TRACK_H
#define LAYAN_REQUESTS_WEB_TRACK_H
#include <jansson.h>
#include <stdbool.h>

#include "features/form.h"
#include "features/requests/requests.h"
#include "http/http.h"

extern const http_param_spec reqtrack_form_params[], reqtrack_code_params[], reqmine_list_params[],
    reqmine_code_params[], reqmine_fix_params[];

/* track.c */
int reqtrack_page_form(http_req *rq); /* GET /lacak?kode=... (public) */
int reqtrack_page_view(http_req *rq); /* GET /lacak/{code} (public, HR_SECRET_PATH) */
int reqtrack_api_get(http_req *rq);   /* GET /api/v1/requests/{code} (public JSON) */
/* the status summary and history shared by the public view and the owner's detail:
 * {code, shown, service, unit, status, status_label, headline, due, overdue, waiting, finished,
 *  nik_masked, history: [{sentence, label, at, note?}]}; notes only when with_notes */
json_t *reqtrack_view_json(http_req *rq, const req_view *v, bool with_notes);

/* mine.c (ROLE_CITIZEN; another account's request is 404) */
int reqmine_page_list(http_req *rq);   /* GET /akun/permohonan */
int reqmine_page_detail(http_req *rq); /* GET /akun/permohonan/{code} */
int reqmine_page_cancel(http_req *rq); /* GET (confirm) | POST /akun/permohonan/{code}/batal */
int reqmine_page_fix(http_req *rq);    /* POST /akun/permohonan/{code}/perbaikan (multipart) */
/* shared with the JSON API (web_ops.h): the caller's own request {code} (path parameter) with
 * what the citizen may do now and the office's last reason for its state (NULL when none): 0, or
 * 404 (unknown, mistyped, someone else's) / 503 */
int reqmine_own(http_req *rq, db_conn *c, req_view *v, bool *can_cancel, bool *can_fix,
                const char **reason);
/* cancels the caller's own request {code} as the page does (the move and the applicant's message
 * in one transaction); seen: the status the citizen saw (NULL = the current one). DB_OK,
 * REQ_REFUSED (no longer possible), REQ_CONFLICT (it moved from `seen`), 404, 503 or DB_* */
int reqmine_cancel(http_req *rq, db_conn *c, const char *seen);
/* answers "perlu perbaikan" for the caller's own request {code} as the page does: the files of
 * rq->files named berkas_<doc_type> (one per requirement with a document type) checked by
 * content and size (APPLY_FILE_MAX), stored, then the move to "dilengkapi" (the SLA clock
 * restarts) with the applicant's message, in one transaction. note: the citizen's note or NULL.
 * DB_OK; 422 with the errors in f (keyed berkas_<doc_type>); REQ_REFUSED (not waiting for a
 * correction), REQ_CONFLICT (it moved meanwhile), 404, 503 or DB_* */
int reqmine_fix(http_req *rq, db_conn *c, form_state *f, const char *note);

#endif

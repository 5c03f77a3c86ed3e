/* requests web (officers): the worklist of the service points in an officer's scope (/petugas),
 * a request's detail with its personal data (every read recorded first), claims and the moves the
 * workflow allows (/petugas/{code}), the requirement documents (/petugas/{code}/dokumen/{id}),
 * requests filed for a citizen at a counter or post (/petugas/ajukan), home visits, the
 * courier's deliveries (/kurir) and the unit heads' SLA page (/petugas/kinerja).
 * See docs/guide-officer.md.
 *
 * Scope: a petugas or kepala_unit sees the requests of the units where they hold the role and
 * every unit below them; admin_pemda sees all of them (and acts as a kepala_unit). A request
 * outside the scope answers 404, as if it did not exist. */
#ifndef LAYAN_REQUESTS_WEB_WORK_H
#define LAYAN_REQUESTS_WEB_WORK_H
#include <stdbool.h>
#include <stdint.h>

#include "core/tracking.h"
#include "core/workflow.h"
#include "db/db.h"
#include "features/form.h"
#include "features/requests/requests.h"
#include "http/http.h"
#include "lib/arena.h"

#define WORK_ROLES (ROLE_PETUGAS | ROLE_KEPALA_UNIT | ROLE_ADMIN)
#define WORK_HEADS (ROLE_KEPALA_UNIT | ROLE_ADMIN)
#define WORK_PHOTO_MAX ((size_t)5 << 20) /* a delivery photo: 5 MiB */

extern const http_param_spec work_list_params[], work_one_params[], work_doc_params[],
    work_assist_params[], courier_params[], courier_one_params[], sla_page_params[];

/* work.c: GET /petugas */
int work_page_list(http_req *rq);
/* work_detail.c: GET|POST /petugas/{code} (aksi = ambil | lepas | pindah | kirim | kunjungan |
 * kunjungan_selesai) and GET /petugas/{code}/dokumen/{id} */
int work_page_one(http_req *rq);
int work_page_doc(http_req *rq);
/* work_assist.c: GET|POST /petugas/ajukan */
int work_page_assist(http_req *rq);
/* courier.c: GET /kurir, POST /kurir/{code} (aksi = terkirim | gagal) */
int courier_page_list(http_req *rq);
int courier_page_one(http_req *rq);
/* sla_page.c: GET /petugas/kinerja */
int sla_page(http_req *rq);

/* ---- work_store.c: small readers the pages need beyond requests.h ---- */
typedef struct {
    int64_t id, unit_id, service_id, applicant_id;
    char code[TRK_LEN + 1];
    const char *status;
} work_ref;
/* a request by its tracking code (as typed: trk_parse); DB_DONE when unknown */
int work_ref_get(db_conn *c, arena *a, const char *code, work_ref *out);

/* the units where the user holds one of `mask` (ROLE_* bits), as roots of their scope; an
 * admin_pemda gets the pemda (everything). Units below another root are left out. */
int work_scope(db_conn *c, arena *a, int64_t user_id, unsigned mask, int64_t **roots, size_t *n);
/* the workflow role the user acts with on a request at unit_id: WF_PETUGAS, WF_KEPALA (a
 * kepala_unit, or admin_pemda), or 0 when the request is outside their scope */
unsigned work_role_at(db_conn *c, int64_t user_id, int64_t unit_id);

typedef struct {
    int64_t id;
    const char *name;
} work_person;
/* the couriers who may deliver for unit_id: a kurir role at it or above it, not disabled */
int work_couriers(db_conn *c, arena *a, int64_t unit_id, work_person **out, size_t *n);

typedef struct {
    int64_t id;
    const char *scheduled_at, *team, *notes, *visited_at;
} work_visit;
/* a request's home visits, by time */
int work_visits_of(db_conn *c, arena *a, int64_t request_id, work_visit **out, size_t *n);
/* the request a visit belongs to (0 when none) */
int64_t work_visit_request(db_conn *c, int64_t visit_id);

/* the user's display name ("" when unknown) */
const char *work_user_name(db_conn *c, arena *a, int64_t user_id);

/* ---- shared page helpers (work.c) ---- */
/* "Terlambat 2 hari kerja", "Hari ini", "3 hari kerja lagi", "Menunggu pemohon" and the class
 * suffix (overdue / today / soon / ok / waiting) for a request at a unit */
typedef struct work_cal_cache work_cal_cache;
work_cal_cache *work_cal_new(arena *a);
void work_deadline_words(http_req *rq, db_conn *c, work_cal_cache *cc, const char *unit_code,
                         const char *due_at, int bucket, int64_t now, const char **label,
                         const char **cls);
/* "12 menit", "3,5 jam kerja", "2,1 hari kerja" for working minutes (a day = 8 hours) */
const char *work_minutes_words(http_req *rq, double minutes);
/* the message for a refused move (enum wf_err) */
const char *work_refusal(http_req *rq, int why);
/* the applicant's message about a move (notify.h), on the caller's transaction; "nobody to
 * tell" is not an error */
int work_notify(http_req *rq, db_conn *c, int64_t now, int64_t request_id, const char *to,
                const char *note);
/* an ISO time for people ("-" when NULL or malformed) */
const char *work_time(http_req *rq, const char *iso);

/* ---- shared by the pages and the JSON API (web_ops.h) ---- */
/* the worklist: every open request in the caller's scope (the roots of work_scope, for the
 * home visits), most urgent first: overdue, due today, later, waiting; by deadline within each,
 * then by id, a total order, so a page (WORK_PAGE rows on /petugas, page_size in the API) cut
 * from it never repeats or skips a request. At most WORK_OPEN_MAX per root. */
#define WORK_PAGE 50
#define WORK_OPEN_MAX 10000
int work_open_in_scope(http_req *rq, db_conn *c, int64_t now, int64_t **roots, size_t *nroots,
                       req_summary **out, size_t *n);
/* the worklist's tabs: semua, terlambat, hari-ini, saya, belum, kunjungan (home visits, not a
 * filter of requests) */
#define WORK_TABS 6
extern const char *const work_tab_codes[WORK_TABS];
bool work_in_tab(int tab, const req_summary *r, int64_t me);
/* the worklist's filters: a service point code, a service code, a state (NULL = any) */
bool work_matches(const req_summary *r, const char *point, const char *service, const char *status);
/* work_detail.c: a move as the detail page makes it, in one transaction retried when the
 * database is busy: the claim (the mover holds the request), the move (to "dikirim" with a
 * courier > 0: the delivery is assigned), the applicant's message. DB_OK or REQ_* / DB_*; *why
 * for REQ_REFUSED. from: the status the officer saw (REQ_CONFLICT when it moved). */
int work_move(http_req *rq, db_conn *c, const work_ref *ref, unsigned role, int64_t me,
              const char *to, const char *from, const char *note, int64_t courier,
              enum wf_err *why);
/* work_assist.c: files a request for a citizen as /petugas/ajukan does (channel 'assisted',
 * filed_by the caller, at a service point in the caller's scope). Strings NULL when absent;
 * delivery "delivery" (address of at least 10 characters) or anything else for pickup;
 * form_json: the service's own answers (a JSON object) or NULL; key: an idempotency key (a
 * second call with the same caller and key returns the first request, out->existed), ignored
 * under 8 characters. DB_OK and *out, 422 with the errors in f under the page's field names
 * (layanan, titik, nik, nama, alamat), 503. */
typedef struct {
    const char *service, *point, *nik, *name, *phone, *delivery, *address, *form_json, *key;
} work_assist_in;
int work_assist_file(http_req *rq, db_conn *c, const work_assist_in *in, form_state *f,
                     req_created *out);
/* work_detail.c: schedules a home visit as the page does: a local date (YYYY-MM-DD) and time
 * (HH:MM) at the request's service point, the team (at least 2 characters), notes or NULL.
 * DB_OK and *id, 422 with the errors in f (tanggal, tim), 503 */
int work_visit_add(http_req *rq, db_conn *c, const work_ref *ref, const char *date, const char *hm,
                   const char *team, const char *notes, form_state *f, int64_t *id);
/* work_detail.c: records a visit of the request (notes NULL = keep the planned ones): DB_OK,
 * 404 (no such visit of this request), REQ_CONFLICT (already recorded), 503 */
int work_visit_record(http_req *rq, db_conn *c, const work_ref *ref, int64_t visit_id,
                      const char *notes);
/* work_detail.c: the officer's read of the applicant's personal data, committed before it is
 * shown (nothing to record for a request filed without an account) */
int work_record_read(db_conn *c, const work_ref *ref, int64_t me, const char *fields);
#define WORK_READ_FIELDS "NIK, KK, nama, nomor HP, alamat, isian formulir"
/* work_store.c: the request {code} (path parameter) for the officer calling, and the workflow
 * role they act with on it (work_role_at): 0, or 404 (no such request), 403 (outside their
 * scope: the pages answer 404 for it), 503 */
int work_find(http_req *rq, db_conn *c, work_ref *ref, unsigned *role);
/* work_store.c: may this courier deliver for the unit (work_couriers) */
bool work_courier_ok(db_conn *c, arena *a, int64_t unit_id, int64_t courier_id);
/* courier.c: the courier's reads of the delivery addresses, committed before they are shown */
int courier_record_reads(http_req *rq, db_conn *c, const req_delivery *d, size_t n);
/* courier.c: a delivery photo in a temp file (size bytes) into the document store when its
 * content is JPEG or PNG of at most WORK_PHOTO_MAX: 0 and *ref, -1 refused, -2 not stored */
int courier_store_photo(http_req *rq, const char *tmp_path, size_t size, const char **ref);
/* courier.c: a delivery's outcome and the applicant's message, in one transaction retried when
 * the database is busy: delivered (name, relation, photo reference or NULL) or a failed attempt
 * (reason; *returned when it was the last one). DB_OK or REQ_* / DB_*; *why for REQ_REFUSED. */
int courier_outcome(http_req *rq, db_conn *c, int64_t request_id, bool delivered, const char *name,
                    const char *relation, const char *photo, const char *reason, bool *returned,
                    enum wf_err *why);

#endif

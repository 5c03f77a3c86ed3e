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
#include "db/db.h"
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

#endif

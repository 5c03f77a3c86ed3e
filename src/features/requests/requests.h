/* requests: online service requests (issue 6). A request is filed for a service at a service
 * point, judged by the standard in force when it was filed, moves through the service's workflow
 * (core/workflow, the one place that says what is allowed), and carries an SLA deadline
 * (core/sla on the point's calendar) that stops while the office waits for the citizen.
 *
 * Personal data (NIK, KK, name, phone, address, the form) is sealed with the installation key
 * (cr_seal); NIK and KK also get a keyed hash (lookups) and a masked form (display). Public
 * readers return masked data only; req_private opens the rest (the caller records the read with
 * acct_record_access). Strings returned live in the caller's arena.
 *
 * Transactions: every write works inside the caller's transaction when there is one, and opens
 * (and retries, db_retry_tx) its own otherwise. See docs/internals/requests.md. */
#ifndef LAYAN_REQUESTS_H
#define LAYAN_REQUESTS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/tracking.h"
#include "core/workflow.h"
#include "db/db.h"
#include "lib/arena.h"
#include "lib/crypto.h"

/* outcomes besides DB_OK / DB_DONE (absent) / DB_E* */
enum {
    REQ_REFUSED = 3,     /* the workflow refuses the transition: see *why (enum wf_err) */
    REQ_CONFLICT = 4,    /* someone else moved or claimed it first: reload and try again */
    REQ_NOT_OFFERED = 5, /* the service is not offered (or is turned off) at that unit, or no
                            standard is in force yet */
    REQ_INVALID = 6,     /* input the caller should have checked (channel, delivery, NIK...) */
};

#define REQ_SIGN_GEN 1 /* the generation of the office signing key used for new signatures */

/* ---- filing ---- */
typedef struct {
    int64_t service_id, unit_id;
    int64_t applicant_id;               /* the citizen's account; 0 for assisted / integration */
    int64_t filed_by;                   /* the officer (assisted, home_visit); 0 otherwise */
    int64_t api_key_id;                 /* integration; 0 otherwise */
    const char *channel;                /* online | assisted | integration | home_visit */
    const char *delivery;               /* pickup | delivery | kiosk */
    const char *nik;                    /* 16 digits, validated by core/nik */
    const char *kk;                     /* 16 digits or NULL */
    const char *name, *phone, *address; /* NULL = none; address required for delivery */
    const char *form_json;              /* the form's own fields, a JSON object; NULL = "{}" */
    const char *idempotency_key;        /* 8..128 characters, or NULL */
} req_new;

typedef struct {
    int64_t id;
    char code[TRK_LEN + 1];
    bool existed; /* the idempotency key matched: this is the first submit's request */
    int64_t due;  /* the SLA deadline (instant), CAL_NEVER when unknown */
    int version;  /* the standard's version in force at submission */
} req_created;

/* files a request at `now` (status: the workflow's initial state; an event row; the deadline).
 * A second call with the same (applicant | officer | API key, idempotency key) returns the first
 * request with existed = true and changes nothing. */
int req_create(db_conn *c, const cr_keys *k, int64_t now, const req_new *n, req_created *out);
/* how many unfinished requests for this service the holder of this NIK already has (the
 * "you already applied" warning) */
int req_open_count(db_conn *c, const cr_keys *k, const char *nik, int64_t service_id, int *count);

/* ---- the workflow ---- */
/* the service's own workflow (service_workflows) or the built-in default */
int req_workflow(db_conn *c, int64_t service_id, wf_def *out);
/* stores a service's workflow after wf_parse accepts it (REQ_INVALID and *why otherwise);
 * json NULL removes it (back to the default) */
int req_workflow_set(db_conn *c, int64_t service_id, const char *json, int64_t now,
                     enum wf_err *why);

typedef struct {
    const char *to;          /* the target state */
    unsigned role;           /* one wf_role bit: who acts */
    int64_t actor_id;        /* the user; 0 for the system */
    const char *note;        /* reason or note; NULL or "" = none */
    const char *expect_from; /* the status the actor saw, or NULL: REQ_CONFLICT when it moved */
} req_move;
/* moves a request: checks with wf_check (REQ_REFUSED and *why when refused), stops or restarts
 * the SLA clock as the transition says (a resume pushes the deadline back by the paused working
 * time), records the end and whether it was on time, updates the status only if it is still the
 * one read (REQ_CONFLICT otherwise), appends the event and an audit entry (request.transition),
 * all in one transaction.
 * DB_DONE when there is no such request. */
int req_transition(db_conn *c, int64_t now, int64_t request_id, const req_move *m,
                   enum wf_err *why);
/* a counter this node bumps after each committed req_transition: per-node caches of what
 * tracking shows put it in their keys, so a status change shows at once on the node that made
 * it (other nodes within their caches' few seconds) */
unsigned req_generation(void);

/* an officer takes the request: refused (REQ_CONFLICT) when another holds it. Taking it again
 * is fine. DB_DONE when absent. */
int req_claim(db_conn *c, int64_t now, int64_t request_id, int64_t staff_id);
/* gives it back (only its holder; REQ_CONFLICT otherwise) */
int req_release(db_conn *c, int64_t request_id, int64_t staff_id);

/* ---- reading ---- */
typedef struct {
    const char *from, *to; /* from NULL: filed */
    const char *role;      /* citizen | petugas | kurir | kepala_unit | system */
    int64_t actor_id;      /* 0 in public views */
    const char *note;      /* NULL in public views */
    const char *at;
} req_event;

typedef struct {
    int64_t id;
    char code[TRK_LEN + 1];
    const char *service_code, *service_name, *unit_code, *unit_name;
    int tz_offset_min;
    int standard_version, time_limit_value;
    const char *time_limit_unit;
    const char *channel, *delivery, *status, *nik_masked, *kk_masked;
    const char *submitted_at, *due_at, *paused_since, *finished_at; /* NULL when not set */
    int64_t paused_minutes;
    bool finished, on_time, cancelled; /* on_time meaningful when finished && !cancelled */
    int64_t applicant_id, filed_by, claimed_by;
    const char *claimed_at, *claimed_by_name;
    req_event *events; /* oldest first */
    size_t nevents;
} req_view;

/* the tracking page (no sign-in): masked NIK, history with dates and states only (no actors,
 * no notes); code as the citizen typed it (trk_parse). DB_DONE when unknown or malformed. */
int req_by_code(db_conn *c, arena *a, const char *code, req_view *out);
/* full view for the applicant and officers: notes and actors included */
int req_get(db_conn *c, arena *a, int64_t id, req_view *out);

typedef struct {
    const char *nik, *kk, *name, *phone, *address, *form_json; /* NULL when absent */
} req_private_data;
/* opens the sealed fields (the caller records an officer's read) */
int req_private(db_conn *c, const cr_keys *k, arena *a, int64_t id, req_private_data *out);

enum req_bucket {
    REQ_OVERDUE = 0,
    REQ_DUE_TODAY = 1,
    REQ_DUE_LATER = 2,
    REQ_WAITING = 3,
    REQ_NO_DEADLINE = 4
};
typedef struct {
    int64_t id;
    char code[TRK_LEN + 1];
    const char *service_code, *service_name, *unit_code, *unit_name, *status, *channel, *delivery,
        *nik_masked, *submitted_at, *due_at, *claimed_by_name;
    int64_t claimed_by;
    enum req_bucket bucket; /* worklist only; REQ_NO_DEADLINE elsewhere when finished */
} req_summary;

/* a citizen's requests, newest first */
int req_list_mine(db_conn *c, arena *a, int64_t applicant_id, int limit, int offset,
                  req_summary **out, size_t *n);

typedef struct {
    int64_t unit_id;    /* the officer's unit: requests at it and every unit below it */
    int64_t service_id; /* 0 = every service */
    const char *status; /* one state, or NULL = every non-terminal state */
    int64_t claimed_by; /* > 0: only those this user holds; -1: only unclaimed; 0: any */
    int64_t now;
    int limit, offset; /* limit 0 = 100 */
} req_worklist_filter;
/* open requests in scope: overdue first, then due today, then later, then those waiting for the
 * citizen; by deadline within each */
int req_worklist(db_conn *c, arena *a, const req_worklist_filter *f, req_summary **out, size_t *n);

/* SLA statistics of each service point under root_unit_id (itself included) for requests
 * finished in [from, to) (YYYY-MM-DD, local), plus the ones overdue at `now` */
typedef struct {
    int64_t unit_id;
    const char *unit_code, *unit_name;
    int finished, on_time;      /* cancelled requests are not counted */
    double share_on_time;       /* on_time / finished, 0 when none */
    double median_min, p90_min; /* working minutes from filing to the end, pauses left out */
    int open, overdue_now, waiting;
} req_stats;
int req_stats_units(db_conn *c, arena *a, int64_t root_unit_id, const char *from, const char *to,
                    int64_t now, req_stats **out, size_t *n);

/* the calendar of a service point: the unit's time zone, hours (or the service's own hours at
 * that point; a unit with no hours recorded gets Monday-Friday 08:00-16:00) and the holidays
 * around `at` (a year before, two after) */
int req_point_calendar(db_conn *c, arena *a, int64_t service_id, int64_t unit_id, int64_t at,
                       cal_calendar *out);

/* ---- signed QR payloads (sign.c) ----
 * payload = base32 (RFC 4648, no padding) of
 *   version 1 | key generation | tracking number (6 bytes) | kind | issue day (2 bytes) |
 *   Ed25519 signature (64) over "layan-qr" || the 11 bytes before it
 * 75 bytes -> 120 characters, all in the QR alphanumeric set. */
enum req_doc_kind { REQ_DOC_RECEIPT = 1, REQ_DOC_RESULT = 2, REQ_DOC_KIOSK = 3 };
#define REQ_QR_CHARS 120
typedef struct {
    char code[TRK_LEN + 1];
    enum req_doc_kind kind;
    cal_date issued;
    unsigned gen;
} req_qr;
/* 0, or -1 for an invalid code, kind or date */
int req_qr_sign(const cr_keys *k, const char code[TRK_LEN], enum req_doc_kind kind, cal_date issued,
                char out[REQ_QR_CHARS + 1]);
/* 0 genuine (out filled), -1 malformed, -2 signature does not verify / unknown key */
int req_qr_verify(const cr_keys *k, const char *payload, size_t n, req_qr *out);

/* ---- documents, deliveries, home visits, kiosk PINs (handover.c) ---- */
typedef struct {
    const char *doc_type;      /* the standard's requirement doc_type */
    const char *storage_ref;   /* where the bytes are */
    const char *content_type;  /* image/jpeg | image/png | application/pdf, from the content */
    const char *sha256;        /* 64 hex digits */
    int64_t size, uploaded_by; /* uploaded_by 0 = none */
} req_doc_new;
typedef struct {
    int64_t id;
    const char *doc_type, *storage_ref, *content_type, *sha256, *uploaded_at;
    int64_t size, uploaded_by, replaced_by; /* 0 when none */
} req_document;
/* adds an upload; the current document of the same type (if any) is marked replaced by it */
int req_doc_add(db_conn *c, int64_t now, int64_t request_id, const req_doc_new *d, int64_t *id);
/* a request's documents by type, oldest first; current_only leaves out replaced ones */
int req_docs(db_conn *c, arena *a, int64_t request_id, bool current_only, req_document **out,
             size_t *n);

#define REQ_DELIVERY_ATTEMPTS 3 /* failed attempts before the document goes back to the point */
typedef struct {
    int64_t id, request_id, courier_id;
    char code[TRK_LEN + 1];
    const char *status; /* assigned | delivered | failed | returned */
    int attempts;
    const char *assigned_at, *last_attempt_at, *delivered_at, *recipient_relation, *photo_ref,
        *failure_reason;
    const char *address; /* opened for the courier (req_deliveries_for only) */
} req_delivery;
/* selesai -> dikirim (by `role`/`actor_id`) and a delivery for the courier, in one transaction;
 * REQ_REFUSED and *why when the workflow refuses */
int req_delivery_assign(db_conn *c, int64_t now, int64_t request_id, int64_t courier_id,
                        unsigned role, int64_t actor_id, enum wf_err *why);
/* the assigned courier handed it over: dikirim -> diterima; REQ_CONFLICT when it is not this
 * courier's open delivery */
int req_delivery_done(db_conn *c, const cr_keys *k, int64_t now, int64_t request_id,
                      int64_t courier_id, const char *recipient_name, const char *relation,
                      const char *photo_ref, enum wf_err *why);
/* a failed attempt with its reason; the REQ_DELIVERY_ATTEMPTS-th returns the document to the
 * service point (dikirim -> selesai with the reason; *returned = true) */
int req_delivery_failed(db_conn *c, int64_t now, int64_t request_id, int64_t courier_id,
                        const char *reason, bool *returned, enum wf_err *why);
/* a courier's open deliveries, oldest first, with the delivery address opened */
int req_deliveries_for(db_conn *c, const cr_keys *k, arena *a, int64_t courier_id,
                       req_delivery **out, size_t *n);

typedef struct {
    int64_t id, request_id;
    char code[TRK_LEN + 1];
    const char *scheduled_at, *team, *notes, *visited_at; /* visited_at NULL until done */
} req_visit;
int req_visit_schedule(db_conn *c, int64_t now, int64_t request_id, int64_t scheduled_at,
                       const char *team, const char *notes, int64_t by, int64_t *id);
/* records the visit; REQ_CONFLICT when it was already recorded, DB_DONE when absent */
int req_visit_done(db_conn *c, int64_t now, int64_t visit_id, const char *notes);
/* visits scheduled in [from, to) at the unit and below, by time */
int req_visits(db_conn *c, arena *a, int64_t unit_id, int64_t from, int64_t to, req_visit **out,
               size_t *n);

#define REQ_PIN_DIGITS 6
/* a new one-time kiosk PIN (replaces an unused one); only its keyed hash is stored */
int req_kiosk_pin_issue(db_conn *c, const cr_keys *k, int64_t request_id,
                        char pin[REQ_PIN_DIGITS + 1]);
/* the kiosk: tracking code + PIN, once. DB_OK and *request_id; REQ_REFUSED for a wrong code or
 * PIN (the caller rate-limits), REQ_CONFLICT when the PIN was used already */
int req_kiosk_pin_use(db_conn *c, const cr_keys *k, int64_t now, const char *code, const char *pin,
                      int64_t *request_id);

#endif

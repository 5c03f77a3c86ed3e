/* requests handover: requirement documents (with replacements), home delivery by courier,
 * home visits and the one-time kiosk PIN. Workflow moves go through req_transition, inside the
 * same transaction as the rows they go with. */
#include <stdio.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/requests/requests.h"

static int with_tx(db_conn *c, int (*fn)(db_conn *, void *), void *ud)
{
    if (db_in_tx(c)) return fn(c, ud);
    return db_retry_tx(c, fn, ud, 6);
}

static int exec_done(db_stmt *s)
{
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

static const char *col_dup(db_stmt *s, int col, arena *a)
{
    if (db_col_is_null(s, col)) return NULL;
    str v = db_col_text(s, col);
    return arena_strndup(a, v.p ? v.p : "", v.n);
}

static void bind_opt_int(db_stmt *s, int idx, int64_t v)
{
    if (v) db_bind_int(s, idx, v);
    else db_bind_null(s, idx);
}

/* grows an arena array by doubling; returns the next free slot */
static void *grow(arena *a, void **arr, size_t *cap, size_t n, size_t size)
{
    if (n == *cap) {
        size_t nc = *cap ? 2 * *cap : 8;
        void *bigger = arena_alloc(a, nc * size);
        if (n) memcpy(bigger, *arr, n * size);
        *arr = bigger;
        *cap = nc;
    }
    return (char *)*arr + n * size;
}

/* ---- documents ---- */

typedef struct {
    int64_t now, request_id;
    const req_doc_new *d;
    int64_t *id;
} doc_ctx;

static int doc_fn(db_conn *c, void *ud)
{
    doc_ctx *x = ud;
    char at[21];
    acct_iso(x->now, at);
    db_stmt *s = db_prepare(c, "INSERT INTO request_documents (request_id, doc_type, storage_ref, "
                               "content_type, size_bytes, sha256, uploaded_by, uploaded_at) "
                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->request_id);
    db_bind_cstr(s, 2, x->d->doc_type);
    db_bind_cstr(s, 3, x->d->storage_ref);
    db_bind_cstr(s, 4, x->d->content_type);
    db_bind_int(s, 5, x->d->size);
    db_bind_cstr(s, 6, x->d->sha256);
    bind_opt_int(s, 7, x->d->uploaded_by);
    db_bind_cstr(s, 8, at);
    int r = db_step(s);
    if (r == DB_ROW) *x->id = db_col_int(s, 0), r = DB_OK;
    db_finish(s);
    if (r != DB_OK) return r;
    s = db_prepare(c, "UPDATE request_documents SET replaced_by = $1 WHERE request_id = $2 AND "
                      "doc_type = $3 AND replaced_by IS NULL AND id <> $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, *x->id);
    db_bind_int(s, 2, x->request_id);
    db_bind_cstr(s, 3, x->d->doc_type);
    return exec_done(s);
}

int req_doc_add(db_conn *c, int64_t now, int64_t request_id, const req_doc_new *d, int64_t *id)
{
    *id = 0;
    if (!d->doc_type || !*d->doc_type || !d->storage_ref || !*d->storage_ref || !d->sha256 ||
        strlen(d->sha256) != 64 || d->size <= 0)
        return REQ_INVALID;
    doc_ctx x = {now, request_id, d, id};
    return with_tx(c, doc_fn, &x);
}

int req_docs(db_conn *c, arena *a, int64_t request_id, bool current_only, req_document **out,
             size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(
        c, current_only
               ? "SELECT id, doc_type, storage_ref, content_type, sha256, uploaded_at, size_bytes, "
                 "uploaded_by, replaced_by FROM request_documents WHERE request_id = $1 AND "
                 "replaced_by IS NULL ORDER BY doc_type, id"
               : "SELECT id, doc_type, storage_ref, content_type, sha256, uploaded_at, size_bytes, "
                 "uploaded_by, replaced_by FROM request_documents WHERE request_id = $1 "
                 "ORDER BY doc_type, id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, request_id);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        req_document *d = grow(a, (void **)out, &cap, *n, sizeof **out);
        (*n)++;
        d->id = db_col_int(s, 0);
        d->doc_type = col_dup(s, 1, a);
        d->storage_ref = col_dup(s, 2, a);
        d->content_type = col_dup(s, 3, a);
        d->sha256 = col_dup(s, 4, a);
        d->uploaded_at = col_dup(s, 5, a);
        d->size = db_col_int(s, 6);
        d->uploaded_by = db_col_is_null(s, 7) ? 0 : db_col_int(s, 7);
        d->replaced_by = db_col_is_null(s, 8) ? 0 : db_col_int(s, 8);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

/* ---- deliveries ---- */

typedef struct {
    const cr_keys *k;
    int64_t now, request_id, courier_id, actor_id;
    unsigned role;
    const char *name, *relation, *photo, *reason;
    bool *returned;
    enum wf_err *why;
} dlv_ctx;

static int assign_fn(db_conn *c, void *ud)
{
    dlv_ctx *x = ud;
    req_move m = {.to = "dikirim", .role = x->role, .actor_id = x->actor_id};
    int r = req_transition(c, x->now, x->request_id, &m, x->why);
    if (r != DB_OK) return r;
    char at[21];
    acct_iso(x->now, at);
    db_stmt *s = db_prepare(c, "INSERT INTO deliveries (request_id, courier_id, status, attempts, "
                               "assigned_at, updated_at) VALUES ($1, $2, 'assigned', 0, $3, $3)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->request_id);
    db_bind_int(s, 2, x->courier_id);
    db_bind_cstr(s, 3, at);
    return exec_done(s);
}

int req_delivery_assign(db_conn *c, int64_t now, int64_t request_id, int64_t courier_id,
                        unsigned role, int64_t actor_id, enum wf_err *why)
{
    enum wf_err dummy;
    dlv_ctx x = {.now = now,
                 .request_id = request_id,
                 .courier_id = courier_id,
                 .actor_id = actor_id,
                 .role = role,
                 .why = why ? why : &dummy};
    *x.why = WF_OK;
    return with_tx(c, assign_fn, &x);
}

static int done_fn(db_conn *c, void *ud)
{
    dlv_ctx *x = ud;
    char at[21];
    acct_iso(x->now, at);
    db_stmt *s = db_prepare(c, "UPDATE deliveries SET status = 'delivered', delivered_at = $3, "
                               "last_attempt_at = $3, recipient_name_enc = $4, "
                               "recipient_relation = $5, photo_ref = $6, updated_at = $3 "
                               "WHERE request_id = $1 AND courier_id = $2 AND status = 'assigned'");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->request_id);
    db_bind_int(s, 2, x->courier_id);
    db_bind_cstr(s, 3, at);
    size_t nn = x->name ? strlen(x->name) : 0;
    if (nn > 256) nn = 256;
    unsigned char box[256 + CR_SEAL_OVERHEAD];
    if (nn) db_bind_blob(s, 4, box, cr_seal(x->k, x->name, nn, box, sizeof box));
    else db_bind_null(s, 4);
    db_bind_cstr(s, 5, x->relation);
    db_bind_cstr(s, 6, x->photo);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    if (db_changes(c) != 1) return REQ_CONFLICT;
    req_move m = {.to = "diterima", .role = WF_KURIR, .actor_id = x->courier_id};
    return req_transition(c, x->now, x->request_id, &m, x->why);
}

int req_delivery_done(db_conn *c, const cr_keys *k, int64_t now, int64_t request_id,
                      int64_t courier_id, const char *recipient_name, const char *relation,
                      const char *photo_ref, enum wf_err *why)
{
    enum wf_err dummy;
    dlv_ctx x = {.k = k,
                 .now = now,
                 .request_id = request_id,
                 .courier_id = courier_id,
                 .name = recipient_name,
                 .relation = relation,
                 .photo = photo_ref,
                 .why = why ? why : &dummy};
    *x.why = WF_OK;
    if (!recipient_name || !*recipient_name || !relation || !*relation) return REQ_INVALID;
    return with_tx(c, done_fn, &x);
}

static int failed_fn(db_conn *c, void *ud)
{
    dlv_ctx *x = ud;
    char at[21];
    acct_iso(x->now, at);
    /* one more attempt; the last allowed one sends it back */
    db_stmt *s = db_prepare(
        c, "UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = $3, "
           "failure_reason = $4, updated_at = $3, status = CASE WHEN attempts + 1 >= $5 THEN "
           "'returned' ELSE 'assigned' END WHERE request_id = $1 AND courier_id = $2 AND "
           "status = 'assigned' RETURNING status");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->request_id);
    db_bind_int(s, 2, x->courier_id);
    db_bind_cstr(s, 3, at);
    db_bind_cstr(s, 4, x->reason);
    db_bind_int(s, 5, REQ_DELIVERY_ATTEMPTS);
    int r = db_step(s);
    bool back = false;
    if (r == DB_ROW) back = str_eq_c(db_col_text(s, 0), "returned");
    db_finish(s);
    if (r == DB_DONE) return REQ_CONFLICT;
    if (r != DB_ROW) return r;
    *x->returned = back;
    if (!back) return DB_OK;
    req_move m = {.to = "selesai", .role = WF_KURIR, .actor_id = x->courier_id, .note = x->reason};
    return req_transition(c, x->now, x->request_id, &m, x->why);
}

int req_delivery_failed(db_conn *c, int64_t now, int64_t request_id, int64_t courier_id,
                        const char *reason, bool *returned, enum wf_err *why)
{
    enum wf_err dummy;
    bool dummy_b;
    dlv_ctx x = {.now = now,
                 .request_id = request_id,
                 .courier_id = courier_id,
                 .reason = reason,
                 .returned = returned ? returned : &dummy_b,
                 .why = why ? why : &dummy};
    *x.why = WF_OK;
    *x.returned = false;
    if (!reason || !*reason) return REQ_INVALID;
    return with_tx(c, failed_fn, &x);
}

int req_deliveries_for(db_conn *c, const cr_keys *k, arena *a, int64_t courier_id,
                       req_delivery **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT d.id, d.request_id, d.courier_id, r.tracking_code, "
                               "d.status, d.attempts, d.assigned_at, d.last_attempt_at, "
                               "d.delivered_at, d.recipient_relation, d.photo_ref, "
                               "d.failure_reason, r.address_enc FROM deliveries d JOIN requests r "
                               "ON r.id = d.request_id WHERE d.courier_id = $1 AND "
                               "d.status = 'assigned' ORDER BY d.assigned_at, d.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, courier_id);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        req_delivery *d = grow(a, (void **)out, &cap, *n, sizeof **out);
        (*n)++;
        memset(d, 0, sizeof *d);
        d->id = db_col_int(s, 0);
        d->request_id = db_col_int(s, 1);
        d->courier_id = db_col_int(s, 2);
        str code = db_col_text(s, 3);
        snprintf(d->code, sizeof d->code, "%.*s", (int)code.n, code.p ? code.p : "");
        d->status = col_dup(s, 4, a);
        d->attempts = (int)db_col_int(s, 5);
        d->assigned_at = col_dup(s, 6, a);
        d->last_attempt_at = col_dup(s, 7, a);
        d->delivered_at = col_dup(s, 8, a);
        d->recipient_relation = col_dup(s, 9, a);
        d->photo_ref = col_dup(s, 10, a);
        d->failure_reason = col_dup(s, 11, a);
        size_t bn;
        const void *box = db_col_blob(s, 12, &bn);
        if (box && bn > CR_SEAL_OVERHEAD) {
            unsigned char *p = arena_alloc(a, bn);
            long m = cr_open(k, box, bn, p, bn);
            if (m >= 0) p[m] = 0, d->address = (const char *)p;
        }
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

/* ---- home visits ---- */

int req_visit_schedule(db_conn *c, int64_t now, int64_t request_id, int64_t scheduled_at,
                       const char *team, const char *notes, int64_t by, int64_t *id)
{
    *id = 0;
    if (!team || !*team) return REQ_INVALID;
    char at[21], when[21];
    acct_iso(now, at);
    acct_iso(scheduled_at, when);
    db_stmt *s = db_prepare(c, "INSERT INTO home_visits (request_id, scheduled_at, team, notes, "
                               "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                               "RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, request_id);
    db_bind_cstr(s, 2, when);
    db_bind_cstr(s, 3, team);
    db_bind_cstr(s, 4, notes && *notes ? notes : NULL);
    bind_opt_int(s, 5, by);
    db_bind_cstr(s, 6, at);
    int r = db_step(s);
    if (r == DB_ROW) *id = db_col_int(s, 0), r = DB_OK;
    db_finish(s);
    return r;
}

int req_visit_done(db_conn *c, int64_t now, int64_t visit_id, const char *notes)
{
    char at[21];
    acct_iso(now, at);
    db_stmt *s = db_prepare(c, "UPDATE home_visits SET visited_at = $2, notes = COALESCE($3, "
                               "notes) WHERE id = $1 AND visited_at IS NULL");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, visit_id);
    db_bind_cstr(s, 2, at);
    db_bind_cstr(s, 3, notes && *notes ? notes : NULL);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    if (db_changes(c) == 1) return DB_OK;
    s = db_prepare(c, "SELECT 1 FROM home_visits WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, visit_id);
    r = db_step(s);
    db_finish(s);
    return r == DB_ROW ? REQ_CONFLICT : r;
}

int req_visits(db_conn *c, arena *a, int64_t unit_id, int64_t from, int64_t to, req_visit **out,
               size_t *n)
{
    *out = NULL;
    *n = 0;
    char f[21], t[21];
    acct_iso(from, f);
    acct_iso(to, t);
    db_stmt *s = db_prepare(
        c, "WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE id = $1 UNION ALL "
           "SELECT u.id FROM units u JOIN scope ON u.parent_id = scope.id) "
           "SELECT v.id, v.request_id, r.tracking_code, v.scheduled_at, v.team, v.notes, "
           "v.visited_at FROM home_visits v JOIN requests r ON r.id = v.request_id "
           "WHERE r.unit_id IN (SELECT id FROM scope) AND v.scheduled_at >= $2 AND "
           "v.scheduled_at < $3 ORDER BY v.scheduled_at, v.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    db_bind_cstr(s, 2, f);
    db_bind_cstr(s, 3, t);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        req_visit *v = grow(a, (void **)out, &cap, *n, sizeof **out);
        (*n)++;
        memset(v, 0, sizeof *v);
        v->id = db_col_int(s, 0);
        v->request_id = db_col_int(s, 1);
        str code = db_col_text(s, 2);
        snprintf(v->code, sizeof v->code, "%.*s", (int)code.n, code.p ? code.p : "");
        v->scheduled_at = col_dup(s, 3, a);
        v->team = col_dup(s, 4, a);
        v->notes = col_dup(s, 5, a);
        v->visited_at = col_dup(s, 6, a);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

/* ---- kiosk PIN ---- */

static void pin_hash(const cr_keys *k, int64_t request_id, const char *pin, unsigned char h[32])
{
    char v[48];
    snprintf(v, sizeof v, "%lld:%.*s", (long long)request_id, REQ_PIN_DIGITS, pin);
    cr_lookup_hash(k, "kiosk-pin", str_c(v), h);
    cr_wipe(v, sizeof v);
}

int req_kiosk_pin_issue(db_conn *c, const cr_keys *k, int64_t request_id,
                        char pin[REQ_PIN_DIGITS + 1])
{
    cr_random_digits(pin, REQ_PIN_DIGITS);
    unsigned char h[32];
    pin_hash(k, request_id, pin, h);
    db_stmt *s = db_prepare(c, "UPDATE requests SET kiosk_pin_hash = $2, kiosk_pin_used_at = NULL "
                               "WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, request_id);
    db_bind_blob(s, 2, h, sizeof h);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    return db_changes(c) == 1 ? DB_OK : DB_DONE;
}

int req_kiosk_pin_use(db_conn *c, const cr_keys *k, int64_t now, const char *code, const char *pin,
                      int64_t *request_id)
{
    *request_id = 0;
    char canon[TRK_LEN + 1];
    if (!code || !pin || strlen(pin) != REQ_PIN_DIGITS || !trk_parse(code, strlen(code), canon))
        return REQ_REFUSED;
    db_stmt *s = db_prepare(c, "SELECT id, kiosk_pin_hash, kiosk_pin_used_at FROM requests "
                               "WHERE tracking_code = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, canon);
    int r = db_step(s);
    int64_t id = 0;
    bool match = false, used = false;
    if (r == DB_ROW) {
        id = db_col_int(s, 0);
        size_t hn;
        const void *stored = db_col_blob(s, 1, &hn);
        unsigned char h[32];
        pin_hash(k, id, pin, h);
        match = stored && hn == 32 && cr_eq(stored, h, 32);
        used = !db_col_is_null(s, 2);
    }
    db_finish(s);
    if (r == DB_DONE || (r == DB_ROW && !match)) return REQ_REFUSED;
    if (r != DB_ROW) return r;
    if (used) return REQ_CONFLICT;
    /* each PIN prints once, even with two kiosks racing */
    char at[21];
    acct_iso(now, at);
    s = db_prepare(c, "UPDATE requests SET kiosk_pin_used_at = $2 WHERE id = $1 AND "
                      "kiosk_pin_used_at IS NULL");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, at);
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    if (db_changes(c) != 1) return REQ_CONFLICT;
    *request_id = id;
    return DB_OK;
}

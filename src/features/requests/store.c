/* requests store: filing (idempotent), transitions through core/workflow with the SLA clock,
 * claims, per-service workflows and the service point calendar. Readers are in read.c,
 * statistics in stats.c. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/mask.h"
#include "core/sla.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/audit/audit.h"
#include "features/requests/catalog.h"
#include "features/requests/requests.h"
#include "features/services/api.h"
#include "features/units/units.h"

#define FORM_MAX (64 * 1024)

/* runs fn inside the caller's transaction, or in one of its own (retried on conflicts) */
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

/* ---- what tracking caches key on ---- */

static atomic_uint generation;

static void changed(void)
{
    atomic_fetch_add(&generation, 1);
}

unsigned req_generation(void)
{
    return atomic_load(&generation);
}

/* ---- per-service workflows ---- */

int req_workflow_set(db_conn *c, int64_t service_id, const char *json, int64_t now,
                     enum wf_err *why)
{
    *why = WF_OK;
    db_stmt *s;
    if (!json) {
        s = db_prepare(c, "DELETE FROM service_workflows WHERE service_id = $1");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, service_id);
        int r = exec_done(s);
        if (r == DB_OK) db_after_commit(c, svc_api_invalidate); /* requests/catalog.c */
        return r;
    }
    static _Thread_local wf_def d;
    if ((*why = wf_parse(json, strlen(json), &d, NULL, 0)) != WF_OK) return REQ_INVALID;
    char at[21];
    acct_iso(now, at);
    s = db_prepare(c, "INSERT INTO service_workflows (service_id, definition, updated_at) "
                      "VALUES ($1, $2, $3) ON CONFLICT (service_id) DO UPDATE SET "
                      "definition = excluded.definition, updated_at = excluded.updated_at");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    db_bind_cstr(s, 2, json);
    db_bind_cstr(s, 3, at);
    int r = exec_done(s);
    if (r == DB_OK) db_after_commit(c, svc_api_invalidate); /* requests/catalog.c */
    return r;
}

/* ---- filing ---- */

typedef struct {
    const cr_keys *k;
    int64_t now;
    const req_new *n;
    req_created *out;
} create_ctx;

static bool one_of(const char *v, const char *const *set)
{
    for (; v && *set; set++)
        if (strcmp(v, *set) == 0) return true;
    return false;
}

static bool digits16(const char *v)
{
    if (!v || strlen(v) != 16) return false;
    for (int i = 0; i < 16; i++)
        if (v[i] < '0' || v[i] > '9') return false;
    return true;
}

/* the request filed earlier with the same idempotency key by the same filer; DB_DONE if none */
static int find_idem(db_conn *c, const req_new *n, req_created *out)
{
    const char *col = n->applicant_id ? "applicant_id" : n->filed_by ? "filed_by" : "api_key_id";
    int64_t who = n->applicant_id ? n->applicant_id : n->filed_by ? n->filed_by : n->api_key_id;
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT id, tracking_code, due_at, standard_version FROM requests "
             "WHERE %s = $1 AND idempotency_key = $2",
             col);
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_int(s, 1, who);
    db_bind_cstr(s, 2, n->idempotency_key);
    int r = db_step(s);
    if (r == DB_ROW) {
        out->id = db_col_int(s, 0);
        str code = db_col_text(s, 1);
        snprintf(out->code, sizeof out->code, "%.*s", (int)code.n, code.p ? code.p : "");
        out->due = db_col_is_null(s, 2) ? CAL_NEVER : app_parse_iso(db_col_text(s, 2));
        out->version = (int)db_col_int(s, 3);
        out->existed = true;
        r = DB_OK;
    }
    db_finish(s);
    return r;
}

static void bind_sealed(db_stmt *s, int idx, const cr_keys *k, arena *a, const char *v, size_t cap)
{
    if (!v || !*v) {
        db_bind_null(s, idx);
        return;
    }
    size_t n = strlen(v);
    if (n > cap) n = cap;
    unsigned char *box = arena_alloc(a, n + CR_SEAL_OVERHEAD);
    db_bind_blob(s, idx, box, cr_seal(k, v, n, box, n + CR_SEAL_OVERHEAD));
}

/* hash, sealed value and mask of a NIK or KK at idx, idx+1, idx+2 */
static void bind_number(db_stmt *s, int idx, const cr_keys *k, const char *domain, const char *v)
{
    if (!v || !*v) {
        db_bind_null(s, idx);
        db_bind_null(s, idx + 1);
        db_bind_null(s, idx + 2);
        return;
    }
    unsigned char h[32], box[16 + CR_SEAL_OVERHEAD];
    cr_lookup_hash(k, domain, str_c(v), h);
    db_bind_blob(s, idx, h, sizeof h);
    db_bind_blob(s, idx + 1, box, cr_seal(k, v, 16, box, sizeof box));
    char m[NIK_MASK_SIZE];
    nik_mask(v, 16, m, sizeof m);
    db_bind_cstr(s, idx + 2, m);
}

static int insert_request(db_conn *c, create_ctx *x, arena *a, int version, sla_limit lim,
                          int64_t due);

static int create_fn(db_conn *c, void *ud)
{
    create_ctx *x = ud;
    const req_new *n = x->n;
    req_created *out = x->out;
    memset(out, 0, sizeof *out);
    int r;

    req_limit pl, sl;
    if ((r = req_point_limit(c, n->service_id, n->unit_id, &pl)) != DB_OK) return r;
    if (!pl.found) return REQ_NOT_OFFERED;
    arena *a = arena_new(1 << 14);
    if (!a) return DB_ERR;
    cal_calendar cal;
    r = req_point_calendar(c, a, n->service_id, n->unit_id, x->now, &cal);
    char date[11];
    if (r == DB_OK &&
        !cal_date_format(cal_civil_from_days(cal_local_day(&cal, x->now)), date, sizeof date))
        r = DB_ERR;
    if (r == DB_OK) r = req_standard_limit(c, n->service_id, date, &sl);
    if (r == DB_OK && !sl.found) r = REQ_NOT_OFFERED;
    sla_limit lim = {0};
    if (r == DB_OK &&
        !sla_limit_from(pl.value ? pl.value : sl.value, pl.value ? pl.unit : sl.unit, &lim))
        r = REQ_NOT_OFFERED;
    int64_t due = r == DB_OK ? sla_due(&cal, lim, x->now, NULL, 0) : CAL_NEVER;
    if (r == DB_OK) r = insert_request(c, x, a, sl.version, lim, due);
    arena_free(a);
    return r;
}

/* the request's first history row (PostgreSQL writes it with the request, see below) */
static int first_event(db_conn *c, int64_t id, const char *initial, int64_t actor,
                       const char *role, const char *at)
{
    db_stmt *s = db_prepare(c, "INSERT INTO request_events (request_id, from_status, to_status, "
                               "actor_id, actor_role, note, at) VALUES ($1, NULL, $2, $3, $4, "
                               "NULL, $5)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, initial);
    if (actor) db_bind_int(s, 3, actor);
    else db_bind_null(s, 3);
    db_bind_cstr(s, 4, role);
    db_bind_cstr(s, 5, at);
    return exec_done(s);
}

static int insert_request(db_conn *c, create_ctx *x, arena *a, int version, sla_limit lim,
                          int64_t due)
{
    const req_new *n = x->n;
    req_created *out = x->out;
    int r;

    unsigned char rnd[TRK_RANDOM_BYTES];
    char code[TRK_LEN + 1];
    cr_random_bytes(rnd, sizeof rnd);
    if (!trk_generate(rnd, sizeof rnd, code)) return DB_EBUSY; /* practically never: retry */
    wf_def *wf = arena_alloc(a, sizeof *wf);
    if ((r = req_workflow(c, n->service_id, wf)) != DB_OK) return r;
    const char *initial = wf->states[wf->initial].code;

    char at[21], due_s[21];
    acct_iso(x->now, at);
    if (due != CAL_NEVER) acct_iso(due, due_s);
    const char *role = strcmp(n->channel, "online") == 0        ? "citizen"
                       : strcmp(n->channel, "integration") == 0 ? "system"
                                                                : "petugas";
    int64_t actor = n->applicant_id && strcmp(role, "citizen") == 0 ? n->applicant_id : n->filed_by;
    /* A key filed before (or a tracking code drawn twice) is a unique conflict: nothing is
     * inserted and no row comes back. The idempotency key is not looked up first: a retried
     * submit is rare, and every filing would pay the round trip. On PostgreSQL the first event
     * goes in with the request, in the same statement (one round trip instead of two). */
#define REQ_INSERT                                                                                 \
    "INSERT INTO requests (tracking_code, service_id, unit_id, standard_version, "                 \
    "time_limit_value, time_limit_unit, applicant_id, filed_by, api_key_id, channel, "            \
    "delivery, address_enc, nik_hash, nik_enc, nik_masked, kk_hash, kk_enc, kk_masked, "          \
    "name_enc, phone_enc, phone_masked, form_enc, status, submitted_at, due_at, "                 \
    "idempotency_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "       \
    "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, "      \
    "$24, $24) ON CONFLICT DO NOTHING RETURNING id"
    bool pg = strcmp(db_conn_engine(c), "postgresql") == 0;
    db_stmt *s = db_prepare(
        c, pg ? "WITH r AS (" REQ_INSERT ") INSERT INTO request_events (request_id, from_status, "
                "to_status, actor_id, actor_role, note, at) SELECT id, NULL, $23::text, "
                "$27::bigint, $28::text, NULL, $24::text FROM r RETURNING request_id"
              : REQ_INSERT);
#undef REQ_INSERT
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, code);
    db_bind_int(s, 2, n->service_id);
    db_bind_int(s, 3, n->unit_id);
    db_bind_int(s, 4, version);
    db_bind_int(s, 5, lim.value);
    db_bind_cstr(s, 6, lim.unit == SLA_HOURS ? "hours" : "days");
    if (n->applicant_id) db_bind_int(s, 7, n->applicant_id);
    else db_bind_null(s, 7);
    if (n->filed_by) db_bind_int(s, 8, n->filed_by);
    else db_bind_null(s, 8);
    if (n->api_key_id) db_bind_int(s, 9, n->api_key_id);
    else db_bind_null(s, 9);
    db_bind_cstr(s, 10, n->channel);
    db_bind_cstr(s, 11, n->delivery);
    bind_sealed(s, 12, x->k, a, n->address, 1024);
    bind_number(s, 13, x->k, "nik", n->nik);
    bind_number(s, 16, x->k, "kk", n->kk);
    bind_sealed(s, 19, x->k, a, n->name, 256);
    bind_sealed(s, 20, x->k, a, n->phone, 64);
    char pm[64] = "";
    if (n->phone && *n->phone) contact_mask_phone(n->phone, pm, sizeof pm);
    db_bind_cstr(s, 21, pm[0] ? pm : NULL);
    bind_sealed(s, 22, x->k, a, n->form_json ? n->form_json : "{}", FORM_MAX);
    db_bind_cstr(s, 23, initial);
    db_bind_cstr(s, 24, at);
    db_bind_cstr(s, 25, due != CAL_NEVER ? due_s : NULL);
    db_bind_cstr(s, 26, n->idempotency_key);
    if (pg) {
        if (actor) db_bind_int(s, 27, actor);
        else db_bind_null(s, 27);
        db_bind_cstr(s, 28, role);
    }
    r = db_step(s);
    if (r == DB_ROW) {
        out->id = db_col_int(s, 0);
        r = DB_OK;
    }
    db_finish(s);
    if (r == DB_DONE) {
        /* nothing inserted: the same key filed before gives that request; otherwise the code
         * was taken, and the caller retries with another */
        r = n->idempotency_key ? find_idem(c, n, out) : DB_DONE;
        return r == DB_DONE ? DB_ECONSTRAINT : r;
    }
    if (r != DB_OK) return r;
    if (!pg && (r = first_event(c, out->id, initial, actor, role, at)) != DB_OK) return r;
    memcpy(out->code, code, sizeof code);
    out->due = due;
    out->version = version;
    return DB_OK;
}

/* ---- group commit ----
 * Filings that arrive together share one transaction and one COMMIT: one fsync for the lot
 * instead of one each (SQLite takes one writer at a time, so 64 clients filing at once used to
 * queue for 64 fsyncs). The first caller to find no batch running leads: it takes every filing
 * queued so far (its own included), runs each in its own SAVEPOINT on its connection (a filing
 * that fails is rolled back alone), commits, and wakes the others, who were waiting with their
 * own connection idle. Whoever is still queued then leads the next batch. A filing is answered
 * only after the COMMIT that holds it returned, so every acknowledged filing is durable. */
#define GROUP_MAX 64

typedef struct pending {
    create_ctx *x;
    int result;
    bool done;
    struct pending *next;
} pending;

static pthread_mutex_t group_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t group_cv = PTHREAD_COND_INITIALIZER;
static pending *group_head, **group_tail = &group_head;
static bool group_leading;

/* one filing inside the batch's transaction; DB_ECONSTRAINT is, rarely, a tracking code drawn
 * twice (the retry draws another; the same key filed twice is answered by insert_request) */
static int one_in_batch(db_conn *c, create_ctx *x)
{
    int r = DB_ECONSTRAINT;
    for (int i = 0; i < 4 && r == DB_ECONSTRAINT; i++) {
        if ((r = db_exec(c, "SAVEPOINT filing")) != DB_OK) return r;
        r = create_fn(c, x);
        int e = r == DB_OK ? DB_OK : db_exec(c, "ROLLBACK TO SAVEPOINT filing");
        int f = db_exec(c, "RELEASE SAVEPOINT filing");
        if (e != DB_OK) return e;
        if (f != DB_OK) return f;
    }
    return r;
}

static int batch_fn(db_conn *c, void *ud)
{
    for (pending *p = ud; p; p = p->next) {
        p->result = one_in_batch(c, p->x);
        /* the database itself failed (busy, gone): the whole batch is retried or fails */
        if (p->result == DB_EBUSY || p->result == DB_EUNAVAIL || p->result == DB_ERR)
            return p->result;
    }
    return DB_OK;
}

static int group_create(db_conn *c, create_ctx *x)
{
    pending me = {x, DB_ERR, false, NULL};
    pthread_mutex_lock(&group_mu);
    *group_tail = &me;
    group_tail = &me.next;
    while (!me.done) {
        if (group_leading) {
            pthread_cond_wait(&group_cv, &group_mu);
            continue;
        }
        /* lead: take up to GROUP_MAX from the queue (this one is in it) */
        group_leading = true;
        pending *batch = group_head, *last = batch;
        for (int k = 1; k < GROUP_MAX && last->next; k++)
            last = last->next;
        group_head = last->next;
        if (!group_head) group_tail = &group_head;
        last->next = NULL;
        pthread_mutex_unlock(&group_mu);

        int r = db_retry_tx(c, batch_fn, batch, 6);

        pthread_mutex_lock(&group_mu);
        for (pending *p = batch, *nx; p; p = nx) {
            nx = p->next;
            if (r != DB_OK) p->result = r; /* not committed: nothing in the batch happened */
            p->done = true;
        }
        group_leading = false;
        pthread_cond_broadcast(&group_cv);
    }
    pthread_mutex_unlock(&group_mu);
    return me.result;
}

int req_create(db_conn *c, const cr_keys *k, int64_t now, const req_new *n, req_created *out)
{
    static const char *const channels[] = {"online", "assisted", "integration", "home_visit", NULL};
    static const char *const deliveries[] = {"pickup", "delivery", "kiosk", NULL};
    memset(out, 0, sizeof *out);
    if (!one_of(n->channel, channels) || !one_of(n->delivery, deliveries) || !digits16(n->nik) ||
        (n->kk && *n->kk && !digits16(n->kk)) ||
        (strcmp(n->delivery, "delivery") == 0 && (!n->address || !*n->address)) ||
        (!n->applicant_id && !n->filed_by && !n->api_key_id) ||
        (strcmp(n->channel, "online") == 0 && !n->applicant_id) ||
        (n->idempotency_key &&
         (strlen(n->idempotency_key) < 8 || strlen(n->idempotency_key) > 128)) ||
        (n->form_json && strlen(n->form_json) > FORM_MAX))
        return REQ_INVALID;
    create_ctx x = {k, now, n, out};
    if (db_in_tx(c)) return create_fn(c, &x);
    if (strcmp(db_conn_engine(c), "sqlite") == 0) return group_create(c, &x);
    /* PostgreSQL runs writers side by side and groups their WAL flushes itself: one
     * transaction per filing (measured: batches behind one leader were 4x slower there) */
    int r = DB_ECONSTRAINT;
    for (int i = 0; i < 4 && r == DB_ECONSTRAINT; i++)
        r = db_retry_tx(c, create_fn, &x, 6);
    return r;
}

int req_open_count(db_conn *c, const cr_keys *k, const char *nik, int64_t service_id, int *count)
{
    *count = 0;
    if (!digits16(nik)) return DB_OK;
    unsigned char h[32];
    cr_lookup_hash(k, "nik", str_c(nik), h);
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM requests WHERE nik_hash = $1 AND "
                               "service_id = $2 AND finished_at IS NULL");
    if (!s) return DB_ERR;
    db_bind_blob(s, 1, h, sizeof h);
    db_bind_int(s, 2, service_id);
    int r = db_step(s);
    if (r == DB_ROW) *count = (int)db_col_int(s, 0), r = DB_OK;
    db_finish(s);
    return r;
}

/* ---- transitions ---- */

typedef struct {
    int64_t now, id;
    const req_move *m;
    enum wf_err *why;
} move_ctx;

static int move_fn(db_conn *c, void *ud)
{
    move_ctx *x = ud;
    const req_move *m = x->m;
    *x->why = WF_OK;
    db_stmt *s = db_prepare(c, "SELECT status, service_id, unit_id, due_at, paused_since, "
                               "paused_minutes, finished_at FROM requests WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->id);
    int r = db_step(s);
    char status[WF_CODE_MAX] = "";
    int64_t service_id = 0, unit_id = 0, due = CAL_NEVER, paused = 0, paused_min = 0;
    bool finished = false;
    if (r == DB_ROW) {
        str st = db_col_text(s, 0);
        snprintf(status, sizeof status, "%.*s", (int)st.n, st.p ? st.p : "");
        service_id = db_col_int(s, 1);
        unit_id = db_col_int(s, 2);
        if (!db_col_is_null(s, 3)) due = app_parse_iso(db_col_text(s, 3));
        if (!db_col_is_null(s, 4)) paused = app_parse_iso(db_col_text(s, 4));
        paused_min = db_col_int(s, 5);
        finished = !db_col_is_null(s, 6);
    }
    db_finish(s);
    if (r != DB_ROW) return r;
    if (m->expect_from && strcmp(m->expect_from, status) != 0) return REQ_CONFLICT;

    static _Thread_local wf_def wf;
    if ((r = req_workflow(c, service_id, &wf)) != DB_OK) return r;
    bool reason = m->note && *m->note;
    if ((*x->why = wf_check(&wf, status, m->to, m->role, reason)) != WF_OK) return REQ_REFUSED;
    const wf_transition *t = wf_find(&wf, status, m->to);
    const wf_state *target = wf_state_get(&wf, m->to);

    /* the SLA clock: a pause starts now; a resume (or an end while paused) closes the pause,
     * adds its working time and pushes the deadline back by what was left when it began */
    int64_t new_paused = paused;
    if (t->clock == WF_CLOCK_PAUSE && !paused) new_paused = x->now;
    if (paused && (t->clock == WF_CLOCK_RESUME || target->end != WF_END_NONE)) {
        arena *a = arena_new(1 << 14);
        if (!a) return DB_ERR;
        cal_calendar cal;
        r = req_point_calendar(c, a, service_id, unit_id, paused, &cal);
        if (r == DB_OK) {
            paused_min += cal_working_minutes_between(&cal, paused, x->now, NULL, 0);
            if (target->end == WF_END_NONE) due = sla_extend(&cal, due, paused, x->now);
        }
        arena_free(a);
        if (r != DB_OK) return r;
        new_paused = 0;
    }
    bool ends = !finished && target->end != WF_END_NONE;

    char at[21], due_s[21], paused_s[21];
    acct_iso(x->now, at);
    if (due != CAL_NEVER) acct_iso(due, due_s);
    if (new_paused) acct_iso(new_paused, paused_s);
    s = db_prepare(c, "UPDATE requests SET status = $2, due_at = $3, paused_since = $4, "
                      "paused_minutes = $5, updated_at = $6, "
                      "finished_at = CASE WHEN $7 = 1 THEN $6 ELSE finished_at END, "
                      "on_time = CASE WHEN $7 = 1 THEN $8 ELSE on_time END, "
                      "cancelled = CASE WHEN $7 = 1 THEN $9 ELSE cancelled END "
                      "WHERE id = $1 AND status = $10");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->id);
    db_bind_cstr(s, 2, m->to);
    db_bind_cstr(s, 3, due != CAL_NEVER ? due_s : NULL);
    db_bind_cstr(s, 4, new_paused ? paused_s : NULL);
    db_bind_int(s, 5, paused_min);
    db_bind_cstr(s, 6, at);
    db_bind_int(s, 7, ends ? 1 : 0);
    if (ends && target->end == WF_END_DONE && due != CAL_NEVER) db_bind_int(s, 8, x->now <= due);
    else db_bind_null(s, 8);
    db_bind_int(s, 9, target->end == WF_END_CANCEL ? 1 : 0);
    db_bind_cstr(s, 10, status);
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    if (db_changes(c) != 1) return REQ_CONFLICT;
    db_after_commit(c, changed);

    s = db_prepare(c, "INSERT INTO request_events (request_id, from_status, to_status, actor_id, "
                      "actor_role, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->id);
    db_bind_cstr(s, 2, status);
    db_bind_cstr(s, 3, m->to);
    if (m->actor_id) db_bind_int(s, 4, m->actor_id);
    else db_bind_null(s, 4);
    db_bind_cstr(s, 5, wf_role_name(m->role));
    db_bind_cstr(s, 6, reason ? m->note : NULL);
    db_bind_cstr(s, 7, at);
    if ((r = exec_done(s)) != DB_OK) return r;
    /* the audit log records who moved what (the reason stays in the history) */
    char actor[32], object[32], detail[2 * WF_CODE_MAX + 4];
    if (m->actor_id) snprintf(actor, sizeof actor, "user:%lld", (long long)m->actor_id);
    else snprintf(actor, sizeof actor, "system");
    snprintf(object, sizeof object, "request:%lld", (long long)x->id);
    snprintf(detail, sizeof detail, "%s->%s", status, m->to);
    return audit_append(c, x->now, actor, "request.transition", object, detail);
}

int req_transition(db_conn *c, int64_t now, int64_t request_id, const req_move *m, enum wf_err *why)
{
    enum wf_err dummy;
    if (!why) why = &dummy;
    *why = WF_OK;
    if (!m || !m->to) return REQ_INVALID;
    move_ctx x = {now, request_id, m, why};
    return with_tx(c, move_fn, &x);
}

/* ---- claims ---- */

static int claim_state(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM requests WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int r = db_step(s);
    db_finish(s);
    return r == DB_ROW ? REQ_CONFLICT : r;
}

int req_claim(db_conn *c, int64_t now, int64_t request_id, int64_t staff_id)
{
    char at[21];
    acct_iso(now, at);
    /* conditional: of two officers claiming at once, the second finds claimed_by set */
    db_stmt *s = db_prepare(c, "UPDATE requests SET claimed_by = $2, claimed_at = $3, "
                               "updated_at = $3 WHERE id = $1 AND "
                               "(claimed_by IS NULL OR claimed_by = $2)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, request_id);
    db_bind_int(s, 2, staff_id);
    db_bind_cstr(s, 3, at);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    return db_changes(c) == 1 ? DB_OK : claim_state(c, request_id);
}

int req_release(db_conn *c, int64_t request_id, int64_t staff_id)
{
    db_stmt *s = db_prepare(c, "UPDATE requests SET claimed_by = NULL, claimed_at = NULL "
                               "WHERE id = $1 AND claimed_by = $2");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, request_id);
    db_bind_int(s, 2, staff_id);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    return db_changes(c) == 1 ? DB_OK : claim_state(c, request_id);
}

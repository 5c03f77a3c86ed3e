/* requests readers: the tracking view, the full view, the sealed data, a citizen's list and the
 * officers' worklist. */
#include <stdio.h>
#include <string.h>

#include "features/app.h"
#include "features/requests/requests.h"

static const char *col_dup(db_stmt *s, int col, arena *a)
{
    if (db_col_is_null(s, col)) return NULL;
    str v = db_col_text(s, col);
    return arena_strndup(a, v.p ? v.p : "", v.n);
}

static void col_code(db_stmt *s, int col, char out[TRK_LEN + 1])
{
    str v = db_col_text(s, col);
    snprintf(out, TRK_LEN + 1, "%.*s", (int)v.n, v.p ? v.p : "");
}

#define VIEW_COLS                                                                                  \
    "r.id, r.tracking_code, sv.code, sv.name, u.code, u.name, u.tz_offset_min, "                   \
    "r.standard_version, r.time_limit_value, r.time_limit_unit, r.channel, r.delivery, "           \
    "r.status, r.nik_masked, r.kk_masked, r.submitted_at, r.due_at, r.paused_since, "              \
    "r.finished_at, r.paused_minutes, r.on_time, r.cancelled, r.applicant_id, r.filed_by, "        \
    "r.claimed_by, r.claimed_at, cu.name "                                                         \
    "FROM requests r JOIN services sv ON sv.id = r.service_id JOIN units u ON u.id = r.unit_id "   \
    "LEFT JOIN users cu ON cu.id = r.claimed_by "

static void read_view(db_stmt *s, arena *a, req_view *v)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int(s, 0);
    col_code(s, 1, v->code);
    v->service_code = col_dup(s, 2, a);
    v->service_name = col_dup(s, 3, a);
    v->unit_code = col_dup(s, 4, a);
    v->unit_name = col_dup(s, 5, a);
    v->tz_offset_min = (int)db_col_int(s, 6);
    v->standard_version = (int)db_col_int(s, 7);
    v->time_limit_value = (int)db_col_int(s, 8);
    v->time_limit_unit = col_dup(s, 9, a);
    v->channel = col_dup(s, 10, a);
    v->delivery = col_dup(s, 11, a);
    v->status = col_dup(s, 12, a);
    v->nik_masked = col_dup(s, 13, a);
    v->kk_masked = col_dup(s, 14, a);
    v->submitted_at = col_dup(s, 15, a);
    v->due_at = col_dup(s, 16, a);
    v->paused_since = col_dup(s, 17, a);
    v->finished_at = col_dup(s, 18, a);
    v->finished = v->finished_at != NULL;
    v->paused_minutes = db_col_int(s, 19);
    v->on_time = !db_col_is_null(s, 20) && db_col_int(s, 20) != 0;
    v->cancelled = db_col_int(s, 21) != 0;
    v->applicant_id = db_col_is_null(s, 22) ? 0 : db_col_int(s, 22);
    v->filed_by = db_col_is_null(s, 23) ? 0 : db_col_int(s, 23);
    v->claimed_by = db_col_is_null(s, 24) ? 0 : db_col_int(s, 24);
    v->claimed_at = col_dup(s, 25, a);
    v->claimed_by_name = col_dup(s, 26, a);
}

static int load_events(db_conn *c, arena *a, req_view *v, bool full)
{
    db_stmt *s = db_prepare(c, "SELECT from_status, to_status, actor_role, actor_id, note, at "
                               "FROM request_events WHERE request_id = $1 ORDER BY id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, v->id);
    size_t cap = 8;
    v->events = arena_alloc(a, cap * sizeof *v->events);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (v->nevents == cap) {
            req_event *bigger = arena_alloc(a, 2 * cap * sizeof *bigger);
            memcpy(bigger, v->events, cap * sizeof *bigger);
            v->events = bigger;
            cap *= 2;
        }
        req_event *e = &v->events[v->nevents++];
        e->from = col_dup(s, 0, a);
        e->to = col_dup(s, 1, a);
        e->role = col_dup(s, 2, a);
        e->actor_id = full && !db_col_is_null(s, 3) ? db_col_int(s, 3) : 0;
        e->note = full ? col_dup(s, 4, a) : NULL;
        e->at = col_dup(s, 5, a);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int req_by_code(db_conn *c, arena *a, const char *code, req_view *out)
{
    memset(out, 0, sizeof *out);
    char canon[TRK_LEN + 1];
    if (!code || !trk_parse(code, strlen(code), canon)) return DB_DONE;
    db_stmt *s = db_prepare(c, "SELECT " VIEW_COLS "WHERE r.tracking_code = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, canon);
    int r = db_step(s);
    if (r == DB_ROW) read_view(s, a, out);
    db_finish(s);
    if (r != DB_ROW) return r;
    /* the public page says where it stands, not who handles it */
    out->claimed_by = 0;
    out->claimed_at = out->claimed_by_name = NULL;
    out->applicant_id = out->filed_by = 0;
    out->kk_masked = NULL;
    return load_events(c, a, out, false);
}

int req_get(db_conn *c, arena *a, int64_t id, req_view *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(c, "SELECT " VIEW_COLS "WHERE r.id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW) read_view(s, a, out);
    db_finish(s);
    if (r != DB_ROW) return r;
    return load_events(c, a, out, true);
}

static const char *open_col(db_stmt *s, int col, const cr_keys *k, arena *a)
{
    size_t n;
    const void *p = db_col_blob(s, col, &n);
    if (!p || n <= CR_SEAL_OVERHEAD) return NULL;
    unsigned char *out = arena_alloc(a, n);
    long m = cr_open(k, p, n, out, n);
    if (m < 0) return NULL;
    out[m] = 0;
    return (const char *)out;
}

int req_private(db_conn *c, const cr_keys *k, arena *a, int64_t id, req_private_data *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(c, "SELECT nik_enc, kk_enc, name_enc, phone_enc, address_enc, "
                               "form_enc FROM requests WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW) {
        out->nik = open_col(s, 0, k, a);
        out->kk = open_col(s, 1, k, a);
        out->name = open_col(s, 2, k, a);
        out->phone = open_col(s, 3, k, a);
        out->address = open_col(s, 4, k, a);
        out->form_json = open_col(s, 5, k, a);
        r = DB_OK;
    }
    db_finish(s);
    return r;
}

/* ---- lists ---- */

#define SUMMARY_COLS                                                                               \
    "r.id, r.tracking_code, sv.code, sv.name, u.code, u.name, r.status, r.channel, r.delivery, "   \
    "r.nik_masked, r.submitted_at, r.due_at, r.claimed_by, cu.name, r.paused_since, "              \
    "u.tz_offset_min, r.finished_at "                                                              \
    "FROM requests r JOIN services sv ON sv.id = r.service_id JOIN units u ON u.id = r.unit_id "   \
    "LEFT JOIN users cu ON cu.id = r.claimed_by "

static enum req_bucket bucket_of(db_stmt *s, int64_t now)
{
    if (!db_col_is_null(s, 16)) return REQ_NO_DEADLINE;
    if (!db_col_is_null(s, 14)) return REQ_WAITING;
    if (db_col_is_null(s, 11)) return REQ_NO_DEADLINE;
    int64_t due = app_parse_iso(db_col_text(s, 11));
    if (due < now) return REQ_OVERDUE;
    int64_t off = db_col_int(s, 15) * 60;
    int64_t today = (now + off) / 86400 - ((now + off) % 86400 < 0);
    int64_t dday = (due + off) / 86400 - ((due + off) % 86400 < 0);
    return dday == today ? REQ_DUE_TODAY : REQ_DUE_LATER;
}

static int read_summaries(db_stmt *s, arena *a, int64_t now, req_summary **out, size_t *n)
{
    size_t cap = 16;
    *n = 0;
    *out = arena_alloc(a, cap * sizeof **out);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            req_summary *bigger = arena_alloc(a, 2 * cap * sizeof *bigger);
            memcpy(bigger, *out, cap * sizeof *bigger);
            *out = bigger;
            cap *= 2;
        }
        req_summary *q = &(*out)[(*n)++];
        memset(q, 0, sizeof *q);
        q->id = db_col_int(s, 0);
        col_code(s, 1, q->code);
        q->service_code = col_dup(s, 2, a);
        q->service_name = col_dup(s, 3, a);
        q->unit_code = col_dup(s, 4, a);
        q->unit_name = col_dup(s, 5, a);
        q->status = col_dup(s, 6, a);
        q->channel = col_dup(s, 7, a);
        q->delivery = col_dup(s, 8, a);
        q->nik_masked = col_dup(s, 9, a);
        q->submitted_at = col_dup(s, 10, a);
        q->due_at = col_dup(s, 11, a);
        q->claimed_by = db_col_is_null(s, 12) ? 0 : db_col_int(s, 12);
        q->claimed_by_name = col_dup(s, 13, a);
        q->bucket = bucket_of(s, now);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int req_list_mine(db_conn *c, arena *a, int64_t applicant_id, int limit, int offset,
                  req_summary **out, size_t *n)
{
    db_stmt *s = db_prepare(c, "SELECT " SUMMARY_COLS "WHERE r.applicant_id = $1 "
                               "ORDER BY r.submitted_at DESC, r.id DESC LIMIT $2 OFFSET $3");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, applicant_id);
    db_bind_int(s, 2, limit > 0 ? limit : 50);
    db_bind_int(s, 3, offset > 0 ? offset : 0);
    return read_summaries(s, a, 0, out, n);
}

int req_worklist(db_conn *c, arena *a, const req_worklist_filter *f, req_summary **out, size_t *n)
{
    /* scope: the unit and everything below it. Open: not in a terminal state of the default
     * workflow (per-service workflows use the same end states, see requests.md) */
    const wf_def *wf = wf_default();
    char sql[2048], terms[512] = "";
    size_t tl = 0;
    int p = 7;
    for (int i = 0; i < wf->nstates; i++) {
        if (!wf->states[i].terminal) continue;
        int w = snprintf(terms + tl, sizeof terms - tl, "%s$%d", tl ? ", " : "", p++);
        if (w < 0 || (size_t)w >= sizeof terms - tl) return DB_ERR;
        tl += (size_t)w;
    }
    int w = snprintf(
        sql, sizeof sql,
        "WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE id = $1 UNION ALL "
        "SELECT u.id FROM units u JOIN scope ON u.parent_id = scope.id) "
        "SELECT " SUMMARY_COLS "WHERE r.unit_id IN (SELECT id FROM scope) "
        "AND ($2 = 0 OR r.service_id = $2) AND ($3 = '' OR r.status = $3) "
        "AND ($4 = 0 OR ($4 > 0 AND r.claimed_by = $4) OR ($4 < 0 AND r.claimed_by IS NULL)) "
        "%s%s%s"
        "ORDER BY CASE WHEN r.finished_at IS NOT NULL THEN 2 WHEN r.paused_since IS NOT NULL "
        "THEN 1 ELSE 0 END, CASE WHEN r.due_at IS NULL THEN 1 ELSE 0 END, r.due_at, r.id "
        "LIMIT $5 OFFSET $6",
        tl ? "AND r.status NOT IN (" : "", terms, tl ? ") " : "");
    if (w < 0 || (size_t)w >= sizeof sql) return DB_ERR;
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_int(s, 1, f->unit_id);
    db_bind_int(s, 2, f->service_id);
    db_bind_cstr(s, 3, f->status ? f->status : "");
    db_bind_int(s, 4, f->claimed_by);
    db_bind_int(s, 5, f->limit > 0 ? f->limit : 100);
    db_bind_int(s, 6, f->offset > 0 ? f->offset : 0);
    p = 7;
    for (int i = 0; i < wf->nstates; i++)
        if (wf->states[i].terminal) db_bind_cstr(s, p++, wf->states[i].code);
    return read_summaries(s, a, f->now, out, n);
}

/* requests catalog: what filing and moving a request read from the catalogue, kept per node
 * (lib/memo). A filing used to read the point's time limit, the unit, its hours, three years of
 * holidays, the service's hours at the point, the standard in force and the workflow: nine round
 * trips inside its transaction, which is what limited durable submissions on PostgreSQL.
 *
 * Every value carries the catalogue generation (svc_api_generation): a catalogue write on this
 * node (services, standards, points and their hours, units and their hours, holidays, workflows)
 * bumps it after its commit and the next filing reads the rows again. Other nodes follow within
 * REQ_CATALOG_TTL_MS, the same promise the catalogue API makes (docs/architecture.md). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "features/requests/catalog.h"
#include "features/requests/machine.h"
#include "features/services/api.h"
#include "features/units/units.h"
#include "lib/memo.h"

static memo *cal_memo, *wf_memo, *point_memo, *std_memo, *view_memo, *where_memo;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
    /* a calendar holds ~3 years of holidays (~1.5 KiB); a workflow ~4.5 KiB */
    cal_memo = memo_new(2048, REQ_CATALOG_TTL_MS, 4096);
    wf_memo = memo_new(512, REQ_CATALOG_TTL_MS, sizeof(wf_def) + 256);
    point_memo = memo_new(4096, REQ_CATALOG_TTL_MS, 256);
    std_memo = memo_new(1024, REQ_CATALOG_TTL_MS, 256);
    /* a service with its standard and form fields: a few KiB of text */
    view_memo = memo_new(512, REQ_CATALOG_TTL_MS, 8192);
    where_memo = memo_new(4096, REQ_CATALOG_TTL_MS, 256);
}

static memo *get(memo **m)
{
    pthread_once(&once, init);
    return *m;
}

/* ---- the calendar of a service point ---- */

static int calendar_load(db_conn *c, arena *a, int64_t service_id, int64_t unit_id, int64_t at,
                         cal_calendar *out)
{
    db_stmt *s = db_prepare(c, "SELECT code FROM units WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    int r = db_step(s);
    char code[64] = "";
    if (r == DB_ROW) {
        str v = db_col_text(s, 0);
        snprintf(code, sizeof code, "%.*s", (int)v.n, v.p ? v.p : "");
    }
    db_finish(s);
    if (r != DB_ROW) return r;
    unit u;
    if ((r = units_get(c, a, str_c(code), &u)) != DB_OK) return r;
    /* holidays from a year before to two years after: pauses and long limits stay inside */
    char from[11], to[11];
    int64_t day = at / 86400;
    if (!cal_date_format(cal_civil_from_days(day - 366), from, sizeof from) ||
        !cal_date_format(cal_civil_from_days(day + 731), to, sizeof to))
        return DB_ERR;
    if ((r = units_calendar(c, a, &u, from, to, out)) != DB_OK) return r;
    /* the service's own hours at the point replace the unit's (no breaks) */
    s = db_prepare(c, "SELECT weekday, opens_min, closes_min FROM service_point_hours "
                      "WHERE service_id = $1 AND unit_id = $2");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    db_bind_int(s, 2, unit_id);
    bool own = false;
    cal_hours h[7] = {{0}};
    while ((r = db_step(s)) == DB_ROW) {
        int w = (int)(db_col_int(s, 0) % 7);
        own = true;
        h[w] = (cal_hours){true, (int)db_col_int(s, 1), (int)db_col_int(s, 2), 0, 0};
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    if (own) {
        memcpy(out->hours, h, sizeof h);
    } else if (u.nhours == 0) {
        /* no hours recorded is not "closed every day": the engine's Monday-Friday 08:00-16:00 */
        cal_calendar def;
        cal_init(&def, u.tz_offset_min);
        memcpy(out->hours, def.hours, sizeof def.hours);
    }
    return DB_OK;
}

typedef struct {
    db_conn *c;
    int64_t service_id, unit_id, at;
} cal_ud;

static int cal_fill(arena *a, void *ud, const void **value)
{
    cal_ud *x = ud;
    cal_calendar *cal = arena_alloc(a, sizeof *cal);
    if (!cal) return DB_ERR;
    int r = calendar_load(x->c, a, x->service_id, x->unit_id, x->at, cal);
    *value = cal;
    return r;
}

int req_point_calendar(db_conn *c, arena *a, int64_t service_id, int64_t unit_id, int64_t at,
                       cal_calendar *out)
{
    /* the holiday window moves with the day: one value per point and UTC day */
    char key[80];
    snprintf(key, sizeof key, "%lld|%lld|%lld", (long long)service_id, (long long)unit_id,
             (long long)(at / 86400));
    cal_ud x = {c, service_id, unit_id, at};
    const void *v;
    memo_ref *ref;
    int r = memo_get(get(&cal_memo), key, svc_api_generation(), cal_fill, &x, &v, &ref);
    if (r != 0) return r;
    const cal_calendar *cal = v;
    *out = *cal;
    if (cal->nholidays) {
        out->holidays = arena_memdup(a, cal->holidays, cal->nholidays * sizeof *cal->holidays);
        if (!out->holidays) r = DB_ERR;
    }
    memo_release(ref);
    return r;
}

/* ---- per-service workflows ---- */

typedef struct {
    db_conn *c;
    int64_t service_id;
} svc_ud;

static int wf_fill(arena *a, void *ud, const void **value)
{
    svc_ud *x = ud;
    wf_def *d = arena_alloc(a, sizeof *d);
    if (!d) return DB_ERR;
    db_stmt *s =
        db_prepare(x->c, "SELECT definition FROM service_workflows WHERE service_id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->service_id);
    int r = db_step(s);
    if (r == DB_ROW) {
        str j = db_col_text(s, 0);
        /* stored only after wf_parse accepted it; a definition that no longer parses (a newer
         * rule) falls back to the default rather than blocking every request */
        if (wf_parse(j.p ? j.p : "", j.n, d, NULL, 0) != WF_OK) *d = *wf_default();
        r = DB_OK;
    } else if (r == DB_DONE) {
        *d = *wf_default();
        r = DB_OK;
    }
    db_finish(s);
    *value = d;
    return r;
}

int req_workflow(db_conn *c, int64_t service_id, wf_def *out)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)service_id);
    svc_ud x = {c, service_id};
    const void *v;
    memo_ref *ref;
    int r = memo_get(get(&wf_memo), key, svc_api_generation(), wf_fill, &x, &v, &ref);
    if (r != 0) return r;
    memcpy(out, v, sizeof *out);
    memo_release(ref);
    return DB_OK;
}

/* ---- the time limit: the point's own, and the standard's in force on a date ---- */

typedef struct {
    db_conn *c;
    int64_t service_id, unit_id;
    const char *date;
} lim_ud;

static void copy_unit(str u, char tl_unit[8])
{
    snprintf(tl_unit, 8, "%.*s", (int)(u.n < 7 ? u.n : 7), u.p ? u.p : "");
}

static int point_fill(arena *a, void *ud, const void **value)
{
    lim_ud *x = ud;
    req_limit *l = arena_alloc(a, sizeof *l);
    if (!l) return DB_ERR;
    memset(l, 0, sizeof *l);
    db_stmt *s = db_prepare(x->c, "SELECT time_limit_value, time_limit_unit, active FROM "
                                  "service_points WHERE service_id = $1 AND unit_id = $2");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->service_id);
    db_bind_int(s, 2, x->unit_id);
    int r = db_step(s);
    if (r == DB_ROW) {
        l->found = db_col_int(s, 2) != 0; /* offered and turned on */
        l->value = db_col_is_null(s, 0) ? 0 : (int)db_col_int(s, 0);
        copy_unit(db_col_text(s, 1), l->unit);
        r = DB_OK;
    } else if (r == DB_DONE) {
        r = DB_OK; /* not offered there: found stays false */
    }
    db_finish(s);
    *value = l;
    return r;
}

static int std_fill(arena *a, void *ud, const void **value)
{
    lim_ud *x = ud;
    req_limit *l = arena_alloc(a, sizeof *l);
    if (!l) return DB_ERR;
    memset(l, 0, sizeof *l);
    db_stmt *s = db_prepare(x->c, "SELECT version, time_limit_value, time_limit_unit FROM "
                                  "standards WHERE service_id = $1 AND effective_from <= $2 "
                                  "ORDER BY version DESC LIMIT 1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->service_id);
    db_bind_cstr(s, 2, x->date);
    int r = db_step(s);
    if (r == DB_ROW) {
        l->found = true;
        l->version = (int)db_col_int(s, 0);
        l->value = (int)db_col_int(s, 1);
        copy_unit(db_col_text(s, 2), l->unit);
        r = DB_OK;
    } else if (r == DB_DONE) {
        r = DB_OK; /* no standard in force yet: found stays false */
    }
    db_finish(s);
    *value = l;
    return r;
}

static int limit_get(memo *m, const char *key, memo_fill_fn fill, lim_ud *x, req_limit *out)
{
    const void *v;
    memo_ref *ref;
    int r = memo_get(m, key, svc_api_generation(), fill, x, &v, &ref);
    if (r != 0) return r;
    *out = *(const req_limit *)v;
    memo_release(ref);
    return DB_OK;
}

int req_point_limit(db_conn *c, int64_t service_id, int64_t unit_id, req_limit *out)
{
    char key[48];
    snprintf(key, sizeof key, "%lld|%lld", (long long)service_id, (long long)unit_id);
    lim_ud x = {c, service_id, unit_id, NULL};
    return limit_get(get(&point_memo), key, point_fill, &x, out);
}

int req_standard_limit(db_conn *c, int64_t service_id, const char *date, req_limit *out)
{
    char key[48];
    snprintf(key, sizeof key, "%lld|%.10s", (long long)service_id, date);
    lim_ud x = {c, service_id, 0, date};
    return limit_get(get(&std_memo), key, std_fill, &x, out);
}

/* ---- what the machine interfaces check a filing against ---- */

typedef struct {
    db_conn *c;
    const char *code, *date;
} view_ud;

static int view_fill(arena *a, void *ud, const void **value)
{
    view_ud *x = ud;
    req_service_view *v = arena_alloc(a, sizeof *v);
    if (!v) return DB_ERR;
    memset(v, 0, sizeof *v);
    int r = svc_get(x->c, a, str_c(x->code), &v->sv);
    if (r == DB_OK && !v->sv.active) r = DB_DONE;
    if (r == DB_OK) {
        int s = svc_standard_at(x->c, a, v->sv.id, x->date, &v->st);
        if (s == DB_OK) v->has_std = true;
        else if (s != DB_DONE) r = s;
    }
    if (r == DB_OK) r = svc_fields(x->c, a, v->sv.id, &v->fs, &v->nf);
    if (r != DB_OK && r != DB_DONE) return r; /* an error is not remembered */
    v->found = r == DB_OK;
    *value = v;
    return DB_OK;
}

int req_service_view_get(db_conn *c, const char *code, const char *date,
                         const req_service_view **out, memo_ref **ref)
{
    if (strlen(code) > 64) return DB_DONE;
    char key[96];
    snprintf(key, sizeof key, "%s|%.10s", code, date);
    view_ud x = {c, code, date};
    const void *v;
    int r = memo_get(get(&view_memo), key, svc_api_generation(), view_fill, &x, &v, ref);
    if (r != 0) return r;
    *out = v;
    return DB_OK;
}

typedef struct {
    db_conn *c;
    int64_t service_id, scope_unit;
    const char *unit_code;
} where_ud;

typedef struct {
    int r; /* DB_OK or DB_DONE */
    int64_t unit_id;
    int tz_offset_min;
} where_val;

static int where_fill(arena *a, void *ud, const void **value)
{
    where_ud *x = ud;
    where_val *w = arena_alloc(a, sizeof *w);
    if (!w) return DB_ERR;
    memset(w, 0, sizeof *w);
    w->r = reqm_point(x->c, x->service_id, x->scope_unit, x->unit_code, &w->unit_id,
                      &w->tz_offset_min);
    if (w->r != DB_OK && w->r != DB_DONE) return w->r;
    *value = w;
    return DB_OK;
}

int req_point_cached(db_conn *c, int64_t service_id, int64_t scope_unit, const char *unit_code,
                     int64_t *unit_id, int *tz_offset_min)
{
    const char *uc = unit_code ? unit_code : "";
    if (strlen(uc) > 64) return DB_DONE;
    char key[128];
    snprintf(key, sizeof key, "%lld|%lld|%s", (long long)service_id, (long long)scope_unit, uc);
    where_ud x = {c, service_id, scope_unit, uc};
    const void *v;
    memo_ref *ref;
    int r = memo_get(get(&where_memo), key, svc_api_generation(), where_fill, &x, &v, &ref);
    if (r != 0) return r;
    const where_val *w = v;
    *unit_id = w->unit_id;
    *tz_offset_min = w->tz_offset_min;
    r = w->r;
    memo_release(ref);
    return r;
}

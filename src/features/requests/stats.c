/* requests statistics: per service point, the share finished on time, the median and 90th
 * percentile of the working time taken (core/sla on each point's calendar, pauses left out), and
 * what is open, overdue or waiting for the citizen now. */
#include <stdio.h>
#include <string.h>

#include "core/sla.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/requests/requests.h"

#define SCOPE_CTE                                                                                  \
    "WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE id = $1 UNION ALL "                   \
    "SELECT u.id FROM units u JOIN scope ON u.parent_id = scope.id) "

typedef struct {
    int64_t service_id, unit_id;
    cal_calendar cal;
} cal_entry;

typedef struct {
    req_stats st;
    int tz;
    int64_t *durations;
    size_t ndur, capdur;
} unit_acc;

static unit_acc *find_unit(unit_acc *u, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (u[i].st.unit_id == id) return &u[i];
    return NULL;
}

static const cal_calendar *calendar_for(db_conn *c, arena *a, cal_entry **cache, size_t *n,
                                        size_t *cap, int64_t service_id, int64_t unit_id,
                                        int64_t at)
{
    for (size_t i = 0; i < *n; i++)
        if ((*cache)[i].service_id == service_id && (*cache)[i].unit_id == unit_id)
            return &(*cache)[i].cal;
    if (*n == *cap) {
        cal_entry *bigger = arena_alloc(a, 2 * *cap * sizeof *bigger);
        memcpy(bigger, *cache, *cap * sizeof *bigger);
        *cache = bigger;
        *cap *= 2;
    }
    cal_entry *e = &(*cache)[*n];
    if (req_point_calendar(c, a, service_id, unit_id, at, &e->cal) != DB_OK) return NULL;
    e->service_id = service_id;
    e->unit_id = unit_id;
    (*n)++;
    return &e->cal;
}

static int load_units(db_conn *c, arena *a, int64_t root, unit_acc **out, size_t *n)
{
    db_stmt *s = db_prepare(c, SCOPE_CTE "SELECT u.id, u.code, u.name, u.tz_offset_min FROM "
                                         "units u WHERE u.id IN (SELECT id FROM scope) AND "
                                         "EXISTS (SELECT 1 FROM requests r WHERE r.unit_id = u.id) "
                                         "ORDER BY u.name, u.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, root);
    size_t cap = 16;
    *n = 0;
    *out = arena_alloc(a, cap * sizeof **out);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            unit_acc *bigger = arena_alloc(a, 2 * cap * sizeof *bigger);
            memcpy(bigger, *out, cap * sizeof *bigger);
            *out = bigger;
            cap *= 2;
        }
        unit_acc *u = &(*out)[(*n)++];
        memset(u, 0, sizeof *u);
        u->st.unit_id = db_col_int(s, 0);
        str code = db_col_text(s, 1), name = db_col_text(s, 2);
        u->st.unit_code = arena_strndup(a, code.p ? code.p : "", code.n);
        u->st.unit_name = arena_strndup(a, name.p ? name.p : "", name.n);
        u->tz = (int)db_col_int(s, 3);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

/* local date of an instant at a time zone, as YYYY-MM-DD */
static void local_date(int64_t t, int tz, char out[11])
{
    int64_t x = t + (int64_t)tz * 60;
    int64_t day = x / 86400 - (x % 86400 < 0);
    if (!cal_date_format(cal_civil_from_days(day), out, 11)) out[0] = 0;
}

static int add_finished(db_conn *c, arena *a, int64_t root, const char *from, const char *to,
                        unit_acc *units, size_t nunits)
{
    cal_date f, t;
    if (!cal_date_parse(from, strlen(from), &f) || !cal_date_parse(to, strlen(to), &t))
        return DB_ERR;
    /* widen by a day each side in UTC, then keep what falls in [from, to) at the unit's zone */
    char lo[21], hi[21];
    acct_iso(cal_days_from_civil(f.y, f.m, f.d) * 86400 - 86400, lo);
    acct_iso(cal_days_from_civil(t.y, t.m, t.d) * 86400 + 86400, hi);
    db_stmt *s = db_prepare(c, SCOPE_CTE "SELECT r.unit_id, r.service_id, r.submitted_at, "
                                         "r.finished_at, r.paused_minutes, r.on_time FROM "
                                         "requests r WHERE r.unit_id IN (SELECT id FROM scope) "
                                         "AND r.finished_at IS NOT NULL AND r.cancelled = 0 AND "
                                         "r.finished_at >= $2 AND r.finished_at < $3");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, root);
    db_bind_cstr(s, 2, lo);
    db_bind_cstr(s, 3, hi);
    size_t ncache = 0, capcache = 8;
    cal_entry *cache = arena_alloc(a, capcache * sizeof *cache);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        unit_acc *u = find_unit(units, nunits, db_col_int(s, 0));
        if (!u) continue;
        int64_t sub = app_parse_iso(db_col_text(s, 2)), fin = app_parse_iso(db_col_text(s, 3));
        char d[11];
        local_date(fin, u->tz, d);
        if (sub < 0 || fin < 0 || strcmp(d, from) < 0 || strcmp(d, to) >= 0) continue;
        const cal_calendar *cal =
            calendar_for(c, a, &cache, &ncache, &capcache, db_col_int(s, 1), u->st.unit_id, sub);
        if (!cal) {
            r = DB_ERR;
            break;
        }
        int64_t dur = sla_duration(cal, sub, fin, NULL, 0) - db_col_int(s, 4);
        if (dur < 0) dur = 0;
        if (u->ndur == u->capdur) {
            size_t nc = u->capdur ? 2 * u->capdur : 32;
            int64_t *bigger = arena_alloc(a, nc * sizeof *bigger);
            if (u->ndur) memcpy(bigger, u->durations, u->ndur * sizeof *bigger);
            u->durations = bigger;
            u->capdur = nc;
        }
        u->durations[u->ndur++] = dur;
        u->st.finished++;
        if (!db_col_is_null(s, 5) && db_col_int(s, 5)) u->st.on_time++;
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

static int add_open(db_conn *c, int64_t root, int64_t now, unit_acc *units, size_t nunits)
{
    char at[21];
    acct_iso(now, at);
    db_stmt *s = db_prepare(
        c, SCOPE_CTE "SELECT r.unit_id, COUNT(*), "
                     "SUM(CASE WHEN r.paused_since IS NULL AND r.due_at < $2 THEN 1 ELSE 0 END), "
                     "SUM(CASE WHEN r.paused_since IS NOT NULL THEN 1 ELSE 0 END) "
                     "FROM requests r WHERE r.unit_id IN (SELECT id FROM scope) AND "
                     "r.finished_at IS NULL GROUP BY r.unit_id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, root);
    db_bind_cstr(s, 2, at);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        unit_acc *u = find_unit(units, nunits, db_col_int(s, 0));
        if (!u) continue;
        u->st.open = (int)db_col_int(s, 1);
        u->st.overdue_now = (int)db_col_int(s, 2);
        u->st.waiting = (int)db_col_int(s, 3);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int req_stats_units(db_conn *c, arena *a, int64_t root_unit_id, const char *from, const char *to,
                    int64_t now, req_stats **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    unit_acc *units;
    size_t nunits;
    int r = load_units(c, a, root_unit_id, &units, &nunits);
    if (r == DB_OK) r = add_finished(c, a, root_unit_id, from, to, units, nunits);
    if (r == DB_OK) r = add_open(c, root_unit_id, now, units, nunits);
    if (r != DB_OK) return r;
    *out = arena_alloc(a, (nunits + 1) * sizeof **out);
    for (size_t i = 0; i < nunits; i++) {
        unit_acc *u = &units[i];
        if (u->st.finished) {
            u->st.share_on_time = (double)u->st.on_time / u->st.finished;
            u->st.median_min = sla_percentile(u->durations, u->ndur, 50);
            u->st.p90_min = sla_percentile(u->durations, u->ndur, 90);
        }
        (*out)[(*n)++] = u->st;
    }
    return DB_OK;
}

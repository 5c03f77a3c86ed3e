/* services pages: the public catalogue. /layanan lists services (search, life event, service
 * point); /layanan/{code} shows the standard in force with what to bring, the procedure, the
 * time limit with the expected date, the cost, the maklumat and where it is offered;
 * /layanan/{code}/versi lists every version and answers "what was in force on date D";
 * /layanan/{code}/versi/{version} shows an old version. */
#include <string.h>

#include "features/app.h"
#include "features/services/view.h"
#include "features/services/web.h"
#include "features/units/units.h"
#include "features/units/view.h"

const http_param_spec svc_list_params[] = {{"q", HP_STR, 0, 100, false},
                                           {"peristiwa", HP_CODE, 0, 40, false},
                                           {"unit", HP_CODE, 0, 40, false},
                                           {0}};
const http_param_spec svc_one_params[] = {{"code", HP_CODE, 1, 40, true}, {0}};
const http_param_spec svc_versions_params[] = {
    {"code", HP_CODE, 1, 40, true}, {"pada", HP_STR, 0, 10, false}, {0}};
const http_param_spec svc_version_params[] = {
    {"code", HP_CODE, 1, 40, true}, {"version", HP_INT, 1, 100000, true}, {0}};

int svc_page_list(http_req *rq)
{
    app *a = app_of(rq);
    str q = str_trim(http_param(rq, "q"));
    const char *event = http_param_c(rq, "peristiwa");
    const char *unit_code = http_param_c(rq, "unit");
    json_t *ctx = json_object();
    json_object_set_new(ctx, "q", json_stringn(q.p ? q.p : "", q.n));
    if (event && *event && !svc_event_known(str_c(event))) event = NULL;
    if (event && !*event) event = NULL;
    if (unit_code && !*unit_code) unit_code = NULL;
    db_conn *c = db_acquire(a->db);
    if (!c) {
        json_decref(ctx);
        return 503;
    }
    svc_filter f = {
        .q = q.n ? arena_strndup(rq->a, q.p, q.n) : NULL, .event = event, .unit = unit_code};
    service *ss;
    size_t n;
    unit *us;
    size_t nu;
    int r = svc_list(c, rq->a, &f, &ss, &n);
    if (r == DB_OK) r = units_list(c, rq->a, &us, &nu);
    db_release(c);
    if (r != DB_OK) {
        json_decref(ctx);
        return 503;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, svc_view_service(rq, &ss[i]));
    json_object_set_new(ctx, "services", list);
    json_object_set_new(ctx, "nservices", json_integer((json_int_t)n));
    json_t *evs = json_array();
    for (int i = 0; svc_events[i]; i++) {
        bool cur = event && strcmp(event, svc_events[i]) == 0;
        json_array_append_new(evs, json_pack("{s:s,s:s,s:b}", "code", svc_events[i], "label",
                                             svc_event_label(rq, svc_events[i]), "current", cur));
        if (cur)
            json_object_set_new(ctx, "event_label",
                                json_string(svc_event_label(rq, svc_events[i])));
    }
    json_object_set_new(ctx, "events", evs);
    json_t *units = json_array();
    for (size_t i = 0; i < nu; i++) {
        if (strcmp(us[i].type, "pemda") == 0) continue;
        bool sel = unit_code && strcmp(unit_code, us[i].code) == 0;
        json_array_append_new(units, json_pack("{s:s,s:s,s:b}", "code", us[i].code, "name",
                                               us[i].name, "selected", sel));
        if (sel) json_object_set_new(ctx, "unit_name", json_string(us[i].name));
    }
    json_object_set_new(ctx, "units", units);
    if (event) json_object_set_new(ctx, "event", json_string(event));
    json_object_set_new(ctx, "filtered", json_boolean(q.n || event || unit_code));
    return http_page(rq, 200, "services/list", ctx);
}

/* the expected completion if applied now at the main office: "Selasa, 24 November 2026" */
static void expected(http_req *rq, db_conn *c, const svc_standard *st, json_t *o)
{
    unit u;
    if (units_get(c, rq->a, str_c("disdukcapil"), &u) != DB_OK) return;
    int64_t now = app_now();
    cal_calendar cal;
    cal_init(&cal, u.tz_offset_min);
    int64_t d0 = cal_local_day(&cal, now);
    char from[16], to[16];
    cal_date_format(cal_civil_from_days(d0 - 1), from, sizeof from);
    cal_date_format(cal_civil_from_days(d0 + 120), to, sizeof to);
    if (units_calendar(c, rq->a, &u, from, to, &cal) != DB_OK) return;
    bool hours = strcmp(st->time_limit_unit, "hours") == 0;
    int64_t due = hours ? cal_add_working_minutes(&cal, now, (int64_t)st->time_limit_value * 60)
                        : cal_add_working_days(&cal, now, st->time_limit_value);
    if (due == CAL_NEVER) return;
    if (hours) {
        json_object_set_new(o, "expected", json_string(app_fmt_time(rq, due)));
        return;
    }
    char ymd[16];
    cal_date_format(cal_civil_from_days(cal_local_day(&cal, due)), ymd, sizeof ymd);
    json_object_set_new(o, "expected", json_string(app_fmt_date(rq, ymd)));
}

static json_t *points_json(http_req *rq, db_conn *c, const service *s, const svc_standard *st)
{
    svc_point *ps;
    size_t n;
    json_t *arr = json_array();
    unit *us;
    size_t nu;
    if (svc_points(c, rq->a, s->id, &ps, &n) != DB_OK) return arr;
    if (units_list(c, rq->a, &us, &nu) != DB_OK) nu = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s,s:s,s:s}", "code", ps[i].unit_code, "name", ps[i].unit_name,
                              "url", arena_printf(rq->a, "/unit/%s", ps[i].unit_code));
        if (ps[i].time_limit_value > 0 && st &&
            (ps[i].time_limit_value != st->time_limit_value ||
             strcmp(ps[i].time_limit_unit, st->time_limit_unit) != 0)) {
            json_object_set_new(o, "time_value", json_integer(ps[i].time_limit_value));
            json_object_set_new(o, "time_hours",
                                json_boolean(strcmp(ps[i].time_limit_unit, "hours") == 0));
        }
        if (ps[i].note) json_object_set_new(o, "note", json_string(ps[i].note));
        const unit *u = NULL;
        for (size_t j = 0; j < nu && !u; j++)
            if (strcmp(us[j].code, ps[i].unit_code) == 0) u = &us[j];
        unit own; /* the service's own hours at this point, when it has them */
        if (u && ps[i].nhours > 0) {
            own = *u;
            own.nhours = ps[i].nhours;
            for (int h = 0; h < ps[i].nhours; h++)
                own.hours[h] = (unit_hours){ps[i].hours[h].weekday, ps[i].hours[h].opens_min,
                                            ps[i].hours[h].closes_min, -1, -1};
            u = &own;
            json_object_set_new(o, "own_hours", json_true());
        }
        if (u) {
            json_t *uv = units_view_page(rq, u);
            json_t *h = json_object_get(uv, "hours");
            if (h) json_object_set(o, "hours", h);
            json_t *tz = json_object_get(uv, "tz");
            if (tz) json_object_set(o, "tz", tz);
            json_decref(uv);
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

/* the page of one service with the given standard version (0 = the one in force today) */
static int service_page(http_req *rq, int version)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service s;
    svc_standard st, cur;
    char td[16];
    app_today(rq, td, sizeof td);
    int st_r = DB_DONE, r = svc_get(c, rq->a, http_param(rq, "code"), &s);
    if (r == DB_OK && !s.active) r = DB_DONE;
    if (r == DB_OK) {
        st_r = svc_standard_at(c, rq->a, s.id, td, &cur);
        if (st_r != DB_OK && st_r != DB_DONE) r = st_r;
    }
    if (r == DB_OK && version > 0) {
        r = svc_standard_version(c, rq->a, s.id, version, &st);
    } else if (r == DB_OK) {
        st = cur;
    }
    if (r == DB_OK && version == 0 && st_r == DB_DONE) r = DB_DONE;
    if (r != DB_OK) {
        db_release(c);
        return r == DB_DONE ? 404 : 503;
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "service", svc_view_service(rq, &s));
    json_t *sv = svc_view_standard(rq, &s, &st);
    bool in_force = st_r == DB_OK && cur.version == st.version;
    json_object_set_new(sv, "in_force", json_boolean(in_force));
    if (!in_force) {
        json_object_set_new(ctx, "old_version", json_true());
        if (st_r == DB_OK) json_object_set_new(ctx, "current_version", json_integer(cur.version));
        if (strcmp(st.effective_from, td) > 0) json_object_set_new(ctx, "future", json_true());
    } else {
        expected(rq, c, &st, sv);
    }
    json_object_set_new(ctx, "standard", sv);
    svc_maklumat mk;
    if (svc_maklumat_current(c, rq->a, s.owner_code, &mk) == DB_OK)
        json_object_set_new(ctx, "maklumat", svc_view_maklumat(rq, &mk));
    if (in_force) {
        json_t *pts = points_json(rq, c, &s, &st);
        json_object_set_new(ctx, "npoints", json_integer((json_int_t)json_array_size(pts)));
        json_object_set_new(ctx, "points", pts);
    }
    db_release(c);
    return http_page(rq, 200, "services/one", ctx);
}

int svc_page_one(http_req *rq)
{
    return service_page(rq, 0);
}

int svc_page_version(http_req *rq)
{
    long v = 0;
    if (!str_to_long(http_param(rq, "version"), 1, 100000, &v)) return 404;
    return service_page(rq, (int)v);
}

int svc_page_versions(http_req *rq)
{
    app *a = app_of(rq);
    str on = str_trim(http_param(rq, "pada"));
    cal_date d;
    bool bad_date = on.n && !cal_date_parse(on.p, on.n, &d);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service s;
    svc_standard *vs;
    size_t n = 0;
    int r = svc_get(c, rq->a, http_param(rq, "code"), &s);
    if (r == DB_OK) r = svc_standard_versions(c, rq->a, s.id, &vs, &n);
    svc_standard at;
    int at_r = DB_DONE;
    char ymd[16] = "";
    if (r == DB_OK && on.n && !bad_date) {
        cal_date_format(d, ymd, sizeof ymd);
        at_r = svc_standard_at(c, rq->a, s.id, ymd, &at);
        if (at_r != DB_OK && at_r != DB_DONE) r = at_r;
    }
    db_release(c);
    if (r != DB_OK) return r == DB_DONE ? 404 : 503;
    char td[16];
    app_today(rq, td, sizeof td);
    json_t *ctx = json_object();
    json_object_set_new(ctx, "service", svc_view_service(rq, &s));
    json_t *rows = json_array();
    bool seen_current = false;
    for (size_t i = 0; i < n; i++) {
        bool future = strcmp(vs[i].effective_from, td) > 0;
        bool current = !future && !seen_current;
        if (current) seen_current = true;
        json_t *o = json_object();
        json_object_set_new(o, "version", json_integer(vs[i].version));
        json_object_set_new(
            o, "url",
            json_string(arena_printf(rq->a, "/layanan/%s/versi/%d", s.code, vs[i].version)));
        json_object_set_new(o, "effective_from",
                            json_string(app_fmt_date(rq, vs[i].effective_from)));
        if (vs[i].decree_number)
            json_object_set_new(o, "decree_number", json_string(vs[i].decree_number));
        if (vs[i].decree_date)
            json_object_set_new(o, "decree_date", json_string(app_fmt_date(rq, vs[i].decree_date)));
        if (vs[i].change_note) json_object_set_new(o, "note", json_string(vs[i].change_note));
        json_object_set_new(o, "current", json_boolean(current));
        json_object_set_new(o, "future", json_boolean(future));
        json_array_append_new(rows, o);
    }
    json_object_set_new(ctx, "versions", rows);
    json_object_set_new(ctx, "pada", json_stringn(on.p ? on.p : "", on.n));
    if (bad_date) {
        json_object_set_new(ctx, "pada_error",
                            json_string(http_t(rq, "Enter a date as YYYY-MM-DD, for example "
                                                   "2026-03-01.")));
    } else if (on.n) {
        json_object_set_new(ctx, "pada_label", json_string(app_fmt_date(rq, ymd)));
        if (at_r == DB_OK) json_object_set_new(ctx, "pada_version", json_integer(at.version));
        else json_object_set_new(ctx, "pada_none", json_true());
    }
    return http_page(rq, bad_date ? 400 : 200, "services/versions", ctx);
}

/* units pages: the home page of the kabupaten/kota (the Disdukcapil office and every service
 * point), search by kecamatan or kelurahan name, and the page of one service point. */
#include <string.h>

#include "features/app.h"
#include "features/holidays/holidays.h"
#include "features/regions/regions.h"
#include "features/units/view.h"
#include "features/units/web.h"

const http_param_spec units_search_params[] = {{"q", HP_STR, 0, 100, false}, {0}};
const http_param_spec units_unit_params[] = {{"code", HP_CODE, 1, 40, true}, {0}};

int units_page_home(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    unit *us;
    size_t n;
    int r = units_list(c, rq->a, &us, &n);
    db_release(c);
    if (r != DB_OK) return 503;
    json_t *main_office = json_array(), *points = json_array();
    for (size_t i = 0; i < n; i++) {
        if (strcmp(us[i].type, "pemda") == 0) continue;
        json_array_append_new(strcmp(us[i].type, "opd") == 0 ? main_office : points,
                              units_view_page(rq, &us[i]));
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "offices", main_office);
    json_object_set_new(ctx, "npoints", json_integer((json_int_t)json_array_size(points)));
    json_object_set_new(ctx, "points", points);
    json_object_set_new(ctx, "q", json_string(""));
    return http_page(rq, 200, "units/home", ctx);
}

int units_page_search(http_req *rq)
{
    app *a = app_of(rq);
    str q = str_trim(http_param(rq, "q"));
    json_t *ctx = json_object();
    json_object_set_new(ctx, "q", json_stringn(q.p ? q.p : "", q.n));
    json_t *results = json_array();
    if (q.n >= 2) {
        db_conn *c = db_acquire(a->db);
        if (!c) {
            json_decref(results);
            json_decref(ctx);
            return 503;
        }
        unit_match *m;
        size_t n;
        int r = units_search(c, rq->a, q, 50, &m, &n);
        db_release(c);
        if (r != DB_OK) {
            json_decref(results);
            json_decref(ctx);
            return 503;
        }
        for (size_t i = 0; i < n; i++) {
            json_t *o = units_view_page(rq, &m[i].u);
            if (m[i].via_village)
                json_object_set_new(o, "via_village", json_string(m[i].via_village));
            json_array_append_new(results, o);
        }
        json_object_set_new(ctx, "searched", json_true());
    } else {
        json_object_set_new(ctx, "too_short", json_boolean(q.n > 0));
    }
    json_object_set_new(ctx, "nresults", json_integer((json_int_t)json_array_size(results)));
    json_object_set_new(ctx, "results", results);
    return http_page(rq, 200, "units/search", ctx);
}

int units_page_unit(http_req *rq)
{
    app *a = app_of(rq);
    str code = http_param(rq, "code");
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    unit u;
    int r = units_get(c, rq->a, code, &u);
    if (r == DB_OK) r = units_facilities_load(c, rq->a, &u);
    if (r == DB_DONE) {
        db_release(c);
        return 404;
    }
    if (r != DB_OK) {
        db_release(c);
        return 503;
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "unit", units_view_page(rq, &u));
    /* open now? from the unit's hours, time zone and the holiday calendar */
    if (u.nhours > 0) {
        int64_t now = app_now();
        cal_calendar cal;
        cal_init(&cal, u.tz_offset_min);
        int64_t today = cal_local_day(&cal, now);
        char from[16], to[16];
        cal_date_format(cal_civil_from_days(today - 1), from, sizeof from);
        cal_date_format(cal_civil_from_days(today + 60), to, sizeof to);
        if (units_calendar(c, rq->a, &u, from, to, &cal) == DB_OK) {
            /* open now is about opening hours: a main office open on Saturday is open, even
             * though Saturday is not a working day for deadlines */
            cal.weekend_mask = 0;
            const char *hname = NULL;
            holiday *hs;
            size_t nh;
            char td[16];
            cal_date_format(cal_civil_from_days(today), td, sizeof td);
            if (holidays_list(c, rq->a, td, td, &hs, &nh) == DB_OK && nh > 0) hname = hs[0].name;
            json_object_set_new(ctx, "today", units_view_today(rq, &cal, now, hname));
        }
    }
    /* a kecamatan service point serves the kelurahan/desa of its kecamatan */
    if (strcmp(u.type, "kecamatan") == 0 && u.region_code) {
        region *vs;
        size_t nv;
        if (regions_children(c, rq->a, str_c(u.region_code), &vs, &nv) == DB_OK && nv) {
            json_t *arr = json_array();
            for (size_t i = 0; i < nv; i++)
                json_array_append_new(arr, json_string(vs[i].name));
            json_object_set_new(ctx, "villages", arr);
            json_object_set_new(ctx, "nvillages", json_integer((json_int_t)nv));
        }
    }
    db_release(c);
    return http_page(rq, 200, "units/unit", ctx);
}

/* services points: where a service is offered and its local overrides. The owner of the
 * service (admin, or the head of Disdukcapil) adds service points; the owner or the head of a
 * point sets that point's overrides: turned on or off, its own time limit, counters, a note,
 * and its own hours for this service. Every change is audited in its transaction. */
#include <string.h>

#include "features/admin/web.h"
#include "features/app.h"
#include "features/form.h"
#include "features/services/api.h"
#include "features/services/web.h"
#include "features/services/web_admin.h"
#include "features/units/units.h"

const http_param_spec svcadm_points_params[] = {{"code", HP_CODE, 1, 40, true},
                                                {"unit", HP_CODE, 0, 40, false},
                                                {"berhasil", HP_CODE, 0, 20, false},
                                                {0}};
const http_param_spec svcadm_point_params[] = {
    {"code", HP_CODE, 1, 40, true},     {"unit", HP_CODE, 1, 40, true},
    {"aktif", HP_CODE, 0, 2, false},    {"waktu", HP_STR, 0, 6, false},
    {"satuan", HP_CODE, 0, 5, false},   {"loket", HP_STR, 0, 4, false},
    {"catatan", HP_STR, 0, 500, false}, {"buka1", HP_STR, 0, 5, false},
    {"tutup1", HP_STR, 0, 5, false},    {"buka2", HP_STR, 0, 5, false},
    {"tutup2", HP_STR, 0, 5, false},    {"buka3", HP_STR, 0, 5, false},
    {"tutup3", HP_STR, 0, 5, false},    {"buka4", HP_STR, 0, 5, false},
    {"tutup4", HP_STR, 0, 5, false},    {"buka5", HP_STR, 0, 5, false},
    {"tutup5", HP_STR, 0, 5, false},    {"buka6", HP_STR, 0, 5, false},
    {"tutup6", HP_STR, 0, 5, false},    {"buka7", HP_STR, 0, 5, false},
    {"tutup7", HP_STR, 0, 5, false},    {0}};

static const char *const day_msgid[8] = {"",         "Monday", "Tuesday",  "Wednesday",
                                         "Thursday", "Friday", "Saturday", "Sunday"};

/* "08:00" or "08.00" -> minutes; -1 when empty; -2 when malformed */
static int parse_hm(str s)
{
    s = str_trim(s);
    if (s.n == 0) return -1;
    if (s.n != 5 || (s.p[2] != ':' && s.p[2] != '.')) return -2;
    long h, m;
    if (!str_to_long((str){s.p, 2}, 0, 24, &h) || !str_to_long((str){s.p + 3, 2}, 0, 59, &m))
        return -2;
    int v = (int)(h * 60 + m);
    return v <= 1440 ? v : -2;
}

static const char *hm(arena *a, int min)
{
    return arena_printf(a, "%02d:%02d", min / 60, min % 60);
}

/* the service, and whether the caller may manage it (owner) */
static int load_service(http_req *rq, db_conn *c, service *s, bool *owner)
{
    int r = svc_get(c, rq->a, http_param(rq, "code"), s);
    if (r != DB_OK) return r == DB_DONE ? 404 : 503;
    *owner = svcadm_may(rq, c, s->owner_code);
    return 0;
}

int svcadm_page_points(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service s;
    bool owner;
    int st = load_service(rq, c, &s, &owner);
    if (!st && !owner) st = 403;
    form_state f;
    form_init(&f);
    if (!st && rq->method == HTTP_POST) {
        str uc = form_keep(rq, &f, "unit", 40);
        unit u;
        int r = uc.n ? units_get(c, rq->a, uc, &u) : DB_DONE;
        if (r == DB_DONE) form_error(rq, &f, "unit", "Choose the service point to add.");
        else if (r != DB_OK) st = 503;
        if (!st && form_ok(&f)) {
            r = db_begin(c);
            if (r == DB_OK) r = svc_offer(c, s.id, u.code);
            if (r == DB_OK) r = svc_point_set_active(c, s.id, u.code, true);
            admin_audit(rq, c, "service.point.add", s.code, u.code, &r);
            if (r == DB_OK) r = db_commit(c);
            else db_rollback(c);
            if (r != DB_OK) st = 503;
            if (!st) {
                svc_api_invalidate();
                db_release(c);
                form_free(&f);
                return http_redirect(
                    rq, 303,
                    arena_printf(rq->a, "/admin/layanan/%s/tempat?berhasil=tambah", s.code));
            }
        }
    }
    svc_point *ps = NULL;
    size_t n = 0;
    unit *us = NULL;
    size_t nu = 0;
    if (!st && (svc_points_all(c, rq->a, s.id, &ps, &n) != DB_OK ||
                units_list(c, rq->a, &us, &nu) != DB_OK))
        st = 503;
    db_release(c);
    if (st) {
        form_free(&f);
        return st;
    }
    json_t *rows = json_array(), *others = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o =
            json_pack("{s:s,s:s,s:b,s:s}", "code", ps[i].unit_code, "name", ps[i].unit_name,
                      "active", ps[i].active, "url",
                      arena_printf(rq->a, "/admin/layanan/%s/tempat/%s", s.code, ps[i].unit_code));
        if (ps[i].time_limit_value > 0)
            json_object_set_new(
                o, "time",
                json_string(svcadm_time_limit(rq, ps[i].time_limit_value, ps[i].time_limit_unit)));
        if (ps[i].counters >= 0) json_object_set_new(o, "counters", json_integer(ps[i].counters));
        json_object_set_new(o, "own_hours", json_boolean(ps[i].nhours > 0));
        json_object_set_new(
            o, "standard_only",
            json_boolean(ps[i].time_limit_value <= 0 && ps[i].counters < 0 && ps[i].nhours == 0));
        json_array_append_new(rows, o);
    }
    for (size_t i = 0; i < nu; i++) {
        if (strcmp(us[i].type, "pemda") == 0) continue;
        bool offered = false;
        for (size_t j = 0; j < n && !offered; j++)
            offered = strcmp(ps[j].unit_code, us[i].code) == 0;
        if (!offered)
            json_array_append_new(others,
                                  json_pack("{s:s,s:s}", "code", us[i].code, "name", us[i].name));
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "service", json_pack("{s:s,s:s}", "code", s.code, "name", s.name));
    json_object_set_new(ctx, "points", rows);
    json_object_set_new(ctx, "npoints", json_integer((json_int_t)n));
    json_object_set_new(ctx, "others", others);
    json_object_set_new(ctx, "nav_services", json_true());
    str done = http_param(rq, "berhasil");
    if (str_eq_c(done, "tambah"))
        json_object_set_new(ctx, "done", json_string(http_t(rq, "The service point was added.")));
    else if (str_eq_c(done, "simpan"))
        json_object_set_new(ctx, "done", json_string(http_t(rq, "The service point was saved.")));
    form_into(&f, ctx);
    return http_page(rq, st ? st : 200, "services/points", ctx);
}

static json_t *point_form(http_req *rq, const svc_point *p)
{
    json_t *v = json_object();
    json_object_set_new(v, "aktif", json_string(p->active ? "1" : ""));
    if (p->time_limit_value > 0) {
        json_object_set_new(v, "waktu",
                            json_string(arena_printf(rq->a, "%d", p->time_limit_value)));
        json_object_set_new(v, "satuan", json_string(p->time_limit_unit));
    }
    if (p->counters >= 0)
        json_object_set_new(v, "loket", json_string(arena_printf(rq->a, "%d", p->counters)));
    if (p->note) json_object_set_new(v, "catatan", json_string(p->note));
    for (int i = 0; i < p->nhours; i++) {
        int wd = p->hours[i].weekday;
        json_object_set_new(v, arena_printf(rq->a, "buka%d", wd),
                            json_string(hm(rq->a, p->hours[i].opens_min)));
        json_object_set_new(v, arena_printf(rq->a, "tutup%d", wd),
                            json_string(hm(rq->a, p->hours[i].closes_min)));
    }
    return v;
}

int svcadm_page_point(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service s;
    bool owner;
    int st = load_service(rq, c, &s, &owner);
    const char *uc = http_param_c(rq, "unit");
    svc_point *ps = NULL, *p = NULL;
    size_t n = 0;
    unit u;
    if (!st && svc_points_all(c, rq->a, s.id, &ps, &n) != DB_OK) st = 503;
    for (size_t i = 0; !st && i < n && !p; i++)
        if (strcmp(ps[i].unit_code, uc) == 0) p = &ps[i];
    if (!st && !p) st = 404;
    if (!st && units_get(c, rq->a, str_c(uc), &u) != DB_OK) st = 503;
    if (!st && !owner && !svcadm_may(rq, c, uc)) st = 403;
    if (st) {
        db_release(c);
        return st;
    }
    form_state f;
    form_init(&f);
    if (rq->method == HTTP_POST) {
        bool active = form_keep(rq, &f, "aktif", 2).n > 0;
        str w = form_keep(rq, &f, "waktu", 6);
        str unit_s = form_keep(rq, &f, "satuan", 5);
        str lk = form_keep(rq, &f, "loket", 4);
        str note = form_keep(rq, &f, "catatan", 500);
        long tv = 0, counters = -1;
        bool hours_unit = str_eq_c(unit_s, "hours");
        if (w.n && !str_to_long(w, 1, 1000, &tv))
            form_error(rq, &f, "waktu",
                       "Enter the time limit as a whole number from 1 to 1000, "
                       "or leave it empty to follow the standard.");
        if (w.n && !hours_unit && !str_eq_c(unit_s, "days"))
            form_error(rq, &f, "satuan", "Choose working hours or working days.");
        if (lk.n && !str_to_long(lk, 0, 200, &counters))
            form_error(rq, &f, "loket", "Enter the number of counters from 0 to 200.");
        int wd[7], op[7], cl[7], nh = 0;
        for (int d = 1; d <= 7; d++) {
            const char *bk = arena_printf(rq->a, "buka%d", d),
                       *tk = arena_printf(rq->a, "tutup%d", d);
            int o = parse_hm(form_keep(rq, &f, bk, 5)), e = parse_hm(form_keep(rq, &f, tk, 5));
            if (o == -1 && e == -1) continue;
            if (o < 0 || e < 0)
                form_error(rq, &f, o < 0 ? bk : tk,
                           "%s: enter both times as HH:MM, for example 08:00 and 15:00.",
                           http_t(rq, day_msgid[d]));
            else if (e <= o)
                form_error(rq, &f, tk, "%s: the closing time must be after the opening time.",
                           http_t(rq, day_msgid[d]));
            else wd[nh] = d, op[nh] = o, cl[nh] = e, nh++;
        }
        if (form_ok(&f)) {
            int r = db_begin(c);
            if (r == DB_OK)
                r = svc_set_point(c, s.id, uc, (int)tv, tv ? (hours_unit ? "hours" : "days") : NULL,
                                  (int)counters,
                                  note.n ? arena_strndup(rq->a, note.p, note.n) : NULL);
            if (r == DB_OK) r = svc_point_set_active(c, s.id, uc, active);
            if (r == DB_OK) r = svc_point_set_hours(c, s.id, uc, wd, op, cl, nh);
            admin_audit(rq, c, "service.point.edit", s.code,
                        arena_printf(rq->a, "unit=%s active=%d time=%ld%s counters=%ld hours=%d",
                                     uc, active, tv, tv ? (hours_unit ? "h" : "d") : "", counters,
                                     nh),
                        &r);
            if (r == DB_OK) r = db_commit(c);
            else db_rollback(c);
            db_release(c);
            if (r != DB_OK) {
                form_free(&f);
                return 503;
            }
            svc_api_invalidate();
            form_free(&f);
            return http_redirect(
                rq, 303,
                owner ? arena_printf(rq->a, "/admin/layanan/%s/tempat?berhasil=simpan", s.code)
                      : arena_printf(rq->a, "/admin/layanan/%s/tempat/%s?berhasil=simpan", s.code,
                                     uc));
        }
    }
    db_release(c);
    bool post = rq->method == HTTP_POST;
    json_t *vals = post ? json_incref(f.v) : point_form(rq, p);
    json_t *ctx = json_object();
    json_object_set_new(ctx, "service", json_pack("{s:s,s:s}", "code", s.code, "name", s.name));
    json_object_set_new(ctx, "unit", json_pack("{s:s,s:s}", "code", u.code, "name", u.name));
    json_object_set_new(ctx, "owner", json_boolean(owner));
    /* the template cannot index by a computed key: each day carries its own values and errors */
    json_t *days = json_array();
    for (int d = 1; d <= 7; d++) {
        const char *bk = arena_printf(rq->a, "buka%d", d), *tk = arena_printf(rq->a, "tutup%d", d);
        json_t *o = json_pack("{s:i,s:s,s:s,s:s}", "n", d, "name", http_t(rq, day_msgid[d]), "open",
                              bk, "close", tk);
        json_t *ov = json_object_get(vals, bk), *cv = json_object_get(vals, tk);
        if (ov) json_object_set(o, "open_value", ov);
        if (cv) json_object_set(o, "close_value", cv);
        json_t *oe = json_object_get(f.err, bk), *ce = json_object_get(f.err, tk);
        if (oe) json_object_set(o, "open_error", oe);
        if (ce) json_object_set(o, "close_error", ce);
        json_array_append_new(days, o);
    }
    json_object_set_new(ctx, "days", days);
    json_object_set_new(ctx, "nav_services", json_true());
    if (str_eq_c(http_param(rq, "berhasil"), "simpan"))
        json_object_set_new(ctx, "done", json_string(http_t(rq, "The service point was saved.")));
    const char *su = json_string_value(json_object_get(vals, "satuan"));
    json_object_set_new(ctx, "hours_selected", json_boolean(su && strcmp(su, "hours") == 0));
    form_into(&f, ctx);
    json_object_set_new(ctx, "v", vals);
    return http_page(rq, post ? 400 : 200, "services/point", ctx);
}

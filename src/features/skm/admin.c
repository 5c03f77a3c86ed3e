/* skm admin: the survey periods of the units a person manages, creating a period, and one
 * period's page: responses by channel, population N (walk-in count), required and obtained
 * sample, closing, reopening, publishing and withdrawing. Also the helpers the other admin_*.c
 * files and kiosk.c share (web.h). Every change is audited in the transaction that makes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "features/accounts/accounts.h"
#include "features/admin/web.h"
#include "features/app.h"
#include "features/form.h"
#include "features/skm/web.h"
#include "http/cache.h"
#include "features/units/units.h"
#include "render/i18n.h"

const http_param_spec skmadm_list_params[] = {{"berhasil", HP_CODE, 0, 20, false}, {0}};
const http_param_spec skmadm_new_params[] = {
    {"unit", HP_CODE, 0, 40, false},    {"jenis", HP_CODE, 0, 12, false},
    {"tahun", HP_STR, 0, 40, false},    {"triwulan", HP_CODE, 0, 2, false},
    {"semester", HP_CODE, 0, 2, false}, {"mulai", HP_STR, 0, 40, false},
    {"selesai", HP_STR, 0, 40, false},  {0}};
const http_param_spec skmadm_period_params[] = {{"period", HP_INT, 1, INT32_MAX, true},
                                                {"berhasil", HP_CODE, 0, 20, false},
                                                {"aksi", HP_CODE, 0, 20, false},
                                                {"jumlah", HP_STR, 0, 40, false},
                                                {0}};

/* ---- shared helpers ---- */

void skmw_now_iso(char out[32])
{
    time_t t = (time_t)app_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void skmw_audit(http_req *rq, db_conn *c, const char *action, const char *object,
                const char *detail, int *r)
{
    admin_audit(rq, c, action, object, detail, r);
}

int skmw_period(http_req *rq, db_conn *c, unsigned mask, skm_period *p)
{
    str id = http_param(rq, "period");
    char *end = NULL;
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%.*s", (int)(id.n < 20 ? id.n : 20), id.p ? id.p : "");
    long long v = strtoll(tmp, &end, 10);
    if (!id.p || v <= 0 || (end && *end)) return 404;
    int r = skm_period_by_id(c, rq->a, v, p);
    if (r == DB_DONE) return 404;
    if (r != DB_OK) return 503;
    if (!acct_can_unit(c, rq->who.user_id, mask, p->unit_id)) return 403;
    return 0;
}

json_t *skmw_questions(const skm_instrument *ins, const int *values)
{
    json_t *qs = json_array();
    for (size_t i = 0; i < ins->nel; i++) {
        const skm_element *e = &ins->el[i];
        json_t *ans = json_array();
        char name[24], id[32];
        snprintf(name, sizeof name, "j%zu", i + 1);
        for (int v = 1; v <= 4; v++) {
            /* the first answer's id is the element's, for the error summary's link */
            if (v == 1) snprintf(id, sizeof id, "j%zu", i + 1);
            else snprintf(id, sizeof id, "j%zu-%d", i + 1, v);
            json_array_append_new(ans,
                                  json_pack("{s:i,s:s,s:b,s:s,s:b}", "value", v, "label",
                                            e->answers[v - 1], "checked", values && values[i] == v,
                                            "id", id, "first", i == 0 && v == 1));
        }
        json_array_append_new(qs,
                              json_pack("{s:i,s:s,s:s,s:s,s:o,s:b,s:b}", "n", (int)i + 1, "code",
                                        e->code, "label", e->label, "name", name, "answers", ans,
                                        "none", !values || values[i] == 0, "first", i == 0));
    }
    return qs;
}

size_t skmw_read_answers(http_req *rq, const skm_instrument *ins, int *values, skm_answer *ans)
{
    size_t k = 0;
    for (size_t i = 0; i < ins->nel && i < IKM_MAX_ELEMENTS; i++) {
        char name[24];
        snprintf(name, sizeof name, "j%zu", i + 1);
        str s = http_param(rq, name);
        int v = s.n == 1 && s.p[0] >= '1' && s.p[0] <= '4' ? s.p[0] - '0' : 0;
        values[i] = v;
        if (v) ans[k++] = (skm_answer){ins->el[i].code, v};
    }
    return k;
}

/* ---- the list ---- */

static const char *status_label(http_req *rq, const char *st)
{
    if (st && strcmp(st, "open") == 0) return http_t(rq, "Open");
    if (st && strcmp(st, "closed") == 0) return http_t(rq, "Closed");
    if (st && strcmp(st, "published") == 0) return http_t(rq, "Published");
    return st ? st : "";
}

static const char *status_tag(const char *st)
{
    if (st && strcmp(st, "open") == 0) return "govuk-tag--green";
    if (st && strcmp(st, "published") == 0) return "govuk-tag--blue";
    return "govuk-tag--grey";
}

/* N, required and obtained sample of a period: {population, required, obtained, too_small} */
static json_t *sample_json(http_req *rq, db_conn *c, const skm_period *p, skm_result *res)
{
    char err[200];
    int r = skm_result_compute(c, rq->a, p->unit_id, p->code, false, NULL, res, err, sizeof err);
    json_t *o = json_object();
    if (r != DB_OK) return o;
    json_object_set_new(o, "obtained", json_integer((json_int_t)res->responses));
    if (res->has_population) {
        json_object_set_new(o, "population", json_integer((json_int_t)res->population));
        json_object_set_new(o, "required", json_integer((json_int_t)res->sample_required));
        json_object_set_new(o, "too_small", json_boolean(res->responses < res->sample_required));
        json_object_set_new(o, "missing",
                            json_integer((json_int_t)(res->sample_required - res->responses)));
    }
    if (res->status == IKM_OK) {
        json_object_set_new(
            o, "ikm",
            json_string(arena_printf(rq->a, "%lld%s%02lld", (long long)(res->r.ikm25_e2 / 100),
                                     strcmp(rq->lang, "en") == 0 ? "." : ",",
                                     (long long)(res->r.ikm25_e2 % 100))));
        if (res->r.cls)
            json_object_set_new(
                o, "grade",
                json_string(arena_printf(rq->a, "%c (%s)", res->r.cls->grade, res->r.cls->label)));
    }
    return o;
}

int skmadm_page_list(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    skm_period_row *ps;
    size_t n;
    int r = skm_periods_all(c, rq->a, &ps, &n);
    if (r != DB_OK) {
        db_release(c);
        return 503;
    }
    json_t *rows = json_array();
    int64_t last_unit = 0;
    bool last_ok = false, manager = false;
    for (size_t i = 0; i < n; i++) {
        const skm_period *p = &ps[i].p;
        /* the answer for a unit is the same for all its periods */
        bool ok = p->unit_id == last_unit
                      ? last_ok
                      : acct_can_unit(c, rq->who.user_id, SKMW_KEYERS, p->unit_id);
        last_unit = p->unit_id;
        last_ok = ok;
        if (!ok) continue;
        manager = manager || acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, p->unit_id);
        skm_result res;
        json_t *smp = sample_json(rq, c, p, &res);
        json_array_append_new(
            rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:s,s:s,s:b}", "unit", ps[i].unit_name,
                            "code", p->code, "dates",
                            arena_printf(rq->a, "%s – %s", app_fmt_date(rq, p->starts_on),
                                         app_fmt_date(rq, p->ends_on)),
                            "status", status_label(rq, p->status), "tag", status_tag(p->status),
                            "responses", (json_int_t)ps[i].responses, "sample", smp, "url",
                            arena_printf(rq->a, "/admin/skm/%lld", (long long)p->id), "paper_url",
                            arena_printf(rq->a, "/admin/skm/%lld/kertas", (long long)p->id), "open",
                            strcmp(p->status, "open") == 0));
    }
    db_release(c);
    json_t *ctx = json_object();
    json_object_set_new(ctx, "rows", rows);
    json_object_set_new(ctx, "manager",
                        json_boolean(manager || (rq->who.roles & SKMW_MANAGERS) != 0));
    json_object_set_new(ctx, "nav_skm", json_true());
    if (str_eq_c(http_param(rq, "berhasil"), "baru"))
        json_object_set_new(ctx, "done", json_string(http_t(rq, "The period has been created.")));
    return http_page(rq, 200, "skm/admin_list", ctx);
}

/* ---- creating a period ---- */

static const char *const kinds[] = {"triwulan", "semester", "tahun", "rentang"};
static const char *const kind_msgid[] = {N_("Quarter (triwulan)"), N_("Semester"), N_("Year"),
                                         N_("Other date range")};

static json_t *units_json(http_req *rq, db_conn *c, const char *selected)
{
    unit *us;
    size_t n;
    json_t *arr = json_array();
    if (units_list(c, rq->a, &us, &n) != DB_OK) return arr;
    for (size_t i = 0; i < n; i++)
        if (acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, us[i].id))
            json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "code", us[i].code, "name",
                                                 us[i].name, "selected",
                                                 selected && strcmp(selected, us[i].code) == 0));
    return arr;
}

static int new_form(http_req *rq, db_conn *c, form_state *f, const char *unitc, const char *kind,
                    const char *q, const char *s)
{
    json_t *ks = json_array();
    for (size_t i = 0; i < 4; i++)
        json_array_append_new(ks, json_pack("{s:s,s:s,s:b}", "value", kinds[i], "label",
                                            http_t(rq, kind_msgid[i]), "checked",
                                            kind && strcmp(kind, kinds[i]) == 0));
    json_t *qs = json_array(), *ss = json_array();
    for (int i = 1; i <= 4; i++)
        json_array_append_new(qs, json_pack("{s:i,s:b}", "n", i, "selected", q && q[0] == '0' + i));
    for (int i = 1; i <= 2; i++)
        json_array_append_new(ss, json_pack("{s:i,s:b}", "n", i, "selected", s && s[0] == '0' + i));
    json_t *ctx = json_object();
    json_object_set_new(ctx, "units", units_json(rq, c, unitc));
    json_object_set_new(ctx, "kinds", ks);
    json_object_set_new(ctx, "quarters", qs);
    json_object_set_new(ctx, "semesters", ss);
    json_object_set_new(ctx, "nav_skm", json_true());
    form_into(f, ctx);
    bool bad = json_object_get(ctx, "has_errors") == json_true();
    return http_page(rq, bad ? 400 : 200, "skm/admin_new", ctx);
}

static bool year_ok(str y)
{
    if (y.n != 4) return false;
    for (size_t i = 0; i < 4; i++)
        if (y.p[i] < '0' || y.p[i] > '9') return false;
    return y.p[0] == '2';
}

int skmadm_page_new(http_req *rq)
{
    app *a = app_of(rq);
    form_state f;
    form_init(&f);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int st;
    if (rq->method != HTTP_POST) {
        char today[16];
        app_today(rq, today, sizeof today);
        json_object_set_new(f.v, "tahun", json_stringn(today, 4));
        int month = (today[5] - '0') * 10 + (today[6] - '0');
        char q[2] = {(char)('1' + (month - 1) / 3), 0};
        st = new_form(rq, c, &f, NULL, "triwulan", q, month <= 6 ? "1" : "2");
        db_release(c);
        return st;
    }
    const char *unitc = http_param_c(rq, "unit"), *kind = http_param_c(rq, "jenis"),
               *q = http_param_c(rq, "triwulan"), *sm = http_param_c(rq, "semester");
    str year = form_keep(rq, &f, "tahun", 10);
    str from = form_keep(rq, &f, "mulai", 12), to = form_keep(rq, &f, "selesai", 12);
    int64_t uid = unitc && *unitc ? units_id(c, unitc) : 0;
    if (!uid) form_error(rq, &f, "unit", "Choose the unit that runs the survey.");
    else if (!acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, uid))
        form_error(rq, &f, "unit", "You may only create periods for a unit you manage.");
    char code[40] = "";
    int k = -1;
    for (int i = 0; kind && i < 4; i++)
        if (strcmp(kind, kinds[i]) == 0) k = i;
    if (k < 0) form_error(rq, &f, "jenis", "Choose the kind of period.");
    else if (k < 3 && !year_ok(year))
        form_error(rq, &f, "tahun", "Write the year with 4 digits, for example 2026.");
    else if (k == 0 && !(q && q[0] >= '1' && q[0] <= '4' && !q[1]))
        form_error(rq, &f, "triwulan", "Choose the quarter.");
    else if (k == 1 && !(sm && (sm[0] == '1' || sm[0] == '2') && !sm[1]))
        form_error(rq, &f, "semester", "Choose the semester.");
    else if (k == 0) snprintf(code, sizeof code, "%.4s-Q%c", year.p, q[0]);
    else if (k == 1) snprintf(code, sizeof code, "%.4s-S%c", year.p, sm[0]);
    else if (k == 2) snprintf(code, sizeof code, "%.4s", year.p);
    else {
        cal_date d1, d2;
        bool ok1 = cal_date_parse(from.p, from.n, &d1), ok2 = cal_date_parse(to.p, to.n, &d2);
        if (!ok1)
            form_error(rq, &f, "mulai", "Write the first day as a date, for example 2026-01-15.");
        if (!ok2)
            form_error(rq, &f, "selesai", "Write the last day as a date, for example 2026-03-31.");
        if (ok1 && ok2 && cal_date_cmp(d1, d2) > 0)
            form_error(rq, &f, "selesai", "The last day is before the first day.");
        else if (ok1 && ok2)
            snprintf(code, sizeof code, "%.*s..%.*s", (int)from.n, from.p, (int)to.n, to.p);
    }
    ikm_period ip = {0};
    if (form_ok(&f) && code[0] && !ikm_period_parse(code, strlen(code), &ip)) {
        if (k == 3)
            form_error(rq, &f, "selesai",
                       "A period lasts at most 366 days, in the years 2000 to 2999.");
        else form_error(rq, &f, "tahun", "Write a year from 2000 to 2999.");
    }
    skm_period p = {0};
    char err[300];
    int r = DB_OK;
    if (form_ok(&f)) {
        r = db_begin(c);
        if (r == DB_OK) r = skm_period_create(c, rq->a, uid, ip.code, 0, &p, err, sizeof err);
        skmw_audit(rq, c, "skm.period.create", arena_printf(rq->a, "unit:%s", unitc), ip.code, &r);
        if (r == DB_OK) r = db_commit(c);
        if (r != DB_OK) db_rollback(c);
        if (r == DB_ECONSTRAINT)
            form_error(rq, &f, k == 3 ? "mulai" : "tahun",
                       "This unit already has the period %s. Open it from the list.", ip.code);
        else if (r == SKM_EINVALID)
            form_error(rq, &f, "unit",
                       "There is no survey questionnaire yet. Ask the administrator to run "
                       "layan init.");
        else if (r != DB_OK) {
            form_free(&f);
            db_release(c);
            return 503;
        }
    }
    if (!form_ok(&f)) {
        st = new_form(rq, c, &f, unitc, kind, q, sm);
        db_release(c);
        return st;
    }
    db_release(c);
    form_free(&f);
    return http_redirect(rq, 303,
                         arena_printf(rq->a, "/admin/skm/%lld?berhasil=baru", (long long)p.id));
}

/* ---- one period ---- */

static const char *done_text(http_req *rq)
{
    static const struct {
        const char *code, *msgid;
    } t[] = {{"baru", N_("The period has been created. Enter the walk-in count, then collect "
                         "answers on paper, at a kiosk or by link.")},
             {"jumlah", N_("The walk-in count has been saved.")},
             {"tutup", N_("The period is closed: it takes no more answers.")},
             {"buka", N_("The period is open again.")},
             {"terbit", N_("The result is published on the public page.")},
             {"tarik", N_("The result is no longer on the public page.")}};
    str d = http_param(rq, "berhasil");
    for (size_t i = 0; d.p && i < sizeof t / sizeof t[0]; i++)
        if (str_eq_c(d, t[i].code)) return http_t(rq, t[i].msgid);
    return NULL;
}

static int period_page(http_req *rq, db_conn *c, const skm_period *p, form_state *f)
{
    skm_counts cn;
    skm_result res;
    if (skm_period_counts(c, p->id, &cn) != DB_OK) {
        form_free(f);
        return 503;
    }
    json_t *smp = sample_json(rq, c, p, &res);
    unit u;
    const char *uname = units_get(c, rq->a, str_c(p->unit_code), &u) == DB_OK ? u.name : "";
    skm_kiosk *ks;
    size_t nk = 0;
    json_t *kiosks = json_array();
    char now[32];
    skmw_now_iso(now);
    if (skm_kiosks_list(c, rq->a, p->id, &ks, &nk) == DB_OK)
        for (size_t i = 0; i < nk; i++) {
            bool active = !ks[i].revoked_at && strcmp(ks[i].expires_at, now) > 0;
            if (!active) continue;
            json_array_append_new(kiosks, json_pack("{s:s,s:I,s:s*}", "place", ks[i].place,
                                                    "answers", (json_int_t)ks[i].answers, "service",
                                                    ks[i].service_code));
        }
    bool manager = acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, p->unit_id);
    const char *stt = p->status;
    json_t *ctx = json_object();
    json_object_set_new(ctx, "period",
                        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b}", "id",
                                  (json_int_t)p->id, "code", p->code, "unit", uname, "public_url",
                                  arena_printf(rq->a, "/skm/%s/%s", p->unit_code, p->code), "dates",
                                  arena_printf(rq->a, "%s – %s", app_fmt_date(rq, p->starts_on),
                                               app_fmt_date(rq, p->ends_on)),
                                  "status", status_label(rq, stt), "tag", status_tag(stt), "open",
                                  strcmp(stt, "open") == 0, "closed", strcmp(stt, "closed") == 0,
                                  "published", strcmp(stt, "published") == 0));
    json_object_set_new(ctx, "counts",
                        json_pack("{s:I,s:I,s:I,s:I,s:I}", "link", (json_int_t)cn.link, "kiosk",
                                  (json_int_t)cn.kiosk, "paper", (json_int_t)cn.paper, "import",
                                  (json_int_t)cn.import, "total", (json_int_t)cn.total));
    json_object_set_new(ctx, "sample", smp);
    json_object_set_new(ctx, "kiosks", kiosks);
    json_object_set_new(ctx, "manager", json_boolean(manager));
    json_object_set_new(ctx, "nav_skm", json_true());
    if (!json_object_get(f->v, "jumlah") && p->has_walkin)
        json_object_set_new(f->v, "jumlah",
                            json_string(arena_printf(rq->a, "%lld", (long long)p->walkin_count)));
    const char *done = done_text(rq);
    if (done) json_object_set_new(ctx, "done", json_string(done));
    form_into(f, ctx);
    bool bad = json_object_get(ctx, "has_errors") == json_true();
    return http_page(rq, bad ? 400 : 200, "skm/admin_period", ctx);
}

/* the walk-in count: digits only, with dots or spaces as thousands separators */
static bool parse_count(str s, int64_t *out)
{
    int64_t v = 0;
    size_t digits = 0;
    for (size_t i = 0; i < s.n; i++) {
        char ch = s.p[i];
        if (ch == '.' || ch == ' ') continue;
        if (ch < '0' || ch > '9' || v > 100000000000LL) return false;
        v = v * 10 + (ch - '0');
        digits++;
    }
    *out = v;
    return digits > 0;
}

int skmadm_page_period(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    skm_period p = {0};
    int st = skmw_period(rq, c, SKMW_KEYERS, &p);
    form_state f;
    form_init(&f);
    if (st) goto out;
    if (rq->method != HTTP_POST) {
        st = period_page(rq, c, &p, &f);
        db_release(c);
        return st;
    }
    if (!acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, p.unit_id)) {
        st = 403;
        goto out;
    }
    str act = http_param(rq, "aksi");
    char now[32];
    skmw_now_iso(now);
    const char *done = NULL;
    int r = DB_OK;
    if (str_eq_c(act, "jumlah")) {
        str js = form_keep(rq, &f, "jumlah", 20);
        int64_t nn = 0;
        if (!parse_count(js, &nn))
            form_error(rq, &f, "jumlah",
                       "Write the number of people served outside layan in this period, for "
                       "example 1250.");
        else if (strcmp(p.status, "published") == 0)
            form_error(rq, &f, "jumlah",
                       "The result is published. Withdraw it first to change the count.");
        if (!form_ok(&f)) {
            st = period_page(rq, c, &p, &f);
            db_release(c);
            return st;
        }
        r = db_begin(c);
        if (r == DB_OK) r = skm_period_set_walkin(c, p.id, nn);
        skmw_audit(rq, c, "skm.period.walkin",
                   arena_printf(rq->a, "skm_period:%lld", (long long)p.id),
                   arena_printf(rq->a, "%s %s: %lld", p.unit_code, p.code, (long long)nn), &r);
        done = "jumlah";
    } else {
        static const struct {
            const char *act, *status, *audit, *done;
        } t[] = {{"tutup", "closed", "skm.period.close", "tutup"},
                 {"buka", "open", "skm.period.reopen", "buka"},
                 {"terbitkan", "published", "skm.period.publish", "terbit"},
                 {"tarik", "closed", "skm.period.withdraw", "tarik"}};
        size_t i = 0;
        while (i < sizeof t / sizeof t[0] && !str_eq_c(act, t[i].act))
            i++;
        if (i == sizeof t / sizeof t[0]) {
            st = 400;
            goto out;
        }
        r = db_begin(c);
        if (r == DB_OK) r = skm_period_set_status(c, p.id, t[i].status, now);
        skmw_audit(rq, c, t[i].audit, arena_printf(rq->a, "skm_period:%lld", (long long)p.id),
                   arena_printf(rq->a, "%s %s", p.unit_code, p.code), &r);
        done = t[i].done;
    }
    if (r == DB_OK) r = db_commit(c);
    if (r == DB_OK) http_cache_changed(); /* the public result pages show it at once */
    if (r != DB_OK) db_rollback(c);
    if (r == SKM_EINVALID) {
        /* a status step that does not apply now (a second click, another person) */
        form_error(rq, &f, "aksi", "This step is not possible now: the period is %s.",
                   status_label(rq, p.status));
        skm_period_by_id(c, rq->a, p.id, &p);
        st = period_page(rq, c, &p, &f);
        db_release(c);
        return st;
    }
    if (r != DB_OK) {
        st = 503;
        goto out;
    }
    db_release(c);
    form_free(&f);
    return http_redirect(rq, 303,
                         arena_printf(rq->a, "/admin/skm/%lld?berhasil=%s", (long long)p.id, done));
out:
    db_release(c);
    form_free(&f);
    return st;
}

/* skm admin_paper: keying in paper questionnaires, one at a time (channel 'paper'). The
 * elements and their answer labels come from the period's instrument; "not answered" is
 * allowed. After a save the form comes back empty with the focus on the first element, the
 * date and the service kept (a pile of papers is usually from one day and one counter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/app.h"
#include "features/form.h"
#include "features/services/services.h"
#include "features/skm/web.h"
#include "features/units/units.h"
#include "render/i18n.h"

const http_param_spec skmadm_paper_params[] = {{"period", HP_INT, 1, INT32_MAX, true},
                                               {"tersimpan", HP_INT, 0, INT32_MAX, false},
                                               {"jk", HP_CODE, 0, 2, false},
                                               {"umur", HP_STR, 0, 20, false},
                                               {"pendidikan", HP_CODE, 0, 12, false},
                                               {"pekerjaan", HP_CODE, 0, 12, false},
                                               {"layanan", HP_CODE, 0, 80, false},
                                               {"tanggal", HP_STR, 0, 20, false},
                                               SKMW_ANSWER_PARAMS,
                                               {0}};

/* the regulation's profile choices: the stored text is the questionnaire's Indonesian wording */
typedef struct {
    const char *code, *stored, *msgid;
} choice;
static const choice education[] = {
    {"sd", "SD ke bawah", N_("Primary school or less (SD)")},
    {"smp", "SMP", N_("Junior high school (SMP)")},
    {"sma", "SMA/SMK", N_("Senior high school (SMA/SMK)")},
    {"d3", "D1/D2/D3", N_("Diploma (D1–D3)")},
    {"s1", "D4/S1", N_("Bachelor's degree (D4/S1)")},
    {"s2", "S2/S3", N_("Postgraduate (S2/S3)")},
};
static const choice occupation[] = {
    {"pns", "PNS", N_("Civil servant (PNS)")},
    {"tni", "TNI/Polri", N_("Armed forces or police (TNI/Polri)")},
    {"swasta", "Pegawai swasta", N_("Private employee")},
    {"wirausaha", "Wirausaha", N_("Self-employed")},
    {"pelajar", "Pelajar/mahasiswa", N_("Student")},
    {"lainnya", "Lainnya", N_("Other")},
};

static json_t *choices_json(http_req *rq, const choice *cs, size_t n, const char *sel)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "value", cs[i].code, "label",
                                             http_t(rq, cs[i].msgid), "selected",
                                             sel && strcmp(sel, cs[i].code) == 0));
    return arr;
}

static const char *stored_of(const choice *cs, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(code, cs[i].code) == 0) return cs[i].stored;
    return NULL;
}

/* the services offered at the unit (all services when it offers none itself) */
static json_t *services_json(http_req *rq, db_conn *c, const skm_period *p, const char *sel,
                             bool *known)
{
    svc_filter flt = {.unit = p->unit_code};
    service *ss;
    size_t n = 0;
    json_t *arr = json_array();
    *known = false;
    if (svc_list(c, rq->a, &flt, &ss, &n) != DB_OK || n == 0) {
        svc_filter all = {0};
        if (svc_list(c, rq->a, &all, &ss, &n) != DB_OK) n = 0;
    }
    for (size_t i = 0; i < n; i++) {
        bool s = sel && strcmp(sel, ss[i].code) == 0;
        *known = *known || s;
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "value", ss[i].code, "label",
                                             ss[i].name, "selected", s));
    }
    return arr;
}

static int paper_form(http_req *rq, db_conn *c, const skm_period *p, const skm_instrument *ins,
                      form_state *f, const int *values, int status)
{
    const char *jk = http_param_c(rq, "jk"), *pend = http_param_c(rq, "pendidikan"),
               *pek = http_param_c(rq, "pekerjaan"), *lay = http_param_c(rq, "layanan");
    bool known;
    json_t *ctx = json_object();
    json_object_set_new(ctx, "questions", skmw_questions(ins, values));
    json_object_set_new(ctx, "education",
                        choices_json(rq, education, sizeof education / sizeof *education, pend));
    json_object_set_new(ctx, "occupation",
                        choices_json(rq, occupation, sizeof occupation / sizeof *occupation, pek));
    json_object_set_new(ctx, "services", services_json(rq, c, p, lay, &known));
    json_object_set_new(ctx, "jk_l", json_boolean(jk && strcmp(jk, "L") == 0));
    json_object_set_new(ctx, "jk_p", json_boolean(jk && strcmp(jk, "P") == 0));
    json_object_set_new(ctx, "jk_none", json_boolean(!jk || !*jk));
    unit u;
    const char *uname = units_get(c, rq->a, str_c(p->unit_code), &u) == DB_OK ? u.name : "";
    json_object_set_new(ctx, "period",
                        json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)p->id, "code",
                                  p->code, "unit", uname, "starts_on", p->starts_on, "ends_on",
                                  p->ends_on, "open", strcmp(p->status, "open") == 0));
    json_object_set_new(ctx, "nav_skm", json_true());
    str saved = http_param(rq, "tersimpan");
    if (saved.p && rq->method != HTTP_POST) {
        unsigned long n = strtoul(arena_strndup(rq->a, saved.p, saved.n), NULL, 10);
        json_object_set_new(ctx, "done",
                            json_string(arena_printf(rq->a,
                                                     http_tn(rq,
                                                             "Saved (%lu questionnaire on "
                                                             "paper in this period).",
                                                             "Saved (%lu questionnaires on "
                                                             "paper in this period).",
                                                             n),
                                                     n)));
    }
    form_into(f, ctx);
    return http_page(rq, status, "skm/admin_paper", ctx);
}

int skmadm_page_paper(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    skm_period p = {0};
    skm_instrument ins = {0};
    form_state f;
    form_init(&f);
    int st = skmw_period(rq, c, SKMW_KEYERS, &p);
    if (!st && skm_instrument_get(c, rq->a, p.instrument_id, &ins) != DB_OK) st = 503;
    if (st) goto out;
    int values[IKM_MAX_ELEMENTS] = {0};
    if (rq->method != HTTP_POST) {
        str t = http_param(rq, "tanggal");
        if (t.p) form_keep(rq, &f, "tanggal", 12);
        else {
            char today[16];
            app_today(rq, today, sizeof today);
            /* today when it lies in the period, else its last day */
            json_object_set_new(
                f.v, "tanggal",
                json_string(strcmp(today, p.ends_on) > 0 || strcmp(today, p.starts_on) < 0
                                ? p.ends_on
                                : today));
        }
        st = paper_form(rq, c, &p, &ins, &f, values, 200);
        db_release(c);
        return st;
    }
    if (strcmp(p.status, "open") != 0) {
        st = 409;
        goto out;
    }
    skm_answer ans[IKM_MAX_ELEMENTS];
    size_t na = skmw_read_answers(rq, &ins, values, ans);
    str umur = form_keep(rq, &f, "umur", 8), tgl = form_keep(rq, &f, "tanggal", 12);
    const char *jk = http_param_c(rq, "jk"), *pend = http_param_c(rq, "pendidikan"),
               *pek = http_param_c(rq, "pekerjaan"), *lay = http_param_c(rq, "layanan");
    if (!na)
        form_error(rq, &f, "j1",
                   "Choose an answer for at least one element. Leave an element empty only when "
                   "the paper has no answer for it.");
    int age = 0;
    if (umur.n) {
        char *end;
        char *u = arena_strndup(rq->a, umur.p, umur.n);
        long v = strtol(u, &end, 10);
        if (*end || v < 10 || v > 120)
            form_error(rq, &f, "umur", "Write the age in years, 10 to 120, or leave it empty.");
        else age = (int)v;
    }
    if (jk && *jk && strcmp(jk, "L") != 0 && strcmp(jk, "P") != 0)
        form_error(rq, &f, "jk", "Choose the sex as written on the paper.");
    cal_date d;
    char *tglc = arena_strndup(rq->a, tgl.p, tgl.n);
    if (tgl.n && !cal_date_parse(tgl.p, tgl.n, &d))
        form_error(rq, &f, "tanggal", "Write the date as on the paper, for example 2026-02-17.");
    else if (tgl.n && (strcmp(tglc, p.starts_on) < 0 || strcmp(tglc, p.ends_on) > 0))
        form_error(rq, &f, "tanggal", "The date is outside this period (%s to %s).",
                   app_fmt_date(rq, p.starts_on), app_fmt_date(rq, p.ends_on));
    bool known = true;
    if (lay && *lay) {
        json_t *tmp = services_json(rq, c, &p, lay, &known);
        json_decref(tmp);
        if (!known) form_error(rq, &f, "layanan", "Choose a service from the list.");
    }
    if (!form_ok(&f)) {
        st = paper_form(rq, c, &p, &ins, &f, values, 400);
        db_release(c);
        return st;
    }
    skm_response resp = {
        .channel = "paper",
        .service_code = lay && *lay ? lay : NULL,
        .jenis_kelamin = jk && *jk ? jk : NULL,
        .umur = age,
        .pendidikan = stored_of(education, sizeof education / sizeof *education, pend),
        .pekerjaan = stored_of(occupation, sizeof occupation / sizeof *occupation, pek),
        .tanggal = tgl.n ? tglc : NULL,
        .answers = ans,
        .nanswers = na};
    char err[300];
    int64_t rid = 0;
    skm_counts cn = {0};
    int r = db_begin(c);
    if (r == DB_OK) r = skm_response_add(c, &p, &ins, &resp, &rid, err, sizeof err);
    skmw_audit(rq, c, "skm.response.paper", arena_printf(rq->a, "skm_period:%lld", (long long)p.id),
               arena_printf(rq->a, "%s %s: response %lld", p.unit_code, p.code, (long long)rid),
               &r);
    if (r == DB_OK) r = skm_period_counts(c, p.id, &cn);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    if (r == SKM_EINVALID) {
        /* the checks above cover the rules; this is the store's last word (English) */
        form_error(rq, &f, "j1",
                   "This questionnaire could not be saved. Check the answers and send it "
                   "again.");
        st = paper_form(rq, c, &p, &ins, &f, values, 400);
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
                         arena_printf(rq->a, "/admin/skm/%lld/kertas?tersimpan=%lld%s%s%s%s",
                                      (long long)p.id, (long long)cn.paper,
                                      tgl.n ? "&tanggal=" : "", tgl.n ? tglc : "",
                                      resp.service_code ? "&layanan=" : "",
                                      resp.service_code ? resp.service_code : ""));
out:
    db_release(c);
    form_free(&f);
    return st;
}

/* services admin: a unit's maklumat pelayanan (each save adds a version; the history stays) and
 * the completeness report ("Kelengkapan standar pelayanan") over the units the caller covers:
 * the 14 components per service, standards not stipulated, reviews overdue, units without a
 * maklumat. */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/services/api.h"
#include "features/admin/web.h"
#include "features/form.h"
#include "features/services/web_admin.h"
#include "features/units/units.h"
#include "render/i18n.h"

const http_param_spec svcadm_maklumat_params[] = {
    {"code", HP_CODE, 1, 40, true},          {"isi", HP_STR, 0, 16000, false},
    {"nama", HP_STR, 0, 400, false},         {"jabatan", HP_STR, 0, 400, false},
    {"tanggal", HP_STR, 0, 40, false},       {"kanal_kantor", HP_STR, 0, 1, false},
    {"kanal_situs", HP_STR, 0, 1, false},    {"kanal_media-sosial", HP_STR, 0, 1, false},
    {"kanal_spanduk", HP_STR, 0, 1, false},  {"kanal_aplikasi", HP_STR, 0, 1, false},
    {"tersimpan", HP_INT, 1, 100000, false}, {0}};
const http_param_spec svcadm_completeness_params[] = {{"unit", HP_CODE, 0, 40, false}, {0}};

/* ---- maklumat ---------------------------------------------------------------------------------
 */

static const struct {
    const char *code, *msgid;
} channels[] = {{"kantor", N_("Notice board at the office")},
                {"situs", N_("Website")},
                {"media-sosial", N_("Social media")},
                {"spanduk", N_("Banner")},
                {"aplikasi", N_("Mobile app")}};
#define NCHANNELS (sizeof channels / sizeof channels[0])

static bool has_channel(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && strncmp(p, code, n) == 0) return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

static const char *channels_label(http_req *rq, const char *list)
{
    buf b;
    buf_init(&b, 512);
    for (size_t i = 0; i < NCHANNELS; i++)
        if (has_channel(list, channels[i].code)) {
            if (b.n) buf_puts(&b, ", ");
            buf_puts(&b, http_t(rq, channels[i].msgid));
        }
    char *r = arena_strndup(rq->a, b.p ? b.p : "–", b.p ? b.n : strlen("–"));
    buf_free(&b);
    return r;
}

static json_t *channels_json(http_req *rq, const char *list)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < NCHANNELS; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "code", channels[i].code, "label",
                                             http_t(rq, channels[i].msgid), "checked",
                                             has_channel(list, channels[i].code)));
    return arr;
}

static int maklumat_page(http_req *rq, db_conn *c, const unit *u, form_state *f,
                         const char *checked)
{
    svc_maklumat *vs = NULL, cur;
    size_t n = 0;
    int r = svc_maklumat_versions(c, rq->a, u->code, &vs, &n);
    int rc = r == DB_OK ? svc_maklumat_current(c, rq->a, u->code, &cur) : r;
    if (r != DB_OK || (rc != DB_OK && rc != DB_DONE)) {
        form_free(f);
        return 503;
    }
    json_t *hist = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            hist, json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:b}", "version", vs[i].version, "body",
                            vs[i].body, "signatory", vs[i].signatory_name, "title",
                            vs[i].signatory_title, "date", svcadm_date(rq, vs[i].stipulated_on),
                            "channels", channels_label(rq, vs[i].channels), "current", i == 0));
    json_t *ctx = json_pack("{s:s,s:s,s:o,s:b}", "code", u->code, "name", u->name, "history", hist,
                            "nav_standards", 1);
    if (rc == DB_OK && n == 0) /* serves under the pledge of a unit above it */
        json_object_set_new(ctx, "inherited",
                            json_pack("{s:s,s:s}", "unit", cur.unit_code, "date",
                                      svcadm_date(rq, cur.stipulated_on)));
    if (rc == DB_DONE) json_object_set_new(ctx, "none", json_true());
    if (!checked) checked = rc == DB_OK ? cur.channels : "kantor,situs";
    json_object_set_new(ctx, "channels", channels_json(rq, checked));
    long saved = 0;
    str sp = http_param(rq, "tersimpan");
    if (sp.p && str_to_long(sp, 1, 100000, &saved))
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        json_object_set_new(ctx, "done",
                            json_string(arena_printf(
                                rq->a, http_t(rq, "Version %ld of the maklumat saved."), saved)));
#pragma GCC diagnostic pop
    int status = form_ok(f) ? 200 : 422;
    if (!json_object_size(f->v) && rc == DB_OK) {
        json_object_set_new(f->v, "isi", json_string(cur.body));
        json_object_set_new(f->v, "nama", json_string(cur.signatory_name));
        json_object_set_new(f->v, "jabatan", json_string(cur.signatory_title));
    }
    if (!json_object_get(f->v, "tanggal")) {
        struct svcadm_date_buf t = svcadm_today(rq);
        json_object_set_new(f->v, "tanggal", json_string(t.s));
    }
    form_into(f, ctx);
    return http_page(rq, status, "services/admin_maklumat", ctx);
}

static bool date_ok(str v)
{
    cal_date d;
    return v.n == 10 && cal_date_parse(v.p, v.n, &d);
}

int svcadm_page_maklumat(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    unit u;
    form_state f;
    form_init(&f);
    int st = 0;
    int r = units_get(c, rq->a, http_param(rq, "code"), &u);
    if (r == DB_DONE) st = 404;
    else if (r != DB_OK) st = 503;
    else if (!svcadm_may(rq, c, u.code)) st = 403;
    if (st || rq->method != HTTP_POST) {
        if (!st) st = maklumat_page(rq, c, &u, &f, NULL);
        else form_free(&f);
        db_release(c);
        return st;
    }
    str body = form_keep(rq, &f, "isi", 16000), name = form_keep(rq, &f, "nama", 400),
        title = form_keep(rq, &f, "jabatan", 400), date = form_keep(rq, &f, "tanggal", 40);
    buf ch;
    buf_init(&ch, 256);
    for (size_t i = 0; i < NCHANNELS; i++) {
        char nm[40];
        snprintf(nm, sizeof nm, "kanal_%s", channels[i].code);
        if (!http_param(rq, nm).p) continue;
        if (ch.n) buf_putc(&ch, ',');
        buf_puts(&ch, channels[i].code);
    }
    const char *chs = arena_strndup(rq->a, ch.p ? ch.p : "", ch.n);
    buf_free(&ch);
    if (body.n < 20)
        form_error(rq, &f, "isi",
                   "Enter the text of the maklumat: the promise to serve by the standard (at "
                   "least 20 characters).");
    else if (body.n > 8000) form_error(rq, &f, "isi", "The text can be at most 8000 characters.");
    if (name.n < 3 || name.n > 200)
        form_error(rq, &f, "nama", "Enter the full name of the person who signs it.");
    if (title.n < 3 || title.n > 200)
        form_error(rq, &f, "jabatan",
                   "Enter the position of the person who signs it, for example Kepala Dinas.");
    if (!date_ok(date))
        form_error(rq, &f, "tanggal",
                   "Enter the date it was stipulated as year-month-day, for example 2026-01-15.");
    if (!*chs)
        form_error(rq, &f, "kanal_kantor", "Choose at least one place where it is published.");
    if (!form_ok(&f)) {
        st = maklumat_page(rq, c, &u, &f, chs);
        db_release(c);
        return st;
    }
    form_free(&f);
    svc_maklumat m = {.unit_code = u.code,
                      .body = arena_strndup(rq->a, body.p, body.n),
                      .signatory_name = arena_strndup(rq->a, name.p, name.n),
                      .signatory_title = arena_strndup(rq->a, title.p, title.n),
                      .stipulated_on = arena_strndup(rq->a, date.p, date.n),
                      .channels = chs};
    int version = 0;
    r = DB_ECONSTRAINT; /* a concurrent save took the number: try the next one */
    for (int attempt = 0; attempt < 3 && r == DB_ECONSTRAINT; attempt++) {
        r = db_begin(c);
        if (r == DB_OK) r = svc_maklumat_add(c, u.code, &m, rq->who.user_id, &version);
        char obj[64], detail[32];
        snprintf(obj, sizeof obj, "unit:%s", u.code);
        snprintf(detail, sizeof detail, "maklumat version %d", version);
        admin_audit(rq, c, "maklumat.add", obj, detail, &r);
        if (r == DB_OK) r = db_commit(c);
        if (r != DB_OK) db_rollback(c);
    }
    db_release(c);
    if (r != DB_OK) return 503;
    svc_api_invalidate();
    return http_redirect(
        rq, 303, arena_printf(rq->a, "/admin/unit/%s/maklumat?tersimpan=%d", u.code, version));
}

/* ---- completeness -----------------------------------------------------------------------------
 */

/* the gaps in the caller's scope: admin everything (or the chosen unit), kepala_unit the units
 * under their role(s). Rows seen twice (nested roles) are kept once. */
static int gaps_in_scope(http_req *rq, db_conn *c, const char *unit_code, const char *today,
                         svc_gap **out, size_t *n)
{
    if (unit_code || (rq->who.roles & ROLE_ADMIN))
        return svc_completeness(c, rq->a, unit_code, today, out, n);
    acct_role *rs;
    size_t nr;
    int r = acct_roles(c, rq->who.user_id, rq->a, &rs, &nr);
    if (r != DB_OK) return r;
    svc_gap *all = NULL;
    size_t total = 0;
    for (size_t i = 0; i < nr; i++) {
        if (strcmp(rs[i].role, "kepala_unit") != 0) continue;
        svc_gap *g;
        size_t k;
        if ((r = svc_completeness(c, rq->a, rs[i].unit_code, today, &g, &k)) != DB_OK) return r;
        svc_gap *m = arena_alloc(rq->a, (total + k + 1) * sizeof *m);
        if (total) memcpy(m, all, total * sizeof *m);
        for (size_t j = 0; j < k; j++) {
            bool dup = false;
            for (size_t x = 0; x < total && !dup; x++)
                dup = strcmp(m[x].unit_code, g[j].unit_code) == 0 &&
                      strcmp(m[x].service_code, g[j].service_code) == 0;
            if (!dup) m[total++] = g[j];
        }
        all = m;
    }
    *out = all;
    *n = total;
    return DB_OK;
}

int svcadm_page_completeness(http_req *rq)
{
    app *a = app_of(rq);
    struct svcadm_date_buf today = svcadm_today(rq);
    const char *filter = http_param_c(rq, "unit");
    if (filter && !*filter) filter = NULL;
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    if (filter && !svcadm_may(rq, c, filter)) {
        int st = units_id(c, filter) ? 403 : 404;
        db_release(c);
        return st;
    }
    svc_gap *g = NULL;
    size_t n = 0;
    int r = gaps_in_scope(rq, c, filter, today.s, &g, &n);
    unit *us = NULL;
    size_t nu = 0;
    if (r == DB_OK) r = units_list(c, rq->a, &us, &nu);
    json_t *units = json_array();
    for (size_t i = 0; r == DB_OK && i < nu; i++)
        if (svcadm_may(rq, c, us[i].code))
            json_array_append_new(units,
                                  json_pack("{s:s,s:s,s:b}", "code", us[i].code, "name", us[i].name,
                                            "selected", filter && strcmp(filter, us[i].code) == 0));
    db_release(c);
    if (r != DB_OK) {
        json_decref(units);
        return 503;
    }
    /* per service (the standard is the service's; the same at every point) */
    json_t *services = json_array(), *unit_rows = json_array();
    int nsvc = 0, ncomplete = 0, nnostd = 0, nnotstip = 0, noverdue = 0, nunits = 0, nnomk = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && strcmp(g[j].service_code, g[i].service_code) != 0)
            j++;
        if (j == i) {
            const svc_gap *x = &g[i];
            nsvc++;
            json_t *miss = json_array();
            for (int k = 0; k < SVC_NCOMPONENTS; k++)
                if (x->missing[k])
                    json_array_append_new(miss, json_string(http_t(rq, svc_component_name(k))));
            int points = 0;
            for (size_t k = 0; k < n; k++)
                points += strcmp(g[k].service_code, x->service_code) == 0;
            if (!x->version) nnostd++;
            else if (!x->nmissing) ncomplete++;
            if (x->version && !x->stipulated) nnotstip++;
            if (x->version && x->review_overdue) noverdue++;
            json_array_append_new(
                services,
                json_pack("{s:s,s:s,s:i,s:b,s:b,s:s*,s:s*,s:i,s:i,s:o,s:i}", "code",
                          x->service_code, "name", x->service_name, "version", x->version,
                          "stipulated", x->stipulated, "overdue", x->review_overdue, "review_due",
                          svcadm_date(rq, x->review_due), "overdue_text",
                          x->review_overdue ? svcadm_overdue(rq, x->review_due, today.s) : NULL,
                          "present", x->version ? SVC_NCOMPONENTS - x->nmissing : 0, "total",
                          SVC_NCOMPONENTS, "missing", miss, "points", points));
        }
        j = 0;
        while (j < i && strcmp(g[j].unit_code, g[i].unit_code) != 0)
            j++;
        if (j == i) {
            nunits++;
            nnomk += !g[i].has_maklumat;
            int offered = 0, gaps = 0;
            for (size_t k = 0; k < n; k++)
                if (strcmp(g[k].unit_code, g[i].unit_code) == 0) {
                    offered++;
                    gaps +=
                        !g[k].version || g[k].nmissing || !g[k].stipulated || g[k].review_overdue;
                }
            json_array_append_new(unit_rows,
                                  json_pack("{s:s,s:s,s:b,s:i,s:i}", "code", g[i].unit_code, "name",
                                            g[i].unit_name, "maklumat", g[i].has_maklumat,
                                            "offered", offered, "gaps", gaps));
        }
    }
    json_t *ctx = json_pack("{s:o,s:o,s:o,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:b,s:b,s:b}", "services",
                            services, "unit_rows", unit_rows, "units", units, "nsvc", nsvc,
                            "ncomplete", ncomplete, "nnostd", nnostd, "nnotstip", nnotstip,
                            "noverdue", noverdue, "nunits", nunits, "nnomk", nnomk,
                            "nav_completeness", 1, "nav_standards", 1, "filtered", filter != NULL);
    return http_page(rq, 200, "services/admin_completeness", ctx);
}

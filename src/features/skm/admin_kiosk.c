/* skm admin_kiosk: starting a kiosk (a tablet at the counter that takes anonymous answers for
 * one period, optionally one service) and revoking one. The kiosk's address holds a random
 * token shown once here, as a link and as a QR code; only its hash is stored. A kiosk stops
 * at its expiry (by default the end of the period), when revoked, or when the period closes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/form.h"
#include "features/services/services.h"
#include "features/skm/web.h"
#include "lib/crypto.h"
#include "render/qr.h"
#include "render/tpl.h"

const http_param_spec skmadm_kiosk_params[] = {{"periode", HP_INT, 0, INT32_MAX, false},
                                               {"layanan", HP_CODE, 0, 80, false},
                                               {"tempat", HP_STR, 0, 200, false},
                                               {"sampai", HP_STR, 0, 20, false},
                                               {"aksi", HP_CODE, 0, 12, false},
                                               {"id", HP_INT, 0, INT32_MAX, false},
                                               {"berhasil", HP_CODE, 0, 20, false},
                                               {"kunci", HP_CODE, 0, 64, false},
                                               {0}};

/* the public address of a path: [app] base_url, else the Host the staff member used */
static const char *public_url(http_req *rq, const char *path)
{
    const char *b = app_of(rq)->cfg->base_url;
    size_t n = strlen(b);
    while (n && b[n - 1] == '/')
        n--;
    if (n) return arena_printf(rq->a, "%.*s%s", (int)n, b, path);
    str host = http_header_in(rq, "Host");
    for (size_t i = 0; i < host.n; i++) {
        char ch = host.p[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == ':' || ch == '[' ||
                  ch == ']';
        if (!ok) host.n = 0;
    }
    if (!host.n) return path;
    return arena_printf(rq->a, "http://%.*s%s", (int)host.n, host.p, path);
}

static int64_t period_sel(http_req *rq)
{
    str s = http_param(rq, "periode");
    return s.p ? strtoll(arena_strndup(rq->a, s.p, s.n), NULL, 10) : 0;
}

static int kiosk_page(http_req *rq, db_conn *c, form_state *f, json_t *ctx, int status)
{
    char now[32];
    skmw_now_iso(now);
    int64_t sel = period_sel(rq);
    skm_period_row *ps;
    size_t n = 0;
    json_t *periods = json_array();
    if (skm_periods_all(c, rq->a, &ps, &n) != DB_OK) n = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ps[i].p.status, "open") != 0 ||
            !acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, ps[i].p.unit_id))
            continue;
        json_array_append_new(
            periods, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)ps[i].p.id, "label",
                               arena_printf(rq->a, "%s – %s", ps[i].p.code, ps[i].unit_name),
                               "selected", ps[i].p.id == sel));
    }
    service *ss;
    size_t ns = 0;
    svc_filter all = {0};
    const char *lay = http_param_c(rq, "layanan");
    json_t *services = json_array();
    if (svc_list(c, rq->a, &all, &ss, &ns) != DB_OK) ns = 0;
    for (size_t i = 0; i < ns; i++)
        json_array_append_new(services,
                              json_pack("{s:s,s:s,s:b}", "value", ss[i].code, "label", ss[i].name,
                                        "selected", lay && strcmp(lay, ss[i].code) == 0));
    skm_kiosk *ks;
    size_t nk = 0;
    json_t *kiosks = json_array();
    if (skm_kiosks_list(c, rq->a, 0, &ks, &nk) != DB_OK) nk = 0;
    for (size_t i = 0; i < nk; i++) {
        if (ks[i].revoked_at || strcmp(ks[i].expires_at, now) <= 0 ||
            !acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, ks[i].unit_id))
            continue;
        json_array_append_new(
            kiosks,
            json_pack("{s:I,s:s,s:s,s:s,s:s*,s:I,s:s}", "id", (json_int_t)ks[i].id, "place",
                      ks[i].place, "unit", ks[i].unit_code, "period", ks[i].period_code, "service",
                      ks[i].service_code, "answers", (json_int_t)ks[i].answers, "expires",
                      app_fmt_date(rq, arena_strndup(rq->a, ks[i].expires_at, 10))));
    }
    json_object_set_new(ctx, "periods", periods);
    json_object_set_new(ctx, "services", services);
    json_object_set_new(ctx, "kiosks", kiosks);
    json_object_set_new(ctx, "nav_skm", json_true());
    if (str_eq_c(http_param(rq, "berhasil"), "cabut"))
        json_object_set_new(ctx, "done",
                            json_string(http_t(rq, "The kiosk has been stopped. Its address no "
                                                   "longer works.")));
    /* the form's own random key: a resubmitted form (a refresh of the page that shows the
     * started kiosk) finds that kiosk instead of starting a second one */
    if (!json_is_string(json_object_get(f->v, "kunci"))) {
        unsigned char nonce[16];
        char hex[33];
        cr_random_bytes(nonce, sizeof nonce);
        cr_hex(nonce, sizeof nonce, hex);
        json_object_set_new(f->v, "kunci", json_string(hex));
    }
    form_into(f, ctx);
    return http_page(rq, status, "skm/admin_kiosk", ctx);
}

/* end of the local day `ymd` in UTC, "YYYY-MM-DDTHH:MM:SSZ" */
static const char *end_of_day(http_req *rq, const char *ymd)
{
    cal_date d;
    if (!cal_date_parse(ymd, strlen(ymd), &d)) return NULL;
    time_t t =
        (time_t)((cal_days_from_civil(d.y, d.m, d.d) + 1) * 86400 - app_of(rq)->tz_offset_min * 60);
    struct tm tm;
    gmtime_r(&t, &tm);
    char *out = arena_alloc(rq->a, 32);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

static int started_page(http_req *rq, const char *tok, const char *place, const char *period,
                        const char *until, int status);

static int start(http_req *rq, db_conn *c, form_state *f)
{
    int64_t pid = period_sel(rq);
    skm_period p = {0};
    bool have = pid > 0 && skm_period_by_id(c, rq->a, pid, &p) == DB_OK &&
                acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, p.unit_id);
    if (!have) form_error(rq, f, "periode", "Choose the survey period.");
    else if (strcmp(p.status, "open") != 0)
        form_error(rq, f, "periode", "This period is closed. Choose an open period.");
    str place = form_keep(rq, f, "tempat", 100);
    if (place.n < 2)
        form_error(rq, f, "tempat",
                   "Write where the tablet stands, for example Loket 1 or Ruang tunggu.");
    str until = form_keep(rq, f, "sampai", 12);
    char today[16];
    app_today(rq, today, sizeof today);
    const char *untilc = until.n ? arena_strndup(rq->a, until.p, until.n) : NULL;
    if (have && !untilc) untilc = p.ends_on;
    cal_date d;
    if (untilc && !cal_date_parse(untilc, strlen(untilc), &d))
        form_error(rq, f, "sampai", "Write the last day as a date, for example 2026-03-31.");
    else if (untilc && strcmp(untilc, today) < 0)
        form_error(rq, f, "sampai", "The last day has passed. Choose today or a later day.");
    else if (have && untilc && strcmp(untilc, p.ends_on) > 0)
        form_error(rq, f, "sampai", "The kiosk cannot run after the period ends (%s).",
                   app_fmt_date(rq, p.ends_on));
    const char *lay = http_param_c(rq, "layanan");
    service sv;
    if (lay && *lay && svc_get(c, rq->a, str_c(lay), &sv) != DB_OK)
        form_error(rq, f, "layanan", "Choose a service from the list.");
    if (!form_ok(f)) return kiosk_page(rq, c, f, json_object(), 400);
    char now[32], tok[SKM_LINK_TOKEN];
    skmw_now_iso(now);
    const char *placec = arena_strndup(rq->a, place.p, place.n);
    str key = form_keep(rq, f, "kunci", 64);
    if (key.n >= 16)
        cr_derived_token(
            &app_of(rq)->keys, "skm-kiosk",
            str_c(arena_printf(rq->a, "%lld|%.*s", (long long)rq->who.user_id, (int)key.n, key.p)),
            tok);
    else cr_random_token(tok);
    /* the same form sent again: show the kiosk it started */
    skm_kiosk again;
    if (key.n >= 16 && skm_kiosk_find(c, rq->a, str_c(tok), now, &again) == DB_OK) {
        form_free(f);
        return started_page(rq, tok, again.place, again.period_code,
                            arena_strndup(rq->a, again.expires_at, 10), 200);
    }
    int64_t kid = 0;
    int r = db_begin(c);
    if (r == DB_OK)
        r = skm_kiosk_start(c, p.id, lay && *lay ? lay : NULL, placec, end_of_day(rq, untilc),
                            rq->who.user_id, now, &kid, tok);
    skmw_audit(rq, c, "skm.kiosk.start", arena_printf(rq->a, "skm_kiosk:%lld", (long long)kid),
               arena_printf(rq->a, "%s %s; %s; until %s", p.unit_code, p.code, placec, untilc), &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) {
        db_rollback(c);
        form_free(f);
        /* that form started a kiosk that has been stopped since: start afresh */
        if (r == DB_ECONSTRAINT) return http_redirect(rq, 303, "/admin/skm/kios");
        return 503;
    }
    form_free(f);
    return started_page(rq, tok, placec, p.code, untilc, 201);
}

static int started_page(http_req *rq, const char *tok, const char *place, const char *period,
                        const char *until, int status)
{
    const char *url = public_url(rq, arena_printf(rq->a, "/kios/skm/%s", tok));
    json_t *ctx = json_object();
    char *svg = qr_svg(rq->a, url, http_t(rq, "QR code of the kiosk address"));
    if (svg) json_object_set_new(ctx, "qr", tpl_safe_html(svg));
    json_object_set_new(ctx, "url", json_string(url));
    json_object_set_new(ctx, "place", json_string(place));
    json_object_set_new(ctx, "period", json_string(period));
    json_object_set_new(ctx, "until", json_string(app_fmt_date(rq, until)));
    json_object_set_new(ctx, "nav_skm", json_true());
    return http_page(rq, status, "skm/admin_kiosk_started", ctx);
}

int skmadm_page_kiosk(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    form_state f;
    form_init(&f);
    int st;
    if (rq->method != HTTP_POST) {
        st = kiosk_page(rq, c, &f, json_object(), 200);
        db_release(c);
        return st;
    }
    str act = http_param(rq, "aksi");
    if (str_eq_c(act, "mulai")) {
        st = start(rq, c, &f);
        db_release(c);
        return st;
    }
    if (!str_eq_c(act, "cabut")) {
        db_release(c);
        form_free(&f);
        return 400;
    }
    str ids = http_param(rq, "id");
    int64_t id = ids.p ? strtoll(arena_strndup(rq->a, ids.p, ids.n), NULL, 10) : 0;
    skm_kiosk k = {0};
    int r = id > 0 ? skm_kiosk_get(c, rq->a, id, &k) : DB_DONE;
    if (r == DB_OK && !acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, k.unit_id)) r = 403;
    if (r == DB_OK) {
        char now[32];
        skmw_now_iso(now);
        r = db_begin(c);
        if (r == DB_OK) r = skm_kiosk_revoke(c, id, now);
        if (r == DB_DONE) r = DB_OK; /* already stopped: the same outcome */
        skmw_audit(rq, c, "skm.kiosk.revoke", arena_printf(rq->a, "skm_kiosk:%lld", (long long)id),
                   arena_printf(rq->a, "%s %s; %s", k.unit_code, k.period_code, k.place), &r);
        if (r == DB_OK) r = db_commit(c);
        if (r != DB_OK) db_rollback(c);
    }
    db_release(c);
    form_free(&f);
    if (r == DB_DONE) return 404;
    if (r == 403) return 403;
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, "/admin/skm/kios?berhasil=cabut");
}

/* appfix: see appfix.h. */
#include "appfix.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/contact.h"
#include "features/accounts/accounts.h"
#include "features/requests/requests.h"
#include "features/units/units.h"
#include "testdb.h"

int th_app_start(th_app *t, const char *name, bool demo, int (*before_start)(th_app *t))
{
    return th_app_start_with(t, name, demo, NULL, before_start);
}

int th_app_start_with(th_app *t, const char *name, bool demo, void (*configure)(th_app *t),
                      int (*before_start)(th_app *t))
{
    memset(t, 0, sizeof *t);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(t->dir, sizeof t->dir, "/tmp/layan-%s-XXXXXX", name);
    if (!mkdtemp(t->dir)) return -1;
    snprintf(t->answers, sizeof t->answers, "%s/answers.jsonl", t->dir);
    if (!testdb_new(t->dir, name, t->url, sizeof t->url)) return -1;
    char keyf[700], err[512];
    snprintf(keyf, sizeof keyf, "%s/layan.key", t->dir);
    setenv("LAYAN_KEY_FILE", keyf, 1);
    setenv("LAYAN_PASSWORD_OPS", "1", 1);
    setenv("LAYAN_PASSWORD_MEM_KB", "8", 1);
    char *init[] = {"init", "--db", t->url, "--region", "32.73", NULL};
    char *dem[] = {"demo", "--db", t->url, NULL};
    if (cmd_init(5, init) != 0 || (demo && cmd_demo(3, dem) != 0)) return -1;
    db_options o = {0};
    if (db_open(t->url, &o, &t->app.db, err, sizeof err)) {
        fprintf(stderr, "appfix: %s\n", err);
        return -1;
    }
    config_defaults(&t->cfg);
    snprintf(t->cfg.db_url, sizeof t->cfg.db_url, "%s", t->url);
    snprintf(t->cfg.key_file, sizeof t->cfg.key_file, "%s", keyf);
    t->cfg.password_ops = 1;
    t->cfg.password_mem_kb = 8;
    if (configure) configure(t);
    t->app.cfg = &t->cfg;
    if (app_load(&t->app, err, sizeof err)) {
        fprintf(stderr, "appfix: %s\n", err);
        return -1;
    }
    if (before_start && before_start(t)) return -1;
    const char *src = getenv("LAYAN_SOURCE_DIR"), *bld = getenv("LAYAN_BUILD_DIR");
    char p[1024];
    snprintf(p, sizeof p, "%s/templates", src ? src : LAYAN_SOURCE_DIR);
    if (tpl_load_dir(p, &t->tpl, err, sizeof err)) {
        fprintf(stderr, "appfix: templates: %s\n", err);
        return -1;
    }
    snprintf(p, sizeof p, "%s/locale", bld ? bld : LAYAN_BINARY_DIR);
    t->cat = i18n_load(p, err, sizeof err);
    if (!t->cat) {
        fprintf(stderr, "appfix: %s\n", err);
        return -1;
    }
    th_authenticate = accounts_authenticate;
    th_signin_path = "/masuk";
    t->srv = th_start(app_routes, app_nroutes, t->tpl, t->cat, &t->app, &t->srv_cfg, app_page_ctx);
    return t->srv ? 0 : -1;
}

void th_app_public_url(th_app *t)
{
    snprintf(t->cfg.base_url, sizeof t->cfg.base_url, "https://layan.example.go.id/");
}

int th_app_stop(th_app *t)
{
    if (t->srv) http_server_stop(t->srv, 1000);
    if (t->tpl) tpl_set_free(t->tpl);
    if (t->cat) i18n_free(t->cat);
    if (t->app.db) db_close(t->app.db);
    testdb_cleanup();
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    int r = system(cmd) == 0 ? 0 : -1;
    curl_global_cleanup();
    return r;
}

CURL *th_app_browser(th_app *t, const char *ident)
{
    CURL *b = th_browser();
    th_resp r;
    memset(&r, 0, sizeof r);
    char body[300];
    snprintf(body, sizeof body, "identitas=%s&kata_sandi=layan-demo-2026", ident);
    if (th_submit(b, t->srv, "/masuk", "/masuk", body, &r) || r.status != 303) goto fail;
    char loc[300] = "";
    th_header(&r, "Location", loc, sizeof loc);
    th_resp_free(&r);
    memset(&r, 0, sizeof r);
    if (strncmp(loc, "/masuk/kode", 11) != 0) return b;
    /* two-step sign-in: the code from the account's secret */
    int64_t uid = th_app_user(t, ident);
    db_conn *c = uid ? db_acquire(t->app.db) : NULL;
    char secret[CR_TOTP_SECRET_B32 + 1], code[7];
    int64_t last;
    bool ok = c && acct_totp_secret(c, &t->app.keys, uid, secret, &last) == DB_OK &&
              cr_totp_code(secret, app_now(), code) == 0;
    if (c) db_release(c);
    if (!ok) goto fail_quiet;
    snprintf(body, sizeof body, "kode=%s", code);
    if (th_submit(b, t->srv, "/masuk/kode", "/masuk/kode", body, &r) || r.status != 303) goto fail;
    th_resp_free(&r);
    return b;
fail:
    th_resp_free(&r);
fail_quiet:
    fprintf(stderr, "appfix: sign-in of %s failed\n", ident);
    curl_easy_cleanup(b);
    return NULL;
}

int64_t th_app_int(th_app *t, const char *sql, const char *arg)
{
    db_conn *c = db_acquire(t->app.db);
    if (!c) return -1;
    db_stmt *s = db_prepare(c, sql);
    int64_t v = -1;
    if (s) {
        if (arg) db_bind_cstr(s, 1, arg);
        if (db_step(s) == DB_ROW) v = db_col_int(s, 0);
        db_finish(s);
    }
    db_release(c);
    return v;
}

int th_app_staff(th_app *t, const char *username, const char *name, const char *role,
                 const char *unit_code)
{
    db_conn *c = db_acquire(t->app.db);
    if (!c) return -1;
    acct_new n = {
        .name = name, .username = username, .password = "layan-demo-2026", .verified = true};
    int64_t id = 0;
    int r = acct_create(c, &t->app.keys, app_now(), &n, &id);
    if (r == DB_OK) r = acct_role_add(c, id, role, units_id(c, unit_code), 0, app_now());
    db_release(c);
    return r == DB_OK ? 0 : -1;
}

int th_app_citizen(th_app *t, const char *phone, const char *nik, const char *name, int64_t *id)
{
    char norm[40];
    if (!contact_phone(phone, strlen(phone), norm, sizeof norm)) return -1;
    db_conn *c = db_acquire(t->app.db);
    if (!c) return -1;
    acct_new n = {.nik = nik,
                  .name = name,
                  .phone = norm,
                  .password = "layan-demo-2026",
                  .citizen = true,
                  .verified = true};
    int64_t made = 0;
    int r = acct_create(c, &t->app.keys, app_now(), &n, &made);
    db_release(c);
    if (id) *id = made;
    return r == DB_OK ? 0 : -1;
}

int64_t th_app_user(th_app *t, const char *ident)
{
    char norm[CONTACT_MAX + 1];
    enum contact_kind kind = contact_classify(ident, strlen(ident), norm, sizeof norm);
    if (kind == CONTACT_NONE) return 0;
    db_conn *c = db_acquire(t->app.db);
    if (!c) return 0;
    arena *a = arena_new(0);
    acct_user u;
    int64_t id = acct_find(c, &t->app.keys, kind, norm, a, &u) == DB_ROW ? u.id : 0;
    db_release(c);
    arena_free(a);
    return id;
}

int th_app_apikey(th_app *t, const char *name, const char *unit_code, char *out, size_t cap)
{
    db_conn *c = db_acquire(t->app.db);
    if (!c) return -1;
    int64_t unit_id = unit_code ? units_id(c, unit_code) : 0, kid;
    int r = unit_code && !unit_id
                ? DB_DONE
                : acct_apikey_create(c, app_now(), name, unit_id, "test", out, cap, &kid);
    db_release(c);
    if (r != DB_OK) {
        fprintf(stderr, "appfix: api key %s: %d\n", name, r);
        return -1;
    }
    return 0;
}

const char *th_app_status(th_app *t, int64_t request_id)
{
    static char st[32];
    st[0] = 0;
    db_conn *c = db_acquire(t->app.db);
    db_stmt *s = c ? db_prepare(c, "SELECT status FROM requests WHERE id = $1") : NULL;
    if (s) {
        db_bind_int(s, 1, request_id);
        if (db_step(s) == DB_ROW) {
            str v = db_col_text(s, 0);
            snprintf(st, sizeof st, "%.*s", (int)v.n, v.p ? v.p : "");
        }
        db_finish(s);
    }
    if (c) db_release(c);
    return st;
}

int th_app_file(th_app *t, int64_t service_id, const char *unit_code, int64_t applicant,
                int64_t filed_by, const char *delivery, const char *nik, int64_t at, char code[11],
                int64_t *id)
{
    db_conn *c = db_acquire(t->app.db);
    if (!c) return -1;
    req_new n = {.service_id = service_id,
                 .unit_id = units_id(c, unit_code),
                 .applicant_id = applicant,
                 .filed_by = filed_by,
                 .channel = applicant ? "online" : "assisted",
                 .delivery = delivery,
                 .nik = nik,
                 .name = "Siti Aminah",
                 .phone = "081234567890",
                 .address =
                     strcmp(delivery, "delivery") == 0 ? "Jl. Kenanga No. 7 RT 02/RW 05" : NULL,
                 .form_json = "{\"keterangan\":\"KTP hilang\"}"};
    req_created out;
    int r = req_create(c, &t->app.keys, at, &n, &out);
    db_release(c);
    if (r != DB_OK) {
        fprintf(stderr, "req_create at %s: %d\n", unit_code, r);
        return -1;
    }
    memcpy(code, out.code, TRK_LEN + 1);
    if (id) *id = out.id;
    return 0;
}

const char *th_app_csrf(th_app *t, CURL *b)
{
    static char tok[4][100];
    static int k;
    th_resp r;
    memset(&r, 0, sizeof r);
    char url[600];
    snprintf(url, sizeof url, "%s", th_url(t->srv, "/api/v1/me"));
    assert_int_equal(th_request(b, "GET", url, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    json_t *j = json_loadb(r.body.p, r.body.n, 0, NULL);
    assert_true(json_is_string(json_object_get(j, "csrf")));
    char *o = tok[k++ % 4];
    snprintf(o, sizeof tok[0], "%s", json_string_value(json_object_get(j, "csrf")));
    json_decref(j);
    th_resp_free(&r);
    return o;
}

th_ans th_app_send(th_app *t, CURL *b, const char *method, const char *path,
                   const char *const *headers, const char *body, size_t n)
{
    char url[600];
    snprintf(url, sizeof url, "%s", th_url(t->srv, path));
    th_resp r;
    memset(&r, 0, sizeof r);
    assert_int_equal(th_request(b, method, url, headers, body, n, &r), 0);
    th_ans a = {r.status, json_loadb(r.body.p ? r.body.p : "", r.body.n, 0, NULL)};
    char ct[200] = "";
    th_header(&r, "Content-Type", ct, sizeof ct);
    const char *q = strchr(path, '?');
    json_t *line = json_pack("{s:s,s:s%,s:i,s:s,s:O?}", "method", method, "path", path,
                             q ? (size_t)(q - path) : strlen(path), "status", (int)r.status,
                             "ctype", ct, "body", a.j);
    FILE *f = fopen(t->answers, "a");
    assert_non_null(f);
    json_dumpf(line, f, JSON_COMPACT);
    fputc('\n', f);
    fclose(f);
    json_decref(line);
    th_resp_free(&r);
    return a;
}

th_ans th_app_call(th_app *t, CURL *b, const char *method, const char *path, const char *body,
                   bool csrf, const char *ik)
{
    char tokh[200], ikh[200];
    const char *hs[4] = {"Content-Type: application/json", NULL, NULL, NULL};
    int k = 1;
    if (csrf) {
        snprintf(tokh, sizeof tokh, "X-CSRF-Token: %s", th_app_csrf(t, b));
        hs[k++] = tokh;
    }
    if (ik) {
        snprintf(ikh, sizeof ikh, "Idempotency-Key: %s", ik);
        hs[k++] = ikh;
    }
    bool post = strcmp(method, "POST") == 0;
    return th_app_send(t, b, method, path, post ? hs : NULL, post ? (body ? body : "") : NULL,
                       post && body ? strlen(body) : 0);
}

void th_ans_free(th_ans *a)
{
    json_decref(a->j);
    a->j = NULL;
}

const char *th_json_str(const json_t *j, const char *key)
{
    const char *v = json_string_value(json_object_get(j, key));
    return v ? v : "";
}

const char *th_ans_error(const th_ans *a)
{
    return th_json_str(json_object_get(a->j, "error"), "code");
}

bool th_lists(const json_t *arr, const char *shown_code)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (strcmp(th_json_str(v, "tracking_code"), shown_code) == 0) return true;
    }
    return false;
}

const char *th_shown(const char code[TRK_LEN + 1])
{
    static char s[4][TRK_SHOWN + 1];
    static int k;
    char *o = s[k++ % 4];
    trk_format(code, o);
    return o;
}

const char *th_path(const char *fmt, ...)
{
    static char p[4][200];
    static int k;
    char *o = p[k++ % 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o, sizeof p[0], fmt, ap);
    va_end(ap);
    return o;
}

int64_t th_app_count(th_app *t, const char *sql, int64_t id)
{
    db_conn *c = db_acquire(t->app.db);
    db_stmt *s = c ? db_prepare(c, sql) : NULL;
    int64_t v = -1;
    if (s) {
        db_bind_int(s, 1, id);
        if (db_step(s) == DB_ROW) v = db_col_int(s, 0);
        db_finish(s);
    }
    if (c) db_release(c);
    return v;
}

int th_app_validate(th_app *t, const char *args)
{
    char all[512];
    snprintf(all, sizeof all, "--answers '%s' %s", t->answers, args);
    return th_validate(t->srv, all);
}

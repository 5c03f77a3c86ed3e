/* HTTP tests of accounts on a real database made by `layan init` + `layan demo`: register,
 * verify with the code from the outbox, sign in and out, no user enumeration, rate limits,
 * CSRF, forgot password, two-step sign-in, forced set-up steps, session expiry, API keys, and
 * personal data never stored in clear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "features/accounts/accounts.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;

/* a valid NIK of Kota Bandung (Kec. Sukasari, 32.73.01... is the demo's), born 1 Feb 1995 */
#define NIK "3273020102950003"
#define PHONE "081355550003"

static int setup(void **state)
{
    (void)state;
    return th_app_start(&T, "accounts", true, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return th_app_stop(&T);
}

/* the newest one-time code in the outbox (decrypted as a sender would) */
static void newest_code(char out[7])
{
    out[0] = 0;
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, "SELECT body_enc FROM outbox ORDER BY id DESC LIMIT 1");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    size_t n;
    const void *p = db_col_blob(s, 0, &n);
    unsigned char body[1024];
    long m = cr_open(&T.app.keys, p, n, body, sizeof body);
    assert_true(m > 0);
    for (long i = 0; i + 6 <= m; i++) {
        bool six = true;
        for (int k = 0; k < 6; k++)
            if (body[i + k] < '0' || body[i + k] > '9') six = false;
        if (six && (i + 6 == m || body[i + 6] < '0' || body[i + 6] > '9')) {
            memcpy(out, body + i, 6);
            out[6] = 0;
            break;
        }
    }
    db_finish(s);
    db_release(c);
}

static bool has(const th_resp *r, const char *needle)
{
    return r->body.p && strstr(r->body.p, needle) != NULL;
}

static void location(const th_resp *r, char *out, size_t cap)
{
    if (th_header(r, "Location", out, cap)) out[0] = 0;
}

static void test_register_errors_keep_input(void **state)
{
    (void)state;
    CURL *b = th_browser();
    th_resp r;
    assert_int_equal(th_submit(b, T.srv, "/daftar", "/daftar",
                               "nik=32730201029500&nama=Siti+Aminah&telepon=0812&kata_sandi=123",
                               &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "govuk-error-summary"));
    assert_true(has(&r, "value=\"32730201029500\"")); /* what was typed stays */
    assert_true(has(&r, "value=\"Siti Aminah\""));
    assert_true(has(&r, "href=\"#nik\""));
    assert_true(has(&r, "href=\"#telepon\""));
    assert_true(has(&r, "href=\"#kata_sandi\""));
    assert_true(has(&r, "href=\"#setuju\""));
    assert_false(has(&r, "value=\"123\"")); /* a password is never sent back */
    th_resp_free(&r);
    /* a common password is refused, with a way forward */
    assert_int_equal(
        th_submit(b, T.srv, "/daftar", "/daftar",
                  "nik=" NIK "&nama=Siti&telepon=" PHONE "&kata_sandi=password123&setuju=1", &r),
        0);
    assert_true(has(&r, "href=\"#kata_sandi\""));
    assert_false(has(&r, "href=\"#nik\""));
    th_resp_free(&r);
    curl_easy_cleanup(b);
}

static void register_and_verify(CURL *b)
{
    th_resp r;
    char loc[512], code[7];
    assert_int_equal(th_submit(b, T.srv, "/daftar", "/daftar",
                               "nik=" NIK "&nama=Siti+Aminah&telepon=0813-5555-0003"
                               "&kata_sandi=kopi+hujan+sepeda&setuju=1",
                               &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "0813****0003")); /* masked: where the code went */
    assert_false(has(&r, "govuk-error-summary"));
    char token[128];
    assert_int_equal(th_input_value(&r, "_csrf", token, sizeof token), 0);
    th_resp_free(&r);
    newest_code(code);
    assert_int_equal(strlen(code), 6);
    /* a wrong code first */
    char body[400];
    snprintf(body, sizeof body, "kontak=" PHONE "&kode=%s&_csrf=%s",
             strcmp(code, "000000") ? "000000" : "111111", token);
    assert_int_equal(
        th_request(b, "POST", th_url(T.srv, "/daftar/verifikasi"), NULL, body, strlen(body), &r),
        0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "href=\"#kode\""));
    th_resp_free(&r);
    snprintf(body, sizeof body, "kontak=" PHONE "&kode=%s&_csrf=%s", code, token);
    assert_int_equal(
        th_request(b, "POST", th_url(T.srv, "/daftar/verifikasi"), NULL, body, strlen(body), &r),
        0);
    assert_int_equal(r.status, 303);
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "/akun?selamat=1");
    char ck[512];
    assert_int_equal(th_header(&r, "Set-Cookie", ck, sizeof ck), 0);
    assert_non_null(strstr(ck, "HttpOnly"));
    assert_non_null(strstr(ck, "SameSite=Lax"));
    th_resp_free(&r);
}

static void test_register_verify_profile(void **state)
{
    (void)state;
    CURL *b = th_browser();
    register_and_verify(b);
    th_resp r;
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun?selamat=1"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Siti Aminah"));
    assert_true(has(&r, "3273********0003")); /* masked NIK */
    assert_true(has(&r, "0813****0003"));
    char cc[128];
    assert_int_equal(th_header(&r, "Cache-Control", cc, sizeof cc), 0);
    assert_string_equal(cc, "private, no-store");
    th_resp_free(&r);
    /* access history: empty state */
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun/riwayat-akses"), NULL, NULL, 0, &r),
                     0);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    /* sign out: the cookie goes, /akun sends to sign in */
    assert_int_equal(th_submit(b, T.srv, "/akun", "/keluar", "", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[512];
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "/masuk?lanjut=/akun");
    th_resp_free(&r);
    curl_easy_cleanup(b);
}

static void no_clear_personal_data(const void *p, size_t n)
{
    if (!p || !n) return;
    assert_null(memmem(p, n, NIK, 16));
    assert_null(memmem(p, n, PHONE, strlen(PHONE)));
    assert_null(memmem(p, n, "081200000001", 12)); /* the demo citizen's phone */
    assert_null(memmem(p, n, "Merdeka No. 1 (alamat", 20));
    assert_null(memmem(p, n, "kopi hujan sepeda", 17)); /* nor a password */
}

/* NIK, phone and address are nowhere in the database in clear: every column of the tables that
 * hold them, on both engines, and on SQLite the database file and its WAL byte by byte */
static void test_personal_data_encrypted(void **state)
{
    (void)state;
    assert_true(th_app_int(&T, "SELECT count(*) FROM users WHERE kind = 'citizen'", NULL) >= 2);
    const char *tables[] = {"users", "outbox", "one_time_codes", "sessions", "audit_log",
                            "rate_limits", NULL};
    db_conn *c = db_acquire(T.app.db);
    for (int t = 0; tables[t]; t++) {
        char sql[100];
        snprintf(sql, sizeof sql, "SELECT * FROM %s", tables[t]);
        db_stmt *s = db_prepare(c, sql);
        assert_non_null(s);
        while (db_step(s) == DB_ROW)
            for (int col = 0; col < db_col_count(s); col++) {
                if (db_col_is_null(s, col)) continue;
                size_t n;
                const void *p = db_col_blob(s, col, &n);
                no_clear_personal_data(p, n);
            }
        db_finish(s);
    }
    if (strcmp(db_engine(T.app.db), "sqlite") == 0) db_exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
    db_release(c);
    if (strcmp(db_engine(T.app.db), "sqlite") != 0) return;
    const char *files[] = {"accounts.db", "accounts.db-wal", NULL};
    for (int i = 0; files[i]; i++) {
        char p[700];
        snprintf(p, sizeof p, "%s/%s", T.dir, files[i]);
        FILE *f = fopen(p, "rb");
        if (!f) {
            assert_true(i > 0); /* the database file itself must be there */
            continue;
        }
        static char data[64 << 20];
        size_t n = fread(data, 1, sizeof data, f);
        fclose(f);
        no_clear_personal_data(data, n);
    }
}

static int signin(CURL *b, const char *ident, const char *pw, th_resp *r)
{
    char *e1 = curl_easy_escape(b, ident, 0), *e2 = curl_easy_escape(b, pw, 0);
    char body[600];
    snprintf(body, sizeof body, "identitas=%s&kata_sandi=%s", e1, e2);
    curl_free(e1);
    curl_free(e2);
    return th_submit(b, T.srv, "/masuk", "/masuk", body, r);
}

static const char *error_text(const th_resp *r, char *out, size_t cap)
{
    const char *p = r->body.p ? strstr(r->body.p, "govuk-error-message") : NULL;
    out[0] = 0;
    if (!p) return out;
    p = strstr(p, "</span>");
    const char *e = p ? strstr(p, "</p>") : NULL;
    if (p && e) snprintf(out, cap, "%.*s", (int)(e - p), p);
    return out;
}

static void test_signin_no_enumeration_and_rate_limit(void **state)
{
    (void)state;
    CURL *b = th_browser();
    th_resp r;
    char e1[512], e2[512];
    /* wrong password for a real account, and an account that does not exist: same answer */
    assert_int_equal(signin(b, "081200000001", "wrong password here", &r), 0);
    assert_int_equal(r.status, 200);
    error_text(&r, e1, sizeof e1);
    th_resp_free(&r);
    assert_int_equal(signin(b, "081299999999", "wrong password here", &r), 0);
    error_text(&r, e2, sizeof e2);
    th_resp_free(&r);
    assert_true(e1[0]);
    assert_string_equal(e1, e2);
    /* the same identifier again and again: after 5 free tries, a growing wait */
    bool limited = false;
    for (int i = 0; i < 6 && !limited; i++) {
        assert_int_equal(signin(b, "081299999999", "still wrong", &r), 0);
        char e[512];
        error_text(&r, e, sizeof e);
        limited = strstr(e, "detik") || strstr(e, "seconds") || strstr(e, "menit");
        th_resp_free(&r);
    }
    assert_true(limited);
    /* the right password still works for an account that was not the one limited */
    assert_int_equal(signin(b, "081200000001", "layan-demo-2026", &r), 0);
    assert_int_equal(r.status, 303);
    char loc[256];
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "/akun");
    th_resp_free(&r);
    curl_easy_cleanup(b);
}

static void test_csrf_required(void **state)
{
    (void)state;
    CURL *b = th_browser();
    th_resp r;
    const char *body = "identitas=081200000001&kata_sandi=layan-demo-2026";
    assert_int_equal(th_request(b, "POST", th_url(T.srv, "/masuk"), NULL, body, strlen(body), &r),
                     0);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    /* with a token from another visitor's cookie: refused too */
    CURL *other = th_browser();
    th_resp g;
    assert_int_equal(th_request(other, "GET", th_url(T.srv, "/masuk"), NULL, NULL, 0, &g), 0);
    char tok[128], b2[300];
    assert_int_equal(th_input_value(&g, "_csrf", tok, sizeof tok), 0);
    th_resp_free(&g);
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/masuk"), NULL, NULL, 0, &g), 0);
    th_resp_free(&g);
    snprintf(b2, sizeof b2, "%s&_csrf=%s", body, tok);
    assert_int_equal(th_request(b, "POST", th_url(T.srv, "/masuk"), NULL, b2, strlen(b2), &r), 0);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    curl_easy_cleanup(other);
    curl_easy_cleanup(b);
}

static void test_register_taken_same_answer(void **state)
{
    (void)state;
    /* the demo citizen's phone: nothing is created, the page looks the same, the owner is told */
    int64_t users = th_app_int(&T, "SELECT count(*) FROM users", NULL);
    int64_t msgs = th_app_int(&T, "SELECT count(*) FROM outbox", NULL);
    CURL *b = th_browser();
    th_resp r;
    assert_int_equal(th_submit(b, T.srv, "/daftar", "/daftar",
                               "nik=3273020303930005&nama=Penyusup&telepon=081200000001"
                               "&kata_sandi=kopi+hujan+sepeda&setuju=1",
                               &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "0812****0001"));
    assert_true(has(&r, "name=\"kode\""));
    th_resp_free(&r);
    assert_int_equal(th_app_int(&T, "SELECT count(*) FROM users", NULL), users);
    assert_int_equal(th_app_int(&T, "SELECT count(*) FROM outbox", NULL), msgs + 1);
    curl_easy_cleanup(b);
}

static void test_forgot_and_reset(void **state)
{
    (void)state;
    CURL *b = th_browser(), *old = th_browser();
    th_resp r;
    /* a session that the reset must end */
    assert_int_equal(signin(old, "081200000001", "layan-demo-2026", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    /* unknown and known identifiers get the same page */
    assert_int_equal(th_submit(b, T.srv, "/lupa", "/lupa", "identitas=081299990000", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "name=\"kode\""));
    th_resp_free(&r);
    assert_int_equal(th_submit(b, T.srv, "/lupa", "/lupa", "identitas=0812-0000-0001", &r), 0);
    assert_int_equal(r.status, 200);
    char tok[128];
    assert_int_equal(th_input_value(&r, "_csrf", tok, sizeof tok), 0);
    th_resp_free(&r);
    char code[7], body[400], loc[256];
    newest_code(code);
    snprintf(body, sizeof body,
             "identitas=081200000001&kode=%s&kata_sandi=teh+manis+gunung&_csrf=%s", code, tok);
    assert_int_equal(
        th_request(b, "POST", th_url(T.srv, "/lupa/atur"), NULL, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 303);
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "/masuk?diatur=1");
    th_resp_free(&r);
    /* the code cannot be used twice */
    assert_int_equal(
        th_request(b, "POST", th_url(T.srv, "/lupa/atur"), NULL, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "href=\"#kode\""));
    th_resp_free(&r);
    /* the old session has ended */
    assert_int_equal(th_request(old, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(signin(b, "3273011505900001", "teh manis gunung", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    curl_easy_cleanup(old);
    curl_easy_cleanup(b);
}

static void test_totp_signin(void **state)
{
    (void)state;
    /* the demo admin has two-step sign-in on */
    CURL *b = th_browser();
    th_resp r;
    char loc[256];
    assert_int_equal(signin(b, "admin", "layan-demo-2026", &r), 0);
    assert_int_equal(r.status, 303);
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "/masuk/kode");
    th_resp_free(&r);
    /* half signed in: nothing that needs a role */
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 303);
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "/masuk/kode");
    th_resp_free(&r);
    assert_int_equal(th_submit(b, T.srv, "/masuk/kode", "/masuk/kode", "kode=000000", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "href=\"#kode\""));
    th_resp_free(&r);
    db_conn *c = db_acquire(T.app.db);
    acct_user u;
    arena *a = arena_new(0);
    assert_int_equal(acct_find(c, &T.app.keys, CONTACT_USERNAME, "admin", a, &u), DB_ROW);
    char secret[CR_TOTP_SECRET_B32 + 1], code[7], body[64];
    int64_t last;
    assert_int_equal(acct_totp_secret(c, &T.app.keys, u.id, secret, &last), DB_OK);
    db_release(c);
    arena_free(a);
    assert_int_equal(cr_totp_code(secret, app_now(), code), 0);
    snprintf(body, sizeof body, "kode=%s", code);
    assert_int_equal(th_submit(b, T.srv, "/masuk/kode", "/masuk/kode", body, &r), 0);
    assert_int_equal(r.status, 303);
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "/admin");
    th_resp_free(&r);
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/api/v1/me"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "admin_pemda"));
    th_resp_free(&r);
    /* the same code cannot sign in a second time */
    CURL *b2 = th_browser();
    assert_int_equal(signin(b2, "admin", "layan-demo-2026", &r), 0);
    th_resp_free(&r);
    assert_int_equal(th_submit(b2, T.srv, "/masuk/kode", "/masuk/kode", body, &r), 0);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    curl_easy_cleanup(b2);
    curl_easy_cleanup(b);
}

static int64_t make_staff(const char *username, const char *role, bool must_change)
{
    db_conn *c = db_acquire(T.app.db);
    acct_new n = {.name = "Uji Staf",
                  .username = username,
                  .password = "kopi hujan sepeda",
                  .verified = true,
                  .must_change_password = must_change};
    int64_t id = 0;
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(acct_create(c, &T.app.keys, app_now(), &n, &id), DB_OK);
    db_stmt *s = db_prepare(c, "SELECT id FROM units WHERE type = 'pemda'");
    assert_int_equal(db_step(s), DB_ROW);
    int64_t unit = db_col_int(s, 0);
    db_finish(s);
    assert_int_equal(acct_role_add(c, id, role, unit, 0, app_now()), DB_OK);
    assert_int_equal(db_commit(c), DB_OK);
    db_release(c);
    return id;
}

static void test_forced_setup_steps(void **state)
{
    (void)state;
    make_staff("admin.baru", "admin_pemda", true);
    CURL *b = th_browser();
    th_resp r;
    char loc[256];
    assert_int_equal(signin(b, "admin.baru", "kopi hujan sepeda", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    /* first the password, then two-step sign-in, before any other page */
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "/akun/kata-sandi");
    th_resp_free(&r);
    assert_int_equal(th_submit(b, T.srv, "/akun/kata-sandi", "/akun/kata-sandi",
                               "kata_sandi_lama=kopi+hujan+sepeda&kata_sandi=lampu+merah+pagi", &r),
                     0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
    location(&r, loc, sizeof loc);
    assert_string_equal(loc, "/akun/2fa?wajib=1");
    th_resp_free(&r);
    /* set up TOTP with the secret the page offers */
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun/2fa?wajib=1"), NULL, NULL, 0, &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "<svg"));
    char secret[64], tok[128], code[7], body[300];
    assert_int_equal(th_input_value(&r, "rahasia", secret, sizeof secret), 0);
    assert_int_equal(th_input_value(&r, "_csrf", tok, sizeof tok), 0);
    th_resp_free(&r);
    assert_int_equal(cr_totp_code(secret, app_now(), code), 0);
    snprintf(body, sizeof body, "rahasia=%s&kode=%s&_csrf=%s", secret, code, tok);
    assert_int_equal(
        th_request(b, "POST", th_url(T.srv, "/akun/2fa"), NULL, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    curl_easy_cleanup(b);
}

static void test_session_expiry(void **state)
{
    (void)state;
    CURL *b = th_browser();
    th_resp r;
    char later[32];
    assert_int_equal(signin(b, "petugas", "layan-demo-2026", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    /* 29 minutes idle: still signed in (and the request counts as activity) */
    snprintf(later, sizeof later, "%lld", (long long)time(NULL) + 29 * 60);
    setenv("LAYAN_NOW", later, 1);
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    /* then 31 minutes without a request: signed out */
    snprintf(later, sizeof later, "%lld", (long long)time(NULL) + 60 * 60);
    setenv("LAYAN_NOW", later, 1);
    assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    unsetenv("LAYAN_NOW");
    /* absolute expiry: active every few minutes, still out after 12 hours */
    assert_int_equal(signin(b, "petugas", "layan-demo-2026", &r), 0);
    th_resp_free(&r);
    int code = 200;
    for (int m = 20; m <= 13 * 60 && code == 200; m += 20) {
        snprintf(later, sizeof later, "%lld", (long long)time(NULL) + m * 60);
        setenv("LAYAN_NOW", later, 1);
        assert_int_equal(th_request(b, "GET", th_url(T.srv, "/akun"), NULL, NULL, 0, &r), 0);
        code = (int)r.status;
        if (code != 200) assert_true(m >= 12 * 60);
        th_resp_free(&r);
    }
    unsetenv("LAYAN_NOW");
    assert_int_equal(code, 303);
    curl_easy_cleanup(b);
}

static void test_api_key(void **state)
{
    (void)state;
    db_conn *c = db_acquire(T.app.db);
    char key[128];
    int64_t id;
    assert_int_equal(acct_apikey_create(c, app_now(), "uji", 0, "test", key, sizeof key, &id),
                     DB_OK);
    db_release(c);
    char h[200];
    snprintf(h, sizeof h, "Authorization: Bearer %s", key);
    const char *hs[] = {h, NULL};
    th_resp r;
    assert_int_equal(th_request(NULL, "GET", th_url(T.srv, "/api/v1/me"), hs, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"api_key\""));
    th_resp_free(&r);
    c = db_acquire(T.app.db);
    char prefix[16];
    snprintf(prefix, sizeof prefix, "%.8s", key + 4);
    assert_int_equal(acct_apikey_revoke(c, app_now(), prefix), DB_OK);
    db_release(c);
    assert_int_equal(th_request(NULL, "GET", th_url(T.srv, "/api/v1/me"), hs, NULL, 0, &r), 0);
    assert_int_equal(r.status, 401);
    th_resp_free(&r);
    /* anonymous: 401 as JSON */
    assert_int_equal(th_get(th_url(T.srv, "/api/v1/me"), &r), 0);
    assert_int_equal(r.status, 401);
    assert_true(has(&r, "\"unauthorized\""));
    th_resp_free(&r);
}

/* every route in the table that needs a role: anonymous callers never reach the handler, and a
 * signed-in citizen never reaches a staff route */
static void test_route_table_authorization(void **state)
{
    (void)state;
    CURL *cit = th_browser();
    th_resp r;
    assert_int_equal(signin(cit, "081200000001", "teh manis gunung", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    int checked = 0;
    for (size_t i = 0; i < app_nroutes; i++) {
        const struct http_route *rt = &app_routes[i];
        if (rt->role == ROLE_PUBLIC) continue;
        /* the pattern with every {param} replaced by a value its declaration accepts (a
         * malformed path parameter is a 404 before anything else) */
        char path[256];
        size_t k = 0;
        for (const char *p = rt->pattern; *p && k < sizeof path - 2; p++) {
            if (*p == '{') {
                for (const char *v = "12345678"; *v && k < sizeof path - 2; v++)
                    path[k++] = *v;
                while (*p && *p != '}')
                    p++;
            } else {
                path[k++] = *p;
            }
        }
        path[k] = 0;
        const char *methods[] = {"GET", "POST"};
        for (int m = 0; m < 2; m++) {
            unsigned bit = m ? HTTP_POST : HTTP_GET;
            if (!(rt->methods & bit)) continue;
            char u[512];
            snprintf(u, sizeof u, "%s", th_url(T.srv, path));
            assert_int_equal(th_request(NULL, methods[m], u, NULL, m ? "" : NULL, 0, &r), 0);
            if (r.status != 303 && r.status != 401) {
                fprintf(stderr, "anonymous %s %s -> %ld\n", methods[m], path, r.status);
                fail();
            }
            th_resp_free(&r);
            if (!(rt->role & ROLE_CITIZEN)) {
                assert_int_equal(th_request(cit, methods[m], u, NULL, m ? "" : NULL, 0, &r), 0);
                if (r.status != 403) {
                    fprintf(stderr, "citizen %s %s -> %ld\n", methods[m], path, r.status);
                    fail();
                }
                th_resp_free(&r);
            }
            checked++;
        }
    }
    assert_true(checked >= 8);
    curl_easy_cleanup(cit);
}

/* a role at a unit covers the units below it, not its siblings or parents */
static void test_unit_scope(void **state)
{
    (void)state;
    db_conn *c = db_acquire(T.app.db);
    int64_t kec = 0, other = 0, pemda = 0;
    db_stmt *s = db_prepare(c, "SELECT id, type FROM units ORDER BY code");
    while (db_step(s) == DB_ROW) {
        str t = db_col_text(s, 1);
        if (str_eq_c(t, "kecamatan")) {
            if (!kec) kec = db_col_int(s, 0);
            else if (!other) other = db_col_int(s, 0);
        }
        if (str_eq_c(t, "pemda")) pemda = db_col_int(s, 0);
    }
    db_finish(s);
    assert_true(kec && other && pemda);
    /* a kelurahan counter under the first kecamatan */
    assert_int_equal(db_begin(c), DB_OK);
    s = db_prepare(c, "INSERT INTO units (code, parent_id, type, name, name_search, created_at) "
                      "VALUES ('uji.kel', $1, 'kelurahan', 'Kelurahan Uji', 'kelurahan uji', "
                      "'2026-01-01T00:00:00Z') RETURNING id");
    db_bind_int(s, 1, kec);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t kel = db_col_int(s, 0);
    db_finish(s);
    assert_int_equal(db_commit(c), DB_OK);
    db_release(c);
    int64_t head = make_staff("kepala.uji", "petugas", false);
    c = db_acquire(T.app.db);
    assert_int_equal(db_exec(c, "DELETE FROM user_roles WHERE role = 'petugas' AND user_id = "
                                "(SELECT id FROM users WHERE username = 'kepala.uji')"),
                     DB_OK);
    assert_int_equal(acct_role_add(c, head, "kepala_unit", kec, 0, app_now()), DB_OK);
    assert_true(acct_can_unit(c, head, ROLE_KEPALA_UNIT, kec));
    assert_true(acct_can_unit(c, head, ROLE_KEPALA_UNIT, kel));    /* below */
    assert_false(acct_can_unit(c, head, ROLE_KEPALA_UNIT, other)); /* a sibling */
    assert_false(acct_can_unit(c, head, ROLE_KEPALA_UNIT, pemda)); /* above */
    assert_false(acct_can_unit(c, head, ROLE_PETUGAS, kec));       /* another role */
    /* the demo evaluator covers every unit, read-only by its role */
    acct_user ev;
    arena *a = arena_new(0);
    assert_int_equal(acct_find(c, &T.app.keys, CONTACT_USERNAME, "evaluator", a, &ev), DB_ROW);
    assert_true(acct_can_unit(c, ev.id, ROLE_EVALUATOR, kel));
    assert_true(acct_can_unit(c, ev.id, ROLE_EVALUATOR, other));
    arena_free(a);
    db_release(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_errors_keep_input),
        cmocka_unit_test(test_register_verify_profile),
        cmocka_unit_test(test_personal_data_encrypted),
        cmocka_unit_test(test_signin_no_enumeration_and_rate_limit),
        cmocka_unit_test(test_csrf_required),
        cmocka_unit_test(test_register_taken_same_answer),
        cmocka_unit_test(test_forgot_and_reset),
        cmocka_unit_test(test_totp_signin),
        cmocka_unit_test(test_forced_setup_steps),
        cmocka_unit_test(test_session_expiry),
        cmocka_unit_test(test_api_key),
        cmocka_unit_test(test_route_table_authorization),
        cmocka_unit_test(test_unit_scope),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

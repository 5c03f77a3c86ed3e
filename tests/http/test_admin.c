/* HTTP tests of the admin pages (admin_pemda, with two-step sign-in) on both engines: staff
 * accounts with a one-time temporary password, roles and the sessions they end, disabling,
 * citizen look-up with a recorded reason, API keys, the outbox with bodies only in dev mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/outbox/outbox.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static http_server *srv;
static CURL *admin;

static bool has(const th_resp *r, const char *needle)
{
    return r->body.p && strstr(r->body.p, needle) != NULL;
}

static int signin(CURL *b, const char *ident, const char *pw, th_resp *r)
{
    char body[300];
    snprintf(body, sizeof body, "identitas=%s&kata_sandi=%s", ident, pw);
    return th_submit(b, srv, "/masuk", "/masuk", body, r);
}

static int setup(void **state)
{
    (void)state;
    if (th_app_start(&T, "admin", true, NULL)) return -1;
    srv = T.srv;
    /* the demo admin: password, then the TOTP code from its secret */
    admin = th_browser();
    th_resp r;
    if (signin(admin, "admin", "layan-demo-2026", &r) || r.status != 303) return -1;
    th_resp_free(&r);
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    acct_user u;
    char secret[CR_TOTP_SECRET_B32 + 1], code[7], body[32];
    int64_t last;
    int ok = acct_find(c, &T.app.keys, CONTACT_USERNAME, "admin", a, &u) == DB_ROW &&
             acct_totp_secret(c, &T.app.keys, u.id, secret, &last) == DB_OK &&
             cr_totp_code(secret, app_now(), code) == 0;
    db_release(c);
    arena_free(a);
    if (!ok) return -1;
    snprintf(body, sizeof body, "kode=%s", code);
    if (th_submit(admin, srv, "/masuk/kode", "/masuk/kode", body, &r) || r.status != 303) return -1;
    th_resp_free(&r);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    curl_easy_cleanup(admin);
    return th_app_stop(&T);
}

static int64_t staff_id(const char *username)
{
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, "SELECT id FROM users WHERE username = $1");
    db_bind_cstr(s, 1, username);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    db_release(c);
    return id;
}

static void test_who_may_enter(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_get(th_url(srv, "/admin"), &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    CURL *p = th_browser();
    assert_int_equal(signin(p, "petugas", "layan-demo-2026", &r), 0);
    th_resp_free(&r);
    assert_int_equal(th_request(p, "GET", th_url(srv, "/admin/pengguna"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    curl_easy_cleanup(p);
    assert_int_equal(th_request(admin, "GET", th_url(srv, "/admin"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "akun petugas"));
    assert_true(has(&r, "href=\"/admin\" aria-current=\"page\"")); /* the menu marks where we are */
    th_resp_free(&r);
    /* a POST without the form token is refused */
    assert_int_equal(th_request(admin, "POST", th_url(srv, "/admin/pengguna/baru"), NULL,
                                "nama=X&username=xyz&peran=petugas", 33, &r),
                     0);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
}

static void test_create_staff_and_roles(void **state)
{
    (void)state;
    th_resp r;
    /* errors next to the fields, input kept */
    assert_int_equal(th_submit(admin, srv, "/admin/pengguna/baru", "/admin/pengguna/baru",
                               "nama=Siti+Aminah&username=1x&peran=petugas&unit=32.73.01", &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "href=\"#username\""));
    assert_true(has(&r, "value=\"Siti Aminah\""));
    th_resp_free(&r);
    assert_int_equal(th_submit(admin, srv, "/admin/pengguna/baru", "/admin/pengguna/baru",
                               "nama=Siti+Aminah&username=siti.aminah&peran=petugas&unit=32.73.01",
                               &r),
                     0);
    assert_int_equal(r.status, 200);
    char pw[64];
    const char *p = strstr(r.body.p, "id=\"sandi\">");
    assert_non_null(p);
    snprintf(pw, sizeof pw, "%.19s", p + strlen("id=\"sandi\">"));
    th_resp_free(&r);
    /* the same user name again: refused on the field */
    assert_int_equal(th_submit(admin, srv, "/admin/pengguna/baru", "/admin/pengguna/baru",
                               "nama=Lagi&username=siti.aminah&peran=kurir&unit=32.73.01", &r),
                     0);
    assert_true(has(&r, "href=\"#username\""));
    th_resp_free(&r);
    /* the new person signs in with it and must choose a password first */
    CURL *s = th_browser();
    assert_int_equal(signin(s, "siti.aminah", pw, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_request(s, "GET", th_url(srv, "/akun"), NULL, NULL, 0, &r), 0);
    char loc[200];
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    assert_string_equal(loc, "/akun/kata-sandi");
    th_resp_free(&r);
    char body[300];
    snprintf(body, sizeof body, "kata_sandi_lama=%s&kata_sandi=lampu+merah+pagi", pw);
    assert_int_equal(th_submit(s, srv, "/akun/kata-sandi", "/akun/kata-sandi", body, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_request(s, "GET", th_url(srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    /* adding a role ends her sessions (privileges changed) */
    int64_t id = staff_id("siti.aminah");
    char page[64], action[64];
    snprintf(page, sizeof page, "/admin/pengguna/%lld", (long long)id);
    snprintf(action, sizeof action, "/admin/pengguna/%lld/peran", (long long)id);
    assert_int_equal(
        th_submit(admin, srv, page, action, "aksi=tambah&peran=kurir&unit=32.73.01", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_request(s, "GET", th_url(srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 303); /* signed out */
    th_resp_free(&r);
    assert_int_equal(th_request(admin, "GET", th_url(srv, page), NULL, NULL, 0, &r), 0);
    assert_true(has(&r, "Kurir"));
    th_resp_free(&r);
    /* disable: she cannot sign in; the admin cannot disable himself */
    snprintf(action, sizeof action, "/admin/pengguna/%lld/status", (long long)id);
    assert_int_equal(th_submit(admin, srv, page, action, "aksi=nonaktifkan", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(signin(s, "siti.aminah", "lampu merah pagi", &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "dinonaktifkan"));
    th_resp_free(&r);
    int64_t me = staff_id("admin");
    snprintf(page, sizeof page, "/admin/pengguna/%lld", (long long)me);
    snprintf(action, sizeof action, "/admin/pengguna/%lld/status", (long long)me);
    assert_int_equal(th_submit(admin, srv, page, action, "aksi=nonaktifkan", &r), 0);
    assert_int_equal(r.status, 409);
    th_resp_free(&r);
    curl_easy_cleanup(s);
    /* every change is in the audit log */
    db_conn *c = db_acquire(T.app.db);
    db_stmt *st = db_prepare(c, "SELECT count(*) FROM audit_log WHERE action IN ('user.create', "
                                "'role.add', 'user.disable')");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 3);
    db_finish(st);
    db_release(c);
}

static void test_citizen_lookup_is_recorded(void **state)
{
    (void)state;
    th_resp r;
    /* no reason: refused, nothing recorded */
    assert_int_equal(
        th_submit(admin, srv, "/admin/warga", "/admin/warga", "nik=3273011505900001&alasan=", &r),
        0);
    assert_true(has(&r, "href=\"#alasan\""));
    assert_false(has(&r, "081200000001"));
    th_resp_free(&r);
    assert_int_equal(th_submit(admin, srv, "/admin/warga", "/admin/warga",
                               "nik=3273011505900001&alasan=Pengaduan+nomor+12%2F2026", &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "081200000001")); /* the full data for support */
    assert_true(has(&r, "3273011505900001"));
    th_resp_free(&r);
    /* the citizen sees who looked and why */
    CURL *w = th_browser();
    assert_int_equal(signin(w, "081200000001", "layan-demo-2026", &r), 0);
    th_resp_free(&r);
    assert_int_equal(th_request(w, "GET", th_url(srv, "/akun/riwayat-akses"), NULL, NULL, 0, &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Pengaduan nomor 12/2026"));
    assert_true(has(&r, "Admin Pemda (demo)"));
    th_resp_free(&r);
    curl_easy_cleanup(w);
    /* the masked list does not show full numbers */
    assert_int_equal(th_request(admin, "GET", th_url(srv, "/admin/warga"), NULL, NULL, 0, &r), 0);
    assert_true(has(&r, "3273********0001"));
    assert_false(has(&r, "3273011505900001"));
    th_resp_free(&r);
}

static void test_api_keys(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_submit(admin, srv, "/admin/kunci-api", "/admin/kunci-api",
                               "nama=SP4N-LAPOR&unit=32.73.01", &r),
                     0);
    assert_int_equal(r.status, 200);
    const char *p = strstr(r.body.p, "id=\"kunci\">");
    assert_non_null(p);
    char key[80], h[120];
    snprintf(key, sizeof key, "%.56s", p + strlen("id=\"kunci\">"));
    th_resp_free(&r);
    snprintf(h, sizeof h, "Authorization: Bearer %s", key);
    const char *hs[] = {h, NULL};
    assert_int_equal(th_request(NULL, "GET", th_url(srv, "/api/v1/me"), hs, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "32.73.01"));
    th_resp_free(&r);
    char action[80];
    snprintf(action, sizeof action, "/admin/kunci-api/%.8s/cabut", key + 4);
    assert_int_equal(th_submit(admin, srv, "/admin/kunci-api", action, "", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_request(NULL, "GET", th_url(srv, "/api/v1/me"), hs, NULL, 0, &r), 0);
    assert_int_equal(r.status, 401);
    th_resp_free(&r);
    /* the key is not shown again */
    assert_int_equal(th_request(admin, "GET", th_url(srv, "/admin/kunci-api"), NULL, NULL, 0, &r),
                     0);
    assert_false(has(&r, key));
    th_resp_free(&r);
}

static void test_outbox_bodies_only_in_dev(void **state)
{
    (void)state;
    /* a message with a code, sent by the dev sender */
    db_conn *c = db_acquire(T.app.db);
    assert_int_equal(outbox_enqueue(c, &T.app.keys, app_now(), "sms", "081233334444",
                                    "Kode verifikasi", "Kode verifikasi layan: 424242."),
                     DB_OK);
    db_release(c);
    th_resp r;
    assert_int_equal(
        th_request(admin, "GET", th_url(srv, "/admin/kotak-keluar"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "0812****4444"));
    assert_true(has(&r, "424242"));                 /* dev: shown */
    assert_true(has(&r, "percobaan berikutnya: ")); /* a pending message says when */
    th_resp_free(&r);
    snprintf(T.cfg.notify_sender, sizeof T.cfg.notify_sender, "live");
    assert_int_equal(
        th_request(admin, "GET", th_url(srv, "/admin/kotak-keluar"), NULL, NULL, 0, &r), 0);
    assert_true(has(&r, "0812****4444"));
    assert_false(has(&r, "424242")); /* production: never */
    th_resp_free(&r);
    snprintf(T.cfg.notify_sender, sizeof T.cfg.notify_sender, "dev");
}

static int64_t count_of(const char *sql, int64_t id)
{
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, sql);
    if (id) db_bind_int(s, 1, id);
    int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_finish(s);
    db_release(c);
    return n;
}

/* the temporary password on a "shown once" page */
static void temp_password(const th_resp *r, char *pw, size_t cap)
{
    const char *p = r->body.p ? strstr(r->body.p, "id=\"sandi\">") : NULL;
    assert_non_null(p);
    snprintf(pw, cap, "%.19s", p + strlen("id=\"sandi\">"));
}

static void test_staff_resets_and_role_removal(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(
        th_submit(admin, srv, "/admin/pengguna/baru", "/admin/pengguna/baru",
                  "nama=Budi+Santoso&username=budi.santoso&peran=petugas&unit=32.73.01", &r),
        0);
    assert_int_equal(r.status, 200);
    char pw[64], pw2[64];
    temp_password(&r, pw, sizeof pw);
    th_resp_free(&r);
    int64_t id = staff_id("budi.santoso");
    assert_true(id > 0);
    char page[64], action[80];
    snprintf(page, sizeof page, "/admin/pengguna/%lld", (long long)id);
    /* the list shows him; his page does not show the password again */
    assert_int_equal(th_request(admin, "GET", th_url(srv, "/admin/pengguna"), NULL, NULL, 0, &r),
                     0);
    assert_true(has(&r, "budi.santoso"));
    th_resp_free(&r);
    assert_int_equal(th_request(admin, "GET", th_url(srv, page), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, pw));
    th_resp_free(&r);
    CURL *b = th_browser();
    assert_int_equal(signin(b, "budi.santoso", pw, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    /* password reset: a new temporary password, his session ends, the old one is refused */
    snprintf(action, sizeof action, "%s/sandi", page);
    assert_int_equal(th_submit(admin, srv, page, action, "", &r), 0);
    assert_int_equal(r.status, 200);
    temp_password(&r, pw2, sizeof pw2);
    assert_string_not_equal(pw, pw2);
    th_resp_free(&r);
    assert_int_equal(th_request(b, "GET", th_url(srv, "/akun/kata-sandi"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(signin(b, "budi.santoso", pw, &r), 0);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    assert_int_equal(signin(b, "budi.santoso", pw2, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    /* two-step reset: audited, sessions end */
    snprintf(action, sizeof action, "%s/2fa", page);
    assert_int_equal(th_submit(admin, srv, page, action, "", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_request(b, "GET", th_url(srv, "/akun/kata-sandi"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    curl_easy_cleanup(b);
    /* removing his role */
    snprintf(action, sizeof action, "%s/peran", page);
    assert_int_equal(
        th_submit(admin, srv, page, action, "aksi=hapus&peran=petugas&unit=32.73.01", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM user_roles WHERE user_id = $1", id), 0);
    /* the admin keeps his own admin role */
    int64_t me = staff_id("admin");
    snprintf(page, sizeof page, "/admin/pengguna/%lld", (long long)me);
    snprintf(action, sizeof action, "%s/peran", page);
    assert_int_equal(th_submit(admin, srv, page, action, "aksi=hapus&peran=admin_pemda", &r), 0);
    assert_int_equal(r.status, 409);
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE action IN "
                              "('password.reset_by_admin', 'totp.reset_by_admin', 'role.remove')",
                              0),
                     3);
}

static void test_citizen_disable(void **state)
{
    (void)state;
    th_resp r;
    CURL *w = th_browser();
    assert_int_equal(signin(w, "081200000001", "layan-demo-2026", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(th_submit(admin, srv, "/admin/warga", "/admin/warga",
                               "nik=3273011505900001&alasan=Akun+dilaporkan+disalahgunakan", &r),
                     0);
    assert_int_equal(r.status, 200);
    char id[32], body[80];
    assert_int_equal(th_input_value(&r, "id", id, sizeof id), 0);
    th_resp_free(&r);
    snprintf(body, sizeof body, "id=%s&aksi=nonaktifkan", id);
    assert_int_equal(th_submit(admin, srv, "/admin/warga", "/admin/warga", body, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[200];
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    th_resp_free(&r);
    assert_int_equal(th_request(admin, "GET", th_url(srv, loc), NULL, NULL, 0, &r), 0);
    assert_true(has(&r, "govuk-notification-banner--success"));
    th_resp_free(&r);
    assert_int_equal(th_request(w, "GET", th_url(srv, "/akun"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 303); /* signed out */
    th_resp_free(&r);
    assert_int_equal(signin(w, "081200000001", "layan-demo-2026", &r), 0);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    snprintf(body, sizeof body, "id=%s&aksi=aktifkan", id);
    assert_int_equal(th_submit(admin, srv, "/admin/warga", "/admin/warga", body, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(signin(w, "081200000001", "layan-demo-2026", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    curl_easy_cleanup(w);
    assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE action IN "
                              "('citizen.disable', 'citizen.enable')",
                              0),
                     2);
}

static void test_outbox_retry(void **state)
{
    (void)state;
    db_conn *c = db_acquire(T.app.db);
    assert_int_equal(outbox_enqueue(c, &T.app.keys, app_now(), "email", "warga@example.org",
                                    "Pemberitahuan", "Isi pemberitahuan."),
                     DB_OK);
    db_stmt *s = db_prepare(c, "UPDATE outbox SET status = 'failed', attempts = 5, last_error = "
                               "'relay refused' WHERE id = (SELECT max(id) FROM outbox)");
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    db_release(c);
    int64_t id = count_of("SELECT max(id) FROM outbox", 0);
    th_resp r;
    assert_int_equal(th_request(admin, "GET", th_url(srv, "/admin/kotak-keluar?status=failed"),
                                NULL, NULL, 0, &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "relay refused"));
    assert_true(has(&r, "/ulang\""));
    th_resp_free(&r);
    char action[80];
    snprintf(action, sizeof action, "/admin/kotak-keluar/%lld/ulang", (long long)id);
    assert_int_equal(th_submit(admin, srv, "/admin/kotak-keluar?status=failed", action, "", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(
        count_of("SELECT count(*) FROM outbox WHERE id = $1 AND status <> 'failed'", id), 1);
    assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE action = 'outbox.retry'", 0),
                     1);
}

/* the guard refuses every admin POST without the form token, before any handler runs */
static void test_every_post_needs_the_token(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/admin/pengguna/baru",    "/admin/pengguna/1/peran",         "/admin/pengguna/1/status",
        "/admin/pengguna/1/sandi", "/admin/pengguna/1/2fa",           "/admin/warga",
        "/admin/kunci-api",        "/admin/kunci-api/abcd1234/cabut", "/admin/kotak-keluar/1/ulang",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        th_resp r;
        assert_int_equal(th_request(admin, "POST", th_url(srv, paths[i]), NULL, "", 0, &r), 0);
        if (r.status != 403) fprintf(stderr, "%s: %ld\n", paths[i], r.status);
        assert_int_equal(r.status, 403);
        th_resp_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_who_may_enter),
        cmocka_unit_test(test_create_staff_and_roles),
        cmocka_unit_test(test_citizen_lookup_is_recorded),
        cmocka_unit_test(test_api_keys),
        cmocka_unit_test(test_outbox_bodies_only_in_dev),
        cmocka_unit_test(test_staff_resets_and_role_removal),
        cmocka_unit_test(test_citizen_disable),
        cmocka_unit_test(test_outbox_retry),
        cmocka_unit_test(test_every_post_needs_the_token),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* HTTP tests of running a satisfaction-survey period and collecting answers, on both engines:
 * who may open and change which period (admin_pemda every unit, a kepala_unit their unit and
 * below, a petugas of the unit for paper only; anonymous, a citizen and a petugas of another
 * unit refused), creating a period with its errors, the walk-in count, paper questionnaires
 * (channel paper, counted by skm_result_compute), kiosks (start, answer, the rate limit, a
 * revoked token), the one-time link (answered once, refused the second time, unknown 404,
 * not linkable), the follow-up plan, and closing and publishing with the audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/skm/skm.h"
#include "features/units/units.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static http_server *srv;
static CURL *admin, *kepala, *petugas_y, *citizen;
static char kec_x[16], kec_y[16]; /* the kepala's kecamatan and another one */
static int64_t unit_x, unit_y;

#define PW "layan-demo-2026"
/* the clock of the whole test: Friday 2026-02-20 10:00 WIB, inside 2026-Q1 */
#define NOW 1771556400LL
#define ANSWERS "j1=4&j2=3&j3=3&j4=4&j5=3&j6=4&j7=4&j8=2&j9=3"

static bool has(const th_resp *r, const char *needle)
{
    return r->body.p && strstr(r->body.p, needle) != NULL;
}

static int signin(CURL *b, const char *ident, th_resp *r)
{
    char body[300];
    snprintf(body, sizeof body, "identitas=%s&kata_sandi=%s", ident, PW);
    return th_submit(b, srv, "/masuk", "/masuk", body, r);
}

static int64_t count_of(const char *sql, int64_t arg)
{
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, sql);
    if (arg) db_bind_int(s, 1, arg);
    int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_finish(s);
    db_release(c);
    return n;
}

static void get(CURL *b, const char *path, th_resp *r)
{
    assert_int_equal(th_request(b, "GET", th_url(srv, path), NULL, NULL, 0, r), 0);
}

static void submit(CURL *b, const char *page, const char *action, const char *fields, th_resp *r)
{
    assert_int_equal(th_submit(b, srv, page, action, fields, r), 0);
}

/* the id of the unit's period `code`, 0 when none */
static int64_t period_id(int64_t unit_id, const char *code)
{
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, "SELECT id FROM skm_periods WHERE unit_id = $1 AND code = $2");
    db_bind_int(s, 1, unit_id);
    db_bind_cstr(s, 2, code);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    db_release(c);
    return id;
}

static int setup(void **state)
{
    (void)state;
    char nowv[24];
    snprintf(nowv, sizeof nowv, "%lld", NOW);
    setenv("LAYAN_NOW", nowv, 1);
    if (th_app_start(&T, "skmcol", true, NULL)) return -1;
    srv = T.srv;

    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, "SELECT u.code, u.id FROM user_roles r JOIN users x ON x.id = "
                               "r.user_id JOIN units u ON u.id = r.unit_id WHERE x.username = "
                               "'kepala.kecamatan'");
    if (s && db_step(s) == DB_ROW) {
        snprintf(kec_x, sizeof kec_x, "%s", db_col_text(s, 0).p);
        unit_x = db_col_int(s, 1);
    }
    if (s) db_finish(s);
    s = db_prepare(c, "SELECT code, id FROM units WHERE type = 'kecamatan' AND code <> $1 ORDER "
                      "BY code LIMIT 1");
    if (s) {
        db_bind_cstr(s, 1, kec_x);
        if (db_step(s) == DB_ROW) {
            snprintf(kec_y, sizeof kec_y, "%s", db_col_text(s, 0).p);
            unit_y = db_col_int(s, 1);
        }
        db_finish(s);
    }
    /* a petugas of the other kecamatan */
    int64_t pid = 0;
    acct_new n = {.name = "Petugas Y", .username = "petugas.y", .password = PW};
    int ok = acct_create(c, &T.app.keys, app_now(), &n, &pid) == DB_OK &&
             acct_role_add(c, pid, "petugas", unit_y, 0, app_now()) == DB_OK;
    /* the demo admin: password, then the TOTP code from its secret */
    admin = th_browser();
    th_resp r;
    arena *a = arena_new(0);
    acct_user u;
    char secret[CR_TOTP_SECRET_B32 + 1], code[7], body[32];
    int64_t last;
    ok = ok && signin(admin, "admin", &r) == 0 && r.status == 303;
    if (ok) th_resp_free(&r);
    ok = ok && acct_find(c, &T.app.keys, CONTACT_USERNAME, "admin", a, &u) == DB_ROW &&
         acct_totp_secret(c, &T.app.keys, u.id, secret, &last) == DB_OK &&
         cr_totp_code(secret, app_now(), code) == 0;
    db_release(c);
    arena_free(a);
    if (!ok || !kec_x[0] || !kec_y[0]) return -1;
    snprintf(body, sizeof body, "kode=%s", code);
    if (th_submit(admin, srv, "/masuk/kode", "/masuk/kode", body, &r) || r.status != 303) return -1;
    th_resp_free(&r);
    struct {
        CURL **b;
        const char *who;
    } others[] = {
        {&kepala, "kepala.kecamatan"}, {&petugas_y, "petugas.y"}, {&citizen, "081200000001"}};
    for (size_t i = 0; i < 3; i++) {
        *others[i].b = th_browser();
        if (signin(*others[i].b, others[i].who, &r) || r.status != 303) {
            fprintf(stderr, "cannot sign in %s: %ld\n", others[i].who, r.status);
            return -1;
        }
        th_resp_free(&r);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    CURL *bs[] = {admin, kepala, petugas_y, citizen};
    for (size_t i = 0; i < 4; i++)
        curl_easy_cleanup(bs[i]);
    return th_app_stop(&T);
}

/* creating periods: errors keep what was typed; the kepala only for their own unit */
static void test_create_period(void **state)
{
    (void)state;
    th_resp r;
    char f[300];
    snprintf(f, sizeof f, "unit=%s&jenis=triwulan&tahun=26&triwulan=1", kec_x);
    submit(kepala, "/admin/skm/baru", "/admin/skm/baru", f, &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Tulis tahun dengan 4 angka"));
    assert_true(has(&r, "value=\"26\""));
    th_resp_free(&r);
    snprintf(f, sizeof f, "unit=%s&jenis=rentang&mulai=2026-03-31&selesai=2026-01-01", kec_x);
    submit(kepala, "/admin/skm/baru", "/admin/skm/baru", f, &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Hari terakhir lebih awal dari hari pertama"));
    th_resp_free(&r);
    snprintf(f, sizeof f, "unit=%s&jenis=rentang&mulai=2026-01-01&selesai=2027-03-01", kec_x);
    submit(kepala, "/admin/skm/baru", "/admin/skm/baru", f, &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "paling lama 366 hari"));
    th_resp_free(&r);
    snprintf(f, sizeof f, "unit=%s&tahun=2026", kec_x);
    submit(kepala, "/admin/skm/baru", "/admin/skm/baru", f, &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Pilih jenis periode"));
    th_resp_free(&r);
    /* not the kepala's unit */
    snprintf(f, sizeof f, "unit=%s&jenis=triwulan&tahun=2026&triwulan=1", kec_y);
    submit(kepala, "/admin/skm/baru", "/admin/skm/baru", f, &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "hanya dapat membuat periode untuk unit yang Anda kelola"));
    th_resp_free(&r);
    assert_int_equal(period_id(unit_y, "2026-Q1"), 0);
    /* the kepala's own unit: created, then a second time refused */
    snprintf(f, sizeof f, "unit=%s&jenis=triwulan&tahun=2026&triwulan=1", kec_x);
    submit(kepala, "/admin/skm/baru", "/admin/skm/baru", f, &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_true(period_id(unit_x, "2026-Q1") > 0);
    submit(kepala, "/admin/skm/baru", "/admin/skm/baru", f, &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "sudah punya periode 2026-Q1"));
    th_resp_free(&r);
    /* the admin: a year for the other unit and a custom range */
    snprintf(f, sizeof f, "unit=%s&jenis=tahun&tahun=2026", kec_y);
    submit(admin, "/admin/skm/baru", "/admin/skm/baru", f, &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_true(period_id(unit_y, "2026") > 0);
    assert_int_equal(
        count_of("SELECT count(*) FROM audit_log WHERE action = 'skm.period.create'", 0), 2);
}

/* who may see and change what */
static void test_authorization(void **state)
{
    (void)state;
    th_resp r;
    char path[80], loc[300];
    int64_t px = period_id(unit_x, "2026-Q1"), py = period_id(unit_y, "2026");
    assert_true(px > 0 && py > 0);
    /* anonymous: sent to sign in */
    assert_int_equal(th_get(th_url(srv, "/admin/skm"), &r), 0);
    assert_int_equal(r.status, 303);
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    assert_non_null(strstr(loc, "/masuk"));
    th_resp_free(&r);
    /* a citizen: refused everywhere */
    snprintf(path, sizeof path, "/admin/skm/%lld/kertas", (long long)px);
    const char *paths[] = {"/admin/skm", "/admin/skm/baru", "/admin/skm/kios", path};
    for (size_t i = 0; i < 4; i++) {
        get(citizen, paths[i], &r);
        assert_int_equal(r.status, 403);
        th_resp_free(&r);
    }
    /* the petugas of kecamatan Y: its own period's paper form, not X's; no kiosks */
    get(petugas_y, path, &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    get(petugas_y, "/admin/skm/kios", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    snprintf(path, sizeof path, "/admin/skm/%lld/kertas", (long long)py);
    get(petugas_y, path, &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    /* ... and may not close it */
    snprintf(path, sizeof path, "/admin/skm/%lld", (long long)py);
    submit(petugas_y, path, path, "aksi=tutup", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    /* the list shows each person their own units' periods */
    get(petugas_y, "/admin/skm", &r);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, "2026-Q1"));
    th_resp_free(&r);
    get(kepala, "/admin/skm", &r);
    assert_true(has(&r, "2026-Q1"));
    th_resp_free(&r);
    /* the kepala: own unit yes, the other no */
    snprintf(path, sizeof path, "/admin/skm/%lld", (long long)px);
    get(kepala, path, &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    snprintf(path, sizeof path, "/admin/skm/%lld", (long long)py);
    get(kepala, path, &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    get(kepala, "/admin/skm/999999", &r);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
}

/* a paper questionnaire is stored with channel paper and counted in the index */
static void test_paper(void **state)
{
    (void)state;
    th_resp r;
    char path[80], f[400];
    int64_t px = period_id(unit_x, "2026-Q1");
    snprintf(path, sizeof path, "/admin/skm/%lld/kertas", (long long)px);
    get(kepala, path, &r);
    assert_true(has(&r, "Sangat sopan dan ramah")); /* labels from the instrument */
    assert_true(has(&r, "autofocus"));
    th_resp_free(&r);
    /* nothing answered; a bad age; a date outside the period: all kept */
    submit(kepala, path, path, "umur=7&tanggal=2026-05-02&pekerjaan=swasta", &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Pilih jawaban untuk paling sedikit satu unsur"));
    assert_true(has(&r, "Tulis umur dalam tahun"));
    assert_true(has(&r, "di luar periode ini"));
    assert_true(has(&r, "value=\"7\""));
    assert_true(has(&r, "value=\"swasta\" selected"));
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM skm_responses WHERE period_id = $1", px), 0);
    /* two papers, one leaving U4 unanswered */
    snprintf(f, sizeof f, "%s&jk=P&umur=34&pendidikan=s1&pekerjaan=swasta&tanggal=2026-02-17",
             ANSWERS);
    submit(kepala, path, path, f, &r);
    assert_int_equal(r.status, 303);
    char loc[300];
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    assert_non_null(strstr(loc, "tersimpan=1"));
    th_resp_free(&r);
    submit(kepala, path, path, "j1=3&j2=3&j3=2&j4=0&j5=3&j6=3&j7=4&j8=3&j9=3", &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    get(kepala, loc, &r);
    assert_true(has(&r, "Tersimpan (1 kuesioner"));
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM skm_responses WHERE period_id = $1 AND "
                              "channel = 'paper'",
                              px),
                     2);
    assert_int_equal(count_of("SELECT count(*) FROM skm_responses WHERE period_id = $1 AND "
                              "pendidikan = 'D4/S1' AND pekerjaan = 'Pegawai swasta' AND "
                              "jenis_kelamin = 'P' AND umur = 34",
                              px),
                     1);
    assert_int_equal(count_of("SELECT count(*) FROM skm_answers a JOIN skm_responses r ON r.id = "
                              "a.response_id WHERE r.period_id = $1 AND a.element_code = 'U4'",
                              px),
                     1);
    /* counted by the index */
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    skm_result res;
    char err[200];
    assert_int_equal(
        skm_result_compute(c, a, unit_x, "2026-Q1", false, NULL, &res, err, sizeof err), DB_OK);
    assert_int_equal(res.responses, 2);
    assert_int_equal(res.status, IKM_OK);
    assert_int_equal(res.counts[3], 1); /* U4 answered once */
    arena_free(a);
    db_release(c);
}

/* the walk-in count: N and the required sample on the period page */
static void test_walkin(void **state)
{
    (void)state;
    th_resp r;
    char path[80];
    int64_t px = period_id(unit_x, "2026-Q1");
    snprintf(path, sizeof path, "/admin/skm/%lld", (long long)px);
    submit(kepala, path, path, "aksi=jumlah&jumlah=banyak", &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "value=\"banyak\""));
    th_resp_free(&r);
    submit(kepala, path, path, "aksi=jumlah&jumlah=1.000", &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    get(kepala, path, &r);
    assert_true(has(&r, "278")); /* Krejcie and Morgan for N = 1000 */
    assert_true(has(&r, "Sampel terlalu sedikit"));
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT walkin_count FROM skm_periods WHERE id = $1", px), 1000);
}

/* the token in a "/kios/skm/<43 chars>" address in the body */
static void kiosk_token(const th_resp *r, char out[64])
{
    const char *p = strstr(r->body.p, "/kios/skm/");
    assert_non_null(p);
    p += strlen("/kios/skm/");
    size_t n = 0;
    while (n < 63 && p[n] && p[n] != '<' && p[n] != '"')
        n++;
    memcpy(out, p, n);
    out[n] = 0;
    assert_int_equal(strlen(out), CR_TOKEN_LEN);
}

static void test_kiosk(void **state)
{
    (void)state;
    th_resp r;
    char f[300], token[64], kpath[120];
    int64_t px = period_id(unit_x, "2026-Q1"), py = period_id(unit_y, "2026");
    /* the kepala cannot start one for another unit's period */
    snprintf(f, sizeof f, "aksi=mulai&periode=%lld&tempat=Loket+1", (long long)py);
    submit(kepala, "/admin/skm/kios", "/admin/skm/kios", f, &r);
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
    snprintf(f, sizeof f, "aksi=mulai&periode=%lld&tempat=L", (long long)px);
    submit(kepala, "/admin/skm/kios", "/admin/skm/kios", f, &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Tulis di mana tablet diletakkan"));
    th_resp_free(&r);
    snprintf(f, sizeof f, "aksi=mulai&periode=%lld&tempat=Loket+1&layanan=ktp-baru", (long long)px);
    submit(kepala, "/admin/skm/kios", "/admin/skm/kios", f, &r);
    assert_int_equal(r.status, 201);
    assert_true(has(&r, "<svg"));
    kiosk_token(&r, token);
    th_resp_free(&r);
    /* only the hash is stored */
    assert_int_equal(count_of("SELECT count(*) FROM skm_kiosks WHERE period_id = $1", px), 1);
    /* the form sent twice (the started page refreshed): one kiosk, the same address shown */
    {
        char f2[300], t1[64], t2[64];
        snprintf(f2, sizeof f2,
                 "aksi=mulai&periode=%lld&tempat=Loket+2&kunci=0123456789abcdef0123456789abcdef",
                 (long long)px);
        submit(kepala, "/admin/skm/kios", "/admin/skm/kios", f2, &r);
        assert_int_equal(r.status, 201);
        kiosk_token(&r, t1);
        th_resp_free(&r);
        submit(kepala, "/admin/skm/kios", "/admin/skm/kios", f2, &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "Loket 2"));
        kiosk_token(&r, t2);
        th_resp_free(&r);
        assert_string_equal(t1, t2);
        assert_int_equal(count_of("SELECT count(*) FROM skm_kiosks WHERE period_id = $1", px), 2);
        /* the form page carries a fresh key each time */
        get(kepala, "/admin/skm/kios", &r);
        assert_true(has(&r, "name=\"kunci\" value=\""));
        assert_false(has(&r, "0123456789abcdef0123456789abcdef"));
        th_resp_free(&r);
    }
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, "SELECT count(*) FROM skm_kiosks WHERE token_hash = $1");
    db_bind_text(s, 1, str_c(token));
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 0);
    db_finish(s);
    db_release(c);

    /* the tablet: no sign-in */
    CURL *tab = th_browser();
    snprintf(kpath, sizeof kpath, "/kios/skm/%s", token);
    get(tab, kpath, &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Sangat sopan dan ramah"));
    assert_false(has(&r, "Masuk")); /* no site header */
    th_resp_free(&r);
    /* a POST without the form token is refused */
    assert_int_equal(
        th_request(tab, "POST", th_url(srv, kpath), NULL, ANSWERS, strlen(ANSWERS), &r), 0);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    /* nothing chosen */
    submit(tab, kpath, kpath, "j1=0", &r);
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
    char t[24];
    snprintf(t, sizeof t, "%lld", NOW + 100);
    setenv("LAYAN_NOW", t, 1);
    submit(tab, kpath, kpath, ANSWERS, &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    char thanks[200];
    snprintf(thanks, sizeof thanks, "%s?terima=1", kpath);
    get(tab, thanks, &r);
    assert_true(has(&r, "http-equiv=\"refresh\""));
    assert_true(has(&r, "Terima kasih"));
    th_resp_free(&r);
    /* a second answer 5 s later: a friendly wait, the answers kept */
    snprintf(t, sizeof t, "%lld", NOW + 105);
    setenv("LAYAN_NOW", t, 1);
    submit(tab, kpath, kpath, ANSWERS, &r);
    assert_int_equal(r.status, 429);
    assert_true(has(&r, "Mohon tunggu 15 detik"));
    assert_true(has(&r, "value=\"4\" checked"));
    th_resp_free(&r);
    snprintf(t, sizeof t, "%lld", NOW + 121);
    setenv("LAYAN_NOW", t, 1);
    submit(tab, kpath, kpath, ANSWERS, &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    snprintf(t, sizeof t, "%lld", NOW);
    setenv("LAYAN_NOW", t, 1);
    assert_int_equal(count_of("SELECT count(*) FROM skm_responses WHERE period_id = $1 AND "
                              "channel = 'kiosk' AND service_code = 'ktp-baru'",
                              px),
                     2);
    /* stopped: the address is gone */
    int64_t kid = count_of("SELECT min(id) FROM skm_kiosks WHERE period_id = $1", px);
    snprintf(f, sizeof f, "aksi=cabut&id=%lld", (long long)kid);
    submit(petugas_y, "/admin/skm", "/admin/skm/kios", f, &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    submit(kepala, "/admin/skm/kios", "/admin/skm/kios", f, &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    get(tab, kpath, &r);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    get(tab, "/kios/skm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &r);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    curl_easy_cleanup(tab);
    /* two starts (the resubmitted form added none) and one stop */
    assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE action LIKE 'skm.kiosk.%'", 0),
                     3);
}

/* the one-time link: answered once, the second time refused, not linkable to the response */
static void test_link(void **state)
{
    (void)state;
    th_resp r;
    char tok[SKM_LINK_TOKEN], path[120];
    int64_t px = period_id(unit_x, "2026-Q1");
    db_conn *c = db_acquire(T.app.db);
    assert_int_equal(skm_link_issue(c, unit_x, "akta-lahir", "2026-Q1", NULL, tok), DB_OK);
    assert_int_equal(strlen(tok), CR_TOKEN_LEN);
    char other[SKM_LINK_TOKEN];
    assert_int_equal(skm_link_issue(c, unit_x, NULL, "2027-Q1", NULL, other),
                     DB_DONE); /* no period */
    db_release(c);
    CURL *b = th_browser();
    snprintf(path, sizeof path, "/survei/%s", tok);
    get(b, path, &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Dikelola dengan baik"));
    char tokv[100], body[400];
    assert_int_equal(th_input_value(&r, "_csrf", tokv, sizeof tokv), 0);
    th_resp_free(&r);
    snprintf(body, sizeof body, "%s&_csrf=%s", ANSWERS, tokv);
    assert_int_equal(th_request(b, "POST", th_url(srv, path), NULL, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    /* the same form sent again (a second tab, the back button) */
    assert_int_equal(th_request(b, "POST", th_url(srv, path), NULL, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 409);
    assert_true(has(&r, "jawaban Anda sudah kami terima sebelumnya"));
    th_resp_free(&r);
    get(b, path, &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "jawaban Anda sudah kami terima sebelumnya"));
    th_resp_free(&r);
    get(b, "/survei/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", &r);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    curl_easy_cleanup(b);
    assert_int_equal(count_of("SELECT count(*) FROM skm_responses WHERE period_id = $1 AND "
                              "channel = 'link' AND service_code = 'akta-lahir'",
                              px),
                     1);
    /* nothing ties the response to the link */
    assert_int_equal(count_of("SELECT count(*) FROM skm_responses WHERE token_hash IS NOT NULL", 0),
                     0);
    assert_int_equal(count_of("SELECT count(*) FROM skm_links WHERE used = 1", 0), 1);
}

static void test_followup(void **state)
{
    (void)state;
    th_resp r;
    char path[80];
    int64_t px = period_id(unit_x, "2026-Q1");
    snprintf(path, sizeof path, "/admin/skm/%lld/tindak-lanjut", (long long)px);
    submit(kepala, path, path, "elemen=U3&masalah=x&tindakan=&pj=Kasi&status=planned", &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Tulis apa yang akan dilakukan"));
    th_resp_free(&r);
    submit(kepala, path, path,
           "elemen=U3&masalah=Waktu+tunggu+lama&tindakan=Loket+kedua&pj=Kasi+Pelayanan&status="
           "done&bukti=https%3A%2F%2Fcontoh.go.id%2Ffoto",
           &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    submit(kepala, path, path,
           "elemen=lain&masalah=Pengaduan+parkir&tindakan=Marka+parkir&pj=Sekcam&status=planned"
           "&tenggat=2026-06-30",
           &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    get(kepala, path, &r);
    assert_true(has(&r, "50%"));
    assert_true(has(&r, "selesai (1 dari 2 butir)"));
    th_resp_free(&r);
    /* the store's summary: dropped items do not count */
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    skm_followup *fs;
    size_t n;
    assert_int_equal(skm_followups_list(c, a, px, &fs, &n), DB_OK);
    assert_int_equal(n, 2);
    fs[1].status = "dropped";
    skm_followup_summary sum;
    skm_followup_summarize(fs, n, &sum);
    assert_int_equal(sum.pct_done, 100);
    assert_int_equal(sum.avg_days_e1, 0);
    arena_free(a);
    db_release(c);
    /* the petugas of another unit cannot add */
    submit(petugas_y, "/admin/skm", path,
           "elemen=lain&masalah=abc&tindakan=abc&pj=abc&status=planned", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
}

/* close, then paper is refused; publish; withdraw; all audited */
static void test_close_publish(void **state)
{
    (void)state;
    th_resp r;
    char path[80], paper[80];
    int64_t px = period_id(unit_x, "2026-Q1");
    snprintf(path, sizeof path, "/admin/skm/%lld", (long long)px);
    snprintf(paper, sizeof paper, "/admin/skm/%lld/kertas", (long long)px);
    submit(kepala, path, path, "aksi=terbitkan", &r); /* open: publish is not a step */
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
    submit(kepala, path, path, "aksi=tutup", &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    submit(kepala, path, path, "aksi=buka", &r); /* reopened, and closed again */
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM skm_periods WHERE id = $1 AND status = 'open' "
                              "AND closed_at IS NULL",
                              px),
                     1);
    submit(kepala, path, path, "aksi=tutup", &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    submit(kepala, path, path, ANSWERS, &r); /* no aksi */
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
    submit(kepala, paper, paper, ANSWERS, &r);
    assert_int_equal(r.status, 409);
    th_resp_free(&r);
    /* an anonymous visitor's page (kept by the node's page cache for 60 s) ... */
    char pub[80];
    snprintf(pub, sizeof pub, "/skm/%s", kec_x);
    get(NULL, pub, &r);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, "2026-Q1"));
    th_resp_free(&r);
    submit(kepala, path, path, "aksi=terbitkan", &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    /* ... shows the published result at once */
    get(NULL, pub, &r);
    assert_true(has(&r, "2026-Q1"));
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM skm_periods WHERE id = $1 AND status = "
                              "'published' AND published_at IS NOT NULL",
                              px),
                     1);
    submit(kepala, path, path, "aksi=jumlah&jumlah=5", &r); /* published: the count is fixed */
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
    submit(kepala, path, path, "aksi=tarik", &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE action IN "
                              "('skm.period.close', 'skm.period.publish', "
                              "'skm.period.withdraw', 'skm.period.walkin', 'skm.period.reopen')",
                              0),
                     6);
}

/* the form of a questionnaire: the nine elements of the regulation with `w9` each, then `extra`
 * (more rows, "" for none); skip: an element code left out */
static const char *instrument_form(char *out, size_t cap, const char *w9, const char *extra,
                                   const char *skip)
{
    size_t k = (size_t)snprintf(out, cap, "nama=Kuesioner+Kecamatan");
    int row = 0;
    for (int i = 0; i < 9; i++) {
        const skm_element *e = &skm_default_elements[i];
        if (skip && strcmp(e->code, skip) == 0) continue;
        k += (size_t)snprintf(out + k, cap - k,
                              "&e%d_kode=%s&e%d_label=Unsur&e%d_j1=a&e%d_j2=b&e%d_j3=c&e%d_j4=d"
                              "&e%d_bobot=%s",
                              row, e->code, row, row, row, row, row, row, w9);
        row++;
    }
    if (*extra) snprintf(out + k, cap - k, "&%s", extra);
    return out;
}

/* a unit head adds an element and changes the weights; periods created afterwards use it */
static void test_instrument(void **state)
{
    (void)state;
    th_resp r;
    char path[200], body[4096];
    snprintf(path, sizeof path, "/admin/skm/instrumen?unit=%s", kec_x);
    get(kepala, path, &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "value=\"U9\""));
    assert_true(has(&r, "value=\"1/9\""));
    th_resp_free(&r);
    get(kepala, "/admin/skm/instrumen?unit=disdukcapil", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    /* weights that do not add up to exactly 1 (9 x 0.111 is not 1): refused, input kept */
    submit(kepala, path, path, instrument_form(body, sizeof body, "111%2F1000", "", NULL), &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "tepat 1"));
    assert_true(has(&r, "value=\"111/1000\""));
    th_resp_free(&r);
    /* an element of the regulation cannot be removed */
    submit(kepala, path, path, instrument_form(body, sizeof body, "1%2F8", "", "U4"), &r);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "U4"));
    th_resp_free(&r);
    /* U10 with 1/5, the nine with 8/90 each: 72/90 + 18/90 = 1 */
    submit(kepala, path, path,
           instrument_form(body, sizeof body, "8%2F90",
                           "e9_kode=U10&e9_label=Kebersihan+ruang+tunggu&e9_j1=Kotor&e9_j2=Kurang"
                           "+bersih&e9_j3=Bersih&e9_j4=Sangat+bersih&e9_bobot=1%2F5",
                           NULL),
           &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    skm_instrument ins;
    assert_int_equal(skm_instrument_current(c, a, unit_x, &ins), DB_OK);
    assert_int_equal(ins.unit_id, unit_x);
    assert_int_equal(ins.nel, 10);
    assert_string_equal(ins.el[9].code, "U10");
    assert_int_equal(ins.el[9].weight_num, 1);
    assert_int_equal(ins.el[9].weight_den, 5);
    /* a new period of the unit uses it; the default stays for the others */
    skm_period p;
    char err[200];
    assert_int_equal(skm_period_create(c, a, unit_x, "2027", 0, &p, err, sizeof err), DB_OK);
    assert_int_equal(p.instrument_id, ins.id);
    assert_int_equal(skm_instrument_current(c, a, unit_y, &ins), DB_OK);
    assert_int_equal(ins.nel, 9);
    arena_free(a);
    db_release(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_period), cmocka_unit_test(test_authorization),
        cmocka_unit_test(test_paper),         cmocka_unit_test(test_walkin),
        cmocka_unit_test(test_kiosk),         cmocka_unit_test(test_link),
        cmocka_unit_test(test_followup),      cmocka_unit_test(test_close_publish),
        cmocka_unit_test(test_instrument),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

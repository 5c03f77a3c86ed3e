/* HTTP tests of maintaining service standards and the maklumat, on both engines: who may open
 * and change what (admin everywhere, kepala_unit only for the owning unit or above), an edit adds
 * version N+1 and leaves version N exactly as it was, the cost of a service free by law cannot
 * be forged, a form with mistakes keeps what was typed, the completeness report follows a
 * removed component, and maklumat versions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/services/services.h"
#include "features/units/units.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static http_server *srv;
static CURL *admin, *kepala_dinas;
static char today[11];

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

static CURL *signed_in(const char *ident)
{
    CURL *b = th_browser();
    th_resp r;
    if (signin(b, ident, "layan-demo-2026", &r) || r.status != 303) {
        fprintf(stderr, "sign-in of %s: %ld\n", ident, r.status);
        th_resp_free(&r);
        curl_easy_cleanup(b);
        return NULL;
    }
    th_resp_free(&r);
    return b;
}

/* a kepala_unit of Disdukcapil, the unit that owns the adminduk services */
static int add_kepala_dinas(void)
{
    db_conn *c = db_acquire(T.app.db);
    acct_new n = {.name = "Kepala Disdukcapil (test)",
                  .username = "kepala.dinas",
                  .password = "layan-demo-2026",
                  .verified = true};
    int64_t id = 0;
    int r = acct_create(c, &T.app.keys, app_now(), &n, &id);
    if (r == DB_OK)
        r = acct_role_add(c, id, "kepala_unit", units_id(c, "disdukcapil"), 0, app_now());
    db_release(c);
    return r == DB_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    if (th_app_start(&T, "svcadm", true, NULL)) return -1;
    srv = T.srv;
    /* today in the pemda's time zone, as the pages compute it */
    time_t t = (time_t)(app_now() + (int64_t)T.app.tz_offset_min * 60);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    if (add_kepala_dinas()) return -1;
    admin = th_app_browser(&T, "admin"); /* with its TOTP step */
    kepala_dinas = signed_in("kepala.dinas");
    return admin && kepala_dinas ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    curl_easy_cleanup(admin);
    curl_easy_cleanup(kepala_dinas);
    return th_app_stop(&T);
}

static long get(CURL *b, const char *path, th_resp *r)
{
    assert_int_equal(th_request(b, "GET", th_url(srv, path), NULL, NULL, 0, r), 0);
    return r->status;
}

static long get_status(CURL *b, const char *path)
{
    th_resp r;
    long st = get(b, path, &r);
    th_resp_free(&r);
    return st;
}

/* the code of the kecamatan where the demo kepala.kecamatan works */
static const char *kepala_kecamatan_unit(arena *a)
{
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, "SELECT u.code FROM user_roles r JOIN users x ON x.id = r.user_id "
                               "JOIN units u ON u.id = r.unit_id WHERE x.username = $1");
    db_bind_cstr(s, 1, "kepala.kecamatan");
    const char *code = NULL;
    if (db_step(s) == DB_ROW) {
        str t = db_col_text(s, 0);
        code = arena_strndup(a, t.p, t.n);
    }
    db_finish(s);
    db_release(c);
    return code;
}

static int64_t service_id(const char *code)
{
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    service sv;
    int64_t id = svc_get(c, a, str_c(code), &sv) == DB_OK ? sv.id : 0;
    arena_free(a);
    db_release(c);
    return id;
}

static size_t nversions(const char *code)
{
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    svc_standard *vs;
    size_t n = 0;
    assert_int_equal(svc_standard_versions(c, a, service_id(code), &vs, &n), DB_OK);
    arena_free(a);
    db_release(c);
    return n;
}

/* a full, valid standard form; `extra` is appended (a later field of the same name is not
 * allowed, so callers pass the fields the base leaves out) */
static const char *form(char *out, size_t cap, const char *extra)
{
    snprintf(out, cap,
             "nomor=800%%2F12-Disdukcapil&tanggal=%s&berlaku=%s&partisipasi=Forum+warga"
             "&catatan=Lebih+cepat&satuan=hours&biaya_catatan="
             "&produk=KTP-el&pengaduan=Loket+pengaduan&sarana=Ruang+tunggu"
             "&kompetensi=Pelatihan&pengawasan=Kepala+dinas&jumlah_pelaksana=4+orang"
             "&jaminan_pelayanan=Maklumat&jaminan_keamanan=Data+dijaga&evaluasi=Tiap+tahun"
             "&p0_urutan=2&p0_label=Kartu+Keluarga&p0_dok=kk&p0_wajib=1&p0_jpg=1&p0_pdf=1"
             "&p0_asli=1&p0_syarat=&p0_syarat_label="
             "&p1_urutan=1&p1_label=Surat+pengantar&p1_dok=&p1_wajib=0&p1_png=1"
             "&p2_urutan=3&p2_label=&p2_dok=&p2_wajib=1&p2_jpg=1&p2_png=1&p2_pdf=1"
             "&l0_urutan=1&l0_aktor=pemohon&l0_teks=Datang+ke+loket"
             "&l1_urutan=2&l1_aktor=petugas&l1_teks=Memproses+data"
             "&l2_urutan=3&l2_aktor=petugas&l2_teks=%s",
             today, today, extra);
    return out;
}

static void test_who_may_enter(void **state)
{
    (void)state;
    static const char *const pages[] = {"/admin/layanan",
                                        "/admin/layanan/ktp-baru/standar",
                                        "/admin/layanan/ktp-baru/standar/ubah",
                                        "/admin/layanan/ktp-baru/standar/1",
                                        "/admin/unit/disdukcapil/maklumat",
                                        "/admin/kelengkapan"};
    th_resp r;
    /* anonymous: to the sign-in page */
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        assert_int_equal(th_get(th_url(srv, pages[i]), &r), 0);
        assert_int_equal(r.status, 303);
        th_resp_free(&r);
    }
    /* a citizen and an officer: refused */
    CURL *w = signed_in("081200000001"), *p = signed_in("petugas");
    assert_non_null(w);
    assert_non_null(p);
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        assert_int_equal(get_status(w, pages[i]), 403);
        assert_int_equal(get_status(p, pages[i]), 403);
    }
    curl_easy_cleanup(w);
    curl_easy_cleanup(p);
    /* the head of a kecamatan: not Disdukcapil's standards nor its maklumat, but their own */
    arena *a = arena_new(0);
    const char *kec = kepala_kecamatan_unit(a);
    assert_non_null(kec);
    CURL *k = signed_in("kepala.kecamatan");
    assert_non_null(k);
    assert_int_equal(get_status(k, "/admin/layanan/ktp-baru/standar"), 403);
    assert_int_equal(get_status(k, "/admin/layanan/ktp-baru/standar/ubah"), 403);
    assert_int_equal(get_status(k, "/admin/layanan/ktp-baru/standar/1"), 403);
    assert_int_equal(get_status(k, "/admin/unit/disdukcapil/maklumat"), 403);
    assert_int_equal(get_status(k, "/admin/kelengkapan?unit=disdukcapil"), 403);
    char path[200], body[4096];
    snprintf(path, sizeof path, "/admin/unit/%s/maklumat", kec);
    assert_int_equal(get_status(k, path), 200);
    /* a forged POST is refused too, and nothing is added */
    size_t before = nversions("ktp-baru");
    assert_int_equal(th_submit(k, srv, "/akun", "/admin/layanan/ktp-baru/standar/ubah",
                               form(body, sizeof body, "Selesai"), &r),
                     0);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    assert_int_equal(nversions("ktp-baru"), before);
    /* the list has nothing to edit for them; the completeness report covers their unit only */
    assert_int_equal(get(k, "/admin/layanan", &r), 200);
    assert_false(has(&r, "/admin/layanan/ktp-baru/standar/ubah"));
    th_resp_free(&r);
    assert_int_equal(get(k, "/admin/kelengkapan", &r), 200);
    snprintf(path, sizeof path, "/admin/kelengkapan?unit=%s\"", kec);
    assert_true(has(&r, path));
    assert_false(has(&r, "/admin/kelengkapan?unit=disdukcapil\""));
    th_resp_free(&r);
    curl_easy_cleanup(k);
    arena_free(a);
    /* the head of Disdukcapil and the admin may */
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        assert_int_equal(get_status(kepala_dinas, pages[i]), 200);
        assert_int_equal(get_status(admin, pages[i]), 200);
    }
    /* the menu leads there */
    assert_int_equal(get(admin, "/admin", &r), 200);
    assert_true(has(&r, "href=\"/admin/layanan\""));
    assert_true(has(&r, "href=\"/admin/kelengkapan\""));
    th_resp_free(&r);
    /* an unknown service, an unknown version */
    assert_int_equal(get_status(admin, "/admin/layanan/tidak-ada/standar"), 404);
    assert_int_equal(get_status(admin, "/admin/layanan/ktp-baru/standar/99"), 404);
    assert_int_equal(get_status(admin, "/admin/unit/tidak-ada/maklumat"), 404);
}

static void test_edit_adds_a_version(void **state)
{
    (void)state;
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    int64_t sid = service_id("ktp-baru");
    svc_standard v1, again, v2;
    assert_int_equal(svc_standard_version(c, a, sid, 1, &v1), DB_OK);
    db_release(c);
    size_t before = nversions("ktp-baru");
    th_resp r;
    /* the form is filled in from the version in force */
    assert_int_equal(get(kepala_dinas, "/admin/layanan/ktp-baru/standar/ubah", &r), 200);
    char needle[400];
    snprintf(needle, sizeof needle, "value=\"%s\"", v1.reqs[0].label);
    assert_true(has(&r, needle));
    assert_true(has(&r, "value=\"0\" disabled")); /* the cost of an adminduk service */
    assert_true(has(&r, "Pasal 79A"));
    th_resp_free(&r);

    char body[4096], loc[200];
    assert_int_equal(th_submit(kepala_dinas, srv, "/admin/layanan/ktp-baru/standar/ubah",
                               "/admin/layanan/ktp-baru/standar/ubah",
                               form(body, sizeof body,
                                    "Menyerahkan+KTP-el&waktu=3&biaya=0&dasar_hukum=UU+24%2F2013"),
                               &r),
                     0);
    if (r.status != 303) fprintf(stderr, "%.*s\n", (int)r.body.n, r.body.p);
    assert_int_equal(r.status, 303);
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    char want[200];
    snprintf(want, sizeof want, "/admin/layanan/ktp-baru/standar?tersimpan=%zu", before + 1);
    assert_string_equal(loc, want);
    th_resp_free(&r);
    assert_int_equal(get(kepala_dinas, loc, &r), 200);
    assert_true(has(&r, "tersimpan; berlaku mulai"));
    assert_true(has(&r, "3 jam kerja"));
    th_resp_free(&r);
    assert_int_equal(nversions("ktp-baru"), before + 1);

    /* the new version, rows in the order asked for, the empty row left out */
    c = db_acquire(T.app.db);
    assert_int_equal(svc_standard_version(c, a, sid, (int)before + 1, &v2), DB_OK);
    assert_int_equal(v2.time_limit_value, 3);
    assert_string_equal(v2.time_limit_unit, "hours");
    assert_int_equal(v2.cost_amount, 0);
    assert_string_equal(v2.decree_date, today);
    assert_int_equal(v2.nreqs, 2);
    assert_string_equal(v2.reqs[0].label, "Surat pengantar");
    assert_string_equal(v2.reqs[0].doc_type, "surat_pengantar");
    assert_false(v2.reqs[0].required);
    assert_string_equal(v2.reqs[0].file_types, "png");
    assert_string_equal(v2.reqs[1].doc_type, "kk");
    assert_true(v2.reqs[1].original_shown);
    assert_string_equal(v2.reqs[1].file_types, "jpg,pdf");
    assert_int_equal(v2.nsteps, 3);
    assert_string_equal(v2.steps[0].actor, "pemohon");
    /* the one in force today is the new one */
    svc_standard now;
    assert_int_equal(svc_standard_at(c, a, sid, today, &now), DB_OK);
    assert_int_equal(now.version, (int)before + 1);
    /* version 1 is exactly as it was */
    assert_int_equal(svc_standard_version(c, a, sid, 1, &again), DB_OK);
    db_release(c);
    assert_int_equal(again.time_limit_value, v1.time_limit_value);
    assert_string_equal(again.time_limit_unit, v1.time_limit_unit);
    assert_int_equal(again.nreqs, v1.nreqs);
    assert_int_equal(again.nsteps, v1.nsteps);
    for (size_t i = 0; i < v1.nreqs; i++)
        assert_string_equal(again.reqs[i].label, v1.reqs[i].label);
    assert_string_equal(again.effective_from, v1.effective_from);
    /* and readable, by staff and by the public */
    assert_int_equal(get(admin, "/admin/layanan/ktp-baru/standar/1", &r), 200);
    snprintf(needle, sizeof needle, "%s", v1.reqs[0].label);
    assert_true(has(&r, needle));
    assert_true(has(&r, "/layanan/ktp-baru/versi/1"));
    th_resp_free(&r);
    assert_int_equal(get(admin, "/admin/layanan/ktp-baru/standar", &r), 200);
    assert_true(has(&r, "/admin/layanan/ktp-baru/standar/1\""));
    assert_true(has(&r, "Lebih cepat")); /* the change note in the history */
    th_resp_free(&r);
    arena_free(a);
}

static void test_forged_cost_is_refused(void **state)
{
    (void)state;
    size_t before = nversions("kia");
    char body[4096];
    th_resp r;
    assert_int_equal(th_submit(admin, srv, "/admin/layanan/kia/standar/ubah",
                               "/admin/layanan/kia/standar/ubah",
                               form(body, sizeof body, "Selesai&waktu=1&biaya=Rp+50.000"), &r),
                     0);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "href=\"#biaya\""));
    assert_true(has(&r, "UU 24/2013 Pasal 79A"));
    assert_true(has(&r, "tidak dapat diubah"));
    th_resp_free(&r);
    assert_int_equal(nversions("kia"), before);
}

static void test_mistakes_keep_what_was_typed(void **state)
{
    (void)state;
    size_t before = nversions("kk-baru");
    char body[4096];
    th_resp r;
    /* time limit 0, a date that does not exist, a review before the decree, a requirement with
     * no file type, a step with nobody doing it */
    snprintf(body, sizeof body,
             "nomor=470%%2F99&tanggal=2026-02-30&berlaku=%s&tinjau=2020-01-01"
             "&catatan=Tetap+ada+setelah+salah&waktu=0&satuan=days&biaya=0"
             "&produk=Kartu+Keluarga+baru&p0_label=Surat+nikah+asli&p0_dok=surat_nikah&p0_wajib=1"
             "&l0_aktor=siapa&l0_teks=Langkah+yang+diketik",
             today);
    assert_int_equal(th_submit(admin, srv, "/admin/layanan/kk-baru/standar/ubah",
                               "/admin/layanan/kk-baru/standar/ubah", body, &r),
                     0);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "govuk-error-summary"));
    assert_true(has(&r, "href=\"#waktu\""));
    assert_true(has(&r, "href=\"#tanggal\""));
    assert_true(has(&r, "href=\"#p0_jpg\""));
    assert_true(has(&r, "href=\"#l0_aktor\""));
    assert_true(has(&r, "id=\"waktu-error\""));
    assert_true(has(&r, "value=\"Tetap ada setelah salah\""));
    assert_true(has(&r, "value=\"Surat nikah asli\""));
    assert_true(has(&r, "value=\"2026-02-30\""));
    assert_true(has(&r, "Langkah yang diketik"));
    assert_true(has(&r, "Kartu Keluarga baru"));
    th_resp_free(&r);
    /* a version cannot take effect in the past; no requirement and no step at all */
    snprintf(body, sizeof body, "berlaku=2020-01-01&waktu=1&satuan=days&biaya=0");
    assert_int_equal(th_submit(admin, srv, "/admin/layanan/kk-baru/standar/ubah",
                               "/admin/layanan/kk-baru/standar/ubah", body, &r),
                     0);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "href=\"#berlaku\""));
    assert_true(has(&r, "href=\"#p0_label\""));
    assert_true(has(&r, "href=\"#l0_teks\""));
    th_resp_free(&r);
    assert_int_equal(nversions("kk-baru"), before);
}

static void test_completeness_follows_a_removed_component(void **state)
{
    (void)state;
    th_resp r;
    /* akta-mati loses its "dasar hukum" (legal basis): every other component stays */
    char body[4096];
    assert_int_equal(th_submit(admin, srv, "/admin/layanan/akta-mati/standar/ubah",
                               "/admin/layanan/akta-mati/standar/ubah",
                               form(body, sizeof body, "Selesai&waktu=1&biaya=0&dasar_hukum="), &r),
                     0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    svc_gap *g;
    size_t n;
    assert_int_equal(svc_completeness(c, a, "disdukcapil", today, &g, &n), DB_OK);
    db_release(c);
    bool seen = false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(g[i].service_code, "akta-mati") == 0) {
            seen = true;
            assert_true(g[i].missing[SVC_C_DASAR_HUKUM]);
            assert_int_equal(g[i].nmissing, 1);
            assert_true(g[i].stipulated);
        }
    assert_true(seen);
    assert_int_equal(get(admin, "/admin/kelengkapan?unit=disdukcapil", &r), 200);
    assert_true(has(&r, "13 dari 14 komponen lengkap"));
    assert_true(has(&r, "Dasar hukum")); /* svc_component_name(SVC_C_DASAR_HUKUM), translated */
    th_resp_free(&r);
    assert_int_equal(get(admin, "/admin/layanan/akta-mati/standar", &r), 200);
    assert_true(has(&r, "13 dari 14 komponen lengkap"));
    th_resp_free(&r);
    arena_free(a);
}

static void test_overdue_review_in_words(void **state)
{
    (void)state;
    char body[600];
    th_resp r;
    /* stipulated in 2020, review due in 2021: long overdue */
    snprintf(body, sizeof body,
             "nomor=470%%2F1&tanggal=2020-01-01&berlaku=%s&tinjau=2021-01-01&waktu=1&satuan=days"
             "&biaya=0&p0_label=Kartu+Keluarga&p0_jpg=1&l0_aktor=petugas&l0_teks=Memproses",
             today);
    assert_int_equal(th_submit(admin, srv, "/admin/layanan/ktp-ganti/standar/ubah",
                               "/admin/layanan/ktp-ganti/standar/ubah", body, &r),
                     0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(get(admin, "/admin/layanan", &r), 200);
    assert_true(has(&r, "1 Januari 2021"));
    assert_true(has(&r, "Terlambat"));
    assert_true(has(&r, "lewat "));
    th_resp_free(&r);
    assert_int_equal(get(admin, "/admin/kelengkapan", &r), 200);
    assert_true(has(&r, "lewat "));
    th_resp_free(&r);
}

static void test_maklumat_versions(void **state)
{
    (void)state;
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    svc_maklumat *vs;
    size_t n0 = 0;
    assert_int_equal(svc_maklumat_versions(c, a, "disdukcapil", &vs, &n0), DB_OK);
    const char *old_body = n0 ? vs[0].body : NULL;
    db_release(c);
    th_resp r;
    /* mistakes: empty text, no channel; what was typed stays */
    assert_int_equal(th_submit(admin, srv, "/admin/unit/disdukcapil/maklumat",
                               "/admin/unit/disdukcapil/maklumat",
                               "isi=&nama=Budi+Santoso&jabatan=Kepala+Dinas&tanggal=2026-13-01",
                               &r),
                     0);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "href=\"#isi\""));
    assert_true(has(&r, "href=\"#tanggal\""));
    assert_true(has(&r, "href=\"#kanal_kantor\""));
    assert_true(has(&r, "value=\"Budi Santoso\""));
    th_resp_free(&r);
    char body[600], loc[200];
    snprintf(body, sizeof body,
             "isi=Dengan+ini+kami+sanggup+melayani+sesuai+standar+pelayanan.&nama=Budi+Santoso"
             "&jabatan=Kepala+Dinas&tanggal=%s&kanal_kantor=1&kanal_media-sosial=1",
             today);
    assert_int_equal(th_submit(admin, srv, "/admin/unit/disdukcapil/maklumat",
                               "/admin/unit/disdukcapil/maklumat", body, &r),
                     0);
    assert_int_equal(r.status, 303);
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    th_resp_free(&r);
    assert_int_equal(get(admin, loc, &r), 200);
    assert_true(has(&r, "govuk-notification-banner"));
    assert_true(has(&r, "Budi Santoso"));
    th_resp_free(&r);
    c = db_acquire(T.app.db);
    size_t n1 = 0;
    assert_int_equal(svc_maklumat_versions(c, a, "disdukcapil", &vs, &n1), DB_OK);
    db_release(c);
    assert_int_equal(n1, n0 + 1);
    assert_string_equal(vs[0].signatory_name, "Budi Santoso");
    assert_string_equal(vs[0].channels, "kantor,media-sosial");
    if (old_body) assert_string_equal(vs[1].body, old_body); /* the old one is unchanged */
    /* the head of a kecamatan gives their unit its own maklumat */
    const char *kec = kepala_kecamatan_unit(a);
    CURL *k = signed_in("kepala.kecamatan");
    char path[200];
    snprintf(path, sizeof path, "/admin/unit/%s/maklumat", kec);
    assert_int_equal(th_submit(k, srv, path, path, body, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    curl_easy_cleanup(k);
    c = db_acquire(T.app.db);
    assert_int_equal(svc_maklumat_versions(c, a, kec, &vs, &n1), DB_OK);
    db_release(c);
    assert_int_equal(n1, 1);
    arena_free(a);
}

static int active_points(const char *code, const char *unit_code, svc_point *out)
{
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    svc_point *ps;
    size_t n = 0;
    assert_int_equal(svc_points_all(c, a, service_id(code), &ps, &n), DB_OK);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        k += ps[i].active;
        if (out && strcmp(ps[i].unit_code, unit_code) == 0) {
            *out = ps[i];
            out->note = out->note ? strdup(out->note) : NULL; /* outlives the arena */
            out->unit_code = out->unit_name = out->unit_type = out->time_limit_unit = NULL;
        }
    }
    arena_free(a);
    db_release(c);
    return k;
}

/* where a service is offered: the owner adds points, the head of a point sets its overrides */
static void test_service_points(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    const char *kec = kepala_kecamatan_unit(a);
    char path[200], body[600];
    th_resp r;
    CURL *k = signed_in("kepala.kecamatan");
    /* the list and adding points belong to the service's owner */
    assert_int_equal(get_status(k, "/admin/layanan/kia/tempat"), 403);
    assert_int_equal(get_status(k, "/admin/layanan/kia/tempat/disdukcapil"), 403);
    assert_int_equal(get_status(admin, "/admin/layanan/kia/tempat"), 200);
    assert_int_equal(get_status(admin, "/admin/layanan/kia/tempat/no-such-unit"), 404);
    /* the head of the kecamatan: mistakes keep what was typed */
    snprintf(path, sizeof path, "/admin/layanan/kia/tempat/%s", kec);
    assert_int_equal(get(k, path, &r), 200);
    assert_true(has(&r, "Layanan ini tersedia di sini"));
    th_resp_free(&r);
    assert_int_equal(th_submit(k, srv, path, path,
                               "aktif=1&waktu=0&satuan=hours&loket=3&catatan=Loket+3"
                               "&buka2=08%3A00&tutup2=07%3A00&buka3=8",
                               &r),
                     0);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "href=\"#waktu\""));
    assert_true(has(&r, "Selasa: jam tutup harus setelah jam buka."));
    assert_true(has(&r, "Rabu: isi kedua jam"));
    assert_true(has(&r, "value=\"07:00\""));
    assert_true(has(&r, ">Loket 3</textarea>"));
    th_resp_free(&r);
    /* then right: 2 working hours, 3 counters, Tuesday mornings only */
    assert_int_equal(th_submit(k, srv, path, path,
                               "aktif=1&waktu=2&satuan=hours&loket=3&catatan=Loket+3"
                               "&buka2=08%3A00&tutup2=12%3A00",
                               &r),
                     0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    svc_point p;
    memset(&p, 0, sizeof p);
    assert_int_equal(active_points("kia", kec, &p), 31);
    assert_int_equal(p.time_limit_value, 2);
    assert_int_equal(p.counters, 3);
    assert_string_equal(p.note, "Loket 3");
    assert_int_equal(p.nhours, 1);
    assert_int_equal(p.hours[0].weekday, 2);
    assert_int_equal(p.hours[0].closes_min, 12 * 60);
    free((char *)p.note);
    /* turned off: kept, gone from the public list of points */
    assert_int_equal(th_submit(k, srv, path, path, "waktu=&loket=&catatan=", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(active_points("kia", kec, NULL), 30);
    curl_easy_cleanup(k);
    /* the owner offers it at a new public service mall */
    db_conn *c = db_acquire(T.app.db);
    assert_int_equal(units_create(c, "mpp-bandung", "pemda", "mpp",
                                  "Mal Pelayanan Publik Kota "
                                  "Bandung",
                                  "32.73", 420, NULL),
                     DB_OK);
    db_release(c);
    assert_int_equal(get(admin, "/admin/layanan/kia/tempat", &r), 200);
    assert_true(has(&r, "<option value=\"mpp-bandung\">"));
    th_resp_free(&r);
    assert_int_equal(th_submit(admin, srv, "/admin/layanan/kia/tempat", "/admin/layanan/kia/tempat",
                               "unit=", &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Pilih tempat layanan yang akan ditambahkan."));
    th_resp_free(&r);
    snprintf(body, sizeof body, "unit=mpp-bandung");
    assert_int_equal(
        th_submit(admin, srv, "/admin/layanan/kia/tempat", "/admin/layanan/kia/tempat", body, &r),
        0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(active_points("kia", "mpp-bandung", NULL), 31);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_who_may_enter),
        cmocka_unit_test(test_edit_adds_a_version),
        cmocka_unit_test(test_forged_cost_is_refused),
        cmocka_unit_test(test_mistakes_keep_what_was_typed),
        cmocka_unit_test(test_completeness_follows_a_removed_component),
        cmocka_unit_test(test_overdue_review_in_words),
        cmocka_unit_test(test_maklumat_versions),
        cmocka_unit_test(test_service_points),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

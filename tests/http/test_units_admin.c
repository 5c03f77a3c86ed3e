/* HTTP tests of the unit admin pages on both engines: who may open and change which unit
 * (admin_pemda every unit; a kepala_unit their own unit and those below it), creating a unit,
 * editing its profile, hours and facilities, errors next to the fields with what was typed
 * kept, the form token, and the facilities on the public page and in the API. */
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
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static http_server *srv;
static CURL *admin;
static char kec_x[16], kec_y[16]; /* the kepala's kecamatan and another one */

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

static int64_t count_of(const char *sql, const char *arg)
{
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, sql);
    if (arg) db_bind_cstr(s, 1, arg);
    int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_finish(s);
    db_release(c);
    return n;
}

static int setup(void **state)
{
    (void)state;
    if (th_app_start(&T, "unitadm", true, NULL)) return -1;
    srv = T.srv;

    /* the kecamatan where the demo kepala_unit holds the role, and another kecamatan */
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, "SELECT u.code FROM user_roles r JOIN users x ON x.id = r.user_id "
                               "JOIN units u ON u.id = r.unit_id WHERE x.username = "
                               "'kepala.kecamatan'");
    if (s && db_step(s) == DB_ROW) snprintf(kec_x, sizeof kec_x, "%s", db_col_text(s, 0).p);
    if (s) db_finish(s);
    s = db_prepare(c, "SELECT code FROM units WHERE type = 'kecamatan' AND code <> $1 ORDER BY "
                      "code LIMIT 1");
    if (s) {
        db_bind_cstr(s, 1, kec_x);
        if (db_step(s) == DB_ROW) snprintf(kec_y, sizeof kec_y, "%s", db_col_text(s, 0).p);
        db_finish(s);
    }
    /* the demo admin: password, then the TOTP code from its secret */
    admin = th_browser();
    th_resp r;
    arena *a = arena_new(0);
    acct_user u;
    char secret[CR_TOTP_SECRET_B32 + 1], code[7], body[32];
    int64_t last;
    int ok = signin(admin, "admin", "layan-demo-2026", &r) == 0 && r.status == 303;
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
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    curl_easy_cleanup(admin);
    return th_app_stop(&T);
}

/* a complete edit form (urlencoded) with the given name, Monday closing time and latitude;
 * extra fields are appended */
static void edit_body(char *out, size_t cap, const char *name, const char *mon_closes,
                      const char *lat, const char *extra)
{
    snprintf(
        out, cap,
        "nama=%s&alamat=Jl.+Merdeka+No.+1&telepon=%%28022%%29+4231234&email=kec%%40contoh.go.id"
        "&lat=%s&lon=107.609810&zona=WIB"
        "&h1_buka=08.00&h1_tutup=%s&h1_mulai=12.00&h1_selesai=13.00"
        "&h2_buka=08.00&h2_tutup=15.00&h3_buka=08.00&h3_tutup=15.00"
        "&h4_buka=08.00&h4_tutup=15.00&h5_buka=08.00&h5_tutup=11.30"
        "&h6_libur=1&h7_libur=1"
        "&f_wheelchair=1&f_wheelchair_ket=2+kursi+roda&f_toilet=1&f_lactation_room=1%s",
        name, lat, mon_closes, extra ? extra : "");
}

static void get(CURL *b, const char *path, th_resp *r)
{
    assert_int_equal(th_request(b, "GET", th_url(srv, path), NULL, NULL, 0, r), 0);
}

static void test_who_may_enter(void **state)
{
    (void)state;
    th_resp r;
    char path[80], loc[300];
    /* anonymous: sent to sign in */
    assert_int_equal(th_get(th_url(srv, "/admin/unit"), &r), 0);
    assert_int_equal(r.status, 303);
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    assert_non_null(strstr(loc, "/masuk"));
    th_resp_free(&r);
    /* petugas: no */
    CURL *p = th_browser();
    assert_int_equal(signin(p, "petugas", "layan-demo-2026", &r), 0);
    th_resp_free(&r);
    get(p, "/admin/unit", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    snprintf(path, sizeof path, "/admin/unit/%s", kec_x);
    get(p, path, &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    curl_easy_cleanup(p);

    /* kepala_unit of kecamatan X: X yes, Y and the Disdukcapil no */
    CURL *k = th_browser();
    assert_int_equal(signin(k, "kepala.kecamatan", "layan-demo-2026", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    get(k, "/admin/unit", &r);
    assert_int_equal(r.status, 200);
    snprintf(path, sizeof path, "href=\"/admin/unit/%s\"", kec_x);
    assert_true(has(&r, path));
    snprintf(path, sizeof path, "href=\"/admin/unit/%s\"", kec_y);
    assert_false(has(&r, path));
    assert_false(has(&r, "href=\"/admin/unit/disdukcapil\""));
    assert_false(has(&r, "href=\"/admin/pengguna\"")); /* the admin menu is for admins */
    th_resp_free(&r);
    snprintf(path, sizeof path, "/admin/unit/%s", kec_x);
    get(k, path, &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "name=\"h1_buka\""));
    th_resp_free(&r);
    snprintf(path, sizeof path, "/admin/unit/%s", kec_y);
    get(k, path, &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    get(k, "/admin/unit/disdukcapil", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    /* a POST to Y with a good token is refused too, and changes nothing */
    char body[2048], own[80];
    edit_body(body, sizeof body, "Diambil+alih", "15.00", "-6.914744", NULL);
    snprintf(own, sizeof own, "/admin/unit/%s", kec_x);
    assert_int_equal(th_submit(k, srv, own, path, body, &r), 0);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM units WHERE name = 'Diambil alih'", NULL), 0);
    /* their own unit: saved, with the banner after the redirect */
    edit_body(body, sizeof body, "Kantor+Kecamatan+Uji", "15.00", "-6.914744", NULL);
    assert_int_equal(th_submit(k, srv, own, own, body, &r), 0);
    if (r.status != 303) fprintf(stderr, "%s\n", r.body.p);
    assert_int_equal(r.status, 303);
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    assert_non_null(strstr(loc, "berhasil=simpan"));
    th_resp_free(&r);
    get(k, loc, &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Tersimpan."));
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM units WHERE name = 'Kantor Kecamatan Uji' "
                              "AND code = $1",
                              kec_x),
                     1);
    /* creating: only under a unit they manage */
    snprintf(body, sizeof body,
             "kode=kel-uji&induk=disdukcapil&jenis=kelurahan&nama=Loket+Uji"
             "&wilayah=32.73&zona=WIB");
    assert_int_equal(th_submit(k, srv, "/admin/unit/baru", "/admin/unit/baru", body, &r), 0);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "di bawah unit yang Anda kelola"));
    th_resp_free(&r);
    curl_easy_cleanup(k);
}

static void test_admin_creates_and_edits(void **state)
{
    (void)state;
    th_resp r;
    char loc[300], body[2048];
    get(admin, "/admin/unit", &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Kelengkapan profil"));
    assert_true(has(&r, "href=\"/admin/unit/disdukcapil\""));
    assert_true(has(&r, "Tambah unit"));
    th_resp_free(&r);
    get(admin, "/admin/unit/baru", &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Mal Pelayanan Publik (MPP)"));
    assert_true(has(&r, "Kantor kecamatan"));
    assert_true(has(&r, "WITA"));
    th_resp_free(&r);
    assert_int_equal(th_submit(admin, srv, "/admin/unit/baru", "/admin/unit/baru",
                               "kode=mpp-kota&induk=pemda&jenis=mpp&nama=Mal+Pelayanan+Publik+Kota"
                               "&wilayah=32.73&zona=WIB",
                               &r),
                     0);
    assert_int_equal(r.status, 303);
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    assert_string_equal(loc, "/admin/unit/mpp-kota?berhasil=baru");
    th_resp_free(&r);
    get(admin, loc, &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Unit sudah dibuat"));
    assert_true(has(&r, "32.73"));
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM units u JOIN units p ON p.id = u.parent_id "
                              "WHERE u.code = $1 AND u.type = 'mpp' AND p.code = 'pemda'",
                              "mpp-kota"),
                     1);
    assert_int_equal(
        count_of("SELECT count(*) FROM audit_log WHERE action = 'unit.create' AND object = $1",
                 "unit:mpp-kota"),
        1);

    edit_body(body, sizeof body, "Mal+Pelayanan+Publik+Kota", "15.00", "-6.914744, 107.609810",
              NULL);
    /* the pair pasted into the latitude box: the longitude box is sent empty */
    char *lon = strstr(body, "&lon=107.609810");
    memmove(lon + 5, lon + 15, strlen(lon + 15) + 1);
    assert_int_equal(
        th_submit(admin, srv, "/admin/unit/mpp-kota", "/admin/unit/mpp-kota", body, &r), 0);
    if (r.status != 303) fprintf(stderr, "%s\n", r.body.p);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM unit_hours h JOIN units u ON u.id = "
                              "h.unit_id WHERE u.code = $1",
                              "mpp-kota"),
                     5);
    assert_int_equal(count_of("SELECT count(*) FROM unit_hours h JOIN units u ON u.id = "
                              "h.unit_id WHERE u.code = $1 AND h.weekday = 1 AND h.opens_min = "
                              "480 AND h.closes_min = 900 AND h.break_start_min = 720 AND "
                              "h.break_end_min = 780",
                              "mpp-kota"),
                     1);
    assert_int_equal(count_of("SELECT count(*) FROM unit_facilities f JOIN units u ON u.id = "
                              "f.unit_id WHERE u.code = $1",
                              "mpp-kota"),
                     3);
    assert_int_equal(count_of("SELECT count(*) FROM units WHERE code = $1 AND lat > -6.915 AND "
                              "lat < -6.914 AND lon > 107.609 AND lon < 107.610 AND email = "
                              "'kec@contoh.go.id'",
                              "mpp-kota"),
                     1);
    assert_int_equal(
        count_of("SELECT count(*) FROM audit_log WHERE action = 'unit.update' AND object = $1",
                 "unit:mpp-kota"),
        1);
    /* the form shows what was saved */
    get(admin, "/admin/unit/mpp-kota", &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "value=\"2 kursi roda\""));
    assert_true(has(&r, "value=\"11.30\""));
    th_resp_free(&r);
    /* both coordinates emptied: cleared */
    edit_body(body, sizeof body, "Mal+Pelayanan+Publik+Kota", "15.00", "", NULL);
    lon = strstr(body, "&lon=107.609810");
    memmove(lon + 5, lon + 15, strlen(lon + 15) + 1);
    assert_int_equal(
        th_submit(admin, srv, "/admin/unit/mpp-kota", "/admin/unit/mpp-kota", body, &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM units WHERE code = $1 AND lat IS NULL AND lon "
                              "IS NULL",
                              "mpp-kota"),
                     1);
    assert_int_equal(
        count_of("SELECT count(*) FROM audit_log WHERE action = 'unit.update' AND object = $1 AND "
                 "detail = 'coordinates'",
                 "unit:mpp-kota"),
        1);
    /* the list now shows it complete */
    get(admin, "/admin/unit", &r);
    assert_true(has(&r, "Mal Pelayanan Publik Kota"));
    th_resp_free(&r);
}

static void test_bad_input_keeps_what_was_typed(void **state)
{
    (void)state;
    th_resp r;
    /* create: unknown region, then a taken code, then a code with capitals */
    assert_int_equal(
        th_submit(admin, srv, "/admin/unit/baru", "/admin/unit/baru",
                  "kode=kel-baru&induk=disdukcapil&jenis=kelurahan&nama=Loket+Baru+Sekali"
                  "&wilayah=99.99&zona=WIB",
                  &r),
        0);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Tidak ada wilayah dengan kode 99.99"));
    assert_true(has(&r, "value=\"Loket Baru Sekali\""));
    assert_true(has(&r, "value=\"kel-baru\""));
    assert_true(has(&r, "href=\"#wilayah\""));
    th_resp_free(&r);
    assert_int_equal(th_submit(admin, srv, "/admin/unit/baru", "/admin/unit/baru",
                               "kode=disdukcapil&induk=pemda&jenis=opd&nama=Dinas+Kedua"
                               "&wilayah=32.73&zona=WIB",
                               &r),
                     0);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Kode disdukcapil sudah dipakai unit lain"));
    assert_true(has(&r, "value=\"Dinas Kedua\""));
    /* the region was right: its name is shown back */
    assert_true(has(&r, "Wilayah: "));
    th_resp_free(&r);
    assert_int_equal(th_submit(admin, srv, "/admin/unit/baru", "/admin/unit/baru",
                               "kode=Kec+Baru&induk=pemda&jenis=opd&nama=Dinas+Ketiga"
                               "&wilayah=32.73&zona=WIB",
                               &r),
                     0);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "huruf kecil, angka, titik"));
    assert_true(has(&r, "value=\"Kec Baru\""));
    th_resp_free(&r);
    assert_int_equal(
        count_of("SELECT count(*) FROM units WHERE name IN ('Dinas Kedua', 'Dinas Ketiga')", NULL),
        0);

    /* edit: closing before opening on Monday, latitude 200 */
    char body[2048];
    edit_body(body, sizeof body, "Nama+Yang+Tidak+Tersimpan", "07.00", "200",
              "&f_parking_ket=luas");
    assert_int_equal(
        th_submit(admin, srv, "/admin/unit/disdukcapil", "/admin/unit/disdukcapil", body, &r), 0);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Senin: jam tutup harus lebih lambat daripada jam buka."));
    assert_true(has(&r, "Garis lintang harus di antara -90 dan 90."));
    assert_true(has(&r, "Tempat parkir: centang fasilitasnya, atau hapus keterangannya."));
    assert_true(has(&r, "href=\"#h1_tutup\""));
    assert_true(has(&r, "href=\"#lat\""));
    assert_true(has(&r, "value=\"07.00\""));
    assert_true(has(&r, "value=\"200\""));
    assert_true(has(&r, "value=\"Nama Yang Tidak Tersimpan\""));
    assert_true(has(&r, "value=\"2 kursi roda\""));
    assert_true(has(&r, "value=\"luas\""));
    th_resp_free(&r);
    assert_int_equal(
        count_of("SELECT count(*) FROM units WHERE name = 'Nama Yang Tidak Tersimpan'", NULL), 0);
    /* a break outside the opening hours */
    edit_body(body, sizeof body, "Disdukcapil", "15.00", "-6.9", NULL);
    char *b = strstr(body, "h1_mulai=12.00");
    memcpy(b, "h1_mulai=06.00", 14);
    assert_int_equal(
        th_submit(admin, srv, "/admin/unit/disdukcapil", "/admin/unit/disdukcapil", body, &r), 0);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "Senin: waktu istirahat harus di antara jam buka dan jam tutup."));
    th_resp_free(&r);
    /* unknown unit */
    th_resp g;
    get(admin, "/admin/unit/tidak-ada", &g);
    assert_int_equal(g.status, 404);
    th_resp_free(&g);
}

static void test_posts_need_the_token(void **state)
{
    (void)state;
    char path[80];
    snprintf(path, sizeof path, "/admin/unit/%s", kec_x);
    const char *paths[] = {"/admin/unit/baru", path, "/admin/unit/disdukcapil"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        th_resp r;
        const char *body = "nama=Tanpa+Token&zona=WIB";
        assert_int_equal(
            th_request(admin, "POST", th_url(srv, paths[i]), NULL, body, strlen(body), &r), 0);
        assert_int_equal(r.status, 403);
        th_resp_free(&r);
    }
    assert_int_equal(count_of("SELECT count(*) FROM units WHERE name = 'Tanpa Token'", NULL), 0);
}

static void test_public_page_and_api_show_facilities(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_get(th_url(srv, "/unit/mpp-kota"), &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Fasilitas"));
    assert_true(has(&r, "Akses kursi roda"));
    assert_true(has(&r, "(2 kursi roda)"));
    assert_true(has(&r, "Ruang laktasi"));
    assert_false(has(&r, "Tempat parkir"));
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(srv, "/api/v1/units/mpp-kota"), &r), 0);
    assert_int_equal(r.status, 200);
    json_error_t e;
    json_t *j = json_loadb(r.body.p, r.body.n, 0, &e);
    th_resp_free(&r);
    assert_non_null(j);
    /* the existing fields stay */
    assert_string_equal(json_string_value(json_object_get(j, "code")), "mpp-kota");
    assert_string_equal(json_string_value(json_object_get(j, "time_zone")), "WIB");
    assert_int_equal(json_array_size(json_object_get(j, "opening_hours")), 5);
    json_t *fs = json_object_get(j, "facilities");
    assert_true(json_is_array(fs));
    assert_int_equal(json_array_size(fs), 3);
    /* display order: toilet, lactation_room, wheelchair */
    assert_string_equal(json_string_value(json_object_get(json_array_get(fs, 0), "code")),
                        "toilet");
    assert_true(json_is_null(json_object_get(json_array_get(fs, 0), "note")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(fs, 2), "code")),
                        "wheelchair");
    assert_string_equal(json_string_value(json_object_get(json_array_get(fs, 2), "note")),
                        "2 kursi roda");
    json_decref(j);
    /* the list of units carries them too */
    assert_int_equal(th_get(th_url(srv, "/api/v1/units"), &r), 0);
    j = json_loadb(r.body.p, r.body.n, 0, &e);
    th_resp_free(&r);
    assert_non_null(j);
    size_t i;
    json_t *it;
    bool seen = false;
    json_array_foreach(json_object_get(j, "units"), i, it)
    {
        assert_true(json_is_array(json_object_get(it, "facilities")));
        if (strcmp(json_string_value(json_object_get(it, "code")), "mpp-kota") == 0) {
            seen = true;
            assert_int_equal(json_array_size(json_object_get(it, "facilities")), 3);
        }
    }
    assert_true(seen);
    json_decref(j);
    /* coordinates give a map link on the public page (the kepala saved them for X) */
    char path[80];
    snprintf(path, sizeof path, "/unit/%s", kec_x);
    assert_int_equal(th_get(th_url(srv, path), &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "https://www.openstreetmap.org/?mlat=-6.914744&amp;mlon=107.609810"));
    assert_true(has(&r, "Buka di peta"));
    th_resp_free(&r);
    /* a unit without facilities: an empty list */
    assert_int_equal(th_get(th_url(srv, "/api/v1/units/disdukcapil"), &r), 0);
    j = json_loadb(r.body.p, r.body.n, 0, &e);
    th_resp_free(&r);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "facilities")), 0);
    assert_true(json_is_array(json_object_get(j, "facilities")));
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_who_may_enter),
        cmocka_unit_test(test_admin_creates_and_edits),
        cmocka_unit_test(test_bad_input_keeps_what_was_typed),
        cmocka_unit_test(test_posts_need_the_token),
        cmocka_unit_test(test_public_page_and_api_show_facilities),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

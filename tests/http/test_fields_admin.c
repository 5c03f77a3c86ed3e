/* HTTP tests of the application form fields page (/admin/layanan/{code}/isian), on both
 * engines: only the service's owner may open or change it; mistakes (a repeated code, a choice
 * without options, options on a text field, a malformed code) come back next to the row with
 * everything typed kept and nothing saved; a valid list is saved in the order asked, with a
 * removed field gone, audited, and published to the application form; a request filed before
 * keeps its stored answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/app.h"
#include "features/services/services.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static http_server *srv;
static CURL *admin, *petugas, *kepala_kecamatan, *citizen;
static int64_t service_id, petugas_id;
static char req_code[11];

#define PAGE "/admin/layanan/ktp-ganti/isian"

static bool has(const th_resp *r, const char *needle)
{
    return r->body.p && strstr(r->body.p, needle) != NULL;
}

static long get(CURL *b, const char *path, th_resp *r)
{
    assert_int_equal(th_request(b, "GET", th_url(srv, path), NULL, NULL, 0, r), 0);
    return r->status;
}

static long post(CURL *b, const char *page, const char *fields, th_resp *r)
{
    return th_submit(b, srv, page, PAGE, fields, r) ? -1 : r->status;
}

/* the service's fields as "code:type:required" joined by spaces, in order */
static const char *fields_now(void)
{
    static char out[1024];
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(0);
    svc_field *fs;
    size_t n = 0;
    out[0] = 0;
    if (svc_fields(c, a, service_id, &fs, &n) == DB_OK)
        for (size_t i = 0; i < n; i++) {
            size_t k = strlen(out);
            snprintf(out + k, sizeof out - k, "%s%s:%s:%d", k ? " " : "", fs[i].code,
                     fs[i].datatype, fs[i].required);
        }
    arena_free(a);
    db_release(c);
    return out;
}

static int setup(void **state)
{
    (void)state;
    if (th_app_start(&T, "fieldsadm", true, NULL)) return -1;
    srv = T.srv;
    service_id = th_app_int(&T, "SELECT id FROM services WHERE code = $1", "ktp-ganti");
    petugas_id = th_app_int(&T, "SELECT id FROM users WHERE username = $1", "petugas");
    if (service_id <= 0 || petugas_id <= 0) return -1;
    /* filed before any change: its form holds {"keterangan": "KTP hilang"} */
    if (th_app_file(&T, service_id, "32.73.01", 0, petugas_id, "pickup", "3273014107850003",
                    app_now(), req_code, NULL))
        return -1;
    admin = th_app_browser(&T, "admin");
    petugas = th_app_browser(&T, "petugas");
    kepala_kecamatan = th_app_browser(&T, "kepala.kecamatan");
    citizen = th_app_browser(&T, "081200000001");
    return admin && petugas && kepala_kecamatan && citizen ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    curl_easy_cleanup(admin);
    curl_easy_cleanup(petugas);
    curl_easy_cleanup(kepala_kecamatan);
    curl_easy_cleanup(citizen);
    return th_app_stop(&T);
}

static void test_not_for_others(void **state)
{
    (void)state;
    const char *before = fields_now();
    char keep[1024];
    snprintf(keep, sizeof keep, "%s", before);
    th_resp r;
    assert_int_equal(get(petugas, PAGE, &r), 403);
    th_resp_free(&r);
    assert_int_equal(get(kepala_kecamatan, PAGE, &r), 403);
    th_resp_free(&r);
    assert_int_equal(post(petugas, "/akun/ubah", "f0_kode=x&f0_label=X&f0_jenis=string", &r), 403);
    th_resp_free(&r);
    assert_string_equal(fields_now(), keep);
}

/* the seeded field of KTP replacement, listed and in the form */
static void test_lists_fields(void **state)
{
    (void)state;
    assert_string_equal(fields_now(), "alasan:singlevaluelist:1");
    th_resp r;
    assert_int_equal(get(admin, "/admin/layanan/ktp-ganti/standar", &r), 200);
    assert_true(has(&r, "href=\"/admin/layanan/ktp-ganti/isian\""));
    th_resp_free(&r);
    assert_int_equal(get(admin, PAGE, &r), 200);
    assert_true(has(&r, "1 isian dipakai"));
    assert_true(has(&r, "Alasan penggantian"));
    assert_true(has(&r, "Pilihan (salah satu dari daftar)"));
    assert_true(has(&r, "name=\"f0_kode\" type=\"text\" maxlength=\"40\" spellcheck=\"false\" "
                        "autocomplete=\"off\" value=\"alasan\""));
    assert_true(has(&r, "hilang=Hilang\nrusak=Rusak</textarea>"));
    th_resp_free(&r);
}

static void test_mistakes_kept(void **state)
{
    (void)state;
    th_resp r;
    /* f1 repeats f0's code; f2 is a choice with one option; f3 has options but is text */
    const char *body =
        "f0_urutan=1&f0_kode=alasan&f0_label=Alasan+penggantian&f0_jenis=singlevaluelist"
        "&f0_wajib=1&f0_pilihan=hilang%3DHilang%0Arusak%3DRusak"
        "&f1_urutan=2&f1_kode=alasan&f1_label=Nomor+laporan+polisi&f1_jenis=string"
        "&f2_urutan=3&f2_kode=warna&f2_label=Warna+kartu&f2_jenis=singlevaluelist"
        "&f2_pilihan=biru%3DBiru"
        "&f3_urutan=4&f3_kode=Tanggal&f3_label=Tanggal+hilang&f3_jenis=string"
        "&f3_pilihan=a%3DA%0Ab%3DB";
    assert_int_equal(post(admin, PAGE, body, &r), 422);
    assert_true(has(&r, "Isian 2: isian 1 sudah memakai kode &quot;alasan&quot;"));
    assert_true(has(&r, "Isian 3: pilihan memerlukan paling sedikit dua opsi"));
    assert_true(has(&r, "Isian 4: opsi hanya untuk jenis"));
    assert_true(has(&r, "Isian 4: kode memakai 1 sampai 40 huruf kecil"));
    assert_true(has(&r, "value=\"Nomor laporan polisi\"")); /* typed, kept */
    assert_true(has(&r, "value=\"Tanggal\""));
    assert_true(has(&r, "biru=Biru</textarea>"));
    th_resp_free(&r);
    /* a malformed options line is named */
    assert_int_equal(post(admin, PAGE,
                          "f0_kode=alasan&f0_label=Alasan&f0_jenis=singlevaluelist"
                          "&f0_pilihan=hilang%3DHilang%0ARusak+sekali",
                          &r),
                     422);
    assert_true(has(&r, "Isian 1, baris pilihan 2: tulis setiap pilihan sebagai kode=Nama"));
    th_resp_free(&r);
    assert_string_equal(fields_now(), "alasan:singlevaluelist:1");
    assert_int_equal(
        th_app_int(&T, "SELECT COUNT(*) FROM audit_log WHERE action = $1", "service.fields.set"),
        0);
}

/* add a date first, a number (optional) last; then remove the choice */
static void test_save_reorder_remove(void **state)
{
    (void)state;
    th_resp r;
    const char *body =
        "f0_urutan=2&f0_kode=alasan&f0_label=Alasan+penggantian&f0_jenis=singlevaluelist"
        "&f0_wajib=1&f0_pilihan=hilang%3DHilang%0Arusak%3DRusak%0Aganti%3DGanti+data"
        "&f1_urutan=1&f1_kode=tanggal_hilang&f1_label=Tanggal+KTP+hilang&f1_jenis=datetime"
        "&f1_wajib=1&f1_keterangan=Perkiraan+saja+bila+lupa"
        "&f2_urutan=3&f2_kode=nomor_laporan&f2_label=Nomor+laporan+polisi&f2_jenis=number";
    assert_int_equal(post(admin, PAGE, body, &r), 303);
    th_resp_free(&r);
    assert_string_equal(
        fields_now(), "tanggal_hilang:datetime:1 alasan:singlevaluelist:1 nomor_laporan:number:0");
    assert_int_equal(th_app_int(&T,
                                "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND "
                                "object = 'service:ktp-ganti' AND detail = "
                                "'3 fields: tanggal_hilang alasan nomor_laporan'",
                                "service.fields.set"),
                     1);
    assert_int_equal(get(admin, PAGE "?berhasil=simpan", &r), 200);
    assert_true(has(&r, "Isian formulir permohonan disimpan."));
    assert_true(has(&r, "3 isian dipakai"));
    th_resp_free(&r);
    /* the citizen's application form asks the new questions, in that order */
    assert_int_equal(get(citizen, "/layanan/ktp-ganti/ajukan", &r), 200);
    const char *d = r.body.p ? strstr(r.body.p, "Tanggal KTP hilang") : NULL,
               *c = r.body.p ? strstr(r.body.p, "Alasan penggantian") : NULL,
               *n = r.body.p ? strstr(r.body.p, "Nomor laporan polisi") : NULL;
    assert_non_null(d);
    assert_non_null(c);
    assert_non_null(n);
    assert_true(d < c && c < n);
    assert_true(has(&r, "Ganti data"));
    th_resp_free(&r);

    /* remove the choice */
    body = "f0_urutan=1&f0_kode=tanggal_hilang&f0_label=Tanggal+KTP+hilang&f0_jenis=datetime"
           "&f0_wajib=1"
           "&f1_urutan=2&f1_kode=alasan&f1_label=Alasan+penggantian&f1_jenis=singlevaluelist"
           "&f1_wajib=1&f1_pilihan=hilang%3DHilang%0Arusak%3DRusak&f1_hapus=1"
           "&f2_urutan=3&f2_kode=nomor_laporan&f2_label=Nomor+laporan+polisi&f2_jenis=number";
    assert_int_equal(post(admin, PAGE, body, &r), 303);
    th_resp_free(&r);
    assert_string_equal(fields_now(), "tanggal_hilang:datetime:1 nomor_laporan:number:0");
}

/* the request filed before the changes still shows its answer to the officer */
static void test_old_request_keeps_answer(void **state)
{
    (void)state;
    th_resp r;
    char path[64];
    snprintf(path, sizeof path, "/petugas/%s", req_code);
    assert_int_equal(get(petugas, path, &r), 200);
    assert_true(has(&r, "KTP hilang"));
    th_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_for_others),
        cmocka_unit_test(test_lists_fields),
        cmocka_unit_test(test_mistakes_kept),
        cmocka_unit_test(test_save_reorder_remove),
        cmocka_unit_test(test_old_request_keeps_answer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* HTTP tests of the public service catalogue on a real `layan init` + `layan demo` database
 * (Kota Bandung): the list with its life-event, name and service-point filters, a service's
 * standard page (what to bring, the promise with the expected date, the maklumat, where it is
 * offered), the versions page and "what was in force on date D", old versions, the A4 poster
 * rendered by poppler, and the SIPP export read back as CSV, by openpyxl and as JSON.
 * Runs on SQLite and PostgreSQL. */
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
#include "features/services/services.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static http_server *srv;
static char *dir; /* files written by the tests go beside the database */

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* ktp-baru gets version 2 (stipulated, in force from 2026-06-01, 2 working hours) and version 3
 * (from 2027-01-01, upcoming), before the server answers anything (the page cache) */
static int add_versions(th_app *t)
{
    db_conn *c = db_acquire(t->app.db);
    arena *a = arena_new(4096);
    service s;
    svc_standard st;
    int r = svc_get(c, a, str_c("ktp-baru"), &s);
    if (r == DB_OK) r = svc_standard_at(c, a, s.id, "2026-01-01", &st);
    if (r == DB_OK) {
        st.decree_number = "400.8/12-Disdukcapil";
        st.decree_date = "2026-05-20";
        st.effective_from = "2026-06-01";
        st.time_limit_value = 2;
        st.time_limit_unit = "hours";
        st.change_note = "Cetak KTP-el dalam 2 jam";
        r = svc_standard_add(c, s.id, &st, 0, NULL);
    }
    if (r == DB_OK) {
        st.effective_from = "2027-01-01";
        st.change_note = "Versi tahun depan";
        r = svc_standard_add(c, s.id, &st, 0, NULL);
    }
    arena_free(a);
    db_release(c);
    return r == DB_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    /* Friday 20 November 2026, 10:00 WIB: one working day later is Monday the 23rd */
    setenv("LAYAN_NOW", "1795143600", 1);
    if (th_app_start(&T, "catalogue", true, add_versions)) return -1;
    snprintf(T.cfg.base_url, sizeof T.cfg.base_url, "https://layanan.bandung.example/");
    srv = T.srv;
    dir = T.dir;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return th_app_stop(&T);
}

static void get_ok(const char *path, th_resp *r)
{
    assert_int_equal(th_get(th_url(srv, path), r), 0);
    if (r->status != 200) fail_msg("%s: %ld", path, r->status);
}

static void test_list_and_filters(void **state)
{
    (void)state;
    th_resp r;
    get_ok("/layanan", &r);
    const char *b = r.body.p;
    assert_int_equal(count(b, "layan-card__title"), 15);
    assert_non_null(strstr(b, "15 layanan"));
    assert_non_null(strstr(b, "Apa yang sedang Anda alami?"));
    assert_non_null(strstr(b, "href=\"/layanan?peristiwa=anak-lahir\""));
    assert_non_null(strstr(b, "Gratis"));
    th_resp_free(&r);
    /* a life event: the child's services, marked as the current filter */
    get_ok("/layanan?peristiwa=anak-lahir", &r);
    b = r.body.p;
    assert_non_null(strstr(b, "href=\"/layanan/kia\""));
    assert_non_null(strstr(b, "href=\"/layanan/akta-lahir\""));
    assert_null(strstr(b, "href=\"/layanan/ktp-baru\""));
    assert_non_null(strstr(b, "aria-current=\"true\">Anak lahir"));
    assert_non_null(strstr(b, "layanan ditemukan: Anak lahir"));
    th_resp_free(&r);
    /* by name, case-insensitive, and at one kecamatan office */
    get_ok("/layanan?q=AKTA", &r);
    assert_int_equal(count(r.body.p, "layan-card__title"), 4);
    assert_non_null(strstr(r.body.p, "value=\"AKTA\""));
    th_resp_free(&r);
    get_ok("/layanan?peristiwa=pindah-rumah&unit=32.73.01", &r);
    assert_int_equal(count(r.body.p, "layan-card__title"), 3);
    assert_non_null(strstr(r.body.p, "value=\"32.73.01\" selected"));
    th_resp_free(&r);
    /* nothing found: an empty state that keeps what was typed, escaped */
    get_ok("/layanan?q=%3Cb%3Ezzzz", &r);
    assert_int_equal(count(r.body.p, "layan-card__title"), 0);
    assert_non_null(strstr(r.body.p, "Tidak ada layanan yang cocok"));
    assert_non_null(strstr(r.body.p, "&lt;b&gt;zzzz"));
    assert_null(strstr(r.body.p, "<b>zzzz"));
    th_resp_free(&r);
    /* an undeclared parameter is refused */
    assert_int_equal(th_get(th_url(srv, "/layanan?sort=x"), &r), 0);
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
}

static void test_service_page(void **state)
{
    (void)state;
    th_resp r;
    get_ok("/layanan/kia", &r);
    const char *b = r.body.p;
    assert_non_null(strstr(b, "<h1 class=\"govuk-heading-xl\">Kartu Identitas Anak (KIA)</h1>"));
    assert_non_null(strstr(b, "Yang perlu dibawa"));
    assert_non_null(strstr(b, "Kutipan akta kelahiran anak"));
    /* the photo only from age 5: under "only if it applies to you", with its condition */
    const char *cond = strstr(b, "Hanya jika berlaku bagi Anda");
    assert_non_null(cond);
    assert_true(strstr(b, "Pas foto anak") > cond);
    assert_non_null(strstr(b, "Untuk anak usia 5 tahun ke atas"));
    assert_non_null(strstr(b, "1 hari kerja"));
    assert_non_null(strstr(b, "selesai paling lambat Senin, 23 November 2026"));
    assert_non_null(strstr(b, "Gratis, tidak dipungut biaya"));
    assert_non_null(strstr(b, "UU 24/2013 Pasal 79A"));
    assert_non_null(strstr(b, "Alur pelayanan"));
    assert_non_null(strstr(b, "SP4N-LAPOR!"));
    assert_non_null(strstr(b, "Maklumat pelayanan"));
    assert_non_null(strstr(b, "sanggup menyelenggarakan pelayanan"));
    assert_non_null(strstr(b, "31 tempat layanan, dengan jam buka"));
    assert_non_null(strstr(b, "href=\"/unit/32.73.01\""));
    assert_non_null(strstr(b, "Belum ditetapkan oleh kepala unit"));
    assert_non_null(strstr(b, "href=\"/layanan/kia/poster.pdf\""));
    /* the internal components are not published */
    assert_null(strstr(b, "SIAK Terpusat"));
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(srv, "/layanan/tidak-ada"), &r), 0);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    /* English */
    assert_int_equal(th_get(th_url(srv, "/layanan/kia?lang=en"), &r), 0);
    assert_non_null(strstr(r.body.p, "What to bring"));
    assert_non_null(strstr(r.body.p, "1 working day"));
    th_resp_free(&r);
}

static void test_versions(void **state)
{
    (void)state;
    th_resp r;
    /* version 2 is in force now (November 2026); version 3 is upcoming */
    get_ok("/layanan/ktp-baru", &r);
    assert_non_null(strstr(r.body.p, "2 jam kerja"));
    assert_non_null(
        strstr(r.body.p, "Keputusan Nomor 400.8/12-Disdukcapil tanggal Rabu, 20 Mei 2026"));
    assert_null(strstr(r.body.p, "versi lama"));
    th_resp_free(&r);
    get_ok("/layanan/ktp-baru/versi", &r);
    const char *b = r.body.p;
    const char *v3 = strstr(b, "Versi 3</a>"), *v2 = strstr(b, "Versi 2</a>"),
               *v1 = strstr(b, "Versi 1</a>");
    assert_true(v3 && v2 && v1 && v3 < v2 && v2 < v1);
    assert_non_null(strstr(b, "Versi 2</a> <strong class=\"layan-tag\">berlaku"));
    assert_non_null(strstr(b, "akan berlaku"));
    th_resp_free(&r);
    /* what was in force on a date */
    get_ok("/layanan/ktp-baru/versi?pada=2026-03-01", &r);
    assert_non_null(strstr(r.body.p, "Pada Minggu, 1 Maret 2026, yang berlaku adalah versi 1."));
    th_resp_free(&r);
    get_ok("/layanan/ktp-baru/versi?pada=2025-12-31", &r);
    assert_non_null(strstr(r.body.p, "belum ada versi yang berlaku"));
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(srv, "/layanan/ktp-baru/versi?pada=31-12-2025"), &r), 0);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "TTTT-BB-HH"));
    assert_non_null(strstr(r.body.p, "value=\"31-12-2025\""));
    th_resp_free(&r);
    /* the old version is still readable, marked as old */
    get_ok("/layanan/ktp-baru/versi/1", &r);
    assert_non_null(strstr(r.body.p, "Ini versi lama (versi 1)"));
    assert_non_null(strstr(r.body.p, "1 hari kerja"));
    th_resp_free(&r);
    get_ok("/layanan/ktp-baru/versi/3", &r);
    assert_non_null(strstr(r.body.p, "baru berlaku mulai Jumat, 1 Januari 2027"));
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(srv, "/layanan/ktp-baru/versi/9"), &r), 0);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
}

/* writes the body to dir/name, runs "cmd 'file' tail" and returns its output */
static char *run_on(const th_resp *r, const char *name, const char *cmd_s, const char *tail)
{
    char f[700], cmd[1600];
    snprintf(f, sizeof f, "%s/%s", dir, name);
    FILE *o = fopen(f, "wb");
    assert_non_null(o);
    assert_int_equal(fwrite(r->body.p, 1, r->body.n, o), r->body.n);
    fclose(o);
    snprintf(cmd, sizeof cmd, "%s '%s' %s", cmd_s, f, tail);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    static char out[65536];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    assert_int_equal(pclose(p), 0);
    return out;
}

static void test_poster(void **state)
{
    (void)state;
    th_resp r;
    get_ok("/layanan/kia/poster.pdf", &r);
    char ct[100];
    assert_int_equal(th_header(&r, "Content-Type", ct, sizeof ct), 0);
    assert_string_equal(ct, "application/pdf");
    assert_memory_equal(r.body.p, "%PDF-", 5);
    char *info = run_on(&r, "kia.pdf", "pdfinfo", "");
    assert_non_null(strstr(info, "Pages:           1"));
    assert_non_null(strstr(info, "A4"));
    char *text = run_on(&r, "kia.pdf", "pdftotext -layout", "-");
    assert_non_null(strstr(text, "STANDAR PELAYANAN"));
    assert_non_null(strstr(text, "Kartu Identitas Anak (KIA)"));
    assert_non_null(strstr(text, "GRATIS: tidak dipungut biaya"));
    assert_non_null(strstr(text, "Kutipan akta kelahiran anak"));
    assert_non_null(strstr(text, "https://layanan.bandung.example/layanan/kia"));
    /* rendered to an image for people to look at (test-artifacts/) */
    const char *bld = getenv("LAYAN_BUILD_DIR");
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/test-artifacts' && pdftoppm -r 50 -png -singlefile '%s/kia.pdf' "
             "'%s/test-artifacts/poster-kia'",
             bld, dir, bld);
    assert_int_equal(system(cmd), 0);
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(srv, "/layanan/tidak-ada/poster.pdf"), &r), 0);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
}

static void test_sipp_export(void **state)
{
    (void)state;
    th_resp r;
    get_ok("/ekspor/sipp.csv", &r);
    assert_memory_equal(r.body.p, "\xEF\xBB\xBFkode_layanan,nama_layanan,", 29);
    assert_non_null(strstr(r.body.p, "\r\nkia,Kartu Identitas Anak (KIA),"));
    assert_non_null(strstr(r.body.p, "Rp0 (gratis)"));
    th_resp_free(&r);
    get_ok("/ekspor/sipp.xlsx", &r);
    char *out = run_on(
        &r, "sipp.xlsx",
        "/usr/bin/python3 -c \"import openpyxl,sys; ws=openpyxl.load_workbook("
        "sys.argv[1]).active; print(ws.title); print(ws.max_row); "
        "print(ws['A1'].value, ws['D1'].value); "
        "print([r[1].value for r in ws.iter_rows(min_row=2) if r[0].value=='ktp-baru'][0]); "
        "print([r[9].value for r in ws.iter_rows(min_row=2) if r[0].value=='ktp-baru'][0])\"",
        "");
    assert_non_null(
        strstr(out, "Standar pelayanan\n16\nkode_layanan persyaratan\nKTP-el baru\n2\n"));
    th_resp_free(&r);
    get_ok("/ekspor/sipp.json", &r);
    json_error_t e;
    json_t *j = json_loadb(r.body.p, r.body.n, 0, &e);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "jumlah")), 15);
    json_t *first = json_array_get(json_object_get(j, "layanan"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "kode_layanan")), "ktp-baru");
    assert_string_equal(json_string_value(json_object_get(first, "jangka_waktu")), "2 jam kerja");
    assert_string_equal(json_string_value(json_object_get(first, "nomor_penetapan")),
                        "400.8/12-Disdukcapil");
    json_decref(j);
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(srv, "/ekspor/sipp.exe"), &r), 0);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_and_filters), cmocka_unit_test(test_service_page),
        cmocka_unit_test(test_versions),         cmocka_unit_test(test_poster),
        cmocka_unit_test(test_sipp_export),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

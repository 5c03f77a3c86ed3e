/* HTTP tests of the public pages on a real database made by `layan init` + `layan demo`
 * (Kota Bandung): home page, search by kecamatan and kelurahan, one service point, the JSON
 * API, language switching, error pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static int setup(void **state)
{
    (void)state;
    return th_app_start(&T, "pages", true, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return th_app_stop(&T);
}

static void test_home(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_get(th_url(T.srv, "/"), &r), 0);
    assert_int_equal(r.status, 200);
    const char *b = r.body.p;
    assert_non_null(strstr(b, "<html lang=\"id\""));
    assert_non_null(strstr(b, "Kota Bandung"));
    assert_non_null(strstr(b, "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung"));
    /* every kecamatan of Kota Bandung has its service point: 30 links to /unit/32.73.xx */
    assert_int_equal(count(b, "href=\"/unit/32.73."), 30);
    assert_non_null(strstr(b, "Sukajadi"));
    assert_non_null(strstr(b, "Coblong"));
    assert_non_null(strstr(b, "Jam buka") ? "ok" : NULL);
    assert_non_null(strstr(b, "Senin"));
    assert_non_null(strstr(b, "08.00"));
    assert_non_null(strstr(b, "role=\"search\""));
    th_resp_free(&r);
}

static void test_search_kelurahan(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_get(th_url(T.srv, "/cari?q=cipaganti"), &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "Coblong"));
    assert_non_null(strstr(r.body.p, "Cipaganti"));
    assert_non_null(strstr(r.body.p, "value=\"cipaganti\""));
    th_resp_free(&r);
    /* a kecamatan name, any case */
    assert_int_equal(th_get(th_url(T.srv, "/cari?q=SUKAJADI"), &r), 0);
    assert_non_null(strstr(r.body.p, "href=\"/unit/32.73."));
    th_resp_free(&r);
    /* nothing found: an empty state that keeps what was typed, escaped */
    assert_int_equal(th_get(th_url(T.srv, "/cari?q=%3Cb%3Ezzzz"), &r), 0);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body.p, "<b>zzzz"));
    assert_non_null(strstr(r.body.p, "&lt;b&gt;zzzz"));
    assert_int_equal(count(r.body.p, "href=\"/unit/"), 0);
    th_resp_free(&r);
}

static void test_unit_page(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_get(th_url(T.srv, "/cari?q=coblong"), &r), 0);
    const char *p = strstr(r.body.p, "href=\"/unit/");
    assert_non_null(p);
    char path[64];
    snprintf(path, sizeof path, "%.*s", (int)(strchr(p + 6, '"') - (p + 6)), p + 6);
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(T.srv, path), &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.p, "<h1"));
    assert_non_null(strstr(r.body.p, "Coblong"));
    assert_non_null(strstr(r.body.p, "Cipaganti")); /* the kelurahan it serves */
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(T.srv, "/unit/99.99.99"), &r), 0);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body.p, "<html lang=\"id\""));
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(T.srv, "/unit/%3Cscript%3E"), &r), 0);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
}

static void expect_today(const char *now, const char *path, const char *want)
{
    setenv("LAYAN_NOW", now, 1);
    th_resp r;
    assert_int_equal(th_get(th_url(T.srv, path), &r), 0);
    assert_int_equal(r.status, 200);
    if (!strstr(r.body.p, want)) fail_msg("%s at %s: no '%s'", path, now, want);
    th_resp_free(&r);
    unsetenv("LAYAN_NOW");
}

/* "open now" follows the unit's hours, its break, weekends and the holiday calendar (WIB) */
static void test_open_now(void **state)
{
    (void)state;
    /* Monday 23 Nov 2026 10:00 WIB: open until the 12.00 break */
    expect_today("1795402800", "/unit/32.73.01", "Buka sekarang · tutup pukul 12.00");
    /* Saturday 21 Nov 2026 10:00 WIB: a kecamatan office is closed until Monday */
    expect_today("1795230000", "/unit/32.73.03",
                 "Tutup sekarang · buka Senin, 23 November 2026 pukul 08.00");
    /* ... but the main office opens Saturday mornings */
    expect_today("1795230000", "/unit/disdukcapil", "Buka sekarang · tutup pukul 12.00");
    /* Friday 25 Dec 2026, Christmas: closed, reopens Monday 28 */
    expect_today("1798167600", "/unit/32.73.04", "Hari ini libur: Hari Raya Natal");
    expect_today("1798167600", "/unit/32.73.05", "buka Senin, 28 Desember 2026 pukul 08.00");
    /* Wednesday 18 Mar 2026 is cuti bersama (Nyepi); 19 Nyepi, 20-21 Idul Fitri, 23-24 cuti
     * bersama again: the office reopens on Wednesday 25 March */
    expect_today("1773802800", "/unit/32.73.06", "Hari ini libur: Cuti Bersama Hari Suci Nyepi");
    expect_today("1773802800", "/unit/32.73.07", "buka Rabu, 25 Maret 2026 pukul 08.00");
}

static void test_language_switch(void **state)
{
    (void)state;
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");
    th_resp r;
    assert_int_equal(th_request(h, "GET", th_url(T.srv, "/?lang=en"), NULL, NULL, 0, &r), 0);
    assert_non_null(strstr(r.body.p, "<html lang=\"en\""));
    assert_non_null(strstr(r.body.p, "Opening hours"));
    th_resp_free(&r);
    /* the choice sticks */
    assert_int_equal(th_request(h, "GET", th_url(T.srv, "/cari?q=coblong"), NULL, NULL, 0, &r), 0);
    assert_non_null(strstr(r.body.p, "<html lang=\"en\""));
    assert_non_null(strstr(r.body.p, "href=\"/cari?q=coblong&amp;lang=id\""));
    th_resp_free(&r);
    assert_int_equal(th_request(h, "GET", th_url(T.srv, "/?lang=id"), NULL, NULL, 0, &r), 0);
    assert_non_null(strstr(r.body.p, "<html lang=\"id\""));
    th_resp_free(&r);
    curl_easy_cleanup(h);
}

static void test_api(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_get(th_url(T.srv, "/api/v1/units"), &r), 0);
    assert_int_equal(r.status, 200);
    json_error_t e;
    json_t *j = json_loads(r.body.p, JSON_REJECT_DUPLICATES, &e);
    assert_non_null(j);
    json_t *units = json_object_get(j, "units");
    assert_true(json_array_size(units) >= 31);
    size_t i;
    json_t *u;
    bool found = false;
    json_array_foreach(units, i, u)
    {
        if (strcmp(json_string_value(json_object_get(u, "code")), "disdukcapil") == 0) {
            found = true;
            assert_string_equal(json_string_value(json_object_get(u, "time_zone")), "WIB");
            assert_true(json_array_size(json_object_get(u, "opening_hours")) >= 5);
        }
    }
    assert_true(found);
    json_decref(j);
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(T.srv, "/api/v1/units/32.73.01"), &r), 0);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(T.srv, "/api/v1/units/nope"), &r), 0);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body.p, "\"code\":\"not_found\""));
    th_resp_free(&r);
}

static void test_error_pages(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_get(th_url(T.srv, "/cari?q=x&nik=3273010101900001"), &r), 0);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body.p, "<html"));
    assert_null(strstr(r.body.p, "3273010101900001"));
    th_resp_free(&r);
    assert_int_equal(th_request(NULL, "POST", th_url(T.srv, "/"), NULL, "", 0, &r), 0);
    assert_int_equal(r.status, 405);
    th_resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home),
        cmocka_unit_test(test_search_kelurahan),
        cmocka_unit_test(test_unit_page),
        cmocka_unit_test(test_open_now),
        cmocka_unit_test(test_language_switch),
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_error_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

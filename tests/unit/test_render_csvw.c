/* Unit tests of render/csvw: RFC 4180 quoting and CRLF, the BOM, formula-injection
 * protection for text but not for numbers, the cap, and a round trip through lib/csv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/csv.h"
#include "render/csvw.h"

/* finishes w and compares with want exactly */
static void expect(csvw *w, const char *want)
{
    size_t n;
    char *out = csvw_finish(w, &n);
    assert_non_null(out);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, n);
    free(out);
}

static void test_quoting(void **state)
{
    (void)state;
    csvw w;
    csvw_init(&w, 0, false);
    const char *row[] = {"plain", "a,b", "say \"hi\"", "two\r\nlines", "lf\nonly", "", NULL};
    assert_int_equal(csvw_row(&w, row, 7), 0);
    assert_int_equal(csvw_text(&w, "Rp 10.000"), 0);
    assert_int_equal(csvw_text(&w, "\"\""), 0);
    assert_int_equal(csvw_end_row(&w), 0);
    expect(&w, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",\"lf\nonly\",,\r\n"
               "Rp 10.000,\"\"\"\"\"\"\r\n");
}

static void test_bom(void **state)
{
    (void)state;
    csvw w;
    csvw_init(&w, 0, true);
    assert_int_equal(csvw_text(&w, "Kecamatan Cimahi Selatan"), 0);
    assert_int_equal(csvw_end_row(&w), 0);
    expect(&w, "\xEF\xBB\xBFKecamatan Cimahi Selatan\r\n");

    /* an empty document with a BOM is just the BOM */
    csvw_init(&w, 0, true);
    expect(&w, "\xEF\xBB\xBF");
}

static void test_injection(void **state)
{
    (void)state;
    csvw w;
    csvw_init(&w, 0, false);
    const char *row[] = {"=HYPERLINK(\"http://x\",\"klik\")",
                         "+62 812",
                         "-5",
                         "@SUM(A1)",
                         "\tx",
                         "\rx",
                         "a=b",
                         " =1"};
    assert_int_equal(csvw_row(&w, row, 8), 0);
    /* numbers through the numeric setters are not touched */
    assert_int_equal(csvw_int(&w, -5), 0);
    assert_int_equal(csvw_num(&w, -2.5, 2), 0);
    assert_int_equal(csvw_num(&w, 3.25, -1), 0);
    assert_int_equal(csvw_num(&w, 1.0 / 3.0, 2), 0);
    assert_int_equal(csvw_num(&w, NAN, 2), 0);
    assert_int_equal(csvw_int(&w, 0), 0);
    assert_int_equal(csvw_end_row(&w), 0);
    expect(&w, "\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\",'+62 812,'-5,'@SUM(A1),'\tx,"
               "\"'\rx\",a=b, =1\r\n"
               "-5,-2.50,3.25,0.33,,0\r\n");
}

static void test_cap(void **state)
{
    (void)state;
    csvw w;
    csvw_init(&w, 16, false);
    assert_int_equal(csvw_text(&w, "0123456789"), 0);
    assert_int_equal(csvw_end_row(&w), 0); /* 12 bytes */
    assert_int_equal(csvw_text(&w, "abcdef"), -1);
    /* sticky: even what would fit now fails */
    assert_int_equal(csvw_text(&w, "a"), -1);
    assert_int_equal(csvw_end_row(&w), -1);
    size_t n = 99;
    assert_null(csvw_finish(&w, &n));
    assert_int_equal(n, 0);
    csvw_free(&w); /* harmless after finish */

    /* exactly at the cap is fine */
    csvw_init(&w, 5, false);
    assert_int_equal(csvw_text(&w, "abc"), 0);
    assert_int_equal(csvw_end_row(&w), 0);
    expect(&w, "abc\r\n");

    /* a record left open is an error */
    csvw_init(&w, 0, false);
    assert_int_equal(csvw_text(&w, "x"), 0);
    assert_null(csvw_finish(&w, &n));
}

/* what the writer produces, the project's reader reads back field for field */
static void test_round_trip(void **state)
{
    (void)state;
    const char *f[] = {"Nama \"Layanan\"", "a,b,c", "baris1\r\nbaris2", "", "Surat Keterangan"};
    csvw w;
    csvw_init(&w, 0, false);
    for (int r = 0; r < 3; r++)
        assert_int_equal(csvw_row(&w, f, 5), 0);
    size_t n;
    char *out = csvw_finish(&w, &n);
    assert_non_null(out);
    arena *a = arena_new(0);
    csv_reader rd;
    csv_init(&rd, out, n);
    csv_record rec;
    int rows = 0;
    while (csv_next(&rd, a, &rec) == 1) {
        assert_int_equal(rec.nf, 5);
        for (int i = 0; i < 5; i++)
            assert_true(str_eq_c(rec.f[i], f[i]));
        rows++;
    }
    assert_int_equal(rows, 3);
    arena_free(a);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),    cmocka_unit_test(test_bom),
        cmocka_unit_test(test_injection),  cmocka_unit_test(test_cap),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

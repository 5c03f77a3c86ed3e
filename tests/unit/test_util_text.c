/* Unit tests of the text utilities: UTF-8 validation, CSV reading, JSON parsing caps, buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "lib/csv.h"
#include "lib/json.h"
#include "lib/str.h"
#include "lib/utf8.h"

static void test_utf8(void **state)
{
    (void)state;
    assert_true(utf8_valid("Kecamatan Sukasari", 18));
    assert_true(utf8_valid("\xC3\xA9\xE2\x80\x9C\xF0\x9F\x98\x80", 9));
    assert_false(utf8_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4)); /* past U+10FFFF */
    assert_false(utf8_valid("\xE2\x80", 2));         /* truncated */
    assert_true(utf8_valid_text("a\tb\r\nc", 6));
    assert_false(utf8_valid_text("a\x01", 2));
    assert_false(utf8_valid_text("\x7f", 1));
    assert_false(utf8_valid_text("\xC2\x85", 2)); /* C1 control */
}

static void test_csv(void **state)
{
    (void)state;
    const char *d = "\xEF\xBB\xBF"
                    "code,name\r\n32.73,\"Kota \"\"Bandung\"\"\"\n"
                    "32.77,\"Cimahi,\nJawa Barat\"\n33,plain";
    csv_reader r;
    csv_record rec;
    arena *a = arena_new(0);
    csv_init(&r, d, strlen(d));
    assert_int_equal(csv_next(&r, a, &rec), 1);
    assert_int_equal(rec.nf, 2);
    assert_true(str_eq_c(rec.f[0], "code"));
    assert_int_equal(csv_next(&r, a, &rec), 1);
    assert_int_equal(r.line, 2);
    assert_true(str_eq_c(rec.f[1], "Kota \"Bandung\""));
    assert_int_equal(csv_next(&r, a, &rec), 1);
    assert_true(str_eq_c(rec.f[1], "Cimahi,\nJawa Barat"));
    assert_int_equal(csv_next(&r, a, &rec), 1);
    assert_int_equal(r.line, 5); /* the quoted newline counted */
    assert_true(str_eq_c(rec.f[1], "plain"));
    assert_int_equal(csv_next(&r, a, &rec), 0);
    const char *bad = "a,\"unterminated\n";
    csv_init(&r, bad, strlen(bad));
    assert_int_equal(csv_next(&r, a, &rec), -1);
    const char *bad2 = "a,b\"c\n";
    csv_init(&r, bad2, strlen(bad2));
    assert_int_equal(csv_next(&r, a, &rec), -1);
    arena_free(a);
}

static void test_json(void **state)
{
    (void)state;
    char err[128];
    json_t *v = jsonw_parse(STR("{\"a\":[1,{\"b\":\"]]]\"}]}"), 3, err, sizeof err);
    assert_non_null(v);
    json_decref(v);
    assert_null(jsonw_parse(STR("[[[[1]]]]"), 3, err, sizeof err));
    assert_null(jsonw_parse(STR("{\"a\":1,\"a\":2}"), 8, err, sizeof err)); /* duplicate keys */
    assert_null(jsonw_parse(STR("{\"a\":\"\xC3\x28\"}"), 8, err, sizeof err));
    buf b;
    buf_init(&b, 10);
    v = json_pack("{s:s}", "key", "a long value");
    assert_int_not_equal(jsonw_dump_buf(v, &b), 0); /* over the cap */
    json_decref(v);
    buf_free(&b);
}

static void test_buf(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 5);
    assert_int_equal(buf_puts(&b, "abcde"), 0);
    assert_int_equal(buf_putc(&b, 'f'), -1);
    assert_true(b.overflow);
    assert_string_equal(b.p, "abcde");
    buf_free(&b);
    long v;
    assert_true(str_to_long(STR("-42"), -100, 100, &v) && v == -42);
    assert_false(str_to_long(STR("42x"), 0, 100, &v));
    assert_false(str_to_long(STR("101"), 0, 100, &v));
    assert_false(str_to_long(STR(""), 0, 100, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_utf8), cmocka_unit_test(test_csv),
                                       cmocka_unit_test(test_json), cmocka_unit_test(test_buf)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

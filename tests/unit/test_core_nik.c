/* Unit tests of NIK validation and masking: every rule of domain.md §2, with a fixed "today"
 * (2026-11-22) and the compiled-in district table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "core/mask.h"
#include "core/nik.h"
#include "core/region_table.h"

static const cal_date today = {2026, 11, 22};

static bool check(const char *s, nik_result *r)
{
    return nik_parse(s, strlen(s), today, region_table_district_name, r);
}

static bool has(const nik_result *r, enum nik_error_code c)
{
    for (int i = 0; i < r->errors.n; i++)
        if (r->errors.e[i].code == c) return true;
    return false;
}

static void test_region_table(void **state)
{
    (void)state;
    assert_string_equal(region_table_district_name("32.73.01"), "Sukasari");
    assert_string_equal(region_table_district_name("35.29.22"), "Ra\"as");   /* CSV-quoted */
    assert_string_equal(region_table_district_name("11.01.01"), "Bakongan"); /* first row */
    assert_null(region_table_district_name("32.73.99"));
    assert_null(region_table_district_name("32.73"));
    assert_null(region_table_district_name(""));
    assert_null(region_table_district_name(NULL));
    assert_true(region_table_ndistricts > 7000);
}

static void test_valid_man(void **state)
{
    (void)state;
    nik_result r;
    assert_true(check("3273010506900001", &r));
    assert_true(r.valid);
    assert_int_equal(r.errors.n, 0);
    assert_string_equal(r.province_code, "32");
    assert_string_equal(r.regency_code, "32.73");
    assert_string_equal(r.district_code, "32.73.01");
    assert_string_equal(r.birth_date, "1990-06-05");
    assert_int_equal(r.sex, 'L');
    assert_string_equal(r.serial, "0001");
    assert_string_equal(r.district_name, "Sukasari");
}

static void test_length(void **state)
{
    (void)state;
    nik_result r;
    assert_false(check("327301050690001", &r));
    assert_int_equal(r.errors.n, 1);
    assert_int_equal(r.errors.e[0].code, NIK_ERR_LENGTH);
    assert_string_equal(nik_error_message(&r.errors.e[0], "id"),
                        "NIK harus 16 angka; yang Anda ketik 15 angka");
    assert_string_equal(nik_error_message(&r.errors.e[0], "en"),
                        "A NIK must have 16 digits; you typed 15 digits");
    assert_false(check("32730105069000011", &r));
    assert_string_equal(r.errors.e[0].id, "NIK harus 16 angka; yang Anda ketik 17 angka");
    assert_false(check("", &r));
    assert_int_equal(r.errors.e[0].code, NIK_ERR_LENGTH);
    assert_false(nik_parse(NULL, 5, today, NULL, &r));
    assert_int_equal(r.errors.e[0].code, NIK_ERR_LENGTH);
    assert_string_equal(r.province_code, ""); /* nothing parsed */
}

static void test_letters(void **state)
{
    (void)state;
    nik_result r;
    assert_false(check("32730105069O0001", &r)); /* letter O for zero */
    assert_int_equal(r.errors.n, 1);
    assert_int_equal(r.errors.e[0].code, NIK_ERR_NOT_DIGITS);
    assert_string_equal(r.errors.e[0].id, "NIK hanya boleh berisi angka");
    /* wrong length and letters: both said */
    assert_false(check("3273 0105 0690 0001", &r));
    assert_int_equal(r.errors.n, 2);
    assert_true(has(&r, NIK_ERR_LENGTH) && has(&r, NIK_ERR_NOT_DIGITS));
    assert_string_equal(r.errors.e[0].id, "NIK harus 16 angka; yang Anda ketik 19 karakter");
    /* a non-ASCII digit is not a digit */
    assert_false(check("327301050690000\xd9\xa1", &r));
    assert_true(has(&r, NIK_ERR_NOT_DIGITS));
}

static void test_women(void **state)
{
    (void)state;
    nik_result r;
    assert_true(check("3273014106900002", &r));
    assert_int_equal(r.sex, 'P');
    assert_string_equal(r.birth_date, "1990-06-01");
    assert_true(check("3273017101900002", &r));
    assert_string_equal(r.birth_date, "1990-01-31");
    assert_int_equal(r.sex, 'P');
    assert_false(check("3273017201900002", &r)); /* 72 */
    assert_true(has(&r, NIK_ERR_DAY));
    assert_false(check("3273014006900002", &r)); /* 40 */
    assert_true(has(&r, NIK_ERR_DAY));
    assert_false(check("3273013206900002", &r)); /* 32 */
    assert_true(has(&r, NIK_ERR_DAY));
    assert_false(check("3273010006900002", &r)); /* 00 */
    assert_true(has(&r, NIK_ERR_DAY));
    assert_false(check("3273017104900002", &r)); /* woman born 31 April */
    assert_true(has(&r, NIK_ERR_DATE));
    assert_string_equal(r.errors.e[0].id, "Tanggal lahir dalam NIK tidak valid");
}

static void test_month(void **state)
{
    (void)state;
    nik_result r;
    assert_false(check("3273010513900001", &r));
    assert_int_equal(r.errors.n, 1);
    assert_int_equal(r.errors.e[0].code, NIK_ERR_MONTH);
    assert_false(check("3273010500900001", &r));
    assert_int_equal(r.errors.e[0].code, NIK_ERR_MONTH);
}

static void test_leap(void **state)
{
    (void)state;
    nik_result r;
    assert_true(check("3273012902000001", &r)); /* 2000: divisible by 400 */
    assert_string_equal(r.birth_date, "2000-02-29");
    assert_true(check("3273012902960001", &r));
    assert_string_equal(r.birth_date, "1996-02-29");
    assert_true(check("3273016902240001", &r)); /* woman, 2024 */
    assert_string_equal(r.birth_date, "2024-02-29");
    assert_false(check("3273012902010001", &r)); /* 2001 */
    assert_true(has(&r, NIK_ERR_DATE));
    assert_false(check("3273012902270001", &r)); /* 27 > 26 -> 1927, not leap */
    assert_true(has(&r, NIK_ERR_DATE));
    assert_false(check("3273013002960001", &r)); /* 30 February */
    assert_true(has(&r, NIK_ERR_DATE));
}

static void test_year_pivot(void **state)
{
    (void)state;
    nik_result r;
    assert_int_equal(nik_full_year(26, 2026), 2026);
    assert_int_equal(nik_full_year(27, 2026), 1927);
    assert_int_equal(nik_full_year(0, 2026), 2000);
    assert_int_equal(nik_full_year(99, 2026), 1999);
    assert_int_equal(nik_full_year(0, 2100), 2100);
    assert_int_equal(nik_full_year(1, 2100), 2001);
    assert_true(check("3273010101260001", &r)); /* YY == 26: this year */
    assert_string_equal(r.birth_date, "2026-01-01");
    assert_true(check("3273010101270001", &r)); /* YY == 27: last century */
    assert_string_equal(r.birth_date, "1927-01-01");
}

static void test_future(void **state)
{
    (void)state;
    nik_result r;
    assert_true(check("3273012211260001", &r)); /* born today */
    assert_string_equal(r.birth_date, "2026-11-22");
    assert_false(check("3273012311260001", &r)); /* tomorrow */
    assert_int_equal(r.errors.n, 1);
    assert_int_equal(r.errors.e[0].code, NIK_ERR_FUTURE);
    assert_string_equal(r.errors.e[0].id, "Tanggal lahir dalam NIK ada di masa depan");
    assert_false(check("3273016312260001", &r)); /* woman, 23 December */
    assert_true(has(&r, NIK_ERR_FUTURE));
    /* the same NIK was fine a year later */
    assert_true(nik_parse("3273012311260001", 16, (cal_date){2027, 1, 1}, NULL, &r));
}

static void test_serial(void **state)
{
    (void)state;
    nik_result r;
    assert_false(check("3273010506900000", &r));
    assert_int_equal(r.errors.n, 1);
    assert_int_equal(r.errors.e[0].code, NIK_ERR_SERIAL);
    assert_string_equal(r.errors.e[0].id, "Nomor urut 0000 tidak valid");
    assert_true(check("3273010506909999", &r));
}

static void test_district(void **state)
{
    (void)state;
    nik_result r;
    assert_false(check("3273990506900001", &r));
    assert_int_equal(r.errors.n, 1);
    assert_int_equal(r.errors.e[0].code, NIK_ERR_DISTRICT);
    assert_string_equal(r.errors.e[0].id,
                        "Kode kecamatan 32.73.99 tidak ada dalam daftar wilayah resmi");
    assert_string_equal(r.errors.e[0].en,
                        "District code 32.73.99 is not in the official region list");
    /* without a lookup the district is not checked and has no name */
    assert_true(nik_parse("3273990506900001", 16, today, NULL, &r));
    assert_null(r.district_name);
}

static void test_many_errors(void **state)
{
    (void)state;
    nik_result r;
    /* unknown district, day 72, month 13, serial 0000: all four reported, in order */
    assert_false(check("9999997213900000", &r));
    assert_int_equal(r.errors.n, 4);
    assert_int_equal(r.errors.e[0].code, NIK_ERR_DISTRICT);
    assert_int_equal(r.errors.e[1].code, NIK_ERR_DAY);
    assert_int_equal(r.errors.e[2].code, NIK_ERR_MONTH);
    assert_int_equal(r.errors.e[3].code, NIK_ERR_SERIAL);
    assert_false(r.valid);
    assert_string_equal(r.birth_date, ""); /* no parsed fields when invalid */
    assert_int_equal(r.sex, 0);
    /* future date plus serial */
    assert_false(check("3273012311260000", &r));
    assert_int_equal(r.errors.n, 2);
    assert_true(has(&r, NIK_ERR_FUTURE) && has(&r, NIK_ERR_SERIAL));
}

static void test_mask(void **state)
{
    (void)state;
    char m[NIK_MASK_SIZE];
    assert_int_equal(nik_mask("3273010506900001", 16, m, sizeof m), 16);
    assert_string_equal(m, "3273********0001");
    assert_int_equal(nik_mask("327301050690001", 15, m, sizeof m), 15);
    assert_string_equal(m, "***************");
    assert_int_equal(nik_mask("32730105069O0001", 16, m, sizeof m), 16);
    assert_string_equal(m, "****************");
    assert_int_equal(nik_mask("32730105069000011234", 20, m, sizeof m), 16);
    assert_string_equal(m, "****************");
    assert_int_equal(nik_mask("", 0, m, sizeof m), 0);
    assert_string_equal(m, "");
    char small[8] = "xxxxxxx";
    assert_int_equal(nik_mask("3273010506900001", 16, small, sizeof small), 0);
    assert_string_equal(small, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_table), cmocka_unit_test(test_valid_man),
        cmocka_unit_test(test_length),       cmocka_unit_test(test_letters),
        cmocka_unit_test(test_women),        cmocka_unit_test(test_month),
        cmocka_unit_test(test_leap),         cmocka_unit_test(test_year_pivot),
        cmocka_unit_test(test_future),       cmocka_unit_test(test_serial),
        cmocka_unit_test(test_district),     cmocka_unit_test(test_many_errors),
        cmocka_unit_test(test_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

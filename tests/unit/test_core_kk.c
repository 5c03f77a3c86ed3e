/* Unit tests of KK-number validation: district, recording date (no +40), future, serial. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "core/kk.h"
#include "core/region_table.h"

static const cal_date today = {2026, 11, 22};

static bool check(const char *s, kk_result *r)
{
    return kk_parse(s, strlen(s), today, region_table_district_name, r);
}

static void test_valid(void **state)
{
    (void)state;
    kk_result r;
    assert_true(check("3273011203190007", &r));
    assert_int_equal(r.errors.n, 0);
    assert_string_equal(r.district_code, "32.73.01");
    assert_string_equal(r.regency_code, "32.73");
    assert_string_equal(r.province_code, "32");
    assert_string_equal(r.recorded_date, "2019-03-12");
    assert_string_equal(r.serial, "0007");
    assert_string_equal(r.district_name, "Sukasari");
}

static void test_no_plus_40(void **state)
{
    (void)state;
    kk_result r;
    assert_false(check("3273015203190007", &r)); /* 52: a NIK woman's day, not a KK day */
    assert_int_equal(r.errors.n, 1);
    assert_int_equal(r.errors.e[0].code, NIK_ERR_DAY);
}

static void test_dates(void **state)
{
    (void)state;
    kk_result r;
    assert_false(check("3273013102190007", &r)); /* 31 February */
    assert_int_equal(r.errors.e[0].code, NIK_ERR_DATE);
    assert_true(check("3273012902240007", &r));  /* 29 Feb 2024 */
    assert_false(check("3273012902230007", &r)); /* 29 Feb 2023 */
    assert_int_equal(r.errors.e[0].code, NIK_ERR_DATE);
    assert_false(check("3273012311260007", &r)); /* tomorrow */
    assert_int_equal(r.errors.e[0].code, NIK_ERR_FUTURE);
    assert_true(check("3273012211260007", &r)); /* today */
    assert_false(check("3273011213190007", &r));
    assert_int_equal(r.errors.e[0].code, NIK_ERR_MONTH);
}

static void test_shape_and_many(void **state)
{
    (void)state;
    kk_result r;
    assert_false(check("327301120319000", &r));
    assert_int_equal(r.errors.n, 1);
    assert_string_equal(r.errors.e[0].id, "Nomor KK harus 16 angka; yang Anda ketik 15 angka");
    assert_false(check("327301120319000x", &r));
    assert_string_equal(r.errors.e[0].id, "Nomor KK hanya boleh berisi angka");
    assert_false(check("3273990013190000", &r));
    assert_int_equal(r.errors.n, 4);
    assert_int_equal(r.errors.e[0].code, NIK_ERR_DISTRICT);
    assert_int_equal(r.errors.e[1].code, NIK_ERR_DAY);
    assert_int_equal(r.errors.e[2].code, NIK_ERR_MONTH);
    assert_int_equal(r.errors.e[3].code, NIK_ERR_SERIAL);
    assert_string_equal(r.recorded_date, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_no_plus_40),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_shape_and_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

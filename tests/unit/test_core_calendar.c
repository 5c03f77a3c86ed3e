/* Unit tests of the calendar: date helpers and the working-day SLA engine (weekends, holiday
 * blocks, year end, the three time zones, opening hours with a break, pauses). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "core/calendar.h"

/* local wall-clock time on a calendar -> instant */
static int64_t at(const cal_calendar *c, int y, int m, int d, int hh, int mm)
{
    return cal_instant(c, cal_days_from_civil(y, m, d), hh * 60 + mm);
}

static void assert_local(const cal_calendar *c, int64_t t, const char *date, int hh, int mm)
{
    char s[11];
    int64_t day = cal_local_day(c, t);
    assert_true(cal_date_format(cal_civil_from_days(day), s, sizeof s));
    assert_string_equal(s, date);
    int64_t mins = (t - cal_instant(c, day, 0)) / 60;
    assert_int_equal(mins, hh * 60 + mm);
}

static void test_dates(void **state)
{
    (void)state;
    assert_int_equal(cal_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(cal_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(cal_days_from_civil(1969, 12, 31), -1);
    for (int64_t d = -800000; d < 800000; d += 997) {
        cal_date c = cal_civil_from_days(d);
        assert_int_equal(cal_days_from_civil(c.y, c.m, c.d), d);
    }
    assert_int_equal(cal_weekday(cal_days_from_civil(2026, 11, 20)), 5); /* Friday */
    assert_int_equal(cal_weekday(cal_days_from_civil(1969, 12, 28)), 0); /* Sunday */
    cal_date d;
    assert_true(cal_date_parse("2024-02-29", 10, &d));
    assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20240229);
    assert_false(cal_date_parse("2023-02-29", 10, &d));
    assert_false(cal_date_parse("2026-13-01", 10, &d));
    assert_false(cal_date_parse("2026-1-01x", 10, &d));
    assert_false(cal_date_parse("2026-01-01", 9, &d));
    assert_true(cal_is_leap(2000) && !cal_is_leap(1900) && cal_is_leap(2024) && !cal_is_leap(2026));
    char s[11];
    assert_true(cal_date_format((cal_date){987, 6, 5}, s, sizeof s));
    assert_string_equal(s, "0987-06-05");
    assert_false(cal_date_format((cal_date){2026, 6, 5}, s, 10));
}

static void test_friday_to_monday(void **state)
{
    (void)state;
    cal_calendar c;
    cal_init(&c, CAL_WIB);
    assert_true(cal_is_working_day(&c, 2026, 11, 20));
    assert_false(cal_is_working_day(&c, 2026, 11, 21));
    assert_false(cal_is_working_day(&c, 2026, 11, 22));
    assert_false(cal_is_working_day(&c, 2026, 2, 30));
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 11, 20, 10, 0), 1), "2026-11-23", 16, 0);
    /* Monday 10:00 + 1 is Tuesday at closing time */
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 11, 23, 10, 0), 1), "2026-11-24", 16, 0);
    /* the absolute instant: 16:00 WIB is 09:00 UTC */
    assert_int_equal(cal_add_working_days(&c, at(&c, 2026, 11, 20, 10, 0), 1),
                     cal_days_from_civil(2026, 11, 23) * 86400 + 9 * 3600);
}

static void test_n_zero_and_weekend_start(void **state)
{
    (void)state;
    cal_calendar c;
    cal_init(&c, CAL_WIB);
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 11, 23, 10, 0), 0), "2026-11-23", 16, 0);
    /* submitted on Saturday: Monday is day 0 */
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 11, 21, 10, 0), 0), "2026-11-23", 16, 0);
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 11, 21, 10, 0), 1), "2026-11-24", 16, 0);
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 11, 23, 10, 0), -3), "2026-11-23", 16,
                 0);
    /* submitted after closing still counts that day as day 0 */
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 11, 23, 20, 0), 1), "2026-11-24", 16, 0);
    /* no working day at all: never */
    c.weekend_mask = 0x7f;
    assert_true(cal_add_working_days(&c, at(&c, 2026, 11, 23, 10, 0), 1) == CAL_NEVER);
    assert_true(cal_add_working_minutes(&c, at(&c, 2026, 11, 23, 10, 0), 1) == CAL_NEVER);
}

static void test_holiday_block(void **state)
{
    (void)state;
    cal_calendar c;
    cal_init(&c, CAL_WIB);
    /* 2026: 18 March cuti bersama, 19 Nyepi, 20-21 Idul Fitri, 23-24 cuti bersama (unsorted) */
    cal_holiday h[] = {
        {cal_days_from_civil(2026, 3, 24), CAL_HOLIDAY_CUTI_BERSAMA},
        {cal_days_from_civil(2026, 3, 20), CAL_HOLIDAY_NATIONAL},
        {cal_days_from_civil(2026, 3, 18), CAL_HOLIDAY_CUTI_BERSAMA},
        {cal_days_from_civil(2026, 3, 21), CAL_HOLIDAY_NATIONAL},
        {cal_days_from_civil(2026, 3, 19), CAL_HOLIDAY_NATIONAL},
        {cal_days_from_civil(2026, 3, 23), CAL_HOLIDAY_CUTI_BERSAMA},
    };
    cal_sort_holidays(h, 6);
    c.holidays = h;
    c.nholidays = 6;
    enum cal_holiday_kind k;
    assert_true(cal_is_holiday(&c, cal_days_from_civil(2026, 3, 23), &k));
    assert_int_equal(k, CAL_HOLIDAY_CUTI_BERSAMA);
    assert_false(cal_is_working_day(&c, 2026, 3, 18));
    assert_false(cal_is_working_day(&c, 2026, 3, 24));
    assert_true(cal_is_working_day(&c, 2026, 3, 25));
    /* Tuesday 17 March + 1 working day jumps the whole block */
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 3, 17, 10, 0), 1), "2026-03-25", 16, 0);
    /* submitted during the block: 25 March is day 0 */
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 3, 20, 9, 0), 2), "2026-03-27", 16, 0);
    /* opening hours too: 1 hour from Tuesday 15:30 ends Wednesday 25 March 08:30 */
    assert_local(&c, cal_add_working_minutes(&c, at(&c, 2026, 3, 17, 15, 30), 60), "2026-03-25", 8,
                 30);
    assert_int_equal(cal_working_minutes_between(&c, at(&c, 2026, 3, 17, 8, 0),
                                                 at(&c, 2026, 3, 25, 16, 0), NULL, 0),
                     2 * 480);
}

static void test_year_end(void **state)
{
    (void)state;
    cal_calendar c;
    cal_init(&c, CAL_WIB);
    cal_holiday h[] = {
        {cal_days_from_civil(2026, 12, 24), CAL_HOLIDAY_CUTI_BERSAMA},
        {cal_days_from_civil(2026, 12, 25), CAL_HOLIDAY_NATIONAL},
        {cal_days_from_civil(2027, 1, 1), CAL_HOLIDAY_NATIONAL},
    };
    c.holidays = h;
    c.nholidays = 3;
    int64_t wed = at(&c, 2026, 12, 23, 10, 0);
    assert_local(&c, cal_add_working_days(&c, wed, 3), "2026-12-30", 16, 0);
    assert_local(&c, cal_add_working_days(&c, wed, 4), "2026-12-31", 16, 0);
    assert_local(&c, cal_add_working_days(&c, wed, 5), "2027-01-04", 16, 0);
}

static void test_time_zones(void **state)
{
    (void)state;
    cal_calendar wib, wita, wit;
    cal_init(&wib, CAL_WIB);
    cal_init(&wita, CAL_WITA);
    cal_init(&wit, CAL_WIT);
    int64_t t = at(&wib, 2026, 11, 20, 23, 30);  /* Friday 23:30 WIB */
    assert_local(&wita, t, "2026-11-21", 0, 30); /* is Saturday 00:30 WITA */
    assert_local(&wit, t, "2026-11-21", 1, 30);
    /* Friday is day 0 in WIB; in WITA and WIT it is already Saturday, so Monday is day 0 */
    assert_local(&wib, cal_add_working_days(&wib, t, 1), "2026-11-23", 16, 0);
    assert_local(&wita, cal_add_working_days(&wita, t, 1), "2026-11-24", 16, 0);
    assert_local(&wit, cal_add_working_days(&wit, t, 1), "2026-11-24", 16, 0);
    /* closing at 16:00 local is a different instant in each zone */
    assert_int_equal(cal_add_working_days(&wita, t, 1),
                     cal_days_from_civil(2026, 11, 24) * 86400 + 8 * 3600);
    assert_int_equal(cal_add_working_days(&wit, t, 1),
                     cal_days_from_civil(2026, 11, 24) * 86400 + 7 * 3600);
}

static void test_opening_hours(void **state)
{
    (void)state;
    cal_calendar c;
    cal_init(&c, CAL_WIB);
    for (int w = 1; w <= 4; w++)
        c.hours[w] = (cal_hours){true, 8 * 60, 16 * 60, 12 * 60, 13 * 60};
    c.hours[5] = (cal_hours){true, 7 * 60 + 30, 11 * 60 + 30, 0, 0}; /* short Friday */
    /* after hours on Friday: counting starts Monday 08:00 */
    assert_local(&c, cal_add_working_minutes(&c, at(&c, 2026, 11, 20, 17, 0), 60), "2026-11-23", 9,
                 0);
    /* before opening */
    assert_local(&c, cal_add_working_minutes(&c, at(&c, 2026, 11, 23, 7, 0), 30), "2026-11-23", 8,
                 30);
    /* across the lunch break */
    assert_local(&c, cal_add_working_minutes(&c, at(&c, 2026, 11, 23, 11, 30), 60), "2026-11-23",
                 13, 30);
    /* 0 minutes: the start itself inside hours, the next opening outside */
    assert_local(&c, cal_add_working_minutes(&c, at(&c, 2026, 11, 23, 10, 0), 0), "2026-11-23", 10,
                 0);
    assert_local(&c, cal_add_working_minutes(&c, at(&c, 2026, 11, 23, 12, 15), 0), "2026-11-23", 13,
                 0);
    /* exactly the rest of the day ends at closing, not the next morning */
    assert_local(&c, cal_add_working_minutes(&c, at(&c, 2026, 11, 23, 15, 0), 60), "2026-11-23", 16,
                 0);
    /* Thursday 15:00 + 2 h: 1 h Thursday, 1 h Friday from 07:30 */
    assert_local(&c, cal_add_working_minutes(&c, at(&c, 2026, 11, 26, 15, 0), 120), "2026-11-27", 8,
                 30);
    /* a working day is 7 h Mon-Thu (break), 4 h Friday */
    assert_int_equal(cal_working_minutes_between(&c, at(&c, 2026, 11, 23, 0, 0),
                                                 at(&c, 2026, 11, 28, 0, 0), NULL, 0),
                     4 * 420 + 240);
    /* working-days deadline closes at that weekday's closing time */
    assert_local(&c, cal_add_working_days(&c, at(&c, 2026, 11, 26, 9, 0), 1), "2026-11-27", 11, 30);
}

static void test_pauses(void **state)
{
    (void)state;
    cal_calendar c;
    cal_init(&c, CAL_WIB);
    int64_t from = at(&c, 2026, 11, 23, 8, 0), to = at(&c, 2026, 11, 24, 16, 0);
    assert_int_equal(cal_working_minutes_between(&c, from, to, NULL, 0), 960);
    assert_int_equal(cal_working_minutes_between(&c, to, from, NULL, 0), 0);
    assert_int_equal(cal_working_minutes_between(&c, from, from, NULL, 0), 0);
    /* overlapping pauses count once: 10:00-13:00 */
    cal_interval p1[] = {{at(&c, 2026, 11, 23, 11, 0), at(&c, 2026, 11, 23, 13, 0)},
                         {at(&c, 2026, 11, 23, 10, 0), at(&c, 2026, 11, 23, 12, 0)},
                         {at(&c, 2026, 11, 23, 10, 30), at(&c, 2026, 11, 23, 11, 30)}};
    assert_int_equal(cal_working_minutes_between(&c, from, to, p1, 3), 960 - 180);
    /* pauses across both ends of the range only remove what is inside it */
    cal_interval p2[] = {{at(&c, 2026, 11, 22, 12, 0), at(&c, 2026, 11, 23, 9, 0)},
                         {at(&c, 2026, 11, 24, 15, 0), at(&c, 2026, 11, 25, 12, 0)}};
    assert_int_equal(cal_working_minutes_between(&c, from, to, p2, 2), 960 - 120);
    /* a pause outside opening hours or empty changes nothing; one covering all leaves 0 */
    cal_interval p3[] = {{at(&c, 2026, 11, 23, 18, 0), at(&c, 2026, 11, 24, 7, 0)},
                         {at(&c, 2026, 11, 23, 9, 0), at(&c, 2026, 11, 23, 9, 0)}};
    assert_int_equal(cal_working_minutes_between(&c, from, to, p3, 2), 960);
    cal_interval p4[] = {{from - 1, to + 1}};
    assert_int_equal(cal_working_minutes_between(&c, from, to, p4, 1), 0);
    /* the range itself outside hours: Saturday */
    assert_int_equal(cal_working_minutes_between(&c, at(&c, 2026, 11, 21, 8, 0),
                                                 at(&c, 2026, 11, 21, 16, 0), NULL, 0),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_friday_to_monday),
        cmocka_unit_test(test_n_zero_and_weekend_start),
        cmocka_unit_test(test_holiday_block),
        cmocka_unit_test(test_year_end),
        cmocka_unit_test(test_time_zones),
        cmocka_unit_test(test_opening_hours),
        cmocka_unit_test(test_pauses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

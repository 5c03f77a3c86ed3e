/* Unit tests of core/sla: deadlines in working days and hours on a service point's calendar,
 * requests filed after closing time and on a holiday, pauses (waiting for the citizen) spanning
 * a weekend and holidays, a pause after the deadline, an ongoing pause, the three time zones,
 * time left / overdue, on-time and percentiles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "core/sla.h"

static int64_t at(const cal_calendar *c, int y, int m, int d, int hh, int mm)
{
    return cal_instant(c, cal_days_from_civil(y, m, d), hh * 60 + mm);
}

static void assert_local(const cal_calendar *c, int64_t t, const char *date, int hh, int mm)
{
    char s[11];
    assert_true(t != CAL_NEVER);
    int64_t day = cal_local_day(c, t);
    assert_true(cal_date_format(cal_civil_from_days(day), s, sizeof s));
    assert_string_equal(s, date);
    assert_int_equal((t - cal_instant(c, day, 0)) / 60, hh * 60 + mm);
}

/* Christmas 2026 with cuti bersama the day before */
static cal_holiday holidays[2];
static void christmas(cal_calendar *c, int offset)
{
    cal_init(c, offset);
    holidays[0] = (cal_holiday){cal_days_from_civil(2026, 12, 24), CAL_HOLIDAY_CUTI_BERSAMA};
    holidays[1] = (cal_holiday){cal_days_from_civil(2026, 12, 25), CAL_HOLIDAY_NATIONAL};
    c->holidays = holidays;
    c->nholidays = 2;
}

static void test_limits(void **state)
{
    (void)state;
    cal_calendar c;
    christmas(&c, CAL_WIB);
    sla_limit one_day, four_hours, bad;
    assert_true(sla_limit_from(1, "days", &one_day));
    assert_true(sla_limit_from(4, "hours", &four_hours));
    assert_false(sla_limit_from(1, "weeks", &bad));
    assert_false(sla_limit_from(-1, "days", &bad));
    /* Monday 10:00 + 1 working day: Tuesday at closing */
    int64_t mon = at(&c, 2026, 11, 23, 10, 0);
    assert_local(&c, sla_due(&c, one_day, mon, NULL, 0), "2026-11-24", 16, 0);
    assert_int_equal(sla_budget(&c, one_day, mon), 6 * 60 + 8 * 60);
    /* 4 working hours from Monday 14:00: two today, two from Tuesday's opening */
    assert_local(&c, sla_due(&c, four_hours, at(&c, 2026, 11, 23, 14, 0), NULL, 0), "2026-11-24",
                 10, 0);
    /* filed after closing time: the clock starts at the next opening */
    assert_local(&c, sla_due(&c, four_hours, at(&c, 2026, 11, 23, 19, 45), NULL, 0), "2026-11-24",
                 12, 0);
    /* filed on Christmas (a Friday): day 0 is Monday the 28th, so 1 day ends Tuesday */
    int64_t xmas = at(&c, 2026, 12, 25, 9, 0);
    assert_local(&c, sla_due(&c, one_day, xmas, NULL, 0), "2026-12-29", 16, 0);
    assert_local(&c, sla_due(&c, four_hours, xmas, NULL, 0), "2026-12-28", 12, 0);
    /* on a Saturday night, 0 days: Monday at closing */
    sla_limit zero;
    assert_true(sla_limit_from(0, "days", &zero));
    assert_local(&c, sla_due(&c, zero, at(&c, 2026, 11, 21, 22, 0), NULL, 0), "2026-11-23", 16, 0);
    /* the days limit through the holiday block: Wed 23 + 3 = Wed 30 (24, 25 off, 26-27 weekend) */
    sla_limit three;
    assert_true(sla_limit_from(3, "days", &three));
    assert_local(&c, sla_due(&c, three, at(&c, 2026, 12, 23, 9, 0), NULL, 0), "2026-12-30", 16, 0);
}

static void test_pause_over_weekend_and_holidays(void **state)
{
    (void)state;
    cal_calendar c;
    christmas(&c, CAL_WIB);
    sla_limit three;
    assert_true(sla_limit_from(3, "days", &three));
    int64_t sub = at(&c, 2026, 12, 23, 9, 0);
    int64_t due0 = sla_due(&c, three, sub, NULL, 0);
    /* waiting for the citizen from Wednesday 13:00 to Monday 28th 10:00: the clock lost Wed
     * 13-16 and Mon 8-10 (300 working minutes), the holidays and the weekend cost nothing */
    cal_interval p = {at(&c, 2026, 12, 23, 13, 0), at(&c, 2026, 12, 28, 10, 0)};
    int64_t due = sla_due(&c, three, sub, &p, 1);
    assert_local(&c, due, "2026-12-31", 13, 0);
    /* the one-pause-at-a-time form agrees */
    assert_int_equal(sla_extend(&c, due0, p.from, p.to), due);
    /* a pause wholly inside the holidays and the weekend moves nothing */
    cal_interval q = {at(&c, 2026, 12, 24, 8, 0), at(&c, 2026, 12, 27, 20, 0)};
    assert_int_equal(sla_due(&c, three, sub, &q, 1), due0);
    assert_int_equal(sla_extend(&c, due0, q.from, q.to), due0);
    /* overlapping pauses count once; order does not matter */
    cal_interval two[2] = {{at(&c, 2026, 12, 28, 9, 0), at(&c, 2026, 12, 28, 10, 0)}, p};
    assert_int_equal(sla_due(&c, three, sub, two, 2), due);
    /* two separate pauses: Wed 13-14 and Tue 29 08:00-12:00 -> 60 + 240 = 300 minutes */
    cal_interval sep[2] = {{at(&c, 2026, 12, 29, 8, 0), at(&c, 2026, 12, 29, 12, 0)},
                           {at(&c, 2026, 12, 23, 13, 0), at(&c, 2026, 12, 23, 14, 0)}};
    int64_t d2 = sla_due(&c, three, sub, sep, 2);
    assert_local(&c, d2, "2026-12-31", 13, 0);
    assert_int_equal(
        sla_extend(&c, sla_extend(&c, due0, sep[1].from, sep[1].to), sep[0].from, sep[0].to), d2);
    /* a pause that starts after the deadline: the request was already late */
    cal_interval late = {due0 + 3600, due0 + 86400 * 3};
    assert_int_equal(sla_due(&c, three, sub, &late, 1), due0);
    assert_int_equal(sla_extend(&c, due0, late.from, late.to), due0);
    /* still waiting: no deadline yet */
    cal_interval open = {at(&c, 2026, 12, 23, 13, 0), CAL_NEVER};
    assert_int_equal(sla_due(&c, three, sub, &open, 1), CAL_NEVER);
    /* an hours limit with a pause over the weekend */
    sla_limit eight;
    assert_true(sla_limit_from(8, "hours", &eight));
    int64_t fri = at(&c, 2026, 11, 20, 12, 0);
    cal_interval wk = {at(&c, 2026, 11, 20, 14, 0), at(&c, 2026, 11, 23, 9, 0)};
    /* Fri 12-14 (2h), pause, Mon 9-15 (6h) */
    assert_local(&c, sla_due(&c, eight, fri, &wk, 1), "2026-11-23", 15, 0);
    /* the duration of a request leaves the pause out */
    int64_t fin = at(&c, 2026, 11, 23, 11, 0);
    assert_int_equal(sla_duration(&c, fri, fin, &wk, 1), 120 + 120);
    assert_int_equal(sla_duration(&c, fri, fin, NULL, 0), 120 + 120 + 120 + 60);
}

static void test_time_zones(void **state)
{
    (void)state;
    /* 08:30 UTC on Monday: 15:30 WIB (open half an hour more), 16:30 WITA and 17:30 WIT (closed) */
    int64_t t = cal_instant(&(cal_calendar){0}, cal_days_from_civil(2026, 11, 23), 8 * 60 + 30);
    sla_limit one_hour, one_day;
    assert_true(sla_limit_from(1, "hours", &one_hour));
    assert_true(sla_limit_from(1, "days", &one_day));
    cal_calendar wib, wita, wit;
    cal_init(&wib, CAL_WIB);
    cal_init(&wita, CAL_WITA);
    cal_init(&wit, CAL_WIT);
    assert_local(&wib, sla_due(&wib, one_hour, t, NULL, 0), "2026-11-24", 8, 30);
    assert_local(&wita, sla_due(&wita, one_hour, t, NULL, 0), "2026-11-24", 9, 0);
    assert_local(&wit, sla_due(&wit, one_hour, t, NULL, 0), "2026-11-24", 9, 0);
    /* as instants: WIB 01:30 UTC, WITA 01:00 UTC, WIT 00:00 UTC */
    int64_t tue = (int64_t)cal_days_from_civil(2026, 11, 24) * 86400;
    assert_int_equal(sla_due(&wib, one_hour, t, NULL, 0), tue + 90 * 60);
    assert_int_equal(sla_due(&wita, one_hour, t, NULL, 0), tue + 60 * 60);
    assert_int_equal(sla_due(&wit, one_hour, t, NULL, 0), tue);
    /* 23:30 UTC on Sunday is already Monday 06:30 WIB / 07:30 WITA / 08:30 WIT */
    int64_t sun = (int64_t)cal_days_from_civil(2026, 11, 22) * 86400 + 23 * 3600 + 1800;
    assert_local(&wib, sla_due(&wib, one_hour, sun, NULL, 0), "2026-11-23", 9, 0);
    assert_local(&wit, sla_due(&wit, one_hour, sun, NULL, 0), "2026-11-23", 9, 30);
    assert_local(&wib, sla_due(&wib, one_day, sun, NULL, 0), "2026-11-24", 16, 0);
}

static void test_state_at(void **state)
{
    (void)state;
    cal_calendar c;
    christmas(&c, CAL_WITA);
    int64_t due = at(&c, 2026, 11, 24, 16, 0);
    sla_state s = sla_at(&c, due, at(&c, 2026, 11, 23, 15, 0), 0);
    assert_false(s.overdue);
    assert_false(s.due_today);
    assert_int_equal(s.left_min, 60 + 480);
    s = sla_at(&c, due, at(&c, 2026, 11, 24, 9, 30), 0);
    assert_true(s.due_today);
    assert_int_equal(s.left_min, 390);
    s = sla_at(&c, due, at(&c, 2026, 11, 25, 9, 0), 0);
    assert_true(s.overdue);
    assert_int_equal(s.left_min, -60);
    /* paused on Monday 15:00: what was left then stays, however late it is now */
    s = sla_at(&c, due, at(&c, 2026, 12, 1, 9, 0), at(&c, 2026, 11, 23, 15, 0));
    assert_true(s.paused);
    assert_false(s.overdue);
    assert_int_equal(s.left_min, 540);
    s = sla_at(&c, CAL_NEVER, 0, at(&c, 2026, 11, 23, 15, 0));
    assert_true(s.paused);
    /* on time: at or before the deadline */
    assert_true(sla_on_time(due, due));
    assert_true(sla_on_time(due, due - 1));
    assert_false(sla_on_time(due, due + 1));
}

static void test_percentiles(void **state)
{
    (void)state;
    int64_t v[] = {40, 10, 30, 20};
    assert_true(sla_percentile(v, 4, 50) == 25.0);
    assert_true(sla_percentile(v, 4, 90) > 36.99 && sla_percentile(v, 4, 90) < 37.01);
    assert_true(sla_percentile(v, 4, 0) == 10.0);
    assert_true(sla_percentile(v, 4, 100) == 40.0);
    int64_t odd[] = {5, 1, 3};
    assert_true(sla_percentile(odd, 3, 50) == 3.0);
    int64_t one[] = {7};
    assert_true(sla_percentile(one, 1, 90) == 7.0);
    assert_true(sla_percentile(NULL, 0, 50) == 0.0);
    int64_t many[100];
    for (int i = 0; i < 100; i++)
        many[i] = 100 - i; /* 1..100 */
    assert_true(sla_percentile(many, 100, 50) == 50.5);
    assert_true(sla_percentile(many, 100, 90) > 90.09 && sla_percentile(many, 100, 90) < 90.11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits),      cmocka_unit_test(test_pause_over_weekend_and_holidays),
        cmocka_unit_test(test_time_zones),  cmocka_unit_test(test_state_at),
        cmocka_unit_test(test_percentiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

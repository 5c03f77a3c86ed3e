/* core/calendar: civil-date arithmetic and the working-day SLA engine. */
#include "core/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cal_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && cal_is_leap(y) ? 29 : dm[m - 1];
}

bool cal_date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && d >= 1 && d <= cal_days_in_month(y, m);
}

/* Howard Hinnant's days_from_civil / civil_from_days */
int64_t cal_days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

cal_date cal_civil_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    return (cal_date){(int)(y + (m <= 2)), (int)m, (int)d};
}

int cal_weekday(int64_t days)
{
    int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

int cal_date_cmp(cal_date a, cal_date b)
{
    if (a.y != b.y) return a.y < b.y ? -1 : 1;
    if (a.m != b.m) return a.m < b.m ? -1 : 1;
    if (a.d != b.d) return a.d < b.d ? -1 : 1;
    return 0;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool cal_date_parse(const char *s, size_t n, cal_date *out)
{
    if (!s || n != 10 || s[4] != '-' || s[7] != '-') return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !cal_date_valid(y, m, d)) return false;
    if (out) *out = (cal_date){y, m, d};
    return true;
}

bool cal_date_format(cal_date d, char *out, size_t outsz)
{
    if (!out || outsz < 11 || d.y < 0 || d.y > 9999 || d.m < 1 || d.m > 12 || d.d < 1 || d.d > 31)
        return false;
    snprintf(out, outsz, "%04d-%02d-%02d", d.y, d.m, d.d);
    return true;
}

/* ---- the SLA engine ---- */

void cal_init(cal_calendar *cal, int offset_min)
{
    memset(cal, 0, sizeof *cal);
    cal->offset_min = offset_min;
    cal->weekend_mask = (1u << 0) | (1u << 6);
    for (int w = 1; w <= 5; w++)
        cal->hours[w] = (cal_hours){true, 8 * 60, 16 * 60, 0, 0};
}

static int holiday_cmp(const void *a, const void *b)
{
    int64_t x = ((const cal_holiday *)a)->day, y = ((const cal_holiday *)b)->day;
    return (x > y) - (x < y);
}

void cal_sort_holidays(cal_holiday *h, size_t n)
{
    if (h && n > 1) qsort(h, n, sizeof *h, holiday_cmp);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t cal_local_day(const cal_calendar *cal, int64_t instant)
{
    return floor_div(instant + (int64_t)cal->offset_min * 60, 86400);
}

int64_t cal_instant(const cal_calendar *cal, int64_t day, int minutes)
{
    return day * 86400 + (int64_t)minutes * 60 - (int64_t)cal->offset_min * 60;
}

bool cal_is_holiday(const cal_calendar *cal, int64_t day, enum cal_holiday_kind *kind)
{
    size_t lo = 0, hi = cal->holidays ? cal->nholidays : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->holidays[mid].day == day) {
            if (kind) *kind = cal->holidays[mid].kind;
            return true;
        }
        if (cal->holidays[mid].day < day) lo = mid + 1;
        else hi = mid;
    }
    return false;
}

bool cal_is_working_daynum(const cal_calendar *cal, int64_t day)
{
    if (cal->weekend_mask & (1u << cal_weekday(day))) return false;
    return !cal_is_holiday(cal, day, NULL);
}

bool cal_is_working_day(const cal_calendar *cal, int y, int m, int d)
{
    return cal_date_valid(y, m, d) && cal_is_working_daynum(cal, cal_days_from_civil(y, m, d));
}

/* the opening intervals of a day in minutes; returns how many (0..2) */
static int day_slots(const cal_calendar *cal, int64_t day, int slot[2][2])
{
    if (!cal_is_working_daynum(cal, day)) return 0;
    const cal_hours *h = &cal->hours[cal_weekday(day)];
    int o = h->open_min, c = h->close_min;
    if (!h->open || o < 0 || c > 1440 || o >= c) return 0;
    int bs = h->break_start, be = h->break_end;
    if (bs < be && bs > o && be < c) {
        slot[0][0] = o, slot[0][1] = bs, slot[1][0] = be, slot[1][1] = c;
        return 2;
    }
    slot[0][0] = o, slot[0][1] = c;
    return 1;
}

int64_t cal_add_working_days(const cal_calendar *cal, int64_t start, int n)
{
    int64_t day = cal_local_day(cal, start);
    int64_t scanned = 0;
    while (!cal_is_working_daynum(cal, day)) {
        if (++scanned > CAL_MAX_SCAN_DAYS) return CAL_NEVER;
        day++;
    }
    for (int left = n < 0 ? 0 : n; left > 0;) {
        if (++scanned > CAL_MAX_SCAN_DAYS) return CAL_NEVER;
        day++;
        if (cal_is_working_daynum(cal, day)) left--;
    }
    const cal_hours *h = &cal->hours[cal_weekday(day)];
    bool hours = h->open && h->close_min > h->open_min && h->close_min <= 1440 && h->open_min >= 0;
    return cal_instant(cal, day, hours ? h->close_min : 1440);
}

int64_t cal_add_working_minutes(const cal_calendar *cal, int64_t start, int64_t minutes)
{
    int64_t left = minutes < 0 ? 0 : minutes;
    if (left > (int64_t)CAL_MAX_SCAN_DAYS * 1440) return CAL_NEVER;
    left *= 60;
    int64_t day = cal_local_day(cal, start);
    for (int64_t i = 0; i < CAL_MAX_SCAN_DAYS; i++, day++) {
        int slot[2][2];
        int ns = day_slots(cal, day, slot);
        for (int k = 0; k < ns; k++) {
            int64_t a = cal_instant(cal, day, slot[k][0]), b = cal_instant(cal, day, slot[k][1]);
            int64_t s = start > a ? start : a;
            if (s >= b) continue;
            if (left <= b - s) return s + left;
            left -= b - s;
        }
    }
    return CAL_NEVER;
}

/* opening-hours seconds in [from, to), no pauses */
static int64_t working_seconds(const cal_calendar *cal, int64_t from, int64_t to)
{
    int64_t total = 0;
    int64_t last = cal_local_day(cal, to - 1);
    int64_t day = cal_local_day(cal, from);
    if (last - day > CAL_MAX_SCAN_DAYS) last = day + CAL_MAX_SCAN_DAYS;
    for (; day <= last; day++) {
        int slot[2][2];
        int ns = day_slots(cal, day, slot);
        for (int k = 0; k < ns; k++) {
            int64_t a = cal_instant(cal, day, slot[k][0]), b = cal_instant(cal, day, slot[k][1]);
            if (a < from) a = from;
            if (b > to) b = to;
            if (a < b) total += b - a;
        }
    }
    return total;
}

int64_t cal_working_minutes_between(const cal_calendar *cal, int64_t from, int64_t to,
                                    const cal_interval *pauses, size_t npauses)
{
    if (to <= from) return 0;
    if (!pauses || npauses > CAL_MAX_PAUSES) npauses = pauses ? CAL_MAX_PAUSES : 0;
    /* sweep [from, to) without sorting or allocating: at each point either a pause covers it
     * (jump to the furthest end among the pauses covering it) or the clock runs until the next
     * pause starts */
    int64_t total = 0, cur = from;
    while (cur < to) {
        int64_t jump = cur, next = to;
        for (size_t i = 0; i < npauses; i++) {
            const cal_interval *p = &pauses[i];
            if (p->to <= p->from) continue;
            if (p->from <= cur && p->to > cur) {
                if (p->to > jump) jump = p->to;
            } else if (p->from > cur && p->from < next) {
                next = p->from;
            }
        }
        if (jump > cur) {
            cur = jump;
            continue;
        }
        total += working_seconds(cal, cur, next);
        cur = next;
    }
    return total / 60;
}

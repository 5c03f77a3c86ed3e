/* core/calendar: civil-date arithmetic and the working-day SLA engine. */
#include "core/calendar.h"

#include <stdio.h>

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

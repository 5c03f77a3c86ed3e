/* core/calendar: civil dates and the working-day SLA engine. Pure C, no I/O, no allocation.
 *
 * Dates are proleptic Gregorian (y, m, d). Day numbers count days since 1970-01-01. Instants are
 * int64 seconds since the epoch (UTC); a calendar turns them into local time with a fixed offset
 * (Indonesia has no DST: WIB +420, WITA +480, WIT +540 minutes). */
#ifndef LAYAN_CORE_CALENDAR_H
#define LAYAN_CORE_CALENDAR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int y, m, d;
} cal_date;

/* ---- date helpers ---- */
bool cal_is_leap(int y);
int cal_days_in_month(int y, int m); /* 0 when m is not 1..12 */
bool cal_date_valid(int y, int m, int d);
int64_t cal_days_from_civil(int y, int m, int d);   /* 1970-01-01 -> 0 */
cal_date cal_civil_from_days(int64_t days);
int cal_weekday(int64_t days); /* 0 = Sunday ... 6 = Saturday */
int cal_date_cmp(cal_date a, cal_date b);
/* "YYYY-MM-DD" (exactly 10 bytes of s[0..n)) -> true and *out when a real date */
bool cal_date_parse(const char *s, size_t n, cal_date *out);
/* writes "YYYY-MM-DD" and a NUL into out (needs 11 bytes); years outside 0..9999 give false */
bool cal_date_format(cal_date d, char *out, size_t outsz);

#endif

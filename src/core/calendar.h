/* core/calendar: civil dates and the working-day SLA engine. Pure C, no I/O, no allocation.
 *
 * Dates are proleptic Gregorian (y, m, d). Day numbers count days since 1970-01-01. Instants are
 * int64 seconds since the epoch (UTC); a calendar turns them into local time with a fixed offset
 * (Indonesia has no DST: WIB +420, WITA +480, WIT +540 minutes).
 *
 * A working day is a local date whose weekday is not in the weekend mask and which is not in the
 * holiday list (national holidays and cuti bersama alike). Opening hours apply only on working
 * days. Deadline conventions (domain.md §10):
 *  - working days: the local date of submission is day 0 when it is a working day; otherwise the
 *    next working day is day 0. The deadline of n working days is the close of business of the
 *    n-th working day after day 0 (Monday 10:00 + 1 -> Tuesday at closing time; n = 0 -> close
 *    of day 0).
 *  - working minutes count only opening hours; a start outside them starts at the next opening.
 *  - pauses (the clock stops while the office waits for the citizen) may overlap each other and
 *    the ends of the range.
 * Loops are bounded (CAL_MAX_SCAN_DAYS); a calendar with no working day at all yields CAL_NEVER. */
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
int64_t cal_days_from_civil(int y, int m, int d); /* 1970-01-01 -> 0 */
cal_date cal_civil_from_days(int64_t days);
int cal_weekday(int64_t days); /* 0 = Sunday ... 6 = Saturday */
int cal_date_cmp(cal_date a, cal_date b);
/* "YYYY-MM-DD" (exactly 10 bytes of s[0..n)) -> true and *out when a real date */
bool cal_date_parse(const char *s, size_t n, cal_date *out);
/* writes "YYYY-MM-DD" and a NUL into out (needs 11 bytes); years outside 0..9999 give false */
bool cal_date_format(cal_date d, char *out, size_t outsz);

/* ---- the SLA engine ---- */
#define CAL_WIB 420 /* minutes east of UTC */
#define CAL_WITA 480
#define CAL_WIT 540
#define CAL_NEVER INT64_MAX          /* no such instant within CAL_MAX_SCAN_DAYS */
#define CAL_MAX_SCAN_DAYS (366 * 50) /* bound on every day-by-day walk */
#define CAL_MAX_PAUSES 4096          /* pauses beyond this are ignored */

enum cal_holiday_kind { CAL_HOLIDAY_NATIONAL = 0, CAL_HOLIDAY_CUTI_BERSAMA = 1 };

typedef struct {
    int64_t day; /* cal_days_from_civil of the local date */
    enum cal_holiday_kind kind;
} cal_holiday;

typedef struct {
    bool open;
    int open_min, close_min;    /* minutes after local midnight, 0 <= open < close <= 1440 */
    int break_start, break_end; /* a break inside [open, close); equal values: no break */
} cal_hours;

typedef struct {
    int offset_min;              /* CAL_WIB, CAL_WITA, CAL_WIT */
    unsigned weekend_mask;       /* bit w set: weekday w (0 = Sunday) is not a working day */
    const cal_holiday *holidays; /* sorted by day, ascending (cal_sort_holidays); may be NULL */
    size_t nholidays;
    cal_hours hours[7]; /* by weekday, 0 = Sunday */
} cal_calendar;

typedef struct {
    int64_t from, to; /* [from, to) instants; to <= from is empty */
} cal_interval;

/* offset, Saturday and Sunday off, no holidays, Monday-Friday 08:00-16:00 without a break */
void cal_init(cal_calendar *cal, int offset_min);
void cal_sort_holidays(cal_holiday *h, size_t n);

int64_t cal_local_day(const cal_calendar *cal, int64_t instant); /* day number of the local date */
/* the instant of local midnight + minutes on day number `day` */
int64_t cal_instant(const cal_calendar *cal, int64_t day, int minutes);
bool cal_is_holiday(const cal_calendar *cal, int64_t day, enum cal_holiday_kind *kind);
bool cal_is_working_day(const cal_calendar *cal, int y, int m, int d); /* false for invalid dates */
bool cal_is_working_daynum(const cal_calendar *cal, int64_t day);

/* close of business of the n-th working day after day 0 (see above); n < 0 counts as 0. The
 * close is the weekday's close_min, or the end of the day when that weekday has no hours. */
int64_t cal_add_working_days(const cal_calendar *cal, int64_t start, int n);
/* the instant when `minutes` of opening hours have elapsed from start; 0 minutes gives start
 * itself inside opening hours, else the next opening; n < 0 counts as 0 */
int64_t cal_add_working_minutes(const cal_calendar *cal, int64_t start, int64_t minutes);
/* opening-hours time in [from, to) outside every pause, in whole minutes (rounded down) */
int64_t cal_working_minutes_between(const cal_calendar *cal, int64_t from, int64_t to,
                                    const cal_interval *pauses, size_t npauses);

#endif

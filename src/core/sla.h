/* core/sla: service-level deadlines of requests on top of core/calendar. Pure C, no I/O.
 *
 * The time limit of a service at a service point is n working days or n working hours
 * (domain.md §10). The deadline:
 *  - days: the close of business of the n-th working day after day 0 (cal_add_working_days:
 *    day 0 is the day of submission when it is a working day, else the next working day);
 *  - hours: n * 60 minutes of opening hours after submission (cal_add_working_minutes; a
 *    request filed after closing time or on a holiday starts at the next opening).
 * The clock stops while the office waits for the citizen (pauses): a pause that begins before
 * the deadline pushes it back by the working time that was left at the start of the pause, now
 * counted from the end of the pause. A pause that begins after the deadline changes nothing (the
 * request was already late). For a days limit the budget is the working time from submission to
 * the plain deadline, so a request with no pause gets exactly the close of day n, and a pause of
 * two full working days moves it by two working days.
 * Durations (for statistics) are working minutes from submission to the end, minus pauses. */
#ifndef LAYAN_CORE_SLA_H
#define LAYAN_CORE_SLA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"

enum sla_unit { SLA_DAYS = 0, SLA_HOURS = 1 };
typedef struct {
    int value; /* >= 0 */
    enum sla_unit unit;
} sla_limit;
/* value and "days" | "hours" (the catalogue's spelling); false when invalid */
bool sla_limit_from(int value, const char *unit, sla_limit *out);

/* the limit as working minutes from `submitted` (the budget the clock spends) */
int64_t sla_budget(const cal_calendar *cal, sla_limit lim, int64_t submitted);
/* the deadline of a request submitted at `submitted`, given the pauses so far (any order, may
 * overlap). A pause whose `to` is CAL_NEVER is still going on: when it starts before the
 * deadline, the deadline is unknown and CAL_NEVER is returned. */
int64_t sla_due(const cal_calendar *cal, sla_limit lim, int64_t submitted,
                const cal_interval *pauses, size_t npauses);
/* the same, one pause at a time: the deadline after a pause [paused_at, resumed_at) given the
 * deadline before it */
int64_t sla_extend(const cal_calendar *cal, int64_t due, int64_t paused_at, int64_t resumed_at);

typedef struct {
    int64_t left_min; /* working minutes left (> 0), or overdue by -left_min working minutes */
    bool overdue;     /* now is past the deadline (and the clock is not paused) */
    bool due_today;   /* not overdue, and the deadline falls on today's local date */
    bool paused;      /* waiting for the citizen: left_min is frozen at the start of the pause */
} sla_state;
/* where a request stands at `now`; paused_at = 0 when the clock runs */
sla_state sla_at(const cal_calendar *cal, int64_t due, int64_t now, int64_t paused_at);

/* finished on time: the end (first "done" state) at or before the deadline */
bool sla_on_time(int64_t due, int64_t finished);
/* working minutes between submission and the end, the pauses left out */
int64_t sla_duration(const cal_calendar *cal, int64_t submitted, int64_t finished,
                     const cal_interval *pauses, size_t npauses);
/* the p-th percentile (0..100) of v[0..n), linear between closest ranks (p = 50: the median; an
 * even count gives the mean of the middle two). Sorts v in place. 0 when n == 0. */
double sla_percentile(int64_t *v, size_t n, double p);

#endif

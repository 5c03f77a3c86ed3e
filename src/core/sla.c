/* core/sla: see sla.h */
#include "core/sla.h"

#include <stdlib.h>
#include <string.h>

bool sla_limit_from(int value, const char *unit, sla_limit *out)
{
    if (value < 0 || !unit) return false;
    if (strcmp(unit, "days") == 0) out->unit = SLA_DAYS;
    else if (strcmp(unit, "hours") == 0) out->unit = SLA_HOURS;
    else return false;
    out->value = value;
    return true;
}

int64_t sla_budget(const cal_calendar *cal, sla_limit lim, int64_t submitted)
{
    if (lim.unit == SLA_HOURS) return (int64_t)(lim.value < 0 ? 0 : lim.value) * 60;
    int64_t due = cal_add_working_days(cal, submitted, lim.value);
    if (due == CAL_NEVER) return -1;
    return cal_working_minutes_between(cal, submitted, due, NULL, 0);
}

int64_t sla_due(const cal_calendar *cal, sla_limit lim, int64_t submitted,
                const cal_interval *pauses, size_t npauses)
{
    if (npauses == 0 && lim.unit == SLA_DAYS)
        return cal_add_working_days(cal, submitted, lim.value);
    int64_t left = sla_budget(cal, lim, submitted);
    if (left < 0) return CAL_NEVER;
    if (npauses > CAL_MAX_PAUSES) npauses = CAL_MAX_PAUSES;
    /* the same sweep as cal_working_minutes_between: inside a pause jump to its furthest end,
     * otherwise spend the budget up to the next pause */
    int64_t cur = submitted;
    for (size_t guard = 0; guard <= 2 * npauses + 2; guard++) {
        int64_t jump = cur, next = CAL_NEVER;
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
            if (jump == CAL_NEVER) return CAL_NEVER; /* still waiting for the citizen */
            cur = jump;
            continue;
        }
        int64_t cand = cal_add_working_minutes(cal, cur, left);
        if (cand == CAL_NEVER || cand <= next) return cand;
        left -= cal_working_minutes_between(cal, cur, next, NULL, 0);
        if (left < 0) left = 0;
        cur = next;
    }
    return CAL_NEVER; /* not reached: each round passes a pause */
}

int64_t sla_extend(const cal_calendar *cal, int64_t due, int64_t paused_at, int64_t resumed_at)
{
    if (due == CAL_NEVER || paused_at >= due || resumed_at <= paused_at) return due;
    int64_t left = cal_working_minutes_between(cal, paused_at, due, NULL, 0);
    return cal_add_working_minutes(cal, resumed_at, left);
}

sla_state sla_at(const cal_calendar *cal, int64_t due, int64_t now, int64_t paused_at)
{
    sla_state s = {0};
    if (due == CAL_NEVER) {
        s.paused = paused_at != 0;
        return s;
    }
    if (paused_at) {
        s.paused = true;
        int64_t at = paused_at;
        if (at < due) s.left_min = cal_working_minutes_between(cal, at, due, NULL, 0);
        else s.left_min = -cal_working_minutes_between(cal, due, at, NULL, 0), s.overdue = true;
        return s;
    }
    if (now <= due) {
        s.left_min = cal_working_minutes_between(cal, now, due, NULL, 0);
        s.due_today = cal_local_day(cal, now) == cal_local_day(cal, due);
    } else {
        s.overdue = true;
        s.left_min = -cal_working_minutes_between(cal, due, now, NULL, 0);
    }
    return s;
}

bool sla_on_time(int64_t due, int64_t finished)
{
    return finished <= due;
}

int64_t sla_duration(const cal_calendar *cal, int64_t submitted, int64_t finished,
                     const cal_interval *pauses, size_t npauses)
{
    return cal_working_minutes_between(cal, submitted, finished, pauses, npauses);
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

double sla_percentile(int64_t *v, size_t n, double p)
{
    if (n == 0) return 0;
    qsort(v, n, sizeof *v, cmp64);
    if (p <= 0) return (double)v[0];
    if (p >= 100) return (double)v[n - 1];
    double rank = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)rank;
    double frac = rank - (double)lo;
    if (lo + 1 >= n) return (double)v[n - 1];
    return (double)v[lo] + frac * (double)(v[lo + 1] - v[lo]);
}

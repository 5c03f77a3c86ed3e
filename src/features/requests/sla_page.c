/* sla page: how each service point in a unit head's scope keeps its promise (/petugas/kinerja):
 * share finished on time, median and 90th percentile of the working time (in words), open,
 * overdue now and waiting for the applicant, for a period (default: this month). */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "features/app.h"
#include "features/form.h"
#include "features/requests/requests.h"
#include "features/requests/web_work.h"

const http_param_spec sla_page_params[] = {
    {"dari", HP_STR, 0, 10, false}, {"sampai", HP_STR, 0, 10, false}, {0}};

static bool day_of(str s, cal_date *d)
{
    return s.p && s.n == 10 && cal_date_parse(s.p, s.n, d);
}

int sla_page(http_req *rq)
{
    form_state f;
    form_init(&f);
    char today[11];
    app_today(rq, today, sizeof today);
    cal_date t, from, to;
    if (!cal_date_parse(today, 10, &t)) return 500;
    from = (cal_date){t.y, t.m, 1};
    to = (cal_date){t.y, t.m, cal_days_in_month(t.y, t.m)};
    str a = form_keep(rq, &f, "dari", 10), b = form_keep(rq, &f, "sampai", 10);
    if (a.n && !day_of(a, &from)) form_error(rq, &f, "dari", "Enter a date as YYYY-MM-DD.");
    if (b.n && !day_of(b, &to)) form_error(rq, &f, "sampai", "Enter a date as YYYY-MM-DD.");
    if (form_ok(&f) && cal_date_cmp(from, to) > 0)
        form_error(rq, &f, "sampai", "The end of the period must not be before its start.");
    char fs[11], ts[11], te[11];
    cal_date_format(from, fs, sizeof fs);
    cal_date_format(to, ts, sizeof ts);
    cal_date_format(cal_civil_from_days(cal_days_from_civil(to.y, to.m, to.d) + 1), te, sizeof te);

    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int64_t *roots;
    size_t nroots;
    json_t *rows = json_array();
    int st = 0;
    if (work_scope(c, rq->a, rq->who.user_id, WORK_HEADS, &roots, &nroots) != DB_OK) st = 503;
    for (size_t i = 0; !st && form_ok(&f) && i < nroots; i++) {
        req_stats *s;
        size_t n;
        if (req_stats_units(c, rq->a, roots[i], fs, te, app_now(), &s, &n) != DB_OK) {
            st = 503;
            break;
        }
        for (size_t j = 0; j < n; j++) {
            char pct[16];
            snprintf(pct, sizeof pct, "%.0f%%", s[j].share_on_time * 100.0);
            json_array_append_new(
                rows,
                json_pack("{s:s,s:s,s:i,s:i,s:s,s:s,s:s,s:i,s:i,s:i,s:b,s:b}", "code",
                          s[j].unit_code, "name", s[j].unit_name, "finished", s[j].finished,
                          "on_time", s[j].on_time, "share", s[j].finished ? pct : "-", "median",
                          s[j].finished ? work_minutes_words(rq, s[j].median_min) : "-", "p90",
                          s[j].finished ? work_minutes_words(rq, s[j].p90_min) : "-", "open",
                          s[j].open, "overdue", s[j].overdue_now, "waiting", s[j].waiting, "warn",
                          s[j].overdue_now > 0, "low",
                          s[j].finished > 0 && s[j].share_on_time < 0.8));
        }
    }
    db_release(c);
    if (st) {
        json_decref(rows);
        form_free(&f);
        return st;
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "rows", rows);
    json_object_set_new(ctx, "heads", json_true());
    json_object_set_new(ctx, "nav_sla", json_true());
    json_object_set_new(ctx, "from", json_string(fs));
    json_object_set_new(ctx, "to", json_string(ts));
    json_object_set_new(
        ctx, "period",
        json_string(arena_printf(rq->a, "%s – %s", app_fmt_date(rq, fs), app_fmt_date(rq, ts))));
    if (!a.n) json_object_set_new(ctx, "dari_default", json_string(fs));
    if (!b.n) json_object_set_new(ctx, "sampai_default", json_string(ts));
    form_into(&f, ctx);
    form_free(&f);
    return http_page(rq, 200, "requests/sla", ctx);
}

/* requests survey: see survey.h. */
#include "features/requests/survey.h"

#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/workflow.h"
#include "features/app.h"
#include "features/requests/requests.h"
#include "features/services/services.h"
#include "features/skm/skm.h"
#include "features/units/units.h"

static bool handed_over(const wf_def *wf, const req_view *v)
{
    const wf_state *now = wf_state_get(wf, v->status);
    if (!now || !now->terminal || now->end != WF_END_DONE) return false;
    for (size_t i = 0; i < v->nevents; i++) {
        const wf_state *s = v->events[i].to ? wf_state_get(wf, v->events[i].to) : NULL;
        if (s && !s->terminal && s->end == WF_END_DONE) return true;
    }
    return false;
}

int req_survey_link(db_conn *c, arena *a, const char *base_url, int64_t request_id,
                    const char **url)
{
    *url = NULL;
    req_view v;
    int r = req_get(c, a, request_id, &v);
    if (r != DB_OK) return r;
    service s;
    r = svc_get(c, a, str_c(v.service_code), &s);
    if (r != DB_OK) return r == DB_DONE ? DB_ERR : r;
    wf_def *wf = arena_alloc(a, sizeof *wf);
    r = req_workflow(c, s.id, wf);
    if (r != DB_OK) return r;
    if (!handed_over(wf, &v)) return DB_DONE;
    int64_t unit_id = units_id(c, v.unit_code);
    if (!unit_id) return DB_ERR;
    /* the period that contains the service point's local date (WIB, WITA, WIT), not UTC's:
     * between midnight and 07:00 WIB they differ */
    cal_date d = cal_civil_from_days((app_now() + (int64_t)v.tz_offset_min * 60) / 86400);
    char today[16], tok[SKM_LINK_TOKEN];
    snprintf(today, sizeof today, "%04d-%02d-%02d", d.y, d.m, d.d);
    r = skm_link_issue(c, unit_id, v.service_code, NULL, today, tok);
    if (r != DB_OK) return r;
    size_t n = base_url ? strlen(base_url) : 0;
    while (n && base_url[n - 1] == '/')
        n--;
    *url = arena_printf(a, "%.*s/survei/%s", (int)n, base_url ? base_url : "", tok);
    return DB_OK;
}

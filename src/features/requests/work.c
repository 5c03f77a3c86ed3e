/* work: the officers' worklist (/petugas) and the helpers the officers' pages share (deadline
 * words, durations in words, refusal messages). See web_work.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/workflow.h"
#include "features/app.h"
#include "features/requests/notify.h"
#include "features/requests/requests.h"
#include "features/requests/view.h"
#include "features/requests/web_work.h"
#include "features/units/units.h"
#include "render/i18n.h"

const http_param_spec work_list_params[] = {
    {"tab", HP_CODE, 0, 20, false},        {"titik", HP_CODE, 0, 64, false},
    {"layanan", HP_CODE, 0, 64, false},    {"status", HP_CODE, 0, 32, false},
    {"halaman", HP_INT, 1, 100000, false}, {0}};

/* ---- shared helpers ---- */

#define CAL_CACHE 32
struct work_cal_cache {
    const char *code[CAL_CACHE];
    cal_calendar *cal[CAL_CACHE];
    size_t n;
};

work_cal_cache *work_cal_new(arena *a)
{
    work_cal_cache *cc = arena_alloc(a, sizeof *cc);
    if (cc) memset(cc, 0, sizeof *cc);
    return cc;
}

static cal_calendar *cal_for(http_req *rq, db_conn *c, work_cal_cache *cc, const char *unit_code,
                             int64_t now)
{
    for (size_t i = 0; cc && i < cc->n; i++)
        if (strcmp(cc->code[i], unit_code) == 0) return cc->cal[i];
    unit u;
    cal_calendar *cal = arena_alloc(rq->a, sizeof *cal);
    if (!cal || units_get(c, rq->a, str_c(unit_code), &u) != DB_OK ||
        req_point_calendar(c, rq->a, 0, u.id, now, cal) != DB_OK)
        return NULL;
    if (cc && cc->n < CAL_CACHE) {
        cc->code[cc->n] = unit_code;
        cc->cal[cc->n++] = cal;
    }
    return cal;
}

/* working days in (from_day, to_day] */
static int working_days(const cal_calendar *cal, int64_t from_day, int64_t to_day)
{
    int n = 0;
    for (int64_t d = from_day + 1; d <= to_day && d - from_day < 4000; d++)
        if (cal_is_working_daynum(cal, d)) n++;
    return n;
}

void work_deadline_words(http_req *rq, db_conn *c, work_cal_cache *cc, const char *unit_code,
                         const char *due_at, int bucket, int64_t now, const char **label,
                         const char **cls)
{
    *label = "";
    *cls = "ok";
    if (bucket == REQ_WAITING) {
        *label = http_t(rq, "Waiting for the applicant");
        *cls = "waiting";
        return;
    }
    int64_t due = due_at ? app_parse_iso(str_c(due_at)) : -1;
    if (bucket == REQ_NO_DEADLINE || due < 0) {
        *label = http_t(rq, "No deadline");
        return;
    }
    if (bucket == REQ_DUE_TODAY) {
        *label = http_t(rq, "Due today");
        *cls = "today";
        return;
    }
    cal_calendar *cal = cal_for(rq, c, cc, unit_code ? unit_code : "", now);
    if (!cal) {
        *label = bucket == REQ_OVERDUE ? http_t(rq, "Overdue") : "";
        *cls = bucket == REQ_OVERDUE ? "overdue" : "ok";
        return;
    }
    int64_t dday = cal_local_day(cal, due), today = cal_local_day(cal, now);
    if (bucket == REQ_OVERDUE) {
        int n = working_days(cal, dday, today);
        *cls = "overdue";
        *label = n == 0 ? http_t(rq, "Overdue since today")
                        : arena_printf(rq->a,
                                       http_tn(rq, "Overdue by %d working day",
                                               "Overdue by %d working days", (unsigned long)n),
                                       n);
        return;
    }
    int n = working_days(cal, today, dday);
    *cls = n <= 1 ? "soon" : "ok";
    *label = arena_printf(
        rq->a, http_tn(rq, "%d working day left", "%d working days left", (unsigned long)n), n);
}

const char *work_minutes_words(http_req *rq, double minutes)
{
    if (minutes < 0) minutes = 0;
    if (minutes < 60) {
        int m = (int)(minutes + 0.5);
        return arena_printf(rq->a, http_tn(rq, "%d minute", "%d minutes", (unsigned long)m), m);
    }
    char num[32];
    double v = minutes < 480 ? minutes / 60.0 : minutes / 480.0;
    snprintf(num, sizeof num, "%.1f", v);
    size_t nl = strlen(num);
    if (nl > 2 && strcmp(num + nl - 2, ".0") == 0) num[nl - 2] = 0; /* "1", not "1.0" */
    if (strcmp(rq->lang, "id") == 0)
        for (char *p = num; *p; p++)
            if (*p == '.') *p = ',';
    return arena_printf(
        rq->a, minutes < 480 ? http_t(rq, "%s working hours") : http_t(rq, "%s working days"), num);
}

const char *work_refusal(http_req *rq, int why)
{
    switch (why) {
    case WF_E_REASON: return http_t(rq, "Write the reason: the applicant reads it.");
    case WF_E_ROLE:
        return http_t(rq, "Your role may not make this step. Ask the head of the unit.");
    case WF_E_TERMINAL:
        return http_t(rq, "This request is closed: nothing more can be done with it.");
    case WF_E_TRANSITION:
    case WF_E_STATE:
    default: return http_t(rq, "This step is not possible from the request's current status.");
    }
}

int work_notify(http_req *rq, db_conn *c, int64_t now, int64_t request_id, const char *to,
                const char *note)
{
    int r = req_notify_status(c, app_of(rq), now, request_id, to, note);
    return r == DB_DONE ? DB_OK : r;
}

const char *work_time(http_req *rq, const char *iso)
{
    int64_t t = iso ? app_parse_iso(str_c(iso)) : -1;
    return t >= 0 ? app_fmt_time(rq, t) : "-";
}

/* ---- the worklist ---- */

static int by_urgency(const void *x, const void *y)
{
    const req_summary *a = x, *b = y;
    if (a->bucket != b->bucket) return (int)a->bucket - (int)b->bucket;
    const char *da = a->due_at ? a->due_at : "~", *dbb = b->due_at ? b->due_at : "~";
    int c = strcmp(da, dbb);
    if (c) return c;
    return a->id < b->id ? -1 : a->id > b->id;
}

static bool seen(json_t *arr, const char *code)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "code")), code) == 0) return true;
    }
    return false;
}

const char *const work_tab_codes[WORK_TABS] = {"semua", "terlambat", "hari-ini",
                                               "saya",  "belum",     "kunjungan"};
static const char *const tab_labels[] = {N_("All open"),      N_("Overdue"),   N_("Due today"),
                                         N_("Claimed by me"), N_("Unclaimed"), N_("Home visits")};

bool work_in_tab(int tab, const req_summary *r, int64_t me)
{
    switch (tab) {
    case 1: return r->bucket == REQ_OVERDUE;
    case 2: return r->bucket == REQ_DUE_TODAY;
    case 3: return r->claimed_by == me;
    case 4: return r->claimed_by == 0;
    default: return true;
    }
}

static json_t *visits_json(http_req *rq, db_conn *c, const int64_t *roots, size_t nroots,
                           int64_t now, int *count)
{
    json_t *out = json_array();
    *count = 0;
    for (size_t i = 0; i < nroots; i++) {
        req_visit *v;
        size_t n;
        if (req_visits(c, rq->a, roots[i], now - 7 * 86400, now + 90 * 86400, &v, &n) != DB_OK)
            continue;
        for (size_t j = 0; j < n; j++) {
            if (v[j].visited_at) continue;
            json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", v[j].code, "href",
                                                 arena_printf(rq->a, "/petugas/%s", v[j].code),
                                                 "when", work_time(rq, v[j].scheduled_at), "team",
                                                 v[j].team ? v[j].team : "", "notes",
                                                 v[j].notes ? v[j].notes : ""));
            (*count)++;
        }
    }
    return out;
}

static int by_id(const void *x, const void *y)
{
    const req_summary *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

int work_open_in_scope(http_req *rq, db_conn *c, int64_t now, int64_t **roots, size_t *nroots,
                       req_summary **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (work_scope(c, rq->a, rq->who.user_id, WORK_ROLES, roots, nroots) != DB_OK) return DB_ERR;
    /* every open request in scope (at most WORK_OPEN_MAX per root): the tab counts, the filter
     * choices and every page come from the same list */
    req_summary *all = NULL;
    size_t nall = 0, cap = 0;
    for (size_t i = 0; i < *nroots; i++) {
        req_worklist_filter f = {.unit_id = (*roots)[i], .now = now, .limit = WORK_OPEN_MAX};
        req_summary *s;
        size_t n;
        int r = req_worklist(c, rq->a, &f, &s, &n);
        if (r != DB_OK) return r;
        if (nall + n > cap) {
            size_t nc = (nall + n) * 2 + 8;
            req_summary *m = arena_alloc(rq->a, nc * sizeof *m);
            if (!m) return DB_ERR;
            if (nall) memcpy(m, all, nall * sizeof *m);
            all = m;
            cap = nc;
        }
        if (n) memcpy(all + nall, s, n * sizeof *s);
        nall += n;
    }
    /* the roots do not overlap (work_scope), but a request is listed once whatever they are */
    if (*nroots > 1 && nall > 1) {
        qsort(all, nall, sizeof *all, by_id);
        size_t m = 1;
        for (size_t j = 1; j < nall; j++)
            if (all[j].id != all[m - 1].id) all[m++] = all[j];
        nall = m;
    }
    /* a total order (bucket, deadline, id): pages cut the same list the same way every time */
    if (nall > 1) qsort(all, nall, sizeof *all, by_urgency);
    *out = all;
    *nout = nall;
    return DB_OK;
}

bool work_matches(const req_summary *r, const char *point, const char *service, const char *status)
{
    return !(point && strcmp(point, r->unit_code) != 0) &&
           !(service && strcmp(service, r->service_code) != 0) &&
           !(status && strcmp(status, r->status) != 0);
}

/* /petugas with the tab, the filters and (page > 1) the page: the links of tabs and pages */
static const char *list_href(http_req *rq, int tab, const char *pt, const char *sv, const char *stp,
                             int page)
{
    return arena_printf(rq->a, "/petugas?tab=%s%s%s%s%s%s%s%s", work_tab_codes[tab],
                        pt ? "&titik=" : "", pt ? pt : "", sv ? "&layanan=" : "", sv ? sv : "",
                        stp ? "&status=" : "", stp ? stp : "",
                        page > 1 ? arena_printf(rq->a, "&halaman=%d", page) : "");
}

/* one row of the table */
static json_t *row_json(http_req *rq, db_conn *c, work_cal_cache *cc, const req_summary *r,
                        int64_t now, int64_t me)
{
    const char *label, *cls;
    work_deadline_words(rq, c, cc, r->unit_code, r->due_at, (int)r->bucket, now, &label, &cls);
    if (r->bucket == REQ_NO_DEADLINE && r->status && strcmp(r->status, "selesai") == 0)
        label = http_t(rq, "Ready to hand over");
    else if (r->bucket == REQ_NO_DEADLINE && r->status && strcmp(r->status, "dikirim") == 0)
        label = http_t(rq, "With the courier");
    char shown[TRK_SHOWN + 1];
    trk_format(r->code, shown);
    json_t *row =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "code", shown, "href",
                  arena_printf(rq->a, "/petugas/%s", r->code), "service", r->service_name, "point",
                  r->unit_name, "status", req_status_label(rq, r->status), "deadline", label, "cls",
                  cls, "due", r->due_at ? work_time(rq, r->due_at) : "", "nik",
                  r->nik_masked ? r->nik_masked : "", "channel", req_channel_label(rq, r->channel),
                  "mine", r->claimed_by == me, "submitted", work_time(rq, r->submitted_at));
    if (r->claimed_by)
        json_object_set_new(row, "claimed",
                            json_string(r->claimed_by_name ? r->claimed_by_name : "?"));
    return row;
}

int work_page_list(http_req *rq)
{
    app *ap = app_of(rq);
    db_conn *c = db_acquire(ap->db);
    if (!c) return 503;
    int64_t now = app_now(), me = rq->who.user_id;
    int64_t *roots;
    size_t nroots, nall;
    req_summary *all;
    if (work_open_in_scope(rq, c, now, &roots, &nroots, &all, &nall) != DB_OK) {
        db_release(c);
        return 503;
    }

    const char *tab_p = http_param_c(rq, "tab"), *pt = http_param_c(rq, "titik"),
               *sv = http_param_c(rq, "layanan"), *stp = http_param_c(rq, "status");
    if (pt && !*pt) pt = NULL;
    if (sv && !*sv) sv = NULL;
    if (stp && !*stp) stp = NULL;
    int tab = 0;
    for (int i = 0; tab_p && i < WORK_TABS; i++)
        if (strcmp(tab_p, work_tab_codes[i]) == 0) tab = i;
    long page = 1;
    str hp = http_param(rq, "halaman");
    if (hp.p) str_to_long(hp, 1, 100000, &page);

    /* the filter choices and the tab counts from the whole list (totals, not one page) */
    json_t *points = json_array(), *services = json_array(), *statuses = json_array(),
           *rows = json_array();
    int counts[6] = {0};
    for (size_t i = 0; i < nall; i++) {
        req_summary *r = &all[i];
        if (!seen(points, r->unit_code))
            json_array_append_new(points, json_pack("{s:s,s:s,s:b}", "code", r->unit_code, "name",
                                                    r->unit_name, "selected",
                                                    pt && strcmp(pt, r->unit_code) == 0));
        if (!seen(services, r->service_code))
            json_array_append_new(services, json_pack("{s:s,s:s,s:b}", "code", r->service_code,
                                                      "name", r->service_name, "selected",
                                                      sv && strcmp(sv, r->service_code) == 0));
        if (!seen(statuses, r->status))
            json_array_append_new(statuses, json_pack("{s:s,s:s,s:b}", "code", r->status, "name",
                                                      req_status_label(rq, r->status), "selected",
                                                      stp && strcmp(stp, r->status) == 0));
        if (!work_matches(r, pt, sv, stp)) continue;
        for (int t = 0; t < 5; t++)
            if (work_in_tab(t, r, me)) counts[t]++;
    }
    /* this tab's page: a page past the end shows the last one */
    int pages = 1;
    if (tab != 5) {
        pages = counts[tab] > 0 ? (counts[tab] + WORK_PAGE - 1) / WORK_PAGE : 1;
        if (page > pages) page = pages;
        size_t first = (size_t)(page - 1) * WORK_PAGE, k = 0;
        work_cal_cache *cc = work_cal_new(rq->a);
        for (size_t i = 0; i < nall && json_array_size(rows) < WORK_PAGE; i++) {
            const req_summary *r = &all[i];
            if (!work_matches(r, pt, sv, stp) || !work_in_tab(tab, r, me)) continue;
            if (k++ < first) continue;
            json_array_append_new(rows, row_json(rq, c, cc, r, now, me));
        }
    } else {
        page = 1;
    }
    json_t *visits = visits_json(rq, c, roots, nroots, now, &counts[5]);
    db_release(c);

    json_t *tabs = json_array();
    for (int t = 0; t < 6; t++)
        json_array_append_new(
            tabs, json_pack("{s:s,s:s,s:i,s:b}", "href", list_href(rq, t, pt, sv, stp, 1), "label",
                            http_t(rq, tab_labels[t]), "count", counts[t], "current", t == tab));
    json_t *ctx = json_object();
    if (pages > 1) {
        json_t *pager = json_pack(
            "{s:s,s:s,s:i,s:i}", "label",
            arena_printf(rq->a, http_t(rq, "Page %d of %d"), (int)page, pages), "href",
            list_href(rq, tab, pt, sv, stp, (int)page), "page", (int)page, "pages", pages);
        if (page > 1)
            json_object_set_new(pager, "prev",
                                json_string(list_href(rq, tab, pt, sv, stp, (int)page - 1)));
        if (page < pages)
            json_object_set_new(pager, "next",
                                json_string(list_href(rq, tab, pt, sv, stp, (int)page + 1)));
        json_object_set_new(ctx, "pager", pager);
    }
    json_object_set_new(ctx, "rows", rows);
    json_object_set_new(ctx, "tabs", tabs);
    json_object_set_new(ctx, "points", points);
    json_object_set_new(ctx, "services", services);
    json_object_set_new(ctx, "statuses", statuses);
    json_object_set_new(ctx, "tab", json_string(work_tab_codes[tab]));
    json_object_set_new(ctx, "visits_tab", json_boolean(tab == 5));
    json_object_set_new(ctx, "visits", visits);
    json_object_set_new(ctx, "heads", json_boolean((rq->who.roles & WORK_HEADS) != 0));
    json_object_set_new(ctx, "nav_list", json_true());
    json_object_set_new(ctx, "filtered", json_boolean(pt || sv || stp));
    return http_page(rq, 200, "requests/work_list", ctx);
}

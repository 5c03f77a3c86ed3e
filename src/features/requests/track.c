/* track: where a request stands, for anyone holding its tracking code. /lacak asks for the code
 * (typed any way: lower case, spaces, dashes; a wrong check symbol is caught before any lookup,
 * so a mistyped code never shows someone else's request), /lacak/{code} shows the public view
 * (req_by_code: masked NIK, states and dates only, no name, no notes) and GET
 * /api/v1/requests/{code} gives the same as JSON.
 *
 * Caching: the page and the JSON are sent with Cache-Control: no-store (no shared cache keeps
 * them) and both paths are HR_SECRET_PATH (the access log writes the pattern, not the code).
 * Inside the server the JSON answer is kept for TRACK_TTL seconds per code and language, keyed
 * by req_generation(): a status change committed on this node drops every kept answer at once
 * (after the commit, so nobody refills it from the old rows); another node's change shows here
 * within TRACK_TTL, and so does "overdue" turning true at the deadline. A wrong code is never
 * kept. The page is not kept: it differs per visitor (the owner gets a link). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "features/app.h"
#include "features/requests/requests.h"
#include "features/requests/view.h"
#include "features/requests/web_api.h"
#include "features/requests/web_track.h"
#include "http/cache.h"

#define TRACK_TTL 2

const http_param_spec reqtrack_form_params[] = {{"kode", HP_STR, 0, 64, false}, {0}};
const http_param_spec reqtrack_code_params[] = {{"code", HP_STR, 1, 64, true}, {0}};

static int64_t iso(const char *s)
{
    return s ? app_parse_iso(str_c(s)) : -1;
}

/* "Senin, 3 Maret 2026" for an instant, in the service point's time zone */
static const char *local_date(http_req *rq, int64_t t, int tz_offset_min)
{
    int64_t lt = t + (int64_t)tz_offset_min * 60;
    int64_t days = lt >= 0 ? lt / 86400 : -((-lt + 86399) / 86400);
    char ymd[16];
    cal_date_format(cal_civil_from_days(days), ymd, sizeof ymd);
    return app_fmt_date(rq, arena_strdup(rq->a, ymd));
}

/* the deadline as people read it: a date for a limit in days (it is the close of that day), a
 * date and time for a limit in hours */
static const char *due_words(http_req *rq, const req_view *v, int64_t due)
{
    bool hours = v->time_limit_unit && strcmp(v->time_limit_unit, "hours") == 0;
    return hours ? app_fmt_time(rq, due) : local_date(rq, due, v->tz_offset_min);
}

json_t *reqtrack_view_json(http_req *rq, const req_view *v, bool with_notes)
{
    int64_t now = app_now(), due = iso(v->due_at);
    const char *label = req_status_label(rq, v->status);
    const char *last_at = v->nevents ? v->events[v->nevents - 1].at : v->submitted_at;
    const char *since = local_date(rq, iso(last_at), v->tz_offset_min);
    bool waiting = v->paused_since != NULL && !v->finished;
    bool overdue = !v->finished && !waiting && due >= 0 && due < now;
    /* "Being processed since ..." while it moves; "Cancelled on ..." once it stopped */
    const char *headline = v->finished
                               ? arena_printf(rq->a, http_t(rq, "%s on %s"), label, since)
                               : arena_printf(rq->a, http_t(rq, "%s since %s"), label, since);
    const char *due_line = NULL, *state_class = "ok";
    if (v->finished) {
        state_class = v->cancelled ? "cancelled" : "done";
        if (!v->cancelled && strcmp(v->status, "ditolak") != 0)
            due_line = v->on_time ? http_t(rq, "Finished on time.")
                                  : http_t(rq, "Finished later than promised.");
    } else if (waiting) {
        state_class = "waiting";
        due_line = http_t(rq, "The deadline is on hold until the correction is sent.");
    } else if (overdue) {
        state_class = "overdue";
        due_line = arena_printf(rq->a, http_t(rq, "Late: it should have been finished by %s."),
                                due_words(rq, v, due));
    } else if (due >= 0) {
        headline = arena_printf(rq->a, http_t(rq, "%s · expected to be finished %s"), headline,
                                due_words(rq, v, due));
    }
    char shown[TRK_SHOWN + 1];
    trk_format(v->code, shown);
    json_t *hist = json_array();
    for (size_t i = v->nevents; i-- > 0;) { /* newest first */
        const req_event *e = &v->events[i];
        int64_t at = iso(e->at);
        json_t *h = json_pack("{s:s,s:s,s:s,s:s}", "sentence", req_status_sentence(rq, e->to),
                              "label", req_status_label(rq, e->to), "status", e->to, "at",
                              at >= 0 ? app_fmt_time(rq, at) : "");
        if (with_notes && e->note && *e->note) json_object_set_new(h, "note", json_string(e->note));
        if (with_notes && e->role && strcmp(e->role, "citizen") == 0)
            json_object_set_new(h, "by_you", json_true());
        json_array_append_new(hist, h);
    }
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s*,s:s,s:b,s:b,s:b,s:s*,s:s,s:o}", "code",
                     v->code, "shown", shown, "service", v->service_name, "unit", v->unit_name,
                     "status", v->status, "status_label", label, "headline", headline,
                     "state_class", state_class, "due_line", due_line, "submitted",
                     app_fmt_time(rq, iso(v->submitted_at)), "overdue", overdue, "waiting", waiting,
                     "finished", v->finished, "nik_masked", v->nik_masked, "due",
                     waiting    ? http_t(rq, "On hold until the correction is sent")
                     : due >= 0 ? due_words(rq, v, due)
                                : http_t(rq, "Not set yet"),
                     "history", hist);
}

/* the server already marks answers to signed-in callers private, no-store */
static void no_store(http_req *rq)
{
    if (!rq->who.user_id && !rq->who.apikey_id) http_header(rq, "Cache-Control", "no-store");
}

/* DB_OK, DB_DONE (unknown or mistyped), or an error */
static int lookup(http_req *rq, const char *typed, req_view *v)
{
    char code[TRK_LEN + 1];
    if (!typed || !trk_parse(typed, strlen(typed), code)) return DB_DONE;
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return DB_ERR;
    int r = req_by_code(c, rq->a, code, v);
    db_release(c);
    return r;
}

static int form_page(http_req *rq, int status, const char *typed, bool bad)
{
    json_t *ctx = json_pack("{s:s*}", "kode", typed);
    if (bad) {
        const char *msg = http_t(rq, "Code not recognised; check it again. It has 10 letters and "
                                     "numbers, for example 7KQ3-M9TX-4S.");
        json_object_set_new(ctx, "has_errors", json_true());
        json_object_set_new(ctx, "errors", json_pack("[{s:s,s:s}]", "href", "#kode", "text", msg));
        json_object_set_new(ctx, "err", json_pack("{s:s}", "kode", msg));
    }
    no_store(rq);
    return http_page(rq, status, "requests/track_form", ctx);
}

int reqtrack_page_form(http_req *rq)
{
    const char *typed = http_param_c(rq, "kode");
    if (!typed || !*typed) return form_page(rq, 200, NULL, false);
    char code[TRK_LEN + 1];
    req_view v;
    int r = lookup(rq, typed, &v);
    if (r != DB_OK && r != DB_DONE) return 503;
    if (r == DB_DONE || !trk_parse(typed, strlen(typed), code))
        return form_page(rq, 200, typed, true);
    return http_redirect(rq, 303, arena_printf(rq->a, "/lacak/%s", code));
}

int reqtrack_page_view(http_req *rq)
{
    const char *typed = http_param_c(rq, "code");
    req_view v;
    int r = lookup(rq, typed, &v);
    if (r == DB_DONE) return form_page(rq, 404, typed, true);
    if (r != DB_OK) return 503;
    json_t *ctx = json_pack("{s:o}", "t", reqtrack_view_json(rq, &v, false));
    /* the owner signed in gets a way to their full page */
    if (rq->who.user_id && v.applicant_id == rq->who.user_id)
        json_object_set_new(ctx, "mine", json_true());
    no_store(rq);
    return http_page(rq, 200, "requests/track", ctx);
}

static int api_build(http_req *rq, const char *typed)
{
    req_view v;
    int r = lookup(rq, typed, &v);
    if (r == DB_DONE) return http_error(rq, 404, "No request has this tracking code.");
    if (r != DB_OK) return 503;
    char shown[TRK_SHOWN + 1];
    trk_format(v.code, shown);
    int64_t now = app_now(), due = iso(v.due_at);
    bool waiting = v.paused_since != NULL && !v.finished;
    json_t *hist = json_array();
    for (size_t i = 0; i < v.nevents; i++)
        json_array_append_new(
            hist, json_pack("{s:s*,s:s,s:s,s:s,s:s*}", "from", v.events[i].from, "status",
                            v.events[i].to, "label", req_status_label(rq, v.events[i].to),
                            "sentence", req_status_sentence(rq, v.events[i].to), "at",
                            reqapi_local_iso(rq->a, v.events[i].at, v.tz_offset_min)));
    json_t *o =
        json_pack("{s:s,s:s,s:{s:s,s:s},s:{s:s,s:s},s:s,s:s,s:s*,s:s*,s:s*,s:b,s:b,s:b,s:s*,s:o}",
                  "code", v.code, "code_shown", shown, "service", "code", v.service_code, "name",
                  v.service_name, "service_point", "code", v.unit_code, "name", v.unit_name,
                  "status", v.status, "status_label", req_status_label(rq, v.status),
                  "submitted_at", reqapi_local_iso(rq->a, v.submitted_at, v.tz_offset_min),
                  "due_at", reqapi_local_iso(rq->a, v.due_at, v.tz_offset_min), "finished_at",
                  reqapi_local_iso(rq->a, v.finished_at, v.tz_offset_min), "finished", v.finished,
                  "waiting_for_applicant", waiting, "overdue",
                  !v.finished && !waiting && due >= 0 && due < now, "nik_masked", v.nik_masked,
                  "history", hist);
    if (v.finished && !v.cancelled) json_object_set_new(o, "on_time", json_boolean(v.on_time));
    return http_json(rq, 200, o);
}

static resp_cache *cache;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_init(void)
{
    cache = resp_cache_new(4096, 16u << 20);
}

static double mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int reqtrack_api_get(http_req *rq)
{
    const char *typed = http_param_c(rq, "code");
    char code[TRK_LEN + 1];
    if (!typed || !trk_parse(typed, strlen(typed), code))
        return http_error(rq, 404, "No request has this tracking code.");
    pthread_once(&cache_once, cache_init);
    no_store(rq);
    /* the generation is read before the rows: a change committed in between gets a new key */
    const char *key = arena_printf(rq->a, "%u|%s|%s", req_generation(), rq->lang, code);
    double now = mono_now();
    const char *ct = NULL;
    if (resp_cache_get(cache, str_c(key), now, &rq->out, &ct)) {
        rq->status = 200;
        rq->ctype = ct;
        return 0;
    }
    int st = api_build(rq, code);
    if (st == 0 && rq->status == 200 && rq->ctype)
        resp_cache_put(cache, str_c(key), now, TRACK_TTL, buf_str(&rq->out), rq->ctype);
    return st;
}

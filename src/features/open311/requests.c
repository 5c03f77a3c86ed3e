/* open311 requests: GeoReport v2 POST requests (filing with an API key) and GET requests (the
 * public status of requests: no personal data). The filing is the JSON API's
 * (requests/web_api.h reqapi_submit); answers are one jansson tree written as JSON or XML
 * (xml.c), so both formats carry the same data. See docs/api.md. */
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/open311/open311.h"
#include "features/requests/machine.h"
#include "features/requests/view.h"
#include "features/requests/web_api.h"
#include "features/services/services.h"

const http_param_spec open311_post_params[] = {
    {"api_key", HP_STR, 0, 100, false},      {"jurisdiction_id", HP_STR, 0, 100, false},
    {"service_code", HP_STR, 0, 100, false}, {"lat", HP_STR, 0, 32, false},
    {"long", HP_STR, 0, 32, false},          {"address_string", HP_STR, 0, 500, false},
    {"address", HP_STR, 0, 500, false},      {"address_id", HP_STR, 0, 100, false},
    {"email", HP_STR, 0, 254, false},        {"device_id", HP_STR, 0, 100, false},
    {"account_id", HP_STR, 0, 100, false},   {"first_name", HP_STR, 0, 100, false},
    {"last_name", HP_STR, 0, 100, false},    {"phone", HP_STR, 0, 32, false},
    {"description", HP_STR, 0, 4000, false}, {"media_url", HP_STR, 0, 2000, false},
    {"attribute[*", HP_STR, 0, 1000, false}, {NULL, 0, 0, 0, false},
};
const http_param_spec open311_list_params[] = {
    {"jurisdiction_id", HP_STR, 0, 100, false},
    {"service_request_id", HP_STR, 1, 2000, false},
    {"service_code", HP_STR, 1, 100, false},
    {"start_date", HP_STR, 1, 40, false},
    {"end_date", HP_STR, 1, 40, false},
    {"status", HP_STR, 1, 20, false},
    {"page", HP_INT, 1, 100000, false},
    {"page_size", HP_INT, 1, 1000, false},
    {NULL, 0, 0, 0, false},
};
const http_param_spec open311_request_params[] = {
    {"request", HP_STR, 1, 100, true},
    {"jurisdiction_id", HP_STR, 0, 100, false},
    {NULL, 0, 0, 0, false},
};

#define WINDOW_DAYS 90
#define MAX_RESULTS 1000

static int unavailable(http_req *rq, enum open311_fmt f)
{
    return open311_error(
        rq, f, 503,
        http_t(rq, "The service is temporarily unavailable. Please try again in a few minutes."));
}

static const char *param_or_null(http_req *rq, const char *name)
{
    const char *v = http_param_c(rq, name);
    return v && *v ? v : NULL;
}

/* attribute[CODE]=v and attribute[CODE][]=v (a multivaluelist) into {CODE: v | [v...]} */
static json_t *attributes(http_req *rq, const char **idem)
{
    json_t *o = json_object();
    for (size_t i = 0; i < rq->form.n; i++) {
        str k = rq->form.items[i].name, v = rq->form.items[i].value;
        if (k.n < 12 || memcmp(k.p, "attribute[", 10) != 0) continue;
        bool multi = k.n > 13 && memcmp(k.p + k.n - 3, "][]", 3) == 0;
        size_t cn = k.n - 11 - (multi ? 2 : 0);
        if (k.p[10 + cn] != ']') continue;
        const char *code = arena_strndup(rq->a, k.p + 10, cn);
        const char *val = arena_strndup(rq->a, v.p ? v.p : "", v.n);
        if (strcmp(code, "idempotency_key") == 0) {
            *idem = val;
            continue;
        }
        if (multi) {
            json_t *a = json_object_get(o, code);
            if (!json_is_array(a)) {
                a = json_array();
                json_object_set_new(o, code, a);
            }
            json_array_append_new(a, json_string(val));
        } else {
            json_object_set_new(o, code, json_string(val));
        }
    }
    return o;
}

static int post_requests(http_req *rq)
{
    enum open311_fmt f = open311_fmt_of(rq->path);
    if (open311_check_jurisdiction(rq, f)) return 0;
    app *ap = app_of(rq);
    int64_t key_id = rq->who.apikey_id, key_unit = rq->who.apikey_unit;
    str key = http_param(rq, "api_key");
    if (key.p) {
        db_conn *c = db_acquire(ap->db);
        if (!c) return unavailable(rq, f);
        int r = reqm_apikey(c, key, &key_id, &key_unit);
        db_release(c);
        if (r == DB_DONE) key_id = 0;
        else if (r != DB_OK) return unavailable(rq, f);
    }
    if (key_id <= 0)
        return open311_error(rq, f, 403,
                             http_t(rq, "api_key is missing or not valid. Ask the administrator of "
                                        "this installation for an API key."));
    const char *idem = NULL;
    str hk = http_header_in(rq, "Idempotency-Key");
    if (hk.p) idem = arena_strndup(rq->a, hk.p, hk.n);
    json_t *attrs = attributes(rq, &idem);
    json_t *extra = json_object();
    static const char *const kept[] = {"description", "email", "lat", "long", "device_id", NULL};
    for (const char *const *k = kept; *k; k++) {
        const char *v = param_or_null(rq, *k);
        if (v) json_object_set_new(extra, *k, json_string(v));
    }
    const char *first = param_or_null(rq, "first_name"), *last = param_or_null(rq, "last_name");
    const char *name = first && last ? arena_printf(rq->a, "%s %s", first, last)
                       : first       ? first
                                     : last;
    const char *address = param_or_null(rq, "address_string");
    if (!address) address = param_or_null(rq, "address");
    const char *nik = json_string_value(json_object_get(attrs, "nik"));
    const char *kk = json_string_value(json_object_get(attrs, "no_kk"));
    const char *delivery = json_string_value(json_object_get(attrs, "delivery"));
    if (!nik && json_object_get(attrs, "nik")) nik = "";
    reqapi_sub s = {.open311 = true,
                    .service_code = param_or_null(rq, "service_code"),
                    .api_key_id = key_id,
                    .key_unit = key_unit,
                    .nik = nik ? arena_strdup(rq->a, nik) : NULL,
                    .kk = kk ? arena_strdup(rq->a, kk) : NULL,
                    .delivery = delivery ? arena_strdup(rq->a, delivery) : NULL,
                    .name = name,
                    .phone = param_or_null(rq, "phone"),
                    .address = address,
                    .extra = extra,
                    .idempotency_key = idem};
    json_object_del(attrs, "nik");
    json_object_del(attrs, "no_kk");
    json_object_del(attrs, "delivery");
    s.fields = attrs;
    reqapi_res res;
    reqapi_submit(rq, &s, &res);
    json_decref(attrs);
    json_decref(extra);
    if (res.status != 200 && res.status != 201)
        return open311_error(rq, f, res.status, res.message);
    char shown[TRK_SHOWN + 1];
    trk_format(res.created.code, shown);
    const char *due = reqapi_local_instant(rq->a, res.created.due, res.tz_offset_min);
    const char *notice =
        due ? arena_printf(rq->a,
                           http_t(rq, "Your request was received. It is expected to be finished "
                                      "by %s (the service standard's time limit)."),
                           due)
            : http_t(rq, "Your request was received.");
    json_t *v = json_pack("[{s:s,s:s,s:n}]", "service_request_id", shown, "service_notice", notice,
                          "account_id");
    return open311_answer(rq, f, res.status, v, "service_requests");
}

/* one request as GeoReport v2 describes it: status only, nothing about the applicant */
static json_t *request_json(http_req *rq, const reqm_row *w)
{
    char shown[TRK_SHOWN + 1];
    trk_format(w->code, shown);
    const char *req = reqapi_local_iso(rq->a, w->submitted_at, w->tz_offset_min);
    const char *upd = reqapi_local_iso(rq->a, w->updated_at, w->tz_offset_min);
    const char *due = reqapi_local_iso(rq->a, w->due_at, w->tz_offset_min);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:n,s:n}", "service_request_id", shown,
                     "status", w->finished_at ? "closed" : "open", "status_notes",
                     req_status_sentence(rq, w->status), "service_name", w->service_name,
                     "service_code", w->service_code, "agency_responsible", w->unit_name,
                     "requested_datetime", req ? req : "", "updated_datetime",
                     upd ? json_string(upd) : json_null(), "expected_datetime",
                     due ? json_string(due) : json_null(), "address_id", "media_url");
}

static int list_answer(http_req *rq, enum open311_fmt f, const reqm_filter *flt)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return unavailable(rq, f);
    reqm_row *rows = NULL;
    size_t n = 0;
    int r = reqm_list(c, rq->a, flt, &rows, &n);
    db_release(c);
    if (r != DB_OK) return unavailable(rq, f);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, request_json(rq, &rows[i]));
    return open311_answer(rq, f, 200, arr, "service_requests");
}

static int bad_date(http_req *rq, enum open311_fmt f, const char *name)
{
    return open311_error(rq, f, 400,
                         arena_printf(rq->a,
                                      http_t(rq, "%s must be a date and time in ISO 8601 with its "
                                                 "zone, e.g. 2026-03-04T16:00:00+07:00."),
                                      name));
}

static int get_requests(http_req *rq)
{
    enum open311_fmt f = open311_fmt_of(rq->path);
    if (open311_check_jurisdiction(rq, f)) return 0;
    app *ap = app_of(rq);
    reqm_filter flt = {.open = -1, .limit = MAX_RESULTS};
    long page = 1, size = MAX_RESULTS;
    str p = http_param(rq, "page"), ps = http_param(rq, "page_size");
    if (p.p) str_to_long(p, 1, 100000, &page);
    if (ps.p) str_to_long(ps, 1, MAX_RESULTS, &size);
    flt.limit = (int)size;
    flt.offset = (int)((page - 1) * size);
    const char *ids = http_param_c(rq, "service_request_id");
    if (ids) {
        /* a comma list of tracking codes: the other filters do not apply (as the spec says) */
        const char **codes = arena_alloc(rq->a, REQM_MAX_CODES * sizeof *codes);
        size_t n = 0;
        for (const char *q = ids; *q && n < REQM_MAX_CODES;) {
            const char *comma = strchr(q, ',');
            size_t len = comma ? (size_t)(comma - q) : strlen(q);
            char code[TRK_LEN + 1];
            if (trk_parse(q, len, code)) codes[n++] = arena_strdup(rq->a, code);
            q += len + (comma ? 1 : 0);
        }
        if (!n) return open311_answer(rq, f, 200, json_array(), "service_requests");
        flt.codes = codes;
        flt.ncodes = n;
        return list_answer(rq, f, &flt);
    }
    const char *status = http_param_c(rq, "status");
    if (status) {
        bool o = strstr(status, "open") != NULL, cl = strstr(status, "closed") != NULL;
        for (const char *q = status; *q; q++)
            if (!strchr("openclosd, ", *q)) o = cl = false;
        if (!o && !cl)
            return open311_error(rq, f, 400, http_t(rq, "status must be open, closed or both."));
        flt.open = o && cl ? -1 : o ? 1 : 0;
    }
    int64_t start = -1, end = -1;
    str sd = http_param(rq, "start_date"), ed = http_param(rq, "end_date");
    if (sd.p && (start = reqapi_parse_time(sd, ap->tz_offset_min)) < 0)
        return bad_date(rq, f, "start_date");
    if (ed.p && (end = reqapi_parse_time(ed, ap->tz_offset_min)) < 0)
        return bad_date(rq, f, "end_date");
    if (end < 0) end = start < 0 ? app_now() + 1 : start + (int64_t)WINDOW_DAYS * 86400;
    if (start < 0) start = end - (int64_t)WINDOW_DAYS * 86400;
    if (end < start)
        return open311_error(rq, f, 400, http_t(rq, "end_date must not be before start_date."));
    char from[21], to[21];
    acct_iso(start, from);
    acct_iso(end, to);
    flt.from = from;
    flt.to = to;
    const char *svc = http_param_c(rq, "service_code");
    if (svc) {
        db_conn *c = db_acquire(ap->db);
        if (!c) return unavailable(rq, f);
        service sv;
        int r = svc_get(c, rq->a, str_c(svc), &sv);
        db_release(c);
        if (r == DB_DONE)
            return open311_error(rq, f, 404, http_t(rq, "There is no service with this code."));
        if (r != DB_OK) return unavailable(rq, f);
        flt.service_id = sv.id;
    }
    return list_answer(rq, f, &flt);
}

int open311_requests(http_req *rq)
{
    return rq->method == HTTP_POST ? post_requests(rq) : get_requests(rq);
}

int open311_request(http_req *rq)
{
    str id = http_param(rq, "request");
    enum open311_fmt f = open311_fmt_of(id);
    if (open311_check_jurisdiction(rq, f)) return 0;
    const char *none = http_t(rq, "There is no request with this number.");
    if (f == O311_NONE) return open311_error(rq, O311_JSON, 404, none);
    char code[TRK_LEN + 1];
    if (!trk_parse(id.p, id.n - (f == O311_JSON ? 5 : 4), code))
        return open311_error(rq, f, 404, none);
    const char *codes[1] = {code};
    reqm_filter flt = {.codes = codes, .ncodes = 1, .open = -1, .limit = 1};
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return unavailable(rq, f);
    reqm_row *rows = NULL;
    size_t n = 0;
    int r = reqm_list(c, rq->a, &flt, &rows, &n);
    db_release(c);
    if (r != DB_OK) return unavailable(rq, f);
    if (!n) return open311_error(rq, f, 404, none);
    json_t *arr = json_array();
    json_array_append_new(arr, request_json(rq, &rows[0]));
    return open311_answer(rq, f, 200, arr, "service_requests");
}

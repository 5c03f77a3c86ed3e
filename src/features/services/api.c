/* services api: GET /api/v1/services[/{code}[/standards[/{version}]|/standard]] as JSON, the
 * OpenAPI document, and the per-node cache of catalogue reads (see api.h). Only the 6
 * service-delivery components are published; the 8 manufacturing ones are internal. */
#include "features/services/api.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "db/refdata.h"
#include "features/app.h"
#include "features/services/services.h"
#include "features/units/units.h"
#include "http/cache.h"
#include "lib/json.h"

/* the OpenAPI document, embedded from docs/openapi.json at build time (module.cmake) */
str svc_openapi_doc(void);

const http_param_spec svc_api_list_params[] = {
    {"event", HP_CODE, 1, 40, false},
    {"unit", HP_CODE, 1, 64, false},
    {"q", HP_STR, 0, 100, false},
    {NULL, 0, 0, 0, false},
};
const http_param_spec svc_api_code_params[] = {
    {"code", HP_CODE, 1, 64, true},
    {NULL, 0, 0, 0, false},
};
const http_param_spec svc_api_version_params[] = {
    {"code", HP_CODE, 1, 64, true},
    {"version", HP_INT, 1, 1000000, true},
    {NULL, 0, 0, 0, false},
};
const http_param_spec svc_api_on_params[] = {
    {"code", HP_CODE, 1, 64, true},
    {"on", HP_STR, 10, 10, false},
    {NULL, 0, 0, 0, false},
};

/* ---- the catalogue cache ---- */

static resp_cache *cache;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static atomic_uint generation;

static void cache_init(void)
{
    cache = resp_cache_new(1024, 32u << 20);
}

void svc_api_invalidate(void)
{
    atomic_fetch_add(&generation, 1);
    http_cache_changed(); /* the home, unit and service pages show the catalogue too */
}

unsigned svc_api_generation(void)
{
    return atomic_load(&generation);
}

static double mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* "gen|lang|/path?a=1&b=2" (the query as parsed: the router has validated every name) */
static str cache_key(http_req *rq)
{
    unsigned gen = atomic_load(&generation);
    if (!rq->query.n) {
        const char *k = arena_printf(rq->a, "%u|%s|%.*s", gen, rq->lang, STR_FMT(rq->path));
        return str_c(k);
    }
    buf k;
    buf_init(&k, 4096);
    buf_printf(&k, "%u|%s|%.*s", gen, rq->lang, STR_FMT(rq->path));
    for (size_t i = 0; i < rq->query.n; i++)
        buf_printf(&k, "%c%.*s=%.*s", i ? '&' : '?', STR_FMT(rq->query.items[i].name),
                   STR_FMT(rq->query.items[i].value));
    str s = {arena_strndup(rq->a, k.p ? k.p : "", k.n), k.n};
    buf_free(&k);
    return s;
}

/* If-None-Match: "*" or a list of tags; weak comparison, as RFC 9110 says for it */
static bool etag_matches(http_req *rq, str etag)
{
    str h = http_header_in(rq, "If-None-Match");
    if (!h.p) return false;
    while (h.n) {
        h = str_trim(h);
        const char *comma = memchr(h.p, ',', h.n);
        str one = str_trim((str){h.p, comma ? (size_t)(comma - h.p) : h.n});
        if (one.n >= 2 && one.p[0] == 'W' && one.p[1] == '/') one = (str){one.p + 2, one.n - 2};
        if (str_eq_c(one, "*") || str_eq(one, etag)) return true;
        if (!comma) break;
        h = (str){comma + 1, h.n - (size_t)(comma + 1 - h.p)};
    }
    return false;
}

/* rq->out holds the body and rq->status 200: tag it, and turn it into 304 when the client has
 * it already */
static void answer_tagged(http_req *rq, str etag)
{
    http_header(rq, "ETag", arena_strndup(rq->a, etag.p, etag.n));
    if (etag_matches(rq, etag)) {
        buf_reset(&rq->out);
        rq->status = 304;
    }
}

#define ETAG_LEN 34 /* '"' + 32 hex + '"' */

int svc_api_cached(http_req *rq, int (*build)(http_req *rq))
{
    pthread_once(&cache_once, cache_init);
    str key = cache_key(rq);
    double now = mono_now();
    const char *ct = NULL;
    /* an entry is the body followed by its tag */
    if (resp_cache_get(cache, key, now, &rq->out, &ct) && rq->out.n >= ETAG_LEN) {
        rq->out.n -= ETAG_LEN;
        char *tag = arena_strndup(rq->a, rq->out.p + rq->out.n, ETAG_LEN);
        rq->out.p[rq->out.n] = 0;
        rq->status = 200;
        rq->ctype = ct;
        answer_tagged(rq, (str){tag, ETAG_LEN});
        return 0;
    }
    int st = build(rq);
    if (st || rq->status != 200 || !rq->ctype) return st;
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)rq->out.p, rq->out.n, NULL, 0);
    char tag[ETAG_LEN + 1];
    tag[0] = '"';
    sodium_bin2hex(tag + 1, 33, h, sizeof h);
    tag[33] = '"';
    tag[34] = 0;
    size_t n = rq->out.n;
    /* the tag rides behind the body in rq->out just long enough to store both at once */
    if (buf_put(&rq->out, tag, ETAG_LEN) == 0) {
        resp_cache_put(cache, key, now, SVC_API_TTL, buf_str(&rq->out), rq->ctype);
        rq->out.n = n;
        rq->out.p[n] = 0;
    }
    answer_tagged(rq, (str){arena_strndup(rq->a, tag, ETAG_LEN), ETAG_LEN});
    return 0;
}

/* ---- helpers ---- */

void svc_api_today(http_req *rq, char out[11])
{
    time_t t = (time_t)(app_now() + (int64_t)app_of(rq)->tz_offset_min * 60);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* YYYY-MM-DD of a real day */
static bool valid_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
    return true;
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static const char *base_url(http_req *rq)
{
    const char *b = app_of(rq)->cfg->base_url;
    size_t n = strlen(b);
    while (n && b[n - 1] == '/')
        n--;
    return arena_strndup(rq->a, b, n);
}

static const char *hm(arena *a, int min)
{
    return arena_printf(a, "%02d:%02d", min / 60, min % 60);
}

static json_t *service_json(http_req *rq, const service *s)
{
    json_t *ev = json_array();
    for (size_t i = 0; i < s->nevents; i++)
        json_array_append_new(ev, json_string(s->events[i]));
    const char *b = base_url(rq);
    return json_pack("{s:s,s:s,s:s,s:s,s:o,s:s,s:b,s:s,s:s}", "code", s->code, "name", s->name,
                     "summary", s->summary ? s->summary : "", "category",
                     s->category ? s->category : "", "events", ev, "owner_unit",
                     s->owner_code ? s->owner_code : "", "free_by_law", s->free_by_law, "url",
                     arena_printf(rq->a, "%s/layanan/%s", b, s->code), "api_url",
                     arena_printf(rq->a, "%s/api/v1/services/%s", b, s->code));
}

static json_t *time_limit_json(int value, const char *tunit)
{
    return json_pack("{s:i,s:s}", "value", value, "unit", tunit ? tunit : "days");
}

/* the standard's metadata: what the version list shows */
static json_t *version_json(const svc_standard *st, bool in_force)
{
    return json_pack("{s:i,s:o,s:o,s:s,s:o,s:s,s:b}", "version", st->version, "decree_number",
                     str_or_null(st->decree_number), "decree_date", str_or_null(st->decree_date),
                     "effective_from", st->effective_from ? st->effective_from : "", "review_due",
                     str_or_null(st->review_due), "created_at",
                     st->created_at ? st->created_at : "", "in_force", in_force);
}

/* the standard with its 6 service-delivery components (the manufacturing ones are internal) */
static json_t *standard_json(const svc_standard *st)
{
    json_t *reqs = json_array();
    for (size_t i = 0; i < st->nreqs; i++) {
        const svc_requirement *r = &st->reqs[i];
        json_t *ft = json_array();
        const char *p = r->file_types ? r->file_types : "";
        while (*p) {
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (n) json_array_append_new(ft, json_stringn(p, n));
            p += n + (e ? 1 : 0);
        }
        json_t *cond = r->cond && *r->cond ? json_pack("{s:s,s:o}", "code", r->cond, "label",
                                                       str_or_null(r->cond_label))
                                           : json_null();
        json_array_append_new(reqs, json_pack("{s:i,s:s,s:s,s:b,s:b,s:o,s:o}", "position", r->pos,
                                              "doc_type", r->doc_type ? r->doc_type : "", "label",
                                              r->label ? r->label : "", "required", r->required,
                                              "original_shown", r->original_shown, "condition",
                                              cond, "file_types", ft));
    }
    json_t *steps = json_array();
    for (size_t i = 0; i < st->nsteps; i++)
        json_array_append_new(steps,
                              json_pack("{s:i,s:s,s:s}", "position", st->steps[i].pos, "actor",
                                        st->steps[i].actor ? st->steps[i].actor : "", "text",
                                        st->steps[i].text ? st->steps[i].text : ""));
    return json_pack("{s:i,s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:{s:I,s:o},s:o,s:o}", "version",
                     st->version, "decree_number", str_or_null(st->decree_number), "decree_date",
                     str_or_null(st->decree_date), "effective_from",
                     st->effective_from ? st->effective_from : "", "review_due",
                     str_or_null(st->review_due), "requirements", reqs, "steps", steps,
                     "time_limit", time_limit_json(st->time_limit_value, st->time_limit_unit),
                     "cost", "amount", (json_int_t)st->cost_amount, "note",
                     str_or_null(st->cost_note), "product", str_or_null(st->text[SVC_C_PRODUK]),
                     "complaint_channels", str_or_null(st->text[SVC_C_PENGADUAN]));
}

/* [weekday, opens, closes, break start, break end] in minutes; -1 = no break */
typedef int hours_row[5];

static json_t *hours_json(arena *a, int n, const hours_row *h)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_pack("{s:i,s:s,s:s}", "weekday", h[i][0], "opens", hm(a, h[i][1]),
                              "closes", hm(a, h[i][2]));
        if (h[i][3] >= 0 && h[i][4] > h[i][3]) {
            json_object_set_new(o, "break_start", json_string(hm(a, h[i][3])));
            json_object_set_new(o, "break_end", json_string(hm(a, h[i][4])));
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

/* where the service is offered: the local overrides, and the hours (the point's own, else the
 * unit's) */
static json_t *points_json(http_req *rq, const svc_point *ps, size_t np, const unit *us, size_t nu,
                           const svc_standard *st)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < np; i++) {
        const svc_point *p = &ps[i];
        hours_row h[7];
        int n = 0;
        const char *source = "service";
        if (p->nhours > 0) {
            for (int k = 0; k < p->nhours && k < 7; k++, n++) {
                h[n][0] = p->hours[k].weekday;
                h[n][1] = p->hours[k].opens_min;
                h[n][2] = p->hours[k].closes_min;
                h[n][3] = h[n][4] = -1;
            }
        } else {
            source = "unit";
            for (size_t u = 0; u < nu; u++)
                if (us[u].code && p->unit_code && strcmp(us[u].code, p->unit_code) == 0)
                    for (int k = 0; k < us[u].nhours && k < 7; k++, n++) {
                        h[n][0] = us[u].hours[k].weekday;
                        h[n][1] = us[u].hours[k].opens_min;
                        h[n][2] = us[u].hours[k].closes_min;
                        h[n][3] = us[u].hours[k].break_start_min;
                        h[n][4] = us[u].hours[k].break_end_min;
                    }
        }
        bool local = p->time_limit_value > 0;
        json_t *tl = local ? time_limit_json(p->time_limit_value, p->time_limit_unit)
                     : st  ? time_limit_json(st->time_limit_value, st->time_limit_unit)
                           : json_null();
        json_array_append_new(
            arr,
            json_pack(
                "{s:{s:s,s:s,s:s},s:o,s:b,s:o,s:o,s:o,s:s}", "unit", "code",
                p->unit_code ? p->unit_code : "", "name", p->unit_name ? p->unit_name : "", "type",
                p->unit_type ? p->unit_type : "", "time_limit", tl, "time_limit_local", local,
                "counters", p->counters >= 0 ? json_integer(p->counters) : json_null(), "note",
                str_or_null(p->note), "hours", hours_json(rq->a, n, h), "hours_from", source));
    }
    return arr;
}

/* the service named by {code}; 0 when found, else the status to answer */
static int load_service(http_req *rq, db_conn *c, service *s)
{
    int r = svc_get(c, rq->a, http_param(rq, "code"), s);
    if (r == DB_DONE || (r == DB_OK && !s->active)) return 404;
    return r == DB_OK ? 0 : 503;
}

/* ---- handlers ---- */

static int build_list(http_req *rq)
{
    app *a = app_of(rq);
    svc_filter f = {.q = http_param_c(rq, "q"),
                    .event = http_param_c(rq, "event"),
                    .unit = http_param_c(rq, "unit")};
    if (f.event && !svc_event_known(str_c(f.event)))
        return http_error(rq, 400, "There is no such life event.");
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    int st = 0;
    unit u;
    if (f.unit) {
        int r = units_get(c, rq->a, str_c(f.unit), &u);
        if (r == DB_DONE) {
            db_release(c);
            return http_error(rq, 400, "There is no unit with this code.");
        }
        if (r != DB_OK) st = 503;
    }
    service *ss = NULL;
    size_t n = 0;
    if (!st && svc_list(c, rq->a, &f, &ss, &n) != DB_OK) st = 503;
    db_release(c);
    if (st) return st;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, service_json(rq, &ss[i]));
    return http_json(rq, 200, json_pack("{s:o,s:i}", "services", arr, "count", (json_int_t)n));
}

static int build_get(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    char today[11];
    svc_api_today(rq, today);
    service s;
    svc_standard std;
    bool has_std = false;
    svc_point *ps = NULL;
    size_t np = 0, nu = 0;
    unit *us = NULL;
    unit owner = {0};
    int st = load_service(rq, c, &s);
    if (!st) {
        int r = svc_standard_at(c, rq->a, s.id, today, &std);
        if (r == DB_OK) has_std = true;
        else if (r != DB_DONE) st = 503;
    }
    if (!st && svc_points(c, rq->a, s.id, &ps, &np) != DB_OK) st = 503;
    if (!st && units_list(c, rq->a, &us, &nu) != DB_OK) st = 503;
    if (!st && s.owner_code && units_get(c, rq->a, str_c(s.owner_code), &owner) != DB_OK)
        owner.name = NULL;
    db_release(c);
    if (st) return st;
    json_t *o = service_json(rq, &s);
    json_object_set_new(o, "owner",
                        json_pack("{s:s,s:o}", "code", s.owner_code ? s.owner_code : "", "name",
                                  str_or_null(owner.name)));
    json_object_set_new(o, "standard", has_std ? standard_json(&std) : json_null());
    json_object_set_new(o, "points", points_json(rq, ps, np, us, nu, has_std ? &std : NULL));
    return http_json(rq, 200, o);
}

static int build_standards(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service s;
    svc_standard *v = NULL;
    size_t n = 0;
    int st = load_service(rq, c, &s);
    if (!st && svc_standard_versions(c, rq->a, s.id, &v, &n) != DB_OK) st = 503;
    db_release(c);
    if (st) return st;
    char today[11];
    svc_api_today(rq, today);
    /* newest first: the first one that has taken effect is the one in force today */
    json_t *arr = json_array();
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        bool now = !found && v[i].effective_from && strcmp(v[i].effective_from, today) <= 0;
        found = found || now;
        json_array_append_new(arr, version_json(&v[i], now));
    }
    return http_json(
        rq, 200,
        json_pack("{s:s,s:o,s:i}", "service", s.code, "versions", arr, "count", (json_int_t)n));
}

/* one standard in full: a version, or the one in force on a date */
static int build_one(http_req *rq, int version, const char *on)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service s;
    svc_standard std;
    int st = load_service(rq, c, &s);
    if (!st) {
        int r = version ? svc_standard_version(c, rq->a, s.id, version, &std)
                        : svc_standard_at(c, rq->a, s.id, on, &std);
        if (r == DB_DONE) st = 404;
        else if (r != DB_OK) st = 503;
    }
    db_release(c);
    if (st == 404 && !version)
        return http_error(rq, 404, "No standard of this service was in force on that date.");
    if (st) return st;
    json_t *o = standard_json(&std);
    json_object_set_new(o, "service", json_string(s.code));
    json_object_set_new(o, "created_at", json_string(std.created_at ? std.created_at : ""));
    json_object_set_new(o, "participation", str_or_null(std.participation));
    json_object_set_new(o, "change_note", str_or_null(std.change_note));
    return http_json(rq, 200, o);
}

static int build_version(http_req *rq)
{
    long v = 0;
    if (!str_to_long(http_param(rq, "version"), 1, 1000000, &v)) return 404;
    return build_one(rq, (int)v, NULL);
}

static int build_on(http_req *rq)
{
    const char *on = http_param_c(rq, "on");
    char today[11];
    if (!on) {
        svc_api_today(rq, today);
        on = today;
    } else if (!valid_date(on)) {
        return http_error(rq, 400, "The date must look like 2026-01-31.");
    }
    return build_one(rq, 0, on);
}

/* the embedded document with "servers" pointing at this installation */
static int build_openapi(http_req *rq)
{
    char err[200];
    json_t *doc = jsonw_parse(svc_openapi_doc(), 64, err, sizeof err);
    if (!doc) return 500;
    json_object_set_new(doc, "servers",
                        json_pack("[{s:s}]", "url", arena_printf(rq->a, "%s/", base_url(rq))));
    int r = http_json(rq, 200, doc);
    rq->ctype = "application/json";
    return r;
}

int svc_api_list(http_req *rq)
{
    return svc_api_cached(rq, build_list);
}
int svc_api_get(http_req *rq)
{
    return svc_api_cached(rq, build_get);
}
int svc_api_standards(http_req *rq)
{
    return svc_api_cached(rq, build_standards);
}
int svc_api_standard_ver(http_req *rq)
{
    return svc_api_cached(rq, build_version);
}
int svc_api_standard_on(http_req *rq)
{
    return svc_api_cached(rq, build_on);
}
int svc_api_openapi(http_req *rq)
{
    return svc_api_cached(rq, build_openapi);
}

/* requests api: /api/v1/requests (integrations with an API key) and the filing step shared with
 * the Open311 requests (see web_api.h). */
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/requests/catalog.h"
#include "features/requests/machine.h"
#include "features/requests/view.h"
#include "features/requests/web_api.h"
#include "features/services/api.h"
#include "features/services/services.h"
#include "lib/json.h"

const http_param_spec reqapi_list_params[] = {
    {"service", HP_CODE, 1, 64, false},
    {"status", HP_CODE, 1, 32, false},
    {"from", HP_STR, 1, 40, false},
    {"to", HP_STR, 1, 40, false},
    {"page", HP_INT, 1, 100000, false},
    {"page_size", HP_INT, 1, 1000, false},
    {NULL, 0, 0, 0, false},
};

/* ---- times ---- */

const char *reqapi_local_instant(arena *a, int64_t t, int tz)
{
    if (t < 0 || t == CAL_NEVER) return NULL;
    int64_t l = t + (int64_t)tz * 60;
    int64_t days = l / 86400, secs = l % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    cal_date d = cal_civil_from_days(days);
    int off = tz < 0 ? -tz : tz;
    return arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d.y, d.m, d.d,
                        (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
                        tz < 0 ? '-' : '+', off / 60, off % 60);
}

const char *reqapi_local_iso(arena *a, const char *utc_iso, int tz)
{
    if (!utc_iso) return NULL;
    int64_t t = app_parse_iso(str_c(utc_iso));
    return t < 0 ? NULL : reqapi_local_instant(a, t, tz);
}

static bool num(const char *p, size_t n, long lo, long hi, long *out)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return false;
    return str_to_long((str){p, n}, lo, hi, out);
}

int64_t reqapi_parse_time(str s, int tz)
{
    const char *p = s.p;
    long y, mo, d, h = 0, mi = 0, se = 0;
    if (!p || s.n < 10 || p[4] != '-' || p[7] != '-' || !num(p, 4, 1970, 9999, &y) ||
        !num(p + 5, 2, 1, 12, &mo) || !num(p + 8, 2, 1, 31, &d) ||
        !cal_date_valid((int)y, (int)mo, (int)d))
        return -1;
    int64_t days = cal_days_from_civil((int)y, (int)mo, (int)d);
    if (s.n == 10) return days * 86400 - (int64_t)tz * 60;
    if (s.n < 20 || (p[10] != 'T' && p[10] != 't') || p[13] != ':' || p[16] != ':' ||
        !num(p + 11, 2, 0, 23, &h) || !num(p + 14, 2, 0, 59, &mi) || !num(p + 17, 2, 0, 60, &se))
        return -1;
    size_t i = 19;
    if (p[i] == '.') {
        i++;
        while (i < s.n && p[i] >= '0' && p[i] <= '9')
            i++;
    }
    if (i >= s.n) return -1; /* a zone is required */
    long off = 0;
    if ((p[i] == 'Z' || p[i] == 'z') && i + 1 == s.n) {
        off = 0;
    } else if (p[i] == '+' || p[i] == '-' || p[i] == ' ') { /* ' ': an unencoded '+' in a URL */
        size_t r = s.n - i - 1;
        long oh, om = 0;
        const char *z = p + i + 1;
        if (!(r == 2 || r == 4 || (r == 5 && z[2] == ':')) || !num(z, 2, 0, 14, &oh) ||
            (r > 2 && !num(z + r - 2, 2, 0, 59, &om)))
            return -1;
        off = (oh * 60 + om) * (p[i] == '-' ? -1 : 1);
    } else {
        return -1;
    }
    return days * 86400 + h * 3600 + mi * 60 + se - off * 60;
}

/* ---- filing ---- */

static int fail(reqapi_res *out, int status, const char *code, const char *message)
{
    out->status = status;
    out->code = code;
    out->message = message;
    return status;
}

/* how the caller named a field: Open311 attribute[...] or the JSON API's own names */
static const char *fname(http_req *rq, const reqapi_sub *s, const char *code, bool top)
{
    if (!s->open311) {
        if (!top) return arena_printf(rq->a, "fields.%s", code);
        return strcmp(code, "no_kk") == 0 ? "kk" : code;
    }
    if (strcmp(code, "address") == 0) return "address_string";
    if (strcmp(code, "service_code") == 0 || strcmp(code, "unit") == 0) return code;
    return arena_printf(rq->a, "attribute[%s]", code);
}

static bool digits16(const char *v)
{
    if (!v || strlen(v) != 16) return false;
    for (const char *p = v; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return true;
}

/* is v one of the keys of "key=Name" lines */
static bool in_choices(const char *choices, const char *v)
{
    size_t vn = strlen(v);
    for (const char *p = choices ? choices : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq && (size_t)(eq - p) == vn && memcmp(p, v, vn) == 0) return true;
        p += n + (nl ? 1 : 0);
    }
    return false;
}

static bool value_ok(const svc_field *f, const char *v)
{
    if (strlen(v) > 1000) return false;
    if (f->datatype && strstr(f->datatype, "valuelist")) return in_choices(f->choices, v);
    if (f->datatype && strcmp(f->datatype, "number") == 0) {
        char *end = NULL;
        if (!*v) return false;
        (void)strtod(v, &end);
        return end && *end == 0;
    }
    if (f->datatype && strcmp(f->datatype, "datetime") == 0)
        return reqapi_parse_time(str_c(v), 0) >= 0;
    return true;
}

static const char *required_msg(http_req *rq, const char *name)
{
    return arena_printf(rq->a, http_t(rq, "%s is required."), name);
}
static const char *refused_msg(http_req *rq, const char *name)
{
    return arena_printf(rq->a, http_t(rq, "%s has a value this service does not accept."), name);
}

/* the service's fields and documents: every given one known and well-formed, every required one
 * there. 0 or the error status (out filled) */
static int check_fields(http_req *rq, const reqapi_sub *s, const svc_field *fs, size_t nf,
                        const svc_standard *st, bool has_std, reqapi_res *out)
{
    const char *k;
    json_t *v;
    json_object_foreach(s->fields, k, v)
    {
        const svc_field *f = NULL;
        for (size_t i = 0; i < nf && !f; i++)
            if (strcmp(fs[i].code, k) == 0) f = &fs[i];
        bool doc = false;
        for (size_t i = 0; has_std && !f && i < st->nreqs && !doc; i++)
            doc = strncmp(k, "doc_", 4) == 0 && st->reqs[i].doc_type &&
                  strcmp(k + 4, st->reqs[i].doc_type) == 0;
        const char *name = fname(rq, s, k, false);
        if (!f && !doc)
            return fail(
                out, 400, "invalid",
                arena_printf(rq->a, http_t(rq, "%s is not an attribute of this service."), name));
        if (json_is_array(v) && f && f->datatype && strcmp(f->datatype, "multivaluelist") == 0) {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x)
            {
                if (!json_is_string(x) || !value_ok(f, json_string_value(x)))
                    return fail(out, 400, "invalid", refused_msg(rq, name));
            }
            continue;
        }
        if (!json_is_string(v)) return fail(out, 400, "invalid", refused_msg(rq, name));
        const char *sv = json_string_value(v);
        if (f && f->datatype && strcmp(f->datatype, "multivaluelist") == 0) {
            /* "a,b" as Open311 clients send a list in one field */
            const char *p = sv;
            while (*p) {
                const char *comma = strchr(p, ',');
                size_t n = comma ? (size_t)(comma - p) : strlen(p);
                if (!in_choices(f->choices, arena_strndup(rq->a, p, n)))
                    return fail(out, 400, "invalid", refused_msg(rq, name));
                p += n + (comma ? 1 : 0);
            }
        } else if (f ? !value_ok(f, sv) : strlen(sv) > 500) {
            return fail(out, 400, "invalid", refused_msg(rq, name));
        }
    }
    for (size_t i = 0; i < nf; i++) {
        json_t *v2 = json_object_get(s->fields, fs[i].code);
        bool empty = !v2 || (json_is_string(v2) && !*json_string_value(v2)) ||
                     (json_is_array(v2) && json_array_size(v2) == 0);
        if (fs[i].required && empty)
            return fail(out, 400, "invalid", required_msg(rq, fname(rq, s, fs[i].code, false)));
    }
    for (size_t i = 0; has_std && i < st->nreqs; i++) {
        const svc_requirement *q = &st->reqs[i];
        if (!q->required || (q->cond && *q->cond) || !q->doc_type) continue;
        const char *code = arena_printf(rq->a, "doc_%s", q->doc_type);
        json_t *v2 = json_object_get(s->fields, code);
        if (!v2 || !json_is_string(v2) || !*json_string_value(v2))
            return fail(out, 400, "invalid", required_msg(rq, fname(rq, s, code, false)));
    }
    return 0;
}

/* the person, the delivery and the key: 0 or the error status */
static int check_person(http_req *rq, const reqapi_sub *s, const svc_standard *st, bool has_std,
                        reqapi_res *out)
{
    const char *nik = fname(rq, s, "nik", true);
    if (!s->nik || !*s->nik) return fail(out, 400, "invalid", required_msg(rq, nik));
    if (!digits16(s->nik))
        return fail(out, 400, "invalid",
                    arena_printf(rq->a, http_t(rq, "%s must be 16 digits."), nik));
    bool kk_needed = false;
    for (size_t i = 0; has_std && i < st->nreqs; i++)
        if (st->reqs[i].doc_type && strncmp(st->reqs[i].doc_type, "kk", 2) == 0)
            kk_needed = kk_needed || (st->reqs[i].required && !st->reqs[i].cond);
    const char *kk = fname(rq, s, "no_kk", true);
    if (kk_needed && (!s->kk || !*s->kk)) return fail(out, 400, "invalid", required_msg(rq, kk));
    if (s->kk && *s->kk && !digits16(s->kk))
        return fail(out, 400, "invalid",
                    arena_printf(rq->a, http_t(rq, "%s must be 16 digits."), kk));
    const char *dl = fname(rq, s, "delivery", true);
    if (!s->delivery || !*s->delivery) return fail(out, 400, "invalid", required_msg(rq, dl));
    if (strcmp(s->delivery, "pickup") && strcmp(s->delivery, "delivery") &&
        strcmp(s->delivery, "kiosk"))
        return fail(out, 400, "invalid", refused_msg(rq, dl));
    if (strcmp(s->delivery, "delivery") == 0 && (!s->address || !*s->address))
        return fail(out, 400, "invalid",
                    arena_printf(rq->a, http_t(rq, "%s is required for delivery to the home."),
                                 fname(rq, s, "address", true)));
    const char *ik = s->idempotency_key;
    if (ik && (strlen(ik) < 8 || strlen(ik) > 128))
        return fail(out, 400, "invalid",
                    arena_printf(rq->a, http_t(rq, "%s must be 8 to 128 characters."),
                                 fname(rq, s, "idempotency_key", true)));
    return 0;
}

static char *form_json(const reqapi_sub *s)
{
    json_t *o = s->fields ? json_deep_copy(s->fields) : json_object();
    const char *k;
    json_t *v;
    if (s->extra) {
        json_object_foreach(s->extra, k, v)
        {
            char key[80];
            if (strlen(k) < sizeof key - 1) {
                key[0] = '_';
                memcpy(key + 1, k, strlen(k) + 1);
                json_object_set(o, key, v);
            }
        }
    }
    char *j = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return j;
}

int reqapi_submit(http_req *rq, const reqapi_sub *s, reqapi_res *out)
{
    memset(out, 0, sizeof *out);
    const char *unavailable =
        http_t(rq, "The service is temporarily unavailable. Please try again in a few minutes.");
    if (!s->service_code || !*s->service_code)
        return fail(out, 400, "invalid", required_msg(rq, "service_code"));
    app *ap = app_of(rq);
    db_conn *c = db_acquire(ap->db);
    if (!c) return fail(out, 503, "unavailable", unavailable);
    char today[11];
    svc_api_today(rq, today);
    /* the service, its standard and fields come from the node's catalogue cache (catalog.h) */
    const req_service_view *view = NULL;
    memo_ref *held = NULL;
    int st_ = 0;
    int r = req_service_view_get(c, s->service_code, today, &view, &held);
    if (r == DB_OK && !view->found) r = DB_DONE;
    const service *svp = r == DB_OK ? &view->sv : NULL;
    const svc_standard *stp = r == DB_OK ? &view->st : NULL;
    bool has_std = r == DB_OK && view->has_std;
    if (r == DB_DONE) {
        st_ = fail(out, 404, "not_found", http_t(rq, "There is no service with this code."));
        goto done;
    }
    if (r != DB_OK) {
        st_ = fail(out, 503, "unavailable", unavailable);
        goto done;
    }
    json_t *none = json_object();
    reqapi_sub s2 = *s;
    if (!s2.fields) s2.fields = none;
    st_ = check_person(rq, &s2, stp, has_std, out);
    if (!st_) st_ = check_fields(rq, &s2, view->fs, view->nf, stp, has_std, out);
    int64_t unit_id = 0;
    if (!st_) {
        r = req_point_cached(c, svp->id, s->key_unit, s->unit_code, &unit_id,
                             &out->tz_offset_min);
        if (r == DB_DONE)
            st_ = fail(out, 400, "not_offered",
                       s->unit_code && *s->unit_code
                           ? http_t(rq, "This service is not offered at this service point.")
                           : http_t(rq, "This service is not offered at any service point this "
                                        "API key may file at."));
        else if (r != DB_OK) st_ = fail(out, 503, "unavailable", unavailable);
    }
    char *fj = st_ ? NULL : form_json(&s2);
    json_decref(none);
    if (st_) goto done;
    req_new n = {.service_id = svp->id,
                 .unit_id = unit_id,
                 .api_key_id = s->api_key_id,
                 .channel = "integration",
                 .delivery = s->delivery,
                 .nik = s->nik,
                 .kk = s->kk && *s->kk ? s->kk : NULL,
                 .name = s->name && *s->name ? s->name : NULL,
                 .phone = s->phone && *s->phone ? s->phone : NULL,
                 .address = s->address && *s->address ? s->address : NULL,
                 .form_json = fj,
                 .idempotency_key = s->idempotency_key};
    r = req_create(c, &ap->keys, app_now(), &n, &out->created);
    free(fj);
    if (r == DB_OK) st_ = out->status = out->created.existed ? 200 : 201;
    else if (r == REQ_NOT_OFFERED)
        st_ = fail(out, 400, "not_offered",
                   http_t(rq, "This service cannot be applied for yet at this service point: no "
                              "service standard is in force."));
    else if (r == REQ_INVALID)
        st_ = fail(
            out, 400, "invalid",
            arena_printf(rq->a, http_t(rq, "%s is not a valid NIK."), fname(rq, s, "nik", true)));
    else st_ = fail(out, 503, "unavailable", unavailable);
done:
    memo_release(held);
    db_release(c);
    return st_;
}

/* ---- /api/v1/requests ---- */

static int api_error(http_req *rq, int status, const char *code, const char *message)
{
    return http_json(rq, status,
                     json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int reqapi_create(http_req *rq)
{
    char err[200];
    json_t *b = rq->body.n ? jsonw_parse(rq->body, 8, err, sizeof err) : NULL;
    if (!json_is_object(b)) {
        json_decref(b);
        return api_error(rq, 400, "bad_request",
                         http_t(rq, "Send a JSON object (Content-Type: application/json)."));
    }
    static const char *const known[] = {
        "service_code",    "unit", "nik", "kk", "delivery", "name", "phone", "address", "fields",
        "idempotency_key", NULL};
    const char *k;
    json_t *v;
    const char *wrong = NULL;
    bool known_key = false;
    json_object_foreach(b, k, v)
    {
        bool ok = false;
        for (const char *const *q = known; *q && !ok; q++)
            ok = strcmp(*q, k) == 0;
        if (!ok || (strcmp(k, "fields") == 0 ? !json_is_object(v) : !json_is_string(v))) {
            wrong = arena_strdup(rq->a, k);
            known_key = ok;
            break;
        }
    }
    if (wrong) {
        json_decref(b);
        return api_error(
            rq, 400, "invalid",
            arena_printf(rq->a,
                         known_key ? http_t(rq, "%s has a value this service does not accept.")
                                   : http_t(rq, "%s is not a known field."),
                         wrong));
    }
    const char *ik = jstr(b, "idempotency_key");
    str h = http_header_in(rq, "Idempotency-Key");
    if (!ik && h.p) ik = arena_strndup(rq->a, h.p, h.n);
    const char *svc = jstr(b, "service_code");
    reqapi_sub s = {.service_code = svc ? arena_strdup(rq->a, svc) : NULL,
                    .unit_code = jstr(b, "unit"),
                    .api_key_id = rq->who.apikey_id,
                    .key_unit = rq->who.apikey_unit,
                    .nik = jstr(b, "nik"),
                    .kk = jstr(b, "kk"),
                    .delivery = jstr(b, "delivery"),
                    .name = jstr(b, "name"),
                    .phone = jstr(b, "phone"),
                    .address = jstr(b, "address"),
                    .fields = json_object_get(b, "fields"),
                    .idempotency_key = ik};
    reqapi_res res;
    reqapi_submit(rq, &s, &res);
    json_decref(b);
    if (res.status != 200 && res.status != 201)
        return api_error(rq, res.status, res.code, res.message);
    char shown[TRK_SHOWN + 1];
    trk_format(res.created.code, shown);
    const char *due = reqapi_local_instant(rq->a, res.created.due, res.tz_offset_min);
    return http_json(rq, res.status,
                     json_pack("{s:s,s:b,s:s,s:i,s:o}", "tracking_code", shown, "existed",
                               res.created.existed, "service_code", s.service_code,
                               "standard_version", res.created.version, "expected_completion",
                               due ? json_string(due) : json_null()));
}

static json_t *opt(const char *s)
{
    return s ? json_string(s) : json_null();
}

int reqapi_list(http_req *rq)
{
    app *ap = app_of(rq);
    reqm_filter f = {.scope_unit = rq->who.apikey_unit, .open = -1};
    long page = 1, size = 100;
    str p = http_param(rq, "page"), ps = http_param(rq, "page_size");
    if (p.p) str_to_long(p, 1, 100000, &page);
    if (ps.p) str_to_long(ps, 1, 1000, &size);
    f.limit = (int)size;
    f.offset = (int)((page - 1) * size);
    f.status = http_param_c(rq, "status");
    const char *bad = NULL;
    for (int i = 0; i < 2 && !bad; i++) {
        str t = http_param(rq, i ? "to" : "from");
        if (!t.p) continue;
        int64_t x = reqapi_parse_time(t, ap->tz_offset_min);
        char iso[21];
        if (x < 0) bad = i ? "to" : "from";
        else {
            acct_iso(x, iso);
            if (i) f.to = arena_strdup(rq->a, iso);
            else f.from = arena_strdup(rq->a, iso);
        }
    }
    if (bad)
        return api_error(rq, 400, "bad_request",
                         arena_printf(rq->a,
                                      http_t(rq, "%s must be a date (YYYY-MM-DD) or a date and "
                                                 "time with its zone (ISO 8601)."),
                                      bad));
    db_conn *c = db_acquire(ap->db);
    if (!c) return 503;
    int r = DB_OK;
    const char *svc = http_param_c(rq, "service");
    if (svc) {
        service sv;
        r = svc_get(c, rq->a, str_c(svc), &sv);
        if (r == DB_OK) f.service_id = sv.id;
    }
    reqm_row *rows = NULL;
    size_t n = 0;
    if (r == DB_OK) r = reqm_list(c, rq->a, &f, &rows, &n);
    db_release(c);
    if (r == DB_DONE)
        return api_error(rq, 400, "bad_request", http_t(rq, "There is no service with this code."));
    if (r != DB_OK) return 503;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const reqm_row *w = &rows[i];
        char shown[TRK_SHOWN + 1];
        trk_format(w->code, shown);
        json_array_append_new(
            arr,
            json_pack(
                "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "tracking_code",
                shown, "service_code", w->service_code, "service_name", w->service_name,
                "unit_code", w->unit_code, "unit_name", w->unit_name, "status", w->status,
                "status_label", req_status_label(rq, w->status), "open", w->finished_at == NULL,
                "channel", w->channel, "delivery", w->delivery, "nik_masked", w->nik_masked,
                "submitted_at", opt(reqapi_local_iso(rq->a, w->submitted_at, w->tz_offset_min)),
                "expected_completion", opt(reqapi_local_iso(rq->a, w->due_at, w->tz_offset_min)),
                "finished_at", opt(reqapi_local_iso(rq->a, w->finished_at, w->tz_offset_min)),
                "updated_at", opt(reqapi_local_iso(rq->a, w->updated_at, w->tz_offset_min))));
    }
    return http_json(rq, 200,
                     json_pack("{s:o,s:i,s:i,s:i}", "requests", arr, "count", (int)n, "page",
                               (int)page, "page_size", (int)size));
}

/* open311 api: GeoReport v2 discovery, services and service definitions (see open311.h). One
 * jansson tree per answer, written as JSON or XML, so both formats carry the same data. */
#include <string.h>

#include "features/app.h"
#include "features/open311/open311.h"
#include "features/services/api.h"
#include "features/services/services.h"
#include "features/units/units.h"

const http_param_spec open311_params[] = {
    {"jurisdiction_id", HP_STR, 0, 100, false},
    {NULL, 0, 0, 0, false},
};
/* any text: the handler answers a code it does not know with an Open311 404 */
const http_param_spec open311_service_params[] = {
    {"service", HP_STR, 1, 100, true},
    {"jurisdiction_id", HP_STR, 0, 100, false},
    {NULL, 0, 0, 0, false},
};

static const char *base_url(http_req *rq)
{
    const char *b = app_of(rq)->cfg->base_url;
    size_t n = strlen(b);
    while (n && b[n - 1] == '/')
        n--;
    return arena_strndup(rq->a, b, n);
}

/* when the catalogue last changed: the newest service or standard version */
static const char *changeset(db_conn *c, arena *a)
{
    const char *out = NULL;
    db_stmt *s = db_prepare(c, "SELECT MAX(t) FROM (SELECT MAX(created_at) AS t FROM services "
                               "UNION ALL SELECT MAX(created_at) AS t FROM standards) x");
    if (s && db_step(s) == DB_ROW && !db_col_is_null(s, 0)) {
        str t = db_col_text(s, 0);
        out = arena_strndup(a, t.p, t.n);
    }
    if (s) db_finish(s);
    return out ? out : "1970-01-01T00:00:00Z";
}

static int build_discovery(http_req *rq)
{
    enum open311_fmt f = open311_fmt_of(rq->path);
    if (open311_check_jurisdiction(rq, f)) return 0;
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c)
        return open311_error(
            rq, f, 503,
            http_t(rq,
                   "The service is temporarily unavailable. Please try again in a few minutes."));
    const char *cs = changeset(c, rq->a);
    unit p;
    bool has_pemda = units_get(c, rq->a, str_c("pemda"), &p) == DB_OK;
    db_release(c);
    buf contact;
    buf_init(&contact, 4096);
    buf_puts(&contact, has_pemda && p.name ? p.name : a->region_name);
    if (has_pemda && p.phone && *p.phone) buf_printf(&contact, ", %s", p.phone);
    if (has_pemda && p.email && *p.email) buf_printf(&contact, ", %s", p.email);
    const char *ct = arena_strndup(rq->a, contact.p ? contact.p : "", contact.n);
    buf_free(&contact);
    json_t *d = json_pack(
        "{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}", "changeset", cs, "contact", ct,
        "key_service",
        http_t(rq, "API keys for submitting requests are issued by the administrator of this "
                   "installation (admin page \"API keys\")."),
        "endpoints", "specification", OPEN311_SPEC, "url",
        arena_printf(rq->a, "%s/open311/v2", base_url(rq)), "changeset", cs, "type", "production",
        "formats", "application/json", "text/xml");
    return open311_answer(rq, f, 200, d, "discovery");
}

static int build_services(http_req *rq)
{
    enum open311_fmt f = open311_fmt_of(rq->path);
    if (open311_check_jurisdiction(rq, f)) return 0;
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c)
        return open311_error(
            rq, f, 503,
            http_t(rq,
                   "The service is temporarily unavailable. Please try again in a few minutes."));
    svc_filter flt = {0};
    service *ss = NULL;
    size_t n = 0;
    int r = svc_list(c, rq->a, &flt, &ss, &n);
    db_release(c);
    if (r != DB_OK)
        return open311_error(
            rq, f, 503,
            http_t(rq,
                   "The service is temporarily unavailable. Please try again in a few minutes."));
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const service *s = &ss[i];
        buf kw;
        buf_init(&kw, 4096);
        for (size_t k = 0; k < s->nevents; k++)
            buf_printf(&kw, "%s%s", k ? "," : "", s->events[k]);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:b,s:s,s:s%,s:s}", "service_code",
                                             s->code, "service_name", s->name, "description",
                                             s->summary ? s->summary : "", "metadata", 1, "type",
                                             "realtime", "keywords", kw.p ? kw.p : "", kw.n,
                                             "group", s->category ? s->category : ""));
        buf_free(&kw);
    }
    return open311_answer(rq, f, 200, arr, "services");
}

static json_t *attribute(int order, const char *code, const char *datatype, bool required,
                         const char *dt_desc, const char *desc, json_t *values)
{
    json_t *a = json_pack("{s:b,s:s,s:s,s:b,s:o,s:i,s:s}", "variable", 1, "code", code, "datatype",
                          datatype, "required", required, "datatype_description",
                          dt_desc && *dt_desc ? json_string(dt_desc) : json_null(), "order", order,
                          "description", desc ? desc : "");
    if (values) json_object_set_new(a, "values", values);
    return a;
}

static json_t *value(const char *key, const char *name)
{
    return json_pack("{s:s,s:s}", "key", key, "name", name);
}

/* "key=Name" lines into [{key, name}] */
static json_t *choices_json(const char *choices)
{
    json_t *arr = json_array();
    const char *p = choices ? choices : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq && eq > p)
            json_array_append_new(arr, json_pack("{s:s%,s:s%}", "key", p, (size_t)(eq - p), "name",
                                                 eq + 1, n - (size_t)(eq - p) - 1));
        p += n + (nl ? 1 : 0);
    }
    return arr;
}

static bool is_list(const char *datatype)
{
    return datatype && strstr(datatype, "valuelist") != NULL;
}

static int build_definition(http_req *rq)
{
    str sv = http_param(rq, "service");
    enum open311_fmt f = open311_fmt_of(sv);
    if (open311_check_jurisdiction(rq, f)) return 0;
    if (f == O311_NONE)
        return open311_error(rq, O311_JSON, 404,
                             http_t(rq, "Unknown service: ask for CODE.json or CODE.xml."));
    str code = {sv.p, sv.n - (f == O311_JSON ? 5 : 4)};
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c)
        return open311_error(
            rq, f, 503,
            http_t(rq,
                   "The service is temporarily unavailable. Please try again in a few minutes."));
    char today[11];
    svc_api_today(rq, today);
    service s;
    svc_standard st;
    bool has_std = false;
    svc_field *fs = NULL;
    size_t nf = 0;
    int r = svc_get(c, rq->a, code, &s);
    if (r == DB_OK && !s.active) r = DB_DONE;
    if (r == DB_OK) {
        int x = svc_standard_at(c, rq->a, s.id, today, &st);
        if (x == DB_OK) has_std = true;
        else if (x != DB_DONE) r = x;
    }
    if (r == DB_OK) r = svc_fields(c, rq->a, s.id, &fs, &nf);
    db_release(c);
    if (r == DB_DONE)
        return open311_error(rq, f, 404, http_t(rq, "There is no service with this code."));
    if (r != DB_OK)
        return open311_error(
            rq, f, 503,
            http_t(rq,
                   "The service is temporarily unavailable. Please try again in a few minutes."));

    json_t *attrs = json_array();
    int order = 1;
    const char *digits = http_t(rq, "16 digits");
    json_array_append_new(
        attrs, attribute(order++, "nik", "string", true, digits,
                         http_t(rq, "The applicant's NIK (Nomor Induk Kependudukan), as on the "
                                    "KTP-el or the Kartu Keluarga."),
                         NULL));
    /* the KK number where a Kartu Keluarga is among the requirements */
    const svc_requirement *kk = NULL;
    for (size_t i = 0; has_std && i < st.nreqs && !kk; i++)
        if (st.reqs[i].doc_type && strncmp(st.reqs[i].doc_type, "kk", 2) == 0) kk = &st.reqs[i];
    if (kk)
        json_array_append_new(
            attrs,
            attribute(order++, "no_kk", "string", kk->required && !kk->cond, digits,
                      http_t(rq, "The number of the applicant's Kartu Keluarga (KK)."), NULL));
    json_t *how = json_array();
    json_array_append_new(how, value("pickup", http_t(rq, "Pick up at the service point")));
    json_array_append_new(how, value("delivery", http_t(rq, "Delivery to the home address")));
    json_array_append_new(how,
                          value("kiosk", http_t(rq, "Print it yourself at a kiosk with a PIN")));
    json_array_append_new(attrs, attribute(order++, "delivery", "singlevaluelist", true, NULL,
                                           http_t(rq, "How to receive the result."), how));
    for (size_t i = 0; i < nf; i++) {
        const svc_field *x = &fs[i];
        json_array_append_new(
            attrs, attribute(order++, x->code, x->datatype, x->required, x->description, x->label,
                             is_list(x->datatype) ? choices_json(x->choices) : NULL));
    }
    const char *upload = http_t(rq, "The reference of an uploaded document. Accepted files:");
    for (size_t i = 0; has_std && i < st.nreqs; i++) {
        const svc_requirement *q = &st.reqs[i];
        buf ft;
        buf_init(&ft, 1024);
        for (const char *p = q->file_types ? q->file_types : ""; *p; p++)
            buf_putc(&ft, *p == ',' ? ' ' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
        const char *dt = arena_printf(rq->a, "%s %.*s", upload, (int)ft.n, ft.p ? ft.p : "");
        buf_free(&ft);
        const char *desc = q->label ? q->label : "";
        if (q->cond && *q->cond && q->cond_label)
            desc = arena_printf(rq->a, "%s (%s)", desc, q->cond_label);
        if (q->original_shown)
            desc = arena_printf(rq->a, "%s. %s", desc,
                                http_t(rq, "Bring the original to the service point."));
        json_array_append_new(
            attrs, attribute(order++, arena_printf(rq->a, "doc_%s", q->doc_type ? q->doc_type : ""),
                             "string", q->required && !(q->cond && *q->cond), dt, desc, NULL));
    }
    json_t *d = json_pack("{s:s,s:o}", "service_code", s.code, "attributes", attrs);
    return open311_answer(rq, f, 200, d, "service_definition");
}

int open311_discovery(http_req *rq)
{
    return svc_api_cached(rq, build_discovery);
}
int open311_services(http_req *rq)
{
    return svc_api_cached(rq, build_services);
}
int open311_definition(http_req *rq)
{
    return svc_api_cached(rq, build_definition);
}

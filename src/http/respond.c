/* respond: the response helpers handlers use (text, JSON, redirect, page, error), request
 * parameter and header access, and the security headers every response carries. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "lib/json.h"
#include "lib/log.h"

/* CSP: no inline script or style anywhere; forms post only to us; never framed */
static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; font-src 'self'; object-src 'none'; "
                          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

str http_param(const http_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->np; i++)
        if (str_eq_c(rq->pnames[i], name)) return rq->pvals[i];
    str v = http_kvs_get(&rq->query, name);
    if (v.p) return v;
    return http_kvs_get(&rq->form, name);
}

const char *http_param_c(const http_req *rq, const char *name)
{
    str v = http_param(rq, name);
    return v.p ? arena_strndup(rq->a, v.p, v.n) : NULL;
}

str http_header_in(const http_req *rq, const char *name)
{
    const struct conn_state *cp = rq->priv;
    if (!cp || !cp->conn) return STR_NULL;
    const char *v = MHD_lookup_connection_value(cp->conn, MHD_HEADER_KIND, name);
    return v ? str_c(v) : STR_NULL;
}

void http_header(http_req *rq, const char *name, const char *value)
{
    if (rq->nhdrs == rq->hcap) {
        size_t cap = rq->hcap ? rq->hcap * 2 : 8;
        http_kv *n = arena_alloc(rq->a, cap * sizeof *n);
        if (rq->nhdrs) memcpy(n, rq->hdrs, rq->nhdrs * sizeof *n);
        rq->hdrs = n;
        rq->hcap = cap;
    }
    rq->hdrs[rq->nhdrs].name = str_c(arena_strdup(rq->a, name));
    rq->hdrs[rq->nhdrs].value = str_c(arena_strdup(rq->a, value));
    rq->nhdrs++;
}

void respond_header_static(http_req *rq, const char *name, const char *value)
{
    if (rq->nhdrs == rq->hcap) {
        size_t cap = rq->hcap ? rq->hcap * 2 : 16;
        http_kv *n = arena_alloc(rq->a, cap * sizeof *n);
        if (rq->nhdrs) memcpy(n, rq->hdrs, rq->nhdrs * sizeof *n);
        rq->hdrs = n;
        rq->hcap = cap;
    }
    rq->hdrs[rq->nhdrs].name = (str){name, strlen(name)};
    rq->hdrs[rq->nhdrs].value = (str){value, strlen(value)};
    rq->nhdrs++;
}

static bool has_header(const http_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->nhdrs; i++)
        if (str_ieq_c(rq->hdrs[i].name, name)) return true;
    return false;
}

void respond_security_headers(http_req *rq)
{
    respond_header_static(rq, "X-Content-Type-Options", "nosniff");
    respond_header_static(rq, "Referrer-Policy", "same-origin");
    respond_header_static(rq, "X-Frame-Options", "DENY");
    respond_header_static(rq, "Content-Security-Policy", csp);
    respond_header_static(rq, "Permissions-Policy",
                          "camera=(), microphone=(), geolocation=(), payment=()");
    respond_header_static(rq, "Cross-Origin-Opener-Policy", "same-origin");
    respond_header_static(rq, "X-Request-Id", rq->id);
    if (!has_header(rq, "Cache-Control")) respond_header_static(rq, "Cache-Control", "no-cache");
}

int http_text(http_req *rq, int status, const char *ctype, str body)
{
    buf_reset(&rq->out);
    if (buf_putstr(&rq->out, body)) return 500;
    rq->status = status;
    rq->ctype = ctype;
    return 0;
}

int http_json(http_req *rq, int status, json_t *v)
{
    buf_reset(&rq->out);
    int r = jsonw_dump_buf(v, &rq->out);
    json_decref(v);
    if (r) {
        buf_reset(&rq->out);
        return 500;
    }
    rq->status = status;
    rq->ctype = "application/json; charset=utf-8";
    return 0;
}

int http_redirect(http_req *rq, int status, const char *location)
{
    buf_reset(&rq->out);
    rq->status = status;
    rq->ctype = "text/plain; charset=utf-8";
    http_header(rq, "Location", location);
    return 0;
}

const char *http_t(const http_req *rq, const char *msgid)
{
    const http_server *s = rq->srv;
    if (!s || !s->o.i18n) return msgid;
    return i18n_get(s->o.i18n, rq->lang, msgid);
}

const char *http_tn(const http_req *rq, const char *one, const char *many, unsigned long n)
{
    const http_server *s = rq->srv;
    if (!s || !s->o.i18n) return n == 1 ? one : many;
    return i18n_nget(s->o.i18n, rq->lang, one, many, n);
}

int http_page(http_req *rq, int status, const char *tpl, json_t *ctx)
{
    const http_server *s = rq->srv;
    if (!ctx) ctx = json_object();
    json_object_set_new(ctx, "lang", json_string(rq->lang));
    json_object_set_new(ctx, "lang_en", json_boolean(strcmp(rq->lang, "en") == 0));
    json_object_set_new(ctx, "path", json_stringn(rq->path.p, rq->path.n));
    json_object_set_new(ctx, "request_id", json_string(rq->id));
    if (s->assets) json_object_set(ctx, "assets", s->assets);
    if (s->o.page_ctx) s->o.page_ctx(rq, ctx);
    buf_reset(&rq->out);
    tpl_env env = {.i18n = s->o.i18n, .lang = rq->lang};
    int r = s->o.tpl ? tpl_render(s->o.tpl, tpl, ctx, &env, &rq->out) : -1;
    json_decref(ctx);
    if (r != 0) {
        LOGE("rendering template %s failed (request %s)", tpl, rq->id);
        buf_reset(&rq->out);
        return respond_builtin_error(rq, 500);
    }
    rq->status = status;
    rq->ctype = "text/html; charset=utf-8";
    return 0;
}

static const char *status_msgid(int status)
{
    switch (status) {
    case 400: return "The request could not be understood.";
    case 401: return "Please sign in first.";
    case 403: return "You do not have access to this page.";
    case 404: return "Page not found";
    case 405: return "Method not allowed";
    case 413: return "What you sent is too large.";
    case 415: return "This kind of content is not accepted here.";
    case 429: return "Too many requests. Please wait a moment and try again.";
    case 501: return "This request method is not supported.";
    case 503: return "The service is temporarily unavailable. Please try again in a few minutes.";
    default: return "Something went wrong";
    }
}

static const char *status_code(int status)
{
    switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "payload_too_large";
    case 415: return "unsupported_media_type";
    case 429: return "too_many_requests";
    case 501: return "not_implemented";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal_error" : "error";
    }
}

/* plain fallback when no template can be used (built-ins, template failure) */
int respond_builtin_error(http_req *rq, int status)
{
    buf_reset(&rq->out);
    const char *msg = http_t(rq, status_msgid(status));
    if (rq->route && rq->route->kind == HTTP_API) {
        buf_printf(&rq->out, "{\"error\":{\"code\":\"%s\",\"message\":", status_code(status));
        json_t *m = json_string(msg);
        jsonw_dump_buf(m, &rq->out);
        json_decref(m);
        buf_puts(&rq->out, "}}");
        rq->ctype = "application/json; charset=utf-8";
    } else {
        buf_printf(&rq->out, "%d %s\n", status, msg);
        rq->ctype = "text/plain; charset=utf-8";
    }
    rq->status = status;
    return 0;
}

int http_error(http_req *rq, int status, const char *message_msgid)
{
    if (!rq->route || rq->route->kind == HTTP_PLAIN ||
        (rq->route->kind == HTTP_PAGE && !rq->srv->o.tpl))
        return respond_builtin_error(rq, status);
    const char *msg = http_t(rq, message_msgid ? message_msgid : status_msgid(status));
    if (rq->route->kind == HTTP_API) {
        json_t *e =
            json_pack("{s:{s:s,s:s}}", "error", "code", status_code(status), "message", msg);
        return http_json(rq, status, e);
    }
    json_t *ctx = json_pack("{s:i,s:s,s:s}", "status", status, "title",
                            http_t(rq, status_msgid(status)), "message", msg);
    return http_page(rq, status, "error", ctx);
}

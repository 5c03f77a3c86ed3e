/* server: the libmicrohttpd adapter. Owns the daemon, the per-connection request state, body
 * streaming with per-route caps, dispatch to handlers, the built-in endpoints, the access log
 * and graceful stop. Nothing outside src/http includes microhttpd.h. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/internal.h"
#include "lib/log.h"
#include "lib/utf8.h"

static const http_limits query_limits = {64, 128, 4096, 16384};
static const http_limits cookie_limits = {32, 128, 4096, 8192};
static const http_limits form_limits = {256, 128, 65536, 1 << 20};

static uint64_t elapsed_us(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (uint64_t)(t1.tv_sec - t0->tv_sec) * 1000000u +
           (uint64_t)((t1.tv_nsec - t0->tv_nsec) / 1000);
}

static unsigned method_bit(const char *m)
{
    static const struct {
        const char *name;
        unsigned bit;
    } t[] = {{"GET", HTTP_GET},        {"HEAD", HTTP_HEAD},     {"POST", HTTP_POST},
             {"PUT", HTTP_PUT},        {"DELETE", HTTP_DELETE}, {"PATCH", HTTP_PATCH},
             {"OPTIONS", HTTP_OPTIONS}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(m, t[i].name) == 0) return t[i].bit;
    return 0;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    http_server *s = cls;
    struct conn_state *cs = calloc(1, sizeof *cs);
    if (!cs) abort();
    clock_gettime(CLOCK_MONOTONIC, &cs->t0);
    cs->srv = s;
    cs->conn = conn;
    cs->rq.a = arena_new(0);
    cs->rq.app = s->o.app;
    cs->rq.srv = s;
    cs->rq.priv = cs;
    cs->raw_uri = (str){arena_strdup(cs->rq.a, uri), strlen(uri)};
    cs->route_idx = (int)s->nroutes + BI_NONE;
    buf_init(&cs->rq.out, 8u << 20);
    buf_init(&cs->body, 0);
    uint64_t n = atomic_fetch_add(&s->reqno, 1) + 1;
    snprintf(cs->rq.id, sizeof cs->rq.id, "%08x%08llx", s->boot_id, (unsigned long long)n);
    atomic_fetch_add(&s->inflight, 1);
    return cs;
}

static void client_ip(struct conn_state *cs)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(cs->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[64] = "-";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip,
                      sizeof ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip,
                      sizeof ip);
    }
    /* behind the trusted reverse proxy, the client is the last X-Forwarded-For hop */
    const char *tp = cs->srv->o.cfg->trusted_proxy;
    if (tp[0] && strcmp(ip, tp) == 0) {
        const char *xff = MHD_lookup_connection_value(cs->conn, MHD_HEADER_KIND, "X-Forwarded-For");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            str v = str_trim(str_c(last ? last + 1 : xff));
            if (v.n > 0 && v.n < sizeof ip) {
                bool ok = true;
                for (size_t i = 0; i < v.n; i++)
                    if (!strchr("0123456789abcdefABCDEF.:", v.p[i])) ok = false;
                if (ok) snprintf(ip, sizeof ip, "%.*s", STR_FMT(v));
            }
        }
    }
    snprintf(cs->rq.client_ip, sizeof cs->rq.client_ip, "%s", ip);
}

/* the language: ?lang= (remembered in a cookie), else the cookie, else the configured default */
static void pick_lang(struct conn_state *cs)
{
    http_req *rq = &cs->rq;
    const char *def = cs->srv->o.cfg->default_lang;
    str q = http_kvs_get(&rq->query, "lang");
    if (q.p && (str_eq_c(q, "id") || str_eq_c(q, "en"))) {
        rq->lang = str_eq_c(q, "en") ? "en" : "id";
        http_header(rq, "Set-Cookie",
                    str_eq_c(q, "en") ? "lang=en; Path=/; Max-Age=31536000; SameSite=Lax"
                                      : "lang=id; Path=/; Max-Age=31536000; SameSite=Lax");
        return;
    }
    str c = http_kvs_get(&rq->cookies, "lang");
    if (c.p && (str_eq_c(c, "id") || str_eq_c(c, "en"))) {
        rq->lang = str_eq_c(c, "en") ? "en" : "id";
        return;
    }
    rq->lang = strcmp(def, "en") == 0 ? "en" : "id";
}

static int begin(struct conn_state *cs, const char *url, const char *method)
{
    http_server *s = cs->srv;
    http_req *rq = &cs->rq;
    client_ip(cs);
    rq->method = method_bit(method);
    size_t ulen = strlen(url);
    rq->path = (str){arena_strndup(rq->a, url, ulen), ulen};
    if (!rq->method) return cs->pending = 501, 0;
    if (ulen == 0 || url[0] != '/' || !utf8_valid_text(url, ulen) || memchr(url, '\n', ulen))
        return cs->pending = 400, 0;

    long qpos = str_find(cs->raw_uri, STR("?"));
    if (qpos >= 0) {
        str raw = {cs->raw_uri.p + qpos + 1, cs->raw_uri.n - (size_t)qpos - 1};
        long hash = str_find(raw, STR("#"));
        if (hash >= 0) raw.n = (size_t)hash;
        if (http_parse_urlencoded(rq->a, raw, &query_limits, &rq->query) != HTTP_POK)
            return cs->pending = 400, 0;
    }
    const char *ck = MHD_lookup_connection_value(cs->conn, MHD_HEADER_KIND, "Cookie");
    if (ck) http_parse_cookies(rq->a, str_c(ck), &cookie_limits, &rq->cookies);
    pick_lang(cs);

    /* built-in endpoints */
    if (str_eq_c(rq->path, "/healthz")) cs->route_idx = (int)s->nroutes + BI_HEALTHZ;
    else if (str_eq_c(rq->path, "/readyz")) cs->route_idx = (int)s->nroutes + BI_READYZ;
    else if (str_eq_c(rq->path, "/metrics")) cs->route_idx = (int)s->nroutes + BI_METRICS;
    else if (str_starts(rq->path, STR("/static/"))) cs->route_idx = (int)s->nroutes + BI_STATIC;
    if (cs->route_idx != (int)s->nroutes + BI_NONE) {
        if (!(rq->method & (HTTP_GET | HTTP_HEAD))) {
            http_header(rq, "Allow", "GET, HEAD");
            cs->pending = 405;
        }
        return 0;
    }

    unsigned allow = 0;
    int idx = router_match(s, rq, &allow);
    if (idx < 0) {
        if (allow) {
            char a[96] = "";
            static const char *names[] = {"GET",    "HEAD",  "POST",   "PUT",
                                          "DELETE", "PATCH", "OPTIONS"};
            for (int i = 0; i < 7; i++)
                if (allow & (1u << i)) {
                    size_t l = strlen(a);
                    snprintf(a + l, sizeof a - l, "%s%s", l ? ", " : "", names[i]);
                }
            http_header(rq, "Allow", arena_strdup(rq->a, a));
            return cs->pending = 405, 0;
        }
        return cs->pending = 404, 0;
    }
    cs->route_idx = idx;
    const struct http_route *r = rq->route;

    /* the body: refuse early what cannot fit, pick the parser */
    const char *cl = MHD_lookup_connection_value(cs->conn, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(cs->conn, MHD_HEADER_KIND, "Transfer-Encoding");
    long clen = 0;
    if (cl && !str_to_long(str_trim(str_c(cl)), 0, 1L << 40, &clen)) return cs->pending = 400, 0;
    if ((size_t)clen > r->body_max || (te && r->body_max == 0)) return cs->pending = 413, 0;
    if (clen > 0 || te) {
        const char *ct = MHD_lookup_connection_value(cs->conn, MHD_HEADER_KIND, "Content-Type");
        str cts = str_c(ct);
        str boundary;
        if (str_starts(cts, STR("application/x-www-form-urlencoded"))) {
            cs->bk = BODY_URLENC;
            buf_init(&cs->body, r->body_max);
        } else if (str_starts(cts, STR("multipart/form-data")) &&
                   http_mp_boundary(cts, &boundary) == HTTP_POK) {
            http_mp_limits ml = {64,          65536,
                                 r->body_max, r->body_max,
                                 4096,        s->o.cfg->tmp_dir[0] ? s->o.cfg->tmp_dir : "/tmp"};
            cs->mp = http_mp_new(rq->a, boundary, &ml);
            if (!cs->mp) return cs->pending = 400, 0;
            cs->bk = BODY_MULTIPART;
        } else if (str_starts(cts, STR("application/json"))) {
            cs->bk = BODY_JSON;
            buf_init(&cs->body, r->body_max);
        } else {
            return cs->pending = 415, 0;
        }
    }
    return 0;
}

static void consume(struct conn_state *cs, const char *data, size_t n)
{
    if (cs->pending) return;
    cs->body_seen += n;
    if (!cs->rq.route || cs->body_seen > cs->rq.route->body_max) {
        cs->pending = 413;
        return;
    }
    switch (cs->bk) {
    case BODY_URLENC:
    case BODY_JSON:
        if (buf_put(&cs->body, data, n)) cs->pending = 413;
        break;
    case BODY_MULTIPART: {
        int e = http_mp_feed(cs->mp, data, n);
        if (e == HTTP_PE_TOO_LARGE || e == HTTP_PE_TOO_LONG || e == HTTP_PE_TOO_MANY)
            cs->pending = 413;
        else if (e != HTTP_POK) cs->pending = 400;
        break;
    }
    default: cs->pending = 413;
    }
}

static int finish_body(struct conn_state *cs)
{
    http_req *rq = &cs->rq;
    switch (cs->bk) {
    case BODY_URLENC:
        if (http_parse_urlencoded(rq->a, buf_str(&cs->body), &form_limits, &rq->form) != HTTP_POK)
            return 400;
        break;
    case BODY_MULTIPART:
        if (http_mp_finish(cs->mp, &rq->form, &rq->files, &rq->nfiles) != HTTP_POK) return 400;
        break;
    case BODY_JSON: {
        str b = buf_str(&cs->body);
        rq->body = (str){arena_memdup(rq->a, b.p, b.n), b.n};
        break;
    }
    default: break;
    }
    return 0;
}

static void builtin(struct conn_state *cs)
{
    http_server *s = cs->srv;
    http_req *rq = &cs->rq;
    int bi = cs->route_idx - (int)s->nroutes;
    switch (bi) {
    case BI_HEALTHZ: http_text(rq, 200, "text/plain; charset=utf-8", STR("ok\n")); break;
    case BI_READYZ: {
        bool ok = !s->o.ready || s->o.ready(s->o.app);
        http_text(rq, ok ? 200 : 503, "text/plain; charset=utf-8",
                  ok ? STR("ready\n") : STR("database unavailable\n"));
        break;
    }
    case BI_METRICS: {
        metrics_render(s, &rq->out);
        if (s->o.metrics) s->o.metrics(s->o.app, &rq->out);
        rq->status = 200;
        rq->ctype = "text/plain; version=0.0.4; charset=utf-8";
        break;
    }
    case BI_STATIC: {
        str rel = {rq->path.p + 8, rq->path.n - 8};
        int st = static_serve(s, rq, rel);
        if (st) respond_builtin_error(rq, st);
        break;
    }
    default: respond_builtin_error(rq, 404);
    }
}

static enum MHD_Result queue(struct conn_state *cs)
{
    http_req *rq = &cs->rq;
    if (rq->status == 0) respond_builtin_error(rq, 500);
    respond_security_headers(rq);
    size_t len = 0;
    char *body = buf_steal(&rq->out, &len);
    cs->resp_bytes = len;
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (rq->ctype) MHD_add_response_header(resp, "Content-Type", rq->ctype);
    for (size_t i = 0; i < rq->nhdrs; i++)
        MHD_add_response_header(resp, rq->hdrs[i].name.p, rq->hdrs[i].value.p);
    enum MHD_Result r = MHD_queue_response(cs->conn, (unsigned)rq->status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* no cookie but the language choice and the anonymous CSRF token: nothing in the page can
 * depend on who asks */
static bool anonymous(const http_req *rq)
{
    if (rq->who.user_id || rq->who.apikey_id) return false;
    for (size_t i = 0; i < rq->cookies.n; i++)
        if (!str_eq_c(rq->cookies.items[i].name, "lang") &&
            !str_eq_c(rq->cookies.items[i].name, "csrf"))
            return false;
    return true;
}

static bool safe_method(unsigned m)
{
    return (m & (HTTP_GET | HTTP_HEAD | HTTP_OPTIONS)) != 0;
}

/* who is calling, may they call this route, and does a state-changing request carry the
 * token of the page it came from. Returns 0 to run the handler, a status for the standard
 * error response, or -1 when a response (a redirect) is already set. */

/* percent-encodes everything but letters, digits and the characters in keep */
static void put_escaped(buf *b, const char *p, size_t n, const char *keep)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            (ch && strchr(keep, ch)))
            buf_putc(b, (char)ch);
        else buf_printf(b, "%%%02X", ch);
    }
}

static int guard(struct conn_state *cs)
{
    http_req *rq = &cs->rq;
    http_server *s = cs->srv;
    const struct http_route *r = rq->route;
    if (s->o.authenticate) {
        int st = s->o.authenticate(rq);
        if (st) return st;
        if (rq->status) return -1; /* the hook answered (a setup step to finish first) */
    }
    const http_principal *w = &rq->who;
    if (r->role != ROLE_PUBLIC && !(w->roles & r->role)) {
        if (w->user_id || w->apikey_id) return 403;
        if (r->kind != HTTP_PAGE || !safe_method(rq->method) || !s->o.signin_path) return 401;
        /* a page for signed-in users: sign in first, then come back here, query included
         * (the service point chosen before signing in must survive it). The path and query
         * are escaped once as a URL, then once more as the value of lanjut. */
        buf in;
        buf_init(&in, 4096);
        put_escaped(&in, rq->path.p, rq->path.n, "/-_.");
        for (size_t i = 0; i < rq->query.n; i++) {
            buf_putc(&in, i ? '&' : '?');
            put_escaped(&in, rq->query.items[i].name.p, rq->query.items[i].name.n, "-_.");
            buf_putc(&in, '=');
            put_escaped(&in, rq->query.items[i].value.p, rq->query.items[i].value.n, "-_.");
        }
        buf u;
        buf_init(&u, 4096);
        buf_printf(&u, "%s?lanjut=", s->o.signin_path);
        put_escaped(&u, in.p, in.n, "/-_.");
        buf_free(&in);
        http_redirect(rq, 303, arena_strndup(rq->a, u.p, u.n));
        buf_free(&u);
        return -1;
    }
    if (!safe_method(rq->method) && !(r->flags & HR_NO_CSRF) && !w->apikey_id) {
        str t = http_kvs_get(&rq->form, "_csrf");
        if (!t.p) t = http_header_in(rq, "X-CSRF-Token");
        size_t n = strlen(w->csrf);
        if (!n || !t.p || t.n != n || sodium_memcmp(t.p, w->csrf, n) != 0) {
            http_error(rq, 403,
                       "This form has expired or did not come from this site. Go back, reload "
                       "the page and send it again.");
            return -1;
        }
    }
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct conn_state *cs = *con_cls;
    if (!cs) return MHD_NO; /* cannot happen: on_uri always sets it */
    cs->conn = conn;
    if (!cs->started) {
        /* headers only: set up and wait for the body or the final call (keep-alive) */
        cs->started = true;
        begin(cs, url, method);
        return MHD_YES;
    }
    if (*upload_size) {
        consume(cs, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    http_req *rq = &cs->rq;
    http_server *s = cs->srv;
    if (!cs->pending && cs->route_idx >= (int)s->nroutes) {
        builtin(cs);
        return queue(cs);
    }
    if (!cs->pending) cs->pending = finish_body(cs);
    if (!cs->pending) {
        const char *why = NULL;
        int v = router_validate(rq, &why);
        if (v) {
            http_error(rq, v, why);
            return queue(cs);
        }
        /* authorization lives here, in one place */
        int g = guard(cs);
        if (g < 0) return queue(cs);
        cs->pending = g;
    }
    if (cs->pending) {
        if (cs->pending == 413) http_header(rq, "Connection", "close");
        if (rq->route) http_error(rq, cs->pending, NULL);
        else respond_builtin_error(rq, cs->pending);
        return queue(cs);
    }
    /* public pages that are the same for every anonymous visitor come from the node's cache */
    const struct http_route *r = rq->route;
    bool cacheable = r->cache_seconds > 0 && (rq->method & (HTTP_GET | HTTP_HEAD)) && anonymous(rq);
    str key = STR_NULL;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double t = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    if (cacheable) {
        char *k = arena_printf(rq->a, "%u|%s|%.*s", http_cache_generation(), rq->lang,
                               STR_FMT(cs->raw_uri));
        key = str_c(k);
        const char *ct = NULL;
        if (resp_cache_get(s->cache, key, t, &rq->out, &ct)) {
            rq->status = 200;
            rq->ctype = ct;
            return queue(cs);
        }
    }
    int st = r->fn(rq);
    /* nothing personal may be kept by a browser cache or a proxy */
    if (rq->who.user_id || rq->who.apikey_id) http_header(rq, "Cache-Control", "private, no-store");
    if (st) {
        rq->status = 0;
        buf_reset(&rq->out);
        http_error(rq, st, NULL);
    } else if (cacheable && rq->status == 200 && rq->ctype) {
        resp_cache_put(s->cache, key, t, r->cache_seconds, buf_str(&rq->out), rq->ctype);
    }
    return queue(cs);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    http_server *s = cls;
    struct conn_state *cs = *con_cls;
    if (!cs) return;
    *con_cls = NULL;
    uint64_t us = elapsed_us(&cs->t0);
    http_req *rq = &cs->rq;
    int status = rq->status ? rq->status : 499;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !rq->status) status = 499;
    metrics_observe(s, cs->route_idx, status, us);
    /* probes (/healthz, /readyz, /metrics) are counted in the metrics but not logged: a load
     * balancer checking every second would otherwise drown the log */
    bool probe = cs->route_idx >= (int)s->nroutes && cs->route_idx < (int)s->nroutes + BI_STATIC;
    if (s->o.cfg->access_log && cs->started && !probe) {
        /* one line per request; the path only (no query string: it may hold personal data),
         * the client address with its last part dropped */
        char ip[64];
        snprintf(ip, sizeof ip, "%s", rq->client_ip);
        char *dot = strrchr(ip, '.');
        char *colon = strrchr(ip, ':');
        if (dot) snprintf(dot, sizeof ip - (size_t)(dot - ip), ".0");
        else if (colon) snprintf(colon, sizeof ip - (size_t)(colon - ip), ":0");
        const char *label = cs->route_idx < (int)s->nroutes ? s->routes[cs->route_idx].label
                            : cs->route_idx == (int)s->nroutes + BI_STATIC ? "/static"
                                                                           : "-";
        char line[600];
        static _Thread_local time_t ts_at;
        static _Thread_local char ts[32];
        time_t t = time(NULL);
        if (t != ts_at) {
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
            ts_at = t;
        }
        /* the path is logged only for matched routes and static files (their shape is known);
         * anything else is "-" so a mistyped URL holding a NIK never lands in the log */
        int pn = cs->route_idx == (int)s->nroutes + BI_NONE
                     ? 1
                     : (int)(rq->path.n > 200 ? 200 : rq->path.n);
        const char *pp = cs->route_idx == (int)s->nroutes + BI_NONE ? "-" : rq->path.p;
        if (cs->route_idx < (int)s->nroutes &&
            (s->routes[cs->route_idx].r->flags & HR_SECRET_PATH)) {
            pp = s->routes[cs->route_idx].r->pattern; /* "/survei/{token}" */
            pn = (int)strlen(pp);
        }
        int n = snprintf(line, sizeof line,
                         "ts=%s level=info msg=access id=%s ip=%s method=%s route=%s path=%.*s "
                         "status=%d bytes=%zu dur_ms=%.3f\n",
                         ts, rq->id, ip,
                         rq->method ? (rq->method == HTTP_GET    ? "GET"
                                       : rq->method == HTTP_HEAD ? "HEAD"
                                       : rq->method == HTTP_POST ? "POST"
                                                                 : "OTHER")
                                    : "-",
                         label, pn, pp ? pp : "-", status, cs->resp_bytes, (double)us / 1000.0);
        if (n > 0) log_line(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
    if (cs->mp) http_mp_cleanup(cs->mp);
    buf_free(&cs->body);
    buf_free(&rq->out);
    arena_free(rq->a);
    free(cs);
    atomic_fetch_sub(&s->inflight, 1);
}

static int parse_listen(const char *listen, int port_override, struct sockaddr_storage *ss,
                        socklen_t *sl, int *port, char *err, size_t errlen)
{
    const char *colon = strrchr(listen, ':');
    if (!colon) {
        snprintf(err, errlen, "listen address '%s' must look like 127.0.0.1:8080", listen);
        return -1;
    }
    long p;
    if (!str_to_long(str_c(colon + 1), 0, 65535, &p)) {
        snprintf(err, errlen, "listen port in '%s' must be 0..65535", listen);
        return -1;
    }
    if (port_override >= 0) p = port_override;
    char host[128];
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host) hl = sizeof host - 1;
    memcpy(host, listen, hl);
    host[hl] = 0;
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        host[hl - 1] = 0;
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)p);
        if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1) goto bad;
        *sl = sizeof *s6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)p);
        if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
        if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &s4->sin_addr) != 1) goto bad;
        *sl = sizeof *s4;
    }
    *port = (int)p;
    return 0;
bad:
    snprintf(err, errlen, "listen address '%s' is not an IP address", listen);
    return -1;
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = 0;
    LOGD("libmicrohttpd: %s", msg);
}

int http_server_start(const http_server_opts *o, http_server **out, char *err, size_t errlen)
{
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to initialise");
        return -1;
    }
    http_server *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->o = *o;
    s->started = time(NULL);
    s->boot_id = randombytes_random();
    if (router_compile(s, err, errlen)) goto fail;
    s->met = calloc(s->nroutes + BI_COUNT, sizeof *s->met);
    if (!s->met) abort();
    s->cache = resp_cache_new(512, 32u << 20);
    if (o->static_dir && static_load(s, o->static_dir, err, errlen)) goto fail;

    struct sockaddr_storage ss;
    socklen_t sl;
    if (parse_listen(o->cfg->listen, o->port_override, &ss, &sl, &s->port, err, errlen)) goto fail;
    /* a worker serves its connections one request at a time, and a durable write waits for
     * the disk (fsync) with the worker: with one worker per CPU, two workers could have only two
     * filings in flight and group commit (requests/store.c) had nothing to group. Eight per CPU
     * keep the disk busy; reads lose nothing by it (measured in docs/benchmarks.md). */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (ncpu < 1) ncpu = 1;
    unsigned threads =
        o->cfg->threads > 0 ? (unsigned)o->cfg->threads : (unsigned)(ncpu * 8 < 64 ? ncpu * 8 : 64);
    unsigned flags =
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)o->cfg->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)o->cfg->per_ip_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)o->cfg->connection_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)o->cfg->header_memory_kb * 1024, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, errlen, "cannot listen on %s: %s", o->cfg->listen,
                 errno ? strerror(errno) : "address in use or not available");
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    if (di) s->port = di->port;
    *out = s;
    return 0;
fail:
    resp_cache_free(s->cache);
    static_free(s);
    free(s->routes);
    free(s->met);
    free(s);
    return -1;
}

int http_server_port(const http_server *s)
{
    return s->port;
}

long http_server_inflight(const http_server *s)
{
    return atomic_load(&((http_server *)s)->inflight);
}

void http_server_stop(http_server *s, int grace_ms)
{
    if (!s) return;
    MHD_socket ls = MHD_quiesce_daemon(s->d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    for (int waited = 0; waited < grace_ms && atomic_load(&s->inflight) > 0; waited += 10) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->d);
    resp_cache_free(s->cache);
    static_free(s);
    free(s->routes);
    free(s->met);
    free(s);
}

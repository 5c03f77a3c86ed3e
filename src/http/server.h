/* server: the libmicrohttpd adapter. Starts a daemon with an epoll thread pool, dispatches
 * requests through the route table, serves /static, /healthz, /readyz and /metrics, adds the
 * security headers, writes the access log, and stops gracefully.
 *
 * Limits (from the config): connections, connections per IP, per-connection header memory
 * (oversized headers are refused by libmicrohttpd with 431), timeouts, and each route's body cap
 * (413, counted while streaming, before anything is buffered past the cap). */
#ifndef LAYAN_SERVER_H
#define LAYAN_SERVER_H
#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"
#include "lib/config.h"
#include "render/i18n.h"
#include "render/tpl.h"

typedef struct http_server http_server;

typedef struct {
    const layan_config *cfg;
    const struct http_route *routes;
    size_t nroutes;
    const tpl_set *tpl;
    const i18n_catalogs *i18n;
    const char *static_dir; /* served at /static/; NULL = none */
    void *app;
    bool (*ready)(void *app);                    /* /readyz; NULL = always ready */
    void (*page_ctx)(http_req *rq, json_t *ctx); /* adds app-wide keys to every page */
    void (*metrics)(void *app, buf *out);        /* extra Prometheus lines (DB pool...) */
    /* fills rq->who from the session cookie or API key; 0, or a status (503: storage down) */
    int (*authenticate)(http_req *rq);
    const char *signin_path; /* where a page for signed-in users sends anonymous visitors */
    int port_override;       /* >= 0 replaces the port of cfg->listen (tests: 0) */
} http_server_opts;

int http_server_start(const http_server_opts *o, http_server **out, char *err, size_t errlen);
int http_server_port(const http_server *s);
/* stops accepting, waits up to grace_ms for requests in flight, then stops the daemon */
void http_server_stop(http_server *s, int grace_ms);
/* requests currently being handled */
long http_server_inflight(const http_server *s);

#endif

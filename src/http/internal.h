/* internal: shared between the files of the http module only (server, router, respond,
 * static, metrics). Not for features. */
#ifndef LAYAN_HTTP_INTERNAL_H
#define LAYAN_HTTP_INTERNAL_H
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include <microhttpd.h>

#include "http/cache.h"
#include "http/server.h"

#define ROUTE_MAX_SEGS 12

struct croute {
    const struct http_route *r;
    str segs[ROUTE_MAX_SEGS];
    bool is_param[ROUTE_MAX_SEGS];
    size_t nsegs;
    const char *label;
};

enum body_kind { BODY_NONE, BODY_URLENC, BODY_MULTIPART, BODY_JSON, BODY_OTHER };

/* per-request state of the adapter; rq first so http_req.priv can find the rest */
struct conn_state {
    http_req rq;
    struct MHD_Connection *conn;
    http_server *srv;
    bool started;
    int pending;   /* error status decided before the handler runs */
    int route_idx; /* index in routes, or nroutes + BI_* */
    enum body_kind bk;
    buf body;
    http_mp *mp;
    size_t body_seen;
    struct timespec t0;
    str raw_uri;
    size_t resp_bytes;
};

/* metrics */
#define MET_BUCKETS 12
struct route_metrics {
    _Atomic uint64_t by_status[6][100]; /* [status/100][status%100] for 100..599 */
    _Atomic uint64_t lat_bucket[MET_BUCKETS + 1];
    _Atomic uint64_t lat_sum_us;
    _Atomic uint64_t count;
};

struct static_file;

struct http_server {
    struct MHD_Daemon *d;
    http_server_opts o;
    struct croute *routes;
    size_t nroutes;
    struct route_metrics *met; /* nroutes + builtins */
    struct static_file *files;
    size_t nfiles;
    json_t *assets;
    _Atomic long inflight;
    _Atomic uint64_t reqno;
    uint32_t boot_id;
    time_t started;
    int port;
    resp_cache *cache;
};

/* builtin route slots after the table, for metrics labels */
enum { BI_HEALTHZ, BI_READYZ, BI_METRICS, BI_STATIC, BI_NONE, BI_COUNT };

/* router.c */
int router_compile(http_server *s, char *err, size_t errlen);
/* finds the route for path; returns its index, or -1. *allow gets the methods the path accepts */
int router_match(const http_server *s, http_req *rq, unsigned *allow);
/* validates query/form against the route's declared params; 0 or a 400 with message set */
int router_validate(http_req *rq, const char **why);

/* respond.c */
void respond_header_static(http_req *rq, const char *name, const char *value); /* no copy */
void respond_security_headers(http_req *rq);
int respond_builtin_error(http_req *rq, int status);

/* static.c */
int static_load(http_server *s, const char *dir, char *err, size_t errlen);
void static_free(http_server *s);
int static_serve(http_server *s, http_req *rq, str rel);

/* metrics.c */
void metrics_observe(http_server *s, int route_idx, int status, uint64_t usec);
void metrics_render(http_server *s, buf *out);

#endif

/* metrics: per-route request counts by status and latency histograms, rendered in the
 * Prometheus text format at /metrics. Counters are relaxed atomics: cheap on the hot path and
 * exact enough for monitoring. Per node by design: Prometheus scrapes every node. */
#include <stdio.h>
#include <time.h>

#include "http/internal.h"

static const double bounds_s[MET_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

void metrics_observe(http_server *s, int route_idx, int status, uint64_t usec)
{
    if (route_idx < 0 || (size_t)route_idx >= s->nroutes + BI_COUNT)
        route_idx = (int)s->nroutes + BI_NONE;
    struct route_metrics *m = &s->met[route_idx];
    if (status < 100 || status > 599) status = 599;
    atomic_fetch_add_explicit(&m->by_status[status / 100][status % 100], 1, memory_order_relaxed);
    int b = 0;
    while (b < MET_BUCKETS && (double)usec / 1e6 > bounds_s[b])
        b++;
    atomic_fetch_add_explicit(&m->lat_bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->lat_sum_us, usec, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
}

static const char *label_of(const http_server *s, size_t i)
{
    static const char *bi[BI_COUNT] = {"/healthz", "/readyz", "/metrics", "/static", "none"};
    return i < s->nroutes ? s->routes[i].label : bi[i - s->nroutes];
}

void metrics_render(http_server *s, buf *out)
{
    size_t n = s->nroutes + BI_COUNT;
    buf_puts(out, "# HELP layan_http_requests_total HTTP requests by route and status.\n"
                  "# TYPE layan_http_requests_total counter\n");
    for (size_t i = 0; i < n; i++)
        for (int c = 1; c < 6; c++)
            for (int d = 0; d < 100; d++) {
                uint64_t v = atomic_load_explicit(&s->met[i].by_status[c][d], memory_order_relaxed);
                if (v)
                    buf_printf(out, "layan_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                               label_of(s, i), c * 100 + d, (unsigned long long)v);
            }
    buf_puts(out, "# HELP layan_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE layan_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < n; i++) {
        uint64_t cnt = atomic_load_explicit(&s->met[i].count, memory_order_relaxed);
        if (!cnt) continue;
        uint64_t cum = 0;
        for (int b = 0; b <= MET_BUCKETS; b++) {
            cum += atomic_load_explicit(&s->met[i].lat_bucket[b], memory_order_relaxed);
            if (b < MET_BUCKETS)
                buf_printf(
                    out,
                    "layan_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    label_of(s, i), bounds_s[b], (unsigned long long)cum);
            else
                buf_printf(
                    out,
                    "layan_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                    label_of(s, i), (unsigned long long)cum);
        }
        buf_printf(out, "layan_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
                   label_of(s, i),
                   (double)atomic_load_explicit(&s->met[i].lat_sum_us, memory_order_relaxed) / 1e6);
        buf_printf(out, "layan_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                   label_of(s, i), (unsigned long long)cnt);
    }
    buf_printf(out,
               "# HELP layan_http_requests_in_flight Requests being handled now.\n"
               "# TYPE layan_http_requests_in_flight gauge\nlayan_http_requests_in_flight %ld\n",
               (long)atomic_load(&s->inflight));
    buf_printf(out,
               "# HELP layan_uptime_seconds Seconds since this process started serving.\n"
               "# TYPE layan_uptime_seconds gauge\nlayan_uptime_seconds %lld\n",
               (long long)(time(NULL) - s->started));
}

/* ceiling: the benchmark's upper bound. A bare libmicrohttpd server configured like layan
 * (epoll thread pool, same connection limits, keep-alive kept by answering on the second call of
 * the access handler) that answers from memory: "/healthz" with "ok\n" and every other path with
 * a fixed ~6 KB HTML page shaped like a home page. Whatever layan achieves is measured as a ratio
 * to this, run in the same session on the same machine (see docs/benchmarks.md).
 *
 * Usage: ceiling PORT [THREADS [PER_IP_CONNECTIONS]]   (PORT 0 = any free port; THREADS 0 = nproc)
 * Prints "listening on http://127.0.0.1:PORT" once it accepts connections; exits 0 on SIGTERM or
 * SIGINT. Built by bench/run.sh with the flags of layan's release build. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the same limits layan uses by default (src/lib/config.c), so the comparison is fair */
#define MAX_CONNECTIONS 1024u
#define CONNECTION_TIMEOUT 30u
#define HEADER_MEMORY (32u * 1024u)
#define PAGE_MAX 8192

static struct MHD_Response *resp_health, *resp_page;
static char page[PAGE_MAX];
static size_t page_len;

static const char *const kecamatan[] = {
    "Andir",           "Astanaanyar",   "Antapani",         "Arcamanik",        "Babakan Ciparay",
    "Bandung Kidul",   "Bandung Kulon", "Bandung Wetan",    "Batununggal",      "Bojongloa Kaler",
    "Bojongloa Kidul", "Buahbatu",      "Cibeunying Kaler", "Cibeunying Kidul", "Cibiru",
    "Cicendo",         "Cidadap",       "Cinambo",          "Coblong",          "Gedebage",
    "Kiaracondong",    "Lengkong",      "Mandalajati",      "Panyileukan",      "Rancasari",
    "Regol",           "Sukajadi",      "Sukasari",         "Sumur Bandung",    "Ujungberung",
};

/* a page of the size and shape of layan's home page: head, search form, a list of service points */
static int build_page(void)
{
    size_t n = 0, cap = sizeof page;
    int w = snprintf(page, cap,
                     "<!doctype html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>Layanan Publik Kota Bandung</title>\n"
                     "<link rel=\"stylesheet\" href=\"/static/app.0123abcd.css\">\n</head>\n"
                     "<body>\n<header><a href=\"/\">Kota Bandung</a> "
                     "<a href=\"/?lang=en\" hreflang=\"en\">English</a></header>\n<main>\n"
                     "<h1>Dinas Kependudukan dan Pencatatan Sipil</h1>\n"
                     "<form action=\"/cari\" method=\"get\" role=\"search\">"
                     "<label for=\"q\">Cari kecamatan atau kelurahan</label>"
                     "<input id=\"q\" name=\"q\" type=\"search\"><button>Cari</button></form>\n"
                     "<h2>Tempat pelayanan</h2>\n<ul>\n");
    if (w < 0 || (size_t)w >= cap) return -1;
    n = (size_t)w;
    for (size_t i = 0; i < sizeof kecamatan / sizeof kecamatan[0]; i++) {
        w = snprintf(page + n, cap - n,
                     "<li><a href=\"/unit/32.73.%02zu\">Kecamatan %s</a><br>"
                     "Jl. Raya %s No. %zu, Kota Bandung<br>Senin&ndash;Kamis 08.00&ndash;15.00, "
                     "Jumat 08.00&ndash;11.00 WIB</li>\n",
                     i + 1, kecamatan[i], kecamatan[i], 10 + i);
        if (w < 0 || (size_t)w >= cap - n) return -1;
        n += (size_t)w;
    }
    w = snprintf(page + n, cap - n,
                 "</ul>\n</main>\n<footer>Pemerintah Kota Bandung</footer>\n</body>\n</html>\n");
    if (w < 0 || (size_t)w >= cap - n) return -1;
    page_len = n + (size_t)w;
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    static int marker;
    (void)cls, (void)method, (void)version, (void)upload_data;
    /* first call: headers only; answering now would cost the keep-alive */
    if (*req_cls == NULL) {
        *req_cls = &marker;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct MHD_Response *r = strcmp(url, "/healthz") == 0 ? resp_health : resp_page;
    return MHD_queue_response(conn, MHD_HTTP_OK, r);
}

static int parse_uint(const char *s, unsigned long max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > max || s[0] == '-') return -1;
    *out = (unsigned)v;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned port = 0, threads = 0, per_ip = 64;
    if (argc < 2 || argc > 4 || parse_uint(argv[1], 65535, &port) ||
        (argc > 2 && parse_uint(argv[2], 1024, &threads)) ||
        (argc > 3 && parse_uint(argv[3], 100000, &per_ip))) {
        fprintf(stderr, "usage: ceiling PORT [THREADS [PER_IP_CONNECTIONS]]\n");
        return 2;
    }
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    if (build_page()) {
        fprintf(stderr, "ceiling: page buffer too small\n");
        return 1;
    }
    resp_health = MHD_create_response_from_buffer(3, (void *)"ok\n", MHD_RESPMEM_PERSISTENT);
    resp_page = MHD_create_response_from_buffer(page_len, page, MHD_RESPMEM_PERSISTENT);
    if (!resp_health || !resp_page ||
        MHD_add_response_header(resp_health, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "text/plain; charset=utf-8") != MHD_YES ||
        MHD_add_response_header(resp_page, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "text/html; charset=utf-8") != MHD_YES) {
        fprintf(stderr, "ceiling: cannot create responses\n");
        return 1;
    }

    /* only the main thread's sigwait() sees the stop signals */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC, 0, NULL,
        NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
        CONNECTION_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "ceiling: cannot listen on 127.0.0.1:%u\n", port);
        return 1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("listening on http://127.0.0.1:%u\n", di ? (unsigned)di->port : port);
    fflush(stdout);

    int sig = 0;
    while (sigwait(&set, &sig) != 0) {
    }
    MHD_stop_daemon(d);
    MHD_destroy_response(resp_health);
    MHD_destroy_response(resp_page);
    return 0;
}

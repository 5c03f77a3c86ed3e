/* cli/serve: `layan serve`: loads the configuration, opens the database, compiles the
 * templates, starts the HTTP server and stops it gracefully on SIGTERM/SIGINT. */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/outbox/outbox.h"
#include "features/requests/docstore.h"
#include "http/server.h"
#include "lib/log.h"

static void help(void)
{
    printf(
        "Usage: layan serve [--listen ADDR:PORT] [--db URL] [--config FILE] [--threads N]\n"
        "                   [--log-level debug|info|warn|error]\n\n"
        "Runs the web server until SIGTERM or SIGINT, then finishes the requests in flight\n"
        "and exits 0. Prints `listening on http://ADDR:PORT` once it accepts connections.\n\n"
        "  --listen ADDR:PORT  address to listen on (default 127.0.0.1:8080; port 0 = any free)\n"
        "  --db URL            database, e.g. sqlite:var/layan.db\n"
        "  --config FILE       INI configuration file (also LAYAN_CONFIG)\n"
        "  --threads N         worker threads (default: 8 per CPU, at most 64)\n"
        "  --log-level LEVEL   debug, info, warn or error\n\n"
        "Settings come from the file, then LAYAN_* environment variables, then these flags\n"
        "(flags win). See docs/configuration.md.\n");
}

/* where templates/, static/ and locale/ are: share_dir when set, else the build tree */
static void resolve_dirs(const layan_config *cfg, char *tpl, char *stat, char *loc, size_t n)
{
    if (cfg->share_dir[0]) {
        snprintf(tpl, n, "%s/templates", cfg->share_dir);
        snprintf(stat, n, "%s/static", cfg->share_dir);
        snprintf(loc, n, "%s/locale", cfg->share_dir);
        return;
    }
    char exe[PATH_MAX - 64];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l <= 0) l = 0;
    exe[l] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    else snprintf(exe, sizeof exe, ".");
    const char *src = getenv("LAYAN_SOURCE_DIR");
    snprintf(tpl, n, "%s/templates", src && *src ? src : LAYAN_SOURCE_DIR);
    snprintf(stat, n, "%s/static", exe);
    snprintf(loc, n, "%s/locale", exe);
}

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},    {"db", required_argument, NULL, 'd'},
        {"config", required_argument, NULL, 'c'},    {"threads", required_argument, NULL, 't'},
        {"log-level", required_argument, NULL, 'v'}, {NULL, 0, NULL, 0}};
    const char *f_listen = NULL, *f_db = NULL, *f_config = getenv("LAYAN_CONFIG"),
               *f_threads = NULL, *f_level = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l': f_listen = optarg; break;
        case 'd': f_db = optarg; break;
        case 'c': f_config = optarg; break;
        case 't': f_threads = optarg; break;
        case 'v': f_level = optarg; break;
        default:
            return cli_usage_error("serve", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);

    static layan_config cfg;
    char err[512];
    config_defaults(&cfg);
    if (f_config && *f_config && config_load_file(&cfg, f_config, err, sizeof err))
        return cli_fail("serve", "%s", err);
    if (config_load_env(&cfg, err, sizeof err)) return cli_fail("serve", "%s", err);
    if ((f_listen && config_set(&cfg, "server", "listen", f_listen, err, sizeof err)) ||
        (f_db && config_set(&cfg, "database", "url", f_db, err, sizeof err)) ||
        (f_threads && config_set(&cfg, "server", "threads", f_threads, err, sizeof err)) ||
        (f_level && config_set(&cfg, "log", "level", f_level, err, sizeof err)))
        return cli_usage_error("serve", "%s", err);
    enum log_level lvl;
    if (log_parse_level(cfg.log_level, &lvl))
        return cli_usage_error("serve", "log level must be debug, info, warn or error");
    log_set_level(lvl);

    /* block the stop signals before any thread starts, so only sigwait below sees them */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    static app a;
    memset(&a, 0, sizeof a);
    a.cfg = &cfg;
    db_options dbo = {.max_conns = cfg.db_pool, .open_all = true};
    if (db_open(cfg.db_url, &dbo, &a.db, err, sizeof err))
        return cli_fail("serve", "cannot open the database %s: %s", cfg.db_url, err);
    int rc = 1;
    tpl_set *tpl = NULL;
    i18n_catalogs *cat = NULL;
    http_server *srv = NULL;
    docs_gc_worker *gc = NULL;
    if (app_load(&a, err, sizeof err)) {
        cli_fail("serve", "%s", err);
        goto out;
    }
    /* uploads are acknowledged only once stored: a node that cannot store them must not serve */
    if (docs_dir_check(&cfg, err, sizeof err)) {
        cli_fail("serve", "%s", err);
        goto out;
    }
    char tdir[PATH_MAX], sdir[PATH_MAX], ldir[PATH_MAX];
    resolve_dirs(&cfg, tdir, sdir, ldir, sizeof tdir);
    cat = i18n_load(ldir, err, sizeof err);
    if (!cat) {
        cli_fail("serve", "cannot load translations from %s: %s", ldir, err);
        goto out;
    }
    if (tpl_load_dir(tdir, &tpl, err, sizeof err)) {
        cli_fail("serve", "templates in %s: %s", tdir, err);
        goto out;
    }
    http_server_opts o = {.cfg = &cfg,
                          .routes = app_routes,
                          .nroutes = app_nroutes,
                          .tpl = tpl,
                          .i18n = cat,
                          .static_dir = sdir,
                          .app = &a,
                          .ready = app_ready,
                          .page_ctx = app_page_ctx,
                          .metrics = app_metrics,
                          .authenticate = accounts_authenticate,
                          .signin_path = "/masuk",
                          .port_override = -1};
    /* this node's notification sender; several nodes may run one each (claims are atomic) */
    a.outbox = outbox_worker_start(a.db, &a.keys, &cfg);
    /* orphaned uploads: at start, then daily (every node may; a file gone already is fine) */
    if (cfg.documents_gc) gc = docs_gc_worker_start(a.db, &cfg);
    if (http_server_start(&o, &srv, err, sizeof err)) {
        cli_fail("serve", "%s", err);
        goto out;
    }
    char host[128];
    snprintf(host, sizeof host, "%s", cfg.listen);
    char *colon = strrchr(host, ':');
    if (colon) *colon = 0;
    printf("listening on http://%s:%d\n", host[0] ? host : "0.0.0.0", http_server_port(srv));
    fflush(stdout);
    LOGI("layan %s serving on %s:%d with database %s", LAYAN_VERSION, host, http_server_port(srv),
         db_engine(a.db));

    int sig = 0;
    sigwait(&set, &sig);
    LOGI("signal %d: finishing %ld request(s) in flight, then stopping", sig,
         http_server_inflight(srv));
    http_server_stop(srv, 10000);
    srv = NULL;
    if (a.outbox) outbox_worker_stop(a.outbox);
    a.outbox = NULL;
    docs_gc_worker_stop(gc);
    gc = NULL;
    LOGI("stopped");
    rc = 0;
out:
    if (srv) http_server_stop(srv, 0);
    if (a.outbox) outbox_worker_stop(a.outbox);
    docs_gc_worker_stop(gc);
    if (tpl) tpl_set_free(tpl);
    if (cat) i18n_free(cat);
    db_close(a.db);
    return rc;
}

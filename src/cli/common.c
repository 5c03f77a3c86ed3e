/* cli common: see common.h. */
#include "cli/common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"

static void mkdirs_for(const char *path)
{
    char d[4096];
    snprintf(d, sizeof d, "%s", path);
    char *slash = strrchr(d, '/');
    if (!slash || slash == d) return;
    *slash = 0;
    for (char *p = d + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(d, 0750);
            *p = '/';
        }
    mkdir(d, 0750);
}

db *cli_open_db(const char *cmd, const char *url)
{
    if (!url) {
        cli_usage_error(cmd, "--db URL is required (for example --db sqlite:var/layan.db)");
        return NULL;
    }
    if (strncmp(url, "sqlite:", 7) == 0) mkdirs_for(url + 7);
    db *d = NULL;
    char err[512];
    db_options o = {.max_conns = 2};
    if (db_open(url, &o, &d, err, sizeof err) != DB_OK) {
        cli_fail(cmd, "cannot open the database: %s", err);
        return NULL;
    }
    return d;
}

int cli_audit(db_conn *c, const char *actor, const char *action, const char *object,
              const char *detail)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    db_stmt *s = db_prepare(c, "INSERT INTO audit_log (at, actor, action, object, detail) VALUES "
                               "($1, $2, $3, $4, $5)");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, now);
    db_bind_cstr(s, 2, actor);
    db_bind_cstr(s, 3, action);
    db_bind_cstr(s, 4, object);
    db_bind_cstr(s, 5, detail);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

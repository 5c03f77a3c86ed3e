/* cli common: see common.h. */
#include "cli/common.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "features/app.h"
#include "features/audit/audit.h"

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
    return audit_append(c, app_now(), actor, action, object, detail);
}

/* db: picks the driver from the URL scheme and forwards pool-level calls to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/driver.h"

int db_open(const char *url, const db_options *opt, db **out, char *err, size_t errlen)
{
    db_options def = {0};
    if (!opt) opt = &def;
    const struct db_driver *drv = NULL;
    const char *target = NULL;
    if (strncmp(url, "sqlite:", 7) == 0) {
        drv = &db_sqlite_driver;
        target = url + 7;
    } else if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        snprintf(err, errlen, "PostgreSQL is not supported by this build yet; use sqlite:PATH");
        return DB_ERR;
    } else {
        snprintf(err, errlen, "database URL '%s' must start with sqlite:", url);
        return DB_ERR;
    }
    if (!*target) {
        snprintf(err, errlen, "database URL '%s' has no path", url);
        return DB_ERR;
    }
    db *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->drv = drv;
    int r = drv->open(target, opt, &d->impl, err, errlen);
    if (r != DB_OK) {
        free(d);
        return r;
    }
    *out = d;
    return DB_OK;
}

void db_close(db *d)
{
    if (!d) return;
    d->drv->close(d->impl);
    free(d);
}

const char *db_engine(const db *d)
{
    return d->drv->name;
}

bool db_ping(db *d)
{
    return d->drv->ping(d->impl);
}

db_conn *db_acquire(db *d)
{
    return d->drv->acquire(d, d->impl);
}

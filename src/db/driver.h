/* driver: what an engine implements behind db.h. db.c dispatches through this table, so a
 * PostgreSQL driver can be added beside sqlite.c without touching callers. */
#ifndef LAYAN_DB_DRIVER_H
#define LAYAN_DB_DRIVER_H
#include "db/db.h"

struct db_driver {
    const char *name;
    int (*open)(const char *target, const db_options *o, void **impl, char *err, size_t errlen);
    void (*close)(void *impl);
    db_conn *(*acquire)(db *d, void *impl);
    void (*release)(db_conn *c);
    bool (*ping)(void *impl);
};

struct db {
    const struct db_driver *drv;
    void *impl;
};

extern const struct db_driver db_sqlite_driver;

#endif

/* driver: what an engine implements behind db.h. db.c forwards every call through this table,
 * so the PostgreSQL driver (pg.c) sits beside sqlite.c without callers knowing.
 *
 * A driver's connection and statement structs start with the common headers below (struct
 * db_conn / struct db_stmt as their first member), so db.c can find the driver of any handle
 * and db_errmsg() can read the message without asking the driver. */
#ifndef LAYAN_DB_DRIVER_H
#define LAYAN_DB_DRIVER_H
#include "db/db.h"

#define DB_ERRMSG_MAX 256

struct db_conn {
    const struct db_driver *drv;
    char err[DB_ERRMSG_MAX]; /* the last error, English, for logs */
    void (*after_commit[4])(void); /* see db_after_commit */
    int nafter;
};

struct db_stmt {
    const struct db_driver *drv;
    db_conn *c;
};

/* a {{name}} macro in a migration and what it expands to for this engine (see migrate.c) */
struct db_sql_macro {
    const char *name, *sql;
};

struct db_driver {
    const char *name;   /* "sqlite", "pg": also the engine suffix of migration files */
    const char *engine; /* what db_engine() says: "sqlite", "postgresql" */
    const struct db_sql_macro *macros;
    const char *migrate_lock_sql; /* run first in each migration transaction, or NULL */

    int (*open)(const char *target, const db_options *o, void **impl, char *err, size_t errlen);
    void (*close)(void *impl);
    db_conn *(*acquire)(void *impl, int timeout_ms); /* timeout_ms < 0: the pool's default */
    void (*release)(db_conn *c);
    bool (*ping)(void *impl);

    int (*exec)(db_conn *c, const char *sql);
    int (*begin)(db_conn *c);
    int (*commit)(db_conn *c);
    int (*rollback)(db_conn *c);
    bool (*in_tx)(db_conn *c);
    int (*has_table)(db_conn *c, const char *name); /* 1 yes, 0 no, < 0 error */
    int64_t (*changes)(db_conn *c);
    int64_t (*last_id)(db_conn *c);

    db_stmt *(*prepare)(db_conn *c, const char *sql);
    int (*bind_int)(db_stmt *s, int idx, int64_t v);
    int (*bind_text)(db_stmt *s, int idx, const char *p, size_t n);
    int (*bind_blob)(db_stmt *s, int idx, const void *p, size_t n);
    int (*bind_null)(db_stmt *s, int idx);
    int (*bind_double)(db_stmt *s, int idx, double v);
    int (*step)(db_stmt *s);
    int (*col_count)(db_stmt *s);
    bool (*col_is_null)(db_stmt *s, int col);
    int64_t (*col_int)(db_stmt *s, int col);
    double (*col_double)(db_stmt *s, int col);
    str (*col_text)(db_stmt *s, int col);
    const void *(*col_blob)(db_stmt *s, int col, size_t *n);
    void (*finish)(db_stmt *s);
};

struct db {
    const struct db_driver *drv;
    void *impl;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif

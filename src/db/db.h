/* db: the storage interface every feature uses; drivers (sqlite.c now, pg.c later) sit behind it
 * (driver.h), chosen by the URL scheme.
 *
 * URL forms: "sqlite:PATH" (PATH may be relative) and, later, "postgresql://...".
 * SQL is written once with $1, $2... placeholders (both engines accept them; the SQLite driver
 * maps them by name, so their order in the text does not matter).
 * A `db` is a bounded pool shared by all threads; a thread takes a connection with db_acquire()
 * and gives it back with db_release() (which rolls back a transaction left open). A connection is
 * used by one thread at a time.
 * Prepared statements are cached per connection, keyed by the SQL text (copied, so the text may
 * be built at run time): db_prepare() of the same text returns the cached statement with its
 * bindings cleared; db_finish() resets it and hands it back. Preparing a text that is still in
 * use on the same connection (a nested loop) gives a private statement, freed by db_finish().
 * Every db_prepare() needs its db_finish() before the connection is released.
 * Errors: functions return DB_OK (0) or a negative DB_E*; db_errmsg() says what happened in
 * English for logs (never shown to users).
 * Durability: db_commit() returns only once the transaction is on stable storage (SQLite: WAL
 * with synchronous=FULL), so a caller may acknowledge a write as soon as it returns DB_OK. */
#ifndef LAYAN_DB_H
#define LAYAN_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/str.h"

typedef struct db db;
typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;

enum {
    DB_OK = 0,
    DB_ROW = 1,          /* db_step: a row is available */
    DB_DONE = 2,         /* db_step: no more rows */
    DB_ERR = -1,         /* any other error */
    DB_EBUSY = -2,       /* locked / serialization failure: safe to retry the transaction */
    DB_ECONSTRAINT = -3, /* unique / foreign key / check violation */
    DB_EUNAVAIL = -4,    /* the database cannot be reached */
    DB_ENEWER = -5,      /* the database schema is newer than this program */
};

typedef struct {
    int max_conns;       /* pool bound; 0 = default (16) */
    int busy_timeout_ms; /* lock waits and pool waits; 0 = default (5000) */
    bool readonly;
    /* PostgreSQL: open the whole pool at db_open instead of on demand (the server does: under
     * load a burst of new connections each forking a backend can exceed connect_timeout) */
    bool open_all;
} db_options;

int db_open(const char *url, const db_options *opt, db **out, char *err, size_t errlen);
void db_close(db *d);
const char *db_engine(const db *d); /* "sqlite" or "postgresql" */
const char *db_conn_engine(const db_conn *c); /* the same, from a connection */
bool db_ping(db *d);                /* readiness: a connection answers a query within 2 s */

db_conn *db_acquire(db *d); /* NULL when unavailable or the pool stays exhausted (busy timeout) */
void db_release(db_conn *c);
const char *db_errmsg(db_conn *c);

int db_exec(db_conn *c, const char *sql); /* one or more statements, no parameters */
int db_begin(db_conn *c);                 /* write transaction (BEGIN IMMEDIATE on SQLite) */
int db_commit(db_conn *c);
int db_rollback(db_conn *c);
bool db_in_tx(db_conn *c);
/* run fn once the current transaction has committed (at once outside a transaction; never when
 * it rolls back). For per-node caches that must drop what a write changed only after the change
 * is visible to other connections: dropping earlier lets a reader refill the cache from the rows
 * as they were before the commit. The same fn registered twice in a transaction runs once. */
void db_after_commit(db_conn *c, void (*fn)(void));

/* runs fn in a write transaction and commits; when the engine reports a conflict it is safe to
 * retry (DB_EBUSY: SQLite's lock wait ran out, PostgreSQL's serialization failure or deadlock),
 * rolls back and runs fn again, up to `attempts` times with a growing, jittered pause
 * (10 ms, 20 ms, 40 ms ...). Only for work that can run twice: fn must do nothing outside the
 * transaction (no messages sent, no memory it cannot rebuild). Returns fn's or the commit's
 * result. */
int db_retry_tx(db_conn *c, int (*fn)(db_conn *c, void *ud), void *ud, int attempts);

db_stmt *db_prepare(db_conn *c, const char *sql);     /* NULL on error (see db_errmsg) */
int db_bind_int(db_stmt *s, int idx, int64_t v);      /* idx is 1-based, as in $1 */
int db_bind_text(db_stmt *s, int idx, str v);         /* copied */
int db_bind_cstr(db_stmt *s, int idx, const char *v); /* NULL binds NULL */
int db_bind_blob(db_stmt *s, int idx, const void *p, size_t n);
int db_bind_null(db_stmt *s, int idx);
int db_bind_double(db_stmt *s, int idx, double v);
int db_step(db_stmt *s); /* DB_ROW, DB_DONE or an error */
int db_col_count(db_stmt *s);
bool db_col_is_null(db_stmt *s, int col); /* col is 0-based */
int64_t db_col_int(db_stmt *s, int col);
double db_col_double(db_stmt *s, int col);
str db_col_text(db_stmt *s, int col); /* valid until the next step/finish */
const void *db_col_blob(db_stmt *s, int col, size_t *n);
void db_finish(db_stmt *s);
int64_t db_changes(db_conn *c); /* rows changed by the last statement */
int64_t db_last_id(db_conn *c); /* SQLite only (-1 elsewhere): prefer INSERT ... RETURNING id */

/* migrations (migrate.c): applies the numbered migrations in order, each in a transaction,
 * recording them in schema_migrations. Returns DB_ENEWER when the database has a migration
 * this program does not know. See docs/internals/storage.md. */
int db_migrate(db *d, char *err, size_t errlen);
int db_schema_version(db *d); /* highest applied migration, 0 for an empty database, -1 error */
int db_schema_latest(void);   /* highest migration this program knows */

#endif

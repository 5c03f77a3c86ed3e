/* db: picks the driver from the URL scheme and forwards every call to it (driver.h). */
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "db/driver.h"

int db_open(const char *url, const db_options *opt, db **out, char *err, size_t errlen)
{
    db_options def = {0};
    if (!opt) opt = &def;
    *out = NULL;
    const struct db_driver *drv = NULL;
    const char *target = NULL;
    if (!url) {
        snprintf(err, errlen, "no database URL");
        return DB_ERR;
    }
    if (strncmp(url, "sqlite:", 7) == 0) {
        drv = &db_sqlite_driver;
        target = url + 7;
        /* sqlite:///abs/path and sqlite://rel are common spellings elsewhere: accept the first */
        if (strncmp(target, "//", 2) == 0) target += 2;
    } else if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
        drv = &db_pg_driver;
        target = url; /* a libpq URI, handed over whole */
    } else {
        /* the URL is not echoed: a mistyped PostgreSQL URL may hold a password */
        snprintf(err, errlen, "the database URL must start with sqlite: or postgresql://");
        return DB_ERR;
    }
    if (!*target) {
        snprintf(err, errlen, "database URL '%.200s' has no path", url);
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
    return d->drv->engine;
}

bool db_ping(db *d)
{
    return d->drv->ping(d->impl);
}

db_conn *db_acquire(db *d)
{
    return d->drv->acquire(d->impl, -1);
}

void db_release(db_conn *c)
{
    if (!c) return;
    c->nafter = 0;
    c->drv->release(c);
}

const char *db_errmsg(db_conn *c)
{
    return c ? c->err : "no connection";
}

int db_exec(db_conn *c, const char *sql)
{
    return c->drv->exec(c, sql);
}

const char *db_conn_engine(const db_conn *c)
{
    return c->drv->engine;
}

int db_begin(db_conn *c)
{
    c->nafter = 0;
    return c->drv->begin(c);
}

int db_commit(db_conn *c)
{
    int r = c->drv->commit(c);
    if (c->drv->in_tx(c)) return r; /* still open: the caller rolls back or retries */
    int n = r == DB_OK ? c->nafter : 0;
    c->nafter = 0;
    for (int i = 0; i < n; i++)
        c->after_commit[i]();
    return r;
}

void db_after_commit(db_conn *c, void (*fn)(void))
{
    if (!c->drv->in_tx(c)) {
        fn();
        return;
    }
    for (int i = 0; i < c->nafter; i++)
        if (c->after_commit[i] == fn) return;
    if (c->nafter < (int)(sizeof c->after_commit / sizeof c->after_commit[0]))
        c->after_commit[c->nafter++] = fn;
    else fn(); /* no room to wait (more than 4 distinct hooks in one transaction): run it now */
}

int db_retry_tx(db_conn *c, int (*fn)(db_conn *c, void *ud), void *ud, int attempts)
{
    int r = DB_ERR;
    for (int i = 0; i < (attempts > 0 ? attempts : 1); i++) {
        if (i) {
            /* 10 ms doubled per attempt, with up to half of it random so retries spread out */
            long ms = 10L << (i - 1 < 8 ? i - 1 : 8);
            ms += (long)(randombytes_uniform((uint32_t)(ms / 2 + 1)));
            struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        r = db_begin(c);
        if (r == DB_OK) r = fn(c, ud);
        if (r == DB_OK) r = db_commit(c);
        if (r == DB_OK) return DB_OK;
        if (db_in_tx(c)) db_rollback(c);
        if (r != DB_EBUSY) return r;
    }
    return r;
}

int db_rollback(db_conn *c)
{
    c->nafter = 0;
    return c->drv->rollback(c);
}

bool db_in_tx(db_conn *c)
{
    return c->drv->in_tx(c);
}

int64_t db_changes(db_conn *c)
{
    return c->drv->changes(c);
}

int64_t db_last_id(db_conn *c)
{
    return c->drv->last_id(c);
}

db_stmt *db_prepare(db_conn *c, const char *sql)
{
    return c->drv->prepare(c, sql);
}

int db_bind_int(db_stmt *s, int idx, int64_t v)
{
    return s->drv->bind_int(s, idx, v);
}

int db_bind_text(db_stmt *s, int idx, str v)
{
    return s->drv->bind_text(s, idx, v.p ? v.p : "", v.n);
}

int db_bind_cstr(db_stmt *s, int idx, const char *v)
{
    if (!v) return s->drv->bind_null(s, idx);
    return s->drv->bind_text(s, idx, v, strlen(v));
}

int db_bind_blob(db_stmt *s, int idx, const void *p, size_t n)
{
    return s->drv->bind_blob(s, idx, p, n);
}

int db_bind_null(db_stmt *s, int idx)
{
    return s->drv->bind_null(s, idx);
}

int db_bind_double(db_stmt *s, int idx, double v)
{
    return s->drv->bind_double(s, idx, v);
}

int db_step(db_stmt *s)
{
    return s->drv->step(s);
}

int db_col_count(db_stmt *s)
{
    return s->drv->col_count(s);
}

bool db_col_is_null(db_stmt *s, int col)
{
    return s->drv->col_is_null(s, col);
}

int64_t db_col_int(db_stmt *s, int col)
{
    return s->drv->col_int(s, col);
}

double db_col_double(db_stmt *s, int col)
{
    return s->drv->col_double(s, col);
}

str db_col_text(db_stmt *s, int col)
{
    return s->drv->col_text(s, col);
}

const void *db_col_blob(db_stmt *s, int col, size_t *n)
{
    return s->drv->col_blob(s, col, n);
}

void db_finish(db_stmt *s)
{
    if (s) s->drv->finish(s);
}

/* sqlite: the SQLite driver. WAL with synchronous=FULL (a committed write survives a crash or
 * power loss: acknowledged writes must), foreign keys on, a busy timeout, a bounded pool of
 * connections shared by the server threads, and a prepared-statement cache per connection. */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/driver.h"

#define STMT_CACHE 64

struct db_stmt {
    db_conn *c;
    const char *sql; /* the caller's literal: cache key by address, then by text */
    sqlite3_stmt *st;
};

struct db_conn {
    const struct db_driver *drv;
    struct pool *pool;
    sqlite3 *h;
    bool in_use;
    struct db_stmt cache[STMT_CACHE];
    int ncache;
    char err[256];
};

struct pool {
    char *path;
    db_options o;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct db_conn *conns;
    int n;
};

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK: return DB_OK;
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_DONE: return DB_DONE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DB_EBUSY;
    case SQLITE_CONSTRAINT: return DB_ECONSTRAINT;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_NOTADB: return DB_EUNAVAIL;
    default: return DB_ERR;
    }
}

static void set_err(db_conn *c)
{
    snprintf(c->err, sizeof c->err, "%s", sqlite3_errmsg(c->h));
}

static int open_handle(struct pool *p, sqlite3 **out, char *err, size_t errlen)
{
    int flags = p->o.readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(p->path, &h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", p->path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return map_rc(rc);
    }
    sqlite3_busy_timeout(h, p->o.busy_timeout_ms > 0 ? p->o.busy_timeout_ms : 5000);
    sqlite3_extended_result_codes(h, 1);
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                          "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    char *e = NULL;
    if (!p->o.readonly && sqlite3_exec(h, pragmas, NULL, NULL, &e) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", p->path, e ? e : "cannot configure the database");
        sqlite3_free(e);
        sqlite3_close(h);
        return DB_EUNAVAIL;
    }
    *out = h;
    return DB_OK;
}

static int drv_open(const char *target, const db_options *o, void **impl, char *err, size_t errlen)
{
    struct pool *p = calloc(1, sizeof *p);
    if (!p) abort();
    p->path = strdup(target);
    p->o = *o;
    p->n = o->max_conns > 0 ? o->max_conns : 16;
    p->conns = calloc((size_t)p->n, sizeof *p->conns);
    if (!p->path || !p->conns) abort();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    /* open one connection now, so a bad path is reported at start */
    int r = open_handle(p, &p->conns[0].h, err, errlen);
    if (r != DB_OK) {
        free(p->conns);
        free(p->path);
        free(p);
        return r;
    }
    for (int i = 0; i < p->n; i++) {
        p->conns[i].drv = &db_sqlite_driver;
        p->conns[i].pool = p;
    }
    *impl = p;
    return DB_OK;
}

static void close_conn(db_conn *c)
{
    for (int i = 0; i < c->ncache; i++)
        sqlite3_finalize(c->cache[i].st);
    c->ncache = 0;
    if (c->h) sqlite3_close(c->h);
    c->h = NULL;
}

static void drv_close(void *impl)
{
    struct pool *p = impl;
    for (int i = 0; i < p->n; i++)
        close_conn(&p->conns[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->conns);
    free(p->path);
    free(p);
}

static db_conn *drv_acquire(db *d, void *impl)
{
    (void)d;
    struct pool *p = impl;
    pthread_mutex_lock(&p->mu);
    db_conn *c = NULL;
    for (;;) {
        for (int i = 0; i < p->n && !c; i++)
            if (!p->conns[i].in_use && p->conns[i].h) c = &p->conns[i];
        for (int i = 0; i < p->n && !c; i++)
            if (!p->conns[i].in_use) c = &p->conns[i];
        if (c) break;
        pthread_cond_wait(&p->cv, &p->mu);
    }
    c->in_use = true;
    pthread_mutex_unlock(&p->mu);
    if (!c->h) {
        char err[256];
        if (open_handle(p, &c->h, err, sizeof err) != DB_OK) {
            pthread_mutex_lock(&p->mu);
            c->in_use = false;
            pthread_cond_signal(&p->cv);
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
    }
    return c;
}

static void drv_release(db_conn *c)
{
    struct pool *p = c->pool;
    if (!sqlite3_get_autocommit(c->h)) sqlite3_exec(c->h, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_lock(&p->mu);
    c->in_use = false;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static bool drv_ping(void *impl)
{
    struct pool *p = impl;
    struct stat st;
    return stat(p->path, &st) == 0;
}

const struct db_driver db_sqlite_driver = {"sqlite",    drv_open,    drv_close,
                                           drv_acquire, drv_release, drv_ping};

void db_release(db_conn *c)
{
    if (c) c->drv->release(c);
}

const char *db_errmsg(db_conn *c)
{
    return c->err;
}

int db_exec(db_conn *c, const char *sql)
{
    char *e = NULL;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, &e);
    if (rc != SQLITE_OK) {
        snprintf(c->err, sizeof c->err, "%s", e ? e : sqlite3_errstr(rc));
        sqlite3_free(e);
    }
    return rc == SQLITE_OK ? DB_OK : map_rc(rc);
}

int db_begin(db_conn *c)
{
    return db_exec(c, "BEGIN IMMEDIATE");
}

int db_commit(db_conn *c)
{
    return db_exec(c, "COMMIT");
}

int db_rollback(db_conn *c)
{
    return db_exec(c, "ROLLBACK");
}

db_stmt *db_prepare(db_conn *c, const char *sql)
{
    for (int i = 0; i < c->ncache; i++)
        if (c->cache[i].sql == sql || strcmp(c->cache[i].sql, sql) == 0) {
            sqlite3_reset(c->cache[i].st);
            sqlite3_clear_bindings(c->cache[i].st);
            return &c->cache[i];
        }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        set_err(c);
        return NULL;
    }
    if (c->ncache == STMT_CACHE) {
        /* full: drop the oldest; rare, the program has a fixed set of statements */
        sqlite3_finalize(c->cache[0].st);
        memmove(&c->cache[0], &c->cache[1], sizeof c->cache[0] * (STMT_CACHE - 1));
        c->ncache--;
    }
    struct db_stmt *s = &c->cache[c->ncache++];
    s->c = c;
    s->sql = sql;
    s->st = st;
    return s;
}

/* $N placeholders are SQLite named parameters: map N to SQLite's index */
static int pidx(db_stmt *s, int idx)
{
    char name[16];
    snprintf(name, sizeof name, "$%d", idx);
    int i = sqlite3_bind_parameter_index(s->st, name);
    return i > 0 ? i : idx;
}

static int bind_rc(db_stmt *s, int rc)
{
    if (rc != SQLITE_OK) set_err(s->c);
    return map_rc(rc);
}

int db_bind_int(db_stmt *s, int idx, int64_t v)
{
    return bind_rc(s, sqlite3_bind_int64(s->st, pidx(s, idx), v));
}

int db_bind_text(db_stmt *s, int idx, str v)
{
    return bind_rc(
        s, sqlite3_bind_text(s->st, pidx(s, idx), v.p ? v.p : "", (int)v.n, SQLITE_TRANSIENT));
}

int db_bind_cstr(db_stmt *s, int idx, const char *v)
{
    if (!v) return db_bind_null(s, idx);
    return bind_rc(s, sqlite3_bind_text(s->st, pidx(s, idx), v, -1, SQLITE_TRANSIENT));
}

int db_bind_blob(db_stmt *s, int idx, const void *p, size_t n)
{
    return bind_rc(s, sqlite3_bind_blob64(s->st, pidx(s, idx), p, n, SQLITE_TRANSIENT));
}

int db_bind_null(db_stmt *s, int idx)
{
    return bind_rc(s, sqlite3_bind_null(s->st, pidx(s, idx)));
}

int db_step(db_stmt *s)
{
    int rc = sqlite3_step(s->st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) set_err(s->c);
    return map_rc(rc);
}

int db_col_count(db_stmt *s)
{
    return sqlite3_column_count(s->st);
}

bool db_col_is_null(db_stmt *s, int col)
{
    return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

int64_t db_col_int(db_stmt *s, int col)
{
    return sqlite3_column_int64(s->st, col);
}

double db_col_double(db_stmt *s, int col)
{
    return sqlite3_column_double(s->st, col);
}

int db_bind_double(db_stmt *s, int idx, double v)
{
    return bind_rc(s, sqlite3_bind_double(s->st, pidx(s, idx), v));
}

str db_col_text(db_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s->st, col);
    int n = sqlite3_column_bytes(s->st, col);
    return t ? (str){(const char *)t, (size_t)n} : STR_NULL;
}

const void *db_col_blob(db_stmt *s, int col, size_t *n)
{
    const void *p = sqlite3_column_blob(s->st, col);
    *n = (size_t)sqlite3_column_bytes(s->st, col);
    return p;
}

void db_finish(db_stmt *s)
{
    if (s) sqlite3_reset(s->st);
}

int64_t db_changes(db_conn *c)
{
    return sqlite3_changes64(c->h);
}

int64_t db_last_id(db_conn *c)
{
    return sqlite3_last_insert_rowid(c->h);
}

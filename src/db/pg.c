/* pg: the PostgreSQL driver behind db.h (libpq).
 *
 * - URLs are libpq URIs, passed to libpq as they are (postgresql://user@host:port/db?...,
 *   postgresql:///db?host=/run/postgresql for a unix socket). Settings the URL leaves out get
 *   defaults here: connect_timeout=2 (a dead server makes acquire fail fast, not hang),
 *   TCP keepalives, application_name=layan, client_encoding=UTF8.
 * - A bounded pool shared by the server threads (mutex + condition variable), connections opened
 *   lazily, a thread gets back the connection it used last when it is free (its statements are
 *   prepared there). Like sqlite.c.
 * - Recovery: a connection whose session broke (CONNECTION_BAD, SQLSTATE 08xxx or 57P0x) is
 *   closed when it goes back to the pool, and an idle connection is checked (without a round
 *   trip: is its socket readable?) when it is taken, so after the server comes back the next
 *   acquire opens a fresh session by itself. Failures are DB_EUNAVAIL and logged once per outage.
 * - Statements: named server-side prepared statements ("lyN"), cached per connection by a copy of
 *   the SQL text, least recently used out (DEALLOCATE). The same text prepared again while in use
 *   (a nested loop) gives a private statement run with PQexecParams (the unnamed statement). The
 *   whole result is read at the first db_step, so statements may nest on one connection.
 * - Types: parameters go as text with type OID 0, so the server infers each from its context
 *   ($1 = bigint_column parses "42" as bigint); blobs go in binary. Results come as text;
 *   bytea columns are decoded for db_col_blob.
 * - Transactions are READ COMMITTED (see storage.md for why and what callers must do). */
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/driver.h"
#include "lib/log.h"

#define STMT_CACHE 128
#define DEFAULT_POOL 16
#define DEFAULT_BUSY_MS 5000
#define PING_WAIT_MS 2000
#define BYTEAOID 17
#define BOOLOID 16

struct pg_stmt {
    struct db_stmt base; /* first: db.c sees a db_stmt */
    char *sql;           /* the text (a copy): the cache key, or what a private statement runs */
    bool priv;           /* private: not in the cache, run with PQexecParams */
    char name[16];       /* server-side name of a cached statement */
    uint64_t hash;
    uint64_t used; /* last use, for LRU eviction */
    bool busy;     /* handed out and not finished yet */
    int nparams, ncols;
    char **vals; /* bound values (owned); NULL = SQL NULL */
    int *lens, *fmts;
    PGresult *res; /* the result, read whole at the first step */
    int row;       /* current row in res */
    bool done;     /* executed and past the last row: the next step runs it again */
    struct pg_bytes {
        unsigned char *p;
        size_t n;
    } * dec; /* bytea columns of the current row, decoded on demand (ncols entries) */
    struct pg_stmt *next_private;
};

struct pg_conn {
    struct db_conn base; /* first: db.c sees a db_conn */
    struct pool *pool;
    PGconn *h;
    bool in_use;
    bool broken; /* the session failed: close it on release */
    pthread_t owner;
    bool has_owner;
    struct pg_stmt *cache[STMT_CACHE];
    int ncache;
    uint64_t tick;
    unsigned next_name;
    struct pg_stmt *privates;
    char **dealloc; /* names of evicted statements still to DEALLOCATE */
    int ndealloc;
    int64_t changes;
};

struct pool {
    char *url;
    db_options o;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct pg_conn *conns;
    int n;
    bool down; /* the last connection attempt failed: log the outage once */
};

#define CONN(c) ((struct pg_conn *)(c))
#define STMT(s) ((struct pg_stmt *)(s))

/* a libpq message on one line */
static void put_msg(char *dst, size_t cap, const char *msg)
{
    snprintf(dst, cap, "%s", msg && *msg ? msg : "unknown PostgreSQL error");
    for (char *p = dst; *p; p++) /* libpq's connection errors span lines */
        if (*p == '\n' || *p == '\t') *p = ' ';
    size_t n = strlen(dst);
    while (n && (dst[n - 1] == '\n' || dst[n - 1] == '\r'))
        dst[--n] = 0;
}

static bool conn_class(const char *st)
{
    return strncmp(st, "08", 2) == 0 || strcmp(st, "57P01") == 0 || strcmp(st, "57P02") == 0 ||
           strcmp(st, "57P03") == 0;
}

/* maps a failed result (or NULL) to DB_E*, records the message: only the primary message and
 * the SQLSTATE, since the DETAIL of a unique violation quotes the values (personal data) */
static int fail(struct pg_conn *c, PGresult *r)
{
    const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *prim = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (prim) {
        /* a data exception quotes the value it could not take ('invalid input syntax for type
         * bigint: "..."'): keep the message up to the quote */
        int n = (int)strlen(prim);
        const char *q = st && strncmp(st, "22", 2) == 0 ? strchr(prim, '"') : NULL;
        if (q) n = (int)(q - prim);
        snprintf(c->base.err, sizeof c->base.err, "%.*s (SQLSTATE %s)", n, prim, st ? st : "?");
    } else {
        put_msg(c->base.err, sizeof c->base.err, PQerrorMessage(c->h));
    }
    if (PQstatus(c->h) == CONNECTION_BAD || !st || conn_class(st)) {
        c->broken = true;
        return DB_EUNAVAIL;
    }
    if (!strcmp(st, "40001") || !strcmp(st, "40P01") || !strcmp(st, "55P03")) return DB_EBUSY;
    if (strncmp(st, "23", 2) == 0) return DB_ECONSTRAINT;
    return DB_ERR;
}

static void quiet(void *arg, const char *msg)
{
    /* notices ("relation already exists, skipping") would go to stderr */
    (void)arg;
    (void)msg;
}

static PGconn *connect_db(struct pool *p, char *err, size_t errlen)
{
    /* defaults first: the URL (expanded from dbname) overrides them */
    const char *kw[] = {"connect_timeout",
                        "application_name",
                        "client_encoding",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        "options",
                        "dbname",
                        NULL};
    const char *val[] = {"2",
                         "layan",
                         "UTF8",
                         "30",
                         "10",
                         "3",
                         p->o.readonly ? "-c default_transaction_read_only=on" : "",
                         p->url,
                         NULL};
    PGconn *h = PQconnectdbParams(kw, val, 1);
    if (!h) abort();
    if (PQstatus(h) != CONNECTION_OK) {
        put_msg(err, errlen, PQerrorMessage(h));
        PQfinish(h);
        return NULL;
    }
    PQsetNoticeProcessor(h, quiet, NULL);
    return h;
}

static int drv_open(const char *target, const db_options *o, void **impl, char *err, size_t errlen)
{
    char *perr = NULL;
    PQconninfoOption *opts = PQconninfoParse(target, &perr);
    if (!opts) {
        char m[200];
        put_msg(m, sizeof m, perr ? perr : "out of memory");
        snprintf(err, errlen, "bad PostgreSQL URL: %s", m);
        PQfreemem(perr);
        return DB_ERR;
    }
    PQconninfoFree(opts);
    struct pool *p = calloc(1, sizeof *p);
    if (!p) abort();
    p->url = strdup(target);
    p->o = *o;
    p->n = o->max_conns > 0 ? o->max_conns : DEFAULT_POOL;
    p->conns = calloc((size_t)p->n, sizeof *p->conns);
    if (!p->url || !p->conns) abort();
    /* open one connection now, so a wrong URL or a server that is not there is reported at
     * start, like a bad path on SQLite */
    char m[DB_ERRMSG_MAX];
    p->conns[0].h = connect_db(p, m, sizeof m);
    if (!p->conns[0].h) {
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", m);
        free(p->conns);
        free(p->url);
        free(p);
        return DB_EUNAVAIL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cv, &ca);
    pthread_condattr_destroy(&ca);
    for (int i = 0; i < p->n; i++) {
        p->conns[i].base.drv = &db_pg_driver;
        p->conns[i].pool = p;
    }
    /* the rest of the pool now, when asked; one that fails opens on demand later */
    for (int i = 1; o->open_all && i < p->n; i++)
        p->conns[i].h = connect_db(p, m, sizeof m);
    *impl = p;
    return DB_OK;
}

static void free_decoded(struct pg_stmt *s)
{
    if (!s->dec) return;
    for (int i = 0; i < s->ncols; i++)
        if (s->dec[i].p) {
            PQfreemem(s->dec[i].p);
            s->dec[i].p = NULL;
        }
}

/* back to "prepared, not executed", bindings kept */
static void stmt_reset(struct pg_stmt *s)
{
    free_decoded(s);
    PQclear(s->res);
    s->res = NULL;
    s->row = 0;
    s->done = false;
}

static void clear_bindings(struct pg_stmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->lens[i] = 0;
        s->fmts[i] = 0;
    }
}

static void stmt_free(struct pg_stmt *s)
{
    stmt_reset(s);
    clear_bindings(s);
    free(s->dec);
    free(s->vals);
    free(s->lens);
    free(s->fmts);
    free(s->sql);
    free(s);
}

/* statements a caller forgot to finish */
static void reclaim(struct pg_conn *c)
{
    for (int i = 0; i < c->ncache; i++)
        if (c->cache[i]->busy) {
            LOGW("db: statement not finished before release: %.80s", c->cache[i]->sql);
            stmt_reset(c->cache[i]);
            clear_bindings(c->cache[i]);
            c->cache[i]->busy = false;
        }
    while (c->privates) {
        struct pg_stmt *s = c->privates;
        c->privates = s->next_private;
        LOGW("db: statement not finished before release: %.80s", s->sql);
        stmt_free(s);
    }
}

static void drop_dealloc(struct pg_conn *c)
{
    for (int i = 0; i < c->ndealloc; i++)
        free(c->dealloc[i]);
    free(c->dealloc);
    c->dealloc = NULL;
    c->ndealloc = 0;
}

/* closes the session and forgets its statements (they lived in it) */
static void close_conn(struct pg_conn *c)
{
    reclaim(c);
    for (int i = 0; i < c->ncache; i++)
        stmt_free(c->cache[i]);
    c->ncache = 0;
    drop_dealloc(c);
    if (c->h) PQfinish(c->h);
    c->h = NULL;
    c->broken = false;
}

static void drv_close(void *impl)
{
    struct pool *p = impl;
    for (int i = 0; i < p->n; i++)
        close_conn(&p->conns[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->conns);
    free(p->url);
    free(p);
}

static struct pg_conn *pick(struct pool *p, pthread_t self)
{
    struct pg_conn *open = NULL, *closed = NULL;
    for (int i = 0; i < p->n; i++) {
        struct pg_conn *c = &p->conns[i];
        if (c->in_use) continue;
        if (c->h && c->has_owner && pthread_equal(c->owner, self)) return c;
        if (c->h && !open) open = c;
        if (!c->h && !closed) closed = c;
    }
    return open ? open : closed;
}

/* An idle session has nothing to say; if its socket is readable, the server has closed it
 * (shutdown, restart, a terminated backend) or sent a notice. Finding out costs no round trip. */
static bool idle_alive(PGconn *h)
{
    if (PQstatus(h) != CONNECTION_OK) return false;
    struct pollfd pfd = {.fd = PQsocket(h), .events = POLLIN};
    if (pfd.fd < 0) return false;
    int r = poll(&pfd, 1, 0);
    if (r == 0) return true;
    if (r < 0) return false;
    if (!PQconsumeInput(h) || PQstatus(h) != CONNECTION_OK) return false;
    PGnotify *nt;
    while ((nt = PQnotifies(h)))
        PQfreemem(nt);
    return true;
}

static db_conn *drv_acquire(void *impl, int timeout_ms)
{
    struct pool *p = impl;
    if (timeout_ms < 0)
        timeout_ms = p->o.busy_timeout_ms > 0 ? p->o.busy_timeout_ms : DEFAULT_BUSY_MS;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_t self = pthread_self();
    pthread_mutex_lock(&p->mu);
    struct pg_conn *c;
    while (!(c = pick(p, self)))
        if (pthread_cond_timedwait(&p->cv, &p->mu, &until) != 0 && !(c = pick(p, self))) break;
    if (c) {
        c->in_use = true;
        c->owner = self;
        c->has_owner = true;
    }
    pthread_mutex_unlock(&p->mu);
    if (!c) {
        LOGW("db: no free connection within %d ms (pool of %d)", timeout_ms, p->n);
        return NULL;
    }
    if (c->h && !idle_alive(c->h)) close_conn(c);
    if (!c->h) {
        char err[DB_ERRMSG_MAX];
        c->h = connect_db(p, err, sizeof err);
        pthread_mutex_lock(&p->mu);
        bool was_down = p->down;
        p->down = !c->h;
        if (!c->h) {
            c->in_use = false;
            pthread_cond_signal(&p->cv);
        }
        pthread_mutex_unlock(&p->mu);
        if (!c->h) {
            if (!was_down) LOGE("db: cannot connect to PostgreSQL: %s", err);
            return NULL;
        }
        if (was_down) LOGI("db: PostgreSQL is reachable again");
    }
    c->base.err[0] = 0;
    return &c->base;
}

static void flush_dealloc(struct pg_conn *c)
{
    if (!c->ndealloc || c->broken || PQtransactionStatus(c->h) == PQTRANS_INERROR) return;
    for (int i = 0; i < c->ndealloc; i++) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", c->dealloc[i]);
        PGresult *r = PQexec(c->h, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) fail(c, r);
        PQclear(r);
    }
    drop_dealloc(c);
}

static void drv_release(db_conn *dc)
{
    struct pg_conn *c = CONN(dc);
    struct pool *p = c->pool;
    reclaim(c);
    if (c->h && !c->broken && PQtransactionStatus(c->h) != PQTRANS_IDLE) {
        LOGW("db: transaction left open at release: rolled back");
        PGresult *r = PQexec(c->h, "ROLLBACK");
        if (PQresultStatus(r) != PGRES_COMMAND_OK) fail(c, r);
        PQclear(r);
    }
    if (c->h && !c->broken) flush_dealloc(c);
    if (c->h && (c->broken || PQstatus(c->h) != CONNECTION_OK)) close_conn(c);
    pthread_mutex_lock(&p->mu);
    c->in_use = false;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static long ms_left(const struct timespec *until)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (until->tv_sec - now.tv_sec) * 1000L + (until->tv_nsec - now.tv_nsec) / 1000000L;
}

/* SELECT 1 answered within the deadline; a session that does not answer is marked broken (it
 * is closed on release: its late answer would confuse the next query) */
static bool ping_conn(struct pg_conn *c, const struct timespec *until)
{
    if (!PQsendQuery(c->h, "SELECT 1")) goto broken;
    while (PQisBusy(c->h)) {
        long left = ms_left(until);
        if (left <= 0) goto broken;
        struct pollfd pfd = {.fd = PQsocket(c->h), .events = POLLIN};
        int pr = poll(&pfd, 1, (int)left);
        if (pr < 0) goto broken;
        if (pr == 0) continue;
        if (!PQconsumeInput(c->h)) goto broken;
    }
    bool ok = false;
    PGresult *r;
    while ((r = PQgetResult(c->h))) {
        if (PQresultStatus(r) == PGRES_TUPLES_OK) ok = true;
        else fail(c, r);
        PQclear(r);
    }
    return ok;
broken:
    c->broken = true;
    snprintf(c->base.err, sizeof c->base.err, "PostgreSQL did not answer within %d ms",
             PING_WAIT_MS);
    return false;
}

static bool drv_ping(void *impl)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += PING_WAIT_MS / 1000;
    /* twice: a pooled session may have died since its last use (closed on release) */
    for (int attempt = 0; attempt < 2; attempt++) {
        long left = ms_left(&until);
        if (left <= 0) return false;
        db_conn *dc = drv_acquire(impl, (int)left);
        if (!dc) return false;
        struct pg_conn *c = CONN(dc);
        bool ok = ping_conn(c, &until);
        bool retry = !ok && c->broken;
        drv_release(dc);
        if (ok || !retry) return ok;
    }
    return false;
}

static bool result_ok(PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
}

/* like SQLite's changes(): only INSERT, UPDATE, DELETE and MERGE count */
static void note_changes(struct pg_conn *c, PGresult *r)
{
    const char *tag = PQcmdStatus(r);
    if (strncmp(tag, "INSERT", 6) && strncmp(tag, "UPDATE", 6) && strncmp(tag, "DELETE", 6) &&
        strncmp(tag, "MERGE", 5))
        return;
    c->changes = strtoll(PQcmdTuples(r), NULL, 10);
}

static int drv_exec(db_conn *dc, const char *sql)
{
    struct pg_conn *c = CONN(dc);
    PGresult *r = PQexec(c->h, sql);
    int rc = DB_OK;
    if (result_ok(r)) note_changes(c, r);
    else rc = fail(c, r);
    PQclear(r);
    return rc;
}

/* READ COMMITTED, PostgreSQL's default, said explicitly: see storage.md */
static int drv_begin(db_conn *c)
{
    return drv_exec(c, "BEGIN ISOLATION LEVEL READ COMMITTED");
}

static int drv_commit(db_conn *dc)
{
    struct pg_conn *c = CONN(dc);
    PGresult *r = PQexec(c->h, "COMMIT");
    int rc = DB_OK;
    if (!result_ok(r)) rc = fail(c, r);
    else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        /* COMMIT of a transaction that had failed "succeeds" as a rollback */
        snprintf(c->base.err, sizeof c->base.err, "the transaction had failed and was rolled back");
        rc = DB_ERR;
    }
    PQclear(r);
    return rc;
}

static int drv_rollback(db_conn *dc)
{
    struct pg_conn *c = CONN(dc);
    PGTransactionStatusType ts = PQtransactionStatus(c->h);
    if (ts == PQTRANS_IDLE) return DB_OK;
    if (ts == PQTRANS_UNKNOWN) { /* the session is gone, and its transaction with it */
        c->broken = true;
        return DB_OK;
    }
    return drv_exec(dc, "ROLLBACK");
}

static bool drv_in_tx(db_conn *c)
{
    PGTransactionStatusType ts = PQtransactionStatus(CONN(c)->h);
    return ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR || ts == PQTRANS_ACTIVE;
}

static int drv_has_table(db_conn *dc, const char *name)
{
    struct pg_conn *c = CONN(dc);
    const char *v[1] = {name};
    PGresult *r =
        PQexecParams(c->h, "SELECT to_regclass($1) IS NOT NULL", 1, NULL, v, NULL, NULL, 0);
    int rc;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        rc = PQgetvalue(r, 0, 0)[0] == 't';
    else rc = fail(c, r);
    PQclear(r);
    return rc;
}

static int64_t drv_changes(db_conn *c)
{
    return CONN(c)->changes;
}

static int64_t drv_last_id(db_conn *c)
{
    (void)c;
    return -1; /* use INSERT ... RETURNING id */
}

static uint64_t hash_sql(const char *s, size_t *len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    const char *p = s;
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    *len = (size_t)(p - s);
    return h;
}

/* only white space and -- comments: SQLite refuses it at prepare, so do we */
static bool blank_sql(const char *p)
{
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        return *p == 0;
    }
}

static struct pg_stmt *new_stmt(struct pg_conn *c, const char *sql, size_t len, int nparams,
                                int ncols)
{
    struct pg_stmt *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->base.drv = &db_pg_driver;
    s->base.c = &c->base;
    s->sql = malloc(len + 1);
    s->nparams = nparams;
    s->ncols = ncols;
    size_t np = nparams > 0 ? (size_t)nparams : 1;
    s->vals = calloc(np, sizeof *s->vals);
    s->lens = calloc(np, sizeof *s->lens);
    s->fmts = calloc(np, sizeof *s->fmts);
    if (!s->sql || !s->vals || !s->lens || !s->fmts) abort();
    memcpy(s->sql, sql, len + 1);
    s->busy = true;
    return s;
}

/* prepares under name ("" = the unnamed statement) and reads its parameter and column counts */
static int server_prepare(struct pg_conn *c, const char *name, const char *sql, int *nparams,
                          int *ncols)
{
    PGresult *r = PQprepare(c->h, name, sql, 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = fail(c, r);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    r = PQdescribePrepared(c->h, name);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        int rc = fail(c, r);
        PQclear(r);
        return rc;
    }
    *nparams = PQnparams(r);
    *ncols = PQnfields(r);
    PQclear(r);
    return DB_OK;
}

static void evict(struct pg_conn *c, int i)
{
    struct pg_stmt *s = c->cache[i];
    char **d = realloc(c->dealloc, (size_t)(c->ndealloc + 1) * sizeof *d);
    if (!d) abort();
    c->dealloc = d;
    c->dealloc[c->ndealloc] = strdup(s->name);
    if (!c->dealloc[c->ndealloc]) abort();
    c->ndealloc++;
    stmt_free(s);
    c->cache[i] = c->cache[--c->ncache];
    if (PQtransactionStatus(c->h) != PQTRANS_INERROR) flush_dealloc(c);
}

static db_stmt *drv_prepare(db_conn *dc, const char *sql)
{
    struct pg_conn *c = CONN(dc);
    size_t len;
    uint64_t h = hash_sql(sql, &len);
    struct pg_stmt *twin = NULL;
    for (int i = 0; i < c->ncache; i++) {
        struct pg_stmt *s = c->cache[i];
        if (s->hash != h || strcmp(s->sql, sql) != 0) continue;
        if (s->busy) { /* the same SQL in a nested loop: give a private statement */
            twin = s;
            break;
        }
        stmt_reset(s);
        clear_bindings(s);
        s->busy = true;
        s->used = ++c->tick;
        return &s->base;
    }
    if (blank_sql(sql)) {
        snprintf(c->base.err, sizeof c->base.err, "empty SQL statement");
        return NULL;
    }
    if (twin) { /* already checked by the server: no round trip */
        struct pg_stmt *s = new_stmt(c, sql, len, twin->nparams, twin->ncols);
        s->priv = true;
        s->next_private = c->privates;
        c->privates = s;
        return &s->base;
    }
    if (c->ncache == STMT_CACHE) {
        int lru = -1;
        for (int i = 0; i < c->ncache; i++)
            if (!c->cache[i]->busy && (lru < 0 || c->cache[i]->used < c->cache[lru]->used)) lru = i;
        if (lru >= 0) evict(c, lru);
    }
    int np = 0, nc = 0;
    if (c->ncache == STMT_CACHE) { /* every cached statement is in use: this one stays private */
        if (server_prepare(c, "", sql, &np, &nc) != DB_OK) return NULL;
        struct pg_stmt *s = new_stmt(c, sql, len, np, nc);
        s->priv = true;
        s->next_private = c->privates;
        c->privates = s;
        return &s->base;
    }
    char name[16];
    snprintf(name, sizeof name, "ly%u", ++c->next_name);
    if (server_prepare(c, name, sql, &np, &nc) != DB_OK) return NULL;
    struct pg_stmt *s = new_stmt(c, sql, len, np, nc);
    memcpy(s->name, name, sizeof name);
    s->hash = h;
    s->used = ++c->tick;
    c->cache[c->ncache++] = s;
    return &s->base;
}

static void drv_finish(db_stmt *ds)
{
    struct pg_stmt *s = STMT(ds);
    struct pg_conn *c = CONN(ds->c);
    if (!s->priv) {
        stmt_reset(s);
        clear_bindings(s); /* the values may be large or personal: not kept while idle */
        s->busy = false;
        return;
    }
    for (struct pg_stmt **pp = &c->privates; *pp; pp = &(*pp)->next_private)
        if (*pp == s) {
            *pp = s->next_private;
            break;
        }
    stmt_free(s);
}

/* stores a bound value (taking v); a statement already run starts again, as SQLite needs a
 * reset before new bindings */
static int set_param(struct pg_stmt *s, int idx, char *v, int len, int fmt)
{
    if (idx < 1 || idx > s->nparams) {
        free(v);
        snprintf(s->base.c->err, sizeof s->base.c->err,
                 "parameter $%d out of range (the statement has %d)", idx, s->nparams);
        return DB_ERR;
    }
    if (s->res || s->done) stmt_reset(s);
    free(s->vals[idx - 1]);
    s->vals[idx - 1] = v;
    s->lens[idx - 1] = len;
    s->fmts[idx - 1] = fmt;
    return DB_OK;
}

static char *dup_text(const char *p, size_t n)
{
    char *v = malloc(n + 1);
    if (!v) abort();
    memcpy(v, p, n);
    v[n] = 0;
    return v;
}

static int drv_bind_int(db_stmt *ds, int idx, int64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", (long long)v);
    return set_param(STMT(ds), idx, dup_text(t, (size_t)n), n, 0);
}

static int drv_bind_text(db_stmt *ds, int idx, const char *p, size_t n)
{
    if (memchr(p, 0, n)) { /* PostgreSQL text cannot hold NUL; SQLite's can */
        snprintf(ds->c->err, sizeof ds->c->err, "text parameter $%d contains a NUL byte", idx);
        return DB_ERR;
    }
    return set_param(STMT(ds), idx, dup_text(p, n), (int)n, 0);
}

static int drv_bind_blob(db_stmt *ds, int idx, const void *p, size_t n)
{
    if (n > INT32_MAX) {
        snprintf(ds->c->err, sizeof ds->c->err, "blob parameter $%d is too large", idx);
        return DB_ERR;
    }
    char *v = malloc(n ? n : 1);
    if (!v) abort();
    if (n) memcpy(v, p, n);
    return set_param(STMT(ds), idx, v, (int)n, 1); /* binary: the raw bytes of a bytea */
}

static int drv_bind_null(db_stmt *ds, int idx)
{
    return set_param(STMT(ds), idx, NULL, 0, 0);
}

static int drv_bind_double(db_stmt *ds, int idx, double v)
{
    char t[40];
    int n = snprintf(t, sizeof t, "%.17g", v);
    return set_param(STMT(ds), idx, dup_text(t, (size_t)n), n, 0);
}

static int drv_step(db_stmt *ds)
{
    struct pg_stmt *s = STMT(ds);
    struct pg_conn *c = CONN(ds->c);
    free_decoded(s);
    if (s->res && !s->done) {
        if (++s->row < PQntuples(s->res)) return DB_ROW;
        s->done = true;
        PQclear(s->res); /* the rows are no longer readable: free them now */
        s->res = NULL;
        return DB_DONE;
    }
    stmt_reset(s); /* first step, or a step after DB_DONE: run it (again), as SQLite does */
    const char *const *vals = (const char *const *)s->vals;
    PGresult *r = s->priv ? PQexecParams(c->h, s->sql, s->nparams, NULL, vals, s->lens, s->fmts, 0)
                          : PQexecPrepared(c->h, s->name, s->nparams, vals, s->lens, s->fmts, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK) {
        note_changes(c, r); /* INSERT ... RETURNING */
        if (PQntuples(r) > 0) {
            s->res = r;
            s->row = 0;
            if (PQnfields(r) != s->ncols) { /* SELECT * after the table changed */
                free(s->dec);
                s->dec = NULL;
                s->ncols = PQnfields(r);
            }
            return DB_ROW;
        }
        PQclear(r);
        s->done = true;
        return DB_DONE;
    }
    if (st == PGRES_COMMAND_OK || st == PGRES_EMPTY_QUERY) {
        note_changes(c, r);
        PQclear(r);
        s->done = true;
        return DB_DONE;
    }
    int rc = fail(c, r);
    PQclear(r);
    return rc;
}

static int drv_col_count(db_stmt *s)
{
    return STMT(s)->res ? PQnfields(STMT(s)->res) : STMT(s)->ncols;
}

static bool has_col(struct pg_stmt *s, int col)
{
    return s->res && col >= 0 && col < PQnfields(s->res) && s->row < PQntuples(s->res);
}

static bool drv_col_is_null(db_stmt *ds, int col)
{
    struct pg_stmt *s = STMT(ds);
    return !has_col(s, col) || PQgetisnull(s->res, s->row, col);
}

static int64_t drv_col_int(db_stmt *ds, int col)
{
    struct pg_stmt *s = STMT(ds);
    if (drv_col_is_null(ds, col)) return 0;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) == BOOLOID) return v[0] == 't';
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end == '.' || *end == 'e' || *end == 'E') return (int64_t)strtod(v, NULL);
    return n;
}

static double drv_col_double(db_stmt *ds, int col)
{
    struct pg_stmt *s = STMT(ds);
    if (drv_col_is_null(ds, col)) return 0;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) == BOOLOID) return v[0] == 't';
    return strtod(v, NULL);
}

static str drv_col_text(db_stmt *ds, int col)
{
    struct pg_stmt *s = STMT(ds);
    if (drv_col_is_null(ds, col)) return STR_NULL;
    return (str){PQgetvalue(s->res, s->row, col), (size_t)PQgetlength(s->res, s->row, col)};
}

static const void *drv_col_blob(db_stmt *ds, int col, size_t *n)
{
    struct pg_stmt *s = STMT(ds);
    *n = 0;
    if (drv_col_is_null(ds, col)) return NULL;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) != BYTEAOID) {
        *n = (size_t)PQgetlength(s->res, s->row, col);
        return v;
    }
    if (!s->dec) {
        s->dec = calloc((size_t)s->ncols, sizeof *s->dec);
        if (!s->dec) abort();
    }
    if (!s->dec[col].p) {
        s->dec[col].p = PQunescapeBytea((const unsigned char *)v, &s->dec[col].n);
        if (!s->dec[col].p) abort();
    }
    *n = s->dec[col].n;
    return s->dec[col].p;
}

static const struct db_sql_macro pg_macros[] = {
    {"id_pk", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"blob", "BYTEA"},
    {NULL, NULL},
};

const struct db_driver db_pg_driver = {
    .name = "pg",
    .engine = "postgresql",
    .macros = pg_macros,
    /* two processes migrating at once: the second waits for the first's transaction */
    .migrate_lock_sql = "SELECT pg_advisory_xact_lock(7403298461)",
    .open = drv_open,
    .close = drv_close,
    .acquire = drv_acquire,
    .release = drv_release,
    .ping = drv_ping,
    .exec = drv_exec,
    .begin = drv_begin,
    .commit = drv_commit,
    .rollback = drv_rollback,
    .in_tx = drv_in_tx,
    .has_table = drv_has_table,
    .changes = drv_changes,
    .last_id = drv_last_id,
    .prepare = drv_prepare,
    .bind_int = drv_bind_int,
    .bind_text = drv_bind_text,
    .bind_blob = drv_bind_blob,
    .bind_null = drv_bind_null,
    .bind_double = drv_bind_double,
    .step = drv_step,
    .col_count = drv_col_count,
    .col_is_null = drv_col_is_null,
    .col_int = drv_col_int,
    .col_double = drv_col_double,
    .col_text = drv_col_text,
    .col_blob = drv_col_blob,
    .finish = drv_finish,
};

/* The SQLite driver through db.h: URLs and open errors, the durability pragmas, migrations and
 * refusing a newer schema, binding and stepping, the statement cache, transactions, error
 * mapping, the pool, readiness, and a commit surviving kill -9. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"

static char dir[256], path[300], url[320];

static void rm_db(void)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char p[400];
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/layan-test-db-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/t.db", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rm_db();
    rmdir(dir);
    return 0;
}

static db *open_db(const db_options *o)
{
    db *d = NULL;
    char err[256];
    int r = db_open(url, o, &d, err, sizeof err);
    if (r != DB_OK) fail_msg("open %s: %s", url, err);
    return d;
}

static db *open_migrated(void)
{
    rm_db();
    db *d = open_db(NULL);
    char err[256];
    assert_int_equal(db_migrate(d, err, sizeof err), DB_OK);
    return d;
}

static int64_t one_int(db_conn *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) fail_msg("%s: %s", sql, db_errmsg(c));
    assert_int_equal(db_step(s), DB_ROW);
    int64_t v = db_col_int(s, 0);
    db_finish(s);
    return v;
}

static void test_open_errors(void **state)
{
    (void)state;
    db *d = NULL;
    char err[256];
    assert_int_equal(db_open("mysql://x", NULL, &d, err, sizeof err), DB_ERR);
    assert_non_null(strstr(err, "sqlite:"));
    assert_int_equal(db_open("sqlite:", NULL, &d, err, sizeof err), DB_ERR);
    /* a PostgreSQL URL goes to the PostgreSQL driver (here: no server behind the socket) */
    assert_int_equal(
        db_open("postgresql:///layan?host=/nonexistent-layan-dir", NULL, &d, err, sizeof err),
        DB_EUNAVAIL);
    assert_non_null(strstr(err, "PostgreSQL"));
    assert_int_equal(db_open("sqlite:/nonexistent-layan-dir/x/y.db", NULL, &d, err, sizeof err),
                     DB_EUNAVAIL);
    assert_null(d);
    /* a file that is not a database */
    rm_db();
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 64; i++)
        fputs("this is not an SQLite database file\n", f);
    fclose(f);
    assert_int_equal(db_open(url, NULL, &d, err, sizeof err), DB_EUNAVAIL);
    rm_db();
}

static void test_durability_pragmas(void **state)
{
    (void)state;
    db *d = open_migrated();
    assert_string_equal(db_engine(d), "sqlite");
    db_conn *c = db_acquire(d);
    assert_non_null(c);
    db_stmt *s = db_prepare(c, "PRAGMA journal_mode");
    assert_int_equal(db_step(s), DB_ROW);
    str m = db_col_text(s, 0);
    assert_true(str_eq_c(m, "wal"));
    db_finish(s);
    assert_int_equal(one_int(c, "PRAGMA synchronous"), 2); /* FULL: NORMAL (1) loses commits */
    assert_int_equal(one_int(c, "PRAGMA foreign_keys"), 1);
    db_release(c);
    db_close(d);
}

static double mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* db_after_commit: runs after the commit (when other connections see the change), once per
 * transaction, never after a rollback, and at once outside a transaction */
static int hook_runs;
static db *hook_db;
static int hook_seen; /* what another connection saw when the hook ran */
static void hook(void)
{
    hook_runs++;
    db_conn *o = db_acquire(hook_db);
    hook_seen = (int)one_int(o, "SELECT COUNT(*) FROM settings WHERE key = 'hook'");
    db_release(o);
}

static void test_after_commit(void **state)
{
    (void)state;
    hook_db = open_migrated();
    db_conn *c = db_acquire(hook_db);
    hook_runs = 0;
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO settings (key, value) VALUES ('hook', '1')"), DB_OK);
    db_after_commit(c, hook);
    db_after_commit(c, hook);
    assert_int_equal(hook_runs, 0);
    assert_int_equal(db_commit(c), DB_OK);
    assert_int_equal(hook_runs, 1);
    assert_int_equal(hook_seen, 1);
    assert_int_equal(db_begin(c), DB_OK);
    db_after_commit(c, hook);
    assert_int_equal(db_rollback(c), DB_OK);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_commit(c), DB_OK);
    assert_int_equal(hook_runs, 1); /* the rolled back one was forgotten */
    db_after_commit(c, hook);
    assert_int_equal(hook_runs, 2);
    db_release(c);
    db_close(hook_db);
}

/* a write from another process (here: another pool) while a transaction holds the lock waits
 * for the busy timeout before giving up, instead of failing at once */
static void test_busy_waits(void **state)
{
    (void)state;
    db *d1 = open_migrated();
    db_options o = {.busy_timeout_ms = 300};
    db *d2 = open_db(&o);
    db_conn *c1 = db_acquire(d1), *c2 = db_acquire(d2);
    assert_int_equal(db_begin(c1), DB_OK);
    double t0 = mono_ms();
    assert_int_equal(db_exec(c2, "INSERT INTO settings (key, value) VALUES ('w', '1')"), DB_EBUSY);
    assert_true(mono_ms() - t0 >= 250.0);
    assert_int_equal(db_rollback(c1), DB_OK);
    assert_int_equal(db_exec(c2, "INSERT INTO settings (key, value) VALUES ('w', '1')"), DB_OK);
    db_release(c1);
    db_release(c2);
    db_close(d2);
    db_close(d1);
}

/* writers of one server queue on the pool's writer lock: the second BEGIN returns only once the
 * first transaction has ended, and gives up after the busy timeout */
struct queued {
    db *d;
    int hold_ms;
    volatile int begun;  /* set once the holder's transaction has begun */
    volatile int ending; /* set just before the holder commits */
};

/* waits (at most 10 s: the machine may be loaded) until the holder has begun */
static void wait_begun(struct queued *q)
{
    struct timespec ts = {0, 1000000L};
    for (int i = 0; i < 10000 && !__atomic_load_n(&q->begun, __ATOMIC_SEQ_CST); i++)
        nanosleep(&ts, NULL);
    assert_int_equal(__atomic_load_n(&q->begun, __ATOMIC_SEQ_CST), 1);
}

/* no cmocka asserts off the main thread: the outcome is returned and checked by the test */
static void *hold_write(void *p)
{
    struct queued *q = p;
    db_conn *c = db_acquire(q->d);
    int ok = c && db_begin(c) == DB_OK;
    __atomic_store_n(&q->begun, 1, __ATOMIC_SEQ_CST);
    ok = ok && db_exec(c, "UPDATE settings SET value = 'held' WHERE key = 'q'") == DB_OK;
    struct timespec ts = {0, q->hold_ms * 1000000L};
    nanosleep(&ts, NULL);
    __atomic_store_n(&q->ending, 1, __ATOMIC_SEQ_CST);
    ok = ok && db_commit(c) == DB_OK;
    if (c) db_release(c);
    return ok ? (void *)1 : NULL;
}

static void test_writer_queue(void **state)
{
    (void)state;
    db_close(open_migrated());
    db_options o = {.busy_timeout_ms = 2000};
    db *d = open_db(&o);
    db_conn *c = db_acquire(d);
    assert_int_equal(db_exec(c, "INSERT INTO settings (key, value) VALUES ('q', 'before')"), DB_OK);
    db_release(c);
    struct queued q = {d, 150, 0, 0};
    pthread_t t;
    pthread_create(&t, NULL, hold_write, &q);
    wait_begun(&q);
    c = db_acquire(d);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(__atomic_load_n(&q.ending, __ATOMIC_SEQ_CST), 1);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM settings WHERE value = 'held'"), 1);
    assert_int_equal(db_commit(c), DB_OK);
    db_release(c);
    void *held;
    pthread_join(t, &held);
    assert_non_null(held);
    db_close(d);

    /* a holder longer than the timeout: the queued writer gets DB_EBUSY, and may retry */
    o.busy_timeout_ms = 50;
    d = open_db(&o);
    struct queued q2 = {d, 300, 0, 0};
    pthread_create(&t, NULL, hold_write, &q2);
    wait_begun(&q2);
    c = db_acquire(d);
    assert_int_equal(db_begin(c), DB_EBUSY);
    assert_false(db_in_tx(c));
    pthread_join(t, &held);
    assert_non_null(held);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_rollback(c), DB_OK);
    db_release(c);
    db_close(d);
}

static void test_migrate(void **state)
{
    (void)state;
    rm_db();
    db *d = open_db(NULL);
    assert_int_equal(db_schema_version(d), 0);
    assert_true(db_schema_latest() >= 1);
    char err[256];
    assert_int_equal(db_migrate(d, err, sizeof err), DB_OK);
    assert_int_equal(db_schema_version(d), db_schema_latest());
    assert_int_equal(db_migrate(d, err, sizeof err), DB_OK); /* again: nothing to do */
    db_conn *c = db_acquire(d);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM schema_migrations"), db_schema_latest());
    db_stmt *s = db_prepare(c, "SELECT name, applied_at FROM schema_migrations WHERE version = 1");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(str_eq_c(db_col_text(s, 0), "0001_foundation.sql"));
    assert_int_equal(db_col_text(s, 1).n, 20); /* 2026-01-01T00:00:00Z */
    db_finish(s);
    /* {{id_pk}} expanded to a generated key */
    assert_int_equal(db_exec(c, "INSERT INTO units (code, type, name, name_search, created_at) "
                                "VALUES ('a', 'pemda', 'A', 'a', 'now')"),
                     DB_OK);
    assert_int_equal(one_int(c, "SELECT id FROM units WHERE code = 'a'"), 1);
    assert_int_equal(db_last_id(c), 1);
    db_release(c);
    db_close(d);
}

static void test_refuses_newer(void **state)
{
    (void)state;
    db *d = open_migrated();
    db_conn *c = db_acquire(d);
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations VALUES (%d, '9999_future.sql', '2099-01-01T00:00:00Z')",
             db_schema_latest() + 1);
    assert_int_equal(db_exec(c, sql), DB_OK);
    db_release(c);
    char err[256] = "";
    assert_int_equal(db_migrate(d, err, sizeof err), DB_ENEWER);
    assert_non_null(strstr(err, "upgrade layan"));
    assert_int_equal(db_schema_version(d), db_schema_latest() + 1);
    db_close(d);
}

static void test_bind_and_step(void **state)
{
    (void)state;
    db *d = open_migrated();
    db_conn *c = db_acquire(d);
    /* $N by number, whatever their order in the text, and used twice */
    db_stmt *s = db_prepare(c, "SELECT $2, $1, $2 || $1, $3, $4, $5, $6, $7");
    assert_non_null(s);
    const char big[] = "abcdef";
    db_bind_text(s, 1, (str){big, 3}); /* a slice, not NUL-terminated */
    db_bind_cstr(s, 2, "x");
    db_bind_int(s, 3, INT64_MIN);
    db_bind_double(s, 4, 0.25);
    db_bind_null(s, 5);
    db_bind_blob(s, 6, "a\0b", 3);
    db_bind_cstr(s, 7, NULL);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_count(s), 8);
    assert_true(str_eq_c(db_col_text(s, 0), "x"));
    assert_true(str_eq_c(db_col_text(s, 1), "abc"));
    assert_true(str_eq_c(db_col_text(s, 2), "xabc"));
    assert_true(db_col_int(s, 3) == INT64_MIN);
    assert_true(db_col_double(s, 4) == 0.25);
    assert_true(db_col_is_null(s, 5));
    size_t n;
    const char *b = db_col_blob(s, 6, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(b, "a\0b", 3);
    assert_true(db_col_is_null(s, 7));
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    /* a missing binding is NULL, not the previous value */
    s = db_prepare(c, "SELECT $1");
    db_bind_int(s, 1, 7);
    assert_int_equal(db_step(s), DB_ROW);
    db_finish(s);
    s = db_prepare(c, "SELECT $1");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_is_null(s, 0));
    db_finish(s);
    /* binding a number the statement does not have is an error */
    s = db_prepare(c, "SELECT $1");
    assert_true(db_bind_int(s, 2, 1) < 0);
    db_finish(s);
    /* changes */
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('a', '1'), ('b', '2')"), DB_OK);
    s = db_prepare(c, "UPDATE settings SET value = 'x' WHERE key <> $1");
    db_bind_cstr(s, 1, "zzz");
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    assert_int_equal(db_changes(c), 2);
    db_release(c);
    db_close(d);
}

static void test_statement_cache(void **state)
{
    (void)state;
    db *d = open_migrated();
    db_conn *c = db_acquire(d);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('a', '1'), ('b', '2'), ('c', '3')"),
                     DB_OK);
    const char *q = "SELECT key FROM settings ORDER BY key";
    db_stmt *s1 = db_prepare(c, q);
    db_finish(s1);
    char copy[64];
    snprintf(copy, sizeof copy, "%s", q);
    db_stmt *s2 = db_prepare(c, copy); /* same text, another pointer: the cached statement */
    assert_ptr_equal(s1, s2);
    db_finish(s2);
    /* the key is a copy: the caller's buffer may change afterwards */
    char text[64];
    snprintf(text, sizeof text, "SELECT 1");
    db_stmt *a = db_prepare(c, text);
    db_finish(a);
    snprintf(text, sizeof text, "SELECT 2");
    a = db_prepare(c, text);
    assert_int_equal(db_step(a), DB_ROW);
    assert_int_equal(db_col_int(a, 0), 2);
    db_finish(a);
    /* the same SQL nested: the inner one is a private statement, the outer keeps its place */
    db_stmt *outer = db_prepare(c, q);
    int rows = 0, inner_rows = 0;
    while (db_step(outer) == DB_ROW) {
        rows++;
        db_stmt *inner = db_prepare(c, q);
        assert_ptr_not_equal(inner, outer);
        while (db_step(inner) == DB_ROW)
            inner_rows++;
        db_finish(inner);
    }
    db_finish(outer);
    assert_int_equal(rows, 3);
    assert_int_equal(inner_rows, 9);
    /* more distinct statements than the cache holds while one is in use: it stays valid */
    db_stmt *held = db_prepare(c, q);
    assert_int_equal(db_step(held), DB_ROW);
    for (int i = 0; i < 300; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT %d", i);
        db_stmt *s = db_prepare(c, sql);
        assert_non_null(s);
        assert_int_equal(db_step(s), DB_ROW);
        assert_int_equal(db_col_int(s, 0), i);
        db_finish(s);
    }
    assert_int_equal(db_step(held), DB_ROW);
    assert_true(str_eq_c(db_col_text(held, 0), "b"));
    db_finish(held);
    /* syntax errors */
    assert_null(db_prepare(c, "SELEKT 1"));
    assert_non_null(strstr(db_errmsg(c), "syntax"));
    assert_null(db_prepare(c, "   "));
    db_release(c);
    db_close(d);
}

static void test_transactions(void **state)
{
    (void)state;
    db *d = open_migrated();
    db_conn *c = db_acquire(d);
    assert_false(db_in_tx(c));
    assert_int_equal(db_begin(c), DB_OK);
    assert_true(db_in_tx(c));
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k', 'v')"), DB_OK);
    assert_int_equal(db_rollback(c), DB_OK);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM settings"), 0);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k', 'v')"), DB_OK);
    assert_int_equal(db_commit(c), DB_OK);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM settings"), 1);
    /* a transaction left open is rolled back when the connection goes back to the pool */
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k2', 'v')"), DB_OK);
    db_release(c);
    c = db_acquire(d);
    assert_false(db_in_tx(c));
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM settings"), 1);
    db_release(c);
    db_close(d);
}

static void test_error_mapping(void **state)
{
    (void)state;
    db *d = open_migrated();
    db_conn *c = db_acquire(d);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k', 'v')"), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k', 'w')"), DB_ECONSTRAINT);
    /* foreign keys are on */
    assert_int_equal(db_exec(c, "INSERT INTO unit_hours VALUES (999, 1, 480, 900, NULL, NULL)"),
                     DB_ECONSTRAINT);
    /* checks: a holiday kind, hours closing before opening, a break outside the hours */
    db_stmt *s =
        db_prepare(c, "INSERT INTO holidays VALUES ('2026-01-01', 'x', 'party', 'manual')");
    assert_int_equal(db_step(s), DB_ECONSTRAINT);
    db_finish(s);
    assert_int_equal(db_exec(c, "INSERT INTO units (code, type, name, name_search, created_at) "
                                "VALUES ('u', 'kecamatan', 'U', 'u', 'now')"),
                     DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO unit_hours VALUES (1, 1, 900, 480, NULL, NULL)"),
                     DB_ECONSTRAINT);
    assert_int_equal(db_exec(c, "INSERT INTO unit_hours VALUES (1, 1, 480, 900, 400, 500)"),
                     DB_ECONSTRAINT);
    assert_int_equal(db_exec(c, "INSERT INTO unit_hours VALUES (1, 1, 480, 900, 720, 780)"), DB_OK);
    /* the audit log is append-only */
    assert_int_equal(db_exec(c, "INSERT INTO audit_log (at, actor, action) VALUES ('t', 'a', 'b')"),
                     DB_OK);
    assert_true(db_exec(c, "UPDATE audit_log SET actor = 'x'") < 0);
    assert_non_null(strstr(db_errmsg(c), "append-only"));
    assert_true(db_exec(c, "DELETE FROM audit_log") < 0);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM audit_log WHERE actor = 'a'"), 1);
    db_release(c);
    db_close(d);
}

static void test_busy(void **state)
{
    (void)state;
    db *d1 = open_migrated();
    db_options o = {.busy_timeout_ms = 50};
    db *d2 = open_db(&o);
    db_conn *c1 = db_acquire(d1), *c2 = db_acquire(d2);
    assert_int_equal(db_begin(c1), DB_OK);
    assert_int_equal(db_begin(c2), DB_EBUSY); /* one writer at a time; safe to retry */
    /* readers are not blocked by the writer (WAL) */
    assert_int_equal(one_int(c2, "SELECT COUNT(*) FROM settings"), 0);
    assert_int_equal(db_commit(c1), DB_OK);
    assert_int_equal(db_begin(c2), DB_OK);
    assert_int_equal(db_rollback(c2), DB_OK);
    db_release(c1);
    db_release(c2);
    db_close(d2);
    db_close(d1);
}

/* db_retry_tx: a writer that holds the lock a little longer than the lock wait gets DB_EBUSY
 * once or twice, then the retry goes through; work that fails for another reason is not
 * retried */
struct holder {
    db_conn *c;
    int ms;
};

static void *hold_then_commit(void *p)
{
    struct holder *h = p;
    struct timespec ts = {0, h->ms * 1000000L};
    nanosleep(&ts, NULL);
    db_commit(h->c);
    return NULL;
}

static int calls;
static int put_setting(db_conn *c, void *ud)
{
    (void)ud;
    calls++;
    return db_exec(c, "INSERT INTO settings (key, value) VALUES ('retry', 'yes')");
}

static int fails_otherwise(db_conn *c, void *ud)
{
    (void)c;
    (void)ud;
    calls++;
    return DB_ECONSTRAINT;
}

static void test_retry_tx(void **state)
{
    (void)state;
    db *d1 = open_migrated();
    db_options o = {.busy_timeout_ms = 20};
    db *d2 = open_db(&o);
    db_conn *c1 = db_acquire(d1), *c2 = db_acquire(d2);
    assert_int_equal(db_begin(c1), DB_OK);
    struct holder h = {c1, 60};
    pthread_t t;
    pthread_create(&t, NULL, hold_then_commit, &h);
    calls = 0;
    assert_int_equal(db_retry_tx(c2, put_setting, NULL, 8), DB_OK);
    pthread_join(t, NULL);
    assert_true(calls >= 1);
    assert_int_equal(one_int(c2, "SELECT COUNT(*) FROM settings WHERE key = 'retry'"), 1);
    calls = 0;
    assert_int_equal(db_retry_tx(c2, fails_otherwise, NULL, 8), DB_ECONSTRAINT);
    assert_int_equal(calls, 1);
    assert_false(db_in_tx(c2));
    db_release(c1);
    db_release(c2);
    db_close(d2);
    db_close(d1);
}

struct waiter {
    db *d;
    db_conn *got;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool started;
};

static void *wait_for_conn(void *p)
{
    struct waiter *w = p;
    pthread_mutex_lock(&w->mu);
    w->started = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    w->got = db_acquire(w->d);
    if (w->got) {
        /* usable from this thread */
        db_stmt *s = db_prepare(w->got, "SELECT 41 + 1");
        if (!s || db_step(s) != DB_ROW || db_col_int(s, 0) != 42) w->got = NULL;
        db_finish(s);
    }
    return NULL;
}

static void test_pool(void **state)
{
    (void)state;
    rm_db();
    db_options o = {.max_conns = 2, .busy_timeout_ms = 100};
    db *d = open_db(&o);
    db_conn *a = db_acquire(d), *b = db_acquire(d);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_null(db_acquire(d)); /* bounded: exhausted for longer than the timeout */
    db_release(a);
    db_conn *c = db_acquire(d);
    assert_ptr_equal(c, a); /* the free one comes back */
    db_release(b);
    db_release(c);
    db_close(d);

    /* a thread waiting for a connection gets the one another thread gives back */
    db_options o1 = {.max_conns = 1, .busy_timeout_ms = 60000};
    d = open_db(&o1);
    struct waiter w = {.d = d};
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    db_conn *held = db_acquire(d);
    pthread_t t;
    pthread_create(&t, NULL, wait_for_conn, &w);
    pthread_mutex_lock(&w.mu);
    while (!w.started)
        pthread_cond_wait(&w.cv, &w.mu);
    pthread_mutex_unlock(&w.mu);
    db_release(held);
    pthread_join(t, NULL);
    assert_ptr_equal(w.got, held);
    db_release(w.got);
    pthread_mutex_destroy(&w.mu);
    pthread_cond_destroy(&w.cv);
    db_close(d);
}

static void test_ping(void **state)
{
    (void)state;
    db *d = open_migrated();
    assert_true(db_ping(d));
    rm_db(); /* the file is gone under the open handles: not ready */
    assert_false(db_ping(d));
    db_close(d);
}

/* A write whose commit returned survives the process being killed the next instant. */
static void test_commit_survives_kill(void **state)
{
    (void)state;
    db *d = open_migrated();
    db_close(d);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        db *cd = NULL;
        char err[256];
        if (db_open(url, NULL, &cd, err, sizeof err) != DB_OK) _exit(3);
        db_conn *c = db_acquire(cd);
        if (!c || db_begin(c) != DB_OK ||
            db_exec(c, "INSERT INTO settings VALUES ('acked', 'yes')") != DB_OK ||
            db_commit(c) != DB_OK)
            _exit(4);
        raise(SIGKILL); /* no close, no checkpoint: only the WAL holds the row */
        _exit(5);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    char wal[400];
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(access(wal, F_OK), 0);
    d = open_db(NULL);
    db_conn *c = db_acquire(d);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM settings WHERE key = 'acked'"), 1);
    db_release(c);
    db_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_errors),   cmocka_unit_test(test_durability_pragmas),
        cmocka_unit_test(test_migrate),       cmocka_unit_test(test_refuses_newer),
        cmocka_unit_test(test_bind_and_step), cmocka_unit_test(test_statement_cache),
        cmocka_unit_test(test_transactions),  cmocka_unit_test(test_error_mapping),
        cmocka_unit_test(test_busy),          cmocka_unit_test(test_busy_waits),
        cmocka_unit_test(test_after_commit),  cmocka_unit_test(test_writer_queue),
        cmocka_unit_test(test_retry_tx),      cmocka_unit_test(test_pool),
        cmocka_unit_test(test_ping),          cmocka_unit_test(test_commit_survives_kill),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* The PostgreSQL driver through db.h, on a cluster of its own (scripts/pg-test.sh in a temp
 * directory, so stopping it mid-test disturbs no other test): URLs, migrations (also two at
 * once), binding with server-side type inference, bytea, the prepared-statement cache,
 * transactions, error mapping (constraints, the append-only audit log, serialization failures),
 * the pool bound, readiness, and an outage: the server stops and comes back while the db is open,
 * and the process recovers without reopening it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "testdb.h"

static char dir[128], url[400];

/* scripts/pg-test.sh CMD dir; its first output line in out (when given) */
static int cluster(const char *cmd, char *out, size_t cap)
{
    const char *src = getenv("LAYAN_SOURCE_DIR") ? getenv("LAYAN_SOURCE_DIR") : LAYAN_SOURCE_DIR;
    char line[600];
    snprintf(line, sizeof line, "bash '%s/scripts/pg-test.sh' %s '%s'", src, cmd, dir);
    FILE *p = popen(line, "r");
    if (!p) return -1;
    char got[400] = "";
    if (!fgets(got, sizeof got, p)) got[0] = 0;
    while (fgets(line, sizeof line, p))
        ;
    int st = pclose(p);
    got[strcspn(got, "\n")] = 0;
    if (out) snprintf(out, cap, "%s", got);
    return st == 0 ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/layan-test-pgc-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    char base[400];
    if (cluster("start", base, sizeof base) != 0 || !*base) {
        fprintf(stderr, "cannot start a PostgreSQL cluster in %s\n", dir);
        return -1;
    }
    setenv("LAYAN_TEST_DB", base, 1); /* testdb_new() makes databases on this cluster */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    testdb_cleanup();
    return cluster("stop", NULL, 0);
}

/* a new empty database for one test */
static void fresh(const char *name)
{
    if (!testdb_new(dir, name, url, sizeof url)) fail_msg("cannot create database %s", name);
}

static db *open_db(const db_options *o)
{
    db *d = NULL;
    char err[256];
    int r = db_open(url, o, &d, err, sizeof err);
    if (r != DB_OK) fail_msg("open %s: %s", url, err);
    return d;
}

static db *open_migrated(const char *name)
{
    fresh(name);
    db *d = open_db(NULL);
    char err[256];
    int r = db_migrate(d, err, sizeof err);
    if (r != DB_OK) fail_msg("migrate: %s", err);
    return d;
}

static int64_t one_int(db_conn *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) fail_msg("%s: %s", sql, db_errmsg(c));
    int r = db_step(s);
    if (r != DB_ROW) fail_msg("%s: %d %s", sql, r, db_errmsg(c));
    int64_t v = db_col_int(s, 0);
    db_finish(s);
    return v;
}

static void test_open(void **state)
{
    (void)state;
    fresh("open");
    db *d = open_db(NULL);
    assert_string_equal(db_engine(d), "postgresql");
    assert_true(db_ping(d));
    db_conn *c = db_acquire(d);
    assert_non_null(c);
    /* durability is the server's: a commit returns after the WAL is flushed */
    db_stmt *s =
        db_prepare(c, "SELECT current_setting('synchronous_commit'), "
                      "current_setting('fsync'), current_setting('transaction_isolation')");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(str_eq_c(db_col_text(s, 0), "on"));
    assert_true(str_eq_c(db_col_text(s, 1), "on"));
    assert_true(str_eq_c(db_col_text(s, 2), "read committed"));
    db_finish(s);
    db_release(c);
    db_close(d);
    /* postgres:// is the same scheme */
    char alt[400];
    snprintf(alt, sizeof alt, "postgres://%s", url + strlen("postgresql://"));
    char err[256];
    assert_int_equal(db_open(alt, NULL, &d, err, sizeof err), DB_OK);
    db_close(d);
    /* a malformed URL; a server that is not there */
    d = NULL;
    assert_int_equal(db_open("postgresql://[::1", NULL, &d, err, sizeof err), DB_ERR);
    assert_null(d);
    assert_int_equal(db_open("postgresql:///x?host=/nonexistent-layan", NULL, &d, err, sizeof err),
                     DB_EUNAVAIL);
    assert_non_null(strstr(err, "cannot connect"));
    /* read-only */
    db_options ro = {.readonly = true};
    d = open_db(&ro);
    c = db_acquire(d);
    assert_int_equal(db_exec(c, "CREATE TABLE t (x INTEGER)"), DB_ERR);
    db_release(c);
    db_close(d);
}

static void test_migrate(void **state)
{
    (void)state;
    fresh("migrate");
    db *d = open_db(NULL);
    assert_int_equal(db_schema_version(d), 0);
    char err[256];
    assert_int_equal(db_migrate(d, err, sizeof err), DB_OK);
    assert_int_equal(db_schema_version(d), db_schema_latest());
    assert_int_equal(db_migrate(d, err, sizeof err), DB_OK);
    db_conn *c = db_acquire(d);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM schema_migrations"), db_schema_latest());
    db_stmt *s = db_prepare(c, "SELECT name FROM schema_migrations WHERE version = 1");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(str_eq_c(db_col_text(s, 0), "0001_foundation.sql"));
    db_finish(s);
    /* {{id_pk}} is an identity column: RETURNING gives the key, db_last_id does not */
    s = db_prepare(c, "INSERT INTO units (code, type, name, name_search, created_at) VALUES "
                      "($1, 'pemda', 'A', 'a', 'now') RETURNING id");
    db_bind_cstr(s, 1, "a");
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 1);
    db_finish(s);
    assert_int_equal(db_changes(c), 1);
    assert_int_equal(db_last_id(c), -1);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM audit_head"), 1);
    /* the audit log is append-only (0001_foundation.pg.sql) */
    assert_int_equal(db_exec(c, "INSERT INTO audit_log (at, actor, action) VALUES ('t', 'a', 'b')"),
                     DB_OK);
    assert_int_equal(db_exec(c, "UPDATE audit_log SET actor = 'x'"), DB_ECONSTRAINT);
    assert_non_null(strstr(db_errmsg(c), "append-only"));
    assert_int_equal(db_exec(c, "DELETE FROM audit_log"), DB_ECONSTRAINT);
    assert_int_equal(db_exec(c, "TRUNCATE audit_log"), DB_ECONSTRAINT);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM audit_log WHERE actor = 'a'"), 1);
    /* a newer schema is refused */
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migrations VALUES (%d, '9999_future.sql', '2099-01-01T00:00:00Z')",
             db_schema_latest() + 1);
    assert_int_equal(db_exec(c, sql), DB_OK);
    db_release(c);
    assert_int_equal(db_migrate(d, err, sizeof err), DB_ENEWER);
    assert_non_null(strstr(err, "upgrade layan"));
    db_close(d);
}

struct migrator {
    const char *url;
    int rc;
    char err[256];
};

static void *run_migrate(void *p)
{
    struct migrator *m = p;
    db *d = NULL;
    m->rc = db_open(m->url, NULL, &d, m->err, sizeof m->err);
    if (m->rc == DB_OK) m->rc = db_migrate(d, m->err, sizeof m->err);
    db_close(d);
    return NULL;
}

/* two processes (here: two pools) migrating one empty database at once: the advisory lock
 * makes the second wait, and it then finds nothing to do */
static void test_concurrent_migrate(void **state)
{
    (void)state;
    fresh("concurrent");
    struct migrator m[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        m[i] = (struct migrator){.url = url};
        pthread_create(&t[i], NULL, run_migrate, &m[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        if (m[i].rc != DB_OK) fail_msg("migration %d: %d %s", i, m[i].rc, m[i].err);
    }
    db *d = open_db(NULL);
    db_conn *c = db_acquire(d);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM schema_migrations"), db_schema_latest());
    db_release(c);
    db_close(d);
}

static void test_bind_and_step(void **state)
{
    (void)state;
    db *d = open_migrated("bind");
    db_conn *c = db_acquire(d);
    /* $N by number in any order and reused; types the server cannot infer need a cast */
    db_stmt *s = db_prepare(c, "SELECT $2::text, $1::text, $2 || $1, $3::bigint, "
                               "$4::double precision, $5::text, $6::bytea, $7::text");
    assert_non_null(s);
    assert_int_equal(db_col_count(s), 8);
    const char big[] = "abcdef";
    db_bind_text(s, 1, (str){big, 3});
    db_bind_cstr(s, 2, "x");
    db_bind_int(s, 3, INT64_MIN);
    db_bind_double(s, 4, 0.1);
    db_bind_null(s, 5);
    db_bind_blob(s, 6, "a\0b", 3);
    db_bind_cstr(s, 7, NULL);
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(str_eq_c(db_col_text(s, 0), "x"));
    assert_true(str_eq_c(db_col_text(s, 1), "abc"));
    assert_true(str_eq_c(db_col_text(s, 2), "xabc"));
    assert_true(db_col_int(s, 3) == INT64_MIN);
    assert_true(db_col_double(s, 4) == 0.1); /* %.17g: exact round trip */
    assert_true(db_col_is_null(s, 5));
    size_t n;
    const char *b = db_col_blob(s, 6, &n);
    assert_int_equal(n, 3);
    assert_memory_equal(b, "a\0b", 3);
    assert_true(db_col_is_null(s, 7));
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    /* a missing binding is NULL, not the previous value */
    s = db_prepare(c, "SELECT $1::bigint");
    db_bind_int(s, 1, 7);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 7);
    db_finish(s);
    s = db_prepare(c, "SELECT $1::bigint");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_is_null(s, 0));
    /* binding a number the statement does not have */
    assert_true(db_bind_int(s, 2, 1) < 0);
    assert_non_null(strstr(db_errmsg(c), "$2"));
    db_finish(s);
    /* inference from the context: text into a bigint comparison, a number into a text one */
    assert_int_equal(db_exec(c, "INSERT INTO units (code, type, name, name_search, created_at) "
                                "VALUES ('u', 'pemda', 'U', 'u', 'now')"),
                     DB_OK);
    s = db_prepare(c, "SELECT code FROM units WHERE id = $1");
    db_bind_cstr(s, 1, "1");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(str_eq_c(db_col_text(s, 0), "u"));
    db_finish(s);
    s = db_prepare(c, "SELECT code FROM units WHERE id = $1 AND parent_id IS NULL");
    db_bind_int(s, 1, 1);
    assert_int_equal(db_step(s), DB_ROW);
    db_finish(s);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('42', 'x')"), DB_OK);
    s = db_prepare(c, "SELECT value FROM settings WHERE key = $1");
    db_bind_int(s, 1, 42);
    assert_int_equal(db_step(s), DB_ROW);
    db_finish(s);
    /* a double into a DOUBLE PRECISION column, an int into INTEGER */
    s = db_prepare(c, "UPDATE units SET lat = $1, tz_offset_min = $2 WHERE code = $3");
    db_bind_double(s, 1, -6.9175);
    db_bind_int(s, 2, 480);
    db_bind_cstr(s, 3, "u");
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    assert_int_equal(db_changes(c), 1);
    s = db_prepare(c, "SELECT lat, tz_offset_min, lat IS NOT NULL FROM units");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_double(s, 0) == -6.9175);
    assert_int_equal(db_col_int(s, 1), 480);
    assert_int_equal(db_col_int(s, 2), 1); /* a boolean reads as 1/0, as on SQLite */
    db_finish(s);
    /* changes counts writes only */
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('a', '1'), ('b', '2')"), DB_OK);
    s = db_prepare(c, "UPDATE settings SET value = 'y' WHERE key <> $1");
    db_bind_cstr(s, 1, "zzz");
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    assert_int_equal(db_changes(c), 3);
    one_int(c, "SELECT COUNT(*) FROM settings");
    assert_int_equal(db_changes(c), 3);
    db_release(c);
    db_close(d);
}

/* every byte value, NUL included, through a BYTEA column and back, bound and in a loop */
static void test_bytea(void **state)
{
    (void)state;
    db *d = open_migrated("bytea");
    db_conn *c = db_acquire(d);
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    for (int i = 0; i < 3; i++) {
        db_stmt *s = db_prepare(c, "INSERT INTO users (kind, name, username, nik_hash, nik_enc, "
                                   "password_hash, created_at, updated_at) VALUES ('citizen', 'n', "
                                   "$1, $2, $3, 'x', 't', 't')");
        char u[8];
        snprintf(u, sizeof u, "u%d", i);
        db_bind_cstr(s, 1, u);
        db_bind_blob(s, 2, all + i, 32);
        db_bind_blob(s, 3, all, i == 2 ? 0 : 256);
        assert_int_equal(db_step(s), DB_DONE);
        db_finish(s);
    }
    db_stmt *s = db_prepare(c, "SELECT nik_hash, nik_enc FROM users WHERE nik_hash = $1");
    db_bind_blob(s, 1, all + 1, 32);
    assert_int_equal(db_step(s), DB_ROW);
    size_t n;
    const unsigned char *p = db_col_blob(s, 1, &n);
    assert_int_equal(n, 256);
    assert_memory_equal(p, all, 256);
    p = db_col_blob(s, 0, &n);
    assert_int_equal(n, 32);
    assert_memory_equal(p, all + 1, 32);
    assert_ptr_equal(db_col_blob(s, 0, &n), p); /* decoded once per row */
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    s = db_prepare(c, "SELECT nik_enc FROM users ORDER BY username");
    int rows = 0;
    while (db_step(s) == DB_ROW) {
        p = db_col_blob(s, 0, &n);
        assert_int_equal(n, rows == 2 ? 0 : 256);
        if (n) assert_memory_equal(p, all, 256);
        rows++;
    }
    db_finish(s);
    assert_int_equal(rows, 3);
    /* unique on a blob: DB_ECONSTRAINT, and the message quotes no value */
    s = db_prepare(c, "INSERT INTO users (kind, name, username, nik_hash, password_hash, "
                      "created_at, updated_at) VALUES ('citizen', 'n', 'v', $1, 'x', 't', 't')");
    db_bind_blob(s, 1, all, 32);
    assert_int_equal(db_step(s), DB_ECONSTRAINT);
    assert_null(strstr(db_errmsg(c), "\\x"));
    assert_non_null(strstr(db_errmsg(c), "23505"));
    db_finish(s);
    db_release(c);
    db_close(d);
}

static void test_statement_cache(void **state)
{
    (void)state;
    db *d = open_migrated("cache");
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
    const char *count = "SELECT COUNT(*) FROM pg_prepared_statements";
    int64_t before = one_int(c, count);
    one_int(c, count);
    assert_int_equal(one_int(c, count), before); /* prepared once on the server, reused */
    /* the key is a copy */
    char text[64];
    snprintf(text, sizeof text, "SELECT 1");
    db_stmt *a = db_prepare(c, text);
    db_finish(a);
    snprintf(text, sizeof text, "SELECT 2");
    a = db_prepare(c, text);
    assert_int_equal(db_step(a), DB_ROW);
    assert_int_equal(db_col_int(a, 0), 2);
    db_finish(a);
    /* the same SQL nested: the inner one is private, the outer keeps its rows */
    db_stmt *outer = db_prepare(c, q);
    int rows = 0, inner_rows = 0;
    while (db_step(outer) == DB_ROW) {
        rows++;
        db_stmt *inner = db_prepare(c, q);
        assert_ptr_not_equal(inner, outer);
        while (db_step(inner) == DB_ROW)
            inner_rows++;
        db_finish(inner);
        assert_int_equal(db_col_text(outer, 0).n, 1);
    }
    db_finish(outer);
    assert_int_equal(rows, 3);
    assert_int_equal(inner_rows, 9);
    /* more distinct statements than the cache holds while one is in use: it stays valid, and
     * the evicted ones are deallocated on the server */
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
    assert_true(one_int(c, count) <= 130);
    /* errors */
    assert_null(db_prepare(c, "SELEKT 1"));
    assert_non_null(strstr(db_errmsg(c), "syntax"));
    assert_null(db_prepare(c, "   "));
    assert_null(db_prepare(c, "SELECT 1; SELECT 2")); /* one statement at a time */
    db_release(c);
    /* a statement not finished before release does not break the connection */
    c = db_acquire(d);
    db_stmt *left = db_prepare(c, q);
    assert_int_equal(db_step(left), DB_ROW);
    db_release(c);
    c = db_acquire(d);
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM settings"), 3);
    db_release(c);
    db_close(d);
}

static void test_transactions(void **state)
{
    (void)state;
    db *d = open_migrated("tx");
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
    /* a failed statement aborts the transaction: COMMIT then is an error, not a silent
     * rollback reported as success */
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k2', 'v')"), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k', 'dup')"), DB_ECONSTRAINT);
    assert_true(db_in_tx(c));
    assert_int_equal(db_commit(c), DB_ERR);
    assert_false(db_in_tx(c));
    assert_int_equal(one_int(c, "SELECT COUNT(*) FROM settings"), 1);
    /* left open: rolled back on release */
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k3', 'v')"), DB_OK);
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
    db *d = open_migrated("errors");
    db_conn *c = db_acquire(d);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k', 'v')"), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('k', 'w')"), DB_ECONSTRAINT);
    assert_int_equal(db_exec(c, "INSERT INTO unit_hours VALUES (999, 1, 480, 900, NULL, NULL)"),
                     DB_ECONSTRAINT);
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
    /* a value the server cannot parse is not quoted in the message (it may be personal) */
    s = db_prepare(c, "SELECT code FROM units WHERE id = $1");
    db_bind_cstr(s, 1, "3273010101900001");
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    s = db_prepare(c, "SELECT code FROM units WHERE id = $1");
    db_bind_cstr(s, 1, "NIK 3273010101900001");
    assert_int_equal(db_step(s), DB_ERR);
    assert_non_null(strstr(db_errmsg(c), "22P02"));
    assert_null(strstr(db_errmsg(c), "3273"));
    db_finish(s);
    assert_int_equal(db_exec(c, "SELECT * FROM no_such_table"), DB_ERR);
    assert_non_null(strstr(db_errmsg(c), "42P01"));
    db_release(c);
    db_close(d);
}

/* SERIALIZABLE transactions updating the same row: the second gets 40001, which is DB_EBUSY
 * (retry the transaction); the default READ COMMITTED waits and then succeeds */
static void test_serialization(void **state)
{
    (void)state;
    db *d = open_migrated("serial");
    db_conn *c1 = db_acquire(d), *c2 = db_acquire(d);
    assert_ptr_not_equal(c1, c2);
    assert_int_equal(db_exec(c1, "INSERT INTO settings VALUES ('n', '0')"), DB_OK);
    for (int i = 0; i < 2; i++) {
        db_conn *c = i ? c2 : c1;
        assert_int_equal(db_begin(c), DB_OK);
        assert_int_equal(db_exec(c, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"), DB_OK);
        assert_int_equal(one_int(c, "SELECT COUNT(*) FROM settings WHERE value = '0'"), 1);
    }
    assert_int_equal(db_exec(c1, "UPDATE settings SET value = '1' WHERE key = 'n'"), DB_OK);
    assert_int_equal(db_commit(c1), DB_OK);
    assert_int_equal(db_exec(c2, "UPDATE settings SET value = '2' WHERE key = 'n'"), DB_EBUSY);
    assert_non_null(strstr(db_errmsg(c2), "40001"));
    assert_int_equal(db_rollback(c2), DB_OK);
    /* the retry succeeds */
    assert_int_equal(db_begin(c2), DB_OK);
    assert_int_equal(db_exec(c2, "UPDATE settings SET value = '2' WHERE key = 'n'"), DB_OK);
    assert_int_equal(db_commit(c2), DB_OK);
    /* READ COMMITTED: no failure, the later writer wins */
    assert_int_equal(db_begin(c1), DB_OK);
    assert_int_equal(db_begin(c2), DB_OK);
    assert_int_equal(one_int(c2, "SELECT COUNT(*) FROM settings WHERE value = '2'"), 1);
    assert_int_equal(db_exec(c1, "UPDATE settings SET value = '3' WHERE key = 'n'"), DB_OK);
    assert_int_equal(db_commit(c1), DB_OK);
    assert_int_equal(db_exec(c2, "UPDATE settings SET value = value || '4' WHERE key = 'n'"),
                     DB_OK);
    assert_int_equal(db_commit(c2), DB_OK);
    assert_int_equal(one_int(c1, "SELECT COUNT(*) FROM settings WHERE value = '34'"), 1);
    db_release(c1);
    db_release(c2);
    db_close(d);
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
        db_stmt *s = db_prepare(w->got, "SELECT 41 + 1");
        if (!s || db_step(s) != DB_ROW || db_col_int(s, 0) != 42) w->got = NULL;
        db_finish(s);
    }
    return NULL;
}

static void test_pool(void **state)
{
    (void)state;
    fresh("pool");
    db_options o = {.max_conns = 2, .busy_timeout_ms = 100};
    db *d = open_db(&o);
    db_conn *a = db_acquire(d), *b = db_acquire(d);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_null(db_acquire(d)); /* bounded */
    assert_int_equal(one_int(a, "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = "
                                "'layan' AND datname = current_database()"),
                     2);
    db_release(a);
    db_conn *c = db_acquire(d);
    assert_ptr_equal(c, a);
    db_release(b);
    db_release(c);
    db_close(d);

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

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The server stops while the db is open, with a connection held and others idle in the pool:
 * nothing crashes, readiness goes false, acquire and queries say DB_EUNAVAIL; the server comes
 * back: readiness and queries recover on the same db handle. Last: it stops the cluster. */
static void test_outage(void **state)
{
    (void)state;
    db *d = open_migrated("outage");
    db_options o = {.max_conns = 4, .busy_timeout_ms = 500};
    db_close(d);
    d = open_db(&o);
    const char *q = "SELECT COUNT(*) FROM settings WHERE key <> $1";
    db_conn *idle[3];
    for (int i = 0; i < 3; i++) { /* three sessions open, with the statement prepared */
        idle[i] = db_acquire(d);
        assert_non_null(idle[i]);
        db_stmt *s = db_prepare(idle[i], q);
        db_bind_cstr(s, 1, "x");
        assert_int_equal(db_step(s), DB_ROW);
        db_finish(s);
    }
    for (int i = 1; i < 3; i++)
        db_release(idle[i]);
    db_conn *held = idle[0];
    assert_true(db_ping(d));

    assert_int_equal(cluster("halt", NULL, 0), 0);
    assert_int_equal(db_exec(held, "SELECT 1"), DB_EUNAVAIL);
    db_stmt *s = db_prepare(held, q);
    if (s) {
        db_bind_cstr(s, 1, "x");
        assert_int_equal(db_step(s), DB_EUNAVAIL);
        db_finish(s);
    }
    assert_int_equal(db_begin(held), DB_EUNAVAIL);
    assert_int_equal(db_rollback(held), DB_OK);
    db_release(held);
    double t0 = now_s();
    assert_false(db_ping(d));
    assert_true(now_s() - t0 < 2.5);
    for (int i = 0; i < 6; i++) /* more than the pool: every slot gives itself back */
        assert_null(db_acquire(d));
    char err[256];
    assert_int_equal(db_migrate(d, err, sizeof err), DB_EUNAVAIL);
    assert_int_equal(db_schema_version(d), -1);

    char again[400];
    assert_int_equal(cluster("start", again, sizeof again), 0);
    assert_true(db_ping(d));
    for (int round = 0; round < 2; round++) {
        db_conn *c[4];
        for (int i = 0; i < 4; i++) {
            c[i] = db_acquire(d);
            assert_non_null(c[i]);
            s = db_prepare(c[i], q);
            assert_non_null(s);
            db_bind_cstr(s, 1, "x");
            assert_int_equal(db_step(s), DB_ROW);
            assert_int_equal(db_col_int(s, 0), 0);
            db_finish(s);
        }
        for (int i = 0; i < 4; i++)
            db_release(c[i]);
    }
    db_conn *c = db_acquire(d);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO settings VALUES ('back', 'yes')"), DB_OK);
    assert_int_equal(db_commit(c), DB_OK);
    db_release(c);
    assert_int_equal(db_schema_version(d), db_schema_latest());
    db_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open),
        cmocka_unit_test(test_migrate),
        cmocka_unit_test(test_concurrent_migrate),
        cmocka_unit_test(test_bind_and_step),
        cmocka_unit_test(test_bytea),
        cmocka_unit_test(test_statement_cache),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_error_mapping),
        cmocka_unit_test(test_serialization),
        cmocka_unit_test(test_pool),
        cmocka_unit_test(test_outage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* The audit log's hash chain on a freshly migrated database (SQLite, and PostgreSQL as pg/...):
 * appends inside and outside a caller's transaction, then tampering that the append-only
 * triggers would refuse, done after dropping them as an attacker with the database owner's
 * rights could: a changed detail, NULL turned into "", a removed entry in the middle, a changed
 * prev_hash, the newest entries removed, an entry added without the head, entries from before
 * the chain existed, and appenders racing on two connections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/audit/audit.h"
#include "storefix.h"
#include "testdb.h"

static char tmp[] = "/tmp/layan-audit-XXXXXX";
static const int64_t T0 = 1795000000; /* 2026-11-18 */

struct fx {
    db *d;
    db_conn *c;
};

/* a new migrated database per test, so each one tampers with its own log */
static struct fx fresh(const char *name)
{
    char url[512], err[512];
    struct fx f = {0};
    if (!testdb_new(tmp, name, url, sizeof url)) fail_msg("no database %s", name);
    db_options o = {.max_conns = 4};
    if (db_open(url, &o, &f.d, err, sizeof err) != DB_OK) fail_msg("open: %s", err);
    if (db_migrate(f.d, err, sizeof err) != DB_OK) fail_msg("migrate: %s", err);
    f.c = db_acquire(f.d);
    assert_non_null(f.c);
    return f;
}

static void done(struct fx *f)
{
    db_release(f->c);
    db_close(f->d);
}

static void exec_ok(db_conn *c, const char *sql)
{
    if (db_exec(c, sql) != DB_OK) fail_msg("%s: %s", sql, db_errmsg(c));
}

/* what an attacker with the owner's rights does first */
static void drop_triggers(db_conn *c)
{
    if (testdb_pg()) {
        exec_ok(c, "DROP TRIGGER audit_log_no_update ON audit_log");
        exec_ok(c, "DROP TRIGGER audit_log_no_delete ON audit_log");
    } else {
        exec_ok(c, "DROP TRIGGER audit_log_no_update");
        exec_ok(c, "DROP TRIGGER audit_log_no_delete");
    }
}

static void append5(db_conn *c)
{
    static const char *const detail[] = {"role=petugas", NULL, "", "x", "last"};
    for (int i = 0; i < 5; i++) {
        char obj[32];
        snprintf(obj, sizeof obj, "user:%d", i + 1);
        assert_int_equal(
            audit_append(c, T0 + i, "layan user", "user.create", i == 1 ? NULL : obj, detail[i]),
            DB_OK);
    }
}

/* verify, expecting `want`; returns the bad id and leaves the reason in why */
static int64_t verify(struct fx *f, int want, int64_t want_checked, char *why, size_t cap)
{
    int64_t checked = -1, legacy = -1, bad = -1;
    int r = audit_verify(f->d, &checked, &legacy, &bad, why, cap);
    if (r != want) fail_msg("audit_verify %d, expected %d (%s)", r, want, why);
    if (want_checked >= 0) assert_int_equal(checked, want_checked);
    if (want == 0) assert_int_equal(bad, 0);
    return bad;
}

static void test_intact(void **state)
{
    (void)state;
    struct fx f = fresh("intact");
    char why[200];
    verify(&f, 0, 0, why, sizeof why); /* an empty log is intact */
    append5(f.c);
    verify(&f, 0, 5, why, sizeof why);
    /* each row carries the hash before it; the head holds the newest */
    assert_int_equal(storefix_int(f.c, "SELECT COUNT(*) FROM audit_log a JOIN audit_log b ON "
                                       "b.id = a.id + 1 WHERE b.prev_hash = a.hash"),
                     4);
    assert_int_equal(
        storefix_int(f.c, "SELECT COUNT(*) FROM audit_log WHERE id = 1 AND prev_hash = ''"), 1);
    assert_int_equal(storefix_int(f.c, "SELECT COUNT(*) FROM audit_log WHERE length(hash) = 64"),
                     5);
    assert_int_equal(storefix_int(f.c, "SELECT last_id FROM audit_head"), 5);
    assert_int_equal(storefix_int(f.c, "SELECT COUNT(*) FROM audit_head h JOIN audit_log l ON "
                                       "l.id = h.last_id AND l.hash = h.last_hash"),
                     1);
    assert_int_equal(storefix_int(f.c, "SELECT COUNT(*) FROM audit_log WHERE id = 1 AND "
                                       "at = '2026-11-18T11:06:40Z'"),
                     1);
    /* the append-only triggers still refuse changes */
    assert_int_not_equal(db_exec(f.c, "UPDATE audit_log SET detail = 'x' WHERE id = 1"), DB_OK);
    assert_int_not_equal(db_exec(f.c, "DELETE FROM audit_log WHERE id = 5"), DB_OK);
    done(&f);
}

static void test_caller_transaction(void **state)
{
    (void)state;
    struct fx f = fresh("tx");
    char why[200];
    /* rolled back with the caller's work: neither the entry nor the head move */
    assert_int_equal(db_begin(f.c), DB_OK);
    assert_int_equal(audit_append(f.c, T0, "a", "b", NULL, NULL), DB_OK);
    assert_int_equal(db_rollback(f.c), DB_OK);
    assert_int_equal(storefix_int(f.c, "SELECT COUNT(*) FROM audit_log"), 0);
    assert_int_equal(storefix_int(f.c, "SELECT last_id FROM audit_head"), 0);
    verify(&f, 0, 0, why, sizeof why);
    /* committed with it */
    assert_int_equal(db_begin(f.c), DB_OK);
    assert_int_equal(audit_append(f.c, T0, "a", "b", NULL, NULL), DB_OK);
    assert_int_equal(audit_append(f.c, T0, "a", "c", NULL, NULL), DB_OK);
    assert_true(db_in_tx(f.c));
    assert_int_equal(db_commit(f.c), DB_OK);
    assert_int_equal(audit_append(f.c, T0, "a", "d", NULL, NULL), DB_OK); /* its own */
    assert_false(db_in_tx(f.c));
    verify(&f, 0, 3, why, sizeof why);
    done(&f);
}

static void test_changed_detail(void **state)
{
    (void)state;
    struct fx f = fresh("detail");
    char why[200];
    append5(f.c);
    drop_triggers(f.c);
    exec_ok(f.c, "UPDATE audit_log SET detail = 'role=admin_pemda' WHERE id = 1");
    assert_int_equal(verify(&f, 1, -1, why, sizeof why), 1);
    assert_string_equal(why, "entry 1: its hash does not match its content");
    done(&f);
}

static void test_null_is_not_empty(void **state)
{
    (void)state;
    struct fx f = fresh("nullempty");
    char why[200];
    append5(f.c); /* entry 2 has object and detail NULL, entry 3 an empty detail */
    drop_triggers(f.c);
    exec_ok(f.c, "UPDATE audit_log SET detail = '' WHERE id = 2");
    assert_int_equal(verify(&f, 1, 1, why, sizeof why), 2);
    exec_ok(f.c, "UPDATE audit_log SET detail = NULL WHERE id = 2");
    verify(&f, 0, 5, why, sizeof why);
    exec_ok(f.c, "UPDATE audit_log SET detail = NULL WHERE id = 3");
    assert_int_equal(verify(&f, 1, 2, why, sizeof why), 3);
    exec_ok(f.c, "UPDATE audit_log SET detail = '' WHERE id = 3");
    /* moving bytes from one field to the next changes the hash too */
    exec_ok(f.c, "UPDATE audit_log SET actor = 'layan', action = ' useruser.create' WHERE id = 4");
    assert_int_equal(verify(&f, 1, 3, why, sizeof why), 4);
    assert_string_equal(why, "entry 4: its hash does not match its content");
    done(&f);
}

static void test_removed_in_the_middle(void **state)
{
    (void)state;
    struct fx f = fresh("middle");
    char why[200];
    append5(f.c);
    drop_triggers(f.c);
    exec_ok(f.c, "DELETE FROM audit_log WHERE id = 3");
    assert_int_equal(verify(&f, 1, 2, why, sizeof why), 4);
    assert_string_equal(why, "entry 4: prev_hash does not match entry 2");
    done(&f);
}

static void test_changed_prev_hash(void **state)
{
    (void)state;
    struct fx f = fresh("prev");
    char why[200];
    append5(f.c);
    drop_triggers(f.c);
    exec_ok(f.c, "UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE id = 1) "
                 "WHERE id = 3");
    assert_int_equal(verify(&f, 1, 2, why, sizeof why), 3);
    assert_string_equal(why, "entry 3: prev_hash does not match entry 2");
    done(&f);
}

static void test_removed_first(void **state)
{
    (void)state;
    struct fx f = fresh("first");
    char why[200];
    append5(f.c);
    drop_triggers(f.c);
    exec_ok(f.c, "DELETE FROM audit_log WHERE id <= 2");
    assert_int_equal(verify(&f, 1, 0, why, sizeof why), 3);
    assert_string_equal(why, "entry 3: prev_hash does not match the start of the log");
    done(&f);
}

static void test_removed_newest(void **state)
{
    (void)state;
    struct fx f = fresh("newest");
    char why[200];
    append5(f.c);
    drop_triggers(f.c);
    exec_ok(f.c, "DELETE FROM audit_log WHERE id >= 4");
    verify(&f, 1, 3, why, sizeof why);
    assert_string_equal(why, "the newest entries were removed: head says #5, log ends at #3");
    /* and all of them: the head still remembers */
    exec_ok(f.c, "DELETE FROM audit_log");
    verify(&f, 1, 0, why, sizeof why);
    assert_string_equal(why, "the newest entries were removed: head says #5, log ends at #0");
    done(&f);
}

static void test_added_without_head(void **state)
{
    (void)state;
    struct fx f = fresh("added");
    char why[200];
    append5(f.c);
    /* a row inserted behind audit_append's back, copying a valid-looking hash */
    exec_ok(f.c, "INSERT INTO audit_log (at, actor, action, prev_hash, hash) SELECT at, actor, "
                 "action, hash, hash FROM audit_log WHERE id = 5");
    assert_int_equal(verify(&f, 1, 5, why, sizeof why), 6);
    assert_string_equal(why, "entry 6: its hash does not match its content");
    /* one without a hash at all */
    struct fx g = fresh("nohash");
    append5(g.c);
    exec_ok(g.c, "INSERT INTO audit_log (at, actor, action) VALUES ('2026-11-18T00:00:00Z', "
                 "'x', 'y')");
    assert_int_equal(verify(&g, 1, 5, why, sizeof why), 6);
    assert_string_equal(why, "entry 6 has no hash");
    done(&g);
    done(&f);
}

/* the hash is not keyed: whoever can write the database can compute a valid next entry, and
 * only the head (or a copy of it kept elsewhere) tells */
static void test_forged_append(void **state)
{
    (void)state;
    struct fx f = fresh("forged"), g = fresh("forger");
    char why[200];
    append5(f.c);
    append5(g.c);
    assert_int_equal(audit_append(g.c, T0 + 9, "forger", "user.create", "user:99", NULL), DB_OK);
    db_stmt *s = db_prepare(g.c, "SELECT at, actor, action, object, detail, prev_hash, hash FROM "
                                 "audit_log WHERE id = 6");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    db_stmt *ins = db_prepare(f.c, "INSERT INTO audit_log (at, actor, action, object, detail, "
                                   "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)");
    assert_non_null(ins);
    for (int i = 0; i < 7; i++)
        if (db_col_is_null(s, i)) db_bind_null(ins, i + 1);
        else db_bind_text(ins, i + 1, db_col_text(s, i));
    assert_int_equal(db_step(ins), DB_DONE);
    db_finish(ins);
    db_finish(s);
    verify(&f, 1, 6, why, sizeof why);
    assert_string_equal(why, "entries were added behind the head: head says #5, log ends at #6");
    done(&g);
    done(&f);
}

static void test_legacy_entries(void **state)
{
    (void)state;
    struct fx f = fresh("legacy");
    char why[200];
    /* entries from before the chain (0001 databases): counted apart, not verified */
    exec_ok(f.c, "INSERT INTO audit_log (at, actor, action, object) VALUES "
                 "('2026-01-01T00:00:00Z', 'layan init', 'init', '32.73')");
    exec_ok(f.c, "INSERT INTO audit_log (at, actor, action) VALUES "
                 "('2026-01-01T00:00:01Z', 'layan demo', 'demo')");
    append5(f.c);
    int64_t checked, legacy, bad;
    assert_int_equal(audit_verify(f.d, &checked, &legacy, &bad, why, sizeof why), 0);
    assert_int_equal(checked, 5);
    assert_int_equal(legacy, 2);
    done(&f);
}

struct racer {
    db *d;
    int n, fails;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    db_conn *c = db_acquire(r->d);
    if (!c) {
        r->fails = r->n;
        return NULL;
    }
    for (int i = 0; i < r->n; i++) {
        int rc;
        /* SQLite may say busy at BEGIN; PostgreSQL waits on the head's row lock */
        for (int tries = 0;
             (rc = audit_append(c, T0 + i, "racer", "race", NULL, NULL)) == DB_EBUSY && tries < 50;
             tries++)
            ;
        if (rc != DB_OK) r->fails++;
    }
    db_release(c);
    return NULL;
}

static void test_concurrent_appenders(void **state)
{
    (void)state;
    struct fx f = fresh("race");
    char why[200];
    struct racer rs[3] = {{f.d, 20, 0}, {f.d, 20, 0}, {f.d, 20, 0}};
    pthread_t th[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&th[i], NULL, race, &rs[i]), 0);
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++)
        assert_int_equal(rs[i].fails, 0);
    verify(&f, 0, 60, why, sizeof why);
    done(&f);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    testdb_cleanup();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intact),
        cmocka_unit_test(test_caller_transaction),
        cmocka_unit_test(test_changed_detail),
        cmocka_unit_test(test_null_is_not_empty),
        cmocka_unit_test(test_removed_in_the_middle),
        cmocka_unit_test(test_changed_prev_hash),
        cmocka_unit_test(test_removed_first),
        cmocka_unit_test(test_removed_newest),
        cmocka_unit_test(test_added_without_head),
        cmocka_unit_test(test_forged_append),
        cmocka_unit_test(test_legacy_entries),
        cmocka_unit_test(test_concurrent_appenders),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

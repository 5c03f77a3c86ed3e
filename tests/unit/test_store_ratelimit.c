/* Rate limits on a freshly migrated database (SQLite, and PostgreSQL as pg/...): free attempts,
 * then waits of 1, 2, 4 ... seconds up to 15 minutes, a new window after 24 hours, clearing,
 * pruning, keys apart per scope and per installation key, and only MACs in the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/ratelimit/ratelimit.h"
#include "storefix.h"
#include "testdb.h"

static char tmp[] = "/tmp/layan-rl-XXXXXX";
static db *d;
static db_conn *c;
static cr_keys k, k2;
static const int64_t T0 = 1795000000; /* 2026-11-18 */
#define IP "203.0.113.7"

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(tmp)) return -1;
    char url[512], err[512];
    if (!testdb_new(tmp, "rl", url, sizeof url)) return -1;
    if (cr_init() != 0) return -1;
    unsigned char seed[32] = {1}, seed2[32] = {2};
    cr_keys_from_seed(seed, &k);
    cr_keys_from_seed(seed2, &k2);
    db_options o = {0};
    if (db_open(url, &o, &d, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(d, err, sizeof err) != DB_OK) return -1;
    c = db_acquire(d);
    return c ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return storefix_close(tmp, d, c, NULL);
}

static int64_t one_int(const char *sql)
{
    return storefix_int(c, sql);
}

static int64_t wait_(const char *scope, const char *what, int64_t now)
{
    return rl_wait(c, &k, scope, str_c(what), now);
}

static void fail_(const char *scope, const char *what, int64_t now, int free_attempts)
{
    assert_int_equal(rl_fail(c, &k, scope, str_c(what), now, free_attempts), DB_OK);
}

static void test_free_then_doubling(void **state)
{
    (void)state;
    const char *who = "3273010101900001";
    assert_int_equal(wait_("signin", who, T0), 0); /* unknown key */
    for (int i = 0; i < 5; i++) {
        fail_("signin", who, T0 + i, 5);
        assert_int_equal(wait_("signin", who, T0 + i), 0);
    }
    /* each failure after the free ones, made as soon as the previous wait is over */
    int64_t now = T0 + 10, want = 1;
    for (int i = 0; i < 14; i++) {
        fail_("signin", who, now, 5);
        assert_int_equal(wait_("signin", who, now), want);
        assert_int_equal(wait_("signin", who, now + want - 1), 1);
        assert_int_equal(wait_("signin", who, now + want), 0);
        now += want;
        want = want * 2 > RL_MAX_WAIT ? RL_MAX_WAIT : want * 2;
    }
    assert_int_equal(want, 900); /* 1 2 4 ... 512, then capped at 15 minutes */
    /* the other scope and another value are not affected */
    assert_int_equal(wait_("signin-ip", who, now - 1), 0);
    assert_int_equal(wait_("signin", "3273010101900002", now - 1), 0);
}

static void test_window(void **state)
{
    (void)state;
    const char *who = "budi@example.id";
    for (int i = 0; i < 3; i++)
        fail_("forgot", who, T0, 2);
    assert_int_equal(wait_("forgot", who, T0), 1);
    fail_("forgot", who, T0 + 5, 2);
    assert_int_equal(wait_("forgot", who, T0 + 5), 2);
    /* still inside the 24 hours: the count goes on */
    fail_("forgot", who, T0 + RL_WINDOW - 1, 2);
    assert_int_equal(wait_("forgot", who, T0 + RL_WINDOW - 1), 4);
    /* 24 hours after the first failure a new window starts: free again */
    int64_t t1 = T0 + RL_WINDOW + 10;
    fail_("forgot", who, t1, 2);
    assert_int_equal(wait_("forgot", who, t1), 0);
    fail_("forgot", who, t1 + 1, 2);
    assert_int_equal(wait_("forgot", who, t1 + 1), 0);
    fail_("forgot", who, t1 + 2, 2);
    assert_int_equal(wait_("forgot", who, t1 + 2), 1);
}

static void test_clear(void **state)
{
    (void)state;
    const char *who = "siti.petugas";
    for (int i = 0; i < 4; i++)
        fail_("signin", who, T0, 1);
    assert_int_equal(wait_("signin", who, T0), 4);
    fail_("signin-ip", IP, T0, 20);
    assert_int_equal(rl_clear(c, &k, "signin", str_c(who)), DB_OK);
    assert_int_equal(wait_("signin", who, T0), 0);
    fail_("signin", who, T0, 1); /* counting starts over: free again */
    assert_int_equal(wait_("signin", who, T0), 0);
    /* clearing one key leaves the address's count */
    assert_int_equal(one_int("SELECT COUNT(*) FROM rate_limits WHERE failures = 1"), 2);
    assert_int_equal(rl_clear(c, &k, "signin", str_c("nobody")), DB_OK);
}

static void test_keys_are_macs(void **state)
{
    (void)state;
    assert_int_equal(db_exec(c, "DELETE FROM rate_limits"), DB_OK);
    for (int i = 0; i < 25; i++)
        fail_("signin-ip", IP, T0, 20);
    assert_int_equal(wait_("signin-ip", IP, T0), 16);
    /* a different installation key gives a different key for the same address */
    assert_int_equal(rl_wait(c, &k2, "signin-ip", str_c(IP), T0), 0);
    assert_int_equal(rl_fail(c, &k2, "signin-ip", str_c(IP), T0, 20), DB_OK);
    fail_("resend-ip", IP, T0, 20);
    assert_int_equal(one_int("SELECT COUNT(*) FROM rate_limits"), 3);
    char expect[65];
    cr_mac_hex(&k, "rl", str_c("signin-ip:" IP), expect);
    db_stmt *s = db_prepare(c, "SELECT key FROM rate_limits ORDER BY key");
    assert_non_null(s);
    int n = 0, found = 0;
    while (db_step(s) == DB_ROW) {
        str key = db_col_text(s, 0);
        assert_int_equal(key.n, 64);
        for (size_t i = 0; i < key.n; i++)
            assert_non_null(strchr("0123456789abcdef", key.p[i]));
        assert_null(memmem(key.p, key.n, "203.0", 5));
        found += str_eq_c(key, expect);
        n++;
    }
    db_finish(s);
    assert_int_equal(n, 3);
    assert_int_equal(found, 1);
}

static void test_prune(void **state)
{
    (void)state;
    assert_int_equal(db_exec(c, "DELETE FROM rate_limits"), DB_OK);
    fail_("signin", "old", T0, 5);                /* window over, never blocked */
    fail_("signin", "recent", T0 + RL_WINDOW, 5); /* window still open */
    /* window over, wait not yet over: the first failure at T0, the rest at its end */
    fail_("signin", "blocked", T0, 0);
    for (int i = 0; i < 19; i++)
        fail_("signin", "blocked", T0 + RL_WINDOW - 1, 0);
    int64_t now = T0 + RL_WINDOW + 100;
    assert_int_equal(wait_("signin", "blocked", now), RL_MAX_WAIT - 101);
    assert_int_equal(rl_prune(c, now), DB_OK);
    assert_int_equal(one_int("SELECT COUNT(*) FROM rate_limits"), 2);
    assert_int_equal(wait_("signin", "blocked", now), RL_MAX_WAIT - 101);
    assert_int_equal(rl_prune(c, now + 2 * RL_WINDOW), DB_OK);
    assert_int_equal(one_int("SELECT COUNT(*) FROM rate_limits"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_then_doubling),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_keys_are_macs),
        cmocka_unit_test(test_prune),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

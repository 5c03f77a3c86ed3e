/* Unit tests of lib/memo, the per-node cache of values built from the database: hits, the
 * generation and the TTL end a value, a failed build is not remembered, a held value survives
 * its replacement, the cap drops the oldest, and threads sharing one key see whole values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/memo.h"

typedef struct {
    int builds; /* how many times fill ran */
    int fail;   /* fill's result when non-zero */
    int value;  /* what fill stores */
} src;

static int fill(arena *a, void *ud, const void **value)
{
    src *s = ud;
    s->builds++;
    if (s->fail) return s->fail;
    int *v = arena_alloc(a, sizeof *v);
    *v = s->value;
    *value = v;
    return 0;
}

static int get_int(memo *m, const char *key, unsigned gen, src *s)
{
    const void *v;
    memo_ref *ref;
    int r = memo_get(m, key, gen, fill, s, &v, &ref);
    if (r != 0) return -1000 + r;
    int x = *(const int *)v;
    memo_release(ref);
    return x;
}

static void test_hit_and_generation(void **state)
{
    (void)state;
    memo *m = memo_new(8, 60000, 0);
    src s = {.value = 7};
    assert_int_equal(get_int(m, "kia|2026-11-23", 1, &s), 7);
    s.value = 8; /* the rows changed, but nothing said so yet: the cached value is used */
    assert_int_equal(get_int(m, "kia|2026-11-23", 1, &s), 7);
    assert_int_equal(s.builds, 1);
    /* a write bumped the generation: built again */
    assert_int_equal(get_int(m, "kia|2026-11-23", 2, &s), 8);
    assert_int_equal(s.builds, 2);
    /* another key is its own value */
    s.value = 9;
    assert_int_equal(get_int(m, "ktp|2026-11-23", 2, &s), 9);
    memo_stats st = memo_stats_get(m);
    assert_int_equal(st.hits, 1);
    assert_int_equal(st.misses, 3);
    memo_free(m);
}

static void test_ttl(void **state)
{
    (void)state;
    memo *m = memo_new(8, 30, 0); /* 30 ms */
    src s = {.value = 1};
    assert_int_equal(get_int(m, "k", 0, &s), 1);
    s.value = 2;
    struct timespec ts = {0, 60 * 1000000L};
    nanosleep(&ts, NULL);
    assert_int_equal(get_int(m, "k", 0, &s), 2); /* another node's write, seen after the TTL */
    assert_int_equal(s.builds, 2);
    memo_free(m);
}

static void test_failure_not_kept(void **state)
{
    (void)state;
    memo *m = memo_new(8, 60000, 0);
    src s = {.value = 5, .fail = -4};
    assert_int_equal(get_int(m, "k", 0, &s), -1004);
    s.fail = 0;
    assert_int_equal(get_int(m, "k", 0, &s), 5); /* the database answered again: built */
    assert_int_equal(s.builds, 2);
    memo_free(m);
}

static void test_held_value_survives(void **state)
{
    (void)state;
    memo *m = memo_new(8, 60000, 0);
    src s = {.value = 1};
    const void *v;
    memo_ref *held;
    assert_int_equal(memo_get(m, "k", 0, fill, &s, &v, &held), 0);
    s.value = 2;
    assert_int_equal(get_int(m, "k", 1, &s), 2); /* replaced while held */
    memo_clear(m);
    assert_int_equal(*(const int *)v, 1); /* still readable (ASan checks the memory) */
    memo_release(held);
    memo_free(m);
}

static void test_cap_drops_oldest(void **state)
{
    (void)state;
    memo *m = memo_new(3, 60000, 64);
    src s = {0};
    char key[8];
    for (int i = 0; i < 3; i++) {
        snprintf(key, sizeof key, "k%d", i);
        s.value = i;
        get_int(m, key, 0, &s);
        struct timespec ts = {0, 2 * 1000000L}; /* distinct ages */
        nanosleep(&ts, NULL);
    }
    s.value = 3;
    get_int(m, "k3", 0, &s); /* over the cap: k0, the oldest, goes */
    assert_int_equal(s.builds, 4);
    s.value = 100;
    assert_int_equal(get_int(m, "k2", 0, &s), 2); /* kept */
    assert_int_equal(get_int(m, "k0", 0, &s), 100); /* built again */
    assert_int_equal(s.builds, 5);
    memo_free(m);
}

typedef struct {
    memo *m;
    int bad;
} race;

static int fill_big(arena *a, void *ud, const void **value)
{
    (void)ud;
    int *v = arena_alloc(a, 256 * sizeof *v);
    for (int i = 0; i < 256; i++)
        v[i] = 42;
    *value = v;
    return 0;
}

static void *racer(void *p)
{
    race *r = p;
    for (int i = 0; i < 2000; i++) {
        const void *v;
        memo_ref *ref;
        /* the generation moves every 50 gets: replacements happen while others hold values */
        if (memo_get(r->m, i % 3 ? "a" : "b", (unsigned)(i / 50), fill_big, NULL, &v, &ref) != 0) {
            r->bad++;
            continue;
        }
        const int *x = v;
        for (int j = 0; j < 256; j++)
            if (x[j] != 42) r->bad++;
        memo_release(ref);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    memo *m = memo_new(4, 60000, 0);
    race rs[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        rs[i] = (race){m, 0};
        pthread_create(&t[i], NULL, racer, &rs[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(rs[i].bad, 0);
    }
    memo_stats st = memo_stats_get(m);
    assert_int_equal(st.hits + st.misses, 8000);
    assert_true(st.hits > st.misses);
    memo_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_and_generation), cmocka_unit_test(test_ttl),
        cmocka_unit_test(test_failure_not_kept),   cmocka_unit_test(test_held_value_survives),
        cmocka_unit_test(test_cap_drops_oldest),   cmocka_unit_test(test_threads)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

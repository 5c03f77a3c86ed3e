/* memo: see memo.h. A hash table of entries, each with a reference count: the table holds one
 * reference while the entry is linked, every memo_get caller one more. The last release frees
 * the entry's arena. */
#include "lib/memo.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct memo_ref {
    struct memo_ref *next; /* in its bucket */
    char *key;
    unsigned gen;
    int64_t born_ms;
    atomic_int refs;
    arena *a;
    const void *value;
};

struct memo {
    pthread_mutex_t mu;
    struct memo_ref **buckets;
    size_t nbuckets, count, cap;
    long ttl_ms;
    size_t block;
    unsigned long hits, misses;
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static size_t hash(const char *k)
{
    size_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ull;
    return h;
}

memo *memo_new(size_t cap, long ttl_ms, size_t block)
{
    memo *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->cap = cap ? cap : 1;
    m->nbuckets = 16;
    while (m->nbuckets < m->cap * 2)
        m->nbuckets *= 2;
    m->buckets = calloc(m->nbuckets, sizeof *m->buckets);
    if (!m->buckets) {
        free(m);
        return NULL;
    }
    m->ttl_ms = ttl_ms;
    m->block = block;
    pthread_mutex_init(&m->mu, NULL);
    return m;
}

static void unref(struct memo_ref *e)
{
    if (atomic_fetch_sub(&e->refs, 1) == 1) {
        arena_free(e->a);
        free(e->key);
        free(e);
    }
}

void memo_release(memo_ref *ref)
{
    if (ref) unref(ref);
}

/* unlinks *pp (the caller holds the mutex) */
static void drop(memo *m, struct memo_ref **pp)
{
    struct memo_ref *e = *pp;
    *pp = e->next;
    m->count--;
    unref(e);
}

void memo_clear(memo *m)
{
    pthread_mutex_lock(&m->mu);
    for (size_t i = 0; i < m->nbuckets; i++)
        while (m->buckets[i])
            drop(m, &m->buckets[i]);
    pthread_mutex_unlock(&m->mu);
}

void memo_free(memo *m)
{
    if (!m) return;
    memo_clear(m);
    pthread_mutex_destroy(&m->mu);
    free(m->buckets);
    free(m);
}

static struct memo_ref **find(memo *m, const char *key)
{
    struct memo_ref **pp = &m->buckets[hash(key) & (m->nbuckets - 1)];
    while (*pp && strcmp((*pp)->key, key) != 0)
        pp = &(*pp)->next;
    return pp;
}

static void evict_oldest(memo *m)
{
    struct memo_ref **oldest = NULL;
    for (size_t i = 0; i < m->nbuckets; i++)
        for (struct memo_ref **pp = &m->buckets[i]; *pp; pp = &(*pp)->next)
            if (!oldest || (*pp)->born_ms < (*oldest)->born_ms) oldest = pp;
    if (oldest) drop(m, oldest);
}

int memo_get(memo *m, const char *key, unsigned gen, memo_fill_fn fill, void *ud,
             const void **value, memo_ref **ref)
{
    int64_t now = now_ms();
    pthread_mutex_lock(&m->mu);
    struct memo_ref *e = *find(m, key);
    if (e && e->gen == gen && now - e->born_ms < m->ttl_ms) {
        atomic_fetch_add(&e->refs, 1);
        m->hits++;
        pthread_mutex_unlock(&m->mu);
        *value = e->value;
        *ref = e;
        return 0;
    }
    m->misses++;
    pthread_mutex_unlock(&m->mu);

    /* built outside the lock: fill goes to the database */
    e = calloc(1, sizeof *e);
    arena *a = e ? arena_new(m->block) : NULL;
    char *k = a ? strdup(key) : NULL;
    if (!k) {
        arena_free(a);
        free(e);
        return -1;
    }
    const void *v = NULL;
    int r = fill(a, ud, &v);
    if (r != 0) {
        arena_free(a);
        free(k);
        free(e);
        return r;
    }
    *e = (struct memo_ref){.key = k, .gen = gen, .born_ms = now, .a = a, .value = v};
    atomic_init(&e->refs, 2); /* the table's and the caller's */

    pthread_mutex_lock(&m->mu);
    struct memo_ref **pp = find(m, key);
    if (*pp) drop(m, pp);
    else if (m->count >= m->cap) evict_oldest(m);
    pp = find(m, key);
    e->next = *pp;
    *pp = e;
    m->count++;
    pthread_mutex_unlock(&m->mu);
    *value = v;
    *ref = e;
    return 0;
}

memo_stats memo_stats_get(memo *m)
{
    pthread_mutex_lock(&m->mu);
    memo_stats s = {m->hits, m->misses};
    pthread_mutex_unlock(&m->mu);
    return s;
}

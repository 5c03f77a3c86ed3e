/* cache: open hashing over a fixed table; a full table replaces the entry in the key's slot
 * range that expires first. One mutex: a hit holds it only for a memcpy of the body. */
#include "http/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *key;
    size_t klen;
    char *body;
    size_t blen;
    const char *ctype; /* static strings only */
    double expires;
};

struct resp_cache {
    pthread_mutex_t mu;
    struct entry *e;
    size_t n, max_bytes, bytes;
};

#define PROBE 8

resp_cache *resp_cache_new(size_t max_entries, size_t max_bytes)
{
    resp_cache *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->n = max_entries ? max_entries : 256;
    c->e = calloc(c->n, sizeof *c->e);
    if (!c->e) abort();
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

static void drop(resp_cache *c, struct entry *e)
{
    c->bytes -= e->blen + e->klen;
    free(e->key);
    free(e->body);
    memset(e, 0, sizeof *e);
}

void resp_cache_free(resp_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].key) drop(c, &c->e[i]);
    free(c->e);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static size_t hash(str k)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < k.n; i++)
        h = (h ^ (unsigned char)k.p[i]) * 1099511628211u;
    return h;
}

static struct entry *find(resp_cache *c, str key)
{
    size_t h = hash(key);
    for (size_t i = 0; i < PROBE; i++) {
        struct entry *e = &c->e[(h + i) % c->n];
        if (e->key && e->klen == key.n && memcmp(e->key, key.p, key.n) == 0) return e;
    }
    return NULL;
}

bool resp_cache_get(resp_cache *c, str key, double now, buf *out, const char **ctype)
{
    bool hit = false;
    pthread_mutex_lock(&c->mu);
    struct entry *e = find(c, key);
    if (e && e->expires > now) {
        buf_reset(out);
        hit = buf_put(out, e->body, e->blen) == 0;
        *ctype = e->ctype;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void resp_cache_put(resp_cache *c, str key, double now, int ttl, str body, const char *ctype)
{
    if (body.n + key.n > c->max_bytes / 8) return; /* one entry never takes over the cache */
    char *k = malloc(key.n ? key.n : 1), *b = malloc(body.n ? body.n : 1);
    if (!k || !b) abort();
    memcpy(k, key.p, key.n);
    memcpy(b, body.p, body.n);
    pthread_mutex_lock(&c->mu);
    struct entry *e = find(c, key);
    if (!e) {
        /* an empty slot in the probe range, else the one that expires first */
        size_t h = hash(key);
        for (size_t i = 0; i < PROBE; i++) {
            struct entry *x = &c->e[(h + i) % c->n];
            if (!x->key) {
                e = x;
                break;
            }
            if (!e || x->expires < e->expires) e = x;
        }
    }
    if (e->key) drop(c, e);
    /* over the byte budget: drop expired entries, then give up on this one */
    if (c->bytes + body.n + key.n > c->max_bytes)
        for (size_t i = 0; i < c->n; i++)
            if (c->e[i].key && c->e[i].expires <= now) drop(c, &c->e[i]);
    if (c->bytes + body.n + key.n > c->max_bytes) {
        pthread_mutex_unlock(&c->mu);
        free(k);
        free(b);
        return;
    }
    *e = (struct entry){k, key.n, b, body.n, ctype, now + ttl};
    c->bytes += body.n + key.n;
    pthread_mutex_unlock(&c->mu);
}

static atomic_uint generation;

void http_cache_changed(void)
{
    atomic_fetch_add(&generation, 1);
}

unsigned http_cache_generation(void)
{
    return atomic_load(&generation);
}

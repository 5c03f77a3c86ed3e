/* arena: bump allocator in a list of blocks; see arena.h. */
#include "lib/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct block {
    struct block *next;
    size_t cap, used;
    _Alignas(16) unsigned char data[];
};

struct arena {
    struct block *head;
    size_t block_size;
    size_t total;
};

static struct block *block_new(size_t cap)
{
    struct block *b = malloc(sizeof *b + cap);
    if (!b) abort();
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    POISON(b->data, cap);
    return b;
}

arena *arena_new(size_t block_size)
{
    arena *a = malloc(sizeof *a);
    if (!a) abort();
    a->block_size = block_size ? block_size : 16 * 1024;
    a->head = block_new(a->block_size);
    a->total = 0;
    return a;
}

void arena_free(arena *a)
{
    if (!a) return;
    struct block *b = a->head;
    while (b) {
        struct block *n = b->next;
        UNPOISON(b->data, b->cap);
        free(b);
        b = n;
    }
    free(a);
}

void arena_reset(arena *a)
{
    struct block *b = a->head;
    while (b->next) {
        struct block *n = b->next;
        UNPOISON(b->data, b->cap);
        free(b);
        b = n;
    }
    /* the last block in the list is the first one allocated */
    a->head = b;
    b->used = 0;
    POISON(b->data, b->cap);
    a->total = 0;
}

void *arena_alloc(arena *a, size_t n)
{
    if (n == 0) n = 1;
    if (n > SIZE_MAX - 64) abort();
    size_t need = (n + 15) & ~(size_t)15;
    struct block *b = a->head;
    if (b->cap - b->used < need) {
        size_t cap = need > a->block_size ? need : a->block_size;
        b = block_new(cap);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    UNPOISON(p, n);
    memset(p, 0, n);
    return p;
}

void *arena_memdup(arena *a, const void *p, size_t n)
{
    void *d = arena_alloc(a, n);
    if (n) memcpy(d, p, n);
    return d;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (n) memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) abort();
    char *d = arena_alloc(a, (size_t)n + 1);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    return d;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *d = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return d;
}

size_t arena_used(const arena *a)
{
    return a->total;
}

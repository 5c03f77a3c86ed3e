/* memo: a small per-node cache of values built from the database, each in its own arena.
 *
 * A value is found by a string key and is valid while its generation is the caller's current
 * generation and its age is under the cache's TTL. The generation is how a write on this node
 * drops what it changed at once (bump a counter after the commit, see db_after_commit); the TTL
 * is how other nodes' writes are followed. A miss builds the value with the caller's fill
 * function into a fresh arena and publishes it; two threads missing the same key both build it
 * and the later one wins (cheaper than making one wait on the other's database round trips).
 *
 * memo_get hands out a reference: the value stays alive, even when it is replaced or the cache
 * is cleared, until memo_release. Values are read-only once published. Entries are capped in
 * number; the oldest is dropped first. Thread-safe (one mutex, held only to look up and link). */
#ifndef LAYAN_LIB_MEMO_H
#define LAYAN_LIB_MEMO_H
#include <stddef.h>

#include "lib/arena.h"

typedef struct memo memo;
typedef struct memo_ref memo_ref;

/* cap: most entries kept; ttl_ms: how long a value is used at most; block: the first arena
 * block of each value (0 = the arena default, 16 KiB; size it to what a value usually needs) */
memo *memo_new(size_t cap, long ttl_ms, size_t block);
void memo_free(memo *m); /* only when no reference is held any more */

/* builds the value for a key into `a` (which lives as long as the value) and sets *value.
 * Returns 0 on success; anything else is passed on by memo_get and nothing is cached. */
typedef int (*memo_fill_fn)(arena *a, void *ud, const void **value);

/* the value for key at generation gen: cached, or built by fill. On success (0) *value and
 * *ref are set; memo_release(*ref) when done with the value. On failure fill's result. */
int memo_get(memo *m, const char *key, unsigned gen, memo_fill_fn fill, void *ud,
             const void **value, memo_ref **ref);
void memo_release(memo_ref *ref);
void memo_clear(memo *m); /* drops every entry (held references stay valid) */

/* counters since memo_new, for tests and metrics */
typedef struct {
    unsigned long hits, misses;
} memo_stats;
memo_stats memo_stats_get(memo *m);

#endif

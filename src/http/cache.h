/* cache: a small per-node cache of whole responses for public pages that are the same for
 * every anonymous visitor (home page, service point pages). Entries live for the route's
 * cache_seconds, so an edit shows on every node within that time; nothing here needs sharing
 * between nodes. Bounded in entries and bytes; thread-safe. */
#ifndef LAYAN_HTTP_CACHE_H
#define LAYAN_HTTP_CACHE_H
#include <stdbool.h>
#include <stddef.h>

#include "lib/str.h"

typedef struct resp_cache resp_cache;

resp_cache *resp_cache_new(size_t max_entries, size_t max_bytes);
void resp_cache_free(resp_cache *c);
/* copies a fresh entry's body into out; false when absent or expired */
bool resp_cache_get(resp_cache *c, str key, double now, buf *out, const char **ctype);
void resp_cache_put(resp_cache *c, str key, double now, int ttl, str body, const char *ctype);
/* the generation of public content on this node, part of every page cache key: a write that
 * changes what anonymous visitors see (a survey result published, a follow-up item) calls
 * http_cache_changed() after its commit, and this node's cached pages are dropped at once
 * (other nodes' within their cache_seconds) */
void http_cache_changed(void);
unsigned http_cache_generation(void);

#endif

/* arena: per-request bump allocator, freed as a whole.
 *
 * Every request (and every CLI command) owns one arena. Allocations are 16-byte aligned and
 * zeroed. Out of memory aborts (there is no sensible recovery mid-request). Under ASan the
 * unused tail of each block is poisoned, so reads past an allocation are caught. */
#ifndef LAYAN_ARENA_H
#define LAYAN_ARENA_H
#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(size_t block_size); /* 0 = default (16 KiB) */
void arena_free(arena *a);
void arena_reset(arena *a); /* keeps the first block */
void *arena_alloc(arena *a, size_t n);
void *arena_memdup(arena *a, const void *p, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
size_t arena_used(const arena *a); /* bytes handed out, for metrics and caps */

#endif

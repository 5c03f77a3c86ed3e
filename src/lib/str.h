/* str: (pointer, length) slices and capped growable buffers.
 *
 * Internally strings are slices; NUL-terminated only at library boundaries. A buf has a hard
 * cap: an append past it fails (returns -1), sets `overflow`, and leaves the content as it was,
 * so callers answer "too large" instead of growing without bound. */
#ifndef LAYAN_STR_H
#define LAYAN_STR_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *p;
    size_t n;
} str;

#define STR(lit) ((str){(lit), sizeof(lit) - 1})
#define STR_NULL ((str){NULL, 0})
#define STR_FMT(s) (int)(s).n, (s).p /* printf("%.*s", STR_FMT(s)) */

str str_c(const char *s); /* NULL -> empty */
bool str_eq(str a, str b);
bool str_eq_c(str a, const char *b);
bool str_ieq_c(str a, const char *b); /* ASCII case-insensitive */
bool str_starts(str s, str prefix);
str str_trim(str s);                /* ASCII white space */
long str_find(str hay, str needle); /* -1 if absent */
/* parse a whole slice as a decimal integer within [min, max]; false if not exactly that */
bool str_to_long(str s, long min, long max, long *out);

typedef struct {
    char *p;    /* always NUL-terminated when non-NULL */
    size_t n;   /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard cap on n */
    bool overflow;
} buf;

void buf_init(buf *b, size_t max);
void buf_free(buf *b);
void buf_reset(buf *b); /* keeps memory */
int buf_put(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_putstr(buf *b, str s);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
str buf_str(const buf *b);
/* hands the memory to the caller (free() it); the buf is empty afterwards */
char *buf_steal(buf *b, size_t *len);

#endif

/* str: slices and capped buffers; see str.h. */
#include "lib/str.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

str str_c(const char *s)
{
    return s ? (str){s, strlen(s)} : (str){"", 0};
}

bool str_eq(str a, str b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool str_eq_c(str a, const char *b)
{
    return str_eq(a, str_c(b));
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

bool str_ieq_c(str a, const char *b)
{
    size_t n = strlen(b);
    if (n != a.n) return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a.p[i]) != lower((unsigned char)b[i])) return false;
    return true;
}

bool str_starts(str s, str prefix)
{
    return s.n >= prefix.n && (prefix.n == 0 || memcmp(s.p, prefix.p, prefix.n) == 0);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

str str_trim(str s)
{
    while (s.n && is_space(s.p[0]))
        s.p++, s.n--;
    while (s.n && is_space(s.p[s.n - 1]))
        s.n--;
    return s;
}

long str_find(str hay, str needle)
{
    if (needle.n == 0) return 0;
    if (needle.n > hay.n) return -1;
    const char *r = memmem(hay.p, hay.n, needle.p, needle.n);
    return r ? (long)(r - hay.p) : -1;
}

bool str_to_long(str s, long min, long max, long *out)
{
    if (s.n == 0 || s.n > 19) return false;
    size_t i = 0;
    bool neg = false;
    if (s.p[0] == '-') {
        neg = true;
        i = 1;
        if (s.n == 1) return false;
    }
    long v = 0;
    for (; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9') return false;
        int d = s.p[i] - '0';
        if (v > (LONG_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (neg) v = -v;
    if (v < min || v > max) return false;
    *out = v;
    return true;
}

void buf_init(buf *b, size_t max)
{
    b->p = NULL;
    b->n = b->cap = 0;
    b->max = max;
    b->overflow = false;
}

void buf_free(buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

void buf_reset(buf *b)
{
    b->n = 0;
    b->overflow = false;
    if (b->p) b->p[0] = 0;
}

static int buf_grow(buf *b, size_t add)
{
    if (add > b->max || b->n > b->max - add) {
        b->overflow = true;
        return -1;
    }
    size_t need = b->n + add + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) abort();
    b->p = p;
    b->cap = cap;
    return 0;
}

int buf_put(buf *b, const void *p, size_t n)
{
    if (buf_grow(b, n)) return -1;
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
    return 0;
}

int buf_puts(buf *b, const char *s)
{
    return buf_put(b, s, strlen(s));
}

int buf_putc(buf *b, char c)
{
    return buf_put(b, &c, 1);
}

int buf_putstr(buf *b, str s)
{
    return buf_put(b, s.p, s.n);
}

int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return -1;
    if (buf_grow(b, (size_t)n)) return -1;
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    b->n += (size_t)n;
    return 0;
}

int buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return r;
}

str buf_str(const buf *b)
{
    return b->p ? (str){b->p, b->n} : (str){"", 0};
}

char *buf_steal(buf *b, size_t *len)
{
    if (!b->p) buf_grow(b, 0);
    char *p = b->p;
    if (len) *len = b->n;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

/* parse_query: application/x-www-form-urlencoded (query strings and form bodies), and the
 * shared helpers of the parse module. One pass, splitting on & and =, decoding each piece. */
#include <string.h>

#include "http/parse.h"
#include "lib/utf8.h"

const char *http_perr_str(int e)
{
    switch (e) {
    case HTTP_POK: return "ok";
    case HTTP_PE_TOO_MANY: return "too many parameters or parts";
    case HTTP_PE_TOO_LONG: return "a name or value is too long";
    case HTTP_PE_ENCODING: return "bad percent-encoding";
    case HTTP_PE_UTF8: return "not valid UTF-8 text";
    case HTTP_PE_SYNTAX: return "malformed";
    case HTTP_PE_TOO_LARGE: return "too large";
    case HTTP_PE_IO: return "cannot write a temporary file";
    default: return "unknown error";
    }
}

str http_kvs_get(const http_kvs *k, const char *name)
{
    for (size_t i = 0; i < k->n; i++)
        if (str_eq_c(k->items[i].name, name)) return k->items[i].value;
    return STR_NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int http_percent_decode(arena *a, str in, bool plus_is_space, str *out)
{
    char *d = arena_alloc(a, in.n + 1);
    size_t k = 0;
    for (size_t i = 0; i < in.n; i++) {
        char c = in.p[i];
        if (c == '%') {
            if (in.n - i < 3) return HTTP_PE_ENCODING;
            int h = hexval(in.p[i + 1]), l = hexval(in.p[i + 2]);
            if (h < 0 || l < 0) return HTTP_PE_ENCODING;
            d[k++] = (char)(h * 16 + l);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            d[k++] = ' ';
        } else {
            d[k++] = c;
        }
    }
    d[k] = 0;
    *out = (str){d, k};
    return HTTP_POK;
}

int http_parse_urlencoded(arena *a, str in, const http_limits *lim, http_kvs *out)
{
    out->items = NULL;
    out->n = 0;
    if (in.n > lim->max_total) return HTTP_PE_TOO_LARGE;
    size_t pairs = 1;
    for (size_t i = 0; i < in.n; i++)
        pairs += in.p[i] == '&';
    if (pairs > lim->max_pairs * 4 + 16) return HTTP_PE_TOO_MANY;
    http_kv *items = arena_alloc(a, pairs * sizeof *items);
    size_t n = 0, i = 0;
    while (i <= in.n) {
        size_t j = i;
        while (j < in.n && in.p[j] != '&')
            j++;
        str pair = {in.p + i, j - i};
        i = j + 1;
        if (pair.n == 0) continue;
        if (n == lim->max_pairs) return HTTP_PE_TOO_MANY;
        const char *eq = memchr(pair.p, '=', pair.n);
        str rn = eq ? (str){pair.p, (size_t)(eq - pair.p)} : pair;
        str rv = eq ? (str){eq + 1, pair.n - rn.n - 1} : (str){"", 0};
        if (rn.n > lim->max_name * 3 || rv.n > lim->max_value * 3) return HTTP_PE_TOO_LONG;
        str dn, dv;
        int e = http_percent_decode(a, rn, true, &dn);
        if (!e) e = http_percent_decode(a, rv, true, &dv);
        if (e) return e;
        if (dn.n > lim->max_name || dv.n > lim->max_value) return HTTP_PE_TOO_LONG;
        if (!utf8_valid_text(dn.p, dn.n) || !utf8_valid_text(dv.p, dv.n)) return HTTP_PE_UTF8;
        if (dn.n == 0) continue;
        items[n].name = dn;
        items[n].value = dv;
        n++;
    }
    out->items = items;
    out->n = n;
    return HTTP_POK;
}

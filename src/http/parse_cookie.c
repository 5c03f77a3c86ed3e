/* parse_cookie: the Cookie request header (RFC 6265 §4.2.1). Browsers send cookies of other
 * applications on the same host too, so a malformed pair is skipped, not an error. */
#include <string.h>

#include "http/parse.h"
#include "lib/utf8.h"

static bool cookie_octet(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
           (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

static bool token_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

int http_parse_cookies(arena *a, str h, const http_limits *lim, http_kvs *out)
{
    out->items = NULL;
    out->n = 0;
    if (h.n > lim->max_total) return HTTP_PE_TOO_LARGE;
    http_kv *items = arena_alloc(a, (lim->max_pairs ? lim->max_pairs : 1) * sizeof *items);
    size_t n = 0, i = 0;
    while (i < h.n && n < lim->max_pairs) {
        size_t j = i;
        while (j < h.n && h.p[j] != ';')
            j++;
        str pair = str_trim((str){h.p + i, j - i});
        i = j + 1;
        const char *eq = pair.n ? memchr(pair.p, '=', pair.n) : NULL;
        if (!eq) continue;
        str name = str_trim((str){pair.p, (size_t)(eq - pair.p)});
        str val = str_trim((str){eq + 1, pair.n - (size_t)(eq - pair.p) - 1});
        if (val.n >= 2 && val.p[0] == '"' && val.p[val.n - 1] == '"')
            val = (str){val.p + 1, val.n - 2};
        bool ok = name.n > 0 && name.n <= lim->max_name && val.n <= lim->max_value;
        for (size_t k = 0; ok && k < name.n; k++)
            ok = token_char((unsigned char)name.p[k]);
        for (size_t k = 0; ok && k < val.n; k++)
            ok = cookie_octet((unsigned char)val.p[k]);
        if (!ok) continue;
        items[n].name = (str){arena_strndup(a, name.p, name.n), name.n};
        items[n].value = (str){arena_strndup(a, val.p, val.n), val.n};
        n++;
    }
    out->items = items;
    out->n = n;
    return HTTP_POK;
}

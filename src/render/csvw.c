/* csvw: see csvw.h. Numbers are formatted with snprintf: layan never calls setlocale, so the
 * C locale's '.' is the decimal separator (a comma would also need quoting and would confuse
 * importers). */
#include "render/csvw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void csvw_init(csvw *w, size_t max, bool bom)
{
    buf_init(&w->b, max ? max : CSVW_MAX_DEFAULT);
    w->row_open = false;
    w->failed = false;
    if (bom && buf_put(&w->b, "\xEF\xBB\xBF", 3)) w->failed = true;
}

void csvw_free(csvw *w)
{
    buf_free(&w->b);
    w->row_open = false;
}

/* the separator before every field but the first of a record */
static int field_start(csvw *w)
{
    if (w->failed) return -1;
    if (w->row_open && buf_putc(&w->b, ',')) goto fail;
    w->row_open = true;
    return 0;
fail:
    w->failed = true;
    return -1;
}

/* a field that cannot need quoting or protection (numbers) */
static int put_plain(csvw *w, const char *s, size_t n)
{
    if (field_start(w)) return -1;
    if (buf_put(&w->b, s, n)) {
        w->failed = true;
        return -1;
    }
    return 0;
}

int csvw_str(csvw *w, str s)
{
    if (!w || field_start(w)) return -1;
    if (!s.p) s.n = 0;
    /* A spreadsheet evaluates a cell starting with these (a leading '-' or '+' too: "-1+1"
     * is a formula, and "@SUM" in older Excel); TAB and CR are in OWASP's list because some
     * importers strip them and then see the next character. */
    bool inject = s.n && strchr("=+-@\t\r", s.p[0]) != NULL;
    bool quote = false;
    for (size_t i = 0; i < s.n && !quote; i++)
        quote = s.p[i] == ',' || s.p[i] == '"' || s.p[i] == '\r' || s.p[i] == '\n';
    int r = 0;
    if (quote) r |= buf_putc(&w->b, '"');
    if (inject) r |= buf_putc(&w->b, '\'');
    if (!quote) {
        r |= buf_put(&w->b, s.p, s.n);
    } else {
        size_t from = 0;
        for (size_t i = 0; i < s.n && !r; i++) {
            if (s.p[i] != '"') continue;
            r |= buf_put(&w->b, s.p + from, i + 1 - from); /* up to and including the quote */
            r |= buf_putc(&w->b, '"');
            from = i + 1;
        }
        if (!r) r |= buf_put(&w->b, s.p + from, s.n - from);
        r |= buf_putc(&w->b, '"');
    }
    if (r) w->failed = true;
    return r ? -1 : 0;
}

int csvw_text(csvw *w, const char *s)
{
    return csvw_str(w, str_c(s));
}

int csvw_int(csvw *w, long long v)
{
    if (!w) return -1;
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", v);
    return put_plain(w, tmp, (size_t)n);
}

int csvw_num(csvw *w, double v, int decimals)
{
    if (!w) return -1;
    if (!isfinite(v)) return put_plain(w, "", 0);
    char tmp[512]; /* %.15f of 1e300 is 316 characters */
    int n = decimals >= 0 ? snprintf(tmp, sizeof tmp, "%.*f", decimals > 15 ? 15 : decimals, v)
                          : snprintf(tmp, sizeof tmp, "%.15g", v);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        w->failed = true;
        return -1;
    }
    return put_plain(w, tmp, (size_t)n);
}

int csvw_end_row(csvw *w)
{
    if (!w || w->failed) return -1;
    if (buf_put(&w->b, "\r\n", 2)) {
        w->failed = true;
        return -1;
    }
    w->row_open = false;
    return 0;
}

int csvw_row(csvw *w, const char *const *fields, int n)
{
    if (!w || n < 0 || (n > 0 && !fields)) return -1;
    for (int i = 0; i < n; i++)
        if (csvw_text(w, fields[i])) return -1;
    return csvw_end_row(w);
}

char *csvw_finish(csvw *w, size_t *len)
{
    if (len) *len = 0;
    if (!w) return NULL;
    char *out = NULL;
    if (!w->failed && !w->row_open) out = buf_steal(&w->b, len);
    csvw_free(w);
    return out;
}

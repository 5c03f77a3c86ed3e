/* chart: see chart.h. Written into a buf and copied to the arena; coordinates are integers
 * (printed with %d: no locale, no float formatting in the markup). */
#include "render/chart.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/str.h"

#define INK "#0b0c0c"
#define MARK "#1d4f91"
#define TRACK "#f3f2f1"
#define GRID "#b1b4b6"
#define REF "#505a5f"
#define FONT "font-family=\"system-ui, sans-serif\""

static int chart_seq; /* ids: unique enough within a page; racing threads only share a number */

/* the length in bytes of the valid UTF-8 sequence at p (1..4), 0 when it is not one */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80) return 1;
    size_t len = p[0] >= 0xF0 && p[0] <= 0xF4  ? 4
                 : p[0] >= 0xE0                ? 3
                 : p[0] >= 0xC2 && p[0] < 0xE0 ? 2
                                               : 0;
    if (!len || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    if (len == 3 && p[0] == 0xE0 && p[1] < 0xA0) return 0;  /* overlong */
    if (len == 3 && p[0] == 0xED && p[1] >= 0xA0) return 0; /* surrogate */
    if (len == 4 && p[0] == 0xF0 && p[1] < 0x90) return 0;
    if (len == 4 && p[0] == 0xF4 && p[1] >= 0x90) return 0;
    return len;
}

/* s as XML character data or attribute value */
static void esc(buf *b, const char *s)
{
    if (!s) return;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n) {
        size_t k = utf8_seq(p, n);
        if (!k) {
            buf_puts(b, "\xEF\xBF\xBD");
            p++;
            n--;
            continue;
        }
        if (k == 1) {
            switch (*p) {
            case '&': buf_puts(b, "&amp;"); break;
            case '<': buf_puts(b, "&lt;"); break;
            case '>': buf_puts(b, "&gt;"); break;
            case '"': buf_puts(b, "&quot;"); break;
            case '\'': buf_puts(b, "&#39;"); break;
            default:
                if (*p >= 0x20 || *p == '\t') buf_putc(b, (char)*p);
                else if (*p == '\n' || *p == '\r') buf_putc(b, ' ');
            }
        } else {
            buf_put(b, p, k);
        }
        p += k;
        n -= k;
    }
}

static void open_svg(buf *b, int w, int h, const char *title, const char *desc, int id)
{
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"layan-chart\" role=\"img\" "
               "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" aria-labelledby=\"chart%d-t "
               "chart%d-d\" " FONT " font-size=\"14\" fill=\"" INK "\"><title id=\"chart%d-t\">",
               w, h, w, h, id, id, id);
    esc(b, title);
    buf_printf(b, "</title><desc id=\"chart%d-d\">", id);
    esc(b, desc);
    buf_puts(b, "</desc>");
}

static const char *finish(arena *a, buf *b)
{
    buf_puts(b, "</svg>");
    str s = buf_str(b);
    const char *out = s.p ? arena_strndup(a, s.p, s.n) : NULL;
    buf_free(b);
    return out;
}

/* x of v on lo..hi mapped to x0..x0+w, clamped */
static int scale(double v, double lo, double hi, int x0, int w)
{
    double f = (v - lo) / (hi - lo);
    if (!(f >= 0)) f = 0; /* also NaN */
    if (f > 1) f = 1;
    return x0 + (int)(f * w + 0.5);
}

static void text(buf *b, int x, int y, const char *anchor, const char *attrs, const char *s)
{
    buf_printf(b, "<text x=\"%d\" y=\"%d\"%s%s%s%s>", x, y, anchor ? " text-anchor=\"" : "",
               anchor ? anchor : "", anchor ? "\"" : "", attrs ? attrs : "");
    esc(b, s);
    buf_puts(b, "</text>");
}

/* rows of bars: label above, bar on a light track, value after it */
static const char *rows(arena *a, const char *title, const char *desc, const chart_item *it,
                        size_t n, double lo, double hi, bool grid, int bar_h, int font)
{
    if (!a || !it || n == 0 || n > 200 || !(lo < hi)) return NULL;
    const int W = 400, left = 4, right = 96, top = 6;
    const int lab_h = font + 6, row_h = lab_h + bar_h + 10, bw = W - left - right;
    int axis_h = grid ? 22 : 0;
    int H = top + (int)n * row_h + axis_h;
    buf b;
    buf_init(&b, 1u << 20);
    int id = __atomic_add_fetch(&chart_seq, 1, __ATOMIC_RELAXED);
    open_svg(&b, W, H, title, desc, id);
    int ticks = (int)(hi - lo);
    bool draw_grid = grid && (double)ticks == hi - lo && ticks >= 1 && ticks <= 10;
    if (draw_grid) {
        buf_puts(&b, "<g aria-hidden=\"true\">");
        for (int t = 0; t <= ticks; t++) {
            int x = scale(lo + t, lo, hi, left, bw);
            buf_printf(&b,
                       "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" GRID
                       "\" stroke-width=\"1\"/>",
                       x, top, x, top + (int)n * row_h);
            char num[24];
            snprintf(num, sizeof num, "%lld", (long long)(lo + t));
            text(&b, x, top + (int)n * row_h + 16,
                 t == 0       ? "start"
                 : t == ticks ? "end"
                              : "middle",
                 " font-size=\"12\"", num);
        }
        buf_puts(&b, "</g>");
    }
    for (size_t i = 0; i < n; i++) {
        int y = top + (int)i * row_h;
        buf_printf(&b, "<g><text x=\"%d\" y=\"%d\" font-size=\"%d\">", left, y + font, font);
        esc(&b, it[i].label);
        buf_puts(&b, "</text>");
        int by = y + lab_h, x1 = scale(it[i].value, lo, hi, left, bw);
        buf_printf(&b,
                   "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"" TRACK
                   "\" aria-hidden=\"true\"/>",
                   left, by, bw, bar_h);
        if (x1 > left)
            buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"" MARK "\"/>",
                       left, by, x1 - left, bar_h);
        buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", left + bw + 6,
                   by + bar_h / 2 + 5);
        esc(&b, it[i].value_text);
        buf_puts(&b, "</text></g>");
    }
    return finish(a, &b);
}

const char *chart_hbars(arena *a, const char *title, const char *desc, const chart_item *it,
                        size_t n, double lo, double hi)
{
    return rows(a, title, desc, it, n, lo, hi, true, 18, 14);
}

const char *chart_shares(arena *a, const char *title, const char *desc, const chart_item *it,
                         size_t n)
{
    return rows(a, title, desc, it, n, 0, 1, false, 12, 13);
}

const char *chart_columns(arena *a, const char *title, const char *desc, const chart_item *it,
                          size_t n, double lo, double hi, const chart_ref *refs, size_t nrefs)
{
    if (!a || !it || n == 0 || n > 40 || !(lo < hi) || (nrefs && !refs) || nrefs > 10) return NULL;
    const int left = 8, right = 92, top = 24, plot_h = 220, col_w = 44, gap = 20;
    const int label_h = 40;
    int W = left + (int)n * (col_w + gap) + right;
    if (W < 400) W = 400;
    int H = top + plot_h + label_h;
    int base = top + plot_h;
    buf b;
    buf_init(&b, 1u << 20);
    int id = __atomic_add_fetch(&chart_seq, 1, __ATOMIC_RELAXED);
    open_svg(&b, W, H, title, desc, id);
    buf_printf(&b,
               "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" INK
               "\" stroke-width=\"1\" aria-hidden=\"true\"/>",
               left, base, W - right + 4, base);
    for (size_t i = 0; i < n; i++) {
        int x = left + gap / 2 + (int)i * (col_w + gap);
        int y = base - (scale(it[i].value, lo, hi, 0, plot_h));
        buf_puts(&b, "<g>");
        if (y < base)
            buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"" MARK "\"/>",
                       x, y, col_w, base - y);
        text(&b, x + col_w / 2, y - 6, "middle", " font-weight=\"bold\" font-size=\"13\"",
             it[i].value_text);
        text(&b, x + col_w / 2, base + 18, "middle", " font-size=\"12\"", it[i].label);
        buf_puts(&b, "</g>");
    }
    /* reference lines over the columns, each with its label in the right margin; labels
     * closer than a line of text are pushed apart */
    int last_y = -100;
    for (size_t r = 0; r < nrefs; r++) {
        int y = base - scale(refs[r].value, lo, hi, 0, plot_h);
        buf_printf(&b,
                   "<g><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" REF
                   "\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
                   left, y, W - right + 4, y);
        int ty = y + 5;
        if (ty < last_y + 15 && ty > last_y - 15) ty = last_y + 15;
        last_y = ty;
        text(&b, W - right + 8, ty, NULL, " font-size=\"12\"", refs[r].label);
        buf_puts(&b, "</g>");
    }
    return finish(a, &b);
}

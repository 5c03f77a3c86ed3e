/* pdf: see pdf.h.
 *
 * Blocks are recorded in the arena; pdf_end runs the same layout code twice. The first pass
 * draws nothing: it finds the page breaks, hence the page count for "{pages}", and on a roll
 * the height of the content. The second pass draws onto the real PDF surface. Both passes use
 * a PDF surface (the first writes to nowhere) and one Pango context, so font metrics and
 * therefore line breaks are identical in both.
 *
 * Each document gets its own Pango font map, released in pdf_end: pango's default font map
 * is a per-thread cache that would outlive the request on a worker thread. Units are PDF
 * points (1/72 in); sizes are set as absolute sizes in those units, so the surface resolution
 * plays no part. */
#include "render/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <float.h>
#include <glib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <string.h>

#include "lib/str.h"

#define MM (72.0 / 25.4)
#define PDF_MAX_PAGE_PT 14400.0 /* PDF 1.x limit on a page side (200 inches) */
#define FONT_FAMILY "DejaVu Sans"

typedef enum {
    B_HEADING, B_PARA, B_LIST, B_TABLE, B_QR, B_SPACER, B_RULE, B_BOX, B_BREAK, B_BARS
} bkind;

typedef struct block {
    bkind kind;
    int level, style;   /* heading level; paragraph and box style */
    const char *text;   /* heading, paragraph, box, QR caption */
    const char **cells; /* list items; table cells (nrows x ncols) */
    const char **header;
    double *widths; /* table: fractions summing to 1 */
    int n, ncols;   /* list items or table rows; table columns */
    bool numbered;
    unsigned char *qr; /* qrw x qrw, 1 = dark */
    int qrw;
    double mm;     /* spacer height; QR size */
    double lo, hi; /* bars: the scale (values in widths, labels in cells, texts in header) */
    struct block *next;
} block;

struct pdf_doc {
    arena *a;
    pdf_setup s;
    const char *title, *footer;
    bool failed;
    block *first, *last;
};

/* ---- building ---- */

pdf_setup pdf_preset(pdf_page_kind kind)
{
    if (kind == PDF_ROLL58)
        return (pdf_setup){.width_mm = 58,
                           .height_mm = 0,
                           .margin_top_mm = 4,
                           .margin_right_mm = 4,
                           .margin_bottom_mm = 4,
                           .margin_left_mm = 4,
                           .font_pt = 8};
    return (pdf_setup){.width_mm = 210,
                       .height_mm = 297,
                       .margin_top_mm = 18,
                       .margin_right_mm = 18,
                       .margin_bottom_mm = 18,
                       .margin_left_mm = 18,
                       .font_pt = 10};
}

/* a copy in the arena that Pango will render as written: invalid UTF-8 repaired (Pango
 * would warn on stderr and substitute anyway), C0 controls other than LF and TAB dropped
 * (they would print as hex boxes) */
static const char *dup_text(pdf_doc *d, const char *s)
{
    if (!s) return "";
    char *fixed = NULL;
    if (!g_utf8_validate(s, -1, NULL)) s = fixed = g_utf8_make_valid(s, -1);
    size_t n = strlen(s), j = 0;
    char *out = arena_alloc(d->a, n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) continue;
        out[j++] = (char)c;
    }
    out[j] = 0;
    g_free(fixed);
    return out;
}

static bool setup_ok(const pdf_setup *s)
{
    double w = s->width_mm, h = s->height_mm;
    bool ok = w >= 20 && w * MM <= PDF_MAX_PAGE_PT && h >= 0 && h * MM <= PDF_MAX_PAGE_PT &&
              s->font_pt >= 4 && s->font_pt <= 72 && s->margin_top_mm >= 0 &&
              s->margin_right_mm >= 0 && s->margin_bottom_mm >= 0 && s->margin_left_mm >= 0;
    if (!ok) return false;
    /* at least 15 mm of text width, and height for a few lines */
    if (w - s->margin_left_mm - s->margin_right_mm < 15) return false;
    if (h > 0 && h - s->margin_top_mm - s->margin_bottom_mm < 30) return false;
    return true;
}

pdf_doc *pdf_begin_setup(arena *a, const pdf_setup *setup, const char *title)
{
    if (!a || !setup || !setup_ok(setup)) return NULL;
    pdf_doc *d = arena_alloc(a, sizeof *d);
    d->a = a;
    d->s = *setup;
    if (!d->s.max_bytes) d->s.max_bytes = PDF_MAX_DEFAULT;
    d->title = title ? dup_text(d, title) : NULL;
    return d;
}

pdf_doc *pdf_begin(arena *a, pdf_page_kind kind, const char *title)
{
    pdf_setup s = pdf_preset(kind);
    return pdf_begin_setup(a, &s, title);
}

static int bad(pdf_doc *d)
{
    if (d) d->failed = true;
    return -1;
}

static block *add(pdf_doc *d, bkind kind)
{
    block *b = arena_alloc(d->a, sizeof *b);
    b->kind = kind;
    if (d->last) d->last->next = b;
    else d->first = b;
    d->last = b;
    return b;
}

int pdf_footer(pdf_doc *d, const char *pattern)
{
    if (!d) return -1;
    d->footer = pattern ? dup_text(d, pattern) : NULL;
    return 0;
}

int pdf_heading(pdf_doc *d, int level, const char *text)
{
    if (!d || !text || level < 1 || level > 3) return bad(d);
    block *b = add(d, B_HEADING);
    b->level = level;
    b->text = dup_text(d, text);
    return 0;
}

int pdf_para(pdf_doc *d, const char *text, int style)
{
    if (!d || !text) return bad(d);
    block *b = add(d, B_PARA);
    b->style = style;
    b->text = dup_text(d, text);
    return 0;
}

int pdf_box(pdf_doc *d, const char *text, int style)
{
    if (pdf_para(d, text, style)) return -1;
    d->last->kind = B_BOX;
    return 0;
}

static const char **dup_texts(pdf_doc *d, const char *const *v, size_t n)
{
    const char **out = arena_alloc(d->a, (n ? n : 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = dup_text(d, v[i]);
    return out;
}

int pdf_list(pdf_doc *d, const char *const *items, int n, bool numbered)
{
    if (!d || n < 0 || n > 100000 || (n && !items)) return bad(d);
    block *b = add(d, B_LIST);
    b->cells = dup_texts(d, items, (size_t)n);
    b->n = n;
    b->numbered = numbered;
    return 0;
}

int pdf_table(pdf_doc *d, int ncols, const double *widths, const char *const *header,
              const char *const *cells, int nrows)
{
    if (!d || ncols < 1 || ncols > 32 || nrows < 0 || nrows > 1000000 || (nrows && !cells))
        return bad(d);
    double sum = 0;
    for (int c = 0; widths && c < ncols; c++) {
        if (!(widths[c] > 0 && widths[c] <= 1000)) return bad(d);
        sum += widths[c];
    }
    block *b = add(d, B_TABLE);
    b->ncols = ncols;
    b->n = nrows;
    b->widths = arena_alloc(d->a, (size_t)ncols * sizeof *b->widths);
    for (int c = 0; c < ncols; c++)
        b->widths[c] = widths ? widths[c] / sum : 1.0 / ncols;
    b->header = header ? dup_texts(d, header, (size_t)ncols) : NULL;
    b->cells = dup_texts(d, cells, (size_t)nrows * (size_t)ncols);
    return 0;
}

int pdf_qr(pdf_doc *d, const char *text, double size_mm, const char *caption)
{
    if (!d || !text || !(size_mm >= 10 && size_mm <= 250)) return bad(d);
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return bad(d);
    block *b = add(d, B_QR);
    b->qrw = q->width;
    b->qr = arena_alloc(d->a, (size_t)q->width * (size_t)q->width);
    for (int i = 0; i < q->width * q->width; i++)
        b->qr[i] = q->data[i] & 1;
    QRcode_free(q);
    b->mm = size_mm;
    b->text = caption ? dup_text(d, caption) : NULL;
    return 0;
}

int pdf_spacer(pdf_doc *d, double mm)
{
    if (!d || !(mm >= 0 && mm <= 300)) return bad(d);
    add(d, B_SPACER)->mm = mm;
    return 0;
}

int pdf_rule(pdf_doc *d)
{
    if (!d) return -1;
    add(d, B_RULE);
    return 0;
}

int pdf_page_break(pdf_doc *d)
{
    if (!d) return -1;
    add(d, B_BREAK);
    return 0;
}

int pdf_bars(pdf_doc *d, const char *const *labels, const double *values,
             const char *const *value_texts, int n, double lo, double hi)
{
    if (!d || n < 1 || n > 100 || !labels || !values || !value_texts || !(lo < hi)) return bad(d);
    block *b = add(d, B_BARS);
    b->n = n;
    b->lo = lo;
    b->hi = hi;
    b->cells = dup_texts(d, labels, (size_t)n);
    b->header = dup_texts(d, value_texts, (size_t)n);
    b->widths = arena_alloc(d->a, (size_t)n * sizeof *b->widths);
    for (int i = 0; i < n; i++)
        b->widths[i] = values[i];
    return 0;
}

/* ---- layout ---- */

typedef struct {
    pdf_doc *d;
    cairo_t *cr;
    PangoContext *pc;
    bool draw, roll;
    double pw, ph;                   /* page size */
    double left, right, top, bottom; /* text area */
    double y;
    double fs; /* body font size */
    int page, pages;
    int err;
} lay;

static PangoLayout *mk_layout(lay *l, const char *text, double pt, int style, double width)
{
    PangoLayout *pl = pango_layout_new(l->pc);
    PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
    if (style & PDF_BOLD) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (style & PDF_ITALIC) pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(pl, width < 0 ? -1 : (int)(width * PANGO_SCALE)); /* -1: no wrap */
    pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR); /* long codes and URLs still break */
    pango_layout_set_alignment(pl, (style & PDF_CENTER)  ? PANGO_ALIGN_CENTER
                                   : (style & PDF_RIGHT) ? PANGO_ALIGN_RIGHT
                                                         : PANGO_ALIGN_LEFT);
    pango_layout_set_text(pl, text, -1);
    return pl;
}

static double style_pt(const lay *l, int style)
{
    return l->fs * ((style & PDF_LARGE) ? 1.4 : (style & PDF_SMALL) ? 0.85 : 1.0);
}

static double layout_h(PangoLayout *pl)
{
    int w, h;
    pango_layout_get_size(pl, &w, &h);
    return (double)h / PANGO_SCALE;
}

static bool at_top(const lay *l)
{
    return l->y <= l->top + 0.01;
}

/* "{page}" and "{pages}" replaced */
static void draw_footer(lay *l)
{
    if (!l->d->footer || l->roll) return;
    char num[16];
    buf b;
    buf_init(&b, 4096);
    for (const char *p = l->d->footer; *p;) {
        if (!strncmp(p, "{page}", 6)) {
            snprintf(num, sizeof num, "%d", l->page);
            buf_puts(&b, num);
            p += 6;
        } else if (!strncmp(p, "{pages}", 7)) {
            snprintf(num, sizeof num, "%d", l->pages);
            buf_puts(&b, num);
            p += 7;
        } else {
            buf_putc(&b, *p++);
        }
    }
    PangoLayout *pl = mk_layout(l, b.p ? b.p : "", l->fs * 0.8, PDF_CENTER, l->right - l->left);
    double h = layout_h(pl), m = l->d->s.margin_bottom_mm * MM;
    cairo_set_source_rgb(l->cr, 0.3, 0.3, 0.3);
    cairo_move_to(l->cr, l->left, l->ph - m / 2 - h / 2);
    pango_cairo_show_layout(l->cr, pl);
    cairo_set_source_rgb(l->cr, 0, 0, 0);
    g_object_unref(pl);
    buf_free(&b);
}

static void new_page(lay *l)
{
    if (l->roll) return;
    if (l->draw) {
        draw_footer(l);
        cairo_show_page(l->cr);
    }
    l->page++;
    l->y = l->top;
    if (l->page > PDF_MAX_PAGES) l->err = PDF_TOO_LARGE;
}

/* room for h more points on this page, or a new page (unless this one is still empty: a
 * block taller than a page would otherwise break forever) */
static void need(lay *l, double h)
{
    if (!l->roll && l->y + h > l->bottom + 0.01 && !at_top(l)) new_page(l);
}

/* draws a layout line by line, breaking pages between lines; marker (a list bullet) is drawn
 * on the baseline of the first line at marker_x */
static void flow(lay *l, PangoLayout *pl, double x, PangoLayout *marker, double marker_x)
{
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    bool first = true;
    do {
        PangoRectangle log;
        pango_layout_iter_get_line_extents(it, NULL, &log);
        double lh = (double)log.height / PANGO_SCALE;
        need(l, lh);
        if (l->draw) {
            double base = l->y + (double)(pango_layout_iter_get_baseline(it) - log.y) / PANGO_SCALE;
            cairo_move_to(l->cr, x + (double)log.x / PANGO_SCALE, base);
            pango_cairo_show_layout_line(l->cr, pango_layout_iter_get_line_readonly(it));
            if (first && marker) {
                PangoLayoutLine *ml = pango_layout_get_line_readonly(marker, 0);
                cairo_move_to(l->cr, marker_x, base);
                if (ml) pango_cairo_show_layout_line(l->cr, ml);
            }
        }
        first = false;
        l->y += lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

static void do_heading(lay *l, const block *b)
{
    static const double scale[] = {0, 1.7, 1.35, 1.15};
    double pt = l->fs * scale[b->level];
    PangoLayout *pl = mk_layout(l, b->text, pt, PDF_BOLD, l->right - l->left);
    if (!at_top(l)) l->y += pt * 0.6;
    /* keep the heading with about three lines of what follows */
    need(l, layout_h(pl) + l->fs * 1.2 * 3);
    flow(l, pl, l->left, NULL, 0);
    l->y += pt * 0.35;
    g_object_unref(pl);
}

static void do_para(lay *l, const block *b)
{
    PangoLayout *pl = mk_layout(l, b->text, style_pt(l, b->style), b->style, l->right - l->left);
    flow(l, pl, l->left, NULL, 0);
    l->y += l->fs * 0.5;
    g_object_unref(pl);
}

static void do_list(lay *l, const block *b)
{
    /* the marker column fits the widest number, or a bullet */
    char mark[24];
    snprintf(mark, sizeof mark, "%d.", b->n);
    PangoLayout *wide = mk_layout(l, b->numbered ? mark : "\u2022", l->fs, 0, -1);
    int mw, mh;
    pango_layout_get_size(wide, &mw, &mh);
    g_object_unref(wide);
    double indent = (double)mw / PANGO_SCALE + l->fs * 0.6;
    for (int i = 0; i < b->n && !l->err; i++) {
        snprintf(mark, sizeof mark, "%d.", i + 1);
        PangoLayout *m = mk_layout(l, b->numbered ? mark : "\u2022", l->fs, 0, -1);
        PangoLayout *pl = mk_layout(l, b->cells[i], l->fs, 0, l->right - l->left - indent);
        /* numbers right-aligned in their column, so "9." and "10." line up */
        pango_layout_get_size(m, &mw, &mh);
        double mx = l->left + indent - l->fs * 0.6 - (double)mw / PANGO_SCALE;
        flow(l, pl, l->left + indent, m, mx);
        l->y += l->fs * 0.2;
        g_object_unref(pl);
        g_object_unref(m);
    }
    l->y += l->fs * 0.3;
}

/* one table row: layouts made, measured, drawn if asked; returns its height */
static double table_row(lay *l, const block *b, const char *const *cells, bool head, int zebra,
                        bool draw)
{
    double pad = l->fs * 0.35, x = l->left, tw = l->right - l->left, row_h = 0;
    int nc = b->ncols;
    PangoLayout *pls[32];
    for (int c = 0; c < nc; c++) {
        double cw = tw * b->widths[c];
        pls[c] =
            mk_layout(l, cells[c] ? cells[c] : "", l->fs * 0.9, head ? PDF_BOLD : 0, cw - 2 * pad);
        if (!l->roll) {
            /* a row must fit on a page under the header: cut a huge cell with an ellipsis */
            double max_h = (l->bottom - l->top) * 0.6;
            pango_layout_set_height(pls[c], (int)(max_h * PANGO_SCALE));
            pango_layout_set_ellipsize(pls[c], PANGO_ELLIPSIZE_END);
        }
        double h = layout_h(pls[c]) + 2 * pad;
        if (h > row_h) row_h = h;
    }
    if (draw && l->draw) {
        cairo_t *cr = l->cr;
        if (head || zebra) {
            double g = head ? 0.86 : 0.95;
            cairo_set_source_rgb(cr, g, g, g);
            cairo_rectangle(cr, l->left, l->y, tw, row_h);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
        cairo_set_line_width(cr, 0.5);
        for (int c = 0; c < nc; c++) {
            double cw = tw * b->widths[c];
            cairo_rectangle(cr, x, l->y, cw, row_h);
            x += cw;
        }
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        x = l->left;
        for (int c = 0; c < nc; c++) {
            cairo_move_to(cr, x + pad, l->y + pad);
            pango_cairo_show_layout(cr, pls[c]);
            x += tw * b->widths[c];
        }
    }
    for (int c = 0; c < nc; c++)
        g_object_unref(pls[c]);
    if (draw) l->y += row_h;
    return row_h;
}

static void do_table(lay *l, const block *b)
{
    const char *const *hd = (const char *const *)b->header;
    double head_h = hd ? table_row(l, b, hd, true, 0, false) : 0;
    double first_h = b->n ? table_row(l, b, (const char *const *)b->cells, false, 0, false) : 0;
    need(l, head_h + first_h);
    if (hd) table_row(l, b, hd, true, 0, true);
    for (int r = 0; r < b->n && !l->err; r++) {
        const char *const *row = (const char *const *)b->cells + (size_t)r * (size_t)b->ncols;
        double h = table_row(l, b, row, false, 0, false);
        if (!l->roll && l->y + h > l->bottom + 0.01) {
            new_page(l);
            if (hd) table_row(l, b, hd, true, 0, true);
        }
        table_row(l, b, row, false, r & 1, true);
    }
    l->y += l->fs * 0.6;
}

static void do_qr(lay *l, const block *b)
{
    double tw = l->right - l->left, size = b->mm * MM;
    if (size > tw) size = tw;
    PangoLayout *cap =
        b->text && *b->text ? mk_layout(l, b->text, l->fs * 0.85, PDF_CENTER, tw) : NULL;
    need(l, size + (cap ? layout_h(cap) : 0));
    if (l->draw) {
        int w = b->qrw;
        double mod = size / (w + 8), x0 = l->left + (tw - size) / 2 + 4 * mod, y0 = l->y + 4 * mod;
        /* runs of dark modules as rectangles in one path, filled once: no seams between
         * abutting rectangles in viewers that anti-alias */
        for (int y = 0; y < w; y++)
            for (int x = 0; x < w;) {
                if (!b->qr[y * w + x]) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < w && b->qr[y * w + x])
                    x++;
                cairo_rectangle(l->cr, x0 + start * mod, y0 + y * mod, (x - start) * mod, mod);
            }
        cairo_set_source_rgb(l->cr, 0, 0, 0);
        cairo_fill(l->cr);
    }
    l->y += size;
    if (cap) {
        if (l->draw) {
            cairo_move_to(l->cr, l->left, l->y);
            pango_cairo_show_layout(l->cr, cap);
        }
        l->y += layout_h(cap);
        g_object_unref(cap);
    }
    l->y += l->fs * 0.6;
}

static void do_box(lay *l, const block *b)
{
    double pad = l->fs * 0.8, tw = l->right - l->left;
    PangoLayout *pl = mk_layout(l, b->text, style_pt(l, b->style), b->style, tw - 2 * pad);
    if (!l->roll) {
        pango_layout_set_height(pl, (int)((l->bottom - l->top) * 0.8 * PANGO_SCALE));
        pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
    }
    double h = layout_h(pl) + 2 * pad;
    need(l, h);
    if (l->draw) {
        cairo_t *cr = l->cr;
        cairo_rectangle(cr, l->left + 0.75, l->y + 0.75, tw - 1.5, h - 1.5);
        cairo_set_source_rgb(cr, 0.92, 0.92, 0.92);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
        cairo_move_to(cr, l->left + pad, l->y + pad);
        pango_cairo_show_layout(cr, pl);
    }
    l->y += h + l->fs * 0.6;
    g_object_unref(pl);
}

static void do_rule(lay *l)
{
    double gap = l->fs * 0.5;
    need(l, 2 * gap);
    if (l->draw) {
        cairo_set_source_rgb(l->cr, 0.4, 0.4, 0.4);
        cairo_set_line_width(l->cr, 0.6);
        cairo_move_to(l->cr, l->left, l->y + gap);
        cairo_line_to(l->cr, l->right, l->y + gap);
        cairo_stroke(l->cr);
        cairo_set_source_rgb(l->cr, 0, 0, 0);
    }
    l->y += 2 * gap;
}

static void do_bars(lay *l, const block *b)
{
    double tw = l->right - l->left, pad = l->fs * 0.3, lab_w = tw * 0.45 - pad;
    double bx = l->left + tw * 0.45, bw = tw * 0.43, bar_h = l->fs * 1.1;
    PangoLayout **pls = arena_alloc(l->d->a, (size_t)b->n * sizeof *pls);
    double *hs = arena_alloc(l->d->a, (size_t)b->n * sizeof *hs), total = 0;
    for (int i = 0; i < b->n; i++) {
        pls[i] = mk_layout(l, b->cells[i] ? b->cells[i] : "", l->fs * 0.9, 0, lab_w);
        double h = layout_h(pls[i]);
        hs[i] = (h > bar_h ? h : bar_h) + 2 * pad;
        total += hs[i];
    }
    int ticks = (int)(b->hi - b->lo);
    bool grid = (double)ticks == b->hi - b->lo && ticks >= 1 && ticks <= 10;
    need(l, total + (grid ? l->fs * 1.6 : 0));
    double y0 = l->y;
    if (l->draw) {
        cairo_t *cr = l->cr;
        if (grid) {
            cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
            cairo_set_line_width(cr, 0.5);
            for (int t = 0; t <= ticks; t++) {
                double x = bx + bw * t / ticks;
                cairo_move_to(cr, x, y0);
                cairo_line_to(cr, x, y0 + total);
            }
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
            for (int t = 0; t <= ticks; t++) {
                char num[24];
                snprintf(num, sizeof num, "%lld", (long long)(b->lo + t));
                PangoLayout *tl = mk_layout(l, num, l->fs * 0.8, 0, -1);
                int w, h;
                pango_layout_get_size(tl, &w, &h);
                cairo_move_to(cr, bx + bw * t / ticks - (double)w / PANGO_SCALE / 2,
                              y0 + total + l->fs * 0.2);
                pango_cairo_show_layout(cr, tl);
                g_object_unref(tl);
            }
        }
        double y = y0;
        for (int i = 0; i < b->n; i++) {
            double f = (b->widths[i] - b->lo) / (b->hi - b->lo);
            if (!(f >= 0)) f = 0;
            if (f > 1) f = 1;
            double by = y + (hs[i] - bar_h) / 2;
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_move_to(cr, l->left, y + pad);
            pango_cairo_show_layout(cr, pls[i]);
            if (f > 0) {
                cairo_rectangle(cr, bx, by, bw * f, bar_h);
                cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
                cairo_fill_preserve(cr);
                cairo_set_source_rgb(cr, 0, 0, 0);
                cairo_set_line_width(cr, 0.6);
                cairo_stroke(cr);
            }
            PangoLayout *vl =
                mk_layout(l, b->header[i] ? b->header[i] : "", l->fs * 0.9, PDF_BOLD, -1);
            cairo_move_to(cr, bx + bw * f + pad, by + (bar_h - layout_h(vl)) / 2);
            pango_cairo_show_layout(cr, vl);
            g_object_unref(vl);
            y += hs[i];
        }
    }
    for (int i = 0; i < b->n; i++)
        g_object_unref(pls[i]);
    l->y = y0 + total + (grid ? l->fs * 1.6 : 0) + l->fs * 0.6;
}

/* one pass over the blocks; the caller finishes the page (footer, show_page) */
static void run(lay *l)
{
    l->page = 1;
    l->y = l->top;
    for (const block *b = l->d->first; b && !l->err; b = b->next) {
        switch (b->kind) {
        case B_HEADING: do_heading(l, b); break;
        case B_PARA: do_para(l, b); break;
        case B_LIST: do_list(l, b); break;
        case B_TABLE: do_table(l, b); break;
        case B_QR: do_qr(l, b); break;
        case B_BOX: do_box(l, b); break;
        case B_RULE: do_rule(l); break;
        case B_BARS: do_bars(l, b); break;
        case B_SPACER:
            l->y += b->mm * MM;
            if (!l->roll && l->y > l->bottom) l->y = l->bottom; /* the next block breaks */
            break;
        case B_BREAK:
            if (!at_top(l)) new_page(l);
            break;
        }
        if (l->roll && l->y > PDF_MAX_PAGE_PT) l->err = PDF_TOO_LARGE;
    }
}

static cairo_status_t write_discard(void *closure, const unsigned char *data, unsigned int n)
{
    (void)closure, (void)data, (void)n;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int n)
{
    return buf_put(closure, data, n) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

int pdf_end(pdf_doc *d, char **out, size_t *n)
{
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!d || !out || !n || d->failed) return -1;
    int rc = -1;
    const pdf_setup *s = &d->s;
    buf b;
    buf_init(&b, s->max_bytes);
    cairo_surface_t *sf = NULL;
    cairo_t *cr = NULL;
    PangoFontMap *fm = pango_cairo_font_map_new();
    PangoContext *pc = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    /* outline metrics, as in print: the same line breaks at any zoom */
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);

    lay l = {.d = d, .pc = pc, .roll = s->height_mm <= 0, .fs = s->font_pt};
    l.pw = s->width_mm * MM;
    l.left = s->margin_left_mm * MM;
    l.right = l.pw - s->margin_right_mm * MM;
    l.top = s->margin_top_mm * MM;
    l.ph = l.roll ? PDF_MAX_PAGE_PT : s->height_mm * MM;
    l.bottom = l.roll ? DBL_MAX : l.ph - s->margin_bottom_mm * MM;

    /* pass 1: measure */
    sf = cairo_pdf_surface_create_for_stream(write_discard, NULL, l.pw, l.ph);
    cr = cairo_create(sf);
    l.cr = cr;
    pango_cairo_update_context(cr, pc);
    run(&l);
    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_destroy(sf);
    sf = NULL;
    if (l.err) {
        rc = l.err;
        goto out;
    }
    l.pages = l.page;
    if (l.roll) {
        l.ph = l.y + s->margin_bottom_mm * MM;
        if (l.ph < l.pw) l.ph = l.pw;
        if (l.ph > PDF_MAX_PAGE_PT) {
            rc = PDF_TOO_LARGE;
            goto out;
        }
    }

    /* pass 2: draw */
    sf = cairo_pdf_surface_create_for_stream(write_buf, &b, l.pw, l.ph);
    if (cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) goto out;
    if (d->title) cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "layan");
    cr = cairo_create(sf);
    pango_cairo_update_context(cr, pc);
    cairo_set_source_rgb(cr, 0, 0, 0);
    l.cr = cr;
    l.draw = true;
    run(&l);
    if (l.err || l.page != l.pages) { /* the passes must agree */
        rc = l.err ? l.err : -1;
        goto out;
    }
    draw_footer(&l);
    cairo_show_page(cr);
    bool cr_ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_finish(sf);
    if (b.overflow) {
        rc = PDF_TOO_LARGE;
        goto out;
    }
    if (!cr_ok || cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS) goto out;
    *out = buf_steal(&b, n);
    rc = 0;
out:
    if (cr) cairo_destroy(cr);
    if (sf) cairo_surface_destroy(sf);
    g_object_unref(pc);
    g_object_unref(fm);
    buf_free(&b);
    return rc;
}

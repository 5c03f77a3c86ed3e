/* pdf: printable documents (service-standard posters, receipts, survey reports) on cairo's
 * PDF surface with pango for text, in "DejaVu Sans".
 *
 * A document is built as a list of blocks (headings, paragraphs, lists, tables, QR codes,
 * boxes) and laid out only in pdf_end, twice: once to measure (page breaks, the page count
 * for the footer, the height of a receipt roll), once to draw. So the builder calls only
 * allocate in the arena: a document abandoned before pdf_end leaks nothing.
 *
 * Text is plain UTF-8 (set with pango_layout_set_text: never Pango markup, so "<b>" prints
 * as is); invalid UTF-8 is repaired. The module holds no user-facing words: the caller passes
 * translated text, including the footer, a pattern where "{page}" and "{pages}" are replaced
 * ("Halaman {page} dari {pages}").
 *
 * Pages: A4 portrait with page breaks (a table repeats its header row on each new page; a
 * paragraph or list may break between lines), or a 58 mm thermal roll whose single page is
 * as tall as its content. Or any size through pdf_setup. */
#ifndef LAYAN_PDF_H
#define LAYAN_PDF_H
#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"

#define PDF_MAX_DEFAULT ((size_t)20 << 20) /* 20 MiB of output */
#define PDF_MAX_PAGES 1000
#define PDF_TOO_LARGE (-2) /* pdf_end: past the byte cap or PDF_MAX_PAGES */

typedef enum {
    PDF_A4,     /* 210 x 297 mm portrait, 18 mm margins, 10 pt text */
    PDF_ROLL58, /* 58 mm thermal roll, 4 mm margins, 8 pt text, height grows */
} pdf_page_kind;

typedef struct {
    double width_mm;
    double height_mm; /* 0: one page as tall as the content (a roll) */
    double margin_top_mm, margin_right_mm, margin_bottom_mm, margin_left_mm;
    double font_pt;   /* body text; headings and small text scale from it */
    size_t max_bytes; /* 0 = PDF_MAX_DEFAULT */
} pdf_setup;

/* paragraph and box styles, or-ed */
enum {
    PDF_BOLD = 1,
    PDF_ITALIC = 2,
    PDF_SMALL = 4, /* 0.85 x body */
    PDF_LARGE = 8, /* 1.4 x body */
    PDF_CENTER = 16,
    PDF_RIGHT = 32,
};

typedef struct pdf_doc pdf_doc;

pdf_setup pdf_preset(pdf_page_kind kind);
/* title: PDF metadata (what a viewer shows in its title bar); may be NULL.
 * NULL only for an unusable setup (margins leaving no room, sizes out of range). */
pdf_doc *pdf_begin(arena *a, pdf_page_kind kind, const char *title);
pdf_doc *pdf_begin_setup(arena *a, const pdf_setup *setup, const char *title);

/* footer centred in the bottom margin of every page; "{page}" and "{pages}" are replaced.
 * Ignored on a roll (one page, and its margins are too small). NULL removes it. */
int pdf_footer(pdf_doc *d, const char *pattern);

/* Blocks, in reading order. Each returns 0, or -1 for a bad argument (the document is then
 * marked failed and pdf_end fails too, so a caller may check only pdf_end). */
int pdf_heading(pdf_doc *d, int level, const char *text); /* level 1..3, kept with what follows */
int pdf_para(pdf_doc *d, const char *text, int style);    /* wrapped; '\n' breaks a line */
int pdf_list(pdf_doc *d, const char *const *items, int n, bool numbered);
/* ncols columns, widths as fractions of the text width (normalised; NULL = equal), a header
 * row (may be NULL) repeated after each page break, nrows rows of ncols cells each
 * (cells[r * ncols + c], NULL = empty). Cells wrap; a row never splits across pages (a cell
 * taller than a page is cut with an ellipsis). */
int pdf_table(pdf_doc *d, int ncols, const double *widths, const char *const *header,
              const char *const *cells, int nrows);
/* a QR code (libqrencode, level M) size_mm square including its quiet zone, centred, with
 * an optional caption under it; -1 if the text does not fit in a QR code */
int pdf_qr(pdf_doc *d, const char *text, double size_mm, const char *caption);
int pdf_spacer(pdf_doc *d, double mm);
int pdf_rule(pdf_doc *d); /* a thin horizontal line across the text width */
/* text in a bordered, shaded box across the text width ("GRATIS"); style as pdf_para */
int pdf_box(pdf_doc *d, const char *text, int style);
int pdf_page_break(pdf_doc *d); /* no effect on a roll */
/* a horizontal bar chart across the text width, kept on one page: per row the label (wrapped
 * in the left 45%), a bar from lo to values[i] and value_texts[i] after it; whole-number
 * grid lines from lo to hi with their numbers underneath when there are at most 10. n 1..100,
 * lo < hi. Bars are dark grey with a black outline: it prints in black and white. */
int pdf_bars(pdf_doc *d, const char *const *labels, const double *values,
             const char *const *value_texts, int n, double lo, double hi);

/* Lays out and renders. On 0: *out is the PDF in malloc'd memory (free() it), *n its size.
 * PDF_TOO_LARGE past the caps, -1 otherwise; *out is then NULL. The document must not be
 * used afterwards (its memory stays in the arena). */
int pdf_end(pdf_doc *d, char **out, size_t *n);

#endif

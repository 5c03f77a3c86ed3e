/* chart: small inline SVG charts for public pages (SKM results), drawn on the server, no
 * JavaScript. Each chart is an <svg role="img"> with a <title> and a <desc> (aria-labelledby
 * both), and carries its numbers as text next to the marks, so nothing is told by colour or
 * length alone; pages put a data table beside it all the same.
 *
 * Every text given (labels, value texts, title, description) is escaped for XML here; the
 * caller passes plain UTF-8 (invalid bytes become U+FFFD, control characters are dropped).
 * The result is trusted markup for tpl_safe_html(). Coordinates are whole pixels of a viewBox
 * whose width suits a phone (the SVG scales down with max-width: 100%).
 *
 * Colours: dark blue marks (#1d4f91, 8.6:1 on white), black text, dashed grey reference lines
 * with their own label. */
#ifndef LAYAN_CHART_H
#define LAYAN_CHART_H
#include <stddef.h>

#include "lib/arena.h"

typedef struct {
    const char *label;      /* what the bar is ("U1 Persyaratan", "2026-Q1") */
    double value;           /* its position on the scale */
    const char *value_text; /* the number as the page shows it ("3,25"), next to the bar */
} chart_item;

typedef struct {
    double value;      /* where the line is drawn */
    const char *label; /* beside it ("A 88,31") */
} chart_ref;

/* Horizontal bars on the scale lo..hi (lo < hi), one row per item: the label above its bar,
 * the value text at its end, whole-number grid lines from lo to hi when there are at most 10.
 * NULL for bad arguments (no items, more than 200, lo >= hi). */
const char *chart_hbars(arena *a, const char *title, const char *desc, const chart_item *it,
                        size_t n, double lo, double hi);

/* Columns from lo up to value (lo < hi), the value text above each column and the label
 * under it, plus horizontal reference lines (refs may be NULL) labelled at the right.
 * At most 40 items. */
const char *chart_columns(arena *a, const char *title, const char *desc, const chart_item *it,
                          size_t n, double lo, double hi, const chart_ref *refs, size_t nrefs);

/* Shares of a whole: one compact percentage bar per item (value 0..1 is the share), the label
 * above it and the value text ("12 (40%)") after it. At most 200 items. */
const char *chart_shares(arena *a, const char *title, const char *desc, const chart_item *it,
                         size_t n);

#endif

/* xlsx: spreadsheets for staff (SIPP exports, SKM tabulations) on libxlsxwriter.
 *
 * libxlsxwriter only writes to a named file, so a workbook is written to a temporary file
 * (mkstemp: mode 0600, in $TMPDIR or /tmp), read back into memory and unlinked. A sheet may
 * have a header row: bold, frozen, with an autofilter over the header and every row written.
 * Rows and columns are 0-based worksheet positions, so with a header the first data row is 1
 * (Excel's row 2): a formula over data rows 1..100 reads "=AVERAGE(B2:B101)".
 *
 * Text cells are stored as strings and never evaluated, so unlike CSV they need no formula
 * injection guard. Errors are sticky: a failed write makes xlsx_end fail.
 *
 * Every xlsx_begin that succeeded must be matched by one xlsx_end (out NULL to discard): it
 * frees libxlsxwriter's memory and removes the temporary file. Structures live in the arena. */
#ifndef LAYAN_XLSX_H
#define LAYAN_XLSX_H
#include <stddef.h>

#include "lib/arena.h"

#define XLSX_MAX_DEFAULT ((size_t)20 << 20) /* 20 MiB */
#define XLSX_TOO_LARGE (-2)

typedef struct xlsx_book xlsx_book;
typedef struct xlsx_sheet xlsx_sheet;

typedef enum {
    XLSX_GENERAL = 0, /* Excel's default */
    XLSX_DEC2,        /* two decimals: "0.00" */
} xlsx_numfmt;

/* title: document property (may be NULL). NULL if the temporary file cannot be made. */
xlsx_book *xlsx_begin(arena *a, const char *title);

/* a worksheet; header (ncols names, may be NULL for no header row). NULL when the name is
 * not a valid, unused Excel sheet name (at most 31 characters, none of []:*?/\). */
xlsx_sheet *xlsx_sheet_add(xlsx_book *b, const char *name, const char *const *header, int ncols);
int xlsx_col_width(xlsx_sheet *s, int col, double chars);         /* width in characters */
int xlsx_text(xlsx_sheet *s, int row, int col, const char *text); /* NULL: empty string */
int xlsx_num(xlsx_sheet *s, int row, int col, double v, xlsx_numfmt f);
/* formula with its cached result, shown by readers that do not recalculate (viewers,
 * phones, openpyxl) */
int xlsx_formula(xlsx_sheet *s, int row, int col, const char *formula, double cached,
                 xlsx_numfmt f);

/* Finishes the workbook and releases everything. With out: the .xlsx bytes in malloc'd
 * memory (free() them) and their length. max: cap in bytes (0 = XLSX_MAX_DEFAULT).
 * 0 on success, XLSX_TOO_LARGE past the cap, -1 on any other failure (also when an
 * earlier write failed); *out is NULL unless 0 is returned. */
int xlsx_end(xlsx_book *b, size_t max, char **out, size_t *n);

#endif

/* xlsx: see xlsx.h. The temporary file is created by us with mkstemp (0600 whatever the umask)
 * and libxlsxwriter reopens it by name with fopen("wb"), which truncates the same inode and
 * keeps the mode. It is unlinked as soon as libxlsxwriter has closed it; the bytes are read
 * through our own descriptor. libxlsxwriter's own scratch files go to the same directory. */
#include "render/xlsx.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

struct xlsx_sheet {
    xlsx_book *book;
    lxw_worksheet *ws;
    int ncols;     /* header columns, 0 without a header */
    long last_row; /* highest row written, for the autofilter */
    xlsx_sheet *next;
};

struct xlsx_book {
    arena *a;
    lxw_workbook *wb;
    lxw_format *bold, *dec2;
    char *path;
    int fd;
    bool failed;
    xlsx_sheet *sheets, *last;
};

static const char *tmp_dir(void)
{
    const char *d = getenv("TMPDIR");
    return d && *d ? d : "/tmp";
}

xlsx_book *xlsx_begin(arena *a, const char *title)
{
    if (!a) return NULL;
    xlsx_book *b = arena_alloc(a, sizeof *b);
    b->a = a;
    b->fd = -1;
    b->path = arena_printf(a, "%s/layan-xlsx-XXXXXX", tmp_dir());
    b->fd = mkstemp(b->path);
    if (b->fd < 0) return NULL;
    lxw_workbook_options opt = {
        .constant_memory = LXW_FALSE, .tmpdir = (char *)tmp_dir(), .use_zip64 = LXW_FALSE};
    b->wb = workbook_new_opt(b->path, &opt);
    if (!b->wb) goto fail;
    b->bold = workbook_add_format(b->wb);
    b->dec2 = workbook_add_format(b->wb);
    if (!b->bold || !b->dec2) goto fail;
    format_set_bold(b->bold);
    format_set_num_format(b->dec2, "0.00");
    if (title) {
        lxw_doc_properties props = {.title = (char *)title};
        if (workbook_set_properties(b->wb, &props) != LXW_NO_ERROR) goto fail;
    }
    return b;
fail:
    if (b->wb) lxw_workbook_free(b->wb);
    unlink(b->path);
    close(b->fd);
    return NULL;
}

/* a libxlsxwriter result folded into the sticky error */
static int check(xlsx_book *b, lxw_error e)
{
    if (e == LXW_NO_ERROR) return 0;
    b->failed = true;
    return -1;
}

xlsx_sheet *xlsx_sheet_add(xlsx_book *b, const char *name, const char *const *header, int ncols)
{
    if (!b || !name || ncols < 0 || (header && ncols == 0) || ncols > LXW_COL_MAX) return NULL;
    /* checked first: workbook_add_worksheet would print its complaint to stderr */
    if (workbook_validate_sheet_name(b->wb, name) != LXW_NO_ERROR) return NULL;
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    if (!ws) {
        b->failed = true;
        return NULL;
    }
    xlsx_sheet *s = arena_alloc(b->a, sizeof *s);
    s->book = b;
    s->ws = ws;
    s->last_row = -1;
    if (header) {
        s->ncols = ncols;
        for (int c = 0; c < ncols; c++)
            if (check(b, worksheet_write_string(ws, 0, (lxw_col_t)c, header[c] ? header[c] : "",
                                                b->bold)))
                return NULL;
        s->last_row = 0;
        worksheet_freeze_panes(ws, 1, 0);
    }
    if (b->last) b->last->next = s;
    else b->sheets = s;
    b->last = s;
    return s;
}

static bool cell_ok(xlsx_sheet *s, int row, int col)
{
    if (!s || s->book->failed) return false;
    if (row < 0 || col < 0 || row >= LXW_ROW_MAX || col >= LXW_COL_MAX) {
        s->book->failed = true;
        return false;
    }
    if (row > s->last_row) s->last_row = row;
    return true;
}

static lxw_format *fmt_of(xlsx_sheet *s, xlsx_numfmt f)
{
    return f == XLSX_DEC2 ? s->book->dec2 : NULL;
}

int xlsx_col_width(xlsx_sheet *s, int col, double chars)
{
    if (!s || col < 0 || col >= LXW_COL_MAX || !(chars >= 0 && chars <= 255)) return -1;
    return check(s->book, worksheet_set_column(s->ws, (lxw_col_t)col, (lxw_col_t)col, chars, NULL));
}

int xlsx_text(xlsx_sheet *s, int row, int col, const char *text)
{
    if (!cell_ok(s, row, col)) return -1;
    return check(s->book, worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col,
                                                 text ? text : "", NULL));
}

int xlsx_num(xlsx_sheet *s, int row, int col, double v, xlsx_numfmt f)
{
    if (!cell_ok(s, row, col)) return -1;
    return check(s->book,
                 worksheet_write_number(s->ws, (lxw_row_t)row, (lxw_col_t)col, v, fmt_of(s, f)));
}

int xlsx_formula(xlsx_sheet *s, int row, int col, const char *formula, double cached, xlsx_numfmt f)
{
    if (!formula) {
        if (s) s->book->failed = true;
        return -1;
    }
    if (!cell_ok(s, row, col)) return -1;
    return check(s->book, worksheet_write_formula_num(s->ws, (lxw_row_t)row, (lxw_col_t)col,
                                                      formula, fmt_of(s, f), cached));
}

/* the whole file behind fd into malloc'd memory, at most max bytes */
static int read_all(int fd, size_t max, char **out, size_t *n)
{
    struct stat st;
    if (fstat(fd, &st) || st.st_size <= 0) return -1;
    if ((unsigned long long)st.st_size > max) return XLSX_TOO_LARGE;
    size_t len = (size_t)st.st_size, got = 0;
    char *p = malloc(len);
    if (!p) abort();
    while (got < len) {
        ssize_t r = pread(fd, p + got, len - got, (off_t)got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            free(p);
            return -1;
        }
        got += (size_t)r;
    }
    *out = p;
    *n = len;
    return 0;
}

int xlsx_end(xlsx_book *b, size_t max, char **out, size_t *n)
{
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!b) return -1;
    int rc = -1;
    bool failed = b->failed;
    if (!failed)
        for (xlsx_sheet *s = b->sheets; s; s = s->next)
            if (s->ncols && worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)s->last_row,
                                                 (lxw_col_t)(s->ncols - 1)) != LXW_NO_ERROR)
                failed = true;
    /* workbook_close frees the workbook whatever it returns; with nothing to keep, skip the
     * writing and only free */
    if (failed || !out) {
        lxw_workbook_free(b->wb);
    } else if (workbook_close(b->wb) != LXW_NO_ERROR) {
        failed = true;
    }
    b->wb = NULL;
    unlink(b->path);
    if (!failed && out && n) rc = read_all(b->fd, max ? max : XLSX_MAX_DEFAULT, out, n);
    else if (!failed && !out) rc = 0;
    close(b->fd);
    b->fd = -1;
    return rc;
}

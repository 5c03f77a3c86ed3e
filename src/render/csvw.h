/* csvw: an RFC 4180 CSV writer into a capped buffer, for exports that staff open in Excel.
 *
 * Fields are quoted only when they hold a comma, a double quote, CR or LF (quotes doubled);
 * records end with CRLF. With `bom` the output starts with a UTF-8 byte order mark, without
 * which Excel reads UTF-8 as the local code page.
 *
 * Formula injection (OWASP "CSV injection"): a text field starting with = + - @ TAB or CR is
 * written with a leading single quote, so a spreadsheet shows it as text instead of running
 * it. Numbers go through csvw_int/csvw_num and are written as they are, so -5 stays -5.
 *
 * Errors are sticky: once an append fails (cap reached, bad argument) every later call
 * returns -1 and csvw_finish returns NULL, so a caller may check only at the end. */
#ifndef LAYAN_CSVW_H
#define LAYAN_CSVW_H
#include <stdbool.h>
#include <stddef.h>

#include "lib/str.h"

#define CSVW_MAX_DEFAULT ((size_t)20 << 20) /* 20 MiB */

typedef struct {
    buf b;
    bool row_open; /* a field was written on the current record: the next needs a comma */
    bool failed;
} csvw;

/* max: cap on the output in bytes (0 = CSVW_MAX_DEFAULT) */
void csvw_init(csvw *w, size_t max, bool bom);
void csvw_free(csvw *w); /* safe after csvw_finish and more than once */

int csvw_text(csvw *w, const char *s); /* NULL writes an empty field */
int csvw_str(csvw *w, str s);
int csvw_int(csvw *w, long long v);
/* decimals >= 0: fixed ("%.*f", at most 15); < 0: shortest form ("%.15g"). NaN and
 * infinities are written as an empty field. The decimal separator is always '.'. */
int csvw_num(csvw *w, double v, int decimals);
int csvw_end_row(csvw *w);
/* n text fields then the end of the record */
int csvw_row(csvw *w, const char *const *fields, int n);

/* the CSV in malloc'd memory (free() it) with its length, or NULL when something failed or
 * a record was left open; the writer is emptied either way */
char *csvw_finish(csvw *w, size_t *len);

#endif

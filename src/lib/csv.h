/* csv: an RFC 4180 reader over a buffer in memory: quoted fields, doubled quotes, CRLF or LF.
 * csv_next() yields one record at a time as slices into a scratch arena, with its line number
 * (a quoted field may span lines), so an import can name the bad line. */
#ifndef LAYAN_CSV_H
#define LAYAN_CSV_H
#include "lib/arena.h"
#include "lib/str.h"

#define CSV_MAX_FIELDS 64

typedef struct {
    const char *p;
    size_t n, pos;
    long line; /* line where the current record started */
    long next_line;
} csv_reader;

typedef struct {
    str f[CSV_MAX_FIELDS];
    int nf;
} csv_record;

void csv_init(csv_reader *r, const char *data, size_t n);
/* 1: a record; 0: end of input; -1: malformed (unterminated quote, too many fields) */
int csv_next(csv_reader *r, arena *a, csv_record *rec);

#endif

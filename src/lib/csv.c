/* csv: see csv.h. A field is copied only when it had doubled quotes to undo. */
#include "lib/csv.h"

#include <string.h>

void csv_init(csv_reader *r, const char *data, size_t n)
{
    r->p = data;
    r->n = n;
    r->pos = 0;
    r->line = 0;
    r->next_line = 1;
    /* a UTF-8 byte order mark, as Excel writes it */
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) r->pos = 3;
}

int csv_next(csv_reader *r, arena *a, csv_record *rec)
{
    rec->nf = 0;
    if (r->pos >= r->n) return 0;
    r->line = r->next_line;
    for (;;) {
        if (rec->nf == CSV_MAX_FIELDS) return -1;
        str *f = &rec->f[rec->nf++];
        if (r->pos < r->n && r->p[r->pos] == '"') {
            size_t start = ++r->pos;
            bool doubled = false;
            for (;;) {
                if (r->pos >= r->n) return -1;
                char c = r->p[r->pos];
                if (c == '"') {
                    if (r->pos + 1 < r->n && r->p[r->pos + 1] == '"') {
                        doubled = true;
                        r->pos += 2;
                        continue;
                    }
                    break;
                }
                if (c == '\n') r->next_line++;
                r->pos++;
            }
            size_t len = r->pos - start;
            r->pos++; /* closing quote */
            if (doubled) {
                char *d = arena_alloc(a, len + 1);
                size_t k = 0;
                for (size_t i = start; i < start + len; i++) {
                    d[k++] = r->p[i];
                    if (r->p[i] == '"') i++;
                }
                *f = (str){d, k};
            } else {
                *f = (str){r->p + start, len};
            }
            if (r->pos < r->n && r->p[r->pos] != ',' && r->p[r->pos] != '\n' &&
                r->p[r->pos] != '\r')
                return -1;
        } else {
            size_t start = r->pos;
            while (r->pos < r->n && r->p[r->pos] != ',' && r->p[r->pos] != '\n' &&
                   r->p[r->pos] != '\r') {
                if (r->p[r->pos] == '"') return -1;
                r->pos++;
            }
            *f = (str){r->p + start, r->pos - start};
        }
        if (r->pos >= r->n) return 1;
        char c = r->p[r->pos];
        if (c == ',') {
            r->pos++;
            continue;
        }
        if (c == '\r') r->pos++;
        if (r->pos < r->n && r->p[r->pos] == '\n') r->pos++;
        r->next_line++;
        return 1;
    }
}

/* holidays store: CSV import and listing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/holidays/holidays.h"
#include "lib/csv.h"
#include "lib/utf8.h"

static bool valid_date(str d)
{
    if (d.n != 10 || d.p[4] != '-' || d.p[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d.p[i] < '0' || d.p[i] > '9')) return false;
    int m = (d.p[5] - '0') * 10 + (d.p[6] - '0'), day = (d.p[8] - '0') * 10 + (d.p[9] - '0');
    return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

int holidays_import_csv(db_conn *c, const char *path, long *count, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s", path);
        return DB_ERR;
    }
    char *data = malloc(1 << 20);
    if (!data) abort();
    size_t n = fread(data, 1, (1 << 20) - 1, f);
    fclose(f);
    arena *a = arena_new(0);
    csv_reader r;
    csv_init(&r, data, n);
    csv_record rec;
    int got, rc = DB_OK;
    long k = 0;
    bool header = true;
    while (rc == DB_OK && (got = csv_next(&r, a, &rec)) != 0) {
        if (header) {
            header = false;
            if (got > 0 && rec.nf >= 1 && str_eq_c(rec.f[0], "date")) continue;
        }
        if (got < 0 || rec.nf != 3 || !valid_date(rec.f[0]) || rec.f[1].n == 0 ||
            !utf8_valid_text(rec.f[1].p, rec.f[1].n) ||
            !(str_eq_c(rec.f[2], "national") || str_eq_c(rec.f[2], "cuti_bersama"))) {
            snprintf(err, errlen,
                     "%s line %ld: expected date,name,kind (kind national or cuti_bersama)", path,
                     r.line);
            rc = DB_ERR;
            break;
        }
        db_stmt *s =
            db_prepare(c, "INSERT INTO holidays (date, name, kind, source) VALUES ($1, $2, "
                          "$3, 'generated') ON CONFLICT (date, name) DO NOTHING");
        if (!s) {
            rc = DB_ERR;
            break;
        }
        db_bind_text(s, 1, rec.f[0]);
        db_bind_text(s, 2, rec.f[1]);
        db_bind_text(s, 3, rec.f[2]);
        rc = db_step(s) == DB_DONE ? DB_OK : DB_ERR;
        db_finish(s);
        if (rc != DB_OK) snprintf(err, errlen, "%s line %ld: %s", path, r.line, db_errmsg(c));
        k++;
    }
    arena_free(a);
    free(data);
    if (count) *count = k;
    return rc;
}

int holidays_list(db_conn *c, arena *a, const char *from, const char *to, holiday **out, size_t *n)
{
    db_stmt *s = db_prepare(c, "SELECT date, name, kind, source FROM holidays WHERE date >= $1 AND "
                               "date <= $2 ORDER BY date, name");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, from);
    db_bind_cstr(s, 2, to);
    size_t cap = 32, k = 0;
    holiday *v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            holiday *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *v);
            v = nv;
            cap *= 2;
        }
        str t;
        t = db_col_text(s, 0);
        v[k].date = arena_strndup(a, t.p, t.n);
        t = db_col_text(s, 1);
        v[k].name = arena_strndup(a, t.p, t.n);
        t = db_col_text(s, 2);
        v[k].kind = arena_strndup(a, t.p, t.n);
        t = db_col_text(s, 3);
        v[k].source = arena_strndup(a, t.p, t.n);
        k++;
    }
    db_finish(s);
    *out = v;
    *n = k;
    return r == DB_DONE ? DB_OK : r;
}

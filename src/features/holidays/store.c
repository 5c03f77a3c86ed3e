/* holidays store: CSV parsing, keeping generated rows in step, manual rows, listing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "features/holidays/holidays.h"
#include "features/services/services.h"
#include "lib/csv.h"
#include "lib/utf8.h"

#define MAX_ROWS 10000
#define MAX_FILE (4u << 20)

static bool valid_kind(str k)
{
    return str_eq_c(k, "national") || str_eq_c(k, "cuti_bersama");
}

int holidays_parse_csv(arena *a, const char *what, str data, holiday **out, size_t *n, char *err,
                       size_t errlen)
{
    *out = NULL;
    *n = 0;
    size_t cap = 64, k = 0;
    holiday *v = arena_alloc(a, cap * sizeof *v);
    csv_reader r;
    csv_init(&r, data.p ? data.p : "", data.n);
    csv_record rec;
    int got;
    bool first = true;
    while ((got = csv_next(&r, a, &rec)) != 0) {
        if (first && got > 0 && rec.nf >= 1 && str_eq_c(rec.f[0], "date")) {
            first = false;
            continue;
        }
        first = false;
        cal_date d;
        str name = got > 0 && rec.nf == 3 ? str_trim(rec.f[1]) : STR_NULL;
        if (got < 0 || rec.nf != 3 || !cal_date_parse(rec.f[0].p, rec.f[0].n, &d) || name.n == 0 ||
            name.n > 200 || !utf8_valid_text(name.p, name.n) || !valid_kind(rec.f[2])) {
            snprintf(err, errlen,
                     "%s line %ld: expected YYYY-MM-DD,name,kind with a real date and kind "
                     "national or cuti_bersama",
                     what, r.line);
            return DB_ERR;
        }
        if (k == MAX_ROWS) {
            snprintf(err, errlen, "%s: more than %d rows", what, MAX_ROWS);
            return DB_ERR;
        }
        if (k == cap) {
            holiday *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *v);
            v = nv;
            cap *= 2;
        }
        v[k].date = arena_strndup(a, rec.f[0].p, rec.f[0].n);
        v[k].name = arena_strndup(a, name.p, name.n);
        v[k].kind = arena_strndup(a, rec.f[2].p, rec.f[2].n);
        v[k].source = "generated";
        k++;
    }
    *out = v;
    *n = k;
    return DB_OK;
}

static bool in_rows(const holiday *rows, size_t n, str date, str name)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq_c(date, rows[i].date) && str_eq_c(name, rows[i].name)) return true;
    return false;
}

/* deletes the generated rows of year y that are not in rows */
static int prune_year(db_conn *c, const char *y, const holiday *rows, size_t n, long *removed)
{
    char from[16], to[16];
    snprintf(from, sizeof from, "%.4s-01-01", y);
    snprintf(to, sizeof to, "%.4s-12-31", y);
    db_stmt *s = db_prepare(c, "SELECT date, name FROM holidays WHERE source = 'generated' AND "
                               "date >= $1 AND date <= $2");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, from);
    db_bind_cstr(s, 2, to);
    /* collect first: deleting while the select is open is not portable */
    arena *a = arena_new(0);
    size_t cap = 64, k = 0;
    str *gone = arena_alloc(a, cap * 2 * sizeof *gone);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        str d = db_col_text(s, 0), nm = db_col_text(s, 1);
        if (in_rows(rows, n, d, nm)) continue;
        if (k == cap) {
            str *ng = arena_alloc(a, cap * 4 * sizeof *ng);
            memcpy(ng, gone, k * 2 * sizeof *gone);
            gone = ng;
            cap *= 2;
        }
        gone[2 * k] = (str){arena_strndup(a, d.p, d.n), d.n};
        gone[2 * k + 1] = (str){arena_strndup(a, nm.p, nm.n), nm.n};
        k++;
    }
    db_finish(s);
    if (r != DB_DONE) goto out;
    r = DB_OK;
    for (size_t i = 0; i < k && r == DB_OK; i++) {
        s = db_prepare(c, "DELETE FROM holidays WHERE date = $1 AND name = $2 AND source = "
                          "'generated'");
        if (!s) {
            r = DB_ERR;
            break;
        }
        db_bind_text(s, 1, gone[2 * i]);
        db_bind_text(s, 2, gone[2 * i + 1]);
        r = db_step(s) == DB_DONE ? DB_OK : DB_ERR;
        db_finish(s);
        if (r == DB_OK) (*removed)++;
    }
out:
    arena_free(a);
    return r;
}

int holidays_sync_generated(db_conn *c, const holiday *rows, size_t n, long *added, long *removed)
{
    long add = 0, rem = 0;
    int r = DB_OK;
    for (size_t i = 0; i < n && r == DB_OK; i++) {
        db_stmt *s = db_prepare(
            c, "INSERT INTO holidays (date, name, kind, source) VALUES ($1, $2, $3, 'generated') "
               "ON CONFLICT (date, name) DO UPDATE SET kind = excluded.kind WHERE "
               "holidays.source = 'generated' AND holidays.kind <> excluded.kind");
        if (!s) return DB_ERR;
        db_bind_cstr(s, 1, rows[i].date);
        db_bind_cstr(s, 2, rows[i].name);
        db_bind_cstr(s, 3, rows[i].kind);
        r = db_step(s);
        db_finish(s);
        r = r == DB_DONE ? DB_OK : r;
        if (r == DB_OK) add += db_changes(c) > 0;
    }
    /* each year once: rows are few (tens a year), so a quadratic scan is fine */
    for (size_t i = 0; i < n && r == DB_OK; i++) {
        bool done = false;
        for (size_t j = 0; j < i && !done; j++)
            done = strncmp(rows[i].date, rows[j].date, 4) == 0;
        if (!done) r = prune_year(c, rows[i].date, rows, n, &rem);
    }
    if (added) *added = add;
    if (removed) *removed = rem;
    return svc_catalog_touched(c, r); /* deadlines count working days */
}

int holidays_import_csv(db_conn *c, const char *path, long *count, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s", path);
        return DB_ERR;
    }
    char *data = malloc(MAX_FILE);
    if (!data) abort();
    size_t n = fread(data, 1, MAX_FILE, f);
    fclose(f);
    arena *a = arena_new(0);
    int rc = DB_ERR;
    holiday *rows;
    size_t nrows;
    if (n == MAX_FILE) {
        snprintf(err, errlen, "%s is too large", path);
    } else if (holidays_parse_csv(a, path, (str){data, n}, &rows, &nrows, err, errlen) == DB_OK) {
        rc = holidays_sync_generated(c, rows, nrows, NULL, NULL);
        if (rc != DB_OK) snprintf(err, errlen, "%s: %s", path, db_errmsg(c));
        else if (count) *count = (long)nrows;
    }
    arena_free(a);
    free(data);
    return rc;
}

int holidays_add_manual(db_conn *c, const char *date, const char *name, const char *kind)
{
    cal_date d;
    if (!date || !name || !kind || !cal_date_parse(date, strlen(date), &d) || !*name ||
        !valid_kind(str_c(kind)))
        return DB_ECONSTRAINT;
    db_stmt *s = db_prepare(c, "INSERT INTO holidays (date, name, kind, source) VALUES ($1, $2, "
                               "$3, 'manual')");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, date);
    db_bind_cstr(s, 2, name);
    db_bind_cstr(s, 3, kind);
    int r = db_step(s);
    db_finish(s);
    return svc_catalog_touched(c, r == DB_DONE ? DB_OK : r);
}

int holidays_list(db_conn *c, arena *a, const char *from, const char *to, holiday **out, size_t *n)
{
    *out = NULL;
    *n = 0;
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
        v[k].date = arena_strndup(a, t.p ? t.p : "", t.n);
        t = db_col_text(s, 1);
        v[k].name = arena_strndup(a, t.p ? t.p : "", t.n);
        t = db_col_text(s, 2);
        v[k].kind = arena_strndup(a, t.p ? t.p : "", t.n);
        t = db_col_text(s, 3);
        v[k].source = arena_strndup(a, t.p ? t.p : "", t.n);
        k++;
    }
    db_finish(s);
    *out = v;
    *n = k;
    return r == DB_DONE ? DB_OK : r;
}

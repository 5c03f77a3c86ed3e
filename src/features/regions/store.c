/* regions store: importing the official CSVs and reading regions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/regions/regions.h"
#include "lib/csv.h"
#include "lib/utf8.h"

char *regions_fold(arena *a, str s)
{
    char *o = arena_alloc(a, s.n + 1);
    size_t k = 0;
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        o[k++] = (char)c;
    }
    o[k] = 0;
    return o;
}

static char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (sz < 0 || sz > (256L << 20)) {
        fclose(f);
        return NULL;
    }
    char *d = malloc((size_t)sz + 1);
    if (!d) abort();
    *n = fread(d, 1, (size_t)sz, f);
    fclose(f);
    d[*n] = 0;
    return d;
}

static bool valid_code(str c, int level)
{
    /* 32 / 32.73 / 32.73.01 / 32.73.01.1001 */
    static const size_t lens[] = {0, 2, 5, 8, 13};
    if (c.n != lens[level]) return false;
    for (size_t i = 0; i < c.n; i++) {
        bool dot = (i == 2 || i == 5 || i == 8);
        if (dot ? c.p[i] != '.' : (c.p[i] < '0' || c.p[i] > '9')) return false;
    }
    return true;
}

struct file_spec {
    const char *file;
    int level;
    int ncols; /* code,name  or  code,parent,name */
};

static const struct file_spec files[] = {{"provinces.csv", 1, 2},
                                         {"regencies.csv", 2, 3},
                                         {"districts.csv", 3, 3},
                                         {"villages.csv", 4, 3}};

int regions_import_dir(db *d, const char *dir, regions_progress_fn progress, long *count, char *err,
                       size_t errlen)
{
    char *data[4] = {0};
    size_t len[4] = {0};
    long total = 0;
    int rc = DB_ERR;
    for (int i = 0; i < 4; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i].file);
        data[i] = read_file(path, &len[i]);
        if (!data[i]) {
            snprintf(err, errlen, "cannot read %s", path);
            goto out;
        }
        for (size_t k = 0; k < len[i]; k++)
            total += data[i][k] == '\n';
    }
    db_conn *c = db_acquire(d);
    if (!c) {
        snprintf(err, errlen, "cannot connect to the database");
        goto out;
    }
    arena *a = arena_new(64 * 1024);
    rc = db_begin(c);
    if (rc == DB_OK) rc = db_exec(c, "DELETE FROM regions");
    long done = 0;
    for (int i = 0; i < 4 && rc == DB_OK; i++) {
        csv_reader r;
        csv_init(&r, data[i], len[i]);
        csv_record rec;
        int got;
        bool header = true;
        while (rc == DB_OK && (got = csv_next(&r, a, &rec)) != 0) {
            if (got < 0 || rec.nf != files[i].ncols) {
                snprintf(err, errlen, "%s line %ld: expected %d columns", files[i].file, r.line,
                         files[i].ncols);
                rc = DB_ERR;
                break;
            }
            if (header) {
                header = false;
                if (str_eq_c(rec.f[0], "code")) continue;
            }
            str code = str_trim(rec.f[0]);
            str parent = files[i].ncols == 3 ? str_trim(rec.f[1]) : STR_NULL;
            str name = str_trim(rec.f[files[i].ncols - 1]);
            if (!valid_code(code, files[i].level) ||
                (files[i].level > 1 && !valid_code(parent, files[i].level - 1))) {
                snprintf(err, errlen, "%s line %ld: '%.*s' is not a valid region code",
                         files[i].file, r.line, (int)(code.n > 20 ? 20 : code.n), code.p);
                rc = DB_ERR;
                break;
            }
            if (name.n == 0 || name.n > 200 || !utf8_valid_text(name.p, name.n)) {
                snprintf(err, errlen, "%s line %ld: the name is empty, too long or not UTF-8 text",
                         files[i].file, r.line);
                rc = DB_ERR;
                break;
            }
            db_stmt *s = db_prepare(c, "INSERT INTO regions (code, parent_code, level, name, "
                                       "name_search) VALUES ($1, $2, $3, $4, $5)");
            if (!s) {
                rc = DB_ERR;
                break;
            }
            db_bind_text(s, 1, code);
            if (parent.p) db_bind_text(s, 2, parent);
            else db_bind_null(s, 2);
            db_bind_int(s, 3, files[i].level);
            db_bind_text(s, 4, name);
            db_bind_cstr(s, 5, regions_fold(a, name));
            int sr = db_step(s);
            db_finish(s);
            if (sr != DB_DONE) {
                snprintf(err, errlen, "%s line %ld: %s", files[i].file, r.line,
                         sr == DB_ECONSTRAINT ? "the code appears twice" : db_errmsg(c));
                rc = DB_ERR;
                break;
            }
            done++;
            if (progress && (done % 2000 == 0)) progress("Wilayah (regions)", done, total);
            arena_reset(a);
        }
    }
    if (rc == DB_OK) rc = db_commit(c);
    else db_rollback(c);
    if (rc == DB_OK && progress) progress("Wilayah (regions)", total, total);
    if (rc == DB_OK && count) *count = done;
    arena_free(a);
    db_release(c);
out:
    for (int i = 0; i < 4; i++)
        free(data[i]);
    return rc;
}

static void fill(db_stmt *s, arena *a, region *r)
{
    str t;
    t = db_col_text(s, 0);
    r->code = arena_strndup(a, t.p ? t.p : "", t.n);
    t = db_col_text(s, 1);
    r->parent_code = t.p ? arena_strndup(a, t.p, t.n) : NULL;
    r->level = (int)db_col_int(s, 2);
    t = db_col_text(s, 3);
    r->name = arena_strndup(a, t.p ? t.p : "", t.n);
}

int regions_get(db_conn *c, arena *a, str code, region *out)
{
    db_stmt *s =
        db_prepare(c, "SELECT code, parent_code, level, name FROM regions WHERE code = $1");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, code);
    int r = db_step(s);
    if (r == DB_ROW) {
        fill(s, a, out);
        r = DB_OK;
    }
    db_finish(s);
    return r;
}

int regions_children(db_conn *c, arena *a, str code, region **out, size_t *n)
{
    db_stmt *s = db_prepare(c, "SELECT code, parent_code, level, name FROM regions "
                               "WHERE parent_code = $1 ORDER BY name");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, code);
    size_t cap = 16, k = 0;
    region *v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            region *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *v);
            v = nv;
            cap *= 2;
        }
        fill(s, a, &v[k++]);
    }
    db_finish(s);
    *out = v;
    *n = k;
    return r == DB_DONE ? DB_OK : r;
}

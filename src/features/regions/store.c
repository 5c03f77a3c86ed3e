/* regions store: the import of the official CSVs, lookups, and regions_fold(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/regions/regions.h"
#include "lib/csv.h"
#include "lib/utf8.h"

/* U+00C0..U+00FF and U+0100..U+017F to their base letter ('-' = not a letter) */
static const char latin1[] = "aaaaaaaceeeeiiiidnooooo-ouuuuytsaaaaaaaceeeeiiiidnooooo-ouuuuyty";
static const char latin_ext_a[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllll"
    "llnnnnnnnnnoooooooorrrrrrsssssssstttttt"
    "uuuuuuuuuuuuwwyyyzzzzzzs";

/* one code point from p (n bytes left); 0xFFFD with *len = 1 for a bad byte */
static uint32_t decode(const unsigned char *p, size_t n, size_t *len)
{
    uint32_t c = p[0];
    size_t k = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (k == 0 || k > n || !utf8_valid((const char *)p, k)) {
        *len = 1;
        return 0xFFFD;
    }
    *len = k;
    if (k == 1) return c;
    c &= 0x7F >> k;
    for (size_t i = 1; i < k; i++)
        c = (c << 6) | (p[i] & 0x3F);
    return c;
}

char *regions_fold(arena *a, str s)
{
    char *o = arena_alloc(a, s.n + 1);
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s.p;
    for (size_t i = 0; i < s.n;) {
        size_t len;
        uint32_t c = decode(p + i, s.n - i, &len);
        char ch = 0;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ch = (char)c;
        else if (c >= 'A' && c <= 'Z') ch = (char)(c + 32);
        else if (c >= 0xC0 && c <= 0xFF) ch = latin1[c - 0xC0];
        else if (c >= 0x100 && c <= 0x17F) ch = latin_ext_a[c - 0x100];
        else if (c >= 0x180 && c != 0xFFFD && !(c >= 0x2000 && c <= 0x206F) && c != 0x02BC &&
                 c != 0x3000 && c != 0xFEFF) {
            /* another script: kept as it is (general punctuation and the like are dropped) */
            memcpy(o + k, p + i, len);
            k += len;
        }
        if (ch && ch != '-') o[k++] = ch;
        i += len;
    }
    o[k] = 0;
    return o;
}

static char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *d = NULL;
    long sz = -1;
    if (fseek(f, 0, SEEK_END) == 0) sz = ftell(f);
    if (sz >= 0 && sz <= (256L << 20) && fseek(f, 0, SEEK_SET) == 0) {
        d = malloc((size_t)sz + 1);
        if (!d) abort();
        *n = fread(d, 1, (size_t)sz, f);
        d[*n] = 0;
    }
    fclose(f);
    return d;
}

static bool valid_code(str c, int level)
{
    /* 32 / 32.73 / 32.73.01 / 32.73.01.1001 */
    static const size_t lens[] = {0, 2, 5, 8, 13};
    if (level < 1 || level > 4 || c.n != lens[level]) return false;
    for (size_t i = 0; i < c.n; i++) {
        bool dot = (i == 2 || i == 5 || i == 8);
        if (dot ? c.p[i] != '.' : (c.p[i] < '0' || c.p[i] > '9')) return false;
    }
    return true;
}

/* The codes seen so far in this import, so a row whose parent is not in the files is refused.
 * A code is its digits as a number times 10 plus its level: unique, and no strings to keep. */
#define SEEN_BITS 18 /* 262,144 slots for ~92,000 codes */
struct seen {
    uint64_t *slot;
    size_t n;
};

static uint64_t code_key(str c, int level)
{
    uint64_t v = 0;
    for (size_t i = 0; i < c.n; i++)
        if (c.p[i] != '.') v = v * 10 + (uint64_t)(c.p[i] - '0');
    return v * 10 + (uint64_t)level;
}

static size_t seen_pos(const struct seen *s, uint64_t key)
{
    size_t mask = ((size_t)1 << SEEN_BITS) - 1,
           i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
    while (s->slot[i] && s->slot[i] != key)
        i = (i + 1) & mask;
    return i;
}

static bool seen_has(const struct seen *s, uint64_t key)
{
    return s->slot[seen_pos(s, key)] == key;
}

/* false when the table is full */
static bool seen_add(struct seen *s, uint64_t key)
{
    size_t i = seen_pos(s, key);
    if (s->slot[i]) return true;
    if (s->n >= ((size_t)1 << SEEN_BITS) * 3 / 4) return false;
    s->slot[i] = key;
    s->n++;
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

#define PROGRESS_LABEL "Wilayah"

/* one file's rows into the open transaction; rc and err as regions_import_dir */
static int import_file(db_conn *c, arena *a, const struct file_spec *fs, const char *data,
                       size_t len, struct seen *seen, regions_progress_fn progress, long *done,
                       long total, char *err, size_t errlen)
{
    csv_reader r;
    csv_init(&r, data, len);
    csv_record rec;
    int got;
    bool first = true;
    while ((got = csv_next(&r, a, &rec)) != 0) {
        if (got < 0) {
            snprintf(err, errlen, "%s line %ld: malformed CSV (a quote is not closed or not alone)",
                     fs->file, r.line);
            return DB_ERR;
        }
        if (first) {
            first = false;
            if (rec.nf >= 1 && str_eq_c(str_trim(rec.f[0]), "code")) continue; /* header */
        }
        if (rec.nf != fs->ncols) {
            snprintf(err, errlen, "%s line %ld: expected %d columns, found %d", fs->file, r.line,
                     fs->ncols, rec.nf);
            return DB_ERR;
        }
        str code = str_trim(rec.f[0]);
        str parent = fs->ncols == 3 ? str_trim(rec.f[1]) : STR_NULL;
        str name = str_trim(rec.f[fs->ncols - 1]);
        if (!valid_code(code, fs->level)) {
            snprintf(err, errlen, "%s line %ld: '%.*s' is not a valid level-%d region code",
                     fs->file, r.line, (int)(code.n > 20 ? 20 : code.n), code.p, fs->level);
            return DB_ERR;
        }
        if (fs->level > 1 && (!valid_code(parent, fs->level - 1) || parent.n >= code.n ||
                              memcmp(parent.p, code.p, parent.n) != 0 ||
                              !seen_has(seen, code_key(parent, fs->level - 1)))) {
            snprintf(err, errlen, "%s line %ld: parent '%.*s' of %.*s is not in the list", fs->file,
                     r.line, (int)(parent.n > 20 ? 20 : parent.n), parent.p, (int)code.n, code.p);
            return DB_ERR;
        }
        if (name.n == 0 || name.n > 200 || !utf8_valid_text(name.p, name.n) ||
            memchr(name.p, '\n', name.n) || memchr(name.p, '\r', name.n)) {
            snprintf(err, errlen, "%s line %ld: the name is empty, too long or not UTF-8 text",
                     fs->file, r.line);
            return DB_ERR;
        }
        uint64_t key = code_key(code, fs->level);
        if (seen_has(seen, key)) {
            snprintf(err, errlen, "%s line %ld: code %.*s appears twice", fs->file, r.line,
                     (int)code.n, code.p);
            return DB_ERR;
        }
        if (!seen_add(seen, key)) {
            snprintf(err, errlen, "%s line %ld: more regions than layan can import at once",
                     fs->file, r.line);
            return DB_ERR;
        }
        db_stmt *s = db_prepare(c, "INSERT INTO regions (code, parent_code, level, name, "
                                   "name_search) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) "
                                   "DO UPDATE SET parent_code = excluded.parent_code, level = "
                                   "excluded.level, name = excluded.name, name_search = "
                                   "excluded.name_search");
        if (!s) {
            snprintf(err, errlen, "%s", db_errmsg(c));
            return DB_ERR;
        }
        db_bind_text(s, 1, code);
        if (parent.p) db_bind_text(s, 2, parent);
        else db_bind_null(s, 2);
        db_bind_int(s, 3, fs->level);
        db_bind_text(s, 4, name);
        db_bind_cstr(s, 5, regions_fold(a, name));
        int sr = db_step(s);
        db_finish(s);
        if (sr != DB_DONE) {
            snprintf(err, errlen, "%s line %ld: %s", fs->file, r.line, db_errmsg(c));
            return sr < 0 ? sr : DB_ERR;
        }
        arena_reset(a);
        if (++*done % 4096 == 0 && progress) progress(PROGRESS_LABEL, *done, total);
    }
    return DB_OK;
}

int regions_import_dir(db *d, const char *dir, regions_progress_fn progress, long *count, char *err,
                       size_t errlen)
{
    char *data[4] = {0};
    size_t len[4] = {0};
    long total = 0, done = 0;
    int rc = DB_ERR;
    db_conn *c = NULL;
    arena *a = NULL;
    struct seen seen = {calloc((size_t)1 << SEEN_BITS, sizeof(uint64_t)), 0};
    if (!seen.slot) abort();
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
    c = db_acquire(d);
    if (!c) {
        snprintf(err, errlen, "cannot connect to the database");
        rc = DB_EUNAVAIL;
        goto out;
    }
    a = arena_new(64 * 1024);
    if ((rc = db_begin(c)) != DB_OK) {
        snprintf(err, errlen, "%s", db_errmsg(c));
        goto out;
    }
    if (progress) progress(PROGRESS_LABEL, 0, total);
    for (int i = 0; i < 4 && rc == DB_OK; i++)
        rc = import_file(c, a, &files[i], data[i], len[i], &seen, progress, &done, total, err,
                         errlen);
    if (rc == DB_OK && done == 0) {
        snprintf(err, errlen, "%s holds no regions", dir);
        rc = DB_ERR;
    }
    if (rc == DB_OK && (rc = db_commit(c)) != DB_OK) snprintf(err, errlen, "%s", db_errmsg(c));
    if (rc != DB_OK) {
        db_rollback(c);
        goto out;
    }
    if (progress) progress(PROGRESS_LABEL, done, done);
    if (count) *count = done;
out:
    if (c) db_release(c);
    if (a) arena_free(a);
    free(seen.slot);
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

const char *regions_name(db_conn *c, arena *a, str code)
{
    region r;
    return regions_get(c, a, code, &r) == DB_OK ? r.name : NULL;
}

int regions_children(db_conn *c, arena *a, str code, region **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT code, parent_code, level, name FROM regions "
                               "WHERE parent_code = $1 ORDER BY name, code");
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

long regions_count(db_conn *c)
{
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM regions");
    if (!s) return -1;
    long n = db_step(s) == DB_ROW ? (long)db_col_int(s, 0) : -1;
    db_finish(s);
    return n;
}

/* skm import: a CSV of questionnaires into a period, all or nothing. The file is read with the
 * RFC 4180 reader (lib/csv: quotes, CRLF, a UTF-8 BOM, line numbers); each row becomes an
 * skm_response checked by the same rules as every other channel (skm_response_check), so a
 * file cannot hold what the kiosk would refuse. Every problem is reported with its line, up to
 * a limit, so one run shows the office what to fix. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "features/skm/skm.h"
#include "lib/csv.h"

enum prof { P_JK, P_UMUR, P_PENDIDIKAN, P_PEKERJAAN, P_LAYANAN, P_TANGGAL, P_N };
static const char *const prof_names[P_N] = {"jenis_kelamin", "umur",    "pendidikan",
                                            "pekerjaan",     "layanan", "tanggal"};

struct report {
    char *p;
    size_t cap, n;
    int count, max;
};

static void add(struct report *rp, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add(struct report *rp, long line, const char *fmt, ...)
{
    rp->count++;
    if (rp->count == rp->max + 1 && rp->n + 1 < rp->cap) {
        int k = snprintf(rp->p + rp->n, rp->cap - rp->n, "(more problems not shown)\n");
        rp->n += k < 0 || (size_t)k >= rp->cap - rp->n ? 0 : (size_t)k;
    }
    if (rp->count > rp->max || rp->n + 1 >= rp->cap) return;
    int k = line > 0 ? snprintf(rp->p + rp->n, rp->cap - rp->n, "line %ld: ", line) : 0;
    if (k < 0 || (size_t)k >= rp->cap - rp->n) k = (int)(rp->cap - rp->n - 1);
    rp->n += (size_t)k;
    va_list ap;
    va_start(ap, fmt);
    k = vsnprintf(rp->p + rp->n, rp->cap - rp->n, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= rp->cap - rp->n) k = (int)(rp->cap - rp->n - 1);
    rp->n += (size_t)k;
    if (rp->n + 1 < rp->cap) {
        rp->p[rp->n++] = '\n';
        rp->p[rp->n] = 0;
    }
}

/* a cell for a message: at most 20 bytes, '?' for anything outside printable ASCII */
static const char *shown(arena *a, str v)
{
    size_t n = v.n > 20 ? 20 : v.n;
    char *s = arena_alloc(a, n + 4);
    for (size_t i = 0; i < n; i++)
        s[i] = (unsigned char)v.p[i] < 0x20 || (unsigned char)v.p[i] >= 0x7f ? '?' : v.p[i];
    if (v.n > n) memcpy(s + n, "...", 3);
    return s;
}

static const char *jk_norm(str v)
{
    if (str_ieq_c(v, "L") || str_ieq_c(v, "laki-laki")) return "L";
    if (str_ieq_c(v, "P") || str_ieq_c(v, "perempuan")) return "P";
    return NULL;
}

struct columns {
    int n;
    int el[CSV_MAX_FIELDS];   /* element index or -1 */
    int prof[CSV_MAX_FIELDS]; /* enum prof or -1 */
};

static bool header(const csv_record *h, const skm_instrument *ins, struct columns *cols,
                   struct report *rp, arena *a)
{
    int before = rp->count;
    bool have_el[IKM_MAX_ELEMENTS] = {false}, have_prof[P_N] = {false};
    cols->n = h->nf;
    for (int i = 0; i < h->nf; i++) {
        str name = str_trim(h->f[i]);
        cols->el[i] = cols->prof[i] = -1;
        for (size_t u = 0; u < ins->nel; u++)
            if (str_ieq_c(name, ins->el[u].code)) cols->el[i] = (int)u;
        for (int p = 0; p < P_N; p++)
            if (str_ieq_c(name, prof_names[p])) cols->prof[i] = p;
        if (cols->el[i] >= 0) {
            if (have_el[cols->el[i]])
                add(rp, 1, "column %s appears twice", ins->el[cols->el[i]].code);
            have_el[cols->el[i]] = true;
        } else if (cols->prof[i] >= 0) {
            if (have_prof[cols->prof[i]])
                add(rp, 1, "column %s appears twice", prof_names[cols->prof[i]]);
            have_prof[cols->prof[i]] = true;
        } else {
            add(rp, 1,
                "unknown column '%s'; the columns are the element codes %s..%s and optionally "
                "jenis_kelamin, umur, pendidikan, pekerjaan, layanan, tanggal",
                shown(a, name), ins->el[0].code, ins->el[ins->nel - 1].code);
        }
    }
    for (size_t u = 0; u < ins->nel; u++)
        if (!have_el[u])
            add(rp, 1, "column %s is missing (leave its cells empty where it was not answered)",
                ins->el[u].code);
    return rp->count == before;
}

static bool blank(const csv_record *rec)
{
    for (int i = 0; i < rec->nf; i++)
        if (str_trim(rec->f[i]).n) return false;
    return true;
}

/* one data row into *resp (strings in the row arena); false after reporting what is wrong */
static bool row(const csv_record *rec, long line, const struct columns *cols, const skm_period *p,
                const skm_instrument *ins, skm_response *resp, skm_answer *ans, struct report *rp,
                arena *a)
{
    if (rec->nf != cols->n) {
        add(rp, line, "expected %d columns as in the header, found %d", cols->n, rec->nf);
        return false;
    }
    memset(resp, 0, sizeof *resp);
    resp->channel = "import";
    resp->answers = ans;
    bool ok = true;
    for (int i = 0; i < rec->nf; i++) {
        str v = str_trim(rec->f[i]);
        if (v.n == 0) continue;
        if (cols->el[i] >= 0) {
            long x;
            const char *code = ins->el[cols->el[i]].code;
            if (!str_to_long(v, 1, 4, &x)) {
                add(rp, line, "%s is %s; answers are 1 to 4", code, shown(a, v));
                ok = false;
                continue;
            }
            ans[resp->nanswers++] = (skm_answer){code, (int)x};
            continue;
        }
        const char *t = arena_strndup(a, v.p, v.n);
        switch (cols->prof[i]) {
        case P_JK:
            resp->jenis_kelamin = jk_norm(v);
            if (!resp->jenis_kelamin) {
                add(rp, line, "jenis_kelamin is '%s'; use L or P", shown(a, v));
                ok = false;
            }
            break;
        case P_UMUR: {
            long x;
            if (!str_to_long(v, 10, 120, &x)) {
                add(rp, line, "umur is '%s'; give the age in years, 10 to 120", shown(a, v));
                ok = false;
            } else {
                resp->umur = (int)x;
            }
            break;
        }
        case P_PENDIDIKAN: resp->pendidikan = t; break;
        case P_PEKERJAAN: resp->pekerjaan = t; break;
        case P_LAYANAN: resp->layanan = t; break;
        case P_TANGGAL: resp->tanggal = t; break;
        default: break;
        }
    }
    if (!ok) return false;
    char err[256];
    if (skm_response_check(p, ins, resp, err, sizeof err) != DB_OK) {
        add(rp, line, "%s", err);
        return false;
    }
    return true;
}

int skm_import_csv(db_conn *c, arena *a, int64_t unit_id, const char *period_code, str data,
                   long *imported, bool *period_created, int maxerr, char *errs, size_t errlen)
{
    struct report rp = {errs, errlen, 0, 0, maxerr > 0 ? maxerr : 1};
    if (errlen) errs[0] = 0;
    *imported = 0;
    if (period_created) *period_created = false;
    arena *ra = arena_new(0);
    int r = db_begin(c);
    if (r != DB_OK) goto out;
    skm_period p;
    skm_instrument ins;
    char err[256];
    r = skm_period_ensure(c, a, unit_id, period_code, &p, period_created, err, sizeof err);
    if (r == SKM_EINVALID) add(&rp, 0, "%s", err);
    if (r != DB_OK) goto out;
    if ((r = skm_instrument_get(c, a, p.instrument_id, &ins)) != DB_OK) goto out;
    if (strcmp(p.status, "open") != 0) {
        add(&rp, 0, "period %s of this unit is %s; it no longer takes answers", p.code, p.status);
        r = SKM_EINVALID;
        goto out;
    }

    csv_reader rd;
    csv_record rec;
    csv_init(&rd, data.p, data.n);
    int got = csv_next(&rd, ra, &rec);
    if (got <= 0) {
        add(&rp, 1,
            got == 0 ? "the file is empty; it needs a header line with the columns"
                     : "the header is not valid CSV");
        r = SKM_EINVALID;
        goto out;
    }
    struct columns cols;
    if (!header(&rec, &ins, &cols, &rp, a)) {
        r = SKM_EINVALID;
        goto out;
    }
    long n = 0;
    skm_answer ans[IKM_MAX_ELEMENTS];
    while ((got = csv_next(&rd, ra, &rec)) != 0) {
        long line = rd.line;
        if (got < 0) {
            add(&rp, line,
                "not valid CSV (a quote left open, a quote inside an unquoted cell, or "
                "more than %d columns); nothing after it was read",
                CSV_MAX_FIELDS);
            break;
        }
        if (blank(&rec)) {
            arena_reset(ra);
            continue;
        }
        skm_response resp;
        if (row(&rec, line, &cols, &p, &ins, &resp, ans, &rp, ra) && rp.count == 0) {
            /* stored as we go; a later bad row rolls all of it back */
            r = skm_response_add(c, &p, &ins, &resp, NULL, err, sizeof err);
            if (r == SKM_EINVALID) add(&rp, line, "%s", err);
            else if (r != DB_OK) goto out;
            n++;
        }
        arena_reset(ra);
        if (rp.count > rp.max) break;
    }
    if (rp.count == 0 && n == 0) add(&rp, 0, "the file has a header but no answers");
    if (rp.count) {
        r = SKM_EINVALID;
        goto out;
    }
    r = db_commit(c);
    if (r == DB_OK) *imported = n;
out:
    if (db_in_tx(c) && (r != DB_OK)) db_rollback(c);
    if (r != DB_OK && period_created) *period_created = false;
    arena_free(ra);
    return r;
}

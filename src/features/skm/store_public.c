/* skm store, public side: the reads behind the published results (skm.h, "published
 * results"): breakdowns by respondent profile aggregated in SQL, the anonymous respondent rows
 * of the tabulation, and whether a roll-up may be shown. (The follow-up plan is read with
 * skm_followups_list of store_admin.c.) */
#include <stdlib.h>
#include <string.h>

#include "features/skm/skm.h"

#define SUBTREE                                                                                    \
    "WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE id = $1 UNION SELECT u.id FROM "        \
    "units u JOIN sub ON u.parent_id = sub.id) "

static const char *col(db_stmt *s, arena *a, int i)
{
    if (db_col_is_null(s, i)) return NULL;
    str t = db_col_text(s, i);
    return arena_strndup(a, t.p ? t.p : "", t.n);
}

/* the SQL expression of a profile field over skm_responses r; empty text counts as not given */
static const char *field_expr(enum skm_profile f)
{
    switch (f) {
    case SKM_PROF_JK: return "r.jenis_kelamin";
    case SKM_PROF_UMUR:
        return "CASE WHEN r.umur IS NULL THEN NULL WHEN r.umur < 20 THEN '10-19' WHEN r.umur < 30 "
               "THEN '20-29' WHEN r.umur < 40 THEN '30-39' WHEN r.umur < 50 THEN '40-49' WHEN "
               "r.umur < 60 THEN '50-59' ELSE '60+' END";
    case SKM_PROF_PENDIDIKAN: return "NULLIF(TRIM(r.pendidikan), '')";
    case SKM_PROF_PEKERJAAN: return "NULLIF(TRIM(r.pekerjaan), '')";
    case SKM_PROF_LAYANAN: return "NULLIF(TRIM(r.layanan), '')";
    default: return NULL;
    }
}

const char *skm_age_band(int umur)
{
    if (umur <= 0) return "";
    return umur < 20   ? "10-19"
           : umur < 30 ? "20-29"
           : umur < 40 ? "30-39"
           : umur < 50 ? "40-49"
           : umur < 60 ? "50-59"
                       : "60+";
}

static const char *scope(bool subunits)
{
    return subunits ? "r.period_id IN (SELECT p.id FROM skm_periods p WHERE p.code = $2 AND "
                      "p.unit_id IN (SELECT id FROM sub))"
                    : "r.period_id = $1";
}

static void bind_scope(db_stmt *s, int64_t unit_id, const skm_period *p, bool subunits)
{
    if (subunits) {
        db_bind_int(s, 1, unit_id);
        db_bind_cstr(s, 2, p->code);
    } else {
        db_bind_int(s, 1, p->id);
    }
}

static int by_size(const void *x, const void *y)
{
    const skm_group *a = x, *b = y;
    if (a->responses != b->responses) return a->responses > b->responses ? -1 : 1;
    if (!a->value || !b->value) return a->value ? -1 : b->value ? 1 : 0; /* not given last */
    return strcmp(a->value, b->value);
}

/* age bands in their own order ("10-19" < ... < "60+" as text), not given last */
static int by_value(const void *x, const void *y)
{
    const skm_group *a = x, *b = y;
    if (!a->value || !b->value) return a->value ? -1 : b->value ? 1 : 0;
    return strcmp(a->value, b->value);
}

int skm_pub_groups(db_conn *c, arena *a, int64_t unit_id, const skm_period *p, bool with_subunits,
                   const skm_instrument *ins, enum skm_profile f, skm_group **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char *expr = field_expr(f);
    if (!expr) return DB_ERR;
    const char *pre = with_subunits ? SUBTREE : "";
    db_stmt *s = db_prepare(c, arena_printf(a,
                                            "%sSELECT %s, COUNT(*) FROM skm_responses r WHERE %s "
                                            "GROUP BY 1",
                                            pre, expr, scope(with_subunits)));
    if (!s) return DB_ERR;
    bind_scope(s, unit_id, p, with_subunits);
    size_t cap = 8, k = 0;
    skm_group *g = arena_alloc(a, cap * sizeof *g);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            skm_group *ng = arena_alloc(a, cap * 2 * sizeof *ng);
            memcpy(ng, g, k * sizeof *g);
            g = ng;
            cap *= 2;
        }
        memset(&g[k], 0, sizeof g[k]);
        g[k].value = col(s, a, 0);
        g[k].responses = db_col_int(s, 1);
        k++;
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    s = db_prepare(c, arena_printf(a,
                                   "%sSELECT %s, a.element_code, SUM(a.value), COUNT(*) FROM "
                                   "skm_responses r JOIN skm_answers a ON a.response_id = r.id "
                                   "WHERE %s GROUP BY 1, 2",
                                   pre, expr, scope(with_subunits)));
    if (!s) return DB_ERR;
    bind_scope(s, unit_id, p, with_subunits);
    while ((r = db_step(s)) == DB_ROW) {
        const char *v = db_col_is_null(s, 0) ? NULL : "";
        str vs = db_col_text(s, 0);
        str code = db_col_text(s, 1);
        for (size_t i = 0; i < k; i++) {
            if (v ? !g[i].value || !str_eq_c(vs, g[i].value) : g[i].value != NULL) continue;
            for (size_t u = 0; u < ins->nel; u++)
                if (str_eq_c(code, ins->el[u].code)) {
                    g[i].sums[u] = db_col_int(s, 2);
                    g[i].counts[u] = db_col_int(s, 3);
                }
            break;
        }
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    qsort(g, k, sizeof *g, f == SKM_PROF_UMUR ? by_value : by_size);
    *out = g;
    *n = k;
    return DB_OK;
}

size_t skm_groups_merge_small(skm_group *g, size_t n, int64_t k, bool *hidden)
{
    skm_group other;
    memset(&other, 0, sizeof other);
    other.value = "";
    size_t kept = 0, merged = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i].responses >= k) {
            if (kept != i) g[kept] = g[i];
            kept++;
            continue;
        }
        merged++;
        other.responses += g[i].responses;
        for (size_t u = 0; u < IKM_MAX_ELEMENTS; u++) {
            other.sums[u] += g[i].sums[u];
            other.counts[u] += g[i].counts[u];
        }
    }
    if (hidden) *hidden = merged && other.responses < k;
    if (merged) g[kept++] = other;
    return kept;
}

int skm_pub_rows(db_conn *c, arena *a, const skm_period *p, const skm_instrument *ins,
                 skm_pub_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM skm_responses WHERE period_id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, p->id);
    int r = db_step(s);
    int64_t total = r == DB_ROW ? db_col_int(s, 0) : -1;
    db_finish(s);
    if (r != DB_ROW) return r;
    if (total > SKM_PUB_ROWS_MAX) return DB_ERR;
    skm_pub_row *v = arena_alloc(a, ((size_t)total + 1) * sizeof *v);
    int64_t *ids = arena_alloc(a, ((size_t)total + 1) * sizeof *ids);
    s = db_prepare(c, "SELECT id, jenis_kelamin, umur, pendidikan, pekerjaan, layanan FROM "
                      "skm_responses WHERE period_id = $1 ORDER BY id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, p->id);
    size_t k = 0;
    while ((r = db_step(s)) == DB_ROW && k < (size_t)total) {
        memset(&v[k], 0, sizeof v[k]);
        ids[k] = db_col_int(s, 0);
        v[k].jenis_kelamin = col(s, a, 1);
        v[k].umur = db_col_is_null(s, 2) ? 0 : (int)db_col_int(s, 2);
        v[k].umur_band = skm_age_band(v[k].umur);
        v[k].pendidikan = col(s, a, 3);
        v[k].pekerjaan = col(s, a, 4);
        v[k].layanan = col(s, a, 5);
        k++;
    }
    db_finish(s);
    if (r != DB_DONE && r != DB_ROW) return r;
    /* answers in the same order; a two-pointer walk matches them to their rows */
    s = db_prepare(c, "SELECT a.response_id, a.element_code, a.value FROM skm_answers a JOIN "
                      "skm_responses r ON r.id = a.response_id WHERE r.period_id = $1 ORDER BY "
                      "a.response_id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, p->id);
    size_t i = 0;
    while ((r = db_step(s)) == DB_ROW) {
        int64_t rid = db_col_int(s, 0);
        while (i < k && ids[i] < rid)
            i++;
        if (i == k || ids[i] != rid) continue;
        str code = db_col_text(s, 1);
        for (size_t u = 0; u < ins->nel; u++)
            if (str_eq_c(code, ins->el[u].code)) v[i].values[u] = (int)db_col_int(s, 2);
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int skm_pub_below(db_conn *c, int64_t unit_id, const char *code, int64_t *below,
                  int64_t *unpublished)
{
    *below = *unpublished = 0;
    db_stmt *s = db_prepare(c, SUBTREE "SELECT COUNT(*), COALESCE(SUM(CASE WHEN p.status <> "
                                       "'published' THEN 1 ELSE 0 END), 0) FROM skm_periods p "
                                       "WHERE p.code = $2 AND p.unit_id <> $1 AND p.unit_id IN "
                                       "(SELECT id FROM sub)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    db_bind_cstr(s, 2, code);
    int r = db_step(s);
    if (r == DB_ROW) {
        *below = db_col_int(s, 0);
        *unpublished = db_col_int(s, 1);
    }
    db_finish(s);
    return r == DB_ROW ? DB_OK : r;
}

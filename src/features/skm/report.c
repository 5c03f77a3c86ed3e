/* skm report: what the public pages and the downloads (report_pdf.c, report_tab.c) share:
 * loading a published period with its index, number and period wording, the index of a
 * profile group, and the privacy rule for published tables (k-anonymity, SKM_K_MIN). */
#include <stdlib.h>
#include <string.h>

#include "features/app.h"
#include "features/skm/web.h"

int skm_pub_load(http_req *rq, db_conn *c, bool with_subunits, skm_pub *out)
{
    memset(out, 0, sizeof *out);
    int r = units_get(c, rq->a, http_param(rq, "unit"), &out->u);
    if (r != DB_OK) return r == DB_DONE ? 404 : 503;
    const char *code = http_param_c(rq, "period");
    char err[256];
    r = skm_period_get(c, rq->a, out->u.id, code ? code : "", &out->p, err, sizeof err);
    if (r == DB_DONE || r == SKM_EINVALID) return 404;
    if (r != DB_OK) return 503;
    /* nothing of a period that is not published, not even that it exists */
    if (strcmp(out->p.status, "published") != 0) return 404;
    int64_t below, unpublished;
    r = skm_pub_below(c, out->u.id, out->p.code, &below, &unpublished);
    if (r != DB_OK) return 503;
    out->sub_allowed = below > 0 && unpublished == 0;
    r = skm_result_compute(c, rq->a, out->u.id, out->p.code, with_subunits && out->sub_allowed,
                           NULL, &out->res, err, sizeof err);
    if (r != DB_OK) return r == DB_DONE ? 404 : 503;
    return 0;
}

const char *skm_fmt_fixed(http_req *rq, int64_t v, int decimals)
{
    int64_t p = 1;
    for (int i = 0; i < decimals; i++)
        p *= 10;
    const char *sign = v < 0 ? "-" : "";
    if (v < 0) v = -v;
    if (decimals == 0) return arena_printf(rq->a, "%s%lld", sign, (long long)v);
    const char *mark = rq->lang && strcmp(rq->lang, "en") == 0 ? "." : ",";
    return arena_printf(rq->a, "%s%lld%s%0*lld", sign, (long long)(v / p), mark, decimals,
                        (long long)(v % p));
}

const char *skm_period_label(http_req *rq, const skm_period *p)
{
    const char *c = p->code;
    if (strcmp(p->kind, "year") == 0) return arena_printf(rq->a, http_t(rq, "Year %s"), c);
    if (strcmp(p->kind, "semester") == 0 && strlen(c) == 7)
        return arena_printf(rq->a, http_t(rq, "Semester %c of %.4s"), c[6], c);
    if (strcmp(p->kind, "quarter") == 0 && strlen(c) == 7) {
        static const char *const roman[] = {"I", "II", "III", "IV"};
        int q = c[6] - '1';
        if (q >= 0 && q < 4)
            return arena_printf(rq->a, http_t(rq, "Quarter %s of %.4s"), roman[q], c);
    }
    return arena_printf(rq->a, http_t(rq, "%s to %s"), app_fmt_date(rq, p->starts_on),
                        app_fmt_date(rq, p->ends_on));
}

int64_t skm_group_ikm25(const skm_instrument *ins, const skm_group *g)
{
    ikm_element el[IKM_MAX_ELEMENTS];
    for (size_t u = 0; u < ins->nel && u < IKM_MAX_ELEMENTS; u++)
        el[u] =
            (ikm_element){ins->el[u].weight_num, ins->el[u].weight_den, g->sums[u], g->counts[u]};
    const ikm_ladder *lad = ikm_ladder_find(ins->ladder_name);
    ikm_result r;
    if (ikm_compute(el, ins->nel, lad ? lad : IKM_LADDER_DEFAULT, &r) != IKM_OK) return -1;
    return r.ikm25_e2;
}

const char *skm_group_label(http_req *rq, enum skm_profile f, const char *value)
{
    if (!value) return http_t(rq, "Not filled in");
    if (!*value) return http_t(rq, "Other (small groups together)");
    if (f == SKM_PROF_JK) {
        if (strcmp(value, "L") == 0) return http_t(rq, "Male");
        if (strcmp(value, "P") == 0) return http_t(rq, "Female");
    }
    if (f == SKM_PROF_UMUR) {
        if (strcmp(value, "60+") == 0) return http_t(rq, "60 years and over");
        if (strlen(value) == 5 && value[2] == '-')
            return arena_printf(rq->a, http_t(rq, "%.2s to %s years"), value, value + 3);
    }
    return value;
}

bool skm_standard_weights(const skm_instrument *ins)
{
    if (ins->nel != 9) return false;
    for (size_t u = 0; u < ins->nel; u++)
        if (ins->el[u].weight_num * 9 != ins->el[u].weight_den) return false;
    return true;
}

const char *skm_followup_status_label(http_req *rq, const char *status)
{
    if (!status) return "";
    if (strcmp(status, "planned") == 0) return http_t(rq, "Planned");
    if (strcmp(status, "in_progress") == 0) return http_t(rq, "In progress");
    if (strcmp(status, "done") == 0) return http_t(rq, "Completed");
    if (strcmp(status, "dropped") == 0) return http_t(rq, "Dropped");
    return status;
}

typedef struct {
    const char **slot;
} ref;

static int by_text(const void *x, const void *y)
{
    const char *a = *((const ref *)x)->slot, *b = *((const ref *)y)->slot;
    return strcmp(a, b);
}

/* one column: values held by fewer than SKM_K_MIN rows become `other` (empty ones stay) */
static void coarsen(ref *v, size_t n, const char *other)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (*v[i].slot && **v[i].slot) v[k++] = v[i];
    qsort(v, k, sizeof *v, by_text);
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j < k && strcmp(*v[j].slot, *v[i].slot) == 0)
            j++;
        if (j - i < SKM_K_MIN)
            for (size_t t = i; t < j; t++)
                *v[t].slot = other;
        i = j;
    }
}

void skm_pub_rows_anonymise(http_req *rq, skm_pub_row *rows, size_t n)
{
    if (!n) return;
    ref *v = arena_alloc(rq->a, n * sizeof *v);
    const char *other = http_t(rq, "Other");
    for (int f = 0; f < 5; f++) {
        for (size_t i = 0; i < n; i++) {
            skm_pub_row *r = &rows[i];
            v[i].slot = f == 0   ? &r->jenis_kelamin
                        : f == 1 ? &r->umur_band
                        : f == 2 ? &r->pendidikan
                        : f == 3 ? &r->pekerjaan
                                 : &r->layanan;
        }
        coarsen(v, n, other);
    }
    for (size_t i = 0; i < n; i++)
        rows[i].umur = 0; /* the exact age is never published, only the band */
}

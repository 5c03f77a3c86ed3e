/* skm report (tables): the tabulation workbook offices are used to and the questionnaire
 * data as CSV, for a published period.
 *
 * tabulasi.xlsx, sheet "Tabulasi": one row per questionnaire (No, the element codes U1..U9
 * with the answers 1-4, empty when not answered, then the profile columns), and under it the
 * sum, the number who answered, NRR, weight, weighted NRR per element and the IKM, IKM x 25
 * and rounded IKM x 25 cells, all as formulas with cached values (what a spreadsheet computes;
 * the rounded IKM x 25 is the exact one of core/ikm) so a viewer that does not recalculate
 * shows the same numbers as the page. Sheet "Ringkasan": the
 * summary. data.csv: the same rows, machine column names, UTF-8 with BOM.
 *
 * No personal data: no date, channel or link; the age only as a band; a profile value held by
 * fewer than SKM_K_MIN respondents becomes "Other" (skm_pub_rows_anonymise). */
#include <stdlib.h>
#include <string.h>

#include "features/app.h"
#include "features/skm/web.h"
#include "render/csvw.h"
#include "render/xlsx.h"

#define NPROF 5

typedef struct {
    skm_pub pb;
    skm_pub_row *rows;
    size_t n;
} tab;

static int load(http_req *rq, tab *t)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    int st = skm_pub_load(rq, c, false, &t->pb);
    if (!st && skm_pub_rows(c, rq->a, &t->pb.p, &t->pb.res.ins, &t->rows, &t->n) != DB_OK) st = 503;
    db_release(c);
    if (!st) skm_pub_rows_anonymise(rq, t->rows, t->n);
    return st;
}

static const char *prof(const skm_pub_row *r, int f)
{
    const char *v = f == 0   ? r->jenis_kelamin
                    : f == 1 ? r->umur_band
                    : f == 2 ? r->pendidikan
                    : f == 3 ? r->pekerjaan
                             : r->layanan;
    return v ? v : "";
}

/* Excel's column name of a 0-based index: 0 A, 25 Z, 26 AA */
static const char *colname(arena *a, int i)
{
    char b[8];
    int k = 7;
    b[k] = 0;
    for (i++; i > 0 && k > 0; i = (i - 1) / 26)
        b[--k] = (char)('A' + (i - 1) % 26);
    return arena_strdup(a, b + k);
}

static void summary(http_req *rq, xlsx_book *b, const skm_result *res, const tab *t)
{
    const char *hdr[2] = {http_t(rq, "Item"), http_t(rq, "Value")};
    xlsx_sheet *s = xlsx_sheet_add(b, http_t(rq, "Summary"), hdr, 2);
    if (!s) return;
    xlsx_col_width(s, 0, 44);
    xlsx_col_width(s, 1, 40);
    int r = 1;
    xlsx_text(s, r, 0, http_t(rq, "Unit"));
    xlsx_text(s, r++, 1, t->pb.u.name);
    xlsx_text(s, r, 0, http_t(rq, "Period"));
    xlsx_text(s, r++, 1,
              arena_printf(rq->a, "%s (%s)", skm_period_label(rq, &t->pb.p), t->pb.p.code));
    if (res->has_population) {
        xlsx_text(s, r, 0, http_t(rq, "Service users in the period (N)"));
        xlsx_num(s, r++, 1, (double)res->population, XLSX_GENERAL);
        xlsx_text(s, r, 0, http_t(rq, "Minimum sample (Krejcie and Morgan)"));
        xlsx_num(s, r++, 1, (double)res->sample_required, XLSX_GENERAL);
    }
    xlsx_text(s, r, 0, http_t(rq, "Questionnaires received"));
    xlsx_num(s, r++, 1, (double)res->responses, XLSX_GENERAL);
    if (res->status == IKM_OK) {
        xlsx_text(s, r, 0, http_t(rq, "IKM (1 to 4)"));
        xlsx_num(s, r++, 1, res->r.ikm_e4 / 10000.0, XLSX_GENERAL);
        xlsx_text(s, r, 0, http_t(rq, "IKM x 25"));
        xlsx_num(s, r++, 1, res->r.ikm25_e2 / 100.0, XLSX_DEC2);
        char g[2] = {res->r.cls->grade, 0};
        xlsx_text(s, r, 0, http_t(rq, "Quality (mutu)"));
        xlsx_text(s, r++, 1, g);
        xlsx_text(s, r, 0, http_t(rq, "Performance (kinerja)"));
        xlsx_text(s, r++, 1, res->r.cls->label);
    }
    xlsx_text(s, r, 0, http_t(rq, "Questionnaire"));
    xlsx_text(s, r++, 1, arena_printf(rq->a, "%s, v%d", res->ins.name, res->ins.version));
    xlsx_text(s, r, 0, http_t(rq, "Rounding"));
    xlsx_text(s, r++, 1, res->ins.rounding_rule);
    r++;
    xlsx_text(s, r, 0, http_t(rq, "Element"));
    xlsx_text(s, r++, 1, http_t(rq, "NRR"));
    for (size_t u = 0; u < res->ins.nel; u++) {
        xlsx_text(s, r, 0, arena_printf(rq->a, "%s %s", res->ins.el[u].code, res->ins.el[u].label));
        if (res->counts[u])
            xlsx_num(s, r, 1, (double)res->sums[u] / (double)res->counts[u], XLSX_DEC2);
        r++;
    }
}

int skm_report_xlsx(http_req *rq)
{
    tab t;
    int st = load(rq, &t);
    if (st) return st;
    const skm_result *res = &t.pb.res;
    int ne = (int)res->ins.nel, nc = 1 + ne + NPROF;
    const char **hdr = arena_alloc(rq->a, (size_t)nc * sizeof *hdr);
    hdr[0] = http_t(rq, "No.");
    for (int u = 0; u < ne; u++)
        hdr[1 + u] = res->ins.el[u].code;
    const char *ph[NPROF] = {http_t(rq, "Sex"), http_t(rq, "Age group"), http_t(rq, "Education"),
                             http_t(rq, "Occupation"), http_t(rq, "Service received")};
    for (int f = 0; f < NPROF; f++)
        hdr[1 + ne + f] = ph[f];
    xlsx_book *b = xlsx_begin(rq->a, arena_printf(rq->a, "%s %s %s", http_t(rq, "Survey results"),
                                                  t.pb.u.name, t.pb.p.code));
    if (!b) return 500;
    xlsx_sheet *s = xlsx_sheet_add(b, http_t(rq, "Tabulation"), hdr, nc);
    if (s) {
        xlsx_col_width(s, 0, 26);
        for (int u = 0; u < ne; u++)
            xlsx_col_width(s, 1 + u, 9);
        for (int f = 0; f < NPROF; f++)
            xlsx_col_width(s, 1 + ne + f, 18);
        for (size_t i = 0; i < t.n; i++) {
            int row = (int)i + 1;
            xlsx_num(s, row, 0, (double)(i + 1), XLSX_GENERAL);
            for (int u = 0; u < ne; u++)
                if (t.rows[i].values[u]) xlsx_num(s, row, 1 + u, t.rows[i].values[u], XLSX_GENERAL);
            for (int f = 0; f < NPROF; f++)
                if (*prof(&t.rows[i], f)) xlsx_text(s, row, 1 + ne + f, prof(&t.rows[i], f));
        }
        /* Excel rows of the data: 2 .. n+1; the totals start after one empty row */
        int last = (int)t.n + 1, r0 = (int)t.n + 2;
        const int R_SUM = r0, R_CNT = r0 + 1, R_NRR = r0 + 2, R_W = r0 + 3, R_WN = r0 + 4,
                  R_IKM = r0 + 6;
        const char *lab[] = {http_t(rq, "Sum of the answers"), http_t(rq, "Answered"),
                             http_t(rq, "NRR"), http_t(rq, "Weight"), http_t(rq, "Weighted NRR")};
        for (int k = 0; k < 5; k++)
            xlsx_text(s, r0 + k, 0, lab[k]);
        double ikm = 0; /* the cached value of the index cell, as a spreadsheet computes it */
        for (int u = 0; u < ne && t.n > 0; u++) {
            const char *cl = colname(rq->a, 1 + u);
            const skm_element *e = &res->ins.el[u];
            double w = (double)e->weight_num / (double)e->weight_den;
            xlsx_formula(s, R_SUM, 1 + u, arena_printf(rq->a, "=SUM(%s2:%s%d)", cl, cl, last),
                         (double)res->sums[u], XLSX_GENERAL);
            xlsx_formula(s, R_CNT, 1 + u, arena_printf(rq->a, "=COUNT(%s2:%s%d)", cl, cl, last),
                         (double)res->counts[u], XLSX_GENERAL);
            double nrr = res->counts[u] ? (double)res->sums[u] / (double)res->counts[u] : 0;
            xlsx_formula(s, R_NRR, 1 + u,
                         arena_printf(rq->a, "=IF(%s%d=0,0,%s%d/%s%d)", cl, R_CNT + 1, cl,
                                      R_SUM + 1, cl, R_CNT + 1),
                         nrr, XLSX_DEC2);
            xlsx_formula(s, R_W, 1 + u,
                         arena_printf(rq->a, "=%lld/%lld", (long long)e->weight_num,
                                      (long long)e->weight_den),
                         w, XLSX_GENERAL);
            ikm += nrr * w;
            xlsx_formula(s, R_WN, 1 + u,
                         arena_printf(rq->a, "=%s%d*%s%d", cl, R_NRR + 1, cl, R_W + 1), nrr * w,
                         XLSX_GENERAL);
        }
        if (res->status == IKM_OK && t.n > 0) {
            const char *lc = colname(rq->a, ne);
            xlsx_text(s, R_IKM, 0, http_t(rq, "IKM (1 to 4)"));
            xlsx_formula(s, R_IKM, 1, arena_printf(rq->a, "=SUM(B%d:%s%d)", R_WN + 1, lc, R_WN + 1),
                         ikm, XLSX_GENERAL);
            xlsx_text(s, R_IKM + 1, 0, http_t(rq, "IKM x 25"));
            xlsx_formula(s, R_IKM + 1, 1, arena_printf(rq->a, "=B%d*25", R_IKM + 1), ikm * 25,
                         XLSX_GENERAL);
            xlsx_text(s, R_IKM + 2, 0, http_t(rq, "IKM x 25, rounded"));
            xlsx_formula(s, R_IKM + 2, 1, arena_printf(rq->a, "=ROUND(B%d,2)", R_IKM + 2),
                         res->r.ikm25_e2 / 100.0, XLSX_DEC2);
            char g[2] = {res->r.cls->grade, 0};
            xlsx_text(s, R_IKM + 3, 0, http_t(rq, "Quality (mutu)"));
            xlsx_text(s, R_IKM + 3, 1, g);
            xlsx_text(s, R_IKM + 4, 0, http_t(rq, "Performance (kinerja)"));
            xlsx_text(s, R_IKM + 4, 1, res->r.cls->label);
        }
    }
    summary(rq, b, res, &t);
    char *out = NULL;
    size_t len = 0;
    if (xlsx_end(b, 0, s ? &out : NULL, &len) != 0 || !out) return 500;
    st = http_text(rq, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   (str){out, len});
    free(out);
    if (st) return st;
    http_header(rq, "Content-Disposition",
                arena_printf(rq->a, "attachment; filename=\"tabulasi-skm-%s-%s.xlsx\"", t.pb.u.code,
                             t.pb.p.code));
    return 0;
}

int skm_report_csv(http_req *rq)
{
    tab t;
    int st = load(rq, &t);
    if (st) return st;
    const skm_instrument *ins = &t.pb.res.ins;
    static const char *const prof_cols[NPROF] = {"jenis_kelamin", "kelompok_umur", "pendidikan",
                                                 "pekerjaan", "layanan"};
    csvw w;
    csvw_init(&w, 0, true);
    csvw_text(&w, "no");
    for (size_t u = 0; u < ins->nel; u++)
        csvw_text(&w, ins->el[u].code);
    for (int f = 0; f < NPROF; f++)
        csvw_text(&w, prof_cols[f]);
    csvw_end_row(&w);
    for (size_t i = 0; i < t.n; i++) {
        csvw_int(&w, (long long)i + 1);
        for (size_t u = 0; u < ins->nel; u++) {
            if (t.rows[i].values[u]) csvw_int(&w, t.rows[i].values[u]);
            else csvw_text(&w, NULL);
        }
        for (int f = 0; f < NPROF; f++)
            csvw_text(&w, prof(&t.rows[i], f));
        csvw_end_row(&w);
    }
    size_t len;
    char *out = csvw_finish(&w, &len);
    csvw_free(&w);
    if (!out) return 500;
    st = http_text(rq, 200, "text/csv; charset=utf-8", (str){out, len});
    free(out);
    if (st) return st;
    http_header(
        rq, "Content-Disposition",
        arena_printf(rq->a, "attachment; filename=\"skm-%s-%s.csv\"", t.pb.u.code, t.pb.p.code));
    return 0;
}

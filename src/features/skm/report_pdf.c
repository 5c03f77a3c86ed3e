/* skm report (PDF): the A4 report of a published period, ready to print or attach to a
 * letter: title, unit, period, the index and its class, sample adequacy, the table per
 * element with NRR and weighted NRR, the bar chart, the method, and the follow-up plan. The
 * same figures as the page (one computation, skm_result_compute). */
#include <stdlib.h>
#include <string.h>

#include "features/app.h"
#include "features/skm/web.h"
#include "render/pdf.h"

/* NRR x weight x 10^4 rounded half up, from the exact fraction */
static int64_t weighted_e4(int64_t sum, int64_t count, int64_t wn, int64_t wd)
{
    __int128 num = (__int128)sum * wn * 10000 * 2 + (__int128)count * wd;
    __int128 den = (__int128)count * wd * 2;
    return den ? (int64_t)(num / den) : 0;
}

static void elements_table(http_req *rq, pdf_doc *d, const skm_result *res)
{
    size_t n = res->ins.nel;
    const char *hdr[5] = {http_t(rq, "Element"), http_t(rq, "Answered"), http_t(rq, "NRR"),
                          http_t(rq, "Weight"), http_t(rq, "Weighted NRR")};
    const char **cells = arena_alloc(rq->a, (n + 1) * 5 * sizeof *cells);
    const char **labels = arena_alloc(rq->a, (n + 1) * sizeof *labels);
    const char **texts = arena_alloc(rq->a, (n + 1) * sizeof *texts);
    double *vals = arena_alloc(rq->a, (n + 1) * sizeof *vals);
    for (size_t u = 0; u < n; u++) {
        const skm_element *e = &res->ins.el[u];
        int64_t nrr4 = res->r.nrr_e4[u];
        const char **row = cells + u * 5;
        row[0] = arena_printf(rq->a, "%s %s", e->code, e->label);
        row[1] = arena_printf(rq->a, "%lld", (long long)res->counts[u]);
        row[2] = skm_fmt_fixed(rq, nrr4, 4);
        row[3] =
            arena_printf(rq->a, "%lld/%lld", (long long)e->weight_num, (long long)e->weight_den);
        row[4] = skm_fmt_fixed(
            rq, weighted_e4(res->sums[u], res->counts[u], e->weight_num, e->weight_den), 4);
        int64_t nrr2 = ikm_round_ratio(res->sums[u], res->counts[u], 2);
        labels[u] = row[0];
        texts[u] = skm_fmt_fixed(rq, nrr2, 2);
        vals[u] = nrr2 / 100.0;
    }
    /* the index as the table's last row: the sum of the weighted NRR */
    const char **last = cells + n * 5;
    last[0] = http_t(rq, "IKM (sum of the weighted NRR)");
    last[1] = arena_printf(rq->a, "%lld", (long long)res->responses);
    last[2] = "";
    last[3] = "1";
    last[4] = skm_fmt_fixed(rq, res->r.ikm_e4, 4);
    const double w[5] = {0.46, 0.12, 0.13, 0.11, 0.18};
    pdf_table(d, 5, w, hdr, cells, (int)n + 1);
    pdf_para(d,
             http_t(rq, "NRR and weighted NRR are shown rounded to 4 decimals; the index is "
                        "computed from the exact values and rounded once."),
             PDF_SMALL | PDF_ITALIC);
    pdf_heading(d, 3, http_t(rq, "Service value (NRR) per element"));
    pdf_bars(d, labels, vals, texts, (int)n, 1, 4);
}

static void followup_table(http_req *rq, db_conn *c, pdf_doc *d, const skm_pub *pb)
{
    pdf_heading(d, 2, http_t(rq, "Follow-up plan"));
    skm_followup *f;
    size_t n;
    if (skm_followups_list(c, rq->a, pb->p.id, &f, &n) != DB_OK || n == 0) {
        pdf_para(d, http_t(rq, "The unit has not published a follow-up plan for this period yet."),
                 0);
        return;
    }
    const char *hdr[5] = {http_t(rq, "Problem"), http_t(rq, "Action"), http_t(rq, "Responsible"),
                          http_t(rq, "Target"), http_t(rq, "Status")};
    const char **cells = arena_alloc(rq->a, n * 5 * sizeof *cells);
    for (size_t i = 0; i < n; i++) {
        const char **row = cells + i * 5;
        row[0] = f[i].element_code ? arena_printf(rq->a, "%s (%s)", f[i].item, f[i].element_code)
                                   : f[i].item;
        row[1] = f[i].action && *f[i].action ? f[i].action : "-";
        row[2] = f[i].owner;
        row[3] = f[i].due_date ? app_fmt_date(rq, f[i].due_date) : "-";
        row[4] = skm_followup_status_label(rq, f[i].status);
    }
    const double w[5] = {0.26, 0.28, 0.18, 0.16, 0.12};
    pdf_table(d, 5, w, hdr, cells, (int)n);
    skm_followup_summary sum;
    skm_followup_summarize(f, n, &sum);
    if (sum.pct_done >= 0)
        pdf_para(d,
                 arena_printf(rq->a, http_t(rq, "%d of %d actions done (%d%%)."), (int)sum.done,
                              (int)(sum.total - sum.dropped), (int)sum.pct_done),
                 0);
}

static void build(http_req *rq, db_conn *c, pdf_doc *d, const skm_pub *pb)
{
    const skm_result *res = &pb->res;
    pdf_footer(d, arena_printf(rq->a, "%s · %s · %s", pb->u.name, skm_period_label(rq, &pb->p),
                               http_t(rq, "Page {page} of {pages}")));
    pdf_para(d, pb->u.name, PDF_BOLD);
    pdf_heading(d, 1, http_t(rq, "Community satisfaction survey report"));
    pdf_para(d,
             arena_printf(rq->a, "%s (%s). %s", skm_period_label(rq, &pb->p), pb->p.code,
                          arena_printf(rq->a, http_t(rq, "Questionnaires from %s to %s."),
                                       app_fmt_date(rq, pb->p.starts_on),
                                       app_fmt_date(rq, pb->p.ends_on))),
             0);
    if (res->status == IKM_OK) {
        pdf_box(d,
                arena_printf(rq->a, "%s: %s    %s: %c (%s)", http_t(rq, "IKM x 25"),
                             skm_fmt_fixed(rq, res->r.ikm25_e2, 2), http_t(rq, "Quality (mutu)"),
                             res->r.cls->grade, res->r.cls->label),
                PDF_BOLD | PDF_LARGE | PDF_CENTER);
    }
    pdf_heading(d, 2, http_t(rq, "Sample"));
    const char *cells[8];
    int rows = 0;
    if (res->has_population) {
        cells[rows * 2] = http_t(rq, "Service users in the period (N)");
        cells[rows++ * 2 + 1] = arena_printf(rq->a, "%lld", (long long)res->population);
        cells[rows * 2] = http_t(rq, "Minimum sample (Krejcie and Morgan)");
        cells[rows++ * 2 + 1] = arena_printf(rq->a, "%lld", (long long)res->sample_required);
    }
    cells[rows * 2] = http_t(rq, "Questionnaires received");
    cells[rows++ * 2 + 1] = arena_printf(rq->a, "%lld", (long long)res->responses);
    const double w[2] = {0.6, 0.4};
    pdf_table(d, 2, w, NULL, cells, rows);
    if (!res->has_population)
        pdf_para(d,
                 http_t(rq, "The number of service users in this period was not entered, so "
                            "the minimum sample cannot be checked."),
                 0);
    else if (res->responses < res->sample_required)
        pdf_box(d,
                http_t(rq, "Fewer questionnaires than the minimum sample: this result may not "
                           "represent all service users."),
                0);
    else pdf_para(d, http_t(rq, "The sample is large enough."), 0);

    pdf_heading(d, 2, http_t(rq, "Result per element"));
    if (res->status == IKM_OK) {
        elements_table(rq, d, res);
        pdf_para(d,
                 arena_printf(rq->a, "%s = %s × 25 = %s. %s: %c. %s: %s.", http_t(rq, "IKM x 25"),
                              skm_fmt_fixed(rq, res->r.ikm_e4, 4),
                              skm_fmt_fixed(rq, res->r.ikm25_e2, 2), http_t(rq, "Quality (mutu)"),
                              res->r.cls->grade, http_t(rq, "Performance (kinerja)"),
                              res->r.cls->label),
                 PDF_BOLD);
    } else {
        pdf_para(d, http_t(rq, "The index could not be computed for this period."), 0);
    }

    pdf_heading(d, 2, http_t(rq, "How the index is computed"));
    bool std = skm_standard_weights(&res->ins);
    pdf_para(d,
             std ? http_t(rq, "The survey follows PermenPANRB 14/2017. Each respondent rates nine "
                              "elements of the service from 1 (worst) to 4 (best).")
                 : http_t(rq, "The survey follows PermenPANRB 14/2017. Each respondent rates "
                              "each element of the service from 1 (worst) to 4 (best)."),
             0);
    pdf_para(d,
             http_t(rq, "For each element, the service value (NRR) is the sum of the ratings "
                        "divided by the number of people who rated it. A question left blank "
                        "is not counted as zero."),
             0);
    pdf_para(d,
             std ? http_t(rq, "The index (IKM) is the weighted sum of the nine NRR values; each "
                              "weight is exactly one ninth. IKM x 25 turns it into a score from "
                              "25 to 100, rounded once, at the end, to two decimals.")
                 : http_t(rq, "The index (IKM) is the weighted sum of the NRR values with the "
                              "weights of this unit's questionnaire, which add up to exactly 1. "
                              "IKM x 25 turns it into a score from 25 to 100, rounded once, at "
                              "the end, to two decimals."),
             0);
    pdf_para(d,
             http_t(rq, "Classes: A (Very good) from 88.31, B (Good) from 76.61, C (Poor) from "
                        "65.00, D (Very poor) below that."),
             0);
    pdf_para(d,
             arena_printf(rq->a, http_t(rq, "Questionnaire: %s, version %d."), res->ins.name,
                          res->ins.version),
             PDF_SMALL);
    followup_table(rq, c, d, pb);
}

int skm_report_pdf(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    skm_pub pb;
    int st = skm_pub_load(rq, c, false, &pb);
    if (st) {
        db_release(c);
        return st;
    }
    pdf_doc *d = pdf_begin(
        rq->a, PDF_A4,
        arena_printf(rq->a, "%s – %s %s", http_t(rq, "Survey results"), pb.u.name, pb.p.code));
    if (d) build(rq, c, d, &pb);
    db_release(c);
    if (!d) return 500;
    char *out = NULL;
    size_t n = 0;
    if (pdf_end(d, &out, &n) != 0) return 500;
    st = http_text(rq, 200, "application/pdf", (str){out, n});
    free(out);
    if (st) return st;
    http_header(rq, "Content-Disposition",
                arena_printf(rq->a, "inline; filename=\"skm-%s-%s.pdf\"", pb.u.code, pb.p.code));
    return 0;
}

/* services poster: the A4 wall poster of a service standard (PDF), as offices hang it at the
 * counter: the 6 service-delivery components, "free" in a box, the maklumat, and a QR code to
 * the live page so a citizen can check the poster is current. */
#include <stdlib.h>
#include <string.h>

#include "features/app.h"
#include "features/services/view.h"
#include "features/services/web.h"
#include "render/pdf.h"

static const char *public_url(http_req *rq, const char *path)
{
    const char *b = app_of(rq)->cfg->base_url;
    size_t n = strlen(b);
    while (n && b[n - 1] == '/')
        n--;
    if (n == 0) b = "http://127.0.0.1:8080", n = strlen(b);
    return arena_printf(rq->a, "%.*s%s", (int)n, b, path);
}

static const char *time_text(http_req *rq, const svc_standard *st)
{
    bool hours = strcmp(st->time_limit_unit, "hours") == 0;
    /* the same msgids as the page's {{_n}}; Indonesian has one form, English picks by count */
    unsigned long n = (unsigned long)st->time_limit_value;
    return hours ? arena_printf(rq->a, http_tn(rq, "%d working hour", "%d working hours", n),
                                st->time_limit_value)
                 : arena_printf(rq->a, http_tn(rq, "%d working day", "%d working days", n),
                                st->time_limit_value);
}

static void build(http_req *rq, pdf_doc *d, const service *s, const svc_standard *st,
                  const svc_maklumat *mk, const char *url)
{
    app *a = app_of(rq);
    pdf_footer(d, arena_printf(rq->a, "%s · %s · %s", a->region_name,
                               arena_printf(rq->a, http_t(rq, "Version %d"), st->version),
                               http_t(rq, "Page {page} of {pages}")));
    pdf_para(d, arena_printf(rq->a, "%s · %s", http_t(rq, "SERVICE STANDARD"), a->region_name),
             PDF_BOLD | PDF_SMALL);
    pdf_heading(d, 1, s->name);
    pdf_para(d, s->summary, 0);
    pdf_spacer(d, 2);
    if (st->cost_amount == 0)
        pdf_box(d, http_t(rq, "FREE: no fee is charged"), PDF_BOLD | PDF_LARGE | PDF_CENTER);
    pdf_spacer(d, 2);

    pdf_heading(d, 2,
                arena_printf(rq->a, "1. %s", http_t(rq, svc_component_name(SVC_C_PERSYARATAN))));
    const char **items = arena_alloc(rq->a, (st->nreqs + 1) * sizeof *items);
    for (size_t i = 0; i < st->nreqs; i++) {
        const svc_requirement *q = &st->reqs[i];
        const char *t = q->label;
        if (q->cond_label) t = arena_printf(rq->a, "%s (%s)", t, q->cond_label);
        else if (!q->required) t = arena_printf(rq->a, "%s (%s)", t, http_t(rq, "if any"));
        if (q->original_shown)
            t = arena_printf(rq->a, "%s – %s", t, http_t(rq, "bring the original"));
        items[i] = t;
    }
    pdf_list(d, items, (int)st->nreqs, false);

    pdf_heading(d, 2, arena_printf(rq->a, "2. %s", http_t(rq, svc_component_name(SVC_C_PROSEDUR))));
    const char **steps = arena_alloc(rq->a, (st->nsteps + 1) * sizeof *steps);
    for (size_t i = 0; i < st->nsteps; i++)
        steps[i] = arena_printf(rq->a, "%s: %s", svc_actor_label(rq, st->steps[i].actor),
                                st->steps[i].text);
    pdf_list(d, steps, (int)st->nsteps, true);

    /* time, cost and product side by side as a table: compact on one page */
    const char *hdr[3] = {http_t(rq, svc_component_name(SVC_C_WAKTU)),
                          http_t(rq, svc_component_name(SVC_C_BIAYA)),
                          http_t(rq, svc_component_name(SVC_C_PRODUK))};
    const char *cost =
        st->cost_amount == 0
            ? arena_printf(rq->a, "%s%s%s", http_t(rq, "Free"), st->cost_note ? "\n" : "",
                           st->cost_note ? st->cost_note : "")
            : arena_printf(rq->a, "%s%s%s", svc_rupiah(rq->a, st->cost_amount),
                           st->cost_note ? "\n" : "", st->cost_note ? st->cost_note : "");
    const char *cells[3] = {time_text(rq, st), cost,
                            st->text[SVC_C_PRODUK] ? st->text[SVC_C_PRODUK] : "-"};
    const double w[3] = {0.3, 0.35, 0.35};
    pdf_spacer(d, 2);
    pdf_table(d, 3, w, hdr, cells, 1);

    pdf_heading(d, 2,
                arena_printf(rq->a, "6. %s", http_t(rq, svc_component_name(SVC_C_PENGADUAN))));
    pdf_para(d, st->text[SVC_C_PENGADUAN] ? st->text[SVC_C_PENGADUAN] : "-", 0);

    if (mk) {
        pdf_spacer(d, 2);
        pdf_rule(d);
        pdf_heading(d, 3, http_t(rq, "Service pledge (maklumat pelayanan)"));
        pdf_para(d, mk->body, PDF_ITALIC);
        pdf_para(d, arena_printf(rq->a, "%s, %s", mk->signatory_name, mk->signatory_title),
                 PDF_SMALL | PDF_RIGHT);
    }
    pdf_spacer(d, 3);
    const char *stip = st->decree_number && st->decree_date
                           ? arena_printf(rq->a, http_t(rq, "Decree no. %s of %s"),
                                          st->decree_number, app_fmt_date(rq, st->decree_date))
                           : http_t(rq, "Not yet stipulated by the head of the unit");
    pdf_para(d,
             arena_printf(rq->a, "%s: %s · %s: %s", http_t(rq, "Stipulated"), stip,
                          http_t(rq, "In force from"), app_fmt_date(rq, st->effective_from)),
             PDF_SMALL);
    pdf_qr(d, url, 30,
           arena_printf(rq->a, "%s\n%s", http_t(rq, "Check that this poster is current:"), url));
}

int svc_page_poster(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service s;
    svc_standard st;
    svc_maklumat mk;
    bool has_mk = false;
    char td[16];
    app_today(rq, td, sizeof td);
    int r = svc_get(c, rq->a, http_param(rq, "code"), &s);
    if (r == DB_OK && !s.active) r = DB_DONE;
    if (r == DB_OK) r = svc_standard_at(c, rq->a, s.id, td, &st);
    if (r == DB_OK) has_mk = svc_maklumat_current(c, rq->a, s.owner_code, &mk) == DB_OK;
    db_release(c);
    if (r != DB_OK) return r == DB_DONE ? 404 : 503;
    const char *url = public_url(rq, arena_printf(rq->a, "/layanan/%s", s.code));
    pdf_doc *d = pdf_begin(rq->a, PDF_A4,
                           arena_printf(rq->a, "%s – %s", s.name, http_t(rq, "Service standard")));
    if (!d) return 500;
    build(rq, d, &s, &st, has_mk ? &mk : NULL, url);
    char *out = NULL;
    size_t n = 0;
    if (pdf_end(d, &out, &n) != 0) return 500;
    int st_code = http_text(rq, 200, "application/pdf", (str){out, n});
    free(out);
    if (st_code) return st_code;
    http_header(rq, "Content-Disposition",
                arena_printf(rq->a, "inline; filename=\"standar-%s.pdf\"", s.code));
    return 0;
}

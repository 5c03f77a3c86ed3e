/* receipt: the applicant's proof of filing (tanda terima) as a page, an A4 PDF and a 58 mm
 * thermal-roll PDF. Each carries a QR code of the signed payload (req_qr_sign) pointing at
 * /verifikasi/{payload}, so anyone can check a printed receipt. Only the applicant or staff of the
 * request's unit (and above) may see it: anyone else gets 404, the same as an unknown code.
 * The applicant also sees a summary of the answers and files; staff see the masked view only
 * (opening personal data is the officer pages' job, with acct_record_access).
 * Kiosk delivery: the first time the applicant opens the receipt a one-time PIN is issued and
 * shown, once; only its hash is stored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/requests/requests.h"
#include "features/requests/view.h"
#include "features/requests/web_apply.h"
#include "features/services/services.h"
#include "features/units/units.h"
#include "render/pdf.h"
#include "render/qr.h"
#include "render/tpl.h"

const http_param_spec reqweb_receipt_params[] = {{"code", HP_CODE, 1, 20, true}, {0}};

typedef struct {
    req_view v;
    char shown[TRK_SHOWN + 1];
    char payload[REQ_QR_CHARS + 1];
    const char *verify_url;
    bool mine;
    svc_standard st;
    bool has_st;
    svc_field *fields;
    size_t nfields;
    req_private_data p;
    bool has_p;
    req_document *docs;
    size_t ndocs;
    char pin[REQ_PIN_DIGITS + 1];
} receipt;

const char *reqweb_public_url(http_req *rq, const char *path)
{
    const char *b = app_of(rq)->cfg->base_url;
    size_t n = strlen(b);
    while (n && b[n - 1] == '/')
        n--;
    if (n == 0) b = "http://127.0.0.1:8080", n = strlen(b);
    return arena_printf(rq->a, "%.*s%s", (int)n, b, path);
}

static int64_t iso(const char *s)
{
    return s ? app_parse_iso(str_c(s)) : -1;
}

/* loads the request, checks who may see it, signs the QR payload; 0 or an HTTP status */
static int load(http_req *rq, receipt *x, bool page)
{
    app *a = app_of(rq);
    memset(x, 0, sizeof *x);
    const char *code = http_param_c(rq, "code");
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    req_view pub;
    int r = req_by_code(c, rq->a, code, &pub);
    if (r == DB_OK) r = req_get(c, rq->a, pub.id, &x->v);
    int st = 0;
    if (r != DB_OK) st = r == DB_DONE ? 404 : 503;
    if (!st) {
        x->mine = x->v.applicant_id && x->v.applicant_id == rq->who.user_id;
        if (!x->mine &&
            !(rq->who.staff &&
              acct_can_unit(c, rq->who.user_id, ROLE_PETUGAS | ROLE_KEPALA_UNIT | ROLE_ADMIN,
                            units_id(c, x->v.unit_code))))
            st = 404;
    }
    service s;
    if (!st && svc_get(c, rq->a, str_c(x->v.service_code), &s) == DB_OK) {
        x->has_st = svc_standard_version(c, rq->a, s.id, x->v.standard_version, &x->st) == DB_OK;
        if (svc_fields(c, rq->a, s.id, &x->fields, &x->nfields) != DB_OK) x->nfields = 0;
    }
    if (!st && page && x->mine) {
        x->has_p = req_private(c, &a->keys, rq->a, x->v.id, &x->p) == DB_OK;
        if (req_docs(c, rq->a, x->v.id, true, &x->docs, &x->ndocs) != DB_OK) x->ndocs = 0;
        bool issued = true;
        if (strcmp(x->v.delivery, "kiosk") == 0 && !x->v.finished &&
            apply_pin_issued(c, x->v.id, &issued) == DB_OK && !issued &&
            req_kiosk_pin_issue(c, &a->keys, x->v.id, x->pin) != DB_OK)
            x->pin[0] = 0;
    }
    db_release(c);
    if (st) return st;
    trk_format(x->v.code, x->shown);
    int64_t t = iso(x->v.submitted_at);
    cal_date day = cal_civil_from_days((t + (int64_t)a->tz_offset_min * 60) / 86400);
    if (t < 0 || req_qr_sign(&a->keys, x->v.code, REQ_DOC_RECEIPT, day, x->payload) != 0)
        return 500;
    x->verify_url = reqweb_public_url(rq, arena_printf(rq->a, "/verifikasi/%s", x->payload));
    return 0;
}

static const char *limit_text(http_req *rq, const receipt *x)
{
    unsigned long n = (unsigned long)x->v.time_limit_value;
    if (!n) return NULL;
    bool hours = x->v.time_limit_unit && strcmp(x->v.time_limit_unit, "hours") == 0;
    return hours ? arena_printf(rq->a, http_tn(rq, "%d working hour", "%d working hours", n),
                                x->v.time_limit_value)
                 : arena_printf(rq->a, http_tn(rq, "%d working day", "%d working days", n),
                                x->v.time_limit_value);
}

static const char *due_text(http_req *rq, const receipt *x)
{
    int64_t d = iso(x->v.due_at);
    return d < 0 ? http_t(rq, "To be set by the service point") : app_fmt_time(rq, d);
}

/* the originals the applicant shows at verification (the standard's "asli" requirements) */
static json_t *bring_json(const receipt *x)
{
    json_t *arr = json_array();
    for (size_t i = 0; x->has_st && i < x->st.nreqs; i++)
        if (x->st.reqs[i].original_shown)
            json_array_append_new(arr, json_pack("{s:s,s:s*}", "label", x->st.reqs[i].label, "cond",
                                                 x->st.reqs[i].cond_label));
    return arr;
}

static const char *kia_label(http_req *rq, const char *kind)
{
    if (strcmp(kind, "0-5") == 0) return http_t(rq, "KIA for a child aged 0 to 5");
    if (strcmp(kind, "5-17") == 0) return http_t(rq, "KIA for a child aged 5 to 17");
    return kind;
}

/* the applicant's answers: the service's fields with their labels, in form order */
static json_t *answers_json(http_req *rq, const receipt *x)
{
    json_t *arr = json_array();
    if (!x->has_p || !x->p.form_json) return arr;
    json_t *form = json_loads(x->p.form_json, 0, NULL);
    if (!form) return arr;
    for (size_t i = 0; i < x->nfields; i++) {
        const char *v = json_string_value(json_object_get(form, x->fields[i].code));
        if (!v) continue;
        if (strcmp(x->fields[i].datatype, "datetime") == 0) v = app_fmt_date(rq, v);
        json_array_append_new(arr, json_pack("{s:s,s:s}", "label", x->fields[i].label, "value", v));
    }
    const char *k = json_string_value(json_object_get(form, "jenis_kia"));
    if (k)
        json_array_append_new(arr, json_pack("{s:s,s:s}", "label", http_t(rq, "KIA kind"), "value",
                                             kia_label(rq, k)));
    json_decref(form);
    return arr;
}

static const char *doc_label(const receipt *x, const char *doc_type)
{
    for (size_t i = 0; x->has_st && i < x->st.nreqs; i++)
        if (strcmp(x->st.reqs[i].doc_type, doc_type) == 0) return x->st.reqs[i].label;
    return doc_type;
}

int reqweb_page_receipt(http_req *rq)
{
    receipt x;
    int st = load(rq, &x, true);
    if (st) return st;
    json_t *docs = json_array();
    for (size_t i = 0; i < x.ndocs; i++) {
        const char *ct = x.docs[i].content_type;
        json_array_append_new(
            docs, json_pack("{s:s,s:s,s:I}", "label", doc_label(&x, x.docs[i].doc_type), "kind",
                            strcmp(ct, "application/pdf") == 0 ? "PDF"
                            : strcmp(ct, "image/png") == 0     ? "PNG"
                                                               : "JPG",
                            "size", (json_int_t)((x.docs[i].size + 1023) / 1024)));
    }
    char *svg =
        qr_svg(rq->a, x.verify_url, http_t(rq, "QR code to check that this receipt is genuine"));
    json_t *ctx = json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:s,s:s*,s:s,s:s,s:o,s:b,s:s,s:o,s:o,s:s*,s:s*,s:b,s:s*}", "code",
        x.v.code, "shown", x.shown, "service", x.v.service_name, "service_code", x.v.service_code,
        "unit", x.v.unit_name, "unit_code", x.v.unit_code, "limit", limit_text(rq, &x), "due",
        due_text(rq, &x), "submitted", app_fmt_time(rq, iso(x.v.submitted_at)), "bring",
        bring_json(&x), "mine", x.mine, "delivery", req_delivery_label(rq, x.v.delivery), "answers",
        answers_json(rq, &x), "docs", docs, "nik", x.v.nik_masked, "address",
        x.mine && x.has_p ? x.p.address : NULL, "kiosk", strcmp(x.v.delivery, "kiosk") == 0, "pin",
        x.pin[0] ? x.pin : NULL);
    json_object_set_new(ctx, "status", json_string(req_status_label(rq, x.v.status)));
    json_object_set_new(ctx, "verify_path",
                        json_string(arena_printf(rq->a, "/verifikasi/%s", x.payload)));
    if (svg) json_object_set_new(ctx, "qr", tpl_safe_html(svg));
    int r = http_page(rq, 200, "requests/receipt", ctx);
    if (!r) http_header(rq, "Cache-Control", "no-store");
    return r;
}

static void pdf_pair(pdf_doc *d, const char *label, const char *value)
{
    pdf_para(d, label, PDF_SMALL);
    pdf_para(d, value ? value : "-", PDF_BOLD);
    pdf_spacer(d, 1);
}

static int receipt_pdf(http_req *rq, pdf_page_kind kind, const char *suffix)
{
    receipt x;
    int st = load(rq, &x, false);
    if (st) return st;
    app *a = app_of(rq);
    bool roll = kind == PDF_ROLL58;
    pdf_doc *d =
        pdf_begin(rq->a, kind, arena_printf(rq->a, "%s %s", http_t(rq, "Receipt"), x.shown));
    if (!d) return 500;
    if (!roll) pdf_footer(d, arena_printf(rq->a, "%s · %s", a->region_name, x.shown));
    pdf_para(d, a->region_name, PDF_SMALL | (roll ? PDF_CENTER : 0));
    pdf_heading(d, 1, http_t(rq, "Application receipt"));
    pdf_para(d, http_t(rq, "Tracking code"), PDF_SMALL);
    pdf_para(d, x.shown, PDF_BOLD | PDF_LARGE);
    pdf_spacer(d, 2);
    pdf_pair(d, http_t(rq, "Service"), x.v.service_name);
    pdf_pair(d, http_t(rq, "Service point"), x.v.unit_name);
    pdf_pair(d, http_t(rq, "Submitted"), app_fmt_time(rq, iso(x.v.submitted_at)));
    pdf_pair(d, http_t(rq, "Expected to be finished by"), due_text(rq, &x));
    pdf_pair(d, http_t(rq, "How you receive the result"), req_delivery_label(rq, x.v.delivery));
    pdf_pair(d, http_t(rq, "NIK"), x.v.nik_masked);
    const char *items[16];
    int n = 0;
    for (size_t i = 0; x.has_st && i < x.st.nreqs && n < 16; i++)
        if (x.st.reqs[i].original_shown)
            items[n++] =
                x.st.reqs[i].cond_label
                    ? arena_printf(rq->a, "%s (%s)", x.st.reqs[i].label, x.st.reqs[i].cond_label)
                    : x.st.reqs[i].label;
    if (n) {
        pdf_heading(d, 3, http_t(rq, "Bring the originals of these documents"));
        pdf_list(d, items, n, false);
    }
    pdf_spacer(d, 2);
    pdf_qr(d, x.verify_url, roll ? 40 : 35,
           http_t(rq, "Scan to check that this receipt is genuine."));
    pdf_para(d,
             arena_printf(rq->a, http_t(rq, "Follow your request at %s with the tracking code."),
                          reqweb_public_url(rq, "/lacak")),
             PDF_SMALL | (roll ? PDF_CENTER : 0));
    char *out = NULL;
    size_t len = 0;
    if (pdf_end(d, &out, &len) != 0) return 500;
    int r = http_text(rq, 200, "application/pdf", (str){out, len});
    free(out);
    if (r) return r;
    http_header(
        rq, "Content-Disposition",
        arena_printf(rq->a, "inline; filename=\"tanda-terima-%s%s.pdf\"", x.v.code, suffix));
    http_header(rq, "Cache-Control", "no-store");
    return 0;
}

int reqweb_receipt_pdf(http_req *rq)
{
    return receipt_pdf(rq, PDF_A4, "");
}

int reqweb_receipt_pdf58(http_req *rq)
{
    return receipt_pdf(rq, PDF_ROLL58, "-58");
}

/* verify: GET /verifikasi/{payload}, public. The QR code on a receipt, kiosk slip or result
 * document carries a signed payload (req_qr_sign); this page says "Asli" (genuine) with the
 * tracking code, the kind of document, its issue date and the service, and nothing personal,
 * or "Tidak dapat diverifikasi" for a payload that is garbled, forged or signed by another
 * installation. The payload is printed on paper, so it is not a secret. */
#include <string.h>

#include "features/app.h"
#include "features/requests/requests.h"
#include "features/requests/web_apply.h"

const http_param_spec reqweb_verify_params[] = {{"payload", HP_STR, 1, 400, true}, {0}};

static const char *kind_label(http_req *rq, enum req_doc_kind k)
{
    switch (k) {
    case REQ_DOC_RECEIPT: return http_t(rq, "Application receipt");
    case REQ_DOC_RESULT: return http_t(rq, "Service result document");
    case REQ_DOC_KIOSK: return http_t(rq, "Kiosk print slip");
    }
    return "";
}

int reqweb_page_verify(http_req *rq)
{
    app *a = app_of(rq);
    str p = http_param(rq, "payload");
    req_qr q;
    json_t *ctx = json_object();
    if (req_qr_verify(&a->keys, p.p, p.n, &q) == 0) {
        char shown[TRK_SHOWN + 1], ymd[16];
        trk_format(q.code, shown);
        cal_date_format(q.issued, ymd, sizeof ymd);
        const char *svc_name = NULL;
        db_conn *c = db_acquire(a->db);
        if (c) {
            req_view v;
            if (req_by_code(c, rq->a, q.code, &v) == DB_OK) svc_name = v.service_name;
            db_release(c);
        }
        json_object_set_new(ctx, "genuine", json_true());
        json_object_set_new(ctx, "shown", json_string(shown));
        json_object_set_new(ctx, "code", json_string(q.code));
        json_object_set_new(ctx, "kind", json_string(kind_label(rq, q.kind)));
        json_object_set_new(ctx, "issued", json_string(app_fmt_date(rq, ymd)));
        if (svc_name) json_object_set_new(ctx, "service", json_string(svc_name));
    }
    int r = http_page(rq, 200, "requests/verify", ctx);
    if (!r) http_header(rq, "X-Robots-Tag", "noindex");
    return r;
}

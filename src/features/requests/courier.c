/* courier: a courier's deliveries (/kurir) with the delivery address (a read of personal data,
 * recorded before the list is shown), marking one delivered (recipient, relation, time, an
 * optional photo checked by content: JPEG or PNG) or a failed attempt with its reason; after
 * REQ_DELIVERY_ATTEMPTS failures the store sends the document back to the service point. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/workflow.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/form.h"
#include "features/requests/requests.h"
#include "features/requests/web_apply.h"
#include "features/requests/web_work.h"

const http_param_spec courier_params[] = {{"berhasil", HP_CODE, 0, 24, false}, {0}};
const http_param_spec courier_one_params[] = {{"code", HP_CODE, 1, 16, true},
                                              {"aksi", HP_CODE, 0, 16, false},
                                              {"penerima", HP_STR, 0, 200, false},
                                              {"hubungan", HP_STR, 0, 100, false},
                                              {"jam", HP_STR, 0, 5, false},
                                              {"alasan", HP_STR, 0, 600, false},
                                              {0}};

typedef struct {
    const char *code; /* the delivery the errors belong to */
    const char *field, *text;
} courier_err;

int courier_record_reads(http_req *rq, db_conn *c, const req_delivery *d, size_t n)
{
    int r = db_begin(c);
    for (size_t i = 0; r == DB_OK && i < n; i++) {
        work_ref ref;
        if (work_ref_get(c, rq->a, d[i].code, &ref) != DB_OK || ref.applicant_id <= 0) continue;
        r = acct_record_access(c, app_now(), ref.applicant_id, rq->who.user_id, ref.unit_id,
                               "mengantar dokumen", "alamat pengiriman");
    }
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    return r;
}

static int render(http_req *rq, db_conn *c, const courier_err *e, form_state *f, int status)
{
    app *ap = app_of(rq);
    int64_t me = rq->who.user_id;
    req_delivery *d;
    size_t n;
    if (req_deliveries_for(c, &ap->keys, rq->a, me, &d, &n) != DB_OK) return 503;
    /* the addresses are personal data: the reads are on record before the page shows them */
    if (courier_record_reads(rq, c, d, n) != DB_OK) return 503;
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        char shown[TRK_SHOWN + 1];
        trk_format(d[i].code, shown);
        json_t *row = json_pack("{s:s,s:s,s:s,s:s,s:i,s:s,s:s}", "code", shown, "raw", d[i].code,
                                "address", d[i].address ? d[i].address : "-", "assigned",
                                work_time(rq, d[i].assigned_at), "attempts", d[i].attempts,
                                "action", arena_printf(rq->a, "/kurir/%s", d[i].code), "failure",
                                d[i].failure_reason ? d[i].failure_reason : "");
        if (e && e->code && strcmp(e->code, d[i].code) == 0)
            json_object_set_new(row, e->field, json_string(e->text));
        json_array_append_new(rows, row);
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "rows", rows);
    json_object_set_new(ctx, "max_attempts", json_integer(REQ_DELIVERY_ATTEMPTS));
    str done = http_param(rq, "berhasil");
    if (str_eq_c(done, "terkirim"))
        json_object_set_new(ctx, "done", json_string(http_t(rq, "Recorded as delivered.")));
    else if (str_eq_c(done, "gagal"))
        json_object_set_new(ctx, "done",
                            json_string(http_t(rq, "The failed attempt is recorded.")));
    else if (str_eq_c(done, "kembali"))
        json_object_set_new(
            ctx, "done",
            json_string(http_t(rq, "The document goes back to the service point after the last "
                                   "failed attempt.")));
    form_into(f, ctx);
    return http_page(rq, status, "requests/courier", ctx);
}

int courier_page_list(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    form_state f;
    form_init(&f);
    int st = render(rq, c, NULL, &f, 200);
    form_free(&f);
    db_release(c);
    return st;
}

int courier_store_photo(http_req *rq, const char *tmp_path, size_t size, const char **ref)
{
    *ref = NULL;
    const char *t = apply_sniff(tmp_path);
    if (!t || strcmp(t, "application/pdf") == 0 || size > WORK_PHOTO_MAX) return -1;
    const char *sha;
    return apply_store_file(rq, tmp_path, ref, &sha) != 0 ? -2 : 0;
}

/* the optional photo: JPEG or PNG by its content; *ref NULL when none. -1: refused */
static int photo(http_req *rq, const char **ref)
{
    *ref = NULL;
    for (size_t i = 0; i < rq->nfiles; i++) {
        http_upload *u = &rq->files[i];
        if (!str_eq_c(u->field, "foto") || u->size == 0) continue;
        return courier_store_photo(rq, u->tmp_path, u->size, ref);
    }
    return 0;
}

/* the delivery's outcome and the applicant's message, in one transaction */
struct outcome {
    http_req *rq;
    int64_t request_id, courier_id, now;
    bool delivered, returned;
    const char *name, *relation, *photo, *reason;
    enum wf_err why;
};

static int outcome_fn(db_conn *c, void *ud)
{
    struct outcome *x = ud;
    int r;
    if (x->delivered) {
        r = req_delivery_done(c, &app_of(x->rq)->keys, x->now, x->request_id, x->courier_id,
                              x->name, x->relation, x->photo, &x->why);
        if (r == DB_OK) r = work_notify(x->rq, c, x->now, x->request_id, "diterima", NULL);
    } else {
        r = req_delivery_failed(c, x->now, x->request_id, x->courier_id, x->reason, &x->returned,
                                &x->why);
        if (r == DB_OK)
            r = work_notify(x->rq, c, x->now, x->request_id, x->returned ? "selesai" : "dikirim",
                            x->reason);
    }
    return r;
}

int courier_outcome(http_req *rq, db_conn *c, int64_t request_id, bool delivered, const char *name,
                    const char *relation, const char *photo, const char *reason, bool *returned,
                    enum wf_err *why)
{
    struct outcome x = {.rq = rq,
                        .request_id = request_id,
                        .courier_id = rq->who.user_id,
                        .now = app_now(),
                        .delivered = delivered,
                        .name = name,
                        .relation = relation,
                        .photo = photo,
                        .reason = reason};
    int r = db_retry_tx(c, outcome_fn, &x, 6);
    *why = x.why;
    if (returned) *returned = x.returned;
    return r;
}

int courier_page_one(http_req *rq)
{
    app *ap = app_of(rq);
    db_conn *c = db_acquire(ap->db);
    if (!c) return 503;
    form_state f;
    form_init(&f);
    courier_err e = {0};
    int st = 0, r;
    work_ref ref;
    str aksi = http_param(rq, "aksi");
    if (work_ref_get(c, rq->a, http_param_c(rq, "code"), &ref) != DB_OK) {
        st = 404;
        goto out;
    }
    e.code = ref.code;
    enum wf_err why = WF_OK;
    if (str_eq_c(aksi, "terkirim")) {
        str who = form_keep(rq, &f, "penerima", 200), rel = form_keep(rq, &f, "hubungan", 100);
        const char *ph = NULL;
        if (who.n < 2) {
            e.field = "err_penerima";
            e.text = http_t(rq, "Write the name of the person who received the document.");
        } else if (rel.n < 2) {
            e.field = "err_hubungan";
            e.text = http_t(rq, "Write how the recipient is related to the applicant, for "
                                "example: self, spouse, parent.");
        } else if ((r = photo(rq, &ph)) != 0) {
            e.field = "err_foto";
            e.text = r == -1
                         ? http_t(rq, "The photo must be a JPEG or PNG picture of at most 5 MB.")
                         : http_t(rq, "The photo could not be saved. Try again.");
        }
        if (e.field) {
            form_error_text(&f, e.field + 4, e.text);
            st = render(rq, c, &e, &f, 422);
            goto out;
        }
        r = courier_outcome(rq, c, ref.id, true, arena_strndup(rq->a, who.p, who.n),
                            arena_strndup(rq->a, rel.p, rel.n), ph, NULL, NULL, &why);
        if (r == DB_OK) {
            st = http_redirect(rq, 303, "/kurir?berhasil=terkirim");
            goto out;
        }
    } else if (str_eq_c(aksi, "gagal")) {
        str why_s = form_keep(rq, &f, "alasan", 600);
        if (why_s.n < 3) {
            e.field = "err_alasan";
            e.text = http_t(rq, "Write why the document could not be delivered.");
            form_error_text(&f, "alasan", e.text);
            st = render(rq, c, &e, &f, 422);
            goto out;
        }
        bool returned = false;
        r = courier_outcome(rq, c, ref.id, false, NULL, NULL, NULL,
                            arena_strndup(rq->a, why_s.p, why_s.n), &returned, &why);
        if (r == DB_OK) {
            st = http_redirect(rq, 303,
                               returned ? "/kurir?berhasil=kembali" : "/kurir?berhasil=gagal");
            goto out;
        }
    } else {
        st = 400;
        goto out;
    }
    /* not this courier's open delivery (or it moved on) */
    if (r == REQ_CONFLICT || r == DB_DONE) st = 404;
    else if (r == REQ_REFUSED) {
        e.field = "err_alasan";
        e.text = work_refusal(rq, why);
        form_error_text(&f, "alasan", e.text);
        st = render(rq, c, &e, &f, 422);
    } else st = 503;
out:
    form_free(&f);
    db_release(c);
    return st;
}

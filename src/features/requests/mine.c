/* mine: the signed-in citizen's own requests. The list (newest first), the full detail (the
 * officers' reasons and notes, the documents sent, the receipt), cancelling (a confirmation step
 * first; allowed while the workflow lets the citizen, i.e. until processing starts) and answering
 * "perlu perbaikan" with replacement documents (checked by content and size like the apply form;
 * a replacement is a new document row that supersedes the old one, req_doc_add) which moves the
 * request to "dilengkapi" and restarts the SLA clock. Each move and its message to the applicant
 * (requests/notify.h) happen in one transaction. Another account's request is 404, the same as
 * an unknown code. */
#include <stdio.h>
#include <string.h>

#include "features/app.h"
#include "features/form.h"
#include "features/requests/notify.h"
#include "features/requests/requests.h"
#include "features/requests/view.h"
#include "features/requests/web_apply.h"
#include "features/requests/web_track.h"
#include "features/services/services.h"

#define MINE_PAGE 50
#define FIX_NOTE_MAX 500

const http_param_spec reqmine_list_params[] = {{"halaman", HP_INT, 1, 10000, false}, {0}};
const http_param_spec reqmine_code_params[] = {{"code", HP_STR, 1, 64, true},
                                               {"selesai", HP_CODE, 0, 20, false},
                                               {"status", HP_CODE, 0, 32, false},
                                               {0}};
const http_param_spec reqmine_fix_params[] = {
    {"code", HP_STR, 1, 64, true}, {"catatan", HP_STR, 0, FIX_NOTE_MAX, false}, {0}};

/* one of the caller's requests, with what the pages need to decide */
typedef struct {
    req_view v;
    int64_t service_id;
    svc_standard st;
    bool has_st;
    bool can_cancel, can_fix;
} mine;

/* 0, or an HTTP status (404 for someone else's request, an unknown or a mistyped code) */
static int load(http_req *rq, db_conn *c, mine *m)
{
    memset(m, 0, sizeof *m);
    const char *typed = http_param_c(rq, "code");
    char code[TRK_LEN + 1];
    if (!typed || !trk_parse(typed, strlen(typed), code)) return 404;
    req_view pub;
    int r = req_by_code(c, rq->a, code, &pub);
    if (r == DB_OK) r = req_get(c, rq->a, pub.id, &m->v);
    if (r != DB_OK) return r == DB_DONE ? 404 : 503;
    if (!m->v.applicant_id || m->v.applicant_id != rq->who.user_id) return 404;
    service s;
    wf_def def;
    if (svc_get(c, rq->a, str_c(m->v.service_code), &s) != DB_OK) return 503;
    m->service_id = s.id;
    m->has_st = svc_standard_version(c, rq->a, s.id, m->v.standard_version, &m->st) == DB_OK;
    if (req_workflow(c, s.id, &def) != DB_OK) return 503;
    m->can_cancel = wf_check(&def, m->v.status, "dibatalkan", WF_CITIZEN, false) == WF_OK;
    m->can_fix = wf_check(&def, m->v.status, "dilengkapi", WF_CITIZEN, false) == WF_OK;
    return 0;
}

static const char *kind_words(http_req *rq, const char *ct)
{
    if (!ct) return "";
    if (strcmp(ct, "application/pdf") == 0) return http_t(rq, "PDF document");
    if (strcmp(ct, "image/jpeg") == 0) return http_t(rq, "JPEG picture");
    if (strcmp(ct, "image/png") == 0) return http_t(rq, "PNG picture");
    return ct;
}

static const char *size_words(http_req *rq, int64_t n)
{
    if (n < 1024) return arena_printf(rq->a, http_t(rq, "%lld bytes"), (long long)n);
    if (n < 1024 * 1024) return arena_printf(rq->a, http_t(rq, "%lld KB"), (long long)(n / 1024));
    return arena_printf(rq->a, http_t(rq, "%.1f MB"), (double)n / (1024.0 * 1024.0));
}

static const char *req_label(const mine *m, const char *doc_type)
{
    for (size_t i = 0; m->has_st && i < m->st.nreqs; i++)
        if (m->st.reqs[i].doc_type && strcmp(m->st.reqs[i].doc_type, doc_type) == 0)
            return m->st.reqs[i].label;
    return doc_type;
}

/* the requirements a replacement can be sent for: those with a document type */
static json_t *fix_fields(const mine *m, const json_t *err)
{
    json_t *arr = json_array();
    for (size_t i = 0; m->has_st && i < m->st.nreqs; i++) {
        const svc_requirement *q = &m->st.reqs[i];
        if (!q->doc_type || !*q->doc_type) continue;
        char field[96];
        snprintf(field, sizeof field, "berkas_%s", q->doc_type);
        json_t *e = err ? json_object_get(err, field) : NULL;
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s*,s:O*}", "field", field, "label",
                                             q->label, "cond", q->cond_label, "error", e));
    }
    return arr;
}

/* the last reason the office gave for the current state (perlu perbaikan, ditolak) */
static const char *last_reason(const req_view *v)
{
    for (size_t i = v->nevents; i-- > 0;)
        if (v->events[i].to && strcmp(v->events[i].to, v->status) == 0)
            return v->events[i].note && *v->events[i].note ? v->events[i].note : NULL;
    return NULL;
}

static int detail_page(http_req *rq, db_conn *c, mine *m, form_state *f, int status)
{
    req_document *docs = NULL;
    size_t nd = 0;
    if (req_docs(c, rq->a, m->v.id, false, &docs, &nd) != DB_OK) nd = 0;
    json_t *jd = json_array();
    for (size_t i = 0; i < nd; i++)
        json_array_append_new(
            jd,
            json_pack("{s:s,s:s,s:s,s:s,s:b}", "label", req_label(m, docs[i].doc_type), "kind",
                      kind_words(rq, docs[i].content_type), "size", size_words(rq, docs[i].size),
                      "at", app_fmt_time(rq, app_parse_iso(str_c(docs[i].uploaded_at))), "replaced",
                      docs[i].replaced_by != 0));
    const char *done = http_param_c(rq, "selesai");
    const char *done_msg = NULL;
    if (done && strcmp(done, "batal") == 0) done_msg = http_t(rq, "Your request was cancelled.");
    else if (done && strcmp(done, "perbaikan") == 0)
        done_msg = http_t(rq, "Thank you. Your correction was sent; the officer will check it.");
    bool rejected = strcmp(m->v.status, "ditolak") == 0;
    json_t *ctx = json_pack(
        "{s:o,s:o,s:s,s:b,s:b,s:b,s:s*,s:s*,s:s,s:i}", "t", reqtrack_view_json(rq, &m->v, true),
        "docs", jd, "status", m->v.status, "can_cancel", m->can_cancel, "can_fix", m->can_fix,
        "rejected", rejected, "reason", last_reason(&m->v), "done", done_msg, "delivery",
        req_delivery_label(rq, m->v.delivery), "max_mb", (int)(APPLY_FILE_MAX >> 20));
    if (m->can_fix) json_object_set_new(ctx, "fix", fix_fields(m, f ? f->err : NULL));
    if (f) form_into(f, ctx);
    return http_page(rq, status, "requests/mine_detail", ctx);
}

int reqmine_page_list(http_req *rq)
{
    long page = 1;
    str ps = http_param(rq, "halaman");
    if (ps.n && !str_to_long(ps, 1, 10000, &page)) page = 1;
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    req_summary *rs = NULL;
    size_t n = 0;
    int r = req_list_mine(c, rq->a, rq->who.user_id, MINE_PAGE + 1, (int)(page - 1) * MINE_PAGE,
                          &rs, &n);
    db_release(c);
    if (r != DB_OK) return 503;
    bool more = n > MINE_PAGE;
    if (more) n = MINE_PAGE;
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        char shown[TRK_SHOWN + 1];
        trk_format(rs[i].code, shown);
        int64_t due = rs[i].due_at ? app_parse_iso(str_c(rs[i].due_at)) : -1;
        json_array_append_new(
            rows,
            json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s*}", "code", rs[i].code, "shown", shown,
                      "service", rs[i].service_name, "unit", rs[i].unit_name, "status",
                      req_status_label(rq, rs[i].status), "submitted",
                      app_fmt_time(rq, app_parse_iso(str_c(rs[i].submitted_at))), "due",
                      due >= 0 && rs[i].bucket != REQ_NO_DEADLINE ? app_fmt_time(rq, due) : NULL));
    }
    json_t *ctx = json_pack("{s:o,s:i}", "rows", rows, "page", (int)page);
    if (more) json_object_set_new(ctx, "next", json_integer(page + 1));
    if (page > 1) json_object_set_new(ctx, "prev", json_integer(page - 1));
    return http_page(rq, 200, "requests/mine", ctx);
}

int reqmine_page_detail(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    mine m;
    int st = load(rq, c, &m);
    if (!st) st = detail_page(rq, c, &m, NULL, 200);
    db_release(c);
    return st;
}

/* ---- moving the request (one transaction: the move and the message) ---- */
typedef struct {
    http_req *rq;
    const mine *m;
    const char *to, *note, *seen;
    const req_doc_new *docs;
    size_t ndocs;
    enum wf_err why;
} move_tx;

static int move_fn(db_conn *c, void *ud)
{
    move_tx *t = ud;
    app *a = app_of(t->rq);
    int64_t now = app_now(), id;
    int r = DB_OK;
    for (size_t i = 0; r == DB_OK && i < t->ndocs; i++)
        r = req_doc_add(c, now, t->m->v.id, &t->docs[i], &id);
    req_move mv = {t->to, WF_CITIZEN, t->rq->who.user_id, t->note, t->seen};
    if (r == DB_OK) r = req_transition(c, now, t->m->v.id, &mv, &t->why);
    if (r == DB_OK) {
        r = req_notify_status(c, a, now, t->m->v.id, t->to, t->note);
        if (r == DB_DONE) r = DB_OK; /* nobody to tell */
    }
    return r;
}

static int run_move(db_conn *c, move_tx *t)
{
    int r = db_begin(c);
    if (r != DB_OK) return r;
    r = move_fn(c, t);
    if (r == DB_OK) return db_commit(c);
    db_rollback(c);
    return r;
}

/* cancels a loaded request: DB_OK, REQ_REFUSED (no longer possible), REQ_CONFLICT (it moved
 * from `seen`, NULL = the status loaded) or DB_* */
static int cancel_move(http_req *rq, db_conn *c, const mine *m, const char *seen)
{
    move_tx t = {rq, m, "dibatalkan", NULL, seen && *seen ? seen : m->v.status, NULL, 0, WF_OK};
    return m->can_cancel ? run_move(c, &t) : REQ_REFUSED;
}

int reqmine_own(http_req *rq, db_conn *c, req_view *v, bool *can_cancel, bool *can_fix,
                const char **reason)
{
    mine m;
    int st = load(rq, c, &m);
    if (st) return st;
    *v = m.v;
    *can_cancel = m.can_cancel;
    *can_fix = m.can_fix;
    *reason = last_reason(&m.v);
    return 0;
}

int reqmine_cancel(http_req *rq, db_conn *c, const char *seen)
{
    mine m;
    int st = load(rq, c, &m);
    return st ? st : cancel_move(rq, c, &m, seen);
}

static const char *moved_words(http_req *rq, int r)
{
    if (r == REQ_CONFLICT)
        return http_t(rq, "The request changed while you were looking at it. Check its status "
                          "below and try again.");
    return http_t(rq, "This can no longer be done: the request has moved on. Check its status "
                      "below.");
}

int reqmine_page_cancel(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    mine m;
    int st = load(rq, c, &m);
    if (st) goto out;
    if (rq->method != HTTP_POST) {
        if (!m.can_cancel) {
            form_state f;
            form_init(&f);
            form_error_text(&f, "batal", moved_words(rq, REQ_REFUSED));
            st = detail_page(rq, c, &m, &f, 409);
            form_free(&f);
            goto out;
        }
        json_t *ctx =
            json_pack("{s:o,s:s}", "t", reqtrack_view_json(rq, &m.v, false), "status", m.v.status);
        st = http_page(rq, 200, "requests/mine_cancel", ctx);
        goto out;
    }
    int r = cancel_move(rq, c, &m, http_param_c(rq, "status"));
    if (r == REQ_REFUSED || r == REQ_CONFLICT) {
        if (load(rq, c, &m) != 0) {
            st = 404;
            goto out;
        }
        form_state f;
        form_init(&f);
        form_error_text(&f, "batal", moved_words(rq, r));
        st = detail_page(rq, c, &m, &f, 409);
        form_free(&f);
        goto out;
    }
    if (r != DB_OK) {
        st = 503;
        goto out;
    }
    st = http_redirect(rq, 303, arena_printf(rq->a, "/akun/permohonan/%s?selesai=batal", m.v.code));
out:
    db_release(c);
    return st;
}

/* the replacement files: all checked by content and size first, then (only when every one is
 * accepted) stored. The number of documents, -1 after form errors, -2 when storing failed */
static long fix_files(http_req *rq, const mine *m, form_state *f, req_doc_new *out, size_t cap)
{
    size_t n = 0;
    const char *first = NULL, *tmp[APPLY_MAX_FILES];
    for (size_t i = 0; m->has_st && i < m->st.nreqs; i++) {
        const svc_requirement *q = &m->st.reqs[i];
        if (!q->doc_type || !*q->doc_type) continue;
        const char *field = arena_printf(rq->a, "berkas_%s", q->doc_type);
        if (!first) first = field;
        const http_upload *u = NULL;
        for (size_t j = 0; j < rq->nfiles; j++)
            if (str_eq_c(rq->files[j].field, field) && rq->files[j].size > 0) u = &rq->files[j];
        if (!u) continue;
        const char *ct = NULL;
        if (u->size > APPLY_FILE_MAX)
            form_error(rq, f, field,
                       "%s: the file is larger than %d MB. Send a smaller scan or "
                       "photo.",
                       q->label, (int)(APPLY_FILE_MAX >> 20));
        else if (!(ct = apply_sniff(u->tmp_path)) || !apply_type_allowed(q->file_types, ct))
            form_error(rq, f, field,
                       "%s: send a JPEG or PNG photo or a PDF file. This file is "
                       "none of these.",
                       q->label);
        else if (n < cap && n < APPLY_MAX_FILES) {
            tmp[n] = u->tmp_path;
            out[n++] =
                (req_doc_new){q->doc_type, NULL, ct, NULL, (int64_t)u->size, rq->who.user_id};
        }
    }
    if (form_ok(f) && n == 0)
        form_error(rq, f, first ? first : "catatan",
                   "Choose the corrected document to send (at least one).");
    if (!form_ok(f)) return -1;
    for (size_t i = 0; i < n; i++)
        if (apply_store_file(rq, tmp[i], &out[i].storage_ref, &out[i].sha256) != 0) return -2;
    return (long)n;
}

/* the replacement files checked and stored, then the move to "dilengkapi": DB_OK, 422 (the
 * errors in f), 503 (a file not stored), REQ_REFUSED / REQ_CONFLICT or DB_* */
static int fix_move(http_req *rq, db_conn *c, const mine *m, form_state *f, const char *note)
{
    req_doc_new docs[APPLY_MAX_FILES];
    long nd = fix_files(rq, m, f, docs, APPLY_MAX_FILES);
    if (nd == -2) return 503;
    if (nd < 0) return 422;
    move_tx t = {rq, m, "dilengkapi", note, "perlu_perbaikan", docs, (size_t)nd, WF_OK};
    return run_move(c, &t);
}

int reqmine_fix(http_req *rq, db_conn *c, form_state *f, const char *note)
{
    mine m;
    int st = load(rq, c, &m);
    if (st) return st;
    return m.can_fix ? fix_move(rq, c, &m, f, note && *note ? note : NULL) : REQ_REFUSED;
}

int reqmine_page_fix(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    mine m;
    form_state f;
    form_init(&f);
    int st = load(rq, c, &m);
    if (st) goto out;
    if (!m.can_fix) {
        form_error_text(&f, "perbaikan", moved_words(rq, REQ_REFUSED));
        st = detail_page(rq, c, &m, &f, 409);
        goto out;
    }
    str note = form_keep(rq, &f, "catatan", FIX_NOTE_MAX);
    int r = fix_move(rq, c, &m, &f, note.n ? arena_strndup(rq->a, note.p, note.n) : NULL);
    if (r == 503) {
        st = 503;
        goto out;
    }
    if (r == 422) {
        st = detail_page(rq, c, &m, &f, 422);
        goto out;
    }
    if (r == REQ_REFUSED || r == REQ_CONFLICT) {
        form_free(&f);
        form_init(&f);
        st = load(rq, c, &m);
        if (!st) {
            form_error_text(&f, "perbaikan", moved_words(rq, r));
            st = detail_page(rq, c, &m, &f, 409);
        }
        goto out;
    }
    if (r != DB_OK) {
        st = 503;
        goto out;
    }
    st = http_redirect(rq, 303,
                       arena_printf(rq->a, "/akun/permohonan/%s?selesai=perbaikan", m.v.code));
out:
    form_free(&f);
    db_release(c);
    return st;
}

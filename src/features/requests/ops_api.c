/* ops api: the pages' operations as JSON for a signed-in user's session (see web_ops.h). Nothing
 * here decides anything of its own: who may do what comes from the pages' shared functions
 * (reqmine_own / reqmine_cancel, work_find, work_move, courier_outcome...), so an answer here and
 * on the web never differ. Times are UTC ("2026-11-23T10:44:18Z"), as in the rest of /api/v1. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/workflow.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/requests/ops_json.h"
#include "features/requests/view.h"
#include "features/requests/web_apply.h"
#include "features/requests/web_ops.h"
#include "features/requests/web_track.h"
#include "lib/json.h"

#define NOTE_MAX 1000

const http_param_spec reqops_page_params[] = {
    {"page", HP_INT, 1, 100000, false}, {"page_size", HP_INT, 1, 100, false}, {0}};
const http_param_spec reqops_code_params[] = {{"code", HP_STR, 1, 64, true}, {0}};
const http_param_spec reqops_work_code_params[] = {{"code", HP_CODE, 1, 16, true}, {0}};
const http_param_spec reqops_work_params[] = {{"tab", HP_CODE, 0, 20, false},
                                              {"unit", HP_CODE, 0, 64, false},
                                              {"service", HP_CODE, 0, 64, false},
                                              {"status", HP_CODE, 0, 32, false},
                                              {"page", HP_INT, 1, 100000, false},
                                              {"page_size", HP_INT, 1, 200, false},
                                              {0}};

/* ---- small pieces (ops_json.h: ops_api_more.c uses them too) ---- */

int reqops_error(http_req *rq, int status, const char *code, const char *message)
{
    return http_json(rq, status,
                     json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
}

json_t *reqops_utc(const char *iso)
{
    int64_t t = iso ? app_parse_iso(str_c(iso)) : -1;
    if (t < 0) return json_null();
    char out[21];
    acct_iso(t, out);
    return json_string(out);
}

json_t *reqops_shown(const char code[TRK_LEN + 1])
{
    char s[TRK_SHOWN + 1];
    trk_format(code, s);
    return json_string(s);
}

static json_t *nstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void page_of(http_req *rq, long def, long max, long *page, long *size)
{
    *page = 1;
    *size = def;
    str p = http_param(rq, "page"), ps = http_param(rq, "page_size");
    if (p.p) str_to_long(p, 1, 100000, page);
    if (ps.p) str_to_long(ps, 1, max, size);
}

json_t *reqops_body(http_req *rq, const char *const *known, const char *typed_key, json_type type,
                    bool optional, int *st)
{
    *st = 0;
    if (!rq->body.n && optional) return json_object();
    char err[200];
    json_t *b = rq->body.n ? jsonw_parse(rq->body, 8, err, sizeof err) : NULL;
    if (!json_is_object(b)) {
        json_decref(b);
        *st = reqops_error(rq, 400, "bad_request",
                           http_t(rq, "Send a JSON object (Content-Type: application/json)."));
        return NULL;
    }
    const char *k;
    json_t *v;
    json_object_foreach(b, k, v)
    {
        bool ok = false;
        for (const char *const *q = known; *q && !ok; q++)
            ok = strcmp(*q, k) == 0;
        bool typed =
            typed_key && strcmp(k, typed_key) == 0 ? json_typeof(v) == type : json_is_string(v);
        if (!ok || !typed) {
            const char *name = arena_strdup(rq->a, k);
            json_decref(b);
            *st = reqops_error(rq, 400, "invalid",
                               arena_printf(rq->a,
                                            ok ? http_t(rq, "%s has the wrong type.")
                                               : http_t(rq, "%s is not a known field."),
                                            name));
            return NULL;
        }
    }
    return b;
}

const char *reqops_str(http_req *rq, json_t *b, const char *k)
{
    json_t *v = json_object_get(b, k);
    return json_is_string(v) && *json_string_value(v) ? arena_strdup(rq->a, json_string_value(v))
                                                      : NULL;
}

/* 409 for a refused or stale move, with the workflow's reason in the caller's language */
static int move_error(http_req *rq, int r, enum wf_err why, const char *refused, const char *stale)
{
    if (r == REQ_REFUSED)
        return reqops_error(
            rq, 409, why == WF_OK ? "refused" : arena_printf(rq->a, "refused_%s", wf_err_code(why)),
            refused ? refused : work_refusal(rq, why));
    if (r == REQ_CONFLICT) return reqops_error(rq, 409, "conflict", stale);
    if (r == DB_DONE || r == 404) return 404;
    return 503;
}

/* ---- one request ---- */

/* what the applicant and the officers both see: the state, the dates and the history with the
 * office's notes (the public tracking shows no notes) */
static json_t *view_json(http_req *rq, const req_view *v)
{
    int64_t now = app_now(), due = v->due_at ? app_parse_iso(str_c(v->due_at)) : -1;
    bool waiting = v->paused_since != NULL && !v->finished;
    json_t *hist = json_array();
    for (size_t i = 0; i < v->nevents; i++) {
        const req_event *e = &v->events[i];
        json_array_append_new(hist,
                              json_pack("{s:o,s:s,s:s,s:o,s:s,s:o}", "from", nstr(e->from),
                                        "status", e->to, "label", req_status_label(rq, e->to), "at",
                                        reqops_utc(e->at), "role", e->role ? e->role : "system",
                                        "note", nstr(e->note && *e->note ? e->note : NULL)));
    }
    return json_pack(
        "{s:o,s:{s:s,s:s},s:{s:s,s:s},s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:o,s:o,s:b,s:b,s:b,s:o,s:o}",
        "tracking_code", reqops_shown(v->code), "service", "code", v->service_code, "name",
        v->service_name, "service_point", "code", v->unit_code, "name", v->unit_name, "status",
        v->status, "status_label", req_status_label(rq, v->status), "channel", v->channel,
        "delivery", v->delivery, "nik_masked", v->nik_masked ? v->nik_masked : "",
        "standard_version", v->standard_version, "submitted_at", reqops_utc(v->submitted_at),
        "due_at", reqops_utc(v->due_at), "finished_at", reqops_utc(v->finished_at), "finished",
        v->finished, "waiting_for_applicant", waiting, "overdue",
        !v->finished && !waiting && due >= 0 && due < now, "on_time",
        v->finished && !v->cancelled ? json_boolean(v->on_time) : json_null(), "history", hist);
}

/* ---- the citizen ---- */

int reqops_mine_list(http_req *rq)
{
    long page, size;
    page_of(rq, 50, 100, &page, &size);
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    req_summary *rs = NULL;
    size_t n = 0;
    int r =
        req_list_mine(c, rq->a, rq->who.user_id, (int)size + 1, (int)((page - 1) * size), &rs, &n);
    db_release(c);
    if (r != DB_OK) return 503;
    bool more = n > (size_t)size;
    if (more) n = (size_t)size;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr,
            json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "tracking_code",
                      reqops_shown(rs[i].code), "service_code", rs[i].service_code, "service_name",
                      rs[i].service_name, "unit_code", rs[i].unit_code, "unit_name",
                      rs[i].unit_name, "status", rs[i].status, "status_label",
                      req_status_label(rq, rs[i].status), "channel", rs[i].channel, "delivery",
                      rs[i].delivery, "submitted_at", reqops_utc(rs[i].submitted_at), "due_at",
                      rs[i].bucket != REQ_NO_DEADLINE ? reqops_utc(rs[i].due_at) : json_null()));
    return http_json(rq, 200,
                     json_pack("{s:o,s:i,s:i,s:i,s:b}", "requests", arr, "count", (int)n, "page",
                               (int)page, "page_size", (int)size, "more", more));
}

static int mine_answer(http_req *rq, db_conn *c, int status)
{
    req_view v;
    bool can_cancel, can_fix;
    const char *reason;
    int st = reqmine_own(rq, c, &v, &can_cancel, &can_fix, &reason);
    if (st) return st;
    req_document *d = NULL;
    size_t nd = 0;
    if (req_docs(c, rq->a, v.id, false, &d, &nd) != DB_OK) return 503;
    json_t *docs = json_array();
    for (size_t i = 0; i < nd; i++)
        json_array_append_new(
            docs, json_pack("{s:s,s:s,s:I,s:o,s:b}", "doc_type", d[i].doc_type ? d[i].doc_type : "",
                            "content_type", d[i].content_type ? d[i].content_type : "", "size",
                            (json_int_t)d[i].size, "uploaded_at", reqops_utc(d[i].uploaded_at),
                            "current", d[i].replaced_by == 0));
    json_t *o = view_json(rq, &v);
    json_object_set_new(o, "can_cancel", json_boolean(can_cancel));
    json_object_set_new(o, "can_correct", json_boolean(can_fix));
    json_object_set_new(o, "reason", nstr(reason));
    json_object_set_new(o, "documents", docs);
    return http_json(rq, status, o);
}

int reqops_mine_answer(http_req *rq, db_conn *c, int status)
{
    return mine_answer(rq, c, status);
}

int reqops_mine_get(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    int st = mine_answer(rq, c, 200);
    db_release(c);
    return st;
}

int reqops_mine_cancel(http_req *rq)
{
    static const char *const known[] = {"expect_from", NULL};
    int st;
    json_t *b = reqops_body(rq, known, NULL, JSON_STRING, true, &st);
    if (!b) return st;
    const char *seen = reqops_str(rq, b, "expect_from");
    json_decref(b);
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    int r = reqmine_cancel(rq, c, seen);
    if (r == DB_OK) st = mine_answer(rq, c, 200);
    else
        st = move_error(rq, r, WF_OK,
                        http_t(rq, "This can no longer be done: the request has moved on."),
                        http_t(rq, "The request changed in the meantime. Load it again and try "
                                   "again."));
    db_release(c);
    return st;
}

/* ---- officers ---- */

static const char *const urgency[] = {"overdue", "due_today", "later", "waiting", "none"};

static json_t *holder(int64_t id, const char *name)
{
    return id ? json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", name ? name : "")
              : json_null();
}

int reqops_work_list(http_req *rq)
{
    const char *tab_p = http_param_c(rq, "tab"), *pt = http_param_c(rq, "unit"),
               *sv = http_param_c(rq, "service"), *stp = http_param_c(rq, "status");
    int tab = -1;
    if (!tab_p || !*tab_p) tab = 0;
    for (int i = 0; tab < 0 && i < WORK_TABS - 1; i++) /* the last tab lists visits, not requests */
        if (strcmp(tab_p, work_tab_codes[i]) == 0) tab = i;
    if (tab < 0)
        return reqops_error(rq, 400, "bad_request",
                            arena_printf(rq->a, http_t(rq, "%s must be one of: %s."), "tab",
                                         "semua, terlambat, hari-ini, saya, belum"));
    /* pages of the worklist's total order (work_open_in_scope): a request is on one page only */
    long page, size;
    page_of(rq, 100, 200, &page, &size);
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    int64_t me = rq->who.user_id, *roots;
    size_t nroots, n;
    req_summary *all;
    int r = work_open_in_scope(rq, c, app_now(), &roots, &nroots, &all, &n);
    db_release(c);
    if (r != DB_OK) return 503;
    json_t *arr = json_array();
    size_t total = 0, first = (size_t)((page - 1) * size);
    for (size_t i = 0; i < n; i++) {
        const req_summary *s = &all[i];
        if (!work_matches(s, pt && *pt ? pt : NULL, sv && *sv ? sv : NULL,
                          stp && *stp ? stp : NULL) ||
            !work_in_tab(tab, s, me))
            continue;
        if (total++ < first || json_array_size(arr) >= (size_t)size) continue;
        json_array_append_new(
            arr,
            json_pack("{s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:b}",
                      "tracking_code", reqops_shown(s->code), "service_code", s->service_code,
                      "service_name", s->service_name, "unit_code", s->unit_code, "unit_name",
                      s->unit_name, "status", s->status, "status_label",
                      req_status_label(rq, s->status), "channel", s->channel, "delivery",
                      s->delivery, "nik_masked", s->nik_masked ? s->nik_masked : "", "submitted_at",
                      reqops_utc(s->submitted_at), "due_at", reqops_utc(s->due_at), "urgency",
                      urgency[(unsigned)s->bucket <= REQ_NO_DEADLINE ? s->bucket : REQ_NO_DEADLINE],
                      "claimed_by", holder(s->claimed_by, s->claimed_by_name), "mine",
                      s->claimed_by == me));
    }
    return http_json(rq, 200,
                     json_pack("{s:o,s:i,s:i,s:i,s:i}", "requests", arr, "count",
                               (int)json_array_size(arr), "total", (int)total, "page", (int)page,
                               "page_size", (int)size));
}

/* the request as the officer sees it after an action: the state, who holds it, and the moves
 * the workflow allows them now (only the holder, or anyone when nobody holds it, as on the
 * page). With `personal`, the applicant's data and form too (the read is recorded first). */
static int work_answer(http_req *rq, db_conn *c, const work_ref *ref, unsigned role, bool personal)
{
    int64_t me = rq->who.user_id;
    req_view v;
    wf_def wf;
    if (req_get(c, rq->a, ref->id, &v) != DB_OK || req_workflow(c, ref->service_id, &wf) != DB_OK)
        return 503;
    json_t *o = view_json(rq, &v);
    json_object_set_new(o, "claimed_by", holder(v.claimed_by, v.claimed_by_name));
    json_t *moves = json_array();
    const char *next[16];
    int nn = !v.claimed_by || v.claimed_by == me ? wf_next(&wf, v.status, role, next, 16) : 0;
    for (int i = 0; i < nn; i++) {
        const wf_transition *t = wf_find(&wf, v.status, next[i]);
        json_array_append_new(moves, json_pack("{s:s,s:s,s:b}", "to", next[i], "label",
                                               req_action_label(rq, next[i]), "reason_required",
                                               t && t->reason));
    }
    json_object_set_new(o, "moves", moves);
    if (personal) {
        req_private_data p;
        if (work_record_read(c, ref, me, WORK_READ_FIELDS) != DB_OK ||
            req_private(c, &app_of(rq)->keys, rq->a, ref->id, &p) != DB_OK) {
            json_decref(o);
            return 503;
        }
        json_t *form = p.form_json ? json_loads(p.form_json, 0, NULL) : NULL;
        if (!json_is_object(form)) {
            json_decref(form);
            form = json_object();
        }
        json_object_set_new(o, "applicant",
                            json_pack("{s:o,s:o,s:o,s:o,s:o}", "nik", nstr(p.nik), "kk", nstr(p.kk),
                                      "name", nstr(p.name), "phone", nstr(p.phone), "address",
                                      nstr(p.address)));
        json_object_set_new(o, "form", form);
    }
    return http_json(rq, 200, o);
}

/* the request {code} in the caller's scope: 0 with the connection held, or the status */
static int work_open(http_req *rq, db_conn **c, work_ref *ref, unsigned *role)
{
    *c = db_acquire(app_of(rq)->db);
    if (!*c) return 503;
    int st = work_find(rq, *c, ref, role);
    if (st) {
        db_release(*c);
        *c = NULL;
    }
    /* outside the caller's units: 404, as on the pages (whether the code exists is not said) */
    return st == 403 ? 404 : st;
}

int reqops_work_get(http_req *rq)
{
    db_conn *c;
    work_ref ref;
    unsigned role;
    int st = work_open(rq, &c, &ref, &role);
    if (st) return st;
    st = work_answer(rq, c, &ref, role, true);
    db_release(c);
    return st;
}

static int claim_or_release(http_req *rq, bool claim)
{
    db_conn *c;
    work_ref ref;
    unsigned role;
    int st = work_open(rq, &c, &ref, &role);
    if (st) return st;
    int r = claim ? req_claim(c, app_now(), ref.id, rq->who.user_id)
                  : req_release(c, ref.id, rq->who.user_id);
    if (r == DB_OK) st = work_answer(rq, c, &ref, role, false);
    else
        st = move_error(rq, r, WF_OK, NULL,
                        claim ? http_t(rq, "Another officer took this request a moment ago.")
                              : http_t(rq, "Only the officer who handles a request can release "
                                           "it."));
    db_release(c);
    return st;
}

int reqops_work_claim(http_req *rq)
{
    return claim_or_release(rq, true);
}

int reqops_work_release(http_req *rq)
{
    return claim_or_release(rq, false);
}

int reqops_work_move(http_req *rq)
{
    static const char *const known[] = {"to", "note", "expect_from", "courier_id", NULL};
    int st;
    json_t *b = reqops_body(rq, known, "courier_id", JSON_INTEGER, false, &st);
    if (!b) return st;
    const char *to = reqops_str(rq, b, "to"), *note = reqops_str(rq, b, "note"),
               *from = reqops_str(rq, b, "expect_from");
    json_t *cj = json_object_get(b, "courier_id");
    int64_t courier = cj ? (int64_t)json_integer_value(cj) : 0;
    json_decref(b);
    if (!to)
        return reqops_error(rq, 400, "invalid",
                            arena_printf(rq->a, http_t(rq, "%s is required."), "to"));
    if (note && strlen(note) > NOTE_MAX)
        return reqops_error(rq, 400, "invalid",
                            arena_printf(rq->a, http_t(rq, "%s is too long."), "note"));
    db_conn *c;
    work_ref ref;
    unsigned role;
    st = work_open(rq, &c, &ref, &role);
    if (st) return st;
    enum wf_err why = WF_OK;
    if (strcmp(to, "dikirim") == 0 && !work_courier_ok(c, rq->a, ref.unit_id, courier)) {
        st = reqops_error(rq, 400, "invalid",
                          http_t(rq, "Choose the courier who takes the document."));
    } else {
        int r = work_move(rq, c, &ref, role, rq->who.user_id, to, from ? from : ref.status, note,
                          courier, &why);
        st = r == DB_OK ? work_answer(rq, c, &ref, role, false)
                        : move_error(rq, r, why, NULL,
                                     http_t(rq, "Someone else changed or took this request just "
                                                "now. Check its status and try again."));
    }
    db_release(c);
    return st;
}

/* ---- couriers ---- */

int reqops_deliveries(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    req_delivery *d;
    size_t n;
    int r = req_deliveries_for(c, &app_of(rq)->keys, rq->a, rq->who.user_id, &d, &n);
    /* the addresses are personal data: the reads are on record before they are sent */
    if (r == DB_OK) r = courier_record_reads(rq, c, d, n);
    db_release(c);
    if (r != DB_OK) return 503;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            arr, json_pack("{s:o,s:s,s:i,s:o,s:o,s:o,s:o}", "tracking_code",
                           reqops_shown(d[i].code), "status", d[i].status, "attempts",
                           d[i].attempts, "assigned_at", reqops_utc(d[i].assigned_at),
                           "last_attempt_at", reqops_utc(d[i].last_attempt_at), "failure_reason",
                           nstr(d[i].failure_reason), "address", nstr(d[i].address)));
    return http_json(rq, 200,
                     json_pack("{s:o,s:i,s:i}", "deliveries", arr, "count", (int)n, "max_attempts",
                               REQ_DELIVERY_ATTEMPTS));
}

/* the optional base64 photo into the document store: 0 (*ref NULL when none), -1 refused, -2
 * not stored */
static int photo_b64(http_req *rq, const char *b64, const char **ref)
{
    *ref = NULL;
    if (!b64) return 0;
    size_t cap = strlen(b64) / 4 * 3 + 3, n = 0;
    if (cap > WORK_PHOTO_MAX + 3) return -1;
    unsigned char *bin = malloc(cap);
    if (!bin) return -2;
    if (sodium_base642bin(bin, cap, b64, strlen(b64), " \r\n", &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        n == 0 || n > WORK_PHOTO_MAX) {
        free(bin);
        return -1;
    }
    const char *dir = app_of(rq)->cfg->tmp_dir[0] ? app_of(rq)->cfg->tmp_dir : "/tmp";
    char *path = arena_printf(rq->a, "%s/layan-photo-XXXXXX", dir);
    int fd = mkstemp(path);
    bool ok = fd >= 0 && write(fd, bin, n) == (ssize_t)n;
    free(bin);
    if (fd >= 0) close(fd);
    int r = ok ? courier_store_photo(rq, path, n, ref) : -2;
    if (fd >= 0) unlink(path); /* a move leaves nothing; a copy leaves the temp file */
    return r;
}

int reqops_delivery_outcome(http_req *rq)
{
    static const char *const known[] = {"outcome", "recipient_name", "relation",
                                        "photo",   "reason",         NULL};
    int st;
    json_t *b = reqops_body(rq, known, NULL, JSON_STRING, false, &st);
    if (!b) return st;
    const char *outcome = reqops_str(rq, b, "outcome"), *name = reqops_str(rq, b, "recipient_name"),
               *rel = reqops_str(rq, b, "relation"), *photo = reqops_str(rq, b, "photo"),
               *reason = reqops_str(rq, b, "reason");
    json_decref(b);
    bool delivered = outcome && strcmp(outcome, "delivered") == 0;
    if (!delivered && !(outcome && strcmp(outcome, "failed") == 0))
        return reqops_error(rq, 400, "invalid",
                            arena_printf(rq->a, http_t(rq, "%s must be one of: %s."), "outcome",
                                         "delivered, failed"));
    /* the same checks as the courier's page */
    const char *bad = NULL;
    if (delivered && (!name || strlen(name) < 2 || strlen(name) > 200))
        bad = http_t(rq, "Write the name of the person who received the document.");
    else if (delivered && (!rel || strlen(rel) < 2 || strlen(rel) > 100))
        bad = http_t(rq, "Write how the recipient is related to the applicant, for example: "
                         "self, spouse, parent.");
    else if (!delivered && (!reason || strlen(reason) < 3 || strlen(reason) > 600))
        bad = http_t(rq, "Write why the document could not be delivered.");
    if (bad) return reqops_error(rq, 400, "invalid", bad);
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    work_ref ref;
    int r = work_ref_get(c, rq->a, http_param_c(rq, "code"), &ref);
    const char *ph = NULL;
    int p = r == DB_OK && delivered ? photo_b64(rq, photo, &ph) : 0;
    if (r != DB_OK) st = r == DB_DONE ? 404 : 503;
    else if (p == -1)
        st = reqops_error(rq, 400, "invalid",
                          http_t(rq, "The photo must be a JPEG or PNG picture of at most 5 MB."));
    else if (p != 0) st = 503;
    else {
        enum wf_err why = WF_OK;
        bool returned = false;
        r = courier_outcome(rq, c, ref.id, delivered, name, rel, ph, reason, &returned, &why);
        work_ref now;
        if (r == REQ_CONFLICT || r == DB_DONE) st = 404; /* not the caller's open delivery */
        else if (r != DB_OK) st = move_error(rq, r, why, NULL, NULL);
        else if (work_ref_get(c, rq->a, ref.code, &now) != DB_OK) st = 503;
        else
            st = http_json(rq, 200,
                           json_pack("{s:o,s:s,s:s,s:b}", "tracking_code", reqops_shown(ref.code),
                                     "outcome", outcome, "status", now.status, "returned",
                                     returned));
    }
    db_release(c);
    return st;
}

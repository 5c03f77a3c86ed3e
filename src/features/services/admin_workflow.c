/* services admin: a service's request workflow (/admin/layanan/{code}/alur). GET shows the
 * workflow in force as two tables (states, transitions) and says whether it is the built-in
 * default or the service's own; the same page edits it as JSON in wf_parse's format. "Preview"
 * shows the tables of the typed text without saving; "Save" validates with wf_parse, refuses a
 * definition that drops a state where open requests of the service sit (svcwf_apply), stores it
 * and audits it in one transaction. /alur/bawaan asks for confirmation, then goes back to the
 * default under the same guard. Who may: as for the standard (svcadm_may). */
#include <stdio.h>
#include <string.h>

#include "features/admin/web.h"
#include "features/app.h"
#include "features/form.h"
#include "features/requests/requests.h"
#include "features/requests/view.h"
#include "features/services/api.h"
#include "features/services/web_admin.h"
#include "features/services/workflow.h"
#include "render/i18n.h"

#define DEF_MAX 60000

const http_param_spec svcadm_workflow_params[] = {{"code", HP_CODE, 1, 40, true},
                                                  {"definisi", HP_STR, 0, DEF_MAX, false},
                                                  {"aksi", HP_CODE, 0, 20, false},
                                                  {"berhasil", HP_CODE, 0, 20, false},
                                                  {0}};
const http_param_spec svcadm_workflow_reset_params[] = {{"code", HP_CODE, 1, 40, true}, {0}};

/* wf roles in the words of the standard's procedure steps (svcadm_actors) */
static const char *role_label(http_req *rq, unsigned bit)
{
    switch (bit) {
    case WF_CITIZEN: return svcadm_actor_label(rq, "pemohon");
    case WF_PETUGAS: return svcadm_actor_label(rq, "petugas");
    case WF_KURIR: return svcadm_actor_label(rq, "kurir");
    case WF_KEPALA: return svcadm_actor_label(rq, "kepala_unit");
    case WF_SYSTEM: return svcadm_actor_label(rq, "sistem");
    default: return "";
    }
}

static const char *state_label(http_req *rq, const wf_def *d, int i)
{
    return req_status_label(rq, d->states[i].code);
}

/* the two tables of a definition; counts[i]: requests of the service now in state i (or NULL) */
static void def_json(http_req *rq, const wf_def *d, const int64_t *counts, json_t *ctx)
{
    json_t *states = json_array(), *trans = json_array();
    for (int i = 0; i < d->nstates; i++) {
        const wf_state *s = &d->states[i];
        const char *kind = s->end == WF_END_DONE     ? http_t(rq, "Answered (the time limit stops)")
                           : s->end == WF_END_CANCEL ? http_t(rq, "Withdrawn (not counted)")
                           : wf_paused_in(d, s->code)
                               ? http_t(rq, "Waiting for the applicant (the clock is paused)")
                               : http_t(rq, "In progress (the clock runs)");
        json_t *o =
            json_pack("{s:s,s:s,s:s,s:b,s:b}", "code", s->code, "label", state_label(rq, d, i),
                      "kind", kind, "final", s->terminal, "initial", i == d->initial);
        if (counts) json_object_set_new(o, "count", json_integer(counts[i]));
        json_array_append_new(states, o);
    }
    for (int i = 0; i < d->ntrans; i++) {
        const wf_transition *t = &d->trans[i];
        buf b;
        buf_init(&b, 1024);
        for (unsigned bit = 1; bit <= WF_SYSTEM; bit <<= 1)
            if (t->roles & bit) {
                if (b.n) buf_puts(&b, ", ");
                buf_puts(&b, role_label(rq, bit));
            }
        const char *who = arena_strndup(rq->a, b.p ? b.p : "", b.p ? b.n : 0);
        buf_free(&b);
        const char *clock = t->clock == WF_CLOCK_PAUSE    ? http_t(rq, "Pauses the clock")
                            : t->clock == WF_CLOCK_RESUME ? http_t(rq, "Restarts the clock")
                                                          : "";
        json_array_append_new(
            trans, json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:b,s:s}", "n", i + 1, "from",
                             d->states[t->from].code, "from_label", state_label(rq, d, t->from),
                             "to", d->states[t->to].code, "to_label", state_label(rq, d, t->to),
                             "who", who, "reason", t->reason, "clock", clock));
    }
    json_object_set_new(ctx, "states", states);
    json_object_set_new(ctx, "transitions", trans);
    json_object_set_new(ctx, "nstates", json_integer(d->nstates));
    json_object_set_new(ctx, "ntrans", json_integer(d->ntrans));
}

/* requests of the service per state of d */
static int counts_of(db_conn *c, int64_t service_id, const wf_def *d, int64_t *counts)
{
    memset(counts, 0, sizeof(int64_t) * WF_MAX_STATES);
    db_stmt *s = db_prepare(c, "SELECT status, COUNT(*) FROM requests WHERE service_id = $1 "
                               "GROUP BY status");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        str st = db_col_text(s, 0);
        for (int i = 0; i < d->nstates; i++)
            if (str_eq_c(st, d->states[i].code)) counts[i] = db_col_int(s, 1);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

static void explain(http_req *rq, form_state *f, enum wf_err e, const char *where)
{
    const char *arg;
    const char *msgid = svcwf_err_msgid(rq->a, e, where, &arg);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    form_error(rq, f, "definisi", msgid, arg);
#pragma GCC diagnostic pop
}

static void stranded_error(http_req *rq, form_state *f, const char *field, const svcwf_stranded *s)
{
    const char *fmt = http_tn(rq,
                              "%d open request of this service is in the state \"%s\" (%s), which "
                              "this workflow no longer has. Move it on first, or keep that state.",
                              "%d open requests of this service are in the state \"%s\" (%s), "
                              "which this workflow no longer has. Move them on first, or keep "
                              "that state.",
                              (unsigned long)s->count);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    form_error_text(
        f, field,
        arena_printf(rq->a, fmt, (int)s->count, s->state, req_status_label(rq, s->state)));
#pragma GCC diagnostic pop
}

static void audit_detail(char *out, size_t cap, const char *json)
{
    wf_def *d = NULL;
    static _Thread_local wf_def tmp;
    if (json && wf_parse(json, strlen(json), &tmp, NULL, 0) == WF_OK) d = &tmp;
    if (d)
        snprintf(out, cap, "own: %d states, %d transitions, initial %s", d->nstates, d->ntrans,
                 d->states[d->initial].code);
    else snprintf(out, cap, "built-in default");
}

/* sets (json) or resets (NULL) with its audit entry in one transaction */
static int save(http_req *rq, db_conn *c, const service *sv, const char *json, svcwf_stranded *st,
                enum wf_err *why)
{
    int r = DB_EBUSY;
    for (int attempt = 0; attempt < 3 && r == DB_EBUSY; attempt++) {
        r = db_begin(c);
        if (r == DB_OK) r = svcwf_apply(c, rq->a, sv->id, json, app_now(), st, why);
        char obj[80], detail[120];
        snprintf(obj, sizeof obj, "service:%s", sv->code);
        audit_detail(detail, sizeof detail, json);
        admin_audit(rq, c, json ? "workflow.set" : "workflow.reset", obj, detail, &r);
        if (r == DB_OK) r = db_commit(c);
        if (r != DB_OK) db_rollback(c);
    }
    if (r == DB_OK) svc_api_invalidate(); /* the citizen's and officers' pages follow it */
    return r;
}

static int page(http_req *rq, db_conn *c, const service *sv, form_state *f, const wf_def *preview)
{
    svcwf_current *cur = arena_alloc(rq->a, sizeof *cur);
    int64_t counts[WF_MAX_STATES];
    if (svcwf_current_get(c, rq->a, sv->id, cur) != DB_OK ||
        counts_of(c, sv->id, preview ? preview : &cur->def, counts) != DB_OK) {
        form_free(f);
        return 503;
    }
    json_t *ctx = json_pack("{s:{s:s,s:s},s:b,s:b,s:b,s:b}", "service", "code", sv->code, "name",
                            sv->name, "own", cur->own && !cur->own_broken, "own_broken",
                            cur->own_broken, "has_own", cur->own, "nav_services", 1);
    if (cur->own && cur->updated_at) { /* the UTC date is close enough for "since" */
        size_t n = strlen(cur->updated_at);
        const char *day = arena_strndup(rq->a, cur->updated_at, n < 10 ? n : 10);
        json_object_set_new(ctx, "updated", json_string(svcadm_date(rq, day)));
    }
    def_json(rq, preview ? preview : &cur->def, counts, ctx);
    if (preview) json_object_set_new(ctx, "preview", json_true());
    if (!json_object_get(f->v, "definisi"))
        json_object_set_new(f->v, "definisi", json_string(svcwf_pretty(rq->a, &cur->def)));
    str done = http_param(rq, "berhasil");
    if (str_eq_c(done, "simpan"))
        json_object_set_new(ctx, "done", json_string(http_t(rq, "The workflow was saved.")));
    else if (str_eq_c(done, "bawaan"))
        json_object_set_new(
            ctx, "done",
            json_string(http_t(rq, "The service follows the built-in workflow again.")));
    int status = form_ok(f) ? 200 : 422;
    form_into(f, ctx);
    return http_page(rq, status, "services/admin_workflow", ctx);
}

static int post(http_req *rq, db_conn *c, const service *sv)
{
    form_state f;
    form_init(&f);
    str typed = http_param(rq, "definisi");
    const char *json = arena_strndup(rq->a, typed.p ? typed.p : "", typed.n);
    json_object_set_new(f.v, "definisi", json_string(json)); /* kept exactly as typed */
    bool preview_only = str_eq_c(http_param(rq, "aksi"), "pratinjau");
    wf_def *d = arena_alloc(rq->a, sizeof *d);
    char where[64];
    enum wf_err e = WF_E_JSON;
    if (!str_trim(typed).n)
        form_error(rq, &f, "definisi",
                   "Enter the workflow definition, or go back to the "
                   "built-in workflow with the button below.");
    else if ((e = wf_parse(json, strlen(json), d, where, sizeof where)) != WF_OK)
        explain(rq, &f, e, where);
    if (!form_ok(&f) || preview_only) return page(rq, c, sv, &f, form_ok(&f) ? d : NULL);
    svcwf_stranded st;
    enum wf_err why;
    int r = save(rq, c, sv, json, &st, &why);
    if (r == SVCWF_STRANDED) stranded_error(rq, &f, "definisi", &st);
    else if (r == REQ_INVALID) explain(rq, &f, why, "");
    else if (r != DB_OK) {
        form_free(&f);
        return 503;
    }
    if (!form_ok(&f)) return page(rq, c, sv, &f, d);
    form_free(&f);
    return http_redirect(rq, 303,
                         arena_printf(rq->a, "/admin/layanan/%s/alur?berhasil=simpan", sv->code));
}

/* the service, and 403/404/503 when the caller may not manage it */
static int load(http_req *rq, db_conn *c, service *sv)
{
    int r = svc_get(c, rq->a, http_param(rq, "code"), sv);
    if (r == DB_DONE) return 404;
    if (r != DB_OK) return 503;
    return svcadm_may(rq, c, sv->owner_code) ? 0 : 403;
}

int svcadm_page_workflow(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service sv;
    int st = load(rq, c, &sv);
    if (!st) {
        if (rq->method == HTTP_POST) st = post(rq, c, &sv);
        else {
            form_state f;
            form_init(&f);
            st = page(rq, c, &sv, &f, NULL);
        }
    }
    db_release(c);
    return st;
}

int svcadm_page_workflow_reset(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service sv;
    int st = load(rq, c, &sv);
    svcwf_current *cur = arena_alloc(rq->a, sizeof *cur);
    if (!st && svcwf_current_get(c, rq->a, sv.id, cur) != DB_OK) st = 503;
    form_state f;
    form_init(&f);
    if (!st && rq->method == HTTP_POST && !cur->own) { /* nothing to reset: no audit entry */
        db_release(c);
        form_free(&f);
        return http_redirect(
            rq, 303, arena_printf(rq->a, "/admin/layanan/%s/alur?berhasil=bawaan", sv.code));
    }
    if (!st && rq->method == HTTP_POST) {
        svcwf_stranded s;
        enum wf_err why;
        int r = save(rq, c, &sv, NULL, &s, &why);
        if (r == SVCWF_STRANDED) stranded_error(rq, &f, "konfirmasi", &s);
        else if (r != DB_OK) st = 503;
        if (!st && form_ok(&f)) {
            db_release(c);
            form_free(&f);
            return http_redirect(
                rq, 303, arena_printf(rq->a, "/admin/layanan/%s/alur?berhasil=bawaan", sv.code));
        }
    }
    if (st) {
        db_release(c);
        form_free(&f);
        return st;
    }
    /* what going back would drop: the own states the default does not have */
    json_t *dropped = json_array();
    const wf_def *def = wf_default();
    for (int i = 0; cur->own && i < cur->def.nstates; i++)
        if (wf_state_index(def, cur->def.states[i].code) < 0)
            json_array_append_new(dropped, json_pack("{s:s,s:s}", "code", cur->def.states[i].code,
                                                     "label", state_label(rq, &cur->def, i)));
    db_release(c);
    json_t *ctx = json_pack("{s:{s:s,s:s},s:b,s:o,s:b}", "service", "code", sv.code, "name",
                            sv.name, "has_own", cur->own, "dropped", dropped, "nav_services", 1);
    int status = form_ok(&f) ? 200 : 422;
    form_into(&f, ctx);
    return http_page(rq, status, "services/admin_workflow_reset", ctx);
}

/* ops api (more): the rest of the pages' operations as JSON for a signed-in session (see
 * web_ops.h): the citizen's answer to "perlu perbaikan" with replacement documents (mine.c
 * reqmine_fix), an officer filing a request for a citizen (work_assist.c work_assist_file) and
 * home visits (work_detail.c work_visit_add / work_visit_record, the worklist tab "kunjungan").
 * As in ops_api.c nothing here decides anything of its own: the checks, the moves, the SLA
 * clock, the applicant's messages are the pages' own. Per-field errors are 422 with
 * error.fields {name: sentence}; a request outside the officer's units is 404, as on the pages.
 * Times are UTC ("2026-11-23T10:44:18Z"); a visit is scheduled in the service point's local
 * date and time, as on the page. */
#include <stdlib.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/form.h"
#include "features/requests/ops_json.h"
#include "features/requests/view.h"
#include "features/requests/web_api.h"
#include "features/requests/web_ops.h"
#include "features/requests/web_track.h"
#include "features/services/services.h"
#include "lib/json.h"

#define VISIT_NOTE_MAX 1000
#define VISIT_BEFORE (7 * 86400) /* the worklist tab's window: a week back ... */
#define VISIT_AFTER (90 * 86400) /* ... three months ahead */
#define VISIT_WINDOW_MAX (400 * 86400)
#define FIELD_VALUE_MAX 1000

const http_param_spec reqops_fix_params[] = {
    {"code", HP_STR, 1, 64, true}, {"note", HP_STR, 0, 500, false}, {0}};
const http_param_spec reqops_visits_params[] = {{"from", HP_STR, 0, 40, false},
                                                {"to", HP_STR, 0, 40, false},
                                                {"state", HP_CODE, 0, 8, false},
                                                {0}};
const http_param_spec reqops_visit_params[] = {{"id", HP_INT, 1, INT32_MAX, true}, {0}};

/* ---- small pieces (the rest are ops_json.h's, shared with ops_api.c) ---- */

static json_t *nstr(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* 422 with every field's sentence: the page's field names renamed as the API names them
 * (names: pairs page -> api, NULL-terminated; a name not listed stays) */
static int field_errors(http_req *rq, const form_state *f, const char *const *names)
{
    json_t *fields = json_object();
    const char *k, *first = NULL;
    json_t *v;
    json_object_foreach(f->err, k, v)
    {
        const char *name = k;
        for (const char *const *p = names; p && *p; p += 2)
            if (strcmp(p[0], k) == 0) name = p[1];
        if (!first) first = json_string_value(v);
        json_object_set(fields, name, v);
    }
    json_t *e = json_pack("{s:s,s:s,s:o}", "code", "invalid", "message",
                          first ? first : http_t(rq, "Check the fields marked."), "fields", fields);
    return http_json(rq, 422, json_pack("{s:o}", "error", e));
}

/* a body string too long for its field: a field error, as the page's input would not take it */
static void too_long(http_req *rq, form_state *f, const char *key, const char *name, const char *v,
                     size_t max)
{
    if (v && strlen(v) > max)
        form_error_text(f, key, arena_printf(rq->a, http_t(rq, "%s is too long."), name));
}

/* ---- the citizen: replacement documents ---- */

int reqops_mine_fix(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    form_state f;
    form_init(&f);
    int r = reqmine_fix(rq, c, &f, http_param_c(rq, "note")), st;
    if (r == DB_OK) st = reqops_mine_answer(rq, c, 200);
    else if (r == 422) st = field_errors(rq, &f, NULL);
    else if (r == REQ_REFUSED)
        st = reqops_error(rq, 409, "refused",
                          http_t(rq, "This request is not waiting for a correction."));
    else if (r == REQ_CONFLICT)
        st = reqops_error(rq, 409, "conflict",
                          http_t(rq, "The request changed in the meantime. Load it again and try "
                                     "again."));
    else st = r == 404 ? 404 : 503;
    form_free(&f);
    db_release(c);
    return st;
}

/* ---- officers: filing for a citizen ---- */

/* the service's own answers: known codes, strings, a listed choice. The JSON text (arena) or
 * NULL with the errors in f (fields.<code>) */
static const char *form_answers(http_req *rq, db_conn *c, const char *svc, json_t *fields,
                                form_state *f)
{
    if (!fields || !json_object_size(fields)) return NULL;
    service s;
    svc_field *fs = NULL;
    size_t nf = 0;
    if (!svc || svc_get(c, rq->a, str_c(svc), &s) != DB_OK) return NULL; /* said */
    if (svc_fields(c, rq->a, s.id, &fs, &nf) != DB_OK) nf = 0;
    const char *k;
    json_t *v;
    json_object_foreach(fields, k, v)
    {
        const char *name = arena_printf(rq->a, "fields.%s", k);
        const svc_field *fd = NULL;
        for (size_t i = 0; i < nf && !fd; i++)
            if (fs[i].code && strcmp(fs[i].code, k) == 0) fd = &fs[i];
        const char *val = json_string_value(v);
        if (!fd)
            form_error_text(f, name,
                            arena_printf(rq->a, http_t(rq, "%s is not a known field."), name));
        else if (!val || strlen(val) > FIELD_VALUE_MAX)
            form_error_text(f, name,
                            arena_printf(rq->a, http_t(rq, "%s has the wrong type."), name));
        else if (fd->choices && *val) {
            bool listed = false;
            size_t n = strlen(val);
            for (const char *p = fd->choices; *p && !listed;) {
                const char *e = strchr(p, '\n');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                listed = len > n && strncmp(p, val, n) == 0 && p[n] == '=';
                p = e ? e + 1 : p + len;
            }
            if (!listed)
                form_error_text(
                    f, name,
                    arena_printf(rq->a, http_t(rq, "%s has a value this service does not accept."),
                                 name));
        }
    }
    if (!form_ok(f)) return NULL;
    char *j = json_dumps(fields, JSON_COMPACT);
    const char *out = j ? arena_strdup(rq->a, j) : NULL;
    free(j);
    return out;
}

int reqops_work_file(http_req *rq)
{
    static const char *const known[] = {"service",  "point",   "nik",    "name", "phone",
                                        "delivery", "address", "fields", NULL};
    static const char *const names[] = {"layanan", "service", "titik",   "point", "nama",
                                        "name",    "alamat",  "address", NULL};
    int st = 0;
    str ik = http_header_in(rq, "Idempotency-Key");
    if (ik.p && (ik.n < 8 || ik.n > 128))
        return reqops_error(
            rq, 400, "invalid",
            arena_printf(rq->a, http_t(rq, "%s must be 8 to 128 characters."), "Idempotency-Key"));
    json_t *b = reqops_body(rq, known, "fields", JSON_OBJECT, true, &st);
    if (!b) return st;
    work_assist_in in = {reqops_str(rq, b, "service"),
                         reqops_str(rq, b, "point"),
                         reqops_str(rq, b, "nik"),
                         reqops_str(rq, b, "name"),
                         reqops_str(rq, b, "phone"),
                         reqops_str(rq, b, "delivery"),
                         reqops_str(rq, b, "address"),
                         NULL,
                         ik.p ? arena_strndup(rq->a, ik.p, ik.n) : NULL};
    form_state f;
    form_init(&f);
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) {
        json_decref(b);
        form_free(&f);
        return 503;
    }
    if (!in.delivery || (strcmp(in.delivery, "pickup") && strcmp(in.delivery, "delivery")))
        form_error_text(&f, "delivery",
                        arena_printf(rq->a, http_t(rq, "%s must be one of: %s."), "delivery",
                                     "pickup, delivery"));
    too_long(rq, &f, "nama", "name", in.name, 200);
    too_long(rq, &f, "phone", "phone", in.phone, 32);
    too_long(rq, &f, "alamat", "address", in.address, 400);
    in.form_json = form_answers(rq, c, in.service, json_object_get(b, "fields"), &f);
    req_created out;
    /* the page's own checks add theirs (every field's error in one answer) */
    int r = work_assist_file(rq, c, &in, &f, &out);
    work_ref ref;
    if (r == 422 || !form_ok(&f)) st = field_errors(rq, &f, names);
    else if (r != DB_OK || work_ref_get(c, rq->a, out.code, &ref) != DB_OK) st = 503;
    else {
        req_view v;
        if (req_get(c, rq->a, ref.id, &v) != DB_OK) st = 503;
        else
            st = http_json(rq, out.existed ? 200 : 201,
                           json_pack("{s:o,s:s,s:s,s:b,s:s,s:s,s:s,s:s,s:i,s:o,s:o}",
                                     "tracking_code", reqops_shown(out.code), "status", v.status,
                                     "status_label", req_status_label(rq, v.status), "existed",
                                     out.existed, "channel", v.channel, "delivery", v.delivery,
                                     "service_code", v.service_code, "unit_code", v.unit_code,
                                     "standard_version", v.standard_version, "submitted_at",
                                     reqops_utc(v.submitted_at), "due_at", reqops_utc(v.due_at)));
    }
    db_release(c);
    json_decref(b);
    form_free(&f);
    return st;
}

/* ---- officers: home visits ---- */

static json_t *visit_json(int64_t id, const char code[TRK_LEN + 1], const char *at,
                          const char *team, const char *notes, const char *visited)
{
    return json_pack("{s:I,s:o,s:o,s:s,s:o,s:o,s:b}", "id", (json_int_t)id, "tracking_code",
                     reqops_shown(code), "scheduled_at", reqops_utc(at), "team", team ? team : "",
                     "notes", nstr(notes), "visited_at", reqops_utc(visited), "done",
                     visited != NULL);
}

static int by_time(const void *x, const void *y)
{
    const req_visit *a = x, *b = y;
    int c = strcmp(a->scheduled_at ? a->scheduled_at : "", b->scheduled_at ? b->scheduled_at : "");
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

int reqops_visits(http_req *rq)
{
    app *ap = app_of(rq);
    int64_t now = app_now(), from = now - VISIT_BEFORE, to = now + VISIT_AFTER;
    const char *bad = NULL;
    for (int i = 0; i < 2 && !bad; i++) {
        str t = http_param(rq, i ? "to" : "from");
        if (!t.p || !t.n) continue;
        int64_t x = reqapi_parse_time(t, ap->tz_offset_min);
        if (x < 0) bad = i ? "to" : "from";
        else if (i) to = x;
        else from = x;
    }
    if (bad)
        return reqops_error(rq, 400, "bad_request",
                            arena_printf(rq->a,
                                         http_t(rq, "%s must be a date (YYYY-MM-DD) or a date and "
                                                    "time with its zone (ISO 8601)."),
                                         bad));
    if (to <= from || to - from > VISIT_WINDOW_MAX)
        return reqops_error(rq, 400, "bad_request",
                            http_t(rq, "to must come after from, at most 400 days later."));
    const char *state = http_param_c(rq, "state");
    int want = 0; /* 0 open (the worklist tab), 1 done, 2 all */
    if (state && *state) {
        want = !strcmp(state, "open")   ? 0
               : !strcmp(state, "done") ? 1
               : !strcmp(state, "all")  ? 2
                                        : -1;
        if (want < 0)
            return reqops_error(rq, 400, "bad_request",
                                arena_printf(rq->a, http_t(rq, "%s must be one of: %s."), "state",
                                             "open, done, all"));
    }
    db_conn *c = db_acquire(ap->db);
    if (!c) return 503;
    int64_t *roots;
    size_t nroots, n = 0, cap = 0;
    req_visit *all = NULL;
    int r = work_scope(c, rq->a, rq->who.user_id, WORK_ROLES, &roots, &nroots);
    for (size_t i = 0; r == DB_OK && i < nroots; i++) {
        req_visit *v;
        size_t k;
        r = req_visits(c, rq->a, roots[i], from, to, &v, &k);
        if (r != DB_OK || !k) continue;
        if (n + k > cap) {
            size_t nc = (n + k) * 2;
            req_visit *m = arena_alloc(rq->a, nc * sizeof *m);
            if (!m) {
                r = DB_ERR;
                break;
            }
            if (n) memcpy(m, all, n * sizeof *m);
            all = m;
            cap = nc;
        }
        memcpy(all + n, v, k * sizeof *v);
        n += k;
    }
    db_release(c);
    if (r != DB_OK) return 503;
    if (n > 1) qsort(all, n, sizeof *all, by_time);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        bool done = all[i].visited_at != NULL;
        if ((want == 0 && done) || (want == 1 && !done)) continue;
        json_array_append_new(arr, visit_json(all[i].id, all[i].code, all[i].scheduled_at,
                                              all[i].team, all[i].notes, all[i].visited_at));
    }
    char f[21], t[21];
    acct_iso(from, f);
    acct_iso(to, t);
    return http_json(rq, 200,
                     json_pack("{s:o,s:i,s:s,s:s,s:s}", "visits", arr, "count",
                               (int)json_array_size(arr), "from", f, "to", t, "state",
                               want == 0   ? "open"
                               : want == 1 ? "done"
                                           : "all"));
}

/* the visit `id` of the request as it is now */
static int visit_answer(http_req *rq, db_conn *c, const work_ref *ref, int64_t id, int status)
{
    work_visit *vs;
    size_t n;
    if (work_visits_of(c, rq->a, ref->id, &vs, &n) != DB_OK) return 503;
    for (size_t i = 0; i < n; i++)
        if (vs[i].id == id)
            return http_json(rq, status,
                             visit_json(id, ref->code, vs[i].scheduled_at, vs[i].team, vs[i].notes,
                                        vs[i].visited_at));
    return 503;
}

/* the request {code} in the caller's scope (outside it: 404, as on the page); the connection
 * held when 0 */
static int work_open(http_req *rq, db_conn **c, work_ref *ref)
{
    *c = db_acquire(app_of(rq)->db);
    if (!*c) return 503;
    unsigned role;
    int st = work_find(rq, *c, ref, &role);
    if (st) {
        db_release(*c);
        *c = NULL;
    }
    return st == 403 ? 404 : st;
}

int reqops_visit_add(http_req *rq)
{
    static const char *const known[] = {"date", "time", "team", "notes", NULL};
    static const char *const names[] = {"tanggal", "date", "tim", "team", NULL};
    int st = 0;
    json_t *b = reqops_body(rq, known, NULL, JSON_STRING, true, &st);
    if (!b) return st;
    const char *date = reqops_str(rq, b, "date"), *hm = reqops_str(rq, b, "time"),
               *team = reqops_str(rq, b, "team"), *notes = reqops_str(rq, b, "notes");
    json_decref(b);
    db_conn *c;
    work_ref ref;
    st = work_open(rq, &c, &ref);
    if (st) return st;
    form_state f;
    form_init(&f);
    too_long(rq, &f, "tim", "team", team, 200);
    too_long(rq, &f, "notes", "notes", notes, VISIT_NOTE_MAX);
    int64_t id = 0;
    int r = form_ok(&f) ? work_visit_add(rq, c, &ref, date, hm, team, notes, &f, &id) : 422;
    if (r == 422) st = field_errors(rq, &f, names);
    else if (r != DB_OK) st = 503;
    else st = visit_answer(rq, c, &ref, id, 201);
    form_free(&f);
    db_release(c);
    return st;
}

int reqops_visit_done(http_req *rq)
{
    static const char *const known[] = {"notes", NULL};
    int st = 0;
    json_t *b = reqops_body(rq, known, NULL, JSON_STRING, true, &st);
    if (!b) return st;
    const char *notes = reqops_str(rq, b, "notes");
    json_decref(b);
    if (notes && strlen(notes) > VISIT_NOTE_MAX)
        return reqops_error(rq, 400, "invalid",
                            arena_printf(rq->a, http_t(rq, "%s is too long."), "notes"));
    long vid = 0;
    if (!str_to_long(http_param(rq, "id"), 1, INT32_MAX, &vid)) return 404;
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    /* the visit's request, then the same scope as its page: outside it, as if it did not
     * exist */
    int64_t rid = work_visit_request(c, vid);
    req_view v;
    work_ref ref;
    if (rid <= 0) st = 404;
    else if (req_get(c, rq->a, rid, &v) != DB_OK || work_ref_get(c, rq->a, v.code, &ref) != DB_OK)
        st = 503;
    else if (!work_role_at(c, rq->who.user_id, ref.unit_id)) st = 404;
    else {
        int r = work_visit_record(rq, c, &ref, vid, notes);
        if (r == DB_OK) st = visit_answer(rq, c, &ref, vid, 200);
        else if (r == REQ_CONFLICT)
            st = reqops_error(rq, 409, "conflict",
                              http_t(rq, "This home visit is already recorded."));
        else st = r == 404 ? 404 : 503;
    }
    db_release(c);
    return st;
}

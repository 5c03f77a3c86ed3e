/* work detail: one request for an officer (/petugas/{code}): the form data and personal data in
 * full (the read is recorded with acct_record_access and committed before anything is shown),
 * the requirement documents beside the form, the history, the claim, the moves the workflow
 * allows the officer's role, sending with a courier and home visits. Actions are POSTs to the
 * same address (aksi = ambil | lepas | pindah | kunjungan | kunjungan_selesai). */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/workflow.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/form.h"
#include "features/requests/requests.h"
#include "features/requests/view.h"
#include "features/requests/web_work.h"
#include "features/services/services.h"

const http_param_spec work_one_params[] = {
    {"code", HP_CODE, 1, 16, true},      {"aksi", HP_CODE, 0, 24, false},
    {"ke", HP_CODE, 0, 31, false},       {"dari", HP_CODE, 0, 31, false},
    {"catatan", HP_STR, 0, 1000, false}, {"kurir", HP_INT, 0, INT32_MAX, false},
    {"tanggal", HP_STR, 0, 10, false},   {"jam", HP_STR, 0, 5, false},
    {"tim", HP_STR, 0, 200, false},      {"kunjungan", HP_INT, 0, INT32_MAX, false},
    {"berhasil", HP_CODE, 0, 24, false}, {0}};
const http_param_spec work_doc_params[] = {
    {"code", HP_CODE, 1, 16, true}, {"id", HP_INT, 1, INT32_MAX, true}, {0}};

#define PURPOSE "memproses permohonan"

/* the read of a citizen's personal data, committed before it is shown; requests filed for a
 * citizen without an account (assisted) have nobody to show the record to */
int work_record_read(db_conn *c, const work_ref *ref, int64_t me, const char *fields)
{
    if (ref->applicant_id <= 0) return DB_OK;
    int r = db_begin(c);
    if (r == DB_OK)
        r = acct_record_access(c, app_now(), ref->applicant_id, me, ref->unit_id, PURPOSE, fields);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    return r;
}

/* the name of a choice ("key=Name" lines), or the key itself when it is not listed */
static const char *choice_name(http_req *rq, const char *choices, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = choices; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len > n && strncmp(p, key, n) == 0 && p[n] == '=')
            return arena_strndup(rq->a, p + n + 1, len - n - 1);
        if (!e) break;
        p = e + 1;
    }
    return key;
}

static json_t *form_fields(http_req *rq, db_conn *c, int64_t service_id, const char *form_json)
{
    json_t *out = json_array();
    json_t *obj = form_json ? json_loads(form_json, 0, NULL) : NULL;
    if (!json_is_object(obj)) {
        json_decref(obj);
        return out;
    }
    svc_field *fs = NULL;
    size_t nf = 0;
    if (svc_fields(c, rq->a, service_id, &fs, &nf) != DB_OK) nf = 0;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        const char *label = key;
        const svc_field *fd = NULL;
        for (size_t i = 0; i < nf; i++)
            if (fs[i].code && strcmp(fs[i].code, key) == 0) fd = &fs[i];
        if (fd && fd->label) label = fd->label;
        const char *val = json_is_string(v) ? json_string_value(v) : NULL;
        /* in words, as the applicant saw them: a date, a choice's name, the KIA kind */
        if (val && fd && fd->datatype && strcmp(fd->datatype, "datetime") == 0)
            val = app_fmt_date(rq, val);
        else if (val && fd && fd->choices) val = choice_name(rq, fd->choices, val);
        else if (val && strcmp(key, "jenis_kia") == 0) {
            label = http_t(rq, "KIA kind");
            val = strcmp(val, "0-5") == 0    ? http_t(rq, "KIA for a child aged 0 to 5")
                  : strcmp(val, "5-17") == 0 ? http_t(rq, "KIA for a child aged 5 to 17")
                                             : val;
        }
        char *dump = val ? NULL : json_dumps(v, JSON_ENCODE_ANY);
        json_array_append_new(out, json_pack("{s:s,s:s}", "label", label, "value",
                                             val    ? val
                                             : dump ? arena_strdup(rq->a, dump)
                                                    : ""));
        free(dump);
    }
    json_decref(obj);
    return out;
}

static json_t *documents(http_req *rq, db_conn *c, const work_ref *ref, const req_view *v)
{
    json_t *out = json_array();
    req_document *d;
    size_t nd = 0;
    if (req_docs(c, rq->a, ref->id, true, &d, &nd) != DB_OK) nd = 0;
    svc_standard st;
    bool have = svc_standard_version(c, rq->a, ref->service_id, v->standard_version, &st) == DB_OK;
    bool *used = nd ? arena_alloc(rq->a, nd) : NULL;
    if (used) memset(used, 0, nd);
    for (size_t i = 0; have && i < st.nreqs; i++) {
        json_t *row = json_pack("{s:s,s:b}", "label", st.reqs[i].label ? st.reqs[i].label : "",
                                "required", st.reqs[i].required);
        for (size_t j = 0; j < nd; j++) {
            if (!st.reqs[i].doc_type || !d[j].doc_type ||
                strcmp(st.reqs[i].doc_type, d[j].doc_type))
                continue;
            used[j] = true;
            json_object_set_new(row, "href",
                                json_string(arena_printf(rq->a, "/petugas/%s/dokumen/%lld",
                                                         ref->code, (long long)d[j].id)));
            json_object_set_new(row, "uploaded", json_string(work_time(rq, d[j].uploaded_at)));
        }
        json_array_append_new(out, row);
    }
    for (size_t j = 0; j < nd; j++) {
        if (used && used[j]) continue;
        json_array_append_new(out, json_pack("{s:s,s:b,s:s,s:s}", "label",
                                             d[j].doc_type ? d[j].doc_type : "", "required", false,
                                             "href",
                                             arena_printf(rq->a, "/petugas/%s/dokumen/%lld",
                                                          ref->code, (long long)d[j].id),
                                             "uploaded", work_time(rq, d[j].uploaded_at)));
    }
    return out;
}

static json_t *history(http_req *rq, db_conn *c, const req_view *v)
{
    json_t *out = json_array();
    for (size_t i = 0; i < v->nevents; i++) {
        const req_event *e = &v->events[i];
        const char *who = e->actor_id ? work_user_name(c, rq->a, e->actor_id) : "";
        json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:s}", "at", work_time(rq, e->at),
                                             "status", req_status_label(rq, e->to), "who", who,
                                             "note", e->note ? e->note : ""));
    }
    return out;
}

static int render(http_req *rq, db_conn *c, const work_ref *ref, unsigned role, form_state *f,
                  int status)
{
    int64_t me = rq->who.user_id;
    req_view v;
    if (req_get(c, rq->a, ref->id, &v) != DB_OK) return 503;
    if (work_record_read(c, ref, me, WORK_READ_FIELDS) != DB_OK) return 503;
    req_private_data p;
    if (req_private(c, &app_of(rq)->keys, rq->a, ref->id, &p) != DB_OK) return 503;
    char shown[TRK_SHOWN + 1];
    trk_format(ref->code, shown);
    json_t *ctx = json_object();
    json_object_set_new(
        ctx, "r",
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "code",
                  shown, "path", arena_printf(rq->a, "/petugas/%s", ref->code), "raw", ref->code,
                  "service", v.service_name, "point", v.unit_name, "status",
                  req_status_label(rq, v.status), "status_code", v.status, "channel",
                  req_channel_label(rq, v.channel), "delivery", req_delivery_label(rq, v.delivery),
                  "submitted", work_time(rq, v.submitted_at), "due",
                  v.due_at ? work_time(rq, v.due_at) : "-", "nik", p.nik ? p.nik : "-", "kk",
                  p.kk ? p.kk : "", "name", p.name ? p.name : "-", "phone", p.phone ? p.phone : "",
                  "address", p.address ? p.address : ""));
    json_object_set_new(ctx, "heads", json_boolean((rq->who.roles & WORK_HEADS) != 0));
    json_object_set_new(ctx, "fields", form_fields(rq, c, ref->service_id, p.form_json));
    json_object_set_new(ctx, "docs", documents(rq, c, ref, &v));
    json_object_set_new(ctx, "events", history(rq, c, &v));
    json_object_set_new(ctx, "recorded", json_boolean(ref->applicant_id > 0));
    /* the claim */
    if (v.claimed_by == me) json_object_set_new(ctx, "mine", json_true());
    else if (v.claimed_by)
        json_object_set_new(ctx, "claimed_by",
                            json_string(v.claimed_by_name ? v.claimed_by_name : "?"));
    /* the moves (only for the holder, or when nobody holds it) */
    wf_def wf;
    const char *next[16];
    int nn = 0;
    if (req_workflow(c, ref->service_id, &wf) != DB_OK) return 503;
    if (!v.claimed_by || v.claimed_by == me) nn = wf_next(&wf, v.status, role, next, 16);
    json_t *moves = json_array();
    bool courier = false;
    json_t *why = json_array();
    for (int i = 0; i < nn; i++) {
        const wf_transition *t = wf_find(&wf, v.status, next[i]);
        if (strcmp(next[i], "dikirim") == 0) courier = true;
        if (t && t->reason) json_array_append_new(why, json_string(req_action_label(rq, next[i])));
        const wf_state *to = wf_state_get(&wf, next[i]);
        json_array_append_new(
            moves,
            json_pack("{s:s,s:s,s:b}", "to", next[i], "label", req_action_label(rq, next[i]),
                      "warn", strcmp(next[i], "ditolak") == 0 || (to && to->end == WF_END_CANCEL)));
    }
    json_object_set_new(ctx, "moves", moves);
    if (json_array_size(why)) {
        json_t *labels = why;
        buf b;
        buf_init(&b, 1024);
        size_t i;
        json_t *x;
        json_array_foreach(labels, i, x)
        {
            if (i) buf_puts(&b, ", ");
            buf_puts(&b, json_string_value(x));
        }
        str s = buf_str(&b);
        json_object_set_new(
            ctx, "reason_for",
            json_string(arena_printf(rq->a, http_t(rq, "A reason is required for: %.*s."), (int)s.n,
                                     s.p ? s.p : "")));
        buf_free(&b);
    }
    json_decref(why);
    if (courier) {
        work_person *ps;
        size_t np;
        json_t *cs = json_array();
        if (work_couriers(c, rq->a, ref->unit_id, &ps, &np) == DB_OK)
            for (size_t i = 0; i < np; i++)
                json_array_append_new(
                    cs, json_pack("{s:I,s:s}", "id", (json_int_t)ps[i].id, "name", ps[i].name));
        json_object_set_new(ctx, "couriers", cs);
    }
    /* home visits */
    work_visit *vs;
    size_t nv;
    json_t *visits = json_array();
    if (work_visits_of(c, rq->a, ref->id, &vs, &nv) == DB_OK)
        for (size_t i = 0; i < nv; i++)
            json_array_append_new(
                visits,
                json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)vs[i].id, "when",
                          work_time(rq, vs[i].scheduled_at), "team", vs[i].team ? vs[i].team : "",
                          "notes", vs[i].notes ? vs[i].notes : "", "done",
                          vs[i].visited_at ? work_time(rq, vs[i].visited_at) : ""));
    json_object_set_new(ctx, "visits", visits);
    const wf_state *now_st = wf_state_get(&wf, v.status);
    json_object_set_new(ctx, "open", json_boolean(nn > 0 || (now_st && !now_st->terminal)));
    str done = http_param(rq, "berhasil");
    if (done.p && done.n) {
        const char *msg = str_eq_c(done, "ambil")       ? http_t(rq, "You now handle this request.")
                          : str_eq_c(done, "lepas")     ? http_t(rq, "You released the request.")
                          : str_eq_c(done, "kunjungan") ? http_t(rq, "The home visit is scheduled.")
                          : str_eq_c(done, "kunjungan_selesai")
                              ? http_t(rq, "The home visit is recorded.")
                          : str_eq_c(done, "diajukan")
                              ? http_t(rq, "The request is filed. Give the applicant its number.")
                              : http_t(rq, "The request moved on. The applicant is informed.");
        json_object_set_new(ctx, "done", json_string(msg));
    }
    form_into(f, ctx);
    return http_page(rq, status, "requests/work_one", ctx);
}

/* a local date and time at the request's point -> an instant; -1 when malformed */
static int64_t local_instant(db_conn *c, http_req *rq, const work_ref *ref, const char *date,
                             const char *hm)
{
    cal_date d;
    int h = 0, m = 0;
    if (!date || !cal_date_parse(date, strlen(date), &d)) return -1;
    if (!hm || strlen(hm) != 5 || hm[2] != ':' || sscanf(hm, "%2d:%2d", &h, &m) != 2 || h > 23 ||
        m > 59 || h < 0 || m < 0)
        return -1;
    cal_calendar cal;
    if (req_point_calendar(c, rq->a, ref->service_id, ref->unit_id, app_now(), &cal) != DB_OK)
        return -1;
    return cal_instant(&cal, cal_days_from_civil(d.y, d.m, d.d), h * 60 + m);
}

int work_visit_add(http_req *rq, db_conn *c, const work_ref *ref, const char *date, const char *hm,
                   const char *team, const char *notes, form_state *f, int64_t *id)
{
    *id = 0;
    int64_t at = local_instant(c, rq, ref, date, hm);
    if (at < 0) form_error(rq, f, "tanggal", "Enter the date and time of the visit.");
    if (!team || strlen(team) < 2) form_error(rq, f, "tim", "Write who goes on the visit.");
    if (!form_ok(f)) return 422;
    int r = req_visit_schedule(c, app_now(), ref->id, at, team, notes, rq->who.user_id, id);
    return r == DB_OK ? DB_OK : 503;
}

int work_visit_record(http_req *rq, db_conn *c, const work_ref *ref, int64_t visit_id,
                      const char *notes)
{
    (void)rq;
    if (visit_id <= 0 || work_visit_request(c, visit_id) != ref->id) return 404;
    int r = req_visit_done(c, app_now(), visit_id, notes);
    if (r == DB_OK || r == REQ_CONFLICT) return r;
    return r == DB_DONE ? 404 : 503;
}

static int done_redirect(http_req *rq, const work_ref *ref, const char *what)
{
    return http_redirect(rq, 303, arena_printf(rq->a, "/petugas/%s?berhasil=%s", ref->code, what));
}

struct move_ctx {
    http_req *rq;
    const work_ref *ref;
    unsigned role;
    int64_t me, courier, now;
    const char *to, *from, *note;
    enum wf_err why;
};

static int move_fn(db_conn *c, void *ud)
{
    struct move_ctx *x = ud;
    int r = req_claim(c, x->now, x->ref->id, x->me);
    if (r != DB_OK) return r;
    if (strcmp(x->to, "dikirim") == 0 && x->courier > 0) {
        r = req_delivery_assign(c, x->now, x->ref->id, x->courier, x->role, x->me, &x->why);
    } else {
        req_move m = {.to = x->to,
                      .role = x->role,
                      .actor_id = x->me,
                      .note = x->note,
                      .expect_from = x->from};
        r = req_transition(c, x->now, x->ref->id, &m, &x->why);
    }
    if (r == DB_OK) r = work_notify(x->rq, c, x->now, x->ref->id, x->to, x->note);
    return r;
}

/* runs a move in one transaction (retried when the database is busy): the claim (the mover
 * holds the request), the move, the applicant's message. See web_work.h. */
int work_move(http_req *rq, db_conn *c, const work_ref *ref, unsigned role, int64_t me,
              const char *to, const char *from, const char *note, int64_t courier, enum wf_err *why)
{
    struct move_ctx x = {rq, ref, role, me, courier, app_now(), to, from, note, WF_OK};
    int r = db_retry_tx(c, move_fn, &x, 6);
    *why = x.why;
    return r;
}

static int post(http_req *rq, db_conn *c, work_ref *ref, unsigned role, form_state *f)
{
    int64_t me = rq->who.user_id;
    str aksi = http_param(rq, "aksi");
    int r;
    if (str_eq_c(aksi, "ambil")) {
        r = req_claim(c, app_now(), ref->id, me);
        if (r == DB_OK) return done_redirect(rq, ref, "ambil");
        if (r != REQ_CONFLICT) return 503;
        form_error(rq, f, "ambil", "Another officer took this request a moment ago.");
        return render(rq, c, ref, role, f, 409);
    }
    if (str_eq_c(aksi, "lepas")) {
        r = req_release(c, ref->id, me);
        if (r == DB_OK) return done_redirect(rq, ref, "lepas");
        if (r != REQ_CONFLICT) return 503;
        form_error(rq, f, "ambil", "Only the officer who handles a request can release it.");
        return render(rq, c, ref, role, f, 409);
    }
    if (str_eq_c(aksi, "pindah")) {
        const char *to = http_param_c(rq, "ke"), *from = http_param_c(rq, "dari");
        str note = form_keep(rq, f, "catatan", 1000);
        long courier = 0;
        str k = http_param(rq, "kurir");
        if (k.p && k.n) str_to_long(k, 0, INT32_MAX, &courier);
        if (!to || !*to) return 400;
        if (strcmp(to, "dikirim") == 0) {
            if (!work_courier_ok(c, rq->a, ref->unit_id, courier)) {
                form_error(rq, f, "kurir", "Choose the courier who takes the document.");
                return render(rq, c, ref, role, f, 422);
            }
        }
        const char *nt = note.n ? arena_strndup(rq->a, note.p, note.n) : NULL;
        enum wf_err why = WF_OK;
        const char *seen = from && *from ? from : ref->status;
        r = work_move(rq, c, ref, role, me, to, seen, nt, courier, &why);
        if (r == DB_OK) return done_redirect(rq, ref, "pindah");
        if (r == REQ_REFUSED) {
            form_error_text(f, "catatan", work_refusal(rq, why));
            return render(rq, c, ref, role, f, 422);
        }
        if (r == REQ_CONFLICT) {
            form_error(rq, f, "catatan",
                       "Someone else changed or took this request just now. Check its status and "
                       "try again.");
            return render(rq, c, ref, role, f, 409);
        }
        return 503;
    }
    if (str_eq_c(aksi, "kunjungan")) {
        str d = form_keep(rq, f, "tanggal", 10), h = form_keep(rq, f, "jam", 5);
        str team = form_keep(rq, f, "tim", 200), note = form_keep(rq, f, "catatan", 1000);
        int64_t id;
        r = work_visit_add(rq, c, ref, arena_strndup(rq->a, d.p ? d.p : "", d.n),
                           arena_strndup(rq->a, h.p ? h.p : "", h.n),
                           arena_strndup(rq->a, team.p ? team.p : "", team.n),
                           note.n ? arena_strndup(rq->a, note.p, note.n) : NULL, f, &id);
        if (r == 422) return render(rq, c, ref, role, f, 422);
        if (r != DB_OK) return 503;
        return done_redirect(rq, ref, "kunjungan");
    }
    if (str_eq_c(aksi, "kunjungan_selesai")) {
        long vid = 0;
        str v = http_param(rq, "kunjungan");
        if (!v.p || !str_to_long(v, 1, INT32_MAX, &vid)) return 404;
        str note = http_param(rq, "catatan");
        r = work_visit_record(rq, c, ref, vid,
                              note.n ? arena_strndup(rq->a, note.p, note.n) : NULL);
        if (r == 404) return 404;
        if (r != DB_OK && r != REQ_CONFLICT) return 503;
        return done_redirect(rq, ref, "kunjungan_selesai");
    }
    return 400;
}

int work_page_one(http_req *rq)
{
    app *ap = app_of(rq);
    db_conn *c = db_acquire(ap->db);
    if (!c) return 503;
    work_ref ref;
    unsigned role;
    int r = work_find(rq, c, &ref, &role);
    if (r) {
        db_release(c);
        return r == 403 ? 404 : r; /* the page: outside the scope is as if it did not exist */
    }
    form_state f;
    form_init(&f);
    int st =
        rq->method == HTTP_POST ? post(rq, c, &ref, role, &f) : render(rq, c, &ref, role, &f, 200);
    form_free(&f);
    db_release(c);
    return st;
}

/* apply: the online application form of a service (GET shows it, POST checks and files it).
 * The form comes from the standard in force today (its requirements become file inputs) and the
 * service's own fields (isian1..isianN, in svc_fields order). Everything typed is kept when the
 * form comes back with errors; chosen files are not (the page says to choose them again).
 * A valid submit files the request with req_create (idempotent by the hidden key `kunci`, one
 * per form render) and adds the documents in the same transaction, then 303 to the receipt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kk.h"
#include "core/nik.h"
#include "core/region_table.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/form.h"
#include "features/requests/notify.h"
#include "features/requests/requests.h"
#include "features/requests/view.h"
#include "features/requests/web_apply.h"
#include "features/services/services.h"
#include "features/units/units.h"
#include "render/i18n.h"

const http_param_spec reqweb_apply_params[] = {
    {"code", HP_CODE, 1, 60, true},        {"unit", HP_CODE, 0, 40, false},
    {"nik", HP_STR, 0, 64, false},         {"kk", HP_STR, 0, 64, false},
    {"isian1", HP_STR, 0, 2000, false},    {"isian2", HP_STR, 0, 2000, false},
    {"isian3", HP_STR, 0, 2000, false},    {"isian4", HP_STR, 0, 2000, false},
    {"isian5", HP_STR, 0, 2000, false},    {"isian6", HP_STR, 0, 2000, false},
    {"isian7", HP_STR, 0, 2000, false},    {"isian8", HP_STR, 0, 2000, false},
    {"isian9", HP_STR, 0, 2000, false},    {"isian10", HP_STR, 0, 2000, false},
    {"pengiriman", HP_CODE, 0, 20, false}, {"alamat", HP_STR, 0, 1000, false},
    {"kunci", HP_CODE, 0, 64, false},      {"simpan1", HP_CODE, 0, 64, false},
    {"simpan2", HP_CODE, 0, 64, false},    {"simpan3", HP_CODE, 0, 64, false},
    {"simpan4", HP_CODE, 0, 64, false},    {"simpan5", HP_CODE, 0, 64, false},
    {"simpan6", HP_CODE, 0, 64, false},    {"simpan7", HP_CODE, 0, 64, false},
    {"simpan8", HP_CODE, 0, 64, false},    {"konfirmasi", HP_CODE, 0, 1, false},
    {"ubah", HP_CODE, 0, 1, false},        {0}};

static const char *const deliveries[] = {"pickup", "delivery", "kiosk"};

static cal_date today_date(app *a, int64_t now)
{
    return cal_civil_from_days((now + (int64_t)a->tz_offset_min * 60) / 86400);
}

static int load(http_req *rq, db_conn *c, apply_src *x)
{
    app *a = app_of(rq);
    memset(x, 0, sizeof *x);
    char td[16];
    app_today(rq, td, sizeof td);
    int r = svc_get(c, rq->a, http_param(rq, "code"), &x->s);
    if (r == DB_OK && !x->s.active) r = DB_DONE;
    if (r == DB_OK) r = svc_standard_at(c, rq->a, x->s.id, td, &x->st);
    if (r == DB_OK) r = svc_fields(c, rq->a, x->s.id, &x->fields, &x->nfields);
    if (r == DB_OK) r = svc_points(c, rq->a, x->s.id, &x->points, &x->npoints);
    if (r != DB_OK) return r;
    if (x->nfields > APPLY_MAX_FIELDS) x->nfields = APPLY_MAX_FIELDS;
    x->has_me = acct_private_get(c, &a->keys, rq->who.user_id, rq->a, &x->me) == DB_ROW;
    if (x->has_me && x->me.nik && *x->me.nik)
        req_open_count(c, &a->keys, x->me.nik, x->s.id, &x->open_count);
    for (size_t i = 0; i < x->st.nreqs; i++)
        if (strcmp(x->st.reqs[i].doc_type, "kk") == 0) x->needs_kk = true;
    return DB_OK;
}

static bool point_ok(const apply_src *x, const char *code)
{
    for (size_t i = 0; i < x->npoints; i++)
        if (x->points[i].active && strcmp(x->points[i].unit_code, code) == 0) return true;
    return false;
}

static const char *input_type(const char *datatype)
{
    if (strcmp(datatype, "datetime") == 0 || strcmp(datatype, "date") == 0) return "date";
    if (strcmp(datatype, "singlevaluelist") == 0) return "select";
    if (strcmp(datatype, "text") == 0) return "textarea";
    if (strcmp(datatype, "number") == 0) return "number";
    return "text";
}

/* "key=Name" lines -> [{value, label, selected}] */
static json_t *choices_json(http_req *rq, const char *choices, const char *sel)
{
    json_t *arr = json_array();
    for (const char *p = choices ? choices : ""; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq) {
            char *val = arena_strndup(rq->a, p, (size_t)(eq - p));
            json_array_append_new(arr, json_pack("{s:s,s:s%,s:b}", "value", val, "label", eq + 1,
                                                 (size_t)(p + n - eq - 1), "selected",
                                                 sel && strcmp(sel, val) == 0));
        }
        if (!e) break;
        p = e + 1;
    }
    return arr;
}

static bool choice_valid(const char *choices, str v)
{
    for (const char *p = choices ? choices : ""; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq && (size_t)(eq - p) == v.n && memcmp(p, v.p, v.n) == 0) return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* the page: the form state f is consumed */
static int render(http_req *rq, const apply_src *x, form_state *f, const char *key,
                  const apply_file *files)
{
    json_t *fields = json_array(), *reqs = json_array(), *points = json_array(),
           *dels = json_array();
    const char *unit_sel = jstr(f->v, "unit");
    for (size_t i = 0; i < x->npoints; i++)
        if (x->points[i].active)
            json_array_append_new(points, json_pack("{s:s,s:s,s:b}", "code", x->points[i].unit_code,
                                                    "name", x->points[i].unit_name, "selected",
                                                    strcmp(unit_sel, x->points[i].unit_code) == 0));
    for (size_t i = 0; i < x->nfields; i++) {
        const svc_field *fd = &x->fields[i];
        char name[32];
        snprintf(name, sizeof name, "isian%zu", i + 1);
        const char *t = input_type(fd->datatype);
        const char *val = jstr(f->v, name);
        json_t *o = json_pack("{s:s,s:s,s:s*,s:b,s:s,s:s*}", "name", name, "label", fd->label,
                              "hint", fd->description, "required", fd->required, "value", val,
                              "error", json_string_value(json_object_get(f->err, name)));
        json_object_set_new(o,
                            strcmp(t, "date") == 0       ? "is_date"
                            : strcmp(t, "select") == 0   ? "is_select"
                            : strcmp(t, "textarea") == 0 ? "is_textarea"
                            : strcmp(t, "number") == 0   ? "is_number"
                                                         : "is_text",
                            json_true());
        if (strcmp(t, "select") == 0)
            json_object_set_new(o, "choices", choices_json(rq, fd->choices, val));
        json_array_append_new(fields, o);
    }
    for (size_t i = 0; i < x->st.nreqs; i++) {
        const svc_requirement *q = &x->st.reqs[i];
        char *name = arena_printf(rq->a, "berkas_%s", q->doc_type);
        json_t *o =
            json_pack("{s:s,s:s,s:b,s:s*,s:b,s:s*}", "name", name, "label", q->label, "required",
                      q->required, "cond", q->cond_label, "original", q->original_shown, "error",
                      json_string_value(json_object_get(f->err, name)));
        if (files && files[i].sha256 && i < APPLY_MAX_KEPT) {
            json_object_set_new(o, "kept", json_true());
            json_object_set_new(o, "keep_name",
                                json_string(arena_printf(rq->a, "simpan%zu", i + 1)));
            json_object_set_new(o, "sha", json_string(files[i].sha256));
            json_object_set_new(o, "kind", json_string(apply_kind(files[i].content_type)));
            json_object_set_new(o, "kb", json_integer((files[i].size + 1023) / 1024));
        }
        json_array_append_new(reqs, o);
    }
    const char *del_sel = jstr(f->v, "pengiriman");
    static const char *const del_hint[] = {
        N_("Collect the result at the service point you chose."),
        N_("A courier brings the result to your address. Someone must be at home to receive it."),
        N_("Print the result yourself at a self-service kiosk with your tracking code and a "
           "one-time PIN shown on the receipt.")};
    for (int i = 0; i < 3; i++)
        json_array_append_new(dels, json_pack("{s:s,s:s,s:s,s:b}", "value", deliveries[i], "label",
                                              req_delivery_label(rq, deliveries[i]), "hint",
                                              http_t(rq, del_hint[i]), "checked",
                                              strcmp(del_sel, deliveries[i]) == 0));
    json_t *ctx = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:s,s:i,s:I}", "code", x->s.code,
                            "service", x->s.name, "points", points, "fields", fields, "reqs", reqs,
                            "deliveries", dels, "needs_kk", x->needs_kk, "key", key, "open_count",
                            x->open_count, "max_mb", (json_int_t)(APPLY_FILE_MAX >> 20));
    form_into(f, ctx);
    return http_page(rq, 200, "requests/apply", ctx);
}

/* KIA: the child's age decides the kind; 17 and over cannot have one */
static const char *kia_kind(cal_date birth, cal_date today, int *age)
{
    int y = today.y - birth.y;
    if (today.m < birth.m || (today.m == birth.m && today.d < birth.d)) y--;
    *age = y;
    if (y >= 17) return NULL;
    return y < 5 ? "0-5" : "5-17";
}

/* the service's own fields into form_json; errors into f */
static json_t *check_fields(http_req *rq, const apply_src *x, form_state *f, cal_date today)
{
    json_t *form = json_object();
    bool kia = strcmp(x->s.code, "kia") == 0;
    for (size_t i = 0; i < x->nfields; i++) {
        const svc_field *fd = &x->fields[i];
        char name[32];
        snprintf(name, sizeof name, "isian%zu", i + 1);
        str v = form_keep(rq, f, name, 2000);
        const char *t = input_type(fd->datatype);
        if (!v.n) {
            if (fd->required)
                form_error(rq, f, name, strcmp(t, "select") == 0 ? "Choose %s." : "Enter %s.",
                           fd->label);
            continue;
        }
        if (strcmp(t, "date") == 0) {
            cal_date d;
            if (!cal_date_parse(v.p, v.n, &d)) {
                form_error(rq, f, name, "Enter %s as a real date, for example 2020-03-17.",
                           fd->label);
                continue;
            }
            if (cal_date_cmp(d, today) > 0) {
                form_error(rq, f, name, "%s cannot be in the future.", fd->label);
                continue;
            }
            if (kia && !json_object_get(form, "jenis_kia")) {
                int age;
                const char *kind = kia_kind(d, today, &age);
                if (!kind) {
                    form_error(rq, f, name,
                               "The child is %d years old. A KIA is only for children under 17: "
                               "at 17 the child applies for a KTP-el instead.",
                               age);
                    continue;
                }
                json_object_set_new(form, "jenis_kia", json_string(kind));
            }
        } else if (strcmp(t, "select") == 0 && !choice_valid(fd->choices, v)) {
            form_error(rq, f, name, "Choose %s from the list.", fd->label);
            continue;
        } else if (strcmp(t, "number") == 0) {
            long n;
            if (!str_to_long(v, 0, 1000000000L, &n)) {
                form_error(rq, f, name, "Enter %s as a number.", fd->label);
                continue;
            }
        }
        json_object_set_new(form, fd->code, json_stringn(v.p, v.n));
    }
    return form;
}

/* the uploads: a new file (checked by content and size, then stored) or the stored one the
 * form carried (simpanN) for each requirement; errors into f */
static void check_files(http_req *rq, const apply_src *x, form_state *f, apply_file *out)
{
    for (size_t i = 0; i < x->st.nreqs; i++) {
        const svc_requirement *q = &x->st.reqs[i];
        char *name = arena_printf(rq->a, "berkas_%s", q->doc_type);
        char keep[32];
        snprintf(keep, sizeof keep, "simpan%zu", i + 1);
        memset(&out[i], 0, sizeof out[i]);
        const http_upload *u = NULL;
        for (size_t j = 0; j < rq->nfiles; j++)
            if (str_eq_c(rq->files[j].field, name) && rq->files[j].size > 0) u = &rq->files[j];
        if (!u) {
            const char *k = http_param_c(rq, keep);
            if (i < APPLY_MAX_KEPT && k && *k && apply_stored_file(rq, k, &out[i]) == 0 &&
                apply_type_allowed(q->file_types, out[i].content_type))
                continue;
            memset(&out[i], 0, sizeof out[i]);
            if (q->required) form_error(rq, f, name, "Upload %s.", q->label);
            continue;
        }
        if (u->size > APPLY_FILE_MAX) {
            form_error(rq, f, name,
                       "The file for %s is larger than %d MB. Scan or photograph it at a lower "
                       "resolution and choose it again.",
                       q->label, (int)(APPLY_FILE_MAX >> 20));
            continue;
        }
        const char *ct = apply_sniff(u->tmp_path);
        if (!ct || !apply_type_allowed(q->file_types, ct)) {
            form_error(rq, f, name,
                       "The file for %s is not a JPG, PNG or PDF document, whatever its name "
                       "says. Choose a photo or scan in one of these formats.",
                       q->label);
            continue;
        }
        if (apply_store_file(rq, u->tmp_path, &out[i].storage_ref, &out[i].sha256) != 0) {
            memset(&out[i], 0, sizeof out[i]);
            form_error(rq, f, name, "The file for %s could not be saved. Please try again.",
                       q->label);
            continue;
        }
        out[i].content_type = ct;
        out[i].size = (int64_t)u->size;
    }
}

/* the KIA's conditional requirements that the child's age decides ("age_5_17": the photo) */
static void requirements_by_age(http_req *rq, const apply_src *x, form_state *f,
                                const apply_file *files, json_t *form)
{
    const char *kind = json_string_value(json_object_get(form, "jenis_kia"));
    if (!kind) return;
    const char *cond = strcmp(kind, "5-17") == 0 ? "age_5_17" : "age_0_5";
    for (size_t i = 0; i < x->st.nreqs; i++) {
        const svc_requirement *q = &x->st.reqs[i];
        char *name = arena_printf(rq->a, "berkas_%s", q->doc_type);
        if (q->cond && strcmp(q->cond, cond) == 0 && !files[i].sha256 &&
            !json_object_get(f->err, name))
            form_error(rq, f, name, "Upload %s: it is needed for a child of this age.", q->label);
    }
}

typedef struct {
    http_req *rq;
    const req_new *n;
    const apply_src *x;
    const apply_file *files;
    req_created out;
} file_tx;

static int file_fn(db_conn *c, void *ud)
{
    file_tx *t = ud;
    app *a = app_of(t->rq);
    int64_t now = app_now();
    int r = req_create(c, &a->keys, now, t->n, &t->out);
    for (size_t i = 0; r == DB_OK && !t->out.existed && i < t->x->st.nreqs; i++) {
        const apply_file *fl = &t->files[i];
        if (!fl->sha256) continue;
        req_doc_new d = {
            t->x->st.reqs[i].doc_type, fl->storage_ref, fl->content_type, fl->sha256, fl->size,
            t->rq->who.user_id};
        int64_t id;
        r = req_doc_add(c, now, t->out.id, &d, &id);
    }
    /* "we received your request", with the tracking code: the first status message */
    if (r == DB_OK && !t->out.existed) {
        r = req_notify_status(c, a, now, t->out.id, "diajukan", NULL);
        if (r == DB_DONE) r = DB_OK; /* nobody to tell */
    }
    return r;
}

static int submit(http_req *rq, apply_src *x, form_state *f)
{
    app *a = app_of(rq);
    cal_date today = today_date(a, app_now());
    str unitv = form_keep(rq, f, "unit", 40);
    str nik = form_keep(rq, f, "nik", 64);
    str kk = form_keep(rq, f, "kk", 64);
    str del = form_keep(rq, f, "pengiriman", 20);
    str addr = form_keep(rq, f, "alamat", 1000);
    str key = form_keep(rq, f, "kunci", 64);
    char *unitc = arena_strndup(rq->a, unitv.p, unitv.n);
    if (!unitv.n) form_error(rq, f, "unit", "Choose the service point where you want to apply.");
    else if (!point_ok(x, unitc))
        form_error(rq, f, "unit",
                   "This service is not offered at that service point. Choose "
                   "another one.");
    nik_result nr;
    if (!nik.n) form_error(rq, f, "nik", "Enter the NIK: the 16-digit number on the KTP-el or KK.");
    else if (!nik_parse(nik.p, nik.n, today, region_table_district_name, &nr))
        form_error_text(f, "nik", nik_error_message(&nr.errors.e[0], rq->lang));
    if (x->needs_kk) {
        kk_result kr;
        if (!kk.n)
            form_error(rq, f, "kk",
                       "Enter the KK number: the 16 digits at the top of the "
                       "Kartu Keluarga.");
        else if (!kk_parse(kk.p, kk.n, today, region_table_district_name, &kr))
            form_error_text(f, "kk", nik_error_message(&kr.errors.e[0], rq->lang));
    }
    json_t *form = check_fields(rq, x, f, today);
    const char *delc = NULL;
    for (int i = 0; i < 3; i++)
        if (str_eq_c(del, deliveries[i])) delc = deliveries[i];
    if (!delc) form_error(rq, f, "pengiriman", "Choose how you want to receive the result.");
    else if (strcmp(delc, "delivery") == 0 && addr.n < 10)
        form_error(rq, f, "alamat",
                   "Enter the full delivery address: street, house number, RT/RW, kelurahan.");
    apply_file *files = arena_alloc(rq->a, sizeof *files * (x->st.nreqs + 1));
    check_files(rq, x, f, files);
    requirements_by_age(rq, x, f, files, form);
    if (key.n < 8) {
        char tok[CR_TOKEN_LEN + 1];
        cr_random_token(tok);
        json_object_set_new(f->v, "kunci", json_string(tok));
    }
    if (str_eq_c(http_param(rq, "ubah"), "1")) {
        /* back from the check page: the form as it was, without complaints */
        json_array_clear(f->errors);
        json_object_clear(f->err);
    }
    if (!form_ok(f) || str_eq_c(http_param(rq, "ubah"), "1")) {
        json_decref(form);
        return render(rq, x, f, jstr(f->v, "kunci"), files);
    }
    if (!str_eq_c(http_param(rq, "konfirmasi"), "1")) {
        int st = apply_render_check(rq, x, f, files, form);
        json_decref(form);
        return st;
    }
    char *fj = json_dumps(form, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(form);
    req_new n = {.service_id = x->s.id,
                 .unit_id = 0,
                 .applicant_id = rq->who.user_id,
                 .channel = "online",
                 .delivery = delc,
                 .nik = arena_strndup(rq->a, nik.p, nik.n),
                 .kk = kk.n ? arena_strndup(rq->a, kk.p, kk.n) : NULL,
                 .name = rq->who.name,
                 .phone = x->has_me ? x->me.phone : NULL,
                 .address = addr.n && strcmp(delc, "delivery") == 0
                                ? arena_strndup(rq->a, addr.p, addr.n)
                                : NULL,
                 .form_json = fj ? arena_strdup(rq->a, fj) : "{}",
                 .idempotency_key = arena_strndup(rq->a, key.p, key.n)};
    free(fj);
    file_tx t = {rq, &n, x, files, {0}};
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(f);
        return 503;
    }
    n.unit_id = units_id(c, unitc);
    int r = db_retry_tx(c, file_fn, &t, 6);
    db_release(c);
    if (r == REQ_NOT_OFFERED) {
        form_error(rq, f, "unit",
                   "This service is not offered at that service point. Choose "
                   "another one.");
        return render(rq, x, f, jstr(f->v, "kunci"), files);
    }
    form_free(f);
    if (r != DB_OK) return r == REQ_INVALID ? 400 : 503;
    return http_redirect(rq, 303, arena_printf(rq->a, "/permohonan/%s/tanda-terima", t.out.code));
}

int reqweb_page_apply(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    apply_src x;
    int r = load(rq, c, &x);
    db_release(c);
    if (r != DB_OK) return r == DB_DONE ? 404 : 503;
    form_state f;
    form_init(&f);
    if (rq->method == HTTP_POST) return submit(rq, &x, &f);
    /* a fresh form: the chosen point, the account's NIK and address, a new key */
    str unitv = http_param(rq, "unit");
    if (unitv.p) json_object_set_new(f.v, "unit", json_stringn(unitv.p, unitv.n));
    else if (x.npoints == 1) json_object_set_new(f.v, "unit", json_string(x.points[0].unit_code));
    if (x.has_me && x.me.nik) json_object_set_new(f.v, "nik", json_string(x.me.nik));
    if (x.has_me && x.me.address) json_object_set_new(f.v, "alamat", json_string(x.me.address));
    json_object_set_new(f.v, "pengiriman", json_string("pickup"));
    char tok[CR_TOKEN_LEN + 1];
    cr_random_token(tok);
    return render(rq, &x, &f, tok, NULL);
}

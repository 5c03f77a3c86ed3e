/* services admin: a service's application form fields (/admin/layanan/{code}/isian), the data
 * the form asks besides NIK, requirements and delivery (service_fields; Open311 publishes them
 * as attributes). Without JavaScript the fields are rows with a few empty ones below: an empty
 * row is left out, "hapus" removes a row, "urutan" orders them. Saving replaces the list
 * (svc_set_fields) with its audit entry in one transaction. Requests already filed keep the
 * values they stored (keyed by the field's code); the officer's page shows a value whose field
 * is gone under its code. Who may: as for the standard (svcadm_may). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/admin/web.h"
#include "features/app.h"
#include "features/form.h"
#include "features/services/api.h"
#include "features/services/web_admin.h"
#include "render/i18n.h"

#define FIELD_MAX 10 /* the application form carries isian1..isian10 (APPLY_MAX_FIELDS) */
#define EXTRA_ROWS 2

#define FIELD_ROW(i)                                                                               \
    {"f" #i "_urutan", HP_STR, 0, 8, false}, {"f" #i "_kode", HP_STR, 0, 80, false},               \
        {"f" #i "_label", HP_STR, 0, 400, false}, {"f" #i "_jenis", HP_STR, 0, 20, false},         \
        {"f" #i "_wajib", HP_STR, 0, 1, false}, {"f" #i "_pilihan", HP_STR, 0, 4000, false},       \
        {"f" #i "_keterangan", HP_STR, 0, 1000, false},                                            \
    {                                                                                              \
        "f" #i "_hapus", HP_STR, 0, 1, false                                                       \
    }

const http_param_spec svcadm_fields_params[] = {{"code", HP_CODE, 1, 40, true},
                                                {"berhasil", HP_CODE, 0, 20, false},
                                                FIELD_ROW(0),
                                                FIELD_ROW(1),
                                                FIELD_ROW(2),
                                                FIELD_ROW(3),
                                                FIELD_ROW(4),
                                                FIELD_ROW(5),
                                                FIELD_ROW(6),
                                                FIELD_ROW(7),
                                                FIELD_ROW(8),
                                                FIELD_ROW(9),
                                                FIELD_ROW(10),
                                                FIELD_ROW(11),
                                                {0}};
#define ROWS_MAX (FIELD_MAX + EXTRA_ROWS)

/* the types the application form can show (apply.c input_type) */
static const struct {
    const char *code, *msgid;
} types[] = {{"string", N_("Short text")},
             {"text", N_("Long text")},
             {"number", N_("Number")},
             {"datetime", N_("Date")},
             {"singlevaluelist", N_("Choice (one of a list)")}};
#define NTYPES (sizeof types / sizeof types[0])

static const char *type_label(http_req *rq, const char *code)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (code && strcmp(code, types[i].code) == 0) return http_t(rq, types[i].msgid);
    return code ? code : "";
}

static json_t *types_json(http_req *rq, const char *selected)
{
    json_t *a = json_array();
    for (size_t i = 0; i < NTYPES; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "code", types[i].code, "label",
                                           http_t(rq, types[i].msgid), "selected",
                                           selected && strcmp(selected, types[i].code) == 0));
    return a;
}

static bool code_ok(str s)
{
    if (s.n == 0 || s.n > 40 || s.p[0] < 'a' || s.p[0] > 'z') return false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

/* "key=Name" lines: each with a key of [a-z0-9_-] and a name, keys unique. Returns the cleaned
 * text (trimmed lines, no blank ones) or NULL with *bad = the 1-based line at fault */
static const char *choices_clean(http_req *rq, str in, int *bad, int *count)
{
    buf b;
    buf_init(&b, 8192);
    int line = 0;
    *count = 0;
    *bad = 0;
    const char *keys[64];
    size_t klen[64];
    for (size_t i = 0; i <= in.n && !*bad;) {
        size_t e = i;
        while (e < in.n && in.p[e] != '\n')
            e++;
        line++;
        str l = str_trim((str){in.p + i, e - i});
        i = e + 1;
        if (!l.n) continue;
        const char *eq = memchr(l.p, '=', l.n);
        str key = eq ? str_trim((str){l.p, (size_t)(eq - l.p)}) : l;
        str name = eq ? str_trim((str){eq + 1, l.n - (size_t)(eq - l.p) - 1}) : (str){NULL, 0};
        bool ok = eq && key.n && key.n <= 40 && name.n && name.n <= 200 && *count < 64;
        for (size_t k = 0; ok && k < key.n; k++) {
            char c = key.p[k];
            ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }
        for (int k = 0; ok && k < *count; k++)
            ok = !(klen[k] == key.n && memcmp(keys[k], key.p, key.n) == 0);
        if (!ok) {
            *bad = line;
            break;
        }
        keys[*count] = key.p;
        klen[*count] = key.n;
        (*count)++;
        if (b.n) buf_putc(&b, '\n');
        buf_putstr(&b, key);
        buf_putc(&b, '=');
        buf_putstr(&b, name);
    }
    const char *out = *bad ? NULL : arena_strndup(rq->a, b.p ? b.p : "", b.p ? b.n : 0);
    buf_free(&b);
    return out;
}

static json_t *row_json(http_req *rq, int i, const char *order, const svc_field *f)
{
    return json_pack("{s:i,s:i,s:s,s:s,s:s,s:o,s:b,s:s,s:s}", "i", i, "n", i + 1, "urutan", order,
                     "kode", f && f->code ? f->code : "", "label", f && f->label ? f->label : "",
                     "types", types_json(rq, f ? f->datatype : "string"), "wajib",
                     f ? f->required : true, "pilihan", f && f->choices ? f->choices : "",
                     "keterangan", f && f->description ? f->description : "");
}

static int page(http_req *rq, const service *sv, const svc_field *fs, size_t nf, form_state *f,
                json_t *rows)
{
    json_t *list = json_array();
    for (size_t i = 0; i < nf; i++)
        json_array_append_new(
            list, json_pack("{s:s,s:s,s:s,s:b,s:s*,s:s*}", "code", fs[i].code, "label", fs[i].label,
                            "type", type_label(rq, fs[i].datatype), "required", fs[i].required,
                            "choices", fs[i].choices, "description", fs[i].description));
    json_t *ctx = json_pack("{s:{s:s,s:s},s:o,s:i,s:o,s:i,s:b}", "service", "code", sv->code,
                            "name", sv->name, "fields", list, "nfields", (int)nf, "rows", rows,
                            "max", FIELD_MAX, "nav_services", 1);
    if (str_eq_c(http_param(rq, "berhasil"), "simpan"))
        json_object_set_new(ctx, "done",
                            json_string(http_t(rq, "The application form fields were saved.")));
    int status = form_ok(f) ? 200 : 422;
    form_into(f, ctx);
    return http_page(rq, status, "services/admin_fields", ctx);
}

typedef struct {
    svcadm_row_key key;
    svc_field f;
} field_row;

/* reads the rows; errors go to f, the typed rows to json (for the form again) */
static size_t read_rows(http_req *rq, form_state *f, field_row *out, json_t *json)
{
    size_t n = 0;
    char nm[40];
#define P(field) (snprintf(nm, sizeof nm, "f%d_" field, i), nm)
    for (int i = 0; i < ROWS_MAX; i++) {
        str order = svcadm_param(rq, P("urutan")), code = svcadm_param(rq, P("kode")),
            label = svcadm_param(rq, P("label")), type = svcadm_param(rq, P("jenis")),
            choices = svcadm_param(rq, P("pilihan")), desc = svcadm_param(rq, P("keterangan"));
        bool wajib = str_eq_c(svcadm_param(rq, P("wajib")), "1"),
             hapus = str_eq_c(svcadm_param(rq, P("hapus")), "1");
        const char *t = NULL;
        for (size_t k = 0; k < NTYPES; k++)
            if (str_eq_c(type, types[k].code)) t = types[k].code;
        svc_field typed = {.code = svcadm_dup(rq, code),
                           .label = svcadm_dup(rq, label),
                           .datatype = t ? t : "string",
                           .required = wajib,
                           .choices = svcadm_dup(rq, choices),
                           .description = svcadm_dup(rq, desc)};
        json_t *row = row_json(rq, i, svcadm_dup(rq, order) ? svcadm_dup(rq, order) : "", &typed);
        json_object_set_new(row, "hapus", json_boolean(hapus));
        json_array_append_new(json, row);
        if (hapus || (!code.n && !label.n && !choices.n && !desc.n)) continue; /* removed/empty */
        long ord = 1000 + i;
        if (order.n && !str_to_long(order, 1, 999, &ord))
            form_error(rq, f, P("urutan"), "Field %d: the order must be a number from 1 to 999.",
                       i + 1);
        if (!label.n)
            form_error(rq, f, P("label"), "Field %d: enter the question the applicant reads.",
                       i + 1);
        else if (label.n > 200)
            form_error(rq, f, P("label"), "Field %d: the question can be at most 200 characters.",
                       i + 1);
        if (!code.n)
            form_error(rq, f, P("kode"),
                       "Field %d: enter a code, for example alasan or tanggal_kejadian.", i + 1);
        else if (!code_ok(code))
            form_error(rq, f, P("kode"),
                       "Field %d: the code uses 1 to 40 small letters, digits or \"_\", starting "
                       "with a letter, for example tanggal_kejadian.",
                       i + 1);
        if (!t) form_error(rq, f, P("jenis"), "Field %d: choose the kind of answer.", i + 1);
        const char *clean = NULL;
        if (t && strcmp(t, "singlevaluelist") == 0) {
            int bad, count;
            clean = choices_clean(rq, choices, &bad, &count);
            if (!clean)
                form_error(rq, f, P("pilihan"),
                           "Field %d, choice line %d: write each choice as code=Name on its own "
                           "line, for example hilang=Hilang, with a different code on each line.",
                           i + 1, bad);
            else if (count < 2)
                form_error(rq, f, P("pilihan"),
                           "Field %d: a choice needs at least two options, one per line as "
                           "code=Name.",
                           i + 1);
        } else if (choices.n) {
            form_error(rq, f, P("pilihan"),
                       "Field %d: options are only for the kind \"Choice (one of a list)\"; "
                       "empty them or change the kind.",
                       i + 1);
        }
        if (desc.n > 500)
            form_error(rq, f, P("keterangan"),
                       "Field %d: the help text can be at most 500 characters.", i + 1);
        for (size_t k = 0; code.n && k < n; k++)
            if (out[k].f.code && str_eq_c(code, out[k].f.code)) {
                form_error(rq, f, P("kode"),
                           "Field %d: field %d already has the code \"%s\"; give each field its "
                           "own code.",
                           i + 1, out[k].key.idx + 1, out[k].f.code);
                break;
            }
        typed.choices = clean;
        out[n++] = (field_row){.key = {ord, i}, .f = typed};
    }
#undef P
    if (n > FIELD_MAX)
        form_error(rq, f, "f0_label", "A form can have at most %d fields of its own.", FIELD_MAX);
    return n;
}

int svcadm_page_fields(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service sv;
    int r = svc_get(c, rq->a, http_param(rq, "code"), &sv);
    int st = r == DB_DONE ? 404 : r != DB_OK ? 503 : !svcadm_may(rq, c, sv.owner_code) ? 403 : 0;
    svc_field *fs = NULL;
    size_t nf = 0;
    if (!st && svc_fields(c, rq->a, sv.id, &fs, &nf) != DB_OK) st = 503;
    if (st) {
        db_release(c);
        return st;
    }
    form_state f;
    form_init(&f);
    json_t *rows = json_array();
    if (rq->method == HTTP_POST) {
        field_row got[ROWS_MAX];
        size_t n = read_rows(rq, &f, got, rows);
        if (form_ok(&f)) {
            qsort(got, n, sizeof got[0], svcadm_row_cmp);
            svc_field *list = arena_alloc(rq->a, (n ? n : 1) * sizeof *list);
            for (size_t i = 0; i < n; i++) {
                list[i] = got[i].f;
                list[i].pos = (int)i + 1;
            }
            r = DB_EBUSY;
            for (int attempt = 0; attempt < 3 && r == DB_EBUSY; attempt++) {
                r = db_begin(c);
                if (r == DB_OK) r = svc_set_fields(c, sv.id, list, n);
                char obj[80], detail[600];
                snprintf(obj, sizeof obj, "service:%s", sv.code);
                size_t k = (size_t)snprintf(detail, sizeof detail, "%zu fields:", n);
                for (size_t i = 0; i < n && k < sizeof detail; i++)
                    k += (size_t)snprintf(detail + k, sizeof detail - k, " %s", list[i].code);
                admin_audit(rq, c, "service.fields.set", obj, detail, &r);
                if (r == DB_OK) r = db_commit(c);
                if (r != DB_OK) db_rollback(c);
            }
            db_release(c);
            json_decref(rows);
            form_free(&f);
            if (r != DB_OK) return 503;
            svc_api_invalidate(); /* Open311 publishes the fields as attributes */
            return http_redirect(
                rq, 303, arena_printf(rq->a, "/admin/layanan/%s/isian?berhasil=simpan", sv.code));
        }
        static const char *const row_fields[] = {"urutan",  "kode",       "label", "jenis",
                                                 "pilihan", "keterangan", NULL};
        svcadm_row_errors(&f, rows, 'f', row_fields);
    } else {
        int i = 0;
        for (; (size_t)i < nf && i < ROWS_MAX; i++)
            json_array_append_new(rows, row_json(rq, i, arena_printf(rq->a, "%d", i + 1), &fs[i]));
        for (int k = 0; k < EXTRA_ROWS && i < ROWS_MAX && i < FIELD_MAX; k++, i++)
            json_array_append_new(rows, row_json(rq, i, arena_printf(rq->a, "%d", i + 1), NULL));
    }
    db_release(c);
    return page(rq, &sv, fs, nf, &f, rows);
}

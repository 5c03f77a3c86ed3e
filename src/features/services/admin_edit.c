/* services admin: the standard editor. GET shows a form filled from the version in force; POST
 * checks it and adds a NEW version (svc_standard_add) in a transaction with its audit entry; an
 * existing version is never changed. Without JavaScript the requirement and step lists are rows
 * of fields with a few empty ones below: empty rows are dropped, "urutan" orders them.
 * The cost of a service free by law (UU 24/2013 Pasal 79A) is shown read-only at Rp0 and a
 * posted amount other than 0 is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "features/app.h"
#include "features/services/api.h"
#include "features/admin/web.h"
#include "features/form.h"
#include "features/services/web_admin.h"
#include "render/i18n.h"

#define REQ_MAX 20  /* requirement rows a form may carry */
#define STEP_MAX 15 /* step rows */
#define EXTRA_ROWS 3
#define TEXT_MAX 4000

#define REQ_ROW(i)                                                                                 \
    {"p" #i "_urutan", HP_STR, 0, 8, false}, {"p" #i "_label", HP_STR, 0, 400, false},             \
        {"p" #i "_dok", HP_STR, 0, 80, false}, {"p" #i "_wajib", HP_STR, 0, 1, false},             \
        {"p" #i "_syarat", HP_STR, 0, 80, false}, {"p" #i "_syarat_label", HP_STR, 0, 400, false}, \
        {"p" #i "_jpg", HP_STR, 0, 1, false}, {"p" #i "_png", HP_STR, 0, 1, false},                \
        {"p" #i "_pdf", HP_STR, 0, 1, false},                                                      \
    {                                                                                              \
        "p" #i "_asli", HP_STR, 0, 1, false                                                        \
    }
#define STEP_ROW(i)                                                                                \
    {"l" #i "_urutan", HP_STR, 0, 8, false}, {"l" #i "_aktor", HP_STR, 0, 20, false},              \
    {                                                                                              \
        "l" #i "_teks", HP_STR, 0, 2000, false                                                     \
    }

const http_param_spec svcadm_edit_params[] = {{"code", HP_CODE, 1, 40, true},
                                              {"nomor", HP_STR, 0, 400, false},
                                              {"tanggal", HP_STR, 0, 40, false},
                                              {"berlaku", HP_STR, 0, 40, false},
                                              {"tinjau", HP_STR, 0, 40, false},
                                              {"partisipasi", HP_STR, 0, 8000, false},
                                              {"catatan", HP_STR, 0, 2000, false},
                                              {"waktu", HP_STR, 0, 20, false},
                                              {"satuan", HP_STR, 0, 10, false},
                                              {"biaya", HP_STR, 0, 40, false},
                                              {"biaya_catatan", HP_STR, 0, 1000, false},
                                              {"produk", HP_STR, 0, 8000, false},
                                              {"pengaduan", HP_STR, 0, 8000, false},
                                              {"dasar_hukum", HP_STR, 0, 8000, false},
                                              {"sarana", HP_STR, 0, 8000, false},
                                              {"kompetensi", HP_STR, 0, 8000, false},
                                              {"pengawasan", HP_STR, 0, 8000, false},
                                              {"jumlah_pelaksana", HP_STR, 0, 8000, false},
                                              {"jaminan_pelayanan", HP_STR, 0, 8000, false},
                                              {"jaminan_keamanan", HP_STR, 0, 8000, false},
                                              {"evaluasi", HP_STR, 0, 8000, false},
                                              REQ_ROW(0),
                                              REQ_ROW(1),
                                              REQ_ROW(2),
                                              REQ_ROW(3),
                                              REQ_ROW(4),
                                              REQ_ROW(5),
                                              REQ_ROW(6),
                                              REQ_ROW(7),
                                              REQ_ROW(8),
                                              REQ_ROW(9),
                                              REQ_ROW(10),
                                              REQ_ROW(11),
                                              REQ_ROW(12),
                                              REQ_ROW(13),
                                              REQ_ROW(14),
                                              REQ_ROW(15),
                                              REQ_ROW(16),
                                              REQ_ROW(17),
                                              REQ_ROW(18),
                                              REQ_ROW(19),
                                              STEP_ROW(0),
                                              STEP_ROW(1),
                                              STEP_ROW(2),
                                              STEP_ROW(3),
                                              STEP_ROW(4),
                                              STEP_ROW(5),
                                              STEP_ROW(6),
                                              STEP_ROW(7),
                                              STEP_ROW(8),
                                              STEP_ROW(9),
                                              STEP_ROW(10),
                                              STEP_ROW(11),
                                              STEP_ROW(12),
                                              STEP_ROW(13),
                                              STEP_ROW(14),
                                              {0}};

/* the free-text components and their form fields, in display order */
static const struct {
    int comp;
    const char *field, *hint;
} texts[] = {
    {SVC_C_PRODUK, "produk", N_("What the applicant receives, for example \"KTP-el (kartu)\".")},
    {SVC_C_PENGADUAN, "pengaduan",
     N_("Where and how people complain or make suggestions: counter, phone, SP4N-LAPOR!, e-mail.")},
    {SVC_C_DASAR_HUKUM, "dasar_hukum", N_("The laws and regulations the service rests on.")},
    {SVC_C_SARANA, "sarana",
     N_("Rooms, equipment and facilities, including those for elderly and disabled visitors.")},
    {SVC_C_KOMPETENSI, "kompetensi", N_("The knowledge, skills and training the staff need.")},
    {SVC_C_PENGAWASAN, "pengawasan", N_("Who supervises the service inside the unit, and how.")},
    {SVC_C_JUMLAH_PELAKSANA, "jumlah_pelaksana", N_("How many staff deliver the service.")},
    {SVC_C_JAMINAN_PELAYANAN, "jaminan_pelayanan",
     N_("The promise that the service follows this standard.")},
    {SVC_C_JAMINAN_KEAMANAN, "jaminan_keamanan",
     N_("How documents, data and visitors are kept safe.")},
    {SVC_C_EVALUASI, "evaluasi", N_("How and how often the staff's performance is evaluated.")},
};
#define NTEXTS (sizeof texts / sizeof texts[0])

/* ---- small parsers ----------------------------------------------------------------------------
 */

str svcadm_param(http_req *rq, const char *name)
{
    str v = http_param(rq, name);
    return v.p ? str_trim(v) : STR("");
}

const char *svcadm_dup(http_req *rq, str v)
{
    return v.n ? arena_strndup(rq->a, v.p, v.n) : NULL;
}

static bool date_ok(str v)
{
    cal_date d;
    return v.n == 10 && cal_date_parse(v.p, v.n, &d);
}

/* lower-case letters, digits, '_' and '-': a code a program reads */
static bool code_ok(str v, size_t min, size_t max)
{
    if (v.n < min || v.n > max) return false;
    for (size_t i = 0; i < v.n; i++) {
        char ch = v.p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

/* a document code made from its label: "Kartu Keluarga (KK)" -> "kartu_keluarga_kk" */
static const char *slug(http_req *rq, str label)
{
    char out[41];
    size_t k = 0;
    bool gap = false;
    for (size_t i = 0; i < label.n && k < sizeof out - 1; i++) {
        char ch = label.p[i];
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (gap && k) out[k++] = '_';
            if (k < sizeof out - 1) out[k++] = ch;
            gap = false;
        } else {
            gap = true;
        }
    }
    out[k] = 0;
    return k >= 2 ? arena_strdup(rq->a, out) : arena_strdup(rq->a, "dokumen");
}

/* Rupiah typed as "50000", "50.000" or "Rp 50.000": -1 when it is not an amount */
static int64_t parse_rupiah(str v)
{
    if (v.n >= 2 && (v.p[0] == 'R' || v.p[0] == 'r') && (v.p[1] == 'p' || v.p[1] == 'P')) {
        v.p += 2;
        v.n -= 2;
    }
    int64_t x = 0;
    size_t digits = 0;
    for (size_t i = 0; i < v.n; i++) {
        char ch = v.p[i];
        if (ch == '.' || ch == ' ') continue;
        if (ch < '0' || ch > '9' || digits >= 13) return -1;
        x = x * 10 + (ch - '0');
        digits++;
    }
    return digits ? x : -1;
}

static bool present(http_req *rq, const char *name)
{
    return http_param(rq, name).p != NULL;
}

/* ---- rows -------------------------------------------------------------------------------------
 */

typedef struct {
    svcadm_row_key key;
    svc_requirement q;
} req_row;
typedef struct {
    svcadm_row_key key;
    svc_step s;
} step_row;

int svcadm_row_cmp(const void *a, const void *b)
{
    const svcadm_row_key *x = a, *y = b;
    if (x->order != y->order) return x->order < y->order ? -1 : 1;
    return x->idx - y->idx;
}

static json_t *actors_json(http_req *rq, const char *selected)
{
    json_t *arr = json_array();
    for (int i = 0; i < 5; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "value", svcadm_actors[i], "label",
                                             svcadm_actor_label(rq, svcadm_actors[i]), "selected",
                                             selected && strcmp(selected, svcadm_actors[i]) == 0));
    return arr;
}

static bool has_type(const char *ft, const char *t)
{
    if (!ft) return false;
    size_t n = strlen(t);
    for (const char *p = ft; *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && strncmp(p, t, n) == 0) return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

static json_t *req_row_json(int i, int order, const char *label, const char *dok, bool wajib,
                            const char *syarat, const char *syarat_label, bool jpg, bool png,
                            bool pdf, bool asli)
{
    return json_pack("{s:i,s:i,s:i,s:s,s:s,s:b,s:s,s:s,s:b,s:b,s:b,s:b}", "i", i, "n", i + 1,
                     "urutan", order, "label", label ? label : "", "dok", dok ? dok : "", "wajib",
                     wajib, "syarat", syarat ? syarat : "", "syarat_label",
                     syarat_label ? syarat_label : "", "jpg", jpg, "png", png, "pdf", pdf, "asli",
                     asli);
}

static json_t *step_row_json(http_req *rq, int i, int order, const char *actor, const char *text)
{
    return json_pack("{s:i,s:i,s:i,s:o,s:s}", "i", i, "n", i + 1, "urutan", order, "actors",
                     actors_json(rq, actor), "teks", text ? text : "");
}

/* rows for the form from a stored standard, plus EXTRA_ROWS empty ones */
static void rows_from_standard(http_req *rq, const svc_standard *s, json_t *reqs, json_t *steps)
{
    int i = 0;
    for (; s && (size_t)i < s->nreqs && i < REQ_MAX; i++) {
        const svc_requirement *q = &s->reqs[i];
        json_array_append_new(
            reqs, req_row_json(i, i + 1, q->label, q->doc_type, q->required, q->cond, q->cond_label,
                               has_type(q->file_types, "jpg"), has_type(q->file_types, "png"),
                               has_type(q->file_types, "pdf"), q->original_shown));
    }
    for (int k = 0; k < EXTRA_ROWS && i < REQ_MAX; k++, i++)
        json_array_append_new(
            reqs, req_row_json(i, i + 1, NULL, NULL, true, NULL, NULL, true, true, true, false));
    i = 0;
    for (; s && (size_t)i < s->nsteps && i < STEP_MAX; i++)
        json_array_append_new(steps,
                              step_row_json(rq, i, i + 1, s->steps[i].actor, s->steps[i].text));
    for (int k = 0; k < EXTRA_ROWS && i < STEP_MAX; k++, i++)
        json_array_append_new(steps, step_row_json(rq, i, i + 1, "petugas", NULL));
}

static void set_v(form_state *f, const char *field, const char *value)
{
    json_object_set_new(f->v, field, json_string(value ? value : ""));
}

/* ---- the page ---------------------------------------------------------------------------------
 */

static json_t *texts_json(http_req *rq, form_state *f)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < NTEXTS; i++) {
        json_t *v = json_object_get(f->v, texts[i].field);
        json_t *e = json_object_get(f->err, texts[i].field);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s*,s:b}", "field", texts[i].field,
                                             "name", http_t(rq, svc_component_name(texts[i].comp)),
                                             "hint", http_t(rq, texts[i].hint), "value",
                                             v ? json_string_value(v) : "", "error",
                                             e ? json_string_value(e) : "", "delivery",
                                             texts[i].comp < SVC_NDELIVERY));
    }
    return arr;
}

static int edit_page(http_req *rq, const service *sv, form_state *f, json_t *reqs, json_t *steps,
                     json_t *note)
{
    json_t *ctx = json_pack("{s:s,s:s,s:b,s:o,s:o,s:i,s:b,s:b}", "code", sv->code, "name", sv->name,
                            "free_by_law", sv->free_by_law, "reqs", reqs, "steps", steps, "extra",
                            EXTRA_ROWS, "nav_services", 1, "nav_standards", 1);
    json_object_set_new(ctx, "texts", texts_json(rq, f));
    const char *unit = json_string_value(json_object_get(f->v, "satuan"));
    json_object_set_new(ctx, "unit_hours", json_boolean(unit && strcmp(unit, "hours") == 0));
    if (note) json_object_set_new(ctx, "note", note);
    int status = form_ok(f) ? 200 : 422;
    form_into(f, ctx);
    return http_page(rq, status, "services/admin_edit", ctx);
}

static int edit_get(http_req *rq, db_conn *c, const service *sv)
{
    struct svcadm_date_buf today = svcadm_today(rq);
    svc_standard cur, *vs = NULL;
    size_t nv = 0;
    int rs = svc_standard_at(c, rq->a, sv->id, today.s, &cur);
    int r = rs == DB_OK || rs == DB_DONE ? svc_standard_versions(c, rq->a, sv->id, &vs, &nv) : rs;
    if (r == DB_OK && rs == DB_DONE && nv) /* nothing in force yet: start from the newest */
        rs = svc_standard_version(c, rq->a, sv->id, vs[0].version, &cur);
    if (r != DB_OK || (rs != DB_OK && rs != DB_DONE)) return 503;
    const svc_standard *s = rs == DB_OK ? &cur : NULL;
    json_t *note = NULL;
    if (s && nv && vs[0].version > s->version)
        note = json_pack("{s:i,s:i,s:s}", "from_version", s->version, "newer", vs[0].version,
                         "newer_from", svcadm_date(rq, vs[0].effective_from));
    else if (s) note = json_pack("{s:i}", "from_version", s->version);
    form_state f;
    form_init(&f);
    set_v(&f, "nomor", s ? s->decree_number : NULL);
    set_v(&f, "tanggal", s ? s->decree_date : NULL);
    set_v(&f, "berlaku", today.s); /* a new version starts today unless changed */
    set_v(&f, "tinjau", s ? s->review_due : NULL);
    set_v(&f, "partisipasi", s ? s->participation : NULL);
    set_v(&f, "catatan", NULL);
    set_v(&f, "waktu", s ? arena_printf(rq->a, "%d", s->time_limit_value) : "1");
    set_v(&f, "satuan", s && s->time_limit_unit ? s->time_limit_unit : "days");
    set_v(&f, "biaya", arena_printf(rq->a, "%lld", (long long)(s ? s->cost_amount : 0)));
    set_v(&f, "biaya_catatan", s ? s->cost_note : NULL);
    for (size_t i = 0; i < NTEXTS; i++)
        set_v(&f, texts[i].field, s ? s->text[texts[i].comp] : NULL);
    json_t *reqs = json_array(), *steps = json_array();
    rows_from_standard(rq, s, reqs, steps);
    return edit_page(rq, sv, &f, reqs, steps, note);
}

/* reads and checks the requirement rows; the typed rows go back into `json` for re-rendering */
static size_t read_reqs(http_req *rq, form_state *f, req_row *out, json_t *json)
{
    size_t n = 0;
    char nm[40];
#define P(field) (snprintf(nm, sizeof nm, "p%d_" field, i), nm)
    for (int i = 0; i < REQ_MAX; i++) {
        if (!present(rq, P("label")) && !present(rq, P("urutan"))) continue;
        str order = svcadm_param(rq, P("urutan")), label = svcadm_param(rq, P("label")),
            dok = svcadm_param(rq, P("dok")), cond = svcadm_param(rq, P("syarat")),
            cond_label = svcadm_param(rq, P("syarat_label"));
        bool wajib = str_eq_c(svcadm_param(rq, P("wajib")), "1");
        bool jpg = present(rq, P("jpg")), png = present(rq, P("png")), pdf = present(rq, P("pdf")),
             asli = present(rq, P("asli"));
        long ord = 1000 + i;
        json_t *row =
            req_row_json(i, 0, svcadm_dup(rq, label), svcadm_dup(rq, dok), wajib,
                         svcadm_dup(rq, cond), svcadm_dup(rq, cond_label), jpg, png, pdf, asli);
        json_object_set_new(row, "urutan", json_stringn(order.p ? order.p : "", order.n));
        json_array_append_new(json, row);
        if (!label.n && !dok.n && !cond.n && !cond_label.n) continue; /* an empty row */
        if (order.n && !str_to_long(order, 1, 999, &ord))
            form_error(rq, f, P("urutan"),
                       "Requirement %d: the order must be a number from 1 to 999.", i + 1);
        if (!label.n)
            form_error(rq, f, P("label"), "Requirement %d: enter the name of the document.", i + 1);
        else if (label.n > 200)
            form_error(rq, f, P("label"), "Requirement %d: the name can be at most 200 characters.",
                       i + 1);
        if (dok.n && !code_ok(dok, 2, 40))
            form_error(rq, f, P("dok"),
                       "Requirement %d: the document code uses 2 to 40 small letters, digits, "
                       "\"_\" or \"-\", for example kartu_keluarga.",
                       i + 1);
        if (cond.n && !code_ok(cond, 1, 40))
            form_error(rq, f, P("syarat"),
                       "Requirement %d: the condition code uses small letters, digits, \"_\" or "
                       "\"-\", for example age_lt_5.",
                       i + 1);
        if (cond.n && !cond_label.n)
            form_error(rq, f, P("syarat_label"),
                       "Requirement %d: say in words when the condition applies, for example "
                       "\"for children under 5\".",
                       i + 1);
        if (cond_label.n > 200)
            form_error(rq, f, P("syarat_label"),
                       "Requirement %d: the condition can be at most 200 characters.", i + 1);
        if (!jpg && !png && !pdf)
            form_error(rq, f, P("jpg"), "Requirement %d: choose at least one file type.", i + 1);
        const char *ft =
            arena_printf(rq->a, "%s%s%s%s%s", jpg ? "jpg" : "", jpg && (png || pdf) ? "," : "",
                         png ? "png" : "", png && pdf ? "," : "", pdf ? "pdf" : "");
        const char *doc = dok.n ? svcadm_dup(rq, dok) : slug(rq, label);
        for (size_t k = 0; k < n; k++)
            if (strcmp(out[k].q.doc_type, doc) == 0) {
                form_error(rq, f, P("dok"),
                           "Requirement %d: another requirement already has the document code "
                           "\"%s\"; give each document its own code.",
                           i + 1, doc);
                break;
            }
        out[n++] = (req_row){.key = {ord, i},
                             .q = {.doc_type = doc,
                                   .label = svcadm_dup(rq, label),
                                   .required = wajib,
                                   .original_shown = asli,
                                   .cond = svcadm_dup(rq, cond),
                                   .cond_label = svcadm_dup(rq, cond_label),
                                   .file_types = ft}};
    }
#undef P
    return n;
}

static size_t read_steps(http_req *rq, form_state *f, step_row *out, json_t *json)
{
    size_t n = 0;
    char nm[40];
#define P(field) (snprintf(nm, sizeof nm, "l%d_" field, i), nm)
    for (int i = 0; i < STEP_MAX; i++) {
        if (!present(rq, P("teks")) && !present(rq, P("urutan"))) continue;
        str order = svcadm_param(rq, P("urutan")), actor = svcadm_param(rq, P("aktor")),
            text = svcadm_param(rq, P("teks"));
        const char *act = NULL;
        for (int k = 0; k < 5; k++)
            if (str_eq_c(actor, svcadm_actors[k])) act = svcadm_actors[k];
        json_t *row = step_row_json(rq, i, 0, act, svcadm_dup(rq, text));
        json_object_set_new(row, "urutan", json_stringn(order.p ? order.p : "", order.n));
        json_array_append_new(json, row);
        if (!text.n) continue;
        long ord = 1000 + i;
        if (order.n && !str_to_long(order, 1, 999, &ord))
            form_error(rq, f, P("urutan"), "Step %d: the order must be a number from 1 to 999.",
                       i + 1);
        if (!act) form_error(rq, f, P("aktor"), "Step %d: choose who does this step.", i + 1);
        if (text.n > 1000)
            form_error(rq, f, P("teks"), "Step %d: the text can be at most 1000 characters.",
                       i + 1);
        out[n++] = (step_row){.key = {ord, i}, .s = {.actor = act, .text = svcadm_dup(rq, text)}};
    }
#undef P
    return n;
}

void svcadm_row_errors(form_state *f, json_t *rows, char prefix, const char *const *fields)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int idx = (int)json_integer_value(json_object_get(row, "i"));
        for (const char *const *fl = fields; *fl; fl++) {
            char nm[40], key[48];
            snprintf(nm, sizeof nm, "%c%d_%s", prefix, idx, *fl);
            json_t *e = json_object_get(f->err, nm);
            if (!e) continue;
            snprintf(key, sizeof key, "err_%s", *fl);
            json_object_set(row, key, e);
            json_object_set_new(row, "has_err", json_true());
        }
    }
}

static int edit_post(http_req *rq, db_conn *c, const service *sv)
{
    struct svcadm_date_buf today = svcadm_today(rq);
    form_state f;
    form_init(&f);
    str nomor = form_keep(rq, &f, "nomor", 400), tanggal = form_keep(rq, &f, "tanggal", 40),
        berlaku = form_keep(rq, &f, "berlaku", 40), tinjau = form_keep(rq, &f, "tinjau", 40),
        partisipasi = form_keep(rq, &f, "partisipasi", 8000),
        catatan = form_keep(rq, &f, "catatan", 2000), waktu = form_keep(rq, &f, "waktu", 20),
        satuan = form_keep(rq, &f, "satuan", 10), biaya = form_keep(rq, &f, "biaya", 40),
        biaya_catatan = form_keep(rq, &f, "biaya_catatan", 1000);
    str tv[NTEXTS];
    for (size_t i = 0; i < NTEXTS; i++)
        tv[i] = form_keep(rq, &f, texts[i].field, 8000);

    /* stipulation */
    if (nomor.n > 200)
        form_error(rq, &f, "nomor", "The decree number can be at most 200 characters.");
    if (tanggal.n && !date_ok(tanggal))
        form_error(rq, &f, "tanggal",
                   "Enter the decree date as year-month-day, for example 2026-01-15.");
    if (nomor.n && !tanggal.n)
        form_error(rq, &f, "tanggal", "Enter the date of the decree, or leave the number empty.");
    if (tanggal.n && !nomor.n)
        form_error(rq, &f, "nomor", "Enter the number of the decree, or leave the date empty.");
    if (!berlaku.n) form_error(rq, &f, "berlaku", "Enter the date this version takes effect.");
    else if (!date_ok(berlaku))
        form_error(rq, &f, "berlaku",
                   "Enter the date it takes effect as year-month-day, for example 2026-01-15.");
    else if (memcmp(berlaku.p, today.s, 10) < 0) /* history is not rewritten */
        form_error(rq, &f, "berlaku",
                   "A new version cannot take effect before today (%s): what was in force on "
                   "earlier dates stays as it was.",
                   svcadm_date(rq, today.s));
    if (tinjau.n && !date_ok(tinjau))
        form_error(rq, &f, "tinjau",
                   "Enter the review date as year-month-day, for example 2027-01-15.");
    else if (tinjau.n && date_ok(tanggal) && memcmp(tinjau.p, tanggal.p, 10) <= 0)
        form_error(rq, &f, "tinjau", "The review must be due after the decree date.");
    else if (tinjau.n && !tanggal.n && date_ok(berlaku) && memcmp(tinjau.p, berlaku.p, 10) <= 0)
        form_error(rq, &f, "tinjau", "The review must be due after the date it takes effect.");
    if (catatan.n > 1000) form_error(rq, &f, "catatan", "The note can be at most 1000 characters.");

    /* time limit and cost */
    long wv = 0;
    if (!waktu.n) form_error(rq, &f, "waktu", "Enter the time limit, for example 1.");
    else if (!str_to_long(waktu, 1, 10000, &wv))
        form_error(rq, &f, "waktu", "The time limit must be a whole number greater than 0.");
    if (!str_eq_c(satuan, "hours") && !str_eq_c(satuan, "days"))
        form_error(rq, &f, "satuan", "Choose working hours or working days.");
    int64_t cost = 0;
    if (sv->free_by_law) {
        /* the field is read-only on the page: anything but 0 is a forged request */
        if (biaya.n && parse_rupiah(biaya) != 0)
            form_error(rq, &f, "biaya",
                       "This service is free by law (UU 24/2013 Pasal 79A): its cost stays Rp0 "
                       "and cannot be changed.");
        json_object_set_new(f.v, "biaya", json_string("0"));
    } else if (!biaya.n) {
        form_error(rq, &f, "biaya", "Enter the cost in Rupiah; enter 0 when it is free.");
    } else if ((cost = parse_rupiah(biaya)) < 0) {
        form_error(rq, &f, "biaya", "Enter the cost as a number of Rupiah, for example 50000.");
    }
    if (biaya_catatan.n > 500)
        form_error(rq, &f, "biaya_catatan", "The note on the cost can be at most 500 characters.");
    if (partisipasi.n > TEXT_MAX)
        form_error(rq, &f, "partisipasi", "This text can be at most %d characters.", TEXT_MAX);
    for (size_t i = 0; i < NTEXTS; i++)
        if (tv[i].n > TEXT_MAX)
            form_error(rq, &f, texts[i].field, "This text can be at most %d characters.", TEXT_MAX);

    /* requirements and steps */
    json_t *reqs_json = json_array(), *steps_json = json_array();
    req_row reqs[REQ_MAX];
    step_row steps[STEP_MAX];
    size_t nreqs = read_reqs(rq, &f, reqs, reqs_json);
    size_t nsteps = read_steps(rq, &f, steps, steps_json);
    if (!nreqs)
        form_error(rq, &f, "p0_label",
                   "Add at least one requirement: what the applicant brings or uploads.");
    if (!nsteps) form_error(rq, &f, "l0_teks", "Add at least one step of the procedure.");

    if (!form_ok(&f)) {
        static const char *const rf[] = {"urutan",       "label", "dok", "syarat",
                                         "syarat_label", "jpg",   NULL};
        static const char *const sf[] = {"urutan", "aktor", "teks", NULL};
        svcadm_row_errors(&f, reqs_json, 'p', rf);
        svcadm_row_errors(&f, steps_json, 'l', sf);
        return edit_page(rq, sv, &f, reqs_json, steps_json, NULL);
    }
    json_decref(reqs_json);
    json_decref(steps_json);
    form_free(&f);

    qsort(reqs, nreqs, sizeof reqs[0], svcadm_row_cmp);
    qsort(steps, nsteps, sizeof steps[0], svcadm_row_cmp);
    svc_requirement *rq_list = arena_alloc(rq->a, nreqs * sizeof *rq_list);
    svc_step *st_list = arena_alloc(rq->a, nsteps * sizeof *st_list);
    for (size_t i = 0; i < nreqs; i++) {
        rq_list[i] = reqs[i].q;
        rq_list[i].pos = (int)i + 1;
    }
    for (size_t i = 0; i < nsteps; i++) {
        st_list[i] = steps[i].s;
        st_list[i].pos = (int)i + 1;
    }
    svc_standard s = {.service_id = sv->id,
                      .decree_number = svcadm_dup(rq, nomor),
                      .decree_date = svcadm_dup(rq, tanggal),
                      .effective_from = svcadm_dup(rq, berlaku),
                      .review_due = svcadm_dup(rq, tinjau),
                      .participation = svcadm_dup(rq, partisipasi),
                      .change_note = svcadm_dup(rq, catatan),
                      .time_limit_value = (int)wv,
                      .time_limit_unit = str_eq_c(satuan, "hours") ? "hours" : "days",
                      .cost_amount = sv->free_by_law ? 0 : cost,
                      .cost_note = svcadm_dup(rq, biaya_catatan),
                      .reqs = rq_list,
                      .nreqs = nreqs,
                      .steps = st_list,
                      .nsteps = nsteps};
    for (size_t i = 0; i < NTEXTS; i++)
        s.text[texts[i].comp] = svcadm_dup(rq, tv[i]);
    int version = 0;
    /* two people saving at once both ask for version N+1: the second one's insert breaks the
     * (service, version) key and simply tries again with the next number */
    int r = DB_ECONSTRAINT;
    for (int attempt = 0; attempt < 3 && r == DB_ECONSTRAINT; attempt++) {
        r = db_begin(c);
        if (r == DB_OK) r = svc_standard_add(c, sv->id, &s, rq->who.user_id, &version);
        char obj[80], detail[32];
        snprintf(obj, sizeof obj, "service:%s", sv->code);
        snprintf(detail, sizeof detail, "version %d", version);
        admin_audit(rq, c, "standard.add", obj, detail, &r);
        if (r == DB_OK) r = db_commit(c);
        if (r != DB_OK) db_rollback(c);
    }
    if (r != DB_OK) return 503;
    svc_api_invalidate();
    return http_redirect(
        rq, 303, arena_printf(rq->a, "/admin/layanan/%s/standar?tersimpan=%d", sv->code, version));
}

int svcadm_page_edit(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service sv;
    int r = svc_get(c, rq->a, http_param(rq, "code"), &sv);
    int st;
    if (r == DB_DONE) st = 404;
    else if (r != DB_OK) st = 503;
    else if (!svcadm_may(rq, c, sv.owner_code)) st = 403;
    else st = rq->method == HTTP_POST ? edit_post(rq, c, &sv) : edit_get(rq, c, &sv);
    db_release(c);
    return st;
}

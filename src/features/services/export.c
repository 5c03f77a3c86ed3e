/* services export: the service-delivery components of every active service in the shape units
 * upload to SIPP Nasional (KemenPAN-RB), as CSV (UTF-8 with BOM so Excel reads it), XLSX and
 * JSON. One row per service with the standard in force today; list components are joined with
 * line breaks and numbered, as the portal's text fields expect. Column names are the portal's
 * Indonesian field names, in every language: they are a data format, not interface text. */
#include <stdlib.h>
#include <string.h>

#include "features/app.h"
#include "features/services/view.h"
#include "features/services/web.h"
#include "render/csvw.h"
#include "render/xlsx.h"

/* /ekspor/{file}: sipp.csv, sipp.xlsx, sipp.json */
const http_param_spec svc_export_params[] = {{"file", HP_CODE, 8, 9, true}, {0}};

enum {
    C_KODE,
    C_NAMA,
    C_UNIT,
    C_PERSYARATAN,
    C_PROSEDUR,
    C_WAKTU,
    C_BIAYA,
    C_PRODUK,
    C_PENGADUAN,
    C_VERSI,
    C_NOMOR,
    C_TANGGAL,
    C_BERLAKU,
    NCOLS
};

static const char *const cols[NCOLS] = {"kode_layanan",
                                        "nama_layanan",
                                        "penyelenggara",
                                        "persyaratan",
                                        "sistem_mekanisme_prosedur",
                                        "jangka_waktu",
                                        "biaya_tarif",
                                        "produk_pelayanan",
                                        "penanganan_pengaduan",
                                        "versi_standar",
                                        "nomor_penetapan",
                                        "tanggal_penetapan",
                                        "berlaku_mulai"};

typedef struct {
    const char *v[NCOLS];
} row;

static const char *numbered(arena *a, const char *const *items, size_t n)
{
    const char *out = "";
    for (size_t i = 0; i < n; i++)
        out = arena_printf(a, "%s%s%zu. %s", out, i ? "\n" : "", i + 1, items[i]);
    return out;
}

static void fill(arena *a, const service *s, const char *owner, const svc_standard *st, row *r)
{
    memset(r, 0, sizeof *r);
    r->v[C_KODE] = s->code;
    r->v[C_NAMA] = s->name;
    r->v[C_UNIT] = owner;
    const char **items = arena_alloc(a, (st->nreqs + st->nsteps + 1) * sizeof *items);
    for (size_t i = 0; i < st->nreqs; i++) {
        const svc_requirement *q = &st->reqs[i];
        const char *t = q->label;
        if (q->cond_label) t = arena_printf(a, "%s (%s)", t, q->cond_label);
        else if (!q->required) t = arena_printf(a, "%s (jika ada)", t);
        items[i] = t;
    }
    r->v[C_PERSYARATAN] = numbered(a, items, st->nreqs);
    for (size_t i = 0; i < st->nsteps; i++)
        items[i] = st->steps[i].text;
    r->v[C_PROSEDUR] = numbered(a, items, st->nsteps);
    r->v[C_WAKTU] =
        arena_printf(a, "%d %s", st->time_limit_value,
                     strcmp(st->time_limit_unit, "hours") == 0 ? "jam kerja" : "hari kerja");
    r->v[C_BIAYA] =
        st->cost_amount == 0
            ? arena_printf(a, "Rp0 (gratis)%s%s", st->cost_note ? ". " : "",
                           st->cost_note ? st->cost_note : "")
            : arena_printf(a, "%s%s%s", svc_rupiah(a, st->cost_amount), st->cost_note ? ". " : "",
                           st->cost_note ? st->cost_note : "");
    r->v[C_PRODUK] = st->text[SVC_C_PRODUK];
    r->v[C_PENGADUAN] = st->text[SVC_C_PENGADUAN];
    r->v[C_VERSI] = arena_printf(a, "%d", st->version);
    r->v[C_NOMOR] = st->decree_number;
    r->v[C_TANGGAL] = st->decree_date;
    r->v[C_BERLAKU] = st->effective_from;
}

static int load(http_req *rq, row **out, size_t *n)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    char td[16];
    app_today(rq, td, sizeof td);
    service *ss;
    size_t ns;
    svc_filter f = {0};
    int r = svc_list(c, rq->a, &f, &ss, &ns);
    row *rows = arena_alloc(rq->a, (ns + 1) * sizeof *rows);
    size_t k = 0;
    for (size_t i = 0; r == DB_OK && i < ns; i++) {
        svc_standard st;
        int sr = svc_standard_at(c, rq->a, ss[i].id, td, &st);
        if (sr == DB_DONE) continue; /* nothing in force yet: nothing to publish */
        if (sr != DB_OK) {
            r = sr;
            break;
        }
        /* the owner's name (the catalogue has a handful of services: a query each is fine) */
        const char *owner = "";
        db_stmt *s = db_prepare(c, "SELECT name FROM units WHERE code = $1");
        if (s) {
            db_bind_cstr(s, 1, ss[i].owner_code);
            if (db_step(s) == DB_ROW) {
                str t = db_col_text(s, 0);
                owner = arena_strndup(rq->a, t.p, t.n);
            }
            db_finish(s);
        }
        fill(rq->a, &ss[i], owner, &st, &rows[k++]);
    }
    db_release(c);
    if (r != DB_OK) return 503;
    *out = rows;
    *n = k;
    return 0;
}

static int as_csv(http_req *rq, const row *rows, size_t n)
{
    csvw w;
    csvw_init(&w, 4u << 20, true);
    csvw_row(&w, cols, NCOLS);
    for (size_t i = 0; i < n; i++)
        csvw_row(&w, rows[i].v, NCOLS);
    size_t len;
    char *out = csvw_finish(&w, &len);
    csvw_free(&w);
    if (!out) return 500;
    int st = http_text(rq, 200, "text/csv; charset=utf-8", (str){out, len});
    free(out);
    http_header(rq, "Content-Disposition", "attachment; filename=\"sipp-standar-pelayanan.csv\"");
    return st;
}

static int as_xlsx(http_req *rq, const row *rows, size_t n)
{
    xlsx_book *b = xlsx_begin(rq->a, "Standar pelayanan (SIPP)");
    if (!b) return 500;
    xlsx_sheet *s = xlsx_sheet_add(b, "Standar pelayanan", cols, NCOLS);
    static const double widths[NCOLS] = {16, 32, 36, 60, 60, 14, 24, 32, 40, 8, 22, 14, 14};
    for (int c = 0; s && c < NCOLS; c++)
        xlsx_col_width(s, c, widths[c]);
    for (size_t i = 0; s && i < n; i++)
        for (int c = 0; c < NCOLS; c++) {
            if (c == C_VERSI)
                xlsx_num(s, (int)i + 1, c, strtol(rows[i].v[c], NULL, 10), XLSX_GENERAL);
            else xlsx_text(s, (int)i + 1, c, rows[i].v[c]);
        }
    char *out = NULL;
    size_t len = 0;
    if (xlsx_end(b, 0, s ? &out : NULL, &len) != 0 || !out) return 500;
    int st = http_text(rq, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       (str){out, len});
    free(out);
    http_header(rq, "Content-Disposition", "attachment; filename=\"sipp-standar-pelayanan.xlsx\"");
    return st;
}

static int as_json(http_req *rq, const row *rows, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        for (int c = 0; c < NCOLS; c++) {
            if (c == C_VERSI)
                json_object_set_new(o, cols[c], json_integer(strtol(rows[i].v[c], NULL, 10)));
            else
                json_object_set_new(o, cols[c],
                                    rows[i].v[c] ? json_string(rows[i].v[c]) : json_null());
        }
        json_array_append_new(arr, o);
    }
    char td[16];
    app_today(rq, td, sizeof td);
    int st = http_json(rq, 200,
                       json_pack("{s:s,s:s,s:I,s:o}", "wilayah", app_of(rq)->region_name, "tanggal",
                                 td, "jumlah", (json_int_t)n, "layanan", arr));
    http_header(rq, "Content-Disposition", "inline; filename=\"sipp-standar-pelayanan.json\"");
    return st;
}

int svc_export_sipp(http_req *rq)
{
    str f = http_param(rq, "file");
    bool csv = str_eq_c(f, "sipp.csv"), xlsx = str_eq_c(f, "sipp.xlsx"),
         json = str_eq_c(f, "sipp.json");
    if (!csv && !xlsx && !json) return 404;
    row *rows;
    size_t n;
    int st = load(rq, &rows, &n);
    if (st) return st;
    return csv ? as_csv(rq, rows, n) : xlsx ? as_xlsx(rq, rows, n) : as_json(rq, rows, n);
}

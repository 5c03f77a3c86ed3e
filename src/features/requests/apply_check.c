/* apply check: "check your answers" before the final submit. Every answer travels in hidden
 * fields (the stored files as their hashes), so "Change" brings the form back as it was and
 * "Send" files the request; the server checks everything again either way. */
#include <string.h>

#include "features/app.h"
#include "features/requests/view.h"
#include "features/requests/web_apply.h"

static void row(json_t *rows, const char *label, const char *value)
{
    json_array_append_new(rows,
                          json_pack("{s:s,s:s}", "label", label, "value", value ? value : ""));
}

static void hidden(json_t *h, const char *name, const char *value)
{
    json_array_append_new(h, json_pack("{s:s,s:s}", "name", name, "value", value ? value : ""));
}

static const char *val(form_state *f, const char *k)
{
    const char *s = json_string_value(json_object_get(f->v, k));
    return s ? s : "";
}

int apply_render_check(http_req *rq, const apply_src *x, form_state *f, const apply_file *files,
                       json_t *form)
{
    json_t *rows = json_array(), *docs = json_array(), *h = json_array();
    const char *unit = val(f, "unit"), *unit_name = unit;
    for (size_t i = 0; i < x->npoints; i++)
        if (strcmp(x->points[i].unit_code, unit) == 0) unit_name = x->points[i].unit_name;
    row(rows, http_t(rq, "Service point"), unit_name);
    row(rows, http_t(rq, "NIK"), val(f, "nik"));
    if (x->needs_kk) row(rows, http_t(rq, "KK number"), val(f, "kk"));
    hidden(h, "unit", unit);
    hidden(h, "nik", val(f, "nik"));
    hidden(h, "kk", val(f, "kk"));
    for (size_t i = 0; i < x->nfields; i++) {
        char name[32];
        snprintf(name, sizeof name, "isian%zu", i + 1);
        const char *v = val(f, name);
        hidden(h, name, v);
        if (!*v) continue;
        const char *shown = v;
        if (strcmp(x->fields[i].datatype, "datetime") == 0) shown = app_fmt_date(rq, v);
        else if (x->fields[i].choices) {
            /* the choice's name, not its key */
            size_t n = strlen(v);
            for (const char *p = x->fields[i].choices; *p;) {
                const char *e = strchr(p, '\n');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                if (len > n && strncmp(p, v, n) == 0 && p[n] == '=')
                    shown = arena_strndup(rq->a, p + n + 1, len - n - 1);
                if (!e) break;
                p = e + 1;
            }
        }
        row(rows, x->fields[i].label, shown);
    }
    const char *kind = json_string_value(json_object_get(form, "jenis_kia"));
    if (kind)
        row(rows, http_t(rq, "KIA kind"),
            strcmp(kind, "0-5") == 0 ? http_t(rq, "KIA for a child aged 0 to 5")
                                     : http_t(rq, "KIA for a child aged 5 to 17"));
    const char *del = val(f, "pengiriman");
    row(rows, http_t(rq, "How you receive the result"), req_delivery_label(rq, del));
    if (strcmp(del, "delivery") == 0) row(rows, http_t(rq, "Delivery address"), val(f, "alamat"));
    hidden(h, "pengiriman", del);
    hidden(h, "alamat", val(f, "alamat"));
    hidden(h, "kunci", val(f, "kunci"));
    for (size_t i = 0; i < x->st.nreqs && i < APPLY_MAX_KEPT; i++) {
        if (!files[i].sha256) continue;
        char name[32];
        snprintf(name, sizeof name, "simpan%zu", i + 1);
        hidden(h, name, files[i].sha256);
        json_array_append_new(docs, json_pack("{s:s,s:s,s:I}", "label", x->st.reqs[i].label, "kind",
                                              apply_kind(files[i].content_type), "kb",
                                              (json_int_t)((files[i].size + 1023) / 1024)));
    }
    json_t *ctx = json_pack("{s:s,s:s,s:o,s:o,s:o}", "code", x->s.code, "service", x->s.name,
                            "rows", rows, "docs", docs, "hidden", h);
    form_into(f, ctx);
    return http_page(rq, 200, "requests/apply_check", ctx);
}

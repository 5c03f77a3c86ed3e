/* form: see form.h. */
#include "features/form.h"

#include <stdarg.h>
#include <stdio.h>

void form_init(form_state *f)
{
    f->errors = json_array();
    f->err = json_object();
    f->v = json_object();
}

void form_error_text(form_state *f, const char *field, const char *text)
{
    if (json_object_get(f->err, field)) return; /* the first problem of a field is enough */
    char href[80];
    snprintf(href, sizeof href, "#%s", field);
    json_array_append_new(f->errors, json_pack("{s:s,s:s}", "href", href, "text", text));
    json_object_set_new(f->err, field, json_string(text));
}

void form_error(http_req *rq, form_state *f, const char *field, const char *msgid, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, msgid);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    vsnprintf(text, sizeof text, http_t(rq, msgid), ap);
#pragma GCC diagnostic pop
    va_end(ap);
    form_error_text(f, field, text);
}

bool form_ok(const form_state *f)
{
    return json_array_size(f->errors) == 0;
}

str form_keep(http_req *rq, form_state *f, const char *field, size_t max)
{
    str v = http_param(rq, field);
    v = v.p ? str_trim(v) : STR("");
    if (v.n > max) v.n = max;
    json_object_set_new(f->v, field, json_stringn(v.p, v.n));
    return v;
}

void form_into(form_state *f, json_t *ctx)
{
    json_object_set_new(ctx, "has_errors", json_boolean(!form_ok(f)));
    json_object_set_new(ctx, "errors", f->errors);
    json_object_set_new(ctx, "err", f->err);
    json_object_set_new(ctx, "v", f->v);
    f->errors = f->err = f->v = NULL;
}

void form_free(form_state *f)
{
    json_decref(f->errors);
    json_decref(f->err);
    json_decref(f->v);
    f->errors = f->err = f->v = NULL;
}

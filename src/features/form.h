/* form: the state of a submitted form for re-rendering: error messages per field (shown next
 * to the field and in the summary at the top, which links to each field) and the values typed,
 * so nothing is lost. Templates read `errors` (list of {href, text}), `err.<field>` and
 * `v.<field>`. */
#ifndef LAYAN_FORM_H
#define LAYAN_FORM_H
#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"

typedef struct {
    json_t *errors; /* [{href, text}] */
    json_t *err;    /* {field: text} */
    json_t *v;      /* {field: value} */
} form_state;

void form_init(form_state *f);
/* msgid is translated in the request's language; printf-style arguments follow */
void form_error(http_req *rq, form_state *f, const char *field, const char *msgid, ...)
    __attribute__((format(printf, 4, 5)));
void form_error_text(form_state *f, const char *field, const char *text); /* already translated */
bool form_ok(const form_state *f);
/* keeps the typed value of a field (trimmed, at most max bytes) and returns it */
str form_keep(http_req *rq, form_state *f, const char *field, size_t max);
/* moves errors, err, v and has_errors into ctx; f is empty afterwards */
void form_into(form_state *f, json_t *ctx);
void form_free(form_state *f);

#endif

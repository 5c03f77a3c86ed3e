/* tpl: HTML templates, compiled at start, escaped by default according to where each value
 * lands (text, quoted attribute, URL attribute). Syntax and rules: docs/internals/templates.md.
 *
 * Data is a jansson value tree. Raw HTML only through tpl_safe_html(), which trusted C code
 * calls; nothing parsed from user input can produce it. A compiled set is read-only and shared
 * by all threads. */
#ifndef LAYAN_TPL_H
#define LAYAN_TPL_H
#include <jansson.h>

#include "lib/str.h"
#include "render/i18n.h"

typedef struct tpl_set tpl_set;

typedef struct {
    const i18n_catalogs *i18n;
    const char *lang;
} tpl_env;

/* compiles every *.html below dir; names are relative paths without .html ("units/home") */
int tpl_load_dir(const char *dir, tpl_set **out, char *err, size_t errlen);
/* compiles one source (tests, fuzzing); partials/layouts must come from the same set */
tpl_set *tpl_set_new(void);
int tpl_add(tpl_set *s, const char *name, const char *src, size_t len, char *err, size_t errlen);
int tpl_link(tpl_set *s, char *err, size_t errlen); /* resolves partials and layouts */
void tpl_set_free(tpl_set *s);
/* 0, or -1 (unknown template, output over the buf's cap) */
int tpl_render(const tpl_set *s, const char *name, json_t *ctx, const tpl_env *env, buf *out);
/* a value that renders unescaped: only for HTML that trusted code produced */
json_t *tpl_safe_html(const char *html);

#endif

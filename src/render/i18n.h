/* i18n: translation catalogs compiled by msgfmt (po/<lang>.po -> <builddir>/locale/<lang>.mo),
 * read directly so that every request can use its own language on any thread without
 * setlocale/uselocale. Msgids are English; a missing or empty translation falls back to the
 * msgid. Plural rules supported: nplurals=1 (Indonesian) and nplurals=2 plural=(n != 1). */
#ifndef LAYAN_I18N_H
#define LAYAN_I18N_H
#include <stdbool.h>
#include <stddef.h>

typedef struct i18n_catalogs i18n_catalogs;

/* loads every <lang>.mo in dir; NULL with err set when dir has none or a file is malformed */
i18n_catalogs *i18n_load(const char *dir, char *err, size_t errlen);
void i18n_free(i18n_catalogs *c);
bool i18n_has_lang(const i18n_catalogs *c, const char *lang);
const char *i18n_get(const i18n_catalogs *c, const char *lang, const char *msgid);
const char *i18n_nget(const i18n_catalogs *c, const char *lang, const char *msgid,
                      const char *msgid_plural, unsigned long n);

/* marks a string for extraction without translating it (xgettext --keyword=N_) */
#define N_(s) (s)

#endif

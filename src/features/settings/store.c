/* settings store: SQL for the settings table. */
#include "features/settings/settings.h"

const char *settings_get(db_conn *c, arena *a, const char *key)
{
    db_stmt *s = db_prepare(c, "SELECT value FROM settings WHERE key = $1");
    if (!s) return NULL;
    db_bind_cstr(s, 1, key);
    const char *v = NULL;
    if (db_step(s) == DB_ROW) {
        str t = db_col_text(s, 0);
        v = arena_strndup(a, t.p ? t.p : "", t.n);
    }
    db_finish(s);
    return v;
}

int settings_set(db_conn *c, const char *key, const char *value)
{
    db_stmt *s = db_prepare(c, "INSERT INTO settings (key, value) VALUES ($1, $2) "
                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, key);
    db_bind_cstr(s, 2, value);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

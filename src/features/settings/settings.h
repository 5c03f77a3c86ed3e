/* settings: installation-wide key/value settings (region_code, region_name, ...). */
#ifndef LAYAN_SETTINGS_H
#define LAYAN_SETTINGS_H
#include "db/db.h"
#include "lib/arena.h"

/* the value, copied into the arena, or NULL when absent */
const char *settings_get(db_conn *c, arena *a, const char *key);
int settings_set(db_conn *c, const char *key, const char *value);

#endif

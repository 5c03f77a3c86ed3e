/* holidays: the calendar of national holidays and cuti bersama that working-day deadlines use.
 * Generated rows (from date-holidays at build time) are refreshed by `layan init`; rows an
 * admin entered (source = manual) are never overwritten. */
#ifndef LAYAN_HOLIDAYS_H
#define LAYAN_HOLIDAYS_H
#include "db/db.h"
#include "lib/arena.h"

typedef struct {
    const char *date; /* YYYY-MM-DD */
    const char *name;
    const char *kind;   /* national | cuti_bersama */
    const char *source; /* generated | manual */
} holiday;

/* imports a date,name,kind CSV as generated rows; all or nothing; err names the bad line */
int holidays_import_csv(db_conn *c, const char *path, long *count, char *err, size_t errlen);
int holidays_list(db_conn *c, arena *a, const char *from, const char *to, holiday **out, size_t *n);

#endif

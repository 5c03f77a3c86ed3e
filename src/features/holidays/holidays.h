/* holidays: the calendar of national holidays and cuti bersama that working-day deadlines use.
 *
 * Rows have a source: 'generated' rows come from the calendar shipped with layan
 * (db_refdata_holidays(), made at build time from the SKB lists in data/ and npm date-holidays)
 * and are kept in step with it by `layan init`; 'manual' rows are an admin's and nothing here
 * overwrites or deletes them (a generated row equal to a manual one is skipped). */
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

/* parses a date,name,kind CSV (header optional) into rows (source "generated"), in the arena.
 * `what` names the data in errors: "what line N: ...". DB_OK or DB_ERR. */
int holidays_parse_csv(arena *a, const char *what, str data, holiday **out, size_t *n, char *err,
                       size_t errlen);
/* makes the generated rows of every year that `rows` covers equal to `rows`: adds the missing
 * ones (or fixes their kind), deletes generated rows of those years that are gone. Years the rows
 * do not mention are left alone. Run it inside a transaction. */
int holidays_sync_generated(db_conn *c, const holiday *rows, size_t n, long *added, long *removed);
/* reads a CSV file and syncs it as above; count gets the rows in the file */
int holidays_import_csv(db_conn *c, const char *path, long *count, char *err, size_t errlen);
/* an admin's holiday (source manual); DB_ECONSTRAINT for a bad date/kind or a duplicate */
int holidays_add_manual(db_conn *c, const char *date, const char *name, const char *kind);
/* the rows with from <= date <= to, by date then name */
int holidays_list(db_conn *c, arena *a, const char *from, const char *to, holiday **out, size_t *n);

#endif

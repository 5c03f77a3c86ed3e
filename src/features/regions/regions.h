/* regions: the official Kemendagri region list (province, regency, district, village), its
 * import from the idn-area-data CSV files, lookups, and the name folding used for search.
 *
 * The import upserts: a code that disappears from the list stays (old NIKs still carry the
 * codes of districts that were later split or renamed). It is all or nothing, in one
 * transaction, and a bad row names its file and line. */
#ifndef LAYAN_REGIONS_H
#define LAYAN_REGIONS_H
#include "db/db.h"
#include "lib/arena.h"

enum { REGION_PROVINCE = 1, REGION_REGENCY = 2, REGION_DISTRICT = 3, REGION_VILLAGE = 4 };

typedef struct {
    const char *code, *parent_code, *name;
    int level; /* 1 province, 2 regency, 3 district (kecamatan), 4 village (kelurahan/desa) */
} region;

/* done/total in rows; called now and then and once at the end with done == total */
typedef void (*regions_progress_fn)(const char *label, long done, long total);

/* reads provinces.csv, regencies.csv, districts.csv, villages.csv (as idn-area-data ships them:
 * code,name / code,<parent>_code,name) from dir and upserts them in one transaction. count gets
 * the number of rows read. Errors: DB_ERR with err naming "file line N: what" for bad data. */
int regions_import_dir(db *d, const char *dir, regions_progress_fn progress, long *count, char *err,
                       size_t errlen);
int regions_get(db_conn *c, arena *a, str code, region *out); /* DB_DONE when absent */
/* the name of a code, or NULL when absent */
const char *regions_name(db_conn *c, arena *a, str code);
/* the regions directly under code (e.g. the villages of a district), by name */
int regions_children(db_conn *c, arena *a, str code, region **out, size_t *n);
long regions_count(db_conn *c); /* rows in the table, -1 on error */
/* the search key of a name: lower-case ASCII letters and digits only. Accented Latin letters
 * lose their accents, apostrophes (' ’ ") disappear, and so do spaces and other punctuation, so
 * "O'o'u" ~ "oou", "Buah Batu" ~ "Buahbatu", "Sukajádi" ~ "sukajadi". Letters of other scripts
 * are kept as they are. Used for the name_search columns and for queries alike. */
char *regions_fold(arena *a, str s);

#endif

/* regions: the official Kemendagri region list (province, regency, district, village), its
 * import from the idn-area-data CSV files, and lookups. */
#ifndef LAYAN_REGIONS_H
#define LAYAN_REGIONS_H
#include "db/db.h"
#include "lib/arena.h"

typedef struct {
    const char *code, *parent_code, *name;
    int level; /* 1 province, 2 regency, 3 district (kecamatan), 4 village (kelurahan/desa) */
} region;

typedef void (*regions_progress_fn)(const char *label, long done, long total);

/* reads provinces.csv, regencies.csv, districts.csv, villages.csv from dir and replaces the
 * regions in one transaction: all or nothing; err names the file and line of a bad row */
int regions_import_dir(db *d, const char *dir, regions_progress_fn progress, long *count, char *err,
                       size_t errlen);
int regions_get(db_conn *c, arena *a, str code, region *out); /* DB_DONE when absent */
int regions_children(db_conn *c, arena *a, str code, region **out, size_t *n);
/* lower-case ASCII folding used for search columns */
char *regions_fold(arena *a, str s);

#endif

/* core/region_table: the official kecamatan (district) code list, compiled in.
 *
 * Generated at build time from idn-area-data's districts.csv (scripts/gen-region-table.js), sorted
 * by code. Lookups are binary searches on the dotted code "PP.KK.CC"; no I/O, no allocation,
 * safe from any thread. Names are UTF-8 as in the source data. */
#ifndef LAYAN_CORE_REGION_TABLE_H
#define LAYAN_CORE_REGION_TABLE_H
#include <stddef.h>

struct region_table_entry {
    const char *code; /* "32.73.01" */
    const char *name; /* "Sukasari" */
};

extern const struct region_table_entry region_table_districts[];
extern const size_t region_table_ndistricts;

/* "32.73.01" -> "Sukasari"; NULL when the code is absent or code_dotted is NULL */
const char *region_table_district_name(const char *code_dotted);

#endif

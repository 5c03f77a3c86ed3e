/* core/region_table: lookup over the generated district table (region_table_data.c). */
#include "core/region_table.h"

#include <string.h>

const char *region_table_district_name(const char *code_dotted)
{
    if (!code_dotted) return NULL;
    size_t lo = 0, hi = region_table_ndistricts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(region_table_districts[mid].code, code_dotted);
        if (c == 0) return region_table_districts[mid].name;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

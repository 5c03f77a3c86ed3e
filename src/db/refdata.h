/* refdata: reference data built into the binary at build time (src/db/module.cmake), so a
 * deployed `layan` needs no data files beside it.
 *
 * db_refdata_holidays(): the holiday calendar CSV (date,name,kind) for the build year and the
 * next, made by scripts/gen-holidays.js from the SKB lists in data/ and npm date-holidays. */
#ifndef LAYAN_DB_REFDATA_H
#define LAYAN_DB_REFDATA_H
#include "lib/str.h"

str db_refdata_holidays(void);

#endif

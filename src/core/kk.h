/* core/kk: KK (Kartu Keluarga) number parsing and validation. Pure: no I/O, no allocation.
 *
 * A KK number is `PP KK CC DD MM YY SSSS`: the issuing district, the recording date (DDMMYY,
 * no +40, a real date not after today, YY pivoted like a NIK year) and a family serial != 0000.
 * Like nik_parse, every error is collected with an Indonesian and an English message; the parsed
 * fields are filled only when valid. */
#ifndef LAYAN_CORE_KK_H
#define LAYAN_CORE_KK_H
#include "core/nik.h"

typedef struct {
    bool valid;
    char province_code[3];
    char regency_code[6];
    char district_code[9];
    char recorded_date[11]; /* "2019-03-12" */
    cal_date recorded;
    char serial[5];
    const char *district_name;
    nik_errors errors; /* codes are the NIK_ERR_* values, NIK_ERR_DAY meaning "not 01-31" */
} kk_result;

bool kk_parse(const char *s, size_t n, cal_date today, nik_district_lookup lookup, kk_result *out);

#endif

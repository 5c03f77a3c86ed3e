/* Fuzzes the NIK and KK parsers and the mask on arbitrary bytes: no crash, no overflow, and the
 * invariants a caller relies on (valid <=> no errors; a mask never longer than 16 nor revealing
 * anything of a malformed input). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/kk.h"
#include "core/mask.h"
#include "core/nik.h"
#include "core/region_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    cal_date today = {2026, 11, 22};
    if (size >= 2) { /* let the fuzzer move "today" too, including odd years */
        today.y = 1900 + data[0] % 200;
        today.m = 1 + data[1] % 12;
    }
    nik_result r;
    bool v = nik_parse(s, size, today, region_table_district_name, &r);
    if (v != r.valid || v != (r.errors.n == 0) || r.errors.n > NIK_MAX_ERRORS) abort();
    if (v && (size != 16 || strlen(r.birth_date) != 10 || (r.sex != 'L' && r.sex != 'P'))) abort();
    for (int i = 0; i < r.errors.n; i++)
        if (!r.errors.e[i].id[0] || !r.errors.e[i].en[0]) abort();
    nik_parse(s, size, today, NULL, &r);
    kk_result k;
    v = kk_parse(s, size, today, region_table_district_name, &k);
    if (v != (k.errors.n == 0)) abort();
    char m[NIK_MASK_SIZE];
    size_t n = nik_mask(s, size, m, sizeof m);
    if (n > 16 || strlen(m) != n) abort();
    if (!v && !r.valid && size != 16)
        for (size_t i = 0; i < n; i++)
            if (m[i] != '*') abort();
    return 0;
}

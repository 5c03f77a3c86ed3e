/* Fuzzes what a person types as a tracking code and the survey period codes: no crash, and the
 * invariants callers rely on: a parsed code is valid, formats and parses back to itself, and
 * survives the number round trip; a parsed period has from <= to and a canonical code that
 * parses to the same period. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ikm.h"
#include "core/tracking.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char code[TRK_LEN + 1], again[TRK_LEN + 1], shown[TRK_SHOWN + 1];
    if (trk_parse(s, size, code)) {
        if (strlen(code) != TRK_LEN || !trk_valid(code)) abort();
        trk_format(code, shown);
        if (strlen(shown) != TRK_SHOWN || !trk_parse(shown, strlen(shown), again) ||
            strcmp(code, again) != 0)
            abort();
        int64_t v = trk_to_number(code);
        if (v < 0 || !trk_from_number(v, again) || strcmp(code, again) != 0) abort();
    }
    if (size >= TRK_RANDOM_BYTES && trk_generate(data, size, code) && !trk_valid(code)) abort();
    ikm_period p, q;
    if (ikm_period_parse(s, size, &p)) {
        if (cal_date_cmp(p.from, p.to) > 0) abort();
        if (!ikm_period_parse(p.code, strlen(p.code), &q) || strcmp(p.code, q.code) != 0 ||
            cal_date_cmp(p.from, q.from) != 0 || cal_date_cmp(p.to, q.to) != 0)
            abort();
    }
    return 0;
}

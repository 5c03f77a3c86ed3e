/* fuzz: JSON parsing with the duplicate-key and depth rules, then compact dump under a cap. */
#include <stdint.h>

#include "lib/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[160];
    json_t *v = jsonw_parse((str){(const char *)data, size}, 16, err, sizeof err);
    if (v) {
        buf b;
        buf_init(&b, 1 << 16);
        jsonw_dump_buf(v, &b);
        buf_free(&b);
        json_decref(v);
    }
    return 0;
}

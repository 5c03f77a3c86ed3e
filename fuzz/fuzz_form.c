/* fuzz: form binding: urlencoded form bodies with small caps, then typed parameter reads. */
#include <stdint.h>

#include "http/parse.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const http_limits lim = {4, 8, 16, 64};
    arena *a = arena_new(0);
    http_kvs k;
    if (http_parse_urlencoded(a, (str){(const char *)data, size}, &lim, &k) == HTTP_POK) {
        if (k.n > lim.max_pairs) __builtin_trap();
        for (size_t i = 0; i < k.n; i++) {
            str v = k.items[i].value;
            if (!utf8_valid_text(v.p, v.n)) __builtin_trap();
            long x;
            (void)str_to_long(v, -1000, 1000, &x);
        }
    }
    arena_free(a);
    return 0;
}

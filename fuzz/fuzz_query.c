/* fuzz: query strings and urlencoded bodies with the server's limits. */
#include <stdint.h>

#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const http_limits lim = {64, 128, 4096, 16384};
    arena *a = arena_new(0);
    http_kvs k;
    if (http_parse_urlencoded(a, (str){(const char *)data, size}, &lim, &k) == HTTP_POK) {
        for (size_t i = 0; i < k.n; i++)
            if (k.items[i].name.n == 0 || k.items[i].value.n > lim.max_value) __builtin_trap();
        (void)http_kvs_get(&k, "q");
    }
    arena_free(a);
    return 0;
}

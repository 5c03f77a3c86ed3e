/* fuzz: the Cookie header parser. */
#include <stdint.h>

#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const http_limits lim = {32, 128, 4096, 8192};
    arena *a = arena_new(0);
    http_kvs k;
    http_parse_cookies(a, (str){(const char *)data, size}, &lim, &k);
    (void)http_kvs_get(&k, "lang");
    arena_free(a);
    return 0;
}

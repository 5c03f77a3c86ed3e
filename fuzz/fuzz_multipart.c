/* fuzz: the streaming multipart parser, fed in chunk sizes taken from the first bytes. */
#include <stdint.h>
#include <unistd.h>

#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    size_t step = (size_t)data[0] % 64 + 1;
    data += 1;
    size -= 1;
    arena *a = arena_new(0);
    http_mp_limits lim = {8, 256, 4096, 65536, 1024, "/tmp"};
    http_mp *m = http_mp_new(a, STR("b0undary"), &lim);
    int e = HTTP_POK;
    for (size_t off = 0; off < size && e == HTTP_POK; off += step) {
        size_t n = size - off < step ? size - off : step;
        e = http_mp_feed(m, (const char *)data + off, n);
    }
    http_kvs f;
    http_upload *up;
    size_t nup;
    if (e == HTTP_POK && http_mp_finish(m, &f, &up, &nup) == HTTP_POK) {
        for (size_t i = 0; i < nup; i++)
            if (up[i].size > lim.max_file_size || access(up[i].tmp_path, F_OK) != 0)
                __builtin_trap();
    }
    http_mp_cleanup(m);
    arena_free(a);
    return 0;
}

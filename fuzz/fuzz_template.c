/* fuzz: the template compiler on arbitrary source, then rendering what compiles. */
#include <stdint.h>

#include "render/tpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *ctx;
    if (!ctx)
        ctx = json_loads("{\"a\":\"<x>\",\"n\":3,\"xs\":[{\"a\":1},{\"a\":\"javascript:x\"}],"
                         "\"u\":{\"name\":\"b\"}}",
                         0, NULL);
    tpl_set *s = tpl_set_new();
    char err[256];
    const char *p = "<i>{{a}}</i>";
    tpl_add(s, "p", p, 12, err, sizeof err);
    if (tpl_add(s, "t", (const char *)data, size, err, sizeof err) == 0 &&
        tpl_link(s, err, sizeof err) == 0) {
        buf b;
        buf_init(&b, 1 << 16);
        tpl_render(s, "t", ctx, NULL, &b);
        buf_free(&b);
    }
    tpl_set_free(s);
    return 0;
}

/* json: see json.h. The depth check is a single pass over the text that tracks strings. */
#include "lib/json.h"

#include <stdio.h>

static bool depth_ok(str in, size_t max_depth)
{
    size_t depth = 0;
    bool in_str = false, esc = false;
    for (size_t i = 0; i < in.n; i++) {
        char c = in.p[i];
        if (in_str) {
            if (esc) esc = false;
            else if (c == '\\') esc = true;
            else if (c == '"') in_str = false;
            continue;
        }
        if (c == '"') in_str = true;
        else if (c == '{' || c == '[') {
            if (++depth > max_depth) return false;
        } else if ((c == '}' || c == ']') && depth) depth--;
    }
    return true;
}

json_t *jsonw_parse(str in, size_t max_depth, char *err, size_t errlen)
{
    if (!depth_ok(in, max_depth)) {
        snprintf(err, errlen, "nested deeper than %zu levels", max_depth);
        return NULL;
    }
    json_error_t e;
    json_t *v = json_loadb(in.p, in.n, JSON_REJECT_DUPLICATES, &e);
    if (!v) snprintf(err, errlen, "line %d column %d: %s", e.line, e.column, e.text);
    return v;
}

static int dump_cb(const char *p, size_t n, void *ud)
{
    return buf_put(ud, p, n);
}

int jsonw_dump_buf(json_t *v, buf *out)
{
    /* 15 significant digits: map coordinates print as -6.9147, not -6.9146999999999998 */
    return json_dump_callback(v, dump_cb, out,
                              JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
                                  JSON_REAL_PRECISION(15));
}

/* open311 xml: a small writer from a jansson tree to XML, enough for GeoReport v2 answers. No
 * attributes, no namespaces: elements and escaped text only. */
#include <inttypes.h>
#include <string.h>

#include "features/open311/open311.h"

/* the element of one item of a list: the list's name in the singular */
static const char *item_name(const char *list)
{
    static const char *const map[][2] = {
        {"services", "service"},         {"attributes", "attribute"}, {"values", "value"},
        {"endpoints", "endpoint"},       {"formats", "format"},       {"errors", "error"},
        {"service_requests", "request"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(list, map[i][0]) == 0) return map[i][1];
    return "item";
}

/* text content: & < > " ' escaped; the control characters XML 1.0 forbids, and U+FFFE/U+FFFF,
 * dropped (jansson strings are valid UTF-8 already) */
static int put_text(buf *out, const char *s, size_t n)
{
    int r = 0;
    for (size_t i = 0; i < n && !r; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': r = buf_puts(out, "&amp;"); break;
        case '<': r = buf_puts(out, "&lt;"); break;
        case '>': r = buf_puts(out, "&gt;"); break;
        case '"': r = buf_puts(out, "&quot;"); break;
        case '\'': r = buf_puts(out, "&apos;"); break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
            if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
                ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)) {
                i += 2;
                break;
            }
            r = buf_putc(out, (char)c);
        }
    }
    return r;
}

static int put_value(const json_t *v, const char *name, buf *out, int depth);

static int put_children(const json_t *v, const char *name, buf *out, int depth)
{
    int r = 0;
    if (json_is_object(v)) {
        const char *k;
        const json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            if ((r = put_value(x, k, out, depth + 1))) break;
        }
    } else if (json_is_array(v)) {
        const char *in = item_name(name);
        size_t i;
        const json_t *x;
        json_array_foreach(v, i, x)
        {
            if ((r = put_value(x, in, out, depth + 1))) break;
        }
    }
    return r;
}

static int put_value(const json_t *v, const char *name, buf *out, int depth)
{
    if (depth > 16) return -1;
    if (json_is_null(v)) return buf_printf(out, "<%s/>", name);
    if (buf_printf(out, "<%s>", name)) return -1;
    int r = 0;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
    case JSON_ARRAY: r = put_children(v, name, out, depth); break;
    case JSON_STRING: r = put_text(out, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: r = buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); break;
    case JSON_REAL: r = buf_printf(out, "%.17g", json_real_value(v)); break;
    case JSON_TRUE: r = buf_puts(out, "true"); break;
    case JSON_FALSE: r = buf_puts(out, "false"); break;
    case JSON_NULL: break;
    }
    if (r) return r;
    return buf_printf(out, "</%s>", name);
}

int open311_xml(const json_t *v, const char *root, buf *out)
{
    if (buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")) return -1;
    if (put_value(v, root, out, 0)) return -1;
    return buf_putc(out, '\n');
}

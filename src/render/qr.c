/* qr: see qr.h. Each row's runs of dark modules become one subpath of the single <path>, so a
 * version-10 code is a few kilobytes instead of one <rect> per module. */
#include "render/qr.h"

#include <qrencode.h>
#include <string.h>

#include "lib/str.h"

/* XML text: the five specials escaped, C0 controls (not allowed in XML 1.0) dropped */
static void put_escaped(buf *b, const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n') continue;
        switch (*s) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        default: buf_putc(b, *s);
        }
    }
}

char *qr_svg(arena *a, const char *text, const char *title)
{
    if (!a || !text) return NULL;
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return NULL;
    int w = q->width, size = w + 8;
    buf b;
    buf_init(&b, 1u << 20);
    buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" "
               "shape-rendering=\"crispEdges\"><title>",
               size, size);
    put_escaped(&b, title ? title : "QR");
    buf_printf(&b,
               "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
               size, size);
    /* each row: runs of dark modules become one rectangle "Mx yhNv1h-Nz" */
    for (int y = 0; y < w; y++) {
        int x = 0;
        while (x < w) {
            if (!(q->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < w && (q->data[y * w + x] & 1))
                x++;
            buf_printf(&b, "M%d %dh%dv1h-%dz", start + 4, y + 4, x - start, x - start);
        }
    }
    buf_puts(&b, "\"/></svg>");
    QRcode_free(q);
    char *out = b.n && !b.overflow ? arena_strndup(a, b.p, b.n) : NULL;
    buf_free(&b);
    return out;
}

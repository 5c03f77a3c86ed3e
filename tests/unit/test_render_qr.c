/* Unit tests of render/qr: the SVG's frame (viewBox with the quiet zone, role, escaped title)
 * and its path, read back into a module grid and compared with libqrencode's own matrix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "render/qr.h"

/* parses the "Mx yhNv1h-Nz" runs of the path into grid (size x size, 1 = dark); false when the
 * path holds anything else or a run leaves the grid */
static bool read_path(const char *svg, int size, unsigned char *grid)
{
    const char *d = strstr(svg, " d=\"");
    if (!d) return false;
    d += 4;
    while (*d != '"') {
        int x, y, n, m, used = 0;
        if (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &m, &used) != 4 || used == 0) return false;
        if (n != m || n < 1 || x < 0 || y < 0 || x + n > size || y >= size) return false;
        for (int i = 0; i < n; i++) {
            if (grid[y * size + x + i]) return false; /* overlapping runs */
            grid[y * size + x + i] = 1;
        }
        d += used;
    }
    return true;
}

static void check_code(const char *text)
{
    arena *a = arena_new(0);
    char *svg = qr_svg(a, text, "QR");
    assert_non_null(svg);
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(q);
    int w = q->width, size = w + 8;
    char vb[64];
    snprintf(vb, sizeof vb, "viewBox=\"0 0 %d %d\"", size, size);
    assert_non_null(strstr(svg, vb));

    unsigned char *grid = calloc((size_t)size * (size_t)size, 1);
    assert_non_null(grid);
    assert_true(read_path(svg, size, grid));
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) {
            bool in = x >= 4 && y >= 4 && x < w + 4 && y < w + 4;
            int want = in ? (q->data[(y - 4) * w + (x - 4)] & 1) : 0; /* quiet zone is light */
            assert_int_equal(grid[y * size + x], want);
        }
    free(grid);
    QRcode_free(q);
    arena_free(a);
}

static void test_frame(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    const char *uri =
        "otpauth://totp/Layan:siti%40contoh.id?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        "&issuer=Layan";
    char *svg = qr_svg(a, uri, "Kode QR <\"Layan\" & 'aplikasi'>");
    assert_non_null(svg);
    assert_true(strncmp(svg, "<svg", 4) == 0);
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "shape-rendering=\"crispEdges\""));
    assert_non_null(
        strstr(svg, "<title>Kode QR &lt;&quot;Layan&quot; &amp; &#39;aplikasi&#39;&gt;</title>"));
    assert_non_null(strstr(svg, "</svg>"));
    /* one path, no rect per module */
    const char *p = strstr(svg, "<path");
    assert_non_null(p);
    assert_null(strstr(p + 1, "<path"));
    size_t rects = 0;
    for (const char *r = svg; (r = strstr(r, "<rect")); r++)
        rects++;
    assert_true(rects <= 1); /* the background only */
    assert_true(strlen(svg) < 8000);

    /* control characters are dropped from the title (not allowed in XML) */
    svg = qr_svg(a, "x",
                 "a\x01"
                 "b");
    assert_non_null(svg);
    assert_non_null(strstr(svg, "<title>ab</title>"));
    arena_free(a);
}

static void test_modules(void **state)
{
    (void)state;
    check_code("x");
    check_code("https://layan.example.go.id/verifikasi/ABCDEFGHIJ0123456789");
    check_code(
        "otpauth://totp/Layan%20Kota%20Cimahi:siti%40contoh.id?secret="
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Layan%20Kota%20Cimahi&algorithm=SHA1&digits="
        "6&period=30");
}

static void test_failure(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_null(qr_svg(a, NULL, "t"));
    /* past the capacity of a version-40 code */
    size_t n = 4000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'z', n);
    big[n] = 0;
    assert_null(qr_svg(a, big, "t"));
    free(big);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_frame), cmocka_unit_test(test_modules),
                                       cmocka_unit_test(test_failure)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

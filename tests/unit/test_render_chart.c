/* Unit tests of render/chart: every chart is well-formed XML (xmllint --noout through popen),
 * labelled for screen readers (role="img", <title>, <desc>, aria-labelledby), carries its
 * numbers as text, escapes a label holding < & " and survives invalid UTF-8; bad arguments
 * give NULL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "render/chart.h"

/* 0 when xmllint accepts svg as a document */
static int xmllint(const char *svg)
{
    char path[] = "/tmp/layan-chart-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    size_t n = strlen(svg);
    ssize_t w = write(fd, svg, n);
    close(fd);
    if (w != (ssize_t)n) return -1;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char line[512];
    int out = 0;
    while (fgets(line, sizeof line, p)) {
        fputs(line, stderr);
        out = 1;
    }
    int st = pclose(p);
    unlink(path);
    return st == 0 && !out ? 0 : -1;
}

static void labelled(const char *svg, const char *title)
{
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "aria-labelledby=\"chart"));
    assert_non_null(strstr(svg, "<title id=\"chart"));
    assert_non_null(strstr(svg, "<desc id=\"chart"));
    assert_non_null(strstr(svg, title));
}

static void test_hbars(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    chart_item it[] = {{"U1 Persyaratan", 3.25, "3,25"},
                       {"U2 <Sistem> & \"prosedur\"", 1, "1,00"},
                       {"U3 Waktu", 4, "4,00"}};
    const char *svg = chart_hbars(a, "NRR per unsur", "Nilai 1 sampai 4", it, 3, 1, 4);
    assert_non_null(svg);
    assert_int_equal(xmllint(svg), 0);
    labelled(svg, "NRR per unsur");
    assert_non_null(strstr(svg, ">3,25</text>"));
    assert_non_null(strstr(svg, ">1,00</text>"));
    assert_non_null(strstr(svg, ">4,00</text>"));
    assert_non_null(strstr(svg, "U2 &lt;Sistem&gt; &amp; &quot;prosedur&quot;"));
    assert_null(strstr(svg, "<Sistem>"));
    /* grid 1..4 */
    assert_non_null(strstr(svg, ">1</text>"));
    assert_non_null(strstr(svg, ">4</text>"));
    /* a bar at the bottom of the scale has no mark, only the track and its number */
    assert_null(chart_hbars(a, "x", "y", it, 0, 1, 4));
    assert_null(chart_hbars(a, "x", "y", it, 3, 4, 4));
    arena_free(a);
}

static void test_columns(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    chart_item it[] = {
        {"2025", 72.5, "72,50"}, {"2026-Q1", 88.31, "88,31"}, {"<&\">", 25, "25,00"}};
    chart_ref refs[] = {{88.31, "A 88,31"}, {76.61, "B 76,61"}, {65.00, "C 65,00"}};
    const char *svg = chart_columns(a, "Tren IKM", "IKM x 25 per periode", it, 3, 0, 100, refs, 3);
    assert_non_null(svg);
    assert_int_equal(xmllint(svg), 0);
    labelled(svg, "Tren IKM");
    assert_non_null(strstr(svg, ">88,31</text>"));
    assert_non_null(strstr(svg, ">A 88,31</text>"));
    assert_non_null(strstr(svg, ">B 76,61</text>"));
    assert_non_null(strstr(svg, ">C 65,00</text>"));
    assert_non_null(strstr(svg, ">2026-Q1</text>"));
    assert_non_null(strstr(svg, ">&lt;&amp;&quot;&gt;</text>"));
    assert_non_null(strstr(svg, "stroke-dasharray"));
    /* no reference lines is fine */
    assert_non_null(chart_columns(a, "t", "d", it, 1, 0, 100, NULL, 0));
    assert_null(chart_columns(a, "t", "d", it, 0, 0, 100, NULL, 0));
    arena_free(a);
}

static void test_shares_and_bad_text(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    chart_item it[] = {{"Laki-laki", 0.4, "12 (40%)"},
                       {"Perempuan", 0.6, "18 (60%)"},
                       {"bad \xC3\x28 utf8 \x01 ctl", 0, "0 (0%)"}};
    const char *svg = chart_shares(a, "Jenis kelamin <responden>", "Jumlah & persen", it, 3);
    assert_non_null(svg);
    assert_int_equal(xmllint(svg), 0);
    labelled(svg, "Jenis kelamin &lt;responden&gt;");
    assert_non_null(strstr(svg, "Jumlah &amp; persen"));
    assert_non_null(strstr(svg, ">12 (40%)</text>"));
    assert_non_null(strstr(svg, ">18 (60%)</text>"));
    assert_non_null(strstr(svg, "bad \xEF\xBF\xBD( utf8  ctl"));
    /* two charts on one page get distinct ids */
    const char *svg2 = chart_shares(a, "t", "d", it, 1);
    char id1[32], id2[32];
    assert_int_equal(sscanf(strstr(svg, "<title id=\"") + 11, "%31[^\"]", id1), 1);
    assert_int_equal(sscanf(strstr(svg2, "<title id=\"") + 11, "%31[^\"]", id2), 1);
    assert_string_not_equal(id1, id2);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hbars),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_shares_and_bad_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of render/xlsx: a workbook written through the wrapper is opened with a real
 * reader (openpyxl under the system Python, /usr/bin/python3; scripts/deps.sh installs
 * python3-openpyxl) and checked cell by cell: sheet names, the bold frozen header with its
 * autofilter, text and numbers, the two-decimal format, formula text and cached value.
 * Also: the temporary file is gone afterwards, the cap, and sticky errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "render/xlsx.h"

#define PY "/usr/bin/python3"

/* the reader's report: one "key=value" line per check */
static const char reader_py[] =
    "import sys, openpyxl\n"
    "p = sys.argv[1]\n"
    "wb = openpyxl.load_workbook(p)\n"
    "cached = openpyxl.load_workbook(p, data_only=True)\n"
    "print('sheets=' + '|'.join(wb.sheetnames))\n"
    "ws = wb['Rekap SKM']\n"
    "print('header=' + '|'.join(str(c.value) for c in ws[1]))\n"
    "print('bold=%s' % all(c.font.b for c in ws[1]))\n"
    "print('freeze=%s' % ws.freeze_panes)\n"
    "print('filter=%s' % ws.auto_filter.ref)\n"
    "print('a2=%s' % ws['A2'].value)\n"
    "print('b2=%r' % ws['B2'].value)\n"
    "print('c3fmt=%s' % ws['C3'].number_format)\n"
    "print('b5=%s' % ws['B5'].value)\n"
    "print('b5cached=%r' % cached['Rekap SKM']['B5'].value)\n"
    "print('colB=%.0f' % ws.column_dimensions['B'].width)\n"
    "s2 = wb['SIPP']\n"
    "print('sipp=%s|%s|%s' % (s2['A2'].value, s2['B2'].value, s2['A3'].value))\n"
    "print('title=%s' % wb.properties.title)\n";

static char *tmp_path(const char *suffix)
{
    const char *d = getenv("TMPDIR");
    char *p = malloc(512);
    assert_non_null(p);
    snprintf(p, 512, "%s/layan-test-%ld%s", d && *d ? d : "/tmp", (long)getpid(), suffix);
    return p;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* runs the reader on the file and returns its whole output (malloc'd) */
static char *read_with_openpyxl(const char *xlsx)
{
    if (access(PY, X_OK) != 0) fail_msg("%s is missing: run scripts/deps.sh", PY);
    if (system(PY " -c 'import openpyxl' 2>/dev/null") != 0)
        fail_msg("openpyxl is missing for %s: run scripts/deps.sh (python3-openpyxl)", PY);
    char *script = tmp_path(".py");
    write_file(script, reader_py, sizeof reader_py - 1);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, PY " '%s' '%s' 2>&1", script, xlsx);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t r;
    while ((r = fread(out + n, 1, cap - 1 - n, p)) > 0)
        n += r;
    out[n] = 0;
    int st = pclose(p);
    unlink(script);
    free(script);
    if (st != 0) fail_msg("openpyxl failed:\n%s", out);
    return out;
}

static void expect_line(const char *report, const char *line)
{
    char want[512];
    snprintf(want, sizeof want, "%s\n", line);
    if (!strstr(report, want)) fail_msg("expected line \"%s\" in:\n%s", line, report);
}

/* layan-xlsx-* files in the temp directory */
static int count_temp_files(void)
{
    const char *d = getenv("TMPDIR");
    DIR *dir = opendir(d && *d ? d : "/tmp");
    assert_non_null(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)))
        if (!strncmp(e->d_name, "layan-xlsx-", 11)) n++;
    closedir(dir);
    return n;
}

static void test_workbook(void **state)
{
    (void)state;
    int before = count_temp_files();
    arena *a = arena_new(0);
    xlsx_book *b = xlsx_begin(a, "Survei Kepuasan Masyarakat");
    assert_non_null(b);

    const char *head[] = {"Responden", "U1", "U2"};
    xlsx_sheet *s = xlsx_sheet_add(b, "Rekap SKM", head, 3);
    assert_non_null(s);
    assert_int_equal(xlsx_col_width(s, 1, 12), 0);
    double u1[] = {3, 4, 2}, u2[] = {4, 4, 3.5};
    for (int r = 0; r < 3; r++) {
        char name[32];
        snprintf(name, sizeof name, "R%03d", r + 1);
        assert_int_equal(xlsx_text(s, r + 1, 0, name), 0);
        assert_int_equal(xlsx_num(s, r + 1, 1, u1[r], XLSX_GENERAL), 0);
        assert_int_equal(xlsx_num(s, r + 1, 2, u2[r], XLSX_DEC2), 0);
    }
    assert_int_equal(xlsx_text(s, 4, 0, "=rata-rata"), 0); /* text, never a formula */
    assert_int_equal(xlsx_formula(s, 4, 1, "=AVERAGE(B2:B4)", 3.0, XLSX_DEC2), 0);

    /* a second sheet, as a SIPP export: text columns only */
    const char *sh[] = {"Layanan", "Unit"};
    xlsx_sheet *s2 = xlsx_sheet_add(b, "SIPP", sh, 2);
    assert_non_null(s2);
    assert_int_equal(xlsx_text(s2, 1, 0, "Akta Kelahiran"), 0);
    assert_int_equal(xlsx_text(s2, 1, 1, "Disdukcapil <Kota>"), 0);
    assert_int_equal(xlsx_text(s2, 2, 0, "Kartu Keluarga"), 0);

    /* invalid or duplicate sheet names are refused */
    assert_null(xlsx_sheet_add(b, "a/b", NULL, 0));
    assert_null(xlsx_sheet_add(b, "SIPP", NULL, 0));

    char *out = NULL;
    size_t n = 0;
    assert_int_equal(xlsx_end(b, 0, &out, &n), 0);
    assert_non_null(out);
    assert_true(n > 1000);
    assert_memory_equal(out, "PK\x03\x04", 4); /* a zip container */
    assert_int_equal(count_temp_files(), before);

    char *path = tmp_path(".xlsx");
    write_file(path, out, n);
    char *rep = read_with_openpyxl(path);
    expect_line(rep, "sheets=Rekap SKM|SIPP");
    expect_line(rep, "header=Responden|U1|U2");
    expect_line(rep, "bold=True");
    expect_line(rep, "freeze=A2");
    expect_line(rep, "filter=A1:C5");
    expect_line(rep, "a2=R001");
    expect_line(rep, "b2=3");
    expect_line(rep, "c3fmt=0.00");
    expect_line(rep, "b5==AVERAGE(B2:B4)");
    expect_line(rep, "b5cached=3");
    expect_line(rep, "colB=13"); /* 12 characters plus Excel's padding */
    expect_line(rep, "sipp=Akta Kelahiran|Disdukcapil <Kota>|Kartu Keluarga");
    expect_line(rep, "title=Survei Kepuasan Masyarakat");
    free(rep);
    unlink(path);
    free(path);
    free(out);
    arena_free(a);
}

static void test_limits(void **state)
{
    (void)state;
    int before = count_temp_files();
    arena *a = arena_new(0);

    /* past the cap */
    xlsx_book *b = xlsx_begin(a, NULL);
    assert_non_null(b);
    xlsx_sheet *s = xlsx_sheet_add(b, "S", NULL, 0);
    assert_non_null(s);
    assert_int_equal(xlsx_num(s, 0, 0, 1, XLSX_GENERAL), 0);
    char *out = (char *)1;
    size_t n = 7;
    assert_int_equal(xlsx_end(b, 100, &out, &n), XLSX_TOO_LARGE);
    assert_null(out);
    assert_int_equal(n, 0);

    /* a bad write is sticky */
    b = xlsx_begin(a, NULL);
    s = xlsx_sheet_add(b, "S", NULL, 0);
    assert_int_equal(xlsx_text(s, -1, 0, "x"), -1);
    assert_int_equal(xlsx_text(s, 0, 0, "x"), -1);
    assert_int_equal(xlsx_end(b, 0, &out, &n), -1);
    assert_null(out);

    /* discarding */
    b = xlsx_begin(a, NULL);
    s = xlsx_sheet_add(b, "S", NULL, 0);
    assert_int_equal(xlsx_text(s, 0, 0, "x"), 0);
    assert_int_equal(xlsx_end(b, 0, NULL, NULL), 0);

    assert_int_equal(count_temp_files(), before);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_workbook),
                                       cmocka_unit_test(test_limits)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of render/pdf, checked with real readers from poppler-utils: pdfinfo (page count,
 * page size, title), pdftotext (the text, the repeated table header, the footer) and pdftoppm
 * (every page rasterised; the first one is not blank and is saved as
 * ${LAYAN_BUILD_DIR}/test-artifacts/pdf-sample-1.png for a person to look at). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/arena.h"
#include "render/pdf.h"

#define MM (72.0 / 25.4)

typedef struct {
    char dir[256];  /* per-test scratch directory */
    char path[300]; /* the PDF */
} scratch;

static void scratch_make(scratch *s)
{
    const char *t = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/layan-pdf-XXXXXX", t && *t ? t : "/tmp");
    assert_non_null(mkdtemp(s->dir));
    snprintf(s->path, sizeof s->path, "%s/doc.pdf", s->dir);
}

static void scratch_drop(scratch *s)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
    assert_int_equal(system(cmd), 0);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* a command's whole output (malloc'd); the test fails if it does not exit 0 */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 20, n = 0, r;
    char *out = malloc(cap);
    assert_non_null(out);
    while ((r = fread(out + n, 1, cap - 1 - n, p)) > 0)
        n += r;
    out[n] = 0;
    if (pclose(p) != 0) fail_msg("`%s` failed:\n%s", cmd, out);
    return out;
}

/* pdfinfo's "Key:   value" */
static void info(const char *pdf, int *pages, double *w, double *h, char *title, size_t tn)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", pdf);
    char *o = run(cmd);
    const char *p = strstr(o, "\nPages:");
    assert_non_null(p);
    assert_int_equal(sscanf(p, "\nPages: %d", pages), 1);
    p = strstr(o, "\nPage size:");
    assert_non_null(p);
    assert_int_equal(sscanf(p, "\nPage size: %lf x %lf", w, h), 2);
    title[0] = 0;
    p = strncmp(o, "Title:", 6) == 0 ? o : strstr(o, "\nTitle:");
    if (p) {
        p = strchr(p + 1, ':') + 1;
        while (*p == ' ')
            p++;
        size_t i = 0;
        while (p[i] && p[i] != '\n' && i + 1 < tn) {
            title[i] = p[i];
            i++;
        }
        title[i] = 0;
    }
    free(o);
}

static char *text_of_page(const char *pdf, int page)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "pdftotext -layout -f %d -l %d '%s' - 2>&1", page, page, pdf);
    return run(cmd);
}

/* share of dark pixels in a binary PGM (P5, 8 bit) */
static double dark_share(const char *pgm)
{
    FILE *f = fopen(pgm, "rb");
    assert_non_null(f);
    int w, h, max;
    assert_int_equal(fscanf(f, "P5 %d %d %d", &w, &h, &max), 3);
    assert_int_equal(max, 255);
    fgetc(f); /* the single white space before the raster */
    size_t n = (size_t)w * (size_t)h, dark = 0;
    unsigned char *px = malloc(n);
    assert_non_null(px);
    assert_int_equal(fread(px, 1, n, f), n);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        dark += px[i] < 128;
    free(px);
    return (double)dark / (double)n;
}

static void is_pdf(const char *p, size_t n)
{
    assert_true(n > 1000);
    assert_memory_equal(p, "%PDF-", 5);
    assert_non_null(memmem(p + n - 16, 16, "%%EOF", 5));
}

static const char *const services[] = {
    "Akta Kelahiran",       "Kartu Keluarga",
    "KTP Elektronik",       "Surat Pindah",
    "Akta Kematian",        "Akta Perkawinan",
    "Kartu Identitas Anak", "Legalisir Dokumen",
    "Izin Usaha Mikro",     "Surat Keterangan Tidak Mampu",
};

static void build_a4(pdf_doc *d)
{
    assert_int_equal(pdf_footer(d, "Halaman {page} dari {pages}"), 0);
    assert_int_equal(pdf_heading(d, 1, "Standar Pelayanan: Akta Kelahiran"), 0);
    assert_int_equal(pdf_para(d, "Dinas Kependudukan dan Pencatatan Sipil Kota Contoh", PDF_BOLD),
                     0);
    assert_int_equal(
        pdf_para(d,
                 "Pelayanan penerbitan akta kelahiran bagi penduduk yang lahir di wilayah kota. "
                 "Permohonan dapat diajukan di loket pelayanan atau secara daring; petugas "
                 "memeriksa kelengkapan berkas dan menerbitkan akta paling lama lima hari kerja "
                 "sejak berkas dinyatakan lengkap. Teks <b>ini</b> & tanda lain tercetak apa "
                 "adanya.",
                 0),
        0);
    assert_int_equal(pdf_box(d, "GRATIS - tidak dipungut biaya", PDF_BOLD | PDF_LARGE | PDF_CENTER),
                     0);
    assert_int_equal(pdf_heading(d, 2, "Persyaratan"), 0);
    const char *req[] = {"Surat keterangan lahir dari dokter, bidan atau penolong kelahiran",
                         "Kartu Keluarga asli", "KTP elektronik kedua orang tua",
                         ("Buku nikah atau akta perkawinan orang tua yang dilegalisir; bila "
                          "tidak ada, surat pernyataan tanggung jawab mutlak")};
    assert_int_equal(pdf_list(d, req, 4, true), 0);
    const char *steps[] = {"Ambil nomor antrean", "Serahkan berkas", "Terima tanda terima"};
    assert_int_equal(pdf_list(d, steps, 3, false), 0);
    assert_int_equal(pdf_rule(d), 0);
    assert_int_equal(pdf_heading(d, 2, "Rekap permohonan"), 0);

    /* a table long enough to break across pages */
    enum { ROWS = 70, COLS = 4 };
    static char num[ROWS][8], days[ROWS][16];
    const char *cells[ROWS * COLS];
    for (int r = 0; r < ROWS; r++) {
        snprintf(num[r], sizeof num[r], "%d", r + 1);
        snprintf(days[r], sizeof days[r], "%d hari", 1 + r % 7);
        cells[r * COLS + 0] = num[r];
        cells[r * COLS + 1] = services[r % 10];
        cells[r * COLS + 2] = r % 9 == 3 ? "Persyaratan tambahan berlaku bagi pemohon yang "
                                           "berdomisili di luar kota; hubungi petugas."
                                         : "Lengkap";
        cells[r * COLS + 3] = days[r];
    }
    const char *head[] = {"No", "Layanan", "Keterangan", "Waktu"};
    const double w[] = {0.08, 0.32, 0.42, 0.18};
    assert_int_equal(pdf_table(d, COLS, w, head, cells, ROWS), 0);
    assert_int_equal(pdf_heading(d, 2, "Verifikasi"), 0);
    assert_int_equal(pdf_qr(d, "https://layan.example.go.id/v/ABCDEFGH12345678", 40,
                            "Pindai untuk memeriksa keaslian dokumen"),
                     0);
    assert_int_equal(pdf_spacer(d, 4), 0);
    assert_int_equal(pdf_para(d, "Dicetak oleh sistem layan.", PDF_SMALL | PDF_ITALIC | PDF_RIGHT),
                     0);
}

static void test_a4(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    pdf_doc *d = pdf_begin(a, PDF_A4, "Standar Pelayanan Akta Kelahiran");
    assert_non_null(d);
    build_a4(d);
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(pdf_end(d, &out, &n), 0);
    is_pdf(out, n);

    scratch s;
    scratch_make(&s);
    write_file(s.path, out, n);
    free(out);

    int pages;
    double w, h;
    char title[200];
    info(s.path, &pages, &w, &h, title, sizeof title);
    assert_true(pages >= 2);
    assert_true(w > 595 && w < 596); /* 210 mm */
    assert_true(h > 841 && h < 842); /* 297 mm */
    assert_string_equal(title, "Standar Pelayanan Akta Kelahiran");

    /* the text is there as text, markup printed as written, footer with the page count */
    char *t1 = text_of_page(s.path, 1);
    assert_non_null(strstr(t1, "Standar Pelayanan: Akta Kelahiran"));
    assert_non_null(strstr(t1, "<b>ini</b>"));
    assert_non_null(strstr(t1, "GRATIS"));
    char foot[64];
    snprintf(foot, sizeof foot, "Halaman 1 dari %d", pages);
    assert_non_null(strstr(t1, foot));
    free(t1);
    /* the table goes on on page 2 under its header again */
    char *t2 = text_of_page(s.path, 2);
    assert_non_null(strstr(t2, "Keterangan"));
    assert_non_null(strstr(t2, "Waktu"));
    snprintf(foot, sizeof foot, "Halaman 2 dari %d", pages);
    assert_non_null(strstr(t2, foot));
    free(t2);

    /* every page rasterises; the first is neither blank nor black */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "pdftoppm -r 30 -gray '%s' '%s/p' 2>&1", s.path, s.dir);
    free(run(cmd));
    int found = 0;
    for (int p = 1; p <= pages; p++) {
        char pgm[400];
        /* pdftoppm pads the number to as many digits as the last page's */
        int digits = pages >= 100 ? 3 : pages >= 10 ? 2 : 1;
        snprintf(pgm, sizeof pgm, "%s/p-%0*d.pgm", s.dir, digits, p);
        assert_int_equal(access(pgm, R_OK), 0);
        found++;
        if (p == 1) {
            double share = dark_share(pgm);
            assert_true(share > 0.01);
            assert_true(share < 0.5);
        }
    }
    assert_int_equal(found, pages);

    /* page 1 as a PNG for a person to look at */
    const char *bd = getenv("LAYAN_BUILD_DIR");
    if (bd && *bd) {
        snprintf(cmd, sizeof cmd,
                 "mkdir -p '%s/test-artifacts' && pdftoppm -png -r 80 -f 1 -l 1 -singlefile "
                 "'%s' '%s/test-artifacts/pdf-sample-1' 2>&1",
                 bd, s.path, bd);
        free(run(cmd));
    }
    scratch_drop(&s);
    arena_free(a);
}

/* a receipt on a roll: one page 58 mm wide, as tall as its content */
static double roll_height(int lines, const char *png_name)
{
    arena *a = arena_new(0);
    pdf_doc *d = pdf_begin(a, PDF_ROLL58, "Tanda Terima");
    assert_non_null(d);
    assert_int_equal(pdf_footer(d, "Halaman {page}"), 0); /* ignored on a roll */
    assert_int_equal(pdf_heading(d, 2, "TANDA TERIMA"), 0);
    assert_int_equal(pdf_para(d, "Disdukcapil Kota Contoh", PDF_CENTER), 0);
    assert_int_equal(pdf_rule(d), 0);
    for (int i = 0; i < lines; i++) {
        char line[64];
        snprintf(line, sizeof line, "Berkas %d: diterima lengkap", i + 1);
        assert_int_equal(pdf_para(d, line, 0), 0);
    }
    const char *head[] = {"Item", "Jml"};
    const char *cells[] = {"Akta Kelahiran", "1", "Kartu Keluarga", "1"};
    assert_int_equal(pdf_table(d, 2, (const double[]){0.75, 0.25}, head, cells, 2), 0);
    assert_int_equal(pdf_box(d, "GRATIS", PDF_BOLD | PDF_CENTER), 0);
    assert_int_equal(pdf_page_break(d), 0); /* no effect on a roll */
    assert_int_equal(pdf_qr(d, "LYN-2026-000123", 30, "LYN-2026-000123"), 0);
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(pdf_end(d, &out, &n), 0);
    is_pdf(out, n);
    assert_non_null(memmem(out, n, "/MediaBox [ 0 0 164.4", 21)); /* 58 mm = 164.41 pt */

    scratch s;
    scratch_make(&s);
    write_file(s.path, out, n);
    free(out);
    int pages;
    double w, h;
    char title[200];
    info(s.path, &pages, &w, &h, title, sizeof title);
    assert_int_equal(pages, 1);
    assert_true(w > 164 && w < 165);
    char *t = text_of_page(s.path, 1);
    assert_null(strstr(t, "Halaman"));
    assert_non_null(strstr(t, "TANDA TERIMA"));
    free(t);
    const char *bd = getenv("LAYAN_BUILD_DIR");
    if (png_name && bd && *bd) {
        char cmd[1200];
        snprintf(cmd, sizeof cmd,
                 "mkdir -p '%s/test-artifacts' && pdftoppm -png -r 120 -singlefile '%s' "
                 "'%s/test-artifacts/%s' 2>&1",
                 bd, s.path, bd, png_name);
        free(run(cmd));
    }
    scratch_drop(&s);
    arena_free(a);
    return h;
}

static void test_roll(void **state)
{
    (void)state;
    double short_h = roll_height(2, "pdf-roll-sample");
    double long_h = roll_height(40, NULL);
    assert_true(short_h > 58 * MM * 0.9);
    assert_true(long_h > short_h + 30 * 8); /* 38 more lines of 8 pt text */
}

static void test_errors(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    pdf_setup bad = pdf_preset(PDF_A4);
    bad.margin_left_mm = bad.margin_right_mm = 100;
    assert_null(pdf_begin_setup(a, &bad, NULL));

    /* past the byte cap */
    pdf_setup small = pdf_preset(PDF_A4);
    small.max_bytes = 2000;
    pdf_doc *d = pdf_begin_setup(a, &small, NULL);
    assert_non_null(d);
    build_a4(d);
    char *out = (char *)1;
    size_t n = 5;
    assert_int_equal(pdf_end(d, &out, &n), PDF_TOO_LARGE);
    assert_null(out);
    assert_int_equal(n, 0);

    /* a bad block fails the document */
    d = pdf_begin(a, PDF_A4, NULL);
    assert_int_equal(pdf_heading(d, 7, "x"), -1);
    assert_int_equal(pdf_para(d, "still fine", 0), 0);
    assert_int_equal(pdf_end(d, &out, &n), -1);
    assert_null(out);

    /* text too long for a QR code */
    d = pdf_begin(a, PDF_A4, NULL);
    char *big = malloc(4001);
    assert_non_null(big);
    memset(big, 'z', 4000);
    big[4000] = 0;
    assert_int_equal(pdf_qr(d, big, 40, NULL), -1);
    free(big);

    /* invalid UTF-8 and control characters are repaired, not fatal */
    d = pdf_begin(a, PDF_A4, "t\x01itle");
    assert_int_equal(pdf_para(d, "caf\xC3 \x02ok", 0), 0);
    assert_int_equal(pdf_end(d, &out, &n), 0);
    is_pdf(out, n);
    free(out);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_a4), cmocka_unit_test(test_roll),
                                       cmocka_unit_test(test_errors)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* HTTP tests of applying online (issue 6) on both engines: sign-in first, uploads checked by
 * content (not by name) and by size (without the server's memory growing), a missing document
 * shown next to its field with the typed values kept, the idempotency key (a double submit files
 * one request), the receipt (code, A4 and 58 mm PDFs checked with pdfinfo, who may see it), the
 * QR payload verified on /verifikasi (and a changed character refused), KIA age rules; a stored
 * file the form uses again (carried or uploaded anew) is renewed, so the clean-up of orphaned
 * uploads (docstore.h) never takes the files of a form in progress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "features/requests/docstore.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static CURL *citizen;

#define BOUNDARY "layanTestBoundary7MA4YWxk"
static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                    'I',  'H', 'D', 'R', 0,    0,    0,    1,    0, 0, 0, 1};
static const char PDF[] =
    "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
static const char GIF[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";

static bool has(const th_resp *r, const char *needle)
{
    return r->body.p && strstr(r->body.p, needle) != NULL;
}

static int signin(CURL *b, const char *ident, const char *pw, th_resp *r)
{
    char body[300];
    snprintf(body, sizeof body, "identitas=%s&kata_sandi=%s", ident, pw);
    return th_submit(b, T.srv, "/masuk", "/masuk", body, r);
}

/* the app's temporary files ([app] tmp_dir) go inside the test's directory */
static void tmp_in_dir(th_app *t)
{
    snprintf(t->cfg.tmp_dir, sizeof t->cfg.tmp_dir, "%s", t->dir);
}

static int setup(void **state)
{
    (void)state;
    if (th_app_start_with(&T, "apply", true, tmp_in_dir, NULL)) return -1;
    citizen = th_app_browser(&T, "081200000001");
    return citizen ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    curl_easy_cleanup(citizen);
    return th_app_stop(&T);
}

static const char *delivery = "pickup"; /* how the result is received in submit_x */

/* the form's fields for one KIA submit; a file is (field, name, bytes, size) */
typedef struct {
    const char *field, *name;
    const void *data;
    size_t n;
} part_file;

static void add_field(buf *b, const char *name, const char *value)
{
    buf_printf(b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
               name, value);
}

static void add_file(buf *b, const part_file *f)
{
    buf_printf(b,
               "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
               "Content-Type: application/pdf\r\n\r\n",
               f->field, f->name);
    buf_put(b, f->data, f->n);
    buf_puts(b, "\r\n");
}

/* GETs the form (fresh csrf and idempotency key unless key is given), POSTs it */
static int submit_x(CURL *b, const char *birth, const char *key, const part_file *files, size_t nf,
                    const char *const *extra, th_resp *r)
{
    th_resp g;
    char csrf[128], kunci[128];
    if (th_request(b, "GET", th_url(T.srv, "/layanan/kia/ajukan"), NULL, NULL, 0, &g)) return -1;
    int ok = g.status == 200 && th_input_value(&g, "_csrf", csrf, sizeof csrf) == 0 &&
             th_input_value(&g, "kunci", kunci, sizeof kunci) == 0;
    /* the NIK the form offers (the account's) */
    char nik[17] = "";
    const char *np = ok ? strstr(g.body.p, "id=\"nik\"") : NULL;
    if (np && (np = strstr(np, "value=\"")) != NULL) snprintf(nik, sizeof nik, "%.16s", np + 7);
    th_resp_free(&g);
    if (!ok) return -1;
    buf body;
    buf_init(&body, 64u << 20);
    add_field(&body, "_csrf", csrf);
    add_field(&body, "kunci", key ? key : kunci);
    add_field(&body, "unit", "32.73.01");
    add_field(&body, "nik", nik);
    add_field(&body, "kk", "3273011203190001");
    add_field(&body, "isian1", "Putri Aminah");
    add_field(&body, "isian2", birth);
    add_field(&body, "pengiriman", delivery);
    add_field(&body, "alamat", "");
    for (const char *const *e = extra; e && e[0]; e += 2)
        add_field(&body, e[0], e[1]);
    for (size_t i = 0; i < nf; i++)
        add_file(&body, &files[i]);
    buf_puts(&body, "--" BOUNDARY "--\r\n");
    const char *hdrs[] = {"Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    int rc = th_request(b, "POST", th_url(T.srv, "/layanan/kia/ajukan"), hdrs, body.p, body.n, r);
    buf_free(&body);
    return rc;
}

static const char *const confirm[] = {"konfirmasi", "1", NULL};

/* straight to the final submit (the check page's "Send" with the files in the same post) */
static int submit(CURL *b, const char *birth, const char *key, const part_file *files, size_t nf,
                  th_resp *r)
{
    return submit_x(b, birth, key, files, nf, confirm, r);
}

static const part_file all_files[] = {
    {"berkas_akta-lahir", "akta.pdf", PDF, sizeof PDF - 1},
    {"berkas_kk", "kk.png", PNG, sizeof PNG},
    {"berkas_ktp-ortu", "ktp.pdf", PDF, sizeof PDF - 1},
    {"berkas_pasfoto", "foto.png", PNG, sizeof PNG},
};

static int64_t count_rows(const char *table)
{
    db_conn *c = db_acquire(T.app.db);
    char sql[100];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    db_stmt *s = db_prepare(c, sql);
    int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_finish(s);
    db_release(c);
    return n;
}

static int64_t count_requests(void)
{
    return count_rows("requests");
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kb = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kb;
}

static void test_anonymous_signs_in_first(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_get(th_url(T.srv, "/layanan/kia/ajukan"), &r), 0);
    assert_int_equal(r.status, 303);
    char loc[300];
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    assert_string_equal(loc, "/masuk?lanjut=/layanan/kia/ajukan");
    th_resp_free(&r);
    /* the service point chosen before signing in survives the sign-in */
    assert_int_equal(th_get(th_url(T.srv, "/layanan/kia/ajukan?unit=32.73.01"), &r), 0);
    assert_int_equal(r.status, 303);
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    assert_string_equal(loc, "/masuk?lanjut=/layanan/kia/ajukan%3Funit%3D32.73.01");
    th_resp_free(&r);
    CURL *b = th_browser();
    assert_int_equal(th_submit(b, T.srv, "/masuk?lanjut=/layanan/kia/ajukan%3Funit%3D32.73.01",
                               "/masuk",
                               "identitas=081200000001&kata_sandi=layan-demo-2026&lanjut=/layanan/"
                               "kia/ajukan%3Funit%3D32.73.01",
                               &r),
                     0);
    assert_int_equal(r.status, 303);
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    assert_string_equal(loc, "/layanan/kia/ajukan?unit=32.73.01");
    th_resp_free(&r);
    curl_easy_cleanup(b);
    /* the receipt too */
    assert_int_equal(th_get(th_url(T.srv, "/permohonan/ABCDEFGHJK/tanda-terima"), &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
}

static void test_form_shows_what_the_standard_asks(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(th_request(citizen, "GET", th_url(T.srv, "/layanan/kia/ajukan?unit=32.73.01"),
                                NULL, NULL, 0, &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "name=\"berkas_akta-lahir\""));
    assert_true(has(&r, "name=\"berkas_pasfoto\""));
    assert_true(has(&r, "type=\"date\""));
    assert_true(has(&r, "name=\"kk\""));
    assert_true(has(&r, "value=\"32.73.01\" selected"));
    assert_true(has(&r, "enctype=\"multipart/form-data\""));
    /* the NIK comes from the account */
    const char *nik = strstr(r.body.p, "id=\"nik\"");
    assert_non_null(nik);
    nik = strstr(nik, "value=\"");
    assert_non_null(nik);
    assert_int_equal(strspn(nik + 7, "0123456789"), 16);
    th_resp_free(&r);
}

static void test_missing_and_wrong_files(void **state)
{
    (void)state;
    int64_t before = count_requests();
    th_resp r;
    /* the birth certificate missing: its error next to its field, the typed values kept */
    assert_int_equal(submit(citizen, "2020-03-17", NULL, all_files + 1, 2, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "id=\"berkas_akta-lahir-error\""));
    assert_true(has(&r, "href=\"#berkas_akta-lahir\""));
    assert_true(has(&r, "value=\"Putri Aminah\""));
    assert_true(has(&r, "value=\"2020-03-17\""));
    /* the files that passed are kept (stored, carried by their hash) */
    assert_true(has(&r, "name=\"simpan2\""));
    assert_true(has(&r, "name=\"simpan3\""));
    assert_false(has(&r, "name=\"simpan1\""));
    th_resp_free(&r);
    /* a GIF named .pdf: refused by its content, whatever the name says */
    part_file bad[] = {
        {"berkas_akta-lahir", "akta.pdf", GIF, sizeof GIF - 1}, all_files[1], all_files[2]};
    assert_int_equal(submit(citizen, "2020-03-17", NULL, bad, 3, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "id=\"berkas_akta-lahir-error\""));
    assert_true(has(&r, "JPG, PNG"));
    th_resp_free(&r);
    /* over 5 MiB: a form error, and the server streamed it to disk (no memory growth) */
    size_t big_n = (5u << 20) + 1;
    char *big = malloc(big_n);
    assert_non_null(big);
    memset(big, 'x', big_n);
    memcpy(big, "%PDF-1.4\n", 9);
    part_file large[] = {{"berkas_akta-lahir", "akta.pdf", big, big_n}, all_files[1], all_files[2]};
    long rss0 = rss_kb();
    for (int i = 0; i < 3; i++) {
        assert_int_equal(submit(citizen, "2020-03-17", NULL, large, 3, &r), 0);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "id=\"berkas_akta-lahir-error\""));
        assert_true(has(&r, "5 MB"));
        th_resp_free(&r);
    }
    free(big);
    long rss1 = rss_kb();
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LAYAN_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(LAYAN_TEST_ASAN)
    /* AddressSanitizer keeps freed memory in quarantine (the test's own 5 MiB bodies included),
     * so RSS measures nothing here; the release build asserts it, and ASan checks the leaks */
    (void)rss0, (void)rss1;
#else
    assert_true(rss1 - rss0 < 8 * 1024);
#endif
    /* a child of 5 or more: the photo (a conditional requirement) is needed */
    assert_int_equal(submit(citizen, "2020-03-17", NULL, all_files, 3, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "id=\"berkas_pasfoto-error\""));
    th_resp_free(&r);
    /* KIA for someone born 17 or more years ago */
    assert_int_equal(submit(citizen, "2000-01-01", NULL, all_files, 3, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "id=\"isian2-error\""));
    assert_true(has(&r, "17"));
    th_resp_free(&r);
    assert_int_equal(count_requests(), before);
}

static void pdf_check(const char *code, const char *suffix, const char *want)
{
    th_resp r;
    char path[200], file[800], cmd[1000], out[4096];
    snprintf(path, sizeof path, "/permohonan/%s/%s", code, suffix);
    assert_int_equal(th_request(citizen, "GET", th_url(T.srv, path), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.body.p, "%PDF-", 5);
    snprintf(file, sizeof file, "%s/%s", T.dir, suffix);
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(r.body.p, 1, r.body.n, f), r.body.n);
    fclose(f);
    th_resp_free(&r);
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", file);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    assert_int_equal(pclose(p), 0);
    if (!strstr(out, want)) fprintf(stderr, "pdfinfo: %s\n", out);
    assert_non_null(strstr(out, want));
}

static void test_apply_receipt_verify(void **state)
{
    (void)state;
    int64_t before = count_requests(), messages = count_rows("outbox");
    th_resp r;
    const char *key = "kunci-uji-idempoten-0001";
    assert_int_equal(submit(citizen, "2020-03-17", key, all_files, 4, &r), 0);
    assert_int_equal(r.status, 303);
    char loc[300], loc2[300];
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    th_resp_free(&r);
    assert_int_equal(strncmp(loc, "/permohonan/", 12), 0);
    /* the same key again (a double click, a retry): the same request */
    assert_int_equal(submit(citizen, "2020-03-17", key, all_files, 4, &r), 0);
    assert_int_equal(r.status, 303);
    assert_int_equal(th_header(&r, "Location", loc2, sizeof loc2), 0);
    th_resp_free(&r);
    assert_string_equal(loc, loc2);
    assert_int_equal(count_requests(), before + 1);
    /* one "we received your request" message, not one per submit */
    assert_int_equal(count_rows("outbox"), messages + 1);

    char code[16];
    snprintf(code, sizeof code, "%.10s", loc + 12);
    char shown[16];
    snprintf(shown, sizeof shown, "%.4s-%.4s-%.2s", code, code + 4, code + 8);
    assert_int_equal(th_request(citizen, "GET", th_url(T.srv, loc), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, shown));
    assert_true(has(&r, "<svg"));
    assert_true(has(&r, "tanda-terima.pdf"));
    assert_true(has(&r, "tanda-terima-58.pdf"));
    assert_true(has(&r, "Putri Aminah")); /* the applicant's own summary */
    /* the verification address in the page */
    const char *v = strstr(r.body.p, "/verifikasi/");
    assert_non_null(v);
    char payload[200];
    size_t n = 0;
    for (v += 12; n < sizeof payload - 1 && v[n] && v[n] != '"'; n++)
        payload[n] = v[n];
    payload[n] = 0;
    th_resp_free(&r);
    assert_int_equal(strlen(payload), 120);

    pdf_check(code, "tanda-terima.pdf", "(A4)");
    pdf_check(code, "tanda-terima-58.pdf", "164.4"); /* 58 mm wide */

    /* anyone can check the QR payload; no personal data on that page */
    char path[300];
    snprintf(path, sizeof path, "/verifikasi/%s", payload);
    assert_int_equal(th_get(th_url(T.srv, path), &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Asli"));
    assert_true(has(&r, shown));
    assert_false(has(&r, "Putri Aminah"));
    th_resp_free(&r);
    snprintf(path, sizeof path, "/verify/%s", payload); /* the English path answers the same */
    assert_int_equal(th_get(th_url(T.srv, path), &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Asli"));
    th_resp_free(&r);
    payload[50] = payload[50] == 'A' ? 'B' : 'A';
    snprintf(path, sizeof path, "/verifikasi/%s", payload);
    assert_int_equal(th_get(th_url(T.srv, path), &r), 0);
    assert_true(has(&r, "Tidak dapat diverifikasi"));
    assert_false(has(&r, shown));
    th_resp_free(&r);
    assert_int_equal(th_get(th_url(T.srv, "/verifikasi/%3Cscript%3E"), &r), 0);
    assert_true(has(&r, "Tidak dapat diverifikasi"));
    th_resp_free(&r);

    /* another signed-in person (the courier, no role at the unit) gets 404 */
    CURL *k = th_browser();
    assert_int_equal(signin(k, "kurir", "layan-demo-2026", &r), 0);
    th_resp_free(&r);
    assert_int_equal(th_request(k, "GET", th_url(T.srv, loc), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    curl_easy_cleanup(k);
    /* the unit's officer may see it, without the applicant's answers */
    CURL *o = th_browser();
    assert_int_equal(signin(o, "petugas", "layan-demo-2026", &r), 0);
    th_resp_free(&r);
    assert_int_equal(th_request(o, "GET", th_url(T.srv, loc), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, shown));
    assert_false(has(&r, "Putri Aminah"));
    th_resp_free(&r);
    curl_easy_cleanup(o);

    /* the form now warns (without blocking) about the open request */
    assert_int_equal(
        th_request(citizen, "GET", th_url(T.srv, "/layanan/kia/ajukan"), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "govuk-warning-text"));
    th_resp_free(&r);
}

/* the value of a hidden field in the check page */
static void hidden_value(const th_resp *r, const char *name, char *out, size_t cap)
{
    assert_int_equal(th_input_value(r, name, out, cap), 0);
}

static void test_kiosk_pin_shown_once(void **state)
{
    (void)state;
    th_resp r;
    delivery = "kiosk";
    int rc = submit(citizen, "2023-01-05", NULL, all_files, 3, &r);
    delivery = "pickup";
    assert_int_equal(rc, 0);
    assert_int_equal(r.status, 303);
    char loc[300];
    assert_int_equal(th_header(&r, "Location", loc, sizeof loc), 0);
    th_resp_free(&r);
    assert_int_equal(th_request(citizen, "GET", th_url(T.srv, loc), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    const char *p = strstr(r.body.p, "layan-pin\">");
    assert_non_null(p);
    assert_int_equal(strspn(p + 11, "0123456789"), 6);
    th_resp_free(&r);
    /* once only: the next visit does not show it (nor a new one) */
    assert_int_equal(th_request(citizen, "GET", th_url(T.srv, loc), NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, "layan-pin"));
    th_resp_free(&r);
}

/* a stored file as an abandoned form leaves it: last written 3 days ago */
static void age_doc(const char *hex)
{
    char d[1100], p[1200];
    docs_dir(&T.cfg, d, sizeof d);
    snprintf(p, sizeof p, "%s/%s", d, hex);
    time_t then = time(NULL) - 3 * 86400;
    struct timespec ts[2] = {{.tv_sec = then}, {.tv_sec = then}};
    assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
}

/* seconds since the stored file was last written or renewed */
static long doc_age(const char *hex)
{
    char d[1100], p[1200];
    docs_dir(&T.cfg, d, sizeof d);
    snprintf(p, sizeof p, "%s/%s", d, hex);
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    return (long)(time(NULL) - sb.st_mtime);
}

static void test_check_answers_then_send(void **state)
{
    (void)state;
    int64_t before = count_requests();
    th_resp r;
    /* without konfirmasi: the check page, nothing filed yet */
    assert_int_equal(submit_x(citizen, "2023-01-05", NULL, all_files, 3, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "name=\"konfirmasi\""));
    assert_true(has(&r, "Putri Aminah"));
    assert_true(has(&r, "0 sampai 5")); /* the KIA kind from the birth date */
    assert_int_equal(count_requests(), before);
    char csrf[128], kunci[128], s1[80], s2[80], s3[80], nik[32];
    hidden_value(&r, "_csrf", csrf, sizeof csrf);
    hidden_value(&r, "kunci", kunci, sizeof kunci);
    hidden_value(&r, "simpan1", s1, sizeof s1);
    hidden_value(&r, "simpan2", s2, sizeof s2);
    hidden_value(&r, "simpan3", s3, sizeof s3);
    hidden_value(&r, "nik", nik, sizeof nik);
    th_resp_free(&r);
    /* the citizen took days over the check page: "Send" renews the files it carries */
    age_doc(s1);
    assert_true(doc_age(s1) > 48 * 3600);
    /* "Send": the hidden answers and stored files, no file sent again */
    buf body;
    buf_init(&body, 1u << 20);
    const char *fields[][2] = {{"_csrf", csrf},
                               {"kunci", kunci},
                               {"unit", "32.73.01"},
                               {"nik", nik},
                               {"kk", "3273011203190001"},
                               {"isian1", "Putri Aminah"},
                               {"isian2", "2023-01-05"},
                               {"pengiriman", "pickup"},
                               {"simpan1", s1},
                               {"simpan2", s2},
                               {"simpan3", s3},
                               {"konfirmasi", "1"}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        add_field(&body, fields[i][0], fields[i][1]);
    buf_puts(&body, "--" BOUNDARY "--\r\n");
    const char *hdrs[] = {"Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    assert_int_equal(
        th_request(citizen, "POST", th_url(T.srv, "/layanan/kia/ajukan"), hdrs, body.p, body.n, &r),
        0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(count_requests(), before + 1);
    assert_true(doc_age(s1) < 600);
    /* a made-up hash is not a document */
    buf_reset(&body);
    fields[1][1] = "kunci-uji-hash-palsu-0001";
    fields[8][1] = "0000000000000000000000000000000000000000000000000000000000000000";
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        add_field(&body, fields[i][0], fields[i][1]);
    buf_puts(&body, "--" BOUNDARY "--\r\n");
    assert_int_equal(
        th_request(citizen, "POST", th_url(T.srv, "/layanan/kia/ajukan"), hdrs, body.p, body.n, &r),
        0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "id=\"berkas_akta-lahir-error\""));
    th_resp_free(&r);
    buf_free(&body);
    assert_int_equal(count_requests(), before + 1);
    /* the same bytes uploaded again by a new form: the old stored file is renewed too */
    age_doc(s2);
    assert_true(doc_age(s2) > 48 * 3600);
    assert_int_equal(submit_x(citizen, "2023-01-05", NULL, all_files, 3, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    char again[80];
    hidden_value(&r, "simpan2", again, sizeof again);
    th_resp_free(&r);
    assert_string_equal(again, s2);
    assert_true(doc_age(s2) < 600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anonymous_signs_in_first),
        cmocka_unit_test(test_form_shows_what_the_standard_asks),
        cmocka_unit_test(test_missing_and_wrong_files),
        cmocka_unit_test(test_apply_receipt_verify),
        cmocka_unit_test(test_check_answers_then_send),
        cmocka_unit_test(test_kiosk_pin_shown_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

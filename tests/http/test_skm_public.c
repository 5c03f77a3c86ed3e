/* HTTP tests of the published SKM results on a real `layan init` + `layan demo` database:
 * periods with known answers stored through skm_response_add and published with SQL; the
 * pages show exactly the index of skm_result_compute (and the hand-worked 83,21 B); an open
 * period is 404 everywhere; the roll-up over the units below is offered only when all of them
 * published; small profile groups are merged (k = 5) and never named; the follow-up plan with
 * its share done; the PDF read back by poppler (a PNG of page 1 in test-artifacts/), the
 * XLSX by openpyxl (formulas and cached values), the CSV. Runs on SQLite and PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/skm/skm.h"
#include "features/units/units.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static http_server *srv;
static char *dir;
static char want_q1[48], want_q1_sub[48]; /* IKM x 25 as the page writes it: "83,21" */

typedef struct {
    int v[9]; /* U1..U9, 0 = blank */
    const char *jk;
    int umur;
    const char *pendidikan, *pekerjaan, *layanan;
} resp;

static int add_period(db_conn *c, arena *a, const char *unit_code, const char *period,
                      const resp *rs, int n, long walkin, bool publish)
{
    unit u;
    skm_period p;
    skm_instrument ins;
    char err[512];
    bool created;
    int r = units_get(c, a, str_c(unit_code), &u);
    if (r == DB_OK) r = skm_period_ensure(c, a, u.id, period, &p, &created, err, sizeof err);
    if (r == DB_OK) r = skm_instrument_get(c, a, p.instrument_id, &ins);
    for (int i = 0; r == DB_OK && i < n; i++) {
        skm_answer ans[9];
        size_t k = 0;
        for (int e = 0; e < 9; e++)
            if (rs[i].v[e]) ans[k++] = (skm_answer){ins.el[e].code, rs[i].v[e]};
        skm_response x = {.channel = "paper",
                          .jenis_kelamin = rs[i].jk,
                          .umur = rs[i].umur,
                          .pendidikan = rs[i].pendidikan,
                          .pekerjaan = rs[i].pekerjaan,
                          .layanan = rs[i].layanan,
                          .answers = ans,
                          .nanswers = k};
        int64_t id;
        r = skm_response_add(c, &p, &ins, &x, &id, err, sizeof err);
        if (r != DB_OK) fprintf(stderr, "response: %s\n", err);
    }
    if (r == DB_OK && walkin >= 0) r = skm_period_set_walkin(c, p.id, walkin);
    if (r == DB_OK && publish) {
        char *sql = arena_printf(a,
                                 "UPDATE skm_periods SET status = 'published', published_at = "
                                 "'2026-04-10T00:00:00Z' WHERE id = %lld",
                                 (long long)p.id);
        r = db_exec(c, sql);
    }
    if (r == DB_OK && strcmp(unit_code, "disdukcapil") == 0 && strcmp(period, "2026-Q1") == 0) {
        char *sql = arena_printf(
            a,
            "INSERT INTO skm_followups (period_id, element_code, item, action, owner, due_date, "
            "status, done_at, created_at) VALUES (%lld, 'U1', 'Papan alur <layanan> & "
            "persyaratan', 'Pasang papan alur di ruang tunggu', 'Kasi Pelayanan', '2026-05-31', "
            "'done', '2026-05-02', '2026-04-10'), (%lld, NULL, 'Kursi ruang tunggu', NULL, "
            "'Sekretariat', NULL, 'in_progress', NULL, '2026-04-10'), (%lld, NULL, 'Loket malam', "
            "NULL, 'Kepala Dinas', NULL, 'dropped', NULL, '2026-04-10')",
            (long long)p.id, (long long)p.id, (long long)p.id);
        r = db_exec(c, sql);
    }
    return r;
}

static void fmt(char *out, size_t n, int64_t e2)
{
    snprintf(out, n, "%lld,%02lld", (long long)(e2 / 100), (long long)(e2 % 100));
}

static int add_data(void)
{
    /* 12 questionnaires: hand-worked IKM = (1/9)(6 x 40/12 + 38/11 + 44/12 + 34/12) = 3.32828..,
     * IKM x 25 = 83.2070.. -> 83.21, B */
    resp q1[12];
    for (int i = 0; i < 12; i++) {
        resp x = {{0},
                  i < 7 ? "L" : "P",
                  i < 6    ? 30
                  : i < 10 ? 45
                           : 0,
                  i < 6     ? "SMA"
                  : i < 10  ? "S1"
                  : i == 10 ? "SD <&>"
                            : NULL,
                  i == 0 ? "Dokter gigi" : NULL,
                  "KTP-el"};
        for (int e = 0; e < 9; e++)
            x.v[e] = i < 6 ? (e == 8 ? 3 : 4) : i < 10 ? 3 : (e == 3 ? 4 : 2);
        if (i == 11) x.v[1] = 0;
        q1[i] = x;
    }
    resp four[3], three[5];
    for (int i = 0; i < 3; i++)
        four[i] = (resp){{4, 4, 4, 4, 4, 4, 4, 4, 4}, "P", 25, "S1", NULL, NULL};
    for (int i = 0; i < 5; i++)
        three[i] = (resp){{3, 3, 3, 3, 3, 3, 3, 3, 3}, NULL, 0, NULL, NULL, NULL};
    db_conn *c = db_acquire(T.app.db);
    arena *a = arena_new(1 << 16);
    int r = add_period(c, a, "disdukcapil", "2026-Q1", q1, 12, 100, true);
    if (r == DB_OK) r = add_period(c, a, "32.73.01", "2026-Q1", four, 3, 20, true);
    if (r == DB_OK) r = add_period(c, a, "disdukcapil", "2026-Q2", three, 5, -1, false);
    if (r == DB_OK) r = add_period(c, a, "disdukcapil", "2026-Q3", three, 5, -1, true);
    if (r == DB_OK) r = add_period(c, a, "32.73.02", "2026-Q3", four, 1, -1, false);
    /* what the pages must show: the store's own computation */
    unit u;
    skm_result res;
    char err[256];
    if (r == DB_OK) r = units_get(c, a, str_c("disdukcapil"), &u);
    if (r == DB_OK)
        r = skm_result_compute(c, a, u.id, "2026-Q1", false, NULL, &res, err, sizeof err);
    if (r == DB_OK) {
        fmt(want_q1, sizeof want_q1, res.r.ikm25_e2);
        if (res.r.ikm25_e2 != 8321 || res.r.cls->grade != 'B') r = DB_ERR;
    }
    if (r == DB_OK)
        r = skm_result_compute(c, a, u.id, "2026-Q1", true, NULL, &res, err, sizeof err);
    if (r == DB_OK) fmt(want_q1_sub, sizeof want_q1_sub, res.r.ikm25_e2);
    arena_free(a);
    db_release(c);
    if (r != DB_OK) fprintf(stderr, "add_data: %d\n", r);
    return r == DB_OK ? 0 : -1;
}

static int add_data_fix(th_app *t)
{
    (void)t;
    return add_data();
}

static int setup(void **state)
{
    (void)state;
    setenv("LAYAN_NOW", "1795143600", 1);
    if (th_app_start(&T, "skmpub", true, add_data_fix)) return -1;
    srv = T.srv;
    dir = T.dir;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return th_app_stop(&T);
}

static void get_ok(const char *path, th_resp *r)
{
    assert_int_equal(th_get(th_url(srv, path), r), 0);
    if (r->status != 200) fail_msg("%s: %ld", path, r->status);
}

static void get_status(const char *path, long want)
{
    th_resp r;
    assert_int_equal(th_get(th_url(srv, path), &r), 0);
    if (r.status != want) fail_msg("%s: %ld, want %ld", path, r.status, want);
    th_resp_free(&r);
}

static void test_unit_page(void **state)
{
    (void)state;
    th_resp r;
    get_ok("/skm/disdukcapil", &r);
    const char *b = r.body.p;
    assert_non_null(strstr(b, "href=\"/skm/disdukcapil/2026-Q1\""));
    assert_non_null(strstr(b, "href=\"/skm/disdukcapil/2026-Q3\""));
    assert_null(strstr(b, "2026-Q2")); /* open: not public, not even named */
    assert_non_null(strstr(b, want_q1));
    assert_non_null(strstr(b, "75,00"));
    assert_non_null(strstr(b, "Triwulan I 2026"));
    /* the trend chart, labelled, with the class lines */
    assert_non_null(strstr(b, "<svg"));
    assert_non_null(strstr(b, "role=\"img\""));
    assert_non_null(strstr(b, ">A 88,31</text>"));
    assert_non_null(strstr(b, ">C 65,00</text>"));
    char cc[100];
    assert_int_equal(th_header(&r, "Cache-Control", cc, sizeof cc), 0);
    th_resp_free(&r);
    get_status("/skm/tidak-ada", 404);
    /* a unit without published periods says so */
    get_ok("/skm/32.73.05", &r);
    assert_non_null(strstr(r.body.p, "belum menerbitkan"));
    th_resp_free(&r);
    /* the unit's page links to its results */
    get_ok("/unit/disdukcapil", &r);
    assert_non_null(strstr(r.body.p, "href=\"/skm/disdukcapil\""));
    th_resp_free(&r);
}

static void test_period_page(void **state)
{
    (void)state;
    th_resp r;
    get_ok("/skm/disdukcapil/2026-Q1", &r);
    const char *b = r.body.p;
    assert_non_null(strstr(b, want_q1));
    assert_non_null(strstr(b, ">83,21<"));
    assert_non_null(strstr(b, "layan-grade--b\">B<"));
    assert_non_null(strstr(b, "Baik"));
    assert_non_null(strstr(b, "3,3283")); /* IKM 1..4 */
    /* sample: N 100, minimum 80, 12 received: the warning */
    assert_non_null(strstr(b, ">100<"));
    assert_non_null(strstr(b, ">80<"));
    assert_non_null(strstr(b, "govuk-warning-text"));
    /* per element: table and chart, U2 answered by 11 with NRR 38/11 = 3,45 */
    assert_non_null(strstr(b, "Persyaratan"));
    assert_non_null(strstr(b, ">11<"));
    assert_non_null(strstr(b, ">3,45<"));
    assert_non_null(strstr(b, ">3,45</text>"));
    assert_non_null(strstr(b, ">2,83<"));
    /* profile groups: L 7 and P 5 shown; S1 (4), SD (1) and blank (1) merged; the single
     * Dokter gigi never named */
    assert_non_null(strstr(b, "Laki-laki"));
    assert_non_null(strstr(b, "Perempuan"));
    assert_non_null(strstr(b, "30 sampai 39 tahun"));
    assert_null(strstr(b, "40 sampai 49 tahun"));
    assert_non_null(strstr(b, "SMA"));
    assert_null(strstr(b, "S1<"));
    assert_null(strstr(b, "SD &lt;"));
    assert_null(strstr(b, "SD <"));
    assert_null(strstr(b, "Dokter"));
    assert_non_null(strstr(b, "Lainnya"));
    assert_non_null(strstr(b, "kurang dari 5"));
    /* follow-up plan: one of two done (the dropped one does not count), escaped */
    assert_non_null(strstr(b, "1 dari 2 tindakan selesai (50%)"));
    assert_non_null(strstr(b, "Papan alur &lt;layanan&gt; &amp; persyaratan"));
    assert_non_null(strstr(b, "Pasang papan alur di ruang tunggu"));
    assert_non_null(strstr(b, "U1 Persyaratan)"));
    /* the method and the downloads */
    assert_non_null(strstr(b, "PermenPANRB 14/2017"));
    assert_non_null(strstr(b, "href=\"/skm/disdukcapil/2026-Q1/laporan.pdf\""));
    /* the units below published 2026-Q1: the roll-up is offered */
    assert_non_null(strstr(b, "href=\"/skm/disdukcapil/2026-Q1?sub=1\""));
    th_resp_free(&r);

    get_ok("/skm/disdukcapil/2026-Q1?sub=1", &r);
    assert_non_null(strstr(r.body.p, want_q1_sub));
    assert_string_not_equal(want_q1, want_q1_sub);
    assert_non_null(strstr(r.body.p, ">15<")); /* 12 + 3 respondents */
    /* no breakdown by profile for the roll-up (pooled minus own would expose small groups) */
    assert_null(strstr(r.body.p, "Laki-laki"));
    assert_non_null(strstr(r.body.p, "halaman masing-masing unit"));
    th_resp_free(&r);

    /* 2026-Q3: a unit below has it open, so no roll-up, and ?sub=1 shows the unit alone */
    get_ok("/skm/disdukcapil/2026-Q3", &r);
    assert_null(strstr(r.body.p, "?sub=1"));
    assert_non_null(strstr(r.body.p, ">75,00<"));
    assert_non_null(strstr(r.body.p, "layan-grade--c"));
    /* no N entered: said plainly, no warning */
    assert_null(strstr(r.body.p, "govuk-warning-text"));
    th_resp_free(&r);
    get_ok("/skm/disdukcapil/2026-q3?sub=1", &r);
    assert_non_null(strstr(r.body.p, ">75,00<"));
    th_resp_free(&r);

    /* not published, unknown, malformed: 404; a bad parameter: 400 */
    get_status("/skm/disdukcapil/2026-Q2", 404);
    get_status("/skm/disdukcapil/2026-Q4", 404);
    get_status("/skm/disdukcapil/2026-Q9", 404);
    get_status("/skm/32.73.02/2026-Q3", 404);
    get_status("/skm/disdukcapil/2026-Q1?sub=2", 400);
    get_status("/skm/disdukcapil/2026-Q1?x=1", 400);
}

/* writes the body to dir/name, runs "cmd 'file' tail" and returns its output */
static char *run_on(const th_resp *r, const char *name, const char *cmd_s, const char *tail)
{
    char f[700], cmd[2400];
    snprintf(f, sizeof f, "%s/%s", dir, name);
    FILE *o = fopen(f, "wb");
    assert_non_null(o);
    assert_int_equal(fwrite(r->body.p, 1, r->body.n, o), r->body.n);
    fclose(o);
    snprintf(cmd, sizeof cmd, "%s '%s' %s", cmd_s, f, tail);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    static char out[65536];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    assert_int_equal(pclose(p), 0);
    return out;
}

static void test_pdf(void **state)
{
    (void)state;
    th_resp r;
    get_ok("/skm/disdukcapil/2026-Q1/laporan.pdf", &r);
    char ct[100];
    assert_int_equal(th_header(&r, "Content-Type", ct, sizeof ct), 0);
    assert_string_equal(ct, "application/pdf");
    assert_memory_equal(r.body.p, "%PDF-", 5);
    char *info = run_on(&r, "laporan.pdf", "pdfinfo", "");
    assert_non_null(strstr(info, "A4"));
    int pages = 0;
    const char *pg = strstr(info, "Pages:");
    assert_non_null(pg);
    assert_int_equal(sscanf(pg, "Pages: %d", &pages), 1);
    assert_true(pages >= 1 && pages <= 3);
    char *text = run_on(&r, "laporan.pdf", "pdftotext -layout", "-");
    assert_non_null(strstr(text, "83,21"));
    assert_non_null(strstr(text, "B (Baik)"));
    assert_non_null(strstr(text, "3,3283"));
    assert_non_null(strstr(text, "3,4545")); /* NRR U2, 4 decimals in the table */
    assert_non_null(strstr(text, "Persyaratan"));
    assert_non_null(strstr(text, "PermenPANRB 14/2017"));
    assert_non_null(strstr(text, "Kasi Pelayanan"));
    assert_non_null(strstr(text, "Pasang papan alur"));
    assert_non_null(strstr(text, "1 dari 2 tindakan selesai (50%)"));
    assert_non_null(strstr(text, "Krejcie"));
    const char *bld = getenv("LAYAN_BUILD_DIR");
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/test-artifacts' && pdftoppm -r 60 -png -f 1 -l 2 '%s/laporan.pdf' "
             "'%s/test-artifacts/skm-laporan%s'",
             bld, dir, bld, testdb_pg() ? "-pg" : "");
    assert_int_equal(system(cmd), 0);
    th_resp_free(&r);
    get_status("/skm/disdukcapil/2026-Q2/laporan.pdf", 404);
}

static void test_xlsx(void **state)
{
    (void)state;
    th_resp r;
    get_ok("/skm/disdukcapil/2026-Q1/tabulasi.xlsx", &r);
    char *out = run_on(
        &r, "tabulasi.xlsx",
        "/usr/bin/python3 -c \"import openpyxl,sys\n"
        "wb=openpyxl.load_workbook(sys.argv[1]); cv=openpyxl.load_workbook(sys.argv[1], "
        "data_only=True)\n"
        "print('|'.join(wb.sheetnames))\n"
        "ws=wb.worksheets[0]; cs=cv.worksheets[0]\n"
        "print('|'.join(str(c.value) for c in ws[1]))\n"
        "print(ws['B2'].value, ws['J2'].value, ws['K2'].value, ws['L2'].value, ws['N2'].value)\n"
        "print(ws['C13'].value, ws['M12'].value, ws['M10'].value)\n"
        "print(ws['B15'].value, cs['B15'].value, ws['C16'].value, cs['C16'].value)\n"
        "print(ws['C17'].value, round(cs['C17'].value, 6))\n"
        "print(ws['B21'].value, round(cs['B21'].value, 6))\n"
        "print(ws['B22'].value, ws['B23'].value, cs['B23'].value, cs['B24'].value)\n"
        "s=wb.worksheets[1]; print(s['A2'].value, '|', s['B2'].value)\n"
        "print([r[1].value for r in s.iter_rows() if r[0].value=='IKM x 25'])\n"
        "ages=set(ws.cell(row=i, column=12).value for i in range(2, 14)); "
        "print(sorted(a or '' for a in ages))\"",
        "");
    fprintf(stderr, "%s", out);
    char want[2048];
    snprintf(want, sizeof want,
             "Tabulasi|Ringkasan\n"
             "No.|U1|U2|U3|U4|U5|U6|U7|U8|U9|Jenis kelamin|Kelompok umur|Pendidikan|Pekerjaan|"
             "Layanan yang diterima\n"
             "4 3 L 30-39 Lainnya\n"
             "None Lainnya Lainnya\n"
             "=SUM(B2:B13) 40 =COUNT(C2:C13) 11\n"
             "=IF(C16=0,0,C15/C16) 3.454545\n"
             "=SUM(B19:J19) 3.328283\n"
             "=B21*25 =ROUND(B22,2) 83.21 B\n");
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "Dinas"));
    assert_non_null(strstr(out, "[83.21]"));
    assert_non_null(strstr(out, "['', '30-39', 'Lainnya']"));
    assert_null(strstr(out, "Dokter"));
    th_resp_free(&r);
    get_status("/skm/disdukcapil/2026-Q2/tabulasi.xlsx", 404);
}

static void test_csv(void **state)
{
    (void)state;
    th_resp r;
    get_ok("/skm/disdukcapil/2026-Q1/data.csv", &r);
    const char *b = r.body.p;
    static const char head[] = "\xEF\xBB\xBFno,U1,U2,U3,U4,U5,U6,U7,U8,U9,jenis_kelamin,"
                               "kelompok_umur,pendidikan,pekerjaan,layanan\r\n";
    assert_memory_equal(b, head, sizeof head - 1);
    assert_non_null(strstr(b, "\r\n1,4,4,4,4,4,4,4,4,3,L,30-39,SMA,Lainnya,KTP-el\r\n"));
    assert_non_null(strstr(b, "\r\n12,2,,2,4,2,2,2,2,2,P,,,,KTP-el\r\n"));
    assert_null(strstr(b, "Dokter"));
    assert_null(strstr(b, "SD"));
    assert_null(strstr(b, ",45,"));
    int lines = 0;
    for (const char *p = b; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    assert_int_equal(lines, 13);
    th_resp_free(&r);
    get_status("/skm/disdukcapil/2026-Q2/data.csv", 404);
    get_status("/skm/32.73.02/2026-Q3/data.csv", 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_page), cmocka_unit_test(test_period_page),
        cmocka_unit_test(test_pdf),       cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_csv),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

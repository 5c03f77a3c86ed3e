/* HTTP tests of the worklist's pages, on both engines: /petugas shows 50 requests a page with
 * "Halaman 1 dari 3" and Sebelumnya / Berikutnya links that keep the tab and the filters, the
 * tab counts stay totals, the pages together hold every open request exactly once in the
 * worklist's order (requests with the same deadline included: the tie-break is the id), and a
 * page past the end shows the last one. GET /api/v1/work pages the same list with page and
 * page_size (at most 200) and says the total; its answers are checked against the OpenAPI
 * document (tests/schema/validate.mjs --answers --partial). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tracking.h"
#include "features/app.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

/* 115 requests at Sukasari, 8 at Coblong: the demo petugas (Disdukcapil) sees both */
#define N_SUKASARI 115
#define N_COBLONG 8
#define N_ALL (N_SUKASARI + N_COBLONG)

static th_app T;
static CURL *petugas;
static char codes[N_ALL][TRK_LEN + 1]; /* as filed (canonical, no dashes) */

static int setup(void **state)
{
    (void)state;
    if (th_app_start(&T, "reqpages", true, NULL)) return -1;
    int64_t service_id = th_app_int(&T, "SELECT id FROM services WHERE code = $1", "ktp-ganti");
    int64_t petugas_id = th_app_int(&T, "SELECT id FROM users WHERE username = $1", "petugas");
    if (service_id <= 0 || petugas_id <= 0) return -1;
    /* filed over four days, many at the same second (the same deadline): the order among those
     * is the id's, and a page boundary falls inside such a run */
    int64_t now = app_now();
    for (int i = 0; i < N_ALL; i++) {
        int64_t at = now - (int64_t)(i % 4) * 2 * 86400;
        if (th_app_file(&T, service_id, i < N_SUKASARI ? "32.73.01" : "32.73.02", 0, petugas_id,
                        "pickup", "3273014107850003", at, codes[i], NULL))
            return -1;
    }
    petugas = th_app_browser(&T, "petugas");
    return petugas ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (petugas) curl_easy_cleanup(petugas);
    return th_app_stop(&T);
}

static long get(const char *path, th_resp *r)
{
    memset(r, 0, sizeof *r);
    char url[600];
    snprintf(url, sizeof url, "%s", th_url(T.srv, path));
    assert_int_equal(th_request(petugas, "GET", url, NULL, NULL, 0, r), 0);
    return r->status;
}

static bool has(const th_resp *r, const char *needle)
{
    return r->body.p && strstr(r->body.p, needle) != NULL;
}

/* the index in codes[] of a tracking code as shown (XXXX-XXXX-XX), -1 when not filed here */
static int index_of(const char *shown)
{
    char canon[TRK_LEN + 1];
    if (!trk_parse(shown, strlen(shown), canon)) return -1;
    for (int i = 0; i < N_ALL; i++)
        if (strcmp(codes[i], canon) == 0) return i;
    return -1;
}

/* the requests of a worklist page, in order: the indexes in codes[] */
static int page_rows(const th_resp *r, int *out, int cap)
{
    const char *key = "layan-mono\" href=\"/petugas/";
    int n = 0;
    for (const char *p = r->body.p; p && (p = strstr(p, key)) != NULL; p += strlen(key)) {
        const char *shown = strchr(p + strlen(key), '>');
        assert_non_null(shown);
        char code[TRK_SHOWN + 1];
        snprintf(code, sizeof code, "%.*s", TRK_SHOWN, shown + 1);
        int i = index_of(code);
        if (i < 0) fail_msg("a row not filed by this test: %s", code);
        assert_true(n < cap);
        out[n++] = i;
    }
    return n;
}

/* the href of the link with rel="prev" / rel="next" (&amp; decoded), or "" */
static const char *rel_href(const th_resp *r, const char *rel)
{
    static char out[2][400];
    char *o = out[strcmp(rel, "next") == 0];
    o[0] = 0;
    char key[40];
    snprintf(key, sizeof key, "rel=\"%s\"", rel);
    const char *p = r->body.p ? strstr(r->body.p, key) : NULL;
    if (!p) return o;
    const char *h = p;
    while (h > r->body.p && strncmp(h, "href=\"", 6) != 0)
        h--;
    h += 6;
    size_t k = 0;
    for (; *h && *h != '"' && k < 399; h++) {
        if (strncmp(h, "&amp;", 5) == 0) {
            o[k++] = '&';
            h += 4;
        } else {
            o[k++] = *h;
        }
    }
    o[k] = 0;
    return o;
}

static void test_pages_of_the_worklist(void **state)
{
    (void)state;
    th_resp r;
    /* Sukasari only: 115 = 50 + 50 + 15 */
    int seen[N_ALL] = {0}, order[N_ALL], norder = 0;
    char path[400] = "/petugas?tab=semua&titik=32.73.01";
    const int want_rows[3] = {50, 50, 15};
    for (int page = 1; page <= 3; page++) {
        assert_int_equal(get(path, &r), 200);
        char label[40];
        snprintf(label, sizeof label, "Halaman %d dari 3", page);
        assert_true(has(&r, label));
        assert_true(has(&r, "<nav class=\"govuk-pagination layan-pager\" aria-label=\"Halaman "
                            "daftar kerja\">"));
        assert_true(has(&r, "aria-current=\"page\">Halaman"));
        /* the tab counts are totals, whatever the page: 115 open at Sukasari */
        assert_true(has(&r, "Semua yang terbuka <span class=\"layan-count\">115</span>"));
        int rows[60];
        int n = page_rows(&r, rows, 60);
        assert_int_equal(n, want_rows[page - 1]);
        for (int i = 0; i < n; i++) {
            assert_true(rows[i] < N_SUKASARI); /* the filter holds on every page */
            seen[rows[i]]++;
            order[norder++] = rows[i];
        }
        const char *prev = rel_href(&r, "prev"), *next = rel_href(&r, "next");
        if (page == 1) {
            assert_string_equal(prev, "");
        } else {
            char want[120];
            snprintf(want, sizeof want, "/petugas?tab=semua&titik=32.73.01%s",
                     page == 2 ? "" : "&halaman=2");
            assert_string_equal(prev, want);
            assert_true(has(&r, "Sebelumnya"));
        }
        if (page == 3) {
            assert_string_equal(next, "");
        } else {
            char want[120];
            snprintf(want, sizeof want, "/petugas?tab=semua&titik=32.73.01&halaman=%d", page + 1);
            assert_string_equal(next, want);
            assert_true(has(&r, "Berikutnya"));
            snprintf(path, sizeof path, "%s", next); /* follow the link, as a person would */
        }
        th_resp_free(&r);
    }
    /* every Sukasari request once, none of Coblong's */
    for (int i = 0; i < N_ALL; i++)
        assert_int_equal(seen[i], i < N_SUKASARI ? 1 : 0);
    assert_int_equal(norder, N_SUKASARI);

    /* the same order as the whole list in one API answer (the worklist's order) */
    assert_int_equal(get("/api/v1/work?unit=32.73.01&page_size=200", &r), 200);
    json_t *j = json_loadb(r.body.p, r.body.n, 0, NULL);
    assert_non_null(j);
    json_t *arr = json_object_get(j, "requests");
    assert_int_equal(json_array_size(arr), N_SUKASARI);
    for (size_t i = 0; i < json_array_size(arr); i++)
        assert_int_equal(
            index_of(json_string_value(json_object_get(json_array_get(arr, i), "tracking_code"))),
            order[i]);
    json_decref(j);
    th_resp_free(&r);

    /* a page past the end shows the last one; another tab starts on page 1 again */
    assert_int_equal(get("/petugas?tab=semua&titik=32.73.01&halaman=9", &r), 200);
    assert_true(has(&r, "Halaman 3 dari 3"));
    int rows[60];
    assert_int_equal(page_rows(&r, rows, 60), 15);
    assert_true(has(&r, "href=\"/petugas?tab=belum&amp;titik=32.73.01\""));
    th_resp_free(&r);
    /* both service points: 123 = 50 + 50 + 23, the count says 123 */
    assert_int_equal(get("/petugas?halaman=3", &r), 200);
    assert_true(has(&r, "Halaman 3 dari 3"));
    assert_true(has(&r, "Semua yang terbuka <span class=\"layan-count\">123</span>"));
    assert_int_equal(page_rows(&r, rows, 60), 23);
    th_resp_free(&r);
    /* one page: no pager */
    assert_int_equal(get("/petugas?titik=32.73.02", &r), 200);
    assert_int_equal(page_rows(&r, rows, 60), N_COBLONG);
    assert_false(has(&r, "govuk-pagination"));
    th_resp_free(&r);
    /* not a page number */
    assert_int_equal(get("/petugas?halaman=0", &r), 400);
    th_resp_free(&r);
}

/* one API call, recorded for validate.mjs (appfix); the parsed answer */
static json_t *api(const char *path, long want)
{
    th_ans a = th_app_send(&T, petugas, "GET", path, NULL, NULL, 0);
    assert_int_equal(a.status, want);
    assert_non_null(a.j);
    return a.j;
}

static void test_pages_of_the_api(void **state)
{
    (void)state;
    int seen[N_ALL] = {0};
    const int want[3] = {50, 50, 23};
    /* the worklist's order across the pages: urgency, then deadline, then filing (the id) */
    static const char *const urgency[] = {"overdue", "due_today", "later", "waiting", "none"};
    int last_u = -1, last_k = -1;
    char last_due[40] = "";
    for (int page = 1; page <= 3; page++) {
        char p[120];
        snprintf(p, sizeof p, "/api/v1/work?tab=semua&page=%d&page_size=50", page);
        json_t *j = api(p, 200);
        assert_int_equal(json_integer_value(json_object_get(j, "total")), N_ALL);
        assert_int_equal(json_integer_value(json_object_get(j, "page")), page);
        assert_int_equal(json_integer_value(json_object_get(j, "page_size")), 50);
        assert_int_equal(json_integer_value(json_object_get(j, "count")), want[page - 1]);
        json_t *arr = json_object_get(j, "requests");
        assert_int_equal(json_array_size(arr), want[page - 1]);
        for (size_t i = 0; i < json_array_size(arr); i++) {
            int k = index_of(
                json_string_value(json_object_get(json_array_get(arr, i), "tracking_code")));
            assert_true(k >= 0);
            seen[k]++;
            json_t *row = json_array_get(arr, i);
            const char *u = json_string_value(json_object_get(row, "urgency"));
            const char *due = json_string_value(json_object_get(row, "due_at"));
            int ui = 0;
            while (ui < 5 && strcmp(urgency[ui], u ? u : "") != 0)
                ui++;
            assert_true(ui < 5);
            assert_non_null(due); /* every request here has a deadline */
            assert_true(ui >= last_u);
            if (ui == last_u) {
                assert_true(strcmp(due, last_due) >= 0);
                if (strcmp(due, last_due) == 0) assert_true(k > last_k); /* the tie-break */
            }
            last_u = ui;
            last_k = k;
            snprintf(last_due, sizeof last_due, "%s", due);
        }
        json_decref(j);
    }
    for (int i = 0; i < N_ALL; i++)
        assert_int_equal(seen[i], 1);
    /* past the end: nothing, the total still said */
    json_t *j = api("/api/v1/work?page=4&page_size=50", 200);
    assert_int_equal(json_array_size(json_object_get(j, "requests")), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), N_ALL);
    json_decref(j);
    /* the filter: Coblong only */
    j = api("/api/v1/work?unit=32.73.02&page_size=5&page=2", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), N_COBLONG);
    assert_int_equal(json_array_size(json_object_get(j, "requests")), N_COBLONG - 5);
    json_decref(j);
    /* the default page size (100) and the limit (200) */
    j = api("/api/v1/work", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "page_size")), 100);
    assert_int_equal(json_array_size(json_object_get(j, "requests")), 100);
    json_decref(j);
    j = api("/api/v1/work?page_size=201", 400);
    json_decref(j);
}

static void test_api_answers_match_the_document(void **state)
{
    (void)state;
    assert_int_equal(th_app_validate(&T, "--partial"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_of_the_worklist),
        cmocka_unit_test(test_pages_of_the_api),
        cmocka_unit_test(test_api_answers_match_the_document),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

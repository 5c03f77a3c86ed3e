/* HTTP tests of the catalogue's machine interfaces on a database made by `layan init` + `layan
 * demo` (Kota Bandung): the JSON API of services and standards, the OpenAPI document, Open311
 * GeoReport v2 discovery, the catalogue cache (ETag, 304, invalidation), and that all of it is
 * read-only and public. tests/schema/validate.mjs then checks every answer against the served
 * OpenAPI document and the Open311 schemas, and the XML against the JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "features/accounts/accounts.h"
#include "features/services/api.h"
#include "features/services/services.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static char apikey[100];

/* an API key for /api/v1/me */
static int make_apikey(th_app *t)
{
    return th_app_apikey(t, "test", NULL, apikey, sizeof apikey);
}

static int setup(void **state)
{
    (void)state;
    return th_app_start_with(&T, "apicat", true, th_app_public_url, make_apikey);
}

static int teardown(void **state)
{
    (void)state;
    return th_app_stop(&T);
}

static th_resp get_h(const char *path, const char *header)
{
    th_resp r;
    const char *hs[] = {header, NULL};
    assert_int_equal(th_request(NULL, "GET", th_url(T.srv, path), header ? hs : NULL, NULL, 0, &r),
                     0);
    return r;
}

static th_resp get(const char *path)
{
    return get_h(path, NULL);
}

static bool has(const th_resp *r, const char *s)
{
    return r->body.p && strstr(r->body.p, s) != NULL;
}

static void ctype_is(const th_resp *r, const char *want)
{
    char ct[200];
    assert_int_equal(th_header(r, "Content-Type", ct, sizeof ct), 0);
    assert_string_equal(ct, want);
}

static void test_services_list(void **state)
{
    (void)state;
    th_resp r = get("/api/v1/services");
    assert_int_equal(r.status, 200);
    ctype_is(&r, "application/json; charset=utf-8");
    for (const char *const *c = (const char *const[]){"\"ktp-baru\"", "\"kk-baru\"", "\"kia\"",
                                                      "\"akta-lahir\"", NULL};
         *c; c++)
        assert_true(has(&r, *c));
    assert_true(has(&r, "\"url\":\"https://layan.example.go.id/layanan/kia\""));
    th_resp_free(&r);

    r = get("/api/v1/services?event=anak-lahir");
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"akta-lahir\""));
    assert_false(has(&r, "\"code\":\"ktp-baru\""));
    th_resp_free(&r);
    r = get("/api/v1/services?q=kartu%20keluarga");
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"kk-baru\""));
    assert_false(has(&r, "\"code\":\"akta-mati\""));
    th_resp_free(&r);
    r = get("/api/v1/services?unit=32.73.01");
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"kia\""));
    th_resp_free(&r);

    /* wrong filters: declared parameters with values we refuse, and undeclared ones */
    const char *bad[] = {"/api/v1/services?event=ulang-tahun", "/api/v1/services?unit=nowhere",
                         "/api/v1/services?event=a%20b", "/api/v1/services?sort=name", NULL};
    for (const char **b = bad; *b; b++) {
        r = get(*b);
        assert_int_equal(r.status, 400);
        assert_true(has(&r, "{\"error\":{\"code\":\"bad_request\",\"message\":"));
        th_resp_free(&r);
    }
}

static void test_service_detail(void **state)
{
    (void)state;
    th_resp r = get("/api/v1/services/kia");
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"standard\":{\"version\":"));
    assert_true(has(&r, "\"requirements\":[{\"position\":1,"));
    assert_true(has(&r, "\"time_limit\":{\"value\":"));
    assert_true(has(&r, "\"cost\":{\"amount\":0,"));
    assert_true(has(&r, "\"points\":[{\"unit\":{\"code\":"));
    assert_true(has(&r, "\"hours\":[{\"weekday\":1,\"opens\":\""));
    /* the manufacturing components stay internal */
    assert_false(has(&r, "legal_basis"));
    assert_false(has(&r, "competence"));
    assert_false(has(&r, "created_by"));
    th_resp_free(&r);
    r = get("/api/v1/services/tidak-ada");
    assert_int_equal(r.status, 404);
    ctype_is(&r, "application/json; charset=utf-8");
    assert_true(has(&r, "{\"error\":{\"code\":\"not_found\""));
    th_resp_free(&r);
    r = get("/api/v1/services/bad%20code");
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
}

static void test_standards(void **state)
{
    (void)state;
    th_resp r = get("/api/v1/services/ktp-baru/standards");
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"versions\":[{\"version\":1,"));
    assert_true(has(&r, "\"in_force\":true"));
    th_resp_free(&r);
    r = get("/api/v1/services/ktp-baru/standards/1");
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"service\":\"ktp-baru\""));
    assert_true(has(&r, "\"steps\":[{\"position\":1,\"actor\":"));
    th_resp_free(&r);
    r = get("/api/v1/services/ktp-baru/standards/77");
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    r = get("/api/v1/services/ktp-baru/standards/x");
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    r = get("/api/v1/services/ktp-baru/standard");
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"version\":1"));
    th_resp_free(&r);
    r = get("/api/v1/services/ktp-baru/standard?on=1999-12-31");
    assert_int_equal(r.status, 404);
    assert_true(has(&r, "\"not_found\""));
    th_resp_free(&r);
    r = get("/api/v1/services/ktp-baru/standard?on=2026-13-01");
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
    r = get("/api/v1/services/ktp-baru/standard?on=tomorrow!!");
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
}

/* a strong ETag, 304 for If-None-Match, and a catalogue write on this node shows at once */
static void test_cache(void **state)
{
    (void)state;
    th_resp r = get("/api/v1/services/akta-mati/standards");
    assert_int_equal(r.status, 200);
    char tag[100], tag2[100];
    assert_int_equal(th_header(&r, "ETag", tag, sizeof tag), 0);
    assert_int_equal(strlen(tag), 34);
    assert_int_equal(tag[0], '"');
    assert_true(has(&r, "\"count\":1"));
    th_resp_free(&r);
    char inm[160];
    snprintf(inm, sizeof inm, "If-None-Match: %s", tag);
    r = get_h("/api/v1/services/akta-mati/standards", inm);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.body.n, 0);
    assert_int_equal(th_header(&r, "ETag", tag2, sizeof tag2), 0);
    assert_string_equal(tag, tag2);
    th_resp_free(&r);
    r = get_h("/api/v1/services/akta-mati/standards", "If-None-Match: \"nope\", W/\"x\"");
    assert_int_equal(r.status, 200);
    th_resp_free(&r);

    /* a new version, as the admin pages add it; then the node drops its cached answers */
    db_conn *c = db_acquire(T.app.db);
    assert_non_null(c);
    arena *a = arena_new(0);
    service s;
    assert_int_equal(svc_get(c, a, str_c("akta-mati"), &s), DB_OK);
    svc_standard st;
    assert_int_equal(svc_standard_version(c, a, s.id, 1, &st), DB_OK);
    st.effective_from = "2030-01-01";
    st.text[SVC_C_PRODUK] = "Akta kematian (versi uji)";
    int v = 0;
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(svc_standard_add(c, s.id, &st, 0, &v), DB_OK);
    /* not committed yet: the cached answer stands */
    r = get("/api/v1/services/akta-mati/standards");
    assert_true(has(&r, "\"count\":1"));
    th_resp_free(&r);
    assert_int_equal(db_commit(c), DB_OK);
    assert_int_equal(v, 2);
    /* a change this node does not know of (another node's, here raw SQL) is seen only after the
     * TTL, or once the node is told */
    r = get("/api/v1/services/akta-mati");
    assert_int_equal(r.status, 200);
    assert_false(has(&r, "dari node lain"));
    th_resp_free(&r);
    assert_int_equal(db_exec(c, "UPDATE services SET summary = 'Ringkasan dari node lain' "
                                "WHERE code = 'akta-mati'"),
                     DB_OK);
    db_release(c);
    arena_free(a);
    r = get("/api/v1/services/akta-mati");
    assert_false(has(&r, "dari node lain"));
    th_resp_free(&r);
    svc_api_invalidate();
    r = get("/api/v1/services/akta-mati");
    assert_true(has(&r, "dari node lain"));
    th_resp_free(&r);
    /* the store's own write dropped this node's answers once it committed: the new version at
     * once, with a new ETag (no 304 for the old one) */
    r = get_h("/api/v1/services/akta-mati/standards", inm);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"count\":2"));
    assert_true(has(&r, "{\"version\":2,"));
    assert_int_equal(th_header(&r, "ETag", tag2, sizeof tag2), 0);
    assert_string_not_equal(tag, tag2);
    th_resp_free(&r);
    /* version 2 takes effect later: today version 1 is still in force, and both stay readable */
    r = get("/api/v1/services/akta-mati/standard");
    assert_true(has(&r, "\"version\":1,"));
    th_resp_free(&r);
    r = get("/api/v1/services/akta-mati/standard?on=2030-01-01");
    assert_true(has(&r, "\"version\":2,"));
    assert_true(has(&r, "(versi uji)"));
    th_resp_free(&r);
    r = get("/api/v1/services/akta-mati/standards/1");
    assert_int_equal(r.status, 200);
    assert_false(has(&r, "(versi uji)"));
    th_resp_free(&r);
}

static void test_openapi(void **state)
{
    (void)state;
    th_resp r = get("/api/v1/openapi.json");
    assert_int_equal(r.status, 200);
    ctype_is(&r, "application/json");
    assert_true(has(&r, "\"openapi\":\"3.1.0\""));
    assert_true(has(&r, "\"servers\":[{\"url\":\"https://layan.example.go.id/\"}]"));
    char tag[100], inm[160];
    assert_int_equal(th_header(&r, "ETag", tag, sizeof tag), 0);
    th_resp_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", tag);
    r = get_h("/api/v1/openapi.json", inm);
    assert_int_equal(r.status, 304);
    th_resp_free(&r);
}

static void test_open311(void **state)
{
    (void)state;
    th_resp r = get("/open311/v2/discovery.xml");
    assert_int_equal(r.status, 200);
    ctype_is(&r, "text/xml; charset=utf-8");
    assert_true(has(&r, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<discovery><changeset>"));
    assert_true(has(&r, "<specification>http://wiki.open311.org/GeoReport_v2</specification>"));
    assert_true(has(&r, "<url>https://layan.example.go.id/open311/v2</url>"));
    th_resp_free(&r);
    r = get("/open311/v2/services.json?jurisdiction_id=32.73");
    assert_int_equal(r.status, 200);
    ctype_is(&r, "application/json; charset=utf-8");
    assert_true(has(&r, "{\"service_code\":\"ktp-baru\",\"service_name\":"));
    assert_true(has(&r, "\"metadata\":true,\"type\":\"realtime\""));
    th_resp_free(&r);
    r = get("/open311/v2/services/kia.json");
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "{\"service_code\":\"kia\",\"attributes\":[{\"variable\":true,\"code\":"
                        "\"nik\",\"datatype\":\"string\",\"required\":true"));
    assert_true(has(&r, "\"code\":\"delivery\",\"datatype\":\"singlevaluelist\""));
    assert_true(has(&r, "{\"key\":\"pickup\",\"name\":"));
    assert_true(has(&r, "\"datatype\":\"datetime\""));
    assert_true(has(&r, "\"code\":\"doc_kk\""));
    th_resp_free(&r);
    r = get("/open311/v2/services/kia.xml");
    assert_int_equal(r.status, 200);
    assert_true(has(&r,
                    "<service_definition><service_code>kia</service_code><attributes><attribute>"
                    "<variable>true</variable><code>nik</code>"));
    assert_true(has(&r, "<values><value><key>pickup</key>"));
    th_resp_free(&r);

    /* errors as the spec says, with the HTTP status */
    r = get("/open311/v2/services/tidak-ada.json");
    assert_int_equal(r.status, 404);
    assert_true(has(&r, "[{\"code\":404,\"description\":\""));
    th_resp_free(&r);
    r = get("/open311/v2/services/tidak-ada.xml");
    assert_int_equal(r.status, 404);
    ctype_is(&r, "text/xml; charset=utf-8");
    assert_true(has(&r, "<errors><error><code>404</code><description>"));
    th_resp_free(&r);
    r = get("/open311/v2/services/kia");
    assert_int_equal(r.status, 404);
    assert_true(has(&r, "[{\"code\":404,"));
    th_resp_free(&r);
    r = get("/open311/v2/services/%3Cscript%3E.xml");
    assert_int_equal(r.status, 404);
    assert_false(has(&r, "<script>"));
    th_resp_free(&r);
    r = get("/open311/v2/services.xml?jurisdiction_id=31.71");
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "<errors><error><code>400</code><description>"));
    assert_true(has(&r, "32.73</description>"));
    th_resp_free(&r);
    r = get("/open311/v2/discovery.json?jurisdiction_id=%3Cx%3E");
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "[{\"code\":400,"));
    th_resp_free(&r);
}

/* public reads only: every method but GET/HEAD is refused, for anyone, with an API key too */
static void test_read_only(void **state)
{
    (void)state;
    const char *paths[] = {"/api/v1/services",
                           "/api/v1/services/kia",
                           "/api/v1/services/kia/standards",
                           "/api/v1/services/kia/standards/1",
                           "/api/v1/services/kia/standard",
                           "/api/v1/openapi.json",
                           "/open311/v2/discovery.json",
                           "/open311/v2/services.xml",
                           "/open311/v2/services/kia.json",
                           NULL};
    char auth[160];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", apikey);
    const char *hs[] = {auth, NULL};
    for (const char **p = paths; *p; p++) {
        th_resp r;
        assert_int_equal(th_request(NULL, "POST", th_url(T.srv, *p), NULL, "a=1", 3, &r), 0);
        assert_int_equal(r.status, 405);
        th_resp_free(&r);
        assert_int_equal(th_request(NULL, "DELETE", th_url(T.srv, *p), hs, NULL, 0, &r), 0);
        assert_int_equal(r.status, 405);
        th_resp_free(&r);
        assert_int_equal(th_request(NULL, "HEAD", th_url(T.srv, *p), NULL, NULL, 0, &r), 0);
        assert_int_equal(r.status, 200);
        th_resp_free(&r);
        /* public: the same answer without any credentials, and nothing set in the browser */
        r = get(*p);
        assert_int_equal(r.status, 200);
        char sc[200];
        assert_int_not_equal(th_header(&r, "Set-Cookie", sc, sizeof sc), 0);
        th_resp_free(&r);
    }
}

/* every answer against the served OpenAPI document and the Open311 schemas (node + ajv) */
static void test_schemas(void **state)
{
    (void)state;
    char args[512];
    snprintf(args, sizeof args, "'%s'", apikey);
    assert_int_equal(th_validate(T.srv, args), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_services_list), cmocka_unit_test(test_service_detail),
        cmocka_unit_test(test_standards),     cmocka_unit_test(test_openapi),
        cmocka_unit_test(test_open311),       cmocka_unit_test(test_read_only),
        cmocka_unit_test(test_cache),         cmocka_unit_test(test_schemas),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* HTTP tests of requests through machines on a database made by `layan init` + `layan demo`:
 * Open311 GeoReport v2 POST/GET requests in JSON and XML (API key as a form field, errors per
 * the spec, attributes checked against the service definition, idempotency, the date window and
 * status filters, no personal data in the public answers) and /api/v1/requests (API key, scoped
 * to the key's unit). The JSON answers are validated against the Open311 schemas and the OpenAPI
 * document by tests/schema/validate.mjs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static char key_all[100], key_unit[100], key_other[100], key_revoked[100];

#define NIK "3273010101900001"
#define NAME "Siti Rahmawati"

/* API keys: one for every unit, one scoped to 32.73.01, one to 32.73.02, and one revoked */
static int make_keys(th_app *t)
{
    if (th_app_apikey(t, "all", NULL, key_all, sizeof key_all) ||
        th_app_apikey(t, "coblong", "32.73.01", key_unit, sizeof key_unit) ||
        th_app_apikey(t, "other", "32.73.02", key_other, sizeof key_other) ||
        th_app_apikey(t, "revoked", NULL, key_revoked, sizeof key_revoked))
        return -1;
    char prefix[9];
    snprintf(prefix, sizeof prefix, "%.8s", key_revoked + 4);
    db_conn *c = db_acquire(t->app.db);
    int r = c ? acct_apikey_revoke(c, app_now(), prefix) : -1;
    if (c) db_release(c);
    if (r != DB_OK) {
        fprintf(stderr, "api key revoke: %d\n", r);
        return -1;
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    return th_app_start_with(&T, "o311req", true, th_app_public_url, make_keys);
}

static int teardown(void **state)
{
    (void)state;
    return th_app_stop(&T);
}

static bool has(const th_resp *r, const char *s)
{
    return r->body.p && strstr(r->body.p, s) != NULL;
}

static th_resp req(const char *method, const char *path, const char *h1, const char *body)
{
    th_resp r;
    const char *hs[] = {h1, NULL};
    assert_int_equal(th_request(NULL, method, th_url(T.srv, path), h1 ? hs : NULL, body,
                                body ? strlen(body) : 0, &r),
                     0);
    return r;
}

static void put_kv(buf *b, const char *k, const char *v)
{
    char *e = curl_easy_escape(NULL, v, 0);
    buf_printf(b, "%s%s=%s", b->n ? "&" : "", k, e);
    curl_free(e);
}

/* a form for POST requests: every required attribute of the service's published definition,
 * except `skip`, plus the fixed ones */
static void form_for_json(const char *svc, const char *skip, const char *key, const char *idem,
                          buf *b, json_t *fields)
{
    char path[200];
    snprintf(path, sizeof path, "/open311/v2/services/%s.json", svc);
    th_resp r = req("GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    json_error_t je;
    json_t *d = json_loadb(r.body.p, r.body.n, 0, &je);
    th_resp_free(&r);
    assert_non_null(d);
    buf_init(b, 1 << 16);
    if (key) put_kv(b, "api_key", key);
    put_kv(b, "service_code", svc);
    put_kv(b, "first_name", "Siti");
    put_kv(b, "last_name", "Rahmawati");
    put_kv(b, "description", "lewat aplikasi mitra");
    if (idem) put_kv(b, "attribute[idempotency_key]", idem);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(d, "attributes"), i, a)
    {
        const char *code = json_string_value(json_object_get(a, "code"));
        const char *dt = json_string_value(json_object_get(a, "datatype"));
        if (skip && strcmp(code, skip) == 0) continue;
        if (!json_is_true(json_object_get(a, "required")) && strcmp(code, "no_kk") != 0) continue;
        const char *v = "contoh";
        if (strcmp(code, "nik") == 0) v = NIK;
        else if (strcmp(code, "no_kk") == 0) v = "3273012301200002";
        else if (strcmp(code, "delivery") == 0) v = "pickup";
        else if (strstr(dt, "valuelist"))
            v = json_string_value(
                json_object_get(json_array_get(json_object_get(a, "values"), 0), "key"));
        else if (strcmp(dt, "datetime") == 0) v = "2026-01-05";
        else if (strcmp(dt, "number") == 0) v = "1";
        char k[120];
        snprintf(k, sizeof k, "attribute[%s]%s", code,
                 strcmp(dt, "multivaluelist") == 0 ? "[]" : "");
        put_kv(b, k, v);
        if (fields && strcmp(code, "nik") && strcmp(code, "no_kk") && strcmp(code, "delivery"))
            json_object_set_new(fields, code,
                                strcmp(dt, "multivaluelist") == 0 ? json_pack("[s]", v)
                                                                  : json_string(v));
    }
    json_decref(d);
}

static void form_for(const char *svc, const char *skip, const char *key, const char *idem, buf *b)
{
    form_for_json(svc, skip, key, idem, b, NULL);
}

/* the tracking code out of [{"service_request_id": "..."}] */
static void code_of(const th_resp *r, char *out, size_t cap)
{
    const char *p = strstr(r->body.p, "\"service_request_id\":\"");
    assert_non_null(p);
    p += strlen("\"service_request_id\":\"");
    const char *q = strchr(p, '"');
    assert_non_null(q);
    snprintf(out, cap, "%.*s", (int)(q - p), p);
    assert_int_equal(strlen(out), 12);
}

static char code1[20], code2[20];

static void no_personal_data(const th_resp *r)
{
    assert_false(has(r, NIK));
    assert_false(has(r, "Rahmawati"));
    assert_false(has(r, "3273********"));
    assert_false(has(r, "lewat aplikasi"));
}

static void test_create(void **state)
{
    (void)state;
    buf f;
    form_for("kia", NULL, key_all, "o311-test-0001", &f);
    th_resp r = req("POST", "/open311/v2/requests.json", NULL, f.p);
    assert_int_equal(r.status, 201);
    assert_true(has(&r, "\"service_notice\":"));
    assert_true(has(&r, "\"account_id\":null"));
    code_of(&r, code1, sizeof code1);
    th_resp_free(&r);
    /* the same idempotency key: the same request, nothing new */
    r = req("POST", "/open311/v2/requests.json", NULL, f.p);
    assert_int_equal(r.status, 200);
    char again[20];
    code_of(&r, again, sizeof again);
    assert_string_equal(again, code1);
    th_resp_free(&r);
    buf_free(&f);

    /* XML, the key in the header and the idempotency key as Idempotency-Key */
    form_for("kia", NULL, NULL, NULL, &f);
    char kh[160];
    snprintf(kh, sizeof kh, "X-API-Key: %s", key_unit);
    th_resp x;
    const char *hs[] = {kh, "Idempotency-Key: o311-test-0002", NULL};
    assert_int_equal(
        th_request(NULL, "POST", th_url(T.srv, "/open311/v2/requests.xml"), hs, f.p, f.n, &x), 0);
    assert_int_equal(x.status, 201);
    char ct[100];
    assert_int_equal(th_header(&x, "Content-Type", ct, sizeof ct), 0);
    assert_string_equal(ct, "text/xml; charset=utf-8");
    assert_true(has(&x, "<service_requests><request><service_request_id>"));
    assert_true(has(&x, "<account_id/>"));
    const char *p = strstr(x.body.p, "<service_request_id>") + strlen("<service_request_id>");
    snprintf(code2, sizeof code2, "%.12s", p);
    assert_string_not_equal(code1, code2);
    th_resp_free(&x);
    buf_free(&f);

    /* stored on the channel 'integration' with the key, the name and NIK sealed */
    db_conn *c = db_acquire(T.app.db);
    db_stmt *s = db_prepare(c, "SELECT channel, api_key_id, nik_masked, u.code FROM requests r "
                               "JOIN units u ON u.id = r.unit_id ORDER BY r.id");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(str_eq_c(db_col_text(s, 0), "integration"));
    assert_true(db_col_int(s, 1) > 0);
    assert_true(str_eq_c(db_col_text(s, 2), "3273********0001"));
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(str_eq_c(db_col_text(s, 3), "32.73.01")); /* the scoped key's unit */
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    db_release(c);
}

static void test_errors(void **state)
{
    (void)state;
    buf f;
    /* a wrong, a revoked or no api_key: 403 in the spec's format */
    const char *keys[] = {"lyk_00000000_nope-nope-nope-nope-nope-nope-nope-nope-nop", key_revoked,
                          NULL};
    for (int i = 0; i < 3; i++) {
        form_for("kia", NULL, keys[i], NULL, &f);
        th_resp r = req("POST", "/open311/v2/requests.json", NULL, f.p);
        assert_int_equal(r.status, 403);
        assert_true(has(&r, "[{\"code\":403,\"description\":\""));
        th_resp_free(&r);
        r = req("POST", "/open311/v2/requests.xml", NULL, f.p);
        assert_int_equal(r.status, 403);
        assert_true(has(&r, "<errors><error><code>403</code><description>"));
        th_resp_free(&r);
        buf_free(&f);
    }
    /* unknown service: 404 */
    buf_init(&f, 4096);
    put_kv(&f, "api_key", key_all);
    put_kv(&f, "service_code", "no-such-service");
    put_kv(&f, "attribute[nik]", NIK);
    put_kv(&f, "attribute[delivery]", "pickup");
    th_resp r = req("POST", "/open311/v2/requests.json", NULL, f.p);
    assert_int_equal(r.status, 404);
    assert_true(has(&r, "\"code\":404"));
    th_resp_free(&r);
    buf_free(&f);
    /* a missing required attribute: 400 naming it */
    const char *missing[] = {"nik", "delivery", NULL};
    for (const char **m = missing; *m; m++) {
        form_for("kia", *m, key_all, NULL, &f);
        r = req("POST", "/open311/v2/requests.json", NULL, f.p);
        assert_int_equal(r.status, 400);
        char want[60];
        snprintf(want, sizeof want, "attribute[%s]", *m);
        assert_true(has(&r, want));
        th_resp_free(&r);
        buf_free(&f);
    }
    /* the service's own required field (the first required non-fixed attribute of akta-lahir) */
    th_resp d = req("GET", "/open311/v2/services/akta-lahir.json", NULL, NULL);
    json_t *def = json_loadb(d.body.p, d.body.n, 0, NULL);
    th_resp_free(&d);
    const char *own = NULL;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(def, "attributes"), i, a)
    {
        const char *code = json_string_value(json_object_get(a, "code"));
        if (!own && json_is_true(json_object_get(a, "required")) && strcmp(code, "nik") &&
            strcmp(code, "delivery") && strcmp(code, "no_kk"))
            own = code;
    }
    assert_non_null(own);
    form_for("akta-lahir", own, key_all, NULL, &f);
    r = req("POST", "/open311/v2/requests.json", NULL, f.p);
    assert_int_equal(r.status, 400);
    char want[80];
    snprintf(want, sizeof want, "attribute[%s]", own);
    assert_true(has(&r, want));
    th_resp_free(&r);
    buf_free(&f);
    json_decref(def);
    /* an attribute the service does not publish, a bad NIK, delivery without an address */
    const char *extra[][2] = {{"attribute[warna]", "merah"},
                              {"attribute[delivery]", "drone"},
                              {"attribute[nik]", "12345"},
                              {"attribute[delivery]", "delivery"},
                              {NULL, NULL}};
    const char *named[] = {"attribute[warna]", "attribute[delivery]", "attribute[nik]",
                           "address_string"};
    for (int k = 0; extra[k][0]; k++) {
        char skip[40];
        snprintf(skip, sizeof skip, "%s", extra[k][0] + 10);
        skip[strlen(skip) - 1] = 0; /* attribute[CODE] -> CODE */
        form_for("kia", skip, key_all, NULL, &f);
        buf g;
        buf_init(&g, 1 << 16);
        buf_printf(&g, "%s", f.p);
        put_kv(&g, extra[k][0], extra[k][1]);
        r = req("POST", "/open311/v2/requests.json", NULL, g.p);
        assert_int_equal(r.status, 400);
        if (!has(&r, named[k])) fprintf(stderr, "%s: %s\n", named[k], r.body.p);
        assert_true(has(&r, named[k]));
        th_resp_free(&r);
        buf_free(&g);
        buf_free(&f);
    }
    /* wrong jurisdiction */
    r = req("GET", "/open311/v2/requests.json?jurisdiction_id=99.99", NULL, NULL);
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
}

static void test_get(void **state)
{
    (void)state;
    char path[200];
    snprintf(path, sizeof path, "/open311/v2/requests/%s.json", code1);
    th_resp r = req("GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"status\":\"open\""));
    assert_true(has(&r, "\"service_code\":\"kia\""));
    assert_true(has(&r, "\"address_id\":null"));
    assert_true(has(&r, "\"media_url\":null"));
    assert_true(has(&r, "+07:00\"")); /* times in the unit's zone */
    assert_true(has(&r, "\"agency_responsible\":\""));
    no_personal_data(&r);
    th_resp_free(&r);
    snprintf(path, sizeof path, "/open311/v2/requests/%s.xml", code2);
    r = req("GET", path, NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "<service_requests><request><service_request_id>"));
    assert_true(has(&r, "<status>open</status>"));
    no_personal_data(&r);
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests/2222-2222-22.json", NULL, NULL);
    assert_int_equal(r.status, 404);
    assert_true(has(&r, "\"code\":404"));
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests/nothing.xml", NULL, NULL);
    assert_int_equal(r.status, 404);
    assert_true(has(&r, "<errors>"));
    th_resp_free(&r);

    /* the list: default window (the last 90 days), status, service, ids, dates */
    r = req("GET", "/open311/v2/requests.json", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, code1) && has(&r, code2));
    no_personal_data(&r);
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?status=closed", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.p, "[]");
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?status=open&service_code=kia", NULL, NULL);
    assert_true(has(&r, code1));
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?service_code=akta-mati", NULL, NULL);
    assert_string_equal(r.body.p, "[]");
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?service_code=nope", NULL, NULL);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?status=pending", NULL, NULL);
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
    snprintf(path, sizeof path, "/open311/v2/requests.json?service_request_id=%s,%s", code1, code2);
    r = req("GET", path, NULL, NULL);
    assert_true(has(&r, code1) && has(&r, code2));
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?page_size=1", NULL, NULL);
    assert_true(has(&r, code2) && !has(&r, code1)); /* newest first */
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?page_size=1&page=2", NULL, NULL);
    assert_true(has(&r, code1) && !has(&r, code2));
    th_resp_free(&r);
    /* a window in the past, one in the future; a '+' left unencoded in the URL still works */
    r = req("GET", "/open311/v2/requests.json?start_date=2020-01-01T00:00:00%2B07:00", NULL, NULL);
    assert_string_equal(r.body.p, "[]");
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?end_date=2020-01-01T00:00:00Z", NULL, NULL);
    assert_string_equal(r.body.p, "[]");
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?start_date=2100-01-01T00:00:00+07:00", NULL, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.p, "[]");
    th_resp_free(&r);
    r = req("GET", "/open311/v2/requests.json?start_date=yesterday", NULL, NULL);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "start_date"));
    th_resp_free(&r);
}

static void test_api_v1(void **state)
{
    (void)state;
    char auth[160];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key_other);
    json_t *fields = json_object();
    buf f;
    form_for_json("kk-baru", NULL, NULL, NULL, &f, fields);
    buf_free(&f);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "service_code", "kk-baru", "nik", NIK, "kk",
                          "3273012301200002", "delivery", "pickup", "idempotency_key",
                          "api-v1-test-0001", "fields", fields);
    char *body = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    th_resp r;
    const char *hs[] = {auth, "Content-Type: application/json", NULL};
    assert_int_equal(
        th_request(NULL, "POST", th_url(T.srv, "/api/v1/requests"), hs, body, strlen(body), &r), 0);
    if (r.status != 201) fprintf(stderr, "%s\n", r.body.p);
    assert_int_equal(r.status, 201);
    assert_true(has(&r, "\"tracking_code\":\""));
    assert_true(has(&r, "\"existed\":false"));
    assert_true(has(&r, "\"expected_completion\":"));
    th_resp_free(&r);
    assert_int_equal(
        th_request(NULL, "POST", th_url(T.srv, "/api/v1/requests"), hs, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"existed\":true"));
    th_resp_free(&r);
    /* no key: 401; a bad body: 400 naming the field */
    const char *jh[] = {"Content-Type: application/json", NULL};
    assert_int_equal(
        th_request(NULL, "POST", th_url(T.srv, "/api/v1/requests"), jh, body, strlen(body), &r), 0);
    assert_int_equal(r.status, 401);
    th_resp_free(&r);
    const char *bad = "{\"service_code\":\"kk-baru\",\"delivery\":\"pickup\",\"colour\":\"red\"}";
    assert_int_equal(
        th_request(NULL, "POST", th_url(T.srv, "/api/v1/requests"), hs, bad, strlen(bad), &r), 0);
    assert_int_equal(r.status, 400);
    if (!has(&r, "colour")) fprintf(stderr, "%s\n", r.body.p);
    assert_true(has(&r, "colour"));
    th_resp_free(&r);
    /* a scoped key files only at its unit and below */
    json_t *kf = json_object();
    form_for_json("kia", NULL, NULL, NULL, &f, kf);
    buf_free(&f);
    json_t *eo =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "service_code", "kia", "unit", "32.73.01", "nik",
                  NIK, "kk", "3273012301200002", "delivery", "pickup", "fields", kf);
    char *elsewhere = json_dumps(eo, JSON_COMPACT);
    json_decref(eo);
    assert_int_equal(th_request(NULL, "POST", th_url(T.srv, "/api/v1/requests"), hs, elsewhere,
                                strlen(elsewhere), &r),
                     0);
    assert_int_equal(r.status, 400);
    assert_true(has(&r, "\"not_offered\""));
    th_resp_free(&r);
    free(elsewhere);
    /* the list is the key's unit and below: the other kecamatan's key sees only its request */
    r = req("GET", "/api/v1/requests", auth, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "\"service_code\":\"kk-baru\""));
    assert_false(has(&r, code1) || has(&r, code2));
    assert_false(has(&r, NIK));
    th_resp_free(&r);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", key_all);
    r = req("GET", "/api/v1/requests?service=kia&status=diajukan", auth, NULL);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, code1) && has(&r, code2));
    assert_false(has(&r, "kk-baru"));
    th_resp_free(&r);
    r = req("GET", "/api/v1/requests?from=2100-01-01", auth, NULL);
    assert_true(has(&r, "\"requests\":[]"));
    th_resp_free(&r);
    r = req("GET", "/api/v1/requests?from=tomorrow", auth, NULL);
    assert_int_equal(r.status, 400);
    th_resp_free(&r);
    r = req("GET", "/api/v1/requests", NULL, NULL);
    assert_int_equal(r.status, 401);
    th_resp_free(&r);
    free(body);
}

/* the JSON answers against the Open311 schemas and the OpenAPI document (node + ajv) */
static void test_schemas(void **state)
{
    (void)state;
    char args[512];
    snprintf(args, sizeof args, "'%s'", key_all);
    assert_int_equal(th_validate(T.srv, args), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create), cmocka_unit_test(test_errors),  cmocka_unit_test(test_get),
        cmocka_unit_test(test_api_v1), cmocka_unit_test(test_schemas),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

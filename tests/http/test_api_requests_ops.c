/* HTTP tests of the JSON API a signed-in session uses for requests (requests/web_ops.h), on both
 * engines: the citizen's own requests (list, full view, cancel), the officers' worklist (the same
 * requests in the same order as /petugas), claim / release / transitions, and the courier's
 * deliveries and outcomes. Who may do what: anonymous 401, another citizen's request 404, an
 * officer outside their units 404 (as an unknown code), a courier on a delivery not theirs 404; a write without the
 * X-CSRF-Token header 403; a refused move 409 with the workflow's reason (Indonesian, English
 * with the lang cookie), a stale expect_from 409. The writes leave what the pages leave: the
 * history, the audit log, the applicant's message in the outbox, the record of the officer's and
 * the courier's reads of personal data. Every answer is recorded and checked against the served
 * OpenAPI document by tests/schema/validate.mjs --answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/contact.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/requests/requests.h"
#include "features/units/units.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static CURL *citizen, *other, *petugas, *petugas2, *coblong, *kurir, *kurir2;
static int64_t citizen_id, other_id, petugas_id, kurir_id, service_id;
/* mine: the citizen's, delivered to the home; cancel: the citizen's, cancelled here;
 * theirs: another citizen's; far: at Coblong, outside Sukasari's scope */
static char mine[TRK_LEN + 1], cancel[TRK_LEN + 1], theirs[TRK_LEN + 1], far[TRK_LEN + 1];
static int64_t mine_id, cancel_id;

/* ---- fixture ---- */

static int64_t q_int(const char *sql, const char *arg)
{
    return th_app_int(&T, sql, arg);
}

static int add_staff(const char *username, const char *role, const char *unit_code)
{
    return th_app_staff(&T, username, username, role, unit_code);
}

static int mkreq(const char *unit_code, int64_t applicant, const char *delivery, const char *nik,
                 char code[TRK_LEN + 1], int64_t *id)
{
    return th_app_file(&T, service_id, unit_code, applicant, applicant ? 0 : petugas_id, delivery,
                       nik, app_now(), code, id);
}

static int setup(void **state)
{
    (void)state;
    if (th_app_start(&T, "apiops", true, NULL)) return -1;
    if (add_staff("petugas.sukasari", "petugas", "32.73.01") ||
        add_staff("petugas.coblong", "petugas", "32.73.02") ||
        add_staff("kurir.dua", "kurir", "32.73.01") ||
        th_app_citizen(&T, "081299990003", "3273015505920003", "Warga Lain", &other_id)) {
        fprintf(stderr, "setup: accounts\n");
        return -1;
    }
    citizen_id = q_int("SELECT id FROM users WHERE kind = 'citizen' ORDER BY id", NULL);
    petugas_id = q_int("SELECT id FROM users WHERE username = $1", "petugas");
    kurir_id = q_int("SELECT id FROM users WHERE username = $1", "kurir");
    service_id = q_int("SELECT id FROM services WHERE code = $1", "ktp-ganti");
    if (citizen_id <= 0 || petugas_id <= 0 || kurir_id <= 0 || service_id <= 0) {
        fprintf(stderr, "setup: ids\n");
        return -1;
    }
    if (mkreq("32.73.01", citizen_id, "delivery", "3273011505900001", mine, &mine_id) ||
        mkreq("32.73.01", citizen_id, "pickup", "3273011505900001", cancel, &cancel_id) ||
        mkreq("32.73.01", other_id, "pickup", "3273015505920003", theirs, NULL) ||
        mkreq("32.73.02", 0, "pickup", "3273024107850004", far, NULL)) {
        fprintf(stderr, "setup: requests\n");
        return -1;
    }
    citizen = th_app_browser(&T, "081200000001");
    other = th_app_browser(&T, "081299990003");
    petugas = th_app_browser(&T, "petugas");
    petugas2 = th_app_browser(&T, "petugas.sukasari");
    coblong = th_app_browser(&T, "petugas.coblong");
    kurir = th_app_browser(&T, "kurir");
    kurir2 = th_app_browser(&T, "kurir.dua");
    return citizen && other && petugas && petugas2 && coblong && kurir && kurir2 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    CURL *bs[] = {citizen, other, petugas, petugas2, coblong, kurir, kurir2};
    for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++)
        if (bs[i]) curl_easy_cleanup(bs[i]);
    return th_app_stop(&T);
}

/* ---- calling the API ---- */

/* one call (b NULL: anonymous); a POST carries `body` as JSON and, with csrf, the token.
 * Every answer goes to the answers file for validate.mjs (appfix). */
static th_ans call(CURL *b, const char *method, const char *path, const char *body, bool csrf)
{
    return th_app_call(&T, b, method, path, body, csrf, NULL);
}

static const char *err_msg(const th_ans *a)
{
    return th_json_str(json_object_get(a->j, "error"), "message");
}

static bool lists(const json_t *arr, const char code[TRK_LEN + 1])
{
    return th_lists(arr, th_shown(code));
}

static const char *status_of(int64_t id)
{
    return th_app_status(&T, id);
}

#define OUTBOX "SELECT COUNT(*) FROM outbox WHERE id > $1"
#define AUDIT "SELECT COUNT(*) FROM audit_log WHERE action = 'request.transition' AND id > $1"
#define READS "SELECT COUNT(*) FROM data_access_log WHERE citizen_id = $1"

/* ---- the citizen ---- */

static void test_me_gives_the_csrf_token(void **state)
{
    (void)state;
    th_ans a = call(NULL, "GET", "/api/v1/me", NULL, false);
    assert_int_equal(a.status, 401);
    th_ans_free(&a);
    a = call(citizen, "GET", "/api/v1/me", NULL, false);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "kind"), "citizen");
    assert_true(strlen(th_json_str(a.j, "csrf")) >= 16);
    th_ans_free(&a);
}

static void test_citizen_reads(void **state)
{
    (void)state;
    th_ans a = call(citizen, "GET", "/api/v1/me/requests", NULL, false);
    assert_int_equal(a.status, 200);
    json_t *rs = json_object_get(a.j, "requests");
    assert_true(lists(rs, mine) && lists(rs, cancel));
    assert_false(lists(rs, theirs) || lists(rs, far));
    assert_false(json_is_true(json_object_get(a.j, "more")));
    th_ans_free(&a);
    /* paged: one a page, the next page has the other */
    a = call(citizen, "GET", "/api/v1/me/requests?page_size=1", NULL, false);
    assert_int_equal(json_array_size(json_object_get(a.j, "requests")), 1);
    assert_true(json_is_true(json_object_get(a.j, "more")));
    th_ans_free(&a);
    a = call(citizen, "GET", "/api/v1/me/requests?page=2&page_size=1", NULL, false);
    assert_int_equal(json_array_size(json_object_get(a.j, "requests")), 1);
    th_ans_free(&a);

    a = call(citizen, "GET", th_path("/api/v1/me/requests/%s", mine), NULL, false);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "tracking_code"), th_shown(mine));
    assert_string_equal(th_json_str(a.j, "status"), "diajukan");
    assert_true(json_is_true(json_object_get(a.j, "can_cancel")));
    assert_string_equal(th_json_str(a.j, "nik_masked"), "3273********0001");
    assert_null(json_object_get(a.j, "claimed_by"));
    th_ans_free(&a);
    /* typed as people type it: lower case, dashes */
    char typed[TRK_SHOWN + 1];
    snprintf(typed, sizeof typed, "%s", th_shown(mine));
    for (char *p = typed; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    a = call(citizen, "GET", th_path("/api/v1/me/requests/%s", typed), NULL, false);
    assert_int_equal(a.status, 200);
    th_ans_free(&a);

    /* someone else's request is as unknown as a wrong code; others' roles and nobody are out */
    a = call(citizen, "GET", th_path("/api/v1/me/requests/%s", theirs), NULL, false);
    assert_int_equal(a.status, 404);
    assert_string_equal(th_ans_error(&a), "not_found");
    th_ans_free(&a);
    a = call(other, "GET", th_path("/api/v1/me/requests/%s", mine), NULL, false);
    assert_int_equal(a.status, 404);
    th_ans_free(&a);
    a = call(citizen, "GET", "/api/v1/me/requests/2222-2222-22", NULL, false);
    assert_int_equal(a.status, 404);
    th_ans_free(&a);
    a = call(NULL, "GET", "/api/v1/me/requests", NULL, false);
    assert_int_equal(a.status, 401);
    assert_string_equal(th_ans_error(&a), "unauthorized");
    th_ans_free(&a);
    a = call(petugas, "GET", "/api/v1/me/requests", NULL, false);
    assert_int_equal(a.status, 403);
    th_ans_free(&a);
    /* the public tracking stays as it was: no notes, no name */
    a = call(NULL, "GET", th_path("/api/v1/requests/%s", mine), NULL, false);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "code_shown"), th_shown(mine));
    th_ans_free(&a);
}

static void test_citizen_cancels(void **state)
{
    (void)state;
    int64_t outbox0 = th_app_count(&T, "SELECT COALESCE(MAX(id), 0) FROM outbox WHERE id > $1", 0);
    int64_t audit0 =
        th_app_count(&T, "SELECT COALESCE(MAX(id), 0) FROM audit_log WHERE id > $1", 0);
    /* no token: refused before anything happens */
    th_ans a = call(citizen, "POST", th_path("/api/v1/me/requests/%s/cancel", cancel), NULL, false);
    assert_int_equal(a.status, 403);
    assert_string_equal(th_ans_error(&a), "forbidden");
    th_ans_free(&a);
    assert_string_equal(status_of(cancel_id), "diajukan");
    /* anonymous: 401; another citizen: 404 */
    a = call(NULL, "POST", th_path("/api/v1/me/requests/%s/cancel", cancel), NULL, false);
    assert_int_equal(a.status, 401);
    th_ans_free(&a);
    a = call(other, "POST", th_path("/api/v1/me/requests/%s/cancel", cancel), NULL, true);
    assert_int_equal(a.status, 404);
    th_ans_free(&a);
    /* the citizen saw an older status: 409 conflict, nothing changes */
    a = call(citizen, "POST", th_path("/api/v1/me/requests/%s/cancel", cancel),
             "{\"expect_from\":\"diverifikasi\"}", true);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "conflict");
    th_ans_free(&a);
    assert_string_equal(status_of(cancel_id), "diajukan");
    a = call(citizen, "POST", th_path("/api/v1/me/requests/%s/cancel", cancel), "{\"why\":\"x\"}",
             true);
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    /* cancelled, with the move's history, audit entry and message, as on the page */
    a = call(citizen, "POST", th_path("/api/v1/me/requests/%s/cancel", cancel),
             "{\"expect_from\":\"diajukan\"}", true);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "status"), "dibatalkan");
    assert_true(json_is_true(json_object_get(a.j, "finished")));
    assert_false(json_is_true(json_object_get(a.j, "can_cancel")));
    json_t *h = json_object_get(a.j, "history");
    json_t *last = json_array_get(h, json_array_size(h) - 1);
    assert_string_equal(th_json_str(last, "status"), "dibatalkan");
    assert_string_equal(th_json_str(last, "role"), "citizen");
    th_ans_free(&a);
    assert_string_equal(status_of(cancel_id), "dibatalkan");
    assert_int_equal(th_app_count(&T, AUDIT, audit0), 1);
    assert_int_equal(th_app_count(&T, OUTBOX, outbox0), 1);
    /* again: no longer possible */
    a = call(citizen, "POST", th_path("/api/v1/me/requests/%s/cancel", cancel), NULL, true);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "refused");
    assert_string_equal(err_msg(&a),
                        "Ini tidak dapat dilakukan lagi karena permohonan sudah berlanjut.");
    th_ans_free(&a);
}

/* ---- officers ---- */

/* the tracking codes of /petugas (the page), in its order */
static size_t page_order(CURL *b, const char *query, char out[][TRK_SHOWN + 1], size_t cap)
{
    th_resp r;
    memset(&r, 0, sizeof r);
    char url[600], p[200];
    snprintf(p, sizeof p, "/petugas%s", query);
    snprintf(url, sizeof url, "%s", th_url(T.srv, p));
    assert_int_equal(th_request(b, "GET", url, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    size_t n = 0;
    for (const char *s = r.body.p; (s = strstr(s, "href=\"/petugas/")) && n < cap; s++) {
        char code[TRK_LEN + 1];
        const char *c = s + strlen("href=\"/petugas/");
        if (strlen(c) < TRK_LEN + 1 || c[TRK_LEN] != '"' || !trk_parse(c, TRK_LEN, code)) continue;
        trk_format(code, out[n]);
        if (n == 0 || strcmp(out[n - 1], out[n]) != 0) n++; /* a row may link twice */
    }
    th_resp_free(&r);
    return n;
}

static void same_order_as_page(CURL *b, const char *api_query, const char *page_query)
{
    char want[64][TRK_SHOWN + 1];
    size_t n = page_order(b, page_query, want, 64);
    char p[200];
    snprintf(p, sizeof p, "/api/v1/work%s", api_query);
    th_ans a = call(b, "GET", p, NULL, false);
    assert_int_equal(a.status, 200);
    json_t *rs = json_object_get(a.j, "requests");
    assert_int_equal(json_array_size(rs), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(th_json_str(json_array_get(rs, i), "tracking_code"), want[i]);
    th_ans_free(&a);
}

static void test_worklist(void **state)
{
    (void)state;
    /* three more open requests at Sukasari, so the order has something to show */
    for (int i = 0; i < 3; i++) {
        char code[TRK_LEN + 1];
        char nik[17];
        snprintf(nik, sizeof nik, "32730115059000%02d", 10 + i);
        assert_int_equal(mkreq("32.73.01", 0, "pickup", nik, code, NULL), 0);
    }
    th_ans a = call(petugas2, "GET", "/api/v1/work", NULL, false);
    assert_int_equal(a.status, 200);
    json_t *rs = json_object_get(a.j, "requests");
    assert_true(lists(rs, mine) && lists(rs, theirs));
    assert_false(lists(rs, far));    /* Coblong's */
    assert_false(lists(rs, cancel)); /* closed */
    assert_int_equal(json_integer_value(json_object_get(a.j, "total")), json_array_size(rs));
    th_ans_free(&a);
    same_order_as_page(petugas2, "", "");
    same_order_as_page(petugas, "", "");
    same_order_as_page(petugas2, "?tab=belum&service=ktp-ganti", "?tab=belum&layanan=ktp-ganti");
    same_order_as_page(petugas, "?unit=32.73.02", "?titik=32.73.02");
    /* paged */
    a = call(petugas2, "GET", "/api/v1/work?page=2&page_size=2", NULL, false);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_array_size(json_object_get(a.j, "requests")), 2);
    th_ans_free(&a);
    a = call(coblong, "GET", "/api/v1/work?status=diajukan", NULL, false);
    assert_true(lists(json_object_get(a.j, "requests"), far));
    assert_false(lists(json_object_get(a.j, "requests"), mine));
    th_ans_free(&a);
    a = call(petugas2, "GET", "/api/v1/work?tab=kunjungan", NULL, false);
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    a = call(citizen, "GET", "/api/v1/work", NULL, false);
    assert_int_equal(a.status, 403);
    th_ans_free(&a);
    a = call(NULL, "GET", "/api/v1/work", NULL, false);
    assert_int_equal(a.status, 401);
    th_ans_free(&a);
}

static void test_officer_reads_personal_data(void **state)
{
    (void)state;
    int64_t reads = th_app_count(&T, READS, citizen_id);
    th_ans a = call(petugas2, "GET", th_path("/api/v1/work/%s", mine), NULL, false);
    assert_int_equal(a.status, 200);
    json_t *ap = json_object_get(a.j, "applicant");
    assert_string_equal(th_json_str(ap, "nik"), "3273011505900001");
    assert_string_equal(th_json_str(ap, "address"), "Jl. Kenanga No. 7 RT 02/RW 05");
    assert_string_equal(th_json_str(json_object_get(a.j, "form"), "keterangan"), "KTP hilang");
    th_ans_free(&a);
    /* on record, as /petugas/{code} records it */
    assert_int_equal(th_app_count(&T, READS, citizen_id), reads + 1);
    /* outside the scope: 404, the same as an unknown code, and nothing read */
    a = call(coblong, "GET", th_path("/api/v1/work/%s", mine), NULL, false);
    assert_int_equal(a.status, 404);
    assert_null(json_object_get(a.j, "applicant"));
    th_ans_free(&a);
    assert_int_equal(th_app_count(&T, READS, citizen_id), reads + 1);
    a = call(petugas2, "GET", "/api/v1/work/2222222222", NULL, false);
    assert_int_equal(a.status, 404);
    th_ans_free(&a);
}

static void test_claim_and_release(void **state)
{
    (void)state;
    th_ans a = call(petugas2, "POST", th_path("/api/v1/work/%s/claim", mine), NULL, false);
    assert_int_equal(a.status, 403); /* no token */
    th_ans_free(&a);
    a = call(coblong, "POST", th_path("/api/v1/work/%s/claim", mine), NULL, true);
    assert_int_equal(a.status, 404); /* outside the scope */
    th_ans_free(&a);
    a = call(citizen, "POST", th_path("/api/v1/work/%s/claim", mine), NULL, true);
    assert_int_equal(a.status, 403);
    th_ans_free(&a);
    a = call(petugas, "POST", th_path("/api/v1/work/%s/claim", mine), NULL, true);
    assert_int_equal(a.status, 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(a.j, "claimed_by"), "id")),
                     petugas_id);
    assert_true(json_array_size(json_object_get(a.j, "moves")) > 0);
    th_ans_free(&a);
    /* another officer: the claim and the release are refused, and no moves are offered */
    a = call(petugas2, "POST", th_path("/api/v1/work/%s/claim", mine), NULL, true);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "conflict");
    assert_string_equal(err_msg(&a), "Petugas lain baru saja mengambil permohonan ini.");
    th_ans_free(&a);
    a = call(petugas2, "POST", th_path("/api/v1/work/%s/release", mine), NULL, true);
    assert_int_equal(a.status, 409);
    th_ans_free(&a);
    a = call(petugas2, "GET", th_path("/api/v1/work/%s", mine), NULL, false);
    assert_int_equal(json_array_size(json_object_get(a.j, "moves")), 0);
    th_ans_free(&a);
    a = call(petugas2, "POST", th_path("/api/v1/work/%s/transitions", mine),
             "{\"to\":\"diverifikasi\"}", true);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "conflict");
    th_ans_free(&a);
    /* given back: free for anyone */
    a = call(petugas, "POST", th_path("/api/v1/work/%s/release", mine), NULL, true);
    assert_int_equal(a.status, 200);
    assert_true(json_is_null(json_object_get(a.j, "claimed_by")));
    th_ans_free(&a);
}

static void test_transitions(void **state)
{
    (void)state;
    const char *p = th_path("/api/v1/work/%s/transitions", mine);
    int64_t outbox0 = th_app_count(&T, "SELECT COALESCE(MAX(id), 0) FROM outbox WHERE id > $1", 0);
    int64_t audit0 =
        th_app_count(&T, "SELECT COALESCE(MAX(id), 0) FROM audit_log WHERE id > $1", 0);
    th_ans a = call(petugas2, "POST", p, "{\"to\":\"diverifikasi\"}", false);
    assert_int_equal(a.status, 403); /* no token */
    th_ans_free(&a);
    a = call(coblong, "POST", p, "{\"to\":\"diverifikasi\"}", true);
    assert_int_equal(a.status, 404); /* outside the scope */
    th_ans_free(&a);
    a = call(NULL, "POST", p, "{\"to\":\"diverifikasi\"}", false);
    assert_int_equal(a.status, 401);
    th_ans_free(&a);
    /* not a move of the workflow from here: 409 with the workflow's reason */
    a = call(petugas2, "POST", p, "{\"to\":\"selesai\"}", true);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "refused_transition");
    assert_true(strlen(err_msg(&a)) > 10);
    th_ans_free(&a);
    /* a correction needs its reason; in English with the lang cookie */
    th_resp r;
    char url[600];
    snprintf(url, sizeof url, "%s", th_url(T.srv, "/?lang=en"));
    assert_int_equal(th_request(petugas2, "GET", url, NULL, NULL, 0, &r), 0);
    th_resp_free(&r);
    a = call(petugas2, "POST", p, "{\"to\":\"perlu_perbaikan\"}", true);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "refused_reason");
    assert_string_equal(err_msg(&a), "Write the reason: the applicant reads it.");
    th_ans_free(&a);
    snprintf(url, sizeof url, "%s", th_url(T.srv, "/?lang=id"));
    assert_int_equal(th_request(petugas2, "GET", url, NULL, NULL, 0, &r), 0);
    th_resp_free(&r);
    /* the officer saw an older status */
    a = call(petugas2, "POST", p, "{\"to\":\"diverifikasi\",\"expect_from\":\"dilengkapi\"}", true);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "conflict");
    th_ans_free(&a);
    a = call(petugas2, "POST", p, "{\"to\":\"diverifikasi\",\"colour\":\"red\"}", true);
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    a = call(petugas2, "POST", p, "{\"to\":42}", true);
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    assert_string_equal(status_of(mine_id), "diajukan");
    assert_int_equal(th_app_count(&T, AUDIT, audit0), 0);
    assert_int_equal(th_app_count(&T, OUTBOX, outbox0), 0);

    /* the default flow: verify, process, ready, send with a courier */
    a = call(petugas2, "POST", p, "{\"to\":\"diverifikasi\",\"expect_from\":\"diajukan\"}", true);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "status"), "diverifikasi");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(a.j, "claimed_by"), "id")),
                     q_int("SELECT id FROM users WHERE username = $1", "petugas.sukasari"));
    th_ans_free(&a);
    a = call(petugas2, "POST", p, "{\"to\":\"diproses\",\"note\":\"Berkas lengkap\"}", true);
    assert_int_equal(a.status, 200);
    json_t *h = json_object_get(a.j, "history");
    assert_string_equal(th_json_str(json_array_get(h, json_array_size(h) - 1), "status"),
                        "diproses");
    th_ans_free(&a);
    a = call(petugas2, "POST", p, "{\"to\":\"selesai\"}", true);
    assert_int_equal(a.status, 200);
    th_ans_free(&a);
    a = call(petugas2, "POST", p, "{\"to\":\"dikirim\"}", true); /* which courier? */
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    char body[120];
    snprintf(body, sizeof body, "{\"to\":\"dikirim\",\"courier_id\":%lld}", (long long)kurir_id);
    a = call(petugas2, "POST", p, body, true);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "status"), "dikirim");
    th_ans_free(&a);
    assert_string_equal(status_of(mine_id), "dikirim");
    /* as on the page: an audit entry and a message to the applicant per move */
    assert_int_equal(th_app_count(&T, AUDIT, audit0), 4);
    assert_int_equal(th_app_count(&T, OUTBOX, outbox0), 4);
    /* the citizen sees the officer's note */
    a = call(citizen, "GET", th_path("/api/v1/me/requests/%s", mine), NULL, false);
    assert_int_equal(a.status, 200);
    bool noted = false;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(a.j, "history"), i, e)
    {
        noted = noted || strcmp(th_json_str(e, "note"), "Berkas lengkap") == 0;
    }
    assert_true(noted);
    th_ans_free(&a);
}

/* a correction with its reason stops the clock and shows the citizen what to do; a rejection
 * with its reason closes the request */
static void test_correction_and_rejection(void **state)
{
    (void)state;
    th_ans a = call(petugas2, "POST", th_path("/api/v1/work/%s/transitions", theirs),
                    "{\"to\":\"perlu_perbaikan\",\"note\":\"Foto KTP buram\","
                    "\"expect_from\":\"diajukan\"}",
                    true);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "status"), "perlu_perbaikan");
    assert_true(json_is_true(json_object_get(a.j, "waiting_for_applicant")));
    th_ans_free(&a);
    a = call(other, "GET", th_path("/api/v1/me/requests/%s", theirs), NULL, false);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "reason"), "Foto KTP buram");
    assert_true(json_is_true(json_object_get(a.j, "can_correct")));
    assert_true(json_is_true(json_object_get(a.j, "waiting_for_applicant")));
    th_ans_free(&a);
    a = call(coblong, "POST", th_path("/api/v1/work/%s/transitions", far),
             "{\"to\":\"ditolak\",\"note\":\"Bukan wilayah layanan\"}", true);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "status"), "ditolak");
    assert_true(json_is_true(json_object_get(a.j, "finished")));
    assert_int_equal(json_array_size(json_object_get(a.j, "moves")), 0);
    th_ans_free(&a);
    a = call(coblong, "POST", th_path("/api/v1/work/%s/transitions", far),
             "{\"to\":\"diverifikasi\"}", true);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "refused_terminal");
    th_ans_free(&a);
}

/* ---- the courier ---- */

static void test_courier(void **state)
{
    (void)state;
    const char *p = th_path("/api/v1/deliveries/%s/outcome", mine);
    int64_t reads = th_app_count(&T, READS, citizen_id);
    th_ans a = call(kurir, "GET", "/api/v1/deliveries", NULL, false);
    assert_int_equal(a.status, 200);
    json_t *d = json_object_get(a.j, "deliveries");
    assert_true(lists(d, mine));
    assert_string_equal(th_json_str(json_array_get(d, 0), "address"),
                        "Jl. Kenanga No. 7 RT 02/RW 05");
    th_ans_free(&a);
    assert_int_equal(th_app_count(&T, READS, citizen_id), reads + 1); /* the address, on record */
    a = call(kurir2, "GET", "/api/v1/deliveries", NULL, false);
    assert_int_equal(a.status, 200);
    assert_false(lists(json_object_get(a.j, "deliveries"), mine));
    th_ans_free(&a);
    a = call(petugas, "GET", "/api/v1/deliveries", NULL, false);
    assert_int_equal(a.status, 403);
    th_ans_free(&a);

    const char *failed = "{\"outcome\":\"failed\",\"reason\":\"Rumah kosong\"}";
    a = call(kurir, "POST", p, failed, false);
    assert_int_equal(a.status, 403); /* no token */
    th_ans_free(&a);
    a = call(kurir2, "POST", p, failed, true);
    assert_int_equal(a.status, 404); /* not kurir.dua's delivery */
    th_ans_free(&a);
    a = call(kurir, "POST", p, "{\"outcome\":\"delivered\",\"recipient_name\":\"Siti\"}", true);
    assert_int_equal(a.status, 400); /* the relation is missing */
    th_ans_free(&a);
    a = call(kurir, "POST", p, "{\"outcome\":\"lost\"}", true);
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    a = call(kurir, "POST", p,
             "{\"outcome\":\"delivered\",\"recipient_name\":\"Siti\",\"relation\":\"diri "
             "sendiri\",\"photo\":\"aGVsbG8gd29ybGQ=\"}",
             true); /* "hello world" is no picture */
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    assert_string_equal(status_of(mine_id), "dikirim");
    a = call(kurir, "POST", p, failed, true);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "status"), "dikirim");
    assert_false(json_is_true(json_object_get(a.j, "returned")));
    th_ans_free(&a);
    /* delivered, with a photo (a PNG by its content) */
    a = call(kurir, "POST", p,
             "{\"outcome\":\"delivered\",\"recipient_name\":\"Siti Aminah\",\"relation\":\"diri "
             "sendiri\",\"photo\":\"iVBORw0KGgoAAAAA\"}",
             true);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "status"), "diterima");
    th_ans_free(&a);
    assert_string_equal(status_of(mine_id), "diterima");
    assert_int_equal(
        th_app_count(
            &T,
            "SELECT COUNT(*) FROM deliveries WHERE request_id = $1 AND photo_ref IS NOT NULL "
            "AND status = 'delivered'",
            mine_id),
        1);
    /* done: nothing more for the courier */
    a = call(kurir, "POST", p, failed, true);
    assert_int_equal(a.status, 404);
    th_ans_free(&a);
}

/* every recorded answer against the served OpenAPI document (node + ajv) */
static void test_schemas(void **state)
{
    (void)state;
    assert_int_equal(th_app_validate(&T, ""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_me_gives_the_csrf_token),
        cmocka_unit_test(test_citizen_reads),
        cmocka_unit_test(test_citizen_cancels),
        cmocka_unit_test(test_worklist),
        cmocka_unit_test(test_officer_reads_personal_data),
        cmocka_unit_test(test_claim_and_release),
        cmocka_unit_test(test_transitions),
        cmocka_unit_test(test_correction_and_rejection),
        cmocka_unit_test(test_courier),
        cmocka_unit_test(test_schemas),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* HTTP tests of the rest of the session JSON API for requests (requests/ops_api_more.c), on both
 * engines: the citizen's replacement documents for "perlu perbaikan" (multipart, content and
 * size checked like the page: random bytes named .pdf refused, a file over 5 MB refused, a PNG
 * accepted; the request back to "dilengkapi" with the SLA clock running, the history, the audit
 * entry and the applicant's message), an officer filing for a citizen (channel assisted,
 * filed_by the officer, per-field 422 in Indonesian and English, a repeated Idempotency-Key
 * answering the first request and never a second row; the request on the worklist and the
 * page), and home visits (scheduled, listed like the worklist tab, recorded once: 409 after).
 * Who may: anonymous 401, another role 403, a write without X-CSRF-Token 403, another citizen's
 * request 404, another unit's request or visit 404. Every answer is checked against the served
 * OpenAPI document by tests/schema/validate.mjs --answers FILE more. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/contact.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/requests/requests.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

#define BOUNDARY "layanApiMoreBoundary4xQ9"

static th_app T;
static CURL *citizen, *other, *petugas2, *coblong, *kurir;
static int64_t citizen_id, other_id, petugas2_id, service_id;
/* fix: the citizen's, sent back for a correction; visit: at Sukasari, for home visits */
static char fix[TRK_LEN + 1], visit[TRK_LEN + 1];
static int64_t fix_id, visit_id;

/* ---- fixture ---- */

static int64_t q_int(const char *sql, const char *arg)
{
    return th_app_int(&T, sql, arg);
}

static int setup(void **state)
{
    (void)state;
    if (th_app_start(&T, "apimore", true, NULL)) return -1;
    if (th_app_staff(&T, "petugas.sukasari", "Petugas Sukasari", "petugas", "32.73.01") ||
        th_app_staff(&T, "petugas.coblong", "Petugas Coblong", "petugas", "32.73.02") ||
        th_app_citizen(&T, "081299990003", "3273015505920003", "Warga Lain", &other_id)) {
        fprintf(stderr, "setup: accounts\n");
        return -1;
    }
    citizen_id = q_int("SELECT id FROM users WHERE kind = 'citizen' ORDER BY id", NULL);
    petugas2_id = q_int("SELECT id FROM users WHERE username = $1", "petugas.sukasari");
    service_id = q_int("SELECT id FROM services WHERE code = $1", "ktp-ganti");
    if (citizen_id <= 0 || petugas2_id <= 0 || service_id <= 0) return -1;
    if (th_app_file(&T, service_id, "32.73.01", citizen_id, 0, "pickup", "3273011505900001",
                    app_now(), fix, &fix_id) ||
        th_app_file(&T, service_id, "32.73.01", 0, petugas2_id, "pickup", "3273011505900002",
                    app_now(), visit, &visit_id)) {
        fprintf(stderr, "setup: requests\n");
        return -1;
    }
    citizen = th_app_browser(&T, "081200000001");
    other = th_app_browser(&T, "081299990003");
    petugas2 = th_app_browser(&T, "petugas.sukasari");
    coblong = th_app_browser(&T, "petugas.coblong");
    kurir = th_app_browser(&T, "kurir");
    return citizen && other && petugas2 && coblong && kurir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    CURL *bs[] = {citizen, other, petugas2, coblong, kurir};
    for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++)
        if (bs[i]) curl_easy_cleanup(bs[i]);
    return th_app_stop(&T);
}

/* ---- calling the API ---- */

/* GET, or a POST with a JSON body, the CSRF token when csrf, and an Idempotency-Key when ik;
 * every answer recorded for validate.mjs (appfix) */
static th_ans call(CURL *b, const char *method, const char *path, const char *body, bool csrf,
                   const char *ik)
{
    return th_app_call(&T, b, method, path, body, csrf, ik);
}

/* a multipart POST of replacement documents: one file part (field, filename, bytes) and a note */
static th_ans upload(CURL *b, const char *code, const char *field, const char *filename,
                     const void *data, size_t n, bool csrf)
{
    buf body;
    buf_init(&body, 8u << 20);
    buf_printf(&body,
               "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
               "Foto ulang lebih terang\r\n"
               "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"; "
               "filename=\"%s\"\r\nContent-Type: application/pdf\r\n\r\n",
               field, filename);
    buf_put(&body, data, n);
    buf_printf(&body, "\r\n--" BOUNDARY "--\r\n");
    char tokh[200];
    const char *hs[3] = {"Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL, NULL};
    if (csrf) {
        snprintf(tokh, sizeof tokh, "X-CSRF-Token: %s", th_app_csrf(&T, b));
        hs[1] = tokh;
    }
    char p[200];
    snprintf(p, sizeof p, "/api/v1/me/requests/%s/documents", code);
    th_ans a = th_app_send(&T, b, "POST", p, hs, body.p, body.n);
    buf_free(&body);
    return a;
}

/* the sentence for one field of a 422 */
static const char *field_err(const th_ans *a, const char *field)
{
    return th_json_str(json_object_get(json_object_get(a->j, "error"), "fields"), field);
}

/* a page's HTML body (200 expected) contains `needle` */
static bool page_has(CURL *b, const char *p, const char *needle)
{
    th_resp r;
    memset(&r, 0, sizeof r);
    char url[600];
    snprintf(url, sizeof url, "%s", th_url(T.srv, p));
    assert_int_equal(th_request(b, "GET", url, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    bool has = r.body.p && strstr(r.body.p, needle) != NULL;
    th_resp_free(&r);
    return has;
}

static void set_lang(CURL *b, const char *lang)
{
    th_resp r;
    memset(&r, 0, sizeof r);
    char url[600];
    snprintf(url, sizeof url, "%s", th_url(T.srv, lang[0] == 'e' ? "/?lang=en" : "/?lang=id"));
    assert_int_equal(th_request(b, "GET", url, NULL, NULL, 0, &r), 0);
    th_resp_free(&r);
}

#define AUDIT "SELECT COUNT(*) FROM audit_log WHERE action = 'request.transition' AND id > $1"
#define OUTBOX "SELECT COUNT(*) FROM outbox WHERE id > $1"
#define MAX_AUDIT "SELECT COALESCE(MAX(id), 0) FROM audit_log WHERE id > $1"
#define MAX_OUTBOX "SELECT COALESCE(MAX(id), 0) FROM outbox WHERE id > $1"

static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0,    0,    0,
                                    13,   'I', 'H', 'D', 'R',  0,    0,    0,    1,    0,    0,
                                    0,    1,   8,   2,   0,    0,    0,    0x90, 0x77, 0x53, 0xde};

/* ---- the citizen's correction ---- */

static void test_correction_upload(void **state)
{
    (void)state;
    /* not waiting for a correction yet: 409, nothing stored */
    th_ans a = upload(citizen, fix, "berkas_kk", "kk.png", png, sizeof png, true);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "refused");
    assert_string_equal(th_json_str(json_object_get(a.j, "error"), "message"),
                        "Permohonan ini tidak sedang menunggu perbaikan.");
    th_ans_free(&a);
    assert_int_equal(
        th_app_count(&T, "SELECT COUNT(*) FROM request_documents WHERE request_id = $1", fix_id),
        0);
    /* the officer asks for a correction (the clock stops) */
    a = call(petugas2, "POST", th_path("/api/v1/work/%s/transitions", fix),
             "{\"to\":\"perlu_perbaikan\",\"note\":\"Foto KK buram\"}", true, NULL);
    assert_int_equal(a.status, 200);
    th_ans_free(&a);
    a = call(citizen, "GET", th_path("/api/v1/me/requests/%s", fix), NULL, false, NULL);
    assert_true(json_is_true(json_object_get(a.j, "can_correct")));
    assert_true(json_is_true(json_object_get(a.j, "waiting_for_applicant")));
    th_ans_free(&a);

    /* who may: no token 403, nobody 401, another citizen 404, an officer 403 */
    a = upload(citizen, fix, "berkas_kk", "kk.png", png, sizeof png, false);
    assert_int_equal(a.status, 403);
    assert_string_equal(th_ans_error(&a), "forbidden");
    th_ans_free(&a);
    a = upload(NULL, fix, "berkas_kk", "kk.png", png, sizeof png, false);
    assert_int_equal(a.status, 401);
    th_ans_free(&a);
    a = upload(other, fix, "berkas_kk", "kk.png", png, sizeof png, true);
    assert_int_equal(a.status, 404);
    th_ans_free(&a);
    a = upload(petugas2, fix, "berkas_kk", "kk.png", png, sizeof png, true);
    assert_int_equal(a.status, 403);
    th_ans_free(&a);

    /* random bytes named .pdf: refused by content, per field, in Indonesian ... */
    char junk[300];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)('a' + (i * 7) % 26);
    a = upload(citizen, fix, "berkas_kk", "kk.pdf", junk, sizeof junk, true);
    assert_int_equal(a.status, 422);
    assert_string_equal(th_ans_error(&a), "invalid");
    assert_string_equal(field_err(&a, "berkas_kk"),
                        "Kartu Keluarga (KK): kirim foto JPEG atau PNG, atau berkas PDF. Berkas "
                        "ini bukan salah satunya.");
    th_ans_free(&a);
    /* ... and in English */
    set_lang(citizen, "en");
    a = upload(citizen, fix, "berkas_kk", "kk.pdf", junk, sizeof junk, true);
    assert_int_equal(a.status, 422);
    assert_string_equal(field_err(&a, "berkas_kk"),
                        "Kartu Keluarga (KK): send a JPEG or PNG photo or a PDF file. This file is "
                        "none of these.");
    th_ans_free(&a);
    set_lang(citizen, "id");
    /* a PNG over 5 MB: refused by size, like the page */
    size_t big = (5u << 20) + 1;
    unsigned char *bb = calloc(1, big);
    assert_non_null(bb);
    memcpy(bb, png, sizeof png);
    a = upload(citizen, fix, "berkas_kk", "kk.png", bb, big, true);
    free(bb);
    assert_int_equal(a.status, 422);
    assert_non_null(strstr(field_err(&a, "berkas_kk"), "5 MB"));
    th_ans_free(&a);
    /* no file at all */
    a = upload(citizen, fix, "lain", "x.png", png, sizeof png, true);
    assert_int_equal(a.status, 422);
    th_ans_free(&a);
    assert_int_equal(
        th_app_count(&T, "SELECT COUNT(*) FROM request_documents WHERE request_id = $1", fix_id),
        0);
    assert_string_equal(th_app_status(&T, fix_id), "perlu_perbaikan");

    /* a PNG: the request is back with the office, the clock runs again, as on the page */
    int64_t audit0 = th_app_count(&T, MAX_AUDIT, 0), outbox0 = th_app_count(&T, MAX_OUTBOX, 0);
    a = upload(citizen, fix, "berkas_kk", "kk.pdf", png, sizeof png,
               true); /* the name is no matter */
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "tracking_code"), th_shown(fix));
    assert_string_equal(th_json_str(a.j, "status"), "dilengkapi");
    assert_false(json_is_true(json_object_get(a.j, "waiting_for_applicant")));
    assert_false(json_is_true(json_object_get(a.j, "can_correct")));
    json_t *docs = json_object_get(a.j, "documents");
    assert_int_equal(json_array_size(docs), 1);
    assert_string_equal(th_json_str(json_array_get(docs, 0), "doc_type"), "kk");
    assert_string_equal(th_json_str(json_array_get(docs, 0), "content_type"), "image/png");
    json_t *h = json_object_get(a.j, "history");
    json_t *last = json_array_get(h, json_array_size(h) - 1);
    assert_string_equal(th_json_str(last, "status"), "dilengkapi");
    assert_string_equal(th_json_str(last, "role"), "citizen");
    assert_string_equal(th_json_str(last, "note"), "Foto ulang lebih terang");
    th_ans_free(&a);
    assert_string_equal(th_app_status(&T, fix_id), "dilengkapi");
    assert_int_equal(th_app_count(&T,
                                  "SELECT COUNT(*) FROM requests WHERE id = $1 AND paused_since IS "
                                  "NULL",
                                  fix_id),
                     1);
    assert_int_equal(th_app_count(&T, AUDIT, audit0), 1);
    assert_int_equal(th_app_count(&T, OUTBOX, outbox0), 1);
    /* the officer sees it again, with the new document */
    a = call(petugas2, "GET", th_path("/api/v1/work/%s", fix), NULL, false, NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "status"), "dilengkapi");
    th_ans_free(&a);
    assert_true(page_has(citizen, th_path("/akun/permohonan/%s", fix), "Foto ulang lebih terang"));
    /* once is enough */
    a = upload(citizen, fix, "berkas_kk", "kk.png", png, sizeof png, true);
    assert_int_equal(a.status, 409);
    th_ans_free(&a);
}

/* ---- assisted filing ---- */

#define ASSISTED "SELECT COUNT(*) FROM requests WHERE filed_by = $1 AND channel = 'assisted'"

static void test_assisted_filing(void **state)
{
    (void)state;
    const char *good = "{\"service\":\"ktp-ganti\",\"point\":\"32.73.01\",\"nik\":"
                       "\"3273011505900007\",\"name\":\"Ujang Sukarna\",\"delivery\":\"delivery\","
                       "\"address\":\"Jl. Melati No. 3 RT 01/RW 02, Sukarasa\",\"phone\":"
                       "\"081234567890\",\"fields\":{\"alasan\":\"hilang\"}}";
    int64_t before = th_app_count(&T, ASSISTED, petugas2_id);
    th_ans a = call(petugas2, "POST", "/api/v1/work/requests", good, false, "assist-key-0001");
    assert_int_equal(a.status, 403); /* no token */
    th_ans_free(&a);
    a = call(NULL, "POST", "/api/v1/work/requests", good, false, NULL);
    assert_int_equal(a.status, 401);
    th_ans_free(&a);
    a = call(citizen, "POST", "/api/v1/work/requests", good, true, NULL);
    assert_int_equal(a.status, 403);
    th_ans_free(&a);
    assert_int_equal(th_app_count(&T, ASSISTED, petugas2_id), before);

    /* every field's error at once: another unit's point, a short NIK, no name, no address */
    a = call(petugas2, "POST", "/api/v1/work/requests",
             "{\"service\":\"ktp-ganti\",\"point\":\"32.73.02\",\"nik\":\"32730115\","
             "\"delivery\":\"delivery\"}",
             true, NULL);
    assert_int_equal(a.status, 422);
    assert_string_equal(th_ans_error(&a), "invalid");
    assert_string_equal(field_err(&a, "point"), "Pilih tempat layanannya.");
    assert_true(strlen(field_err(&a, "nik")) > 10);
    assert_true(strlen(field_err(&a, "name")) > 5);
    assert_true(strlen(field_err(&a, "address")) > 5);
    th_ans_free(&a);
    /* in English with the lang cookie; the service's own fields checked too */
    set_lang(petugas2, "en");
    a = call(petugas2, "POST", "/api/v1/work/requests",
             "{\"service\":\"ktp-ganti\",\"point\":\"32.73.02\",\"nik\":\"3273011505900007\","
             "\"name\":\"Ujang\",\"delivery\":\"pickup\",\"fields\":{\"alasan\":\"dicuri\","
             "\"warna\":\"merah\"}}",
             true, NULL);
    assert_int_equal(a.status, 422);
    assert_string_equal(field_err(&a, "point"), "Choose the service point.");
    assert_string_equal(field_err(&a, "fields.alasan"),
                        "fields.alasan has a value this service does not accept.");
    assert_string_equal(field_err(&a, "fields.warna"), "fields.warna is not a known field.");
    th_ans_free(&a);
    set_lang(petugas2, "id");
    a = call(petugas2, "POST", "/api/v1/work/requests",
             "{\"service\":\"ktp-ganti\",\"point\":\"32.73.01\",\"nik\":\"3273011505900007\","
             "\"name\":\"Ujang\",\"delivery\":\"kurir\"}",
             true, NULL);
    assert_int_equal(a.status, 422);
    assert_true(strlen(field_err(&a, "delivery")) > 5);
    th_ans_free(&a);
    a = call(petugas2, "POST", "/api/v1/work/requests", "{\"service\":42}", true, NULL);
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    a = call(petugas2, "POST", "/api/v1/work/requests", good, true, "short");
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    assert_int_equal(th_app_count(&T, ASSISTED, petugas2_id), before);

    /* filed: channel assisted, by this officer */
    a = call(petugas2, "POST", "/api/v1/work/requests", good, true, "assist-key-0001");
    assert_int_equal(a.status, 201);
    assert_string_equal(th_json_str(a.j, "status"), "diajukan");
    assert_string_equal(th_json_str(a.j, "channel"), "assisted");
    assert_string_equal(th_json_str(a.j, "delivery"), "delivery");
    assert_string_equal(th_json_str(a.j, "unit_code"), "32.73.01");
    assert_false(json_is_true(json_object_get(a.j, "existed")));
    char code[TRK_SHOWN + 1];
    snprintf(code, sizeof code, "%s", th_json_str(a.j, "tracking_code"));
    th_ans_free(&a);
    assert_int_equal(th_app_count(&T, ASSISTED, petugas2_id), before + 1);
    /* the same key again (a retried submit): the same request, no second row */
    a = call(petugas2, "POST", "/api/v1/work/requests", good, true, "assist-key-0001");
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "tracking_code"), code);
    assert_true(json_is_true(json_object_get(a.j, "existed")));
    th_ans_free(&a);
    assert_int_equal(th_app_count(&T, ASSISTED, petugas2_id), before + 1);

    /* on the worklist (API and page), with the citizen's data and the form's answer */
    a = call(petugas2, "GET", "/api/v1/work", NULL, false, NULL);
    assert_true(th_lists(json_object_get(a.j, "requests"), code));
    th_ans_free(&a);
    a = call(petugas2, "GET", th_path("/api/v1/work/%s", code), NULL, false, NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(th_json_str(a.j, "channel"), "assisted");
    json_t *ap = json_object_get(a.j, "applicant");
    assert_string_equal(th_json_str(ap, "nik"), "3273011505900007");
    assert_string_equal(th_json_str(ap, "name"), "Ujang Sukarna");
    assert_string_equal(th_json_str(ap, "address"), "Jl. Melati No. 3 RT 01/RW 02, Sukarasa");
    assert_string_equal(th_json_str(json_object_get(a.j, "form"), "alasan"), "hilang");
    th_ans_free(&a);
    char raw[TRK_LEN + 1];
    assert_true(trk_parse(code, strlen(code), raw));
    assert_true(page_has(petugas2, "/petugas", th_path("href=\"/petugas/%s\"", raw)));
    /* the public tracking knows it */
    a = call(NULL, "GET", th_path("/api/v1/requests/%s", raw), NULL, false, NULL);
    assert_int_equal(a.status, 200);
    th_ans_free(&a);
}

/* ---- home visits ---- */

/* a local date (UTC+7, the Bandung points) `days` from now */
static const char *local_day(int days)
{
    static char out[2][11];
    static int k;
    char *o = out[k++ % 2];
    time_t t = (time_t)(app_now() + days * 86400 + 7 * 3600);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(o, 11, "%Y-%m-%d", &tm);
    return o;
}

static void test_visits(void **state)
{
    (void)state;
    const char *p = th_path("/api/v1/work/%s/visits", visit);
    char body[300];
    snprintf(body, sizeof body,
             "{\"date\":\"%s\",\"time\":\"09:30\",\"team\":\"Tim Jemput Bola 1\","
             "\"notes\":\"Lansia, kursi roda\"}",
             local_day(2));
    th_ans a = call(petugas2, "POST", p, body, false, NULL);
    assert_int_equal(a.status, 403); /* no token */
    th_ans_free(&a);
    a = call(coblong, "POST", p, body, true, NULL);
    assert_int_equal(a.status, 404); /* another unit's request: as if it did not exist */
    th_ans_free(&a);
    a = call(citizen, "POST", p, body, true, NULL);
    assert_int_equal(a.status, 403);
    th_ans_free(&a);
    a = call(NULL, "POST", p, body, false, NULL);
    assert_int_equal(a.status, 401);
    th_ans_free(&a);
    a = call(petugas2, "POST", "/api/v1/work/2222222222/visits", body, true, NULL);
    assert_int_equal(a.status, 404);
    th_ans_free(&a);
    a = call(petugas2, "POST", p, "{\"date\":\"2026-13-01\",\"time\":\"25:00\",\"team\":\"A\"}",
             true, NULL);
    assert_int_equal(a.status, 422);
    assert_string_equal(field_err(&a, "date"), "Isi tanggal dan jam kunjungan.");
    assert_true(strlen(field_err(&a, "team")) > 5);
    th_ans_free(&a);
    a = call(petugas2, "POST", p, "{\"team\":\"Tim\",\"car\":\"B 1234\"}", true, NULL);
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    assert_int_equal(
        th_app_count(&T, "SELECT COUNT(*) FROM home_visits WHERE request_id = $1", visit_id), 0);

    /* scheduled */
    a = call(petugas2, "POST", p, body, true, NULL);
    assert_int_equal(a.status, 201);
    assert_string_equal(th_json_str(a.j, "tracking_code"), th_shown(visit));
    assert_string_equal(th_json_str(a.j, "team"), "Tim Jemput Bola 1");
    assert_true(json_is_null(json_object_get(a.j, "visited_at")));
    assert_string_equal(th_json_str(a.j, "scheduled_at") + 11, "02:30:00Z"); /* 09:30 WIB */
    int64_t vid = json_integer_value(json_object_get(a.j, "id"));
    assert_true(vid > 0);
    th_ans_free(&a);
    assert_int_equal(
        th_app_count(&T, "SELECT COUNT(*) FROM home_visits WHERE request_id = $1", visit_id), 1);

    /* listed like the worklist tab: for Sukasari, not for Coblong */
    a = call(petugas2, "GET", "/api/v1/work/visits", NULL, false, NULL);
    assert_int_equal(a.status, 200);
    assert_true(th_lists(json_object_get(a.j, "visits"), th_shown(visit)));
    assert_string_equal(th_json_str(a.j, "state"), "open");
    th_ans_free(&a);
    assert_true(page_has(petugas2, "/petugas?tab=kunjungan", "Tim Jemput Bola 1"));
    a = call(coblong, "GET", "/api/v1/work/visits", NULL, false, NULL);
    assert_int_equal(a.status, 200);
    assert_false(th_lists(json_object_get(a.j, "visits"), th_shown(visit)));
    th_ans_free(&a);
    a = call(petugas2, "GET",
             th_path("/api/v1/work/visits?from=%s&to=%s", local_day(10), local_day(20)), NULL,
             false, NULL);
    assert_int_equal(a.status, 200);
    assert_false(th_lists(json_object_get(a.j, "visits"), th_shown(visit)));
    th_ans_free(&a);
    a = call(petugas2, "GET", "/api/v1/work/visits?from=kemarin", NULL, false, NULL);
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    a = call(petugas2, "GET", "/api/v1/work/visits?state=soon", NULL, false, NULL);
    assert_int_equal(a.status, 400);
    th_ans_free(&a);
    a = call(citizen, "GET", "/api/v1/work/visits", NULL, false, NULL);
    assert_int_equal(a.status, 403);
    th_ans_free(&a);
    a = call(NULL, "GET", "/api/v1/work/visits", NULL, false, NULL);
    assert_int_equal(a.status, 401);
    th_ans_free(&a);

    /* recorded, once */
    const char *dp = th_path("/api/v1/work/visits/%lld/done", (long long)vid);
    a = call(coblong, "POST", dp, "{\"notes\":\"x\"}", true, NULL);
    assert_int_equal(a.status, 404);
    th_ans_free(&a);
    a = call(petugas2, "POST", dp, "{\"notes\":\"Perekaman selesai di rumah\"}", false, NULL);
    assert_int_equal(a.status, 403);
    th_ans_free(&a);
    a = call(petugas2, "POST", "/api/v1/work/visits/99999999/done", NULL, true, NULL);
    assert_int_equal(a.status, 404);
    th_ans_free(&a);
    a = call(petugas2, "POST", dp, "{\"notes\":\"Perekaman selesai di rumah\"}", true, NULL);
    assert_int_equal(a.status, 200);
    assert_true(json_is_true(json_object_get(a.j, "done")));
    assert_true(json_is_string(json_object_get(a.j, "visited_at")));
    assert_string_equal(th_json_str(a.j, "notes"), "Perekaman selesai di rumah");
    th_ans_free(&a);
    a = call(petugas2, "POST", dp, NULL, true, NULL);
    assert_int_equal(a.status, 409);
    assert_string_equal(th_ans_error(&a), "conflict");
    th_ans_free(&a);
    /* off the open list, on the done one and on the request's page */
    a = call(petugas2, "GET", "/api/v1/work/visits", NULL, false, NULL);
    assert_false(th_lists(json_object_get(a.j, "visits"), th_shown(visit)));
    th_ans_free(&a);
    a = call(petugas2, "GET", "/api/v1/work/visits?state=done", NULL, false, NULL);
    assert_true(th_lists(json_object_get(a.j, "visits"), th_shown(visit)));
    th_ans_free(&a);
    a = call(petugas2, "GET", "/api/v1/work/visits?state=all", NULL, false, NULL);
    assert_true(th_lists(json_object_get(a.j, "visits"), th_shown(visit)));
    th_ans_free(&a);
    assert_true(page_has(petugas2, th_path("/petugas/%s", visit), "Perekaman selesai di rumah"));
}

static void test_schemas(void **state)
{
    (void)state;
    assert_int_equal(th_app_validate(&T, "more"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_correction_upload),
        cmocka_unit_test(test_assisted_filing),
        cmocka_unit_test(test_visits),
        cmocka_unit_test(test_schemas),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

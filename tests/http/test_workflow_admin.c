/* HTTP tests of the request workflow admin page (/admin/layanan/{code}/alur), on both engines:
 * only the service's owner may open or change it; a definition wf_parse refuses comes back with
 * the reason in Indonesian next to the field and the typed text kept; preview saves nothing; a
 * saved workflow is the one requests follow (a move it lacks is refused, one it has is allowed);
 * a definition or a reset that drops a state where an open request sits is refused with the
 * count and the state; reset asks first; every change is in the audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/app.h"
#include "features/requests/requests.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static http_server *srv;
static CURL *admin, *petugas, *kepala_kecamatan;
static int64_t service_id, petugas_id, req_id;

#define PAGE "/admin/layanan/ktp-ganti/alur"
#define RESET "/admin/layanan/ktp-ganti/alur/bawaan"

/* masuk -> diperiksa -> selesai, or ditolak with a reason; only petugas acts */
static const char *const OWN =
    "{\"initial\": \"masuk\", \"states\": [{\"code\": \"masuk\"}, {\"code\": \"diperiksa\"}, "
    "{\"code\": \"selesai\", \"end\": \"done\", \"terminal\": true}, "
    "{\"code\": \"ditolak\", \"end\": \"done\", \"terminal\": true}], \"transitions\": ["
    "{\"from\": \"masuk\", \"to\": \"diperiksa\", \"roles\": [\"petugas\"]}, "
    "{\"from\": \"diperiksa\", \"to\": \"selesai\", \"roles\": [\"petugas\"]}, "
    "{\"from\": \"masuk\", \"to\": \"ditolak\", \"roles\": [\"petugas\"], \"reason\": true}, "
    "{\"from\": \"diperiksa\", \"to\": \"ditolak\", \"roles\": [\"petugas\"], \"reason\": true}]}";

/* the same without "diperiksa" */
static const char *const WITHOUT_DIPERIKSA =
    "{\"initial\": \"masuk\", \"states\": [{\"code\": \"masuk\"}, "
    "{\"code\": \"selesai\", \"end\": \"done\", \"terminal\": true}], \"transitions\": ["
    "{\"from\": \"masuk\", \"to\": \"selesai\", \"roles\": [\"petugas\"]}]}";

/* "yatim" cannot be reached */
static const char *const UNREACHABLE =
    "{\"initial\": \"masuk\", \"states\": [{\"code\": \"masuk\"}, "
    "{\"code\": \"selesai\", \"end\": \"done\", \"terminal\": true}, "
    "{\"code\": \"yatim\", \"terminal\": true}], \"transitions\": ["
    "{\"from\": \"masuk\", \"to\": \"selesai\", \"roles\": [\"petugas\"]}]}";

static bool has(const th_resp *r, const char *needle)
{
    return r->body.p && strstr(r->body.p, needle) != NULL;
}

static long get(CURL *b, const char *path, th_resp *r)
{
    assert_int_equal(th_request(b, "GET", th_url(srv, path), NULL, NULL, 0, r), 0);
    return r->status;
}

static long post_def(CURL *b, const char *page, const char *def, const char *aksi, th_resp *r)
{
    char *enc = curl_easy_escape(NULL, def, 0);
    size_t n = strlen(enc) + 64;
    char *fields = malloc(n);
    snprintf(fields, n, "definisi=%s&aksi=%s", enc, aksi);
    curl_free(enc);
    int rc = th_submit(b, srv, page, PAGE, fields, r);
    free(fields);
    return rc ? -1 : r->status;
}

static int64_t q_int(const char *sql, const char *arg)
{
    return th_app_int(&T, sql, arg);
}

static int64_t own_rows(void)
{
    return q_int("SELECT COUNT(*) FROM service_workflows w JOIN services s ON s.id = w.service_id "
                 "WHERE s.code = $1",
                 "ktp-ganti");
}

static int64_t audits(const char *action)
{
    return q_int(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND object = 'service:ktp-ganti' "
        "AND actor LIKE 'user:%'",
        action);
}

static int move(const char *to, const char *note, enum wf_err *why)
{
    db_conn *c = db_acquire(T.app.db);
    req_move m = {.to = to, .role = WF_PETUGAS, .actor_id = petugas_id, .note = note};
    int r = req_transition(c, app_now(), req_id, &m, why);
    db_release(c);
    return r;
}

static int setup(void **state)
{
    (void)state;
    if (th_app_start(&T, "wfadmin", true, NULL)) return -1;
    srv = T.srv;
    service_id = q_int("SELECT id FROM services WHERE code = $1", "ktp-ganti");
    petugas_id = q_int("SELECT id FROM users WHERE username = $1", "petugas");
    if (service_id <= 0 || petugas_id <= 0) return -1;
    admin = th_app_browser(&T, "admin");
    petugas = th_app_browser(&T, "petugas");
    kepala_kecamatan = th_app_browser(&T, "kepala.kecamatan");
    return admin && petugas && kepala_kecamatan ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    curl_easy_cleanup(admin);
    curl_easy_cleanup(petugas);
    curl_easy_cleanup(kepala_kecamatan);
    return th_app_stop(&T);
}

/* an officer, and the head of a kecamatan (not the owner of adminduk services), get 403 */
static void test_not_for_others(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(get(petugas, PAGE, &r), 403);
    th_resp_free(&r);
    assert_int_equal(get(kepala_kecamatan, PAGE, &r), 403);
    th_resp_free(&r);
    assert_int_equal(get(kepala_kecamatan, RESET, &r), 403);
    th_resp_free(&r);
    /* a POST with the officer's own valid CSRF token is refused too, and nothing is stored */
    assert_int_equal(post_def(petugas, "/akun/ubah", OWN, "simpan", &r), 403);
    th_resp_free(&r);
    assert_int_equal(own_rows(), 0);
}

/* the admin sees the default as tables, reached from the service's admin page */
static void test_shows_default(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(get(admin, "/admin/layanan/ktp-ganti/standar", &r), 200);
    assert_true(has(&r, "href=\"/admin/layanan/ktp-ganti/alur\""));
    th_resp_free(&r);
    assert_int_equal(get(admin, PAGE, &r), 200);
    assert_true(has(&r, "Alur bawaan"));
    assert_true(has(&r, "12 tahap"));
    assert_true(has(&r, "21 perpindahan"));
    assert_true(has(&r, "Perlu perbaikan")); /* perlu_perbaikan, in words */
    assert_true(has(&r, "Menunggu pemohon (waktu layanan dihentikan)"));
    assert_true(has(&r, "&quot;initial&quot;: &quot;diajukan&quot;")); /* the textarea */
    assert_false(has(&r, "href=\"" RESET "\""));                       /* nothing to reset */
    th_resp_free(&r);
}

static void test_invalid_kept(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(post_def(admin, PAGE, UNREACHABLE, "simpan", &r), 422);
    assert_true(has(&r, "Tahap &quot;yatim&quot; tidak dapat dicapai dari tahap pertama"));
    assert_true(has(&r, "govuk-error-summary"));
    assert_true(has(&r, "{&quot;code&quot;: &quot;yatim&quot;, &quot;terminal&quot;: true}"));
    th_resp_free(&r);
    /* not JSON at all: the text is still kept, the message says what to check */
    assert_int_equal(post_def(admin, PAGE, "{\"initial\": \"masuk\", ", "simpan", &r), 422);
    assert_true(has(&r, "Sistem tidak dapat membaca ini sebagai alur"));
    assert_true(has(&r, "{&quot;initial&quot;: &quot;masuk&quot;, </textarea>"));
    th_resp_free(&r);
    /* an unknown role is named */
    assert_int_equal(post_def(admin, PAGE,
                              "{\"initial\": \"a\", \"states\": [{\"code\": \"a\"}, {\"code\": "
                              "\"b\", \"terminal\": true}], \"transitions\": [{\"from\": \"a\", "
                              "\"to\": \"b\", \"roles\": [\"lurah\"]}]}",
                              "simpan", &r),
                     422);
    assert_true(has(&r, "Peran &quot;lurah&quot; tidak dikenal"));
    th_resp_free(&r);
    assert_int_equal(own_rows(), 0);
    assert_int_equal(audits("workflow.set"), 0);
}

static void test_preview_saves_nothing(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(post_def(admin, PAGE, OWN, "pratinjau", &r), 200);
    assert_true(has(&r, "Pratinjau teks di bawah"));
    assert_true(has(&r, "4 tahap"));
    assert_true(has(&r, ">masuk<"));
    th_resp_free(&r);
    assert_int_equal(own_rows(), 0);
}

/* saved, audited, and then enforced on a new request */
static void test_save_and_enforce(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(post_def(admin, PAGE, OWN, "simpan", &r), 303);
    th_resp_free(&r);
    assert_int_equal(own_rows(), 1);
    assert_int_equal(audits("workflow.set"), 1);
    assert_int_equal(get(admin, PAGE "?berhasil=simpan", &r), 200);
    assert_true(has(&r, "Alur permohonan disimpan."));
    assert_true(has(&r, "Alur sendiri"));
    assert_true(has(&r, "4 perpindahan"));
    assert_true(has(&r, "href=\"" RESET "\""));
    th_resp_free(&r);

    char code[11];
    assert_int_equal(th_app_file(&T, service_id, "32.73.01", 0, petugas_id, "pickup",
                                 "3273014107850003", app_now(), code, &req_id),
                     0);
    assert_string_equal(th_app_status(&T, req_id), "masuk"); /* the own first state */
    enum wf_err why = WF_OK;
    /* the default's next step is not in this workflow */
    assert_int_equal(move("diverifikasi", NULL, &why), REQ_REFUSED);
    assert_int_equal(why, WF_E_STATE);
    /* a rejection needs a reason here */
    assert_int_equal(move("ditolak", NULL, &why), REQ_REFUSED);
    assert_int_equal(why, WF_E_REASON);
    assert_int_equal(move("diperiksa", NULL, &why), DB_OK);
    assert_string_equal(th_app_status(&T, req_id), "diperiksa");
}

/* a request sits in "diperiksa": a definition without it, and a reset, are refused */
static void test_open_request_guard(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(post_def(admin, PAGE, WITHOUT_DIPERIKSA, "simpan", &r), 422);
    assert_true(has(&r, "1 permohonan layanan ini yang belum selesai berada pada tahap "
                        "&quot;diperiksa&quot;"));
    assert_true(has(&r, "{&quot;from&quot;: &quot;masuk&quot;, &quot;to&quot;: "
                        "&quot;selesai&quot;, &quot;roles&quot;: [&quot;petugas&quot;]}"));
    th_resp_free(&r);
    assert_int_equal(audits("workflow.set"), 1);
    /* the confirmation page names what a reset drops */
    assert_int_equal(get(admin, RESET, &r), 200);
    assert_true(has(&r, "Kembalikan ke alur bawaan?"));
    assert_true(has(&r, ">diperiksa<"));
    assert_true(has(&r, ">masuk<"));
    th_resp_free(&r);
    assert_int_equal(th_submit(admin, srv, RESET, RESET, "", &r), 0);
    assert_int_equal(r.status, 422);
    assert_true(has(&r, "&quot;diperiksa&quot;"));
    th_resp_free(&r);
    assert_int_equal(own_rows(), 1);
    assert_int_equal(audits("workflow.reset"), 0);
}

/* once the request is finished the reset goes through, audited */
static void test_reset(void **state)
{
    (void)state;
    enum wf_err why;
    assert_int_equal(move("selesai", NULL, &why), DB_OK);
    th_resp r;
    assert_int_equal(th_submit(admin, srv, RESET, RESET, "", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(own_rows(), 0);
    assert_int_equal(audits("workflow.reset"), 1);
    /* resetting again changes nothing and records nothing (the token from the workflow page:
     * the reset page has no form when there is nothing to reset) */
    assert_int_equal(th_submit(admin, srv, PAGE, RESET, "", &r), 0);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_int_equal(audits("workflow.reset"), 1);
    assert_int_equal(get(admin, PAGE "?berhasil=bawaan", &r), 200);
    assert_true(has(&r, "Alur bawaan"));
    assert_true(has(&r, "12 tahap"));
    th_resp_free(&r);
    /* a new request follows the default again */
    char code[11];
    int64_t id;
    assert_int_equal(th_app_file(&T, service_id, "32.73.01", 0, petugas_id, "pickup",
                                 "3273014107850004", app_now(), code, &id),
                     0);
    assert_string_equal(th_app_status(&T, id), "diajukan");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_for_others),
        cmocka_unit_test(test_shows_default),
        cmocka_unit_test(test_invalid_kept),
        cmocka_unit_test(test_preview_saves_nothing),
        cmocka_unit_test(test_save_and_enforce),
        cmocka_unit_test(test_open_request_guard),
        cmocka_unit_test(test_reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* HTTP tests of the officers' side of requests, on both engines: who may see and act (a citizen
 * gets 403, an officer of another kecamatan 404, a courier only /kurir), the claim (one officer
 * wins, the other sees who), the default flow through the pages with CSRF (verify -> process ->
 * ready -> send with a courier -> the courier records the delivery), a correction without a
 * reason is refused with a message, the personal-data read is recorded (and the citizen sees it
 * in "Riwayat akses"), a document is served with its detected type (from [storage] documents,
 * set away from the key, where the courier's photo is stored too), and the SLA page's numbers
 * for a constructed set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/workflow.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/requests/docstore.h"
#include "features/requests/requests.h"
#include "features/units/units.h"
#include "appfix.h"
#include "harness.h"
#include "testdb.h"

static th_app T;
static http_server *srv;
static CURL *petugas, *petugas2, *coblong, *kurir, *citizen, *kepala;
static int64_t citizen_id, petugas_id, kurir_id, service_id;
static char r1[TRK_LEN + 1], r2[TRK_LEN + 1];
static int64_t r1_id, r2_id, doc_id;

static bool has(const th_resp *r, const char *needle)
{
    return r->body.p && strstr(r->body.p, needle) != NULL;
}

static int get(CURL *b, const char *path, th_resp *r)
{
    memset(r, 0, sizeof *r);
    char url[600];
    snprintf(url, sizeof url, "%s", th_url(srv, path));
    return th_request(b, "GET", url, NULL, NULL, 0, r);
}

/* GETs the page for its token, POSTs the fields to the same address */
static long post(CURL *b, const char *path, const char *fields, th_resp *r)
{
    memset(r, 0, sizeof *r);
    if (th_submit(b, srv, path, path, fields, r)) return -1;
    return r->status;
}

static int64_t q_int(const char *sql, const char *arg)
{
    return th_app_int(&T, sql, arg);
}

static int add_staff(const char *username, const char *name, const char *role,
                     const char *unit_code)
{
    return th_app_staff(&T, username, name, role, unit_code);
}

static int mkreq(const char *unit_code, int64_t applicant, int64_t filed_by, const char *delivery,
                 const char *nik, int64_t at, char code[TRK_LEN + 1], int64_t *id)
{
    return th_app_file(&T, service_id, unit_code, applicant, filed_by, delivery, nik, at, code, id);
}

/* the document store is put where [storage] documents says, away from the key, so the test
 * proves reads (the officer's document) and writes (the courier's photo) follow the setting */
static int move_store(th_app *t)
{
    snprintf(t->cfg.documents_dir, sizeof t->cfg.documents_dir, "%s/arsip/dokumen", t->dir);
    char err[512];
    if (docs_dir_check(&t->cfg, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

/* a tiny PNG in the document store, added as the request's requirement */
static int add_doc(void)
{
    char dir[1100], path[1200];
    docs_dir(T.app.cfg, dir, sizeof dir);
    if (!dir[0]) return -1;
    const char *hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    snprintf(path, sizeof path, "%s/%s", dir, hex);
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, png, sizeof png) != (ssize_t)sizeof png) return -1;
    close(fd);
    db_conn *c = db_acquire(T.app.db);
    req_doc_new d = {
        .doc_type = "ktp_lama", .content_type = "image/png", .sha256 = hex, .size = sizeof png};
    char ref[80];
    snprintf(ref, sizeof ref, "dokumen/%s", hex);
    d.storage_ref = ref;
    int r = req_doc_add(c, app_now(), r1_id, &d, &doc_id);
    db_release(c);
    return r == DB_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    if (th_app_start(&T, "reqwork", true, move_store)) return -1;
    srv = T.srv;
    if (add_staff("petugas.sukasari", "Budi Santoso", "petugas", "32.73.01") ||
        add_staff("petugas.coblong", "Petugas Coblong", "petugas", "32.73.02") ||
        add_staff("kepala.babakan", "Kepala Babakan", "kepala_unit", "32.73.03"))
        return -1;
    citizen_id = q_int("SELECT id FROM users WHERE kind = 'citizen' ORDER BY id", NULL);
    petugas_id = q_int("SELECT id FROM users WHERE username = $1", "petugas");
    kurir_id = q_int("SELECT id FROM users WHERE username = $1", "kurir");
    service_id = q_int("SELECT id FROM services WHERE code = $1", "ktp-ganti");
    if (citizen_id <= 0 || petugas_id <= 0 || service_id <= 0) return -1;
    int64_t now = app_now();
    if (mkreq("32.73.01", citizen_id, 0, "delivery", "3273011505900001", now, r1, &r1_id) ||
        mkreq("32.73.01", 0, petugas_id, "pickup", "3273014107850003", now, r2, &r2_id) ||
        add_doc())
        return -1;
    petugas = th_app_browser(&T, "petugas");
    petugas2 = th_app_browser(&T, "petugas.sukasari");
    coblong = th_app_browser(&T, "petugas.coblong");
    kurir = th_app_browser(&T, "kurir");
    citizen = th_app_browser(&T, "081200000001");
    kepala = th_app_browser(&T, "kepala.babakan");
    return petugas && petugas2 && coblong && kurir && citizen && kepala ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    CURL *bs[] = {petugas, petugas2, coblong, kurir, citizen, kepala};
    for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++)
        if (bs[i]) curl_easy_cleanup(bs[i]);
    return th_app_stop(&T);
}

static const char *path_of(const char *code, const char *tail)
{
    static char p[200];
    snprintf(p, sizeof p, "/petugas/%s%s", code, tail ? tail : "");
    return p;
}

static const char *status_of(int64_t id)
{
    return th_app_status(&T, id);
}

static void test_who_may_enter(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(get(citizen, "/petugas", &r), 0);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    get(citizen, path_of(r1, NULL), &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    get(kurir, "/petugas", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    get(petugas, "/kurir", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    get(petugas, "/petugas/kinerja", &r);
    assert_int_equal(r.status, 403);
    th_resp_free(&r);
    /* the worklist of Disdukcapil covers the kecamatan; Coblong's does not */
    char shown[TRK_SHOWN + 1];
    trk_format(r1, shown);
    get(petugas, "/petugas", &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, shown));
    th_resp_free(&r);
    get(coblong, "/petugas", &r);
    assert_int_equal(r.status, 200);
    assert_false(has(&r, shown));
    th_resp_free(&r);
    get(coblong, path_of(r1, NULL), &r);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    char doc[120];
    snprintf(doc, sizeof doc, "/dokumen/%lld", (long long)doc_id);
    get(coblong, path_of(r1, doc), &r);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    /* acting needs a token from a page Coblong cannot open: take it from the worklist */
    memset(&r, 0, sizeof r);
    assert_int_equal(
        th_submit(coblong, srv, "/petugas/ajukan", path_of(r1, NULL), "aksi=ambil", &r), 0);
    assert_int_equal(r.status, 404);
    th_resp_free(&r);
    /* a courier cannot act on someone else's delivery */
    memset(&r, 0, sizeof r);
    th_submit(kurir, srv, "/kurir", "/kurir/AAAA", "aksi=gagal&alasan=x", &r);
    assert_true(r.status == 404 || r.status == 422);
    th_resp_free(&r);
    /* without the token: refused */
    th_resp p;
    memset(&p, 0, sizeof p);
    char url[600];
    snprintf(url, sizeof url, "%s", th_url(srv, path_of(r1, NULL)));
    th_request(petugas, "POST", url, NULL, "aksi=ambil", 10, &p);
    assert_int_equal(p.status, 403);
    th_resp_free(&p);
}

static void test_claim(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(post(petugas, path_of(r2, NULL), "aksi=ambil", &r), 303);
    th_resp_free(&r);
    /* the second officer sees who has it */
    assert_int_equal(post(petugas2, path_of(r2, NULL), "aksi=ambil", &r), 409);
    assert_true(has(&r, "Petugas Disdukcapil (demo)"));
    th_resp_free(&r);
    get(petugas2, path_of(r2, NULL), &r);
    assert_true(has(&r, "Sedang ditangani oleh Petugas Disdukcapil (demo)"));
    th_resp_free(&r);
    /* nor may they move it */
    assert_int_equal(
        post(petugas2, path_of(r2, NULL), "aksi=pindah&ke=diverifikasi&dari=diajukan", &r), 409);
    th_resp_free(&r);
    assert_string_equal(status_of(r2_id), "diajukan");
    /* the worklist names the holder */
    get(petugas2, "/petugas", &r);
    assert_true(has(&r, "Ditangani: Petugas Disdukcapil (demo)"));
    th_resp_free(&r);
}

static void test_correction_needs_reason(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(
        post(petugas, path_of(r2, NULL), "aksi=pindah&ke=perlu_perbaikan&dari=diajukan", &r), 422);
    assert_true(has(&r, "Tuliskan alasannya"));
    th_resp_free(&r);
    assert_string_equal(status_of(r2_id), "diajukan");
    assert_int_equal(post(petugas, path_of(r2, NULL),
                          "aksi=pindah&ke=perlu_perbaikan&dari=diajukan&catatan=Foto+KTP+buram",
                          &r),
                     303);
    th_resp_free(&r);
    assert_string_equal(status_of(r2_id), "perlu_perbaikan");
    /* the clock is paused: the worklist says it waits for the applicant */
    get(petugas, "/petugas", &r);
    assert_true(has(&r, "Menunggu pemohon"));
    th_resp_free(&r);
}

static void test_full_flow(void **state)
{
    (void)state;
    th_resp r;
    int64_t queued = q_int("SELECT COUNT(*) FROM outbox", NULL);
    const char *steps[][2] = {
        {"diverifikasi", "diajukan"}, {"diproses", "diverifikasi"}, {"selesai", "diproses"}};
    for (size_t i = 0; i < 3; i++) {
        char f[200];
        snprintf(f, sizeof f, "aksi=pindah&ke=%s&dari=%s&catatan=ok", steps[i][0], steps[i][1]);
        assert_int_equal(post(petugas, path_of(r1, NULL), f, &r), 303);
        th_resp_free(&r);
        assert_string_equal(status_of(r1_id), steps[i][0]);
    }
    /* the page offers the courier; sending needs one */
    get(petugas, path_of(r1, NULL), &r);
    assert_true(has(&r, "Kurir Disdukcapil (demo)"));
    th_resp_free(&r);
    assert_int_equal(post(petugas, path_of(r1, NULL), "aksi=pindah&ke=dikirim&dari=selesai", &r),
                     422);
    th_resp_free(&r);
    char f[200];
    snprintf(f, sizeof f, "aksi=pindah&ke=dikirim&dari=selesai&kurir=%lld", (long long)kurir_id);
    assert_int_equal(post(petugas, path_of(r1, NULL), f, &r), 303);
    th_resp_free(&r);
    assert_string_equal(status_of(r1_id), "dikirim");
    /* the courier sees the address and records the delivery */
    get(kurir, "/kurir", &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "Jl. Kenanga No. 7 RT 02/RW 05"));
    th_resp_free(&r);
    char action[100];
    snprintf(action, sizeof action, "/kurir/%s", r1);
    memset(&r, 0, sizeof r);
    th_submit(kurir, srv, "/kurir", action, "aksi=terkirim&penerima=&hubungan=suami", &r);
    assert_int_equal(r.status, 422);
    th_resp_free(&r);
    memset(&r, 0, sizeof r);
    th_submit(kurir, srv, "/kurir", action, "aksi=terkirim&penerima=Ahmad&hubungan=suami", &r);
    assert_int_equal(r.status, 303);
    th_resp_free(&r);
    assert_string_equal(status_of(r1_id), "diterima");
    /* the applicant heard of each of the five moves, through the outbox */
    assert_true(q_int("SELECT COUNT(*) FROM outbox", NULL) >= queued + 5);
    get(kurir, "/kurir", &r);
    assert_false(has(&r, "Jl. Kenanga"));
    th_resp_free(&r);
}

static void test_read_is_recorded(void **state)
{
    (void)state;
    int64_t before =
        q_int("SELECT COUNT(*) FROM data_access_log WHERE purpose = $1", "memproses permohonan");
    th_resp r;
    get(petugas, path_of(r1, NULL), &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "3273011505900001")); /* the full NIK, for the officer */
    th_resp_free(&r);
    int64_t after =
        q_int("SELECT COUNT(*) FROM data_access_log WHERE purpose = $1", "memproses permohonan");
    assert_true(after == before + 1);
    get(citizen, "/akun/riwayat-akses", &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "memproses permohonan"));
    assert_true(has(&r, "Petugas Disdukcapil (demo)"));
    th_resp_free(&r);
}

static void test_document(void **state)
{
    (void)state;
    char doc[120];
    snprintf(doc, sizeof doc, "/dokumen/%lld", (long long)doc_id);
    th_resp r;
    get(petugas, path_of(r1, doc), &r);
    assert_int_equal(r.status, 200);
    char v[200];
    assert_int_equal(th_header(&r, "Content-Type", v, sizeof v), 0);
    assert_string_equal(v, "image/png");
    assert_int_equal(th_header(&r, "Content-Disposition", v, sizeof v), 0);
    assert_true(strncmp(v, "inline", 6) == 0);
    assert_int_equal(th_header(&r, "Cache-Control", v, sizeof v), 0);
    assert_non_null(strstr(v, "no-store"));
    assert_true(r.body.n == 12 && memcmp(r.body.p, "\x89PNG", 4) == 0);
    th_resp_free(&r);
    /* the detail page links it */
    get(petugas, path_of(r1, NULL), &r);
    assert_true(has(&r, doc));
    th_resp_free(&r);
}

/* 2026-10-05 is a Monday; Babakan Ciparay opens 08:00 WIB (01:00Z) */
#define MON_0900 ((int64_t)1791165600) /* 2026-10-05T02:00:00Z */

static void move(int64_t id, int64_t at, const char *to)
{
    db_conn *c = db_acquire(T.app.db);
    req_move m = {.to = to, .role = WF_PETUGAS, .actor_id = petugas_id};
    enum wf_err why;
    assert_int_equal(req_transition(c, at, id, &m, &why), DB_OK);
    db_release(c);
}

static void test_sla_numbers(void **state)
{
    (void)state;
    /* three finished after 30, 60 and 120 working minutes, one still open and late */
    const int64_t mins[] = {30, 60, 120};
    const char *niks[] = {"3273031505900002", "3273031505900003", "3273031505900004",
                          "3273031505900005"};
    for (int i = 0; i < 4; i++) {
        char code[TRK_LEN + 1];
        int64_t id;
        assert_int_equal(mkreq("32.73.03", 0, petugas_id, "pickup", niks[i], MON_0900, code, &id),
                         0);
        if (i == 3) {
            move(id, MON_0900 + 60, "diverifikasi");
            continue;
        }
        move(id, MON_0900 + 60, "diverifikasi");
        move(id, MON_0900 + 120, "diproses");
        move(id, MON_0900 + mins[i] * 60, "selesai");
    }
    th_resp r;
    get(kepala, "/petugas/kinerja?dari=2026-10-01&sampai=2026-10-31", &r);
    assert_int_equal(r.status, 200);
    const char *row = r.body.p ? strstr(r.body.p, "data-unit=\"32.73.03\"") : NULL;
    assert_non_null(row);
    const char *end = strstr(row, "</tr>");
    assert_non_null(end);
    char line[4096];
    snprintf(line, sizeof line, "%.*s", (int)(end - row), row);
    assert_non_null(strstr(line, ">3</td>"));                 /* finished */
    assert_non_null(strstr(line, "100%"));                    /* all on time */
    assert_non_null(strstr(line, "1 jam kerja"));             /* median 60 min */
    assert_non_null(strstr(line, "1,8 jam kerja"));           /* p90: 60 + 0.8 * 60 */
    assert_non_null(strstr(line, "layan-due--overdue\">1<")); /* overdue now */
    th_resp_free(&r);
    /* a period with nothing in it */
    get(kepala, "/petugas/kinerja?dari=2026-09-01&sampai=2026-09-30", &r);
    assert_int_equal(r.status, 200);
    th_resp_free(&r);
    get(kepala, "/petugas/kinerja?dari=2026-10-31&sampai=2026-10-01", &r);
    assert_int_equal(r.status, 200);
    assert_true(has(&r, "govuk-error-summary"));
    th_resp_free(&r);
}

static void test_assisted_and_visit(void **state)
{
    (void)state;
    th_resp r;
    assert_int_equal(post(petugas2, "/petugas/ajukan",
                          "layanan=ktp-ganti&titik=32.73.01&nik=123&nama=&pengambilan=pickup", &r),
                     422);
    assert_true(has(&r, "16 angka"));
    th_resp_free(&r);
    assert_int_equal(post(petugas2, "/petugas/ajukan",
                          "layanan=ktp-ganti&titik=32.73.01&nik=3273015508800006&nama=Ibu+Sri"
                          "&pengambilan=pickup",
                          &r),
                     303);
    char loc[200] = "";
    th_header(&r, "Location", loc, sizeof loc);
    th_resp_free(&r);
    assert_true(strncmp(loc, "/petugas/", 9) == 0);
    int64_t n = q_int("SELECT COUNT(*) FROM requests WHERE channel = $1", "assisted");
    assert_true(n >= 1);
    /* a home visit scheduled from the detail page, then done */
    char path[200];
    snprintf(path, sizeof path, "%.*s", (int)(strcspn(loc, "?")), loc);
    assert_int_equal(
        post(petugas2, path, "aksi=kunjungan&tanggal=2026-12-01&jam=10:00&tim=Tim+A", &r), 303);
    th_resp_free(&r);
    get(petugas2, "/petugas?tab=kunjungan", &r);
    assert_true(has(&r, "Tim A"));
    th_resp_free(&r);
    int64_t vid = q_int("SELECT MAX(id) FROM home_visits WHERE team = $1", "Tim A");
    char f[100];
    snprintf(f, sizeof f, "aksi=kunjungan_selesai&kunjungan=%lld", (long long)vid);
    assert_int_equal(post(petugas2, path, f, &r), 303);
    th_resp_free(&r);
    assert_true(q_int("SELECT COUNT(*) FROM home_visits WHERE team = $1 AND visited_at IS NOT NULL",
                      "Tim A") == 1);
}

static size_t discard(char *p, size_t sz, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return sz * n;
}

/* a multipart POST of the courier's form with a "foto" file; returns the status */
static long post_photo(const char *code, const void *file, size_t n)
{
    th_resp r;
    get(kurir, "/kurir", &r);
    char token[200] = "";
    th_input_value(&r, "_csrf", token, sizeof token);
    th_resp_free(&r);
    char url[600];
    snprintf(url, sizeof url, "%s/kurir/%s", th_url(srv, ""), code);
    curl_mime *m = curl_mime_init(kurir);
    curl_mimepart *p = curl_mime_addpart(m);
    curl_mime_name(p, "_csrf");
    curl_mime_data(p, token, CURL_ZERO_TERMINATED);
    const char *kv[][2] = {{"aksi", "terkirim"}, {"penerima", "Ahmad"}, {"hubungan", "suami"}};
    for (size_t i = 0; i < 3; i++) {
        p = curl_mime_addpart(m);
        curl_mime_name(p, kv[i][0]);
        curl_mime_data(p, kv[i][1], CURL_ZERO_TERMINATED);
    }
    p = curl_mime_addpart(m);
    curl_mime_name(p, "foto");
    curl_mime_filename(p, "foto.jpg");
    curl_mime_type(p, "image/jpeg"); /* what the browser says: never trusted */
    curl_mime_data(p, file, n);
    curl_easy_setopt(kurir, CURLOPT_URL, url);
    curl_easy_setopt(kurir, CURLOPT_MIMEPOST, m);
    curl_easy_setopt(kurir, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(kurir, CURLOPT_HEADERFUNCTION, discard);
    long status = -1;
    if (curl_easy_perform(kurir) == CURLE_OK)
        curl_easy_getinfo(kurir, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(kurir, CURLOPT_MIMEPOST, NULL);
    curl_easy_setopt(kurir, CURLOPT_HTTPGET, 1L);
    curl_mime_free(m);
    return status;
}

/* a request taken straight to "dikirim" with the demo courier */
static int64_t out_for_delivery(const char *nik, char code[TRK_LEN + 1])
{
    int64_t id;
    if (mkreq("32.73.01", 0, petugas_id, "delivery", nik, app_now(), code, &id)) return -1;
    const char *steps[] = {"diverifikasi", "diproses", "selesai"};
    db_conn *c = db_acquire(T.app.db);
    enum wf_err why;
    int r = DB_OK;
    for (size_t i = 0; r == DB_OK && i < 3; i++) {
        req_move m = {.to = steps[i], .role = WF_PETUGAS, .actor_id = petugas_id};
        r = req_transition(c, app_now(), id, &m, &why);
    }
    if (r == DB_OK)
        r = req_delivery_assign(c, app_now(), id, kurir_id, WF_PETUGAS, petugas_id, &why);
    db_release(c);
    return r == DB_OK ? id : -1;
}

static void test_courier_failures_and_photo(void **state)
{
    (void)state;
    char code[TRK_LEN + 1], action[100];
    int64_t id = out_for_delivery("3273014107850004", code);
    assert_true(id > 0);
    snprintf(action, sizeof action, "/kurir/%s", code);
    th_resp r;
    memset(&r, 0, sizeof r);
    th_submit(kurir, srv, "/kurir", action, "aksi=gagal&alasan=", &r);
    assert_int_equal(r.status, 422);
    th_resp_free(&r);
    for (int i = 0; i < REQ_DELIVERY_ATTEMPTS; i++) {
        memset(&r, 0, sizeof r);
        th_submit(kurir, srv, "/kurir", action, "aksi=gagal&alasan=Rumah+kosong", &r);
        assert_int_equal(r.status, 303);
        char loc[100] = "";
        th_header(&r, "Location", loc, sizeof loc);
        assert_string_equal(loc, i + 1 < REQ_DELIVERY_ATTEMPTS ? "/kurir?berhasil=gagal"
                                                               : "/kurir?berhasil=kembali");
        th_resp_free(&r);
    }
    assert_string_equal(status_of(id), "selesai");
    /* a photo: a PDF is refused whatever the browser calls it, a PNG is kept */
    id = out_for_delivery("3273014107850005", code);
    assert_true(id > 0);
    assert_int_equal(post_photo(code, "%PDF-1.4 nothing", 16), 422);
    assert_string_equal(status_of(id), "dikirim");
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
    assert_int_equal(post_photo(code, png, sizeof png), 303);
    assert_string_equal(status_of(id), "diterima");
    char sql[120];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM deliveries WHERE request_id = %lld AND "
             "photo_ref LIKE 'dokumen/%%'",
             (long long)id);
    assert_int_equal(q_int(sql, NULL), 1);
    /* stored by its hash in the configured directory, none beside the key */
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, png, sizeof png);
    char hex[65], dir[1100], path[1200];
    cr_hex(h, sizeof h, hex);
    docs_dir(T.app.cfg, dir, sizeof dir);
    assert_non_null(strstr(dir, "/arsip/dokumen"));
    snprintf(path, sizeof path, "%s/%s", dir, hex);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal((int)sb.st_size, (int)sizeof png);
    snprintf(path, sizeof path, "%s/dokumen", T.dir);
    assert_int_not_equal(stat(path, &sb), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_who_may_enter),
        cmocka_unit_test(test_claim),
        cmocka_unit_test(test_correction_needs_reason),
        cmocka_unit_test(test_full_flow),
        cmocka_unit_test(test_read_is_recorded),
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_sla_numbers),
        cmocka_unit_test(test_assisted_and_visit),
        cmocka_unit_test(test_courier_failures_and_photo),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* The requests store on a database made by `layan init` (Kota Bandung), on SQLite and
 * PostgreSQL: idempotent filing, a full run of the default workflow, refused transitions, the
 * SLA clock paused and resumed, the public tracking view (masked NIK only), two officers
 * claiming at once, the worklist order, per-point statistics and the signed QR payload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/sla.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/audit/audit.h"
#include "features/requests/requests.h"
#include "features/requests/survey.h"
#include "features/skm/skm.h"
#include "features/services/services.h"
#include "features/units/units.h"
#include "storefix.h"
#include "testdb.h"

static char tmp[] = "/tmp/layan-req-XXXXXX";
static db *d;
static db_conn *c;
static arena *a;
static cr_keys k;
static int64_t kia, disduk, kec, pemda, citizen_id, petugas_id, petugas2_id, kurir_id;
static cal_calendar cal; /* KIA at Disdukcapil */

/* an account made a month before */
static int64_t user(const char *nik, const char *username, bool citizen)
{
    return storefix_user(c, &k, storefix_monday_0900() - 86400 * 30, nik, username, citizen);
}

static int setup(void **state)
{
    (void)state;
    if (storefix_open(tmp, "req", &d, &c, &a, &k)) return -1;
    service s;
    if (svc_get(c, a, str_c("kia"), &s) != DB_OK) return -1;
    kia = s.id;
    disduk = units_id(c, "disdukcapil");
    kec = units_id(c, "32.73.01");
    pemda = units_id(c, NULL);
    citizen_id = user("3273010101900001", NULL, true);
    petugas_id = user(NULL, "petugas.uji", false);
    petugas2_id = user(NULL, "petugas.dua", false);
    kurir_id = user(NULL, "kurir.uji", false);
    if (!kia || !disduk || !kec || !pemda) return -1;
    return req_point_calendar(c, a, kia, disduk, storefix_monday_0900(), &cal) == DB_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return storefix_close(tmp, d, c, a);
}

static req_new online(const char *key)
{
    return storefix_kia_online(kia, disduk, citizen_id, key);
}

static int64_t count(const char *sql)
{
    return storefix_int(c, sql);
}

static enum wf_err move(int64_t id, int64_t now, const char *to, unsigned role, int64_t actor,
                        const char *note, int want)
{
    enum wf_err why = WF_OK;
    req_move m = {.to = to, .role = role, .actor_id = actor, .note = note};
    assert_int_equal(req_transition(c, now, id, &m, &why), want);
    return why;
}

static void test_idempotent_filing(void **state)
{
    (void)state;
    int64_t now = storefix_monday_0900();
    int64_t before = count("SELECT COUNT(*) FROM requests");
    req_new n = online("submit-0001-abcdef");
    req_created first, again;
    assert_int_equal(req_create(c, &k, now, &n, &first), DB_OK);
    assert_false(first.existed);
    assert_true(trk_valid(first.code));
    assert_int_equal(first.version, 1);
    /* KIA: 1 working day at Disdukcapil, Monday 09:00 -> Tuesday at closing */
    sla_limit lim;
    assert_true(sla_limit_from(1, "days", &lim));
    assert_int_equal(first.due, sla_due(&cal, lim, now, NULL, 0));
    /* the retried submit (a flaky connection) returns the first request */
    assert_int_equal(req_create(c, &k, now + 5, &n, &again), DB_OK);
    assert_true(again.existed);
    assert_int_equal(again.id, first.id);
    assert_string_equal(again.code, first.code);
    assert_int_equal(again.due, first.due);
    assert_int_equal(count("SELECT COUNT(*) FROM requests"), before + 1);
    assert_int_equal(count("SELECT COUNT(*) FROM request_events"), before + 1);
    /* another key: another request; the warning counts both */
    n.idempotency_key = "submit-0002-abcdef";
    req_created second;
    assert_int_equal(req_create(c, &k, now, &n, &second), DB_OK);
    assert_int_not_equal(second.id, first.id);
    int open = 0;
    assert_int_equal(req_open_count(c, &k, "3273010101900001", kia, &open), DB_OK);
    assert_true(open >= 2);
    /* the same key from an officer (assisted channel) is a different scope */
    req_new as = online("submit-0001-abcdef");
    as.applicant_id = 0;
    as.filed_by = petugas_id;
    as.channel = "assisted";
    req_created assisted;
    assert_int_equal(req_create(c, &k, now, &as, &assisted), DB_OK);
    assert_false(assisted.existed);
    /* inside the caller's transaction too */
    assert_int_equal(db_begin(c), DB_OK);
    n.idempotency_key = "submit-0001-abcdef";
    assert_int_equal(req_create(c, &k, now, &n, &again), DB_OK);
    assert_true(again.existed);
    assert_int_equal(db_commit(c), DB_OK);
    /* refused input */
    req_new bad = online(NULL);
    bad.nik = "12345";
    assert_int_equal(req_create(c, &k, now, &bad, &again), REQ_INVALID);
    bad = online(NULL);
    bad.delivery = "delivery"; /* no address */
    assert_int_equal(req_create(c, &k, now, &bad, &again), REQ_INVALID);
    bad = online("short");
    assert_int_equal(req_create(c, &k, now, &bad, &again), REQ_INVALID);
    bad = online(NULL);
    bad.channel = "fax";
    assert_int_equal(req_create(c, &k, now, &bad, &again), REQ_INVALID);
    /* the pemda office does not offer KIA */
    bad = online(NULL);
    bad.unit_id = pemda;
    assert_int_equal(req_create(c, &k, now, &bad, &again), REQ_NOT_OFFERED);
    /* before any standard was in force (2025) */
    bad = online(NULL);
    assert_int_equal(
        req_create(c, &k, (int64_t)cal_days_from_civil(2025, 6, 2) * 86400, &bad, &again),
        REQ_NOT_OFFERED);
}

static void test_full_default_workflow(void **state)
{
    (void)state;
    int64_t now = storefix_monday_0900();
    req_new n = online(NULL);
    n.delivery = "delivery";
    n.address = "Jl. Braga No. 1, Bandung";
    req_created r;
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    assert_int_equal(req_claim(c, now + 60, r.id, petugas_id), DB_OK);
    move(r.id, now + 600, "diverifikasi", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(r.id, now + 1200, "diproses", WF_PETUGAS, petugas_id, "cetak hari ini", DB_OK);
    move(r.id, now + 3600, "selesai", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(r.id, now + 4000, "dikirim", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(r.id, now + 9000, "diterima", WF_KURIR, kurir_id, NULL, DB_OK);
    req_view v;
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_string_equal(v.status, "diterima");
    assert_int_equal(v.nevents, 6);
    assert_null(v.events[0].from);
    assert_string_equal(v.events[0].to, "diajukan");
    assert_string_equal(v.events[0].role, "citizen");
    assert_string_equal(v.events[2].note, "cetak hari ini");
    assert_string_equal(v.events[5].role, "kurir");
    assert_int_equal(v.events[5].actor_id, kurir_id);
    assert_int_equal(v.claimed_by, petugas_id);
    /* finished when "selesai" was first reached, on time */
    assert_true(v.finished);
    assert_true(v.on_time);
    assert_false(v.cancelled);
    assert_int_equal(app_parse_iso(str_c(v.finished_at)), now + 3600);
    /* each move is in the audit log, and the chain holds */
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'request.transition' "
                           "AND detail = 'dikirim->diterima'"),
                     1);
    int64_t checked, legacy, bad;
    char why[200];
    assert_int_equal(audit_verify(d, &checked, &legacy, &bad, why, sizeof why), 0);
    /* nothing after a terminal state */
    assert_int_equal(move(r.id, now + 9999, "selesai", WF_KURIR, kurir_id, "x", REQ_REFUSED),
                     WF_E_TERMINAL);
    req_private_data p;
    assert_int_equal(req_private(c, &k, a, r.id, &p), DB_OK);
    assert_string_equal(p.nik, "3273010101900001");
    assert_string_equal(p.kk, "3273012301200002");
    assert_string_equal(p.address, "Jl. Braga No. 1, Bandung");
    assert_string_equal(p.form_json, "{\"tanggal_lahir_anak\":\"2022-05-01\"}");
    /* a rejection ends it too (counted, judged on time); a cancellation is not counted */
    req_created r2, r3;
    assert_int_equal(req_create(c, &k, now, &n, &r2), DB_OK);
    move(r2.id, now + 60, "ditolak", WF_PETUGAS, petugas_id, "Akta kelahiran tidak terbaca", DB_OK);
    assert_int_equal(req_create(c, &k, now, &n, &r3), DB_OK);
    move(r3.id, now + 60, "dibatalkan", WF_CITIZEN, citizen_id, NULL, DB_OK);
    assert_int_equal(req_get(c, a, r3.id, &v), DB_OK);
    assert_true(v.finished && v.cancelled);
}

static void test_refused_transitions(void **state)
{
    (void)state;
    int64_t now = storefix_monday_0900();
    req_new n = online(NULL);
    req_created r;
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    assert_int_equal(move(r.id, now, "selesai", WF_PETUGAS, petugas_id, NULL, REQ_REFUSED),
                     WF_E_TRANSITION);
    assert_int_equal(move(r.id, now, "diverifikasi", WF_CITIZEN, citizen_id, NULL, REQ_REFUSED),
                     WF_E_ROLE);
    assert_int_equal(move(r.id, now, "ditolak", WF_PETUGAS, petugas_id, "", REQ_REFUSED),
                     WF_E_REASON);
    assert_int_equal(move(r.id, now, "terbang", WF_PETUGAS, petugas_id, NULL, REQ_REFUSED),
                     WF_E_STATE);
    /* nothing changed, no event written */
    req_view v;
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_string_equal(v.status, "diajukan");
    assert_int_equal(v.nevents, 1);
    /* the officer saw an older status: refused, reload */
    enum wf_err why;
    req_move m = {.to = "diproses",
                  .role = WF_PETUGAS,
                  .actor_id = petugas_id,
                  .expect_from = "diverifikasi"};
    assert_int_equal(req_transition(c, now, r.id, &m, &why), REQ_CONFLICT);
    assert_int_equal(req_transition(c, now, 987654321, &m, &why), DB_DONE);
    /* the citizen cannot cancel once processing started */
    move(r.id, now + 60, "diverifikasi", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(r.id, now + 120, "diproses", WF_PETUGAS, petugas_id, NULL, DB_OK);
    assert_int_equal(move(r.id, now + 180, "dibatalkan", WF_CITIZEN, citizen_id, NULL, REQ_REFUSED),
                     WF_E_TRANSITION);
}

static void test_pause_moves_deadline(void **state)
{
    (void)state;
    int64_t now = storefix_monday_0900();
    req_new n = online(NULL);
    req_created r;
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    int64_t due0 = r.due;
    /* correction needed at 11:00; the citizen uploads on Wednesday at 10:00 */
    int64_t p = now + 2 * 3600, q = now + 2 * 86400 + 3600;
    move(r.id, p, "perlu_perbaikan", WF_PETUGAS, petugas_id, "Foto buram, unggah ulang", DB_OK);
    req_view v;
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_non_null(v.paused_since);
    assert_int_equal(app_parse_iso(str_c(v.paused_since)), p);
    assert_int_equal(app_parse_iso(str_c(v.due_at)), due0);
    /* the worklist shows it as waiting for the citizen */
    req_summary *ws;
    size_t nw;
    req_worklist_filter f = {.unit_id = disduk, .now = q};
    assert_int_equal(req_worklist(c, a, &f, &ws, &nw), DB_OK);
    bool found = false;
    for (size_t i = 0; i < nw; i++)
        if (ws[i].id == r.id) found = ws[i].bucket == REQ_WAITING;
    assert_true(found);
    move(r.id, q, "dilengkapi", WF_CITIZEN, citizen_id, NULL, DB_OK);
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_null(v.paused_since);
    int64_t due1 = app_parse_iso(str_c(v.due_at));
    assert_true(due1 > due0);
    assert_int_equal(due1, sla_extend(&cal, due0, p, q));
    sla_limit lim;
    assert_true(sla_limit_from(1, "days", &lim));
    cal_interval pause = {p, q};
    assert_int_equal(due1, sla_due(&cal, lim, now, &pause, 1));
    assert_int_equal(v.paused_minutes, cal_working_minutes_between(&cal, p, q, NULL, 0));
    assert_true(v.paused_minutes > 0);
    /* the reason is in the history for the applicant */
    assert_string_equal(v.events[1].note, "Foto buram, unggah ulang");
}

static void test_tracking_view(void **state)
{
    (void)state;
    int64_t now = storefix_monday_0900();
    req_new n = online(NULL);
    req_created r;
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    move(r.id, now + 60, "perlu_perbaikan", WF_PETUGAS, petugas_id, "NIK ibu tidak sesuai KK",
         DB_OK);
    /* as a citizen types it: lower case, dashes */
    char shown[TRK_SHOWN + 1], typed[TRK_SHOWN + 1];
    trk_format(r.code, shown);
    for (int i = 0; i <= TRK_SHOWN; i++)
        typed[i] = shown[i] >= 'A' && shown[i] <= 'Z' ? (char)(shown[i] - 'A' + 'a') : shown[i];
    req_view v;
    assert_int_equal(req_by_code(c, a, typed, &v), DB_OK);
    assert_int_equal(v.id, r.id);
    assert_string_equal(v.nik_masked, "3273********0001");
    assert_null(v.kk_masked);
    assert_string_equal(v.service_code, "kia");
    assert_string_equal(v.unit_code, "disdukcapil");
    assert_non_null(v.due_at);
    assert_int_equal(v.nevents, 2);
    for (size_t i = 0; i < v.nevents; i++) {
        assert_null(v.events[i].note);
        assert_int_equal(v.events[i].actor_id, 0);
        assert_non_null(v.events[i].at);
    }
    assert_int_equal(v.applicant_id, 0);
    assert_null(v.claimed_by_name);
    /* a mistyped code (one symbol changed) is not found */
    char wrong[TRK_LEN + 1];
    memcpy(wrong, r.code, sizeof wrong);
    wrong[2] = wrong[2] == '2' ? '3' : '2';
    assert_int_equal(req_by_code(c, a, wrong, &v), DB_DONE);
    assert_int_equal(req_by_code(c, a, "", &v), DB_DONE);
    /* the NIK is stored only sealed and hashed */
    assert_int_equal(count("SELECT COUNT(*) FROM requests WHERE nik_masked = '3273010101900001'"),
                     0);
    /* a citizen's list */
    req_summary *mine;
    size_t nm;
    assert_int_equal(req_list_mine(c, a, citizen_id, 100, 0, &mine, &nm), DB_OK);
    assert_true(nm >= 1);
    for (size_t i = 0; i < nm; i++)
        assert_string_equal(mine[i].nik_masked, "3273********0001");
}

typedef struct {
    int64_t id, staff;
    pthread_barrier_t *bar;
    int result;
} claim_arg;

static void *claim_thread(void *p)
{
    claim_arg *x = p;
    db_conn *cc = db_acquire(d);
    pthread_barrier_wait(x->bar);
    x->result = cc ? req_claim(cc, storefix_monday_0900(), x->id, x->staff) : DB_ERR;
    if (cc) db_release(cc);
    return NULL;
}

static void test_concurrent_claim(void **state)
{
    (void)state;
    for (int round = 0; round < 5; round++) {
        req_new n = online(NULL);
        req_created r;
        assert_int_equal(req_create(c, &k, storefix_monday_0900(), &n, &r), DB_OK);
        pthread_barrier_t bar;
        pthread_barrier_init(&bar, NULL, 2);
        claim_arg x[2] = {{r.id, petugas_id, &bar, -99}, {r.id, petugas2_id, &bar, -99}};
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&th[i], NULL, claim_thread, &x[i]), 0);
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&bar);
        int ok = (x[0].result == DB_OK) + (x[1].result == DB_OK);
        int lost = (x[0].result == REQ_CONFLICT) + (x[1].result == REQ_CONFLICT);
        assert_int_equal(ok, 1);
        assert_int_equal(lost, 1);
        int64_t winner = x[0].result == DB_OK ? petugas_id : petugas2_id;
        int64_t loser = winner == petugas_id ? petugas2_id : petugas_id;
        req_view v;
        assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
        assert_int_equal(v.claimed_by, winner);
        /* claiming again is fine for the holder; only the holder releases */
        assert_int_equal(req_claim(c, storefix_monday_0900(), r.id, winner), DB_OK);
        assert_int_equal(req_release(c, r.id, loser), REQ_CONFLICT);
        assert_int_equal(req_release(c, r.id, winner), DB_OK);
        assert_int_equal(req_claim(c, storefix_monday_0900(), r.id, loser), DB_OK);
    }
    assert_int_equal(req_claim(c, storefix_monday_0900(), 987654321, petugas_id), DB_DONE);
}

static void test_worklist_and_stats(void **state)
{
    (void)state;
    /* at a kecamatan: one filed last week (overdue), one this morning (due tomorrow), one
     * last Friday finished late (Tuesday), one this morning finished on time */
    int64_t now = storefix_monday_0900();
    int64_t times[4] = {now - 7 * 86400, now, now - 3 * 86400, now - 3600};
    int64_t ids[4];
    for (int i = 0; i < 4; i++) {
        req_new n = online(NULL);
        n.unit_id = kec;
        req_created r;
        assert_int_equal(req_create(c, &k, times[i], &n, &r), DB_OK);
        ids[i] = r.id;
    }
    move(ids[2], now - 3 * 86400 + 60, "diverifikasi", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(ids[2], now - 3 * 86400 + 120, "diproses", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(ids[2], now + 86400, "selesai", WF_PETUGAS, petugas_id, NULL, DB_OK); /* late */
    move(ids[3], now, "diverifikasi", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(ids[3], now + 60, "diproses", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(ids[3], now + 1800, "selesai", WF_PETUGAS, petugas_id, NULL, DB_OK);
    assert_int_equal(req_claim(c, now, ids[1], petugas_id), DB_OK);

    req_summary *ws;
    size_t nw;
    req_worklist_filter f = {.unit_id = kec, .now = now + 7200};
    assert_int_equal(req_worklist(c, a, &f, &ws, &nw), DB_OK);
    assert_int_equal(nw, 4);
    assert_int_equal(ws[0].id, ids[0]);
    assert_int_equal(ws[0].bucket, REQ_OVERDUE);
    assert_int_equal(ws[1].id, ids[1]);
    assert_int_equal(ws[1].bucket, REQ_DUE_LATER);
    assert_string_equal(ws[1].claimed_by_name, "Petugas Uji");
    /* finished (selesai, waiting for the hand-over) come last */
    assert_int_equal(ws[2].bucket, REQ_NO_DEADLINE);
    /* the pemda sees the kecamatan's requests too; Disdukcapil does not */
    f.unit_id = pemda;
    assert_int_equal(req_worklist(c, a, &f, &ws, &nw), DB_OK);
    size_t at_pemda = nw;
    assert_true(at_pemda >= 4);
    f.unit_id = kec;
    f.claimed_by = -1;
    assert_int_equal(req_worklist(c, a, &f, &ws, &nw), DB_OK);
    assert_int_equal(nw, 3);
    f.claimed_by = petugas_id;
    assert_int_equal(req_worklist(c, a, &f, &ws, &nw), DB_OK);
    assert_int_equal(nw, 1);
    f.claimed_by = 0;
    f.status = "selesai";
    assert_int_equal(req_worklist(c, a, &f, &ws, &nw), DB_OK);
    assert_int_equal(nw, 2);
    /* due today: the one filed this morning, seen before closing on Tuesday */
    f.status = NULL;
    f.now = now + 86400 + 3600;
    assert_int_equal(req_worklist(c, a, &f, &ws, &nw), DB_OK);
    assert_int_equal(ws[1].id, ids[1]);
    assert_int_equal(ws[1].bucket, REQ_DUE_TODAY);

    req_stats *st;
    size_t ns;
    assert_int_equal(req_stats_units(c, a, pemda, "2026-11-01", "2026-12-01", now + 7200, &st, &ns),
                     DB_OK);
    const req_stats *ks = NULL;
    for (size_t i = 0; i < ns; i++)
        if (st[i].unit_id == kec) ks = &st[i];
    assert_non_null(ks);
    assert_int_equal(ks->finished, 2);
    assert_int_equal(ks->on_time, 1);
    assert_true(ks->share_on_time == 0.5);
    assert_int_equal(ks->open, 2);
    assert_int_equal(ks->overdue_now, 1);
    /* durations: 90 minutes (this morning) and Fri 09:00 -> Tue 09:00 (working time) */
    int64_t d1 = cal_working_minutes_between(&cal, now - 3600, now + 1800, NULL, 0);
    int64_t d2 = cal_working_minutes_between(&cal, now - 3 * 86400, now + 86400, NULL, 0);
    assert_true(ks->median_min > (double)d1 && ks->median_min < (double)d2);
    assert_true(ks->p90_min > ks->median_min && ks->p90_min <= (double)d2);
    /* outside the period: none finished */
    assert_int_equal(req_stats_units(c, a, kec, "2026-10-01", "2026-11-01", now, &st, &ns), DB_OK);
    assert_int_equal(ns, 1);
    assert_int_equal(st[0].finished, 0);
}

static void test_workflow_per_service(void **state)
{
    (void)state;
    enum wf_err why;
    assert_int_equal(req_workflow_set(c, kia, "{\"initial\":\"a\"}", 0, &why), REQ_INVALID);
    assert_int_equal(why, WF_E_JSON);
    static char js[16384];
    assert_true(wf_to_json(wf_default(), js, sizeof js));
    assert_int_equal(req_workflow_set(c, kia, js, storefix_monday_0900(), &why), DB_OK);
    static wf_def w;
    assert_int_equal(req_workflow(c, kia, &w), DB_OK);
    assert_memory_equal(&w, wf_default(), sizeof w);
    assert_int_equal(req_workflow_set(c, kia, NULL, 0, &why), DB_OK);
    assert_int_equal(count("SELECT COUNT(*) FROM service_workflows"), 0);
}

/* the catalogue rows a filing reads are cached on the node (requests/catalog.c); a write
 * through the store is seen by the very next filing, not after the cache's 10 s */
static void test_catalogue_writes_seen_at_once(void **state)
{
    (void)state;
    int64_t now = storefix_monday_0900();
    req_new n = online(NULL);
    req_created r;
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK); /* fills the cache */
    /* the point is turned off: refused at once; on again: filed */
    assert_int_equal(svc_point_set_active(c, kia, "disdukcapil", false), DB_OK);
    assert_int_equal(req_create(c, &k, now, &n, &r), REQ_NOT_OFFERED);
    assert_int_equal(svc_point_set_active(c, kia, "disdukcapil", true), DB_OK);
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    /* a workflow whose first state is "baru_masuk" (the default with diajukan renamed): the
     * next request starts there */
    static char js[16384], js2[16384];
    assert_true(wf_to_json(wf_default(), js, sizeof js));
    size_t o = 0;
    for (const char *q = js; *q && o < sizeof js2 - 16;) {
        if (strncmp(q, "\"diajukan\"", 10) == 0) {
            o += (size_t)snprintf(js2 + o, sizeof js2 - o, "\"baru_masuk\"");
            q += 10;
        } else {
            js2[o++] = *q++;
        }
    }
    js2[o] = 0;
    assert_non_null(strstr(js2, "\"initial\":\"baru_masuk\""));
    enum wf_err why;
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(req_workflow_set(c, kia, js2, now, &why), DB_OK);
    assert_int_equal(db_commit(c), DB_OK);
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    req_view v;
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_string_equal(v.status, "baru_masuk");
    /* back to the default: "diajukan" again */
    assert_int_equal(req_workflow_set(c, kia, NULL, now, &why), DB_OK);
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_string_equal(v.status, "diajukan");
}

static void test_signed_qr(void **state)
{
    (void)state;
    char code[TRK_LEN + 1], qr[REQ_QR_CHARS + 1];
    unsigned char rnd[TRK_RANDOM_BYTES];
    cr_random_bytes(rnd, sizeof rnd);
    assert_true(trk_generate(rnd, sizeof rnd, code));
    cal_date day = {2026, 11, 23};
    assert_int_equal(req_qr_sign(&k, code, REQ_DOC_RECEIPT, day, qr), 0);
    assert_int_equal(strlen(qr), REQ_QR_CHARS);
    for (size_t i = 0; i < REQ_QR_CHARS; i++) /* the QR alphanumeric set */
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", qr[i]));
    req_qr out;
    assert_int_equal(req_qr_verify(&k, qr, strlen(qr), &out), 0);
    assert_string_equal(out.code, code);
    assert_int_equal(out.kind, REQ_DOC_RECEIPT);
    assert_int_equal(out.issued.y * 10000 + out.issued.m * 100 + out.issued.d, 20261123);
    assert_int_equal(out.gen, REQ_SIGN_GEN);
    /* every flipped bit of the payload is caught (malformed or a bad signature) */
    static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (size_t i = 0; i < REQ_QR_CHARS; i++)
        for (int bit = 0; bit < 5; bit++) {
            char m[REQ_QR_CHARS + 1];
            memcpy(m, qr, sizeof m);
            m[i] = b32[(strchr(b32, m[i]) - b32) ^ (1 << bit)];
            assert_true(req_qr_verify(&k, m, strlen(m), &out) < 0);
        }
    /* another installation's key does not verify it */
    cr_keys other;
    unsigned char seed[32];
    cr_random_bytes(seed, sizeof seed);
    cr_keys_from_seed(seed, &other);
    assert_int_equal(req_qr_verify(&other, qr, strlen(qr), &out), -2);
    /* truncated, empty, a bad code, a bad date */
    assert_int_equal(req_qr_verify(&k, qr, REQ_QR_CHARS - 1, &out), -1);
    assert_int_equal(req_qr_verify(&k, "", 0, &out), -1);
    assert_int_equal(req_qr_sign(&k, "2222222223", REQ_DOC_RECEIPT, day, qr), -1);
    assert_int_equal(req_qr_sign(&k, code, REQ_DOC_RECEIPT, (cal_date){2026, 2, 30}, qr), -1);
    /* the raw Ed25519 layer: round trip, a flipped bit, another key, another generation */
    unsigned char pk[CR_SIGN_PUBLIC], pk2[CR_SIGN_PUBLIC], sig[CR_SIGN_BYTES];
    const char msg[] = "layan";
    assert_int_equal(cr_sign(&k, 1, msg, 5, sig), 0);
    cr_sign_public_key(&k, 1, pk);
    assert_true(cr_sign_verify(pk, msg, 5, sig));
    sig[10] ^= 4;
    assert_false(cr_sign_verify(pk, msg, 5, sig));
    sig[10] ^= 4;
    assert_false(cr_sign_verify(pk, "layam", 5, sig));
    cr_sign_public_key(&other, 1, pk2);
    assert_false(cr_sign_verify(pk2, msg, 5, sig));
    cr_sign_public_key(&k, 2, pk2);
    assert_memory_not_equal(pk, pk2, sizeof pk);
    assert_false(cr_sign_verify(pk2, msg, 5, sig));
    assert_int_equal(cr_sign(&k, 0, msg, 5, sig), -1);
    assert_int_equal(cr_sign(&k, 256, msg, 5, sig), -1);
    /* deterministic: the same installation key gives the same public key on every node */
    cr_sign_public_key(&k, 1, pk2);
    assert_memory_equal(pk, pk2, sizeof pk);
}

static void test_documents_delivery_visits_pin(void **state)
{
    (void)state;
    int64_t now = storefix_monday_0900();
    req_new n = online(NULL);
    n.delivery = "delivery";
    n.address = "Jl. Asia Afrika No. 8";
    req_created r;
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    /* documents: a replacement after "perlu perbaikan" keeps the old row, marked */
    const char *sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    req_doc_new doc = {"akta_kelahiran", "uploads/1/akta.pdf", "application/pdf", sha, 12345,
                       citizen_id};
    int64_t d1, d2, d3;
    assert_int_equal(req_doc_add(c, now, r.id, &doc, &d1), DB_OK);
    doc.doc_type = "kk";
    doc.storage_ref = "uploads/1/kk.jpg";
    doc.content_type = "image/jpeg";
    assert_int_equal(req_doc_add(c, now, r.id, &doc, &d2), DB_OK);
    doc.doc_type = "akta_kelahiran";
    doc.storage_ref = "uploads/1/akta-2.pdf";
    doc.content_type = "application/pdf";
    assert_int_equal(req_doc_add(c, now + 60, r.id, &doc, &d3), DB_OK);
    req_document *ds;
    size_t nd;
    assert_int_equal(req_docs(c, a, r.id, false, &ds, &nd), DB_OK);
    assert_int_equal(nd, 3);
    assert_int_equal(ds[0].id, d1);
    assert_int_equal(ds[0].replaced_by, d3);
    assert_int_equal(req_docs(c, a, r.id, true, &ds, &nd), DB_OK);
    assert_int_equal(nd, 2);
    assert_string_equal(ds[0].storage_ref, "uploads/1/akta-2.pdf");
    doc.content_type = "text/html"; /* the schema takes only what the content check allows */
    assert_int_equal(req_doc_add(c, now, r.id, &doc, &d3), DB_ECONSTRAINT);
    doc.sha256 = "abc";
    assert_int_equal(req_doc_add(c, now, r.id, &doc, &d3), REQ_INVALID);

    /* delivery: not before "selesai" */
    enum wf_err why;
    assert_int_equal(req_delivery_assign(c, now, r.id, kurir_id, WF_PETUGAS, petugas_id, &why),
                     REQ_REFUSED);
    assert_int_equal(why, WF_E_TRANSITION);
    move(r.id, now + 60, "diverifikasi", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(r.id, now + 120, "diproses", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(r.id, now + 180, "selesai", WF_PETUGAS, petugas_id, NULL, DB_OK);
    assert_int_equal(
        req_delivery_assign(c, now + 240, r.id, kurir_id, WF_PETUGAS, petugas_id, &why), DB_OK);
    req_delivery *dl;
    size_t ndl;
    assert_int_equal(req_deliveries_for(c, &k, a, kurir_id, &dl, &ndl), DB_OK);
    assert_int_equal(ndl, 1);
    assert_string_equal(dl[0].address, "Jl. Asia Afrika No. 8");
    assert_string_equal(dl[0].code, r.code);
    /* three failed attempts send it back to the service point */
    bool back = true;
    assert_int_equal(
        req_delivery_failed(c, now + 3600, r.id, kurir_id, "Rumah kosong", &back, &why), DB_OK);
    assert_false(back);
    assert_int_equal(req_delivery_failed(c, now + 7200, r.id, petugas_id, "x", &back, &why),
                     REQ_CONFLICT); /* not this courier's */
    assert_int_equal(
        req_delivery_failed(c, now + 86400, r.id, kurir_id, "Rumah kosong", &back, &why), DB_OK);
    assert_false(back);
    assert_int_equal(req_delivery_failed(c, now + 2 * 86400, r.id, kurir_id,
                                         "Alamat tidak ditemukan", &back, &why),
                     DB_OK);
    assert_true(back);
    req_view v;
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_string_equal(v.status, "selesai");
    assert_string_equal(v.events[v.nevents - 1].note, "Alamat tidak ditemukan");
    assert_int_equal(req_deliveries_for(c, &k, a, kurir_id, &dl, &ndl), DB_OK);
    assert_int_equal(ndl, 0);
    /* a second try succeeds */
    assert_int_equal(
        req_delivery_assign(c, now + 3 * 86400, r.id, kurir_id, WF_PETUGAS, petugas_id, &why),
        DB_OK);
    assert_int_equal(req_delivery_done(c, &k, now + 3 * 86400 + 3600, r.id, kurir_id, "Ibu Sari",
                                       "", NULL, &why),
                     REQ_INVALID);
    assert_int_equal(req_delivery_done(c, &k, now + 3 * 86400 + 3600, r.id, kurir_id, "Ibu Sari",
                                       "ibu", "photos/1.jpg", &why),
                     DB_OK);
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_string_equal(v.status, "diterima");
    assert_int_equal(count("SELECT COUNT(*) FROM deliveries WHERE status = 'delivered'"), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM deliveries WHERE status = 'returned'"), 1);

    /* home visits */
    int64_t vid;
    assert_int_equal(req_visit_schedule(c, now, r.id, now + 2 * 86400, "Tim Jemput Bola 1",
                                        "Lansia, kursi roda", petugas_id, &vid),
                     DB_OK);
    req_visit *vs;
    size_t nv;
    assert_int_equal(req_visits(c, a, pemda, now, now + 7 * 86400, &vs, &nv), DB_OK);
    assert_int_equal(nv, 1);
    assert_string_equal(vs[0].team, "Tim Jemput Bola 1");
    assert_null(vs[0].visited_at);
    assert_int_equal(req_visit_done(c, now + 2 * 86400, vid, "Perekaman selesai"), DB_OK);
    assert_int_equal(req_visit_done(c, now + 2 * 86400, vid, NULL), REQ_CONFLICT);
    assert_int_equal(req_visit_done(c, now, 987654321, NULL), DB_DONE);
    assert_int_equal(req_visits(c, a, kec, now, now + 7 * 86400, &vs, &nv), DB_OK);
    assert_int_equal(nv, 0);

    /* kiosk PIN: once */
    req_created kr;
    n.delivery = "kiosk";
    assert_int_equal(req_create(c, &k, now, &n, &kr), DB_OK);
    char pin[REQ_PIN_DIGITS + 1], wrong[REQ_PIN_DIGITS + 1];
    assert_int_equal(req_kiosk_pin_issue(c, &k, kr.id, pin), DB_OK);
    assert_int_equal(strlen(pin), REQ_PIN_DIGITS);
    memcpy(wrong, pin, sizeof wrong);
    wrong[0] = wrong[0] == '9' ? '0' : (char)(wrong[0] + 1);
    int64_t got;
    assert_int_equal(req_kiosk_pin_use(c, &k, now, kr.code, wrong, &got), REQ_REFUSED);
    assert_int_equal(req_kiosk_pin_use(c, &k, now, r.code, pin, &got), REQ_REFUSED);
    assert_int_equal(req_kiosk_pin_use(c, &k, now, kr.code, pin, &got), DB_OK);
    assert_int_equal(got, kr.id);
    assert_int_equal(req_kiosk_pin_use(c, &k, now, kr.code, pin, &got), REQ_CONFLICT);
    assert_int_equal(req_kiosk_pin_issue(c, &k, 987654321, pin), DB_DONE);
}

typedef struct {
    pthread_barrier_t *bar;
    int result;
    req_created out;
} submit_arg;

static void *submit_thread(void *p)
{
    submit_arg *x = p;
    db_conn *cc = db_acquire(d);
    req_new n = online("double-submit-key-1");
    pthread_barrier_wait(x->bar);
    x->result = cc ? req_create(cc, &k, storefix_monday_0900(), &n, &x->out) : DB_ERR;
    if (cc) db_release(cc);
    return NULL;
}

/* a double tap on "Kirim": four submits with one key at the same moment make one request */
static void test_concurrent_submits(void **state)
{
    (void)state;
    pthread_barrier_t bar;
    pthread_barrier_init(&bar, NULL, 4);
    submit_arg x[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        x[i] = (submit_arg){&bar, -99, {0}};
        assert_int_equal(pthread_create(&th[i], NULL, submit_thread, &x[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&bar);
    int fresh = 0;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(x[i].result, DB_OK);
        assert_int_equal(x[i].out.id, x[0].out.id);
        fresh += !x[i].out.existed;
    }
    assert_int_equal(fresh, 1);
    assert_int_equal(
        count("SELECT COUNT(*) FROM requests WHERE idempotency_key = 'double-submit-key-1'"), 1);
}

/* the deadline on the point's own calendar: its time zone and the holidays in the database */
static void test_point_calendar(void **state)
{
    (void)state;
    /* a kecamatan in WITA (as in Bali or Makassar): Christmas Eve (cuti bersama) at 15:00 WITA */
    int64_t wita = units_id(c, "32.73.02");
    assert_true(wita > 0);
    assert_int_equal(units_set_tz(c, "32.73.02", 480), DB_OK);
    int64_t t = (int64_t)cal_days_from_civil(2026, 12, 24) * 86400 + 7 * 3600; /* 15:00 WITA */
    req_new n = online(NULL);
    n.unit_id = wita;
    req_created r;
    assert_int_equal(req_create(c, &k, t, &n, &r), DB_OK);
    /* 24 and 25 December are off, then the weekend: day 0 is Monday 28, 1 day -> Tuesday 29 at
     * 16:00 WITA = 08:00 UTC */
    assert_int_equal(r.due, (int64_t)cal_days_from_civil(2026, 12, 29) * 86400 + 8 * 3600);
    cal_calendar wc;
    assert_int_equal(req_point_calendar(c, a, kia, wita, t, &wc), DB_OK);
    assert_int_equal(wc.offset_min, CAL_WITA);
    assert_false(cal_is_working_day(&wc, 2026, 12, 24));
    assert_false(cal_is_working_day(&wc, 2026, 12, 25));
    assert_true(cal_is_working_day(&wc, 2026, 12, 28));
    /* due today is judged in WITA: 07:30 UTC on the 29th is 15:30 there (still today) */
    req_summary *ws;
    size_t nw;
    req_worklist_filter f = {.unit_id = wita, .now = r.due - 1800};
    assert_int_equal(req_worklist(c, a, &f, &ws, &nw), DB_OK);
    assert_int_equal(nw, 1);
    assert_int_equal(ws[0].bucket, REQ_DUE_TODAY);
    f.now = r.due + 60;
    assert_int_equal(req_worklist(c, a, &f, &ws, &nw), DB_OK);
    assert_int_equal(ws[0].bucket, REQ_OVERDUE);
    /* the service's own hours at the point replace the unit's: 1 day now ends at 12:00. The
     * calendar above is cached on this node; the write drops it once it has committed */
    static const int wd[] = {1, 2, 3, 4, 5}, op[] = {480, 480, 480, 480, 480},
                     cl[] = {720, 720, 720, 720, 720};
    assert_int_equal(svc_point_set_hours(c, kia, "32.73.02", wd, op, cl, 5), DB_OK);
    assert_int_equal(req_create(c, &k, t, &n, &r), DB_OK);
    assert_int_equal(r.due, (int64_t)cal_days_from_civil(2026, 12, 29) * 86400 + 4 * 3600);
}

/* filings that arrive together share a commit (group commit): 24 threads file at once, some
 * with the same idempotency key, some at a unit that does not offer the service. Every valid
 * filing is stored once, the refused ones get their own answer and leave nothing behind, and
 * the same key gives the same request. */
struct filer {
    int i;
    int64_t now;
    int result;
    req_created out;
};

static void *file_one(void *p)
{
    struct filer *f = p;
    char key[32];
    snprintf(key, sizeof key, "group-%02d", f->i < 16 ? f->i : f->i % 4); /* 16..23 repeat 0..3 */
    req_new n = online(key);
    if (f->i < 16 && f->i % 5 == 4) n.unit_id = pemda; /* 4, 9, 14: not offered there */
    db_conn *own = db_acquire(d);
    f->result = own ? req_create(own, &k, f->now, &n, &f->out) : DB_ERR;
    if (own) db_release(own);
    return NULL;
}

static void test_group_commit(void **state)
{
    (void)state;
    int64_t before = count("SELECT COUNT(*) FROM requests");
    struct filer f[24];
    pthread_t t[24];
    for (int i = 0; i < 24; i++) {
        f[i] = (struct filer){.i = i, .now = storefix_monday_0900()};
        pthread_create(&t[i], NULL, file_one, &f[i]);
    }
    for (int i = 0; i < 24; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 24; i++) {
        if (i < 16 && i % 5 == 4) {
            assert_int_equal(f[i].result, REQ_NOT_OFFERED);
            continue;
        }
        assert_int_equal(f[i].result, DB_OK);
        /* 16..23 repeat the keys of 0..3: the same request, whichever was first */
        if (i >= 16) {
            assert_int_equal(f[i].out.id, f[i % 4].out.id);
            assert_string_equal(f[i].out.code, f[i % 4].out.code);
        }
    }
    /* keys 0..15 less the refused 4, 9 and 14 */
    assert_int_equal(count("SELECT COUNT(*) FROM requests"), before + 13);
    assert_int_equal(count("SELECT COUNT(*) FROM requests WHERE idempotency_key LIKE 'group-%'"),
                     13);
}

/* after a hand-over the citizen gets a one-time survey link, when the unit runs a survey */
static void test_survey_link_after_service(void **state)
{
    (void)state;
    int64_t now = storefix_monday_0900();
    req_new n = online(NULL);
    req_created r, rej;
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    assert_int_equal(req_create(c, &k, now, &n, &rej), DB_OK);
    move(r.id, now + 600, "diverifikasi", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(r.id, now + 1200, "diproses", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(r.id, now + 3600, "selesai", WF_PETUGAS, petugas_id, NULL, DB_OK);
    const char *url = NULL;
    /* not handed over yet */
    assert_int_equal(req_survey_link(c, a, "https://x.example/", r.id, &url), DB_DONE);
    move(r.id, now + 4000, "diambil", WF_PETUGAS, petugas_id, NULL, DB_OK);
    /* handed over, but Disdukcapil runs no survey period today: no link */
    assert_int_equal(req_survey_link(c, a, "https://x.example/", r.id, &url), DB_DONE);
    /* a period for this year (the link's period is the one containing today's date) */
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char year[16], err[200];
    snprintf(year, sizeof year, "%d", tm.tm_year + 1900);
    skm_period p;
    assert_int_equal(skm_seed_default(c, NULL), DB_OK);
    assert_int_equal(skm_period_create(c, a, disduk, year, 0, &p, err, sizeof err), DB_OK);
    int64_t links0 = count("SELECT COUNT(*) FROM skm_links");
    assert_int_equal(req_survey_link(c, a, "https://x.example/", r.id, &url), DB_OK);
    assert_non_null(url);
    assert_int_equal(strncmp(url, "https://x.example/survei/", 25), 0);
    assert_int_equal(strlen(url), 25 + SKM_LINK_TOKEN - 1);
    assert_int_equal(count("SELECT COUNT(*) FROM skm_links"), links0 + 1);
    /* the period is the one holding the service point's local date: at 01:00 WIB on 1 January
     * the link is for the new year's first quarter, though in UTC it is still 31 December */
    skm_period q1;
    assert_int_equal(skm_period_create(c, a, disduk, "2027-Q1", 0, &q1, err, sizeof err), DB_OK);
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM skm_links WHERE period_id = %lld",
             (long long)q1.id);
    setenv("LAYAN_NOW", "1798740000", 1); /* 2026-12-31T18:00:00Z */
    assert_int_equal(req_survey_link(c, a, "https://x.example/", r.id, &url), DB_OK);
    unsetenv("LAYAN_NOW");
    assert_int_equal(count(sql), 1);
    /* a rejected request gets none */
    move(rej.id, now + 60, "ditolak", WF_PETUGAS, petugas_id, "Dokumen tidak terbaca", DB_OK);
    assert_int_equal(req_survey_link(c, a, "https://x.example", rej.id, &url), DB_DONE);

    /* the survey's population N counts the services delivered through layan at the unit in the
     * period: delivered yes; rejected, cancelled and unfinished no */
    int64_t kec5 = units_id(c, "32.73.05");
    req_created d1, d2, d3, d4;
    n.unit_id = kec5;
    assert_int_equal(req_create(c, &k, now, &n, &d1), DB_OK);
    assert_int_equal(req_create(c, &k, now, &n, &d2), DB_OK);
    assert_int_equal(req_create(c, &k, now, &n, &d3), DB_OK);
    assert_int_equal(req_create(c, &k, now, &n, &d4), DB_OK);
    move(d1.id, now + 600, "diverifikasi", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(d1.id, now + 700, "diproses", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(d1.id, now + 800, "selesai", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(d1.id, now + 900, "diambil", WF_PETUGAS, petugas_id, NULL, DB_OK);
    move(d2.id, now + 600, "ditolak", WF_PETUGAS, petugas_id, "Bukan domisili", DB_OK);
    move(d3.id, now + 600, "dibatalkan", WF_CITIZEN, citizen_id, NULL, DB_OK);
    skm_period p5;
    assert_int_equal(skm_period_create(c, a, kec5, "2026-Q4", 0, &p5, err, sizeof err), DB_OK);
    assert_int_equal(skm_period_set_walkin(c, p5.id, 10), DB_OK);
    skm_result res;
    assert_int_equal(skm_result_compute(c, a, kec5, "2026-Q4", false, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_true(res.has_population);
    assert_int_equal(res.population, 11); /* 10 walk-in + 1 delivered */
    /* a quarter without any: the walk-in count alone */
    assert_int_equal(skm_period_create(c, a, kec5, "2026-Q3", 0, &p5, err, sizeof err), DB_OK);
    assert_int_equal(skm_result_compute(c, a, kec5, "2026-Q3", false, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_false(res.has_population);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idempotent_filing),
        cmocka_unit_test(test_full_default_workflow),
        cmocka_unit_test(test_survey_link_after_service),
        cmocka_unit_test(test_group_commit),
        cmocka_unit_test(test_refused_transitions),
        cmocka_unit_test(test_pause_moves_deadline),
        cmocka_unit_test(test_tracking_view),
        cmocka_unit_test(test_concurrent_claim),
        cmocka_unit_test(test_worklist_and_stats),
        cmocka_unit_test(test_workflow_per_service),
        cmocka_unit_test(test_catalogue_writes_seen_at_once),
        cmocka_unit_test(test_signed_qr),
        cmocka_unit_test(test_documents_delivery_visits_pin),
        cmocka_unit_test(test_concurrent_submits),
        cmocka_unit_test(test_point_calendar),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

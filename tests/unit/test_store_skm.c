/* The SKM store on a freshly migrated database (SQLite, and PostgreSQL as pg/...): the default
 * instrument seeded once, unit instrument versions and their validation, periods, responses
 * checked against the period's instrument, the index of a period (weights other than 1/9,
 * unanswered cells), per service, the roll-up over the unit tree (answers pooled), trends, and
 * the all-or-nothing CSV import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/skm/skm.h"
#include "features/units/units.h"
#include "storefix.h"
#include "testdb.h"

static char tmp[] = "/tmp/layan-skm-XXXXXX";
static db *d;
static db_conn *c;
static arena *a;
static int64_t pemda, dinas, kec1, kec2, kec3;

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(tmp)) return -1;
    char url[512], err[512];
    if (!testdb_new(tmp, "skm", url, sizeof url)) return -1;
    db_options o = {0};
    if (db_open(url, &o, &d, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(d, err, sizeof err) != DB_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    c = db_acquire(d);
    if (!c) return -1;
    a = arena_new(0);
    if (units_upsert(c, "pemda", NULL, "pemda", "Pemerintah Kota Contoh", "32.73", 420, &pemda) ||
        units_upsert(c, "disdukcapil", "pemda", "opd", "Disdukcapil", "32.73", 420, &dinas) ||
        units_upsert(c, "32.73.01", "disdukcapil", "kecamatan", "Kantor Kecamatan Satu", "32.73.01",
                     420, &kec1) ||
        units_upsert(c, "32.73.02", "disdukcapil", "kecamatan", "Kantor Kecamatan Dua", "32.73.02",
                     420, &kec2) ||
        units_upsert(c, "32.73.03", "disdukcapil", "kecamatan", "Kantor Kecamatan Tiga", "32.73.03",
                     420, &kec3))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return storefix_close(tmp, d, c, a);
}

static int64_t one_int(const char *sql)
{
    return storefix_int(c, sql);
}

static void seed(void)
{
    bool created;
    assert_int_equal(skm_seed_default(c, &created), DB_OK);
}

/* nine answers U1..U9 (0 = not answered) */
static int add9(const skm_period *p, const skm_instrument *ins, const int v[9], const char *service)
{
    static const char *const codes[9] = {"U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"};
    skm_answer ans[9];
    size_t n = 0;
    for (int i = 0; i < 9; i++)
        if (v[i]) ans[n++] = (skm_answer){codes[i], v[i]};
    skm_response r = {.channel = "paper", .service_code = service, .answers = ans, .nanswers = n};
    char err[256];
    int rc = skm_response_add(c, p, ins, &r, NULL, err, sizeof err);
    if (rc != DB_OK) print_error("add9: %s\n", err);
    return rc;
}

static void test_seed_default(void **state)
{
    (void)state;
    bool created;
    assert_int_equal(skm_seed_default(c, &created), DB_OK);
    assert_true(created);
    assert_int_equal(skm_seed_default(c, &created), DB_OK);
    assert_false(created);
    assert_int_equal(one_int("SELECT COUNT(*) FROM skm_instruments"), 1);
    assert_int_equal(one_int("SELECT COUNT(*) FROM skm_elements"), 9);
    skm_instrument ins;
    assert_int_equal(skm_instrument_current(c, a, kec1, &ins), DB_OK);
    assert_int_equal(ins.unit_id, 0);
    assert_null(ins.unit_code);
    assert_int_equal(ins.version, 1);
    assert_string_equal(ins.name, "PermenPANRB 14/2017");
    assert_string_equal(ins.rounding_rule, "half-up-2");
    assert_string_equal(ins.ladder_name, "permenpanrb-14-2017");
    assert_int_equal(ins.nel, 9);
    assert_string_equal(ins.el[0].code, "U1");
    assert_string_equal(ins.el[0].label, "Persyaratan");
    assert_string_equal(ins.el[3].answers[3], "Gratis");
    assert_string_equal(ins.el[7].answers[1], "Ada tetapi tidak berfungsi");
    assert_string_equal(ins.el[8].code, "U9");
    assert_int_equal(ins.el[8].weight_num, 1);
    assert_int_equal(ins.el[8].weight_den, 9);
    skm_instrument v1;
    assert_int_equal(skm_instrument_version(c, a, 0, 1, &v1), DB_OK);
    assert_int_equal(v1.id, ins.id);
    assert_int_equal(skm_instrument_version(c, a, 0, 2, &v1), DB_DONE);
}

static skm_element el10[10];

/* the default's nine elements plus U10, each 1/10 */
static void make_el10(void)
{
    for (int i = 0; i < 9; i++) {
        el10[i] = skm_default_elements[i];
        el10[i].weight_num = 1;
        el10[i].weight_den = 10;
    }
    el10[9] = (skm_element){"U10", "Kemudahan akses daring",
                            10,    1,
                            10,    {"Sulit", "Kurang mudah", "Mudah", "Sangat mudah"}};
}

static void test_instrument_versions(void **state)
{
    (void)state;
    seed();
    make_el10();
    char err[256];
    int64_t id;
    int v;
    /* 9/10 + 2/10: refused */
    el10[9].weight_num = 2;
    assert_int_equal(
        skm_instrument_create(c, kec3, "Lokal", NULL, el10, 10, &id, &v, err, sizeof err),
        SKM_EINVALID);
    assert_non_null(strstr(err, "add up to exactly 1"));
    el10[9].weight_num = 1;
    el10[9].code = "U1";
    assert_int_equal(
        skm_instrument_create(c, kec3, "Lokal", NULL, el10, 10, &id, &v, err, sizeof err),
        SKM_EINVALID);
    assert_non_null(strstr(err, "twice"));
    el10[9].code = "u10";
    assert_int_equal(
        skm_instrument_create(c, kec3, "Lokal", NULL, el10, 10, &id, &v, err, sizeof err),
        SKM_EINVALID);
    el10[9].code = "U10";
    assert_int_equal(skm_instrument_create(c, kec3, "Lokal", "no-such-ladder", el10, 10, &id, &v,
                                           err, sizeof err),
                     SKM_EINVALID);
    assert_int_equal(
        skm_instrument_create(c, kec3, "Lokal", NULL, el10, 10, &id, &v, err, sizeof err), DB_OK);
    assert_int_equal(v, 1);
    skm_instrument ins;
    assert_int_equal(skm_instrument_current(c, a, kec3, &ins), DB_OK);
    assert_int_equal(ins.id, id);
    assert_string_equal(ins.unit_code, "32.73.03");
    assert_int_equal(ins.nel, 10);
    assert_string_equal(ins.el[9].code, "U10");
    assert_int_equal(ins.el[9].pos, 10);
    /* other units keep the default */
    assert_int_equal(skm_instrument_current(c, a, kec1, &ins), DB_OK);
    assert_int_equal(ins.unit_id, 0);
    /* a second version for kec3 */
    el10[0].weight_num = 2, el10[0].weight_den = 10;
    el10[1].weight_num = 0, el10[1].weight_den = 10;
    assert_int_equal(
        skm_instrument_create(c, kec3, "Lokal", NULL, el10, 10, &id, &v, err, sizeof err),
        SKM_EINVALID); /* a zero weight */
    el10[1].weight_num = 1, el10[1].weight_den = 20;
    el10[2].weight_num = 1, el10[2].weight_den = 20;
    assert_int_equal(
        skm_instrument_create(c, kec3, "Lokal v2", NULL, el10, 10, &id, &v, err, sizeof err),
        DB_OK);
    assert_int_equal(v, 2);
    assert_int_equal(skm_instrument_current(c, a, kec3, &ins), DB_OK);
    assert_int_equal(ins.version, 2);
    assert_int_equal(skm_instrument_version(c, a, kec3, 1, &ins), DB_OK);
    assert_string_equal(ins.name, "Lokal");
}

static void test_periods(void **state)
{
    (void)state;
    seed();
    char err[256];
    skm_period p, q;
    assert_int_equal(skm_period_create(c, a, kec1, "2026-q1", 0, &p, err, sizeof err), DB_OK);
    assert_string_equal(p.code, "2026-Q1");
    assert_string_equal(p.kind, "quarter");
    assert_string_equal(p.starts_on, "2026-01-01");
    assert_string_equal(p.ends_on, "2026-03-31");
    assert_string_equal(p.status, "open");
    assert_string_equal(p.unit_code, "32.73.01");
    assert_false(p.has_walkin);
    assert_int_equal(skm_period_create(c, a, kec1, "2026-Q1", 0, &q, err, sizeof err),
                     DB_ECONSTRAINT);
    bool created = true;
    assert_int_equal(skm_period_ensure(c, a, kec1, "2026-Q1", &q, &created, err, sizeof err),
                     DB_OK);
    assert_false(created);
    assert_int_equal(q.id, p.id);
    assert_int_equal(skm_period_get(c, a, kec1, "2026-Q5", &q, err, sizeof err), SKM_EINVALID);
    assert_non_null(strstr(err, "not a survey period"));
    assert_int_equal(skm_period_get(c, a, kec2, "2026-Q1", &q, err, sizeof err), DB_DONE);
    assert_int_equal(skm_period_set_walkin(c, p.id, 120), DB_OK);
    assert_int_equal(skm_period_get(c, a, kec1, "2026-Q1", &q, err, sizeof err), DB_OK);
    assert_true(q.has_walkin);
    assert_int_equal(q.walkin_count, 120);
    assert_int_equal(skm_period_set_walkin(c, p.id + 1000, 1), DB_DONE);
    assert_int_equal(
        skm_period_ensure(c, a, kec1, "2026-01-15..2026-02-15", &q, &created, err, sizeof err),
        DB_OK);
    assert_true(created);
    assert_string_equal(q.kind, "custom");
    assert_int_equal(skm_period_create(c, a, kec1, "2025", 0, NULL, err, sizeof err), DB_OK);
    skm_period *ps;
    size_t n;
    assert_int_equal(skm_periods_list(c, a, kec1, &ps, &n), DB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(ps[0].code, "2025");
    assert_string_equal(ps[1].code, "2026-Q1");
    assert_string_equal(ps[2].code, "2026-01-15..2026-02-15");
}

static void test_responses(void **state)
{
    (void)state;
    seed();
    char err[256];
    skm_period p;
    skm_instrument ins;
    assert_int_equal(skm_period_ensure(c, a, kec1, "2026-S1", &p, NULL, err, sizeof err), DB_OK);
    assert_int_equal(skm_instrument_get(c, a, p.instrument_id, &ins), DB_OK);
    skm_answer ans[3] = {{"U1", 4}, {"U3", 2}, {"U9", 3}};
    skm_response r = {.channel = "kiosk",
                      .jenis_kelamin = "P",
                      .umur = 34,
                      .pendidikan = "SMA",
                      .pekerjaan = "Wiraswasta",
                      .layanan = "KTP-el",
                      .tanggal = "2026-06-30",
                      .answers = ans,
                      .nanswers = 3};
    int64_t id = 0;
    assert_int_equal(skm_response_add(c, &p, &ins, &r, &id, err, sizeof err), DB_OK);
    assert_true(id > 0);
    assert_int_equal(one_int("SELECT COUNT(*) FROM skm_answers"), 3);
    assert_int_equal(one_int("SELECT value FROM skm_answers WHERE element_code = 'U3'"), 2);
    /* refused: each with its reason */
    static const struct {
        int which;
        const char *want;
    } bad[] = {{0, "U3 is 5; answers are 1 to 4"},
               {1, "U10 is not an element"},
               {2, "answered twice"},
               {3, "outside period 2026-S1 (2026-01-01 to 2026-06-30)"},
               {4, "no element is answered"},
               {5, "use L or P"},
               {6, "10 to 120"},
               {7, "unknown channel"},
               {8, "not a date"},
               {9, "pendidikan is longer than 100 bytes"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        skm_answer b[3] = {{"U1", 4}, {"U3", 2}, {"U9", 3}};
        skm_response x = r;
        x.answers = b;
        switch (bad[i].which) {
        case 0: b[1].value = 5; break;
        case 1: b[1].code = "U10"; break;
        case 2: b[1].code = "U1"; break;
        case 3: x.tanggal = "2026-07-01"; break;
        case 4: x.nanswers = 0; break;
        case 5: x.jenis_kelamin = "X"; break;
        case 6: x.umur = 9; break;
        case 7: x.channel = "fax"; break;
        case 8: x.tanggal = "2026-02-30"; break;
        case 9:
            x.pendidikan = "Sarjana Sarjana Sarjana Sarjana Sarjana Sarjana Sarjana Sarjana "
                           "Sarjana Sarjana Sarjana Sarjana Sarjana Sarjana Sarjana";
            break;
        }
        err[0] = 0;
        assert_int_equal(skm_response_add(c, &p, &ins, &x, NULL, err, sizeof err), SKM_EINVALID);
        if (!strstr(err, bad[i].want)) fail_msg("case %zu: '%s' lacks '%s'", i, err, bad[i].want);
    }
    assert_int_equal(one_int("SELECT COUNT(*) FROM skm_responses"), 1);
    /* a closed period takes no more answers */
    db_stmt *s = db_prepare(c, "UPDATE skm_periods SET status = 'closed' WHERE id = $1");
    assert_non_null(s);
    db_bind_int(s, 1, p.id);
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    assert_int_equal(skm_period_get(c, a, kec1, "2026-S1", &p, err, sizeof err), DB_OK);
    assert_int_equal(skm_response_add(c, &p, &ins, &r, NULL, err, sizeof err), SKM_EINVALID);
    assert_non_null(strstr(err, "period 2026-S1 is closed"));
    assert_int_equal(one_int("SELECT COUNT(*) FROM skm_responses"), 1);
}

/* the hand-worked set of test_core_ikm (weights 2/9, 1/18, 1/18, 1/9 x 6, unanswered cells):
 * IKM = 343/108, IKM_25 79.40 B; through a unit instrument, periods and SQL aggregation */
static void test_result_weights(void **state)
{
    (void)state;
    seed();
    skm_element el[9];
    memcpy(el, skm_default_elements, sizeof el);
    el[0].weight_num = 2, el[0].weight_den = 9;
    el[1].weight_num = 1, el[1].weight_den = 18;
    el[2].weight_num = 1, el[2].weight_den = 18;
    char err[256];
    int64_t iid;
    assert_int_equal(skm_instrument_create(c, dinas, "Disdukcapil 2026", NULL, el, 9, &iid, NULL,
                                           err, sizeof err),
                     DB_OK);
    skm_period p;
    skm_instrument ins;
    assert_int_equal(skm_period_ensure(c, a, dinas, "2026", &p, NULL, err, sizeof err), DB_OK);
    assert_int_equal(p.instrument_id, iid);
    assert_int_equal(skm_instrument_get(c, a, iid, &ins), DB_OK);
    static const int ans[4][9] = {{4, 4, 3, 3, 3, 3, 3, 3, 3},
                                  {3, 0, 2, 3, 4, 3, 3, 2, 3},
                                  {4, 2, 0, 3, 3, 4, 3, 3, 4},
                                  {3, 3, 3, 0, 3, 3, 4, 3, 3}};
    for (int i = 0; i < 4; i++)
        assert_int_equal(add9(&p, &ins, ans[i], i < 2 ? "ktp-el" : "akta-lahir"), DB_OK);
    skm_result res;
    assert_int_equal(skm_result_compute(c, a, dinas, "2026", false, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_int_equal(res.status, IKM_OK);
    assert_string_equal(res.unit_code, "disdukcapil");
    assert_string_equal(res.period_code, "2026");
    assert_int_equal(res.responses, 4);
    assert_int_equal(res.counts[1], 3);
    assert_int_equal(res.sums[1], 9);
    assert_int_equal(res.r.ikm25_e2, 7940);
    assert_int_equal(res.r.ikm_e4, 31759);
    assert_int_equal(res.r.nrr_e4[2], 26667);
    assert_int_equal(res.r.cls->grade, 'B');
    assert_false(res.has_population);
    assert_int_equal(res.sample_required, -1);
    /* population entered: Krejcie & Morgan for N = 100 is 80 */
    assert_int_equal(skm_period_set_walkin(c, p.id, 100), DB_OK);
    assert_int_equal(skm_result_compute(c, a, dinas, "2026", false, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_true(res.has_population);
    assert_int_equal(res.population, 100);
    assert_int_equal(res.sample_required, 80);
    /* a newer instrument does not change a period that already runs */
    el[0].weight_num = 1, el[0].weight_den = 9;
    el[3].weight_num = 2, el[3].weight_den = 9;
    assert_int_equal(skm_instrument_create(c, dinas, "Disdukcapil 2026 b", NULL, el, 9, NULL, NULL,
                                           err, sizeof err),
                     DB_OK);
    assert_int_equal(skm_result_compute(c, a, dinas, "2026", false, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_int_equal(res.ins.id, iid);
    assert_int_equal(res.r.ikm25_e2, 7940);
    /* per service: respondents 1 and 2 (ktp-el); U2 was answered by the first only */
    assert_int_equal(
        skm_result_compute(c, a, dinas, "2026", false, "ktp-el", &res, err, sizeof err), DB_OK);
    assert_int_equal(res.responses, 2);
    assert_int_equal(res.status, IKM_OK);
    assert_int_equal(res.counts[1], 1);
    /* a service without responses */
    assert_int_equal(skm_result_compute(c, a, dinas, "2026", false, "kia", &res, err, sizeof err),
                     DB_OK);
    assert_int_equal(res.status, SKM_NO_RESPONSES);
    assert_int_equal(res.responses, 0);
    /* no such period */
    assert_int_equal(skm_result_compute(c, a, dinas, "2025", false, NULL, &res, err, sizeof err),
                     DB_DONE);
    assert_int_equal(skm_result_compute(c, a, dinas, "2025-Q9", false, NULL, &res, err, sizeof err),
                     SKM_EINVALID);
}

/* an element nobody answered: the index is not computed and the (first such) element is named;
 * kec3 runs its own 10-element instrument, U10 is not answered either */
static void test_result_element_unanswered(void **state)
{
    (void)state;
    seed();
    char err[256];
    skm_period p;
    skm_instrument ins;
    assert_int_equal(skm_period_ensure(c, a, kec3, "2027-Q1", &p, NULL, err, sizeof err), DB_OK);
    assert_int_equal(skm_instrument_get(c, a, p.instrument_id, &ins), DB_OK);
    int v[9] = {4, 4, 4, 4, 4, 4, 0, 4, 4};
    assert_int_equal(add9(&p, &ins, v, NULL), DB_OK);
    skm_result res;
    assert_int_equal(skm_result_compute(c, a, kec3, "2027-Q1", false, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_int_equal(res.status, IKM_E_NO_ANSWERS);
    assert_string_equal(res.ins.el[res.r.bad_element].code, "U7");
}

/* roll-up: kec1 has three respondents answering 4 everywhere, kec2 one answering 1. Pooled,
 * every NRR is (3 x 4 + 1) / 4 = 13/4, IKM_25 = 81.25 B. (The mean of the two units' indexes,
 * (100 + 25) / 2 = 62.50 D, would weigh one respondent like three.) Population: kec1 entered
 * 30, kec2 nothing: N = 30, sample 3841*30/(300+3831) = 27.9 -> 28. */
static void test_rollup(void **state)
{
    (void)state;
    seed();
    char err[256];
    skm_period p1, p2;
    skm_instrument ins;
    assert_int_equal(skm_period_ensure(c, a, kec1, "2028", &p1, NULL, err, sizeof err), DB_OK);
    assert_int_equal(skm_period_ensure(c, a, kec2, "2028", &p2, NULL, err, sizeof err), DB_OK);
    assert_int_equal(skm_period_set_walkin(c, p1.id, 30), DB_OK);
    assert_int_equal(skm_instrument_get(c, a, p1.instrument_id, &ins), DB_OK);
    int four[9] = {4, 4, 4, 4, 4, 4, 4, 4, 4}, one[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    for (int i = 0; i < 3; i++)
        assert_int_equal(add9(&p1, &ins, four, NULL), DB_OK);
    assert_int_equal(skm_instrument_get(c, a, p2.instrument_id, &ins), DB_OK);
    assert_int_equal(add9(&p2, &ins, one, NULL), DB_OK);
    skm_result res;
    assert_int_equal(skm_result_compute(c, a, kec1, "2028", false, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_int_equal(res.r.ikm25_e2, 10000);
    /* neither the pemda nor the dinas ran 2028 themselves */
    assert_int_equal(skm_result_compute(c, a, pemda, "2028", false, NULL, &res, err, sizeof err),
                     DB_DONE);
    assert_int_equal(skm_result_compute(c, a, pemda, "2028", true, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_int_equal(res.status, IKM_OK);
    assert_true(res.with_subunits);
    assert_int_equal(res.nperiods, 2);
    assert_int_equal(res.responses, 4);
    assert_int_equal(res.counts[0], 4);
    assert_int_equal(res.sums[0], 13);
    assert_int_equal(res.r.nrr_e4[0], 32500);
    assert_int_equal(res.r.ikm25_e2, 8125);
    assert_int_equal(res.r.cls->grade, 'B');
    assert_true(res.has_population);
    assert_int_equal(res.population, 30);
    assert_int_equal(res.sample_required, 28);
    /* the subtree of kec2 is kec2 alone */
    assert_int_equal(skm_result_compute(c, a, kec2, "2028", true, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_int_equal(res.responses, 1);
    assert_int_equal(res.r.ikm25_e2, 2500);
    assert_int_equal(res.r.cls->grade, 'D');
    /* nobody in the tree ran 2029 */
    assert_int_equal(skm_result_compute(c, a, pemda, "2029", true, NULL, &res, err, sizeof err),
                     DB_DONE);
}

static void test_trend(void **state)
{
    (void)state;
    seed();
    char err[256];
    const char *codes[] = {"2030-Q2", "2030-Q1", "2030"};
    int vals[] = {4, 2, 3};
    for (int i = 0; i < 3; i++) {
        skm_period p;
        skm_instrument ins;
        assert_int_equal(skm_period_ensure(c, a, kec1, codes[i], &p, NULL, err, sizeof err), DB_OK);
        assert_int_equal(skm_instrument_get(c, a, p.instrument_id, &ins), DB_OK);
        int v[9];
        for (int k = 0; k < 9; k++)
            v[k] = vals[i];
        assert_int_equal(add9(&p, &ins, v, NULL), DB_OK);
    }
    skm_result *t;
    size_t n;
    assert_int_equal(skm_trend(c, a, kec1, false, IKM_PERIOD_QUARTER, &t, &n), DB_OK);
    /* only this test's quarters of kec1: other tests' periods are of other kinds or units */
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(t[i].period_code, "2030", 4) == 0) {
            assert_string_equal(t[i].period_code, k == 0 ? "2030-Q1" : "2030-Q2");
            assert_int_equal(t[i].r.ikm25_e2, k == 0 ? 5000 : 10000);
            k++;
        }
    assert_int_equal(k, 2);
    assert_int_equal(skm_trend(c, a, kec1, false, IKM_PERIOD_YEAR, &t, &n), DB_OK);
    bool seen = false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].period_code, "2030") == 0) {
            seen = true;
            assert_int_equal(t[i].r.ikm25_e2, 7500);
        }
    assert_true(seen);
}

static void test_import(void **state)
{
    (void)state;
    seed();
    char errs[2048];
    long n = -1;
    bool created;
    int64_t before = one_int("SELECT COUNT(*) FROM skm_responses");
    /* BOM, CRLF, any column order, lower-case codes, a quoted cell, empty cells, a blank line */
    const char *good =
        "\xEF\xBB\xBFjenis_kelamin,u9,U8,U7,U6,U5,U4,U3,U2,U1,umur,tanggal,layanan\r\n"
        "L,4,4,4,4,4,4,4,4,4,30,2031-01-05,\"KTP-el, baru\"\r\n"
        "\r\n"
        "perempuan,3,,3,3,3,3,3,3,3,,,\r\n";
    assert_int_equal(
        skm_import_csv(c, a, kec2, "2031-Q1", str_c(good), &n, &created, 20, errs, sizeof errs),
        DB_OK);
    assert_int_equal(n, 2);
    assert_true(created);
    assert_int_equal(one_int("SELECT COUNT(*) FROM skm_responses") - before, 2);
    assert_int_equal(one_int("SELECT COUNT(*) FROM skm_responses WHERE jenis_kelamin = 'P' AND "
                             "channel = 'import'"),
                     1);
    assert_int_equal(one_int("SELECT COUNT(*) FROM skm_responses WHERE layanan = 'KTP-el, baru'"),
                     1);
    skm_result res;
    char err[256];
    assert_int_equal(skm_result_compute(c, a, kec2, "2031-Q1", false, NULL, &res, err, sizeof err),
                     DB_OK);
    assert_int_equal(res.counts[7], 1); /* U8 empty in the second row */
    assert_int_equal(res.responses, 2);

    /* bad files import nothing, and name each line; a new period is not left behind */
    static const struct {
        const char *csv, *want;
    } bad[] = {
        {"U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,4\n4,4,5,4,4,4,4,4,4\n",
         "line 3: U3 is 5; answers are 1 to 4"},
        {"U1,U2,U3,U4,U5,U6,U7,U8,U9,kota\n4,4,4,4,4,4,4,4,4,x\n", "line 1: unknown column 'kota'"},
        {"U1,U2,U3,U4,U5,U6,U7,U8\n4,4,4,4,4,4,4,4\n", "line 1: column U9 is missing"},
        {"U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4\n", "line 2: expected 9 columns"},
        {"U1,U2,U3,U4,U5,U6,U7,U8,U9,tanggal\n4,4,4,4,4,4,4,4,4,2031-04-01\n",
         "line 2: tanggal 2031-04-01 is outside period 203"},
        {"U1,U2,U3,U4,U5,U6,U7,U8,U9,umur\n4,4,4,4,4,4,4,4,4,tua\n", "line 2: umur is 'tua'"},
        {"U1,U2,U3,U4,U5,U6,U7,U8,U9\n,,,,,,,,\n4,4,4,4,4,4,4,4,4\n,,,,4,,,,x\n",
         "line 4: U9 is x"},
        {"U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,4,\"4\n", "line 2: not valid CSV"},
        {"", "the file is empty"},
        {"U1,U2,U3,U4,U5,U6,U7,U8,U9\n", "no answers"},
        {"U1,U1,U2,U3,U4,U5,U6,U7,U8,U9\n", "column U1 appears twice"},
    };
    int64_t periods = one_int("SELECT COUNT(*) FROM skm_periods");
    before = one_int("SELECT COUNT(*) FROM skm_responses");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *period = i % 2 ? "2031-Q1" : "2032-Q1"; /* existing, and new */
        errs[0] = 0;
        int r = skm_import_csv(c, a, kec2, period, str_c(bad[i].csv), &n, &created, 20, errs,
                               sizeof errs);
        if (r != SKM_EINVALID || !strstr(errs, bad[i].want))
            fail_msg("case %zu (%d): '%s' lacks '%s'", i, r, errs, bad[i].want);
        assert_false(created);
        assert_int_equal(one_int("SELECT COUNT(*) FROM skm_responses"), before);
        assert_int_equal(one_int("SELECT COUNT(*) FROM skm_periods"), periods);
    }
    /* every problem is listed, up to the limit */
    const char *many = "U1,U2,U3,U4,U5,U6,U7,U8,U9\n5,4,4,4,4,4,4,4,4\n4,0,4,4,4,4,4,4,4\n"
                       "4,4,4,4,4,4,4,4,4\n4,4,4,4,4,4,4,4,9\n";
    assert_int_equal(
        skm_import_csv(c, a, kec2, "2031-Q1", str_c(many), &n, &created, 2, errs, sizeof errs),
        SKM_EINVALID);
    assert_non_null(strstr(errs, "line 2: U1 is 5"));
    assert_non_null(strstr(errs, "line 3: U2 is 0"));
    assert_null(strstr(errs, "line 5"));
    assert_non_null(strstr(errs, "more problems not shown"));
    /* a closed period refuses the whole file, once */
    assert_int_equal(db_exec(c, "UPDATE skm_periods SET status = 'published' WHERE code = "
                                "'2031-Q1'"),
                     DB_OK);
    assert_int_equal(
        skm_import_csv(c, a, kec2, "2031-Q1", str_c(good), &n, &created, 20, errs, sizeof errs),
        SKM_EINVALID);
    assert_non_null(strstr(errs, "period 2031-Q1 of this unit is published"));
    assert_int_equal(one_int("SELECT COUNT(*) FROM skm_responses"), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_default),   cmocka_unit_test(test_instrument_versions),
        cmocka_unit_test(test_periods),        cmocka_unit_test(test_responses),
        cmocka_unit_test(test_result_weights), cmocka_unit_test(test_result_element_unanswered),
        cmocka_unit_test(test_rollup),         cmocka_unit_test(test_trend),
        cmocka_unit_test(test_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

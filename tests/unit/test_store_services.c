/* The service catalogue store on a database made by `layan init` (Kota Bandung): the seeded
 * Disdukcapil catalogue, versioned standards ("what was in force on date D", old versions
 * unchanged, the cost of a free service locked at Rp0), the maklumat of a unit and the one it
 * inherits, the completeness report, and the list filters. Runs on SQLite and PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "features/services/services.h"
#include "storefix.h"
#include "testdb.h"

static char dir[] = "/tmp/layan-svc-XXXXXX";
static char url[600];
static db *d;
static db_conn *c;
static arena *a;

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir)) return -1;
    if (!testdb_new(dir, "svc", url, sizeof url)) return -1;
    char keyf[700];
    snprintf(keyf, sizeof keyf, "%s/layan.key", dir);
    setenv("LAYAN_KEY_FILE", keyf, 1);
    char *init[] = {"init", "--db", url, "--region", "32.73", NULL};
    if (cmd_init(5, init) != 0) return -1;
    char err[512];
    db_options o = {0};
    if (db_open(url, &o, &d, err, sizeof err)) return -1;
    c = db_acquire(d);
    a = arena_new(1 << 16);
    return c ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return storefix_close(dir, d, c, a);
}

static int64_t service_id(const char *code)
{
    service s;
    assert_int_equal(svc_get(c, a, str_c(code), &s), DB_OK);
    return s.id;
}

static bool has(service *ss, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ss[i].code, code) == 0) return true;
    return false;
}

static void test_seeded_catalogue(void **state)
{
    (void)state;
    service *ss;
    size_t n;
    svc_filter all = {0};
    assert_int_equal(svc_list(c, a, &all, &ss, &n), DB_OK);
    assert_int_equal(n, 15);
    const char *codes[] = {"ktp-baru",      "ktp-ganti",     "kk-baru",        "kia",
                           "akta-lahir",    "akta-mati",     "akta-kawin",     "akta-cerai",
                           "pindah-keluar", "pindah-datang", "sk-kependudukan"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        assert_true(has(ss, n, codes[i]));
    for (size_t i = 0; i < n; i++) {
        assert_true(ss[i].free_by_law);
        assert_string_equal(ss[i].owner_code, "disdukcapil");
    }
    /* every service: version 1 in force from 2026-01-01, free, with requirements and steps */
    int64_t kia = service_id("kia");
    svc_standard st;
    assert_int_equal(svc_standard_at(c, a, kia, "2025-12-31", &st), DB_DONE);
    assert_int_equal(svc_standard_at(c, a, kia, "2026-01-01", &st), DB_OK);
    assert_int_equal(st.version, 1);
    assert_int_equal(st.cost_amount, 0);
    assert_null(st.decree_number); /* a draft until the unit head stipulates it */
    assert_true(st.nreqs >= 3);
    assert_true(st.nsteps >= 3);
    bool photo = false;
    for (size_t i = 0; i < st.nreqs; i++)
        if (strcmp(st.reqs[i].doc_type, "pasfoto") == 0)
            photo = st.reqs[i].cond && strcmp(st.reqs[i].cond, "age_5_17") == 0;
    assert_true(photo);
    /* offered at Disdukcapil and each of Bandung's 30 kecamatan offices */
    svc_point *ps;
    size_t np;
    assert_int_equal(svc_points(c, a, kia, &ps, &np), DB_OK);
    assert_int_equal(np, 31);
    assert_string_equal(ps[0].unit_code, "disdukcapil");
    /* the application form of KIA asks for the child's birth date */
    svc_field *fs;
    size_t nf;
    assert_int_equal(svc_fields(c, a, kia, &fs, &nf), DB_OK);
    bool birth = false;
    for (size_t i = 0; i < nf; i++)
        birth |= strcmp(fs[i].code, "tanggal_lahir_anak") == 0 &&
                 strcmp(fs[i].datatype, "datetime") == 0;
    assert_true(birth);
    /* init again: nothing added, no second version */
    char *init[] = {"init", "--db", url, "--region", "32.73", NULL};
    assert_int_equal(cmd_init(5, init), 0);
    svc_standard *vs;
    size_t nv;
    assert_int_equal(svc_standard_versions(c, a, kia, &vs, &nv), DB_OK);
    assert_int_equal(nv, 1);
    assert_int_equal(svc_list(c, a, &all, &ss, &n), DB_OK);
    assert_int_equal(n, 15);
}

static void test_versions(void **state)
{
    (void)state;
    int64_t id = service_id("ktp-baru");
    svc_standard v1;
    assert_int_equal(svc_standard_at(c, a, id, "2026-05-01", &v1), DB_OK);
    assert_int_equal(v1.version, 1);
    size_t v1_reqs = v1.nreqs;
    /* version 2 from 1 June: stipulated, 2 working hours, one requirement, a forged fee */
    svc_standard v2 = v1;
    v2.decree_number = "400/12-Disdukcapil/2026";
    v2.decree_date = "2026-05-20";
    v2.effective_from = "2026-06-01";
    v2.review_due = "2027-05-20";
    v2.participation = "Forum konsultasi publik, 12 Mei 2026";
    v2.time_limit_value = 2;
    v2.time_limit_unit = "hours";
    v2.cost_amount = 50000;
    v2.nreqs = 1;
    v2.change_note = "Cetak dalam 2 jam";
    int version = 0;
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(svc_standard_add(c, id, &v2, 0, &version), DB_OK);
    assert_int_equal(db_commit(c), DB_OK);
    assert_int_equal(version, 2);

    svc_standard at;
    assert_int_equal(svc_standard_at(c, a, id, "2026-05-31", &at), DB_OK);
    assert_int_equal(at.version, 1);
    assert_int_equal(at.time_limit_value, 1);
    assert_string_equal(at.time_limit_unit, "days");
    assert_int_equal(at.nreqs, v1_reqs);
    assert_int_equal(svc_standard_at(c, a, id, "2026-06-01", &at), DB_OK);
    assert_int_equal(at.version, 2);
    assert_int_equal(at.time_limit_value, 2);
    assert_string_equal(at.time_limit_unit, "hours");
    assert_int_equal(at.nreqs, 1);
    assert_int_equal(at.cost_amount, 0); /* adminduk is free by law, whatever was sent */
    assert_string_equal(at.decree_number, "400/12-Disdukcapil/2026");
    /* the old version stays readable, unchanged */
    svc_standard old;
    assert_int_equal(svc_standard_version(c, a, id, 1, &old), DB_OK);
    assert_int_equal(old.nreqs, v1_reqs);
    assert_null(old.decree_number);
    assert_int_equal(svc_standard_version(c, a, id, 3, &old), DB_DONE);
    svc_standard *vs;
    size_t nv;
    assert_int_equal(svc_standard_versions(c, a, id, &vs, &nv), DB_OK);
    assert_int_equal(nv, 2);
    assert_int_equal(vs[0].version, 2);
    assert_int_equal(vs[1].version, 1);
}

static void test_maklumat(void **state)
{
    (void)state;
    svc_maklumat m;
    /* a kecamatan office serves under Disdukcapil's pledge until it has its own */
    assert_int_equal(svc_maklumat_current(c, a, "32.73.01", &m), DB_OK);
    assert_string_equal(m.unit_code, "disdukcapil");
    assert_int_equal(m.version, 1);
    svc_maklumat mine = {.body = "Kami siap melayani sesuai standar.",
                         .signatory_name = "Drs. Asep Sunandar",
                         .signatory_title = "Camat",
                         .stipulated_on = "2026-02-02",
                         .channels = "kantor,media-sosial"};
    int v = 0;
    assert_int_equal(svc_maklumat_add(c, "32.73.01", &mine, 0, &v), DB_OK);
    assert_int_equal(v, 1);
    mine.body = "Kami siap melayani sesuai standar, dengan kompensasi bila terlambat.";
    assert_int_equal(svc_maklumat_add(c, "32.73.01", &mine, 0, &v), DB_OK);
    assert_int_equal(v, 2);
    assert_int_equal(svc_maklumat_current(c, a, "32.73.01", &m), DB_OK);
    assert_string_equal(m.unit_code, "32.73.01");
    assert_int_equal(m.version, 2);
    svc_maklumat *ms;
    size_t n;
    assert_int_equal(svc_maklumat_versions(c, a, "32.73.01", &ms, &n), DB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ms[1].body, "Kami siap melayani sesuai standar.");
    assert_int_equal(svc_maklumat_add(c, "no-such-unit", &mine, 0, &v), DB_ECONSTRAINT);
}

static void test_completeness(void **state)
{
    (void)state;
    svc_gap *g;
    size_t n;
    /* one kecamatan: 15 services, none stipulated, all 14 components present */
    assert_int_equal(svc_completeness(c, a, "32.73.02", "2026-03-01", &g, &n), DB_OK);
    assert_int_equal(n, 15);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(g[i].unit_code, "32.73.02");
        assert_int_equal(g[i].nmissing, 0);
        assert_false(g[i].stipulated);
        assert_true(g[i].has_maklumat); /* Disdukcapil's */
    }
    /* a new version of kk-baru without a product and with its review overdue */
    int64_t id = service_id("kk-baru");
    svc_standard st;
    assert_int_equal(svc_standard_at(c, a, id, "2026-03-01", &st), DB_OK);
    st.text[SVC_C_PRODUK] = "";
    st.text[SVC_C_PENGAWASAN] = NULL;
    st.decree_number = "1/2026";
    st.decree_date = "2026-01-15";
    st.effective_from = "2026-02-01";
    st.review_due = "2026-02-28";
    assert_int_equal(svc_standard_add(c, id, &st, 0, NULL), DB_OK);
    assert_int_equal(svc_completeness(c, a, "32.73.02", "2026-03-01", &g, &n), DB_OK);
    bool seen = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(g[i].service_code, "kk-baru") != 0) continue;
        seen = true;
        assert_int_equal(g[i].nmissing, 2);
        assert_true(g[i].missing[SVC_C_PRODUK]);
        assert_true(g[i].missing[SVC_C_PENGAWASAN]);
        assert_false(g[i].missing[SVC_C_BIAYA]); /* Rp0 is stated, not missing */
        assert_true(g[i].stipulated);
        assert_true(g[i].review_overdue);
    }
    assert_true(seen);
    /* the whole government: Disdukcapil and 30 kecamatan x 15 services */
    assert_int_equal(svc_completeness(c, a, NULL, "2026-03-01", &g, &n), DB_OK);
    assert_int_equal(n, 31 * 15);
    assert_string_equal(g[0].unit_code, "disdukcapil");
    /* the component names are the regulation's */
    assert_string_equal(svc_component_code(SVC_C_DASAR_HUKUM), "dasar_hukum");
    assert_null(svc_component_code(SVC_NCOMPONENTS));
}

static void test_filters(void **state)
{
    (void)state;
    service *ss;
    size_t n;
    svc_filter born = {.event = "anak-lahir"};
    assert_int_equal(svc_list(c, a, &born, &ss, &n), DB_OK);
    assert_true(has(ss, n, "kia"));
    assert_true(has(ss, n, "akta-lahir"));
    assert_true(has(ss, n, "kk-ubah"));
    assert_false(has(ss, n, "ktp-baru"));
    svc_filter akta = {.q = "AKTA"};
    assert_int_equal(svc_list(c, a, &akta, &ss, &n), DB_OK);
    assert_int_equal(n, 4);
    svc_filter moving_here = {.event = "pindah-rumah", .unit = "32.73.01"};
    assert_int_equal(svc_list(c, a, &moving_here, &ss, &n), DB_OK);
    assert_int_equal(n, 3);
    svc_filter nowhere = {.unit = "no-such-unit"};
    assert_int_equal(svc_list(c, a, &nowhere, &ss, &n), DB_OK);
    assert_int_equal(n, 0);
    assert_true(svc_event_known(str_c("menikah")));
    assert_false(svc_event_known(str_c("ulang-tahun")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeded_catalogue), cmocka_unit_test(test_versions),
        cmocka_unit_test(test_maklumat),         cmocka_unit_test(test_completeness),
        cmocka_unit_test(test_filters),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

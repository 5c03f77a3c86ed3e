/* The stores on databases made by `layan init` + `layan demo` from real idn-area-data rows (the
 * regions of Kota Bandung, Kabupaten Garut, Nias Selatan and Sikka, cut from the shipped CSVs to
 * keep the test fast): the unit list and its hours, service-point search by kecamatan and
 * kelurahan (case, accents, apostrophes, spacing, too-short queries, the region boundary),
 * regions, settings, holidays, and init/demo keeping edits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "db/refdata.h"
#include "features/holidays/holidays.h"
#include "features/regions/regions.h"
#include "features/settings/settings.h"
#include "features/units/units.h"
#include "testdb.h"

static char tmp[256], data[300];

struct fixture {
    db *d;
    db_conn *c;
    arena *a;
};
static struct fixture bdg, nias, sikka;

/* copies the header and the rows starting with one of the prefixes */
static void cut(const char *file, const char *const *prefixes)
{
    char src[600], dst[600], line[1024];
    const char *srcdir = getenv("LAYAN_SOURCE_DIR") ? getenv("LAYAN_SOURCE_DIR") : LAYAN_SOURCE_DIR;
    snprintf(src, sizeof src, "%s/node_modules/idn-area-data/data/%s", srcdir, file);
    snprintf(dst, sizeof dst, "%s/%s", data, file);
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    if (!in || !out) fail_msg("cannot cut %s", src);
    for (int n = 0; fgets(line, sizeof line, in); n++) {
        bool keep = n == 0;
        for (const char *const *p = prefixes; *p && !keep; p++)
            keep = strncmp(line, *p, strlen(*p)) == 0;
        if (keep) fputs(line, out);
    }
    fclose(in);
    fclose(out);
}

/* the database of NAME: SQLite in tmp, or a fresh PostgreSQL database (testdb.h); the same
 * name gives the same database */
static char *db_url(const char *name)
{
    static char names[8][32], urls[8][400];
    static int k;
    for (int i = 0; i < k; i++)
        if (strcmp(names[i], name) == 0) return urls[i];
    if (k == 8 || !testdb_new(tmp, name, urls[k], sizeof urls[k])) fail_msg("no database %s", name);
    snprintf(names[k], sizeof names[k], "%s", name);
    return urls[k++];
}

static int init_region(struct fixture *f, const char *name, const char *code)
{
    char *url = db_url(name);
    char *init[] = {"init", "--db", url, "--region", (char *)code, "--data", data, NULL};
    char *demo[] = {"demo", "--db", url, NULL};
    if (cmd_init(7, init) != 0 || cmd_demo(3, demo) != 0) return -1;
    char err[256];
    if (db_open(url, NULL, &f->d, err, sizeof err) != DB_OK) return -1;
    f->c = db_acquire(f->d);
    f->a = arena_new(0);
    return f->c ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/layan-test-store-XXXXXX");
    if (!mkdtemp(tmp)) return -1;
    snprintf(data, sizeof data, "%s/data", tmp);
    if (mkdir(data, 0700) != 0) return -1;
    /* beside a SQLite file the key is found by itself; on PostgreSQL it must be named */
    char keyf[300];
    snprintf(keyf, sizeof keyf, "%s/test.key", tmp);
    setenv("LAYAN_KEY_FILE", keyf, 1);
    static const char *const prov[] = {"32,", "12,", "53,", NULL};
    static const char *const reg[] = {"32.73", "32.05", "12.14", "53.07", NULL};
    cut("provinces.csv", prov);
    cut("regencies.csv", reg);
    cut("districts.csv", reg);
    cut("villages.csv", reg);
    if (init_region(&bdg, "bandung", "32.73") || init_region(&nias, "nias", "12.14") ||
        init_region(&sikka, "sikka", "53.07"))
        return -1;
    return 0;
}

static void close_fixture(struct fixture *f)
{
    if (f->c) db_release(f->c);
    if (f->d) db_close(f->d);
    if (f->a) arena_free(f->a);
}

static int teardown(void **state)
{
    (void)state;
    close_fixture(&bdg);
    close_fixture(&nias);
    close_fixture(&sikka);
    testdb_cleanup();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static size_t search(struct fixture *f, const char *q, size_t limit, unit_match **m)
{
    size_t n = 99;
    assert_int_equal(units_search(f->c, f->a, str_c(q), limit, m, &n), DB_OK);
    return n;
}

static void test_list_and_hours(void **state)
{
    (void)state;
    unit *us;
    size_t n;
    assert_int_equal(units_list(bdg.c, bdg.a, &us, &n), DB_OK);
    assert_int_equal(n, 32); /* pemda, Disdukcapil, 30 kecamatan */
    assert_string_equal(us[0].code, "pemda");
    assert_string_equal(us[0].name, "Pemerintah Kota Bandung");
    assert_string_equal(us[1].code, "disdukcapil");
    assert_string_equal(us[1].name, "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung");
    assert_string_equal(us[1].parent_code, "pemda");
    assert_string_equal(us[2].name, "Kantor Kecamatan Andir");
    for (size_t i = 3; i < n; i++) {
        assert_string_equal(us[i].type, "kecamatan");
        assert_true(strcmp(us[i - 1].name, us[i].name) < 0);
        assert_string_equal(us[i].parent_code, "disdukcapil");
        assert_string_equal(us[i].code, us[i].region_code); /* the kecamatan code */
        assert_int_equal(us[i].tz_offset_min, 420);
        assert_int_equal(us[i].nhours, 5);
    }
    /* the main office opens Saturday morning without a break */
    assert_int_equal(us[1].nhours, 6);
    assert_int_equal(us[1].hours[5].weekday, 6);
    assert_int_equal(us[1].hours[5].opens_min, 8 * 60);
    assert_int_equal(us[1].hours[5].closes_min, 12 * 60);
    assert_int_equal(us[1].hours[5].break_start_min, -1);

    unit u;
    assert_int_equal(units_get(bdg.c, bdg.a, STR("32.73.02"), &u), DB_OK);
    assert_string_equal(u.name, "Kantor Kecamatan Coblong");
    assert_non_null(strstr(u.address, "Kecamatan Coblong"));
    assert_non_null(strstr(u.phone, "022-0000-"));
    assert_int_equal(u.nhours, 5);
    /* Friday 08:00-15:30 with the Friday-prayer break 11:30-13:00 */
    assert_int_equal(u.hours[4].weekday, 5);
    assert_int_equal(u.hours[4].closes_min, 15 * 60 + 30);
    assert_int_equal(u.hours[4].break_start_min, 11 * 60 + 30);
    assert_int_equal(u.hours[4].break_end_min, 13 * 60);
    assert_int_equal(u.hours[0].closes_min, 15 * 60);
    assert_int_equal(units_get(bdg.c, bdg.a, STR("32.73.99"), &u), DB_DONE);
    /* Sikka (NTT) is WITA */
    assert_int_equal(units_get(sikka.c, sikka.a, STR("disdukcapil"), &u), DB_OK);
    assert_int_equal(u.tz_offset_min, 480);
}

static void test_search_by_kecamatan(void **state)
{
    (void)state;
    unit_match *m;
    size_t n = search(&bdg, "sukajadi", 50, &m);
    assert_true(n >= 1);
    assert_string_equal(m[0].u.code, "32.73.07");
    assert_null(m[0].via_village);
    assert_string_equal(m[0].via_district, "Sukajadi");
    assert_int_equal(m[0].u.nhours, 5);
    /* listed once even though villages of Sukajadi match "suka" too */
    n = search(&bdg, "SUKAJADI", 50, &m);
    for (size_t i = 1; i < n; i++)
        assert_string_not_equal(m[i].u.code, "32.73.07");
    /* "Buahbatu" typed with a space */
    n = search(&bdg, "buah batu", 50, &m);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].u.name, "Kantor Kecamatan Buahbatu");
    /* the OPD by name; the pemda is not a service point */
    n = search(&bdg, "kependudukan", 50, &m);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].u.code, "disdukcapil");
    assert_null(m[0].via_district);
    assert_int_equal(search(&bdg, "pemerintah", 50, &m), 0);
}

static void test_search_by_kelurahan(void **state)
{
    (void)state;
    unit_match *m;
    /* Cipaganti is a kelurahan of Coblong; Garut has a desa Cipaganti too, outside the region */
    size_t n = search(&bdg, "CIPAGANTI", 50, &m);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].u.code, "32.73.02");
    assert_string_equal(m[0].via_village, "Cipaganti");
    assert_string_equal(m[0].via_district, "Coblong");
    assert_int_equal(m[0].u.nhours, 5);
    n = search(&bdg, "  cipaganti \t", 50, &m);
    assert_int_equal(n, 1);
    n = search(&bdg, "Cipagänti", 50, &m); /* accents do not matter */
    assert_int_equal(n, 1);
    assert_string_equal(m[0].via_village, "Cipaganti");
    /* "Suka Asih" (Bojongloa Kaler) typed without the space or with an accent */
    n = search(&bdg, "sukaasih", 50, &m);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].u.code, "32.73.04");
    assert_string_equal(m[0].via_village, "Suka Asih");
    assert_int_equal(search(&bdg, "Suka-Ásih", 50, &m), 1);
    /* a partial name finds several kelurahan; exact matches first */
    n = search(&bdg, "sukagalih", 50, &m);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].via_village, "Sukagalih");
    assert_string_equal(m[0].u.code, "32.73.07");
    n = search(&bdg, "suka", 3, &m);
    assert_int_equal(n, 3); /* the limit holds */
    assert_int_equal(search(&bdg, "xyzzy", 50, &m), 0);
}

static void test_search_apostrophes(void **state)
{
    (void)state;
    unit_match *m;
    /* kecamatan O'o'u in Nias Selatan */
    static const char *const qs[] = {"o'o'u", "OOU", "O’o’u", "o`o`u"};
    for (size_t i = 0; i < 4; i++) {
        size_t n = search(&nias, qs[i], 50, &m);
        assert_int_equal(n, 1);
        assert_string_equal(m[0].u.name, "Kantor Kecamatan O'o'u");
        assert_string_equal(m[0].via_district, "O'o'u");
    }
    /* desa Regapu’u (a typographic apostrophe in the data) in Sikka, typed with a plain one */
    size_t n = search(&sikka, "regapu'u", 50, &m);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].via_village, "Regapu’u");
    assert_int_equal(search(&sikka, "Regapuu", 50, &m), 1);
}

static void test_search_too_short(void **state)
{
    (void)state;
    unit_match *m;
    static const char *const qs[] = {"", "c", "  c  ", "'c'", "%%", "__", "- .", "é"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        size_t n = search(&bdg, qs[i], 50, &m);
        if (n) fail_msg("'%s' should be too short, got %zu results", qs[i], n);
    }
    assert_int_equal(search(&bdg, "ci", 0, &m), 0); /* limit 0 */
    assert_true(search(&bdg, "ci", 50, &m) > 1);    /* two letters are enough */
}

static void test_regions(void **state)
{
    (void)state;
    region *vs;
    size_t n;
    assert_int_equal(regions_children(bdg.c, bdg.a, STR("32.73.02"), &vs, &n), DB_OK);
    assert_int_equal(n, 6);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        found |= strcmp(vs[i].name, "Cipaganti") == 0;
        assert_int_equal(vs[i].level, REGION_VILLAGE);
        assert_string_equal(vs[i].parent_code, "32.73.02");
        if (i) assert_true(strcmp(vs[i - 1].name, vs[i].name) <= 0);
    }
    assert_true(found);
    assert_string_equal(regions_name(bdg.c, bdg.a, STR("32.73")), "Kota Bandung");
    assert_string_equal(regions_name(bdg.c, bdg.a, STR("32")), "Jawa Barat");
    assert_null(regions_name(bdg.c, bdg.a, STR("99")));
    region r;
    assert_int_equal(regions_get(bdg.c, bdg.a, STR("32.73.02.1001"), &r), DB_OK);
    assert_int_equal(r.level, REGION_VILLAGE);
    assert_int_equal(regions_get(bdg.c, bdg.a, STR("32.73.02.9999"), &r), DB_DONE);
    assert_true(regions_count(bdg.c) > 151);
    /* the folding itself */
    assert_string_equal(regions_fold(bdg.a, STR("Bandung Wetan")), "bandungwetan");
    assert_string_equal(regions_fold(bdg.a, STR("Ra\"as")), "raas");
    assert_string_equal(regions_fold(bdg.a, STR("Lubuk Pakam I,II")), "lubukpakamiii");
    assert_string_equal(regions_fold(bdg.a, STR("ÀÉÎÕÜ çñ ß ŁŽ")), "aeioucnslz");
    assert_string_equal(regions_fold(bdg.a, STR("x\xff\xfey")), "xy"); /* invalid UTF-8 */
}

static void test_settings(void **state)
{
    (void)state;
    assert_string_equal(settings_get(bdg.c, bdg.a, "region_code"), "32.73");
    assert_string_equal(settings_get(bdg.c, bdg.a, "region_name"), "Kota Bandung");
    assert_null(settings_get(bdg.c, bdg.a, "no_such_key"));
    assert_int_equal(settings_set(bdg.c, "test_key", "a"), DB_OK);
    assert_int_equal(settings_set(bdg.c, "test_key", "b"), DB_OK);
    assert_string_equal(settings_get(bdg.c, bdg.a, "test_key"), "b");
}

static long count(struct fixture *f, const char *sql)
{
    db_stmt *s = db_prepare(f->c, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    long v = (long)db_col_int(s, 0);
    db_finish(s);
    return v;
}

static void test_holidays(void **state)
{
    (void)state;
    holiday *rows;
    size_t n;
    char err[256];
    assert_int_equal(
        holidays_parse_csv(bdg.a, "built-in", db_refdata_holidays(), &rows, &n, err, sizeof err),
        DB_OK);
    assert_true(n >= 26); /* two years of national holidays at least */
    assert_int_equal(count(&bdg, "SELECT COUNT(*) FROM holidays WHERE source = 'generated'"),
                     (long)n);
    /* Independence Day in both years, as a national holiday */
    assert_int_equal(count(&bdg, "SELECT COUNT(*) FROM holidays WHERE date LIKE '____-08-17' AND "
                                 "kind = 'national'"),
                     2);
    /* bad rows name their line */
    str bad = STR("date,name,kind\n2026-01-01,Tahun Baru,national\n2026-02-30,Nope,national\n");
    assert_int_equal(holidays_parse_csv(bdg.a, "x.csv", bad, &rows, &n, err, sizeof err), DB_ERR);
    assert_non_null(strstr(err, "x.csv line 3"));
    bad = STR("2026-01-01,Tahun Baru,libur\n");
    assert_int_equal(holidays_parse_csv(bdg.a, "y.csv", bad, &rows, &n, err, sizeof err), DB_ERR);
    assert_non_null(strstr(err, "y.csv line 1"));

    /* the calendar's first year (the build year) */
    assert_int_equal(
        holidays_parse_csv(bdg.a, "built-in", db_refdata_holidays(), &rows, &n, err, sizeof err),
        DB_OK);
    char y[5], jadi[11], merdeka[11], last[11], like[16], notlike[128], sql[200];
    snprintf(y, sizeof y, "%.4s", rows[0].date);
    snprintf(jadi, sizeof jadi, "%s-09-01", y);
    snprintf(merdeka, sizeof merdeka, "%s-08-17", y);
    snprintf(last, sizeof last, "%s-12-31", y);
    snprintf(like, sizeof like, "%s-%%", y);
    snprintf(notlike, sizeof notlike, "SELECT COUNT(*) FROM holidays WHERE date NOT LIKE '%s'",
             like);

    /* an admin's day off survives re-init; a generated row can not be added twice */
    assert_int_equal(holidays_add_manual(bdg.c, jadi, "Hari Jadi Kota", "national"), DB_OK);
    assert_int_equal(holidays_add_manual(bdg.c, jadi, "Hari Jadi Kota", "national"),
                     DB_ECONSTRAINT);
    assert_int_equal(holidays_add_manual(bdg.c, "2026-13-01", "x", "national"), DB_ECONSTRAINT);
    long before = count(&bdg, "SELECT COUNT(*) FROM holidays");
    char *url = db_url("bandung");
    char *init[] = {"init", "--db", url, "--region", "32.73", "--data", data, NULL};
    assert_int_equal(cmd_init(7, init), 0);
    assert_int_equal(count(&bdg, "SELECT COUNT(*) FROM holidays"), before);
    assert_int_equal(count(&bdg, "SELECT COUNT(*) FROM holidays WHERE source = 'manual'"), 1);

    /* syncing: a year's generated rows follow the data; other years and manual rows stay */
    holiday one[] = {{merdeka, "Proklamasi Kemerdekaan", "national", "generated"},
                     {jadi, "Hari Jadi Kota", "cuti_bersama", "generated"},
                     {last, "Baru", "cuti_bersama", "generated"}};
    long added = 0, removed = 0;
    long other = count(&bdg, notlike);
    assert_int_equal(holidays_sync_generated(bdg.c, one, 3, &added, &removed), DB_OK);
    assert_int_equal(added, 1); /* "Baru"; the manual row is not taken over */
    assert_true(removed > 10);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM holidays WHERE date LIKE '%s'", like);
    assert_int_equal(count(&bdg, sql), 3);
    assert_int_equal(count(&bdg, "SELECT COUNT(*) FROM holidays WHERE source = 'manual' AND "
                                 "kind = 'national'"),
                     1);
    assert_int_equal(count(&bdg, notlike), other);
    /* and init puts the shipped calendar back */
    assert_int_equal(cmd_init(7, init), 0);
    assert_int_equal(count(&bdg, "SELECT COUNT(*) FROM holidays"), before);
    holiday *hs;
    assert_int_equal(holidays_list(bdg.c, bdg.a, jadi, jadi, &hs, &n), DB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(hs[0].source, "manual");
}

static void test_init_and_demo_keep_edits(void **state)
{
    (void)state;
    assert_int_equal(units_set_name(bdg.c, "32.73.02", "Kantor Kecamatan Coblong (Baru)"), DB_OK);
    assert_int_equal(units_set_contact(bdg.c, "32.73.02", "Jl. Asli No. 5", NULL, NULL), DB_OK);
    assert_int_equal(units_set_contact(bdg.c, "no-such-unit", "x", NULL, NULL), DB_DONE);
    unit_hours sat[] = {{6, 480, 600, -1, -1}};
    assert_int_equal(units_set_hours(bdg.c, "32.73.03", sat, 1), DB_OK);
    assert_int_equal(units_set_hours(bdg.c, "no-such-unit", sat, 1), DB_DONE);
    unit_hours bad[] = {{1, 900, 480, -1, -1}};
    assert_int_equal(units_set_hours(bdg.c, "32.73.05", bad, 1), DB_ECONSTRAINT);
    char *url = db_url("bandung");
    char *init[] = {"init", "--db", url, "--region", "32.73", "--data", data, NULL};
    char *demo[] = {"demo", "--db", url, NULL};
    assert_int_equal(cmd_init(7, init), 0);
    assert_int_equal(cmd_demo(3, demo), 0);
    assert_int_equal(count(&bdg, "SELECT COUNT(*) FROM units"), 32);
    unit u;
    assert_int_equal(units_get(bdg.c, bdg.a, STR("32.73.02"), &u), DB_OK);
    assert_string_equal(u.name, "Kantor Kecamatan Coblong (Baru)");
    assert_string_equal(u.address, "Jl. Asli No. 5");
    assert_int_equal(units_get(bdg.c, bdg.a, STR("32.73.03"), &u), DB_OK);
    assert_int_equal(u.nhours, 1);
    /* the renamed unit is found by its new name and still by its kecamatan */
    unit_match *m;
    assert_int_equal(search(&bdg, "coblong baru", 50, &m), 1);
    assert_true(search(&bdg, "coblong", 50, &m) >= 1);
    assert_string_equal(m[0].u.code, "32.73.02");
    /* another region in the same database is refused */
    char *other[] = {"init", "--db", url, "--region", "32.05", "--data", data, NULL};
    assert_int_equal(cmd_init(7, other), 1);
}

static void test_tz_by_province(void **state)
{
    (void)state;
    assert_int_equal(units_tz_for_province(STR("32")), 420); /* Jawa Barat */
    assert_int_equal(units_tz_for_province(STR("62")), 420); /* Kalimantan Tengah */
    assert_int_equal(units_tz_for_province(STR("63")), 480); /* Kalimantan Selatan */
    assert_int_equal(units_tz_for_province(STR("51")), 480); /* Bali */
    assert_int_equal(units_tz_for_province(STR("76")), 480); /* Sulawesi Barat */
    assert_int_equal(units_tz_for_province(STR("82")), 540); /* Maluku Utara */
    assert_int_equal(units_tz_for_province(STR("96")), 540); /* Papua Barat Daya */
    assert_int_equal(units_tz_for_province(STR("99")), -1);
    assert_int_equal(units_tz_for_province(STR("3")), -1);
    /* every province of the official list has one */
    const char *srcdir = getenv("LAYAN_SOURCE_DIR") ? getenv("LAYAN_SOURCE_DIR") : LAYAN_SOURCE_DIR;
    char p[600], line[256];
    snprintf(p, sizeof p, "%s/node_modules/idn-area-data/data/provinces.csv", srcdir);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    int k = 0;
    while (fgets(line, sizeof line, f))
        if (line[0] >= '0' && line[0] <= '9') {
            if (units_tz_for_province((str){line, 2}) < 0) fail_msg("no time zone for %s", line);
            k++;
        }
    fclose(f);
    assert_int_equal(k, 38);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_and_hours),
        cmocka_unit_test(test_search_by_kecamatan),
        cmocka_unit_test(test_search_by_kelurahan),
        cmocka_unit_test(test_search_apostrophes),
        cmocka_unit_test(test_search_too_short),
        cmocka_unit_test(test_regions),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_init_and_demo_keep_edits),
        cmocka_unit_test(test_tz_by_province),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* cli/init: `layan init --db URL --region CODE`: creates or migrates the schema, imports the
 * official regions (when the table is empty), keeps the shipped holiday calendar in step, and
 * creates the unit tree of the region: the pemda, Disdukcapil, and one service point per
 * kecamatan. Running it again adds what is missing and changes nothing that exists (names,
 * contacts, hours and manual holidays an admin edited stay as they are). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "db/refdata.h"
#include "features/holidays/holidays.h"
#include "features/regions/regions.h"
#include "features/settings/settings.h"
#include "features/services/services.h"
#include "features/skm/skm.h"
#include "features/units/units.h"

static void help(void)
{
    printf("Usage: layan init --db URL --region CODE [--data DIR] [--holidays FILE]\n\n"
           "Creates or migrates the database, imports the official region list (all of\n"
           "Indonesia) and the holiday calendar, and creates the unit tree of the kabupaten/kota\n"
           "CODE (for example 32.73, Kota Bandung): the pemda, the Dinas Kependudukan dan\n"
           "Pencatatan Sipil, and one service point per kecamatan, whose unit code is the\n"
           "kecamatan code (32.73.01 ...). Safe to run again: it migrates and adds what is\n"
           "missing, and keeps edits.\n\n"
           "  --db URL         database, e.g. sqlite:var/layan.db (the directory is created)\n"
           "  --region CODE    Kemendagri code of the kabupaten/kota, NN.NN\n"
           "  --data DIR       region CSVs (default: %s/node_modules/idn-area-data/data)\n"
           "  --holidays FILE  more holidays, CSV date,name,kind (kind national or cuti_bersama),\n"
           "                   on top of the calendar built into layan\n",
           LAYAN_SOURCE_DIR);
}

static bool valid_regency(const char *c)
{
    return strlen(c) == 5 && c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9' &&
           c[2] == '.' && c[3] >= '0' && c[3] <= '9' && c[4] >= '0' && c[4] <= '9';
}

/* the built-in calendar plus an optional file, synced as generated rows */
static int sync_holidays(db_conn *c, arena *a, const char *file, long *total, long *added,
                         long *removed, char *err, size_t errlen)
{
    holiday *rows, *more = NULL;
    size_t n, nmore = 0;
    if (holidays_parse_csv(a, "built-in holidays", db_refdata_holidays(), &rows, &n, err, errlen) !=
        DB_OK)
        return DB_ERR;
    if (file) {
        FILE *f = fopen(file, "rb");
        if (!f) {
            snprintf(err, errlen, "cannot read %s", file);
            return DB_ERR;
        }
        size_t cap = 1u << 20;
        char *data = arena_alloc(a, cap);
        size_t len = fread(data, 1, cap, f);
        fclose(f);
        if (len == cap) {
            snprintf(err, errlen, "%s is too large", file);
            return DB_ERR;
        }
        if (holidays_parse_csv(a, file, (str){data, len}, &more, &nmore, err, errlen) != DB_OK)
            return DB_ERR;
        holiday *all = arena_alloc(a, (n + nmore) * sizeof *all);
        memcpy(all, rows, n * sizeof *rows);
        memcpy(all + n, more, nmore * sizeof *more);
        rows = all;
        n += nmore;
    }
    *total = (long)n;
    int r = holidays_sync_generated(c, rows, n, added, removed);
    if (r != DB_OK) snprintf(err, errlen, "%s", db_errmsg(c));
    return r;
}

int cmd_init(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"region", required_argument, NULL, 'r'},
                                         {"data", required_argument, NULL, 'a'},
                                         {"holidays", required_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *url = NULL, *code = NULL, *hol = NULL;
    char data[2048];
    snprintf(data, sizeof data, "%s/node_modules/idn-area-data/data", LAYAN_SOURCE_DIR);
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'r': code = optarg; break;
        case 'a': snprintf(data, sizeof data, "%s", optarg); break;
        case 'h': hol = optarg; break;
        default:
            return cli_usage_error("init", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
    if (!code)
        return cli_usage_error("init", "--region CODE is required (for example --region 32.73)");
    if (!valid_regency(code))
        return cli_usage_error("init",
                               "region code '%.40s' must be a kabupaten/kota code like 32.73 "
                               "(two digits, a dot, two digits)",
                               code);
    db *d = cli_open_db("init", url);
    if (!d) return url ? 1 : 2;
    char err[1024] = "";
    int rc = 1;
    db_conn *c = NULL;
    arena *a = arena_new(0);
    if (db_migrate(d, err, sizeof err) != DB_OK) {
        cli_fail("init", "%s", err);
        goto out;
    }
    c = db_acquire(d);
    if (!c) {
        cli_fail("init", "cannot connect to the database");
        goto out;
    }
    const char *have = settings_get(c, a, "region_code");
    if (have && strcmp(have, code) != 0) {
        cli_fail("init", "this database already serves region %s; use a new database for %s", have,
                 code);
        goto out;
    }
    long nreg = regions_count(c);
    if (nreg < 0) goto dberr;
    if (nreg == 0) {
        db_release(c);
        c = NULL;
        long n = 0;
        if (regions_import_dir(d, data, cli_progress, &n, err, sizeof err) != DB_OK) {
            cli_fail("init", "importing regions: %s (nothing was imported)", err);
            goto out;
        }
        printf("regions: %ld imported from %s\n", n, data);
        c = db_acquire(d);
        if (!c) {
            cli_fail("init", "cannot connect to the database");
            goto out;
        }
    } else {
        printf("regions: %ld already present (`layan regions import` refreshes them)\n", nreg);
    }
    region reg;
    int gr = regions_get(c, a, str_c(code), &reg);
    if (gr < 0) goto dberr;
    if (gr != DB_OK || reg.level != REGION_REGENCY) {
        cli_fail("init",
                 "region %s is not a kabupaten/kota in the official list (see regencies.csv of "
                 "idn-area-data, e.g. 32.73 for Kota Bandung)",
                 code);
        goto out;
    }
    int tz = units_tz_for_province((str){code, 2});
    if (tz < 0) {
        cli_fail("init", "no time zone is known for province %.2s; this is a bug in layan", code);
        goto out;
    }

    if (db_begin(c) != DB_OK) goto dberr;
    long nh = 0, hadd = 0, hrem = 0;
    if (sync_holidays(c, a, hol, &nh, &hadd, &hrem, err, sizeof err) != DB_OK) {
        db_rollback(c);
        cli_fail("init", "importing holidays: %s", err);
        goto out;
    }
    if (settings_set(c, "region_code", code) != DB_OK ||
        settings_set(c, "region_name", reg.name) != DB_OK)
        goto dberr_tx;
    int added = 0;
    bool created;
    char *name = arena_printf(a, "Pemerintah %s", reg.name);
    if (units_create(c, "pemda", NULL, "pemda", name, code, tz, &created) != DB_OK) goto dberr_tx;
    added += created;
    name = arena_printf(a, "Dinas Kependudukan dan Pencatatan Sipil %s", reg.name);
    if (units_create(c, "disdukcapil", "pemda", "opd", name, code, tz, &created) != DB_OK)
        goto dberr_tx;
    added += created;
    region *ds;
    size_t nd;
    if (regions_children(c, a, str_c(code), &ds, &nd) != DB_OK) goto dberr_tx;
    for (size_t i = 0; i < nd; i++) {
        name = arena_printf(a, "Kantor Kecamatan %s", ds[i].name);
        if (units_create(c, ds[i].code, "disdukcapil", "kecamatan", name, ds[i].code, tz,
                         &created) != DB_OK)
            goto dberr_tx;
        added += created;
    }
    int sadded = 0;
    if (svc_seed_adminduk(c, &sadded) != DB_OK) goto dberr_tx;
    if (skm_seed_default(c, NULL) != DB_OK) goto dberr_tx;
    char detail[256];
    snprintf(detail, sizeof detail,
             "region=%s units_added=%d services_added=%d holidays_added=%ld removed=%ld", code,
             added, sadded, hadd, hrem);
    if (cli_audit(c, "layan init", "init", code, detail) != DB_OK) goto dberr_tx;
    if (db_commit(c) != DB_OK) goto dberr_tx;
    printf("holidays: %ld in the built-in calendar%s (%ld added or updated, %ld removed)\n", nh,
           hol ? " and the file" : "", hadd, hrem);
    printf("units: %s: pemda, Disdukcapil and %zu kecamatan service points (%d added)\n", reg.name,
           nd, added);
    printf("services: the Disdukcapil catalogue, %d added (standards are drafts until a unit "
           "head stipulates them)\n",
           sadded);
    cr_keys keys;
    char kpath[1024];
    if (cli_load_keys("init", url, true, &keys, kpath, sizeof kpath)) goto out;
    cr_wipe(&keys, sizeof keys);
    printf("installation key: %s (keep a copy in a safe place: without it personal data cannot be "
           "read; every node needs the same file)\n",
           kpath);
    printf("database ready (schema %d)\n", db_schema_latest());
    rc = 0;
    goto out;
dberr_tx:
    snprintf(err, sizeof err, "%s", db_errmsg(c));
    db_rollback(c);
    cli_fail("init", "database error: %s", err);
    goto out;
dberr:
    cli_fail("init", "database error: %s", db_errmsg(c));
out:
    if (c) db_release(c);
    arena_free(a);
    db_close(d);
    return rc;
}

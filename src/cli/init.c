/* cli/init: `layan init --db URL --region CODE`: creates or migrates the schema, imports the
 * official regions (once), the holiday calendar, and the unit tree of the region: the pemda,
 * Disdukcapil, and one service point per kecamatan. Running it again changes nothing that
 * exists and adds what is missing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/holidays/holidays.h"
#include "features/regions/regions.h"
#include "features/settings/settings.h"
#include "features/units/units.h"

static void help(void)
{
    printf("Usage: layan init --db URL --region CODE [--data DIR] [--holidays FILE]\n\n"
           "Creates or migrates the database, imports the official region list (all of\n"
           "Indonesia) and the holiday calendar, and creates the unit tree of the kabupaten/kota\n"
           "CODE (for example 32.73, Kota Bandung): the Dinas Kependudukan dan Pencatatan Sipil\n"
           "and one service point per kecamatan, whose unit code is the kecamatan code. Safe to\n"
           "run again: it migrates and adds what is missing, and keeps edits.\n\n"
           "  --db URL         database, e.g. sqlite:var/layan.db\n"
           "  --region CODE    Kemendagri code of the kabupaten/kota, NN.NN\n"
           "  --data DIR       region CSVs (default: node_modules/idn-area-data/data)\n"
           "  --holidays FILE  holiday CSV date,name,kind (default: the one generated at build)\n");
}

/* WIB +7, WITA +8, WIT +9 by province code */
static int tz_for_province(int p)
{
    switch (p) {
    case 51:
    case 52:
    case 53:
    case 64:
    case 65:
    case 71:
    case 72:
    case 73:
    case 74:
    case 75:
    case 76: return 480;
    case 81:
    case 82:
    case 91:
    case 92:
    case 93:
    case 94:
    case 95:
    case 96:
    case 97: return 540;
    default: return 420;
    }
}

static bool valid_regency(const char *c)
{
    return strlen(c) == 5 && c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9' &&
           c[2] == '.' && c[3] >= '0' && c[3] <= '9' && c[4] >= '0' && c[4] <= '9';
}

static int count_rows(db_conn *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    int n = db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : -1;
    db_finish(s);
    return n;
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
    const char *url = NULL, *code = NULL;
    char data[2048], hol[2048];
    snprintf(data, sizeof data, "%s/node_modules/idn-area-data/data", LAYAN_SOURCE_DIR);
    snprintf(hol, sizeof hol, "%s/gen/holidays.csv", LAYAN_BINARY_DIR);
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'r': code = optarg; break;
        case 'a': snprintf(data, sizeof data, "%s", optarg); break;
        case 'h': snprintf(hol, sizeof hol, "%s", optarg); break;
        default:
            return cli_usage_error("init", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
    if (!code)
        return cli_usage_error("init", "--region CODE is required (for example --region 32.73)");
    if (!valid_regency(code))
        return cli_usage_error("init", "region code '%s' must be a kabupaten/kota code like 32.73",
                               code);
    db *d = cli_open_db("init", url);
    if (!d) return url ? 1 : 2;
    char err[1024] = "";
    int rc = 1;
    db_conn *c = NULL;
    arena *a = arena_new(0);
    int mr = db_migrate(d, err, sizeof err);
    if (mr != DB_OK) {
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
    int nreg = count_rows(c, "SELECT COUNT(*) FROM regions");
    if (nreg <= 0) {
        db_release(c);
        c = NULL;
        long n = 0;
        if (regions_import_dir(d, data, cli_progress, &n, err, sizeof err) != DB_OK) {
            cli_fail("init", "importing regions: %s", err);
            goto out;
        }
        printf("regions: %ld imported from %s\n", n, data);
        c = db_acquire(d);
        if (!c) goto out;
    } else {
        printf("regions: %d already present (use `layan regions import` to refresh)\n", nreg);
    }
    region reg;
    if (regions_get(c, a, str_c(code), &reg) != DB_OK || reg.level != 2) {
        cli_fail("init", "region %s is not a kabupaten/kota in the official list", code);
        goto out;
    }
    int tz = tz_for_province((code[0] - '0') * 10 + (code[1] - '0'));
    if (db_begin(c) != DB_OK) goto dberr;
    long nh = 0, nc = 0;
    if (access(hol, R_OK) == 0) {
        if (holidays_import_csv(c, hol, &nh, err, sizeof err) != DB_OK) {
            db_rollback(c);
            cli_fail("init", "importing holidays: %s", err);
            goto out;
        }
    } else {
        fprintf(stderr,
                "layan init: warning: no holiday file %s; deadlines will count only weekends until "
                "holidays are added\n",
                hol);
    }
    char cb[2048];
    snprintf(cb, sizeof cb, "%s/data/cuti-bersama.csv", LAYAN_SOURCE_DIR);
    if (access(cb, R_OK) == 0 && holidays_import_csv(c, cb, &nc, err, sizeof err) != DB_OK) {
        db_rollback(c);
        cli_fail("init", "importing cuti bersama: %s", err);
        goto out;
    }
    if (settings_set(c, "region_code", code) != DB_OK ||
        settings_set(c, "region_name", reg.name) != DB_OK)
        goto dberr_tx;
    char name[512];
    snprintf(name, sizeof name, "Pemerintah %s", reg.name);
    if (units_upsert(c, "pemda", NULL, "pemda", name, code, tz, NULL) != DB_OK) goto dberr_tx;
    snprintf(name, sizeof name, "Dinas Kependudukan dan Pencatatan Sipil %s", reg.name);
    if (units_upsert(c, "disdukcapil", "pemda", "opd", name, code, tz, NULL) != DB_OK)
        goto dberr_tx;
    region *ds;
    size_t nd;
    if (regions_children(c, a, str_c(code), &ds, &nd) != DB_OK) goto dberr_tx;
    for (size_t i = 0; i < nd; i++) {
        snprintf(name, sizeof name, "Kantor Kecamatan %s", ds[i].name);
        if (units_upsert(c, ds[i].code, "disdukcapil", "kecamatan", name, ds[i].code, tz, NULL) !=
            DB_OK)
            goto dberr_tx;
    }
    char detail[256];
    snprintf(detail, sizeof detail, "region=%s units=%zu holidays=%ld", code, nd + 2, nh + nc);
    if (cli_audit(c, "layan init", "init", code, detail) != DB_OK) goto dberr_tx;
    if (db_commit(c) != DB_OK) goto dberr;
    printf("holidays: %ld in the calendar file(s)\n", nh + nc);
    printf("units: %s, Disdukcapil and %zu kecamatan service points\n", name[0] ? reg.name : "",
           nd);
    printf("database ready (schema %d)\n", db_schema_latest());
    rc = 0;
    goto out;
dberr_tx:
    db_rollback(c);
dberr:
    cli_fail("init", "database error: %s", db_errmsg(c));
out:
    if (c) db_release(c);
    arena_free(a);
    db_close(d);
    return rc;
}

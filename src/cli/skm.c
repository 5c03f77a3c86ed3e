/* cli/skm: `layan skm sample-size N` (Krejcie & Morgan) and `layan skm import`: a CSV of
 * questionnaires into a unit's survey period, all or nothing; a bad file imports nothing and
 * every problem is named with its line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/skm/skm.h"
#include "features/units/units.h"

#define IMPORT_MAX_BYTES (64u << 20) /* ~ a million questionnaires */
#define IMPORT_MAX_ERRORS 20

static void help(void)
{
    printf("Usage: layan skm sample-size N\n"
           "       layan skm import --db URL --unit CODE --period P FILE.csv\n\n"
           "sample-size prints the minimum number of respondents for a population of N service\n"
           "users (Krejcie & Morgan 1970, as PermenPANRB 14/2017 asks: chi-square 3.841, P 0.5,\n"
           "d 0.05, rounded to the nearest integer).\n\n"
           "import adds the questionnaires in FILE.csv to the survey period P of the unit CODE,\n"
           "creating the period with the current instrument when it does not exist. The first\n"
           "line names the columns, in any order: every element code of the instrument (U1..U9\n"
           "for the default), each cell 1 to 4 or empty when not answered, and optionally\n"
           "jenis_kelamin (L or P), umur (10 to 120), pendidikan, pekerjaan, layanan and tanggal\n"
           "(YYYY-MM-DD, inside the period). All or nothing: a file with any bad line imports\n"
           "nothing, and the errors name the lines. See docs/guide-skm.md.\n\n"
           "  --db URL       database, e.g. sqlite:var/layan.db\n"
           "  --unit CODE    unit code (pemda, disdukcapil, 32.73.01 ...)\n"
           "  --period P     2026, 2026-S1, 2026-Q1 or 2026-01-15..2026-03-31\n\n"
           "Exit status: 0 done, 1 nothing imported (the reasons are printed), 2 usage error.\n");
}

static int sample_size(int argc, char **argv)
{
    if (argc != 3) return cli_usage_error("skm", "expected `layan skm sample-size N`");
    long n;
    if (!str_to_long(str_c(argv[2]), 0, 1000000000000L, &n))
        return cli_usage_error(
            "skm", "N must be a whole number from 0 to 1000000000000, not '%.40s'", argv[2]);
    printf("%lld\n", (long long)ikm_sample_size(n));
    return 0;
}

/* the whole file in memory (freed by the caller), or NULL after saying why */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_fail("skm", "cannot read %s", path);
        return NULL;
    }
    char *data = malloc(IMPORT_MAX_BYTES);
    size_t n = data ? fread(data, 1, IMPORT_MAX_BYTES, f) : 0;
    bool err = ferror(f);
    fclose(f);
    if (!data || err) {
        free(data);
        cli_fail("skm", "cannot read %s", path);
        return NULL;
    }
    if (n == IMPORT_MAX_BYTES) {
        free(data);
        cli_fail("skm", "%s is larger than %u MiB; split it by period or unit", path,
                 IMPORT_MAX_BYTES >> 20);
        return NULL;
    }
    *len = n;
    return data;
}

static int import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"unit", required_argument, NULL, 'u'},
                                         {"period", required_argument, NULL, 'p'},
                                         {NULL, 0, NULL, 0}};
    const char *url = NULL, *unit_code = NULL, *period = NULL;
    int ch;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'u': unit_code = optarg; break;
        case 'p': period = optarg; break;
        default:
            return cli_usage_error("skm", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (!unit_code) return cli_usage_error("skm", "--unit CODE is required");
    if (!period) return cli_usage_error("skm", "--period P is required (for example 2026-Q1)");
    ikm_period ip;
    if (!ikm_period_parse(period, strlen(period), &ip))
        return cli_usage_error("skm",
                               "'%.40s' is not a survey period; use 2026, 2026-S1, 2026-Q1 or "
                               "2026-01-01..2026-03-31",
                               period);
    if (optind != argc - 1) return cli_usage_error("skm", "give exactly one CSV file");
    const char *path = argv[optind];
    db *d = cli_open_db("skm", url);
    if (!d) return url ? 1 : 2;
    int rc = 1;
    char err[4096] = "";
    db_conn *c = NULL;
    arena *a = arena_new(0);
    size_t len = 0;
    char *data = read_file(path, &len);
    if (!data) goto out;
    if (db_migrate(d, err, sizeof err) != DB_OK) {
        cli_fail("skm", "%s", err);
        goto out;
    }
    if (!(c = db_acquire(d))) {
        cli_fail("skm", "cannot connect to the database");
        goto out;
    }
    int64_t unit_id = units_id(c, unit_code);
    if (!unit_id) {
        cli_fail("skm", "there is no unit with code '%.60s'", unit_code);
        goto out;
    }
    /* `layan init` seeds the default instrument; an older database may not have it yet */
    if (db_begin(c) != DB_OK || skm_seed_default(c, NULL) != DB_OK || db_commit(c) != DB_OK) {
        cli_fail("skm", "cannot prepare the survey instrument: %s", db_errmsg(c));
        goto out;
    }
    long n = 0;
    bool created = false;
    int r = skm_import_csv(c, a, unit_id, ip.code, (str){data, len}, &n, &created,
                           IMPORT_MAX_ERRORS, err, sizeof err);
    if (r == SKM_EINVALID) {
        fprintf(stderr, "layan skm: %s: nothing was imported:\n%s", path, err);
    } else if (r != DB_OK) {
        cli_fail("skm", "nothing was imported: database error: %s", db_errmsg(c));
    } else {
        if (created) printf("skm: period %s of %s created\n", ip.code, unit_code);
        printf("skm: %ld responses imported into %s %s\n", n, unit_code, ip.code);
        rc = 0;
    }
out:
    if (c) db_release(c);
    free(data);
    arena_free(a);
    db_close(d);
    return rc;
}

int cmd_skm(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "sample-size") == 0) return sample_size(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "import") == 0) return import(argc, argv);
    return cli_usage_error("skm", "expected `layan skm sample-size N` or `layan skm import ...`");
}

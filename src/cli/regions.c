/* cli/regions: `layan regions import --db URL DIR`: replaces the official region list from the
 * idn-area-data CSVs in one transaction; a bad line imports nothing and is named. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/regions/regions.h"

static void help(void)
{
    printf("Usage: layan regions import --db URL DIR\n\n"
           "(Re)imports the official Kemendagri region list from DIR, which holds\n"
           "provinces.csv, regencies.csv, districts.csv and villages.csv as shipped by the npm\n"
           "package idn-area-data. All or nothing: a bad line imports nothing, and the error\n"
           "names the file and the line.\n");
}

int cmd_regions(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "import") != 0)
        return cli_usage_error("regions", "expected `layan regions import --db URL DIR`");
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {NULL, 0, NULL, 0}};
    const char *url = NULL;
    int ch;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd') url = optarg;
        else
            return cli_usage_error("regions", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
    }
    if (optind != argc - 1) return cli_usage_error("regions", "give exactly one directory");
    const char *dir = argv[optind];
    db *d = cli_open_db("regions", url);
    if (!d) return url ? 1 : 2;
    char err[1024] = "";
    int rc = 1;
    if (db_migrate(d, err, sizeof err) != DB_OK) {
        cli_fail("regions", "%s", err);
    } else {
        long n = 0;
        if (regions_import_dir(d, dir, cli_progress, &n, err, sizeof err) != DB_OK) {
            cli_fail("regions", "nothing was imported: %s", err);
        } else {
            printf("regions: %ld imported from %s\n", n, dir);
            rc = 0;
        }
    }
    db_close(d);
    return rc;
}

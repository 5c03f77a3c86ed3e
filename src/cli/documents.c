/* cli/documents: `layan documents gc`: removes the uploads no row refers to (forms abandoned
 * after their files were uploaded), older than a threshold; see features/requests/docstore.h.
 * Each server also does it once a day ([storage] gc). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/requests/docstore.h"
#include "lib/str.h"

static void help(void)
{
    printf("Usage: layan documents gc --db URL [--older-than HOURS] [--dry-run] [--config FILE]\n\n"
           "Removes the uploaded documents that no request or delivery refers to and that were\n"
           "last written or used more than HOURS ago (default %d, so forms in progress keep\n"
           "their files): scans of identity documents left by forms that were never submitted.\n"
           "Only files named by a SHA-256 (64 hex digits) are considered; nothing else in the\n"
           "directory is touched. Prints how many files and bytes were removed.\n\n"
           "  --db URL            the installation's database, e.g. sqlite:var/layan.db (the\n"
           "                      one the server uses: a file it does not know is removed)\n"
           "  --older-than HOURS  keep unreferenced files younger than this (1 to 87600)\n"
           "  --dry-run           print what would be removed, remove nothing\n"
           "  --config FILE       INI configuration (also LAYAN_CONFIG) for [storage] documents\n"
           "                      and [security] key_file; LAYAN_DOCUMENTS_DIR also works\n\n"
           "The servers run the same clean-up once a day unless [storage] gc = off.\n"
           "Exit status: 0 done, 1 error (some files may have been removed: the count says),\n"
           "2 usage error.\n",
           DOCS_GC_DEFAULT_HOURS);
}

int cmd_documents(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "gc") != 0)
        return cli_usage_error("documents",
                               "expected `layan documents gc --db URL [--older-than HOURS] "
                               "[--dry-run]`");
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"older-than", required_argument, NULL, 'o'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {"config", required_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    const char *url = NULL, *older = NULL, *file = getenv("LAYAN_CONFIG");
    bool dry = false;
    int ch;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'o': older = optarg; break;
        case 'n': dry = true; break;
        case 'c': file = optarg; break;
        default:
            return cli_usage_error("documents", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error("documents", "unexpected argument '%s'", argv[optind]);
    long hours = DOCS_GC_DEFAULT_HOURS;
    if (older && !str_to_long(str_c(older), 1, 87600, &hours))
        return cli_usage_error("documents",
                               "--older-than must be a whole number of hours from 1 "
                               "to 87600, not '%s'",
                               older);
    if (!url)
        return cli_usage_error("documents",
                               "--db URL is required (for example --db sqlite:var/layan.db)");

    static layan_config cfg;
    char err[512];
    config_defaults(&cfg);
    if (file && *file && config_load_file(&cfg, file, err, sizeof err))
        return cli_fail("documents", "%s", err);
    if (config_load_env(&cfg, err, sizeof err)) return cli_fail("documents", "%s", err);
    if (config_set(&cfg, "database", "url", url, err, sizeof err))
        return cli_usage_error("documents", "%s", err);
    char dir[1024];
    docs_dir(&cfg, dir, sizeof dir);
    if (!dir[0])
        return cli_fail("documents", "no documents directory: set [storage] documents in the "
                                     "config (--config or LAYAN_CONFIG) or LAYAN_DOCUMENTS_DIR");

    db *d = cli_open_db("documents", url);
    if (!d) return 1;
    docs_gc_result r;
    int rc = docs_gc(d, &cfg, (int64_t)time(NULL), (int64_t)hours * 3600, dry, &r, err, sizeof err);
    db_close(d);
    /* after an error, the count only when something was done */
    if (rc == 0 || r.removed || r.failed)
        printf("%s %lld file(s), %lld bytes from %s (kept: %lld referenced, %lld newer than %ld "
               "hours)%s\n",
               dry ? "would remove" : "removed", (long long)r.removed, (long long)r.removed_bytes,
               dir, (long long)r.referenced, (long long)r.recent, hours,
               dry ? "; dry run, nothing removed" : "");
    if (rc != 0) return cli_fail("documents", "%s", err);
    return 0;
}

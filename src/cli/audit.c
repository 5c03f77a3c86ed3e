/* cli/audit: `layan audit verify --db URL`: walks the audit log's hash chain and names the
 * first entry that was changed, removed or inserted. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/audit/audit.h"

static void help(void)
{
    printf("Usage: layan audit verify --db URL\n\n"
           "Checks the audit log: every entry carries the hash of the entry before it, so an\n"
           "entry changed, removed or inserted afterwards breaks the chain. Prints \"audit log\n"
           "intact\" and exits 0, or names the first broken entry and exits 1. Keep the last\n"
           "line of a daily run somewhere else (it holds the newest hash): an attacker who\n"
           "rewrites the whole chain cannot change what you kept, and docs/internals/audit.md\n"
           "shows how to check a kept hash against the log.\n");
}

int cmd_audit(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "verify") != 0)
        return cli_usage_error("audit", "expected `layan audit verify --db URL`");
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {NULL, 0, NULL, 0}};
    const char *url = NULL;
    int ch;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd') url = optarg;
        else return cli_usage_error("audit", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    if (optind != argc) return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
    db *d = cli_open_db("audit", url);
    if (!d) return url ? 1 : 2;
    /* the head is read before the walk, so the hash printed is one the walk then covered */
    char head[80] = "";
    int64_t head_id = 0;
    db_conn *c = db_acquire(d);
    db_stmt *s =
        c ? db_prepare(c, "SELECT last_id, last_hash FROM audit_head WHERE one = 1") : NULL;
    if (s && db_step(s) == DB_ROW) {
        head_id = db_col_int(s, 0);
        str h = db_col_text(s, 1);
        snprintf(head, sizeof head, "%.*s", (int)(h.n < 64 ? h.n : 64), h.p ? h.p : "");
    }
    if (s) db_finish(s);
    if (c) db_release(c);
    int64_t checked, legacy, bad;
    char why[300];
    int r = audit_verify(d, &checked, &legacy, &bad, why, sizeof why);
    int rc;
    if (r < 0) {
        rc = cli_fail("audit", "cannot read the audit log (is the database initialised?)");
    } else if (r == 1) {
        printf("audit log BROKEN at entry %lld: %s\n", (long long)bad, why);
        rc = 1;
    } else {
        printf("audit log intact: %lld entries", (long long)checked);
        if (legacy) printf(" (and %lld older entries from before the chain)", (long long)legacy);
        if (head[0]) printf("\nnewest hash: #%lld %s\n", (long long)head_id, head);
        else printf("\nnewest hash: (none)\n");
        rc = 0;
    }
    db_close(d);
    return rc;
}

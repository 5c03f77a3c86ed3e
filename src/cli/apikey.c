/* cli/apikey: `layan apikey create|list|revoke`: keys for integrations (Open311 clients, other
 * government systems). The key is printed once, on the last line of `create`; only its hash is
 * stored. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/units/units.h"
#include "features/audit/audit.h"

static void help(void)
{
    printf("Usage: layan apikey create --db URL --name NAME [--unit CODE]\n"
           "       layan apikey list   --db URL\n"
           "       layan apikey revoke --db URL PREFIX\n\n"
           "API keys let other systems use the JSON API and Open311 (POST). A key belongs to\n"
           "the unit CODE (a unit code such as 32.73.01) when given, else to the whole pemda.\n"
           "`create` prints the key once, on its last line: store it in the other system, it\n"
           "cannot be shown again. `list` shows each key's prefix; `revoke PREFIX` stops a key.\n");
}

static int create(db *d, const char *name, const char *unit_code)
{
    db_conn *c = db_acquire(d);
    if (!c) return cli_fail("apikey", "cannot connect to the database");
    int rc = 1;
    int64_t uid = 0;
    if (unit_code && !(uid = units_id(c, unit_code))) {
        cli_fail("apikey", "no unit with code '%s' (see /api/v1/units for the codes)", unit_code);
        goto out;
    }
    char key[128];
    int64_t id = 0;
    int64_t now = app_now();
    int r = db_begin(c);
    if (r == DB_OK) r = acct_apikey_create(c, now, name, uid, "layan apikey", key, sizeof key, &id);
    if (r == DB_OK) {
        char obj[32];
        snprintf(obj, sizeof obj, "apikey:%lld", (long long)id);
        r = audit_append(c, now, "layan apikey", "apikey.create", obj, name);
    }
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) {
        cli_fail("apikey", "database error: %s", db_errmsg(c));
        db_rollback(c);
        goto out;
    }
    printf("API key '%s' created for %s. Store it now; it is not shown again:\n%s\n", name,
           unit_code ? unit_code : "the whole pemda", key);
    cr_wipe(key, sizeof key);
    rc = 0;
out:
    db_release(c);
    return rc;
}

static int list(db *d)
{
    db_conn *c = db_acquire(d);
    if (!c) return cli_fail("apikey", "cannot connect to the database");
    arena *a = arena_new(0);
    acct_apikey *ks;
    size_t n;
    int r = acct_apikey_list(c, a, &ks, &n);
    db_release(c);
    if (r != DB_OK) {
        arena_free(a);
        return cli_fail("apikey", "database error");
    }
    if (!n) printf("no API keys yet; create one with `layan apikey create`\n");
    else
        printf("%-10s %-24s %-12s %-20s %-20s %s\n", "PREFIX", "NAME", "UNIT", "CREATED",
               "LAST USED", "STATUS");
    for (size_t i = 0; i < n; i++)
        printf("%-10s %-24.24s %-12s %-20s %-20s %s\n", ks[i].prefix, ks[i].name,
               ks[i].unit_code ? ks[i].unit_code : "(pemda)", ks[i].created_at,
               ks[i].last_used_at ? ks[i].last_used_at : "never",
               ks[i].revoked_at ? "revoked" : "active");
    arena_free(a);
    return 0;
}

static int revoke(db *d, const char *prefix)
{
    db_conn *c = db_acquire(d);
    if (!c) return cli_fail("apikey", "cannot connect to the database");
    int64_t now = app_now();
    int r = db_begin(c);
    if (r == DB_OK) r = acct_apikey_revoke(c, now, prefix);
    if (r == DB_OK) r = audit_append(c, now, "layan apikey", "apikey.revoke", prefix, NULL);
    if (r == DB_OK) r = db_commit(c);
    else db_rollback(c);
    db_release(c);
    if (r == DB_DONE) return cli_fail("apikey", "no active key with prefix '%s'", prefix);
    if (r != DB_OK) return cli_fail("apikey", "database error");
    printf("API key %s revoked: calls with it now get 401\n", prefix);
    return 0;
}

int cmd_apikey(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        help();
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"unit", required_argument, NULL, 'u'},
                                         {NULL, 0, NULL, 0}};
    const char *url = NULL, *name = NULL, *unit_code = NULL;
    int ch;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'n': name = optarg; break;
        case 'u': unit_code = optarg; break;
        default:
            return cli_usage_error("apikey", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    bool is_create = strcmp(sub, "create") == 0, is_list = strcmp(sub, "list") == 0,
         is_revoke = strcmp(sub, "revoke") == 0;
    if (!is_create && !is_list && !is_revoke)
        return cli_usage_error("apikey", "unknown subcommand '%s' (create, list or revoke)", sub);
    if (is_create && (!name || !*name || strlen(name) > 80))
        return cli_usage_error("apikey", "--name NAME is required (at most 80 characters), e.g. "
                                         "--name \"SP4N-LAPOR integration\"");
    if (is_revoke && optind >= argc)
        return cli_usage_error("apikey", "which key? give its PREFIX (see `layan apikey list`)");
    db *d = cli_open_db("apikey", url);
    if (!d) return url ? 1 : 2;
    int rc;
    if (db_schema_version(d) != db_schema_latest()) {
        rc = cli_fail("apikey", "the database is not initialised or needs migrating; run `layan "
                                "init` first");
    } else {
        cr_init();
        rc = is_create ? create(d, name, unit_code) : is_list ? list(d) : revoke(d, argv[optind]);
    }
    db_close(d);
    return rc;
}

/* cli/demo: `layan demo --db URL`: demo content for a first look: addresses, phone numbers and
 * opening hours of every unit. Demo addresses and numbers are made up and say so (phone
 * numbers use the 0000 block); re-running it is safe. Accounts come with the accounts feature. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/settings/settings.h"
#include "features/units/units.h"

static void help(void)
{
    printf("Usage: layan demo --db URL\n\n"
           "Adds demo content to a database made by `layan init`: an address, a phone number\n"
           "and opening hours for the Disdukcapil office and every kecamatan service point.\n"
           "The addresses and numbers are made up. Safe to run again.\n");
}

/* Mon-Thu 08:00-15:00 (break 12:00-13:00), Fri 08:00-15:30 (break 11:30-13:00) */
static const unit_hours kec_hours[] = {{1, 480, 900, 720, 780},
                                       {2, 480, 900, 720, 780},
                                       {3, 480, 900, 720, 780},
                                       {4, 480, 900, 720, 780},
                                       {5, 480, 930, 690, 780}};
/* the main office also opens Saturday morning */
static const unit_hours main_hours[] = {{1, 480, 900, 720, 780}, {2, 480, 900, 720, 780},
                                        {3, 480, 900, 720, 780}, {4, 480, 900, 720, 780},
                                        {5, 480, 930, 690, 780}, {6, 480, 720, -1, -1}};

static const char *streets[] = {
    "Jl. Merdeka",       "Jl. Pahlawan",      "Jl. Diponegoro",   "Jl. Sudirman",  "Jl. Ahmad Yani",
    "Jl. Gatot Subroto", "Jl. Cut Nyak Dien", "Jl. Dewi Sartika", "Jl. Siliwangi", "Jl. Kartini"};

int cmd_demo(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {NULL, 0, NULL, 0}};
    const char *url = NULL;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd') url = optarg;
        else return cli_usage_error("demo", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    if (optind < argc) return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
    db *d = cli_open_db("demo", url);
    if (!d) return url ? 1 : 2;
    int rc = 1;
    arena *a = arena_new(0);
    db_conn *c = db_acquire(d);
    if (!c) goto out;
    if (db_schema_version(d) < db_schema_latest() || !settings_get(c, a, "region_code")) {
        cli_fail("demo",
                 "the database is not initialised; run `layan init --db %s --region CODE` first",
                 url);
        goto out;
    }
    unit *us;
    size_t n;
    if (db_begin(c) != DB_OK || units_list(c, a, &us, &n) != DB_OK) goto dberr;
    int done = 0;
    for (size_t i = 0; i < n; i++) {
        const unit *u = &us[i];
        if (strcmp(u->type, "pemda") == 0) continue;
        char addr[300], phone[32];
        const char *kec = strncmp(u->name, "Kantor Kecamatan ", 17) == 0 ? u->name + 17 : NULL;
        if (kec)
            snprintf(addr, sizeof addr, "%s No. %zu, Kecamatan %s (alamat contoh)", streets[i % 10],
                     10 + i * 3, kec);
        else snprintf(addr, sizeof addr, "%s No. 1 (alamat contoh)", streets[0]);
        snprintf(phone, sizeof phone, "(022) 0000-%04zu", 1000 + i);
        bool is_main = strcmp(u->type, "opd") == 0;
        if (units_set_contact(c, u->code, addr, phone,
                              is_main ? "disdukcapil@contoh.go.id" : NULL) != DB_OK ||
            units_set_hours(c, u->code, is_main ? main_hours : kec_hours, is_main ? 6 : 5) != DB_OK)
            goto dberr_tx;
        done++;
    }
    if (cli_audit(c, "layan demo", "demo", "units", "addresses, phones and opening hours") !=
            DB_OK ||
        db_commit(c) != DB_OK)
        goto dberr_tx;
    printf("demo: address, phone and opening hours set for %d units\n", done);
    printf("demo accounts: none yet (they arrive with the accounts feature)\n");
    rc = 0;
    goto out;
dberr_tx:
    db_rollback(c);
dberr:
    cli_fail("demo", "database error: %s", db_errmsg(c));
out:
    if (c) db_release(c);
    arena_free(a);
    db_close(d);
    return rc;
}

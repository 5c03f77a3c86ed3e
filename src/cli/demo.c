/* cli/demo: `layan demo --db URL`: demo content for a first look at a database made by
 * `layan init`: an address, a phone number and opening hours for the Disdukcapil office and every
 * kecamatan service point. The values are made up and look it: addresses end in "(alamat
 * contoh)" and phone numbers use the 0000 exchange. Only empty fields are filled, so running it
 * again (or after an admin's edits) changes nothing that is there. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/regions/regions.h"
#include "features/settings/settings.h"
#include "features/units/units.h"

static void help(void)
{
    printf("Usage: layan demo --db URL\n\n"
           "Adds demo content to a database made by `layan init`: an address, a phone number\n"
           "and opening hours for the Disdukcapil office and every kecamatan service point.\n"
           "The addresses and numbers are made up. Only empty fields are filled: safe to run\n"
           "again, and it keeps edits.\n");
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

static const char *const streets[] = {
    "Jl. Merdeka",       "Jl. Pahlawan",      "Jl. Diponegoro",   "Jl. Sudirman",  "Jl. Ahmad Yani",
    "Jl. Gatot Subroto", "Jl. Cut Nyak Dien", "Jl. Dewi Sartika", "Jl. Siliwangi", "Jl. Kartini"};

/* telephone area codes of a few regions, so the demo looks local; "000" elsewhere */
static const char *area_code(const char *regency)
{
    static const struct {
        const char *prefix, *code;
    } t[] = {{"32.73", "022"},  {"32.77", "022"},  {"32.04", "022"}, {"32.17", "022"},
             {"31.7", "021"},   {"35.78", "031"},  {"33.74", "024"}, {"34.71", "0274"},
             {"51.71", "0361"}, {"73.71", "0411"}, {"12.71", "061"}, {"16.71", "0711"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (regency && strncmp(regency, t[i].prefix, strlen(t[i].prefix)) == 0) return t[i].code;
    return "000";
}

#define DEMO_PASSWORD "layan-demo-2026"

struct demo_account {
    const char *username, *name, *role; /* role NULL: the demo citizen */
    bool at_kecamatan;
};
static const struct demo_account demo_accounts[] = {
    {"admin", "Admin Pemda (demo)", "admin_pemda", false},
    {"petugas", "Petugas Disdukcapil (demo)", "petugas", false},
    {"kurir", "Kurir Disdukcapil (demo)", "kurir", false},
    {"kepala.kecamatan", "Kepala Pelayanan Kecamatan (demo)", "kepala_unit", true},
    {"evaluator", "Evaluator Inspektorat (demo)", "evaluator", false},
};

/* Demo accounts: one per staff role and one citizen, all with the password DEMO_PASSWORD; the
 * admin has two-step sign-in on with a key printed here (an authenticator app, or
 * `oathtool --totp -b KEY`, gives the codes). Created only when missing. Returns how many exist
 * (created or found), -1 on a database error. */
static int seed_accounts(db_conn *c, const char *url, arena *a, char *totp_out, size_t totp_cap)
{
    cr_keys k;
    char kpath[1024];
    if (cli_load_keys("demo", url, false, &k, kpath, sizeof kpath)) return -1;
    int64_t now = app_now();
    int64_t opd = 0, kec = 0;
    const char *kec_region = NULL;
    db_stmt *s = db_prepare(c, "SELECT id, type, region_code FROM units WHERE type IN ('opd', "
                               "'kecamatan') ORDER BY type DESC, code");
    if (!s) return -1;
    while (db_step(s) == DB_ROW) {
        str t = db_col_text(s, 1);
        if (str_eq_c(t, "opd") && !opd) opd = db_col_int(s, 0);
        if (str_eq_c(t, "kecamatan") && !kec) {
            kec = db_col_int(s, 0);
            str rc = db_col_text(s, 2);
            kec_region = arena_strndup(a, rc.p ? rc.p : "", rc.n);
        }
    }
    db_finish(s);
    int64_t pemda = units_id(c, NULL);
    if (!opd || !pemda) return 0;
    int n = 0;
    for (size_t i = 0; i < sizeof demo_accounts / sizeof demo_accounts[0]; i++) {
        const struct demo_account *d = &demo_accounts[i];
        acct_user u;
        int r = acct_find(c, &k, CONTACT_USERNAME, d->username, a, &u);
        if (r == DB_ROW) {
            n++;
            continue;
        }
        if (r != DB_DONE) return -1;
        acct_new nu = {.name = d->name,
                       .username = d->username,
                       .password = DEMO_PASSWORD,
                       .citizen = false,
                       .verified = true};
        int64_t id;
        if (acct_create(c, &k, now, &nu, &id) != DB_OK) return -1;
        bool wide = strcmp(d->role, "admin_pemda") == 0 || strcmp(d->role, "evaluator") == 0;
        int64_t where = wide ? pemda : d->at_kecamatan && kec ? kec : opd;
        if (acct_role_add(c, id, d->role, where, 0, now) != DB_OK) return -1;
        if (strcmp(d->role, "admin_pemda") == 0) {
            char secret[CR_TOTP_SECRET_B32 + 1];
            cr_totp_secret(secret);
            if (acct_totp_set(c, &k, id, secret, now) != DB_OK) return -1;
            snprintf(totp_out, totp_cap, "%s", secret);
        }
        n++;
    }
    /* the demo citizen: a NIK of the first kecamatan, born 15 May 1990, serial 0001 */
    if (kec_region && strlen(kec_region) == 8) {
        char nik[17];
        snprintf(nik, sizeof nik, "%.2s%.2s%.2s1505900001", kec_region, kec_region + 3,
                 kec_region + 6);
        acct_user u;
        int r = acct_find(c, &k, CONTACT_NIK, nik, a, &u);
        if (r == DB_DONE) {
            acct_new nu = {.nik = nik,
                           .name = "Warga Demo",
                           .phone = "081200000001",
                           .email = "warga@layan-demo.example",
                           .address = "Jl. Merdeka No. 1 (alamat contoh)",
                           .password = DEMO_PASSWORD,
                           .citizen = true,
                           .verified = true};
            int64_t id;
            if (acct_create(c, &k, now, &nu, &id) != DB_OK) return -1;
        } else if (r != DB_ROW) {
            return -1;
        }
        n++;
    }
    cr_wipe(&k, sizeof k);
    return n;
}

static void print_accounts(const char *totp)
{
    printf("demo accounts (password for all: %s):\n", DEMO_PASSWORD);
    for (size_t i = 0; i < sizeof demo_accounts / sizeof demo_accounts[0]; i++)
        printf("  %-18s %s\n", demo_accounts[i].username, demo_accounts[i].role);
    printf("  %-18s citizen (warga): sign in with the phone number\n", "081200000001");
    if (totp && *totp)
        printf("  the admin signs in with two steps: add this key to an authenticator app, or get "
               "a code with `oathtool --totp -b %s`\n  admin TOTP key: %s\n",
               totp, totp);
}

/* the last two digits of a kecamatan code (32.73.07 -> 7), 0 for other codes */
static int kec_number(const char *code)
{
    size_t n = strlen(code);
    if (n != 8) return 0;
    return (code[6] - '0') * 10 + (code[7] - '0');
}

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
    db_conn *c = NULL;
    int have = db_schema_version(d);
    if (have > db_schema_latest()) {
        cli_fail("demo", "the database was made by a newer layan; upgrade layan");
        goto out;
    }
    c = db_acquire(d);
    if (!c) {
        cli_fail("demo", "cannot connect to the database");
        goto out;
    }
    const char *regency = have == db_schema_latest() ? settings_get(c, a, "region_code") : NULL;
    if (!regency) {
        cli_fail("demo",
                 "the database is not initialised; run `layan init --db %s --region CODE` first",
                 url);
        goto out;
    }
    const char *area = area_code(regency);
    const char *region_name = regions_name(c, a, str_c(regency));
    unit *us;
    size_t n;
    if (db_begin(c) != DB_OK) goto dberr;
    if (units_list(c, a, &us, &n) != DB_OK) goto dberr_tx;
    int contacts = 0, hours = 0, points = 0;
    for (size_t i = 0; i < n; i++) {
        const unit *u = &us[i];
        bool is_main = strcmp(u->type, "opd") == 0, is_kec = strcmp(u->type, "kecamatan") == 0;
        if (!is_main && !is_kec) continue;
        points++;
        if (!u->address && !u->phone && !u->email) {
            int k = kec_number(u->code);
            const char *kec =
                is_kec && u->region_code ? regions_name(c, a, str_c(u->region_code)) : NULL;
            char *addr = kec ? arena_printf(a, "%s No. %d, Kecamatan %s (alamat contoh)",
                                            streets[k % 10], 10 + k * 3, kec)
                             : arena_printf(a, "%s No. 1, %s (alamat contoh)", streets[0],
                                            region_name ? region_name : regency);
            char *phone = arena_printf(a, "%s-0000-%04d", area, 1000 + k);
            if (units_set_contact(c, u->code, addr, phone,
                                  is_main ? "disdukcapil@layan-demo.example" : NULL) != DB_OK)
                goto dberr_tx;
            contacts++;
        }
        if (u->nhours == 0) {
            if (units_set_hours(c, u->code, is_main ? main_hours : kec_hours, is_main ? 6 : 5) !=
                DB_OK)
                goto dberr_tx;
            hours++;
        }
    }
    char totp[CR_TOTP_SECRET_B32 + 1] = "";
    int accounts = seed_accounts(c, url, a, totp, sizeof totp);
    if (accounts < 0) goto dberr_tx;
    char detail[128];
    snprintf(detail, sizeof detail, "contacts=%d hours=%d accounts=%d", contacts, hours, accounts);
    if (cli_audit(c, "layan demo", "demo", "units", detail) != DB_OK || db_commit(c) != DB_OK)
        goto dberr_tx;
    printf("demo: of %d service points, %d got contact details and %d got opening hours%s\n",
           points, contacts, hours,
           contacts < points || hours < points ? " (the others already had them)" : "");
    if (accounts > 0) print_accounts(totp);
    rc = 0;
    goto out;
dberr_tx:
    cli_fail("demo", "database error: %s", db_errmsg(c));
    db_rollback(c);
    goto out;
dberr:
    cli_fail("demo", "database error: %s", db_errmsg(c));
out:
    if (c) db_release(c);
    arena_free(a);
    db_close(d);
    return rc;
}

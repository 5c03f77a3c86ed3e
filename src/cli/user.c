/* cli/user: `layan user create|list|reset-password`: staff accounts from the command line. The
 * first admin_pemda of an installation is made here; after that admins manage staff on the web.
 * A new or reset account gets a temporary password, printed once on the last line, which must be
 * changed at the first sign-in. */
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
    printf("Usage: layan user create --db URL --username NAME --name \"FULL NAME\" --role ROLE\n"
           "                         [--unit CODE] [--email ADDRESS] [--phone NUMBER]\n"
           "       layan user list --db URL\n"
           "       layan user reset-password --db URL --username NAME\n\n"
           "Staff accounts. ROLE is petugas, kurir, kepala_unit, admin_pemda or evaluator;\n"
           "petugas, kurir and kepala_unit need --unit (a unit code such as 32.73.01), the\n"
           "others cover the whole pemda. The temporary password is printed once, on the last\n"
           "line, and must be changed at the first sign-in; admin_pemda must also set up\n"
           "two-step sign-in (an authenticator app) before using the admin pages.\n");
}

static int create(db *d, const cr_keys *k, const char *username, const char *name, const char *role,
                  const char *unit_code, const char *email, const char *phone)
{
    char uname[64], em[CONTACT_MAX + 1] = "", ph[32] = "";
    if (!contact_username(username, strlen(username), uname, sizeof uname))
        return cli_usage_error("user",
                               "user name '%s' must be 3 to 40 letters, digits, '.', '_' "
                               "or '-', starting with a letter",
                               username);
    if (email && !contact_email(email, strlen(email), em, sizeof em))
        return cli_usage_error("user", "'%s' is not an e-mail address", email);
    if (phone && !contact_phone(phone, strlen(phone), ph, sizeof ph))
        return cli_usage_error("user", "'%s' is not an Indonesian mobile number (08...)", phone);
    if (!acct_role_bit(role))
        return cli_usage_error("user",
                               "role '%s' is unknown: use petugas, kurir, kepala_unit, "
                               "admin_pemda or evaluator",
                               role);
    bool wide = strcmp(role, "admin_pemda") == 0 || strcmp(role, "evaluator") == 0;
    if (!wide && !unit_code)
        return cli_usage_error("user", "role %s needs --unit CODE (the unit the person works at)",
                               role);
    db_conn *c = db_acquire(d);
    if (!c) return cli_fail("user", "cannot connect to the database");
    int64_t uid = units_id(c, wide && !unit_code ? NULL : unit_code);
    if (!uid) {
        db_release(c);
        return cli_fail("user", "no unit with code '%s'", unit_code ? unit_code : "(pemda)");
    }
    char pw[20];
    acct_temp_password(pw);
    acct_new n = {.name = name,
                  .username = uname,
                  .email = em,
                  .phone = ph,
                  .password = pw,
                  .citizen = false,
                  .verified = true,
                  .must_change_password = true};
    int64_t id = 0, now = app_now();
    int r = db_begin(c);
    if (r == DB_OK) r = acct_create(c, k, now, &n, &id);
    if (r == DB_OK) r = acct_role_add(c, id, role, uid, 0, now);
    if (r == DB_OK) {
        char obj[32];
        snprintf(obj, sizeof obj, "user:%lld", (long long)id);
        r = audit_append(c, now, "layan user", "user.create", obj, role);
    }
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) {
        bool taken = r == DB_ECONSTRAINT;
        db_rollback(c);
        db_release(c);
        return taken ? cli_fail("user", "user name, e-mail or phone number is already in use")
                     : cli_fail("user", "database error");
    }
    db_release(c);
    printf("staff account '%s' (%s) created with role %s. Temporary password, to be changed at "
           "the first sign-in:\n%s\n",
           uname, name, role, pw);
    cr_wipe(pw, sizeof pw);
    return 0;
}

static int list(db *d)
{
    db_conn *c = db_acquire(d);
    if (!c) return cli_fail("user", "cannot connect to the database");
    arena *a = arena_new(0);
    acct_user *us;
    size_t n;
    int64_t total;
    int r = acct_list(c, false, 1000, 0, a, &us, &n, &total);
    if (r == DB_OK) {
        printf("%-20s %-30s %-8s %s\n", "USER NAME", "NAME", "STATUS", "ROLES");
        for (size_t i = 0; i < n; i++) {
            acct_role *rs;
            size_t nr;
            acct_roles(c, us[i].id, a, &rs, &nr);
            printf("%-20s %-30.30s %-8s", us[i].username ? us[i].username : "-", us[i].name,
                   us[i].disabled ? "disabled" : "active");
            for (size_t j = 0; j < nr; j++)
                printf("%s%s@%s", j ? ", " : " ", rs[j].role, rs[j].unit_code);
            printf("\n");
        }
    }
    db_release(c);
    arena_free(a);
    return r == DB_OK ? 0 : cli_fail("user", "database error");
}

static int reset(db *d, const cr_keys *k, const char *username)
{
    db_conn *c = db_acquire(d);
    if (!c) return cli_fail("user", "cannot connect to the database");
    arena *a = arena_new(0);
    acct_user u;
    char uname[64];
    int r = contact_username(username, strlen(username), uname, sizeof uname)
                ? acct_find(c, k, CONTACT_USERNAME, uname, a, &u)
                : DB_DONE;
    if (r != DB_ROW) {
        db_release(c);
        arena_free(a);
        return cli_fail("user", "no staff account '%s'", username);
    }
    char pw[20];
    acct_temp_password(pw);
    int64_t now = app_now();
    r = db_begin(c);
    if (r == DB_OK) r = acct_set_password(c, u.id, pw, true, now);
    if (r == DB_OK) r = acct_sessions_drop(c, u.id);
    if (r == DB_OK) {
        char obj[32];
        snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
        r = audit_append(c, now, "layan user", "password.reset_by_admin", obj, NULL);
    }
    if (r == DB_OK) r = db_commit(c);
    else db_rollback(c);
    db_release(c);
    arena_free(a);
    if (r != DB_OK) return cli_fail("user", "database error");
    printf("password of '%s' reset; every session ended. Temporary password:\n%s\n", uname, pw);
    cr_wipe(pw, sizeof pw);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        help();
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},    {"username", required_argument, NULL, 'u'},
        {"name", required_argument, NULL, 'n'},  {"role", required_argument, NULL, 'r'},
        {"unit", required_argument, NULL, 't'},  {"email", required_argument, NULL, 'e'},
        {"phone", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
    const char *url = NULL, *username = NULL, *name = NULL, *role = NULL, *unit_code = NULL,
               *email = NULL, *phone = NULL;
    int ch;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'u': username = optarg; break;
        case 'n': name = optarg; break;
        case 'r': role = optarg; break;
        case 't': unit_code = optarg; break;
        case 'e': email = optarg; break;
        case 'p': phone = optarg; break;
        default:
            return cli_usage_error("user", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    bool is_create = strcmp(sub, "create") == 0, is_list = strcmp(sub, "list") == 0,
         is_reset = strcmp(sub, "reset-password") == 0;
    if (!is_create && !is_list && !is_reset)
        return cli_usage_error("user", "unknown subcommand '%s' (create, list or reset-password)",
                               sub);
    if ((is_create || is_reset) && !username)
        return cli_usage_error("user", "--username NAME is required");
    if (is_create && (!name || !*name || strlen(name) > 100))
        return cli_usage_error("user", "--name \"FULL NAME\" is required (at most 100 characters)");
    if (is_create && !role)
        return cli_usage_error("user", "--role is required (petugas, kurir, kepala_unit, "
                                       "admin_pemda or evaluator)");
    db *d = cli_open_db("user", url);
    if (!d) return url ? 1 : 2;
    int rc = 1;
    cr_keys k;
    char kpath[1024];
    if (db_schema_version(d) != db_schema_latest())
        rc = cli_fail("user", "the database is not initialised or needs migrating; run `layan "
                              "init` first");
    else if (cli_load_keys("user", url, false, &k, kpath, sizeof kpath) == 0)
        rc = is_create ? create(d, &k, username, name, role, unit_code, email, phone)
             : is_list ? list(d)
                       : reset(d, &k, username);
    cr_wipe(&k, sizeof k);
    db_close(d);
    return rc;
}

/* storefix: see storefix.h. */
#include "storefix.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "features/accounts/accounts.h"
#include "testdb.h"

int storefix_open(char *dir, const char *name, db **d, db_conn **c, arena **a, cr_keys *k)
{
    if (!mkdtemp(dir)) return -1;
    char url[512], keyf[600];
    if (!testdb_new(dir, name, url, sizeof url)) return -1;
    snprintf(keyf, sizeof keyf, "%s/test.key", dir);
    setenv("LAYAN_KEY_FILE", keyf, 1);
    setenv("LAYAN_PASSWORD_OPS", "1", 1);
    setenv("LAYAN_PASSWORD_MEM_KB", "8", 1);
    char *init[] = {"init", "--db", url, "--region", "32.73", NULL};
    if (cmd_init(5, init) != 0) return -1;
    char err[512];
    if (cr_init() || cr_key_file_load(keyf, false, k, err, sizeof err)) return -1;
    cr_pw_set_cost(1, 8192);
    db_options o = {0};
    if (db_open(url, &o, d, err, sizeof err)) {
        fprintf(stderr, "storefix: %s\n", err);
        return -1;
    }
    *c = db_acquire(*d);
    *a = arena_new(0);
    return *c ? 0 : -1;
}

int storefix_close(const char *dir, db *d, db_conn *c, arena *a)
{
    if (a) arena_free(a);
    if (c) db_release(c);
    if (d) db_close(d);
    testdb_cleanup();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int64_t storefix_int(db_conn *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t v = db_col_int(s, 0);
    db_finish(s);
    return v;
}

int64_t storefix_user(db_conn *c, const cr_keys *k, int64_t at, const char *nik,
                      const char *username, bool citizen)
{
    acct_new n = {.nik = nik,
                  .name = citizen ? "Warga Uji" : "Petugas Uji",
                  .username = username,
                  .password = "kopi hujan sepeda",
                  .citizen = citizen,
                  .verified = true};
    int64_t id = 0;
    assert_int_equal(acct_create(c, k, at, &n, &id), DB_OK);
    return id;
}

int64_t storefix_monday_0900(void)
{
    return (int64_t)cal_days_from_civil(2026, 11, 23) * 86400 + 2 * 3600;
}

req_new storefix_kia_online(int64_t service_id, int64_t unit_id, int64_t applicant, const char *key)
{
    return (req_new){.service_id = service_id,
                     .unit_id = unit_id,
                     .applicant_id = applicant,
                     .channel = "online",
                     .delivery = "pickup",
                     .nik = "3273010101900001",
                     .kk = "3273012301200002",
                     .name = "Warga Uji",
                     .phone = "081200000001",
                     .form_json = "{\"tanggal_lahir_anak\":\"2022-05-01\"}",
                     .idempotency_key = key};
}

/* The accounts store on a database made by `layan init` (SQLite, and PostgreSQL as pg/...):
 * personal data sealed with lookups by keyed hash, unverified accounts giving way to the real
 * owner, one-time codes (single use, 5 tries, 10 minutes, newest only), roles, API keys, the
 * record of staff reading a citizen's data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "features/accounts/accounts.h"
#include "storefix.h"
#include "testdb.h"

static char tmp[] = "/tmp/layan-acct-XXXXXX";
static db *d;
static db_conn *c;
static arena *a;
static cr_keys k;
static const int64_t T0 = 1795000000; /* 2026-11-18 */

static int setup(void **state)
{
    (void)state;
    return storefix_open(tmp, "acct", &d, &c, &a, &k) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    return storefix_close(tmp, d, c, a);
}

static int64_t citizen(const char *nik, const char *phone, bool verified)
{
    acct_new n = {.nik = nik,
                  .name = "Warga Uji",
                  .phone = phone,
                  .address = "Jl. Uji No. 7",
                  .password = "kopi hujan sepeda",
                  .citizen = true,
                  .verified = verified};
    int64_t id = 0;
    assert_int_equal(acct_create(c, &k, T0, &n, &id), DB_OK);
    return id;
}

static void test_personal_data_sealed(void **state)
{
    (void)state;
    int64_t id = citizen("3273010101900001", "081211110001", true);
    acct_user u;
    assert_int_equal(acct_find(c, &k, CONTACT_NIK, "3273010101900001", a, &u), DB_ROW);
    assert_int_equal(u.id, id);
    assert_string_equal(u.nik_masked, "3273********0001");
    assert_string_equal(u.phone_masked, "0812****0001");
    assert_int_equal(acct_find(c, &k, CONTACT_PHONE, "081211110001", a, &u), DB_ROW);
    assert_int_equal(acct_find(c, &k, CONTACT_PHONE, "081211110002", a, &u), DB_DONE);
    acct_private p;
    assert_int_equal(acct_private_get(c, &k, id, a, &p), DB_ROW);
    assert_string_equal(p.nik, "3273010101900001");
    assert_string_equal(p.address, "Jl. Uji No. 7");
    assert_null(p.email);
    /* the stored bytes are neither the NIK nor its plain hash */
    db_stmt *s = db_prepare(c, "SELECT nik_enc, nik_hash FROM users WHERE id = $1");
    db_bind_int(s, 1, id);
    assert_int_equal(db_step(s), DB_ROW);
    size_t n1, n2;
    const void *enc = db_col_blob(s, 0, &n1), *h = db_col_blob(s, 1, &n2);
    assert_int_equal(n1, 16 + CR_SEAL_OVERHEAD);
    assert_null(memmem(enc, n1, "3273010101900001", 16));
    unsigned char plain[32];
    cr_token_hash(STR("3273010101900001"), plain);
    assert_int_equal(n2, 32);
    assert_false(cr_eq(h, plain, 32));
    db_finish(s);
    /* another installation key cannot open it */
    unsigned char seed[32] = {1};
    cr_keys other;
    cr_keys_from_seed(seed, &other);
    assert_int_equal(acct_private_get(c, &other, id, a, &p), DB_ROW);
    assert_string_equal(p.nik, "?");
}

static void test_unverified_gives_way(void **state)
{
    (void)state;
    /* someone typed another person's NIK and never confirmed the phone */
    citizen("3273010202900002", "081211110003", false);
    int64_t owner = citizen("3273010202900002", "081211110004", true);
    acct_user u;
    assert_int_equal(acct_find(c, &k, CONTACT_PHONE, "081211110003", a, &u), DB_DONE);
    assert_int_equal(acct_find(c, &k, CONTACT_NIK, "3273010202900002", a, &u), DB_ROW);
    assert_int_equal(u.id, owner);
    assert_true(u.verified);
    /* a verified account is never replaced */
    acct_new n = {
        .nik = "3273010202900002", .name = "X", .password = "kopi hujan sepeda", .citizen = true};
    int64_t id;
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(acct_create(c, &k, T0, &n, &id), DB_ECONSTRAINT);
    db_rollback(c);
    assert_int_equal(acct_get(c, owner, a, &u), DB_ROW);
}

static void newest_code(char out[7])
{
    db_stmt *s = db_prepare(c, "SELECT body_enc FROM outbox ORDER BY id DESC LIMIT 1");
    assert_int_equal(db_step(s), DB_ROW);
    size_t n;
    const void *p = db_col_blob(s, 0, &n);
    unsigned char body[600];
    long m = cr_open(&k, p, n, body, sizeof body);
    assert_true(m > 0);
    const char *colon = strstr((const char *)body, ": ");
    assert_non_null(colon);
    memcpy(out, colon + 2, 6);
    out[6] = 0;
    db_finish(s);
}

static void test_one_time_codes(void **state)
{
    (void)state;
    int64_t id = citizen("3273010303900003", "081211110005", false);
    char code[7], wrong[16];
    assert_int_equal(acct_code_issue(c, &k, T0, id, "verify", "sms", "081211110005", "id"), DB_OK);
    newest_code(code);
    snprintf(wrong, sizeof wrong, "%06d", ((int)strtol(code, NULL, 10) + 1) % 1000000);
    /* the code is stored only as a keyed hash */
    assert_int_equal(acct_code_check(c, &k, T0 + 10, id, "verify", str_c(wrong)), DB_DONE);
    assert_int_equal(acct_code_check(c, &k, T0 + 10, id, "reset", str_c(code)), DB_DONE);
    assert_int_equal(acct_code_check(c, &k, T0 + 10, id, "verify", str_c(code)), DB_OK);
    assert_int_equal(acct_code_check(c, &k, T0 + 11, id, "verify", str_c(code)),
                     DB_DONE); /* once */
    /* expired after 10 minutes */
    assert_int_equal(acct_code_issue(c, &k, T0, id, "verify", "sms", "081211110005", "id"), DB_OK);
    newest_code(code);
    assert_int_equal(acct_code_check(c, &k, T0 + 601, id, "verify", str_c(code)), DB_DONE);
    /* a new code replaces the old one */
    assert_int_equal(acct_code_issue(c, &k, T0, id, "verify", "sms", "081211110005", "id"), DB_OK);
    char first[7];
    newest_code(first);
    assert_int_equal(acct_code_issue(c, &k, T0 + 5, id, "verify", "sms", "081211110005", "id"),
                     DB_OK);
    newest_code(code);
    if (strcmp(first, code) != 0)
        assert_int_equal(acct_code_check(c, &k, T0 + 6, id, "verify", str_c(first)), DB_DONE);
    /* five wrong tries use it up, even the right code after them */
    for (int i = 0; i < 5; i++) {
        snprintf(wrong, sizeof wrong, "%06d", ((int)strtol(code, NULL, 10) + 1 + i) % 1000000);
        assert_int_equal(acct_code_check(c, &k, T0 + 7, id, "verify", str_c(wrong)), DB_DONE);
    }
    assert_int_equal(acct_code_check(c, &k, T0 + 8, id, "verify", str_c(code)), DB_DONE);
}

static void test_roles_and_keys(void **state)
{
    (void)state;
    acct_new n = {.name = "Petugas Uji",
                  .username = "uji",
                  .password = "kopi hujan sepeda",
                  .verified = true};
    int64_t id;
    assert_int_equal(acct_create(c, &k, T0, &n, &id), DB_OK);
    db_stmt *s = db_prepare(c, "SELECT id FROM units WHERE type = 'opd'");
    assert_int_equal(db_step(s), DB_ROW);
    int64_t opd = db_col_int(s, 0);
    db_finish(s);
    assert_int_equal(acct_role_mask(c, id), 0);
    assert_int_equal(acct_role_add(c, id, "petugas", opd, 0, T0), DB_OK);
    assert_int_equal(acct_role_add(c, id, "petugas", opd, 0, T0), DB_OK); /* idempotent */
    assert_int_equal(acct_role_add(c, id, "kurir", opd, 0, T0), DB_OK);
    assert_int_equal(acct_role_mask(c, id), ROLE_PETUGAS | ROLE_KURIR);
    assert_int_equal(acct_role_remove(c, id, "kurir", opd), DB_OK);
    assert_int_equal(acct_role_mask(c, id), ROLE_PETUGAS);
    assert_int_equal(acct_role_add(c, id, "raja", opd, 0, T0), DB_ECONSTRAINT);
    char key[128];
    int64_t kid;
    assert_int_equal(acct_apikey_create(c, T0, "uji", opd, "test", key, sizeof key, &kid), DB_OK);
    acct_apikey *ks;
    size_t nk;
    assert_int_equal(acct_apikey_list(c, a, &ks, &nk), DB_OK);
    assert_int_equal(nk, 1);
    assert_memory_equal(ks[0].prefix, key + 4, 8);
    assert_null(ks[0].revoked_at);
    assert_int_equal(acct_apikey_revoke(c, T0, ks[0].prefix), DB_OK);
    assert_int_equal(acct_apikey_revoke(c, T0, ks[0].prefix), DB_DONE);
    /* reads of personal data are listed for the citizen, newest first */
    int64_t cit = citizen("3273010404900004", "081211110006", true);
    assert_int_equal(acct_record_access(c, T0, cit, id, opd, "Verifikasi berkas KTP-el", "NIK"),
                     DB_OK);
    assert_int_equal(acct_record_access(c, T0 + 60, cit, id, opd, "Cetak KK", "NIK, alamat"),
                     DB_OK);
    acct_access *xs;
    size_t nx;
    assert_int_equal(acct_access_list(c, cit, a, &xs, &nx), DB_OK);
    assert_int_equal(nx, 2);
    assert_string_equal(xs[0].purpose, "Cetak KK");
    assert_string_equal(xs[0].staff_name, "Petugas Uji");
    assert_string_equal(xs[1].fields, "NIK");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_personal_data_sealed),
        cmocka_unit_test(test_unverified_gives_way),
        cmocka_unit_test(test_one_time_codes),
        cmocka_unit_test(test_roles_and_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

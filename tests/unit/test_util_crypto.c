/* Unit tests of lib/crypto: tokens, the key file, secretbox, keyed hashes, Argon2id passwords
 * and the common-password list, TOTP against the RFC 6238 vectors. The password cost is set to
 * libsodium's minimum so the suite stays fast. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/crypto.h"

static cr_keys test_keys(unsigned char fill)
{
    unsigned char seed[32];
    memset(seed, fill, sizeof seed);
    cr_keys k;
    cr_keys_from_seed(seed, &k);
    return k;
}

static void test_tokens(void **state)
{
    (void)state;
    char a[CR_TOKEN_LEN + 1], b[CR_TOKEN_LEN + 1];
    cr_random_token(a);
    cr_random_token(b);
    assert_int_equal(strlen(a), CR_TOKEN_LEN);
    assert_int_equal(strlen(b), CR_TOKEN_LEN);
    assert_string_not_equal(a, b);
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                     CR_TOKEN_LEN);

    unsigned char h1[32], h2[32], h3[32];
    cr_token_hash(str_c(a), h1);
    cr_token_hash(str_c(a), h2);
    cr_token_hash(str_c(b), h3);
    assert_true(cr_eq(h1, h2, 32));
    assert_false(cr_eq(h1, h3, 32));
    char hex[65];
    cr_hex(h1, 32, hex);
    assert_int_equal(strlen(hex), 64);

    char d[7];
    cr_random_digits(d, 6);
    assert_int_equal(strlen(d), 6);
    assert_int_equal(strspn(d, "0123456789"), 6);
    for (int i = 0; i < 100; i++)
        assert_true(cr_random_uniform(7) < 7);
}

static void test_seal_open(void **state)
{
    (void)state;
    cr_keys k = test_keys(1), other = test_keys(2);
    const char *msg = "3273012345678901";
    size_t n = strlen(msg);
    unsigned char box[64], out[64];
    size_t bn = cr_seal(&k, msg, n, box, sizeof box);
    assert_int_equal(bn, n + CR_SEAL_OVERHEAD);

    long m = cr_open(&k, box, bn, out, sizeof out);
    assert_int_equal(m, (long)n);
    assert_string_equal((char *)out, msg); /* NUL-terminated */

    /* two seals of the same text differ (random nonce) */
    unsigned char box2[64];
    assert_int_equal(cr_seal(&k, msg, n, box2, sizeof box2), bn);
    assert_memory_not_equal(box, box2, bn);

    /* exact cap: no room for the NUL, still opens */
    assert_int_equal(cr_open(&k, box, bn, out, n), (long)n);

    assert_int_equal(cr_open(&other, box, bn, out, sizeof out), -1); /* other key */
    for (size_t i = 0; i < bn; i += 7) {                             /* any tampered byte */
        box[i] ^= 1;
        assert_int_equal(cr_open(&k, box, bn, out, sizeof out), -1);
        box[i] ^= 1;
    }
    assert_int_equal(cr_open(&k, box, bn - 1, out, sizeof out), -1); /* truncated */
    assert_int_equal(cr_open(&k, box, 10, out, sizeof out), -1);     /* shorter than nonce+MAC */
    assert_int_equal(cr_open(&k, box, bn, out, n - 1), -1);          /* small cap */
    assert_int_equal(cr_seal(&k, msg, n, box, n + CR_SEAL_OVERHEAD - 1), 0); /* small cap */

    /* empty plaintext */
    assert_int_equal(cr_seal(&k, "", 0, box, sizeof box), CR_SEAL_OVERHEAD);
    assert_int_equal(cr_open(&k, box, CR_SEAL_OVERHEAD, out, sizeof out), 0);
}

static void test_lookup_hash(void **state)
{
    (void)state;
    cr_keys k = test_keys(1), other = test_keys(2);
    unsigned char a[32], b[32], c[32], d[32];
    cr_lookup_hash(&k, "nik", STR("3273012345678901"), a);
    cr_lookup_hash(&k, "nik", STR("3273012345678901"), b);
    assert_true(cr_eq(a, b, 32));
    cr_lookup_hash(&k, "phone", STR("3273012345678901"), c);
    assert_false(cr_eq(a, c, 32)); /* domain */
    cr_lookup_hash(&other, "nik", STR("3273012345678901"), d);
    assert_false(cr_eq(a, d, 32)); /* key */
    /* the 0 byte separates domain and value: "ab"+"c" is not "a"+"bc" */
    cr_lookup_hash(&k, "ab", STR("c"), c);
    cr_lookup_hash(&k, "a", STR("bc"), d);
    assert_false(cr_eq(c, d, 32));
    /* the three subkeys differ from each other */
    assert_false(cr_eq(k.box, k.lookup, 32));
    assert_false(cr_eq(k.lookup, k.mac, 32));

    char m1[65], m2[65], m3[65];
    cr_mac_hex(&k, "csrf", STR("session"), m1);
    cr_mac_hex(&k, "csrf", STR("session"), m2);
    cr_mac_hex(&k, "rate", STR("session"), m3);
    assert_int_equal(strlen(m1), 64);
    assert_string_equal(m1, m2);
    assert_string_not_equal(m1, m3);
    /* the MAC key is not the lookup key */
    cr_lookup_hash(&k, "csrf", STR("session"), a);
    char ah[65];
    cr_hex(a, 32, ah);
    assert_string_not_equal(ah, m1);
}

static void test_key_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/layan-crypto-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], err[512];
    snprintf(path, sizeof path, "%s/layan.key", dir);

    cr_keys k1, k2;
    assert_int_equal(cr_key_file_load(path, false, &k1, err, sizeof err), -1); /* missing */
    assert_non_null(strstr(err, path));
    assert_int_equal(cr_key_file_load(path, true, &k1, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65);
    assert_int_equal(cr_key_file_load(path, true, &k2, err, sizeof err), 0); /* reloaded, kept */
    assert_memory_equal(&k1, &k2, sizeof k1);

    /* the file's content is the seed: the keys are those of cr_keys_from_seed */
    char hex[66] = {0};
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fread(hex, 1, 65, f), 65);
    fclose(f);
    assert_int_equal(hex[64], '\n');
    unsigned char seed[32];
    size_t bin = 0;
    assert_int_equal(sodium_hex2bin(seed, 32, hex, 64, NULL, &bin, NULL), 0);
    cr_keys k3;
    cr_keys_from_seed(seed, &k3);
    assert_memory_equal(&k1, &k3, sizeof k1);

    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(cr_key_file_load(path, false, &k2, err, sizeof err), -1);
    assert_non_null(strstr(err, "readable by other users"));
    assert_non_null(strstr(err, "chmod 600"));
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(cr_key_file_load(path, false, &k2, err, sizeof err), -1);
    assert_int_equal(chmod(path, 0600), 0);

    /* CRLF is accepted (same key), garbage and wrong lengths are not */
    hex[64] = '\r';
    hex[65] = '\n';
    f = fopen(path, "w");
    assert_non_null(f);
    fwrite(hex, 1, 66, f);
    fclose(f);
    assert_int_equal(cr_key_file_load(path, false, &k2, err, sizeof err), 0);
    assert_memory_equal(&k1, &k2, sizeof k1);

    const char *bad[] = {"not a key\n",
                         "0123456789abcdef\n",
                         "zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
                         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00\n",
                         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nx",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[i], f);
        fclose(f);
        err[0] = 0;
        assert_int_equal(cr_key_file_load(path, true, &k2, err, sizeof err), -1);
        assert_non_null(strstr(err, "malformed"));
    }

    unlink(path);
    assert_int_equal(rmdir(dir), 0); /* no temporary file left behind */
}

static void test_passwords(void **state)
{
    (void)state;
    cr_pw_set_cost(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    char h[CR_PW_HASH_MAX];
    assert_int_equal(cr_pw_hash("kuda lumping di pasar", h), 0);
    assert_non_null(strstr(h, "$argon2id$"));
    assert_true(cr_pw_verify(h, "kuda lumping di pasar"));
    assert_false(cr_pw_verify(h, "kuda lumping di pasar!"));
    assert_false(cr_pw_verify("", "x"));
    assert_false(cr_pw_needs_rehash(h));

    cr_pw_set_cost(crypto_pwhash_OPSLIMIT_MIN + 1, crypto_pwhash_MEMLIMIT_MIN);
    assert_true(cr_pw_needs_rehash(h));
    assert_true(cr_pw_verify(h, "kuda lumping di pasar")); /* still verifies */
    assert_int_equal(cr_pw_hash("kuda lumping di pasar", h), 0);
    assert_false(cr_pw_needs_rehash(h));

    /* a cost below libsodium's minimum is clamped, not an error */
    cr_pw_set_cost(0, 1);
    assert_int_equal(cr_pw_hash("x", h), 0);
    assert_false(cr_pw_needs_rehash(h));
    assert_true(cr_pw_needs_rehash("garbage"));
}

static void test_pw_check(void **state)
{
    (void)state;
    assert_true(cr_pw_common_count() > 1000);
    assert_int_equal(cr_pw_check("", NULL), CR_PW_SHORT);
    assert_int_equal(cr_pw_check("abc1234", NULL), CR_PW_SHORT);
    /* 7 code points in 14 bytes is still short; 8 code points is long enough */
    assert_int_equal(cr_pw_check("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", NULL),
                     CR_PW_SHORT);
    assert_int_equal(
        cr_pw_check("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", NULL),
        CR_PW_OK);
    /* stray continuation bytes count as characters */
    assert_int_equal(cr_pw_check("\x80\x80\x80\x80\x80\x80\x80\x80", NULL), CR_PW_OK);

    char longpw[CR_PW_MAX + 2];
    memset(longpw, 'q', CR_PW_MAX + 1);
    longpw[CR_PW_MAX + 1] = 0;
    assert_int_equal(cr_pw_check(longpw, NULL), CR_PW_LONG);
    longpw[CR_PW_MAX] = 0;
    assert_int_equal(cr_pw_check(longpw, NULL), CR_PW_OK);

    assert_int_equal(cr_pw_check("password123", NULL), CR_PW_COMMON);
    assert_int_equal(cr_pw_check("PassWord123", NULL), CR_PW_COMMON); /* case-insensitive */
    assert_int_equal(cr_pw_check("bismillah123", NULL), CR_PW_COMMON);
    assert_int_equal(cr_pw_check("Persib1933", NULL), CR_PW_COMMON);
    assert_int_equal(cr_pw_check("Jakarta2024", NULL), CR_PW_COMMON);
    assert_int_equal(cr_pw_check("12345678", NULL), CR_PW_COMMON);

    const char *p2[] = {"3273012345678901", "", "081234567890", "Siti Aminah", "Jo", NULL};
    assert_int_equal(cr_pw_check("aku3273012345678901", p2), CR_PW_PERSONAL);
    assert_int_equal(cr_pw_check("aku081234567890!", p2), CR_PW_PERSONAL);
    assert_int_equal(cr_pw_check("SitiAminah!77", p2), CR_PW_PERSONAL);  /* name, no spaces */
    assert_int_equal(cr_pw_check("siti aminah 77", p2), CR_PW_PERSONAL); /* name as written */
    assert_int_equal(cr_pw_check("Jonggol berbunga", p2), CR_PW_OK);     /* "jo" is too short */

    assert_int_equal(cr_pw_check("kuda lumping di pasar", p2), CR_PW_OK);
    assert_int_equal(cr_pw_check("kuda lumping di pasar", NULL), CR_PW_OK);
}

/* RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last 6 of the 8 digits */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static void test_totp(void **state)
{
    (void)state;
    char c[7];
    static const struct {
        int64_t t;
        const char *code;
    } vec[] = {{59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
               {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}};
    for (size_t i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        assert_int_equal(cr_totp_code(RFC_SECRET, vec[i].t, c), 0);
        assert_string_equal(c, vec[i].code);
    }

    int64_t now = 1111111109, cur = now / 30, step = 0;
    assert_true(cr_totp_verify(RFC_SECRET, now, "081804", 0, &step));
    assert_int_equal(step, cur);
    assert_false(cr_totp_verify(RFC_SECRET, now, "081804", step, &step)); /* replay */
    assert_false(cr_totp_verify(RFC_SECRET, now, "000000", 0, &step));
    assert_false(cr_totp_verify(RFC_SECRET, now, "81804", 0, &step));
    assert_false(cr_totp_verify(RFC_SECRET, now, "08180a", 0, &step));

    for (int d = -2; d <= 2; d++) {
        assert_int_equal(cr_totp_code(RFC_SECRET, now + 30 * d, c), 0);
        step = -5;
        bool ok = cr_totp_verify(RFC_SECRET, now, c, 0, &step);
        if (d >= -1 && d <= 1) {
            assert_true(ok);
            assert_int_equal(step, cur + d);
        } else {
            assert_false(ok);
            assert_int_equal(step, -5);
        }
    }
    /* after the current step was used, the previous one is refused, the next one accepted */
    assert_int_equal(cr_totp_code(RFC_SECRET, now - 30, c), 0);
    assert_false(cr_totp_verify(RFC_SECRET, now, c, cur, &step));
    assert_int_equal(cr_totp_code(RFC_SECRET, now + 30, c), 0);
    assert_true(cr_totp_verify(RFC_SECRET, now, c, cur, &step));
    assert_int_equal(step, cur + 1);

    char s1[CR_TOTP_SECRET_B32 + 1], s2[CR_TOTP_SECRET_B32 + 1];
    cr_totp_secret(s1);
    cr_totp_secret(s2);
    assert_int_equal(strlen(s1), CR_TOTP_SECRET_B32);
    assert_int_equal(strspn(s1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), CR_TOTP_SECRET_B32);
    assert_string_not_equal(s1, s2);
    assert_int_equal(cr_totp_code(s1, 1700000000, c), 0);
    assert_true(cr_totp_verify(s1, 1700000000, c, 0, &step));
    assert_int_equal(cr_totp_code("not base32!", 59, c), -1);

    char uri[512];
    assert_int_equal(
        cr_totp_uri("Layan Kota Cimahi", "siti@contoh.id", RFC_SECRET, uri, sizeof uri), 0);
    assert_non_null(strstr(uri, "otpauth://totp/Layan%20Kota%20Cimahi:siti%40contoh.id?"));
    assert_non_null(strstr(uri, "secret=" RFC_SECRET));
    assert_non_null(strstr(uri, "&issuer=Layan%20Kota%20Cimahi"));
    assert_null(strchr(uri, ' '));
    assert_int_equal(cr_totp_uri("Layan", "siti", RFC_SECRET, uri, 40), -1); /* too small */
}

int main(void)
{
    if (cr_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),      cmocka_unit_test(test_seal_open),
        cmocka_unit_test(test_lookup_hash), cmocka_unit_test(test_key_file),
        cmocka_unit_test(test_passwords),   cmocka_unit_test(test_pw_check),
        cmocka_unit_test(test_totp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* crypto: the only code that calls libsodium and liboath. Random tokens, token hashes, the
 * installation key and what is derived from it (secretbox for personal data at rest, keyed
 * hashes for lookups), Argon2id passwords with a common-password list, and TOTP (RFC 6238).
 *
 * Every function is thread-safe once cr_init() has returned 0. Nothing here logs or keeps a
 * secret longer than the call; callers wipe their own copies with cr_wipe(). */
#ifndef LAYAN_CRYPTO_H
#define LAYAN_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/str.h"

int cr_init(void); /* sodium_init(); 0 or -1 */
void cr_wipe(void *p, size_t n);
bool cr_eq(const void *a, const void *b, size_t n); /* constant time */

/* ---- tokens ---- */
#define CR_TOKEN_LEN 43 /* 32 random bytes, base64url without padding */
void cr_random_token(char out[CR_TOKEN_LEN + 1]);
void cr_random_bytes(void *p, size_t n);
uint32_t cr_random_uniform(uint32_t upper);    /* 0 .. upper-1 */
void cr_random_digits(char *out, int ndigits); /* one-time codes: ndigits + NUL */
/* BLAKE2b-256 of a token (sessions, API keys): the token is random, no key is needed */
void cr_token_hash(str token, unsigned char out[32]);
void cr_hex(const unsigned char *p, size_t n, char *out); /* out: 2n + 1 */

/* ---- the installation key ----
 * A file holding 64 hex characters (32 random bytes) and a newline. cr_key_file_load() creates
 * it (mode 0600, via a temporary file and rename) when `create` is true and it is missing, and
 * refuses a file that group or others can read, or that is malformed. Subkeys are derived with
 * crypto_kdf: one for secretbox, one for lookup hashes, one for rate-limit and CSRF MACs. */
typedef struct {
    unsigned char box[32];    /* secretbox: personal data at rest */
    unsigned char lookup[32]; /* keyed BLAKE2b: NIK/phone/email lookups, one-time codes */
    unsigned char mac[32];    /* keyed BLAKE2b: rate-limit keys, CSRF tokens */
} cr_keys;
int cr_key_file_load(const char *path, bool create, cr_keys *k, char *err, size_t errlen);
void cr_keys_from_seed(const unsigned char seed[32], cr_keys *k); /* tests */

/* secretbox: out = nonce (24) || MAC (16) || ciphertext; CR_SEAL_OVERHEAD bytes longer than n.
 * Returns the sealed length, or 0 when cap is too small. */
#define CR_SEAL_OVERHEAD 40
size_t cr_seal(const cr_keys *k, const void *p, size_t n, unsigned char *out, size_t cap);
/* returns the plaintext length, or -1 when the box is forged, truncated or cap is too small.
 * The plaintext is NUL-terminated when cap allows (out[len] = 0). */
long cr_open(const cr_keys *k, const unsigned char *box, size_t n, unsigned char *out, size_t cap);

/* keyed lookup hash: BLAKE2b-256 keyed with k->lookup of domain || 0x00 || value.
 * Domains keep equal values of different kinds apart ("nik", "phone", "email", "otp"). */
void cr_lookup_hash(const cr_keys *k, const char *domain, str value, unsigned char out[32]);
/* MAC with k->mac, as hex (65 bytes with NUL): rate-limit keys, CSRF tokens */
void cr_mac_hex(const cr_keys *k, const char *domain, str value, char out[65]);
/* a token shaped like cr_random_token() but derived: keyed BLAKE2b (k->mac) of domain || 0x00 ||
 * value. For an action retried with the same random value in its form (a page refreshed after
 * a POST), so the retry finds what the first one made; unguessable without the key. */
void cr_derived_token(const cr_keys *k, const char *domain, str value, char out[CR_TOKEN_LEN + 1]);

/* ---- passwords (Argon2id, crypto_pwhash_str) ---- */
#define CR_PW_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define CR_PW_MIN 8        /* characters (UTF-8 code points) */
#define CR_PW_MAX 128
/* process-wide cost; the server and CLI set it from [security] at start */
void cr_pw_set_cost(unsigned long long ops, size_t mem_bytes);
int cr_pw_hash(const char *pw, char out[CR_PW_HASH_MAX]); /* 0, or -1 when out of memory */
bool cr_pw_verify(const char *hash, const char *pw);
bool cr_pw_needs_rehash(const char *hash); /* cost differs from cr_pw_set_cost() */

enum cr_pw_problem {
    CR_PW_OK = 0,
    CR_PW_SHORT,    /* fewer than CR_PW_MIN characters */
    CR_PW_LONG,     /* more than CR_PW_MAX characters */
    CR_PW_COMMON,   /* on the shipped list of common passwords (case-insensitive) */
    CR_PW_PERSONAL, /* contains or equals one of `personal` (NIK, phone, name...) */
};
/* personal: NULL-terminated list (a NULL ends it); empty entries are ignored, so pass "" for
 * a value the account does not have */
enum cr_pw_problem cr_pw_check(const char *pw, const char *const *personal);
size_t cr_pw_common_count(void); /* entries in the built-in list */

/* ---- TOTP (RFC 6238: HMAC-SHA1, 30 s, 6 digits), through liboath ---- */
#define CR_TOTP_SECRET_B32 32 /* 20 random bytes in base32 */
void cr_totp_secret(char out[CR_TOTP_SECRET_B32 + 1]);
/* the code for time `now` (tests, and the setup page's self-check) */
int cr_totp_code(const char *secret_b32, int64_t now, char out[7]);
/* accepts the code of the step of `now` or one step either side, and only a step later than
 * last_step (a code cannot be used twice). Returns true and the step used in *step. */
bool cr_totp_verify(const char *secret_b32, int64_t now, const char *code, int64_t last_step,
                    int64_t *step);
/* otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=... (percent-encoded), into out */
int cr_totp_uri(const char *issuer, const char *account, const char *secret_b32, char *out,
                size_t cap);

/* ---- the office signing key (Ed25519) ----
 * Receipts and documents carry a QR code signed with the office's key. The key pair of
 * generation `gen` (1..255) is derived from the installation key: its 32-byte seed is
 * crypto_kdf_derive_from_key(subkey id gen, context "layansig", master key k->mac), so nothing
 * is stored and every node of an installation signs with the same key. Rotation: move to the
 * next generation (REQ_SIGN_GEN in features/requests/requests.h); verifiers still know the
 * older ones because each payload names its generation. A compromised installation key means
 * every generation is compromised: replace the key file (docs/internals/requests.md). */
#define CR_SIGN_PUBLIC 32
#define CR_SIGN_BYTES 64
void cr_sign_public_key(const cr_keys *k, unsigned gen, unsigned char pk[CR_SIGN_PUBLIC]);
/* detached signature of msg[0..n) with the key of generation gen; -1 when gen is out of range */
int cr_sign(const cr_keys *k, unsigned gen, const void *msg, size_t n,
            unsigned char sig[CR_SIGN_BYTES]);
bool cr_sign_verify(const unsigned char pk[CR_SIGN_PUBLIC], const void *msg, size_t n,
                    const unsigned char sig[CR_SIGN_BYTES]);

#endif

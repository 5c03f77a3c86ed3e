/* accounts: who the user is. Citizens (warga) and staff, their roles scoped to units, sessions
 * in the database (so every node shares them), one-time codes, API keys, and the record of
 * staff reading a citizen's personal data. See docs/internals/accounts.md.
 *
 * Personal data is sealed with the installation key (cr_seal) and found through keyed hashes
 * (cr_lookup_hash); only masked forms are kept in clear. Every function taking a db_conn works
 * inside the caller's transaction when there is one. */
#ifndef LAYAN_ACCOUNTS_H
#define LAYAN_ACCOUNTS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/contact.h"
#include "db/db.h"
#include "http/http.h"
#include "lib/arena.h"
#include "lib/crypto.h"

#define ACCT_ROLES 5
/* role names as stored, in the order of the ROLE_* bits from ROLE_PETUGAS */
extern const char *const acct_role_names[ACCT_ROLES];
unsigned acct_role_bit(const char *name); /* 0 when unknown */

typedef struct {
    int64_t id;
    bool citizen;
    const char *name;
    const char *username;
    const char *nik_masked, *phone_masked, *email_masked;
    bool has_phone, has_email;
    bool verified, disabled, totp, must_change_password;
    const char *lang;
    const char *created_at;
    const char *password_hash; /* acct_find and acct_get; NULL from acct_list */
} acct_user;

/* by sign-in identifier (NIK, phone, e-mail, user name); DB_ROW found, DB_DONE not, or error */
int acct_find(db_conn *c, const cr_keys *k, enum contact_kind kind, const char *norm, arena *a,
              acct_user *u);
int acct_get(db_conn *c, int64_t id, arena *a, acct_user *u);

typedef struct {
    const char *nik, *name, *phone, *email, *address; /* normalised; NULL or "" = none */
    const char *username;                             /* staff */
    const char *password;
    bool citizen;
    bool verified;
    bool must_change_password;
} acct_new;
/* creates the account (password hashed here); DB_ECONSTRAINT when the NIK, phone, e-mail or
 * user name is taken. Unverified citizen accounts holding any of them are removed first: they
 * were never confirmed, and must not lock the real owner out. */
int acct_create(db_conn *c, const cr_keys *k, int64_t now, const acct_new *n, int64_t *id);
int acct_set_password(db_conn *c, int64_t id, const char *password, bool must_change, int64_t now);
int acct_set_verified(db_conn *c, int64_t id, int64_t now);
int acct_set_disabled(db_conn *c, int64_t id, bool disabled, int64_t now);
int acct_update_contact(db_conn *c, const cr_keys *k, int64_t id, const char *name,
                        const char *phone, const char *email, const char *address, int64_t now);
/* decrypted personal data of one account (owner or authorised staff only) */
typedef struct {
    const char *nik, *phone, *email, *address;
} acct_private;
int acct_private_get(db_conn *c, const cr_keys *k, int64_t id, arena *a, acct_private *p);

/* roles */
typedef struct {
    const char *role;
    int64_t unit_id;
    const char *unit_code, *unit_name;
} acct_role;
int acct_roles(db_conn *c, int64_t user_id, arena *a, acct_role **out, size_t *n);
unsigned acct_role_mask(db_conn *c, int64_t user_id);
int acct_role_add(db_conn *c, int64_t user_id, const char *role, int64_t unit_id, int64_t by,
                  int64_t now);
int acct_role_remove(db_conn *c, int64_t user_id, const char *role, int64_t unit_id);
/* whether user holds one of the roles in `mask` at unit_id or one of its ancestors
 * (admin_pemda and evaluator cover every unit) */
bool acct_can_unit(db_conn *c, int64_t user_id, unsigned mask, int64_t unit_id);

/* one-time codes (6 digits, 10 minutes, 5 tries); the code is queued in the outbox */
int acct_code_issue(db_conn *c, const cr_keys *k, int64_t now, int64_t user_id, const char *purpose,
                    const char *channel, const char *recipient, const char *lang);
/* DB_OK when the code is right (it is then used up); DB_DONE when wrong, expired or used */
int acct_code_check(db_conn *c, const cr_keys *k, int64_t now, int64_t user_id, const char *purpose,
                    str code);

/* TOTP */
int acct_totp_set(db_conn *c, const cr_keys *k, int64_t id, const char *secret_b32, int64_t now);
int acct_totp_secret(db_conn *c, const cr_keys *k, int64_t id, char out[CR_TOTP_SECRET_B32 + 1],
                     int64_t *last_step);
int acct_totp_used(db_conn *c, int64_t id, int64_t step);

/* the record of staff reading personal data, shown to the citizen */
int acct_record_access(db_conn *c, int64_t now, int64_t citizen_id, int64_t staff_id,
                       int64_t unit_id, const char *purpose, const char *fields);
typedef struct {
    const char *at, *staff_name, *unit_name, *purpose, *fields;
} acct_access;
int acct_access_list(db_conn *c, int64_t citizen_id, arena *a, acct_access **out, size_t *n);

/* users for the admin list: staff (citizen=false) or citizens, newest first */
int acct_list(db_conn *c, bool citizen, int limit, int offset, arena *a, acct_user **out, size_t *n,
              int64_t *total);

/* ---- sessions (session.c) ---- */
/* the server's authenticate hook: session cookie or API key -> rq->who */
int accounts_authenticate(http_req *rq);
/* a new session for user_id (the request's old one, if any, ends), cookie set on rq */
int acct_session_start(http_req *rq, db_conn *c, int64_t user_id, bool mfa_pending);
/* ends this session, or every session of the user; clears the cookie */
int acct_session_end(http_req *rq, db_conn *c, bool everywhere);
/* ends every session of a user (password reset, roles changed, disabled) */
int acct_sessions_drop(db_conn *c, int64_t user_id);

/* ---- API keys (apikeys.c) ---- */
typedef struct {
    int64_t id;
    const char *name, *prefix, *unit_code, *created_at, *created_by, *last_used_at, *revoked_at;
} acct_apikey;
/* the key is written to key_out (cap >= 80) and never stored */
int acct_apikey_create(db_conn *c, int64_t now, const char *name, int64_t unit_id, const char *by,
                       char *key_out, size_t cap, int64_t *id);
int acct_apikey_list(db_conn *c, arena *a, acct_apikey **out, size_t *n);
int acct_apikey_revoke(db_conn *c, int64_t now, const char *prefix_or_id); /* DB_DONE: none */

/* a temporary password people can read out (set by an admin, changed at first sign-in):
 * four groups of four from an alphabet without look-alike characters */
void acct_temp_password(char out[20]);

/* UTC ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" */
void acct_iso(int64_t t, char out[21]);

#endif

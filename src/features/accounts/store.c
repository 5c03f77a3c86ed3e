/* accounts store: the SQL of accounts, roles, one-time codes, TOTP secrets and the data access
 * record. Personal data goes in sealed, comes out masked unless acct_private_get is asked. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/mask.h"
#include "features/accounts/accounts.h"
#include "features/outbox/outbox.h"

const char *const acct_role_names[ACCT_ROLES] = {"petugas", "kurir", "kepala_unit", "admin_pemda",
                                                 "evaluator"};

unsigned acct_role_bit(const char *name)
{
    for (int i = 0; i < ACCT_ROLES; i++)
        if (strcmp(name, acct_role_names[i]) == 0) return (unsigned)ROLE_PETUGAS << i;
    return 0;
}

void acct_temp_password(char out[20])
{
    static const char alpha[] = "abcdefghjkmnpqrstuvwxyz23456789";
    size_t k = 0;
    for (int g = 0; g < 4; g++) {
        if (g) out[k++] = '-';
        for (int i = 0; i < 4; i++)
            out[k++] = alpha[cr_random_uniform((uint32_t)(sizeof alpha - 1))];
    }
    out[k] = 0;
}

void acct_iso(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *col_dup(db_stmt *s, int col, arena *a)
{
    if (db_col_is_null(s, col)) return NULL;
    str v = db_col_text(s, col);
    return arena_strndup(a, v.p ? v.p : "", v.n);
}

#define USER_COLS                                                                                  \
    "id, kind, name, username, nik_masked, phone_masked, email_masked, verified_at, disabled_at, " \
    "totp_enabled_at, must_change_password, lang, created_at, password_hash"

static void read_user(db_stmt *s, arena *a, acct_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_col_int(s, 0);
    u->citizen = str_eq_c(db_col_text(s, 1), "citizen");
    u->name = col_dup(s, 2, a);
    u->username = col_dup(s, 3, a);
    u->nik_masked = col_dup(s, 4, a);
    u->phone_masked = col_dup(s, 5, a);
    u->email_masked = col_dup(s, 6, a);
    u->has_phone = u->phone_masked != NULL;
    u->has_email = u->email_masked != NULL;
    u->verified = !db_col_is_null(s, 7);
    u->disabled = !db_col_is_null(s, 8);
    u->totp = !db_col_is_null(s, 9);
    u->must_change_password = db_col_int(s, 10) != 0;
    u->lang = col_dup(s, 11, a);
    u->created_at = col_dup(s, 12, a);
    u->password_hash = col_dup(s, 13, a);
}

static const char *hash_col(enum contact_kind kind)
{
    switch (kind) {
    case CONTACT_NIK: return "nik_hash";
    case CONTACT_PHONE: return "phone_hash";
    case CONTACT_EMAIL: return "email_hash";
    default: return NULL;
    }
}

static const char *domain_of(enum contact_kind kind)
{
    switch (kind) {
    case CONTACT_NIK: return "nik";
    case CONTACT_PHONE: return "phone";
    case CONTACT_EMAIL: return "email";
    default: return "";
    }
}

int acct_find(db_conn *c, const cr_keys *k, enum contact_kind kind, const char *norm, arena *a,
              acct_user *u)
{
    char sql[300];
    db_stmt *s;
    if (kind == CONTACT_USERNAME) {
        s = db_prepare(c, "SELECT " USER_COLS " FROM users WHERE username = $1");
        if (!s) return DB_ERR;
        db_bind_cstr(s, 1, norm);
    } else {
        const char *col = hash_col(kind);
        if (!col) return DB_DONE;
        snprintf(sql, sizeof sql, "SELECT " USER_COLS " FROM users WHERE %s = $1", col);
        s = db_prepare(c, sql);
        if (!s) return DB_ERR;
        unsigned char h[32];
        cr_lookup_hash(k, domain_of(kind), str_c(norm), h);
        db_bind_blob(s, 1, h, sizeof h);
    }
    int r = db_step(s);
    if (r == DB_ROW) read_user(s, a, u);
    db_finish(s);
    return r;
}

int acct_get(db_conn *c, int64_t id, arena *a, acct_user *u)
{
    db_stmt *s = db_prepare(c, "SELECT " USER_COLS " FROM users WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW) read_user(s, a, u);
    db_finish(s);
    return r;
}

/* binds hash, sealed value and masked form of one personal field at idx, idx+1, idx+2 */
static int bind_personal(db_stmt *s, int idx, const cr_keys *k, const char *domain, const char *v,
                         bool with_hash)
{
    if (!v || !*v) {
        if (with_hash) db_bind_null(s, idx++);
        db_bind_null(s, idx++);
        return db_bind_null(s, idx);
    }
    size_t n = strlen(v);
    unsigned char box[CONTACT_MAX + 256 + CR_SEAL_OVERHEAD];
    if (n > sizeof box - CR_SEAL_OVERHEAD) return DB_ERR;
    if (with_hash) {
        unsigned char h[32];
        cr_lookup_hash(k, domain, (str){v, n}, h);
        db_bind_blob(s, idx++, h, sizeof h);
    }
    size_t bn = cr_seal(k, v, n, box, sizeof box);
    db_bind_blob(s, idx++, box, bn);
    char m[CONTACT_MAX + 1];
    if (strcmp(domain, "nik") == 0) nik_mask(v, n, m, sizeof m);
    else if (strcmp(domain, "phone") == 0) contact_mask_phone(v, m, sizeof m);
    else if (strcmp(domain, "email") == 0) contact_mask_email(v, m, sizeof m);
    else m[0] = 0;
    return m[0] ? db_bind_cstr(s, idx, m) : db_bind_null(s, idx);
}

/* unverified citizen accounts holding this NIK/phone/e-mail never proved they own it */
static int drop_unverified(db_conn *c, const cr_keys *k, const char *domain, const char *v)
{
    if (!v || !*v) return DB_OK;
    char sql[200];
    snprintf(sql, sizeof sql,
             "DELETE FROM users WHERE %s_hash = $1 AND kind = 'citizen' AND verified_at IS NULL",
             domain);
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    unsigned char h[32];
    cr_lookup_hash(k, domain, str_c(v), h);
    db_bind_blob(s, 1, h, sizeof h);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int acct_create(db_conn *c, const cr_keys *k, int64_t now, const acct_new *n, int64_t *id)
{
    char pw[CR_PW_HASH_MAX];
    if (cr_pw_hash(n->password, pw)) return DB_ERR;
    int r;
    if ((r = drop_unverified(c, k, "nik", n->nik)) ||
        (r = drop_unverified(c, k, "phone", n->phone)) ||
        (r = drop_unverified(c, k, "email", n->email)))
        return r;
    char at[21];
    acct_iso(now, at);
    db_stmt *s = db_prepare(
        c, "INSERT INTO users (kind, name, username, nik_hash, nik_enc, nik_masked, phone_hash, "
           "phone_enc, phone_masked, email_hash, email_enc, email_masked, address_enc, "
           "password_hash, verified_at, must_change_password, created_at, updated_at) VALUES "
           "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) "
           "RETURNING id");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, n->citizen ? "citizen" : "staff");
    db_bind_cstr(s, 2, n->name);
    db_bind_cstr(s, 3, n->username && *n->username ? n->username : NULL);
    bind_personal(s, 4, k, "nik", n->nik, true);
    bind_personal(s, 7, k, "phone", n->phone, true);
    bind_personal(s, 10, k, "email", n->email, true);
    if (n->address && *n->address) {
        size_t an = strlen(n->address);
        unsigned char box[1024 + CR_SEAL_OVERHEAD];
        if (an > 1024) an = 1024;
        db_bind_blob(s, 13, box, cr_seal(k, n->address, an, box, sizeof box));
    } else {
        db_bind_null(s, 13);
    }
    db_bind_cstr(s, 14, pw);
    db_bind_cstr(s, 15, n->verified ? at : NULL);
    db_bind_int(s, 16, n->must_change_password ? 1 : 0);
    db_bind_cstr(s, 17, at);
    r = db_step(s);
    if (r == DB_ROW) {
        *id = db_col_int(s, 0);
        r = DB_OK;
    }
    db_finish(s);
    cr_wipe(pw, sizeof pw);
    return r;
}

/* UPDATE ... WHERE id = $1 with one text parameter $2 */
static int exec1(db_conn *c, const char *sql, int64_t id, const char *t1)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, t1);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int acct_set_password(db_conn *c, int64_t id, const char *password, bool must_change, int64_t now)
{
    char pw[CR_PW_HASH_MAX], at[21];
    if (cr_pw_hash(password, pw)) return DB_ERR;
    acct_iso(now, at);
    db_stmt *s = db_prepare(c, "UPDATE users SET password_hash = $2, must_change_password = $3, "
                               "updated_at = $4 WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, pw);
    db_bind_int(s, 3, must_change ? 1 : 0);
    db_bind_cstr(s, 4, at);
    int r = db_step(s);
    db_finish(s);
    cr_wipe(pw, sizeof pw);
    return r == DB_DONE ? DB_OK : r;
}

int acct_set_verified(db_conn *c, int64_t id, int64_t now)
{
    char at[21];
    acct_iso(now, at);
    return exec1(c, "UPDATE users SET verified_at = $2, updated_at = $2 WHERE id = $1", id, at);
}

int acct_set_disabled(db_conn *c, int64_t id, bool disabled, int64_t now)
{
    char at[21];
    acct_iso(now, at);
    return exec1(c,
                 disabled ? "UPDATE users SET disabled_at = $2, updated_at = $2 WHERE id = $1"
                          : "UPDATE users SET disabled_at = NULL, updated_at = $2 WHERE id = $1",
                 id, at);
}

int acct_update_contact(db_conn *c, const cr_keys *k, int64_t id, const char *name,
                        const char *phone, const char *email, const char *address, int64_t now)
{
    char at[21];
    acct_iso(now, at);
    db_stmt *s =
        db_prepare(c, "UPDATE users SET name = $2, phone_hash = $3, phone_enc = $4, "
                      "phone_masked = $5, email_hash = $6, email_enc = $7, "
                      "email_masked = $8, address_enc = $9, updated_at = $10 WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, name);
    bind_personal(s, 3, k, "phone", phone, true);
    bind_personal(s, 6, k, "email", email, true);
    if (address && *address) {
        size_t an = strlen(address);
        unsigned char box[1024 + CR_SEAL_OVERHEAD];
        if (an > 1024) an = 1024;
        db_bind_blob(s, 9, box, cr_seal(k, address, an, box, sizeof box));
    } else {
        db_bind_null(s, 9);
    }
    db_bind_cstr(s, 10, at);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

static const char *open_col(db_stmt *s, int col, const cr_keys *k, arena *a)
{
    size_t n;
    const void *p = db_col_blob(s, col, &n);
    if (!p || n <= CR_SEAL_OVERHEAD) return NULL;
    unsigned char *out = arena_alloc(a, n);
    long m = cr_open(k, p, n, out, n);
    if (m < 0) return "?";
    out[m] = 0;
    return (const char *)out;
}

int acct_private_get(db_conn *c, const cr_keys *k, int64_t id, arena *a, acct_private *p)
{
    memset(p, 0, sizeof *p);
    db_stmt *s =
        db_prepare(c, "SELECT nik_enc, phone_enc, email_enc, address_enc FROM users WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW) {
        p->nik = open_col(s, 0, k, a);
        p->phone = open_col(s, 1, k, a);
        p->email = open_col(s, 2, k, a);
        p->address = open_col(s, 3, k, a);
    }
    db_finish(s);
    return r;
}

int acct_roles(db_conn *c, int64_t user_id, arena *a, acct_role **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT r.role, r.unit_id, u.code, u.name FROM user_roles r "
                               "JOIN units u ON u.id = r.unit_id WHERE r.user_id = $1 "
                               "ORDER BY r.role, u.code");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            acct_role *g = arena_alloc(a, nc * sizeof *g);
            if (*n) memcpy(g, *out, *n * sizeof *g);
            *out = g;
            cap = nc;
        }
        acct_role *x = &(*out)[(*n)++];
        x->role = col_dup(s, 0, a);
        x->unit_id = db_col_int(s, 1);
        x->unit_code = col_dup(s, 2, a);
        x->unit_name = col_dup(s, 3, a);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

unsigned acct_role_mask(db_conn *c, int64_t user_id)
{
    db_stmt *s = db_prepare(c, "SELECT DISTINCT role FROM user_roles WHERE user_id = $1");
    if (!s) return 0;
    db_bind_int(s, 1, user_id);
    unsigned m = 0;
    while (db_step(s) == DB_ROW) {
        str r = db_col_text(s, 0);
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(r.n < 31 ? r.n : 31), r.p ? r.p : "");
        m |= acct_role_bit(name);
    }
    db_finish(s);
    return m;
}

int acct_role_add(db_conn *c, int64_t user_id, const char *role, int64_t unit_id, int64_t by,
                  int64_t now)
{
    char at[21];
    acct_iso(now, at);
    db_stmt *s = db_prepare(c, "INSERT INTO user_roles (user_id, role, unit_id, granted_at, "
                               "granted_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    db_bind_cstr(s, 2, role);
    db_bind_int(s, 3, unit_id);
    db_bind_cstr(s, 4, at);
    if (by > 0) db_bind_int(s, 5, by);
    else db_bind_null(s, 5);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int acct_role_remove(db_conn *c, int64_t user_id, const char *role, int64_t unit_id)
{
    db_stmt *s =
        db_prepare(c, "DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND unit_id = $3");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    db_bind_cstr(s, 2, role);
    db_bind_int(s, 3, unit_id);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

bool acct_can_unit(db_conn *c, int64_t user_id, unsigned mask, int64_t unit_id)
{
    /* walk up from the unit: a role at any ancestor covers it */
    db_stmt *s = db_prepare(
        c, "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM units WHERE id = $2 "
           "UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id) "
           "SELECT r.role FROM user_roles r WHERE r.user_id = $1 AND (r.unit_id IN (SELECT id "
           "FROM up) OR r.role IN ('admin_pemda', 'evaluator'))");
    if (!s) return false;
    db_bind_int(s, 1, user_id);
    db_bind_int(s, 2, unit_id);
    bool ok = false;
    while (!ok && db_step(s) == DB_ROW) {
        str r = db_col_text(s, 0);
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(r.n < 31 ? r.n : 31), r.p ? r.p : "");
        if (acct_role_bit(name) & mask) ok = true;
    }
    db_finish(s);
    return ok;
}

/* ---- one-time codes ---- */

int acct_code_issue(db_conn *c, const cr_keys *k, int64_t now, int64_t user_id, const char *purpose,
                    const char *channel, const char *recipient, const char *lang)
{
    /* a new code replaces any earlier one of the same purpose */
    db_stmt *s = db_prepare(c, "UPDATE one_time_codes SET used_at = $3 WHERE user_id = $1 AND "
                               "purpose = $2 AND used_at IS NULL");
    if (!s) return DB_ERR;
    char at[21], exp[21];
    acct_iso(now, at);
    acct_iso(now + 600, exp);
    db_bind_int(s, 1, user_id);
    db_bind_cstr(s, 2, purpose);
    db_bind_cstr(s, 3, at);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    char code[7];
    cr_random_digits(code, 6);
    unsigned char h[32];
    char scoped[64];
    snprintf(scoped, sizeof scoped, "%lld:%s:%s", (long long)user_id, purpose, code);
    cr_lookup_hash(k, "otp", str_c(scoped), h);
    s = db_prepare(c, "INSERT INTO one_time_codes (user_id, purpose, channel, code_hash, "
                      "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    db_bind_cstr(s, 2, purpose);
    db_bind_cstr(s, 3, channel);
    db_bind_blob(s, 4, h, sizeof h);
    db_bind_cstr(s, 5, at);
    db_bind_cstr(s, 6, exp);
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    bool en = lang && strcmp(lang, "en") == 0;
    bool verify = strcmp(purpose, "verify") == 0;
    char body[400];
    if (en)
        snprintf(body, sizeof body,
                 "%s code: %s. Valid for 10 minutes. Never share this code with anyone, "
                 "including staff.",
                 verify ? "Your layan verification" : "Your layan password reset", code);
    else
        snprintf(body, sizeof body,
                 "Kode %s layan: %s. Berlaku 10 menit. Jangan berikan kode ini kepada siapa pun, "
                 "termasuk petugas.",
                 verify ? "verifikasi" : "atur ulang kata sandi", code);
    const char *subject = en ? (verify ? "Verification code" : "Password reset code")
                             : (verify ? "Kode verifikasi" : "Kode atur ulang kata sandi");
    r = outbox_enqueue(c, k, now, channel, recipient, subject, body);
    cr_wipe(code, sizeof code);
    cr_wipe(body, sizeof body);
    return r;
}

int acct_code_check(db_conn *c, const cr_keys *k, int64_t now, int64_t user_id, const char *purpose,
                    str code)
{
    char at[21];
    acct_iso(now, at);
    db_stmt *s = db_prepare(c, "SELECT id, code_hash, attempts FROM one_time_codes WHERE "
                               "user_id = $1 AND purpose = $2 AND used_at IS NULL AND "
                               "expires_at > $3 ORDER BY id DESC LIMIT 1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    db_bind_cstr(s, 2, purpose);
    db_bind_cstr(s, 3, at);
    int r = db_step(s);
    if (r != DB_ROW) {
        db_finish(s);
        return r == DB_DONE ? DB_DONE : r;
    }
    int64_t id = db_col_int(s, 0);
    size_t hn;
    const void *hp = db_col_blob(s, 1, &hn);
    unsigned char want[32] = {0};
    if (hp && hn == 32) memcpy(want, hp, 32);
    int64_t attempts = db_col_int(s, 2);
    db_finish(s);
    char scoped[64];
    snprintf(scoped, sizeof scoped, "%lld:%s:%.*s", (long long)user_id, purpose,
             (int)(code.n < 8 ? code.n : 8), code.p ? code.p : "");
    unsigned char got[32];
    cr_lookup_hash(k, "otp", str_c(scoped), got);
    bool ok = attempts < 5 && code.n == 6 && cr_eq(got, want, 32);
    s = db_prepare(c, ok ? "UPDATE one_time_codes SET used_at = $2 WHERE id = $1"
                         : "UPDATE one_time_codes SET attempts = attempts + 1, used_at = CASE WHEN "
                           "attempts + 1 >= 5 THEN $2 ELSE NULL END WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, at);
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    return ok ? DB_OK : DB_DONE;
}

/* ---- TOTP ---- */

int acct_totp_set(db_conn *c, const cr_keys *k, int64_t id, const char *secret_b32, int64_t now)
{
    char at[21];
    acct_iso(now, at);
    db_stmt *s = db_prepare(c, "UPDATE users SET totp_secret_enc = $2, totp_enabled_at = $3, "
                               "totp_last_step = NULL, updated_at = $4 WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    if (secret_b32) {
        unsigned char box[64 + CR_SEAL_OVERHEAD];
        size_t bn = cr_seal(k, secret_b32, strlen(secret_b32), box, sizeof box);
        db_bind_blob(s, 2, box, bn);
        db_bind_cstr(s, 3, at);
    } else {
        db_bind_null(s, 2);
        db_bind_null(s, 3);
    }
    db_bind_cstr(s, 4, at);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int acct_totp_secret(db_conn *c, const cr_keys *k, int64_t id, char out[CR_TOTP_SECRET_B32 + 1],
                     int64_t *last_step)
{
    out[0] = 0;
    db_stmt *s =
        db_prepare(c, "SELECT totp_secret_enc, totp_last_step FROM users WHERE id = $1 AND "
                      "totp_enabled_at IS NOT NULL");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW) {
        size_t n;
        const void *p = db_col_blob(s, 0, &n);
        unsigned char tmp[128];
        long m = p ? cr_open(k, p, n, tmp, sizeof tmp) : -1;
        if (m > 0 && m <= CR_TOTP_SECRET_B32) {
            memcpy(out, tmp, (size_t)m);
            out[m] = 0;
        }
        cr_wipe(tmp, sizeof tmp);
        *last_step = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1);
        r = out[0] ? DB_OK : DB_ERR;
    }
    db_finish(s);
    return r;
}

int acct_totp_used(db_conn *c, int64_t id, int64_t step)
{
    db_stmt *s = db_prepare(c, "UPDATE users SET totp_last_step = $2 WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_int(s, 2, step);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

/* ---- data access record ---- */

int acct_record_access(db_conn *c, int64_t now, int64_t citizen_id, int64_t staff_id,
                       int64_t unit_id, const char *purpose, const char *fields)
{
    char at[21];
    acct_iso(now, at);
    db_stmt *s = db_prepare(c, "INSERT INTO data_access_log (at, citizen_id, staff_id, unit_id, "
                               "purpose, fields) VALUES ($1, $2, $3, $4, $5, $6)");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, at);
    db_bind_int(s, 2, citizen_id);
    db_bind_int(s, 3, staff_id);
    if (unit_id > 0) db_bind_int(s, 4, unit_id);
    else db_bind_null(s, 4);
    db_bind_cstr(s, 5, purpose);
    db_bind_cstr(s, 6, fields);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int acct_access_list(db_conn *c, int64_t citizen_id, arena *a, acct_access **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT l.at, s.name, u.name, l.purpose, l.fields FROM "
                               "data_access_log l JOIN users s ON s.id = l.staff_id LEFT JOIN "
                               "units u ON u.id = l.unit_id WHERE l.citizen_id = $1 "
                               "ORDER BY l.at DESC, l.id DESC LIMIT 200");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, citizen_id);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            acct_access *g = arena_alloc(a, nc * sizeof *g);
            if (*n) memcpy(g, *out, *n * sizeof *g);
            *out = g;
            cap = nc;
        }
        acct_access *x = &(*out)[(*n)++];
        x->at = col_dup(s, 0, a);
        x->staff_name = col_dup(s, 1, a);
        x->unit_name = col_dup(s, 2, a);
        x->purpose = col_dup(s, 3, a);
        x->fields = col_dup(s, 4, a);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int acct_list(db_conn *c, bool citizen, int limit, int offset, arena *a, acct_user **out, size_t *n,
              int64_t *total)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    db_stmt *s = db_prepare(c, "SELECT count(*) FROM users WHERE kind = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, citizen ? "citizen" : "staff");
    if (db_step(s) == DB_ROW) *total = db_col_int(s, 0);
    db_finish(s);
    s = db_prepare(c, "SELECT " USER_COLS " FROM users WHERE kind = $1 ORDER BY id DESC "
                      "LIMIT $2 OFFSET $3");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, citizen ? "citizen" : "staff");
    db_bind_int(s, 2, limit);
    db_bind_int(s, 3, offset);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            acct_user *g = arena_alloc(a, nc * sizeof *g);
            if (*n) memcpy(g, *out, *n * sizeof *g);
            *out = g;
            cap = nc;
        }
        read_user(s, a, &(*out)[(*n)++]);
        (*out)[*n - 1].password_hash = NULL;
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

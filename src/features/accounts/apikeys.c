/* accounts API keys: integrations (Open311 clients, other government systems) call the API
 * with "Authorization: Bearer lyk_<prefix>_<secret>". Only a hash of the whole key is stored;
 * the prefix names the key in lists and in `layan apikey revoke`. */
#include <stdio.h>
#include <string.h>

#include "features/accounts/accounts.h"

int acct_apikey_create(db_conn *c, int64_t now, const char *name, int64_t unit_id, const char *by,
                       char *key_out, size_t cap, int64_t *id)
{
    unsigned char pb[4];
    char prefix[9], secret[CR_TOKEN_LEN + 1];
    cr_random_bytes(pb, sizeof pb);
    cr_hex(pb, sizeof pb, prefix);
    cr_random_token(secret);
    int n = snprintf(key_out, cap, "lyk_%s_%s", prefix, secret);
    cr_wipe(secret, sizeof secret);
    if (n < 0 || (size_t)n >= cap) return DB_ERR;
    unsigned char h[32];
    cr_token_hash(str_c(key_out), h);
    char at[21];
    acct_iso(now, at);
    db_stmt *s = db_prepare(c, "INSERT INTO api_keys (name, prefix, key_hash, unit_id, created_at, "
                               "created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, name);
    db_bind_cstr(s, 2, prefix);
    db_bind_blob(s, 3, h, sizeof h);
    if (unit_id > 0) db_bind_int(s, 4, unit_id);
    else db_bind_null(s, 4);
    db_bind_cstr(s, 5, at);
    db_bind_cstr(s, 6, by);
    int r = db_step(s);
    if (r == DB_ROW) {
        *id = db_col_int(s, 0);
        r = DB_OK;
    }
    db_finish(s);
    return r;
}

static const char *dup(db_stmt *s, int col, arena *a)
{
    if (db_col_is_null(s, col)) return NULL;
    str v = db_col_text(s, col);
    return arena_strndup(a, v.p ? v.p : "", v.n);
}

int acct_apikey_list(db_conn *c, arena *a, acct_apikey **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT k.id, k.name, k.prefix, u.code, k.created_at, "
                               "k.created_by, k.last_used_at, k.revoked_at FROM api_keys k LEFT "
                               "JOIN units u ON u.id = k.unit_id ORDER BY k.revoked_at IS NOT "
                               "NULL, k.id DESC");
    if (!s) return DB_ERR;
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            acct_apikey *g = arena_alloc(a, nc * sizeof *g);
            if (*n) memcpy(g, *out, *n * sizeof *g);
            *out = g;
            cap = nc;
        }
        acct_apikey *k = &(*out)[(*n)++];
        k->id = db_col_int(s, 0);
        k->name = dup(s, 1, a);
        k->prefix = dup(s, 2, a);
        k->unit_code = dup(s, 3, a);
        k->created_at = dup(s, 4, a);
        k->created_by = dup(s, 5, a);
        k->last_used_at = dup(s, 6, a);
        k->revoked_at = dup(s, 7, a);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int acct_apikey_revoke(db_conn *c, int64_t now, const char *prefix_or_id)
{
    char at[21];
    acct_iso(now, at);
    long id = 0;
    bool by_id = str_to_long(str_c(prefix_or_id), 1, 0x7fffffffL, &id) && strlen(prefix_or_id) < 8;
    db_stmt *s = db_prepare(c, by_id ? "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND "
                                       "revoked_at IS NULL"
                                     : "UPDATE api_keys SET revoked_at = $2 WHERE prefix = $1 AND "
                                       "revoked_at IS NULL");
    if (!s) return DB_ERR;
    if (by_id) db_bind_int(s, 1, id);
    else db_bind_cstr(s, 1, prefix_or_id);
    db_bind_cstr(s, 2, at);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    return db_changes(c) > 0 ? DB_OK : DB_DONE;
}

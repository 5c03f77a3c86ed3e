/* audit store: see audit.h. The hash of an entry is BLAKE2b-256 over the previous entry's hash
 * and the entry's fields, each as a presence byte, a 64-bit little-endian length and the bytes
 * (so NULL differs from "", and no field can bleed into the next); stored as hex. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "features/audit/audit.h"

static void field(crypto_generichash_state *st, const char *p, size_t n, bool present)
{
    unsigned char hdr[9] = {present ? 1 : 0};
    for (int i = 0; i < 8; i++)
        hdr[1 + i] = (unsigned char)((uint64_t)n >> (8 * i));
    crypto_generichash_update(st, hdr, sizeof hdr);
    if (present && n) crypto_generichash_update(st, (const unsigned char *)p, n);
}

static void entry_hash(str prev, str at, str actor, str action, str object, str detail,
                       char out[65])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    str fs[] = {prev, at, actor, action, object, detail};
    for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++)
        field(&st, fs[i].p, fs[i].n, fs[i].p != NULL);
    unsigned char h[32];
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static str opt(const char *s)
{
    return s ? str_c(s) : STR_NULL;
}

int audit_append(db_conn *c, int64_t now, const char *actor, const char *action, const char *object,
                 const char *detail)
{
    bool own = !db_in_tx(c);
    int r = own ? db_begin(c) : DB_OK;
    if (r != DB_OK) return r;
    char at[21], prev[65] = "", hash[65];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* the row lock on the head serialises appenders (PostgreSQL; SQLite's writer lock does too) */
    db_stmt *s = db_prepare(c, "UPDATE audit_head SET last_id = last_id WHERE one = 1");
    if (!s) goto err;
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) goto err;
    s = db_prepare(c, "SELECT last_hash FROM audit_head WHERE one = 1");
    if (!s) goto err;
    if ((r = db_step(s)) == DB_ROW) {
        str h = db_col_text(s, 0);
        snprintf(prev, sizeof prev, "%.*s", (int)(h.n < 64 ? h.n : 64), h.p ? h.p : "");
    }
    db_finish(s);
    if (r != DB_ROW) goto err;
    entry_hash(str_c(prev), str_c(at), opt(actor), opt(action), opt(object), opt(detail), hash);
    s = db_prepare(c, "INSERT INTO audit_log (at, actor, action, object, detail, prev_hash, hash) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
    if (!s) goto err;
    db_bind_cstr(s, 1, at);
    db_bind_cstr(s, 2, actor);
    db_bind_cstr(s, 3, action);
    db_bind_cstr(s, 4, object);
    db_bind_cstr(s, 5, detail);
    db_bind_cstr(s, 6, prev);
    db_bind_cstr(s, 7, hash);
    r = db_step(s);
    int64_t id = r == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (r != DB_ROW) goto err;
    s = db_prepare(c, "UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE one = 1");
    if (!s) goto err;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, hash);
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) goto err;
    return own ? db_commit(c) : DB_OK;
err:
    if (own) db_rollback(c);
    return r < 0 ? r : DB_ERR;
}

int audit_verify(db *d, int64_t *checked, int64_t *legacy, int64_t *first_bad_id, char *why,
                 size_t whylen)
{
    *checked = *legacy = *first_bad_id = 0;
    why[0] = 0;
    db_conn *c = db_acquire(d);
    if (!c) return DB_EUNAVAIL;
    db_stmt *s = db_prepare(c, "SELECT id, at, actor, action, object, detail, prev_hash, hash "
                               "FROM audit_log ORDER BY id");
    if (!s) {
        db_release(c);
        return DB_ERR;
    }
    char last[65] = "";
    int64_t last_id = 0;
    bool chained = false;
    int rc = 0, r;
    while ((r = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int(s, 0);
        str f[6];
        for (int i = 0; i < 6; i++)
            f[i] = db_col_is_null(s, i + 1) ? STR_NULL : db_col_text(s, i + 1);
        str hash = db_col_is_null(s, 7) ? STR_NULL : db_col_text(s, 7);
        if (!hash.p && !chained) { /* written before the chain existed */
            (*legacy)++;
            continue;
        }
        if (!hash.p) {
            snprintf(why, whylen, "entry %lld has no hash", (long long)id);
            rc = 1;
        } else if (!f[5].p || !str_eq_c(f[5], last)) {
            snprintf(why, whylen, "entry %lld: its prev_hash does not match entry %lld",
                     (long long)id, (long long)last_id);
            rc = 1;
        } else {
            char want[65];
            entry_hash(f[5], f[0], f[1], f[2], f[3], f[4], want);
            if (!str_eq_c(hash, want)) {
                snprintf(why, whylen, "entry %lld: its hash does not match its content",
                         (long long)id);
                rc = 1;
            }
        }
        if (rc) {
            *first_bad_id = id;
            break;
        }
        chained = true;
        snprintf(last, sizeof last, "%.*s", (int)(hash.n < 64 ? hash.n : 64), hash.p);
        last_id = id;
        (*checked)++;
    }
    db_finish(s);
    if (r != DB_ROW && r != DB_DONE) {
        db_release(c);
        return r;
    }
    if (rc == 0) {
        s = db_prepare(c, "SELECT last_id, last_hash FROM audit_head WHERE one = 1");
        if (s && db_step(s) == DB_ROW) {
            int64_t hid = db_col_int(s, 0);
            str hh = db_col_text(s, 1);
            if (hid != last_id || !str_eq_c(hh, last)) {
                snprintf(why, whylen,
                         "the newest entries were removed: the head says #%lld, the log ends at "
                         "#%lld",
                         (long long)hid, (long long)last_id);
                *first_bad_id = last_id + 1;
                rc = 1;
            }
        }
        if (s) db_finish(s);
    }
    db_release(c);
    return rc;
}

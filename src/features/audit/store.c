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
    if (!gmtime_r(&t, &tm) || strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        r = DB_ERR;
        goto err;
    }
    /* reads the head and holds its row lock until commit: on PostgreSQL (READ COMMITTED) a
     * plain SELECT would let two appenders chain onto the same hash; SQLite has one writer */
    db_stmt *s = db_prepare(c, "UPDATE audit_head SET last_id = last_id WHERE one = 1 "
                               "RETURNING last_hash");
    if (!s) goto err;
    bool head = (r = db_step(s)) == DB_ROW;
    if (head) {
        str h = db_col_text(s, 0);
        snprintf(prev, sizeof prev, "%.*s", (int)(h.n < 64 ? h.n : 64), h.p ? h.p : "");
        r = db_step(s);
    }
    db_finish(s);
    if (!head || r != DB_DONE) goto err; /* no head row: the chain cannot go on */
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

/* the head as it was when the walk began, and where the walk got to */
struct walk {
    bool have_head;
    int64_t head_id, last_id;
    char head[65], last[65];
};

static void copy_hash(char out[65], str h)
{
    snprintf(out, 65, "%.*s", (int)(h.n < 64 ? h.n : 64), h.p ? h.p : "");
}

/* 0 when the row continues the chain, else 1 with why set */
static int check_row(db_stmt *s, struct walk *w, bool *chained, int64_t *legacy, char *why,
                     size_t whylen)
{
    int64_t id = db_col_int(s, 2);
    str f[6]; /* at, actor, action, object, detail, prev_hash */
    for (int i = 0; i < 6; i++)
        f[i] = db_col_is_null(s, i + 3) ? STR_NULL : db_col_text(s, i + 3);
    str hash = db_col_is_null(s, 9) ? STR_NULL : db_col_text(s, 9);
    if (!hash.p && !*chained) { /* written before the chain existed */
        (*legacy)++;
        return 0;
    }
    if (!hash.p) {
        snprintf(why, whylen, "entry %lld has no hash", (long long)id);
        return 1;
    }
    if (!f[5].p || !str_eq_c(f[5], w->last)) {
        if (w->last_id)
            snprintf(why, whylen, "entry %lld: prev_hash does not match entry %lld", (long long)id,
                     (long long)w->last_id);
        else
            snprintf(why, whylen, "entry %lld: prev_hash does not match the start of the log",
                     (long long)id);
        return 1;
    }
    char want[65];
    entry_hash(f[5], f[0], f[1], f[2], f[3], f[4], want);
    if (!str_eq_c(hash, want)) {
        snprintf(why, whylen, "entry %lld: its hash does not match its content", (long long)id);
        return 1;
    }
    *chained = true;
    copy_hash(w->last, hash);
    w->last_id = id;
    return 0;
}

int audit_verify(db *d, int64_t *checked, int64_t *legacy, int64_t *first_bad_id, char *why,
                 size_t whylen)
{
    *checked = *legacy = *first_bad_id = 0;
    if (whylen) why[0] = 0;
    db_conn *c = db_acquire(d);
    if (!c) return DB_EUNAVAIL;
    /* one statement, so the head and the log come from one snapshot on both engines: read
     * separately, an append committed in between would look like tampering. The LEFT JOIN keeps
     * the head's row when the log is empty. */
    db_stmt *s = db_prepare(c, "SELECT h.last_id, h.last_hash, l.id, l.at, l.actor, l.action, "
                               "l.object, l.detail, l.prev_hash, l.hash FROM audit_head h "
                               "LEFT JOIN audit_log l ON true WHERE h.one = 1 ORDER BY l.id");
    if (!s) {
        db_release(c);
        return DB_ERR;
    }
    struct walk w = {0};
    bool chained = false;
    int rc = 0, r;
    while ((r = db_step(s)) == DB_ROW) {
        if (!w.have_head) {
            w.have_head = true;
            w.head_id = db_col_int(s, 0);
            copy_hash(w.head, db_col_text(s, 1));
        }
        if (db_col_is_null(s, 2)) continue; /* the log is empty */
        if ((rc = check_row(s, &w, &chained, legacy, why, whylen)) != 0) {
            *first_bad_id = db_col_int(s, 2);
            break;
        }
        if (chained) (*checked)++;
    }
    db_finish(s);
    db_release(c);
    if (rc) return 1;
    if (r != DB_DONE) return r < 0 ? r : DB_ERR;
    if (!w.have_head) return DB_ERR; /* the migration's row is missing: not a chain we know */
    /* rows are only ever added with the head in the same transaction, so a log that ends before
     * or after the head was cut or extended behind audit_append's back */
    if (w.head_id > w.last_id) {
        snprintf(why, whylen, "the newest entries were removed: head says #%lld, log ends at #%lld",
                 (long long)w.head_id, (long long)w.last_id);
        *first_bad_id = w.last_id + 1;
        return 1;
    }
    if (w.head_id < w.last_id) {
        snprintf(why, whylen,
                 "entries were added behind the head: head says #%lld, log ends at #%lld",
                 (long long)w.head_id, (long long)w.last_id);
        *first_bad_id = w.head_id + 1;
        return 1;
    }
    if (strcmp(w.head, w.last) != 0) {
        snprintf(why, whylen, "entry %lld: the head holds a different hash", (long long)w.last_id);
        *first_bad_id = w.last_id;
        return 1;
    }
    return 0;
}

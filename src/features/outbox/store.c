/* outbox store: queueing, the claim protocol, recording outcomes with backoff, and the admin
 * list. Every SQL statement on the outbox table lives here. See outbox.h and
 * docs/internals/outbox.md. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/contact.h"
#include "features/outbox/outbox.h"
#include "lib/log.h"

#define MAX_RECIPIENT 320
#define MAX_BODY 4000
#define MAX_CLAIM 64
#define STALE_SECONDS 600 /* a claim this old belongs to a node that died mid-send */

static void iso(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int outbox_enqueue(db_conn *c, const cr_keys *k, int64_t now, const char *channel,
                   const char *recipient, const char *subject, const char *body)
{
    if (!channel || !recipient || !subject || !body) return DB_ERR;
    bool email = strcmp(channel, "email") == 0;
    if (!email && strcmp(channel, "sms") != 0) return DB_ERR;
    size_t rn = strlen(recipient), bn = strlen(body);
    if (rn == 0 || rn > MAX_RECIPIENT || bn > MAX_BODY) return DB_ERR;
    unsigned char rbox[MAX_RECIPIENT + CR_SEAL_OVERHEAD], bbox[MAX_BODY + CR_SEAL_OVERHEAD];
    size_t rl = cr_seal(k, recipient, rn, rbox, sizeof rbox);
    size_t bl = cr_seal(k, body, bn, bbox, sizeof bbox);
    if (!rl || !bl) return DB_ERR;
    char masked[CONTACT_MAX + 1], at[21];
    if (email) contact_mask_email(recipient, masked, sizeof masked);
    else contact_mask_phone(recipient, masked, sizeof masked);
    iso(now, at);
    db_stmt *s = db_prepare(c, "INSERT INTO outbox (channel, recipient_enc, recipient_masked, "
                               "subject, body_enc, status, next_attempt_at, created_at) VALUES "
                               "($1, $2, $3, $4, $5, 'pending', $6, $6)");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, channel);
    db_bind_blob(s, 2, rbox, rl);
    db_bind_cstr(s, 3, masked);
    db_bind_cstr(s, 4, subject);
    db_bind_blob(s, 5, bbox, bl);
    db_bind_cstr(s, 6, at);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int64_t outbox_backoff(int attempts)
{
    int64_t delay = 30;
    for (int i = 1; i < attempts && delay < 3600; i++)
        delay *= 2;
    return delay < 3600 ? delay : 3600;
}

static int max_attempts(const layan_config *cfg)
{
    return cfg && cfg->notify_max_attempts > 0 ? cfg->notify_max_attempts : 8;
}

static const char *node_name(const layan_config *cfg)
{
    static _Thread_local char name[64];
    if (cfg && cfg->node_name[0]) return cfg->node_name;
    if (!name[0] && gethostname(name, sizeof name - 1) != 0) snprintf(name, sizeof name, "node");
    return name;
}

static char *open_blob(db_stmt *s, int col, const cr_keys *k, arena *a)
{
    size_t n;
    const void *p = db_col_blob(s, col, &n);
    if (!p || n < CR_SEAL_OVERHEAD) return NULL;
    unsigned char *out = arena_alloc(a, n);
    long m = cr_open(k, p, n, out, n);
    if (m < 0) return NULL;
    out[m] = 0;
    return (char *)out;
}

/* claims up to max due messages for this node; fills msgs (arena) */
static int claim(db_conn *c, const cr_keys *k, const layan_config *cfg, int64_t now, int max,
                 arena *a, outbox_msg *msgs, int *attempts, int *n)
{
    char at[21], stale[21];
    iso(now, at);
    iso(now - STALE_SECONDS, stale);
    *n = 0;
    int r = db_begin(c);
    if (r != DB_OK) return r;
    /* the attempt was counted at the claim, so a message that kills its sender ends as failed */
    db_stmt *s = db_prepare(c, "UPDATE outbox SET status = CASE WHEN attempts >= $2 THEN 'failed' "
                               "ELSE 'pending' END, claimed_by = NULL, claimed_at = NULL, "
                               "last_error = 'claim expired: the sending node stopped' "
                               "WHERE status = 'sending' AND claimed_at < $1");
    if (!s) goto err;
    db_bind_cstr(s, 1, stale);
    db_bind_int(s, 2, max_attempts(cfg));
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) goto err;
    int64_t ids[MAX_CLAIM];
    int nid = 0;
    s = db_prepare(c, "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 "
                      "ORDER BY id LIMIT $2");
    if (!s) goto err;
    db_bind_cstr(s, 1, at);
    db_bind_int(s, 2, max < MAX_CLAIM ? max : MAX_CLAIM);
    while ((r = db_step(s)) == DB_ROW && nid < MAX_CLAIM)
        ids[nid++] = db_col_int(s, 0);
    db_finish(s);
    if (r != DB_DONE && r != DB_ROW) goto err;
    for (int i = 0; i < nid; i++) {
        /* the status check makes the claim exclusive: another node's UPDATE finds nothing */
        s = db_prepare(c, "UPDATE outbox SET status = 'sending', claimed_by = $2, claimed_at = $3, "
                          "attempts = attempts + 1 WHERE id = $1 AND status = 'pending' RETURNING "
                          "channel, recipient_enc, subject, body_enc, attempts, recipient_masked");
        if (!s) goto err;
        db_bind_int(s, 1, ids[i]);
        db_bind_cstr(s, 2, node_name(cfg));
        db_bind_cstr(s, 3, at);
        r = db_step(s);
        if (r == DB_ROW) {
            outbox_msg *m = &msgs[*n];
            m->id = ids[i];
            str ch = db_col_text(s, 0), sub = db_col_text(s, 2);
            m->channel = arena_strndup(a, ch.p, ch.n);
            m->recipient = open_blob(s, 1, k, a);
            m->subject = arena_strndup(a, sub.p, sub.n);
            m->body = open_blob(s, 3, k, a);
            attempts[*n] = (int)db_col_int(s, 4);
            str mk = db_col_text(s, 5);
            m->recipient_masked = arena_strndup(a, mk.p, mk.n);
            (*n)++;
            r = db_step(s);
        }
        db_finish(s);
        if (r != DB_DONE) goto err;
    }
    return db_commit(c);
err:
    db_rollback(c);
    *n = 0;
    return r < 0 ? r : DB_ERR;
}

static int record(db_conn *c, int64_t id, enum outbox_result res, int attempts, int max_attempts,
                  int64_t now, const char *err, const char *sender)
{
    char at[21], next[21];
    iso(now, at);
    iso(now + outbox_backoff(attempts), next);
    const char *status = res == OUTBOX_OK                                      ? "sent"
                         : res == OUTBOX_PERMANENT || attempts >= max_attempts ? "failed"
                                                                               : "pending";
    db_stmt *s = db_prepare(c, "UPDATE outbox SET status = $2, sent_at = $3, next_attempt_at = $4, "
                               "last_error = $5, sender = $6, claimed_by = NULL, claimed_at = NULL "
                               "WHERE id = $1 AND status = 'sending'");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, status);
    db_bind_cstr(s, 3, res == OUTBOX_OK ? at : NULL);
    db_bind_cstr(s, 4, res == OUTBOX_OK ? at : next);
    db_bind_cstr(s, 5, res == OUTBOX_OK ? NULL : err);
    db_bind_cstr(s, 6, sender);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int outbox_run_once(db *d, const cr_keys *k, const layan_config *cfg, int64_t now, int max)
{
    db_conn *c = db_acquire(d);
    if (!c) return DB_EUNAVAIL;
    arena *a = arena_new(0);
    outbox_msg msgs[MAX_CLAIM];
    int attempts[MAX_CLAIM], n = 0;
    int r = claim(c, k, cfg, now, max, a, msgs, attempts, &n);
    /* sending happens outside any transaction: a slow gateway holds no lock */
    db_release(c);
    int handled = 0;
    for (int i = 0; r == DB_OK && i < n; i++) {
        char err[200] = "";
        const char *sender = "none";
        enum outbox_result res;
        if (!msgs[i].recipient || !msgs[i].body) {
            snprintf(err, sizeof err, "cannot decrypt the message (another installation key?)");
            res = OUTBOX_PERMANENT;
        } else {
            res = outbox_send(cfg, &msgs[i], err, sizeof err, &sender);
        }
        if (res != OUTBOX_OK)
            LOGW("outbox: message %lld via %s not sent (attempt %d): %s", (long long)msgs[i].id,
                 sender, attempts[i], err);
        /* a failure to record leaves the row 'sending': it is retried once the claim is stale */
        c = db_acquire(d);
        int rr = c ? record(c, msgs[i].id, res, attempts[i], max_attempts(cfg), now, err, sender)
                   : DB_EUNAVAIL;
        if (c) db_release(c);
        if (rr == DB_OK) handled++;
        else LOGE("outbox: cannot record the outcome of message %lld", (long long)msgs[i].id);
        if (rr == DB_EUNAVAIL) r = rr;
    }
    for (int i = 0; i < n; i++) {
        if (msgs[i].recipient) cr_wipe((void *)msgs[i].recipient, strlen(msgs[i].recipient));
        if (msgs[i].body) cr_wipe((void *)msgs[i].body, strlen(msgs[i].body));
    }
    arena_free(a);
    return r == DB_OK ? handled : r;
}

static const char *dup_col(db_stmt *s, int col, arena *a)
{
    if (db_col_is_null(s, col)) return NULL;
    str v = db_col_text(s, col);
    return arena_strndup(a, v.p ? v.p : "", v.n);
}

int outbox_list(db_conn *c, const cr_keys *k, arena *a, const char *status, int limit, int offset,
                outbox_item **items, size_t *n, int64_t *total)
{
    *items = NULL;
    *n = 0;
    *total = 0;
    db_stmt *s = db_prepare(c, status ? "SELECT count(*) FROM outbox WHERE status = $1"
                                      : "SELECT count(*) FROM outbox");
    if (!s) return DB_ERR;
    if (status) db_bind_cstr(s, 1, status);
    if (db_step(s) == DB_ROW) *total = db_col_int(s, 0);
    db_finish(s);
    s = db_prepare(c, status ? "SELECT id, channel, recipient_masked, subject, body_enc, status, "
                               "attempts, next_attempt_at, sent_at, last_error, created_at, sender "
                               "FROM outbox WHERE status = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"
                             : "SELECT id, channel, recipient_masked, subject, body_enc, status, "
                               "attempts, next_attempt_at, sent_at, last_error, created_at, sender "
                               "FROM outbox ORDER BY id DESC LIMIT $1 OFFSET $2");
    if (!s) return DB_ERR;
    int p = 1;
    if (status) db_bind_cstr(s, p++, status);
    db_bind_int(s, p++, limit);
    db_bind_int(s, p, offset);
    size_t cap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            outbox_item *g = arena_alloc(a, nc * sizeof *g);
            if (*n) memcpy(g, *items, *n * sizeof *g);
            *items = g;
            cap = nc;
        }
        outbox_item *it = &(*items)[(*n)++];
        it->id = db_col_int(s, 0);
        it->channel = dup_col(s, 1, a);
        it->recipient_masked = dup_col(s, 2, a);
        it->subject = dup_col(s, 3, a);
        it->body = open_blob(s, 4, k, a);
        it->status = dup_col(s, 5, a);
        it->attempts = (int)db_col_int(s, 6);
        it->next_attempt_at = dup_col(s, 7, a);
        it->sent_at = dup_col(s, 8, a);
        it->last_error = dup_col(s, 9, a);
        it->created_at = dup_col(s, 10, a);
        it->sender = dup_col(s, 11, a);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int outbox_counts(db_conn *c, int64_t counts[4])
{
    static const char *names[4] = {"pending", "sending", "sent", "failed"};
    memset(counts, 0, 4 * sizeof counts[0]);
    db_stmt *s = db_prepare(c, "SELECT status, count(*) FROM outbox GROUP BY status");
    if (!s) return DB_ERR;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        str st = db_col_text(s, 0);
        for (int i = 0; i < 4; i++)
            if (str_eq_c(st, names[i])) counts[i] = db_col_int(s, 1);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int outbox_retry(db_conn *c, int64_t id, int64_t now)
{
    char at[21];
    iso(now, at);
    db_stmt *s = db_prepare(c, "UPDATE outbox SET status = 'pending', attempts = 0, "
                               "next_attempt_at = $2, last_error = NULL WHERE id = $1 AND status = "
                               "'failed'");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, at);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    return db_changes(c) > 0 ? DB_OK : DB_DONE;
}

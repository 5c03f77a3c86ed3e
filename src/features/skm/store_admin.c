/* skm store_admin: running a period (status, counts), kiosks, one-time links and the follow-up
 * plan. Tables: skm_periods, skm_responses (0004), skm_kiosks, skm_links, skm_followups (0006).
 * Tokens are random (cr_random_token); only their BLAKE2b hash is stored (cr_token_hash). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "features/skm/internal.h"
#include "lib/crypto.h"
#include "lib/utf8.h"

static const char *col(db_stmt *s, arena *a, int i)
{
    if (db_col_is_null(s, i)) return NULL;
    str t = db_col_text(s, i);
    return arena_strndup(a, t.p ? t.p : "", t.n);
}

static int step_done(db_stmt *s)
{
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

static int invalid(char *err, size_t errlen, const char *msg)
{
    if (errlen) snprintf(err, errlen, "%s", msg);
    return SKM_EINVALID;
}

/* ---- periods ---- */

int skm_period_by_id(db_conn *c, arena *a, int64_t id, skm_period *out)
{
    db_stmt *s =
        db_prepare(c, "SELECT " SKM_PERIOD_COLS "FROM skm_periods p JOIN units u ON u.id = "
                      "p.unit_id WHERE p.id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW) skm_fill_period(s, a, out);
    db_finish(s);
    return r == DB_ROW ? DB_OK : r;
}

int skm_periods_all(db_conn *c, arena *a, skm_period_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(
        c, "SELECT " SKM_PERIOD_COLS
           ", u.name, (SELECT count(*) FROM skm_responses r WHERE r.period_id = "
           "p.id) FROM skm_periods p JOIN units u ON u.id = p.unit_id ORDER BY p.starts_on DESC, "
           "p.ends_on, u.name, p.code");
    if (!s) return DB_ERR;
    size_t cap = 16, k = 0;
    skm_period_row *v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            skm_period_row *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *v);
            v = nv;
            cap *= 2;
        }
        skm_fill_period(s, a, &v[k].p);
        v[k].unit_name = col(s, a, 10);
        v[k].responses = db_col_int(s, 11);
        k++;
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int skm_period_set_status(db_conn *c, int64_t period_id, const char *status, const char *now)
{
    /* the allowed steps, each one UPDATE guarded by the current status */
    static const struct {
        const char *from, *to, *sql;
    } steps[] = {
        {"open", "closed",
         "UPDATE skm_periods SET status = 'closed', closed_at = $2 WHERE id = "
         "$1 AND status = 'open'"},
        {"closed", "open",
         "UPDATE skm_periods SET status = 'open', closed_at = NULL WHERE id = "
         "$1 AND status = 'closed' AND CAST($2 AS TEXT) IS NOT NULL"},
        {"closed", "published",
         "UPDATE skm_periods SET status = 'published', published_at = $2 "
         "WHERE id = $1 AND status = 'closed'"},
        {"published", "closed",
         "UPDATE skm_periods SET status = 'closed', published_at = NULL "
         "WHERE id = $1 AND status = 'published' AND CAST($2 AS TEXT) IS NOT NULL"},
    };
    db_stmt *s = db_prepare(c, "SELECT status FROM skm_periods WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, period_id);
    int r = db_step(s);
    char cur[16] = "";
    if (r == DB_ROW) {
        str t = db_col_text(s, 0);
        snprintf(cur, sizeof cur, "%.*s", (int)(t.n < 15 ? t.n : 15), t.p ? t.p : "");
    }
    db_finish(s);
    if (r != DB_ROW) return r;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (strcmp(cur, steps[i].from) != 0 || strcmp(status, steps[i].to) != 0) continue;
        s = db_prepare(c, steps[i].sql);
        if (!s) return DB_ERR;
        db_bind_int(s, 1, period_id);
        db_bind_cstr(s, 2, now);
        r = step_done(s);
        if (r == DB_OK && db_changes(c) == 0) r = SKM_EINVALID; /* changed meanwhile */
        return r;
    }
    return SKM_EINVALID;
}

int skm_period_counts(db_conn *c, int64_t period_id, skm_counts *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(c, "SELECT channel, count(*) FROM skm_responses WHERE period_id = $1 "
                               "GROUP BY channel");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, period_id);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        str ch = db_col_text(s, 0);
        int64_t k = db_col_int(s, 1);
        if (str_eq_c(ch, "link")) out->link = k;
        else if (str_eq_c(ch, "kiosk")) out->kiosk = k;
        else if (str_eq_c(ch, "paper")) out->paper = k;
        else out->import += k;
        out->total += k;
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

/* ---- kiosks ---- */

#define KCOLS                                                                                      \
    "k.id, k.period_id, p.unit_id, k.created_by, k.answers, u.code, p.code, k.service_code, "      \
    "k.place, k.created_at, k.expires_at, k.revoked_at, k.last_answer_at FROM skm_kiosks k JOIN "  \
    "skm_periods p ON p.id = k.period_id JOIN units u ON u.id = p.unit_id "

static void fill_kiosk(db_stmt *s, arena *a, skm_kiosk *k)
{
    memset(k, 0, sizeof *k);
    k->id = db_col_int(s, 0);
    k->period_id = db_col_int(s, 1);
    k->unit_id = db_col_int(s, 2);
    k->created_by = db_col_int(s, 3);
    k->answers = db_col_int(s, 4);
    k->unit_code = col(s, a, 5);
    k->period_code = col(s, a, 6);
    k->service_code = col(s, a, 7);
    k->place = col(s, a, 8);
    k->created_at = col(s, a, 9);
    k->expires_at = col(s, a, 10);
    k->revoked_at = col(s, a, 11);
    k->last_answer_at = db_col_int(s, 12);
}

int skm_kiosk_start(db_conn *c, int64_t period_id, const char *service_code, const char *place,
                    const char *expires_at, int64_t by, const char *now, int64_t *id,
                    const char token[SKM_LINK_TOKEN])
{
    unsigned char h[32];
    cr_token_hash(str_c(token), h);
    db_stmt *s = db_prepare(c, "INSERT INTO skm_kiosks (token_hash, period_id, service_code, "
                               "place, created_at, created_by, expires_at) VALUES ($1, $2, $3, "
                               "$4, $5, $6, $7) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_blob(s, 1, h, sizeof h);
    db_bind_int(s, 2, period_id);
    db_bind_cstr(s, 3, service_code);
    db_bind_cstr(s, 4, place);
    db_bind_cstr(s, 5, now);
    if (by) db_bind_int(s, 6, by);
    else db_bind_null(s, 6);
    db_bind_cstr(s, 7, expires_at);
    int r = db_step(s);
    if (r == DB_ROW && id) *id = db_col_int(s, 0);
    db_finish(s);
    return r == DB_ROW ? DB_OK : r;
}

int skm_kiosk_find(db_conn *c, arena *a, str token, const char *now, skm_kiosk *out)
{
    if (token.n != CR_TOKEN_LEN) return DB_DONE;
    unsigned char h[32];
    cr_token_hash(token, h);
    db_stmt *s = db_prepare(c, "SELECT " KCOLS "WHERE k.token_hash = $1 AND k.revoked_at IS NULL "
                               "AND k.expires_at > $2");
    if (!s) return DB_ERR;
    db_bind_blob(s, 1, h, sizeof h);
    db_bind_cstr(s, 2, now);
    int r = db_step(s);
    if (r == DB_ROW) fill_kiosk(s, a, out);
    db_finish(s);
    return r == DB_ROW ? DB_OK : r;
}

int skm_kiosk_get(db_conn *c, arena *a, int64_t id, skm_kiosk *out)
{
    db_stmt *s = db_prepare(c, "SELECT " KCOLS "WHERE k.id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW) fill_kiosk(s, a, out);
    db_finish(s);
    return r == DB_ROW ? DB_OK : r;
}

int skm_kiosks_list(db_conn *c, arena *a, int64_t period_id, skm_kiosk **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, period_id ? "SELECT " KCOLS "WHERE k.period_id = $1 ORDER BY k.id "
                                           "DESC"
                                         : "SELECT " KCOLS "WHERE $1 = 0 ORDER BY k.id DESC");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, period_id);
    size_t cap = 8, k = 0;
    skm_kiosk *v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            skm_kiosk *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *v);
            v = nv;
            cap *= 2;
        }
        fill_kiosk(s, a, &v[k++]);
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int skm_kiosk_revoke(db_conn *c, int64_t id, const char *now)
{
    db_stmt *s = db_prepare(c, "UPDATE skm_kiosks SET revoked_at = $2 WHERE id = $1 AND "
                               "revoked_at IS NULL");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    db_bind_cstr(s, 2, now);
    int r = step_done(s);
    if (r == DB_OK && db_changes(c) == 0) r = DB_DONE;
    return r;
}

int skm_kiosk_take_slot(db_conn *c, int64_t kiosk_id, int64_t now, int64_t *wait)
{
    *wait = 0;
    db_stmt *s = db_prepare(c, "UPDATE skm_kiosks SET last_answer_at = $2, answers = answers + 1 "
                               "WHERE id = $1 AND (last_answer_at IS NULL OR last_answer_at <= $3 "
                               "OR last_answer_at > $2)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, kiosk_id);
    db_bind_int(s, 2, now);
    db_bind_int(s, 3, now - SKM_KIOSK_GAP);
    int r = step_done(s);
    if (r != DB_OK || db_changes(c) > 0) return r;
    s = db_prepare(c, "SELECT last_answer_at FROM skm_kiosks WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, kiosk_id);
    if (db_step(s) == DB_ROW) *wait = db_col_int(s, 0) + SKM_KIOSK_GAP - now;
    db_finish(s);
    if (*wait < 1) *wait = 1;
    return DB_EBUSY;
}

/* ---- one-time links ---- */

int skm_link_issue(db_conn *c, int64_t unit_id, const char *service_code, const char *period_code,
                   const char *today, char token_out[SKM_LINK_TOKEN])
{
    token_out[0] = 0;
    db_stmt *s;
    if (period_code) {
        ikm_period ip;
        if (!ikm_period_parse(period_code, strlen(period_code), &ip)) return SKM_EINVALID;
        s = db_prepare(c, "SELECT id FROM skm_periods WHERE unit_id = $1 AND code = $2 AND "
                          "status = 'open'");
        if (!s) return DB_ERR;
        db_bind_cstr(s, 2, ip.code);
    } else {
        cal_date d;
        if (!today || !cal_date_parse(today, strlen(today), &d)) return SKM_EINVALID;
        /* the shortest open period containing today: a quarter before the year */
        s = db_prepare(c, "SELECT id FROM skm_periods WHERE unit_id = $1 AND status = 'open' AND "
                          "starts_on <= $2 AND ends_on >= $2 ORDER BY ends_on, starts_on DESC, "
                          "id LIMIT 1");
        if (!s) return DB_ERR;
        db_bind_cstr(s, 2, today);
    }
    db_bind_int(s, 1, unit_id);
    int r = db_step(s);
    int64_t pid = r == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (r != DB_ROW) return r;
    char tok[SKM_LINK_TOKEN];
    unsigned char h[32];
    cr_random_token(tok);
    cr_token_hash(str_c(tok), h);
    s = db_prepare(c, "INSERT INTO skm_links (token_hash, period_id, service_code) VALUES ($1, $2, "
                      "$3)");
    if (!s) return DB_ERR;
    db_bind_blob(s, 1, h, sizeof h);
    db_bind_int(s, 2, pid);
    db_bind_cstr(s, 3, service_code);
    r = step_done(s);
    if (r == DB_OK) memcpy(token_out, tok, sizeof tok);
    return r;
}

int skm_link_find(db_conn *c, arena *a, str token, skm_period *p, const char **service_code,
                  bool *used)
{
    if (token.n != CR_TOKEN_LEN) return DB_DONE;
    unsigned char h[32];
    cr_token_hash(token, h);
    db_stmt *s = db_prepare(c, "SELECT period_id, service_code, used FROM skm_links WHERE "
                               "token_hash = $1");
    if (!s) return DB_ERR;
    db_bind_blob(s, 1, h, sizeof h);
    int r = db_step(s);
    int64_t pid = 0;
    if (r == DB_ROW) {
        pid = db_col_int(s, 0);
        *service_code = col(s, a, 1);
        *used = db_col_int(s, 2) != 0;
    }
    db_finish(s);
    if (r != DB_ROW) return r;
    return skm_period_by_id(c, a, pid, p);
}

int skm_link_answer(db_conn *c, str token, const skm_period *p, const skm_instrument *ins,
                    const skm_response *r, char *err, size_t errlen)
{
    int rc = skm_response_check(p, ins, r, err, errlen);
    if (rc != DB_OK) return rc;
    unsigned char h[32];
    cr_token_hash(token, h);
    db_stmt *s = db_prepare(c, "UPDATE skm_links SET used = 1 WHERE token_hash = $1 AND used = 0 "
                               "AND period_id = $2");
    if (!s) return DB_ERR;
    db_bind_blob(s, 1, h, sizeof h);
    db_bind_int(s, 2, p->id);
    rc = step_done(s);
    if (rc != DB_OK) return rc;
    if (db_changes(c) == 0) return SKM_EUSED;
    return skm_response_add(c, p, ins, r, NULL, err, errlen);
}

/* ---- the follow-up plan ---- */

#define FCOLS                                                                                      \
    "id, period_id, element_code, item, action, owner, due_date, status, evidence, done_at, "      \
    "created_at FROM skm_followups "

static void fill_followup(db_stmt *s, arena *a, skm_followup *f)
{
    f->id = db_col_int(s, 0);
    f->period_id = db_col_int(s, 1);
    f->element_code = col(s, a, 2);
    f->item = col(s, a, 3);
    f->action = col(s, a, 4);
    f->owner = col(s, a, 5);
    f->due_date = col(s, a, 6);
    f->status = col(s, a, 7);
    f->evidence = col(s, a, 8);
    f->done_at = col(s, a, 9);
    f->created_at = col(s, a, 10);
}

int skm_followups_list(db_conn *c, arena *a, int64_t period_id, skm_followup **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT " FCOLS "WHERE period_id = $1 ORDER BY id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, period_id);
    size_t cap = 8, k = 0;
    skm_followup *v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            skm_followup *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *v);
            v = nv;
            cap *= 2;
        }
        fill_followup(s, a, &v[k++]);
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int skm_followup_get(db_conn *c, arena *a, int64_t id, skm_followup *out)
{
    db_stmt *s = db_prepare(c, "SELECT " FCOLS "WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int r = db_step(s);
    if (r == DB_ROW) fill_followup(s, a, out);
    db_finish(s);
    return r == DB_ROW ? DB_OK : r;
}

static bool text_ok(const char *s, size_t min, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n >= min && n <= max && (!n || utf8_valid_text(s, n));
}

static bool date_ok(const char *s)
{
    cal_date d;
    return !s || cal_date_parse(s, strlen(s), &d);
}

int skm_followup_save(db_conn *c, skm_followup *f, const char *today, char *err, size_t errlen)
{
    static const char *const statuses[] = {"planned", "in_progress", "done", "dropped"};
    bool st = false;
    for (size_t i = 0; i < 4 && f->status; i++)
        st |= strcmp(f->status, statuses[i]) == 0;
    if (!st) return invalid(err, errlen, "unknown status");
    if (!text_ok(f->item, 1, 300)) return invalid(err, errlen, "item: 1 to 300 bytes of text");
    if (!text_ok(f->action, 1, 1000))
        return invalid(err, errlen, "action: 1 to 1000 bytes of text");
    if (!text_ok(f->owner, 1, 200)) return invalid(err, errlen, "owner: 1 to 200 bytes of text");
    if (!text_ok(f->evidence, 0, 1000)) return invalid(err, errlen, "evidence: at most 1000 bytes");
    if (!text_ok(f->element_code, 0, 8)) return invalid(err, errlen, "bad element code");
    if (!date_ok(f->due_date) || !date_ok(f->done_at)) return invalid(err, errlen, "bad date");
    if (strcmp(f->status, "done") == 0) {
        if (!f->done_at) f->done_at = today;
    } else {
        f->done_at = NULL;
    }
    db_stmt *s;
    if (f->id) {
        s = db_prepare(c, "UPDATE skm_followups SET element_code = $2, item = $3, action = $4, "
                          "owner = $5, due_date = $6, status = $7, evidence = $8, done_at = $9 "
                          "WHERE id = $1 AND period_id = $10");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, f->id);
    } else {
        s = db_prepare(c, "INSERT INTO skm_followups (created_at, element_code, item, action, "
                          "owner, due_date, status, evidence, done_at, period_id) VALUES ($1, $2, "
                          "$3, $4, $5, $6, $7, $8, $9, $10) RETURNING id");
        if (!s) return DB_ERR;
        db_bind_cstr(s, 1, today);
        f->created_at = today;
    }
    db_bind_cstr(s, 2, f->element_code);
    db_bind_cstr(s, 3, f->item);
    db_bind_cstr(s, 4, f->action);
    db_bind_cstr(s, 5, f->owner);
    db_bind_cstr(s, 6, f->due_date);
    db_bind_cstr(s, 7, f->status);
    db_bind_cstr(s, 8, f->evidence);
    db_bind_cstr(s, 9, f->done_at);
    db_bind_int(s, 10, f->period_id);
    int r = db_step(s);
    if (!f->id) {
        if (r == DB_ROW) f->id = db_col_int(s, 0);
        db_finish(s);
        return r == DB_ROW ? DB_OK : r;
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    return db_changes(c) ? DB_OK : DB_DONE;
}

static int64_t day_of(const char *ymd)
{
    cal_date d;
    if (!ymd || !cal_date_parse(ymd, strlen(ymd), &d)) return INT64_MIN;
    return cal_days_from_civil(d.y, d.m, d.d);
}

void skm_followup_summarize(const skm_followup *f, size_t n, skm_followup_summary *out)
{
    memset(out, 0, sizeof *out);
    int64_t days = 0, ndays = 0;
    for (size_t i = 0; i < n; i++) {
        out->total++;
        if (f[i].status && strcmp(f[i].status, "dropped") == 0) out->dropped++;
        if (!f[i].status || strcmp(f[i].status, "done") != 0) continue;
        out->done++;
        int64_t a = day_of(f[i].created_at), b = day_of(f[i].done_at);
        if (a == INT64_MIN || b == INT64_MIN) continue;
        days += b > a ? b - a : 0;
        ndays++;
    }
    int64_t base = out->total - out->dropped;
    out->pct_done = base > 0 ? (out->done * 200 + base) / (2 * base) : -1;
    out->avg_days_e1 = ndays ? (days * 20 + ndays) / (2 * ndays) : -1;
}

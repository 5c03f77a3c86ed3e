/* ratelimit store: see ratelimit.h. The counting is one upsert, so nodes and threads failing
 * on the same key at once each add their failure; the wait follows from the count returned. */
#include <stdio.h>
#include <string.h>

#include "features/ratelimit/ratelimit.h"

static void key_of(const cr_keys *k, const char *scope, str what, char out[65])
{
    char tmp[400];
    int n = snprintf(tmp, sizeof tmp, "%s:%.*s", scope, (int)(what.n < 300 ? what.n : 300),
                     what.p ? what.p : "");
    cr_mac_hex(k, "rl", (str){tmp, n > 0 ? (size_t)n : 0}, out);
}

int64_t rl_wait(db_conn *c, const cr_keys *k, const char *scope, str what, int64_t now)
{
    char key[65];
    key_of(k, scope, what, key);
    db_stmt *s = db_prepare(c, "SELECT blocked_until FROM rate_limits WHERE key = $1");
    if (!s) return -1;
    db_bind_cstr(s, 1, key);
    int64_t wait = 0;
    int r = db_step(s);
    if (r == DB_ROW) {
        int64_t until = db_col_int(s, 0);
        wait = until > now ? until - now : 0;
    } else if (r != DB_DONE) {
        wait = -1;
    }
    db_finish(s);
    return wait;
}

int rl_fail(db_conn *c, const cr_keys *k, const char *scope, str what, int64_t now,
            int free_attempts)
{
    char key[65];
    key_of(k, scope, what, key);
    /* one atomic upsert counts the failure (a window older than RL_WINDOW starts again) */
    db_stmt *s = db_prepare(
        c, "INSERT INTO rate_limits (key, failures, first_at, blocked_until) VALUES ($1, 1, $2, 0) "
           "ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN rate_limits.first_at <= $3 THEN "
           "1 ELSE rate_limits.failures + 1 END, first_at = CASE WHEN rate_limits.first_at <= $3 "
           "THEN $2 ELSE rate_limits.first_at END RETURNING failures");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, key);
    db_bind_int(s, 2, now);
    db_bind_int(s, 3, now - RL_WINDOW);
    int r = db_step(s);
    int64_t failures = r == DB_ROW ? db_col_int(s, 0) : 0;
    if (r == DB_ROW) r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r == DB_OK ? DB_ERR : r;
    if (failures <= free_attempts) return DB_OK;
    int64_t over = failures - free_attempts - 1; /* 0 for the first failure past the free ones */
    int64_t wait = over >= 10 ? RL_MAX_WAIT : (int64_t)1 << over;
    if (wait > RL_MAX_WAIT) wait = RL_MAX_WAIT;
    /* never shortens a wait: a concurrent failure may have set a longer one already */
    s = db_prepare(c, "UPDATE rate_limits SET blocked_until = CASE WHEN blocked_until > $2 THEN "
                      "blocked_until ELSE $2 END WHERE key = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, key);
    db_bind_int(s, 2, now + wait);
    r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int rl_clear(db_conn *c, const cr_keys *k, const char *scope, str what)
{
    char key[65];
    key_of(k, scope, what, key);
    db_stmt *s = db_prepare(c, "DELETE FROM rate_limits WHERE key = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, key);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int rl_prune(db_conn *c, int64_t now)
{
    db_stmt *s =
        db_prepare(c, "DELETE FROM rate_limits WHERE first_at < $1 AND blocked_until < $2");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, now - RL_WINDOW);
    db_bind_int(s, 2, now);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

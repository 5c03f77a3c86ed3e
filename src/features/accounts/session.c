/* accounts sessions: the server's authenticate hook (session cookie, API key, anonymous CSRF
 * token) and the start and end of sessions.
 *
 * The cookie holds a 256-bit random token; the database holds only its BLAKE2b hash, so a
 * stolen database copy opens no session. Sessions expire after [security] session_idle_min
 * without a request and session_max_hours after sign-in, whichever comes first. The CSRF token
 * of a session is a MAC of its token; an anonymous visitor gets a random `csrf` cookie and the
 * forms carry a MAC of it (signed double submit), so sign-in and registration are covered too. */
#include <stdio.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/app.h"
#include "lib/log.h"

#define SID_COOKIE "sid"
#define CSRF_COOKIE "csrf"

static void set_cookie(http_req *rq, const char *name, const char *value, bool clear)
{
    app *a = app_of(rq);
    char v[200];
    snprintf(v, sizeof v, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value,
             clear ? "; Max-Age=0" : "", a->cfg && a->cfg->secure_cookies ? "; Secure" : "");
    http_header(rq, "Set-Cookie", v);
}

static void redirect_setup(http_req *rq, const char *to)
{
    http_redirect(rq, 303, to);
}

static int auth_apikey(http_req *rq, str key)
{
    app *a = app_of(rq);
    if (key.n < 10 || key.n > 100 || !str_starts(key, STR("lyk_"))) return 401;
    unsigned char h[32];
    cr_token_hash(key, h);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    db_stmt *s = db_prepare(c, "SELECT id, unit_id, last_used_at FROM api_keys WHERE key_hash = "
                               "$1 AND revoked_at IS NULL");
    if (!s) {
        db_release(c);
        return 503;
    }
    db_bind_blob(s, 1, h, sizeof h);
    int r = db_step(s);
    int64_t id = 0, unit = 0;
    char last[32] = "";
    if (r == DB_ROW) {
        id = db_col_int(s, 0);
        unit = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1);
        str l = db_col_text(s, 2);
        if (l.p) snprintf(last, sizeof last, "%.*s", (int)(l.n < 31 ? l.n : 31), l.p);
    }
    db_finish(s);
    if (r == DB_ROW) {
        /* last use, to the minute: enough to see a key is alive without a write per call */
        char now[21];
        acct_iso(app_now(), now);
        if (strncmp(last, now, 16) != 0) {
            s = db_prepare(c, "UPDATE api_keys SET last_used_at = $2 WHERE id = $1");
            if (s) {
                db_bind_int(s, 1, id);
                db_bind_cstr(s, 2, now);
                db_step(s);
                db_finish(s);
            }
        }
    }
    db_release(c);
    if (r == DB_DONE) return 401;
    if (r != DB_ROW) return 503;
    rq->who.apikey_id = id;
    rq->who.apikey_unit = unit;
    rq->who.roles = ROLE_APIKEY;
    return 0;
}

static int auth_session(http_req *rq, str token)
{
    app *a = app_of(rq);
    http_principal *w = &rq->who;
    unsigned char h[32];
    cr_token_hash(token, h);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    int64_t now = app_now();
    db_stmt *s = db_prepare(c, "SELECT s.id, s.user_id, s.last_seen_at, s.expires_at, "
                               "s.mfa_pending, u.kind, u.name, u.disabled_at, u.verified_at, "
                               "u.must_change_password, u.totp_enabled_at FROM sessions s JOIN "
                               "users u ON u.id = s.user_id WHERE s.token_hash = $1");
    if (!s) {
        db_release(c);
        return 503;
    }
    db_bind_blob(s, 1, h, sizeof h);
    int r = db_step(s);
    if (r != DB_ROW) {
        db_finish(s);
        db_release(c);
        if (r == DB_DONE) set_cookie(rq, SID_COOKIE, "", true); /* unknown or ended: forget it */
        return r == DB_DONE ? 0 : 503;
    }
    int64_t sid = db_col_int(s, 0), uid = db_col_int(s, 1);
    char last[32], exp[32], idle_limit[21], nowiso[21];
    str l = db_col_text(s, 2), e = db_col_text(s, 3);
    snprintf(last, sizeof last, "%.*s", (int)(l.n < 31 ? l.n : 31), l.p ? l.p : "");
    snprintf(exp, sizeof exp, "%.*s", (int)(e.n < 31 ? e.n : 31), e.p ? e.p : "");
    bool mfa = db_col_int(s, 4) != 0;
    bool citizen = str_eq_c(db_col_text(s, 5), "citizen");
    str nm = db_col_text(s, 6);
    w->name = arena_strndup(rq->a, nm.p ? nm.p : "", nm.n);
    bool disabled = !db_col_is_null(s, 7), verified = !db_col_is_null(s, 8);
    bool must_change = db_col_int(s, 9) != 0, totp = !db_col_is_null(s, 10);
    db_finish(s);
    acct_iso(now, nowiso);
    acct_iso(now - (int64_t)a->cfg->session_idle_min * 60, idle_limit);
    bool expired = strcmp(exp, nowiso) <= 0 || strcmp(last, idle_limit) < 0 || disabled ||
                   (citizen && !verified);
    if (expired) {
        s = db_prepare(c, "DELETE FROM sessions WHERE id = $1");
        if (s) {
            db_bind_int(s, 1, sid);
            db_step(s);
            db_finish(s);
        }
        db_release(c);
        set_cookie(rq, SID_COOKIE, "", true);
        w->name = NULL;
        return 0;
    }
    /* idle expiry counts from the last request; writing it at most once a minute keeps reads
     * read-only */
    char last_limit[21];
    acct_iso(now - 60, last_limit);
    if (strcmp(last, last_limit) < 0) {
        s = db_prepare(c, "UPDATE sessions SET last_seen_at = $2 WHERE id = $1");
        if (s) {
            db_bind_int(s, 1, sid);
            db_bind_cstr(s, 2, nowiso);
            db_step(s);
            db_finish(s);
        }
    }
    unsigned roles = mfa ? 0 : citizen ? ROLE_CITIZEN : acct_role_mask(c, uid);
    db_release(c);
    w->user_id = uid;
    w->citizen = citizen;
    w->staff = !citizen;
    w->mfa_pending = mfa;
    w->must_change_password = must_change;
    /* admin_pemda must sign in with two factors: nothing but the set-up steps before TOTP is
     * on (redirected below) */
    w->needs_2fa = (roles & ROLE_ADMIN) && !totp;
    w->roles = roles;
    cr_mac_hex(&a->keys, "csrf", token, w->csrf);
    /* the setup steps come before anything else that needs a role */
    const struct http_route *rt = rq->route;
    if (rt && rt->role != ROLE_PUBLIC && !(rt->flags & HR_SETUP)) {
        if (mfa) redirect_setup(rq, "/masuk/kode");
        else if (must_change) redirect_setup(rq, "/akun/kata-sandi");
        else if (w->needs_2fa) redirect_setup(rq, "/akun/2fa?wajib=1");
    }
    return 0;
}

int accounts_authenticate(http_req *rq)
{
    app *a = app_of(rq);
    str auth = http_header_in(rq, "Authorization");
    if (auth.p && str_starts(auth, STR("Bearer ")))
        return auth_apikey(rq, str_trim((str){auth.p + 7, auth.n - 7}));
    str key = http_header_in(rq, "X-API-Key");
    if (key.p) return auth_apikey(rq, str_trim(key));
    str sid = http_kvs_get(&rq->cookies, SID_COOKIE);
    if (sid.p && sid.n == CR_TOKEN_LEN) {
        int r = auth_session(rq, sid);
        if (r || rq->who.user_id || rq->status) return r;
    }
    /* anonymous: forms carry a MAC of the visitor's csrf cookie; a page without the cookie
     * sets one (not cached pages: those have no forms that post) */
    str ck = http_kvs_get(&rq->cookies, CSRF_COOKIE);
    if (ck.p && ck.n == CR_TOKEN_LEN) {
        cr_mac_hex(&a->keys, "csrf-anon", ck, rq->who.csrf);
    } else if (rq->route && rq->route->kind == HTTP_PAGE && rq->route->cache_seconds == 0) {
        char t[CR_TOKEN_LEN + 1];
        cr_random_token(t);
        set_cookie(rq, CSRF_COOKIE, t, false);
        cr_mac_hex(&a->keys, "csrf-anon", str_c(t), rq->who.csrf);
    }
    return 0;
}

static int delete_by_hash(db_conn *c, str token)
{
    unsigned char h[32];
    cr_token_hash(token, h);
    db_stmt *s = db_prepare(c, "DELETE FROM sessions WHERE token_hash = $1");
    if (!s) return DB_ERR;
    db_bind_blob(s, 1, h, sizeof h);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int acct_session_start(http_req *rq, db_conn *c, int64_t user_id, bool mfa_pending)
{
    app *a = app_of(rq);
    str old = http_kvs_get(&rq->cookies, SID_COOKIE);
    if (old.p && old.n == CR_TOKEN_LEN && delete_by_hash(c, old) != DB_OK) return DB_ERR;
    char token[CR_TOKEN_LEN + 1];
    cr_random_token(token);
    unsigned char h[32];
    cr_token_hash(str_c(token), h);
    int64_t now = app_now();
    char at[21], exp[21];
    acct_iso(now, at);
    /* a half-finished two-factor sign-in may not linger: 10 minutes */
    acct_iso(now + (mfa_pending ? 600 : (int64_t)a->cfg->session_max_hours * 3600), exp);
    str ua = http_header_in(rq, "User-Agent");
    db_stmt *s = db_prepare(c, "INSERT INTO sessions (token_hash, user_id, created_at, "
                               "last_seen_at, expires_at, mfa_pending, user_agent) VALUES ($1, $2, "
                               "$3, $3, $4, $5, $6)");
    if (!s) return DB_ERR;
    db_bind_blob(s, 1, h, sizeof h);
    db_bind_int(s, 2, user_id);
    db_bind_cstr(s, 3, at);
    db_bind_cstr(s, 4, exp);
    db_bind_int(s, 5, mfa_pending ? 1 : 0);
    if (ua.p) db_bind_text(s, 6, (str){ua.p, ua.n > 200 ? 200 : ua.n});
    else db_bind_null(s, 6);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    set_cookie(rq, SID_COOKIE, token, false);
    cr_mac_hex(&a->keys, "csrf", str_c(token), rq->who.csrf);
    cr_wipe(token, sizeof token);
    return DB_OK;
}

int acct_sessions_drop(db_conn *c, int64_t user_id)
{
    db_stmt *s = db_prepare(c, "DELETE FROM sessions WHERE user_id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int acct_session_end(http_req *rq, db_conn *c, bool everywhere)
{
    int r = DB_OK;
    if (everywhere && rq->who.user_id) r = acct_sessions_drop(c, rq->who.user_id);
    str sid = http_kvs_get(&rq->cookies, SID_COOKIE);
    if (r == DB_OK && sid.p && sid.n == CR_TOKEN_LEN) r = delete_by_hash(c, sid);
    set_cookie(rq, SID_COOKIE, "", true);
    return r;
}

/* accounts pages: register, verify, sign in (with the TOTP step), forgot password, sign out.
 *
 * No user enumeration: an unknown account and a wrong password get the same answer, and so do
 * registration with data that already has an account and the forgot-password form for an
 * unknown identifier (a notice goes to the real owner instead). Every attempt counts against a
 * rate limit per identifier and per client address, with a growing delay. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/nik.h"
#include "core/region_table.h"
#include "features/accounts/accounts.h"
#include "features/accounts/web.h"
#include "features/app.h"
#include "features/audit/audit.h"
#include "features/form.h"
#include "features/outbox/outbox.h"
#include "features/ratelimit/ratelimit.h"
#include "lib/log.h"

const http_param_spec acct_signin_params[] = {
    {"identitas", HP_STR, 0, 255, false}, {"kata_sandi", HP_STR, 0, 1024, false},
    {"lanjut", HP_STR, 0, 300, false},    {"diatur", HP_INT, 0, 1, false},
    {"keluar", HP_INT, 0, 1, false},      {0}};
const http_param_spec acct_register_params[] = {{"nik", HP_STR, 0, 64, false},
                                                {"nama", HP_STR, 0, 200, false},
                                                {"telepon", HP_STR, 0, 64, false},
                                                {"email", HP_STR, 0, 255, false},
                                                {"kata_sandi", HP_STR, 0, 1024, false},
                                                {"setuju", HP_STR, 0, 4, false},
                                                {0}};
const http_param_spec acct_verify_params[] = {
    {"kontak", HP_STR, 0, 255, false}, {"kode", HP_STR, 0, 32, false}, {0}};
const http_param_spec acct_forgot_params[] = {{"identitas", HP_STR, 0, 255, false},
                                              {"kode", HP_STR, 0, 32, false},
                                              {"kata_sandi", HP_STR, 0, 1024, false},
                                              {0}};
const http_param_spec acct_totp_step_params[] = {
    {"kode", HP_STR, 0, 32, false}, {"lanjut", HP_STR, 0, 300, false}, {0}};

/* ---- shared ---- */

/* a local path to go back to after signing in: "/..." but not "//host" nor "/\host" */
static const char *safe_next(http_req *rq)
{
    str n = http_param(rq, "lanjut");
    if (!n.p || n.n < 1 || n.n > 300 || n.p[0] != '/') return NULL;
    if (n.n > 1 && (n.p[1] == '/' || n.p[1] == '\\')) return NULL;
    for (size_t i = 0; i < n.n; i++)
        if ((unsigned char)n.p[i] < 0x21 || n.p[i] == '\\' || n.p[i] == 0x7f) return NULL;
    return arena_strndup(rq->a, n.p, n.n);
}

static char dummy_hash[CR_PW_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy(void)
{
    if (cr_pw_hash("layan-timing-equaliser-7f3a", dummy_hash)) dummy_hash[0] = 0;
}

/* the same work whether or not the account exists */
static bool password_matches(const acct_user *u, bool found, str pw)
{
    char p[CR_PW_MAX * 4 + 1];
    size_t n = pw.n < sizeof p - 1 ? pw.n : sizeof p - 1;
    memcpy(p, pw.p ? pw.p : "", n);
    p[n] = 0;
    bool ok;
    if (found && u->password_hash) {
        ok = cr_pw_verify(u->password_hash, p);
    } else {
        pthread_once(&dummy_once, make_dummy);
        cr_pw_verify(dummy_hash, p);
        ok = false;
    }
    cr_wipe(p, sizeof p);
    return ok;
}

static const char *client_ip(http_req *rq)
{
    return rq->client_ip[0] ? rq->client_ip : "-";
}

void acct_form_pw_problem(http_req *rq, form_state *f, const char *field, enum cr_pw_problem p)
{
    switch (p) {
    case CR_PW_OK: break;
    case CR_PW_SHORT:
        form_error(rq, f, field, "The password must be at least %d characters long.", CR_PW_MIN);
        break;
    case CR_PW_LONG:
        form_error(rq, f, field, "The password can be at most %d characters long.", CR_PW_MAX);
        break;
    case CR_PW_COMMON:
        form_error(rq, f, field,
                   "This password is too common and easy to guess. Choose another one, for "
                   "example three words that have nothing to do with each other.");
        break;
    case CR_PW_PERSONAL:
        form_error(rq, f, field, "Do not use your NIK, phone number or name in the password.");
        break;
    }
}

enum { GATE_OPEN, GATE_WAIT, GATE_DOWN };

static void wait_error(http_req *rq, form_state *f, const char *field, int64_t wait);

/* checks the two rate limits of an attempt (per identifier and per client address).
 * GATE_OPEN: go on, c still held. Otherwise c is released and: GATE_WAIT, the wait is written
 * next to `field` (render the form again); GATE_DOWN, the limits cannot be read (f is freed;
 * answer 503, never "allowed") */
static int gate(http_req *rq, db_conn *c, form_state *f, const char *field, const char *scope,
                str what, int64_t now)
{
    app *a = app_of(rq);
    char ipscope[48];
    snprintf(ipscope, sizeof ipscope, "%s-ip", scope);
    int64_t w1 = what.n ? rl_wait(c, &a->keys, scope, what, now) : 0;
    int64_t w2 = rl_wait(c, &a->keys, ipscope, str_c(client_ip(rq)), now);
    if (w1 == 0 && w2 == 0) return GATE_OPEN;
    db_release(c);
    if (w1 < 0 || w2 < 0) {
        form_free(f);
        return GATE_DOWN;
    }
    wait_error(rq, f, field, w1 > w2 ? w1 : w2);
    return GATE_WAIT;
}

struct failure {
    const cr_keys *k;
    const char *scope, *ip;
    str what;
    int free_id, free_ip;
    int64_t now;
};

static int record_failure(db_conn *c, void *ud)
{
    const struct failure *f = ud;
    char ipscope[48];
    snprintf(ipscope, sizeof ipscope, "%s-ip", f->scope);
    int r = f->what.n ? rl_fail(c, f->k, f->scope, f->what, f->now, f->free_id) : DB_OK;
    if (r == DB_OK) r = rl_fail(c, f->k, ipscope, str_c(f->ip), f->now, f->free_ip);
    return r;
}

/* records a failed attempt against both keys, in its own transaction; two failures at once
 * (a burst of guesses) may conflict on PostgreSQL: the count is safe to redo, so it is retried */
static void count_failure(http_req *rq, db_conn *c, const char *scope, str what, int free_id,
                          int free_ip, int64_t now)
{
    app *a = app_of(rq);
    struct failure f = {&a->keys, scope, client_ip(rq), what, free_id, free_ip, now};
    int r = db_retry_tx(c, record_failure, &f, 4);
    if (r != DB_OK) LOGW("rate limit: a failed attempt was not counted (%d)", r);
}

static void wait_error(http_req *rq, form_state *f, const char *field, int64_t wait)
{
    if (wait >= 120)
        form_error(rq, f, field, "Too many attempts. Please wait %d minutes and try again.",
                   (int)((wait + 59) / 60));
    else
        form_error(rq, f, field, "Too many attempts. Please wait %d seconds and try again.",
                   (int)wait);
}

static void kick_outbox(app *a)
{
    if (a->outbox) outbox_kick(a->outbox);
}

static int page(http_req *rq, int status, const char *tpl, form_state *f, json_t *ctx)
{
    if (!ctx) ctx = json_object();
    if (f) form_into(f, ctx);
    return http_page(rq, status, tpl, ctx);
}

static char *cstr(http_req *rq, str v)
{
    return arena_strndup(rq->a, v.p ? v.p : "", v.n);
}

/* ---- verification page (after registering, or signing in before verifying) ---- */

static int verify_page(http_req *rq, form_state *f, const char *contact, bool resent)
{
    json_t *ctx = json_object();
    char masked[CONTACT_MAX + 1];
    bool phone = contact[0] != 0 && !strchr(contact, '@');
    if (phone) contact_mask_phone(contact, masked, sizeof masked);
    else contact_mask_email(contact, masked, sizeof masked);
    json_object_set_new(ctx, "kontak", json_string(contact));
    json_object_set_new(ctx, "kontak_masked", json_string(masked));
    json_object_set_new(ctx, "by_sms", json_boolean(phone));
    json_object_set_new(ctx, "resent", json_boolean(resent));
    form_state empty;
    if (!f) {
        form_init(&empty);
        f = &empty;
    }
    return page(rq, 200, "accounts/verify", f, ctx);
}

/* ---- register ---- */

int acct_page_register(http_req *rq)
{
    form_state f;
    form_init(&f);
    if (rq->method != HTTP_POST) return page(rq, 200, "accounts/register", &f, NULL);
    app *a = app_of(rq);
    int64_t now = app_now();
    str nik = form_keep(rq, &f, "nik", 64);
    str name = form_keep(rq, &f, "nama", 200);
    str phone = form_keep(rq, &f, "telepon", 64);
    str email = form_keep(rq, &f, "email", 255);
    str pw = http_param(rq, "kata_sandi");
    bool agreed = str_eq_c(http_param(rq, "setuju"), "1");
    json_object_set_new(f.v, "setuju", json_boolean(agreed));

    char nikn[17] = "", phonen[32] = "", emailn[CONTACT_MAX + 1] = "";
    if (!nik.n) {
        form_error(rq, &f, "nik", "Enter your NIK: the 16-digit number on your KTP-el or KK.");
    } else {
        nik_result nr;
        cal_date today = cal_civil_from_days((now + (int64_t)a->tz_offset_min * 60) / 86400);
        if (!nik_parse(nik.p, nik.n, today, region_table_district_name, &nr))
            form_error_text(&f, "nik", nik_error_message(&nr.errors.e[0], rq->lang));
        else snprintf(nikn, sizeof nikn, "%.*s", (int)nik.n, nik.p);
    }
    if (!name.n) form_error(rq, &f, "nama", "Enter your full name as written on your KTP-el.");
    else if (name.n > 100) form_error(rq, &f, "nama", "The name can be at most 100 characters.");
    if (phone.n && !contact_phone(phone.p, phone.n, phonen, sizeof phonen))
        form_error(rq, &f, "telepon",
                   "Enter a mobile number like 0812 3456 7890 (10 to 13 digits, starting 08).");
    if (email.n && !contact_email(email.p, email.n, emailn, sizeof emailn))
        form_error(rq, &f, "email", "Enter an e-mail address like nama@contoh.id.");
    if (!phone.n && !email.n)
        form_error(rq, &f, "telepon",
                   "Enter a mobile number or an e-mail address: we send the verification code "
                   "there.");
    char *pwc = cstr(rq, pw);
    char *namec = cstr(rq, name);
    char nospace[201];
    size_t k = 0;
    for (size_t i = 0; i < name.n && k < sizeof nospace - 1; i++)
        if (name.p[i] != ' ') nospace[k++] = name.p[i];
    nospace[k] = 0;
    const char *personal[] = {nikn, phonen, nospace, namec, NULL};
    acct_form_pw_problem(rq, &f, "kata_sandi", cr_pw_check(pwc, personal));
    if (!agreed)
        form_error(rq, &f, "setuju",
                   "To create an account, agree to the use of your personal data for population "
                   "services.");
    if (!form_ok(&f)) {
        cr_wipe(pwc, pw.n);
        return page(rq, 200, "accounts/register", &f, NULL);
    }

    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int g = gate(rq, c, &f, "nik", "register", STR(""), now);
    if (g == GATE_DOWN) return 503;
    if (g == GATE_WAIT) return page(rq, 200, "accounts/register", &f, NULL);
    const char *contact = phonen[0] ? phonen : emailn;
    const char *channel = phonen[0] ? "sms" : "email";
    int r = db_begin(c);
    /* already someone's verified account? Then nothing is created, the owner gets a notice,
     * and this visitor sees exactly what a new registrant sees. */
    acct_user u;
    int64_t owner = 0;
    const struct {
        enum contact_kind kind;
        const char *v;
    } ids[] = {{CONTACT_NIK, nikn}, {CONTACT_PHONE, phonen}, {CONTACT_EMAIL, emailn}};
    for (size_t i = 0; r == DB_OK && !owner && i < 3; i++) {
        if (!ids[i].v[0]) continue;
        int fr = acct_find(c, &a->keys, ids[i].kind, ids[i].v, rq->a, &u);
        if (fr == DB_ROW && (u.verified || !u.citizen)) owner = u.id;
        else if (fr != DB_ROW && fr != DB_DONE) r = fr;
    }
    if (r == DB_OK && owner) {
        /* the same Argon2id work as creating an account, so the answer takes as long */
        char spent[CR_PW_HASH_MAX];
        if (cr_pw_hash(pwc, spent) == 0) cr_wipe(spent, sizeof spent);
        acct_private p;
        if (acct_private_get(c, &a->keys, owner, rq->a, &p) == DB_ROW) {
            const char *to = p.phone ? p.phone : p.email;
            if (to)
                r = outbox_enqueue(
                    c, &a->keys, now, p.phone ? "sms" : "email", to,
                    http_t(rq, "Someone tried to register with your data"),
                    http_t(rq, "Someone tried to create a layan account with your NIK, phone "
                               "number or e-mail. If it was you, you already have an account: "
                               "use \"Forgot password\" to sign in. If not, you can ignore "
                               "this message."));
        }
    } else if (r == DB_OK) {
        acct_new n = {.nik = nikn,
                      .name = namec,
                      .phone = phonen,
                      .email = emailn,
                      .password = pwc,
                      .citizen = true};
        int64_t id = 0;
        r = acct_create(c, &a->keys, now, &n, &id);
        if (r == DB_OK)
            r = acct_code_issue(c, &a->keys, now, id, "verify", channel, contact, rq->lang);
        else if (r == DB_ECONSTRAINT) r = DB_OK; /* a race with the owner: same answer */
    }
    /* a kecamatan kiosk registers many people from one address: only floods slow down */
    if (r == DB_OK) r = rl_fail(c, &a->keys, "register-ip", str_c(client_ip(rq)), now, 100);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    cr_wipe(pwc, pw.n);
    if (r != DB_OK) {
        LOGE("register: storing failed (%d)", r);
        form_free(&f);
        return 503;
    }
    kick_outbox(a);
    form_free(&f);
    return verify_page(rq, NULL, contact, false);
}

/* ---- verify ---- */

static bool parse_contact(str in, char *out, size_t cap)
{
    enum contact_kind k = contact_classify(in.p ? in.p : "", in.n, out, cap);
    return k == CONTACT_PHONE || k == CONTACT_EMAIL;
}

int acct_page_verify(http_req *rq)
{
    app *a = app_of(rq);
    if (rq->method != HTTP_POST) return http_redirect(rq, 303, "/daftar");
    int64_t now = app_now();
    form_state f;
    form_init(&f);
    char contact[CONTACT_MAX + 1];
    if (!parse_contact(http_param(rq, "kontak"), contact, sizeof contact)) {
        form_free(&f);
        return http_redirect(rq, 303, "/daftar");
    }
    str code = str_trim(http_param(rq, "kode").p ? http_param(rq, "kode") : STR(""));
    char digits[8];
    size_t nd = 0;
    for (size_t i = 0; i < code.n; i++)
        if (code.p[i] >= '0' && code.p[i] <= '9' && nd < 7) digits[nd++] = code.p[i];
        else if (code.p[i] != ' ' && code.p[i] != '-') nd = 7;
    digits[nd] = 0;
    if (nd != 6) {
        form_error(rq, &f, "kode", "Enter the 6-digit code from the message we sent.");
        return verify_page(rq, &f, contact, false);
    }
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int g = gate(rq, c, &f, "kode", "verify", str_c(contact), now);
    if (g == GATE_DOWN) return 503;
    if (g == GATE_WAIT) return verify_page(rq, &f, contact, false);
    acct_user u;
    enum contact_kind kind = strchr(contact, '@') ? CONTACT_EMAIL : CONTACT_PHONE;
    int r = db_begin(c);
    int fr = r == DB_OK ? acct_find(c, &a->keys, kind, contact, rq->a, &u) : r;
    bool ok = false;
    if (fr == DB_ROW && u.citizen && !u.verified) {
        int cr = acct_code_check(c, &a->keys, now, u.id, "verify", str_c(digits));
        ok = cr == DB_OK;
        if (cr != DB_OK && cr != DB_DONE) r = cr;
    } else if (fr != DB_ROW && fr != DB_DONE) {
        r = fr;
    }
    if (r == DB_OK && ok) {
        r = acct_set_verified(c, u.id, now);
        if (r == DB_OK) r = rl_clear(c, &a->keys, "verify", str_c(contact));
        if (r == DB_OK) r = acct_session_start(rq, c, u.id, false);
        if (r == DB_OK) {
            char obj[32];
            snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
            r = audit_append(c, now, obj, "account.verified", obj, NULL);
        }
    }
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    if (r == DB_OK && !ok) count_failure(rq, c, "verify", str_c(contact), 5, 30, now);
    db_release(c);
    if (r != DB_OK) {
        form_free(&f);
        return 503;
    }
    if (!ok) {
        form_error(rq, &f, "kode",
                   "That code is not right or has expired. Check the newest message from us, or "
                   "ask for a new code.");
        return verify_page(rq, &f, contact, false);
    }
    form_free(&f);
    return http_redirect(rq, 303, "/akun?selamat=1");
}

int acct_page_resend(http_req *rq)
{
    app *a = app_of(rq);
    int64_t now = app_now();
    char contact[CONTACT_MAX + 1];
    if (!parse_contact(http_param(rq, "kontak"), contact, sizeof contact))
        return http_redirect(rq, 303, "/daftar");
    form_state f;
    form_init(&f);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int g = gate(rq, c, &f, "kode", "resend", str_c(contact), now);
    if (g == GATE_DOWN) return 503;
    if (g == GATE_WAIT) return verify_page(rq, &f, contact, false);
    acct_user u;
    bool email = strchr(contact, '@') != NULL;
    int r = db_begin(c);
    int fr = r == DB_OK
                 ? acct_find(c, &a->keys, email ? CONTACT_EMAIL : CONTACT_PHONE, contact, rq->a, &u)
                 : r;
    if (fr == DB_ROW && u.citizen && !u.verified)
        r = acct_code_issue(c, &a->keys, now, u.id, "verify", email ? "email" : "sms", contact,
                            rq->lang);
    else if (fr != DB_ROW && fr != DB_DONE) r = fr;
    /* every request for a code counts, found or not: the answer must not tell them apart */
    if (r == DB_OK) r = rl_fail(c, &a->keys, "resend", str_c(contact), now, 3);
    if (r == DB_OK) r = rl_fail(c, &a->keys, "resend-ip", str_c(client_ip(rq)), now, 20);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    if (r != DB_OK) {
        form_free(&f);
        return 503;
    }
    kick_outbox(a);
    return verify_page(rq, &f, contact, true);
}

/* ---- sign in ---- */

static int signin_page(http_req *rq, form_state *f, const char *next)
{
    json_t *ctx = json_object();
    if (next) json_object_set_new(ctx, "lanjut", json_string(next));
    json_object_set_new(ctx, "diatur", json_boolean(str_eq_c(http_param(rq, "diatur"), "1")));
    json_object_set_new(ctx, "keluar", json_boolean(str_eq_c(http_param(rq, "keluar"), "1")));
    return page(rq, 200, "accounts/signin", f, ctx);
}

static const char *home_of(const http_principal *w, unsigned roles)
{
    (void)w;
    if (roles & ROLE_ADMIN) return "/admin";
    return "/akun";
}

int acct_page_signin(http_req *rq)
{
    form_state f;
    form_init(&f);
    const char *next = safe_next(rq);
    if (rq->method != HTTP_POST) {
        if (rq->who.user_id && !rq->who.mfa_pending) {
            form_free(&f);
            return http_redirect(rq, 303, next ? next : "/akun");
        }
        return signin_page(rq, &f, next);
    }
    app *a = app_of(rq);
    int64_t now = app_now();
    str ident = form_keep(rq, &f, "identitas", 255);
    str pw = http_param(rq, "kata_sandi");
    if (!ident.n)
        form_error(rq, &f, "identitas", "Enter your NIK, mobile number or e-mail address.");
    if (!pw.n) form_error(rq, &f, "kata_sandi", "Enter your password.");
    if (!form_ok(&f)) return signin_page(rq, &f, next);
    char norm[CONTACT_MAX + 1];
    enum contact_kind kind = contact_classify(ident.p, ident.n, norm, sizeof norm);
    if (kind == CONTACT_NONE) snprintf(norm, sizeof norm, "%.*s", (int)ident.n, ident.p);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int g = gate(rq, c, &f, "identitas", "signin", str_c(norm), now);
    if (g == GATE_DOWN) return 503;
    if (g == GATE_WAIT) return signin_page(rq, &f, next);
    acct_user u;
    int fr = kind == CONTACT_NONE ? DB_DONE : acct_find(c, &a->keys, kind, norm, rq->a, &u);
    if (fr != DB_ROW && fr != DB_DONE) {
        db_release(c);
        form_free(&f);
        return 503;
    }
    bool found = fr == DB_ROW;
    if (!password_matches(&u, found, pw)) {
        count_failure(rq, c, "signin", str_c(norm), 5, 30, now);
        db_release(c);
        form_error(rq, &f, "identitas",
                   "The NIK, mobile number, e-mail or password is not right. Check them and try "
                   "again.");
        return signin_page(rq, &f, next);
    }
    if (u.disabled) {
        db_release(c);
        form_error(rq, &f, "identitas",
                   "This account has been disabled. Please contact the Disdukcapil office.");
        return signin_page(rq, &f, next);
    }
    int r = db_begin(c);
    if (u.citizen && !u.verified) {
        /* the password was right but the contact was never confirmed: a new code, then verify */
        acct_private p;
        const char *contact = NULL;
        if (r == DB_OK && acct_private_get(c, &a->keys, u.id, rq->a, &p) == DB_ROW)
            contact = p.phone ? p.phone : p.email;
        if (r == DB_OK && contact)
            r = acct_code_issue(c, &a->keys, now, u.id, "verify", p.phone ? "sms" : "email",
                                contact, rq->lang);
        if (r == DB_OK) r = db_commit(c);
        if (r != DB_OK) db_rollback(c);
        db_release(c);
        form_free(&f);
        if (r != DB_OK || !contact) return 503;
        kick_outbox(a);
        return verify_page(rq, NULL, contact, true);
    }
    if (r == DB_OK) r = rl_clear(c, &a->keys, "signin", str_c(norm));
    if (r == DB_OK && cr_pw_needs_rehash(u.password_hash)) {
        /* the cost was raised since this hash was made: upgrade it now that we know it */
        char *p = cstr(rq, pw);
        r = acct_set_password(c, u.id, p, u.must_change_password, now);
        cr_wipe(p, pw.n);
    }
    if (r == DB_OK) r = acct_session_start(rq, c, u.id, u.totp);
    if (r == DB_OK && !u.citizen) {
        char obj[32];
        snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
        r = audit_append(c, now, obj, u.totp ? "signin.password" : "signin", obj, NULL);
    }
    unsigned roles = u.citizen ? ROLE_CITIZEN : acct_role_mask(c, u.id);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    form_free(&f);
    if (r != DB_OK) return 503;
    if (u.totp) {
        if (!next) return http_redirect(rq, 303, "/masuk/kode");
        buf b;
        buf_init(&b, 1024);
        buf_printf(&b, "/masuk/kode?lanjut=");
        for (const char *p = next; *p; p++)
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                *p == '/' || *p == '-' || *p == '_' || *p == '.')
                buf_putc(&b, *p);
            else buf_printf(&b, "%%%02X", (unsigned char)*p);
        char *to = arena_strndup(rq->a, b.p, b.n);
        buf_free(&b);
        return http_redirect(rq, 303, to);
    }
    return http_redirect(rq, 303, next ? next : home_of(&rq->who, roles));
}

int acct_page_totp_step(http_req *rq)
{
    http_principal *w = &rq->who;
    const char *next = safe_next(rq);
    if (!w->user_id) return http_redirect(rq, 303, "/masuk");
    if (!w->mfa_pending) return http_redirect(rq, 303, next ? next : "/akun");
    form_state f;
    form_init(&f);
    json_t *ctx = json_object();
    if (next) json_object_set_new(ctx, "lanjut", json_string(next));
    if (rq->method != HTTP_POST) return page(rq, 200, "accounts/totp_step", &f, ctx);
    app *a = app_of(rq);
    int64_t now = app_now();
    str code = http_param(rq, "kode");
    char digits[8];
    size_t nd = 0;
    for (size_t i = 0; code.p && i < code.n; i++)
        if (code.p[i] >= '0' && code.p[i] <= '9' && nd < 7) digits[nd++] = code.p[i];
    digits[nd] = 0;
    db_conn *c = db_acquire(a->db);
    if (!c) {
        json_decref(ctx);
        form_free(&f);
        return 503;
    }
    char uid[24];
    snprintf(uid, sizeof uid, "%lld", (long long)w->user_id);
    int g = gate(rq, c, &f, "kode", "totp", str_c(uid), now);
    if (g == GATE_DOWN) {
        json_decref(ctx);
        return 503;
    }
    if (g == GATE_WAIT) return page(rq, 200, "accounts/totp_step", &f, ctx);
    char secret[CR_TOTP_SECRET_B32 + 1];
    int64_t last = 0, step = 0;
    int r = acct_totp_secret(c, &a->keys, w->user_id, secret, &last);
    bool ok = r == DB_OK && nd == 6 && cr_totp_verify(secret, now, digits, last, &step);
    cr_wipe(secret, sizeof secret);
    if (!ok) {
        count_failure(rq, c, "totp", str_c(uid), 5, 30, now);
        db_release(c);
        form_error(rq, &f, "kode",
                   "That code is not right. Enter the 6-digit code your authenticator app shows "
                   "now.");
        return page(rq, 200, "accounts/totp_step", &f, ctx);
    }
    r = db_begin(c);
    if (r == DB_OK) r = acct_totp_used(c, w->user_id, step);
    if (r == DB_OK) r = rl_clear(c, &a->keys, "totp", str_c(uid));
    /* a new session id now that both factors are in */
    if (r == DB_OK) r = acct_session_start(rq, c, w->user_id, false);
    if (r == DB_OK)
        r = audit_append(c, now, arena_printf(rq->a, "user:%s", uid), "signin.totp",
                         arena_printf(rq->a, "user:%s", uid), NULL);
    unsigned roles = acct_role_mask(c, w->user_id);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    json_decref(ctx);
    form_free(&f);
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, next ? next : home_of(w, roles));
}

/* ---- forgot password ---- */

static int reset_page(http_req *rq, form_state *f, const char *ident)
{
    json_t *ctx = json_object();
    json_object_set_new(ctx, "identitas", json_string(ident));
    return page(rq, 200, "accounts/reset", f, ctx);
}

int acct_page_forgot(http_req *rq)
{
    form_state f;
    form_init(&f);
    if (rq->method != HTTP_POST) return page(rq, 200, "accounts/forgot", &f, NULL);
    app *a = app_of(rq);
    int64_t now = app_now();
    str ident = form_keep(rq, &f, "identitas", 255);
    char norm[CONTACT_MAX + 1];
    enum contact_kind kind = contact_classify(ident.p, ident.n, norm, sizeof norm);
    if (kind == CONTACT_NONE) {
        form_error(rq, &f, "identitas",
                   "Enter the NIK, mobile number or e-mail address of your account.");
        return page(rq, 200, "accounts/forgot", &f, NULL);
    }
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int g = gate(rq, c, &f, "identitas", "forgot", str_c(norm), now);
    if (g == GATE_DOWN) return 503;
    if (g == GATE_WAIT) return page(rq, 200, "accounts/forgot", &f, NULL);
    acct_user u;
    int r = db_begin(c);
    int fr = r == DB_OK ? acct_find(c, &a->keys, kind, norm, rq->a, &u) : r;
    if (fr == DB_ROW && !u.disabled && (u.verified || !u.citizen)) {
        acct_private p;
        if (acct_private_get(c, &a->keys, u.id, rq->a, &p) == DB_ROW && (p.phone || p.email))
            r = acct_code_issue(c, &a->keys, now, u.id, "reset", p.phone ? "sms" : "email",
                                p.phone ? p.phone : p.email, rq->lang);
    } else if (fr != DB_ROW && fr != DB_DONE) {
        r = fr;
    }
    if (r == DB_OK) r = rl_fail(c, &a->keys, "forgot", str_c(norm), now, 3);
    if (r == DB_OK) r = rl_fail(c, &a->keys, "forgot-ip", str_c(client_ip(rq)), now, 20);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    if (r != DB_OK) {
        form_free(&f);
        return 503;
    }
    kick_outbox(a);
    form_free(&f);
    form_init(&f);
    return reset_page(rq, &f, norm);
}

int acct_page_reset(http_req *rq)
{
    if (rq->method != HTTP_POST) return http_redirect(rq, 303, "/lupa");
    app *a = app_of(rq);
    int64_t now = app_now();
    form_state f;
    form_init(&f);
    str ident = http_param(rq, "identitas");
    char norm[CONTACT_MAX + 1];
    enum contact_kind kind = contact_classify(ident.p ? ident.p : "", ident.n, norm, sizeof norm);
    if (kind == CONTACT_NONE) {
        form_free(&f);
        return http_redirect(rq, 303, "/lupa");
    }
    str code = http_param(rq, "kode");
    char digits[8];
    size_t nd = 0;
    for (size_t i = 0; code.p && i < code.n; i++)
        if (code.p[i] >= '0' && code.p[i] <= '9' && nd < 7) digits[nd++] = code.p[i];
    digits[nd] = 0;
    str pw = http_param(rq, "kata_sandi");
    char *pwc = cstr(rq, pw);
    if (nd != 6) form_error(rq, &f, "kode", "Enter the 6-digit code from the message we sent.");
    const char *personal[] = {kind == CONTACT_NIK || kind == CONTACT_PHONE ? norm : "", NULL};
    acct_form_pw_problem(rq, &f, "kata_sandi", cr_pw_check(pwc, personal));
    if (!form_ok(&f)) {
        cr_wipe(pwc, pw.n);
        return reset_page(rq, &f, norm);
    }
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int g = gate(rq, c, &f, "kode", "reset", str_c(norm), now);
    if (g == GATE_DOWN) {
        cr_wipe(pwc, pw.n);
        return 503;
    }
    if (g == GATE_WAIT) {
        cr_wipe(pwc, pw.n);
        return reset_page(rq, &f, norm);
    }
    acct_user u;
    int r = db_begin(c);
    int fr = r == DB_OK ? acct_find(c, &a->keys, kind, norm, rq->a, &u) : r;
    bool ok = false;
    if (fr == DB_ROW) {
        int cr = acct_code_check(c, &a->keys, now, u.id, "reset", str_c(digits));
        ok = cr == DB_OK;
        if (cr != DB_OK && cr != DB_DONE) r = cr;
    } else if (fr != DB_DONE) {
        r = fr;
    }
    if (r == DB_OK && ok) {
        r = acct_set_password(c, u.id, pwc, false, now);
        if (r == DB_OK) r = acct_sessions_drop(c, u.id); /* a reset signs out every device */
        if (r == DB_OK) r = rl_clear(c, &a->keys, "signin", str_c(norm));
        if (r == DB_OK) {
            char obj[32];
            snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
            r = audit_append(c, now, obj, "password.reset", obj, NULL);
        }
    }
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    if (r == DB_OK && !ok) count_failure(rq, c, "reset", str_c(norm), 5, 30, now);
    db_release(c);
    cr_wipe(pwc, pw.n);
    if (r != DB_OK) {
        form_free(&f);
        return 503;
    }
    if (!ok) {
        form_error(rq, &f, "kode",
                   "That code is not right or has expired. Check the newest message from us, or "
                   "ask for a new code.");
        return reset_page(rq, &f, norm);
    }
    form_free(&f);
    return http_redirect(rq, 303, "/masuk?diatur=1");
}

/* ---- sign out ---- */

int acct_page_signout(http_req *rq)
{
    app *a = app_of(rq);
    bool everywhere = str_eq_c(rq->path, "/keluar/semua");
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    int r = acct_session_end(rq, c, everywhere);
    db_release(c);
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, "/masuk?keluar=1");
}

/* accounts profile: the signed-in user's own pages: profile, edit, change password, two-factor
 * sign-in (TOTP) set-up, and the citizen's record of who read their personal data. */
#include <stdio.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/accounts/web.h"
#include "features/app.h"
#include "features/audit/audit.h"
#include "features/form.h"
#include "render/qr.h"
#include "render/tpl.h"

const http_param_spec acct_profile_params[] = {
    {"selamat", HP_INT, 0, 1, false}, {"berhasil", HP_CODE, 0, 20, false}, {0}};
const http_param_spec acct_edit_params[] = {
    {"nama", HP_STR, 0, 200, false}, {"alamat", HP_STR, 0, 1000, false}, {0}};
const http_param_spec acct_password_params[] = {
    {"kata_sandi_lama", HP_STR, 0, 1024, false}, {"kata_sandi", HP_STR, 0, 1024, false}, {0}};
const http_param_spec acct_totp_setup_params[] = {{"rahasia", HP_CODE, 0, 64, false},
                                                  {"kode", HP_STR, 0, 32, false},
                                                  {"kata_sandi", HP_STR, 0, 1024, false},
                                                  {"wajib", HP_INT, 0, 1, false},
                                                  {0}};

static const char *const role_msgid[ACCT_ROLES] = {
    "Front/back-office officer (petugas)", "Courier (kurir)", "Head of unit (kepala unit)",
    "Government-wide administrator (admin pemda)", "Evaluator (read-only)"};

static const char *role_label(http_req *rq, const char *role)
{
    for (int i = 0; i < ACCT_ROLES; i++)
        if (strcmp(role, acct_role_names[i]) == 0) return http_t(rq, role_msgid[i]);
    return role;
}

static char *cstr(http_req *rq, str v)
{
    return arena_strndup(rq->a, v.p ? v.p : "", v.n);
}

static int digits6(str code, char out[8])
{
    size_t nd = 0;
    for (size_t i = 0; code.p && i < code.n; i++) {
        if (code.p[i] >= '0' && code.p[i] <= '9') {
            if (nd >= 7) return 0;
            out[nd++] = code.p[i];
        } else if (code.p[i] != ' ' && code.p[i] != '-') {
            return 0;
        }
    }
    out[nd] = 0;
    return nd == 6;
}

static void audit_user(db_conn *c, http_req *rq, const char *action, int *r)
{
    if (*r != DB_OK || !rq->who.staff) return;
    char obj[32];
    snprintf(obj, sizeof obj, "user:%lld", (long long)rq->who.user_id);
    *r = audit_append(c, app_now(), obj, action, obj, NULL);
}

int acct_page_profile(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    acct_user u;
    acct_private p;
    acct_role *roles = NULL;
    size_t nroles = 0;
    int r = acct_get(c, rq->who.user_id, rq->a, &u);
    if (r == DB_ROW) r = acct_private_get(c, &a->keys, u.id, rq->a, &p);
    if (r == DB_ROW && !u.citizen)
        r = acct_roles(c, u.id, rq->a, &roles, &nroles) ? DB_ERR : DB_ROW;
    db_release(c);
    if (r != DB_ROW) return 503;
    json_t *ctx = json_object();
    json_object_set_new(ctx, "name", json_string(u.name));
    json_object_set_new(ctx, "citizen", json_boolean(u.citizen));
    if (u.username) json_object_set_new(ctx, "username", json_string(u.username));
    if (u.nik_masked) json_object_set_new(ctx, "nik_masked", json_string(u.nik_masked));
    if (p.nik) json_object_set_new(ctx, "nik", json_string(p.nik));
    if (u.phone_masked) json_object_set_new(ctx, "phone_masked", json_string(u.phone_masked));
    if (u.email_masked) json_object_set_new(ctx, "email_masked", json_string(u.email_masked));
    if (p.address) json_object_set_new(ctx, "address", json_string(p.address));
    json_object_set_new(ctx, "totp", json_boolean(u.totp));
    json_object_set_new(ctx, "welcome", json_boolean(str_eq_c(http_param(rq, "selamat"), "1")));
    str done = http_param(rq, "berhasil");
    if (done.p) {
        const char *msg = str_eq_c(done, "sandi")  ? "Your password has been changed."
                          : str_eq_c(done, "2fa")  ? "Two-step sign-in is now on."
                          : str_eq_c(done, "2fa0") ? "Two-step sign-in is now off."
                          : str_eq_c(done, "data") ? "Your details have been saved."
                                                   : NULL;
        if (msg) json_object_set_new(ctx, "done", json_string(http_t(rq, msg)));
    }
    json_t *jr = json_array();
    for (size_t i = 0; i < nroles; i++)
        json_array_append_new(jr, json_pack("{s:s,s:s}", "role", role_label(rq, roles[i].role),
                                            "unit", roles[i].unit_name));
    json_object_set_new(ctx, "roles", jr);
    return http_page(rq, 200, "accounts/profile", ctx);
}

int acct_page_edit(http_req *rq)
{
    app *a = app_of(rq);
    form_state f;
    form_init(&f);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    acct_user u;
    acct_private p;
    int r = acct_get(c, rq->who.user_id, rq->a, &u);
    if (r == DB_ROW) r = acct_private_get(c, &a->keys, u.id, rq->a, &p);
    if (r != DB_ROW) {
        db_release(c);
        form_free(&f);
        return 503;
    }
    if (rq->method != HTTP_POST) {
        db_release(c);
        json_object_set_new(f.v, "nama", json_string(u.name));
        json_object_set_new(f.v, "alamat", json_string(p.address ? p.address : ""));
        json_t *ctx = json_object();
        form_into(&f, ctx);
        return http_page(rq, 200, "accounts/edit", ctx);
    }
    str name = form_keep(rq, &f, "nama", 200);
    str addr = form_keep(rq, &f, "alamat", 1000);
    if (!name.n) form_error(rq, &f, "nama", "Enter your full name as written on your KTP-el.");
    else if (name.n > 100) form_error(rq, &f, "nama", "The name can be at most 100 characters.");
    if (addr.n > 500) form_error(rq, &f, "alamat", "The address can be at most 500 characters.");
    if (!form_ok(&f)) {
        db_release(c);
        json_t *ctx = json_object();
        form_into(&f, ctx);
        return http_page(rq, 200, "accounts/edit", ctx);
    }
    r = db_begin(c);
    if (r == DB_OK)
        r = acct_update_contact(c, &a->keys, u.id, cstr(rq, name), p.phone, p.email, cstr(rq, addr),
                                app_now());
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    form_free(&f);
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, "/akun?berhasil=data");
}

int acct_page_password(http_req *rq)
{
    app *a = app_of(rq);
    form_state f;
    form_init(&f);
    json_t *ctx = json_object();
    json_object_set_new(ctx, "must_change", json_boolean(rq->who.must_change_password));
    if (rq->method != HTTP_POST) {
        form_into(&f, ctx);
        return http_page(rq, 200, "accounts/password", ctx);
    }
    str old = http_param(rq, "kata_sandi_lama"), nw = http_param(rq, "kata_sandi");
    char *oldc = cstr(rq, old), *nwc = cstr(rq, nw);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        json_decref(ctx);
        form_free(&f);
        return 503;
    }
    acct_user u;
    acct_private p;
    int r = acct_get(c, rq->who.user_id, rq->a, &u);
    if (r == DB_ROW) r = acct_private_get(c, &a->keys, u.id, rq->a, &p);
    if (r != DB_ROW) {
        db_release(c);
        json_decref(ctx);
        form_free(&f);
        return 503;
    }
    const char *hash = u.password_hash ? u.password_hash : "";
    if (!old.n) form_error(rq, &f, "kata_sandi_lama", "Enter your current password.");
    else if (!cr_pw_verify(hash, oldc))
        form_error(rq, &f, "kata_sandi_lama", "The current password is not right.");
    const char *personal[] = {p.nik ? p.nik : "", p.phone ? p.phone : "", u.name,
                              u.username ? u.username : "", NULL};
    enum cr_pw_problem pp = cr_pw_check(nwc, personal);
    if (pp == CR_PW_OK && strcmp(oldc, nwc) == 0)
        form_error(rq, &f, "kata_sandi", "Choose a new password, not the current one.");
    acct_form_pw_problem(rq, &f, "kata_sandi", pp);
    if (!form_ok(&f)) {
        db_release(c);
        cr_wipe(oldc, old.n);
        cr_wipe(nwc, nw.n);
        form_into(&f, ctx);
        return http_page(rq, 200, "accounts/password", ctx);
    }
    r = db_begin(c);
    if (r == DB_OK) r = acct_set_password(c, u.id, nwc, false, app_now());
    /* every other device is signed out; this one gets a new session id */
    if (r == DB_OK) r = acct_sessions_drop(c, u.id);
    if (r == DB_OK) r = acct_session_start(rq, c, u.id, false);
    audit_user(c, rq, "password.changed", &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    cr_wipe(oldc, old.n);
    cr_wipe(nwc, nw.n);
    json_decref(ctx);
    form_free(&f);
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, "/akun?berhasil=sandi");
}

static int totp_form(http_req *rq, form_state *f, const char *secret, bool required)
{
    app *a = app_of(rq);
    json_t *ctx = json_object();
    char uri[512];
    const char *account = rq->who.name ? rq->who.name : "layan";
    char issuer[200];
    snprintf(issuer, sizeof issuer, "layan %s", a->region_name);
    cr_totp_uri(issuer, account, secret, uri, sizeof uri);
    char *svg = qr_svg(rq->a, uri, http_t(rq, "QR code for your authenticator app"));
    if (svg) json_object_set_new(ctx, "qr", tpl_safe_html(svg));
    /* the secret in groups of four, for typing by hand */
    char grouped[64];
    size_t k = 0;
    for (size_t i = 0; secret[i] && k < sizeof grouped - 2; i++) {
        if (i && i % 4 == 0) grouped[k++] = ' ';
        grouped[k++] = secret[i];
    }
    grouped[k] = 0;
    json_object_set_new(ctx, "rahasia", json_string(secret));
    json_object_set_new(ctx, "rahasia_grouped", json_string(grouped));
    json_object_set_new(ctx, "required", json_boolean(required));
    form_into(f, ctx);
    return http_page(rq, 200, "accounts/totp_setup", ctx);
}

int acct_page_totp_setup(http_req *rq)
{
    app *a = app_of(rq);
    http_principal *w = &rq->who;
    bool required = (w->roles & ROLE_ADMIN) != 0;
    form_state f;
    form_init(&f);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    acct_user u;
    int r = acct_get(c, w->user_id, rq->a, &u);
    if (r != DB_ROW) {
        db_release(c);
        form_free(&f);
        return 503;
    }
    if (rq->method != HTTP_POST) {
        db_release(c);
        if (u.totp) {
            json_t *ctx = json_object();
            json_object_set_new(ctx, "enabled", json_true());
            json_object_set_new(ctx, "required", json_boolean(required));
            form_into(&f, ctx);
            return http_page(rq, 200, "accounts/totp_setup", ctx);
        }
        char secret[CR_TOTP_SECRET_B32 + 1];
        cr_totp_secret(secret);
        return totp_form(rq, &f, secret, required);
    }
    str sec = http_param(rq, "rahasia");
    char secret[CR_TOTP_SECRET_B32 + 1];
    if (sec.n != CR_TOTP_SECRET_B32) {
        db_release(c);
        cr_totp_secret(secret);
        return totp_form(rq, &f, secret, required);
    }
    memcpy(secret, sec.p, sec.n);
    secret[sec.n] = 0;
    char code[8];
    int64_t step = 0, now = app_now();
    if (!digits6(http_param(rq, "kode"), code) || !cr_totp_verify(secret, now, code, 0, &step)) {
        db_release(c);
        form_error(rq, &f, "kode",
                   "That code is not right. Check that the phone's clock is correct and enter the "
                   "6-digit code the app shows now.");
        return totp_form(rq, &f, secret, required);
    }
    r = db_begin(c);
    if (r == DB_OK) r = acct_totp_set(c, &a->keys, w->user_id, secret, now);
    if (r == DB_OK) r = acct_totp_used(c, w->user_id, step);
    if (r == DB_OK) r = acct_session_start(rq, c, w->user_id, false); /* privileges change */
    audit_user(c, rq, "totp.enabled", &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    cr_wipe(secret, sizeof secret);
    form_free(&f);
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, w->needs_2fa ? "/admin" : "/akun?berhasil=2fa");
}

int acct_page_totp_off(http_req *rq)
{
    app *a = app_of(rq);
    http_principal *w = &rq->who;
    if (w->roles & ROLE_ADMIN) return 403; /* admin_pemda must keep it */
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    acct_user u;
    const char *hash =
        acct_get(c, w->user_id, rq->a, &u) == DB_ROW && u.password_hash ? u.password_hash : "";
    char *pw = cstr(rq, http_param(rq, "kata_sandi"));
    bool ok = hash[0] && cr_pw_verify(hash, pw);
    cr_wipe(pw, strlen(pw));
    if (!ok) {
        db_release(c);
        form_state f;
        form_init(&f);
        form_error(rq, &f, "kata_sandi", "The password is not right.");
        json_t *ctx = json_object();
        json_object_set_new(ctx, "enabled", json_true());
        form_into(&f, ctx);
        return http_page(rq, 200, "accounts/totp_setup", ctx);
    }
    int r = db_begin(c);
    if (r == DB_OK) r = acct_totp_set(c, &a->keys, w->user_id, NULL, app_now());
    audit_user(c, rq, "totp.disabled", &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, "/akun?berhasil=2fa0");
}

int acct_page_access_history(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    acct_access *xs;
    size_t n;
    int r = acct_access_list(c, rq->who.user_id, rq->a, &xs, &n);
    db_release(c);
    if (r != DB_OK) return 503;
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        int64_t t = app_parse_iso(str_c(xs[i].at));
        json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s,s:s}", "at",
                                              t >= 0 ? app_fmt_time(rq, t) : xs[i].at, "staff",
                                              xs[i].staff_name, "unit",
                                              xs[i].unit_name ? xs[i].unit_name : "-", "purpose",
                                              xs[i].purpose, "fields", xs[i].fields));
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "n", json_integer((json_int_t)n));
    json_object_set_new(ctx, "rows", rows);
    return http_page(rq, 200, "accounts/access", ctx);
}

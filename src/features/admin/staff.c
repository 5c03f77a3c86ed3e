/* admin staff: the overview, the staff list, creating a staff account (temporary password shown
 * once), and one account's page with its roles, status, password and two-step sign-in resets.
 * A change of roles or status ends the person's sessions ("new session at privilege change"). */
#include <stdio.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/admin/web.h"
#include "features/app.h"
#include "features/audit/audit.h"
#include "features/form.h"
#include "features/outbox/outbox.h"
#include "features/units/units.h"

const http_param_spec admin_list_params[] = {
    {"hal", HP_INT, 1, 100000, false}, {"berhasil", HP_CODE, 0, 20, false}, {0}};
const http_param_spec admin_staff_new_params[] = {{"nama", HP_STR, 0, 200, false},
                                                  {"username", HP_STR, 0, 80, false},
                                                  {"email", HP_STR, 0, 255, false},
                                                  {"telepon", HP_STR, 0, 64, false},
                                                  {"peran", HP_CODE, 0, 20, false},
                                                  {"unit", HP_CODE, 0, 40, false},
                                                  {0}};
const http_param_spec admin_staff_params[] = {
    {"id", HP_INT, 1, INT32_MAX, true}, {"berhasil", HP_CODE, 0, 20, false}, {0}};
const http_param_spec admin_role_params[] = {{"id", HP_INT, 1, INT32_MAX, true},
                                             {"aksi", HP_CODE, 0, 20, false},
                                             {"peran", HP_CODE, 0, 20, false},
                                             {"unit", HP_CODE, 0, 40, false},
                                             {0}};

static const char *const role_msgid[ACCT_ROLES] = {
    "Front/back-office officer (petugas)", "Courier (kurir)", "Head of unit (kepala unit)",
    "Government-wide administrator (admin pemda)", "Evaluator (read-only)"};

const char *admin_role_label(http_req *rq, const char *role)
{
    for (int i = 0; i < ACCT_ROLES; i++)
        if (strcmp(role, acct_role_names[i]) == 0) return http_t(rq, role_msgid[i]);
    return role;
}

int64_t admin_now(void)
{
    return app_now();
}

void admin_audit(http_req *rq, db_conn *c, const char *action, const char *object,
                 const char *detail, int *r)
{
    if (*r != DB_OK) return;
    char actor[32];
    snprintf(actor, sizeof actor, "user:%lld", (long long)rq->who.user_id);
    *r = audit_append(c, app_now(), actor, action, object, detail);
}

json_t *admin_units_json(http_req *rq, db_conn *c, int64_t selected)
{
    unit *us;
    size_t n;
    json_t *arr = json_array();
    if (units_list(c, rq->a, &us, &n) != DB_OK) return arr;
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "code", us[i].code, "name",
                                             us[i].name, "selected", us[i].id == selected));
    return arr;
}

static json_t *roles_json(http_req *rq, const char *selected)
{
    json_t *arr = json_array();
    for (int i = 0; i < ACCT_ROLES; i++)
        json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:b}", "value", acct_role_names[i], "label",
                                        http_t(rq, role_msgid[i]), "selected",
                                        selected && strcmp(selected, acct_role_names[i]) == 0));
    return arr;
}

static const char *done_text(http_req *rq)
{
    str d = http_param(rq, "berhasil");
    if (!d.p) return NULL;
    static const struct {
        const char *code, *msgid;
    } t[] = {{"peran", "The role has been added."},
             {"peran0", "The role has been removed."},
             {"nonaktif", "The account has been disabled and signed out everywhere."},
             {"aktif", "The account is active again."},
             {"2fa", "Two-step sign-in has been reset: the person sets it up again at the next "
                     "sign-in."},
             {"cabut", "The API key has been revoked."},
             {"ulang", "The message will be sent again."}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (str_eq_c(d, t[i].code)) return http_t(rq, t[i].msgid);
    return NULL;
}

int admin_page_overview(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    int64_t staff = 0, citizens = 0, keys = 0, ob[4] = {0};
    db_stmt *s = db_prepare(c, "SELECT kind, count(*) FROM users GROUP BY kind");
    while (s && db_step(s) == DB_ROW) {
        if (str_eq_c(db_col_text(s, 0), "staff")) staff = db_col_int(s, 1);
        else citizens = db_col_int(s, 1);
    }
    if (s) db_finish(s);
    s = db_prepare(c, "SELECT count(*) FROM api_keys WHERE revoked_at IS NULL");
    if (s && db_step(s) == DB_ROW) keys = db_col_int(s, 0);
    if (s) db_finish(s);
    int r = outbox_counts(c, ob);
    db_release(c);
    if (r != DB_OK) return 503;
    json_t *ctx = json_pack("{s:I,s:I,s:I,s:I,s:I}", "staff", (json_int_t)staff, "citizens",
                            (json_int_t)citizens, "keys", (json_int_t)keys, "pending",
                            (json_int_t)(ob[OUTBOX_PENDING] + ob[OUTBOX_SENDING]), "failed",
                            (json_int_t)ob[OUTBOX_FAILED]);
    return http_page(rq, 200, "admin/overview", ctx);
}

static json_t *user_row(http_req *rq, db_conn *c, const acct_user *u)
{
    acct_role *rs;
    size_t nr;
    json_t *roles = json_array();
    if (acct_roles(c, u->id, rq->a, &rs, &nr) == DB_OK)
        for (size_t j = 0; j < nr; j++)
            json_array_append_new(roles, json_pack("{s:s,s:s,s:s,s:s}", "role", rs[j].role, "label",
                                                   admin_role_label(rq, rs[j].role), "unit",
                                                   rs[j].unit_name, "unit_code", rs[j].unit_code));
    return json_pack("{s:I,s:s,s:s,s:o,s:b,s:b,s:b,s:s*,s:s*}", "id", (json_int_t)u->id, "name",
                     u->name, "username", u->username ? u->username : "-", "roles", roles,
                     "disabled", u->disabled, "totp", u->totp, "must_change",
                     u->must_change_password, "email", u->email_masked, "phone", u->phone_masked);
}

int admin_page_staff(http_req *rq)
{
    app *a = app_of(rq);
    long page = 1;
    str hp = http_param(rq, "hal");
    if (hp.p) str_to_long(hp, 1, 100000, &page);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    acct_user *us;
    size_t n;
    int64_t total;
    int r = acct_list(c, false, 50, (int)(page - 1) * 50, rq->a, &us, &n, &total);
    json_t *rows = json_array();
    for (size_t i = 0; r == DB_OK && i < n; i++)
        json_array_append_new(rows, user_row(rq, c, &us[i]));
    db_release(c);
    if (r != DB_OK) {
        json_decref(rows);
        return 503;
    }
    json_t *ctx = json_pack("{s:o,s:I,s:I}", "rows", rows, "total", (json_int_t)total, "page",
                            (json_int_t)page);
    if (page > 1) json_object_set_new(ctx, "prev", json_integer(page - 1));
    if (page * 50 < total) json_object_set_new(ctx, "next", json_integer(page + 1));
    return http_page(rq, 200, "admin/staff", ctx);
}

static int staff_form(http_req *rq, form_state *f, const char *role, const char *unit_code)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(f);
        return 503;
    }
    int64_t sel = 0;
    if (unit_code && *unit_code) {
        sel = units_id(c, unit_code);
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "units", admin_units_json(rq, c, sel));
    db_release(c);
    json_object_set_new(ctx, "roles", roles_json(rq, role));
    form_into(f, ctx);
    return http_page(rq, 200, "admin/staff_new", ctx);
}

static bool wide_role(const char *role)
{
    return strcmp(role, "admin_pemda") == 0 || strcmp(role, "evaluator") == 0;
}

int admin_page_staff_new(http_req *rq)
{
    form_state f;
    form_init(&f);
    if (rq->method != HTTP_POST) return staff_form(rq, &f, NULL, NULL);
    app *a = app_of(rq);
    str name = form_keep(rq, &f, "nama", 200);
    str user = form_keep(rq, &f, "username", 80);
    str email = form_keep(rq, &f, "email", 255);
    str phone = form_keep(rq, &f, "telepon", 64);
    const char *role = http_param_c(rq, "peran");
    const char *unit_code = http_param_c(rq, "unit");
    char uname[64], em[CONTACT_MAX + 1] = "", ph[32] = "";
    if (!name.n) form_error(rq, &f, "nama", "Enter the person's full name.");
    else if (name.n > 100) form_error(rq, &f, "nama", "The name can be at most 100 characters.");
    if (!contact_username(user.p, user.n, uname, sizeof uname))
        form_error(rq, &f, "username",
                   "Enter a user name of 3 to 40 letters, digits, dots, dashes or underscores, "
                   "starting with a letter (for example siti.aminah).");
    if (email.n && !contact_email(email.p, email.n, em, sizeof em))
        form_error(rq, &f, "email", "Enter an e-mail address like nama@contoh.id.");
    if (phone.n && !contact_phone(phone.p, phone.n, ph, sizeof ph))
        form_error(rq, &f, "telepon",
                   "Enter a mobile number like 0812 3456 7890 (10 to 13 digits, starting 08).");
    if (!role || !acct_role_bit(role)) form_error(rq, &f, "peran", "Choose a role.");
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int64_t uid = 0;
    if (role && acct_role_bit(role)) {
        uid = units_id(c, wide_role(role) ? NULL : unit_code);
        if (!uid) form_error(rq, &f, "unit", "Choose the unit where the person works.");
    }
    if (!form_ok(&f)) {
        db_release(c);
        return staff_form(rq, &f, role, unit_code);
    }
    char pw[20];
    acct_temp_password(pw);
    char *namec = arena_strndup(rq->a, name.p, name.n);
    acct_new n = {.name = namec,
                  .username = uname,
                  .email = em,
                  .phone = ph,
                  .password = pw,
                  .citizen = false,
                  .verified = true,
                  .must_change_password = true};
    int64_t id = 0, now = admin_now();
    int r = db_begin(c);
    if (r == DB_OK) r = acct_create(c, &a->keys, now, &n, &id);
    if (r == DB_OK) r = acct_role_add(c, id, role, uid, rq->who.user_id, now);
    char obj[32];
    snprintf(obj, sizeof obj, "user:%lld", (long long)id);
    admin_audit(rq, c, "user.create", obj, role, &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    if (r == DB_ECONSTRAINT) {
        form_error(rq, &f, "username",
                   "This user name, e-mail or mobile number already belongs to another account.");
        cr_wipe(pw, sizeof pw);
        return staff_form(rq, &f, role, unit_code);
    }
    form_free(&f);
    if (r != DB_OK) return 503;
    json_t *ctx = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "name", namec, "username",
                            uname, "password", pw);
    cr_wipe(pw, sizeof pw);
    return http_page(rq, 200, "admin/staff_password", ctx);
}

static int64_t id_param(http_req *rq)
{
    long id = 0;
    str v = http_param(rq, "id");
    return v.p && str_to_long(v, 1, INT32_MAX, &id) ? id : 0;
}

int admin_page_staff_one(http_req *rq)
{
    app *a = app_of(rq);
    int64_t id = id_param(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    acct_user u;
    int r = acct_get(c, id, rq->a, &u);
    if (r != DB_ROW || u.citizen) {
        db_release(c);
        return r == DB_DONE || r == DB_ROW ? 404 : 503;
    }
    json_t *ctx = user_row(rq, c, &u);
    json_object_set_new(ctx, "units", admin_units_json(rq, c, 0));
    db_release(c);
    json_object_set_new(ctx, "all_roles", roles_json(rq, NULL));
    json_object_set_new(ctx, "self", json_boolean(id == rq->who.user_id));
    const char *done = done_text(rq);
    if (done) json_object_set_new(ctx, "done", json_string(done));
    return http_page(rq, 200, "admin/staff_one", ctx);
}

/* loads the staff account of the path or answers 404; c stays acquired on success */
static int load_staff(http_req *rq, db_conn *c, acct_user *u)
{
    int r = acct_get(c, id_param(rq), rq->a, u);
    if (r == DB_ROW && !u->citizen) return 0;
    return r == DB_DONE || r == DB_ROW ? 404 : 503;
}

static int back(http_req *rq, int64_t id, const char *done)
{
    return http_redirect(
        rq, 303, arena_printf(rq->a, "/admin/pengguna/%lld?berhasil=%s", (long long)id, done));
}

int admin_page_staff_role(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    acct_user u;
    int st = load_staff(rq, c, &u);
    if (st) {
        db_release(c);
        return st;
    }
    bool add = str_eq_c(http_param(rq, "aksi"), "tambah");
    const char *role = http_param_c(rq, "peran");
    const char *unit_code = http_param_c(rq, "unit");
    if (!role || !acct_role_bit(role)) {
        db_release(c);
        return 400;
    }
    int64_t uid = units_id(c, wide_role(role) && add ? NULL : unit_code);
    if (!uid) {
        db_release(c);
        return 400;
    }
    if (!add && u.id == rq->who.user_id && strcmp(role, "admin_pemda") == 0) {
        db_release(c);
        return http_error(rq, 409,
                          "You cannot remove your own admin role. Ask another administrator.");
    }
    int64_t now = admin_now();
    int r = db_begin(c);
    if (r == DB_OK)
        r = add ? acct_role_add(c, u.id, role, uid, rq->who.user_id, now)
                : acct_role_remove(c, u.id, role, uid);
    /* privileges changed: every session of the person ends */
    if (r == DB_OK) r = acct_sessions_drop(c, u.id);
    char obj[32], detail[80];
    snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
    snprintf(detail, sizeof detail, "%s@%s", role, unit_code ? unit_code : "pemda");
    admin_audit(rq, c, add ? "role.add" : "role.remove", obj, detail, &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    if (r != DB_OK) return 503;
    return back(rq, u.id, add ? "peran" : "peran0");
}

int admin_page_staff_status(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    acct_user u;
    int st = load_staff(rq, c, &u);
    if (st) {
        db_release(c);
        return st;
    }
    bool disable = str_eq_c(http_param(rq, "aksi"), "nonaktifkan");
    if (disable && u.id == rq->who.user_id) {
        db_release(c);
        return http_error(rq, 409, "You cannot disable your own account.");
    }
    int r = db_begin(c);
    if (r == DB_OK) r = acct_set_disabled(c, u.id, disable, admin_now());
    if (r == DB_OK && disable) r = acct_sessions_drop(c, u.id);
    char obj[32];
    snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
    admin_audit(rq, c, disable ? "user.disable" : "user.enable", obj, NULL, &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    if (r != DB_OK) return 503;
    return back(rq, u.id, disable ? "nonaktif" : "aktif");
}

int admin_page_staff_password(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    acct_user u;
    int st = load_staff(rq, c, &u);
    if (st) {
        db_release(c);
        return st;
    }
    char pw[20];
    acct_temp_password(pw);
    int r = db_begin(c);
    if (r == DB_OK) r = acct_set_password(c, u.id, pw, true, admin_now());
    if (r == DB_OK) r = acct_sessions_drop(c, u.id);
    char obj[32];
    snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
    admin_audit(rq, c, "password.reset_by_admin", obj, NULL, &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    if (r != DB_OK) {
        cr_wipe(pw, sizeof pw);
        return 503;
    }
    json_t *ctx = json_pack("{s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)u.id, "name", u.name,
                            "username", u.username ? u.username : "-", "password", pw, "reset", 1);
    cr_wipe(pw, sizeof pw);
    return http_page(rq, 200, "admin/staff_password", ctx);
}

int admin_page_staff_2fa(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    acct_user u;
    int st = load_staff(rq, c, &u);
    if (st) {
        db_release(c);
        return st;
    }
    int r = db_begin(c);
    if (r == DB_OK) r = acct_totp_set(c, &a->keys, u.id, NULL, admin_now());
    if (r == DB_OK) r = acct_sessions_drop(c, u.id);
    char obj[32];
    snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
    admin_audit(rq, c, "totp.reset_by_admin", obj, NULL, &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    if (r != DB_OK) return 503;
    return back(rq, u.id, "2fa");
}

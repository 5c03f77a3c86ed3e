/* admin citizens: the masked list of citizen accounts, and the look-up of one citizen by NIK for
 * support. Opening a citizen's personal data needs a reason, and the read is recorded (committed)
 * before the page shows anything: the citizen sees it in "Riwayat akses data saya". */
#include <stdio.h>
#include <string.h>

#include "core/nik.h"
#include "features/accounts/accounts.h"
#include "features/admin/web.h"
#include "features/app.h"
#include "features/form.h"

const http_param_spec admin_citizen_params[] = {{"nik", HP_STR, 0, 64, false},
                                                {"alasan", HP_STR, 0, 600, false},
                                                {"id", HP_INT, 0, INT32_MAX, false},
                                                {"aksi", HP_CODE, 0, 20, false},
                                                {"hal", HP_INT, 1, 100000, false},
                                                {"berhasil", HP_CODE, 0, 20, false},
                                                {0}};

static json_t *masked_list(http_req *rq, db_conn *c, int64_t *total)
{
    acct_user *us;
    size_t n;
    json_t *rows = json_array();
    if (acct_list(c, true, 50, 0, rq->a, &us, &n, total) != DB_OK) return rows;
    for (size_t i = 0; i < n; i++) {
        int64_t t = app_parse_iso(str_c(us[i].created_at ? us[i].created_at : ""));
        json_array_append_new(rows,
                              json_pack("{s:s,s:s,s:s,s:b,s:b,s:s}", "name", us[i].name, "nik",
                                        us[i].nik_masked ? us[i].nik_masked : "-", "phone",
                                        us[i].phone_masked ? us[i].phone_masked : "-", "verified",
                                        us[i].verified, "disabled", us[i].disabled, "created",
                                        t >= 0 ? app_fmt_time(rq, t) : "-"));
    }
    return rows;
}

static int render(http_req *rq, db_conn *c, form_state *f, json_t *found)
{
    int64_t total = 0;
    json_t *ctx = json_object();
    json_object_set_new(ctx, "rows", masked_list(rq, c, &total));
    json_object_set_new(ctx, "total", json_integer((json_int_t)total));
    if (found) json_object_set_new(ctx, "found", found);
    str done = http_param(rq, "berhasil");
    if (str_eq_c(done, "nonaktif"))
        json_object_set_new(
            ctx, "done",
            json_string(http_t(rq, "The account has been disabled and signed out everywhere.")));
    else if (str_eq_c(done, "aktif"))
        json_object_set_new(ctx, "done", json_string(http_t(rq, "The account is active again.")));
    form_into(f, ctx);
    return http_page(rq, 200, "admin/citizens", ctx);
}

int admin_page_citizens(http_req *rq)
{
    app *a = app_of(rq);
    form_state f;
    form_init(&f);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int st;
    if (rq->method != HTTP_POST) {
        st = render(rq, c, &f, NULL);
        db_release(c);
        return st;
    }
    str aksi = http_param(rq, "aksi");
    if (aksi.p && (str_eq_c(aksi, "nonaktifkan") || str_eq_c(aksi, "aktifkan"))) {
        /* disable or enable a citizen account (e.g. reported as misused) */
        long id = 0;
        str v = http_param(rq, "id");
        acct_user u;
        if (!v.p || !str_to_long(v, 1, INT32_MAX, &id) || acct_get(c, id, rq->a, &u) != DB_ROW ||
            !u.citizen) {
            db_release(c);
            form_free(&f);
            return 404;
        }
        bool disable = str_eq_c(aksi, "nonaktifkan");
        int r = db_begin(c);
        if (r == DB_OK) r = acct_set_disabled(c, id, disable, admin_now());
        if (r == DB_OK && disable) r = acct_sessions_drop(c, id);
        char obj[32];
        snprintf(obj, sizeof obj, "user:%ld", id);
        admin_audit(rq, c, disable ? "citizen.disable" : "citizen.enable", obj, NULL, &r);
        if (r == DB_OK) r = db_commit(c);
        if (r != DB_OK) db_rollback(c);
        db_release(c);
        form_free(&f);
        if (r != DB_OK) return 503;
        return http_redirect(
            rq, 303, disable ? "/admin/warga?berhasil=nonaktif" : "/admin/warga?berhasil=aktif");
    }
    str nik = form_keep(rq, &f, "nik", 64);
    str why = form_keep(rq, &f, "alasan", 600);
    char norm[CONTACT_MAX + 1];
    enum contact_kind k = contact_classify(nik.p, nik.n, norm, sizeof norm);
    if (k != CONTACT_NIK) form_error(rq, &f, "nik", "Enter the citizen's 16-digit NIK.");
    if (why.n < 10)
        form_error(rq, &f, "alasan",
                   "Write why you need to open this citizen's data (at least 10 characters), for "
                   "example the complaint or request number. The citizen will see it.");
    else if (why.n > 200) form_error(rq, &f, "alasan", "The reason can be at most 200 characters.");
    if (!form_ok(&f)) {
        st = render(rq, c, &f, NULL);
        db_release(c);
        return st;
    }
    acct_user u;
    int r = acct_find(c, &a->keys, CONTACT_NIK, norm, rq->a, &u);
    if (r == DB_DONE || (r == DB_ROW && !u.citizen)) {
        form_error(rq, &f, "nik", "No citizen account has this NIK.");
        st = render(rq, c, &f, NULL);
        db_release(c);
        return st;
    }
    if (r != DB_ROW) {
        db_release(c);
        form_free(&f);
        return 503;
    }
    /* the read is on record before anything is shown */
    const char *reason = arena_strndup(rq->a, why.p, why.n);
    r = db_begin(c);
    if (r == DB_OK)
        r = acct_record_access(c, admin_now(), u.id, rq->who.user_id, 0, reason,
                               "NIK, nomor HP, email, alamat");
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) {
        db_rollback(c);
        db_release(c);
        form_free(&f);
        return 503;
    }
    acct_private p;
    if (acct_private_get(c, &a->keys, u.id, rq->a, &p) != DB_ROW) {
        db_release(c);
        form_free(&f);
        return 503;
    }
    int64_t t = app_parse_iso(str_c(u.created_at ? u.created_at : ""));
    json_t *found = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "id", (json_int_t)u.id,
                              "name", u.name, "nik", p.nik ? p.nik : "-", "phone",
                              p.phone ? p.phone : "-", "email", p.email ? p.email : "-", "address",
                              p.address ? p.address : "-", "verified", u.verified, "disabled",
                              u.disabled, "created", t >= 0 ? app_fmt_time(rq, t) : "-");
    /* the search is done: the form starts empty again */
    form_free(&f);
    form_init(&f);
    st = render(rq, c, &f, found);
    db_release(c);
    return st;
}

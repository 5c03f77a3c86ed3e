/* admin keys and outbox: API keys for other systems (shown once, revocable) and "Kotak keluar",
 * the notification outbox. Message bodies hold one-time codes: they are shown only with the
 * development sender ([notify] sender = dev), never in production. */
#include <stdio.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/admin/web.h"
#include "features/app.h"
#include "features/form.h"
#include "features/outbox/outbox.h"
#include "features/units/units.h"

const http_param_spec admin_key_params[] = {{"nama", HP_STR, 0, 200, false},
                                            {"unit", HP_CODE, 0, 40, false},
                                            {"berhasil", HP_CODE, 0, 20, false},
                                            {0}};
const http_param_spec admin_key_revoke_params[] = {{"prefix", HP_CODE, 8, 8, true}, {0}};
const http_param_spec admin_outbox_params[] = {{"status", HP_CODE, 0, 10, false},
                                               {"hal", HP_INT, 1, 100000, false},
                                               {"berhasil", HP_CODE, 0, 20, false},
                                               {0}};
const http_param_spec admin_outbox_retry_params[] = {{"id", HP_INT, 1, INT32_MAX, true}, {0}};

static const char *when(http_req *rq, const char *iso)
{
    if (!iso) return NULL;
    int64_t t = app_parse_iso(str_c(iso));
    return t >= 0 ? app_fmt_time(rq, t) : iso;
}

static int keys_page(http_req *rq, db_conn *c, form_state *f, const char *created_key,
                     const char *created_name)
{
    acct_apikey *ks;
    size_t n;
    if (acct_apikey_list(c, rq->a, &ks, &n) != DB_OK) {
        form_free(f);
        return 503;
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            rows, json_pack("{s:s,s:s,s:s,s:s,s:s*,s:b}", "name", ks[i].name, "prefix",
                            ks[i].prefix, "unit", ks[i].unit_code ? ks[i].unit_code : "-",
                            "created", when(rq, ks[i].created_at), "last_used",
                            when(rq, ks[i].last_used_at), "revoked", ks[i].revoked_at != NULL));
    json_t *ctx = json_object();
    json_object_set_new(ctx, "rows", rows);
    json_object_set_new(ctx, "units", admin_units_json(rq, c, 0));
    if (created_key) {
        json_object_set_new(ctx, "created_key", json_string(created_key));
        json_object_set_new(ctx, "created_name", json_string(created_name));
    }
    if (str_eq_c(http_param(rq, "berhasil"), "cabut"))
        json_object_set_new(ctx, "done", json_string(http_t(rq, "The API key has been revoked.")));
    form_into(f, ctx);
    return http_page(rq, 200, "admin/keys", ctx);
}

int admin_page_keys(http_req *rq)
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
        st = keys_page(rq, c, &f, NULL, NULL);
        db_release(c);
        return st;
    }
    str name = form_keep(rq, &f, "nama", 200);
    const char *unit_code = http_param_c(rq, "unit");
    if (name.n < 3 || name.n > 80)
        form_error(rq, &f, "nama",
                   "Name the system that will use the key (3 to 80 characters), for example "
                   "\"SP4N-LAPOR\".");
    int64_t uid = 0;
    if (unit_code && *unit_code) {
        uid = units_id(c, unit_code);
        if (!uid) form_error(rq, &f, "unit", "Choose a unit from the list.");
    }
    if (!form_ok(&f)) {
        st = keys_page(rq, c, &f, NULL, NULL);
        db_release(c);
        return st;
    }
    char *namec = arena_strndup(rq->a, name.p, name.n);
    char key[128], by[40];
    int64_t id = 0;
    snprintf(by, sizeof by, "user:%lld", (long long)rq->who.user_id);
    int r = db_begin(c);
    if (r == DB_OK) r = acct_apikey_create(c, admin_now(), namec, uid, by, key, sizeof key, &id);
    char obj[32];
    snprintf(obj, sizeof obj, "apikey:%lld", (long long)id);
    admin_audit(rq, c, "apikey.create", obj, namec, &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) {
        db_rollback(c);
        db_release(c);
        form_free(&f);
        return 503;
    }
    form_free(&f);
    form_init(&f);
    st = keys_page(rq, c, &f, key, namec);
    cr_wipe(key, sizeof key);
    db_release(c);
    return st;
}

int admin_page_key_revoke(http_req *rq)
{
    app *a = app_of(rq);
    const char *prefix = http_param_c(rq, "prefix");
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    int r = db_begin(c);
    if (r == DB_OK) r = acct_apikey_revoke(c, admin_now(), prefix);
    admin_audit(rq, c, "apikey.revoke", prefix, NULL, &r);
    if (r == DB_OK) r = db_commit(c);
    else db_rollback(c);
    db_release(c);
    if (r == DB_DONE) return 404;
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, "/admin/kunci-api?berhasil=cabut");
}

static const char *status_label(http_req *rq, const char *s)
{
    if (strcmp(s, "pending") == 0) return http_t(rq, "Waiting to be sent");
    if (strcmp(s, "sending") == 0) return http_t(rq, "Being sent");
    if (strcmp(s, "sent") == 0) return http_t(rq, "Sent");
    if (strcmp(s, "failed") == 0) return http_t(rq, "Failed");
    return s;
}

int admin_page_outbox(http_req *rq)
{
    app *a = app_of(rq);
    static const char *const names[4] = {"pending", "sending", "sent", "failed"};
    const char *status = NULL;
    str sp = http_param(rq, "status");
    for (int i = 0; sp.p && i < 4; i++)
        if (str_eq_c(sp, names[i])) status = names[i];
    long page = 1;
    str hp = http_param(rq, "hal");
    if (hp.p) str_to_long(hp, 1, 100000, &page);
    bool dev = !a->cfg || strcmp(a->cfg->notify_sender, "live") != 0;
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    int64_t counts[4], total;
    outbox_item *items;
    size_t n;
    int r = outbox_counts(c, counts);
    if (r == DB_OK)
        r = outbox_list(c, &a->keys, rq->a, status, 50, (int)(page - 1) * 50, &items, &n, &total);
    db_release(c);
    if (r != DB_OK) return 503;
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        outbox_item *it = &items[i];
        json_t *o = json_pack(
            "{s:I,s:s,s:s,s:s,s:s,s:i,s:s*,s:s*,s:s*,s:b}", "id", (json_int_t)it->id, "channel",
            strcmp(it->channel, "sms") == 0 ? "SMS" : "Email", "to", it->recipient_masked,
            "subject", it->subject, "status", status_label(rq, it->status), "attempts",
            it->attempts, "created", when(rq, it->created_at), "retry_at",
            strcmp(it->status, "pending") == 0 ? when(rq, it->next_attempt_at) : NULL, "error",
            it->last_error, "failed", strcmp(it->status, "failed") == 0);
        /* the body holds one-time codes: only the development sender shows it */
        if (dev && it->body) json_object_set_new(o, "body", json_string(it->body));
        json_array_append_new(rows, o);
    }
    json_t *tabs = json_array();
    json_array_append_new(tabs,
                          json_pack("{s:s,s:s,s:I,s:b}", "href", "/admin/kotak-keluar", "label",
                                    http_t(rq, "All"), "count",
                                    (json_int_t)(counts[0] + counts[1] + counts[2] + counts[3]),
                                    "current", status == NULL));
    for (int i = 0; i < 4; i++)
        json_array_append_new(
            tabs, json_pack("{s:s,s:s,s:I,s:b}", "href",
                            arena_printf(rq->a, "/admin/kotak-keluar?status=%s", names[i]), "label",
                            status_label(rq, names[i]), "count", (json_int_t)counts[i], "current",
                            status == names[i]));
    json_t *ctx = json_pack("{s:o,s:o,s:I,s:b}", "rows", rows, "tabs", tabs, "total",
                            (json_int_t)total, "dev", dev);
    if (page > 1)
        json_object_set_new(ctx, "prev",
                            json_string(arena_printf(rq->a, "/admin/kotak-keluar?%s%s%shal=%ld",
                                                     status ? "status=" : "", status ? status : "",
                                                     status ? "&" : "", page - 1)));
    if (page * 50 < total)
        json_object_set_new(ctx, "next",
                            json_string(arena_printf(rq->a, "/admin/kotak-keluar?%s%s%shal=%ld",
                                                     status ? "status=" : "", status ? status : "",
                                                     status ? "&" : "", page + 1)));
    if (str_eq_c(http_param(rq, "berhasil"), "ulang"))
        json_object_set_new(ctx, "done",
                            json_string(http_t(rq, "The message will be sent again.")));
    return http_page(rq, 200, "admin/outbox", ctx);
}

int admin_page_outbox_retry(http_req *rq)
{
    app *a = app_of(rq);
    long id = 0;
    if (!str_to_long(http_param(rq, "id"), 1, INT32_MAX, &id)) return 404;
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    int r = db_begin(c);
    if (r == DB_OK) r = outbox_retry(c, id, admin_now());
    char obj[32];
    snprintf(obj, sizeof obj, "outbox:%ld", id);
    admin_audit(rq, c, "outbox.retry", obj, NULL, &r);
    if (r == DB_OK) r = db_commit(c);
    else db_rollback(c);
    db_release(c);
    if (r == DB_DONE) return 404;
    if (r != DB_OK) return 503;
    if (a->outbox) outbox_kick(a->outbox);
    return http_redirect(rq, 303, "/admin/kotak-keluar?berhasil=ulang");
}

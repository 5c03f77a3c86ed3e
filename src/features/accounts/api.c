/* accounts API: who the caller is, for integrators checking their key and for scripts using a
 * session (GET /api/v1/me; a session also gets its CSRF token for writes). */
#include "features/accounts/accounts.h"
#include "features/accounts/web.h"
#include "features/app.h"

int acct_api_me(http_req *rq)
{
    const http_principal *w = &rq->who;
    json_t *roles = json_array();
    for (int i = 0; i < ACCT_ROLES; i++)
        if (w->roles & ((unsigned)ROLE_PETUGAS << i))
            json_array_append_new(roles, json_string(acct_role_names[i]));
    if (w->apikey_id) {
        app *a = app_of(rq);
        json_t *o = json_pack("{s:s,s:I}", "kind", "api_key", "id", (json_int_t)w->apikey_id);
        if (w->apikey_unit) {
            db_conn *c = db_acquire(a->db);
            if (!c) {
                json_decref(o);
                json_decref(roles);
                return 503;
            }
            db_stmt *s = db_prepare(c, "SELECT code FROM units WHERE id = $1");
            if (s) {
                db_bind_int(s, 1, w->apikey_unit);
                if (db_step(s) == DB_ROW) {
                    str code = db_col_text(s, 0);
                    json_object_set_new(o, "unit", json_stringn(code.p, code.n));
                }
                db_finish(s);
            }
            db_release(c);
        }
        json_decref(roles);
        return http_json(rq, 200, o);
    }
    json_t *o = json_pack("{s:s,s:I,s:s,s:o}", "kind", w->citizen ? "citizen" : "staff", "id",
                          (json_int_t)w->user_id, "name", w->name ? w->name : "", "roles", roles);
    /* a session's scripts send it back as X-CSRF-Token on every write */
    if (w->csrf[0]) json_object_set_new(o, "csrf", json_string(w->csrf));
    return http_json(rq, 200, o);
}

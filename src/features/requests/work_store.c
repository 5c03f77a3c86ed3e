/* work store: the few readers the officers' pages need beyond requests.h (see web_work.h). */
#include <stdio.h>
#include <string.h>

#include "core/workflow.h"
#include "features/accounts/accounts.h"
#include "features/requests/web_work.h"
#include "features/units/units.h"

static const char *col(db_stmt *s, arena *a, int i)
{
    if (db_col_is_null(s, i)) return NULL;
    str v = db_col_text(s, i);
    return arena_strndup(a, v.p ? v.p : "", v.n);
}

int work_ref_get(db_conn *c, arena *a, const char *code, work_ref *out)
{
    memset(out, 0, sizeof *out);
    if (!code || !trk_parse(code, strlen(code), out->code)) return DB_DONE;
    db_stmt *s = db_prepare(c, "SELECT id, unit_id, service_id, applicant_id, status FROM "
                               "requests WHERE tracking_code = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, out->code);
    int r = db_step(s);
    if (r == DB_ROW) {
        out->id = db_col_int(s, 0);
        out->unit_id = db_col_int(s, 1);
        out->service_id = db_col_int(s, 2);
        out->applicant_id = db_col_is_null(s, 3) ? 0 : db_col_int(s, 3);
        out->status = col(s, a, 4);
        r = DB_OK;
    }
    db_finish(s);
    return r;
}

int work_scope(db_conn *c, arena *a, int64_t user_id, unsigned mask, int64_t **roots, size_t *n)
{
    *roots = NULL;
    *n = 0;
    int64_t pemda = units_id(c, NULL);
    if ((mask & ROLE_ADMIN) && pemda > 0 && acct_can_unit(c, user_id, ROLE_ADMIN, pemda)) {
        int64_t *one = arena_alloc(a, sizeof *one);
        if (!one) return DB_ERR;
        one[0] = pemda;
        *roots = one;
        *n = one[0] > 0 ? 1 : 0;
        return DB_OK;
    }
    /* the user's units for these roles, leaving out those under another of them */
    db_stmt *s = db_prepare(
        c, "SELECT DISTINCT r.unit_id, r.role FROM user_roles r WHERE r.user_id = $1 ORDER BY 1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, user_id);
    int64_t ids[64];
    size_t k = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW && k < 64) {
        char name[32];
        str v = db_col_text(s, 1);
        snprintf(name, sizeof name, "%.*s", (int)(v.n < 31 ? v.n : 31), v.p ? v.p : "");
        if (!(acct_role_bit(name) & mask)) continue;
        int64_t id = db_col_int(s, 0);
        if (k == 0 || ids[k - 1] != id) ids[k++] = id;
    }
    db_finish(s);
    if (r != DB_DONE && r != DB_ROW) return r;
    int64_t *out = arena_alloc(a, (k ? k : 1) * sizeof *out);
    if (!out) return DB_ERR;
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        bool below = false;
        for (size_t j = 0; j < k && !below; j++) {
            if (i == j) continue;
            /* is ids[i] strictly below ids[j]? */
            db_stmt *q = db_prepare(
                c, "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM units WHERE id "
                   "= $1 UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = "
                   "up.parent_id) SELECT 1 FROM up WHERE id = $2");
            if (!q) return DB_ERR;
            db_bind_int(q, 1, ids[i]);
            db_bind_int(q, 2, ids[j]);
            below = db_step(q) == DB_ROW;
            db_finish(q);
        }
        if (!below) out[m++] = ids[i];
    }
    *roots = out;
    *n = m;
    return DB_OK;
}

unsigned work_role_at(db_conn *c, int64_t user_id, int64_t unit_id)
{
    if (acct_can_unit(c, user_id, ROLE_PETUGAS, unit_id)) return WF_PETUGAS;
    if (acct_can_unit(c, user_id, ROLE_KEPALA_UNIT | ROLE_ADMIN, unit_id)) return WF_KEPALA;
    return 0;
}

int work_couriers(db_conn *c, arena *a, int64_t unit_id, work_person **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(
        c, "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM units WHERE id = $1 "
           "UNION ALL SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id) "
           "SELECT DISTINCT x.id, x.name FROM users x JOIN user_roles r ON r.user_id = x.id "
           "WHERE r.role = 'kurir' AND r.unit_id IN (SELECT id FROM up) AND x.disabled_at IS NULL "
           "ORDER BY x.name, x.id LIMIT 200");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    work_person *v = arena_alloc(a, 200 * sizeof *v);
    if (!v) {
        db_finish(s);
        return DB_ERR;
    }
    int r;
    size_t k = 0;
    while ((r = db_step(s)) == DB_ROW && k < 200) {
        v[k].id = db_col_int(s, 0);
        v[k].name = col(s, a, 1);
        k++;
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int work_find(http_req *rq, db_conn *c, work_ref *ref, unsigned *role)
{
    *role = 0;
    int r = work_ref_get(c, rq->a, http_param_c(rq, "code"), ref);
    if (r == DB_DONE) return 404;
    if (r != DB_OK) return 503;
    *role = work_role_at(c, rq->who.user_id, ref->unit_id);
    return *role ? 0 : 403;
}

bool work_courier_ok(db_conn *c, arena *a, int64_t unit_id, int64_t courier_id)
{
    work_person *ps;
    size_t np;
    bool ok = false;
    if (courier_id > 0 && work_couriers(c, a, unit_id, &ps, &np) == DB_OK)
        for (size_t i = 0; i < np; i++)
            ok = ok || ps[i].id == courier_id;
    return ok;
}

int work_visits_of(db_conn *c, arena *a, int64_t request_id, work_visit **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT id, scheduled_at, team, notes, visited_at FROM home_visits "
                               "WHERE request_id = $1 ORDER BY scheduled_at, id LIMIT 50");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, request_id);
    work_visit *v = arena_alloc(a, 50 * sizeof *v);
    if (!v) {
        db_finish(s);
        return DB_ERR;
    }
    int r;
    size_t k = 0;
    while ((r = db_step(s)) == DB_ROW && k < 50) {
        v[k] =
            (work_visit){db_col_int(s, 0), col(s, a, 1), col(s, a, 2), col(s, a, 3), col(s, a, 4)};
        k++;
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int64_t work_visit_request(db_conn *c, int64_t visit_id)
{
    db_stmt *s = db_prepare(c, "SELECT request_id FROM home_visits WHERE id = $1");
    if (!s) return 0;
    db_bind_int(s, 1, visit_id);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    return id;
}

const char *work_user_name(db_conn *c, arena *a, int64_t user_id)
{
    db_stmt *s = db_prepare(c, "SELECT name FROM users WHERE id = $1");
    if (!s) return "";
    db_bind_int(s, 1, user_id);
    const char *name = db_step(s) == DB_ROW ? col(s, a, 0) : NULL;
    db_finish(s);
    return name ? name : "";
}

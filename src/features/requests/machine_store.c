/* requests machine store: API keys from a form field, the point an integration files at, and the
 * filtered list of the machine interfaces (see machine.h). */
#include <stdio.h>
#include <string.h>

#include "features/requests/machine.h"
#include "lib/crypto.h"

int reqm_apikey(db_conn *c, str key, int64_t *id, int64_t *unit_id)
{
    key = str_trim(key);
    if (key.n < 10 || key.n > 100 || !str_starts(key, STR("lyk_"))) return DB_DONE;
    unsigned char h[32];
    cr_token_hash(key, h);
    db_stmt *s = db_prepare(c, "SELECT id, unit_id FROM api_keys WHERE key_hash = $1 AND "
                               "revoked_at IS NULL");
    if (!s) return DB_ERR;
    db_bind_blob(s, 1, h, sizeof h);
    int r = db_step(s);
    if (r == DB_ROW) {
        *id = db_col_int(s, 0);
        *unit_id = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1);
        r = DB_OK;
    }
    db_finish(s);
    return r;
}

int reqm_point(db_conn *c, int64_t service_id, int64_t scope_unit, const char *unit_code,
               int64_t *unit_id, int *tz_offset_min)
{
    db_stmt *s = db_prepare(
        c, "WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE id = $1 UNION ALL "
           "SELECT u.id FROM units u JOIN scope ON u.parent_id = scope.id) "
           "SELECT sp.unit_id, u.tz_offset_min FROM service_points sp JOIN units u ON u.id = "
           "sp.unit_id "
           "WHERE sp.service_id = $2 AND sp.active = 1 "
           "AND ($1 = 0 OR sp.unit_id IN (SELECT id FROM scope)) AND ($3 = '' OR u.code = $3) "
           "ORDER BY u.id LIMIT 1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, scope_unit);
    db_bind_int(s, 2, service_id);
    db_bind_cstr(s, 3, unit_code ? unit_code : "");
    int r = db_step(s);
    if (r == DB_ROW) {
        *unit_id = db_col_int(s, 0);
        *tz_offset_min = (int)db_col_int(s, 1);
        r = DB_OK;
    }
    db_finish(s);
    return r;
}

static const char *col_dup(db_stmt *s, int col, arena *a)
{
    if (db_col_is_null(s, col)) return NULL;
    str v = db_col_text(s, col);
    return arena_strndup(a, v.p ? v.p : "", v.n);
}

int reqm_list(db_conn *c, arena *a, const reqm_filter *f, reqm_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (f->ncodes > REQM_MAX_CODES) return DB_ERR;
    int limit = f->limit > 0 ? f->limit : 100, offset = f->offset > 0 ? f->offset : 0;
    buf q;
    buf_init(&q, 1 << 16);
    buf_puts(&q, "WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE id = $1 UNION ALL "
                 "SELECT u.id FROM units u JOIN scope ON u.parent_id = scope.id) "
                 "SELECT r.id, r.tracking_code, sv.code, sv.name, u.code, u.name, u.tz_offset_min, "
                 "r.status, r.channel, r.delivery, r.nik_masked, r.submitted_at, r.due_at, "
                 "r.finished_at, r.updated_at, r.cancelled "
                 "FROM requests r JOIN services sv ON sv.id = r.service_id "
                 "JOIN units u ON u.id = r.unit_id "
                 "WHERE ($1 = 0 OR r.unit_id IN (SELECT id FROM scope)) "
                 "AND ($2 = 0 OR r.service_id = $2) AND ($3 = 0 OR r.api_key_id = $3) "
                 "AND ($4 = '' OR r.submitted_at >= $4) AND ($5 = '' OR r.submitted_at < $5) "
                 "AND ($6 < 0 OR ($6 = 1 AND r.finished_at IS NULL) "
                 "OR ($6 = 0 AND r.finished_at IS NOT NULL)) AND ($7 = '' OR r.status = $7) ");
    if (f->ncodes) {
        buf_puts(&q, "AND r.tracking_code IN (");
        for (size_t i = 0; i < f->ncodes; i++)
            buf_printf(&q, "%s$%zu", i ? ", " : "", i + 8);
        buf_puts(&q, ") ");
    }
    buf_printf(&q, "ORDER BY r.submitted_at DESC, r.id DESC LIMIT %d OFFSET %d", limit, offset);
    db_stmt *s = q.p ? db_prepare(c, q.p) : NULL;
    buf_free(&q);
    if (!s) return DB_ERR;
    db_bind_int(s, 1, f->scope_unit);
    db_bind_int(s, 2, f->service_id);
    db_bind_int(s, 3, f->api_key_id);
    db_bind_cstr(s, 4, f->from ? f->from : "");
    db_bind_cstr(s, 5, f->to ? f->to : "");
    db_bind_int(s, 6, f->open);
    db_bind_cstr(s, 7, f->status ? f->status : "");
    for (size_t i = 0; i < f->ncodes; i++)
        db_bind_cstr(s, (int)i + 8, f->codes[i]);
    size_t cap = 16;
    reqm_row *rows = arena_alloc(a, cap * sizeof *rows);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            reqm_row *bigger = arena_alloc(a, 2 * cap * sizeof *bigger);
            memcpy(bigger, rows, cap * sizeof *bigger);
            rows = bigger;
            cap *= 2;
        }
        reqm_row *w = &rows[(*n)++];
        memset(w, 0, sizeof *w);
        w->id = db_col_int(s, 0);
        str code = db_col_text(s, 1);
        snprintf(w->code, sizeof w->code, "%.*s", (int)code.n, code.p ? code.p : "");
        w->service_code = col_dup(s, 2, a);
        w->service_name = col_dup(s, 3, a);
        w->unit_code = col_dup(s, 4, a);
        w->unit_name = col_dup(s, 5, a);
        w->tz_offset_min = (int)db_col_int(s, 6);
        w->status = col_dup(s, 7, a);
        w->channel = col_dup(s, 8, a);
        w->delivery = col_dup(s, 9, a);
        w->nik_masked = col_dup(s, 10, a);
        w->submitted_at = col_dup(s, 11, a);
        w->due_at = col_dup(s, 12, a);
        w->finished_at = col_dup(s, 13, a);
        w->updated_at = col_dup(s, 14, a);
        w->cancelled = db_col_int(s, 15) != 0;
    }
    db_finish(s);
    *out = rows;
    return r == DB_DONE ? DB_OK : r;
}

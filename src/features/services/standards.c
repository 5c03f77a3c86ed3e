/* services standards: versions of a service's standard (append-only), the maklumat of each
 * unit (versioned the same way), and the completeness report over both. */
#include <string.h>
#include <time.h>

#include "features/services/services.h"

static const char *col(db_stmt *s, int i, arena *a)
{
    if (db_col_is_null(s, i)) return NULL;
    str t = db_col_text(s, i);
    return arena_strndup(a, t.p ? t.p : "", t.n);
}

static bool blank(const char *s)
{
    if (!s) return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
    return true;
}

static void now_utc(char *b, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(b, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* the free-text component columns, in svc_standard.text[] order starting at SVC_C_PRODUK */
#define TEXT_COLS                                                                                  \
    "st.product, st.complaint_channels, st.legal_basis, st.facilities, st.competence, "            \
    "st.supervision, st.staff_count, st.guarantee, st.safety, st.evaluation"
#define STD_COLS                                                                                   \
    "st.id, st.service_id, st.version, st.decree_number, st.decree_date, st.effective_from, "      \
    "st.review_due, st.participation, st.change_note, st.time_limit_value, st.time_limit_unit, "   \
    "st.cost_amount, st.cost_note, st.created_at, us.name, " TEXT_COLS

static void read_standard(db_stmt *s, arena *a, svc_standard *o)
{
    memset(o, 0, sizeof *o);
    o->id = db_col_int(s, 0);
    o->service_id = db_col_int(s, 1);
    o->version = (int)db_col_int(s, 2);
    o->decree_number = col(s, 3, a);
    o->decree_date = col(s, 4, a);
    o->effective_from = col(s, 5, a);
    o->review_due = col(s, 6, a);
    o->participation = col(s, 7, a);
    o->change_note = col(s, 8, a);
    o->time_limit_value = (int)db_col_int(s, 9);
    o->time_limit_unit = col(s, 10, a);
    o->cost_amount = db_col_int(s, 11);
    o->cost_note = col(s, 12, a);
    o->created_at = col(s, 13, a);
    o->created_by = col(s, 14, a);
    for (int i = 0; i < 10; i++)
        o->text[SVC_C_PRODUK + i] = col(s, 15 + i, a);
}

static int load_parts(db_conn *c, arena *a, svc_standard *o)
{
    db_stmt *s = db_prepare(c, "SELECT pos, doc_type, label, required, cond, cond_label, "
                               "file_types, original_shown FROM standard_requirements WHERE "
                               "standard_id = $1 ORDER BY pos");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, o->id);
    size_t cap = 8, k = 0;
    svc_requirement *rq = arena_alloc(a, cap * sizeof *rq);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            svc_requirement *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, rq, k * sizeof *nv);
            rq = nv;
            cap *= 2;
        }
        svc_requirement *q = &rq[k++];
        q->pos = (int)db_col_int(s, 0);
        q->doc_type = col(s, 1, a);
        q->label = col(s, 2, a);
        q->required = db_col_int(s, 3) != 0;
        q->cond = col(s, 4, a);
        q->cond_label = col(s, 5, a);
        q->file_types = col(s, 6, a);
        q->original_shown = db_col_int(s, 7) != 0;
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    o->reqs = rq;
    o->nreqs = k;
    s = db_prepare(c, "SELECT pos, actor, text FROM standard_steps WHERE standard_id = $1 ORDER "
                      "BY pos");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, o->id);
    cap = 8;
    k = 0;
    svc_step *st = arena_alloc(a, cap * sizeof *st);
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            svc_step *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, st, k * sizeof *nv);
            st = nv;
            cap *= 2;
        }
        st[k].pos = (int)db_col_int(s, 0);
        st[k].actor = col(s, 1, a);
        st[k].text = col(s, 2, a);
        k++;
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    o->steps = st;
    o->nsteps = k;
    return DB_OK;
}

static int one_standard(db_conn *c, arena *a, db_stmt *s, svc_standard *out)
{
    if (!s) return DB_ERR;
    int r = db_step(s);
    if (r == DB_ROW) read_standard(s, a, out);
    db_finish(s);
    if (r != DB_ROW) return r;
    return load_parts(c, a, out);
}

int svc_standard_at(db_conn *c, arena *a, int64_t service_id, const char *date, svc_standard *out)
{
    db_stmt *s = db_prepare(c, "SELECT " STD_COLS " FROM standards st LEFT JOIN users us ON us.id "
                               "= st.created_by WHERE st.service_id = $1 AND st.effective_from "
                               "<= $2 ORDER BY st.version DESC LIMIT 1");
    if (s) {
        db_bind_int(s, 1, service_id);
        db_bind_cstr(s, 2, date);
    }
    return one_standard(c, a, s, out);
}

int svc_standard_version(db_conn *c, arena *a, int64_t service_id, int version, svc_standard *out)
{
    db_stmt *s = db_prepare(c, "SELECT " STD_COLS " FROM standards st LEFT JOIN users us ON us.id "
                               "= st.created_by WHERE st.service_id = $1 AND st.version = $2");
    if (s) {
        db_bind_int(s, 1, service_id);
        db_bind_int(s, 2, version);
    }
    return one_standard(c, a, s, out);
}

int svc_standard_versions(db_conn *c, arena *a, int64_t service_id, svc_standard **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT " STD_COLS " FROM standards st LEFT JOIN users us ON us.id "
                               "= st.created_by WHERE st.service_id = $1 ORDER BY st.version DESC");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    size_t cap = 4, k = 0;
    svc_standard *v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            svc_standard *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *nv);
            v = nv;
            cap *= 2;
        }
        read_standard(s, a, &v[k++]);
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int svc_standard_add(db_conn *c, int64_t service_id, const svc_standard *in, int64_t actor_id,
                     int *version)
{
    char now[32];
    now_utc(now, sizeof now);
    /* the cost of a service that is free by law cannot be set otherwise, whatever the caller */
    db_stmt *s = db_prepare(c, "SELECT free_by_law, (SELECT COALESCE(MAX(version), 0) FROM "
                               "standards WHERE service_id = $1) FROM services WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    int r = db_step(s);
    bool free_by_law = r == DB_ROW && db_col_int(s, 0) != 0;
    int v = r == DB_ROW ? (int)db_col_int(s, 1) + 1 : 0;
    db_finish(s);
    if (r != DB_ROW) return r == DB_DONE ? DB_ECONSTRAINT : r;
    s = db_prepare(
        c, "INSERT INTO standards (service_id, version, decree_number, decree_date, "
           "effective_from, review_due, participation, time_limit_value, time_limit_unit, "
           "cost_amount, cost_note, product, complaint_channels, legal_basis, facilities, "
           "competence, supervision, staff_count, guarantee, safety, evaluation, change_note, "
           "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
           "$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    db_bind_int(s, 2, v);
    db_bind_cstr(s, 3, blank(in->decree_number) ? NULL : in->decree_number);
    db_bind_cstr(s, 4, blank(in->decree_date) ? NULL : in->decree_date);
    db_bind_cstr(s, 5, in->effective_from);
    db_bind_cstr(s, 6, blank(in->review_due) ? NULL : in->review_due);
    db_bind_cstr(s, 7, blank(in->participation) ? NULL : in->participation);
    db_bind_int(s, 8, in->time_limit_value);
    db_bind_cstr(s, 9, in->time_limit_unit);
    db_bind_int(s, 10, free_by_law ? 0 : in->cost_amount);
    db_bind_cstr(s, 11, blank(in->cost_note) ? NULL : in->cost_note);
    for (int i = 0; i < 10; i++) {
        const char *t = in->text[SVC_C_PRODUK + i];
        db_bind_cstr(s, 12 + i, blank(t) ? NULL : t);
    }
    db_bind_cstr(s, 22, blank(in->change_note) ? NULL : in->change_note);
    if (actor_id > 0) db_bind_int(s, 23, actor_id);
    else db_bind_null(s, 23);
    db_bind_cstr(s, 24, now);
    r = db_step(s);
    int64_t sid = r == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (r != DB_ROW) return r == DB_DONE ? DB_ERR : r;
    for (size_t i = 0; i < in->nreqs; i++) {
        const svc_requirement *q = &in->reqs[i];
        s = db_prepare(c, "INSERT INTO standard_requirements (standard_id, pos, doc_type, label, "
                          "required, cond, cond_label, file_types, original_shown) VALUES ($1, "
                          "$2, $3, $4, $5, $6, $7, $8, $9)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, sid);
        db_bind_int(s, 2, (int64_t)i + 1);
        db_bind_cstr(s, 3, q->doc_type);
        db_bind_cstr(s, 4, q->label);
        db_bind_int(s, 5, q->required);
        db_bind_cstr(s, 6, blank(q->cond) ? NULL : q->cond);
        db_bind_cstr(s, 7, blank(q->cond_label) ? NULL : q->cond_label);
        db_bind_cstr(s, 8, blank(q->file_types) ? "jpg,png,pdf" : q->file_types);
        db_bind_int(s, 9, q->original_shown);
        r = db_step(s);
        db_finish(s);
        if (r != DB_DONE) return r;
    }
    for (size_t i = 0; i < in->nsteps; i++) {
        s = db_prepare(c, "INSERT INTO standard_steps (standard_id, pos, actor, text) VALUES "
                          "($1, $2, $3, $4)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, sid);
        db_bind_int(s, 2, (int64_t)i + 1);
        db_bind_cstr(s, 3, in->steps[i].actor);
        db_bind_cstr(s, 4, in->steps[i].text);
        r = db_step(s);
        db_finish(s);
        if (r != DB_DONE) return r;
    }
    if (version) *version = v;
    return svc_catalog_touched(c, DB_OK);
}

int svc_missing_components(const svc_standard *s, bool missing[SVC_NCOMPONENTS])
{
    int n = 0;
    for (int i = 0; i < SVC_NCOMPONENTS; i++) {
        bool m;
        switch (i) {
        case SVC_C_PERSYARATAN: m = s->nreqs == 0; break;
        case SVC_C_PROSEDUR: m = s->nsteps == 0; break;
        case SVC_C_WAKTU: m = s->time_limit_value <= 0 || !s->time_limit_unit; break;
        /* Rp0 is a cost: free services state it, so the component is never missing */
        case SVC_C_BIAYA: m = s->cost_amount < 0; break;
        default: m = blank(s->text[i]); break;
        }
        missing[i] = m;
        n += m;
    }
    return n;
}

/* ---- maklumat ---------------------------------------------------------------------------- */

#define MK_COLS                                                                                    \
    "m.id, m.version, u.code, m.body, m.signatory_name, m.signatory_title, m.stipulated_on, "      \
    "m.channels, m.created_at"

static void read_mk(db_stmt *s, arena *a, svc_maklumat *o)
{
    o->id = db_col_int(s, 0);
    o->version = (int)db_col_int(s, 1);
    o->unit_code = col(s, 2, a);
    o->body = col(s, 3, a);
    o->signatory_name = col(s, 4, a);
    o->signatory_title = col(s, 5, a);
    o->stipulated_on = col(s, 6, a);
    o->channels = col(s, 7, a);
    o->created_at = col(s, 8, a);
}

int svc_maklumat_current(db_conn *c, arena *a, const char *unit_code, svc_maklumat *out)
{
    /* walk up the tree: the unit, its parent, ... (the tree is a few levels deep) */
    const char *code = unit_code;
    for (int depth = 0; code && depth < 8; depth++) {
        db_stmt *s = db_prepare(c, "SELECT " MK_COLS " FROM maklumat m JOIN units u ON u.id = "
                                   "m.unit_id WHERE u.code = $1 ORDER BY m.version DESC LIMIT 1");
        if (!s) return DB_ERR;
        db_bind_cstr(s, 1, code);
        int r = db_step(s);
        if (r == DB_ROW) read_mk(s, a, out);
        db_finish(s);
        if (r == DB_ROW) return DB_OK;
        if (r != DB_DONE) return r;
        s = db_prepare(c, "SELECT p.code FROM units u JOIN units p ON p.id = u.parent_id WHERE "
                          "u.code = $1");
        if (!s) return DB_ERR;
        db_bind_cstr(s, 1, code);
        r = db_step(s);
        code = r == DB_ROW ? col(s, 0, a) : NULL;
        db_finish(s);
        if (r != DB_ROW && r != DB_DONE) return r;
    }
    return DB_DONE;
}

int svc_maklumat_versions(db_conn *c, arena *a, const char *unit_code, svc_maklumat **out,
                          size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT " MK_COLS " FROM maklumat m JOIN units u ON u.id = "
                               "m.unit_id WHERE u.code = $1 ORDER BY m.version DESC");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, unit_code);
    size_t cap = 4, k = 0;
    svc_maklumat *v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            svc_maklumat *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *nv);
            v = nv;
            cap *= 2;
        }
        read_mk(s, a, &v[k++]);
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int svc_maklumat_add(db_conn *c, const char *unit_code, const svc_maklumat *m, int64_t actor_id,
                     int *version)
{
    char now[32];
    now_utc(now, sizeof now);
    db_stmt *s = db_prepare(c, "SELECT u.id, (SELECT COALESCE(MAX(version), 0) FROM maklumat WHERE "
                               "unit_id = u.id) FROM units u WHERE u.code = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, unit_code);
    int r = db_step(s);
    int64_t uid = r == DB_ROW ? db_col_int(s, 0) : 0;
    int v = r == DB_ROW ? (int)db_col_int(s, 1) + 1 : 0;
    db_finish(s);
    if (r != DB_ROW) return r == DB_DONE ? DB_ECONSTRAINT : r;
    s = db_prepare(c, "INSERT INTO maklumat (unit_id, version, body, signatory_name, "
                      "signatory_title, stipulated_on, channels, created_by, created_at) VALUES "
                      "($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, uid);
    db_bind_int(s, 2, v);
    db_bind_cstr(s, 3, m->body);
    db_bind_cstr(s, 4, m->signatory_name);
    db_bind_cstr(s, 5, m->signatory_title);
    db_bind_cstr(s, 6, m->stipulated_on);
    db_bind_cstr(s, 7, m->channels ? m->channels : "");
    if (actor_id > 0) db_bind_int(s, 8, actor_id);
    else db_bind_null(s, 8);
    db_bind_cstr(s, 9, now);
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    if (version) *version = v;
    return DB_OK;
}

/* ---- completeness ------------------------------------------------------------------------ */

int svc_completeness(db_conn *c, arena *a, const char *unit_code, const char *today, svc_gap **out,
                     size_t *n)
{
    *out = NULL;
    *n = 0;
    /* points in scope: the unit and everything below it (ancestors are matched by walking the
     * parent chain in SQL would need a recursive CTE; both engines support WITH RECURSIVE) */
    db_stmt *s = db_prepare(
        c, "WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE (CAST($1 AS TEXT) IS NULL AND "
           "parent_id IS "
           "NULL) OR code = $1 UNION ALL SELECT u.id FROM units u JOIN scope ON u.parent_id = "
           "scope.id) "
           "SELECT u.code, u.name, s.code, s.name, s.id FROM service_points p "
           "JOIN scope ON scope.id = p.unit_id JOIN units u ON u.id = p.unit_id "
           "JOIN services s ON s.id = p.service_id WHERE p.active = 1 AND s.active = 1 "
           "ORDER BY CASE u.type WHEN 'opd' THEN 0 ELSE 1 END, u.name, s.sort, s.name");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, unit_code);
    size_t cap = 16, k = 0;
    svc_gap *v = arena_alloc(a, cap * sizeof *v);
    int64_t *sids = arena_alloc(a, cap * sizeof *sids);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            svc_gap *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            int64_t *ni = arena_alloc(a, cap * 2 * sizeof *ni);
            memcpy(nv, v, k * sizeof *nv);
            memcpy(ni, sids, k * sizeof *ni);
            v = nv;
            sids = ni;
            cap *= 2;
        }
        memset(&v[k], 0, sizeof v[k]);
        v[k].unit_code = col(s, 0, a);
        v[k].unit_name = col(s, 1, a);
        v[k].service_code = col(s, 2, a);
        v[k].service_name = col(s, 3, a);
        sids[k] = db_col_int(s, 4);
        k++;
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    /* the standard is the service's (one per service type): evaluate each service once */
    for (size_t i = 0; i < k; i++) {
        size_t j = 0;
        while (j < i && sids[j] != sids[i])
            j++;
        if (j < i) {
            const char *uc = v[i].unit_code, *un = v[i].unit_name;
            v[i] = v[j];
            v[i].unit_code = uc;
            v[i].unit_name = un;
        } else {
            svc_standard st;
            r = svc_standard_at(c, a, sids[i], today, &st);
            if (r == DB_DONE) {
                for (int m = 0; m < SVC_NCOMPONENTS; m++)
                    v[i].missing[m] = true;
                v[i].nmissing = SVC_NCOMPONENTS;
                continue;
            }
            if (r != DB_OK) return r;
            v[i].version = st.version;
            v[i].stipulated = !blank(st.decree_number) && !blank(st.decree_date);
            v[i].review_due = st.review_due;
            v[i].review_overdue = st.review_due && strcmp(st.review_due, today) < 0;
            v[i].nmissing = svc_missing_components(&st, v[i].missing);
        }
    }
    for (size_t i = 0; i < k; i++) {
        svc_maklumat mk;
        size_t j = 0;
        while (j < i && strcmp(v[j].unit_code, v[i].unit_code) != 0)
            j++;
        if (j < i) {
            v[i].has_maklumat = v[j].has_maklumat;
            continue;
        }
        r = svc_maklumat_current(c, a, v[i].unit_code, &mk);
        if (r != DB_OK && r != DB_DONE) return r;
        v[i].has_maklumat = r == DB_OK;
    }
    *out = v;
    *n = k;
    return DB_OK;
}

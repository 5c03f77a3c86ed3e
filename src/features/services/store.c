/* services store: the catalogue's SQL. Readers copy into the caller's arena; writers assume the
 * caller holds the transaction when several statements must land together. */
#include <string.h>
#include <time.h>

#include "features/regions/regions.h"
#include "render/i18n.h"
#include "features/services/api.h"
#include "features/services/services.h"

int svc_catalog_touched(db_conn *c, int r)
{
    if (r == DB_OK) db_after_commit(c, svc_api_invalidate);
    return r;
}

const char *const svc_events[] = {"anak-lahir",     "usia-17",      "menikah",
                                  "perceraian",     "pindah-rumah", "kehilangan-dokumen",
                                  "perubahan-data", "kematian",     NULL};

bool svc_event_known(str e)
{
    for (int i = 0; svc_events[i]; i++)
        if (str_eq_c(e, svc_events[i])) return true;
    return false;
}

static const struct {
    const char *code, *name;
} components[SVC_NCOMPONENTS] = {
    {"persyaratan", N_("Requirements")},
    {"prosedur", N_("Systems, mechanisms and procedures")},
    {"waktu", N_("Completion time")},
    {"biaya", N_("Cost/tariff")},
    {"produk", N_("Service products")},
    {"pengaduan", N_("Handling of complaints, suggestions and feedback")},
    {"dasar_hukum", N_("Legal basis")},
    {"sarana", N_("Facilities, infrastructure and equipment")},
    {"kompetensi", N_("Competence of the implementers")},
    {"pengawasan", N_("Internal supervision")},
    {"jumlah_pelaksana", N_("Number of implementers")},
    {"jaminan_pelayanan", N_("Service guarantee")},
    {"jaminan_keamanan", N_("Guarantee of security and safety of the service")},
    {"evaluasi", N_("Evaluation of implementers' performance")},
};

const char *svc_component_code(int c)
{
    return c >= 0 && c < SVC_NCOMPONENTS ? components[c].code : NULL;
}

const char *svc_component_name(int c)
{
    return c >= 0 && c < SVC_NCOMPONENTS ? components[c].name : NULL;
}

static const char *col(db_stmt *s, int i, arena *a)
{
    if (db_col_is_null(s, i)) return NULL;
    str t = db_col_text(s, i);
    return arena_strndup(a, t.p ? t.p : "", t.n);
}

static void *grow(arena *a, void *old, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) return old;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = arena_alloc(a, nc * size);
    if (old && n) memcpy(p, old, n * size);
    *cap = nc;
    return p;
}

static void now_utc(char *b, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(b, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool blank(const char *s)
{
    if (!s) return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
    return true;
}

/* ---- services ---------------------------------------------------------------------------- */

#define SVC_COLS                                                                                   \
    "s.id, s.code, s.name, s.summary, s.category, u.code, s.free_by_law, s.active, s.sort"

static void read_service(db_stmt *s, arena *a, service *o)
{
    memset(o, 0, sizeof *o);
    o->id = db_col_int(s, 0);
    o->code = col(s, 1, a);
    o->name = col(s, 2, a);
    o->summary = col(s, 3, a);
    o->category = col(s, 4, a);
    o->owner_code = col(s, 5, a);
    o->free_by_law = db_col_int(s, 6) != 0;
    o->active = db_col_int(s, 7) != 0;
    o->sort = (int)db_col_int(s, 8);
}

static int load_events(db_conn *c, arena *a, service *ss, size_t n)
{
    if (n == 0) return DB_OK;
    db_stmt *s = db_prepare(c, "SELECT service_id, event FROM service_events ORDER BY service_id, "
                               "event");
    if (!s) return DB_ERR;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int(s, 0);
        for (size_t i = 0; i < n; i++) {
            if (ss[i].id != id) continue;
            const char **ev = arena_alloc(a, (ss[i].nevents + 1) * sizeof *ev);
            if (ss[i].nevents) memcpy(ev, ss[i].events, ss[i].nevents * sizeof *ev);
            ev[ss[i].nevents++] = col(s, 1, a);
            ss[i].events = ev;
            break;
        }
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int svc_list(db_conn *c, arena *a, const svc_filter *f, service **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char *q = f && !blank(f->q) ? regions_fold(a, str_c(f->q)) : NULL;
    const char *like = q && *q ? arena_printf(a, "%%%s%%", q) : NULL;
    db_stmt *s =
        db_prepare(c, "SELECT " SVC_COLS " FROM services s JOIN units u ON u.id = s.owner_unit_id "
                      "WHERE ($1 = 1 OR s.active = 1) "
                      "AND (CAST($2 AS TEXT) IS NULL OR s.name_search LIKE $2) "
                      "AND (CAST($3 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM service_events e "
                      "WHERE e.service_id = s.id "
                      "AND e.event = $3)) "
                      "AND (CAST($4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM service_points p "
                      "JOIN units pu ON pu.id = "
                      "p.unit_id WHERE p.service_id = s.id AND p.active = 1 AND pu.code = $4)) "
                      "ORDER BY s.sort, s.name");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, f && f->include_inactive ? 1 : 0);
    db_bind_cstr(s, 2, like);
    db_bind_cstr(s, 3, f ? f->event : NULL);
    db_bind_cstr(s, 4, f && !blank(f->unit) ? f->unit : NULL);
    size_t cap = 0, k = 0;
    service *v = NULL;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        v = grow(a, v, k, &cap, sizeof *v);
        read_service(s, a, &v[k++]);
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    r = load_events(c, a, v, k);
    if (r != DB_OK) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int svc_get(db_conn *c, arena *a, str code, service *out)
{
    db_stmt *s = db_prepare(c, "SELECT " SVC_COLS " FROM services s JOIN units u ON u.id = "
                               "s.owner_unit_id WHERE s.code = $1");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, code);
    int r = db_step(s);
    if (r == DB_ROW) read_service(s, a, out);
    db_finish(s);
    if (r != DB_ROW) return r;
    return load_events(c, a, out, 1);
}

int svc_create(db_conn *c, const svc_def *d, int64_t *id, bool *created)
{
    arena *a = arena_new(1024);
    char now[32];
    now_utc(now, sizeof now);
    int r = DB_ERR;
    if (created) *created = false;
    db_stmt *s = db_prepare(
        c, "INSERT INTO services (code, owner_unit_id, name, name_search, summary, category, "
           "free_by_law, sort, created_at) VALUES ($1, (SELECT id FROM units WHERE code = $2), "
           "$3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING");
    if (!s) goto out;
    db_bind_cstr(s, 1, d->code);
    db_bind_cstr(s, 2, d->owner_code);
    db_bind_cstr(s, 3, d->name);
    db_bind_cstr(s, 4, regions_fold(a, str_c(d->name)));
    db_bind_cstr(s, 5, d->summary);
    db_bind_cstr(s, 6, d->category);
    db_bind_int(s, 7, d->free_by_law);
    db_bind_int(s, 8, d->sort);
    db_bind_cstr(s, 9, now);
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) goto out;
    bool made = db_changes(c) > 0;
    if (created) *created = made;
    s = db_prepare(c, "SELECT id FROM services WHERE code = $1");
    if (!s) {
        r = DB_ERR;
        goto out;
    }
    db_bind_cstr(s, 1, d->code);
    r = db_step(s);
    int64_t sid = r == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (r != DB_ROW) {
        r = r == DB_DONE ? DB_ERR : r;
        goto out;
    }
    if (id) *id = sid;
    r = DB_OK;
    if (made && d->events) {
        for (int i = 0; d->events[i] && r == DB_OK; i++) {
            s = db_prepare(c, "INSERT INTO service_events (service_id, event) VALUES ($1, $2) "
                              "ON CONFLICT DO NOTHING");
            if (!s) {
                r = DB_ERR;
                break;
            }
            db_bind_int(s, 1, sid);
            db_bind_cstr(s, 2, d->events[i]);
            r = db_step(s) == DB_DONE ? DB_OK : DB_ERR;
            db_finish(s);
        }
    }
out:
    arena_free(a);
    return r;
}

int svc_offer(db_conn *c, int64_t service_id, const char *unit_code)
{
    db_stmt *s = db_prepare(c, "INSERT INTO service_points (service_id, unit_id) SELECT $1, id "
                               "FROM units WHERE code = $2 ON CONFLICT DO NOTHING");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    db_bind_cstr(s, 2, unit_code);
    int r = db_step(s);
    db_finish(s);
    return svc_catalog_touched(c, r == DB_DONE ? DB_OK : r);
}

int svc_set_point(db_conn *c, int64_t service_id, const char *unit_code, int time_limit_value,
                  const char *time_limit_unit, int counters, const char *note)
{
    int r = svc_offer(c, service_id, unit_code);
    if (r != DB_OK) return r;
    db_stmt *s = db_prepare(c, "UPDATE service_points SET time_limit_value = $3, time_limit_unit "
                               "= $4, counters = $5, note = $6 WHERE service_id = $1 AND unit_id "
                               "= (SELECT id FROM units WHERE code = $2)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    db_bind_cstr(s, 2, unit_code);
    if (time_limit_value > 0 && time_limit_unit) {
        db_bind_int(s, 3, time_limit_value);
        db_bind_cstr(s, 4, time_limit_unit);
    } else {
        db_bind_null(s, 3);
        db_bind_null(s, 4);
    }
    if (counters >= 0) db_bind_int(s, 5, counters);
    else db_bind_null(s, 5);
    db_bind_cstr(s, 6, blank(note) ? NULL : note);
    r = db_step(s);
    db_finish(s);
    return svc_catalog_touched(c, r == DB_DONE ? DB_OK : r);
}

static int points(db_conn *c, arena *a, int64_t service_id, bool all, svc_point **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(
        c, "SELECT u.code, u.name, u.type, p.time_limit_value, p.time_limit_unit, p.counters, "
           "p.note, u.id, p.active FROM service_points p JOIN units u ON u.id = p.unit_id "
           "WHERE p.service_id = $1 AND (p.active = 1 OR $2 = 1) "
           "ORDER BY CASE u.type WHEN 'opd' THEN 0 WHEN 'mpp' THEN 1 ELSE 2 END, u.name");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    db_bind_int(s, 2, all ? 1 : 0);
    size_t cap = 0, k = 0;
    svc_point *v = NULL;
    int64_t *ids = NULL;
    size_t icap = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        v = grow(a, v, k, &cap, sizeof *v);
        ids = grow(a, ids, k, &icap, sizeof *ids);
        svc_point *p = &v[k];
        memset(p, 0, sizeof *p);
        p->unit_code = col(s, 0, a);
        p->unit_name = col(s, 1, a);
        p->unit_type = col(s, 2, a);
        p->time_limit_value = db_col_is_null(s, 3) ? 0 : (int)db_col_int(s, 3);
        p->time_limit_unit = col(s, 4, a);
        p->counters = db_col_is_null(s, 5) ? -1 : (int)db_col_int(s, 5);
        p->note = col(s, 6, a);
        ids[k] = db_col_int(s, 7);
        p->active = db_col_int(s, 8) != 0;
        k++;
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    if (k) {
        s = db_prepare(c, "SELECT unit_id, weekday, opens_min, closes_min FROM "
                          "service_point_hours WHERE service_id = $1 ORDER BY unit_id, weekday");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, service_id);
        while ((r = db_step(s)) == DB_ROW) {
            int64_t uid = db_col_int(s, 0);
            for (size_t i = 0; i < k; i++) {
                if (ids[i] != uid || v[i].nhours >= 7) continue;
                int j = v[i].nhours++;
                v[i].hours[j].weekday = (int)db_col_int(s, 1);
                v[i].hours[j].opens_min = (int)db_col_int(s, 2);
                v[i].hours[j].closes_min = (int)db_col_int(s, 3);
            }
        }
        db_finish(s);
        if (r != DB_DONE) return r;
    }
    *out = v;
    *n = k;
    return DB_OK;
}

int svc_points(db_conn *c, arena *a, int64_t service_id, svc_point **out, size_t *n)
{
    return points(c, a, service_id, false, out, n);
}

int svc_points_all(db_conn *c, arena *a, int64_t service_id, svc_point **out, size_t *n)
{
    return points(c, a, service_id, true, out, n);
}

int svc_point_set_active(db_conn *c, int64_t service_id, const char *unit_code, bool active)
{
    db_stmt *s = db_prepare(c, "UPDATE service_points SET active = $3 WHERE service_id = $1 AND "
                               "unit_id = (SELECT id FROM units WHERE code = $2)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    db_bind_cstr(s, 2, unit_code);
    db_bind_int(s, 3, active ? 1 : 0);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    return svc_catalog_touched(c, db_changes(c) > 0 ? DB_OK : DB_DONE);
}

int svc_point_set_hours(db_conn *c, int64_t service_id, const char *unit_code, const int *weekday,
                        const int *opens_min, const int *closes_min, int n)
{
    db_stmt *s = db_prepare(c, "DELETE FROM service_point_hours WHERE service_id = $1 AND unit_id "
                               "= (SELECT id FROM units WHERE code = $2)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    db_bind_cstr(s, 2, unit_code);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    for (int i = 0; i < n; i++) {
        s = db_prepare(c, "INSERT INTO service_point_hours (service_id, unit_id, weekday, "
                          "opens_min, closes_min) SELECT $1, id, $3, $4, $5 FROM units WHERE "
                          "code = $2");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, service_id);
        db_bind_cstr(s, 2, unit_code);
        db_bind_int(s, 3, weekday[i]);
        db_bind_int(s, 4, opens_min[i]);
        db_bind_int(s, 5, closes_min[i]);
        r = db_step(s);
        db_finish(s);
        if (r != DB_DONE) return r;
    }
    return svc_catalog_touched(c, DB_OK);
}

int svc_fields(db_conn *c, arena *a, int64_t service_id, svc_field **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT pos, code, datatype, required, label, description, "
                               "choices FROM service_fields WHERE service_id = $1 ORDER BY pos");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    size_t cap = 0, k = 0;
    svc_field *v = NULL;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        v = grow(a, v, k, &cap, sizeof *v);
        svc_field *f = &v[k++];
        f->pos = (int)db_col_int(s, 0);
        f->code = col(s, 1, a);
        f->datatype = col(s, 2, a);
        f->required = db_col_int(s, 3) != 0;
        f->label = col(s, 4, a);
        f->description = col(s, 5, a);
        f->choices = col(s, 6, a);
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

int svc_set_fields(db_conn *c, int64_t service_id, const svc_field *f, size_t n)
{
    db_stmt *s = db_prepare(c, "DELETE FROM service_fields WHERE service_id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    int r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    for (size_t i = 0; i < n; i++) {
        s = db_prepare(c, "INSERT INTO service_fields (service_id, pos, code, datatype, required, "
                          "label, description, choices) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, service_id);
        db_bind_int(s, 2, (int64_t)i + 1);
        db_bind_cstr(s, 3, f[i].code);
        db_bind_cstr(s, 4, f[i].datatype);
        db_bind_int(s, 5, f[i].required);
        db_bind_cstr(s, 6, f[i].label);
        db_bind_cstr(s, 7, f[i].description);
        db_bind_cstr(s, 8, f[i].choices);
        r = db_step(s);
        db_finish(s);
        if (r != DB_DONE) return r;
    }
    return svc_catalog_touched(c, DB_OK);
}

/* units facilities: the facilities of a unit (unit_facilities) and the admin writes of the
 * unit profile that store.c does not have (coordinates, time zone). */
#include <string.h>

#include "features/services/services.h"
#include "features/units/units.h"
#include "render/i18n.h"

const char *const units_facility_codes[UNITS_NFACILITIES] = {
    "parking",   "waiting_room", "toilet",           "lactation_room",  "prayer_room",
    "play_area", "wheelchair",   "priority_counter", "information_desk"};

static const char *const facility_msgid[UNITS_NFACILITIES] = {
    N_("Parking"),
    N_("Waiting room"),
    N_("Toilets"),
    N_("Lactation room"),
    N_("Prayer room"),
    N_("Children's play area"),
    N_("Wheelchair access"),
    N_("Priority counter for the elderly, people with disabilities and pregnant women"),
    N_("Information desk")};

static int facility_index(const char *code, size_t n)
{
    for (int i = 0; i < UNITS_NFACILITIES; i++)
        if (strlen(units_facility_codes[i]) == n && memcmp(units_facility_codes[i], code, n) == 0)
            return i;
    return -1;
}

const char *units_facility_msgid(const char *code)
{
    int i = code ? facility_index(code, strlen(code)) : -1;
    return i < 0 ? NULL : facility_msgid[i];
}

static int64_t unit_id_of(db_conn *c, const char *code, int *r)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM units WHERE code = $1");
    if (!s) {
        *r = DB_ERR;
        return 0;
    }
    db_bind_cstr(s, 1, code);
    int st = db_step(s);
    int64_t id = st == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    *r = st == DB_ROW ? DB_OK : st;
    return id;
}

int units_facilities_load(db_conn *c, arena *a, unit *u)
{
    db_stmt *s = db_prepare(c, "SELECT facility, note FROM unit_facilities WHERE unit_id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, u->id);
    const char *notes[UNITS_NFACILITIES];
    bool have[UNITS_NFACILITIES] = {false};
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        str f = db_col_text(s, 0);
        int i = f.p ? facility_index(f.p, f.n) : -1;
        if (i < 0) continue;
        have[i] = true;
        notes[i] = NULL;
        if (!db_col_is_null(s, 1)) {
            str t = db_col_text(s, 1);
            if (t.n) notes[i] = arena_strndup(a, t.p, t.n);
        }
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    unit_facility *out = arena_alloc(a, UNITS_NFACILITIES * sizeof *out);
    size_t k = 0;
    for (int i = 0; i < UNITS_NFACILITIES; i++)
        if (have[i]) out[k++] = (unit_facility){units_facility_codes[i], notes[i]};
    u->facilities = out;
    u->nfacilities = k;
    u->facilities_loaded = true;
    return DB_OK;
}

int units_facilities_load_all(db_conn *c, arena *a, unit *us, size_t n)
{
    if (n == 0) return DB_OK;
    db_stmt *s = db_prepare(c, "SELECT unit_id, facility, note FROM unit_facilities");
    if (!s) return DB_ERR;
    /* per unit: which facilities, with notes, then packed in display order */
    typedef struct {
        bool have[UNITS_NFACILITIES];
        const char *notes[UNITS_NFACILITIES];
    } slot;
    slot *sl = arena_alloc(a, n * sizeof *sl);
    memset(sl, 0, n * sizeof *sl);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int(s, 0);
        str f = db_col_text(s, 1);
        int i = f.p ? facility_index(f.p, f.n) : -1;
        if (i < 0) continue;
        const char *note = NULL;
        if (!db_col_is_null(s, 2)) {
            str t = db_col_text(s, 2);
            if (t.n) note = arena_strndup(a, t.p, t.n);
        }
        for (size_t k = 0; k < n; k++)
            if (us[k].id == id) {
                sl[k].have[i] = true;
                sl[k].notes[i] = note;
            }
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    for (size_t k = 0; k < n; k++) {
        unit_facility *out = arena_alloc(a, UNITS_NFACILITIES * sizeof *out);
        size_t m = 0;
        for (int i = 0; i < UNITS_NFACILITIES; i++)
            if (sl[k].have[i]) out[m++] = (unit_facility){units_facility_codes[i], sl[k].notes[i]};
        us[k].facilities = out;
        us[k].nfacilities = m;
        us[k].facilities_loaded = true;
    }
    return DB_OK;
}

int units_facilities_set(db_conn *c, const char *code, const unit_facility *f, size_t n)
{
    int r;
    int64_t id = unit_id_of(c, code, &r);
    if (r != DB_OK) return r;
    db_stmt *s = db_prepare(c, "DELETE FROM unit_facilities WHERE unit_id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    for (size_t i = 0; i < n; i++) {
        s = db_prepare(c, "INSERT INTO unit_facilities (unit_id, facility, note) VALUES ($1, $2, "
                          "$3)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, id);
        db_bind_cstr(s, 2, f[i].code);
        db_bind_cstr(s, 3, f[i].note && *f[i].note ? f[i].note : NULL);
        r = db_step(s);
        db_finish(s);
        if (r != DB_DONE) return r;
    }
    return DB_OK;
}

static int update_done(db_conn *c, db_stmt *s)
{
    int r = db_step(s);
    db_finish(s);
    if (r == DB_DONE) return db_changes(c) > 0 ? DB_OK : DB_DONE;
    return r;
}

int units_set_geo(db_conn *c, const char *code, bool has_geo, double lat, double lon)
{
    db_stmt *s = db_prepare(c, "UPDATE units SET lat = $2, lon = $3 WHERE code = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, code);
    if (has_geo) {
        db_bind_double(s, 2, lat);
        db_bind_double(s, 3, lon);
    } else {
        db_bind_null(s, 2);
        db_bind_null(s, 3);
    }
    return update_done(c, s);
}

int units_set_tz(db_conn *c, const char *code, int tz_offset_min)
{
    db_stmt *s = db_prepare(c, "UPDATE units SET tz_offset_min = $2 WHERE code = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, code);
    db_bind_int(s, 2, tz_offset_min);
    return svc_catalog_touched(c, update_done(c, s));
}

/* units store: SQL for units, their opening hours, and the service-point search. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "features/holidays/holidays.h"
#include "features/regions/regions.h"
#include "features/services/services.h"
#include "features/units/units.h"

#define UNIT_COLS                                                                                  \
    "u.id, u.code, p.code, u.type, u.name, u.region_code, u.address, u.phone, u.email, "           \
    "u.tz_offset_min, u.lat, u.lon"

static const char *col(db_stmt *s, arena *a, int i)
{
    if (db_col_is_null(s, i)) return NULL;
    str t = db_col_text(s, i);
    return arena_strndup(a, t.p ? t.p : "", t.n);
}

static void fill(db_stmt *s, arena *a, unit *u)
{
    memset(u, 0, sizeof *u);
    u->id = db_col_int(s, 0);
    u->code = col(s, a, 1);
    u->parent_code = col(s, a, 2);
    u->type = col(s, a, 3);
    u->name = col(s, a, 4);
    u->region_code = col(s, a, 5);
    u->address = col(s, a, 6);
    u->phone = col(s, a, 7);
    u->email = col(s, a, 8);
    u->tz_offset_min = (int)db_col_int(s, 9);
    if (!db_col_is_null(s, 10) && !db_col_is_null(s, 11)) {
        u->has_geo = true;
        u->lat = db_col_double(s, 10);
        u->lon = db_col_double(s, 11);
    }
}

/* opening hours for the units in `us` (matched by id) */
static int load_hours(db_conn *c, unit **us, size_t n)
{
    if (n == 0) return DB_OK;
    db_stmt *s;
    if (n == 1) {
        s = db_prepare(c, "SELECT unit_id, weekday, opens_min, closes_min, break_start_min, "
                          "break_end_min FROM unit_hours WHERE unit_id = $1 ORDER BY weekday");
        if (s) db_bind_int(s, 1, us[0]->id);
    } else {
        s = db_prepare(c, "SELECT unit_id, weekday, opens_min, closes_min, break_start_min, "
                          "break_end_min FROM unit_hours ORDER BY unit_id, weekday");
    }
    if (!s) return DB_ERR;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int(s, 0);
        /* the same unit may appear more than once in a search result */
        for (size_t i = 0; i < n; i++) {
            if (us[i]->id != id || us[i]->nhours == 7) continue;
            unit_hours *h = &us[i]->hours[us[i]->nhours++];
            h->weekday = (int)db_col_int(s, 1);
            h->opens_min = (int)db_col_int(s, 2);
            h->closes_min = (int)db_col_int(s, 3);
            h->break_start_min = db_col_is_null(s, 4) ? -1 : (int)db_col_int(s, 4);
            h->break_end_min = db_col_is_null(s, 5) ? -1 : (int)db_col_int(s, 5);
        }
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

static int collect(db_stmt *s, arena *a, unit **out, size_t *n)
{
    size_t cap = 32, k = 0;
    unit *v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            unit *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *v);
            v = nv;
            cap *= 2;
        }
        fill(s, a, &v[k++]);
    }
    db_finish(s);
    *out = v;
    *n = k;
    return r == DB_DONE ? DB_OK : r;
}

int units_list(db_conn *c, arena *a, unit **out, size_t *n)
{
    db_stmt *s = db_prepare(c, "SELECT " UNIT_COLS " FROM units u LEFT JOIN units p ON p.id = "
                               "u.parent_id ORDER BY CASE u.type WHEN 'pemda' THEN 0 WHEN 'opd' "
                               "THEN 1 ELSE 2 END, u.name");
    if (!s) return DB_ERR;
    int r = collect(s, a, out, n);
    if (r != DB_OK) return r;
    unit **ps = arena_alloc(a, (*n + 1) * sizeof *ps);
    for (size_t i = 0; i < *n; i++)
        ps[i] = &(*out)[i];
    return load_hours(c, ps, *n);
}

int units_get(db_conn *c, arena *a, str code, unit *out)
{
    db_stmt *s = db_prepare(c, "SELECT " UNIT_COLS " FROM units u LEFT JOIN units p ON p.id = "
                               "u.parent_id WHERE u.code = $1");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, code);
    int r = db_step(s);
    if (r == DB_ROW) fill(s, a, out);
    db_finish(s);
    if (r != DB_ROW) return r;
    return load_hours(c, &out, 1);
}

/* LIKE pattern for a folded key: the key with LIKE's wildcards escaped, between pre and post */
static char *like_pattern(arena *a, const char *pre, const char *folded, const char *post)
{
    size_t n = strlen(folded);
    char *p = arena_alloc(a, n * 2 + 3);
    size_t k = 0;
    if (*pre) p[k++] = *pre;
    for (size_t i = 0; i < n; i++) {
        if (folded[i] == '%' || folded[i] == '_' || folded[i] == '\\') p[k++] = '\\';
        p[k++] = folded[i];
    }
    if (*post) p[k++] = *post;
    return p;
}

#define MIN_QUERY 2 /* folded bytes: "ci" finds Cipaganti, one letter finds everything */

int units_search(db_conn *c, arena *a, str q, size_t limit, unit_match **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char *key = regions_fold(a, str_trim(q));
    if (strlen(key) < MIN_QUERY || limit == 0) return DB_OK;
    const char *any = like_pattern(a, "%", key, "%"), *prefix = like_pattern(a, "", key, "%");
    unit_match *m = arena_alloc(a, limit * sizeof *m);
    size_t k = 0;
    int r = DB_DONE;
    /* 1. units by their own name or the name of the region they serve; r is the unit's region
     *    (a kecamatan for a kecamatan office) */
    db_stmt *s = db_prepare(
        c, "SELECT " UNIT_COLS ", r.name, r.level FROM units u LEFT JOIN units p ON p.id = "
           "u.parent_id LEFT JOIN regions r ON r.code = u.region_code AND u.type <> 'opd' "
           "WHERE u.type <> 'pemda' AND (u.name_search LIKE $1 ESCAPE '\\' OR r.name_search "
           "LIKE $1 ESCAPE '\\') ORDER BY CASE WHEN r.name_search = $2 OR u.name_search = $2 "
           "THEN 0 WHEN r.name_search LIKE $3 ESCAPE '\\' OR u.name_search LIKE $3 ESCAPE '\\' "
           "THEN 1 ELSE 2 END, CASE u.type WHEN 'opd' THEN 0 ELSE 1 END, u.name, u.code");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, any);
    db_bind_cstr(s, 2, key);
    db_bind_cstr(s, 3, prefix);
    while (k < limit && (r = db_step(s)) == DB_ROW) {
        fill(s, a, &m[k].u);
        m[k].via_village = NULL;
        m[k].via_district = db_col_int(s, 13) == 3 ? col(s, a, 12) : NULL;
        k++;
    }
    db_finish(s);
    if (k < limit && r != DB_DONE) return r;
    size_t direct = k;
    /* 2. kelurahan/desa in a kecamatan that has a service point: from the region's few service
     *    points to their villages through the regions_parent index */
    s = db_prepare(
        c, "SELECT " UNIT_COLS ", d.name, v.name FROM units u JOIN regions v ON v.parent_code = "
           "u.region_code JOIN regions d ON d.code = u.region_code LEFT JOIN units p ON p.id = "
           "u.parent_id WHERE u.type = 'kecamatan' AND v.level = 4 AND v.name_search LIKE $1 "
           "ESCAPE '\\' ORDER BY CASE WHEN v.name_search = $2 THEN 0 WHEN v.name_search LIKE $3 "
           "ESCAPE '\\' THEN 1 ELSE 2 END, v.name, u.name, v.code");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, any);
    db_bind_cstr(s, 2, key);
    db_bind_cstr(s, 3, prefix);
    while (k < limit && (r = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int(s, 0);
        bool listed = false;
        for (size_t i = 0; i < direct && !listed; i++)
            listed = m[i].u.id == id;
        if (listed) continue;
        fill(s, a, &m[k].u);
        m[k].via_district = col(s, a, 12);
        m[k].via_village = col(s, a, 13);
        k++;
    }
    db_finish(s);
    if (k < limit && r != DB_DONE) return r;
    *out = m;
    *n = k;
    unit **ps = arena_alloc(a, (k + 1) * sizeof *ps);
    for (size_t i = 0; i < k; i++)
        ps[i] = &m[i].u;
    return load_hours(c, ps, k);
}

static void now_utc(char *b, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(b, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int units_create(db_conn *c, const char *code, const char *parent_code, const char *type,
                 const char *name, const char *region_code, int tz_offset_min, bool *created)
{
    arena *a = arena_new(1024);
    char now[32];
    now_utc(now, sizeof now);
    int r = DB_ERR;
    db_stmt *s = db_prepare(
        c, "INSERT INTO units (code, parent_id, type, name, name_search, region_code, "
           "tz_offset_min, created_at) VALUES ($1, (SELECT id FROM units WHERE code = $2), $3, $4, "
           "$5, $6, $7, $8) ON CONFLICT (code) DO NOTHING");
    if (s) {
        db_bind_cstr(s, 1, code);
        db_bind_cstr(s, 2, parent_code);
        db_bind_cstr(s, 3, type);
        db_bind_cstr(s, 4, name);
        db_bind_cstr(s, 5, regions_fold(a, str_c(name)));
        db_bind_cstr(s, 6, region_code);
        db_bind_int(s, 7, tz_offset_min);
        db_bind_cstr(s, 8, now);
        r = db_step(s);
        db_finish(s);
        r = r == DB_DONE ? DB_OK : r;
        if (r == DB_OK && created) *created = db_changes(c) > 0;
    }
    arena_free(a);
    return r;
}

int units_upsert(db_conn *c, const char *code, const char *parent_code, const char *type,
                 const char *name, const char *region_code, int tz_offset_min, int64_t *id)
{
    arena *a = arena_new(1024);
    char now[32];
    now_utc(now, sizeof now);
    db_stmt *s = db_prepare(
        c, "INSERT INTO units (code, parent_id, type, name, name_search, region_code, "
           "tz_offset_min, created_at) VALUES ($1, (SELECT id FROM units WHERE code = $2), $3, "
           "$4, $5, $6, $7, $8) ON CONFLICT (code) DO UPDATE SET parent_id = excluded.parent_id, "
           "type = excluded.type, region_code = excluded.region_code, tz_offset_min = "
           "excluded.tz_offset_min");
    int r = DB_ERR;
    if (s) {
        db_bind_cstr(s, 1, code);
        db_bind_cstr(s, 2, parent_code);
        db_bind_cstr(s, 3, type);
        db_bind_cstr(s, 4, name);
        db_bind_cstr(s, 5, regions_fold(a, str_c(name)));
        db_bind_cstr(s, 6, region_code);
        db_bind_int(s, 7, tz_offset_min);
        db_bind_cstr(s, 8, now);
        r = db_step(s);
        db_finish(s);
        r = r == DB_DONE ? DB_OK : r;
    }
    if (r == DB_OK && id) {
        s = db_prepare(c, "SELECT id FROM units WHERE code = $1");
        if (!s) r = DB_ERR;
        else {
            db_bind_cstr(s, 1, code);
            r = db_step(s) == DB_ROW ? DB_OK : DB_ERR;
            if (r == DB_OK) *id = db_col_int(s, 0);
            db_finish(s);
        }
    }
    arena_free(a);
    return svc_catalog_touched(c, r); /* the time zone of deadlines */
}

int units_set_name(db_conn *c, const char *code, const char *name)
{
    arena *a = arena_new(1024);
    int r = DB_ERR;
    db_stmt *s = db_prepare(c, "UPDATE units SET name = $2, name_search = $3 WHERE code = $1");
    if (s) {
        db_bind_cstr(s, 1, code);
        db_bind_cstr(s, 2, name);
        db_bind_cstr(s, 3, regions_fold(a, str_c(name)));
        r = db_step(s);
        db_finish(s);
        if (r == DB_DONE) r = db_changes(c) > 0 ? DB_OK : DB_DONE;
    }
    arena_free(a);
    return r;
}

int units_set_contact(db_conn *c, const char *code, const char *address, const char *phone,
                      const char *email)
{
    db_stmt *s =
        db_prepare(c, "UPDATE units SET address = $2, phone = $3, email = $4 WHERE code = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, code);
    db_bind_cstr(s, 2, address);
    db_bind_cstr(s, 3, phone);
    db_bind_cstr(s, 4, email);
    int r = db_step(s);
    db_finish(s);
    if (r == DB_DONE) return db_changes(c) > 0 ? DB_OK : DB_DONE;
    return r;
}

int units_set_hours(db_conn *c, const char *code, const unit_hours *h, int n)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM units WHERE code = $1");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, code);
    int r = db_step(s);
    int64_t id = r == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (r != DB_ROW) return r;
    s = db_prepare(c, "DELETE FROM unit_hours WHERE unit_id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    for (int i = 0; i < n; i++) {
        s = db_prepare(c, "INSERT INTO unit_hours (unit_id, weekday, opens_min, closes_min, "
                          "break_start_min, break_end_min) VALUES ($1, $2, $3, $4, $5, $6)");
        if (!s) return DB_ERR;
        bool brk = h[i].break_start_min >= 0 && h[i].break_end_min >= 0;
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, h[i].weekday);
        db_bind_int(s, 3, h[i].opens_min);
        db_bind_int(s, 4, h[i].closes_min);
        if (brk) db_bind_int(s, 5, h[i].break_start_min);
        else db_bind_null(s, 5);
        if (brk) db_bind_int(s, 6, h[i].break_end_min);
        else db_bind_null(s, 6);
        r = db_step(s);
        db_finish(s);
        if (r != DB_DONE) return r;
    }
    return svc_catalog_touched(c, DB_OK); /* deadlines count working hours */
}

int units_tz_for_province(str p)
{
    /* by Kemendagri province code: WIB for Sumatra, Java, West and Central Kalimantan; WITA for
     * Bali, Nusa Tenggara, South/East/North Kalimantan and Sulawesi; WIT for Maluku, North Maluku
     * and the Papua provinces */
    static const struct {
        int code, tz;
    } t[] = {{11, 420}, {12, 420}, {13, 420}, {14, 420}, {15, 420}, {16, 420}, {17, 420}, {18, 420},
             {19, 420}, {21, 420}, {31, 420}, {32, 420}, {33, 420}, {34, 420}, {35, 420}, {36, 420},
             {51, 480}, {52, 480}, {53, 480}, {61, 420}, {62, 420}, {63, 480}, {64, 480}, {65, 480},
             {71, 480}, {72, 480}, {73, 480}, {74, 480}, {75, 480}, {76, 480}, {81, 540}, {82, 540},
             {91, 540}, {92, 540}, {93, 540}, {94, 540}, {95, 540}, {96, 540}};
    long code;
    if (p.n != 2 || !str_to_long(p, 11, 99, &code)) return -1;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (t[i].code == code) return t[i].tz;
    return -1;
}

int units_calendar(db_conn *c, arena *a, const unit *u, const char *from, const char *to,
                   cal_calendar *out)
{
    cal_init(out, u->tz_offset_min);
    /* opening hours replace the engine's default; a weekday without hours is closed */
    for (int w = 0; w < 7; w++)
        out->hours[w] = (cal_hours){false, 0, 0, 0, 0};
    for (int i = 0; i < u->nhours; i++) {
        const unit_hours *h = &u->hours[i];
        int w = h->weekday % 7; /* 1 = Monday .. 7 = Sunday -> 0 = Sunday */
        bool brk = h->break_start_min >= 0 && h->break_end_min > h->break_start_min;
        out->hours[w] = (cal_hours){true, h->opens_min, h->closes_min, brk ? h->break_start_min : 0,
                                    brk ? h->break_end_min : 0};
    }
    holiday *hs;
    size_t n;
    int r = holidays_list(c, a, from, to, &hs, &n);
    if (r != DB_OK) return r;
    cal_holiday *ch = arena_alloc(a, (n + 1) * sizeof *ch);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        cal_date d;
        if (!cal_date_parse(hs[i].date, strlen(hs[i].date), &d)) continue;
        ch[k].day = cal_days_from_civil(d.y, d.m, d.d);
        ch[k].kind = strcmp(hs[i].kind, "cuti_bersama") == 0 ? CAL_HOLIDAY_CUTI_BERSAMA
                                                             : CAL_HOLIDAY_NATIONAL;
        k++;
    }
    cal_sort_holidays(ch, k);
    out->holidays = ch;
    out->nholidays = k;
    return DB_OK;
}

int64_t units_id(db_conn *c, const char *code)
{
    db_stmt *s =
        db_prepare(c, code ? "SELECT id FROM units WHERE code = $1"
                           : "SELECT id FROM units WHERE type = 'pemda' ORDER BY id LIMIT 1");
    if (!s) return 0;
    if (code) db_bind_cstr(s, 1, code);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    return id;
}

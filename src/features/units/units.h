/* units: the government unit tree (pemda -> OPD -> service points) with addresses, contact,
 * time zone and opening hours. Store operations; the web handlers are in web.h.
 *
 * A unit's code is its stable public key: "pemda", "disdukcapil", and for a kecamatan service
 * point the kecamatan's Kemendagri code ("32.73.01"), which is also its region_code. Strings
 * returned by the readers live in the caller's arena. */
#ifndef LAYAN_UNITS_H
#define LAYAN_UNITS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/calendar.h"
#include "db/db.h"
#include "lib/arena.h"

typedef struct {
    int weekday; /* 1 = Monday .. 7 = Sunday */
    int opens_min, closes_min;
    int break_start_min, break_end_min; /* -1 when there is no break */
} unit_hours;

/* a facility of a unit (unit_facilities): code is one of units_facility_codes */
typedef struct {
    const char *code, *note; /* note NULL when there is none */
} unit_facility;

typedef struct {
    int64_t id;
    const char *code, *parent_code, *type, *name, *region_code, *address, *phone, *email;
    int tz_offset_min; /* 420 WIB, 480 WITA, 540 WIT */
    bool has_geo;
    double lat, lon;
    unit_hours hours[7];
    int nhours;
    /* filled only by units_facilities_load (facilities.c); the readers above leave them empty */
    bool facilities_loaded;
    const unit_facility *facilities;
    size_t nfacilities;
} unit;

typedef struct {
    unit u;
    const char *via_village;  /* set when the match came through a kelurahan/desa name */
    const char *via_district; /* the kecamatan the service point serves, when it serves one */
} unit_match;

/* every unit: the pemda, then the OPD, then service points by name */
int units_list(db_conn *c, arena *a, unit **out, size_t *n);
int units_get(db_conn *c, arena *a, str code, unit *out); /* DB_DONE when absent */
/* the id of the unit with this code, or of the pemda when code is NULL; 0 when there is none */
int64_t units_id(db_conn *c, const char *code);
/* service points matching q by unit name, the name of the kecamatan a service point serves, or
 * the name of a kelurahan/desa in it. Matching compares regions_fold() keys (case, accents,
 * apostrophes, spaces and punctuation do not matter); q needs >= 2 letters or digits, else no
 * results and DB_OK. Direct matches come first (exact, then prefix, then the rest, by name),
 * then matches through a village for service points not already listed, at most `limit`. */
int units_search(db_conn *c, arena *a, str q, size_t limit, unit_match **out, size_t *n);

/* the unit's working-day calendar (core/calendar.h): its time zone, opening hours, and the
 * holidays from `from` to `to` (YYYY-MM-DD), allocated in the arena */
int units_calendar(db_conn *c, arena *a, const unit *u, const char *from, const char *to,
                   cal_calendar *out);

/* writes (init, demo, admin later) */
/* creates the unit when no unit has that code; an existing one is left exactly as it is.
 * *created (may be NULL) says which. parent_code NULL for the root. */
int units_create(db_conn *c, const char *code, const char *parent_code, const char *type,
                 const char *name, const char *region_code, int tz_offset_min, bool *created);
/* creates or updates the structural fields (parent, type, region, time zone), keeping the name
 * and contact of an existing unit */
int units_upsert(db_conn *c, const char *code, const char *parent_code, const char *type,
                 const char *name, const char *region_code, int tz_offset_min, int64_t *id);
/* renames a unit (and its search key: always rename through here); DB_DONE when absent */
int units_set_name(db_conn *c, const char *code, const char *name);
/* DB_DONE when no unit has the code */
int units_set_contact(db_conn *c, const char *code, const char *address, const char *phone,
                      const char *email);
/* replaces the unit's opening hours with h[0..n) (a weekday not in h is closed);
 * DB_ECONSTRAINT for hours the schema refuses (closing before opening, a break outside) */
int units_set_hours(db_conn *c, const char *code, const unit_hours *h, int n);
/* the UTC offset of a province's time zone: WIB 420, WITA 480, WIT 540; -1 for an unknown code */
int units_tz_for_province(str province_code);

/* facilities.c: the facilities of a unit and the admin writes the readers above lack */
#define UNITS_NFACILITIES 9
/* in display order: parking, waiting_room, toilet, lactation_room, prayer_room, play_area,
 * wheelchair, priority_counter, information_desk (the CHECK in 0003_catalogue.sql) */
extern const char *const units_facility_codes[UNITS_NFACILITIES];
/* the English msgid of a facility's name ("Wheelchair access"), NULL for an unknown code */
const char *units_facility_msgid(const char *code);
/* fills u->facilities (display order) and sets u->facilities_loaded */
int units_facilities_load(db_conn *c, arena *a, unit *u);
/* the same for every unit in us[0..n) with one query */
int units_facilities_load_all(db_conn *c, arena *a, unit *us, size_t n);
/* replaces the unit's facilities with f[0..n); DB_DONE when no unit has the code */
int units_facilities_set(db_conn *c, const char *code, const unit_facility *f, size_t n);
/* sets or (has_geo false) clears the map coordinates; DB_DONE when absent */
int units_set_geo(db_conn *c, const char *code, bool has_geo, double lat, double lon);
/* sets the UTC offset in minutes (420 WIB, 480 WITA, 540 WIT); DB_DONE when absent */
int units_set_tz(db_conn *c, const char *code, int tz_offset_min);

#endif

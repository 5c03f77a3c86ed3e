/* units: the government unit tree (pemda -> OPD -> service points) with addresses, contact,
 * time zone and opening hours. Store operations; the web handlers are in web.h. */
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

typedef struct {
    int64_t id;
    const char *code, *parent_code, *type, *name, *region_code, *address, *phone, *email;
    int tz_offset_min; /* 420 WIB, 480 WITA, 540 WIT */
    bool has_geo;
    double lat, lon;
    unit_hours hours[7];
    int nhours;
} unit;

typedef struct {
    unit u;
    const char *via_village; /* set when the match came through a kelurahan/desa name */
} unit_match;

/* every unit: the pemda, then the OPD, then service points by name */
int units_list(db_conn *c, arena *a, unit **out, size_t *n);
int units_get(db_conn *c, arena *a, str code, unit *out); /* DB_DONE when absent */
/* service points matching q (>= 2 characters) by unit name, kecamatan name, or the name of a
 * kelurahan/desa in the kecamatan a service point serves */
int units_search(db_conn *c, arena *a, str q, size_t limit, unit_match **out, size_t *n);

/* the unit's working-day calendar (core/calendar.h): its time zone, opening hours, and the
 * holidays from `from` to `to` (YYYY-MM-DD), allocated in the arena */
int units_calendar(db_conn *c, arena *a, const unit *u, const char *from, const char *to,
                   cal_calendar *out);

/* writes (init, demo, admin later) */
int units_upsert(db_conn *c, const char *code, const char *parent_code, const char *type,
                 const char *name, const char *region_code, int tz_offset_min, int64_t *id);
int units_set_contact(db_conn *c, const char *code, const char *address, const char *phone,
                      const char *email);
int units_set_hours(db_conn *c, const char *code, const unit_hours *h, int n);

#endif

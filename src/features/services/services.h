/* services: the service catalogue. A service type is defined once (code "ktp-baru", owned by
 * Disdukcapil) and offered at many service points, each with local overrides. Its standard
 * (standar pelayanan) carries the 14 components of UU 25/2009 and is versioned: an edit adds a
 * version, the one in force on a date is the highest version whose effective_from is on or
 * before it. Each unit has a maklumat pelayanan, versioned the same way.
 * Strings returned by the readers live in the caller's arena. See docs/internals/catalogue.md. */
#ifndef LAYAN_SERVICES_H
#define LAYAN_SERVICES_H
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "lib/arena.h"
#include "lib/str.h"

typedef struct {
    int pos;
    const char *doc_type, *label;
    bool required, original_shown;
    const char *cond, *cond_label; /* NULL when unconditional */
    const char *file_types;        /* "jpg,png,pdf" */
} svc_requirement;

typedef struct {
    int pos;
    const char *actor; /* pemohon | petugas | kepala_unit | kurir | sistem */
    const char *text;
} svc_step;

/* the 14 components: index into svc_standard.text[] for the free-text ones */
enum svc_component {
    /* service delivery (published) */
    SVC_C_PERSYARATAN,
    SVC_C_PROSEDUR,
    SVC_C_WAKTU,
    SVC_C_BIAYA,
    SVC_C_PRODUK,
    SVC_C_PENGADUAN,
    /* manufacturing (internal) */
    SVC_C_DASAR_HUKUM,
    SVC_C_SARANA,
    SVC_C_KOMPETENSI,
    SVC_C_PENGAWASAN,
    SVC_C_JUMLAH_PELAKSANA,
    SVC_C_JAMINAN_PELAYANAN,
    SVC_C_JAMINAN_KEAMANAN,
    SVC_C_EVALUASI,
    SVC_NCOMPONENTS
};
#define SVC_NDELIVERY 6
/* stable code of a component ("persyaratan", "dasar_hukum"...), for forms, JSON and exports */
const char *svc_component_code(int c);
/* the component's Indonesian name as the regulation writes it; pass it through gettext */
const char *svc_component_name(int c);

typedef struct {
    int64_t id, service_id;
    int version;
    const char *decree_number, *decree_date; /* NULL when not stipulated */
    const char *effective_from, *review_due, *participation, *change_note;
    int time_limit_value;
    const char *time_limit_unit; /* "hours" | "days" */
    int64_t cost_amount;
    const char *cost_note;
    /* free text of the components that have no structure here; NULL when missing.
     * text[SVC_C_PRODUK], text[SVC_C_PENGADUAN], text[SVC_C_DASAR_HUKUM] ... text[SVC_C_EVALUASI]
     */
    const char *text[SVC_NCOMPONENTS];
    const char *created_by, *created_at; /* created_by: the staff member's name, NULL for init */
    svc_requirement *reqs;
    size_t nreqs;
    svc_step *steps;
    size_t nsteps;
} svc_standard;

typedef struct {
    int pos;
    const char *code, *datatype, *label, *description, *choices; /* choices: "key=Name" lines */
    bool required;
} svc_field;

typedef struct {
    int64_t id;
    const char *code, *name, *summary, *category, *owner_code;
    bool free_by_law, active;
    int sort;
    const char **events; /* life events, e.g. "anak-lahir" */
    size_t nevents;
} service;

typedef struct {
    const char *unit_code, *unit_name, *unit_type;
    int time_limit_value; /* 0 = the standard's */
    const char *time_limit_unit;
    int counters; /* -1 unknown */
    const char *note;
    bool active; /* false: turned off here (kept, so init does not offer it again) */
    int nhours;  /* service-specific hours; 0 = the unit's hours */
    struct {
        int weekday, opens_min, closes_min;
    } hours[7];
} svc_point;

typedef struct {
    const char *q;     /* name or summary contains, folded; NULL or "" = all */
    const char *event; /* life event; NULL = all */
    const char *unit;  /* offered at this unit code; NULL = anywhere */
    bool include_inactive;
} svc_filter;

/* the life events a citizen can filter by, NULL-terminated, in display order */
extern const char *const svc_events[];
bool svc_event_known(str e);

int svc_list(db_conn *c, arena *a, const svc_filter *f, service **out, size_t *n);
int svc_get(db_conn *c, arena *a, str code, service *out); /* DB_DONE when absent */

/* the standard in force on `date` (YYYY-MM-DD; NULL = today in UTC+7 is NOT assumed: pass it),
 * with requirements and steps; DB_DONE when none is in force yet */
int svc_standard_at(db_conn *c, arena *a, int64_t service_id, const char *date, svc_standard *out);
/* one version, with requirements and steps; DB_DONE when absent */
int svc_standard_version(db_conn *c, arena *a, int64_t service_id, int version, svc_standard *out);
/* every version, newest first, without requirements and steps */
int svc_standard_versions(db_conn *c, arena *a, int64_t service_id, svc_standard **out, size_t *n);
/* adds a version (version number = last + 1, returned in *version). For a free_by_law service
 * the cost is forced to 0. actor_id 0 = the system (init). Caller holds the transaction. */
int svc_standard_add(db_conn *c, int64_t service_id, const svc_standard *s, int64_t actor_id,
                     int *version);

int svc_points(db_conn *c, arena *a, int64_t service_id, svc_point **out, size_t *n);
/* every point including the ones turned off (admin pages) */
int svc_points_all(db_conn *c, arena *a, int64_t service_id, svc_point **out, size_t *n);
/* turns the service on or off at a unit that offers it; DB_DONE when it is not offered there */
int svc_point_set_active(db_conn *c, int64_t service_id, const char *unit_code, bool active);
/* replaces the service's own hours at the point (n = 0: follow the unit's hours) */
int svc_point_set_hours(db_conn *c, int64_t service_id, const char *unit_code, const int *weekday,
                        const int *opens_min, const int *closes_min, int n);
/* services offered at a unit (its own points), by sort order */
int svc_fields(db_conn *c, arena *a, int64_t service_id, svc_field **out, size_t *n);

/* what every catalogue writer returns through: on DB_OK, per-node caches of catalogue rows
 * (the catalogue API, requests/catalog.c) are dropped once the caller's transaction has
 * committed (at once outside one). Returns r. */
int svc_catalog_touched(db_conn *c, int r);

/* writes used by init and the admin pages */
typedef struct {
    const char *code, *owner_code, *name, *summary, *category;
    bool free_by_law;
    int sort;
    const char *const *events; /* NULL-terminated */
} svc_def;
/* creates the service when its code is new (*created says so); an existing one is untouched */
int svc_create(db_conn *c, const svc_def *d, int64_t *id, bool *created);
int svc_offer(db_conn *c, int64_t service_id, const char *unit_code); /* idempotent */
int svc_set_point(db_conn *c, int64_t service_id, const char *unit_code, int time_limit_value,
                  const char *time_limit_unit, int counters, const char *note);
int svc_set_fields(db_conn *c, int64_t service_id, const svc_field *f, size_t n);

/* maklumat pelayanan */
typedef struct {
    int64_t id;
    int version;
    const char *unit_code, *body, *signatory_name, *signatory_title, *stipulated_on;
    const char *channels; /* comma list: kantor, situs, media-sosial, spanduk, aplikasi */
    const char *created_at;
} svc_maklumat;
/* the current maklumat of a unit, or of the nearest unit above it that has one (a kecamatan
 * service point serves under Disdukcapil's pledge unless it has its own); DB_DONE when none */
int svc_maklumat_current(db_conn *c, arena *a, const char *unit_code, svc_maklumat *out);
int svc_maklumat_versions(db_conn *c, arena *a, const char *unit_code, svc_maklumat **out,
                          size_t *n);
int svc_maklumat_add(db_conn *c, const char *unit_code, const svc_maklumat *m, int64_t actor_id,
                     int *version);

/* completeness: one row per (service point, service) in scope. unit_code NULL = all units. */
typedef struct {
    const char *unit_code, *unit_name, *service_code, *service_name;
    int version;         /* 0 = no standard in force */
    bool stipulated;     /* decree number and date present */
    bool review_overdue; /* review_due before today */
    const char *review_due;
    bool missing[SVC_NCOMPONENTS];
    int nmissing;
    bool has_maklumat;
} svc_gap;
int svc_completeness(db_conn *c, arena *a, const char *unit_code, const char *today, svc_gap **out,
                     size_t *n);
/* which of the 14 components a standard lacks (pure; also used by the admin form) */
int svc_missing_components(const svc_standard *s, bool missing[SVC_NCOMPONENTS]);

/* init: the Disdukcapil catalogue of domain.md §2, offered at Disdukcapil and every kecamatan
 * service point, with a first standard and a maklumat. Idempotent. */
int svc_seed_adminduk(db_conn *c, int *services_added);

#endif

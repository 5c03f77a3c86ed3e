/* skm: the satisfaction survey of PermenPANRB 14/2017 (domain.md §5): versioned instruments,
 * survey periods per unit, anonymous responses keyed by element code, and the index (IKM) of a
 * period for a unit, for a unit with the units below it, and per service. The arithmetic is
 * core/ikm; this module loads and stores. Design: docs/internals/skm.md.
 *
 * Strings returned by the readers live in the caller's arena. Functions return DB_OK, DB_DONE
 * (absent), a negative DB_E*, or SKM_EINVALID when the input breaks a rule; then err (English,
 * plain words, for the person who typed or uploaded it) says which. */
#ifndef LAYAN_SKM_H
#define LAYAN_SKM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ikm.h"
#include "db/db.h"
#include "lib/arena.h"
#include "lib/str.h"

#define SKM_EINVALID (-100)
#define SKM_NO_RESPONSES (-10) /* skm_result.status: the period has no responses (in scope) */
#define SKM_TEXT_MAX 100       /* bytes of a free-text profile field */

typedef struct {
    const char *code;  /* "U1": upper-case letter, then up to 7 upper-case letters or digits */
    const char *label; /* "Persyaratan" */
    int pos;           /* 1.. order on the questionnaire (display only) */
    int64_t weight_num, weight_den;
    const char *answers[4]; /* labels of the answers 1..4 */
} skm_element;

typedef struct {
    int64_t id;
    int64_t unit_id;       /* 0: the government-wide default */
    const char *unit_code; /* NULL for the default */
    int version;
    const char *name, *rounding_rule, *ladder_name, *created_at;
    skm_element *el; /* by pos */
    size_t nel;
} skm_instrument;

/* the nine elements of PermenPANRB 14/2017 with their official answer labels, weights 1/9 */
extern const skm_element skm_default_elements[9];
#define SKM_DEFAULT_NAME "PermenPANRB 14/2017"

/* creates the default instrument (version 1, government-wide) when there is none; safe to run
 * again and by two processes at once. *created (may be NULL) says whether this call made it. */
int skm_seed_default(db_conn *c, bool *created);
int skm_instrument_get(db_conn *c, arena *a, int64_t id, skm_instrument *out);
/* the unit's own newest version, else the newest default; DB_DONE when neither exists */
int skm_instrument_current(db_conn *c, arena *a, int64_t unit_id, skm_instrument *out);
/* a version of the unit's own instruments (unit_id 0: of the default) */
int skm_instrument_version(db_conn *c, arena *a, int64_t unit_id, int version, skm_instrument *out);
/* a new version for the unit (unit_id 0: a new default), numbered after the scope's newest.
 * Elements are checked: codes valid and distinct, labels and the four answer labels present,
 * weights summing to exactly 1 (SKM_EINVALID otherwise). ladder NULL: the default ladder. */
int skm_instrument_create(db_conn *c, int64_t unit_id, const char *name, const char *ladder,
                          const skm_element *el, size_t n, int64_t *id, int *version, char *err,
                          size_t errlen);

typedef struct {
    int64_t id, unit_id, instrument_id;
    const char *unit_code;
    const char *code;                /* canonical: "2026-Q1" */
    const char *kind;                /* year, semester, quarter, custom */
    const char *starts_on, *ends_on; /* YYYY-MM-DD, inclusive */
    const char *status;              /* open, closed, published */
    bool has_walkin;
    int64_t walkin_count; /* services delivered outside layan, entered by the unit */
} skm_period;

/* the unit's period of that code ("2026-q1" finds "2026-Q1"); SKM_EINVALID for a code that is
 * not a period, DB_DONE when the unit has none */
int skm_period_get(db_conn *c, arena *a, int64_t unit_id, const char *code, skm_period *out,
                   char *err, size_t errlen);
/* creates the unit's period with instrument_id (0: the unit's current instrument);
 * DB_ECONSTRAINT when it exists */
int skm_period_create(db_conn *c, arena *a, int64_t unit_id, const char *code,
                      int64_t instrument_id, skm_period *out, char *err, size_t errlen);
/* gets the period, creating it with the current instrument when missing */
int skm_period_ensure(db_conn *c, arena *a, int64_t unit_id, const char *code, skm_period *out,
                      bool *created, char *err, size_t errlen);
/* the walk-in count of a period (n >= 0); DB_DONE when there is no such period */
int skm_period_set_walkin(db_conn *c, int64_t period_id, int64_t n);
/* the unit's periods by start date, then code */
int skm_periods_list(db_conn *c, arena *a, int64_t unit_id, skm_period **out, size_t *n);

typedef struct {
    const char *code; /* element code */
    int value;        /* 1..4 */
} skm_answer;

typedef struct {
    const char *channel;                          /* link, kiosk, paper, import */
    const char *service_code;                     /* the catalogue's service, or NULL */
    const char *jenis_kelamin;                    /* "L", "P" or NULL */
    int umur;                                     /* 10..120, 0 = not given */
    const char *pendidikan, *pekerjaan, *layanan; /* free text or NULL */
    const char *tanggal;                          /* YYYY-MM-DD inside the period, or NULL */
    const skm_answer *answers;                    /* elements not answered are simply absent */
    size_t nanswers;
} skm_response;

/* checks a response against the period and its instrument (ins->id == p->instrument_id):
 * known element codes, each at most once, values 1..4, at least one answer, and the profile
 * fields. No database access; SKM_EINVALID with the reason in err. */
int skm_response_check(const skm_period *p, const skm_instrument *ins, const skm_response *r,
                       char *err, size_t errlen);
/* checks, then stores the response and its answers (the caller owns the transaction) */
int skm_response_add(db_conn *c, const skm_period *p, const skm_instrument *ins,
                     const skm_response *r, int64_t *id, char *err, size_t errlen);

/* a CSV of responses (header with element codes and optional profile columns, see
 * docs/guide-skm.md) into the unit's period, created when missing. All or nothing: in its own
 * transaction, nothing is written when any row is bad; each problem found (up to `maxerr`) is
 * written to errs as "line N: ...", one per line. Returns DB_OK with *imported, SKM_EINVALID, or
 * a DB_E*. */
int skm_import_csv(db_conn *c, arena *a, int64_t unit_id, const char *period_code, str data,
                   long *imported, bool *period_created, int maxerr, char *errs, size_t errlen);

typedef struct {
    int status; /* IKM_OK; SKM_NO_RESPONSES; IKM_E_NO_ANSWERS (r.bad_element); IKM_E_* */
    const char *unit_code, *period_code, *service_code;
    bool with_subunits;
    int64_t nperiods;        /* periods pooled: 1, or those of the subtree */
    skm_instrument ins;      /* elements and weights used */
    bool has_population;     /* some walk-in count was entered */
    int64_t population;      /* N */
    int64_t sample_required; /* Krejcie & Morgan from N; -1 without N */
    int64_t responses;       /* questionnaires in scope */
    int64_t sums[IKM_MAX_ELEMENTS], counts[IKM_MAX_ELEMENTS]; /* by ins.el */
    ikm_result r;
} skm_result;

/* the index of the unit's period `code`; with subunits, of the periods of that code of the unit
 * and every unit below it, their answers pooled (the instrument is the unit's period's, or its
 * current one when only units below it ran the period); service_code NULL: all services.
 * DB_OK with out->status saying whether the index could be computed; DB_DONE when no period of
 * that code exists in scope; SKM_EINVALID for a bad code. */
int skm_result_compute(db_conn *c, arena *a, int64_t unit_id, const char *period_code,
                       bool with_subunits, const char *service_code, skm_result *out, char *err,
                       size_t errlen);
/* the results of the unit's periods of one kind (0: all) in date order, for a trend */
int skm_trend(db_conn *c, arena *a, int64_t unit_id, bool with_subunits, char kind,
              skm_result **out, size_t *n);

#endif

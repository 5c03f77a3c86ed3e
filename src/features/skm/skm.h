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

/* ---- running a period and collecting answers (store_admin.c; web: admin.c, kiosk.c) ---- */
#define SKM_EUSED (-101)  /* the one-time link was answered already */
#define SKM_KIOSK_GAP 20  /* seconds between two answers at one kiosk */
#define SKM_LINK_TOKEN 44 /* bytes of a kiosk or link token with its NUL (CR_TOKEN_LEN + 1) */

/* a period with its unit's name and the number of questionnaires so far */
typedef struct {
    skm_period p;
    const char *unit_name;
    int64_t responses;
} skm_period_row;

/* the period with that id; DB_DONE when absent */
int skm_period_by_id(db_conn *c, arena *a, int64_t id, skm_period *out);
/* every period of every unit, newest first (callers filter by the units a person may see) */
int skm_periods_all(db_conn *c, arena *a, skm_period_row **out, size_t *n);
/* open -> closed, closed -> open (reopened), closed -> published, published -> closed
 * (withdrawn); SKM_EINVALID for any other step, DB_DONE when there is no such period.
 * now: "YYYY-MM-DDTHH:MM:SSZ" recorded as closed_at / published_at */
int skm_period_set_status(db_conn *c, int64_t period_id, const char *status, const char *now);
/* questionnaires of the period by channel: link, kiosk, paper, import, and all of them */
typedef struct {
    int64_t link, kiosk, paper, import, total;
} skm_counts;
int skm_period_counts(db_conn *c, int64_t period_id, skm_counts *out);

typedef struct {
    int64_t id, period_id, unit_id, created_by, answers;
    const char *unit_code, *period_code, *service_code, *place;
    const char *created_at, *expires_at, *revoked_at; /* UTC "YYYY-MM-DDTHH:MM:SSZ" */
    int64_t last_answer_at;                           /* 0: none yet */
} skm_kiosk;

/* a kiosk for the period behind `token` (random, or cr_derived_token() so that a resubmitted
 * form finds the kiosk it started with skm_kiosk_find); only the token's hash is stored.
 * DB_ECONSTRAINT when a kiosk (even a stopped one) has this token already. */
int skm_kiosk_start(db_conn *c, int64_t period_id, const char *service_code, const char *place,
                    const char *expires_at, int64_t by, const char *now, int64_t *id,
                    const char token[SKM_LINK_TOKEN]);
/* the kiosk of a token that is neither revoked nor expired (now: "YYYY-MM-DDTHH:MM:SSZ");
 * DB_DONE otherwise */
int skm_kiosk_find(db_conn *c, arena *a, str token, const char *now, skm_kiosk *out);
/* the kiosk with that id, whatever its state; DB_DONE when absent */
int skm_kiosk_get(db_conn *c, arena *a, int64_t id, skm_kiosk *out);
/* the kiosks of a period (period_id 0: of every period), newest first */
int skm_kiosks_list(db_conn *c, arena *a, int64_t period_id, skm_kiosk **out, size_t *n);
int skm_kiosk_revoke(db_conn *c, int64_t id, const char *now); /* DB_DONE: none or revoked */
/* takes the kiosk's answer slot at `now` (epoch seconds): DB_OK, or DB_EBUSY with the seconds
 * to wait in *wait when the last answer was less than SKM_KIOSK_GAP seconds ago. One UPDATE:
 * two tablets sharing a token cannot both pass. Run it in the transaction that stores the
 * answer, so a refused answer does not take the slot. */
int skm_kiosk_take_slot(db_conn *c, int64_t kiosk_id, int64_t now, int64_t *wait);

/* the one-time link sent after a service (docs/guide-skm.md, "Anonymity of the link after a
 * service"): a new random token for the unit's period `period_code` (NULL: the unit's open
 * period that contains `today`, the service point's local date "YYYY-MM-DD", the shortest one
 * when several do) and the service (may be NULL).
 * Only the hash is stored, with the period and the service: no request, person or time.
 * DB_DONE when the unit has no such open period (no survey running: send no link). */
int skm_link_issue(db_conn *c, int64_t unit_id, const char *service_code, const char *period_code,
                   const char *today, char token_out[SKM_LINK_TOKEN]);
/* the link of a token: its period and service, and whether it was used; DB_DONE unknown */
int skm_link_find(db_conn *c, arena *a, str token, skm_period *p, const char **service_code,
                  bool *used);
/* marks the link used and stores the response (channel 'link'), with no reference between
 * the two; SKM_EUSED when it was used already. The caller owns the transaction. */
int skm_link_answer(db_conn *c, str token, const skm_period *p, const skm_instrument *ins,
                    const skm_response *r, char *err, size_t errlen);

/* the follow-up plan (rencana tindak lanjut) of a period */
typedef struct {
    int64_t id, period_id;
    const char *element_code; /* the element addressed, NULL for another issue */
    const char *item;         /* the problem, in a few words */
    const char *action, *owner;
    const char *due_date;   /* YYYY-MM-DD or NULL */
    const char *status;     /* planned, in_progress, done, dropped */
    const char *evidence;   /* text or a link, NULL */
    const char *done_at;    /* YYYY-MM-DD when done */
    const char *created_at; /* YYYY-MM-DD */
} skm_followup;

typedef struct {
    int64_t total, done, dropped; /* share completed = done / (total - dropped) */
    int64_t pct_done;             /* 0..100 rounded half up; -1 when nothing counts */
    int64_t avg_days_e1;          /* average days from created_at to done_at x 10; -1: none */
} skm_followup_summary;

int skm_followups_list(db_conn *c, arena *a, int64_t period_id, skm_followup **out, size_t *n);
int skm_followup_get(db_conn *c, arena *a, int64_t id, skm_followup *out); /* DB_DONE absent */
/* checks and stores f (f->id 0: a new item, its id set); today "YYYY-MM-DD" is created_at of a
 * new item and done_at when the status becomes done without one. SKM_EINVALID with err. */
int skm_followup_save(db_conn *c, skm_followup *f, const char *today, char *err, size_t errlen);
void skm_followup_summarize(const skm_followup *f, size_t n, skm_followup_summary *out);

/* ---- published results (store_public.c): reads for the public pages and reports ---- */

/* the respondent profile fields a result can be broken down by */
enum skm_profile {
    SKM_PROF_JK,         /* jenis_kelamin: "L", "P" */
    SKM_PROF_UMUR,       /* age band: "10-19", "20-29" ... "50-59", "60+" */
    SKM_PROF_PENDIDIKAN, /* free text as stored */
    SKM_PROF_PEKERJAAN,
    SKM_PROF_LAYANAN,
    SKM_NPROFILES
};
#define SKM_K_MIN 5 /* a profile group smaller than this is never shown on its own */

typedef struct {
    const char *value; /* the stored value or age band; NULL: not given; "" after merging: the
                          small groups together */
    int64_t responses;
    int64_t sums[IKM_MAX_ELEMENTS], counts[IKM_MAX_ELEMENTS]; /* by ins->el */
} skm_group;

/* responses per value of one profile field, with each group's answer sums and counts by the
 * instrument's elements, in the scope of skm_result_compute (the period, or the periods of its
 * code in the unit's subtree), largest group first (age bands in age order), not given last
 * among equals */
int skm_pub_groups(db_conn *c, arena *a, int64_t unit_id, const skm_period *p, bool with_subunits,
                   const skm_instrument *ins, enum skm_profile f, skm_group **out, size_t *n);
/* k-anonymity: groups with fewer than k respondents are merged into one group with value ""
 * placed last; returns the new count. *hidden (may be NULL) is set when that merged group
 * itself has fewer than k respondents (the caller then shows only its size, no index). */
size_t skm_groups_merge_small(skm_group *g, size_t n, int64_t k, bool *hidden);
/* the age band of an age, as skm_pub_groups names it ("" for 0: not given) */
const char *skm_age_band(int umur);

typedef struct {
    const char *jenis_kelamin, *pendidikan, *pekerjaan, *layanan; /* NULL when not given */
    int umur;                                                     /* 0 when not given */
    const char *umur_band;        /* skm_age_band(umur); publishers may coarsen it */
    int values[IKM_MAX_ELEMENTS]; /* by ins->el: 1..4, 0 when not answered */
} skm_pub_row;
/* the period's questionnaires in the order received (DB_ERR past SKM_PUB_ROWS_MAX):
 * profile fields and answers only, no date, channel or link */
#define SKM_PUB_ROWS_MAX 200000
int skm_pub_rows(db_conn *c, arena *a, const skm_period *p, const skm_instrument *ins,
                 skm_pub_row **out, size_t *n);

/* the periods with this code of the units strictly below the unit: how many, and how many of
 * them are not published (a roll-up is public only when none is) */
int skm_pub_below(db_conn *c, int64_t unit_id, const char *code, int64_t *below,
                  int64_t *unpublished);

#endif

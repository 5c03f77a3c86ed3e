/* core/ikm: the satisfaction index (IKM) of PermenPANRB 14/2017 in exact arithmetic, the
 * Krejcie & Morgan minimum sample, and survey period codes. Pure: no I/O, no allocation.
 *
 * Rules (domain.md §5, design in docs/internals/skm.md):
 *   NRR_u  = sum of the answers to element u / number of respondents who answered u
 *   IKM    = sum over u of NRR_u * w_u, the weights exact fractions that sum to exactly 1
 *   IKM_25 = IKM * 25, rounded once, at the end, to 2 decimals, half up
 * Nothing is rounded on the way: the index is kept as one fraction in a fixed-width big integer
 * (see IKM_MAX_* for the bounds that make it fit), and the only rounding is of that fraction.
 * Every element must have at least one answer: NRR of an element nobody answered is undefined,
 * and the regulation gives no rule to drop it, so the index is then not computed
 * (IKM_E_NO_ANSWERS, with the element's index in ikm_result.bad_element).
 * The class ladder (mutu A-D, kinerja) is data with a version name, not constants in code. */
#ifndef LAYAN_CORE_IKM_H
#define LAYAN_CORE_IKM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"

#define IKM_MAX_ELEMENTS 32        /* elements of one instrument */
#define IKM_MAX_WEIGHT_DEN 1000000 /* a weight's denominator (1/9, 2/9, 1/18 ... need far less) */
#define IKM_MAX_COUNT 4000000000LL /* respondents answering one element */
#define IKM_ROUNDING_RULE "half-up-2" /* recorded with every instrument and result */

enum ikm_status {
    IKM_OK = 0,
    IKM_E_WEIGHTS = -1,    /* a weight is not in (0, 1] or the weights do not sum to exactly 1 */
    IKM_E_NO_ANSWERS = -2, /* an element has no answers (bad_element says which) */
    IKM_E_RANGE = -3,      /* no elements, too many, a count or sum impossible for 1..4 answers */
};

typedef struct {
    int64_t weight_num, weight_den; /* w = num/den, 0 < num <= den <= IKM_MAX_WEIGHT_DEN */
    int64_t sum;                    /* sum of the answers (each 1..4) */
    int64_t count;                  /* respondents who answered this element */
} ikm_element;

/* one rung of a ladder: IKM_25 in hundredths >= min_e2 gives this class */
typedef struct {
    char grade;        /* 'A' */
    const char *label; /* "Sangat baik" */
    int min_e2;        /* 8831 for 88.31 */
} ikm_class;

#define IKM_LADDER_MAX 8
typedef struct {
    const char *name; /* version name, stored with the instrument: "permenpanrb-14-2017" */
    int n;
    ikm_class c[IKM_LADDER_MAX]; /* by min_e2 descending; the last one's min_e2 is 0 */
} ikm_ladder;

/* A >= 88.31 Sangat baik; B >= 76.61 Baik; C >= 65.00 Kurang baik; D Tidak baik */
extern const ikm_ladder ikm_ladder_permenpanrb_14_2017;
#define IKM_LADDER_DEFAULT (&ikm_ladder_permenpanrb_14_2017)
/* the ladder of that name, NULL when unknown */
const ikm_ladder *ikm_ladder_find(const char *name);
/* the class of an IKM_25 in hundredths (the 2-decimal value: classify after rounding) */
const ikm_class *ikm_classify(const ikm_ladder *l, int64_t ikm25_e2);

typedef struct {
    int64_t nrr_e4[IKM_MAX_ELEMENTS]; /* NRR_u x 10^4, rounded half up (for display) */
    int64_t ikm_e4;                   /* IKM (1..4) x 10^4, rounded half up (for display) */
    int64_t ikm25_e2;                 /* IKM_25 x 100, rounded once, half up: 8831 = 88.31 */
    const ikm_class *cls;             /* from ikm25_e2 and the ladder */
    int bad_element;                  /* IKM_E_NO_ANSWERS: index of the element; else -1 */
} ikm_result;

/* IKM_OK when w sum to exactly 1 and each is in (0, 1] */
int ikm_check_weights(const ikm_element *el, size_t n);
/* the index of el[0..n) classified on ladder (NULL: the default); out always written */
int ikm_compute(const ikm_element *el, size_t n, const ikm_ladder *ladder, ikm_result *out);
/* sum/count x 10^scale_pow10 rounded half up (count > 0, sum >= 0, scale_pow10 0..6) */
int64_t ikm_round_ratio(int64_t sum, int64_t count, int scale_pow10);

/* Krejcie & Morgan (1970) minimum sample for a population n: chi^2 = 3.841, P = 0.5, d = 0.05,
 * i.e. s = 3841 n / (10 n + 3831), rounded to the nearest integer (a tie rounds up). 0 for 0;
 * -1 for n < 0 or n > 10^12. */
int64_t ikm_sample_size(int64_t n);

/* ---- survey periods ---- */
enum ikm_period_kind {
    IKM_PERIOD_YEAR = 'Y',
    IKM_PERIOD_SEMESTER = 'S',
    IKM_PERIOD_QUARTER = 'Q',
    IKM_PERIOD_CUSTOM = 'C'
};
typedef struct {
    enum ikm_period_kind kind;
    cal_date from, to; /* inclusive */
    char code[24];     /* canonical: "2026", "2026-S1", "2026-Q1", "2026-01-15..2026-03-31" */
} ikm_period;
/* "2026", "2026-S1".."2026-S2", "2026-Q1".."2026-Q4" (also lower case s/q), or a custom
 * "YYYY-MM-DD..YYYY-MM-DD" with from <= to and at most 366 days; years 2000..2999.
 * false when s[0..n) is none of these */
bool ikm_period_parse(const char *s, size_t n, ikm_period *out);
/* true when the date d lies inside the period */
bool ikm_period_contains(const ikm_period *p, cal_date d);

#endif

/* Unit tests of core/ikm: the exact index on answer sets built by hand (expected values worked
 * out in the comments), weights, unanswered cells, every class boundary, half-up rounding,
 * 1/9 against 0.111, big inputs, the Krejcie & Morgan sample size, and period codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/ikm.h"

#define NE 9
#define MAXR 64

/* answers[r][u]: 1..4, 0 = not answered; aggregated into sums and counts per element */
static void aggregate(int nr, const int answers[][NE], const int64_t wnum[NE],
                      const int64_t wden[NE], ikm_element el[NE])
{
    for (int u = 0; u < NE; u++) {
        el[u] = (ikm_element){wnum[u], wden[u], 0, 0};
        for (int r = 0; r < nr; r++)
            if (answers[r][u]) {
                el[u].sum += answers[r][u];
                el[u].count++;
            }
    }
}

static const int64_t ninth_num[NE] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
static const int64_t ninth_den[NE] = {9, 9, 9, 9, 9, 9, 9, 9, 9};

/* c respondents with every element answered and answers totalling s (9c <= s <= 36c): all 4s,
 * then cells lowered by one in turn. With equal weights IKM = s / (9c) whatever the spread. */
static void equal_weights_total(int c, int s, ikm_element el[NE])
{
    static int ans[MAXR][NE];
    assert_true(c <= MAXR && s >= 9 * c && s <= 36 * c);
    for (int r = 0; r < c; r++)
        for (int u = 0; u < NE; u++)
            ans[r][u] = 4;
    int excess = 36 * c - s;
    for (int k = 0; excess > 0; k++) {
        int *cell = &ans[k % c][(k / c) % NE];
        if (*cell > 1) {
            (*cell)--;
            excess--;
        }
    }
    aggregate(c, (const int(*)[NE])ans, ninth_num, ninth_den, el);
}

static ikm_result compute_ok(const ikm_element *el, size_t n)
{
    ikm_result r;
    assert_int_equal(ikm_compute(el, n, NULL, &r), IKM_OK);
    assert_int_equal(r.bad_element, -1);
    return r;
}

/* weights 2/9 on U1, 1/18 on U2 and U3, 1/9 on the other six (2/9 + 2/18 + 6/9 = 1), four
 * respondents, one unanswered cell each in U2, U3 and U4 (0 below):
 *   U1 4+3+4+3 = 14/4 = 7/2     U2 4+2+3 = 9/3 = 3     U3 3+2+3 = 8/3    U4 3+3+3 = 9/3 = 3
 *   U5 U6 U7 U9 13/4 each       U8 11/4
 *   IKM = 2/9 * 7/2 + 1/18 * 3 + 1/18 * 8/3 + 1/9 * (3 + 4 * 13/4 + 11/4)
 *       = 7/9 + 1/6 + 4/27 + 75/36 = (84 + 18 + 16 + 225) / 108 = 343/108 = 3.17592...
 *   IKM_25 = 8575/108 = 79.398... -> 79.40, B "Baik"; IKM -> 3.1759
 * Dividing U2..U4 by all four respondents instead (an unanswered cell as a zero) would give
 * U2 9/4, U3 2, U4 9/4 and IKM = 217/72, IKM_25 = 75.35: class C instead of B. */
static void test_weights_and_unanswered(void **state)
{
    (void)state;
    static const int ans[4][NE] = {{4, 4, 3, 3, 3, 3, 3, 3, 3},
                                   {3, 0, 2, 3, 4, 3, 3, 2, 3},
                                   {4, 2, 0, 3, 3, 4, 3, 3, 4},
                                   {3, 3, 3, 0, 3, 3, 4, 3, 3}};
    static const int64_t wn[NE] = {2, 1, 1, 1, 1, 1, 1, 1, 1};
    static const int64_t wd[NE] = {9, 18, 18, 9, 9, 9, 9, 9, 9};
    ikm_element el[NE];
    aggregate(4, ans, wn, wd, el);
    assert_int_equal(el[1].count, 3);
    assert_int_equal(el[1].sum, 9);
    ikm_result r = compute_ok(el, NE);
    assert_int_equal(r.ikm25_e2, 7940);
    assert_int_equal(r.ikm_e4, 31759);
    assert_int_equal(r.nrr_e4[0], 35000);
    assert_int_equal(r.nrr_e4[1], 30000);
    assert_int_equal(r.nrr_e4[2], 26667); /* 8/3 = 2.66666.. */
    assert_int_equal(r.nrr_e4[7], 27500);
    assert_int_equal(r.cls->grade, 'B');
    assert_string_equal(r.cls->label, "Baik");
}

static void test_weights_rejected(void **state)
{
    (void)state;
    ikm_element el[NE];
    equal_weights_total(2, 60, el);
    /* 9 x 0.111 = 0.999 */
    for (int u = 0; u < NE; u++)
        el[u].weight_num = 111, el[u].weight_den = 1000;
    ikm_result r;
    assert_int_equal(ikm_compute(el, NE, NULL, &r), IKM_E_WEIGHTS);
    assert_int_equal(ikm_check_weights(el, NE), IKM_E_WEIGHTS);
    /* 2/9 + 8 x 1/9 = 10/9 */
    for (int u = 0; u < NE; u++)
        el[u].weight_num = 1, el[u].weight_den = 9;
    el[0].weight_num = 2;
    assert_int_equal(ikm_check_weights(el, NE), IKM_E_WEIGHTS);
    /* a zero weight, a negative one, one above 1, a zero denominator, a huge denominator */
    el[0].weight_num = 0;
    assert_int_equal(ikm_check_weights(el, NE), IKM_E_WEIGHTS);
    el[0].weight_num = -1;
    assert_int_equal(ikm_check_weights(el, NE), IKM_E_WEIGHTS);
    el[0] = (ikm_element){10, 9, 4, 1};
    assert_int_equal(ikm_check_weights(el, 1), IKM_E_WEIGHTS);
    el[0] = (ikm_element){1, 0, 4, 1};
    assert_int_equal(ikm_check_weights(el, 1), IKM_E_WEIGHTS);
    el[0] = (ikm_element){2000000, 2000000, 4, 1};
    assert_int_equal(ikm_check_weights(el, 1), IKM_E_WEIGHTS);
    /* one element of weight 1/1 is a valid instrument; none is not */
    el[0] = (ikm_element){1, 1, 4, 1};
    assert_int_equal(ikm_check_weights(el, 1), IKM_OK);
    assert_int_equal(ikm_check_weights(el, 0), IKM_E_RANGE);
    /* 1/3 + 1/6 + 1/2 with large coprime-ish denominators still exact: 333333/999999 = 1/3 */
    ikm_element w3[3] = {{333333, 999999, 4, 1}, {1, 6, 4, 1}, {1, 2, 4, 1}};
    assert_int_equal(ikm_check_weights(w3, 3), IKM_OK);
}

/* an element nobody answered: NRR undefined, no index, and the element is named */
static void test_element_without_answers(void **state)
{
    (void)state;
    static const int ans[2][NE] = {{4, 4, 4, 4, 4, 0, 4, 4, 4}, {3, 3, 3, 3, 3, 0, 3, 3, 3}};
    ikm_element el[NE];
    aggregate(2, ans, ninth_num, ninth_den, el);
    ikm_result r;
    assert_int_equal(ikm_compute(el, NE, NULL, &r), IKM_E_NO_ANSWERS);
    assert_int_equal(r.bad_element, 5);
    /* impossible aggregates are refused, not computed */
    equal_weights_total(1, 9, el);
    el[0].sum = 5; /* one answer of 5 */
    assert_int_equal(ikm_compute(el, NE, NULL, &r), IKM_E_RANGE);
    el[0].sum = 0;
    assert_int_equal(ikm_compute(el, NE, NULL, &r), IKM_E_RANGE);
}

/* the classifier on hundredths, both sides of every boundary */
static void test_classify_hundredths(void **state)
{
    (void)state;
    const ikm_ladder *l = IKM_LADDER_DEFAULT;
    assert_string_equal(l->name, "permenpanrb-14-2017");
    assert_ptr_equal(ikm_ladder_find("permenpanrb-14-2017"), l);
    assert_null(ikm_ladder_find("kepmenpan-25-2004"));
    static const struct {
        int64_t v;
        char g;
        const char *label;
    } t[] = {{10000, 'A', "Sangat baik"}, {8831, 'A', "Sangat baik"}, {8830, 'B', "Baik"},
             {7661, 'B', "Baik"},         {7660, 'C', "Kurang baik"}, {6500, 'C', "Kurang baik"},
             {6499, 'D', "Tidak baik"},   {2500, 'D', "Tidak baik"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const ikm_class *c = ikm_classify(l, t[i].v);
        assert_int_equal(c->grade, t[i].g);
        assert_string_equal(c->label, t[i].label);
    }
}

/* real answer sets that land on each boundary; equal weights, so IKM_25 = 2500 s / (9 c) / 100:
 *   c=24 s=763: 1907500/216 = 8831.018.. -> 88.31 A       c=19 s=604: 8830.409.. -> 88.30 B
 *   c=19 s=524: 7660.818.. -> 76.61 B (below 76.61 before rounding: the rounded value decides)
 *   c=26 s=717: 7660.256.. -> 76.60 C                     c=5 s=117: 292500/45 = 6500 -> 65.00 C
 *   c=38 s=889: 6498.538.. -> 64.99 D */
static void test_boundaries_from_answers(void **state)
{
    (void)state;
    static const struct {
        int c, s;
        int64_t e2;
        char g;
    } t[] = {{24, 763, 8831, 'A'}, {19, 604, 8830, 'B'}, {19, 524, 7661, 'B'},
             {26, 717, 7660, 'C'}, {5, 117, 6500, 'C'},  {38, 889, 6499, 'D'}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        ikm_element el[NE];
        equal_weights_total(t[i].c, t[i].s, el);
        ikm_result r = compute_ok(el, NE);
        assert_int_equal(r.ikm25_e2, t[i].e2);
        assert_int_equal(r.cls->grade, t[i].g);
    }
}

/* 8 respondents, total 261: IKM_25 = 2500 * 261 / 72 / 100 = 90.625 exactly. Half up: 90.63
 * (half-even and truncation would give 90.62). */
static void test_half_up(void **state)
{
    (void)state;
    ikm_element el[NE];
    equal_weights_total(8, 261, el);
    ikm_result r = compute_ok(el, NE);
    assert_int_equal(r.ikm25_e2, 9063);
    assert_int_equal(r.ikm_e4, 36250);                /* 261/72 = 3.625 */
    assert_int_equal(ikm_round_ratio(1, 8, 2), 13);   /* 0.125 -> 0.13 */
    assert_int_equal(ikm_round_ratio(1, 3, 4), 3333); /* 0.33333 -> 0.3333 */
    assert_int_equal(ikm_round_ratio(2, 3, 4), 6667); /* 0.66666 -> 0.6667 */
    assert_int_equal(ikm_round_ratio(5, 2, 0), 3);    /* 2.5 -> 3 */
    assert_int_equal(ikm_round_ratio(1, 0, 2), -1);
    /* two respondents, U1 answered 2 and 3 (NRR 5/2), 4 everywhere else:
     * IKM = (5/2 + 8 x 4) / 9 = 69/18 = 3.8333.., IKM_25 = 95.833.. -> 95.83 */
    static const int ans[2][NE] = {{2, 4, 4, 4, 4, 4, 4, 4, 4}, {3, 4, 4, 4, 4, 4, 4, 4, 4}};
    aggregate(2, ans, ninth_num, ninth_den, el);
    r = compute_ok(el, NE);
    assert_int_equal(r.ikm25_e2, 9583);
    assert_int_equal(r.ikm_e4, 38333);
}

/* one respondent, 4 on U1..U8 and 1 on U9.
 * Exact 1/9: IKM = 33/9 = 3.6667, IKM_25 = 91.666.. -> 91.67 (the documented value).
 * Weights 0.111 x 8 + 0.112 (they do sum to 1): IKM = 0.888 * 4 + 0.112 = 3.664 -> 91.60.
 * Weights 0.111 x 9 are refused (0.999). */
static void test_ninth_vs_0111(void **state)
{
    (void)state;
    static const int ans[1][NE] = {{4, 4, 4, 4, 4, 4, 4, 4, 1}};
    ikm_element el[NE];
    aggregate(1, ans, ninth_num, ninth_den, el);
    ikm_result r = compute_ok(el, NE);
    assert_int_equal(r.ikm25_e2, 9167);
    assert_int_equal(r.ikm_e4, 36667);
    for (int u = 0; u < NE; u++)
        el[u].weight_num = u == 8 ? 112 : 111, el[u].weight_den = 1000;
    r = compute_ok(el, NE);
    assert_int_equal(r.ikm25_e2, 9160);
    for (int u = 0; u < NE; u++)
        el[u].weight_num = 111;
    assert_int_equal(ikm_compute(el, NE, NULL, &r), IKM_E_WEIGHTS);
}

/* the extremes: all 1 -> 25.00 D, all 4 -> 100.00 A */
static void test_extremes(void **state)
{
    (void)state;
    ikm_element el[NE];
    equal_weights_total(3, 27, el);
    assert_int_equal(compute_ok(el, NE).ikm25_e2, 2500);
    equal_weights_total(3, 108, el);
    ikm_result r = compute_ok(el, NE);
    assert_int_equal(r.ikm25_e2, 10000);
    assert_int_equal(r.ikm_e4, 40000);
    assert_int_equal(r.cls->grade, 'A');
}

/* 32 elements with weights (i+1)/528, counts 4*10^9 - 7i (all different: the common
 * denominator is a product of 32 large factors, far past 128 bits) and sums 2 count + 12345 i.
 * Python's fractions give IKM = 2.0000637.., IKM_25 -> 50.00, IKM x 10^4 -> 20001. */
static void test_large(void **state)
{
    (void)state;
    ikm_element el[IKM_MAX_ELEMENTS];
    for (int i = 0; i < IKM_MAX_ELEMENTS; i++) {
        int64_t c = 4000000000LL - 7 * i;
        el[i] = (ikm_element){i + 1, 528, 2 * c + 12345LL * i, c};
    }
    ikm_result r = compute_ok(el, IKM_MAX_ELEMENTS);
    assert_int_equal(r.ikm25_e2, 5000);
    assert_int_equal(r.ikm_e4, 20001);
    /* all 4 on 10^9 respondents: exactly 100 */
    for (int i = 0; i < IKM_MAX_ELEMENTS; i++)
        el[i] = (ikm_element){1, 32, 4000000000LL, 1000000000LL};
    assert_int_equal(compute_ok(el, IKM_MAX_ELEMENTS).ikm25_e2, 10000);
    /* past the bounds: refused, not wrong */
    el[0].count = IKM_MAX_COUNT + 1;
    el[0].sum = el[0].count;
    ikm_result bad;
    assert_int_equal(ikm_compute(el, IKM_MAX_ELEMENTS, NULL, &bad), IKM_E_RANGE);
    assert_int_equal(ikm_compute(el, IKM_MAX_ELEMENTS + 1, NULL, &bad), IKM_E_RANGE);
}

/* Krejcie & Morgan's table (1970): 10 -> 10, 50 -> 44, 75 -> 63, 100 -> 80, 200 -> 132,
 * 1000 -> 278, 10000 -> 370, 1000000 -> 384. s = 3841 N / (10 N + 3831):
 *   N=50: 192050 / 4331 = 44.34 -> 44 (rounding up would give 45)
 *   N=100: 384100 / 4831 = 79.51 -> 80 */
static void test_sample_size(void **state)
{
    (void)state;
    static const int64_t t[][2] = {{0, 0},
                                   {1, 1},
                                   {10, 10},
                                   {50, 44},
                                   {75, 63},
                                   {100, 80},
                                   {200, 132},
                                   {1000, 278},
                                   {10000, 370},
                                   {1000000, 384},
                                   {1000000000000LL, 384}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_int_equal(ikm_sample_size(t[i][0]), t[i][1]);
    assert_int_equal(ikm_sample_size(-1), -1);
    assert_int_equal(ikm_sample_size(1000000000001LL), -1);
    /* nearest, not up: over 1..5000 the result is within 1/2 of the formula, and some are
     * below its ceiling */
    int below_ceiling = 0;
    for (int64_t n = 1; n <= 5000; n++) {
        double exact = 3841.0 * (double)n / (10.0 * (double)n + 3831.0);
        int64_t s = ikm_sample_size(n);
        assert_true((double)s - exact <= 0.5 && exact - (double)s < 0.5);
        if ((double)s < exact) below_ceiling++;
    }
    assert_true(below_ceiling > 1000);
}

static void test_periods(void **state)
{
    (void)state;
    ikm_period p;
    char d[11];
    assert_true(ikm_period_parse("2026", 4, &p));
    assert_int_equal(p.kind, IKM_PERIOD_YEAR);
    assert_string_equal(p.code, "2026");
    cal_date_format(p.from, d, sizeof d);
    assert_string_equal(d, "2026-01-01");
    cal_date_format(p.to, d, sizeof d);
    assert_string_equal(d, "2026-12-31");
    assert_true(ikm_period_parse("2026-Q1", 7, &p));
    assert_int_equal(p.kind, IKM_PERIOD_QUARTER);
    cal_date_format(p.to, d, sizeof d);
    assert_string_equal(d, "2026-03-31");
    assert_true(ikm_period_parse("2028-q1", 7, &p)); /* lower case, canonical upper */
    assert_string_equal(p.code, "2028-Q1");
    assert_true(ikm_period_parse("2026-Q4", 7, &p));
    cal_date_format(p.from, d, sizeof d);
    assert_string_equal(d, "2026-10-01");
    assert_true(ikm_period_parse("2026-S2", 7, &p));
    assert_int_equal(p.kind, IKM_PERIOD_SEMESTER);
    cal_date_format(p.from, d, sizeof d);
    assert_string_equal(d, "2026-07-01");
    cal_date_format(p.to, d, sizeof d);
    assert_string_equal(d, "2026-12-31");
    assert_true(ikm_period_parse("2024-S1", 7, &p));
    cal_date_format(p.to, d, sizeof d);
    assert_string_equal(d, "2024-06-30");
    const char *custom = "2026-01-15..2026-03-31";
    assert_true(ikm_period_parse(custom, strlen(custom), &p));
    assert_int_equal(p.kind, IKM_PERIOD_CUSTOM);
    assert_string_equal(p.code, custom);
    assert_true(ikm_period_contains(&p, (cal_date){2026, 1, 15}));
    assert_true(ikm_period_contains(&p, (cal_date){2026, 3, 31}));
    assert_false(ikm_period_contains(&p, (cal_date){2026, 1, 14}));
    assert_false(ikm_period_contains(&p, (cal_date){2026, 4, 1}));
    static const char *const bad[] = {"",
                                      "26",
                                      "1999",
                                      "2026-Q0",
                                      "2026-Q5",
                                      "2026-S3",
                                      "2026-H1",
                                      "2026Q1",
                                      "2026-Q12",
                                      "2026-03-31..2026-01-15",
                                      "2026-02-30..2026-03-31",
                                      "2026-01-01..2027-01-02",
                                      "2026-01-01.2026-03-31",
                                      "20x6"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(ikm_period_parse(bad[i], strlen(bad[i]), &p));
    /* a whole leap year as a custom range is fine */
    assert_true(ikm_period_parse("2028-01-01..2028-12-31", 22, &p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights_and_unanswered),
        cmocka_unit_test(test_weights_rejected),
        cmocka_unit_test(test_element_without_answers),
        cmocka_unit_test(test_classify_hundredths),
        cmocka_unit_test(test_boundaries_from_answers),
        cmocka_unit_test(test_half_up),
        cmocka_unit_test(test_ninth_vs_0111),
        cmocka_unit_test(test_extremes),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_sample_size),
        cmocka_unit_test(test_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

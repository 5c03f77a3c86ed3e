/* core/ikm: exact IKM arithmetic, the class ladders, the Krejcie & Morgan sample size and survey
 * period codes. Why a big integer: the index is sum_u (S_u / C_u) * (a_u / b_u); with counts C_u
 * that differ between elements (unanswered cells) the common denominator is the product of up to
 * IKM_MAX_ELEMENTS factors C_u * b_u, each < 2^52 (C_u <= 4*10^9, b_u <= 10^6), so up to
 * 32 * 52 = 1664 bits, and rounding multiplies that by at most 2 * 10^6 * 4 (< 2^23). No 64- or
 * 128-bit type holds that for every input, and reducing by gcd at each step only helps when the
 * counts share factors, so the fraction lives in BIG_LIMBS * 32 = 1920 bits; every operation
 * checks for overflow anyway and reports IKM_E_RANGE rather than a wrong number. */
#include "core/ikm.h"

#include <string.h>

#define BIG_LIMBS 60

typedef struct {
    uint32_t l[BIG_LIMBS]; /* little-endian base 2^32 */
} big;

static void big_set(big *b, uint64_t v)
{
    memset(b, 0, sizeof *b);
    b->l[0] = (uint32_t)v;
    b->l[1] = (uint32_t)(v >> 32);
}

/* r = a * m; false on overflow (r is then unspecified). r may alias a. */
static bool big_mul(big *r, const big *a, uint64_t m)
{
    uint32_t mm[2] = {(uint32_t)m, (uint32_t)(m >> 32)};
    big t;
    memset(&t, 0, sizeof t);
    for (int j = 0; j < 2; j++) {
        if (!mm[j]) continue;
        uint64_t carry = 0;
        for (int i = 0; i + j < BIG_LIMBS; i++) {
            /* at most (2^32-1)^2 + 2 (2^32-1) = 2^64 - 1: no wrap */
            uint64_t cur = (uint64_t)a->l[i] * mm[j] + t.l[i + j] + carry;
            t.l[i + j] = (uint32_t)cur;
            carry = cur >> 32;
        }
        if (carry) return false;
        for (int i = BIG_LIMBS - j; i < BIG_LIMBS; i++)
            if (a->l[i]) return false;
    }
    *r = t;
    return true;
}

/* r = a + b; false on overflow. r may alias a or b. */
static bool big_add(big *r, const big *a, const big *b)
{
    uint64_t carry = 0;
    for (int i = 0; i < BIG_LIMBS; i++) {
        uint64_t cur = (uint64_t)a->l[i] + b->l[i] + carry;
        r->l[i] = (uint32_t)cur;
        carry = cur >> 32;
    }
    return carry == 0;
}

static int big_cmp(const big *a, const big *b)
{
    for (int i = BIG_LIMBS - 1; i >= 0; i--)
        if (a->l[i] != b->l[i]) return a->l[i] < b->l[i] ? -1 : 1;
    return 0;
}

/* a fraction num/den >= 0 with den > 0, never reduced (only compared and rounded) */
typedef struct {
    big num, den;
} bigfrac;

static void frac_zero(bigfrac *f)
{
    big_set(&f->num, 0);
    big_set(&f->den, 1);
}

/* f += a/b (b > 0) */
static bool frac_add(bigfrac *f, uint64_t a, uint64_t b)
{
    big t;
    return big_mul(&f->num, &f->num, b) && big_mul(&t, &f->den, a) &&
           big_add(&f->num, &f->num, &t) && big_mul(&f->den, &f->den, b);
}

/* floor(f * k + 1/2), i.e. f * k rounded half up, = floor((2 k num + den) / (2 den)); the result
 * is known to be <= qmax. -1 on overflow. */
static int64_t frac_round(const bigfrac *f, uint64_t k, int64_t qmax)
{
    big t, e, p;
    if (!big_mul(&t, &f->num, 2 * k) || !big_add(&t, &t, &f->den) || !big_mul(&e, &f->den, 2))
        return -1;
    /* the largest q in [0, qmax] with q * e <= t, by bisection (qmax is small) */
    int64_t lo = 0, hi = qmax;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (!big_mul(&p, &e, (uint64_t)mid)) return -1;
        if (big_cmp(&p, &t) <= 0) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

const ikm_ladder ikm_ladder_permenpanrb_14_2017 = {
    "permenpanrb-14-2017",
    4,
    {{'A', "Sangat baik", 8831},
     {'B', "Baik", 7661},
     {'C', "Kurang baik", 6500},
     {'D', "Tidak baik", 0}},
};

const ikm_ladder *ikm_ladder_find(const char *name)
{
    static const ikm_ladder *const all[] = {&ikm_ladder_permenpanrb_14_2017};
    if (!name) return NULL;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcmp(all[i]->name, name) == 0) return all[i];
    return NULL;
}

const ikm_class *ikm_classify(const ikm_ladder *l, int64_t ikm25_e2)
{
    if (!l) l = IKM_LADDER_DEFAULT;
    for (int i = 0; i < l->n; i++)
        if (ikm25_e2 >= l->c[i].min_e2) return &l->c[i];
    return &l->c[l->n - 1];
}

int ikm_check_weights(const ikm_element *el, size_t n)
{
    if (n == 0 || n > IKM_MAX_ELEMENTS) return IKM_E_RANGE;
    bigfrac w;
    frac_zero(&w);
    for (size_t i = 0; i < n; i++) {
        int64_t a = el[i].weight_num, b = el[i].weight_den;
        if (a <= 0 || b <= 0 || a > b || b > IKM_MAX_WEIGHT_DEN) return IKM_E_WEIGHTS;
        if (!frac_add(&w, (uint64_t)a, (uint64_t)b)) return IKM_E_RANGE;
    }
    return big_cmp(&w.num, &w.den) == 0 ? IKM_OK : IKM_E_WEIGHTS;
}

int64_t ikm_round_ratio(int64_t sum, int64_t count, int scale_pow10)
{
    if (count <= 0 || sum < 0 || scale_pow10 < 0 || scale_pow10 > 6) return -1;
    uint64_t k = 1;
    for (int i = 0; i < scale_pow10; i++)
        k *= 10;
    bigfrac f;
    frac_zero(&f);
    if (!frac_add(&f, (uint64_t)sum, (uint64_t)count)) return -1;
    /* the quotient is at most sum/count * k + 1 */
    return frac_round(&f, k, (int64_t)((uint64_t)(sum / count + 1) * k + 1));
}

int ikm_compute(const ikm_element *el, size_t n, const ikm_ladder *ladder, ikm_result *out)
{
    memset(out, 0, sizeof *out);
    out->bad_element = -1;
    if (!ladder) ladder = IKM_LADDER_DEFAULT;
    int r = ikm_check_weights(el, n);
    if (r != IKM_OK) return r;
    for (size_t i = 0; i < n; i++) {
        if (el[i].count == 0) {
            out->bad_element = (int)i;
            return IKM_E_NO_ANSWERS;
        }
        /* every answer is 1..4, so count <= sum <= 4 count */
        if (el[i].count < 0 || el[i].count > IKM_MAX_COUNT || el[i].sum < el[i].count ||
            el[i].sum > 4 * el[i].count)
            return IKM_E_RANGE;
    }
    bigfrac ikm;
    frac_zero(&ikm);
    for (size_t i = 0; i < n; i++) {
        /* NRR_u * w_u = (S_u * a_u) / (C_u * b_u); both products < 2^63 by the bounds above */
        uint64_t a = (uint64_t)el[i].sum * (uint64_t)el[i].weight_num;
        uint64_t b = (uint64_t)el[i].count * (uint64_t)el[i].weight_den;
        if (!frac_add(&ikm, a, b)) return IKM_E_RANGE;
        out->nrr_e4[i] = ikm_round_ratio(el[i].sum, el[i].count, 4);
    }
    /* IKM <= 4: IKM * 2500 <= 10000, IKM * 10^4 <= 40000 */
    out->ikm25_e2 = frac_round(&ikm, 2500, 10001);
    out->ikm_e4 = frac_round(&ikm, 10000, 40001);
    if (out->ikm25_e2 < 0 || out->ikm_e4 < 0) return IKM_E_RANGE;
    out->cls = ikm_classify(ladder, out->ikm25_e2);
    return IKM_OK;
}

int64_t ikm_sample_size(int64_t n)
{
    /* chi^2 N P(1-P) / (d^2 (N-1) + chi^2 P(1-P)) with chi^2 = 3841/1000, P(1-P) = 1/4,
     * d^2 = 1/400: multiply through by 4000 -> 3841 N / (10 (N-1) + 3841). Integers only, so
     * a value at exactly .5 is seen as such and rounds up; n <= 10^12 keeps 2 * 3841 n in int64. */
    if (n < 0 || n > 1000000000000LL) return -1;
    int64_t num = 3841 * n, den = 10 * n + 3831;
    return (2 * num + den) / (2 * den);
}

/* ---- periods ---- */

static bool digits(const char *s, size_t n, long *v)
{
    long x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

bool ikm_period_parse(const char *s, size_t n, ikm_period *out)
{
    memset(out, 0, sizeof *out);
    long y, k;
    if (n >= 4 && digits(s, 4, &y) && y >= 2000 && y <= 2999) {
        if (n == 4) {
            out->kind = IKM_PERIOD_YEAR;
            out->from = (cal_date){(int)y, 1, 1};
            out->to = (cal_date){(int)y, 12, 31};
            memcpy(out->code, s, 4);
            return true;
        }
        if (n == 7 && s[4] == '-' && digits(s + 6, 1, &k)) {
            char c = s[5] == 's' ? 'S' : s[5] == 'q' ? 'Q' : s[5];
            int months = c == 'S' ? 6 : c == 'Q' ? 3 : 0;
            if (!months || k < 1 || k > 12 / months) return false;
            int m1 = (int)(k - 1) * months + 1, m2 = m1 + months - 1;
            out->kind = c == 'S' ? IKM_PERIOD_SEMESTER : IKM_PERIOD_QUARTER;
            out->from = (cal_date){(int)y, m1, 1};
            out->to = (cal_date){(int)y, m2, cal_days_in_month((int)y, m2)};
            memcpy(out->code, s, 7);
            out->code[5] = c;
            return true;
        }
    }
    cal_date a, b;
    if (n == 22 && s[10] == '.' && s[11] == '.' && cal_date_parse(s, 10, &a) &&
        cal_date_parse(s + 12, 10, &b) && a.y >= 2000 && b.y <= 2999 && cal_date_cmp(a, b) <= 0 &&
        cal_days_from_civil(b.y, b.m, b.d) - cal_days_from_civil(a.y, a.m, a.d) < 366) {
        out->kind = IKM_PERIOD_CUSTOM;
        out->from = a;
        out->to = b;
        memcpy(out->code, s, 22);
        return true;
    }
    return false;
}

bool ikm_period_contains(const ikm_period *p, cal_date d)
{
    return cal_date_cmp(p->from, d) <= 0 && cal_date_cmp(d, p->to) <= 0;
}

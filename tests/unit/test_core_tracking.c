/* Unit tests of core/tracking: the alphabet, generation from random bytes, parsing what people
 * type, and the check symbol proved by exhaustive mutation of a sample of codes: every single
 * substitution, every adjacent transposition and every transposition two apart is caught. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "core/tracking.h"

/* a deterministic byte stream (xorshift) standing in for the caller's randomness */
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static void fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        p[i] = (unsigned char)rng;
    }
}

static void test_alphabet(void **state)
{
    (void)state;
    assert_int_equal(strlen(TRK_ALPHABET), TRK_RADIX);
    const char *ambiguous = "01OILUZ";
    for (const char *c = ambiguous; *c; c++) {
        assert_null(strchr(TRK_ALPHABET, *c));
        assert_int_equal(trk_value(*c), -1);
    }
    for (int i = 0; i < TRK_RADIX; i++) {
        assert_int_equal(trk_value(TRK_ALPHABET[i]), i);
        char lower = (char)(TRK_ALPHABET[i] >= 'A' ? TRK_ALPHABET[i] - 'A' + 'a' : TRK_ALPHABET[i]);
        assert_int_equal(trk_value(lower), i);
        for (int j = 0; j < i; j++)
            assert_int_not_equal(TRK_ALPHABET[i], TRK_ALPHABET[j]);
    }
    assert_int_equal(trk_value(0), -1);
    assert_int_equal(trk_value('-'), -1);
}

static void test_generate(void **state)
{
    (void)state;
    int count[TRK_RADIX] = {0};
    for (int k = 0; k < 2000; k++) {
        unsigned char rnd[TRK_RANDOM_BYTES];
        fill(rnd, sizeof rnd);
        char code[TRK_LEN + 1];
        assert_true(trk_generate(rnd, sizeof rnd, code));
        assert_int_equal(strlen(code), TRK_LEN);
        assert_true(trk_valid(code));
        for (int i = 0; i < TRK_LEN - 1; i++)
            count[trk_value(code[i])]++;
        /* the number form round-trips */
        int64_t v = trk_to_number(code);
        assert_true(v >= 0 && v < (int64_t)1 << 44);
        char back[TRK_LEN + 1];
        assert_true(trk_from_number(v, back));
        assert_string_equal(back, code);
    }
    /* every symbol drawn, none wildly more than the others (18000 draws, ~620 each) */
    for (int i = 0; i < TRK_RADIX; i++)
        assert_true(count[i] > 450 && count[i] < 800);
    /* bytes >= 232 are skipped (uniform); too few usable bytes: false */
    unsigned char high[40];
    memset(high, 0xFF, sizeof high);
    char code[TRK_LEN + 1];
    assert_false(trk_generate(high, sizeof high, code));
    unsigned char zeros[9] = {0};
    assert_true(trk_generate(zeros, sizeof zeros, code));
    assert_string_equal(code, "2222222222");
    assert_false(trk_from_number(-1, code));
    assert_false(trk_from_number((int64_t)1 << 50, code));
    assert_int_equal(trk_to_number("2222222223"), -1);
}

static void test_parse_and_format(void **state)
{
    (void)state;
    unsigned char rnd[TRK_RANDOM_BYTES];
    fill(rnd, sizeof rnd);
    char code[TRK_LEN + 1], out[TRK_LEN + 1], shown[TRK_SHOWN + 1];
    assert_true(trk_generate(rnd, sizeof rnd, code));
    trk_format(code, shown);
    assert_int_equal(strlen(shown), TRK_SHOWN);
    assert_int_equal(shown[4], '-');
    assert_int_equal(shown[9], '-');
    assert_true(trk_parse(shown, strlen(shown), out));
    assert_string_equal(out, code);
    /* lower case, spaces, dashes anywhere */
    char typed[40];
    size_t k = 0;
    for (int i = 0; i < TRK_LEN; i++) {
        char c = code[i];
        typed[k++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        if (i % 3 == 1) typed[k++] = ' ';
        if (i == 6) typed[k++] = '-';
    }
    typed[k] = 0;
    assert_true(trk_parse(typed, k, out));
    assert_string_equal(out, code);
    /* too short, too long, a foreign symbol, empty */
    assert_false(trk_parse(code, TRK_LEN - 1, out));
    char longer[TRK_LEN + 2];
    memcpy(longer, code, TRK_LEN);
    longer[TRK_LEN] = '2';
    assert_false(trk_parse(longer, TRK_LEN + 1, out));
    char bad[TRK_LEN + 1];
    memcpy(bad, code, sizeof bad);
    bad[3] = 'O';
    assert_false(trk_parse(bad, TRK_LEN, out));
    assert_false(trk_parse("", 0, out));
    /* trk_valid wants the canonical form */
    char lower[TRK_LEN + 1];
    memcpy(lower, code, sizeof lower);
    for (int i = 0; i < TRK_LEN; i++)
        if (lower[i] >= 'A') lower[i] = (char)(lower[i] - 'A' + 'a');
    bool has_letter = strcmp(lower, code) != 0;
    if (has_letter) assert_false(trk_valid(lower));
}

static void test_every_error_caught(void **state)
{
    (void)state;
    long substitutions = 0, transpositions = 0;
    for (int k = 0; k < 500; k++) {
        unsigned char rnd[TRK_RANDOM_BYTES];
        fill(rnd, sizeof rnd);
        char code[TRK_LEN + 1], m[TRK_LEN + 1], out[TRK_LEN + 1];
        assert_true(trk_generate(rnd, sizeof rnd, code));
        /* every single-symbol substitution, the check symbol included */
        for (int i = 0; i < TRK_LEN; i++)
            for (int v = 0; v < TRK_RADIX; v++) {
                if (TRK_ALPHABET[v] == code[i]) continue;
                memcpy(m, code, sizeof m);
                m[i] = TRK_ALPHABET[v];
                assert_false(trk_valid(m));
                assert_false(trk_parse(m, TRK_LEN, out));
                substitutions++;
            }
        /* every transposition of neighbours, and of symbols two apart */
        for (int gap = 1; gap <= 2; gap++)
            for (int i = 0; i + gap < TRK_LEN; i++) {
                if (code[i] == code[i + gap]) continue;
                memcpy(m, code, sizeof m);
                m[i] = code[i + gap];
                m[i + gap] = code[i];
                assert_false(trk_valid(m));
                transpositions++;
            }
    }
    assert_int_equal(substitutions, 500L * TRK_LEN * (TRK_RADIX - 1));
    assert_true(transpositions > 500L * 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alphabet),
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_every_error_caught),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

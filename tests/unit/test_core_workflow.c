/* Unit tests of core/workflow: every allowed transition of the default adminduk workflow (and
 * every role that may not take it), reasons, pauses, terminal states, and definitions from JSON
 * refused for unreachable states, dead ends, transitions from terminal states, unknown roles
 * and clocks that do not add up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/workflow.h"

static const unsigned all_roles[] = {WF_CITIZEN, WF_PETUGAS, WF_KURIR, WF_KEPALA, WF_SYSTEM};

/* the adminduk flow as issue 6 lists it, with who may act */
static const struct {
    const char *from, *to;
    unsigned roles;
    bool reason;
    enum wf_clock clock;
} expected[] = {
    {"diajukan", "diverifikasi", WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"diajukan", "perlu_perbaikan", WF_PETUGAS | WF_KEPALA, true, WF_CLOCK_PAUSE},
    {"diajukan", "ditolak", WF_PETUGAS | WF_KEPALA, true, WF_CLOCK_KEEP},
    {"diajukan", "dibatalkan", WF_CITIZEN | WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"perlu_perbaikan", "dilengkapi", WF_CITIZEN | WF_PETUGAS, false, WF_CLOCK_RESUME},
    {"perlu_perbaikan", "dibatalkan", WF_CITIZEN | WF_SYSTEM | WF_PETUGAS | WF_KEPALA, false,
     WF_CLOCK_KEEP},
    {"dilengkapi", "diverifikasi", WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"dilengkapi", "perlu_perbaikan", WF_PETUGAS | WF_KEPALA, true, WF_CLOCK_PAUSE},
    {"dilengkapi", "ditolak", WF_PETUGAS | WF_KEPALA, true, WF_CLOCK_KEEP},
    {"dilengkapi", "dibatalkan", WF_CITIZEN | WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"diverifikasi", "diproses", WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"diverifikasi", "perlu_perbaikan", WF_PETUGAS | WF_KEPALA, true, WF_CLOCK_PAUSE},
    {"diverifikasi", "ditolak", WF_PETUGAS | WF_KEPALA, true, WF_CLOCK_KEEP},
    {"diverifikasi", "dibatalkan", WF_CITIZEN | WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"diproses", "selesai", WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"diproses", "ditolak", WF_PETUGAS | WF_KEPALA, true, WF_CLOCK_KEEP},
    {"selesai", "diambil", WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"selesai", "dikirim", WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"selesai", "dicetak", WF_SYSTEM, false, WF_CLOCK_KEEP},
    {"dikirim", "diterima", WF_KURIR | WF_PETUGAS | WF_KEPALA, false, WF_CLOCK_KEEP},
    {"dikirim", "selesai", WF_KURIR | WF_PETUGAS | WF_KEPALA, true, WF_CLOCK_KEEP},
};
#define NEXPECTED (sizeof expected / sizeof expected[0])

static void test_every_allowed_transition(void **state)
{
    (void)state;
    const wf_def *d = wf_default();
    assert_int_equal(d->ntrans, (int)NEXPECTED);
    assert_string_equal(d->states[d->initial].code, "diajukan");
    for (size_t i = 0; i < NEXPECTED; i++) {
        const wf_transition *t = wf_find(d, expected[i].from, expected[i].to);
        assert_non_null(t);
        assert_int_equal(t->roles, expected[i].roles);
        assert_int_equal(t->reason, expected[i].reason);
        assert_int_equal(t->clock, expected[i].clock);
        for (size_t r = 0; r < sizeof all_roles / sizeof all_roles[0]; r++) {
            unsigned role = all_roles[r];
            enum wf_err want = (expected[i].roles & role) ? WF_OK : WF_E_ROLE;
            assert_int_equal(wf_check(d, expected[i].from, expected[i].to, role, true), want);
            if (want == WF_OK)
                assert_int_equal(wf_check(d, expected[i].from, expected[i].to, role, false),
                                 expected[i].reason ? WF_E_REASON : WF_OK);
        }
    }
}

static void test_refused(void **state)
{
    (void)state;
    const wf_def *d = wf_default();
    /* every pair that is not in the table is refused, whoever asks */
    for (int f = 0; f < d->nstates; f++)
        for (int t = 0; t < d->nstates; t++) {
            const char *from = d->states[f].code, *to = d->states[t].code;
            bool listed = false;
            for (size_t i = 0; i < NEXPECTED; i++)
                listed |= strcmp(expected[i].from, from) == 0 && strcmp(expected[i].to, to) == 0;
            if (listed) continue;
            enum wf_err want = d->states[f].terminal ? WF_E_TERMINAL : WF_E_TRANSITION;
            for (size_t r = 0; r < sizeof all_roles / sizeof all_roles[0]; r++)
                assert_int_equal(wf_check(d, from, to, all_roles[r], true), want);
        }
    /* samples, with the reason code a caller turns into a message */
    assert_int_equal(wf_check(d, "diajukan", "selesai", WF_PETUGAS, false), WF_E_TRANSITION);
    assert_int_equal(wf_check(d, "diproses", "dibatalkan", WF_CITIZEN, false), WF_E_TRANSITION);
    assert_int_equal(wf_check(d, "diajukan", "diverifikasi", WF_CITIZEN, false), WF_E_ROLE);
    assert_int_equal(wf_check(d, "dikirim", "diterima", WF_CITIZEN, false), WF_E_ROLE);
    assert_int_equal(wf_check(d, "diajukan", "ditolak", WF_PETUGAS, false), WF_E_REASON);
    assert_int_equal(wf_check(d, "ditolak", "diproses", WF_KEPALA, true), WF_E_TERMINAL);
    assert_int_equal(wf_check(d, "diterima", "selesai", WF_KURIR, true), WF_E_TERMINAL);
    assert_int_equal(wf_check(d, "diajukan", "hilang", WF_PETUGAS, true), WF_E_STATE);
    assert_int_equal(wf_check(d, "entah", "diproses", WF_PETUGAS, true), WF_E_STATE);
    assert_int_equal(wf_check(d, "diajukan", "diajukan", WF_PETUGAS, true), WF_E_TRANSITION);
    /* a role is one bit: a set of roles or none is refused */
    assert_int_equal(wf_check(d, "diajukan", "diverifikasi", WF_PETUGAS | WF_CITIZEN, false),
                     WF_E_ROLE);
    assert_int_equal(wf_check(d, "diajukan", "diverifikasi", 0, false), WF_E_ROLE);
    assert_string_equal(wf_err_code(WF_E_REASON), "reason");
    assert_string_equal(wf_err_code(WF_E_TERMINAL), "terminal");
}

static void test_states_and_pauses(void **state)
{
    (void)state;
    const wf_def *d = wf_default();
    const char *terminal[] = {"diambil", "diterima", "dicetak", "ditolak", "dibatalkan"};
    for (size_t i = 0; i < 5; i++)
        assert_true(wf_state_get(d, terminal[i])->terminal);
    int nterm = 0;
    for (int i = 0; i < d->nstates; i++)
        nterm += d->states[i].terminal;
    assert_int_equal(nterm, 5);
    assert_int_equal(wf_state_get(d, "selesai")->end, WF_END_DONE);
    assert_int_equal(wf_state_get(d, "ditolak")->end, WF_END_DONE);
    assert_int_equal(wf_state_get(d, "dibatalkan")->end, WF_END_CANCEL);
    assert_int_equal(wf_state_get(d, "diproses")->end, WF_END_NONE);
    assert_true(wf_paused_in(d, "perlu_perbaikan"));
    assert_false(wf_paused_in(d, "dilengkapi"));
    assert_false(wf_paused_in(d, "diajukan"));
    /* the buttons */
    const char *next[8];
    int n = wf_next(d, "diajukan", WF_PETUGAS, next, 8);
    assert_int_equal(n, 4);
    assert_string_equal(next[0], "diverifikasi");
    assert_int_equal(wf_next(d, "diajukan", WF_CITIZEN, next, 8), 1);
    assert_string_equal(next[0], "dibatalkan");
    assert_int_equal(wf_next(d, "selesai", WF_SYSTEM, next, 8), 1);
    assert_string_equal(next[0], "dicetak");
    assert_int_equal(wf_next(d, "diterima", WF_PETUGAS, next, 8), 0);
    assert_int_equal(wf_role_parse("kepala_unit"), WF_KEPALA);
    assert_int_equal(wf_role_parse("admin"), 0);
    assert_string_equal(wf_role_name(WF_KURIR), "kurir");
}

static void test_json_round_trip(void **state)
{
    (void)state;
    static char js[16384];
    static wf_def back;
    assert_true(wf_to_json(wf_default(), js, sizeof js));
    char where[64];
    assert_int_equal(wf_parse(js, strlen(js), &back, where, sizeof where), WF_OK);
    assert_memory_equal(&back, wf_default(), sizeof back);
    assert_false(wf_to_json(wf_default(), js, 100));
}

static enum wf_err parse(const char *json, char *where)
{
    static wf_def d;
    return wf_parse(json, strlen(json), &d, where, 64);
}

#define S3                                                                                         \
    "\"states\":[{\"code\":\"a\"},{\"code\":\"b\"},{\"code\":\"c\",\"terminal\":true,\"end\":"     \
    "\"done\"}]"

static void test_json_refused(void **state)
{
    (void)state;
    char where[64];
    /* a small valid one */
    assert_int_equal(
        parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
              "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"]},"
              "{\"from\":\"b\",\"to\":\"c\",\"roles\":[\"kepala_unit\"],\"reason\":true}]}",
              where),
        WF_OK);
    /* unreachable: nothing leads to c */
    assert_int_equal(parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
                           "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"]},"
                           "{\"from\":\"b\",\"to\":\"a\",\"roles\":[\"petugas\"]}]}",
                           where),
                     WF_E_UNREACHABLE);
    assert_string_equal(where, "c");
    /* a transition out of a terminal state */
    assert_int_equal(parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
                           "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"]},"
                           "{\"from\":\"b\",\"to\":\"c\",\"roles\":[\"petugas\"]},"
                           "{\"from\":\"c\",\"to\":\"a\",\"roles\":[\"petugas\"]}]}",
                           where),
                     WF_E_FROM_TERMINAL);
    assert_string_equal(where, "c");
    /* an unknown role */
    assert_int_equal(parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
                           "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"lurah\"]},"
                           "{\"from\":\"b\",\"to\":\"c\",\"roles\":[\"petugas\"]}]}",
                           where),
                     WF_E_UNKNOWN_ROLE);
    assert_string_equal(where, "lurah");
    assert_int_equal(parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
                           "{\"from\":\"a\",\"to\":\"b\",\"roles\":[]},"
                           "{\"from\":\"b\",\"to\":\"c\",\"roles\":[\"petugas\"]}]}",
                           where),
                     WF_E_UNKNOWN_ROLE);
    /* a dead end: b is not terminal and has no way out */
    assert_int_equal(parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
                           "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"]},"
                           "{\"from\":\"a\",\"to\":\"c\",\"roles\":[\"petugas\"]}]}",
                           where),
                     WF_E_DEAD_END);
    assert_string_equal(where, "b");
    /* unknown states, initial, duplicates, bad codes */
    assert_int_equal(parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
                           "{\"from\":\"a\",\"to\":\"x\",\"roles\":[\"petugas\"]}]}",
                           where),
                     WF_E_UNKNOWN_REF);
    assert_string_equal(where, "x");
    assert_int_equal(parse("{\"initial\":\"z\"," S3 ",\"transitions\":[]}", where),
                     WF_E_UNKNOWN_REF);
    assert_int_equal(parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
                           "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"]},"
                           "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"citizen\"]},"
                           "{\"from\":\"b\",\"to\":\"c\",\"roles\":[\"petugas\"]}]}",
                           where),
                     WF_E_DUPLICATE);
    assert_int_equal(parse("{\"initial\":\"a\",\"states\":[{\"code\":\"a\"},{\"code\":\"a\"}],"
                           "\"transitions\":[]}",
                           where),
                     WF_E_CODE);
    assert_int_equal(parse("{\"initial\":\"A\",\"states\":[{\"code\":\"A\",\"terminal\":true}],"
                           "\"transitions\":[]}",
                           where),
                     WF_E_CODE);
    /* clocks: a pause into an end state, a resume while running, a state both paused and not */
    assert_int_equal(
        parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
              "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"]},"
              "{\"from\":\"b\",\"to\":\"c\",\"roles\":[\"petugas\"],\"clock\":\"pause\"}]}",
              where),
        WF_E_CLOCK);
    assert_int_equal(
        parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
              "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"],\"clock\":\"resume\"},"
              "{\"from\":\"b\",\"to\":\"c\",\"roles\":[\"petugas\"]}]}",
              where),
        WF_E_CLOCK);
    assert_int_equal(
        parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
              "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"],\"clock\":\"pause\"},"
              "{\"from\":\"b\",\"to\":\"a\",\"roles\":[\"citizen\"]},"
              "{\"from\":\"b\",\"to\":\"c\",\"roles\":[\"petugas\"]}]}",
              where),
        WF_E_CLOCK);
    assert_int_equal(
        parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
              "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"],\"clock\":\"pause\"},"
              "{\"from\":\"b\",\"to\":\"a\",\"roles\":[\"citizen\"],\"clock\":\"resume\"},"
              "{\"from\":\"a\",\"to\":\"c\",\"roles\":[\"petugas\"]}]}",
              where),
        WF_OK);
    /* not JSON / wrong shape / wrong values */
    assert_int_equal(parse("{", where), WF_E_JSON);
    assert_int_equal(parse("[]", where), WF_E_JSON);
    assert_int_equal(parse("{\"initial\":\"a\",\"states\":[],\"transitions\":[]}", where),
                     WF_E_JSON);
    assert_int_equal(parse("{\"initial\":\"a\",\"states\":[{\"code\":\"a\",\"end\":\"maybe\"}],"
                           "\"transitions\":[]}",
                           where),
                     WF_E_JSON);
    assert_int_equal(
        parse("{\"initial\":\"a\"," S3 ",\"transitions\":["
              "{\"from\":\"a\",\"to\":\"b\",\"roles\":[\"petugas\"],\"clock\":\"stop\"}]}",
              where),
        WF_E_JSON);
    /* too many states */
    char big[8192];
    size_t k = (size_t)snprintf(big, sizeof big, "{\"initial\":\"s0\",\"states\":[");
    for (int i = 0; i <= WF_MAX_STATES; i++)
        k += (size_t)snprintf(big + k, sizeof big - k, "%s{\"code\":\"s%d\"}", i ? "," : "", i);
    snprintf(big + k, sizeof big - k, "],\"transitions\":[]}");
    assert_int_equal(parse(big, where), WF_E_TOO_MANY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allowed_transition),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_states_and_pauses),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

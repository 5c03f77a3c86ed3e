/* core/workflow: the states a request goes through and who may move it, as DATA. Pure C, no I/O,
 * no allocation (a definition is a fixed-size value).
 *
 * A definition lists states (a code such as "diajukan", whether it is terminal, and what it means
 * for the SLA clock) and transitions (from, to, the roles that may take it, whether it needs a
 * reason, whether it pauses or resumes the clock). The built-in default is the adminduk flow of
 * issue 6:
 *
 *   diajukan -> diverifikasi -> diproses -> selesai -> { diambil | dikirim -> diterima | dicetak }
 *   perlu_perbaikan <-> dilengkapi (the clock stops while the office waits for the citizen)
 *   ditolak (with a reason), dibatalkan (by the citizen before processing starts)
 *
 * A service may carry its own definition as JSON (wf_parse), validated before it is accepted.
 * wf_check() is the one place that decides whether a transition is allowed; callers turn its
 * code into a message. See docs/internals/requests.md. */
#ifndef LAYAN_CORE_WORKFLOW_H
#define LAYAN_CORE_WORKFLOW_H
#include <stdbool.h>
#include <stddef.h>

#define WF_MAX_STATES 32
#define WF_MAX_TRANS 128
#define WF_CODE_MAX 32 /* a state code: 1..31 of [a-z0-9_], starting with a letter */

/* who acts: one bit each, so a transition names a set */
enum wf_role {
    WF_CITIZEN = 1u << 0,
    WF_PETUGAS = 1u << 1,
    WF_KURIR = 1u << 2,
    WF_KEPALA = 1u << 3, /* kepala_unit */
    WF_SYSTEM = 1u << 4, /* the server itself: kiosk print, expiry */
};
#define WF_ROLE_ALL 0x1Fu
/* "citizen", "petugas", "kurir", "kepala_unit", "system" -> the bit; 0 when unknown */
unsigned wf_role_parse(const char *name);
const char *wf_role_name(unsigned role); /* one bit -> its name; NULL otherwise */

/* what a state means for the SLA */
enum wf_end {
    WF_END_NONE = 0,   /* work in progress (the clock runs, unless paused) */
    WF_END_DONE = 1,   /* the office has answered: reaching it first stops the SLA clock for good
                          (selesai, the hand-over states, ditolak); counted in statistics */
    WF_END_CANCEL = 2, /* withdrawn: the clock stops, not counted in statistics */
};

enum wf_clock { WF_CLOCK_KEEP = 0, WF_CLOCK_PAUSE = 1, WF_CLOCK_RESUME = 2 };

typedef struct {
    char code[WF_CODE_MAX];
    bool terminal; /* no transition leaves it */
    enum wf_end end;
} wf_state;

typedef struct {
    int from, to;   /* indexes into states */
    unsigned roles; /* enum wf_role bits */
    bool reason;    /* a reason is required (shown to the citizen) */
    enum wf_clock clock;
} wf_transition;

typedef struct {
    int initial; /* index of the state a new request starts in */
    int nstates, ntrans;
    wf_state states[WF_MAX_STATES];
    wf_transition trans[WF_MAX_TRANS];
} wf_def;

/* the answer of wf_check and wf_parse: 0 = allowed / valid */
enum wf_err {
    WF_OK = 0,
    WF_E_STATE,      /* from or to is not a state of this workflow */
    WF_E_TERMINAL,   /* from is terminal: nothing happens after it */
    WF_E_TRANSITION, /* no transition from -> to */
    WF_E_ROLE,       /* the transition exists, but not for this role */
    WF_E_REASON,     /* the transition needs a reason and none was given */
    /* wf_parse only */
    WF_E_JSON,        /* not JSON, or not the expected shape */
    WF_E_CODE,        /* a state code is malformed or repeated */
    WF_E_UNKNOWN_REF, /* a transition or "initial" names a state that is not declared */
    WF_E_UNKNOWN_ROLE,
    WF_E_FROM_TERMINAL, /* a transition leaves a terminal state */
    WF_E_UNREACHABLE,   /* a state cannot be reached from the initial one */
    WF_E_DEAD_END,      /* a non-terminal state has no way out */
    WF_E_DUPLICATE,     /* two transitions with the same from and to */
    WF_E_CLOCK,         /* pause/resume do not add up (a state both paused and running) */
    WF_E_TOO_MANY,      /* more than WF_MAX_STATES / WF_MAX_TRANS */
};
const char *wf_err_code(enum wf_err e); /* stable English code for logs and JSON ("role") */

/* the built-in adminduk workflow (a static value; never NULL) */
const wf_def *wf_default(void);

/* index of a state, -1 when absent */
int wf_state_index(const wf_def *d, const char *code);
const wf_state *wf_state_get(const wf_def *d, const char *code); /* NULL when absent */
/* the transition from -> to, NULL when there is none */
const wf_transition *wf_find(const wf_def *d, const char *from, const char *to);

/* the one decision: may `actor_role` (one wf_role bit) move a request from -> to? */
enum wf_err wf_check(const wf_def *d, const char *from, const char *to, unsigned actor_role,
                     bool has_reason);

/* the states `actor_role` may move a request to from `from` (the buttons an officer sees), in
 * definition order, at most max; returns how many */
int wf_next(const wf_def *d, const char *from, unsigned actor_role, const char **out, int max);

/* true when the clock is stopped in this state because the office waits for the citizen (the
 * state is entered by a pausing transition) */
bool wf_paused_in(const wf_def *d, const char *code);

/* parses and validates a definition:
 * {"initial": "diajukan",
 *  "states": [{"code": "diajukan"}, {"code": "selesai", "end": "done"},
 *             {"code": "diambil", "end": "done", "terminal": true}, ...],
 *  "transitions": [{"from": "diajukan", "to": "diverifikasi", "roles": ["petugas"],
 *                   "reason": false, "clock": "pause" | "resume" | "keep"}, ...]}
 * Refuses unknown keys' values (roles, end, clock), unreachable states, dead ends, transitions
 * from terminal states, and pause/resume that contradict each other. On error *where (may be
 * NULL) gets the offending state code or transition index as text (cap 64). */
enum wf_err wf_parse(const char *json, size_t n, wf_def *out, char *where, size_t wherecap);
/* the definition as JSON in the same format, into out (NUL-terminated); false when cap is short */
bool wf_to_json(const wf_def *d, char *out, size_t cap);

#endif

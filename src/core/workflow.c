/* core/workflow: see workflow.h. The default definition is built once from a compact table;
 * wf_parse builds the same value from JSON and validates it with the same checks. */
#include "core/workflow.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

static const struct {
    unsigned bit;
    const char *name;
} roles[] = {{WF_CITIZEN, "citizen"},
             {WF_PETUGAS, "petugas"},
             {WF_KURIR, "kurir"},
             {WF_KEPALA, "kepala_unit"},
             {WF_SYSTEM, "system"}};

unsigned wf_role_parse(const char *name)
{
    if (!name) return 0;
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(roles[i].name, name) == 0) return roles[i].bit;
    return 0;
}

const char *wf_role_name(unsigned role)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].bit == role) return roles[i].name;
    return NULL;
}

const char *wf_err_code(enum wf_err e)
{
    static const char *const codes[] = {
        "ok",       "state",     "terminal",    "transition",   "role",          "reason",
        "json",     "code",      "unknown_ref", "unknown_role", "from_terminal", "unreachable",
        "dead_end", "duplicate", "clock",       "too_many"};
    return (unsigned)e < sizeof codes / sizeof codes[0] ? codes[e] : "unknown";
}

/* ---- the default adminduk workflow ---- */

#define OFF (WF_PETUGAS | WF_KEPALA) /* the office */

static const struct {
    const char *code;
    bool terminal;
    enum wf_end end;
} default_states[] = {
    {"diajukan", false, WF_END_NONE},        {"diverifikasi", false, WF_END_NONE},
    {"diproses", false, WF_END_NONE},        {"selesai", false, WF_END_DONE},
    {"diambil", true, WF_END_DONE},          {"dikirim", false, WF_END_DONE},
    {"diterima", true, WF_END_DONE},         {"dicetak", true, WF_END_DONE},
    {"perlu_perbaikan", false, WF_END_NONE}, {"dilengkapi", false, WF_END_NONE},
    {"ditolak", true, WF_END_DONE},          {"dibatalkan", true, WF_END_CANCEL},
};

static const struct {
    const char *from, *to;
    unsigned roles;
    bool reason;
    enum wf_clock clock;
} default_trans[] = {
    {"diajukan", "diverifikasi", OFF, false, WF_CLOCK_KEEP},
    {"diajukan", "perlu_perbaikan", OFF, true, WF_CLOCK_PAUSE},
    {"diajukan", "ditolak", OFF, true, WF_CLOCK_KEEP},
    {"diajukan", "dibatalkan", WF_CITIZEN | OFF, false, WF_CLOCK_KEEP},
    {"perlu_perbaikan", "dilengkapi", WF_CITIZEN | WF_PETUGAS, false, WF_CLOCK_RESUME},
    {"perlu_perbaikan", "dibatalkan", WF_CITIZEN | WF_SYSTEM | OFF, false, WF_CLOCK_KEEP},
    {"dilengkapi", "diverifikasi", OFF, false, WF_CLOCK_KEEP},
    {"dilengkapi", "perlu_perbaikan", OFF, true, WF_CLOCK_PAUSE},
    {"dilengkapi", "ditolak", OFF, true, WF_CLOCK_KEEP},
    {"dilengkapi", "dibatalkan", WF_CITIZEN | OFF, false, WF_CLOCK_KEEP},
    {"diverifikasi", "diproses", OFF, false, WF_CLOCK_KEEP},
    {"diverifikasi", "perlu_perbaikan", OFF, true, WF_CLOCK_PAUSE},
    {"diverifikasi", "ditolak", OFF, true, WF_CLOCK_KEEP},
    {"diverifikasi", "dibatalkan", WF_CITIZEN | OFF, false, WF_CLOCK_KEEP},
    {"diproses", "selesai", OFF, false, WF_CLOCK_KEEP},
    {"diproses", "ditolak", OFF, true, WF_CLOCK_KEEP},
    {"selesai", "diambil", OFF, false, WF_CLOCK_KEEP},
    {"selesai", "dikirim", OFF, false, WF_CLOCK_KEEP},
    {"selesai", "dicetak", WF_SYSTEM, false, WF_CLOCK_KEEP},
    {"dikirim", "diterima", WF_KURIR | OFF, false, WF_CLOCK_KEEP},
    /* undeliverable after the allowed attempts: back to the service point, with the reason */
    {"dikirim", "selesai", WF_KURIR | OFF, true, WF_CLOCK_KEEP},
};

static wf_def default_def;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void build_default(wf_def *d)
{
    memset(d, 0, sizeof *d);
    for (size_t i = 0; i < sizeof default_states / sizeof default_states[0]; i++) {
        wf_state *s = &d->states[d->nstates++];
        snprintf(s->code, sizeof s->code, "%s", default_states[i].code);
        s->terminal = default_states[i].terminal;
        s->end = default_states[i].end;
    }
    for (size_t i = 0; i < sizeof default_trans / sizeof default_trans[0]; i++) {
        wf_transition *t = &d->trans[d->ntrans++];
        t->from = wf_state_index(d, default_trans[i].from);
        t->to = wf_state_index(d, default_trans[i].to);
        t->roles = default_trans[i].roles;
        t->reason = default_trans[i].reason;
        t->clock = default_trans[i].clock;
    }
    d->initial = 0;
}

static void build_once(void)
{
    build_default(&default_def);
}

const wf_def *wf_default(void)
{
    pthread_once(&default_once, build_once);
    return &default_def;
}

/* ---- lookups and the decision ---- */

int wf_state_index(const wf_def *d, const char *code)
{
    if (!code) return -1;
    for (int i = 0; i < d->nstates; i++)
        if (strcmp(d->states[i].code, code) == 0) return i;
    return -1;
}

const wf_state *wf_state_get(const wf_def *d, const char *code)
{
    int i = wf_state_index(d, code);
    return i < 0 ? NULL : &d->states[i];
}

const wf_transition *wf_find(const wf_def *d, const char *from, const char *to)
{
    int f = wf_state_index(d, from), t = wf_state_index(d, to);
    if (f < 0 || t < 0) return NULL;
    for (int i = 0; i < d->ntrans; i++)
        if (d->trans[i].from == f && d->trans[i].to == t) return &d->trans[i];
    return NULL;
}

enum wf_err wf_check(const wf_def *d, const char *from, const char *to, unsigned actor_role,
                     bool has_reason)
{
    int f = wf_state_index(d, from), t = wf_state_index(d, to);
    if (f < 0 || t < 0) return WF_E_STATE;
    if (d->states[f].terminal) return WF_E_TERMINAL;
    const wf_transition *tr = wf_find(d, from, to);
    if (!tr) return WF_E_TRANSITION;
    if (!actor_role || (actor_role & (actor_role - 1)) || !(tr->roles & actor_role))
        return WF_E_ROLE;
    if (tr->reason && !has_reason) return WF_E_REASON;
    return WF_OK;
}

int wf_next(const wf_def *d, const char *from, unsigned actor_role, const char **out, int max)
{
    int f = wf_state_index(d, from), n = 0;
    if (f < 0 || d->states[f].terminal) return 0;
    for (int i = 0; i < d->ntrans && n < max; i++)
        if (d->trans[i].from == f && (d->trans[i].roles & actor_role))
            out[n++] = d->states[d->trans[i].to].code;
    return n;
}

bool wf_paused_in(const wf_def *d, const char *code)
{
    int s = wf_state_index(d, code);
    if (s < 0 || d->states[s].end != WF_END_NONE) return false;
    for (int i = 0; i < d->ntrans; i++)
        if (d->trans[i].to == s && d->trans[i].clock == WF_CLOCK_PAUSE) return true;
    return false;
}

/* ---- validation ---- */

static void say(char *where, size_t cap, const char *what)
{
    if (where && cap) snprintf(where, cap, "%s", what);
}

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= WF_CODE_MAX || s[0] < 'a' || s[0] > 'z') return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

static enum wf_err validate(wf_def *d, char *where, size_t cap)
{
    if (d->nstates < 1 || d->initial < 0 || d->initial >= d->nstates) return WF_E_UNKNOWN_REF;
    for (int i = 0; i < d->nstates; i++) {
        if (!code_ok(d->states[i].code)) {
            say(where, cap, d->states[i].code);
            return WF_E_CODE;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(d->states[i].code, d->states[j].code) == 0) {
                say(where, cap, d->states[i].code);
                return WF_E_CODE;
            }
    }
    for (int i = 0; i < d->ntrans; i++) {
        const wf_transition *t = &d->trans[i];
        char idx[24];
        snprintf(idx, sizeof idx, "%d", i);
        if (t->from < 0 || t->from >= d->nstates || t->to < 0 || t->to >= d->nstates) {
            say(where, cap, idx);
            return WF_E_UNKNOWN_REF;
        }
        if (!t->roles || (t->roles & ~WF_ROLE_ALL)) {
            say(where, cap, idx);
            return WF_E_UNKNOWN_ROLE;
        }
        if (d->states[t->from].terminal) {
            say(where, cap, d->states[t->from].code);
            return WF_E_FROM_TERMINAL;
        }
        for (int j = 0; j < i; j++)
            if (d->trans[j].from == t->from && d->trans[j].to == t->to) {
                say(where, cap, idx);
                return WF_E_DUPLICATE;
            }
    }
    /* reachability, and the clock: 1 = running, 2 = paused, for states before the end */
    int seen[WF_MAX_STATES] = {0}, queue[WF_MAX_STATES], qh = 0, qt = 0;
    seen[d->initial] = 1;
    queue[qt++] = d->initial;
    while (qh < qt) {
        int s = queue[qh++];
        for (int i = 0; i < d->ntrans; i++) {
            const wf_transition *t = &d->trans[i];
            if (t->from != s) continue;
            int clock = seen[s];
            if (t->clock == WF_CLOCK_PAUSE) {
                if (clock != 1 || d->states[t->to].end != WF_END_NONE) goto bad_clock;
                clock = 2;
            } else if (t->clock == WF_CLOCK_RESUME) {
                if (clock != 2) goto bad_clock;
                clock = 1;
            }
            if (d->states[t->to].end != WF_END_NONE) clock = 3; /* no clock after the end */
            if (!seen[t->to]) {
                seen[t->to] = clock;
                queue[qt++] = t->to;
            } else if (seen[t->to] != clock && d->states[t->to].end == WF_END_NONE) {
                say(where, cap, d->states[t->to].code);
                return WF_E_CLOCK;
            }
            continue;
        bad_clock:
            say(where, cap, d->states[t->to].code);
            return WF_E_CLOCK;
        }
    }
    for (int i = 0; i < d->nstates; i++) {
        if (!seen[i]) {
            say(where, cap, d->states[i].code);
            return WF_E_UNREACHABLE;
        }
        if (d->states[i].terminal) continue;
        bool out = false;
        for (int j = 0; j < d->ntrans && !out; j++)
            out = d->trans[j].from == i;
        if (!out) {
            say(where, cap, d->states[i].code);
            return WF_E_DEAD_END;
        }
    }
    return WF_OK;
}

/* ---- JSON ---- */

static enum wf_err parse_states(json_t *arr, wf_def *d, char *where, size_t cap)
{
    size_t i;
    json_t *v;
    if (!json_is_array(arr) || json_array_size(arr) == 0) return WF_E_JSON;
    if (json_array_size(arr) > WF_MAX_STATES) return WF_E_TOO_MANY;
    json_array_foreach(arr, i, v)
    {
        json_t *code = json_object_get(v, "code"), *term = json_object_get(v, "terminal"),
               *end = json_object_get(v, "end");
        if (!json_is_object(v) || !json_is_string(code)) return WF_E_JSON;
        wf_state *s = &d->states[d->nstates++];
        if (json_string_length(code) >= WF_CODE_MAX) {
            say(where, cap, json_string_value(code));
            return WF_E_CODE;
        }
        snprintf(s->code, sizeof s->code, "%s", json_string_value(code));
        if (term && !json_is_boolean(term)) return WF_E_JSON;
        s->terminal = json_is_true(term);
        const char *e = end ? json_string_value(end) : "none";
        if (!e) return WF_E_JSON;
        if (strcmp(e, "none") == 0) s->end = WF_END_NONE;
        else if (strcmp(e, "done") == 0) s->end = WF_END_DONE;
        else if (strcmp(e, "cancel") == 0) s->end = WF_END_CANCEL;
        else {
            say(where, cap, s->code);
            return WF_E_JSON;
        }
    }
    return WF_OK;
}

static enum wf_err parse_trans(json_t *arr, wf_def *d, char *where, size_t cap)
{
    size_t i, j;
    json_t *v, *r;
    if (!json_is_array(arr)) return WF_E_JSON;
    if (json_array_size(arr) > WF_MAX_TRANS) return WF_E_TOO_MANY;
    json_array_foreach(arr, i, v)
    {
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        if (!json_is_object(v)) return WF_E_JSON;
        const char *from = json_string_value(json_object_get(v, "from")),
                   *to = json_string_value(json_object_get(v, "to"));
        json_t *roles_v = json_object_get(v, "roles"), *reason = json_object_get(v, "reason"),
               *clock = json_object_get(v, "clock");
        if (!from || !to || !json_is_array(roles_v)) {
            say(where, cap, idx);
            return WF_E_JSON;
        }
        wf_transition *t = &d->trans[d->ntrans++];
        t->from = wf_state_index(d, from);
        t->to = wf_state_index(d, to);
        if (t->from < 0 || t->to < 0) {
            say(where, cap, t->from < 0 ? from : to);
            return WF_E_UNKNOWN_REF;
        }
        json_array_foreach(roles_v, j, r)
        {
            unsigned bit = wf_role_parse(json_string_value(r));
            if (!bit) {
                say(where, cap, json_is_string(r) ? json_string_value(r) : idx);
                return WF_E_UNKNOWN_ROLE;
            }
            t->roles |= bit;
        }
        if (reason && !json_is_boolean(reason)) return WF_E_JSON;
        t->reason = json_is_true(reason);
        const char *c = clock ? json_string_value(clock) : "keep";
        if (!c) return WF_E_JSON;
        if (strcmp(c, "keep") == 0) t->clock = WF_CLOCK_KEEP;
        else if (strcmp(c, "pause") == 0) t->clock = WF_CLOCK_PAUSE;
        else if (strcmp(c, "resume") == 0) t->clock = WF_CLOCK_RESUME;
        else {
            say(where, cap, idx);
            return WF_E_JSON;
        }
    }
    return WF_OK;
}

enum wf_err wf_parse(const char *json, size_t n, wf_def *out, char *where, size_t cap)
{
    memset(out, 0, sizeof *out);
    say(where, cap, "");
    char err[128];
    json_t *root = jsonw_parse((str){json, n}, 8, err, sizeof err);
    if (!root) return WF_E_JSON;
    enum wf_err e = WF_E_JSON;
    const char *initial = json_string_value(json_object_get(root, "initial"));
    if (!json_is_object(root) || !initial) goto done;
    if ((e = parse_states(json_object_get(root, "states"), out, where, cap)) != WF_OK) goto done;
    if ((e = parse_trans(json_object_get(root, "transitions"), out, where, cap)) != WF_OK)
        goto done;
    out->initial = wf_state_index(out, initial);
    if (out->initial < 0) {
        say(where, cap, initial);
        e = WF_E_UNKNOWN_REF;
        goto done;
    }
    e = validate(out, where, cap);
done:
    json_decref(root);
    return e;
}

bool wf_to_json(const wf_def *d, char *out, size_t cap)
{
    static const char *const ends[] = {"none", "done", "cancel"};
    static const char *const clocks[] = {"keep", "pause", "resume"};
    json_t *root = json_object(), *st = json_array(), *tr = json_array();
    json_object_set_new(root, "initial", json_string(d->states[d->initial].code));
    for (int i = 0; i < d->nstates; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "code", json_string(d->states[i].code));
        if (d->states[i].terminal) json_object_set_new(s, "terminal", json_true());
        if (d->states[i].end) json_object_set_new(s, "end", json_string(ends[d->states[i].end]));
        json_array_append_new(st, s);
    }
    for (int i = 0; i < d->ntrans; i++) {
        const wf_transition *t = &d->trans[i];
        json_t *o = json_object(), *r = json_array();
        json_object_set_new(o, "from", json_string(d->states[t->from].code));
        json_object_set_new(o, "to", json_string(d->states[t->to].code));
        for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++)
            if (t->roles & roles[k].bit) json_array_append_new(r, json_string(roles[k].name));
        json_object_set_new(o, "roles", r);
        if (t->reason) json_object_set_new(o, "reason", json_true());
        if (t->clock) json_object_set_new(o, "clock", json_string(clocks[t->clock]));
        json_array_append_new(tr, o);
    }
    json_object_set_new(root, "states", st);
    json_object_set_new(root, "transitions", tr);
    char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    bool ok = s && strlen(s) < cap;
    if (ok) memcpy(out, s, strlen(s) + 1);
    free(s);
    return ok;
}

/* services workflow: see workflow.h. The SQL here only reads (the own definition's row, the
 * requests per state); writes go through req_workflow_set. */
#include "features/services/workflow.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/requests/requests.h"
#include "lib/str.h"
#include "render/i18n.h"

int svcwf_current_get(db_conn *c, arena *a, int64_t service_id, svcwf_current *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s =
        db_prepare(c, "SELECT definition, updated_at FROM service_workflows WHERE service_id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    int r = db_step(s);
    if (r == DB_ROW) {
        str j = db_col_text(s, 0), at = db_col_text(s, 1);
        out->own = true;
        out->updated_at = arena_strndup(a, at.p ? at.p : "", at.n);
        /* the same fallback as req_workflow: a row that no longer parses means the default */
        if (wf_parse(j.p ? j.p : "", j.n, &out->def, NULL, 0) != WF_OK) {
            out->own_broken = true;
            out->def = *wf_default();
        }
        r = DB_OK;
    } else if (r == DB_DONE) {
        out->def = *wf_default();
        r = DB_OK;
    }
    db_finish(s);
    return r;
}

int svcwf_stranded_check(db_conn *c, arena *a, int64_t service_id, const wf_def *cur,
                         const wf_def *next, svcwf_stranded *out)
{
    out->state = NULL;
    out->count = 0;
    db_stmt *s = db_prepare(c, "SELECT status, COUNT(*) FROM requests WHERE service_id = $1 "
                               "GROUP BY status ORDER BY status");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, service_id);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        str st = db_col_text(s, 0);
        char code[WF_CODE_MAX];
        if (!st.p || st.n >= sizeof code) continue; /* not a state code of any workflow */
        memcpy(code, st.p, st.n);
        code[st.n] = 0;
        const wf_state *in_cur = wf_state_get(cur, code);
        /* requests in a final state never move again, and a state the workflow in force does
         * not know already cannot move: dropping either strands nothing new */
        if (!in_cur || in_cur->terminal || wf_state_index(next, code) >= 0) continue;
        if (!out->state) {
            out->state = arena_strdup(a, code);
            out->count = db_col_int(s, 1);
        }
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

int svcwf_apply(db_conn *c, arena *a, int64_t service_id, const char *json, int64_t now,
                svcwf_stranded *st, enum wf_err *why)
{
    *why = WF_OK;
    st->state = NULL;
    st->count = 0;
    wf_def *next = arena_alloc(a, sizeof *next);
    if (json) {
        if ((*why = wf_parse(json, strlen(json), next, NULL, 0)) != WF_OK) return REQ_INVALID;
    } else {
        *next = *wf_default();
    }
    svcwf_current *cur = arena_alloc(a, sizeof *cur);
    int r = svcwf_current_get(c, a, service_id, cur);
    if (r == DB_OK) r = svcwf_stranded_check(c, a, service_id, &cur->def, next, st);
    if (r != DB_OK) return r;
    if (st->count > 0) return SVCWF_STRANDED;
    r = req_workflow_set(c, service_id, json, now, why);
    return r;
}

/* one element per line: {"code": "diajukan"} */
static void put_elem(buf *b, json_t *v, bool last)
{
    char *s = json_dumps(v, JSON_INDENT(0) | JSON_PRESERVE_ORDER);
    buf_puts(b, "    ");
    buf_puts(b, s ? s : "{}");
    buf_puts(b, last ? "\n" : ",\n");
    free(s);
}

char *svcwf_pretty(arena *a, const wf_def *d)
{
    static _Thread_local char compact[64 * 1024];
    if (!wf_to_json(d, compact, sizeof compact)) return arena_strdup(a, "");
    json_t *root = json_loads(compact, JSON_DECODE_ANY, NULL);
    if (!root) return arena_strdup(a, compact);
    buf b;
    buf_init(&b, 256 * 1024);
    char *init = json_dumps(json_object_get(root, "initial"), JSON_ENCODE_ANY);
    buf_printf(&b, "{\n  \"initial\": %s,\n  \"states\": [\n", init ? init : "\"\"");
    free(init);
    json_t *arr = json_object_get(root, "states"), *v;
    size_t i, n = json_array_size(arr);
    json_array_foreach(arr, i, v) put_elem(&b, v, i + 1 == n);
    buf_puts(&b, "  ],\n  \"transitions\": [\n");
    arr = json_object_get(root, "transitions");
    n = json_array_size(arr);
    json_array_foreach(arr, i, v) put_elem(&b, v, i + 1 == n);
    buf_puts(&b, "  ]\n}\n");
    json_decref(root);
    char *out = arena_strndup(a, b.p ? b.p : "", b.p ? b.n : 0);
    buf_free(&b);
    return out;
}

static bool all_digits(const char *s)
{
    if (!s || !*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

const char *svcwf_err_msgid(arena *a, enum wf_err e, const char *where, const char **arg)
{
    bool num = all_digits(where);
    *arg = where ? where : "";
    if (num) *arg = arena_printf(a, "%ld", strtol(where, NULL, 10) + 1);
    switch (e) {
    case WF_E_JSON:
        if (num)
            return N_("Transition no. %s is not written as expected: it needs \"from\", \"to\" and "
                      "a list of \"roles\"; \"reason\" is true or false; \"clock\" is keep, pause "
                      "or resume.");
        if (where && *where)
            return N_("State \"%s\": \"end\" must be none, done or cancel, and \"terminal\" true "
                      "or false.");
        return N_("The system cannot read this as a workflow%s: check the brackets, quotes and "
                  "commas, and that it has \"initial\", \"states\" and \"transitions\".");
    case WF_E_CODE:
        return N_("State code \"%s\" is not allowed or is listed twice: use 1 to 31 small "
                  "letters, digits or \"_\", starting with a letter.");
    case WF_E_UNKNOWN_REF:
        if (num) return N_("Transition no. %s names a state that is not listed under \"states\".");
        if (where && *where) return N_("\"%s\" is not one of the states listed under \"states\".");
        return N_("The workflow needs at least one state%s, and \"initial\" must be one of them.");
    case WF_E_UNKNOWN_ROLE:
        if (num) return N_("Transition no. %s needs at least one role in \"roles\".");
        return N_("Role \"%s\" is unknown: use citizen, petugas, kurir, kepala_unit or system.");
    case WF_E_FROM_TERMINAL:
        return N_("State \"%s\" is final (\"terminal\": true), so no transition may leave it.");
    case WF_E_UNREACHABLE:
        return N_("State \"%s\" cannot be reached from the first state: add a transition that "
                  "leads to it, or remove it.");
    case WF_E_DEAD_END:
        return N_("State \"%s\" is not final but no transition leaves it, so requests would be "
                  "stuck there: add a way out, or mark it \"terminal\": true.");
    case WF_E_DUPLICATE:
        return N_("Transition no. %s repeats an earlier transition with the same \"from\" and "
                  "\"to\".");
    case WF_E_CLOCK:
        return N_("The clock settings around state \"%s\" contradict each other: \"pause\" only "
                  "from a state where the clock runs into a state that is not an end, and "
                  "\"resume\" only from a paused state.");
    case WF_E_TOO_MANY:
        return N_("Too many states or transitions%s: at most 32 states and 128 transitions.");
    default: return N_("This workflow definition is not valid%s.");
    }
}

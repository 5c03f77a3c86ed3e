/* services workflow: what the admin page (admin_workflow.c) and `layan workflow` (cli/workflow.c)
 * share about a service's own request workflow. The workflow itself is core/workflow; it is
 * stored and read through req_workflow_set / req_workflow (features/requests). This module adds:
 * whether the service has its own definition or follows the built-in default, the guard that
 * refuses a definition dropping a state where open requests of the service sit, one function
 * that sets or resets inside the caller's transaction, the definition as readable JSON, and the
 * words for a wf_parse error. Strings live in the caller's arena. */
#ifndef LAYAN_SERVICES_WORKFLOW_H
#define LAYAN_SERVICES_WORKFLOW_H
#include <stdbool.h>
#include <stdint.h>

#include "core/workflow.h"
#include "db/db.h"
#include "lib/arena.h"

typedef struct {
    wf_def def;             /* in force: the service's own, or the built-in default */
    bool own;               /* the service has its own definition (a service_workflows row) */
    bool own_broken;        /* that row no longer parses, so the default is in force */
    const char *updated_at; /* when the own definition was saved (UTC ISO), NULL otherwise */
} svcwf_current;
int svcwf_current_get(db_conn *c, arena *a, int64_t service_id, svcwf_current *out);

/* the first state of `cur` that `next` drops while requests of the service sit in it and can
 * still move (the state is not terminal in `cur`); count 0 when there is none */
typedef struct {
    const char *state;
    int64_t count;
} svcwf_stranded;
int svcwf_stranded_check(db_conn *c, arena *a, int64_t service_id, const wf_def *cur,
                         const wf_def *next, svcwf_stranded *s);

enum { SVCWF_STRANDED = 7 }; /* svcwf_apply: refused by the guard, see *s */
/* sets the service's own definition (json) or goes back to the default (json NULL), inside the
 * caller's transaction, after the guard: DB_OK; REQ_INVALID with *why (wf_parse); SVCWF_STRANDED
 * with *s; or a DB error. The caller audits and commits. */
int svcwf_apply(db_conn *c, arena *a, int64_t service_id, const char *json, int64_t now,
                svcwf_stranded *s, enum wf_err *why);

/* the definition as JSON in wf_parse's format, one state or transition per line */
char *svcwf_pretty(arena *a, const wf_def *d);

/* an English msgid with one %s explaining a wf_parse error; *arg gets its argument (the state
 * code, role, or the 1-based number of the transition), "" when there is none */
const char *svcwf_err_msgid(arena *a, enum wf_err e, const char *where, const char **arg);

#endif

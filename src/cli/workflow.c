/* cli/workflow: `layan workflow show|set|reset <service-code> [file] --db URL`: a service's
 * request workflow for operators, the same rules as the admin page (/admin/layanan/{code}/alur):
 * validated by wf_parse, refused when it drops a state where open requests of the service sit,
 * audited (actor "layan workflow"). show prints the definition in force as JSON on stdout (and
 * whether it is the service's own or the built-in default on stderr), so its output can be
 * edited and given back to set. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/app.h"
#include "features/audit/audit.h"
#include "features/requests/requests.h"
#include "features/services/services.h"
#include "features/services/workflow.h"

#define DEF_MAX (1024 * 1024)

static void help(void)
{
    printf("Usage: layan workflow show  <service-code> --db URL\n"
           "       layan workflow set   <service-code> [FILE|-] --db URL\n"
           "       layan workflow reset <service-code> --db URL\n\n"
           "A service's request workflow: its states and who may move a request between them.\n"
           "show prints the workflow in force as JSON on stdout and says on stderr whether it\n"
           "is the service's own or the built-in adminduk default. set reads a definition in\n"
           "the same JSON format from FILE (or standard input when FILE is absent or '-'),\n"
           "checks it and makes it the service's own; reset goes back to the built-in default.\n"
           "Both refuse a workflow that drops a state where open requests of the service sit,\n"
           "and both are recorded in the audit log. The format is described in\n"
           "docs/guide-admin.md (\"Request workflow\"). Exit codes: 0 done, 1 refused or failed,\n"
           "2 usage error.\n");
}

static char *read_all(FILE *f, size_t *n)
{
    size_t cap = 64 * 1024, len = 0;
    char *p = malloc(cap + 1);
    if (!p) return NULL;
    size_t got;
    while ((got = fread(p + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            if (cap >= DEF_MAX) {
                free(p);
                return NULL;
            }
            cap *= 2;
            char *q = realloc(p, cap + 1);
            if (!q) {
                free(p);
                return NULL;
            }
            p = q;
        }
    }
    p[len] = 0;
    *n = len;
    return p;
}

static int say_invalid(arena *a, enum wf_err e, const char *where)
{
    const char *arg;
    const char *msg = svcwf_err_msgid(a, e, where, &arg);
    fprintf(stderr, "layan workflow: the definition is not valid (%s): ", wf_err_code(e));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    fprintf(stderr, msg, arg);
#pragma GCC diagnostic pop
    fputc('\n', stderr);
    return 1;
}

static int show(db_conn *c, arena *a, const service *sv)
{
    svcwf_current cur;
    if (svcwf_current_get(c, a, sv->id, &cur) != DB_OK)
        return cli_fail("workflow", "cannot read the workflow of '%s'", sv->code);
    if (cur.own_broken)
        fprintf(stderr,
                "%s: its own workflow (saved %s) is no longer valid; the built-in default "
                "is in force\n",
                sv->code, cur.updated_at);
    else if (cur.own) fprintf(stderr, "%s: own workflow, saved %s\n", sv->code, cur.updated_at);
    else fprintf(stderr, "%s: built-in default workflow\n", sv->code);
    fputs(svcwf_pretty(a, &cur.def), stdout);
    return 0;
}

static int change(db_conn *c, arena *a, const service *sv, const char *json)
{
    if (json) {
        wf_def *d = arena_alloc(a, sizeof *d);
        char where[64];
        enum wf_err e = wf_parse(json, strlen(json), d, where, sizeof where);
        if (e != WF_OK) return say_invalid(a, e, where);
    }
    svcwf_stranded st;
    enum wf_err why = WF_OK;
    int r = DB_EBUSY;
    for (int attempt = 0; attempt < 3 && r == DB_EBUSY; attempt++) {
        int64_t now = app_now();
        r = db_begin(c);
        if (r == DB_OK) r = svcwf_apply(c, a, sv->id, json, now, &st, &why);
        if (r == DB_OK) {
            char obj[80];
            snprintf(obj, sizeof obj, "service:%s", sv->code);
            r = audit_append(c, now, "layan workflow", json ? "workflow.set" : "workflow.reset",
                             obj, json ? "own (command line)" : "built-in default (command line)");
        }
        if (r == DB_OK) r = db_commit(c);
        if (r != DB_OK) db_rollback(c);
    }
    if (r == SVCWF_STRANDED)
        return cli_fail("workflow",
                        "refused: %lld open request(s) of %s are in state '%s', which the new "
                        "workflow does not have; move them on first or keep that state",
                        (long long)st.count, sv->code, st.state);
    if (r == REQ_INVALID) return say_invalid(a, why, "");
    if (r != DB_OK) return cli_fail("workflow", "cannot save the workflow (database error %d)", r);
    printf("%s: %s\n", sv->code,
           json ? "own workflow saved" : "back to the built-in default workflow");
    return 0;
}

int cmd_workflow(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    if (argc < 2 || (strcmp(argv[1], "show") != 0 && strcmp(argv[1], "set") != 0 &&
                     strcmp(argv[1], "reset") != 0))
        return cli_usage_error("workflow", "expected show, set or reset");
    const char *sub = argv[1];
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {NULL, 0, NULL, 0}};
    const char *url = NULL;
    int ch;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd') url = optarg;
        else
            return cli_usage_error("workflow", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
    }
    int npos = argc - optind, maxpos = strcmp(sub, "set") == 0 ? 2 : 1;
    if (npos < 1) return cli_usage_error("workflow", "%s needs the service code", sub);
    if (npos > maxpos)
        return cli_usage_error("workflow", "unexpected argument '%s'", argv[optind + maxpos]);
    const char *code = argv[optind], *file = npos == 2 ? argv[optind + 1] : NULL;

    char *json = NULL;
    if (strcmp(sub, "set") == 0) {
        bool in = !file || strcmp(file, "-") == 0;
        FILE *f = in ? stdin : fopen(file, "rb");
        if (!f) return cli_fail("workflow", "cannot read '%s'", file);
        size_t n = 0;
        json = read_all(f, &n);
        if (!in) fclose(f);
        if (!json) return cli_fail("workflow", "cannot read the definition (at most 1 MiB)");
        if (strlen(json) != n) {
            free(json);
            return cli_fail("workflow", "the definition contains a NUL byte");
        }
    }
    db *d = cli_open_db("workflow", url);
    if (!d) {
        free(json);
        return url ? 1 : 2;
    }
    db_conn *c = db_acquire(d);
    arena *a = arena_new(0);
    int rc;
    service sv;
    int r = c ? svc_get(c, a, str_c(code), &sv) : DB_EUNAVAIL;
    if (r == DB_DONE) rc = cli_fail("workflow", "no service with code '%s'", code);
    else if (r != DB_OK) rc = cli_fail("workflow", "cannot read the database");
    else if (strcmp(sub, "show") == 0) rc = show(c, a, &sv);
    else rc = change(c, a, &sv, strcmp(sub, "set") == 0 ? json : NULL);
    arena_free(a);
    if (c) db_release(c);
    db_close(d);
    free(json);
    return rc;
}

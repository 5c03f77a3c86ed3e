/* cli/ikm: `layan ikm --db URL --unit CODE --period P [--with-subunits] [--service CODE]
 * [--json]`: the satisfaction index of a survey period, as a table or as one JSON object.
 * Numbers are printed from the exact integers of core/ikm (never through a double), so the
 * JSON carries exactly the rounded values: NRR and IKM with 4 decimals, IKM_25 with 2. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/skm/skm.h"
#include "features/units/units.h"

static void help(void)
{
    printf(
        "Usage: layan ikm --db URL --unit CODE --period P [--with-subunits] [--service CODE]\n"
        "                 [--json]\n\n"
        "Computes the satisfaction index (IKM, PermenPANRB 14/2017) of the survey period P of\n"
        "the unit CODE: NRR per element, the weighted index (1 to 4), IKM x 25 rounded once to\n"
        "2 decimals, mutu (A-D) and kinerja, with the population N, the minimum sample\n"
        "(Krejcie & Morgan) and the responses obtained.\n\n"
        "  --db URL           database, e.g. sqlite:var/layan.db\n"
        "  --unit CODE        unit code (pemda, disdukcapil, 32.73.01 ...)\n"
        "  --period P         2026, 2026-S1, 2026-Q1 or 2026-01-15..2026-03-31\n"
        "  --with-subunits    pool the answers of the periods P of the unit and of every unit\n"
        "                     below it\n"
        "  --service CODE     only the responses about that service\n"
        "  --json             one JSON object:\n"
        "    "
        "{\"unit\":...,\"period\":...,\"instrument\":{\"name\",\"version\",\"unit\",\"rounding\",\n"
        "     \"ladder\"},\"population\":N|null,\"sample_required\":S|null,\"responses\":R,\n"
        "     \"nrr\":{\"U1\":3.2500,...},\"ikm\":3.1234,\"ikm25\":78.09,\"mutu\":\"B\",\n"
        "     \"kinerja\":\"Baik\"}\n"
        "    nrr and ikm have 4 decimals, ikm25 2 decimals, each rounded half up from the\n"
        "    exact value (the class comes from ikm25).\n\n"
        "Exit status: 0 done, 1 the index cannot be computed (the reason is printed: no such\n"
        "period, no responses, an element nobody answered), 2 usage error.\n");
}

/* a JSON string literal of s */
static void put_json_str(buf *b, const char *s)
{
    if (!s) {
        buf_puts(b, "null");
        return;
    }
    json_t *j = json_string(s);
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    buf_puts(b, t ? t : "\"\"");
    free(t);
    json_decref(j);
}

static void put_fixed(buf *b, int64_t v, int decimals)
{
    int64_t p = decimals == 4 ? 10000 : 100;
    buf_printf(b, "%lld.%0*lld", (long long)(v / p), decimals, (long long)(v % p));
}

static void print_json(const skm_result *res)
{
    buf b;
    buf_init(&b, 1u << 20);
    buf_puts(&b, "{\"unit\":");
    put_json_str(&b, res->unit_code);
    buf_puts(&b, ",\"period\":");
    put_json_str(&b, res->period_code);
    buf_puts(&b, ",\"instrument\":{\"name\":");
    put_json_str(&b, res->ins.name);
    buf_printf(&b, ",\"version\":%d,\"unit\":", res->ins.version);
    put_json_str(&b, res->ins.unit_code);
    buf_puts(&b, ",\"rounding\":");
    put_json_str(&b, res->ins.rounding_rule);
    buf_puts(&b, ",\"ladder\":");
    put_json_str(&b, res->ins.ladder_name);
    buf_puts(&b, "},\"population\":");
    if (res->has_population)
        buf_printf(&b, "%lld,\"sample_required\":%lld", (long long)res->population,
                   (long long)res->sample_required);
    else buf_puts(&b, "null,\"sample_required\":null");
    buf_printf(&b, ",\"responses\":%lld,\"nrr\":{", (long long)res->responses);
    for (size_t u = 0; u < res->ins.nel; u++) {
        if (u) buf_putc(&b, ',');
        put_json_str(&b, res->ins.el[u].code);
        buf_putc(&b, ':');
        put_fixed(&b, res->r.nrr_e4[u], 4);
    }
    buf_puts(&b, "},\"ikm\":");
    put_fixed(&b, res->r.ikm_e4, 4);
    buf_puts(&b, ",\"ikm25\":");
    put_fixed(&b, res->r.ikm25_e2, 2);
    char grade[2] = {res->r.cls->grade, 0};
    buf_puts(&b, ",\"mutu\":");
    put_json_str(&b, grade);
    buf_puts(&b, ",\"kinerja\":");
    put_json_str(&b, res->r.cls->label);
    buf_puts(&b, "}\n");
    fputs(b.p ? b.p : "", stdout);
    buf_free(&b);
}

static void print_table(const skm_result *res)
{
    printf("Unit:             %s%s\n", res->unit_code,
           res->with_subunits ? " and the units below it" : "");
    printf("Period:           %s\n", res->period_code);
    if (res->service_code) printf("Service:          %s\n", res->service_code);
    printf("Instrument:       %s, version %d (%s), rounding %s, classes %s\n", res->ins.name,
           res->ins.version, res->ins.unit_code ? res->ins.unit_code : "government-wide",
           res->ins.rounding_rule, res->ins.ladder_name);
    if (res->has_population) {
        printf("Population (N):   %lld\n", (long long)res->population);
        printf("Minimum sample:   %lld (Krejcie & Morgan)\n", (long long)res->sample_required);
    } else {
        printf("Population (N):   not entered\n");
    }
    printf("Responses:        %lld%s\n", (long long)res->responses,
           res->has_population && res->responses < res->sample_required
               ? "  (below the minimum sample: the result is not representative)"
               : "");
    printf("\nElement  Answered  NRR     Weight     Label\n");
    for (size_t u = 0; u < res->ins.nel; u++) {
        const skm_element *e = &res->ins.el[u];
        char w[48];
        snprintf(w, sizeof w, "%lld/%lld", (long long)e->weight_num, (long long)e->weight_den);
        printf("%-8s %8lld  %lld.%04lld  %-10s %s\n", e->code, (long long)res->counts[u],
               (long long)(res->r.nrr_e4[u] / 10000), (long long)(res->r.nrr_e4[u] % 10000), w,
               e->label);
    }
    printf("\nIKM:              %lld.%04lld (1 to 4)\n", (long long)(res->r.ikm_e4 / 10000),
           (long long)(res->r.ikm_e4 % 10000));
    printf("IKM x 25:         %lld.%02lld\n", (long long)(res->r.ikm25_e2 / 100),
           (long long)(res->r.ikm25_e2 % 100));
    printf("Mutu:             %c (%s)\n", res->r.cls->grade, res->r.cls->label);
}

/* why the index is not there, in plain words; returns 1 */
static int why_not(const skm_result *res)
{
    switch (res->status) {
    case SKM_NO_RESPONSES:
        return cli_fail("ikm", "cannot compute the index: period %s of %s has no responses%s%s",
                        res->period_code, res->unit_code, res->service_code ? " for service " : "",
                        res->service_code ? res->service_code : "");
    case IKM_E_NO_ANSWERS:
        return cli_fail("ikm",
                        "cannot compute the index: nobody answered element %s (%s) in %lld "
                        "responses; every element needs answers",
                        res->ins.el[res->r.bad_element].code, res->ins.el[res->r.bad_element].label,
                        (long long)res->responses);
    case IKM_E_WEIGHTS:
        return cli_fail("ikm", "cannot compute the index: the instrument's weights do not add up "
                               "to 1");
    default: return cli_fail("ikm", "cannot compute the index: the counts are out of range");
    }
}

int cmd_ikm(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"unit", required_argument, NULL, 'u'},
                                         {"period", required_argument, NULL, 'p'},
                                         {"service", required_argument, NULL, 's'},
                                         {"with-subunits", no_argument, NULL, 'w'},
                                         {"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    const char *url = NULL, *unit_code = NULL, *period = NULL, *service = NULL;
    bool json = false, sub = false;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': url = optarg; break;
        case 'u': unit_code = optarg; break;
        case 'p': period = optarg; break;
        case 's': service = optarg; break;
        case 'w': sub = true; break;
        case 'j': json = true; break;
        default:
            return cli_usage_error("ikm", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return cli_usage_error("ikm", "unexpected argument '%s'", argv[optind]);
    if (!unit_code) return cli_usage_error("ikm", "--unit CODE is required");
    if (!period) return cli_usage_error("ikm", "--period P is required (for example 2026-Q1)");
    ikm_period ip;
    if (!ikm_period_parse(period, strlen(period), &ip))
        return cli_usage_error("ikm",
                               "'%.40s' is not a survey period; use 2026, 2026-S1, 2026-Q1 or "
                               "2026-01-01..2026-03-31",
                               period);
    db *d = cli_open_db("ikm", url);
    if (!d) return url ? 1 : 2;
    int rc = 1;
    char err[1024] = "";
    arena *a = arena_new(0);
    db_conn *c = NULL;
    if (db_migrate(d, err, sizeof err) != DB_OK) {
        cli_fail("ikm", "%s", err);
        goto out;
    }
    if (!(c = db_acquire(d))) {
        cli_fail("ikm", "cannot connect to the database");
        goto out;
    }
    int64_t unit_id = units_id(c, unit_code);
    if (!unit_id) {
        cli_fail("ikm", "there is no unit with code '%.60s'", unit_code);
        goto out;
    }
    skm_result res;
    int r = skm_result_compute(c, a, unit_id, ip.code, sub, service, &res, err, sizeof err);
    if (r == DB_DONE) {
        cli_fail("ikm", "unit %s has no survey period %s%s", unit_code, ip.code,
                 sub ? ", nor has any unit below it" : "");
    } else if (r == SKM_EINVALID) {
        cli_fail("ikm", "%s", err);
    } else if (r != DB_OK) {
        cli_fail("ikm", "database error: %s", db_errmsg(c));
    } else if (res.status != IKM_OK) {
        why_not(&res);
    } else {
        if (json) print_json(&res);
        else print_table(&res);
        rc = fflush(stdout) == 0 ? 0 : cli_fail("ikm", "cannot write the result");
    }
out:
    if (c) db_release(c);
    arena_free(a);
    db_close(d);
    return rc;
}

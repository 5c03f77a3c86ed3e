/* skm pages: the public "Hasil SKM". /skm/{unit} lists the unit's published survey periods
 * with IKM x 25, mutu and kinerja, and the trend chart; /skm/{unit}/{period} shows one
 * period's result: sample adequacy, NRR per element (table and bar chart), the index and its
 * class, the roll-up over the units below (?sub=1, when all of them published the period), the
 * breakdown by respondent profile (groups under SKM_K_MIN merged), the method in plain words,
 * the follow-up plan and the downloads. Only periods with status 'published' exist here. */
#include <string.h>

#include "features/app.h"
#include "features/skm/web.h"
#include "render/chart.h"
#include "render/tpl.h"

const http_param_spec skm_unit_params[] = {{"unit", HP_CODE, 1, 40, true}, {0}};
const http_param_spec skm_period_params[] = {{"unit", HP_CODE, 1, 40, true},
                                             {"period", HP_CODE, 1, 24, true},
                                             {"sub", HP_INT, 0, 1, false},
                                             {0}};
const http_param_spec skm_report_params[] = {
    {"unit", HP_CODE, 1, 40, true}, {"period", HP_CODE, 1, 24, true}, {0}};

#define MAX_TREND 12 /* periods in the trend chart (the table lists them all) */

static json_t *unit_json(http_req *rq, const unit *u)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "code", u->code, "name", u->name, "url",
                     arena_printf(rq->a, "/unit/%s", u->code), "skm_url",
                     arena_printf(rq->a, "/skm/%s", u->code));
}

/* the class ladder of a result as reference lines: "A 88,31", "B 76,61", "C 65,00" */
static size_t ladder_refs(http_req *rq, const skm_instrument *ins, chart_ref *refs)
{
    const ikm_ladder *l = ikm_ladder_find(ins->ladder_name);
    if (!l) l = IKM_LADDER_DEFAULT;
    size_t k = 0;
    for (int i = 0; i < l->n && k < 8; i++) {
        if (l->c[i].min_e2 <= 0) continue;
        refs[k].value = l->c[i].min_e2 / 100.0;
        refs[k].label =
            arena_printf(rq->a, "%c %s", l->c[i].grade, skm_fmt_fixed(rq, l->c[i].min_e2, 2));
        k++;
    }
    return k;
}

/* the figures of a computed result shared by both pages */
static void result_fields(http_req *rq, const skm_result *res, json_t *o)
{
    json_object_set_new(o, "responses", json_integer(res->responses));
    if (res->status != IKM_OK) return;
    char g[2] = {res->r.cls->grade, 0};
    json_object_set_new(o, "ok", json_true());
    json_object_set_new(o, "ikm", json_string(skm_fmt_fixed(rq, res->r.ikm_e4, 4)));
    json_object_set_new(o, "ikm25", json_string(skm_fmt_fixed(rq, res->r.ikm25_e2, 2)));
    json_object_set_new(o, "grade", json_string(g));
    json_object_set_new(o, "grade_class",
                        json_string(arena_printf(rq->a, "layan-grade--%c", g[0] - 'A' + 'a')));
    json_object_set_new(o, "kinerja", json_string(res->r.cls->label));
}

int skm_page_unit(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    unit u;
    skm_period *ps = NULL;
    size_t np = 0;
    int r = units_get(c, rq->a, http_param(rq, "unit"), &u);
    if (r == DB_OK) r = skm_periods_list(c, rq->a, u.id, &ps, &np);
    skm_result *res = arena_alloc(rq->a, (np + 1) * sizeof *res);
    size_t *idx = arena_alloc(rq->a, (np + 1) * sizeof *idx);
    size_t k = 0;
    for (size_t i = 0; r == DB_OK && i < np; i++) {
        if (strcmp(ps[i].status, "published") != 0) continue;
        char err[256];
        r = skm_result_compute(c, rq->a, u.id, ps[i].code, false, NULL, &res[k], err, sizeof err);
        idx[k++] = i;
    }
    db_release(c);
    if (r != DB_OK) return r == DB_DONE ? 404 : 503;

    json_t *ctx = json_object();
    json_object_set_new(ctx, "unit", unit_json(rq, &u));
    json_t *rows = json_array();
    chart_item *it = arena_alloc(rq->a, (k + 1) * sizeof *it);
    size_t ni = 0;
    const skm_instrument *ins = NULL;
    /* newest first in the table; the chart reads left to right in time */
    for (size_t j = k; j-- > 0;) {
        const skm_period *p = &ps[idx[j]];
        json_t *o = json_pack("{s:s,s:s,s:s}", "code", p->code, "label", skm_period_label(rq, p),
                              "url", arena_printf(rq->a, "/skm/%s/%s", u.code, p->code));
        result_fields(rq, &res[j], o);
        json_array_append_new(rows, o);
    }
    size_t first = 0, nok = 0;
    for (size_t j = 0; j < k; j++)
        nok += res[j].status == IKM_OK;
    for (size_t j = 0; j < k; j++) {
        if (res[j].status != IKM_OK) continue;
        if (first++ < (nok > MAX_TREND ? nok - MAX_TREND : 0)) continue;
        it[ni++] = (chart_item){ps[idx[j]].code, res[j].r.ikm25_e2 / 100.0,
                                skm_fmt_fixed(rq, res[j].r.ikm25_e2, 2)};
        ins = &res[j].ins;
    }
    json_object_set_new(ctx, "periods", rows);
    if (ni >= 1 && ins) {
        chart_ref refs[8];
        size_t nr = ladder_refs(rq, ins, refs);
        const char *svg = chart_columns(
            rq->a, http_t(rq, "IKM x 25 by survey period"),
            http_t(rq, "Columns from 0 to 100, one per period in time order, with the value above "
                       "each column. Dashed lines mark where the classes A, B and C begin."),
            it, ni, 0, 100, refs, nr);
        if (svg) json_object_set_new(ctx, "chart", tpl_safe_html(svg));
    }
    return http_page(rq, 200, "skm/public_unit", ctx);
}

static const char *const profile_title[SKM_NPROFILES] = {N_("Sex"), N_("Age"), N_("Education"),
                                                         N_("Occupation"), N_("Service received")};
static const char *const profile_id[SKM_NPROFILES] = {"jenis-kelamin", "umur", "pendidikan",
                                                      "pekerjaan", "layanan"};

static json_t *breakdown(http_req *rq, db_conn *c, const skm_pub *pb)
{
    json_t *out = json_array();
    for (int f = 0; f < SKM_NPROFILES; f++) {
        skm_group *g;
        size_t n;
        if (skm_pub_groups(c, rq->a, pb->u.id, &pb->p, false, &pb->res.ins, (enum skm_profile)f, &g,
                           &n) != DB_OK)
            continue;
        /* a field nobody filled in says nothing */
        if (n == 0 || (n == 1 && !g[0].value)) continue;
        bool hidden = false;
        n = skm_groups_merge_small(g, n, SKM_K_MIN, &hidden);
        int64_t total = 0;
        for (size_t i = 0; i < n; i++)
            total += g[i].responses;
        json_t *rows = json_array();
        chart_item *it = arena_alloc(rq->a, (n + 1) * sizeof *it);
        for (size_t i = 0; i < n; i++) {
            const char *label = skm_group_label(rq, (enum skm_profile)f, g[i].value);
            int64_t pct = total ? (g[i].responses * 200 + total) / (2 * total) : 0;
            const char *count =
                arena_printf(rq->a, "%lld (%lld%%)", (long long)g[i].responses, (long long)pct);
            it[i] = (chart_item){label, total ? (double)g[i].responses / (double)total : 0, count};
            json_t *o =
                json_pack("{s:s,s:I,s:s}", "label", label, "responses", (json_int_t)g[i].responses,
                          "pct", arena_printf(rq->a, "%lld%%", (long long)pct));
            bool small = g[i].value && !*g[i].value && hidden;
            int64_t v = small ? -1 : skm_group_ikm25(&pb->res.ins, &g[i]);
            if (v >= 0) json_object_set_new(o, "ikm25", json_string(skm_fmt_fixed(rq, v, 2)));
            json_array_append_new(rows, o);
        }
        const char *title = http_t(rq, profile_title[f]);
        const char *svg = chart_shares(
            rq->a, arena_printf(rq->a, http_t(rq, "Respondents by %s"), title),
            http_t(rq, "One bar per group, its length the group's share of the respondents, "
                       "with the number and the percentage after it."),
            it, n);
        json_t *p = json_pack("{s:s,s:s,s:o}", "title", title, "id", profile_id[f], "rows", rows);
        if (svg) json_object_set_new(p, "chart", tpl_safe_html(svg));
        json_array_append_new(out, p);
    }
    return out;
}

/* "U3 Waktu penyelesaian" for an element code of the result's instrument (the code alone when
 * the instrument has no such element) */
static const char *element_name(http_req *rq, const skm_instrument *ins, const char *code)
{
    for (size_t u = 0; u < ins->nel; u++)
        if (strcmp(ins->el[u].code, code) == 0)
            return arena_printf(rq->a, "%s %s", code, ins->el[u].label);
    return code;
}

/* the follow-up plan (read only here; the unit edits it on its admin page) */
static void followups(http_req *rq, db_conn *c, const skm_pub *pb, json_t *ctx)
{
    skm_followup *f;
    size_t n;
    if (skm_followups_list(c, rq->a, pb->p.id, &f, &n) != DB_OK || n == 0) return;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        bool d = f[i].status && strcmp(f[i].status, "done") == 0;
        json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "item", f[i].item ? f[i].item : "", "owner",
                              f[i].owner ? f[i].owner : "", "status",
                              skm_followup_status_label(rq, f[i].status), "done", d);
        if (f[i].action && *f[i].action) json_object_set_new(o, "action", json_string(f[i].action));
        if (f[i].element_code)
            json_object_set_new(o, "element",
                                json_string(element_name(rq, &pb->res.ins, f[i].element_code)));
        if (f[i].due_date)
            json_object_set_new(o, "due", json_string(app_fmt_date(rq, f[i].due_date)));
        if (f[i].done_at && d)
            json_object_set_new(o, "done_at", json_string(app_fmt_date(rq, f[i].done_at)));
        if (f[i].evidence && *f[i].evidence)
            json_object_set_new(o, "evidence", json_string(f[i].evidence));
        json_array_append_new(items, o);
    }
    skm_followup_summary sum;
    skm_followup_summarize(f, n, &sum);
    json_t *fu = json_pack("{s:o,s:I,s:I}", "items", items, "done", (json_int_t)sum.done, "count",
                           (json_int_t)(sum.total - sum.dropped));
    if (sum.pct_done >= 0) json_object_set_new(fu, "pct", json_integer(sum.pct_done));
    json_object_set_new(ctx, "followup", fu);
}

static json_t *elements(http_req *rq, const skm_result *res, const char **svg)
{
    json_t *rows = json_array();
    chart_item *it = arena_alloc(rq->a, (res->ins.nel + 1) * sizeof *it);
    for (size_t u = 0; u < res->ins.nel; u++) {
        const skm_element *e = &res->ins.el[u];
        int64_t nrr2 = res->counts[u] ? ikm_round_ratio(res->sums[u], res->counts[u], 2) : 0;
        json_t *o = json_pack(
            "{s:s,s:s,s:I,s:s}", "code", e->code, "label", e->label, "answered",
            (json_int_t)res->counts[u], "weight",
            arena_printf(rq->a, "%lld/%lld", (long long)e->weight_num, (long long)e->weight_den));
        const char *t = res->counts[u] ? skm_fmt_fixed(rq, nrr2, 2) : "–";
        json_object_set_new(o, "nrr", json_string(t));
        json_array_append_new(rows, o);
        it[u] = (chart_item){arena_printf(rq->a, "%s %s", e->code, e->label), nrr2 / 100.0, t};
    }
    *svg = chart_hbars(rq->a, http_t(rq, "Service value (NRR) per element"),
                       http_t(rq, "One bar per element on the scale 1 to 4, with the value after "
                                  "each bar. The same numbers are in the table."),
                       it, res->ins.nel, 1, 4);
    return rows;
}

int skm_page_period(http_req *rq)
{
    str sv = http_param(rq, "sub");
    bool sub = sv.n == 1 && sv.p[0] == '1';
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    skm_pub pb;
    int st = skm_pub_load(rq, c, sub, &pb);
    if (st) {
        db_release(c);
        return st;
    }
    sub = sub && pb.sub_allowed;
    const skm_result *res = &pb.res;
    json_t *ctx = json_object();
    json_object_set_new(ctx, "unit", unit_json(rq, &pb.u));
    const char *base = arena_printf(rq->a, "/skm/%s/%s", pb.u.code, pb.p.code);
    json_object_set_new(ctx, "period",
                        json_pack("{s:s,s:s,s:s,s:s,s:s}", "code", pb.p.code, "label",
                                  skm_period_label(rq, &pb.p), "from",
                                  app_fmt_date(rq, pb.p.starts_on), "to",
                                  app_fmt_date(rq, pb.p.ends_on), "url", base));
    json_object_set_new(ctx, "sub", json_boolean(sub));
    json_object_set_new(ctx, "sub_allowed", json_boolean(pb.sub_allowed));
    json_object_set_new(ctx, "sub_url", json_string(arena_printf(rq->a, "%s?sub=1", base)));
    json_object_set_new(ctx, "pdf_url", json_string(arena_printf(rq->a, "%s/laporan.pdf", base)));
    json_object_set_new(ctx, "xlsx_url",
                        json_string(arena_printf(rq->a, "%s/tabulasi.xlsx", base)));
    json_object_set_new(ctx, "csv_url", json_string(arena_printf(rq->a, "%s/data.csv", base)));
    json_object_set_new(ctx, "k", json_integer(SKM_K_MIN));
    json_object_set_new(ctx, "ins_name", json_string(res->ins.name));
    json_object_set_new(ctx, "ins_version", json_integer(res->ins.version));
    json_object_set_new(ctx, "standard_weights", json_boolean(skm_standard_weights(&res->ins)));

    json_t *r = json_object();
    result_fields(rq, res, r);
    if (res->has_population) {
        json_object_set_new(r, "population", json_integer(res->population));
        json_object_set_new(r, "sample_required", json_integer(res->sample_required));
        json_object_set_new(r, "sample_short", json_boolean(res->responses < res->sample_required));
    }
    if (res->status == SKM_NO_RESPONSES) json_object_set_new(r, "no_responses", json_true());
    if (res->status == IKM_E_NO_ANSWERS && res->r.bad_element >= 0 &&
        (size_t)res->r.bad_element < res->ins.nel) {
        const skm_element *e = &res->ins.el[res->r.bad_element];
        json_object_set_new(r, "unanswered",
                            json_string(arena_printf(rq->a, "%s %s", e->code, e->label)));
    }
    if (res->status == IKM_OK) {
        const char *svg = NULL;
        json_object_set_new(r, "elements", elements(rq, res, &svg));
        if (svg) json_object_set_new(r, "chart", tpl_safe_html(svg));
        /* not for the roll-up: its groups minus the unit's own would give away the groups of
         * the units below, small ones included (each unit's own page has the breakdown) */
        if (sub) json_object_set_new(ctx, "breakdown_per_unit", json_true());
        else json_object_set_new(ctx, "breakdown", breakdown(rq, c, &pb));
    }
    json_object_set_new(ctx, "result", r);
    followups(rq, c, &pb, ctx);
    db_release(c);
    return http_page(rq, 200, "skm/public_period", ctx);
}

/* services admin: the list of services with their standard's state, a service's standard (the
 * version in force and the history of versions), and one old version read-only. Helpers shared
 * with admin_edit.c and admin_maklumat.c are here too. Who may see what: see web_admin.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/services/view.h"
#include "features/services/web_admin.h"
#include "features/units/units.h"
#include "render/i18n.h"

const http_param_spec svcadm_list_params[] = {{0}};
const http_param_spec svcadm_standard_params[] = {
    {"code", HP_CODE, 1, 40, true}, {"tersimpan", HP_INT, 1, 100000, false}, {0}};
const http_param_spec svcadm_version_params[] = {
    {"code", HP_CODE, 1, 40, true}, {"version", HP_INT, 1, INT32_MAX, true}, {0}};

/* ---- shared helpers ------------------------------------------------------------------------ */

struct svcadm_date_buf svcadm_today(http_req *rq)
{
    struct svcadm_date_buf d;
    time_t t = (time_t)(app_now() + (int64_t)app_of(rq)->tz_offset_min * 60);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (!strftime(d.s, sizeof d.s, "%Y-%m-%d", &tm)) d.s[0] = 0;
    return d;
}

static const char *const month_msgid[12] = {
    N_("January"), N_("February"), N_("March"),     N_("April"),   N_("May"),      N_("June"),
    N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December")};

const char *svcadm_date(http_req *rq, const char *iso)
{
    cal_date d;
    if (!iso) return NULL;
    if (!cal_date_parse(iso, strlen(iso), &d)) return iso;
    return arena_printf(rq->a, "%d %s %d", d.d, http_t(rq, month_msgid[d.m - 1]), d.y);
}

bool svcadm_may(http_req *rq, db_conn *c, const char *unit_code)
{
    if (!unit_code || !rq->who.user_id) return false;
    int64_t uid = units_id(c, unit_code);
    return uid && acct_can_unit(c, rq->who.user_id, ROLE_ADMIN | ROLE_KEPALA_UNIT, uid);
}

const char *svcadm_time_limit(http_req *rq, int value, const char *tu)
{
    bool hours = tu && strcmp(tu, "hours") == 0;
    unsigned long n = value > 0 ? (unsigned long)value : 0;
    const char *fmt = hours ? http_tn(rq, "%d working hour", "%d working hours", n)
                            : http_tn(rq, "%d working day", "%d working days", n);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    return arena_printf(rq->a, fmt, value);
#pragma GCC diagnostic pop
}

const char *svcadm_overdue(http_req *rq, const char *review_due, const char *today)
{
    cal_date a, b;
    if (!review_due || !today || !cal_date_parse(review_due, strlen(review_due), &a) ||
        !cal_date_parse(today, strlen(today), &b))
        return NULL;
    int64_t days = cal_days_from_civil(b.y, b.m, b.d) - cal_days_from_civil(a.y, a.m, a.d);
    if (days <= 0) return NULL;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    return arena_printf(rq->a,
                        http_tn(rq, "overdue by %d day", "overdue by %d days", (unsigned long)days),
                        (int)days);
#pragma GCC diagnostic pop
}

const char *const svcadm_actors[5] = {"pemohon", "petugas", "kepala_unit", "kurir", "sistem"};
static const char *const actor_msgid[5] = {N_("Applicant (pemohon)"), N_("Officer (petugas)"),
                                           N_("Head of unit (kepala unit)"), N_("Courier (kurir)"),
                                           N_("System (sistem)")};

const char *svcadm_actor_label(http_req *rq, const char *actor)
{
    for (int i = 0; i < 5; i++)
        if (actor && strcmp(actor, svcadm_actors[i]) == 0) return http_t(rq, actor_msgid[i]);
    return actor ? actor : "";
}

static const char *file_types_label(http_req *rq, const char *ft)
{
    if (!ft || !*ft) return "–";
    buf b;
    buf_init(&b, 64);
    for (const char *p = ft; *p; p++) {
        if (*p == ',') buf_puts(&b, ", ");
        else buf_putc(&b, (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
    }
    (void)rq;
    char *r = arena_strndup(rq->a, b.p ? b.p : "", b.n);
    buf_free(&b);
    return r;
}

/* when a version was saved, in the pemda's time zone */
static const char *saved_at(http_req *rq, const char *iso)
{
    if (!iso) return NULL;
    int64_t t = app_parse_iso(str_c(iso));
    return t >= 0 ? app_fmt_time(rq, t) : iso;
}

json_t *svcadm_standard_json(http_req *rq, const service *sv, const svc_standard *s,
                             const char *today)
{
    bool missing[SVC_NCOMPONENTS];
    int nmissing = svc_missing_components(s, missing);
    json_t *reqs = json_array(), *steps = json_array(), *delivery = json_array(),
           *internal = json_array(), *miss = json_array();
    for (size_t i = 0; i < s->nreqs; i++) {
        const svc_requirement *q = &s->reqs[i];
        json_array_append_new(reqs,
                              json_pack("{s:s,s:s,s:b,s:b,s:s*,s:s}", "label", q->label, "doc_type",
                                        q->doc_type ? q->doc_type : "", "required", q->required,
                                        "original", q->original_shown, "cond_label", q->cond_label,
                                        "file_types", file_types_label(rq, q->file_types)));
    }
    for (size_t i = 0; i < s->nsteps; i++)
        json_array_append_new(steps, json_pack("{s:i,s:s,s:s}", "n", (int)i + 1, "actor",
                                               svcadm_actor_label(rq, s->steps[i].actor), "text",
                                               s->steps[i].text ? s->steps[i].text : ""));
    for (int c = 0; c < SVC_NCOMPONENTS; c++) {
        if (missing[c]) json_array_append_new(miss, json_string(http_t(rq, svc_component_name(c))));
        if (c < SVC_C_PRODUK) continue; /* the structured ones are shown above */
        json_t *o = json_pack("{s:s,s:s*,s:b}", "name", http_t(rq, svc_component_name(c)), "text",
                              s->text[c], "missing", missing[c]);
        json_array_append_new(c < SVC_NDELIVERY ? delivery : internal, o);
    }
    bool overdue = s->review_due && today && strcmp(s->review_due, today) < 0;
    json_t *o = json_pack(
        "{s:i,s:s*,s:s*,s:b,s:s*,s:b,s:s*,s:b,s:s*,s:s*,s:s*,s:s,s:s,s:b,s:s*,s:o,s:o,s:o,s:o,s:o,"
        "s:i,s:i,s:s*,s:s*}",
        "version", s->version, "decree_number", s->decree_number, "decree_date",
        svcadm_date(rq, s->decree_date), "stipulated", s->decree_number && s->decree_date,
        "effective_from", svcadm_date(rq, s->effective_from), "future",
        s->effective_from && today && strcmp(s->effective_from, today) > 0, "review_due",
        svcadm_date(rq, s->review_due), "review_overdue", overdue, "participation",
        s->participation, "change_note", s->change_note, "created_by", s->created_by, "time_limit",
        svcadm_time_limit(rq, s->time_limit_value, s->time_limit_unit), "cost",
        sv->free_by_law ? http_t(rq, "Free of charge, no fee is collected (UU 24/2013 Pasal 79A).")
        : s->cost_amount == 0 ? http_t(rq, "Free of charge (Rp0)")
                              : svc_rupiah(rq->a, s->cost_amount),
        "free_by_law", sv->free_by_law, "cost_note", s->cost_note, "reqs", reqs, "steps", steps,
        "delivery", delivery, "internal", internal, "missing", miss, "nmissing", nmissing,
        "ncomponents", SVC_NCOMPONENTS - nmissing, "created_at", saved_at(rq, s->created_at),
        "service_code", sv->code);
    const char *late = svcadm_overdue(rq, s->review_due, today);
    if (late) json_object_set_new(o, "overdue_text", json_string(late));
    return o;
}

/* ---- the list ---------------------------------------------------------------------------------
 */

int svcadm_page_list(http_req *rq)
{
    app *a = app_of(rq);
    struct svcadm_date_buf today = svcadm_today(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    svc_filter f = {.include_inactive = true};
    service *ss;
    size_t n;
    int r = svc_list(c, rq->a, &f, &ss, &n);
    json_t *rows = json_array();
    int nstip = 0, noverdue = 0, nmissing_total = 0;
    for (size_t i = 0; r == DB_OK && i < n; i++) {
        service *sv = &ss[i];
        if (!svcadm_may(rq, c, sv->owner_code)) continue;
        svc_standard st;
        int rs = svc_standard_at(c, rq->a, sv->id, today.s, &st);
        if (rs != DB_OK && rs != DB_DONE) {
            r = rs;
            break;
        }
        svc_standard *vs;
        size_t nv = 0;
        if ((r = svc_standard_versions(c, rq->a, sv->id, &vs, &nv)) != DB_OK) break;
        json_t *o =
            json_pack("{s:s,s:s,s:b}", "code", sv->code, "name", sv->name, "inactive", !sv->active);
        if (rs == DB_OK) {
            bool missing[SVC_NCOMPONENTS];
            int nm = svc_missing_components(&st, missing);
            bool stip = st.decree_number && st.decree_date;
            bool overdue = st.review_due && strcmp(st.review_due, today.s) < 0;
            nstip += !stip;
            noverdue += overdue;
            nmissing_total += nm > 0;
            json_object_set_new(o, "version", json_integer(st.version));
            json_object_set_new(o, "effective_from",
                                json_string(svcadm_date(rq, st.effective_from)));
            json_object_set_new(o, "stipulated", json_boolean(stip));
            if (stip) json_object_set_new(o, "decree", json_string(st.decree_number));
            if (st.review_due)
                json_object_set_new(o, "review_due", json_string(svcadm_date(rq, st.review_due)));
            json_object_set_new(o, "overdue", json_boolean(overdue));
            const char *late = svcadm_overdue(rq, st.review_due, today.s);
            if (late) json_object_set_new(o, "overdue_text", json_string(late));
            json_object_set_new(o, "nmissing", json_integer(nm));
        }
        if (nv && (rs != DB_OK || vs[0].version > st.version))
            json_object_set_new(o, "scheduled",
                                json_pack("{s:i,s:s}", "version", vs[0].version, "from",
                                          svcadm_date(rq, vs[0].effective_from)));
        json_array_append_new(rows, o);
    }
    db_release(c);
    if (r != DB_OK) {
        json_decref(rows);
        return 503;
    }
    json_t *ctx = json_pack("{s:o,s:i,s:i,s:i,s:b,s:b,s:b}", "rows", rows, "not_stipulated", nstip,
                            "overdue", noverdue, "incomplete", nmissing_total, "nav_services", 1,
                            "nav_standards", 1, "is_admin", (rq->who.roles & ROLE_ADMIN) != 0);
    return http_page(rq, 200, "services/admin_list", ctx);
}

/* ---- a service's standard ----------------------------------------------------------------------
 */

/* the service named in the path, when the caller may maintain it: 0, or a status */
static int load_service(http_req *rq, db_conn *c, service *sv)
{
    int r = svc_get(c, rq->a, http_param(rq, "code"), sv);
    if (r == DB_DONE) return 404;
    if (r != DB_OK) return 503;
    if (!svcadm_may(rq, c, sv->owner_code)) return 403;
    return 0;
}

static json_t *history_json(http_req *rq, const svc_standard *vs, size_t nv, int current,
                            const char *today)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < nv; i++) {
        const svc_standard *v = &vs[i];
        const char *state = v->version == current ? http_t(rq, "In force")
                            : v->effective_from && strcmp(v->effective_from, today) > 0
                                ? http_t(rq, "Scheduled")
                                : http_t(rq, "Replaced");
        json_array_append_new(arr, json_pack("{s:i,s:s*,s:s*,s:s*,s:s,s:b,s:s*,s:s*}", "version",
                                             v->version, "decree_number", v->decree_number,
                                             "decree_date", svcadm_date(rq, v->decree_date),
                                             "effective_from", svcadm_date(rq, v->effective_from),
                                             "state", state, "current", v->version == current,
                                             "change_note", v->change_note, "created_by",
                                             v->created_by));
    }
    return arr;
}

int svcadm_page_standard(http_req *rq)
{
    app *a = app_of(rq);
    struct svcadm_date_buf today = svcadm_today(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service sv;
    int st = load_service(rq, c, &sv);
    if (st) {
        db_release(c);
        return st;
    }
    svc_standard cur, *vs = NULL;
    size_t nv = 0;
    int rs = svc_standard_at(c, rq->a, sv.id, today.s, &cur);
    int r = rs == DB_OK || rs == DB_DONE ? svc_standard_versions(c, rq->a, sv.id, &vs, &nv) : rs;
    db_release(c);
    if (r != DB_OK) return 503;
    json_t *ctx = json_pack("{s:s,s:s,s:b,s:b,s:b}", "code", sv.code, "name", sv.name,
                            "free_by_law", sv.free_by_law, "nav_services", 1, "nav_standards", 1);
    if (rs == DB_OK) json_object_set_new(ctx, "std", svcadm_standard_json(rq, &sv, &cur, today.s));
    json_object_set_new(ctx, "history",
                        history_json(rq, vs, nv, rs == DB_OK ? cur.version : 0, today.s));
    long saved = 0;
    str sp = http_param(rq, "tersimpan");
    if (sp.p && str_to_long(sp, 1, 100000, &saved)) {
        for (size_t i = 0; i < nv; i++)
            if (vs[i].version == saved) {
                const char *from = svcadm_date(rq, vs[i].effective_from);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
                json_object_set_new(ctx, "done",
                                    json_string(arena_printf(
                                        rq->a, http_t(rq, "Version %ld saved; in force from %s."),
                                        saved, from ? from : "")));
#pragma GCC diagnostic pop
            }
    }
    return http_page(rq, 200, "services/admin_standard", ctx);
}

int svcadm_page_version(http_req *rq)
{
    app *a = app_of(rq);
    long ver = 0;
    if (!str_to_long(http_param(rq, "version"), 1, INT32_MAX, &ver)) return 404;
    struct svcadm_date_buf today = svcadm_today(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    service sv;
    int st = load_service(rq, c, &sv);
    if (st) {
        db_release(c);
        return st;
    }
    svc_standard s, cur;
    int r = svc_standard_version(c, rq->a, sv.id, (int)ver, &s);
    int rc = r == DB_OK ? svc_standard_at(c, rq->a, sv.id, today.s, &cur) : DB_DONE;
    db_release(c);
    if (r == DB_DONE) return 404;
    if (r != DB_OK || (rc != DB_OK && rc != DB_DONE)) return 503;
    json_t *ctx =
        json_pack("{s:s,s:s,s:o,s:b,s:b,s:b}", "code", sv.code, "name", sv.name, "std",
                  svcadm_standard_json(rq, &sv, &s, today.s), "is_current",
                  rc == DB_OK && cur.version == s.version, "nav_services", 1, "nav_standards", 1);
    return http_page(rq, 200, "services/admin_version", ctx);
}

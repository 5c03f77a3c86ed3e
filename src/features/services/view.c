/* services view: see view.h. */
#include "features/services/view.h"

#include <string.h>

#include "features/app.h"
#include "render/i18n.h"

static const struct {
    const char *code, *msgid;
} events[] = {
    {"anak-lahir", N_("A child is born")},
    {"usia-17", N_("Turning 17")},
    {"menikah", N_("Getting married")},
    {"perceraian", N_("Divorce")},
    {"pindah-rumah", N_("Moving house")},
    {"kehilangan-dokumen", N_("Lost or damaged documents")},
    {"perubahan-data", N_("Changing your data")},
    {"kematian", N_("A death in the family")},
};

const char *svc_event_label(http_req *rq, const char *event)
{
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        if (strcmp(events[i].code, event) == 0) return http_t(rq, events[i].msgid);
    return event;
}

const char *svc_actor_label(http_req *rq, const char *actor)
{
    if (strcmp(actor, "pemohon") == 0) return http_t(rq, "You (the applicant)");
    if (strcmp(actor, "petugas") == 0) return http_t(rq, "Officer");
    if (strcmp(actor, "kepala_unit") == 0) return http_t(rq, "Head of the unit");
    if (strcmp(actor, "kurir") == 0) return http_t(rq, "Courier");
    if (strcmp(actor, "sistem") == 0) return http_t(rq, "The system");
    return actor;
}

const char *svc_rupiah(arena *a, int64_t amount)
{
    char digits[32], out[48];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)(amount < 0 ? 0 : amount));
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) out[k++] = '.';
        out[k++] = digits[i];
    }
    out[k] = 0;
    return arena_printf(a, "Rp%s", out);
}

json_t *svc_view_service(http_req *rq, const service *s)
{
    json_t *ev = json_array();
    for (size_t i = 0; i < s->nevents; i++)
        json_array_append_new(ev, json_pack("{s:s,s:s}", "code", s->events[i], "label",
                                            svc_event_label(rq, s->events[i])));
    return json_pack("{s:s,s:s,s:s,s:s,s:b,s:o,s:s}", "code", s->code, "name", s->name, "summary",
                     s->summary, "category", s->category, "free", s->free_by_law, "events", ev,
                     "url", arena_printf(rq->a, "/layanan/%s", s->code));
}

static void set_s(json_t *o, const char *k, const char *v)
{
    if (v && *v) json_object_set_new(o, k, json_string(v));
}

/* split a free-text component on line breaks and semicolons into list items, so "Loket; SMS
 * 1708; situs" reads as a list */
static json_t *lines(const char *t)
{
    json_t *arr = json_array();
    if (!t) return arr;
    const char *p = t;
    while (*p) {
        size_t n = strcspn(p, ";\n");
        const char *e = p + n;
        while (n && (*p == ' ' || *p == '\r'))
            p++, n--;
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\r' || p[n - 1] == '.'))
            n--;
        if (n) json_array_append_new(arr, json_stringn(p, n));
        p = *e ? e + 1 : e;
    }
    return arr;
}

json_t *svc_view_standard(http_req *rq, const service *s, const svc_standard *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(st->version));
    json_object_set_new(o, "stipulated", json_boolean(st->decree_number && st->decree_date));
    set_s(o, "decree_number", st->decree_number);
    if (st->decree_date) set_s(o, "decree_date", app_fmt_date(rq, st->decree_date));
    set_s(o, "effective_from", app_fmt_date(rq, st->effective_from));
    if (st->review_due) set_s(o, "review_due", app_fmt_date(rq, st->review_due));
    set_s(o, "participation", st->participation);
    json_object_set_new(o, "time_value", json_integer(st->time_limit_value));
    json_object_set_new(
        o, "time_hours",
        json_boolean(st->time_limit_unit && strcmp(st->time_limit_unit, "hours") == 0));
    bool free = st->cost_amount == 0;
    json_object_set_new(o, "free", json_boolean(free));
    json_object_set_new(o, "free_by_law", json_boolean(s->free_by_law));
    json_object_set_new(o, "cost", json_string(svc_rupiah(rq->a, st->cost_amount)));
    set_s(o, "cost_note", st->cost_note);
    set_s(o, "product", st->text[SVC_C_PRODUK]);
    json_object_set_new(o, "complaints", lines(st->text[SVC_C_PENGADUAN]));
    json_t *req = json_array(), *opt = json_array();
    for (size_t i = 0; i < st->nreqs; i++) {
        const svc_requirement *q = &st->reqs[i];
        json_t *r = json_object();
        json_object_set_new(r, "id", json_string(arena_printf(rq->a, "dok-%zu", i + 1)));
        set_s(r, "label", q->label);
        set_s(r, "condition", q->cond_label);
        json_object_set_new(r, "original", json_boolean(q->original_shown));
        json_array_append_new(q->required && !q->cond ? req : opt, r);
    }
    json_object_set_new(o, "requirements", req);
    json_object_set_new(o, "nrequirements", json_integer((json_int_t)json_array_size(req)));
    json_object_set_new(o, "conditional", opt);
    json_t *steps = json_array();
    for (size_t i = 0; i < st->nsteps; i++)
        json_array_append_new(steps, json_pack("{s:s,s:s}", "actor",
                                               svc_actor_label(rq, st->steps[i].actor), "text",
                                               st->steps[i].text));
    json_object_set_new(o, "steps", steps);
    return o;
}

json_t *svc_view_maklumat(http_req *rq, const svc_maklumat *m)
{
    json_t *o = json_object();
    set_s(o, "body", m->body);
    set_s(o, "signatory_name", m->signatory_name);
    set_s(o, "signatory_title", m->signatory_title);
    set_s(o, "date", app_fmt_date(rq, m->stipulated_on));
    json_object_set_new(o, "version", json_integer(m->version));
    return o;
}

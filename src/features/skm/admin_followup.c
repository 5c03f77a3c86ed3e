/* skm admin_followup: the follow-up plan (rencana tindak lanjut) of a period: items that address
 * an element of the questionnaire (or another issue), the action, who does it, the due date,
 * the status and the evidence. The share completed and the average days to complete are shown
 * at the top (evaluators score both, domain.md §5). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/form.h"
#include "features/skm/web.h"
#include "http/cache.h"
#include "features/units/units.h"
#include "render/i18n.h"

const http_param_spec skmadm_followup_params[] = {{"period", HP_INT, 1, INT32_MAX, true},
                                                  {"ubah", HP_INT, 0, INT32_MAX, false},
                                                  {"id", HP_INT, 0, INT32_MAX, false},
                                                  {"berhasil", HP_CODE, 0, 20, false},
                                                  {"elemen", HP_CODE, 0, 8, false},
                                                  {"masalah", HP_STR, 0, 1200, false},
                                                  {"tindakan", HP_STR, 0, 4000, false},
                                                  {"pj", HP_STR, 0, 800, false},
                                                  {"tenggat", HP_STR, 0, 20, false},
                                                  {"status", HP_CODE, 0, 12, false},
                                                  {"bukti", HP_STR, 0, 4000, false},
                                                  {"selesai", HP_STR, 0, 20, false},
                                                  {0}};

static const struct {
    const char *code, *msgid, *tag;
} statuses[] = {{"planned", N_("Planned"), "govuk-tag--grey"},
                {"in_progress", N_("In progress"), "govuk-tag--yellow"},
                {"done", N_("Completed"), "govuk-tag--green"},
                {"dropped", N_("Dropped"), "govuk-tag--red"}};

static int status_index(const char *s)
{
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, statuses[i].code) == 0) return i;
    return -1;
}

static const char *element_label(const skm_instrument *ins, const char *code)
{
    for (size_t i = 0; code && i < ins->nel; i++)
        if (strcmp(ins->el[i].code, code) == 0) return ins->el[i].label;
    return NULL;
}

static int page(http_req *rq, db_conn *c, const skm_period *p, const skm_instrument *ins,
                form_state *f, int64_t edit_id, int status)
{
    skm_followup *fs;
    size_t n;
    if (skm_followups_list(c, rq->a, p->id, &fs, &n) != DB_OK) {
        form_free(f);
        return 503;
    }
    skm_followup_summary sum;
    skm_followup_summarize(fs, n, &sum);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        int si = status_index(fs[i].status);
        const char *el = element_label(ins, fs[i].element_code);
        bool link = fs[i].evidence && (strncmp(fs[i].evidence, "https://", 8) == 0 ||
                                       strncmp(fs[i].evidence, "http://", 7) == 0);
        json_array_append_new(
            items,
            json_pack("{s:I,s:s*,s:s*,s:s,s:s,s:s,s:s*,s:s,s:s,s:s*,s:b,s:s*,s:s}", "id",
                      (json_int_t)fs[i].id, "element", fs[i].element_code, "element_label", el,
                      "item", fs[i].item, "action", fs[i].action ? fs[i].action : "", "owner",
                      fs[i].owner, "due", fs[i].due_date ? app_fmt_date(rq, fs[i].due_date) : NULL,
                      "status", si >= 0 ? http_t(rq, statuses[si].msgid) : fs[i].status, "tag",
                      si >= 0 ? statuses[si].tag : "", "evidence", fs[i].evidence, "link", link,
                      "done_at", fs[i].done_at ? app_fmt_date(rq, fs[i].done_at) : NULL, "edit_url",
                      arena_printf(rq->a, "/admin/skm/%lld/tindak-lanjut?ubah=%lld#form",
                                   (long long)p->id, (long long)fs[i].id)));
    }
    const char *sel_el = json_string_value(json_object_get(f->v, "elemen"));
    const char *sel_st = json_string_value(json_object_get(f->v, "status"));
    json_t *els = json_array();
    for (size_t i = 0; i < ins->nel; i++)
        json_array_append_new(
            els, json_pack("{s:s,s:s,s:b}", "value", ins->el[i].code, "label",
                           arena_printf(rq->a, "%s %s", ins->el[i].code, ins->el[i].label),
                           "selected", sel_el && strcmp(sel_el, ins->el[i].code) == 0));
    json_t *sts = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(sts,
                              json_pack("{s:s,s:s,s:b}", "value", statuses[i].code, "label",
                                        http_t(rq, statuses[i].msgid), "selected",
                                        sel_st ? strcmp(sel_st, statuses[i].code) == 0 : i == 0));
    json_t *ctx = json_object();
    json_object_set_new(ctx, "items", items);
    json_object_set_new(ctx, "elements", els);
    json_object_set_new(ctx, "statuses", sts);
    json_object_set_new(ctx, "total", json_integer((json_int_t)sum.total));
    json_object_set_new(ctx, "done_n", json_integer((json_int_t)sum.done));
    json_object_set_new(ctx, "counted", json_integer((json_int_t)(sum.total - sum.dropped)));
    if (sum.pct_done >= 0)
        json_object_set_new(ctx, "pct",
                            json_string(arena_printf(rq->a, "%lld%%", (long long)sum.pct_done)));
    json_object_set_new(ctx, "lain_selected", json_boolean(sel_el && strcmp(sel_el, "lain") == 0));
    if (sum.avg_days_e1 >= 0)
        json_object_set_new(
            ctx, "avg_days",
            json_string(arena_printf(rq->a, "%lld%s%lld", (long long)(sum.avg_days_e1 / 10),
                                     strcmp(rq->lang, "en") == 0 ? "." : ",",
                                     (long long)(sum.avg_days_e1 % 10))));
    unit u;
    const char *uname = units_get(c, rq->a, str_c(p->unit_code), &u) == DB_OK ? u.name : "";
    json_object_set_new(
        ctx, "period",
        json_pack("{s:I,s:s,s:s}", "id", (json_int_t)p->id, "code", p->code, "unit", uname));
    json_object_set_new(ctx, "manager",
                        json_boolean(acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, p->unit_id)));
    if (edit_id) json_object_set_new(ctx, "edit_id", json_integer((json_int_t)edit_id));
    json_object_set_new(ctx, "nav_skm", json_true());
    str d = http_param(rq, "berhasil");
    if (str_eq_c(d, "simpan"))
        json_object_set_new(ctx, "done", json_string(http_t(rq, "The item has been saved.")));
    form_into(f, ctx);
    return http_page(rq, status, "skm/admin_followup", ctx);
}

static void keep_item(form_state *f, const skm_followup *x)
{
    const char *k[] = {"elemen",  "masalah", "tindakan", "pj",
                       "tenggat", "status",  "bukti",    "selesai"};
    const char *v[] = {x->element_code ? x->element_code : "lain",
                       x->item,
                       x->action,
                       x->owner,
                       x->due_date,
                       x->status,
                       x->evidence,
                       x->done_at};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (v[i]) json_object_set_new(f->v, k[i], json_string(v[i]));
}

static int64_t int_param(http_req *rq, const char *name)
{
    str s = http_param(rq, name);
    return s.p ? strtoll(arena_strndup(rq->a, s.p, s.n), NULL, 10) : 0;
}

static const char *opt(http_req *rq, str s)
{
    return s.n ? arena_strndup(rq->a, s.p, s.n) : NULL;
}

int skmadm_page_followup(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    skm_period p = {0};
    skm_instrument ins = {0};
    form_state f;
    form_init(&f);
    int st = skmw_period(rq, c, rq->method == HTTP_POST ? SKMW_MANAGERS : SKMW_KEYERS, &p);
    if (!st && skm_instrument_get(c, rq->a, p.instrument_id, &ins) != DB_OK) st = 503;
    if (st) goto out;
    if (rq->method != HTTP_POST) {
        int64_t eid = int_param(rq, "ubah");
        skm_followup x;
        if (eid && (skm_followup_get(c, rq->a, eid, &x) != DB_OK || x.period_id != p.id)) {
            st = 404;
            goto out;
        }
        if (eid) keep_item(&f, &x);
        st = page(rq, c, &p, &ins, &f, eid, 200);
        db_release(c);
        return st;
    }
    int64_t id = int_param(rq, "id");
    skm_followup old = {0};
    if (id && (skm_followup_get(c, rq->a, id, &old) != DB_OK || old.period_id != p.id)) {
        st = 404;
        goto out;
    }
    const char *el = http_param_c(rq, "elemen"), *stt = http_param_c(rq, "status");
    if (el) json_object_set_new(f.v, "elemen", json_string(el));
    if (stt) json_object_set_new(f.v, "status", json_string(stt));
    str item = form_keep(rq, &f, "masalah", 300), action = form_keep(rq, &f, "tindakan", 1000),
        owner = form_keep(rq, &f, "pj", 200), due = form_keep(rq, &f, "tenggat", 12),
        ev = form_keep(rq, &f, "bukti", 1000), done = form_keep(rq, &f, "selesai", 12);
    bool el_ok = el && (strcmp(el, "lain") == 0 || element_label(&ins, el));
    if (!el_ok) form_error(rq, &f, "elemen", "Choose the element this item addresses.");
    if (item.n < 3)
        form_error(rq, &f, "masalah",
                   "Write the problem in a few words, for example \"Waiting time is long\".");
    if (action.n < 3)
        form_error(rq, &f, "tindakan",
                   "Write what will be done, for example \"Open a second counter on Monday\".");
    if (owner.n < 2)
        form_error(rq, &f, "pj", "Write who is responsible, for example Kasi Pelayanan.");
    cal_date d;
    if (due.n && !cal_date_parse(due.p, due.n, &d))
        form_error(rq, &f, "tenggat", "Write the due date as a date, for example 2026-06-30.");
    if (done.n && !cal_date_parse(done.p, done.n, &d))
        form_error(rq, &f, "selesai",
                   "Write the day it was done as a date, for example "
                   "2026-06-30.");
    if (status_index(stt) < 0) form_error(rq, &f, "status", "Choose the status.");
    if (!form_ok(&f)) {
        st = page(rq, c, &p, &ins, &f, id, 400);
        db_release(c);
        return st;
    }
    char today[16], err[200];
    app_today(rq, today, sizeof today);
    skm_followup x = {.id = id,
                      .period_id = p.id,
                      .element_code = strcmp(el, "lain") == 0 ? NULL : el,
                      .item = opt(rq, item),
                      .action = opt(rq, action),
                      .owner = opt(rq, owner),
                      .due_date = opt(rq, due),
                      .status = stt,
                      .evidence = opt(rq, ev),
                      .done_at = opt(rq, done)};
    int r = db_begin(c);
    if (r == DB_OK) r = skm_followup_save(c, &x, today, err, sizeof err);
    skmw_audit(rq, c, id ? "skm.followup.update" : "skm.followup.create",
               arena_printf(rq->a, "skm_followup:%lld", (long long)x.id),
               arena_printf(rq->a, "%s %s; %s; %s", p.unit_code, p.code, stt, x.item), &r);
    if (r == DB_OK) r = db_commit(c);
    if (r == DB_OK) http_cache_changed(); /* the public result pages show it at once */
    if (r != DB_OK) db_rollback(c);
    if (r == SKM_EINVALID) {
        form_error(rq, &f, "masalah", "The item could not be saved: a field is too long.");
        st = page(rq, c, &p, &ins, &f, id, 400);
        db_release(c);
        return st;
    }
    if (r != DB_OK) {
        st = r == DB_DONE ? 404 : 503;
        goto out;
    }
    db_release(c);
    form_free(&f);
    return http_redirect(
        rq, 303,
        arena_printf(rq->a, "/admin/skm/%lld/tindak-lanjut?berhasil=simpan", (long long)p.id));
out:
    db_release(c);
    form_free(&f);
    return st;
}

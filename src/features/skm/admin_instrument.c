/* skm admin instrument: the questionnaire a unit uses. By default every unit uses the
 * government-wide PermenPANRB 14/2017 instrument (9 elements, weights 1/9). A unit head may
 * save a new version for their unit: add elements, or change weights (exact fractions such as
 * 2/9 that must sum to exactly 1). The nine elements of the regulation cannot be removed. A new
 * version applies to periods created after it; a running period keeps the instrument it started
 * with. Audited in the transaction that saves it. */
#include <stdio.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/form.h"
#include "features/skm/web.h"
#include "features/units/units.h"

#define ROWS 16 /* rows on the form: the elements and empty rows for new ones */

#define ROW_PARAMS(n)                                                                              \
    {"e" #n "_kode", HP_STR, 0, 20, false}, {"e" #n "_label", HP_STR, 0, 200, false},              \
        {"e" #n "_j1", HP_STR, 0, 100, false}, {"e" #n "_j2", HP_STR, 0, 100, false},              \
        {"e" #n "_j3", HP_STR, 0, 100, false}, {"e" #n "_j4", HP_STR, 0, 100, false},              \
    {                                                                                              \
        "e" #n "_bobot", HP_STR, 0, 20, false                                                      \
    }

const http_param_spec skmadm_instrument_params[] = {{"unit", HP_CODE, 0, 40, false},
                                                    {"nama", HP_STR, 0, 200, false},
                                                    {"berhasil", HP_CODE, 0, 20, false},
                                                    ROW_PARAMS(0),
                                                    ROW_PARAMS(1),
                                                    ROW_PARAMS(2),
                                                    ROW_PARAMS(3),
                                                    ROW_PARAMS(4),
                                                    ROW_PARAMS(5),
                                                    ROW_PARAMS(6),
                                                    ROW_PARAMS(7),
                                                    ROW_PARAMS(8),
                                                    ROW_PARAMS(9),
                                                    ROW_PARAMS(10),
                                                    ROW_PARAMS(11),
                                                    ROW_PARAMS(12),
                                                    ROW_PARAMS(13),
                                                    ROW_PARAMS(14),
                                                    ROW_PARAMS(15),
                                                    {0}};

static const char *key(http_req *rq, int row, const char *field)
{
    return arena_printf(rq->a, "e%d_%s", row, field);
}

/* "2/9" or "1" -> num/den; false when it is not a fraction in (0, 1] */
static bool parse_weight(str s, int64_t *num, int64_t *den)
{
    s = str_trim(s);
    const char *slash = memchr(s.p ? s.p : "", '/', s.n);
    long a, b = 1;
    if (slash) {
        size_t k = (size_t)(slash - s.p);
        if (!str_to_long(str_trim((str){s.p, k}), 1, IKM_MAX_WEIGHT_DEN, &a) ||
            !str_to_long(str_trim((str){slash + 1, s.n - k - 1}), 1, IKM_MAX_WEIGHT_DEN, &b))
            return false;
    } else if (!str_to_long(s, 1, 1, &a)) {
        return false;
    }
    if (a > b) return false;
    *num = a;
    *den = b;
    return true;
}

static bool code_ok(str c)
{
    if (c.n < 2 || c.n > 8 || c.p[0] < 'A' || c.p[0] > 'Z') return false;
    for (size_t i = 1; i < c.n; i++)
        if (!((c.p[i] >= 'A' && c.p[i] <= 'Z') || (c.p[i] >= '0' && c.p[i] <= '9'))) return false;
    return true;
}

/* the rows of the form: the instrument's elements then empty rows */
static json_t *rows_from(http_req *rq, const skm_instrument *ins)
{
    json_t *rows = json_array();
    for (int i = 0; i < ROWS; i++) {
        json_t *o = json_pack("{s:i,s:i}", "i", i, "n", i + 1);
        if (ins && (size_t)i < ins->nel) {
            const skm_element *e = &ins->el[i];
            json_object_set_new(o, "kode", json_string(e->code));
            json_object_set_new(o, "label", json_string(e->label));
            for (int j = 0; j < 4; j++)
                json_object_set_new(o, arena_printf(rq->a, "j%d", j + 1),
                                    json_string(e->answers[j] ? e->answers[j] : ""));
            json_object_set_new(
                o, "bobot",
                json_string(arena_printf(rq->a, "%lld/%lld", (long long)e->weight_num,
                                         (long long)e->weight_den)));
        }
        json_array_append_new(rows, o);
    }
    return rows;
}

/* the same rows from what was typed, with the errors of each row */
static json_t *rows_typed(http_req *rq, const form_state *f)
{
    static const char *const fields[] = {"kode", "label", "j1", "j2", "j3", "j4", "bobot"};
    json_t *rows = json_array();
    for (int i = 0; i < ROWS; i++) {
        json_t *o = json_pack("{s:i,s:i}", "i", i, "n", i + 1);
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
            const char *name = key(rq, i, fields[k]);
            json_t *v = json_object_get(f->v, name), *e = json_object_get(f->err, name);
            if (v) json_object_set(o, fields[k], v);
            if (e) {
                json_object_set(o, arena_printf(rq->a, "%s_error", fields[k]), e);
                json_object_set_new(o, "has_error", json_true());
            }
        }
        json_array_append_new(rows, o);
    }
    return rows;
}

static int page(http_req *rq, db_conn *c, const unit *u, form_state *f, bool post)
{
    skm_instrument ins;
    int r = skm_instrument_current(c, rq->a, u->id, &ins);
    if (r != DB_OK && r != DB_DONE) {
        form_free(f);
        return 503;
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "unit", json_pack("{s:s,s:s}", "code", u->code, "name", u->name));
    if (r == DB_OK) {
        json_object_set_new(ctx, "current",
                            json_pack("{s:s,s:i,s:b,s:i}", "name", ins.name, "version", ins.version,
                                      "own", ins.unit_id == u->id, "nel", (int)ins.nel));
    }
    json_object_set_new(ctx, "rows",
                        post ? rows_typed(rq, f) : rows_from(rq, r == DB_OK ? &ins : NULL));
    if (!post && r == DB_OK)
        json_object_set_new(ctx, "nama", json_string(ins.unit_id == u->id ? ins.name : ""));
    if (str_eq_c(http_param(rq, "berhasil"), "simpan"))
        json_object_set_new(ctx, "done",
                            json_string(http_t(rq, "The new version of the questionnaire is saved. "
                                                   "Periods created from now on use it.")));
    form_into(f, ctx);
    return http_page(rq, post ? 400 : 200, "skm/admin_instrument", ctx);
}

int skmadm_page_instrument(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    unit u;
    const char *uc = http_param_c(rq, "unit");
    if (!uc || !*uc) { /* the unit the person heads; the admin starts at Disdukcapil */
        acct_role *rs;
        size_t nr = 0;
        uc = "disdukcapil";
        if (!(rq->who.roles & ROLE_ADMIN) &&
            acct_roles(c, rq->who.user_id, rq->a, &rs, &nr) == DB_OK)
            for (size_t i = 0; i < nr; i++)
                if (strcmp(rs[i].role, "kepala_unit") == 0) {
                    uc = rs[i].unit_code;
                    break;
                }
    }
    int r = units_get(c, rq->a, str_c(uc), &u);
    if (r != DB_OK) {
        db_release(c);
        return r == DB_DONE ? 404 : 503;
    }
    if (!acct_can_unit(c, rq->who.user_id, SKMW_MANAGERS, u.id)) {
        db_release(c);
        return 403;
    }
    form_state f;
    form_init(&f);
    if (rq->method != HTTP_POST) {
        int st = page(rq, c, &u, &f, false);
        db_release(c);
        return st;
    }
    str name = form_keep(rq, &f, "nama", 200);
    skm_element el[ROWS];
    size_t n = 0;
    bool has_default[9] = {false};
    for (int i = 0; i < ROWS; i++) {
        str code = form_keep(rq, &f, key(rq, i, "kode"), 20);
        str label = form_keep(rq, &f, key(rq, i, "label"), 200);
        str ans[4];
        for (int j = 0; j < 4; j++)
            ans[j] = form_keep(rq, &f, key(rq, i, arena_printf(rq->a, "j%d", j + 1)), 100);
        str w = form_keep(rq, &f, key(rq, i, "bobot"), 20);
        if (!code.n && !label.n && !w.n && !ans[0].n && !ans[1].n && !ans[2].n && !ans[3].n)
            continue; /* an empty row */
        skm_element *e = &el[n];
        memset(e, 0, sizeof *e);
        if (!code_ok(code))
            form_error(rq, &f, key(rq, i, "kode"),
                       "Row %d: the code is a capital letter followed by capital letters or "
                       "digits, for example U10.",
                       i + 1);
        if (!label.n) form_error(rq, &f, key(rq, i, "label"), "Row %d: write the element.", i + 1);
        for (int j = 0; j < 4; j++)
            if (!ans[j].n)
                form_error(rq, &f, key(rq, i, arena_printf(rq->a, "j%d", j + 1)),
                           "Row %d: write the label of answer %d.", i + 1, j + 1);
        if (!parse_weight(w, &e->weight_num, &e->weight_den))
            form_error(rq, &f, key(rq, i, "bobot"),
                       "Row %d: write the weight as a fraction, for example 1/9 or 2/27.", i + 1);
        for (size_t k = 0; k < n; k++)
            if (code.n && str_eq_c(code, el[k].code))
                form_error(rq, &f, key(rq, i, "kode"), "Row %d: the code %.*s is used twice.",
                           i + 1, (int)code.n, code.p);
        e->code = arena_strndup(rq->a, code.p ? code.p : "", code.n);
        e->label = arena_strndup(rq->a, label.p ? label.p : "", label.n);
        for (int j = 0; j < 4; j++)
            e->answers[j] = arena_strndup(rq->a, ans[j].p ? ans[j].p : "", ans[j].n);
        e->pos = (int)n + 1;
        for (int d = 0; d < 9; d++)
            if (strcmp(e->code, skm_default_elements[d].code) == 0) has_default[d] = true;
        n++;
    }
    for (int d = 0; d < 9; d++)
        if (!has_default[d])
            form_error(rq, &f, "e0_kode",
                       "Element %s (%s) is required by PermenPANRB 14/2017 and cannot be removed.",
                       skm_default_elements[d].code, skm_default_elements[d].label);
    if (form_ok(&f) && n) {
        ikm_element w[ROWS];
        for (size_t i = 0; i < n; i++)
            w[i] = (ikm_element){el[i].weight_num, el[i].weight_den, 0, 0};
        if (ikm_check_weights(w, n) != IKM_OK)
            form_error(rq, &f, "e0_bobot",
                       "The weights must add up to exactly 1 (for example nine times 1/9, or "
                       "2/10 plus nine times 8/90).");
    }
    if (!form_ok(&f)) {
        int st = page(rq, c, &u, &f, true);
        db_release(c);
        return st;
    }
    char err[300] = "";
    int64_t id = 0;
    int version = 0;
    const char *nm = name.n ? arena_strndup(rq->a, name.p, name.n)
                            : arena_printf(rq->a, "%s (%s)", SKM_DEFAULT_NAME, u.name);
    r = db_begin(c);
    if (r == DB_OK)
        r = skm_instrument_create(c, u.id, nm, NULL, el, n, &id, &version, err, sizeof err);
    if (r == DB_OK)
        skmw_audit(rq, c, "skm.instrument", arena_printf(rq->a, "unit:%s", u.code),
                   arena_printf(rq->a, "version %d, %zu elements", version, n), &r);
    if (r == DB_OK) r = db_commit(c);
    else db_rollback(c);
    if (r == SKM_EINVALID) {
        /* the store's own checks (English) as a last line: say it plainly */
        form_error(rq, &f, "e0_kode", "The questionnaire could not be saved: %s", err);
        int st = page(rq, c, &u, &f, true);
        db_release(c);
        return st;
    }
    db_release(c);
    form_free(&f);
    if (r != DB_OK) return 503;
    return http_redirect(
        rq, 303, arena_printf(rq->a, "/admin/skm/instrumen?unit=%s&berhasil=simpan", u.code));
}

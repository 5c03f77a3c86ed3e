/* units admin: the pages that keep the unit tree and each unit's profile: the list in tree
 * order with how complete each profile is, creating a unit, and editing one unit (name,
 * contact, map coordinates, time zone, opening hours per weekday, facilities).
 *
 * admin_pemda may change every unit; a kepala_unit the unit where the role is held and the
 * units below it (acct_can_unit). The routes accept both roles; the handlers check the unit
 * and answer 403 for any other. Every change is audited in the transaction that makes it. */
#include <stdio.h>
#include <string.h>

#include "core/contact.h"
#include "features/accounts/accounts.h"
#include "features/admin/web.h"
#include "features/app.h"
#include "features/services/api.h"
#include "features/form.h"
#include "features/regions/regions.h"
#include "features/units/units.h"
#include "features/units/view.h"
#include "features/units/web.h"
#include "render/i18n.h"

#define EDITORS (ROLE_ADMIN | ROLE_KEPALA_UNIT)

#define DAY_PARAMS(n)                                                                              \
    {"h" #n "_buka", HP_STR, 0, 20, false}, {"h" #n "_tutup", HP_STR, 0, 20, false},               \
        {"h" #n "_mulai", HP_STR, 0, 20, false}, {"h" #n "_selesai", HP_STR, 0, 20, false},        \
    {                                                                                              \
        "h" #n "_libur", HP_CODE, 0, 2, false                                                      \
    }
#define FAC_PARAMS(c)                                                                              \
    {"f_" c, HP_CODE, 0, 2, false},                                                                \
    {                                                                                              \
        "f_" c "_ket", HP_STR, 0, 400, false                                                       \
    }

const http_param_spec units_admin_list_params[] = {{"berhasil", HP_CODE, 0, 20, false}, {0}};
/* the code and the region are HP_STR: what was typed comes back with a message, not a 400 */
const http_param_spec units_admin_new_params[] = {{"kode", HP_STR, 0, 200, false},
                                                  {"induk", HP_CODE, 0, 40, false},
                                                  {"jenis", HP_CODE, 0, 20, false},
                                                  {"nama", HP_STR, 0, 600, false},
                                                  {"wilayah", HP_STR, 0, 60, false},
                                                  {"zona", HP_CODE, 0, 8, false},
                                                  {0}};
const http_param_spec units_admin_edit_params[] = {{"code", HP_CODE, 1, 40, true},
                                                   {"berhasil", HP_CODE, 0, 20, false},
                                                   {"nama", HP_STR, 0, 600, false},
                                                   {"alamat", HP_STR, 0, 1200, false},
                                                   {"telepon", HP_STR, 0, 200, false},
                                                   {"email", HP_STR, 0, 400, false},
                                                   {"lat", HP_STR, 0, 100, false},
                                                   {"lon", HP_STR, 0, 100, false},
                                                   {"zona", HP_CODE, 0, 8, false},
                                                   DAY_PARAMS(1),
                                                   DAY_PARAMS(2),
                                                   DAY_PARAMS(3),
                                                   DAY_PARAMS(4),
                                                   DAY_PARAMS(5),
                                                   DAY_PARAMS(6),
                                                   DAY_PARAMS(7),
                                                   FAC_PARAMS("parking"),
                                                   FAC_PARAMS("waiting_room"),
                                                   FAC_PARAMS("toilet"),
                                                   FAC_PARAMS("lactation_room"),
                                                   FAC_PARAMS("prayer_room"),
                                                   FAC_PARAMS("play_area"),
                                                   FAC_PARAMS("wheelchair"),
                                                   FAC_PARAMS("priority_counter"),
                                                   FAC_PARAMS("information_desk"),
                                                   {0}};

/* the types an admin may create (the pemda is made by `layan init`) */
static const struct {
    const char *code, *msgid;
} unit_types[] = {{"opd", N_("OPD (government agency)")},
                  {"kecamatan", N_("Kecamatan office")},
                  {"kelurahan", N_("Kelurahan/desa counter")},
                  {"mpp", N_("Public service mall (MPP)")},
                  {"mobile", N_("Mobile unit")}};

static const char *type_label(http_req *rq, const char *type)
{
    if (type && strcmp(type, "pemda") == 0) return http_t(rq, "Local government");
    for (size_t i = 0; i < sizeof unit_types / sizeof unit_types[0]; i++)
        if (type && strcmp(type, unit_types[i].code) == 0) return http_t(rq, unit_types[i].msgid);
    return type ? type : "";
}

static const struct {
    const char *code;
    int offset;
} zones[] = {{"WIB", 420}, {"WITA", 480}, {"WIT", 540}};

static int zone_offset(const char *code)
{
    for (size_t i = 0; code && i < sizeof zones / sizeof zones[0]; i++)
        if (strcmp(code, zones[i].code) == 0) return zones[i].offset;
    return -1;
}

static json_t *zones_json(http_req *rq, const char *selected)
{
    static const char *const msgid[3] = {N_("WIB (Western Indonesia, UTC+7)"),
                                         N_("WITA (Central Indonesia, UTC+8)"),
                                         N_("WIT (Eastern Indonesia, UTC+9)")};
    json_t *arr = json_array();
    for (size_t i = 0; i < 3; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:b}", "value", zones[i].code, "label",
                                             http_t(rq, msgid[i]), "selected",
                                             selected && strcmp(selected, zones[i].code) == 0));
    return arr;
}

static const char *const day_msgid[8] = {"",         "Monday", "Tuesday",  "Wednesday",
                                         "Thursday", "Friday", "Saturday", "Sunday"};

static bool is_admin(const http_req *rq)
{
    return (rq->who.roles & ROLE_ADMIN) != 0;
}

static const char *done_text(http_req *rq)
{
    str d = http_param(rq, "berhasil");
    if (str_eq_c(d, "simpan")) return http_t(rq, "Saved.");
    if (str_eq_c(d, "baru"))
        return http_t(rq, "The unit has been created. Now fill in its address, opening hours and "
                          "facilities.");
    return NULL;
}

/* ---- the tree ---- */

typedef struct {
    size_t *order; /* indexes into the unit array, parents before children */
    int *depth;
    bool *covered; /* the user may change this unit */
    size_t n;
} unit_tree;

static void tree_visit(const unit *us, size_t n, size_t i, int depth, bool covered,
                       const int64_t *own, size_t nown, bool *seen, unit_tree *t)
{
    if (seen[i]) return;
    seen[i] = true;
    for (size_t k = 0; !covered && k < nown; k++)
        covered = own[k] == us[i].id;
    t->order[t->n] = i;
    t->depth[t->n] = depth;
    t->covered[t->n] = covered;
    t->n++;
    /* children in the order units_list gives them (OPD first, then by name) */
    for (size_t j = 0; j < n; j++)
        if (us[j].parent_code && strcmp(us[j].parent_code, us[i].code) == 0)
            tree_visit(us, n, j, depth + 1, covered, own, nown, seen, t);
}

/* the units in tree order, each marked with whether this user may change it */
static int load_tree(http_req *rq, db_conn *c, unit **us, size_t *n, unit_tree *t)
{
    int r = units_list(c, rq->a, us, n);
    if (r != DB_OK) return r;
    int64_t *own = arena_alloc(rq->a, (*n + 1) * sizeof *own);
    size_t nown = 0;
    bool all = is_admin(rq);
    if (!all) {
        acct_role *rs;
        size_t nr;
        r = acct_roles(c, rq->who.user_id, rq->a, &rs, &nr);
        if (r != DB_OK) return r;
        for (size_t i = 0; i < nr && nown < *n; i++)
            if (strcmp(rs[i].role, "kepala_unit") == 0) own[nown++] = rs[i].unit_id;
    }
    t->order = arena_alloc(rq->a, (*n + 1) * sizeof *t->order);
    t->depth = arena_alloc(rq->a, (*n + 1) * sizeof *t->depth);
    t->covered = arena_alloc(rq->a, (*n + 1) * sizeof *t->covered);
    t->n = 0;
    bool *seen = arena_alloc(rq->a, (*n + 1) * sizeof *seen);
    memset(seen, 0, (*n + 1) * sizeof *seen);
    /* roots: no parent, or a parent that is not in the list */
    for (size_t i = 0; i < *n; i++) {
        bool root = !(*us)[i].parent_code;
        if (!root) {
            root = true;
            for (size_t j = 0; j < *n && root; j++)
                root = strcmp((*us)[j].code, (*us)[i].parent_code) != 0;
        }
        if (root) tree_visit(*us, *n, i, 0, all, own, nown, seen, t);
    }
    return DB_OK;
}

/* the depth of the highest unit this user may change: indentation starts there */
static int tree_top(const unit_tree *t)
{
    int top = -1;
    for (size_t k = 0; k < t->n; k++)
        if (t->covered[k] && (top < 0 || t->depth[k] < top)) top = t->depth[k];
    return top < 0 ? 0 : top;
}

int units_admin_list(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    unit *us;
    size_t n;
    unit_tree t;
    int r = load_tree(rq, c, &us, &n, &t);
    if (r == DB_OK) r = units_facilities_load_all(c, rq->a, us, n);
    db_release(c);
    if (r != DB_OK) return 503;
    int top = tree_top(&t);
    json_t *rows = json_array();
    for (size_t k = 0; k < t.n; k++) {
        if (!t.covered[k]) continue;
        const unit *u = &us[t.order[k]];
        int depth = t.depth[k] - top;
        json_t *missing = json_array();
        if (!u->nhours) json_array_append_new(missing, json_string(http_t(rq, "opening hours")));
        if (!u->nfacilities) json_array_append_new(missing, json_string(http_t(rq, "facilities")));
        if (!u->has_geo) json_array_append_new(missing, json_string(http_t(rq, "map coordinates")));
        if (!u->address || !*u->address)
            json_array_append_new(missing, json_string(http_t(rq, "address")));
        json_array_append_new(
            rows, json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:b}", "code", u->code, "name", u->name,
                            "url", arena_printf(rq->a, "/admin/unit/%s", u->code), "type",
                            type_label(rq, u->type), "region",
                            u->region_code ? u->region_code : "-", "depth", depth > 4 ? 4 : depth,
                            "missing", missing, "complete", json_array_size(missing) == 0));
    }
    json_t *ctx = json_object();
    json_object_set_new(ctx, "nrows", json_integer((json_int_t)json_array_size(rows)));
    json_object_set_new(ctx, "rows", rows);
    json_object_set_new(ctx, "nav_units", json_true());
    const char *done = done_text(rq);
    if (done) json_object_set_new(ctx, "done", json_string(done));
    return http_page(rq, 200, "units/admin_list", ctx);
}

/* ---- creating a unit ---- */

static bool valid_code(str s)
{
    if (s.n < 2 || s.n > 40) return false;
    for (size_t i = 0; i < s.n; i++) {
        char ch = s.p[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
        if (!ok) return false;
    }
    /* starts and ends with a letter or digit */
    return s.p[0] != '.' && s.p[0] != '-' && s.p[s.n - 1] != '.' && s.p[s.n - 1] != '-';
}

static bool valid_region_code(str s)
{
    if (s.n < 2 || s.n > 13) return false;
    for (size_t i = 0; i < s.n; i++)
        if (!((s.p[i] >= '0' && s.p[i] <= '9') || s.p[i] == '.')) return false;
    return true;
}

static int new_form(http_req *rq, db_conn *c, form_state *f, const char *parent, const char *type,
                    const char *zone, const char *region_name)
{
    unit *us;
    size_t n;
    unit_tree t;
    if (load_tree(rq, c, &us, &n, &t) != DB_OK) {
        form_free(f);
        return 503;
    }
    int top = tree_top(&t);
    json_t *parents = json_array();
    for (size_t k = 0; k < t.n; k++) {
        if (!t.covered[k]) continue;
        const unit *u = &us[t.order[k]];
        /* indented by depth so the select reads as a tree */
        buf b;
        buf_init(&b, 1024);
        for (int d = top; d < t.depth[k] && d - top < 4; d++)
            buf_puts(&b, "\xc2\xa0\xc2\xa0\xc2\xa0");
        buf_puts(&b, u->name);
        json_array_append_new(parents,
                              json_pack("{s:s,s:s%,s:b}", "code", u->code, "name", b.p ? b.p : "",
                                        b.n, "selected", parent && strcmp(parent, u->code) == 0));
        buf_free(&b);
    }
    json_t *types = json_array();
    for (size_t i = 0; i < sizeof unit_types / sizeof unit_types[0]; i++)
        json_array_append_new(types, json_pack("{s:s,s:s,s:b}", "value", unit_types[i].code,
                                               "label", http_t(rq, unit_types[i].msgid), "selected",
                                               type && strcmp(type, unit_types[i].code) == 0));
    json_t *ctx = json_object();
    json_object_set_new(ctx, "parents", parents);
    json_object_set_new(ctx, "types", types);
    json_object_set_new(ctx, "zones", zones_json(rq, zone));
    json_object_set_new(ctx, "nav_units", json_true());
    if (region_name) json_object_set_new(ctx, "region_name", json_string(region_name));
    form_into(f, ctx);
    return http_page(rq, json_object_get(ctx, "has_errors") == json_true() ? 400 : 200,
                     "units/admin_new", ctx);
}

int units_admin_new(http_req *rq)
{
    app *a = app_of(rq);
    form_state f;
    form_init(&f);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    int st;
    if (rq->method != HTTP_POST) {
        /* a unit usually belongs to the OPD; a kepala_unit's own unit is the first they cover */
        const char *parent = is_admin(rq) ? "disdukcapil" : NULL;
        st = new_form(rq, c, &f, parent, "kecamatan", "WIB", NULL);
        db_release(c);
        return st;
    }
    str code = form_keep(rq, &f, "kode", 60);
    str name = form_keep(rq, &f, "nama", 200);
    str regn = form_keep(rq, &f, "wilayah", 20);
    const char *parent = http_param_c(rq, "induk"), *type = http_param_c(rq, "jenis"),
               *zone = http_param_c(rq, "zona");
    char *codec = arena_strndup(rq->a, code.p, code.n);
    char *namec = arena_strndup(rq->a, name.p, name.n);
    char *regionc = arena_strndup(rq->a, regn.p, regn.n);
    const char *region_name = NULL;

    if (!valid_code(code))
        form_error(rq, &f, "kode",
                   "Write a code of 2 to 40 characters using lower-case letters, digits, dots and "
                   "dashes, for example kec-sukasari or mpp.kota.");
    else if (strcmp(codec, "baru") == 0)
        form_error(rq, &f, "kode", "This word is reserved. Choose another code.");
    else if (units_id(c, codec))
        form_error(rq, &f, "kode",
                   "The code %s is already used by another unit. Choose another one.", codec);
    int64_t pid = parent && *parent ? units_id(c, parent) : 0;
    if (!pid) form_error(rq, &f, "induk", "Choose the unit this unit belongs to.");
    else if (!acct_can_unit(c, rq->who.user_id, EDITORS, pid))
        form_error(rq, &f, "induk", "You may only add units under a unit you manage.");
    bool type_ok = false;
    for (size_t i = 0; type && i < sizeof unit_types / sizeof unit_types[0]; i++)
        type_ok = type_ok || strcmp(type, unit_types[i].code) == 0;
    if (!type_ok) form_error(rq, &f, "jenis", "Choose the type of unit.");
    if (name.n < 3 || name.n > 120)
        form_error(rq, &f, "nama",
                   "Write the name of the unit (3 to 120 characters), for example \"Kantor "
                   "Kecamatan Sukasari\".");
    if (!regn.n)
        form_error(rq, &f, "wilayah",
                   "Write the region code from the Kemendagri list, for example 32.73.01.");
    else if (!valid_region_code(regn) || !(region_name = regions_name(c, rq->a, regn)))
        form_error(rq, &f, "wilayah",
                   "There is no region with the code %s. Write the code from the Kemendagri "
                   "list, for example 32.73.01 for a kecamatan.",
                   regionc);
    int tz = zone_offset(zone);
    if (tz < 0) form_error(rq, &f, "zona", "Choose the time zone.");
    if (!form_ok(&f)) {
        st = new_form(rq, c, &f, parent, type, zone, region_name);
        db_release(c);
        return st;
    }
    bool created = false;
    int r = db_begin(c);
    if (r == DB_OK) r = units_create(c, codec, parent, type, namec, regionc, tz, &created);
    if (r == DB_OK && !created) r = DB_ECONSTRAINT;
    admin_audit(rq, c, "unit.create", arena_printf(rq->a, "unit:%s", codec),
                arena_printf(rq->a, "%s; %s; %s; %s", type, parent, regionc, namec), &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) {
        db_rollback(c);
        if (r == DB_ECONSTRAINT) {
            /* created by someone else meanwhile */
            form_error(rq, &f, "kode",
                       "The code %s is already used by another unit. Choose another one.", codec);
            st = new_form(rq, c, &f, parent, type, zone, region_name);
            db_release(c);
            return st;
        }
        db_release(c);
        form_free(&f);
        return 503;
    }
    svc_api_invalidate();
    db_release(c);
    form_free(&f);
    return http_redirect(rq, 303, arena_printf(rq->a, "/admin/unit/%s?berhasil=baru", codec));
}

/* ---- editing a unit ---- */

/* "08.00", "8:00", "08:30" -> minutes after midnight (0..1440); false when not a time */
static bool parse_hm(str s, int *out)
{
    s = str_trim(s);
    size_t i = 0;
    int h = 0, m = 0, hd = 0;
    while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && hd < 2)
        h = h * 10 + (s.p[i++] - '0'), hd++;
    if (!hd || i >= s.n || (s.p[i] != ':' && s.p[i] != '.')) return false;
    i++;
    if (s.n - i != 2 || s.p[i] < '0' || s.p[i] > '9' || s.p[i + 1] < '0' || s.p[i + 1] > '9')
        return false;
    m = (s.p[i] - '0') * 10 + (s.p[i + 1] - '0');
    if (h > 24 || m > 59 || h * 60 + m > 1440) return false;
    *out = h * 60 + m;
    return true;
}

/* a decimal number like -6.914744 (a comma works as the decimal point too), at most 15 digits:
 * the digits as an integer divided once by a power of ten, so the result is correctly rounded */
static bool parse_decimal(str s, double *out)
{
    static const double pow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    s = str_trim(s);
    size_t i = 0;
    bool neg = false;
    if (i < s.n && (s.p[i] == '-' || s.p[i] == '+')) neg = s.p[i++] == '-';
    int64_t mant = 0;
    int digits = 0, decimals = 0;
    bool point = false;
    for (; i < s.n; i++) {
        char ch = s.p[i];
        if (ch >= '0' && ch <= '9') {
            if (++digits > 15) return false;
            mant = mant * 10 + (ch - '0');
            if (point) decimals++;
        } else if ((ch == '.' || ch == ',') && !point) {
            point = true;
        } else {
            return false;
        }
    }
    if (!digits) return false;
    double v = (double)mant / pow10[decimals];
    *out = neg ? -v : v;
    return true;
}

static const char *fmt_hm(http_req *rq, int min)
{
    return arena_printf(rq->a, strcmp(rq->lang, "en") == 0 ? "%02d:%02d" : "%02d.%02d", min / 60,
                        min % 60);
}

/* an error of one weekday: msgid (marked with N_) has one %s, the day's name */
static void set_err(http_req *rq, form_state *f, json_t *o, const char *key, const char *field,
                    const char *msgid, const char *day)
{
    if (json_object_get(f->err, field)) return;
    const char *t = http_t(rq, msgid);
    const char *p = strstr(t, "%s");
    const char *text = p ? arena_printf(rq->a, "%.*s%s%s", (int)(p - t), t, day, p + 2) : t;
    form_error_text(f, field, text);
    json_object_set_new(o, key, json_string(text));
    json_object_set_new(o, "has_err", json_true());
}

static const char *field(http_req *rq, int d, const char *what)
{
    return arena_printf(rq->a, "h%d_%s", d, what);
}

/* the typed hours of one weekday (kept for re-rendering) and, when valid, the parsed hours;
 * returns whether the day is open */
static bool day_from_form(http_req *rq, form_state *f, int d, json_t *o, unit_hours *h, bool *ok)
{
    const char *day = http_t(rq, day_msgid[d]);
    str sv[4];
    static const char *const what[4] = {"buka", "tutup", "mulai", "selesai"};
    for (int k = 0; k < 4; k++) {
        str v = http_param(rq, field(rq, d, what[k]));
        v = v.p ? str_trim(v) : STR("");
        if (v.n > 10) v.n = 10;
        sv[k] = v;
        json_object_set_new(o, what[k], json_stringn(v.p, v.n));
    }
    bool closed = http_param(rq, field(rq, d, "libur")).n > 0;
    json_object_set_new(o, "libur", json_boolean(closed));
    *ok = true;
    if (closed || (!sv[0].n && !sv[1].n && !sv[2].n && !sv[3].n)) {
        json_object_set_new(o, "libur", json_true());
        return false;
    }
    h->weekday = d;
    h->break_start_min = h->break_end_min = -1;
    bool t0 = parse_hm(sv[0], &h->opens_min), t1 = parse_hm(sv[1], &h->closes_min);
    if (!sv[0].n || !sv[1].n) {
        set_err(rq, f, o, sv[0].n ? "err_tutup" : "err_buka",
                field(rq, d, sv[0].n ? "tutup" : "buka"),
                N_("%s: write the opening and closing times, or tick Closed."), day);
        *ok = false;
        return true;
    }
    if (!t0) {
        set_err(rq, f, o, "err_buka", field(rq, d, "buka"),
                N_("%s: write the opening time like 08.00."), day);
        *ok = false;
    }
    if (!t1) {
        set_err(rq, f, o, "err_tutup", field(rq, d, "tutup"),
                N_("%s: write the closing time like 15.30."), day);
        *ok = false;
    }
    if (!*ok) return true;
    if (h->closes_min <= h->opens_min) {
        set_err(rq, f, o, "err_tutup", field(rq, d, "tutup"),
                N_("%s: the closing time must be later than the opening time."), day);
        *ok = false;
        return true;
    }
    if (!sv[2].n && !sv[3].n) return true;
    if (!sv[2].n || !sv[3].n) {
        set_err(rq, f, o, sv[2].n ? "err_selesai" : "err_mulai",
                field(rq, d, sv[2].n ? "selesai" : "mulai"),
                N_("%s: write both the start and the end of the break, or leave both empty."), day);
        *ok = false;
        return true;
    }
    int bs, be;
    if (!parse_hm(sv[2], &bs)) {
        set_err(rq, f, o, "err_mulai", field(rq, d, "mulai"),
                N_("%s: write the start of the break like 12.00."), day);
        *ok = false;
    }
    if (!parse_hm(sv[3], &be)) {
        set_err(rq, f, o, "err_selesai", field(rq, d, "selesai"),
                N_("%s: write the end of the break like 13.00."), day);
        *ok = false;
    }
    if (!*ok) return true;
    if (be <= bs) {
        set_err(rq, f, o, "err_selesai", field(rq, d, "selesai"),
                N_("%s: the break must end later than it starts."), day);
        *ok = false;
    } else if (bs < h->opens_min || be > h->closes_min) {
        set_err(rq, f, o, "err_mulai", field(rq, d, "mulai"),
                N_("%s: the break must be within the opening hours."), day);
        *ok = false;
    }
    h->break_start_min = bs;
    h->break_end_min = be;
    return true;
}

static json_t *day_from_unit(http_req *rq, const unit *u, int d)
{
    json_t *o = json_object();
    const unit_hours *h = NULL;
    for (int i = 0; i < u->nhours; i++)
        if (u->hours[i].weekday == d) h = &u->hours[i];
    json_object_set_new(o, "buka", json_string(h ? fmt_hm(rq, h->opens_min) : ""));
    json_object_set_new(o, "tutup", json_string(h ? fmt_hm(rq, h->closes_min) : ""));
    bool brk = h && h->break_start_min >= 0 && h->break_end_min > h->break_start_min;
    json_object_set_new(o, "mulai", json_string(brk ? fmt_hm(rq, h->break_start_min) : ""));
    json_object_set_new(o, "selesai", json_string(brk ? fmt_hm(rq, h->break_end_min) : ""));
    json_object_set_new(o, "libur", json_boolean(!h));
    return o;
}

static void day_names(http_req *rq, json_t *o, int d)
{
    json_object_set_new(o, "d", json_integer(d));
    json_object_set_new(o, "day", json_string(http_t(rq, day_msgid[d])));
    static const char *const what[5] = {"buka", "tutup", "mulai", "selesai", "libur"};
    for (int k = 0; k < 5; k++)
        json_object_set_new(o, arena_printf(rq->a, "id_%s", what[k]),
                            json_string(field(rq, d, what[k])));
}

static json_t *facility_row(http_req *rq, int i, bool checked, const char *note, const char *err)
{
    const char *code = units_facility_codes[i];
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:b,s:s}", "code", code, "label", http_t(rq, units_facility_msgid(code)),
        "id", arena_printf(rq->a, "f_%s", code), "id_ket", arena_printf(rq->a, "f_%s_ket", code),
        "checked", checked, "note", note ? note : "");
    if (err) json_object_set_new(o, "note_err", json_string(err));
    return o;
}

static int edit_page(http_req *rq, db_conn *c, const unit *u, form_state *f, json_t *days,
                     json_t *facilities, const char *zone)
{
    json_t *ctx = json_object();
    json_t *info =
        json_pack("{s:s,s:s,s:s,s:s}", "code", u->code, "name", u->name, "type",
                  type_label(rq, u->type), "public_url", arena_printf(rq->a, "/unit/%s", u->code));
    if (u->region_code) {
        json_object_set_new(info, "region", json_string(u->region_code));
        const char *rn = regions_name(c, rq->a, str_c(u->region_code));
        if (rn) json_object_set_new(info, "region_name", json_string(rn));
    }
    if (u->has_geo)
        json_object_set_new(
            info, "map_url",
            json_string(arena_printf(
                rq->a, "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=18/%.6f/%.6f",
                u->lat, u->lon, u->lat, u->lon)));
    if (u->parent_code) {
        unit p;
        if (units_get(c, rq->a, str_c(u->parent_code), &p) == DB_OK)
            json_object_set_new(info, "parent", json_string(p.name));
    }
    json_object_set_new(ctx, "unit", info);
    json_object_set_new(ctx, "days", days);
    json_object_set_new(ctx, "facilities", facilities);
    json_object_set_new(ctx, "zones", zones_json(rq, zone));
    json_object_set_new(ctx, "action", json_string(arena_printf(rq->a, "/admin/unit/%s", u->code)));
    json_object_set_new(ctx, "nav_units", json_true());
    const char *done = done_text(rq);
    if (done) json_object_set_new(ctx, "done", json_string(done));
    form_into(f, ctx);
    return http_page(rq, json_object_get(ctx, "has_errors") == json_true() ? 400 : 200,
                     "units/admin_edit", ctx);
}

static bool same_hours(const unit *u, const unit_hours *h, int n)
{
    if (u->nhours != n) return false;
    for (int i = 0; i < n; i++) {
        const unit_hours *a = &u->hours[i], *b = &h[i];
        if (a->weekday != b->weekday || a->opens_min != b->opens_min ||
            a->closes_min != b->closes_min || a->break_start_min != b->break_start_min ||
            a->break_end_min != b->break_end_min)
            return false;
    }
    return true;
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool same_facilities(const unit *u, const unit_facility *f, size_t n)
{
    if (u->nfacilities != n) return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(u->facilities[i].code, f[i].code) != 0 ||
            !same_text(u->facilities[i].note, f[i].note))
            return false;
    return true;
}

static const char *nul_if_empty(str s, arena *a)
{
    return s.n ? arena_strndup(a, s.p, s.n) : NULL;
}

int units_admin_edit(http_req *rq)
{
    app *a = app_of(rq);
    form_state f;
    form_init(&f);
    db_conn *c = db_acquire(a->db);
    if (!c) {
        form_free(&f);
        return 503;
    }
    unit u;
    int st = 0;
    json_t *days = NULL, *facs = NULL;
    int r = units_get(c, rq->a, http_param(rq, "code"), &u);
    if (r == DB_OK) r = units_facilities_load(c, rq->a, &u);
    if (r != DB_OK) {
        st = r == DB_DONE ? 404 : 503;
        goto out;
    }
    if (!acct_can_unit(c, rq->who.user_id, EDITORS, u.id)) {
        st = 403;
        goto out;
    }
    days = json_array();
    facs = json_array();
    if (rq->method != HTTP_POST) {
        json_object_set_new(f.v, "nama", json_string(u.name));
        json_object_set_new(f.v, "alamat", json_string(u.address ? u.address : ""));
        json_object_set_new(f.v, "telepon", json_string(u.phone ? u.phone : ""));
        json_object_set_new(f.v, "email", json_string(u.email ? u.email : ""));
        json_object_set_new(f.v, "lat",
                            json_string(u.has_geo ? arena_printf(rq->a, "%.6f", u.lat) : ""));
        json_object_set_new(f.v, "lon",
                            json_string(u.has_geo ? arena_printf(rq->a, "%.6f", u.lon) : ""));
        for (int d = 1; d <= 7; d++) {
            json_t *o = day_from_unit(rq, &u, d);
            day_names(rq, o, d);
            json_array_append_new(days, o);
        }
        for (int i = 0; i < UNITS_NFACILITIES; i++) {
            const char *note = NULL;
            bool on = false;
            for (size_t k = 0; k < u.nfacilities; k++)
                if (strcmp(u.facilities[k].code, units_facility_codes[i]) == 0)
                    on = true, note = u.facilities[k].note;
            json_array_append_new(facs, facility_row(rq, i, on, note, NULL));
        }
        st = edit_page(rq, c, &u, &f, days, facs, units_tz_label(u.tz_offset_min));
        goto out;
    }

    /* name and contact */
    str name = form_keep(rq, &f, "nama", 200);
    str addr = form_keep(rq, &f, "alamat", 400);
    str phone = form_keep(rq, &f, "telepon", 40);
    str email = form_keep(rq, &f, "email", 300);
    if (name.n < 3 || name.n > 120)
        form_error(rq, &f, "nama", "Write the name of the unit (3 to 120 characters).");
    if (addr.n > 300)
        form_error(rq, &f, "alamat", "The address is too long: at most 300 characters.");
    if (phone.n) {
        int digits = 0;
        bool bad = phone.n > 30;
        for (size_t i = 0; i < phone.n; i++) {
            char ch = phone.p[i];
            if (ch >= '0' && ch <= '9') digits++;
            else if (!strchr(" +-()/", ch)) bad = true;
        }
        if (bad || digits < 5 || digits > 15)
            form_error(rq, &f, "telepon",
                       "Write the phone number with digits, for example (022) 4231234 or 0812 "
                       "3456 7890.");
    }
    char emailn[256] = "";
    if (email.n && !contact_email(email.p, email.n, emailn, sizeof emailn))
        form_error(rq, &f, "email", "Write the e-mail address like layanan@contoh.go.id.");

    /* coordinates: a pair copied from a map ("-6.914744, 107.609810") may be pasted in the
     * latitude field */
    str lat = form_keep(rq, &f, "lat", 60), lon = form_keep(rq, &f, "lon", 60);
    if (lat.n && !lon.n) {
        long comma = str_find(lat, STR(","));
        if (comma > 0 && memchr(lat.p, '.', (size_t)comma)) {
            lon = str_trim((str){lat.p + comma + 1, lat.n - (size_t)comma - 1});
            lat = str_trim((str){lat.p, (size_t)comma});
            json_object_set_new(f.v, "lat", json_stringn(lat.p, lat.n));
            json_object_set_new(f.v, "lon", json_stringn(lon.p, lon.n));
        }
    }
    double la = 0, lo = 0;
    bool has_geo = lat.n || lon.n;
    if (has_geo) {
        bool lok = false, ook = false;
        if (!lat.n)
            form_error(rq, &f, "lat",
                       "Write both the latitude and the longitude, or leave both empty.");
        else if (!parse_decimal(lat, &la))
            form_error(rq, &f, "lat", "Write the latitude as a number, for example -6.914744.");
        else if (la < -90 || la > 90)
            form_error(rq, &f, "lat", "The latitude must be between -90 and 90.");
        else lok = true;
        if (!lon.n)
            form_error(rq, &f, "lon",
                       "Write both the latitude and the longitude, or leave both empty.");
        else if (!parse_decimal(lon, &lo))
            form_error(rq, &f, "lon", "Write the longitude as a number, for example 107.609810.");
        else if (lo < -180 || lo > 180)
            form_error(rq, &f, "lon", "The longitude must be between -180 and 180.");
        else ook = true;
        if (lok && ook && (la < -11.5 || la > 6.5 || lo < 94.5 || lo > 141.5))
            form_error(rq, &f, "lat",
                       "These coordinates are outside Indonesia. Check that the latitude and the "
                       "longitude are not swapped.");
    }
    const char *zone = http_param_c(rq, "zona");
    int tz = zone_offset(zone);
    if (tz < 0) form_error(rq, &f, "zona", "Choose the time zone.");

    /* opening hours */
    unit_hours hours[7];
    int nh = 0;
    for (int d = 1; d <= 7; d++) {
        json_t *o = json_object();
        day_names(rq, o, d);
        bool ok;
        if (day_from_form(rq, &f, d, o, &hours[nh], &ok) && ok) nh++;
        json_array_append_new(days, o);
    }

    /* facilities */
    unit_facility fl[UNITS_NFACILITIES];
    size_t nfl = 0;
    for (int i = 0; i < UNITS_NFACILITIES; i++) {
        const char *code = units_facility_codes[i];
        const char *label = http_t(rq, units_facility_msgid(code));
        bool on = http_param(rq, arena_printf(rq->a, "f_%s", code)).n > 0;
        const char *kf = arena_printf(rq->a, "f_%s_ket", code);
        str note = http_param(rq, kf);
        note = note.p ? str_trim(note) : STR("");
        if (note.n > 200) note.n = 200;
        const char *err = NULL;
        if (note.n > 100) {
            form_error(rq, &f, kf, "%s: the note is too long (at most 100 characters).", label);
            err = json_string_value(json_object_get(f.err, kf));
        } else if (note.n && !on) {
            form_error(rq, &f, kf, "%s: tick the facility, or delete its note.", label);
            err = json_string_value(json_object_get(f.err, kf));
        }
        const char *notec = nul_if_empty(note, rq->a);
        json_array_append_new(facs, facility_row(rq, i, on, notec, err));
        if (on) fl[nfl++] = (unit_facility){code, notec};
    }

    if (!form_ok(&f)) {
        st = edit_page(rq, c, &u, &f, days, facs, zone);
        goto out;
    }
    json_decref(days);
    json_decref(facs);

    /* what changed, for the audit entry */
    const char *namec = arena_strndup(rq->a, name.p, name.n);
    const char *addrc = nul_if_empty(addr, rq->a), *phonec = nul_if_empty(phone, rq->a);
    const char *emailc = email.n ? arena_strndup(rq->a, emailn, strlen(emailn)) : NULL;
    buf changed;
    buf_init(&changed, 1024);
    if (!same_text(u.name, namec)) buf_puts(&changed, "name ");
    if (!same_text(u.address, addrc) || !same_text(u.phone, phonec) || !same_text(u.email, emailc))
        buf_puts(&changed, "contact ");
    if (u.has_geo != has_geo || (has_geo && (u.lat != la || u.lon != lo)))
        buf_puts(&changed, "coordinates ");
    if (u.tz_offset_min != tz) buf_puts(&changed, "time_zone ");
    if (!same_hours(&u, hours, nh)) buf_puts(&changed, "hours ");
    if (!same_facilities(&u, fl, nfl)) buf_puts(&changed, "facilities ");
    const char *detail = changed.n ? arena_strndup(rq->a, changed.p, changed.n - 1) : "no changes";
    buf_free(&changed);

    r = db_begin(c);
    if (r == DB_OK) r = units_set_name(c, u.code, namec);
    if (r == DB_OK) r = units_set_contact(c, u.code, addrc, phonec, emailc);
    if (r == DB_OK) r = units_set_geo(c, u.code, has_geo, la, lo);
    if (r == DB_OK) r = units_set_tz(c, u.code, tz);
    if (r == DB_OK) r = units_set_hours(c, u.code, hours, nh);
    if (r == DB_OK) r = units_facilities_set(c, u.code, fl, nfl);
    admin_audit(rq, c, "unit.update", arena_printf(rq->a, "unit:%s", u.code), detail, &r);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) {
        db_rollback(c);
        st = 503;
        goto out;
    }
    svc_api_invalidate(); /* unit names, hours and facilities are in the cached API answers */
    db_release(c);
    form_free(&f);
    return http_redirect(rq, 303, arena_printf(rq->a, "/admin/unit/%s?berhasil=simpan", u.code));
out:
    db_release(c);
    form_free(&f);
    return st;
}

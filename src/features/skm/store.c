/* skm store: SQL for instruments, periods, responses and the aggregation behind the index. The
 * index itself is computed by core/ikm from per-element sums and counts that SQL aggregates, so
 * no answer row is ever read into memory for a result. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "features/skm/internal.h"
#include "lib/utf8.h"

const skm_element skm_default_elements[9] = {
    {"U1", "Persyaratan", 1, 1, 9, {"Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"}},
    {"U2",
     "Sistem, mekanisme, dan prosedur",
     2,
     1,
     9,
     {"Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"}},
    {"U3", "Waktu penyelesaian", 3, 1, 9, {"Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"}},
    {"U4", "Biaya/tarif", 4, 1, 9, {"Sangat mahal", "Cukup mahal", "Murah", "Gratis"}},
    {"U5",
     "Produk spesifikasi jenis pelayanan",
     5,
     1,
     9,
     {"Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"}},
    {"U6",
     "Kompetensi pelaksana",
     6,
     1,
     9,
     {"Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"}},
    {"U7",
     "Perilaku pelaksana",
     7,
     1,
     9,
     {"Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
      "Sangat sopan dan ramah"}},
    {"U8",
     "Penanganan pengaduan, saran dan masukan",
     8,
     1,
     9,
     {"Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
      "Dikelola dengan baik"}},
    {"U9", "Sarana dan prasarana", 9, 1, 9, {"Buruk", "Cukup", "Baik", "Sangat baik"}},
};

static void now_utc(char *b, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(b, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *col(db_stmt *s, arena *a, int i)
{
    if (db_col_is_null(s, i)) return NULL;
    str t = db_col_text(s, i);
    return arena_strndup(a, t.p ? t.p : "", t.n);
}

static int step_done(db_stmt *s)
{
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

/* ---- instruments ---- */

#define INS_COLS                                                                                   \
    "i.id, i.unit_id, u.code, i.version, i.name, i.rounding_rule, i.ladder_name, i.created_at "    \
    "FROM skm_instruments i LEFT JOIN units u ON u.id = i.unit_id "

static int load_elements(db_conn *c, arena *a, skm_instrument *ins)
{
    db_stmt *s = db_prepare(c, "SELECT code, label, pos, weight_num, weight_den, answer1, "
                               "answer2, answer3, answer4 FROM skm_elements WHERE "
                               "instrument_id = $1 ORDER BY pos");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, ins->id);
    ins->el = arena_alloc(a, IKM_MAX_ELEMENTS * sizeof *ins->el);
    ins->nel = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (ins->nel == IKM_MAX_ELEMENTS) continue; /* refused on create; never stored */
        skm_element *e = &ins->el[ins->nel++];
        e->code = col(s, a, 0);
        e->label = col(s, a, 1);
        e->pos = (int)db_col_int(s, 2);
        e->weight_num = db_col_int(s, 3);
        e->weight_den = db_col_int(s, 4);
        for (int k = 0; k < 4; k++)
            e->answers[k] = col(s, a, 5 + k);
    }
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

/* one instrument row from a prepared SELECT INS_COLS ...; DB_DONE when none */
static int read_instrument(db_conn *c, db_stmt *s, arena *a, skm_instrument *out)
{
    int r = db_step(s);
    if (r == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int(s, 0);
        out->unit_id = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1);
        out->unit_code = col(s, a, 2);
        out->version = (int)db_col_int(s, 3);
        out->name = col(s, a, 4);
        out->rounding_rule = col(s, a, 5);
        out->ladder_name = col(s, a, 6);
        out->created_at = col(s, a, 7);
    }
    db_finish(s);
    if (r != DB_ROW) return r;
    return load_elements(c, a, out);
}

int skm_instrument_get(db_conn *c, arena *a, int64_t id, skm_instrument *out)
{
    db_stmt *s = db_prepare(c, "SELECT " INS_COLS "WHERE i.id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    return read_instrument(c, s, a, out);
}

int skm_instrument_current(db_conn *c, arena *a, int64_t unit_id, skm_instrument *out)
{
    /* the unit's own versions sort before the default's, the newest first */
    db_stmt *s = db_prepare(c, "SELECT " INS_COLS "WHERE i.unit_id = $1 OR i.unit_id IS NULL "
                               "ORDER BY CASE WHEN i.unit_id IS NULL THEN 1 ELSE 0 END, "
                               "i.version DESC LIMIT 1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    return read_instrument(c, s, a, out);
}

int skm_instrument_version(db_conn *c, arena *a, int64_t unit_id, int version, skm_instrument *out)
{
    db_stmt *s = db_prepare(c, unit_id ? "SELECT " INS_COLS "WHERE i.unit_id = $1 AND "
                                         "i.version = $2"
                                       : "SELECT " INS_COLS "WHERE i.unit_id IS NULL AND "
                                         "i.version = $1");
    if (!s) return DB_ERR;
    if (unit_id) db_bind_int(s, 1, unit_id);
    db_bind_int(s, unit_id ? 2 : 1, version);
    return read_instrument(c, s, a, out);
}

static bool valid_code(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 8 || s[0] < 'A' || s[0] > 'Z') return false;
    for (size_t i = 1; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))) return false;
    return true;
}

static bool valid_text(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n > 0 && n <= max && utf8_valid_text(s, n);
}

static int invalid(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int invalid(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (errlen) vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return SKM_EINVALID;
}

static int insert_elements(db_conn *c, int64_t id, const skm_element *el, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        db_stmt *s = db_prepare(c, "INSERT INTO skm_elements (instrument_id, code, pos, label, "
                                   "weight_num, weight_den, answer1, answer2, answer3, answer4) "
                                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, id);
        db_bind_cstr(s, 2, el[i].code);
        db_bind_int(s, 3, (int64_t)i + 1);
        db_bind_cstr(s, 4, el[i].label);
        db_bind_int(s, 5, el[i].weight_num);
        db_bind_int(s, 6, el[i].weight_den);
        for (int k = 0; k < 4; k++)
            db_bind_cstr(s, 7 + k, el[i].answers[k]);
        int r = step_done(s);
        if (r != DB_OK) return r;
    }
    return DB_OK;
}

int skm_seed_default(db_conn *c, bool *created)
{
    char now[32];
    now_utc(now, sizeof now);
    if (created) *created = false;
    /* DO NOTHING when version 1 of the default exists (the partial unique index), also when
     * another process inserted it a moment ago */
    db_stmt *s = db_prepare(c, "INSERT INTO skm_instruments (unit_id, version, name, "
                               "rounding_rule, ladder_name, created_at) VALUES (NULL, 1, $1, $2, "
                               "$3, $4) ON CONFLICT DO NOTHING RETURNING id");
    if (!s) return DB_ERR;
    db_bind_cstr(s, 1, SKM_DEFAULT_NAME);
    db_bind_cstr(s, 2, IKM_ROUNDING_RULE);
    db_bind_cstr(s, 3, IKM_LADDER_DEFAULT->name);
    db_bind_cstr(s, 4, now);
    int r = db_step(s);
    int64_t id = r == DB_ROW ? db_col_int(s, 0) : 0;
    if (r == DB_ROW) r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    if (!id) return DB_OK;
    if (created) *created = true;
    return insert_elements(c, id, skm_default_elements, 9);
}

int skm_instrument_create(db_conn *c, int64_t unit_id, const char *name, const char *ladder,
                          const skm_element *el, size_t n, int64_t *id, int *version, char *err,
                          size_t errlen)
{
    if (!valid_text(name, SKM_TEXT_MAX)) return invalid(err, errlen, "the name is missing");
    if (n == 0 || n > IKM_MAX_ELEMENTS)
        return invalid(err, errlen, "an instrument has 1 to %d elements, not %zu", IKM_MAX_ELEMENTS,
                       n);
    const ikm_ladder *lad = ladder ? ikm_ladder_find(ladder) : IKM_LADDER_DEFAULT;
    if (!lad) return invalid(err, errlen, "unknown class ladder '%.40s'", ladder);
    ikm_element w[IKM_MAX_ELEMENTS];
    for (size_t i = 0; i < n; i++) {
        if (!valid_code(el[i].code))
            return invalid(err, errlen,
                           "element code '%.20s' must be an upper-case letter followed by up to "
                           "7 upper-case letters or digits, like U1",
                           el[i].code ? el[i].code : "");
        for (size_t j = 0; j < i; j++)
            if (strcmp(el[i].code, el[j].code) == 0)
                return invalid(err, errlen, "element %s appears twice", el[i].code);
        if (!valid_text(el[i].label, SKM_TEXT_MAX))
            return invalid(err, errlen, "element %s has no label", el[i].code);
        for (int k = 0; k < 4; k++)
            if (!valid_text(el[i].answers[k], SKM_TEXT_MAX))
                return invalid(err, errlen, "element %s has no label for answer %d", el[i].code,
                               k + 1);
        w[i] = (ikm_element){el[i].weight_num, el[i].weight_den, 0, 0};
    }
    if (ikm_check_weights(w, n) != IKM_OK)
        return invalid(err, errlen,
                       "the weights must be fractions between 0 and 1 (denominators up to %d) "
                       "that add up to exactly 1",
                       IKM_MAX_WEIGHT_DEN);
    db_stmt *s = db_prepare(c, unit_id ? "SELECT COALESCE(MAX(version), 0) FROM skm_instruments "
                                         "WHERE unit_id = $1"
                                       : "SELECT COALESCE(MAX(version), 0) FROM skm_instruments "
                                         "WHERE unit_id IS NULL");
    if (!s) return DB_ERR;
    if (unit_id) db_bind_int(s, 1, unit_id);
    int r = db_step(s);
    int v = r == DB_ROW ? (int)db_col_int(s, 0) + 1 : 0;
    db_finish(s);
    if (r != DB_ROW) return r;
    char now[32];
    now_utc(now, sizeof now);
    s = db_prepare(c, "INSERT INTO skm_instruments (unit_id, version, name, rounding_rule, "
                      "ladder_name, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
    if (!s) return DB_ERR;
    if (unit_id) db_bind_int(s, 1, unit_id);
    else db_bind_null(s, 1);
    db_bind_int(s, 2, v);
    db_bind_cstr(s, 3, name);
    db_bind_cstr(s, 4, IKM_ROUNDING_RULE);
    db_bind_cstr(s, 5, lad->name);
    db_bind_cstr(s, 6, now);
    r = db_step(s);
    int64_t nid = r == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (r != DB_ROW) return r;
    r = insert_elements(c, nid, el, n);
    if (r != DB_OK) return r;
    if (id) *id = nid;
    if (version) *version = v;
    return DB_OK;
}

/* ---- periods ---- */

#define PERIOD_COLS SKM_PERIOD_COLS "FROM skm_periods p JOIN units u ON u.id = p.unit_id "

void skm_fill_period(db_stmt *s, arena *a, skm_period *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_col_int(s, 0);
    p->unit_id = db_col_int(s, 1);
    p->instrument_id = db_col_int(s, 2);
    p->unit_code = col(s, a, 3);
    p->code = col(s, a, 4);
    p->kind = col(s, a, 5);
    p->starts_on = col(s, a, 6);
    p->ends_on = col(s, a, 7);
    p->status = col(s, a, 8);
    p->has_walkin = !db_col_is_null(s, 9);
    p->walkin_count = db_col_int(s, 9);
}

static const char *kind_name(enum ikm_period_kind k)
{
    switch (k) {
    case IKM_PERIOD_YEAR: return "year";
    case IKM_PERIOD_SEMESTER: return "semester";
    case IKM_PERIOD_QUARTER: return "quarter";
    default: return "custom";
    }
}

static int parse_code(const char *code, ikm_period *p, char *err, size_t errlen)
{
    if (!code || !ikm_period_parse(code, strlen(code), p))
        return invalid(err, errlen,
                       "'%.40s' is not a survey period; use a year (2026), a semester "
                       "(2026-S1), a quarter (2026-Q1) or a range 2026-01-01..2026-03-31",
                       code ? code : "");
    return DB_OK;
}

int skm_period_get(db_conn *c, arena *a, int64_t unit_id, const char *code, skm_period *out,
                   char *err, size_t errlen)
{
    ikm_period ip;
    int r = parse_code(code, &ip, err, errlen);
    if (r != DB_OK) return r;
    db_stmt *s = db_prepare(c, "SELECT " PERIOD_COLS "WHERE p.unit_id = $1 AND p.code = $2");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    db_bind_cstr(s, 2, ip.code);
    r = db_step(s);
    if (r == DB_ROW) skm_fill_period(s, a, out);
    db_finish(s);
    return r == DB_ROW ? DB_OK : r;
}

int skm_period_create(db_conn *c, arena *a, int64_t unit_id, const char *code,
                      int64_t instrument_id, skm_period *out, char *err, size_t errlen)
{
    ikm_period ip;
    int r = parse_code(code, &ip, err, errlen);
    if (r != DB_OK) return r;
    if (!instrument_id) {
        skm_instrument ins;
        r = skm_instrument_current(c, a, unit_id, &ins);
        if (r == DB_DONE)
            return invalid(err, errlen, "there is no survey instrument; run `layan init` first");
        if (r != DB_OK) return r;
        instrument_id = ins.id;
    }
    char from[11], to[11], now[32];
    cal_date_format(ip.from, from, sizeof from);
    cal_date_format(ip.to, to, sizeof to);
    now_utc(now, sizeof now);
    db_stmt *s = db_prepare(c, "INSERT INTO skm_periods (unit_id, code, kind, starts_on, ends_on, "
                               "instrument_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                               "ON CONFLICT (unit_id, code) DO NOTHING RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    db_bind_cstr(s, 2, ip.code);
    db_bind_cstr(s, 3, kind_name(ip.kind));
    db_bind_cstr(s, 4, from);
    db_bind_cstr(s, 5, to);
    db_bind_int(s, 6, instrument_id);
    db_bind_cstr(s, 7, now);
    r = db_step(s);
    bool made = r == DB_ROW;
    if (made) r = db_step(s);
    db_finish(s);
    if (r != DB_DONE) return r;
    if (!made) return DB_ECONSTRAINT;
    return out ? skm_period_get(c, a, unit_id, ip.code, out, err, errlen) : DB_OK;
}

int skm_period_ensure(db_conn *c, arena *a, int64_t unit_id, const char *code, skm_period *out,
                      bool *created, char *err, size_t errlen)
{
    if (created) *created = false;
    int r = skm_period_get(c, a, unit_id, code, out, err, errlen);
    if (r != DB_DONE) return r;
    r = skm_period_create(c, a, unit_id, code, 0, out, err, errlen);
    if (r == DB_OK && created) *created = true;
    /* made by someone else in between */
    if (r == DB_ECONSTRAINT) r = skm_period_get(c, a, unit_id, code, out, err, errlen);
    return r;
}

int skm_period_set_walkin(db_conn *c, int64_t period_id, int64_t n)
{
    if (n < 0) return SKM_EINVALID;
    db_stmt *s = db_prepare(c, "UPDATE skm_periods SET walkin_count = $2 WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, period_id);
    db_bind_int(s, 2, n);
    int r = step_done(s);
    if (r == DB_OK && db_changes(c) == 0) r = DB_DONE;
    return r;
}

int skm_periods_list(db_conn *c, arena *a, int64_t unit_id, skm_period **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    db_stmt *s = db_prepare(c, "SELECT " PERIOD_COLS "WHERE p.unit_id = $1 ORDER BY p.starts_on, "
                               "p.ends_on DESC, p.code");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    size_t cap = 16, k = 0;
    skm_period *v = arena_alloc(a, cap * sizeof *v);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        if (k == cap) {
            skm_period *nv = arena_alloc(a, cap * 2 * sizeof *nv);
            memcpy(nv, v, k * sizeof *v);
            v = nv;
            cap *= 2;
        }
        skm_fill_period(s, a, &v[k++]);
    }
    db_finish(s);
    if (r != DB_DONE) return r;
    *out = v;
    *n = k;
    return DB_OK;
}

/* ---- responses ---- */

static bool opt_text(const char *s)
{
    return !s || (strlen(s) <= SKM_TEXT_MAX && utf8_valid_text(s, strlen(s)));
}

int skm_response_check(const skm_period *p, const skm_instrument *ins, const skm_response *r,
                       char *err, size_t errlen)
{
    static const char *const channels[] = {"link", "kiosk", "paper", "import"};
    bool ok = false;
    for (size_t i = 0; i < 4 && r->channel; i++)
        ok |= strcmp(r->channel, channels[i]) == 0;
    if (!ok) return invalid(err, errlen, "unknown channel");
    /* a closed or published period's result is what was reported: it does not move */
    if (!p->status || strcmp(p->status, "open") != 0)
        return invalid(err, errlen, "period %s is %s; it no longer takes answers", p->code,
                       p->status ? p->status : "not open");
    if (ins->id != p->instrument_id)
        return invalid(err, errlen, "the instrument is not the period's");
    bool seen[IKM_MAX_ELEMENTS] = {false};
    for (size_t i = 0; i < r->nanswers; i++) {
        const skm_answer *an = &r->answers[i];
        size_t u = 0;
        while (u < ins->nel && (!an->code || strcmp(ins->el[u].code, an->code) != 0))
            u++;
        if (u == ins->nel)
            return invalid(err, errlen, "%.20s is not an element of the instrument (%s %s v%d)",
                           an->code ? an->code : "(no code)", ins->name,
                           ins->unit_code ? ins->unit_code : "default", ins->version);
        if (seen[u]) return invalid(err, errlen, "%s is answered twice", an->code);
        seen[u] = true;
        if (an->value < 1 || an->value > 4)
            return invalid(err, errlen, "%s is %d; answers are 1 to 4", an->code, an->value);
    }
    if (r->nanswers == 0) return invalid(err, errlen, "no element is answered");
    if (r->jenis_kelamin && strcmp(r->jenis_kelamin, "L") != 0 &&
        strcmp(r->jenis_kelamin, "P") != 0)
        return invalid(err, errlen, "jenis_kelamin is '%.20s'; use L or P", r->jenis_kelamin);
    if (r->umur && (r->umur < 10 || r->umur > 120))
        return invalid(err, errlen, "umur is %d; give the age in years, 10 to 120", r->umur);
    const char *texts[] = {r->pendidikan, r->pekerjaan, r->layanan, r->service_code};
    const char *names[] = {"pendidikan", "pekerjaan", "layanan", "the service code"};
    for (int i = 0; i < 4; i++)
        if (!opt_text(texts[i]))
            return invalid(err, errlen,
                           "%s is longer than %d bytes, is not UTF-8 or holds control characters",
                           names[i], SKM_TEXT_MAX);
    if (r->tanggal) {
        cal_date d;
        if (!cal_date_parse(r->tanggal, strlen(r->tanggal), &d))
            return invalid(err, errlen, "tanggal '%.20s' is not a date like 2026-01-31",
                           r->tanggal);
        /* ISO dates compare as text */
        if (strcmp(r->tanggal, p->starts_on) < 0 || strcmp(r->tanggal, p->ends_on) > 0)
            return invalid(err, errlen, "tanggal %s is outside period %s (%s to %s)", r->tanggal,
                           p->code, p->starts_on, p->ends_on);
    }
    return DB_OK;
}

int skm_response_add(db_conn *c, const skm_period *p, const skm_instrument *ins,
                     const skm_response *r, int64_t *id, char *err, size_t errlen)
{
    int rc = skm_response_check(p, ins, r, err, errlen);
    if (rc != DB_OK) return rc;
    char now[32];
    now_utc(now, sizeof now);
    db_stmt *s = db_prepare(c, "INSERT INTO skm_responses (period_id, unit_id, service_code, "
                               "channel, submitted_at, jenis_kelamin, umur, pendidikan, "
                               "pekerjaan, layanan, tanggal) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                               "$8, $9, $10, $11) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, p->id);
    db_bind_int(s, 2, p->unit_id);
    db_bind_cstr(s, 3, r->service_code);
    db_bind_cstr(s, 4, r->channel);
    db_bind_cstr(s, 5, now);
    db_bind_cstr(s, 6, r->jenis_kelamin);
    if (r->umur) db_bind_int(s, 7, r->umur);
    else db_bind_null(s, 7);
    db_bind_cstr(s, 8, r->pendidikan);
    db_bind_cstr(s, 9, r->pekerjaan);
    db_bind_cstr(s, 10, r->layanan);
    db_bind_cstr(s, 11, r->tanggal);
    rc = db_step(s);
    int64_t rid = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc;
    /* all answers in one statement: one round trip on PostgreSQL; the text depends only on the
     * number of answers, so the statement cache keeps a handful of them */
    char sql[64 + IKM_MAX_ELEMENTS * 24];
    int k = snprintf(sql, sizeof sql,
                     "INSERT INTO skm_answers (response_id, element_code, value) VALUES ");
    for (size_t i = 0; i < r->nanswers; i++)
        k += snprintf(sql + k, sizeof sql - (size_t)k, "%s($1, $%zu, $%zu)", i ? ", " : "",
                      2 * i + 2, 2 * i + 3);
    s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_int(s, 1, rid);
    for (size_t i = 0; i < r->nanswers; i++) {
        db_bind_cstr(s, (int)(2 * i + 2), r->answers[i].code);
        db_bind_int(s, (int)(2 * i + 3), r->answers[i].value);
    }
    rc = step_done(s);
    if (rc == DB_OK && id) *id = rid;
    return rc;
}

/* ---- results ---- */

/* The population N of a period: the walk-in count the unit entered plus the requests finished
 * through layan at the unit (or its subtree) between starts_on and ends_on, local dates of the
 * unit's time zone: delivered, not cancelled and not rejected (a rejected application received
 * no service product). Both count "services delivered in the period" (domain.md §5). */
#define SUBTREE_FOR_COUNT                                                                          \
    "WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE id = $1 UNION SELECT u.id FROM "        \
    "units u JOIN sub ON u.parent_id = sub.id) "
static int64_t finished_requests_in_period(db_conn *c, int64_t unit_id, bool with_subunits,
                                           const char *starts_on, const char *ends_on)
{
    int tz = 420;
    db_stmt *s = db_prepare(c, "SELECT tz_offset_min FROM units WHERE id = $1");
    if (!s) return 0;
    db_bind_int(s, 1, unit_id);
    if (db_step(s) == DB_ROW) tz = (int)db_col_int(s, 0);
    db_finish(s);
    cal_date f, t;
    if (!cal_date_parse(starts_on, strlen(starts_on), &f) ||
        !cal_date_parse(ends_on, strlen(ends_on), &t))
        return 0;
    /* [local midnight of starts_on, local midnight after ends_on) as UTC ISO text */
    int64_t from = cal_days_from_civil(f.y, f.m, f.d) * 86400 - (int64_t)tz * 60;
    int64_t to = (cal_days_from_civil(t.y, t.m, t.d) + 1) * 86400 - (int64_t)tz * 60;
    char fb[32], tb[32];
    time_t ft = (time_t)from, tt = (time_t)to;
    struct tm tm;
    gmtime_r(&ft, &tm);
    strftime(fb, sizeof fb, "%Y-%m-%dT%H:%M:%SZ", &tm);
    gmtime_r(&tt, &tm);
    strftime(tb, sizeof tb, "%Y-%m-%dT%H:%M:%SZ", &tm);
    s = db_prepare(c, with_subunits
                          ? SUBTREE_FOR_COUNT "SELECT COUNT(*) FROM requests WHERE unit_id IN "
                                              "(SELECT id FROM sub) AND finished_at >= $2 AND "
                                              "finished_at < $3 AND cancelled = 0 AND status <> "
                                              "'ditolak'"
                          : "SELECT COUNT(*) FROM requests WHERE unit_id = $1 AND finished_at >= "
                            "$2 AND finished_at < $3 AND cancelled = 0 AND status <> 'ditolak'");
    if (!s) return 0;
    db_bind_int(s, 1, unit_id);
    db_bind_cstr(s, 2, fb);
    db_bind_cstr(s, 3, tb);
    int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    return n;
}

/* the unit and every unit below it (UNION, not UNION ALL: ends even on a broken, cyclic tree) */
#define SUBTREE                                                                                    \
    "WITH RECURSIVE sub(id) AS (SELECT id FROM units WHERE id = $1 UNION SELECT u.id FROM "        \
    "units u JOIN sub ON u.parent_id = sub.id) "

/* a query over the responses in scope (r is skm_responses, joined to `join`). One period: $1 is
 * its id; a subtree: $1 is the top unit's id and $2 the period code. The service code comes
 * next ($2 or $3) when given. Numbered without gaps: PostgreSQL must see every parameter. */
static const char *scope_sql(arena *a, const char *select, const char *join, const char *tail,
                             bool subunits, bool service)
{
    return arena_printf(a, "%s%s FROM skm_responses r%s%s WHERE %s%s%s", subunits ? SUBTREE : "",
                        select, subunits ? " JOIN skm_periods p ON p.id = r.period_id" : "", join,
                        subunits ? "p.code = $2 AND p.unit_id IN (SELECT id FROM sub)"
                                 : "r.period_id = $1",
                        !service   ? ""
                        : subunits ? " AND r.service_code = $3"
                                   : " AND r.service_code = $2",
                        tail);
}

static void bind_scope(db_stmt *s, int64_t unit_id, const skm_period *p, bool subunits,
                       const char *code, const char *service)
{
    if (subunits) {
        db_bind_int(s, 1, unit_id);
        db_bind_cstr(s, 2, code);
    } else {
        db_bind_int(s, 1, p->id);
    }
    if (service) db_bind_cstr(s, subunits ? 3 : 2, service);
}

int skm_result_compute(db_conn *c, arena *a, int64_t unit_id, const char *period_code,
                       bool with_subunits, const char *service_code, skm_result *out, char *err,
                       size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->with_subunits = with_subunits;
    out->service_code = service_code;
    out->sample_required = -1;
    out->r.bad_element = -1;
    ikm_period ip;
    int r = parse_code(period_code, &ip, err, errlen);
    if (r != DB_OK) return r;
    out->period_code = arena_strdup(a, ip.code);
    skm_period p;
    r = skm_period_get(c, a, unit_id, ip.code, &p, err, errlen);
    if (r != DB_OK && r != DB_DONE) return r;
    bool own = r == DB_OK;
    if (!own && !with_subunits) return DB_DONE;

    db_stmt *s = db_prepare(c, "SELECT code FROM units WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, unit_id);
    r = db_step(s);
    if (r == DB_ROW) out->unit_code = col(s, a, 0);
    db_finish(s);
    if (r != DB_ROW) return r;

    /* the periods in scope: how many, and the walk-in counts entered */
    if (with_subunits) {
        s = db_prepare(c, SUBTREE "SELECT COUNT(*), COUNT(p.walkin_count), "
                                  "COALESCE(SUM(p.walkin_count), 0) FROM skm_periods p WHERE "
                                  "p.code = $2 AND p.unit_id IN (SELECT id FROM sub)");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, unit_id);
        db_bind_cstr(s, 2, ip.code);
        r = db_step(s);
        if (r == DB_ROW) {
            out->nperiods = db_col_int(s, 0);
            out->has_population = db_col_int(s, 1) > 0;
            out->population = db_col_int(s, 2);
        }
        db_finish(s);
        if (r != DB_ROW) return r;
        if (out->nperiods == 0) return DB_DONE;
    } else {
        out->nperiods = 1;
        out->has_population = p.has_walkin;
        out->population = p.walkin_count;
    }
    char from[11], to[11];
    cal_date_format(ip.from, from, sizeof from);
    cal_date_format(ip.to, to, sizeof to);
    int64_t finished = finished_requests_in_period(c, unit_id, with_subunits, from, to);
    if (finished > 0) {
        out->has_population = true;
        out->population += finished;
    }
    if (out->has_population) out->sample_required = ikm_sample_size(out->population);

    r = own ? skm_instrument_get(c, a, p.instrument_id, &out->ins)
            : skm_instrument_current(c, a, unit_id, &out->ins);
    if (r != DB_OK) return r;

    s = db_prepare(c, scope_sql(a, "SELECT COUNT(*)", "", "", with_subunits, service_code));
    if (!s) return DB_ERR;
    bind_scope(s, unit_id, &p, with_subunits, ip.code, service_code);
    r = db_step(s);
    if (r == DB_ROW) out->responses = db_col_int(s, 0);
    db_finish(s);
    if (r != DB_ROW) return r;

    /* sums and counts per element code; codes the instrument does not have (a unit below that
     * added an element of its own) are not part of this index */
    s = db_prepare(c, scope_sql(a, "SELECT a.element_code, SUM(a.value), COUNT(*)",
                                " JOIN skm_answers a ON a.response_id = r.id",
                                " GROUP BY a.element_code", with_subunits, service_code));
    if (!s) return DB_ERR;
    bind_scope(s, unit_id, &p, with_subunits, ip.code, service_code);
    while ((r = db_step(s)) == DB_ROW) {
        str code = db_col_text(s, 0);
        for (size_t u = 0; u < out->ins.nel; u++)
            if (str_eq_c(code, out->ins.el[u].code)) {
                out->sums[u] = db_col_int(s, 1);
                out->counts[u] = db_col_int(s, 2);
            }
    }
    db_finish(s);
    if (r != DB_DONE) return r;

    if (out->responses == 0) {
        out->status = SKM_NO_RESPONSES;
        return DB_OK;
    }
    ikm_element el[IKM_MAX_ELEMENTS];
    for (size_t u = 0; u < out->ins.nel; u++)
        el[u] = (ikm_element){out->ins.el[u].weight_num, out->ins.el[u].weight_den, out->sums[u],
                              out->counts[u]};
    const ikm_ladder *lad = ikm_ladder_find(out->ins.ladder_name);
    out->status = ikm_compute(el, out->ins.nel, lad ? lad : IKM_LADDER_DEFAULT, &out->r);
    return DB_OK;
}

int skm_trend(db_conn *c, arena *a, int64_t unit_id, bool with_subunits, char kind,
              skm_result **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    skm_period *ps;
    size_t np;
    int r = skm_periods_list(c, a, unit_id, &ps, &np);
    if (r != DB_OK) return r;
    const char *want = kind ? kind_name((enum ikm_period_kind)kind) : NULL;
    skm_result *v = arena_alloc(a, (np + 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < np; i++) {
        if (want && strcmp(ps[i].kind, want) != 0) continue;
        char err[256];
        r = skm_result_compute(c, a, unit_id, ps[i].code, with_subunits, NULL, &v[k], err,
                               sizeof err);
        if (r != DB_OK) return r;
        k++;
    }
    *out = v;
    *n = k;
    return DB_OK;
}

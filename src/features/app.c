/* app: loads the installation's identity (region) at start, readiness, and the keys every
 * page template gets (region name, language switch links). */
#include "features/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "features/settings/settings.h"
#include "lib/arena.h"

int app_load(app *a, char *err, size_t errlen)
{
    int have = db_schema_version(a->db);
    int want = db_schema_latest();
    if (have > want) {
        snprintf(err, errlen,
                 "the database was created by a newer layan (schema %d, this program knows %d); "
                 "upgrade layan",
                 have, want);
        return -1;
    }
    if (have < want) {
        snprintf(err, errlen,
                 "the database is not initialised or needs migrating (schema %d of %d); run "
                 "`layan init --db URL --region CODE` first",
                 have, want);
        return -1;
    }
    db_conn *c = db_acquire(a->db);
    if (!c) {
        snprintf(err, errlen, "cannot connect to the database");
        return -1;
    }
    arena *ar = arena_new(0);
    a->tz_offset_min = 420;
    db_stmt *tz = db_prepare(c, "SELECT tz_offset_min FROM units WHERE type = 'pemda' ORDER BY id "
                                "LIMIT 1");
    if (tz && db_step(tz) == DB_ROW) a->tz_offset_min = (int)db_col_int(tz, 0);
    if (tz) db_finish(tz);
    const char *code = settings_get(c, ar, "region_code");
    const char *name = settings_get(c, ar, "region_name");
    int rc = 0;
    if (!code || !name) {
        snprintf(err, errlen,
                 "the database has no region yet; run `layan init --db URL --region CODE`");
        rc = -1;
    } else {
        snprintf(a->region_code, sizeof a->region_code, "%s", code);
        snprintf(a->region_name, sizeof a->region_name, "%s", name);
    }
    arena_free(ar);
    db_release(c);
    if (rc) return rc;
    char kp[1024];
    app_key_path(a->cfg, a->cfg->db_url, kp, sizeof kp);
    if (!kp[0]) {
        snprintf(err, errlen,
                 "set [security] key_file: the installation key is needed to read "
                 "personal data (copy the same file to every node)");
        return -1;
    }
    char kerr[512];
    if (cr_init() != 0) {
        snprintf(err, errlen, "cannot initialise libsodium");
        return -1;
    }
    if (cr_key_file_load(kp, false, &a->keys, kerr, sizeof kerr)) {
        snprintf(err, errlen, "%s (run `layan init` to create the key)", kerr);
        return -1;
    }
    cr_pw_set_cost((unsigned long long)a->cfg->password_ops,
                   (size_t)a->cfg->password_mem_kb * 1024u);
    return 0;
}

void app_key_path(const layan_config *cfg, const char *db_url, char *out, size_t cap)
{
    out[0] = 0;
    if (cfg && cfg->key_file[0]) {
        snprintf(out, cap, "%s", cfg->key_file);
        return;
    }
    if (!db_url || strncmp(db_url, "sqlite:", 7) != 0) return;
    const char *p = db_url + 7;
    if (strncmp(p, "///", 3) == 0) p += 2;
    size_t n = strlen(p);
    if (n > 3 && strcmp(p + n - 3, ".db") == 0) n -= 3;
    snprintf(out, cap, "%.*s.key", (int)n, p);
}

static const char *const day_msgid[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday"};
static const char *const month_msgid[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};

const char *app_fmt_time(http_req *rq, int64_t t)
{
    app *a = app_of(rq);
    time_t lt = (time_t)(t + (int64_t)a->tz_offset_min * 60);
    struct tm tm;
    gmtime_r(&lt, &tm);
    const char *zone = a->tz_offset_min == 420   ? "WIB"
                       : a->tz_offset_min == 480 ? "WITA"
                       : a->tz_offset_min == 540 ? "WIT"
                                                 : "UTC";
    int wd = (tm.tm_wday + 6) % 7;
    bool en = strcmp(rq->lang, "en") == 0;
    return arena_printf(rq->a, en ? "%s, %d %s %d %02d:%02d %s" : "%s, %d %s %d %02d.%02d %s",
                        http_t(rq, day_msgid[wd]), tm.tm_mday, http_t(rq, month_msgid[tm.tm_mon]),
                        tm.tm_year + 1900, tm.tm_hour, tm.tm_min, zone);
}

void app_today(const http_req *rq, char *out, size_t n)
{
    cal_calendar cal;
    cal_init(&cal, app_of((http_req *)rq)->tz_offset_min);
    cal_date_format(cal_civil_from_days(cal_local_day(&cal, app_now())), out, n);
}

const char *app_fmt_date(http_req *rq, const char *ymd)
{
    cal_date d;
    if (!ymd || !cal_date_parse(ymd, strlen(ymd), &d)) return ymd;
    int64_t days = cal_days_from_civil(d.y, d.m, d.d);
    int wd = (cal_weekday(days) + 6) % 7;
    return arena_printf(rq->a, "%s, %d %s %d", http_t(rq, day_msgid[wd]), d.d,
                        http_t(rq, month_msgid[d.m - 1]), d.y);
}

int64_t app_parse_iso(str s)
{
    if (s.n != 20 || s.p[4] != '-' || s.p[7] != '-' || s.p[10] != 'T' || s.p[13] != ':' ||
        s.p[16] != ':' || s.p[19] != 'Z')
        return -1;
    long y, mo, d, h, mi, se;
    if (!str_to_long((str){s.p, 4}, 1970, 9999, &y) ||
        !str_to_long((str){s.p + 5, 2}, 1, 12, &mo) || !str_to_long((str){s.p + 8, 2}, 1, 31, &d) ||
        !str_to_long((str){s.p + 11, 2}, 0, 23, &h) ||
        !str_to_long((str){s.p + 14, 2}, 0, 59, &mi) ||
        !str_to_long((str){s.p + 17, 2}, 0, 60, &se))
        return -1;
    struct tm tm = {.tm_year = (int)y - 1900,
                    .tm_mon = (int)mo - 1,
                    .tm_mday = (int)d,
                    .tm_hour = (int)h,
                    .tm_min = (int)mi,
                    .tm_sec = (int)se};
    return (int64_t)timegm(&tm);
}

bool app_ready(void *p)
{
    app *a = p;
    return db_ping(a->db);
}

static void url_encode(buf *b, str s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_put(b, e, 3);
        }
    }
}

void app_page_ctx(http_req *rq, json_t *ctx)
{
    app *a = app_of(rq);
    json_object_set_new(ctx, "region_name", json_string(a->region_name));
    json_object_set_new(ctx, "region_code", json_string(a->region_code));
    /* the language switch keeps the visitor on the same page, with the same query */
    buf u;
    buf_init(&u, 8192);
    buf_putstr(&u, rq->path);
    buf_putc(&u, '?');
    for (size_t i = 0; i < rq->query.n; i++) {
        /* only parameters the route declares: an error page must not echo unknown ones */
        bool declared = false;
        for (const http_param_spec *ps = rq->route ? rq->route->params : NULL; ps && ps->name; ps++)
            if (str_eq_c(rq->query.items[i].name, ps->name)) declared = true;
        if (!declared || str_eq_c(rq->query.items[i].name, "lang")) continue;
        url_encode(&u, rq->query.items[i].name);
        buf_putc(&u, '=');
        url_encode(&u, rq->query.items[i].value);
        buf_putc(&u, '&');
    }
    buf_printf(&u, "lang=%s", strcmp(rq->lang, "en") == 0 ? "id" : "en");
    json_object_set_new(ctx, "switch_lang_url", json_stringn(u.p, u.n));
    buf_free(&u);
    /* the admin menu marks the section of the current page */
    static const struct {
        const char *prefix, *key;
    } nav[] = {{"/admin/pengguna", "nav_staff"},
               {"/admin/warga", "nav_citizens"},
               {"/admin/kunci-api", "nav_keys"},
               {"/admin/kotak-keluar", "nav_outbox"}};
    if (str_eq_c(rq->path, "/admin")) json_object_set_new(ctx, "nav_overview", json_true());
    for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++)
        if (str_starts(rq->path, str_c(nav[i].prefix)))
            json_object_set_new(ctx, nav[i].key, json_true());
    /* who is signed in (header menu) and the token every form that posts carries */
    const http_principal *w = &rq->who;
    json_object_set_new(ctx, "csrf", json_string(w->csrf));
    if (w->user_id && !w->mfa_pending)
        json_object_set_new(ctx, "me",
                            json_pack("{s:s,s:b,s:b,s:b,s:b,s:b,s:b}", "name",
                                      w->name ? w->name : "", "citizen", w->citizen, "staff",
                                      w->staff, "admin",
                                      (w->roles & ROLE_ADMIN) != 0 || w->needs_2fa, "head",
                                      (w->roles & ROLE_KEPALA_UNIT) != 0, "officer",
                                      (w->roles & (ROLE_PETUGAS | ROLE_KEPALA_UNIT)) != 0,
                                      "courier", (w->roles & ROLE_KURIR) != 0));
}

void app_metrics(void *p, buf *out)
{
    app *a = p;
    buf_printf(out,
               "# HELP layan_db_up Whether the database answers.\n# TYPE layan_db_up gauge\n"
               "layan_db_up{engine=\"%s\"} %d\n",
               db_engine(a->db), db_ping(a->db) ? 1 : 0);
}

int64_t app_now(void)
{
    const char *e = getenv("LAYAN_NOW");
    long v;
    if (e && str_to_long(str_c(e), 0, 4102444800L, &v)) return v;
    return (int64_t)time(NULL);
}

/* app: loads the installation's identity (region) at start, readiness, and the keys every
 * page template gets (region name, language switch links). */
#include "features/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    return rc;
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

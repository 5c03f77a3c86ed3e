/* app: the application context shared by every handler (the database, the configuration,
 * the region this installation serves) and the route table of all features.
 *
 * Per-node state: only read-mostly values loaded at start (region code and name). Everything
 * that must be shared between nodes lives in the database. */
#ifndef LAYAN_APP_H
#define LAYAN_APP_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "http/http.h"
#include "lib/config.h"
#include "lib/crypto.h"

typedef struct app {
    db *db;
    const layan_config *cfg;
    char region_code[16];
    char region_name[160];
    int tz_offset_min;            /* the pemda's time zone, for times shown to people */
    cr_keys keys;                 /* from the installation key file (see app_key_path) */
    struct outbox_worker *outbox; /* the notification sender of this node; NULL in tests */
} app;

/* the installation key file: [security] key_file, or beside a SQLite database ("var/layan.db"
 * -> "var/layan.key"); "" when neither gives one (PostgreSQL needs key_file set) */
void app_key_path(const layan_config *cfg, const char *db_url, char *out, size_t cap);

/* loads what the app needs from the database; err says what to do when it is not initialized */
int app_load(app *a, char *err, size_t errlen);
bool app_ready(void *app);
void app_page_ctx(http_req *rq, json_t *ctx);
void app_metrics(void *app, buf *out);
/* "Senin, 23 November 2026 14.05 WIB" in the request's language and the pemda's time zone */
const char *app_fmt_time(http_req *rq, int64_t t);
/* today's date "YYYY-MM-DD" in the pemda's time zone (LAYAN_NOW applies) */
void app_today(const http_req *rq, char *out, size_t n);
/* "Senin, 3 Maret 2026" for a plain date "YYYY-MM-DD" (as given when it does not parse) */
const char *app_fmt_date(http_req *rq, const char *ymd);
/* parses "YYYY-MM-DDTHH:MM:SSZ"; -1 when malformed */
int64_t app_parse_iso(str s);

/* the current time (seconds since the epoch); LAYAN_NOW overrides it for tests and demos */
int64_t app_now(void);

/* the route table (routes.c) */
extern const struct http_route app_routes[];
extern const size_t app_nroutes;

/* a connection for this request; released when the handler returns through app_release() */
static inline app *app_of(http_req *rq)
{
    return (app *)rq->app;
}

#endif

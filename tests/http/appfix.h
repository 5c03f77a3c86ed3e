/* appfix: the whole application for an HTTP test, set up the way every page test needs it: a
 * fresh database (SQLite, or PostgreSQL when LAYAN_TEST_DB is set: testdb.h) made by
 * `layan init` for Kota Bandung (and `layan demo`), the app loaded with a fast password cost,
 * templates and translations from the source and build trees, and the server on a free port
 * with the real route table and sign-in. Also: a browser signed in as a demo account,
 * including the admin's TOTP step. A test file that uses it must still #include "testdb.h"
 * itself so tests.cmake registers its PostgreSQL twin. */
#ifndef LAYAN_TEST_APPFIX_H
#define LAYAN_TEST_APPFIX_H
#include <stdbool.h>

#include "core/tracking.h"
#include "features/app.h"
#include "harness.h"

typedef struct {
    char dir[64];
    char answers[96]; /* dir/answers.jsonl: the JSON answers th_app_send recorded */
    char url[600];
    app app;
    layan_config cfg, srv_cfg;
    http_server *srv;
    tpl_set *tpl;
    i18n_catalogs *cat;
} th_app;

/* name: the database's name (unique per test file); demo: run `layan demo` too. 0 when ready;
 * the reason on stderr otherwise. `before_start` (may be NULL) runs after the app is loaded and
 * before the server answers anything (the page cache), e.g. to add rows. */
int th_app_start(th_app *t, const char *name, bool demo, int (*before_start)(th_app *t));
/* the same, with `configure` (may be NULL) run on t->cfg after the fixture's settings and before
 * the app is loaded, e.g. to set base_url or tmp_dir (t->dir exists by then) */
int th_app_start_with(th_app *t, const char *name, bool demo, void (*configure)(th_app *t),
                      int (*before_start)(th_app *t));
/* a `configure` for the machine interfaces' tests: [app] base_url https://layan.example.go.id/,
 * the public address their answers name */
void th_app_public_url(th_app *t);
int th_app_stop(th_app *t);
/* a browser signed in as a demo account (password layan-demo-2026); for an account with
 * two-step sign-in the TOTP code is computed from its secret. NULL on failure. */
CURL *th_app_browser(th_app *t, const char *ident);

/* the first column of the first row of `sql` (one text parameter $1, or none: NULL); -1 when
 * there is no row */
int64_t th_app_int(th_app *t, const char *sql, const char *arg);
/* a request's status ("" when there is no such request); a static buffer */
const char *th_app_status(th_app *t, int64_t request_id);
/* a staff account (password layan-demo-2026) holding `role` at the unit `unit_code`; 0 when made */
int th_app_staff(th_app *t, const char *username, const char *name, const char *role,
                 const char *unit_code);
/* a verified citizen account (password layan-demo-2026) with this phone and NIK; 0 when made,
 * its id in *id (may be NULL) */
int th_app_citizen(th_app *t, const char *phone, const char *nik, const char *name, int64_t *id);
/* the id of the account a sign-in identifier (user name, phone, NIK, e-mail) names; 0 when none */
int64_t th_app_user(th_app *t, const char *ident);
/* an API key named `name` scoped to the unit `unit_code` (NULL: every unit) into out (cap >= 80);
 * 0 when made, the reason on stderr otherwise */
int th_app_apikey(th_app *t, const char *name, const char *unit_code, char *out, size_t cap);

/* a KTP replacement request ("keterangan": "KTP hilang") for Siti Aminah filed straight through
 * the store at `at`: online when applicant is set, else assisted by filed_by; delivery is
 * "pickup", "delivery" (a home address is added) or "kiosk". The code and id come back. */
int th_app_file(th_app *t, int64_t service_id, const char *unit_code, int64_t applicant,
                int64_t filed_by, const char *delivery, const char *nik, int64_t at, char code[11],
                int64_t *id);

/* ---- the JSON API as a signed-in session calls it ----
 * These assert with cmocka (a failed call fails the test that made it). */
typedef struct {
    long status;
    json_t *j; /* the parsed body (NULL when not JSON) */
} th_ans;

/* the session's CSRF token, from GET /api/v1/me ("csrf"); four buffers used in turn */
const char *th_app_csrf(th_app *t, CURL *b);
/* one request with these headers (NULL-terminated, may be NULL) and body (b NULL: anonymous);
 * the answer parsed, and recorded in t->answers for th_app_validate */
th_ans th_app_send(th_app *t, CURL *b, const char *method, const char *path,
                   const char *const *headers, const char *body, size_t n);
/* GET, or a POST with a JSON body (NULL: empty), the X-CSRF-Token header when csrf and an
 * Idempotency-Key when ik; recorded as th_app_send does */
th_ans th_app_call(th_app *t, CURL *b, const char *method, const char *path, const char *body,
                   bool csrf, const char *ik);
void th_ans_free(th_ans *a);
/* the string at key of a JSON object, "" when there is none */
const char *th_json_str(const json_t *j, const char *key);
/* error.code of an error answer, "" when there is none */
const char *th_ans_error(const th_ans *a);
/* whether a list of requests (JSON objects) holds one with this tracking_code as shown */
bool th_lists(const json_t *arr, const char *shown_code);
/* a tracking code as shown (XXXX-XXXX-XX); four buffers used in turn */
const char *th_shown(const char code[TRK_LEN + 1]);
/* printf into one of four buffers used in turn (a path with a code or an id in it) */
const char *th_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* the first column of the first row of `sql` with one integer parameter $1; -1 when no row */
int64_t th_app_count(th_app *t, const char *sql, int64_t id);
/* the recorded answers against the served OpenAPI document: tests/schema/validate.mjs
 * --answers t->answers, then `args` (already shell-quoted, may be ""); 0 when they passed */
int th_app_validate(th_app *t, const char *args);

#endif

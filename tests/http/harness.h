/* harness: HTTP test helpers. Starts the real server in-process on port 0 and talks to it
 * with libcurl, as a browser or an API client would. */
#ifndef LAYAN_TEST_HARNESS_H
#define LAYAN_TEST_HARNESS_H
#include <curl/curl.h>

#include "http/server.h"
#include "lib/str.h"

typedef struct {
    long status;
    buf body;
    buf headers;   /* raw response header lines */
    long connects; /* new connections this request needed (0 = reused keep-alive) */
} th_resp;

/* optional hooks th_start passes to the server (set before calling it) */
extern int (*th_authenticate)(http_req *rq);
extern const char *th_signin_path;

/* starts a server with the given routes (no templates unless tpl given); port 0 */
http_server *th_start(const struct http_route *routes, size_t n, const tpl_set *tpl,
                      const i18n_catalogs *cat, void *app, layan_config *cfg_out,
                      void (*page_ctx)(http_req *, json_t *));
/* a full request on a reusable handle (NULL = a fresh handle each time) */
int th_request(CURL *h, const char *method, const char *url, const char *const *headers,
               const char *body, size_t body_len, th_resp *r);
int th_get(const char *url, th_resp *r);
void th_resp_free(th_resp *r);
/* the value of a response header (case-insensitive), into out; 0 when found */
int th_header(const th_resp *r, const char *name, char *out, size_t outlen);
char *th_url(http_server *s, const char *path); /* static buffer per call site: copy it */

/* a browser: a curl handle with its own cookie jar; redirects are not followed */
CURL *th_browser(void);
/* the value attribute of the first <input name="NAME" value="..."> in an HTML body, with
 * &amp; &lt; &gt; &quot; &#39; decoded; 0 when found */
int th_input_value(const th_resp *r, const char *name, char *out, size_t cap);
/* GETs `page` with the browser, takes its form's _csrf token and POSTs `fields`
 * ("a=1&b=2", already urlencoded) plus the token to `action` */
int th_submit(CURL *b, http_server *s, const char *page, const char *action, const char *fields,
              th_resp *r);

/* runs tests/schema/validate.mjs against the server with `args` (already shell-quoted), its
 * output copied to stderr; 0 when it passed */
int th_validate(http_server *s, const char *args);

#endif

/* harness: see harness.h. */
#include "harness.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include "lib/log.h"

int (*th_authenticate)(http_req *rq);
const char *th_signin_path;

http_server *th_start(const struct http_route *routes, size_t n, const tpl_set *tpl,
                      const i18n_catalogs *cat, void *app, layan_config *cfg,
                      void (*page_ctx)(http_req *, json_t *))
{
    config_defaults(cfg);
    snprintf(cfg->listen, sizeof cfg->listen, "127.0.0.1:0");
    cfg->threads = 2;
    cfg->access_log = false;
    cfg->header_memory_kb = 16;
    if (!getenv("LAYAN_TEST_VERBOSE")) log_set_level(LOG_WARN);
    http_server_opts o = {.cfg = cfg,
                          .routes = routes,
                          .nroutes = n,
                          .tpl = tpl,
                          .i18n = cat,
                          .app = app,
                          .page_ctx = page_ctx,
                          .authenticate = th_authenticate,
                          .signin_path = th_signin_path,
                          .port_override = 0};
    http_server *s = NULL;
    char err[256];
    if (http_server_start(&o, &s, err, sizeof err)) {
        fprintf(stderr, "server did not start: %s\n", err);
        return NULL;
    }
    return s;
}

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    buf *b = ud;
    return buf_put(b, p, sz * nm) == 0 ? sz * nm : 0;
}

int th_request(CURL *h, const char *method, const char *url, const char *const *headers,
               const char *body, size_t body_len, th_resp *r)
{
    bool own = !h;
    if (own) h = curl_easy_init();
    buf_init(&r->body, 64u << 20);
    buf_init(&r->headers, 1u << 20);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r->headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    struct curl_slist *hl = NULL;
    for (const char *const *p = headers; p && *p; p++)
        hl = curl_slist_append(hl, *p);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    /* setting POSTFIELDS switches libcurl to POST, so the method is set after it */
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    if (strcmp(method, "GET") == 0 && !body) curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST,
                     strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 ? NULL : method);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &r->connects);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hl);
    if (own) curl_easy_cleanup(h);
    if (rc != CURLE_OK) {
        fprintf(stderr, "curl %s %s: %s\n", method, url, curl_easy_strerror(rc));
        return -1;
    }
    return 0;
}

int th_get(const char *url, th_resp *r)
{
    return th_request(NULL, "GET", url, NULL, NULL, 0, r);
}

void th_resp_free(th_resp *r)
{
    buf_free(&r->body);
    buf_free(&r->headers);
}

int th_header(const th_resp *r, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    const char *p = r->headers.p;
    if (!p) return -1;
    while (*p) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            size_t vl = len - (size_t)(v - p);
            snprintf(out, outlen, "%.*s", (int)vl, v);
            return 0;
        }
        if (!eol) break;
        p = eol + 2;
    }
    return -1;
}

char *th_url(http_server *s, const char *path)
{
    static _Thread_local char u[4096];
    snprintf(u, sizeof u, "http://127.0.0.1:%d%s", http_server_port(s), path);
    return u;
}

CURL *th_browser(void)
{
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_COOKIEFILE, ""); /* the cookie engine, in memory */
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    return h;
}

int th_input_value(const th_resp *r, const char *name, char *out, size_t cap)
{
    char pat[128];
    snprintf(pat, sizeof pat, "name=\"%s\" value=\"", name);
    const char *p = r->body.p ? strstr(r->body.p, pat) : NULL;
    if (!p) return -1;
    p += strlen(pat);
    const char *e = strchr(p, '"');
    if (!e) return -1;
    size_t k = 0;
    while (p < e && k + 1 < cap) {
        static const struct {
            const char *ent;
            char ch;
        } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
        bool done = false;
        for (size_t i = 0; i < sizeof ents / sizeof ents[0] && !done; i++) {
            size_t n = strlen(ents[i].ent);
            if (strncmp(p, ents[i].ent, n) == 0) {
                out[k++] = ents[i].ch;
                p += n;
                done = true;
            }
        }
        if (!done) out[k++] = *p++;
    }
    out[k] = 0;
    return 0;
}

int th_submit(CURL *b, http_server *s, const char *page, const char *action, const char *fields,
              th_resp *r)
{
    th_resp g;
    if (th_request(b, "GET", th_url(s, page), NULL, NULL, 0, &g)) return -1;
    char tok[128];
    int found = th_input_value(&g, "_csrf", tok, sizeof tok);
    th_resp_free(&g);
    if (found) {
        fprintf(stderr, "th_submit: no _csrf on %s\n", page);
        return -1;
    }
    size_t n = strlen(fields) + strlen(tok) + 16;
    char *body = malloc(n);
    snprintf(body, n, "%s%s_csrf=%s", fields, *fields ? "&" : "", tok);
    char url[4096];
    snprintf(url, sizeof url, "%s", th_url(s, action));
    int rc = th_request(b, "POST", url, NULL, body, strlen(body), r);
    free(body);
    return rc;
}

int th_validate(http_server *s, const char *args)
{
    const char *src = getenv("LAYAN_SOURCE_DIR");
    if (!src) return -1;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "node '%s/tests/schema/validate.mjs' 'http://127.0.0.1:%d' %s 2>&1",
             src, http_server_port(s), args);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char line[4096];
    while (fgets(line, sizeof line, p))
        fputs(line, stderr);
    int st = pclose(p);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

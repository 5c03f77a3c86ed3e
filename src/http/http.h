/* http: what request handlers see. The libmicrohttpd adapter (server.c) is the only code that
 * knows libmicrohttpd; handlers get an http_req, read validated parameters, and produce one
 * response with the helpers below (page, json, text, redirect, error).
 *
 * Routes are declared in a table (see struct http_route): method(s), a path pattern with
 * `{name}` segments, the handler, the role it needs, whether it is a page or an API (decides
 * how errors render), its body cap, and its parameters. Query/form parameters that a route does
 * not declare are rejected with 400, so a handler only ever sees what it declared. */
#ifndef LAYAN_HTTP_H
#define LAYAN_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/parse.h"
#include "lib/arena.h"
#include "lib/str.h"

enum http_method {
    HTTP_GET = 1 << 0,
    HTTP_HEAD = 1 << 1,
    HTTP_POST = 1 << 2,
    HTTP_PUT = 1 << 3,
    HTTP_DELETE = 1 << 4,
    HTTP_PATCH = 1 << 5,
    HTTP_OPTIONS = 1 << 6,
};

enum http_kind { HTTP_PAGE, HTTP_API, HTTP_PLAIN };

/* who may call a route: a route lists the roles it accepts as a bitmask (0 = everyone).
 * Checked in one place (server.c) against the caller's principal, before the handler runs;
 * which units a staff role covers is the feature's query to filter (see accounts.h). */
enum http_role {
    ROLE_PUBLIC = 0,
    ROLE_CITIZEN = 1 << 0,     /* a signed-in, verified citizen (warga) */
    ROLE_PETUGAS = 1 << 1,     /* front/back-office officer */
    ROLE_KURIR = 1 << 2,       /* delivery */
    ROLE_KEPALA_UNIT = 1 << 3, /* head of a unit */
    ROLE_ADMIN = 1 << 4,       /* admin_pemda: government-wide administrator */
    ROLE_EVALUATOR = 1 << 5,   /* read-only across units (Inspektorat, Ombudsman, KemenPAN-RB) */
    ROLE_APIKEY = 1 << 6,      /* an integration calling with an API key */
    ROLE_STAFF = ROLE_PETUGAS | ROLE_KURIR | ROLE_KEPALA_UNIT | ROLE_ADMIN | ROLE_EVALUATOR,
    ROLE_SIGNED_IN = ROLE_CITIZEN | ROLE_STAFF,
};

/* route flags */
enum {
    HR_SETUP = 1 << 0,   /* reachable while a signed-in user still has to change the password,
                            set up two-factor sign-in or enter the TOTP code */
    HR_NO_CSRF = 1 << 1, /* state-changing but exempt from CSRF (API-key-only endpoints) */
    HR_SECRET_PATH = 1 << 2, /* the path carries a secret (a survey or kiosk token): the access
                                log writes the route's pattern, never the path */
};

/* who is calling; filled by the server's authenticate hook before the role check */
typedef struct {
    int64_t user_id;   /* 0: nobody signed in */
    int64_t apikey_id; /* > 0: an API key authenticated the call */
    int64_t apikey_unit;
    unsigned roles;      /* ROLE_* held, in any unit */
    bool citizen, staff; /* the account's kind */
    bool mfa_pending;    /* password accepted, TOTP code still due */
    bool must_change_password;
    bool needs_2fa; /* admin_pemda without TOTP: must set it up before anything else */
    const char *name;
    char csrf[72]; /* the token a state-changing request must carry ("" = none yet) */
} http_principal;

enum http_ptype {
    HP_STR,  /* UTF-8 text, min..max bytes */
    HP_INT,  /* decimal integer, min..max value */
    HP_CODE, /* [A-Za-z0-9._-], min..max bytes: region codes, unit codes, tokens */
    HP_LANG, /* "id" or "en" */
};

typedef struct {
    const char *name;
    enum http_ptype type;
    long min, max;
    bool required;
} http_param_spec;

typedef struct http_req http_req;
/* returns 0 after producing a response, or an HTTP status (404, 400, 500...) to have the
 * standard error response rendered for it */
typedef int (*http_handler)(http_req *rq);

struct http_route {
    unsigned methods;
    const char *pattern; /* "/unit/{code}" */
    http_handler fn;
    enum http_role role;
    enum http_kind kind;
    size_t body_max;               /* 0: no body accepted */
    const http_param_spec *params; /* terminated by {NULL} or NULL for none */
    const char *name;              /* metrics label; defaults to the pattern */
    int cache_seconds;             /* > 0: a 200 answer to an anonymous GET is reused this long */
    unsigned flags;                /* HR_* */
};

struct http_server;

struct http_req {
    arena *a;
    void *app; /* the application context given to the server */
    struct http_server *srv;
    unsigned method;
    str path;       /* decoded, UTF-8 validated */
    http_kvs query; /* validated against the route's params */
    http_kvs form;  /* urlencoded or multipart fields (POST) */
    http_upload *files;
    size_t nfiles;
    http_kvs cookies;
    const struct http_route *route;
    str pnames[6], pvals[6];
    size_t np;
    const char *lang; /* "id" or "en" */
    char id[20];      /* request id, also in the access log and error pages */
    char client_ip[64];
    str body; /* raw body for JSON routes */
    http_principal who;
    /* response under construction */
    int status;
    const char *ctype;
    buf out;
    http_kv *hdrs;
    size_t nhdrs, hcap;
    void *priv; /* the adapter's connection state */
};

/* parameters: path parameter first, then query, then form; {NULL,0} when absent */
str http_param(const http_req *rq, const char *name);
const char *http_param_c(const http_req *rq, const char *name); /* NUL-terminated copy or NULL */
str http_header_in(const http_req *rq, const char *name);       /* request header */
void http_header(http_req *rq, const char *name, const char *value); /* response header */

int http_text(http_req *rq, int status, const char *ctype, str body);
int http_json(http_req *rq, int status, json_t *v); /* steals v */
int http_redirect(http_req *rq, int status, const char *location);
/* renders template `tpl` with ctx (stolen) plus the common keys (lang, assets, path, ...) */
int http_page(http_req *rq, int status, const char *tpl, json_t *ctx);
/* the standard error response for the route's kind: an HTML page or {"error":{...}} */
int http_error(http_req *rq, int status, const char *message_msgid);
/* translate a msgid in the request's language */
/* format_arg: a msgid with printf conversions may be used as a format (the translation must
 * keep the same conversions: msgfmt --check compares them for c-format entries) */
const char *http_t(const http_req *rq, const char *msgid) __attribute__((format_arg(2)));
/* the singular or plural form for n (ngettext) */
const char *http_tn(const http_req *rq, const char *one, const char *many, unsigned long n)
    __attribute__((format_arg(2))) __attribute__((format_arg(3)));

#endif

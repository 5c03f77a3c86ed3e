/* router: compiles the route table (patterns into segments), matches a path to a route,
 * and validates query/form parameters against what the route declares. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

int router_compile(http_server *s, char *err, size_t errlen)
{
    s->nroutes = s->o.nroutes;
    s->routes = calloc(s->nroutes ? s->nroutes : 1, sizeof *s->routes);
    if (!s->routes) abort();
    for (size_t i = 0; i < s->nroutes; i++) {
        const struct http_route *r = &s->o.routes[i];
        struct croute *c = &s->routes[i];
        c->r = r;
        c->label = r->name ? r->name : r->pattern;
        if (!r->pattern || r->pattern[0] != '/' || !r->fn || !r->methods) {
            snprintf(err, errlen, "route %zu: pattern, handler and methods are required", i);
            return -1;
        }
        str p = str_c(r->pattern + 1);
        while (p.n || c->nsegs == 0) {
            if (c->nsegs == ROUTE_MAX_SEGS) {
                snprintf(err, errlen, "route %s: too many segments", r->pattern);
                return -1;
            }
            const char *slash = memchr(p.p, '/', p.n);
            size_t l = slash ? (size_t)(slash - p.p) : p.n;
            str seg = {p.p, l};
            if (seg.n >= 2 && seg.p[0] == '{' && seg.p[seg.n - 1] == '}') {
                c->is_param[c->nsegs] = true;
                seg = (str){seg.p + 1, seg.n - 2};
                /* a path parameter must be declared, so it is validated like any other */
                bool declared = false;
                for (const http_param_spec *ps = r->params; ps && ps->name; ps++)
                    if (str_eq_c(seg, ps->name)) declared = true;
                if (!declared) {
                    snprintf(err, errlen, "route %s: path parameter {%.*s} is not declared",
                             r->pattern, STR_FMT(seg));
                    return -1;
                }
            }
            c->segs[c->nsegs++] = seg;
            if (!slash) break;
            p = (str){slash + 1, p.n - l - 1};
        }
    }
    return 0;
}

static bool match_one(const struct croute *c, str path, http_req *rq)
{
    str p = {path.p + 1, path.n - 1};
    size_t i = 0;
    size_t np = 0;
    str names[6], vals[6];
    for (;;) {
        const char *slash = memchr(p.p, '/', p.n);
        size_t l = slash ? (size_t)(slash - p.p) : p.n;
        str seg = {p.p, l};
        if (i >= c->nsegs) return false;
        if (c->is_param[i]) {
            if (seg.n == 0 || np == 6) return false;
            names[np] = c->segs[i];
            vals[np++] = seg;
        } else if (!str_eq(seg, c->segs[i])) {
            return false;
        }
        i++;
        if (!slash) break;
        p = (str){slash + 1, p.n - l - 1};
    }
    if (i != c->nsegs) return false;
    if (rq) {
        memcpy(rq->pnames, names, sizeof names);
        memcpy(rq->pvals, vals, sizeof vals);
        rq->np = np;
    }
    return true;
}

int router_match(const http_server *s, http_req *rq, unsigned *allow)
{
    *allow = 0;
    for (size_t i = 0; i < s->nroutes; i++) {
        const struct croute *c = &s->routes[i];
        if (!match_one(c, rq->path, NULL)) continue;
        unsigned m = c->r->methods;
        if (m & HTTP_GET) m |= HTTP_HEAD;
        *allow |= m;
        if (m & rq->method) {
            match_one(c, rq->path, rq);
            rq->route = c->r;
            return (int)i;
        }
    }
    return -1;
}

static bool valid_value(const http_param_spec *ps, str v)
{
    switch (ps->type) {
    case HP_STR: return (long)v.n >= ps->min && (long)v.n <= ps->max;
    case HP_INT: {
        long x;
        return str_to_long(v, ps->min, ps->max, &x);
    }
    case HP_CODE:
        if ((long)v.n < ps->min || (long)v.n > ps->max) return false;
        for (size_t i = 0; i < v.n; i++) {
            char ch = v.p[i];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_'))
                return false;
        }
        return true;
    case HP_LANG: return str_eq_c(v, "id") || str_eq_c(v, "en");
    }
    return false;
}

static const http_param_spec lang_spec = {"lang", HP_LANG, 0, 0, false};
/* the CSRF token of a form; checked by the server before the handler, never seen by it */
static const http_param_spec csrf_spec = {"_csrf", HP_STR, 0, 100, false};

static const http_param_spec *find_spec(const struct http_route *r, str name)
{
    for (const http_param_spec *ps = r->params; ps && ps->name; ps++) {
        if (str_eq_c(name, ps->name)) return ps;
        /* "attribute[*": a family of names with this prefix (Open311 attribute[CODE]) */
        size_t pn = strlen(ps->name);
        if (pn && ps->name[pn - 1] == '*' && name.n >= pn && memcmp(name.p, ps->name, pn - 1) == 0)
            return ps;
    }
    if (r->kind == HTTP_PAGE && str_eq_c(name, "lang")) return &lang_spec;
    if (str_eq_c(name, "_csrf")) return &csrf_spec;
    return NULL;
}

static int check_list(http_req *rq, const http_kvs *k, const char **why)
{
    for (size_t i = 0; i < k->n; i++) {
        const http_param_spec *ps = find_spec(rq->route, k->items[i].name);
        if (!ps) {
            *why = "The address has a parameter this page does not know.";
            return 400;
        }
        if (!valid_value(ps, k->items[i].value)) {
            *why = "The address has a parameter with a value this page cannot use.";
            return 400;
        }
    }
    return 0;
}

int router_validate(http_req *rq, const char **why)
{
    const struct http_route *r = rq->route;
    int st = check_list(rq, &rq->query, why);
    if (!st) st = check_list(rq, &rq->form, why);
    if (st) return st;
    for (size_t i = 0; i < rq->np; i++) {
        const http_param_spec *ps = find_spec(r, rq->pnames[i]);
        if (!ps || !valid_value(ps, rq->pvals[i])) return 404; /* a malformed id finds nothing */
    }
    for (const http_param_spec *ps = r->params; ps && ps->name; ps++)
        if (ps->required && !http_param(rq, ps->name).p) {
            *why = "A required parameter is missing.";
            return 400;
        }
    return 0;
}

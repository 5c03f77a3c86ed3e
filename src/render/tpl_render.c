/* tpl_render: walks a compiled node tree against a jansson context, writing straight into
 * the caller's capped buf. Values are escaped for the context the compiler recorded. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "render/tpl_internal.h"

#define MAX_SCOPES 32
#define MAX_BLOCKS 16

struct scope {
    json_t *v;
    long index, count; /* inside #each; count -1 otherwise */
};

struct rstate {
    const tpl_env *env;
    buf *out;
    struct scope sc[MAX_SCOPES];
    int sp;
    struct {
        const char *name;
        const node *body;
    } blocks[MAX_BLOCKS];
    int nblocks;
    int depth;
    int failed;
};

static void emit(struct rstate *r, const char *p, size_t n)
{
    if (!r->failed && buf_put(r->out, p, n)) r->failed = 1;
}

static void emit_escaped(struct rstate *r, const char *p, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (p[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        emit(r, p + start, i - start);
        emit(r, rep, strlen(rep));
        start = i + 1;
    }
    emit(r, p + start, n - start);
}

/* only http(s), mailto, tel and relative URLs pass; anything else becomes "#" */
static bool url_ok(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    for (size_t k = i; k < n; k++) {
        char ch = p[k];
        if (ch == '/' || ch == '?' || ch == '#') return true; /* relative: no scheme */
        if (ch == ':') {
            str sch = {p + i, k - i};
            return str_ieq_c(sch, "http") || str_ieq_c(sch, "https") || str_ieq_c(sch, "mailto") ||
                   str_ieq_c(sch, "tel");
        }
        if ((unsigned char)ch < 0x20) return false;
    }
    return true;
}

static void emit_ctx(struct rstate *r, int ctx, const char *p, size_t n)
{
    if (ctx == CTX_URL && !url_ok(p, n)) {
        emit(r, "#", 1);
        return;
    }
    emit_escaped(r, p, n);
}

static json_t *walk(json_t *v, const tpath *p, int from)
{
    for (int i = from; v && i < p->nsegs; i++) {
        if (json_is_object(v)) v = json_object_get(v, p->segs[i]);
        else if (json_is_array(v)) {
            char *end;
            long k = strtol(p->segs[i], &end, 10);
            v = (*end == 0 && k >= 0) ? json_array_get(v, (size_t)k) : NULL;
        } else v = NULL;
    }
    return v;
}

/* value of a path; loop variables come back in *num */
static json_t *lookup(struct rstate *r, const tpath *p, long *num, int *is_num)
{
    *is_num = 0;
    if (p->nsegs == 0) return r->sc[r->sp - 1].v;
    const char *first = p->segs[0];
    if (first[0] == '@') {
        for (int i = r->sp - 1; i >= 0; i--)
            if (r->sc[i].count >= 0) {
                *is_num = 1;
                if (strcmp(first, "@index") == 0) *num = r->sc[i].index;
                else if (strcmp(first, "@first") == 0) *num = r->sc[i].index == 0;
                else if (strcmp(first, "@last") == 0) *num = r->sc[i].index == r->sc[i].count - 1;
                else *is_num = 0;
                return NULL;
            }
        return NULL;
    }
    for (int i = r->sp - 1; i >= 0; i--) {
        json_t *v = r->sc[i].v;
        if (json_is_object(v) && json_object_get(v, first))
            return walk(json_object_get(v, first), p, 1);
    }
    return NULL;
}

static bool truthy(json_t *v)
{
    if (!v) return false;
    switch (json_typeof(v)) {
    case JSON_NULL:
    case JSON_FALSE: return false;
    case JSON_TRUE: return true;
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0.0;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_OBJECT: return true;
    }
    return false;
}

/* the plain text of a scalar, into tmp; NULL for null/objects/arrays */
static const char *scalar(json_t *v, char *tmp, size_t tmplen, size_t *n)
{
    if (!v) return NULL;
    switch (json_typeof(v)) {
    case JSON_STRING: *n = json_string_length(v); return json_string_value(v);
    case JSON_INTEGER:
        *n = (size_t)snprintf(tmp, tmplen, "%lld", (long long)json_integer_value(v));
        return tmp;
    case JSON_REAL: *n = (size_t)snprintf(tmp, tmplen, "%.15g", json_real_value(v)); return tmp;
    case JSON_TRUE: *n = 4; return "true";
    case JSON_FALSE: *n = 5; return "false";
    default: return NULL;
    }
}

static bool truthy_path(struct rstate *r, const tpath *p)
{
    long num = 0;
    int is_num;
    json_t *v = lookup(r, p, &num, &is_num);
    return is_num ? num != 0 : truthy(v);
}

static void render_list(struct rstate *r, const node *n);

static void push(struct rstate *r, json_t *v, long index, long count)
{
    if (r->sp == MAX_SCOPES) {
        r->failed = 1;
        return;
    }
    r->sc[r->sp++] = (struct scope){v, index, count};
}

static void render_var(struct rstate *r, const node *n)
{
    long num = 0;
    int is_num;
    json_t *v = lookup(r, &n->path, &num, &is_num);
    char tmp[64];
    size_t len;
    if (is_num) {
        len = (size_t)snprintf(tmp, sizeof tmp, "%ld", num);
        emit(r, tmp, len);
        return;
    }
    if (json_is_object(v)) {
        json_t *safe = json_object_get(v, tpl_safe_key());
        if (safe && json_is_string(safe)) {
            if (n->ctx == CTX_TEXT) emit(r, json_string_value(safe), json_string_length(safe));
            else emit_ctx(r, n->ctx, json_string_value(safe), json_string_length(safe));
        }
        return;
    }
    const char *s = scalar(v, tmp, sizeof tmp, &len);
    if (s) emit_ctx(r, n->ctx, s, len);
}

static void render_t(struct rstate *r, const node *n)
{
    const char *fmt;
    long count = 0;
    if (n->op == OP_TN) {
        int is_num;
        json_t *cv = lookup(r, &n->path, &count, &is_num);
        if (!is_num) count = json_is_integer(cv) ? (long)json_integer_value(cv) : 0;
        fmt = i18n_nget(r->env ? r->env->i18n : NULL, r->env ? r->env->lang : NULL, n->msgid,
                        n->msgid_plural, (unsigned long)(count < 0 ? -count : count));
    } else {
        fmt = i18n_get(r->env ? r->env->i18n : NULL, r->env ? r->env->lang : NULL, n->msgid);
    }
    char out[2048];
    size_t k = 0;
    int argi = 0;
    bool count_used = false;
    for (const char *p = fmt; *p && k < sizeof out - 1; p++) {
        if (p[0] == '%' && (p[1] == 's' || p[1] == 'd')) {
            char tmp[64];
            size_t len = 0;
            const char *s = NULL;
            if (p[1] == 'd' && n->op == OP_TN && !count_used) {
                len = (size_t)snprintf(tmp, sizeof tmp, "%ld", count);
                s = tmp;
                count_used = true;
            } else if (argi < n->nargs) {
                long num = 0;
                int is_num;
                json_t *v = lookup(r, &n->args[argi++], &num, &is_num);
                if (is_num) {
                    len = (size_t)snprintf(tmp, sizeof tmp, "%ld", num);
                    s = tmp;
                } else {
                    s = scalar(v, tmp, sizeof tmp, &len);
                }
            }
            if (s) {
                if (len > sizeof out - 1 - k) len = sizeof out - 1 - k;
                memcpy(out + k, s, len);
                k += len;
            }
            p++;
        } else if (p[0] == '%' && p[1] == '%') {
            out[k++] = '%';
            p++;
        } else {
            out[k++] = *p;
        }
    }
    emit_ctx(r, n->ctx, out, k);
}

static void render_node(struct rstate *r, const node *n)
{
    switch (n->op) {
    case OP_TEXT: emit(r, n->text, n->tlen); break;
    case OP_VAR: render_var(r, n); break;
    case OP_T:
    case OP_TN: render_t(r, n); break;
    case OP_IF:
        if (truthy_path(r, &n->path)) render_list(r, n->body);
        else render_list(r, n->alt);
        break;
    case OP_UNLESS:
        if (!truthy_path(r, &n->path)) render_list(r, n->body);
        else render_list(r, n->alt);
        break;
    case OP_WITH: {
        long num;
        int is_num;
        json_t *v = lookup(r, &n->path, &num, &is_num);
        if (!truthy(v)) break;
        push(r, v, 0, -1);
        render_list(r, n->body);
        r->sp--;
        break;
    }
    case OP_EACH: {
        long num;
        int is_num;
        json_t *v = lookup(r, &n->path, &num, &is_num);
        if (!json_is_array(v) || json_array_size(v) == 0) {
            render_list(r, n->alt);
            break;
        }
        long cnt = (long)json_array_size(v);
        for (long i = 0; i < cnt && !r->failed; i++) {
            push(r, json_array_get(v, (size_t)i), i, cnt);
            render_list(r, n->body);
            r->sp--;
        }
        break;
    }
    case OP_PARTIAL:
        if (++r->depth > 16) r->failed = 1;
        else render_list(r, n->ref->root);
        r->depth--;
        break;
    case OP_LAYOUT: {
        int saved = r->nblocks;
        for (const node *b = n->body; b; b = b->next)
            if (b->op == OP_BLOCK && r->nblocks < MAX_BLOCKS) {
                r->blocks[r->nblocks].name = b->name;
                r->blocks[r->nblocks].body = b->body;
                r->nblocks++;
            }
        if (++r->depth > 16) r->failed = 1;
        else render_list(r, n->ref->root);
        r->depth--;
        r->nblocks = saved;
        break;
    }
    case OP_BLOCK: render_list(r, n->body); break;
    case OP_YIELD:
        /* the innermost definition wins: search from the most recently added */
        for (int i = r->nblocks - 1; i >= 0; i--)
            if (strcmp(r->blocks[i].name, n->name) == 0) {
                render_list(r, r->blocks[i].body);
                break;
            }
        break;
    }
}

static void render_list(struct rstate *r, const node *n)
{
    for (; n && !r->failed; n = n->next)
        render_node(r, n);
}

int tpl_render(const tpl_set *s, const char *name, json_t *ctx, const tpl_env *env, buf *out)
{
    const struct tpl *t = tpl_find(s, name);
    if (!t) return -1;
    struct rstate r;
    memset(&r, 0, sizeof r);
    r.env = env;
    r.out = out;
    push(&r, ctx, 0, -1);
    render_list(&r, t->root);
    return r.failed ? -1 : 0;
}

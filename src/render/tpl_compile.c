/* tpl_compile: turns template source into a node tree. A single pass finds {{ }} tags; the
 * literal text between them runs through an HTML tokenizer state machine so each output tag
 * knows its context (text, quoted attribute, URL attribute) or is refused where escaping
 * cannot be made safe (tag or attribute names, unquoted values, script, style, comments). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/tpl_internal.h"

enum hstate {
    H_TEXT,
    H_TAG_OPEN, /* after '<' */
    H_TAG_NAME,
    H_IN_TAG, /* between attributes */
    H_ATTR_NAME,
    H_AFTER_NAME,
    H_BEFORE_VALUE,
    H_VALUE_DQ,
    H_VALUE_SQ,
    H_VALUE_UQ,
    H_COMMENT,
    H_RAWTEXT, /* inside <script> or <style> */
};

struct compiler {
    tpl_set *set;
    const char *name;
    const char *src;
    size_t len, pos;
    int line;
    enum hstate hs;
    char tag[16];
    size_t taglen;
    char attr[24];
    size_t attrlen;
    bool closing;
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct compiler *c, const char *fmt, ...)
{
    char m[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "%s.html:%d: %s", c->name, c->line, m);
    return -1;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

static bool is_url_attr(const char *a)
{
    return strcasecmp(a, "href") == 0 || strcasecmp(a, "src") == 0 ||
           strcasecmp(a, "action") == 0 || strcasecmp(a, "formaction") == 0 ||
           strcasecmp(a, "poster") == 0 || strcasecmp(a, "cite") == 0;
}

/* advance the HTML state over literal text */
static void html_scan(struct compiler *c, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        switch (c->hs) {
        case H_TEXT:
            if (ch == '<') c->hs = H_TAG_OPEN;
            break;
        case H_TAG_OPEN:
            if (ch == '!' && n - i >= 3 && p[i + 1] == '-' && p[i + 2] == '-') {
                c->hs = H_COMMENT;
                i += 2;
            } else if (ch == '/' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
                c->closing = ch == '/';
                c->taglen = 0;
                if (!c->closing) c->tag[c->taglen++] = ch;
                c->hs = H_TAG_NAME;
            } else if (ch == '!') {
                c->hs = H_IN_TAG; /* <!DOCTYPE ...> */
                c->taglen = 0;
            } else {
                c->hs = H_TEXT;
            }
            break;
        case H_TAG_NAME:
            if (is_space(ch)) c->hs = H_IN_TAG;
            else if (ch == '>') goto end_tag;
            else if (c->taglen + 1 < sizeof c->tag) c->tag[c->taglen++] = ch;
            break;
        case H_IN_TAG:
            if (ch == '>') goto end_tag;
            if (!is_space(ch) && ch != '/') {
                c->attrlen = 0;
                c->attr[c->attrlen++] = ch;
                c->hs = H_ATTR_NAME;
            }
            break;
        case H_ATTR_NAME:
            if (ch == '=') c->hs = H_BEFORE_VALUE;
            else if (is_space(ch)) c->hs = H_AFTER_NAME;
            else if (ch == '>') goto end_tag;
            else if (c->attrlen + 1 < sizeof c->attr) c->attr[c->attrlen++] = ch;
            break;
        case H_AFTER_NAME:
            if (ch == '=') c->hs = H_BEFORE_VALUE;
            else if (ch == '>') goto end_tag;
            else if (!is_space(ch)) {
                c->attrlen = 0;
                c->attr[c->attrlen++] = ch;
                c->hs = H_ATTR_NAME;
            }
            break;
        case H_BEFORE_VALUE:
            if (ch == '"') c->hs = H_VALUE_DQ;
            else if (ch == '\'') c->hs = H_VALUE_SQ;
            else if (ch == '>') goto end_tag;
            else if (!is_space(ch)) c->hs = H_VALUE_UQ;
            break;
        case H_VALUE_DQ:
            if (ch == '"') c->hs = H_IN_TAG;
            break;
        case H_VALUE_SQ:
            if (ch == '\'') c->hs = H_IN_TAG;
            break;
        case H_VALUE_UQ:
            if (is_space(ch)) c->hs = H_IN_TAG;
            else if (ch == '>') goto end_tag;
            break;
        case H_COMMENT:
            if (ch == '>' && i >= 2 && p[i - 1] == '-' && p[i - 2] == '-') c->hs = H_TEXT;
            break;
        case H_RAWTEXT:
            if (ch == '<' && n - i > 2 && p[i + 1] == '/') {
                /* </script or </style ends it */
                size_t k = i + 2, m = 0;
                while (k < n && m < c->taglen && ((p[k] | 0x20) == (c->tag[m] | 0x20)))
                    k++, m++;
                if (m == c->taglen) {
                    c->hs = H_TAG_NAME;
                    c->closing = true;
                    c->taglen = 0;
                    i = k - 1;
                }
            }
            break;
        }
        continue;
    end_tag:
        c->tag[c->taglen] = 0;
        if (!c->closing && (strcasecmp(c->tag, "script") == 0 || strcasecmp(c->tag, "style") == 0))
            c->hs = H_RAWTEXT;
        else c->hs = H_TEXT;
        continue;
    }
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\n') c->line++;
}

/* the output context at this point, or -1 where no escaping is safe */
static int out_ctx(struct compiler *c)
{
    switch (c->hs) {
    case H_TEXT: return CTX_TEXT;
    case H_VALUE_DQ:
    case H_VALUE_SQ:
        c->attr[c->attrlen] = 0;
        if (strncasecmp(c->attr, "on", 2) == 0 || strcasecmp(c->attr, "style") == 0) return -1;
        return is_url_attr(c->attr) ? CTX_URL : CTX_ATTR;
    default: return -1;
    }
}

static node *new_node(struct compiler *c, enum op op)
{
    node *n = calloc(1, sizeof *n);
    if (!n) abort();
    n->op = op;
    n->line = c->line;
    return n;
}

/* a path like a.b.c, ., @index; stored as segments */
static int parse_path(struct compiler *c, str s, tpath *p)
{
    memset(p, 0, sizeof *p);
    if (s.n == 0 || s.n > 120) return fail(c, "%s", "expected a value name");
    if (str_eq_c(s, ".") || str_eq_c(s, "this")) return 0; /* nsegs 0 = current */
    size_t i = 0;
    while (i < s.n) {
        size_t j = i;
        while (j < s.n && s.p[j] != '.')
            j++;
        if (j == i || p->nsegs == TPATH_MAX) return fail(c, "%s", "bad value name");
        for (size_t k = i; k < j; k++) {
            char ch = s.p[k];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || (ch == '@' && k == i)))
                return fail(c, "%s", "bad character in a value name");
        }
        p->segs[p->nsegs++] = strndup(s.p + i, j - i);
        i = j + 1;
    }
    return 0;
}

/* splits tag arguments: "quoted strings" and bare words */
static int split_args(struct compiler *c, str s, str *args, bool *quoted, int max, int *n)
{
    *n = 0;
    size_t i = 0;
    while (i < s.n) {
        while (i < s.n && is_space(s.p[i]))
            i++;
        if (i >= s.n) break;
        if (*n == max) return fail(c, "%s", "too many arguments");
        if (s.p[i] == '"') {
            size_t j = i + 1;
            while (j < s.n && s.p[j] != '"')
                j++;
            if (j >= s.n) return fail(c, "%s", "unterminated string");
            args[*n] = (str){s.p + i + 1, j - i - 1};
            quoted[(*n)++] = true;
            i = j + 1;
        } else {
            size_t j = i;
            while (j < s.n && !is_space(s.p[j]))
                j++;
            args[*n] = (str){s.p + i, j - i};
            quoted[(*n)++] = false;
            i = j;
        }
    }
    return 0;
}

static int parse_list(struct compiler *c, node **out, const char *closer, bool *saw_else);

static int parse_block(struct compiler *c, str kw, str rest, node **out)
{
    str args[8];
    bool q[8];
    int na;
    if (split_args(c, rest, args, q, 8, &na)) return -1;
    enum op op;
    const char *closer;
    if (str_eq_c(kw, "if")) op = OP_IF, closer = "if";
    else if (str_eq_c(kw, "unless")) op = OP_UNLESS, closer = "unless";
    else if (str_eq_c(kw, "each")) op = OP_EACH, closer = "each";
    else if (str_eq_c(kw, "with")) op = OP_WITH, closer = "with";
    else if (str_eq_c(kw, "layout")) op = OP_LAYOUT, closer = "layout";
    else if (str_eq_c(kw, "block")) op = OP_BLOCK, closer = "block";
    else return fail(c, "unknown block {{#%s}}", arena_strndup_tmp(kw));
    node *n = new_node(c, op);
    *out = n;
    if (op == OP_LAYOUT || op == OP_BLOCK) {
        if (na != 1 || !q[0]) return fail(c, "{{#%s}} needs one quoted name", closer);
        n->name = strndup(args[0].p, args[0].n);
        if (op == OP_LAYOUT && c->hs != H_TEXT) return fail(c, "%s", "layout outside text");
    } else {
        if (na != 1 || q[0]) return fail(c, "{{#%s}} needs one value name", closer);
        if (parse_path(c, args[0], &n->path)) return -1;
    }
    enum hstate before = c->hs;
    bool saw_else = false;
    if (parse_list(c, &n->body, closer, &saw_else)) return -1;
    if (saw_else) {
        if (op == OP_LAYOUT || op == OP_BLOCK || op == OP_WITH)
            return fail(c, "{{else}} is not allowed in {{#%s}}", closer);
        enum hstate after_body = c->hs;
        c->hs = before;
        if (parse_list(c, &n->alt, closer, NULL)) return -1;
        if (c->hs != after_body)
            return fail(c, "%s", "the two branches end in different HTML states");
    }
    return 0;
}

static int parse_tag(struct compiler *c, str t, node **out, const char *closer, bool *saw_else,
                     bool *closed)
{
    *out = NULL;
    t = str_trim(t);
    if (t.n == 0) return fail(c, "%s", "empty {{ }}");
    if (t.p[0] == '!') return 0; /* {{! comment }} */
    if (t.p[0] == '/') {
        str nm = str_trim((str){t.p + 1, t.n - 1});
        if (!closer || !str_eq_c(nm, closer))
            return fail(c, "unexpected {{/%s}}", arena_strndup_tmp(nm));
        *closed = true;
        return 0;
    }
    if (str_eq_c(t, "else")) {
        if (!saw_else || *saw_else) return fail(c, "%s", "unexpected {{else}}");
        *saw_else = true;
        *closed = true;
        return 0;
    }
    if (t.p[0] == '#') {
        size_t k = 1;
        while (k < t.n && !is_space(t.p[k]))
            k++;
        return parse_block(c, (str){t.p + 1, k - 1}, (str){t.p + k, t.n - k}, out);
    }
    if (t.p[0] == '>') {
        if (c->hs != H_TEXT) return fail(c, "%s", "a partial can only be used in text");
        node *n = new_node(c, OP_PARTIAL);
        *out = n; /* owned by the caller from here, also on error */
        str nm = str_trim((str){t.p + 1, t.n - 1});
        if (!nm.n) return fail(c, "%s", "partial without a name");
        n->name = strndup(nm.p, nm.n);
        *out = n;
        return 0;
    }
    size_t k = 0;
    while (k < t.n && !is_space(t.p[k]))
        k++;
    str word = {t.p, k};
    str rest = {t.p + k, t.n - k};
    int ctx = out_ctx(c);
    if (str_eq_c(word, "yield")) {
        str args[2];
        bool q[2];
        int na;
        if (split_args(c, rest, args, q, 2, &na) || na != 1 || !q[0])
            return fail(c, "%s", "{{yield \"name\"}} needs one quoted name");
        if (c->hs != H_TEXT) return fail(c, "%s", "yield can only be used in text");
        node *n = new_node(c, OP_YIELD);
        *out = n; /* owned by the caller from here, also on error */
        n->name = strndup(args[0].p, args[0].n);
        *out = n;
        return 0;
    }
    if (ctx < 0)
        return fail(c, "%s",
                    "a value cannot be placed here (tag, attribute name, unquoted value, script, "
                    "style or comment)");
    if (str_eq_c(word, "_") || str_eq_c(word, "_n")) {
        bool plural = word.n == 2;
        str args[TARGS_MAX + 3];
        bool q[TARGS_MAX + 3];
        int na;
        if (split_args(c, rest, args, q, TARGS_MAX + 3, &na)) return -1;
        int fixed = plural ? 3 : 1;
        if (na < fixed || !q[0] || (plural && (!q[1] || q[2])))
            return fail(c, "%s",
                        plural ? "{{_n \"one\" \"many\" count ...}}" : "{{_ \"text\" ...}}");
        node *n = new_node(c, plural ? OP_TN : OP_T);
        *out = n; /* owned by the caller from here, also on error */
        n->ctx = ctx;
        n->msgid = strndup(args[0].p, args[0].n);
        if (plural) {
            n->msgid_plural = strndup(args[1].p, args[1].n);
            if (parse_path(c, args[2], &n->path)) return -1;
        }
        if (na - fixed > TARGS_MAX)
            return fail(c, "at most %d arguments after the text", TARGS_MAX);
        for (int i = fixed; i < na; i++) {
            if (q[i]) return fail(c, "%s", "arguments after the text must be value names");
            if (parse_path(c, args[i], &n->args[n->nargs++])) return -1;
        }
        *out = n;
        return 0;
    }
    if (rest.n && str_trim(rest).n) return fail(c, "%s", "unexpected words in {{ }}");
    node *n = new_node(c, OP_VAR);
    *out = n; /* owned by the caller from here, also on error */
    n->ctx = ctx;
    if (parse_path(c, word, &n->path)) return -1;
    *out = n;
    return 0;
}

static int parse_list(struct compiler *c, node **out, const char *closer, bool *saw_else)
{
    node **tail = out;
    *out = NULL;
    while (c->pos < c->len) {
        const char *open = memmem(c->src + c->pos, c->len - c->pos, "{{", 2);
        size_t tlen = open ? (size_t)(open - (c->src + c->pos)) : c->len - c->pos;
        if (tlen) {
            node *t = new_node(c, OP_TEXT);
            t->text = malloc(tlen + 1); /* not strndup: the text may hold NUL bytes */
            if (!t->text) abort();
            memcpy(t->text, c->src + c->pos, tlen);
            t->text[tlen] = 0;
            t->tlen = tlen;
            html_scan(c, c->src + c->pos, tlen);
            *tail = t;
            tail = &t->next;
            c->pos += tlen;
        }
        if (!open) break;
        const char *close = memmem(open + 2, c->len - (size_t)(open + 2 - c->src), "}}", 2);
        if (!close) return fail(c, "%s", "{{ without }}");
        str inner = {open + 2, (size_t)(close - open - 2)};
        for (size_t i = 0; i < inner.n; i++)
            if (inner.p[i] == '\n') return fail(c, "%s", "a tag must fit on one line");
        c->pos = (size_t)(close + 2 - c->src);
        node *n = NULL;
        bool closed = false;
        if (parse_tag(c, inner, &n, closer, saw_else, &closed)) {
            if (n) tpl_node_free(n);
            return -1;
        }
        if (n) {
            *tail = n;
            tail = &n->next;
        }
        if (closed) return 0;
    }
    if (closer) return fail(c, "missing {{/%s}}", closer);
    return 0;
}

char *arena_strndup_tmp(str s)
{
    static _Thread_local char b[64];
    snprintf(b, sizeof b, "%.*s", (int)(s.n > 60 ? 60 : s.n), s.p);
    return b;
}

int tpl_compile(tpl_set *s, const char *name, const char *src, size_t len, node **out, char *err,
                size_t errlen)
{
    struct compiler c = {.set = s,
                         .name = name,
                         .src = src,
                         .len = len,
                         .line = 1,
                         .hs = H_TEXT,
                         .err = err,
                         .errlen = errlen};
    node *root = NULL;
    if (parse_list(&c, &root, NULL, NULL)) {
        tpl_node_free(root);
        return -1;
    }
    *out = root;
    return 0;
}

void tpl_node_free(node *n)
{
    while (n) {
        node *next = n->next;
        tpl_node_free(n->body);
        tpl_node_free(n->alt);
        free(n->text);
        free(n->name);
        free(n->msgid);
        free(n->msgid_plural);
        for (int i = 0; i < n->path.nsegs; i++)
            free(n->path.segs[i]);
        for (int a = 0; a < n->nargs; a++)
            for (int i = 0; i < n->args[a].nsegs; i++)
                free(n->args[a].segs[i]);
        free(n);
        n = next;
    }
}

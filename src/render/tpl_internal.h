/* tpl_internal: the compiled form shared by tpl_compile.c, tpl_render.c and tpl_set.c. */
#ifndef LAYAN_TPL_INTERNAL_H
#define LAYAN_TPL_INTERNAL_H
#include "render/tpl.h"

#define TPATH_MAX 6
#define TARGS_MAX 4

enum op {
    OP_TEXT,
    OP_VAR,
    OP_IF,
    OP_UNLESS,
    OP_EACH,
    OP_WITH,
    OP_PARTIAL,
    OP_LAYOUT,
    OP_BLOCK,
    OP_YIELD,
    OP_T,
    OP_TN
};
enum { CTX_TEXT, CTX_ATTR, CTX_URL };

typedef struct {
    char *segs[TPATH_MAX];
    int nsegs; /* 0: the current value */
} tpath;

typedef struct node node;
struct node {
    enum op op;
    int ctx;
    int line;
    char *text;
    size_t tlen;
    tpath path;
    char *name; /* partial, layout, block, yield */
    char *msgid, *msgid_plural;
    tpath args[TARGS_MAX];
    int nargs;
    const struct tpl *ref; /* resolved partial or layout */
    node *body, *alt, *next;
};

struct tpl {
    char *name;
    node *root;
};

struct tpl_set {
    struct tpl *t;
    size_t n, cap;
};

int tpl_compile(tpl_set *s, const char *name, const char *src, size_t len, node **out, char *err,
                size_t errlen);
void tpl_node_free(node *n);
const struct tpl *tpl_find(const tpl_set *s, const char *name);
char *arena_strndup_tmp(str s);
const char *tpl_safe_key(void);

#endif

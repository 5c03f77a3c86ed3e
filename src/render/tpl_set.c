/* tpl_set: loading a directory of templates, linking partials and layouts by name, and the
 * safe-HTML marker. */
#include <dirent.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render/tpl_internal.h"

/* the key of a safe-HTML object: random per process, so no JSON from outside can forge one */
static char safe_key[40];
static pthread_once_t safe_once = PTHREAD_ONCE_INIT;

static void init_safe_key(void)
{
    unsigned char r[12];
    if (sodium_init() < 0) abort();
    randombytes_buf(r, sizeof r);
    int k = snprintf(safe_key, sizeof safe_key, "\x01safe-");
    for (size_t i = 0; i < sizeof r; i++)
        k += snprintf(safe_key + k, sizeof safe_key - (size_t)k, "%02x", r[i]);
}

const char *tpl_safe_key(void)
{
    pthread_once(&safe_once, init_safe_key);
    return safe_key;
}

json_t *tpl_safe_html(const char *html)
{
    json_t *o = json_object();
    json_object_set_new(o, tpl_safe_key(), json_string(html));
    return o;
}

tpl_set *tpl_set_new(void)
{
    tpl_safe_key();
    tpl_set *s = calloc(1, sizeof *s);
    if (!s) abort();
    return s;
}

const struct tpl *tpl_find(const tpl_set *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->t[i].name, name) == 0) return &s->t[i];
    return NULL;
}

int tpl_add(tpl_set *s, const char *name, const char *src, size_t len, char *err, size_t errlen)
{
    if (tpl_find(s, name)) {
        snprintf(err, errlen, "template %s defined twice", name);
        return -1;
    }
    node *root;
    if (tpl_compile(s, name, src, len, &root, err, errlen)) return -1;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->t = realloc(s->t, s->cap * sizeof *s->t);
        if (!s->t) abort();
    }
    s->t[s->n].name = strdup(name);
    s->t[s->n].root = root;
    s->n++;
    return 0;
}

static int link_nodes(tpl_set *s, const char *tname, node *n, char *err, size_t errlen)
{
    for (; n; n = n->next) {
        if (n->op == OP_PARTIAL || n->op == OP_LAYOUT) {
            n->ref = tpl_find(s, n->name);
            if (!n->ref) {
                snprintf(err, errlen, "%s.html:%d: no template named %s", tname, n->line, n->name);
                return -1;
            }
        }
        if (link_nodes(s, tname, n->body, err, errlen) || link_nodes(s, tname, n->alt, err, errlen))
            return -1;
    }
    return 0;
}

int tpl_link(tpl_set *s, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->n; i++)
        if (link_nodes(s, s->t[i].name, s->t[i].root, err, errlen)) return -1;
    return 0;
}

static int load(tpl_set *s, const char *dir, const char *rel, int depth, char *err, size_t errlen)
{
    if (depth > 6) return 0;
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) {
        snprintf(err, errlen, "cannot read template directory %s", path);
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char r[1024], full[4096];
        snprintf(r, sizeof r, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", dir, r);
        struct stat st;
        if (stat(full, &st)) continue;
        if (S_ISDIR(st.st_mode)) {
            rc = load(s, dir, r, depth + 1, err, errlen);
            continue;
        }
        size_t l = strlen(r);
        if (l < 6 || strcmp(r + l - 5, ".html") != 0) continue;
        FILE *f = fopen(full, "rb");
        if (!f || st.st_size > (1 << 20)) {
            if (f) fclose(f);
            snprintf(err, errlen, "cannot read %s", full);
            rc = -1;
            break;
        }
        char *src = malloc((size_t)st.st_size + 1);
        if (!src) abort();
        size_t got = fread(src, 1, (size_t)st.st_size, f);
        fclose(f);
        src[got] = 0;
        r[l - 5] = 0;
        rc = tpl_add(s, r, src, got, err, errlen);
        free(src);
    }
    closedir(d);
    return rc;
}

int tpl_load_dir(const char *dir, tpl_set **out, char *err, size_t errlen)
{
    tpl_set *s = tpl_set_new();
    if (load(s, dir, "", 0, err, errlen) || tpl_link(s, err, errlen)) {
        tpl_set_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void tpl_set_free(tpl_set *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->t[i].name);
        tpl_node_free(s->t[i].root);
    }
    free(s->t);
    free(s);
}

/* i18n: a reader for GNU .mo files (see i18n.h). Originals are sorted by msgfmt, so lookups are
 * a binary search; the catalogs are read-only after loading and shared by all threads. */
#include "render/i18n.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LANGS 8

struct cat {
    char lang[16];
    unsigned char *data;
    size_t size;
    uint32_t n, orig, trans;
    bool swap;
    int nplurals;
};

struct i18n_catalogs {
    struct cat c[MAX_LANGS];
    int n;
};

static uint32_t rd32(const struct cat *c, size_t off)
{
    uint32_t v;
    memcpy(&v, c->data + off, 4);
    return c->swap ? __builtin_bswap32(v) : v;
}

/* string i of a table at `table`: a pointer and length, or NULL when out of bounds */
static const char *entry(const struct cat *c, uint32_t table, uint32_t i, uint32_t *len)
{
    size_t at = (size_t)table + (size_t)i * 8;
    if (at + 8 > c->size) return NULL;
    uint32_t l = rd32(c, at), off = rd32(c, at + 4);
    if ((size_t)off + l + 1 > c->size || c->data[off + l] != 0) return NULL;
    *len = l;
    return (const char *)c->data + off;
}

static int load_one(struct cat *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s", path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (sz < 28 || sz > (64L << 20)) {
        fclose(f);
        snprintf(err, errlen, "%s is not a catalog", path);
        return -1;
    }
    c->data = malloc((size_t)sz);
    if (!c->data) abort();
    c->size = (size_t)sz;
    size_t got = fread(c->data, 1, c->size, f);
    fclose(f);
    if (got != c->size) goto bad;
    uint32_t magic;
    memcpy(&magic, c->data, 4);
    if (magic == 0x950412deu) c->swap = false;
    else if (magic == 0xde120495u) c->swap = true;
    else goto bad;
    c->n = rd32(c, 8);
    c->orig = rd32(c, 12);
    c->trans = rd32(c, 16);
    if ((size_t)c->orig + (size_t)c->n * 8 > c->size ||
        (size_t)c->trans + (size_t)c->n * 8 > c->size)
        goto bad;
    for (uint32_t i = 0; i < c->n; i++) {
        uint32_t l;
        if (!entry(c, c->orig, i, &l) || !entry(c, c->trans, i, &l)) goto bad;
    }
    /* the header (translation of "") names the plural forms */
    c->nplurals = 2;
    uint32_t l;
    if (c->n && entry(c, c->orig, 0, &l) && l == 0) {
        const char *h = entry(c, c->trans, 0, &l);
        const char *np = h ? strstr(h, "nplurals=") : NULL;
        if (np && np[9] == '1') c->nplurals = 1;
    }
    return 0;
bad:
    snprintf(err, errlen, "%s is not a valid .mo catalog", path);
    free(c->data);
    c->data = NULL;
    return -1;
}

i18n_catalogs *i18n_load(const char *dir, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "no translations directory %s (build the project first)", dir);
        return NULL;
    }
    i18n_catalogs *cs = calloc(1, sizeof *cs);
    if (!cs) abort();
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 4 || l > 18 || strcmp(e->d_name + l - 3, ".mo") != 0 || e->d_name[0] == '.')
            continue;
        if (cs->n == MAX_LANGS) break;
        struct cat *c = &cs->c[cs->n];
        snprintf(c->lang, sizeof c->lang, "%.*s", (int)(l - 3), e->d_name);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (load_one(c, path, err, errlen)) {
            closedir(d);
            i18n_free(cs);
            return NULL;
        }
        cs->n++;
    }
    closedir(d);
    if (cs->n == 0) {
        snprintf(err, errlen, "no .mo catalogs in %s", dir);
        i18n_free(cs);
        return NULL;
    }
    return cs;
}

void i18n_free(i18n_catalogs *cs)
{
    if (!cs) return;
    for (int i = 0; i < cs->n; i++)
        free(cs->c[i].data);
    free(cs);
}

static const struct cat *find(const i18n_catalogs *cs, const char *lang)
{
    if (!cs || !lang) return NULL;
    for (int i = 0; i < cs->n; i++)
        if (strcmp(cs->c[i].lang, lang) == 0) return &cs->c[i];
    return NULL;
}

bool i18n_has_lang(const i18n_catalogs *cs, const char *lang)
{
    return find(cs, lang) != NULL;
}

/* index of msgid in the sorted originals, or -1 */
static long lookup(const struct cat *c, const char *msgid)
{
    long lo = 0, hi = (long)c->n - 1;
    while (lo <= hi) {
        long mid = (lo + hi) / 2;
        uint32_t l;
        const char *o = entry(c, c->orig, (uint32_t)mid, &l);
        int r = strcmp(msgid, o); /* a plural original is "singular\0plural": compares singular */
        if (r == 0) return mid;
        if (r < 0) hi = mid - 1;
        else lo = mid + 1;
    }
    return -1;
}

const char *i18n_get(const i18n_catalogs *cs, const char *lang, const char *msgid)
{
    const struct cat *c = find(cs, lang);
    if (!c || !msgid || !*msgid) return msgid;
    long i = lookup(c, msgid);
    if (i < 0) return msgid;
    uint32_t l;
    const char *t = entry(c, c->trans, (uint32_t)i, &l);
    return t && *t ? t : msgid;
}

const char *i18n_nget(const i18n_catalogs *cs, const char *lang, const char *msgid,
                      const char *msgid_plural, unsigned long n)
{
    const struct cat *c = find(cs, lang);
    int form = (c && c->nplurals == 1) ? 0 : (n != 1);
    const char *fallback = form ? msgid_plural : msgid;
    if (!c) return fallback;
    long i = lookup(c, msgid);
    if (i < 0) return fallback;
    uint32_t l;
    const char *t = entry(c, c->trans, (uint32_t)i, &l);
    if (!t) return fallback;
    const char *end = t + l;
    for (int k = 0; k < form; k++) {
        t += strlen(t) + 1;
        if (t >= end) return fallback;
    }
    return *t ? t : fallback;
}

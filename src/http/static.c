/* static: serves the built assets under /static/ from memory. Files are read once at start
 * (they are small and few), each with a strong ETag and, where it helps, a gzip copy.
 * Fingerprinted names (name.<8+ hex>.ext) get a one-year immutable cache; others revalidate. */
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "http/internal.h"
#include "lib/json.h"
#include "lib/log.h"

struct static_file {
    char *rel; /* path below the static dir, '/'-separated */
    char *data;
    size_t n;
    char *gz;
    size_t gzn;
    char etag[24];
    const char *ctype;
    bool immutable;
};

#define STATIC_MAX_FILES 2048
#define STATIC_MAX_BYTES (64u << 20)

static const char *ctype_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } t[] = {{".css", "text/css; charset=utf-8"},
             {".js", "text/javascript; charset=utf-8"},
             {".mjs", "text/javascript; charset=utf-8"},
             {".svg", "image/svg+xml"},
             {".png", "image/png"},
             {".jpg", "image/jpeg"},
             {".ico", "image/x-icon"},
             {".woff2", "font/woff2"},
             {".woff", "font/woff"},
             {".json", "application/json"},
             {".txt", "text/plain; charset=utf-8"},
             {".webmanifest", "application/manifest+json"},
             {".map", "application/json"}};
    const char *dot = strrchr(name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
            if (strcmp(dot, t[i].ext) == 0) return t[i].type;
    return "application/octet-stream";
}

static bool compressible(const char *ctype)
{
    return strncmp(ctype, "text/", 5) == 0 || strstr(ctype, "svg") || strstr(ctype, "json");
}

/* name.<hex{8,}>.ext */
static bool fingerprinted(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *last = strrchr(base, '.');
    if (!last) return false;
    const char *p = last - 1;
    size_t hex = 0;
    while (p > base && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
        p--, hex++;
    return p > base && *p == '.' && hex >= 8;
}

static int gzip_buf(const char *in, size_t n, char **out, size_t *outn)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    size_t cap = deflateBound(&z, n) + 32;
    char *o = malloc(cap);
    if (!o) abort();
    z.next_in = (unsigned char *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = (unsigned char *)o;
    z.avail_out = (uInt)cap;
    int r = deflate(&z, Z_FINISH);
    deflateEnd(&z);
    if (r != Z_STREAM_END) {
        free(o);
        return -1;
    }
    *out = o;
    *outn = cap - z.avail_out;
    return 0;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const struct static_file *)a)->rel, ((const struct static_file *)b)->rel);
}

struct loader {
    http_server *s;
    size_t cap, total;
    char *err;
    size_t errlen;
};

static int add_file(struct loader *L, const char *full, const char *rel)
{
    FILE *f = fopen(full, "rb");
    if (!f) return 0;
    struct stat st;
    if (fstat(fileno(f), &st) || st.st_size < 0 || (size_t)st.st_size > STATIC_MAX_BYTES) {
        fclose(f);
        return 0;
    }
    size_t n = (size_t)st.st_size;
    L->total += n;
    if (L->total > STATIC_MAX_BYTES || L->s->nfiles >= STATIC_MAX_FILES) {
        fclose(f);
        snprintf(L->err, L->errlen, "static directory is larger than %u MiB or %d files",
                 STATIC_MAX_BYTES >> 20, STATIC_MAX_FILES);
        return -1;
    }
    char *data = malloc(n ? n : 1);
    if (!data) abort();
    if (fread(data, 1, n, f) != n) {
        fclose(f);
        free(data);
        return 0;
    }
    fclose(f);
    if (L->s->nfiles == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 64;
        L->s->files = realloc(L->s->files, L->cap * sizeof *L->s->files);
        if (!L->s->files) abort();
    }
    struct static_file *sf = &L->s->files[L->s->nfiles++];
    memset(sf, 0, sizeof *sf);
    sf->rel = strdup(rel);
    if (!sf->rel) abort();
    sf->data = data;
    sf->n = n;
    sf->ctype = ctype_of(rel);
    sf->immutable = fingerprinted(rel);
    unsigned char h[8];
    crypto_generichash(h, sizeof h, (const unsigned char *)data, n, NULL, 0);
    snprintf(sf->etag, sizeof sf->etag, "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", h[0], h[1], h[2],
             h[3], h[4], h[5], h[6], h[7]);
    if (n > 256 && compressible(sf->ctype)) {
        char *gz;
        size_t gzn;
        if (gzip_buf(data, n, &gz, &gzn) == 0) {
            if (gzn < n * 9 / 10) {
                sf->gz = gz;
                sf->gzn = gzn;
            } else {
                free(gz);
            }
        }
    }
    return 0;
}

static bool safe_name(const char *n)
{
    if (n[0] == '.' || !n[0]) return false;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == '_'))
            return false;
    return true;
}

static int walk(struct loader *L, const char *dir, const char *rel, int depth)
{
    if (depth > 4) return 0;
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (!safe_name(e->d_name)) continue;
        char full[4096], r[1024];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        snprintf(r, sizeof r, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        struct stat st;
        if (stat(full, &st)) continue;
        if (S_ISDIR(st.st_mode)) rc = walk(L, full, r, depth + 1);
        else if (S_ISREG(st.st_mode)) rc = add_file(L, full, r);
    }
    closedir(d);
    return rc;
}

int static_load(http_server *s, const char *dir, char *err, size_t errlen)
{
    struct loader L = {s, 0, 0, err, errlen};
    if (walk(&L, dir, "", 0)) return -1;
    if (s->nfiles) qsort(s->files, s->nfiles, sizeof *s->files, cmp_file);
    /* the manifest maps logical asset names to fingerprinted ones, for the templates */
    for (size_t i = 0; i < s->nfiles; i++)
        if (strcmp(s->files[i].rel, "manifest.json") == 0) {
            char e[128];
            s->assets = jsonw_parse((str){s->files[i].data, s->files[i].n}, 8, e, sizeof e);
            if (!s->assets) LOGW("static manifest.json is not valid JSON: %s", e);
        }
    if (!s->assets) s->assets = json_object();
    /* templates say {{assets.css}}: alias "layan.css" as "css", "layan.js" as "js" */
    const char *k;
    json_t *v;
    json_t *alias = json_object();
    json_object_foreach(s->assets, k, v)
    {
        if (strncmp(k, "layan.", 6) == 0 && json_is_string(v) && !strchr(k + 6, '.'))
            json_object_set(alias, k + 6, v);
    }
    json_object_update(s->assets, alias);
    json_decref(alias);
    LOGI("static files loaded: %zu files, %zu bytes", s->nfiles, L.total);
    return 0;
}

void static_free(http_server *s)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        free(s->files[i].rel);
        free(s->files[i].data);
        free(s->files[i].gz);
    }
    free(s->files);
    s->files = NULL;
    s->nfiles = 0;
    if (s->assets) json_decref(s->assets);
    s->assets = NULL;
}

static bool accepts_gzip(const http_req *rq)
{
    str ae = http_header_in(rq, "Accept-Encoding");
    return ae.p && str_find(ae, STR("gzip")) >= 0;
}

int static_serve(http_server *s, http_req *rq, str rel)
{
    char key[1024];
    if (rel.n == 0 || rel.n >= sizeof key) return 404;
    memcpy(key, rel.p, rel.n);
    key[rel.n] = 0;
    struct static_file probe = {.rel = key};
    struct static_file *f =
        s->nfiles ? bsearch(&probe, s->files, s->nfiles, sizeof *s->files, cmp_file) : NULL;
    if (!f) return 404;
    http_header(rq, "ETag", f->etag);
    http_header(rq, "Cache-Control",
                f->immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600");
    if (f->gz) http_header(rq, "Vary", "Accept-Encoding");
    str inm = http_header_in(rq, "If-None-Match");
    if (inm.p && str_find(inm, str_c(f->etag)) >= 0) {
        buf_reset(&rq->out);
        rq->status = 304;
        rq->ctype = NULL;
        return 0;
    }
    if (f->gz && accepts_gzip(rq)) {
        http_header(rq, "Content-Encoding", "gzip");
        return http_text(rq, 200, f->ctype, (str){f->gz, f->gzn});
    }
    return http_text(rq, 200, f->ctype, (str){f->data, f->n});
}

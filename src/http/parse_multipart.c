/* parse_multipart: a streaming multipart/form-data parser (RFC 7578). Input is taken in
 * slices of at most SLICE bytes into a small window; the state machine finds the delimiter
 * "\r\n--boundary" even when it is split across chunks, streams file parts to temp files
 * (0600) with the size cap counted as bytes arrive, and keeps field values in capped buffers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/parse.h"
#include "lib/utf8.h"

#define SLICE 16384

enum mp_state { MP_PREAMBLE, MP_AFTER, MP_HEADERS, MP_BODY, MP_DONE };

struct http_mp {
    arena *a;
    http_mp_limits lim;
    char *delim;
    size_t dlen;
    enum mp_state st;
    buf w;
    size_t total, nparts;
    int err;
    /* the current part */
    bool is_file, skip;
    str field, filename, ctype;
    int fd;
    char *path;
    size_t size;
    buf value;
    /* results */
    http_kv *fields;
    size_t nfields, capf;
    http_upload *files;
    bool *claimed;
    size_t nfiles, capu;
};

int http_mp_boundary(str ct, str *boundary)
{
    long at = str_find(ct, STR("boundary="));
    if (at < 0) return HTTP_PE_SYNTAX;
    str b = {ct.p + at + 9, ct.n - (size_t)at - 9};
    if (b.n && b.p[0] == '"') {
        const char *q = memchr(b.p + 1, '"', b.n - 1);
        if (!q) return HTTP_PE_SYNTAX;
        b = (str){b.p + 1, (size_t)(q - b.p - 1)};
    } else {
        size_t k = 0;
        while (k < b.n && b.p[k] != ';' && b.p[k] != ' ' && b.p[k] != '\t')
            k++;
        b.n = k;
    }
    if (b.n == 0 || b.n > 70) return HTTP_PE_SYNTAX;
    for (size_t i = 0; i < b.n; i++)
        if ((unsigned char)b.p[i] < 0x20 || (unsigned char)b.p[i] > 0x7e) return HTTP_PE_SYNTAX;
    *boundary = b;
    return HTTP_POK;
}

http_mp *http_mp_new(arena *a, str boundary, const http_mp_limits *lim)
{
    if (boundary.n == 0 || boundary.n > 70) return NULL;
    http_mp *m = arena_alloc(a, sizeof *m);
    m->a = a;
    m->lim = *lim;
    m->dlen = boundary.n + 4;
    m->delim = arena_alloc(a, m->dlen + 1);
    memcpy(m->delim, "\r\n--", 4);
    memcpy(m->delim + 4, boundary.p, boundary.n);
    m->fd = -1;
    buf_init(&m->w, SLICE + lim->max_header + m->dlen + 64);
    buf_init(&m->value, lim->max_field_value);
    /* the first boundary has no CRLF before it: pretend it had */
    buf_put(&m->w, "\r\n", 2);
    return m;
}

static void consume(http_mp *m, size_t n)
{
    memmove(m->w.p, m->w.p + n, m->w.n - n);
    m->w.n -= n;
}

/* a header parameter such as name="x" from a Content-Disposition value */
static bool header_param(arena *a, str v, const char *key, str *out)
{
    size_t kl = strlen(key);
    size_t i = 0;
    while (i < v.n) {
        while (i < v.n && (v.p[i] == ';' || v.p[i] == ' ' || v.p[i] == '\t'))
            i++;
        size_t ks = i;
        while (i < v.n && v.p[i] != '=' && v.p[i] != ';')
            i++;
        str k = str_trim((str){v.p + ks, i - ks});
        if (i >= v.n || v.p[i] != '=') continue;
        i++;
        char *val = arena_alloc(a, v.n - i + 1);
        size_t vn = 0;
        if (i < v.n && v.p[i] == '"') {
            i++;
            while (i < v.n && v.p[i] != '"') {
                if (v.p[i] == '\\' && i + 1 < v.n) i++;
                val[vn++] = v.p[i++];
            }
            if (i >= v.n) return false;
            i++;
        } else {
            while (i < v.n && v.p[i] != ';')
                val[vn++] = v.p[i++];
            while (vn && (val[vn - 1] == ' ' || val[vn - 1] == '\t'))
                vn--;
        }
        if (k.n == kl && strncasecmp(k.p, key, kl) == 0) {
            *out = (str){val, vn};
            return true;
        }
    }
    return false;
}

static str sanitize_filename(arena *a, str f)
{
    size_t start = 0;
    for (size_t i = 0; i < f.n; i++)
        if (f.p[i] == '/' || f.p[i] == '\\') start = i + 1;
    char *o = arena_alloc(a, f.n - start + 1);
    size_t k = 0;
    for (size_t i = start; i < f.n && k < 200; i++) {
        unsigned char c = (unsigned char)f.p[i];
        if (c < 0x20 || c == 0x7f) continue;
        o[k++] = (char)c;
    }
    while (k && o[0] == '.')
        memmove(o, o + 1, k--);
    str r = {o, k};
    if (!utf8_valid(o, k)) r = (str){"upload", 6};
    return r;
}

static int begin_part(http_mp *m, str hdr)
{
    str disp = STR_NULL, ctype = STR_NULL;
    size_t i = 0;
    while (i < hdr.n) {
        size_t j = i;
        while (j + 1 < hdr.n && !(hdr.p[j] == '\r' && hdr.p[j + 1] == '\n'))
            j++;
        if (j + 1 >= hdr.n) j = hdr.n;
        str line = {hdr.p + i, j - i};
        i = j + 2;
        const char *colon = line.n ? memchr(line.p, ':', line.n) : NULL;
        if (!colon) continue;
        str name = str_trim((str){line.p, (size_t)(colon - line.p)});
        str val = str_trim((str){colon + 1, line.n - (size_t)(colon - line.p) - 1});
        if (str_ieq_c(name, "Content-Disposition")) disp = val;
        else if (str_ieq_c(name, "Content-Type")) ctype = val;
    }
    if (!disp.p || !str_starts(disp, STR("form-data"))) return HTTP_PE_SYNTAX;
    str field, fname;
    if (!header_param(m->a, disp, "name", &field) || field.n == 0 || field.n > 128 ||
        !utf8_valid_text(field.p, field.n))
        return HTTP_PE_SYNTAX;
    if (++m->nparts > m->lim.max_parts) return HTTP_PE_TOO_MANY;
    m->field = field;
    m->is_file = header_param(m->a, disp, "filename", &fname);
    m->skip = false;
    m->size = 0;
    buf_reset(&m->value);
    if (m->is_file) {
        m->filename = sanitize_filename(m->a, fname);
        m->ctype = ctype.p ? (str){arena_strndup(m->a, ctype.p, ctype.n), ctype.n} : STR("");
        if (fname.n == 0) {
            m->skip = true; /* a file input left empty: browsers send an empty part */
            return HTTP_POK;
        }
        m->path =
            arena_printf(m->a, "%s/layan-upload-XXXXXX", m->lim.tmp_dir ? m->lim.tmp_dir : "/tmp");
        m->fd = mkstemp(m->path);
        if (m->fd < 0) return HTTP_PE_IO;
        fchmod(m->fd, 0600);
        if (m->nfiles == m->capu) {
            size_t cap = m->capu ? m->capu * 2 : 4;
            http_upload *nu = arena_alloc(m->a, cap * sizeof *nu);
            bool *nc = arena_alloc(m->a, cap * sizeof *nc);
            if (m->nfiles) {
                memcpy(nu, m->files, m->nfiles * sizeof *nu);
                memcpy(nc, m->claimed, m->nfiles * sizeof *nc);
            }
            m->files = nu;
            m->claimed = nc;
            m->capu = cap;
        }
        m->files[m->nfiles] = (http_upload){m->field, m->filename, m->ctype, m->path, 0};
        m->nfiles++;
    }
    return HTTP_POK;
}

static int part_data(http_mp *m, const char *p, size_t n)
{
    if (n == 0 || m->skip) return HTTP_POK;
    if (m->is_file) {
        if (m->size + n > m->lim.max_file_size) return HTTP_PE_TOO_LARGE;
        size_t off = 0;
        while (off < n) {
            ssize_t w = write(m->fd, p + off, n - off);
            if (w < 0) {
                if (errno == EINTR) continue;
                return HTTP_PE_IO;
            }
            off += (size_t)w;
        }
        m->size += n;
        m->files[m->nfiles - 1].size = m->size;
        return HTTP_POK;
    }
    return buf_put(&m->value, p, n) ? HTTP_PE_TOO_LONG : HTTP_POK;
}

static int end_part(http_mp *m)
{
    if (m->is_file) {
        if (m->fd >= 0) {
            if (close(m->fd) != 0) {
                m->fd = -1;
                return HTTP_PE_IO;
            }
            m->fd = -1;
        }
        return HTTP_POK;
    }
    str v = buf_str(&m->value);
    if (!utf8_valid_text(v.p, v.n)) return HTTP_PE_UTF8;
    if (m->nfields == m->capf) {
        size_t cap = m->capf ? m->capf * 2 : 8;
        http_kv *nf = arena_alloc(m->a, cap * sizeof *nf);
        if (m->nfields) memcpy(nf, m->fields, m->nfields * sizeof *nf);
        m->fields = nf;
        m->capf = cap;
    }
    m->fields[m->nfields].name = m->field;
    m->fields[m->nfields].value = (str){arena_strndup(m->a, v.p, v.n), v.n};
    m->nfields++;
    return HTTP_POK;
}

/* runs the state machine over the window until it needs more input */
static int step(http_mp *m)
{
    for (;;) {
        str w = buf_str(&m->w);
        switch (m->st) {
        case MP_PREAMBLE: {
            long at = str_find(w, (str){m->delim, m->dlen});
            if (at < 0) {
                if (w.n >= m->dlen) consume(m, w.n - (m->dlen - 1));
                return HTTP_POK;
            }
            consume(m, (size_t)at + m->dlen);
            m->st = MP_AFTER;
            break;
        }
        case MP_AFTER: {
            if (w.n < 2) return HTTP_POK;
            if (w.p[0] == '-' && w.p[1] == '-') {
                m->st = MP_DONE;
                break;
            }
            long crlf = str_find(w, STR("\r\n"));
            if (crlf < 0) return w.n > 80 ? HTTP_PE_SYNTAX : HTTP_POK;
            for (long k = 0; k < crlf; k++)
                if (w.p[k] != ' ' && w.p[k] != '\t') return HTTP_PE_SYNTAX;
            consume(m, (size_t)crlf + 2);
            m->st = MP_HEADERS;
            break;
        }
        case MP_HEADERS: {
            long end;
            size_t skip;
            if (w.n >= 2 && w.p[0] == '\r' && w.p[1] == '\n') {
                end = 0;
                skip = 2;
            } else {
                end = str_find(w, STR("\r\n\r\n"));
                skip = 4;
            }
            if (end < 0) return w.n > m->lim.max_header ? HTTP_PE_TOO_LONG : HTTP_POK;
            if ((size_t)end > m->lim.max_header) return HTTP_PE_TOO_LONG;
            int e = begin_part(m, (str){arena_strndup(m->a, w.p, (size_t)end), (size_t)end});
            if (e) return e;
            consume(m, (size_t)end + skip);
            m->st = MP_BODY;
            break;
        }
        case MP_BODY: {
            long at = str_find(w, (str){m->delim, m->dlen});
            if (at < 0) {
                if (w.n >= m->dlen) {
                    size_t emit = w.n - (m->dlen - 1);
                    int e = part_data(m, w.p, emit);
                    if (e) return e;
                    consume(m, emit);
                }
                return HTTP_POK;
            }
            int e = part_data(m, w.p, (size_t)at);
            if (!e) e = end_part(m);
            if (e) return e;
            consume(m, (size_t)at + m->dlen);
            m->st = MP_AFTER;
            break;
        }
        case MP_DONE: buf_reset(&m->w); return HTTP_POK;
        }
    }
}

int http_mp_feed(http_mp *m, const char *data, size_t n)
{
    if (m->err) return m->err;
    if (n > m->lim.max_total || m->total > m->lim.max_total - n) return m->err = HTTP_PE_TOO_LARGE;
    m->total += n;
    while (n) {
        size_t take = n < SLICE ? n : SLICE;
        if (m->st == MP_DONE) return HTTP_POK;
        if (buf_put(&m->w, data, take)) return m->err = HTTP_PE_TOO_LONG;
        data += take;
        n -= take;
        int e = step(m);
        if (e) return m->err = e;
    }
    return HTTP_POK;
}

int http_mp_finish(http_mp *m, http_kvs *fields, http_upload **files, size_t *nfiles)
{
    if (m->err) return m->err;
    if (m->st != MP_DONE) return m->err = HTTP_PE_SYNTAX;
    fields->items = m->fields;
    fields->n = m->nfields;
    *files = m->files;
    *nfiles = m->nfiles;
    return HTTP_POK;
}

void http_mp_claim(http_mp *m, size_t index)
{
    if (index < m->nfiles) m->claimed[index] = true;
}

void http_mp_cleanup(http_mp *m)
{
    if (!m) return;
    if (m->fd >= 0) close(m->fd);
    m->fd = -1;
    for (size_t i = 0; i < m->nfiles; i++)
        if (!m->claimed[i]) unlink(m->files[i].tmp_path);
    m->nfiles = 0;
    buf_free(&m->w);
    buf_free(&m->value);
}

/* apply files: the requirement uploads of an online request. The type comes from the content
 * (magic bytes), never from the file's name or the type the browser declared. Accepted files are
 * stored by their SHA-256 in the documents directory ([storage] documents, by default "dokumen"
 * beside the installation key; 0700, files 0600), so a retried submit stores nothing twice. A
 * file already there has its time renewed, as has a stored file a form carries again: the
 * daily clean-up (docstore.h) removes only unreferenced files older than 48 hours. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "features/app.h"
#include "features/requests/docstore.h"
#include "features/requests/web_apply.h"
#include "lib/crypto.h"

const char *apply_sniff(const char *path)
{
    unsigned char b[8] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    ssize_t n = read(fd, b, sizeof b);
    close(fd);
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "image/jpeg";
    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) return "image/png";
    if (n >= 5 && memcmp(b, "%PDF-", 5) == 0) return "application/pdf";
    return NULL;
}

bool apply_type_allowed(const char *file_types, const char *content_type)
{
    if (!content_type) return false;
    if (!file_types || !*file_types) return true;
    const char *want = strcmp(content_type, "image/jpeg") == 0  ? "jpg"
                       : strcmp(content_type, "image/png") == 0 ? "png"
                                                                : "pdf";
    size_t wn = strlen(want);
    for (const char *p = file_types; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && *p == ' ')
            p++, n--;
        if ((n == wn && strncmp(p, want, n) == 0) ||
            (n == 4 && strncmp(p, "jpeg", 4) == 0 && strcmp(want, "jpg") == 0))
            return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

/* the document store ([storage] documents, see docstore.h); `layan serve` made sure it exists */
static int doc_dir(http_req *rq, char *out, size_t cap)
{
    app *a = app_of(rq);
    docs_dir(a->cfg, out, cap);
    if (!out[0]) return -1;
    if (mkdir(out, 0700) != 0 && errno != EEXIST) return -1;
    return 0;
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    if (in < 0) return -1;
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) goto done;
    char b[65536];
    ssize_t n;
    while ((n = read(in, b, sizeof b)) > 0)
        if (write(out, b, (size_t)n) != n) goto done;
    if (n < 0 || fsync(out) != 0) goto done;
    rc = 0;
done:
    if (out >= 0 && close(out) != 0) rc = -1;
    close(in);
    return rc;
}

/* fsync of a file or (O_DIRECTORY) a directory by its path */
static int sync_path(const char *p, int flags)
{
    int fd = open(p, O_RDONLY | O_CLOEXEC | flags);
    if (fd < 0) return -1;
    int r = fsync(fd);
    close(fd);
    return r;
}

int apply_store_file(http_req *rq, const char *tmp_path, const char **storage_ref,
                     const char **sha256)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    int fd = open(tmp_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char b[65536];
    ssize_t n;
    while ((n = read(fd, b, sizeof b)) > 0)
        crypto_hash_sha256_update(&st, (const unsigned char *)b, (unsigned long long)n);
    close(fd);
    if (n < 0) return -1;
    crypto_hash_sha256_final(&st, h);
    char hex[2 * sizeof h + 1];
    cr_hex(h, sizeof h, hex);
    char dir[1100], path[1200], part[1210];
    if (doc_dir(rq, dir, sizeof dir)) return -1;
    snprintf(path, sizeof path, "%s/%s", dir, hex);
    struct stat sb;
    if (stat(path, &sb) == 0 && utimensat(AT_FDCWD, path, NULL, 0) == 0) {
        /* the same bytes again (perhaps an abandoned form's): young again, so the clean-up
         * leaves it to this form. Gone meanwhile (the clean-up was first): stored again below */
    } else {
        /* a rename within the file system, else a copy; through a temporary name so a half
         * written file never carries the hash's name. The bytes are on disk before the name,
         * and the name before the form is accepted (the directory is synced too) */
        if (sync_path(tmp_path, 0) != 0 || rename(tmp_path, path) != 0) {
            snprintf(part, sizeof part, "%s.part", path);
            if (copy_file(tmp_path, part) != 0 || rename(part, path) != 0) {
                unlink(part);
                return -1;
            }
        }
        if (sync_path(dir, O_DIRECTORY) != 0) return -1;
    }
    *sha256 = arena_strdup(rq->a, hex);
    *storage_ref = arena_printf(rq->a, "dokumen/%s", hex);
    return 0;
}

const char *apply_kind(const char *content_type)
{
    if (!content_type) return "";
    if (strcmp(content_type, "application/pdf") == 0) return "PDF";
    if (strcmp(content_type, "image/png") == 0) return "PNG";
    return "JPG";
}

int apply_stored_file(http_req *rq, const char *sha256, apply_file *out)
{
    memset(out, 0, sizeof *out);
    if (strlen(sha256) != 64) return -1;
    for (const char *p = sha256; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return -1;
    char dir[1100], path[1200];
    if (doc_dir(rq, dir, sizeof dir)) return -1;
    snprintf(path, sizeof path, "%s/%s", dir, sha256);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
        (size_t)sb.st_size > APPLY_FILE_MAX)
        return -1;
    const char *ct = apply_sniff(path);
    if (!ct) return -1;
    (void)utimensat(AT_FDCWD, path, NULL, 0); /* the form still uses it: see apply_store_file */
    out->content_type = ct;
    out->sha256 = arena_strdup(rq->a, sha256);
    out->storage_ref = arena_printf(rq->a, "dokumen/%s", sha256);
    out->size = (int64_t)sb.st_size;
    return 0;
}

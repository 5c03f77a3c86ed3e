/* docstore: the directory of uploaded documents, its start-up check, and the removal of orphaned
 * uploads (by `layan documents gc` and once a day by each server); see docstore.h. */
#include "features/requests/docstore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "features/app.h"
#include "lib/log.h"

#define REF_PREFIX "dokumen/"
#define REF_PREFIX_LEN 8

void docs_dir(const layan_config *cfg, char *out, size_t cap)
{
    out[0] = 0;
    if (cfg->documents_dir[0]) {
        size_t n = strlen(cfg->documents_dir);
        while (n > 1 && cfg->documents_dir[n - 1] == '/')
            n--;
        if (n < cap) snprintf(out, cap, "%.*s", (int)n, cfg->documents_dir);
        return;
    }
    char kp[1024];
    app_key_path(cfg, cfg->db_url, kp, sizeof kp);
    if (!kp[0]) return;
    const char *slash = strrchr(kp, '/');
    int w = slash ? snprintf(out, cap, "%.*s/dokumen", (int)(slash - kp), kp)
                  : snprintf(out, cap, "dokumen");
    if (w < 0 || (size_t)w >= cap) out[0] = 0;
}

bool docs_name_ok(const char *name)
{
    size_t i = 0;
    for (; name[i]; i++)
        if (i >= 64 || !((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
            return false;
    return i == 64;
}

int docs_path(const layan_config *cfg, const char *ref, char *out, size_t cap)
{
    if (!ref || strncmp(ref, REF_PREFIX, REF_PREFIX_LEN) != 0 ||
        !docs_name_ok(ref + REF_PREFIX_LEN))
        return -1;
    char dir[1024];
    docs_dir(cfg, dir, sizeof dir);
    if (!dir[0]) return -1;
    int w = snprintf(out, cap, "%s/%s", dir, ref + REF_PREFIX_LEN);
    return w < 0 || (size_t)w >= cap ? -1 : 0;
}

int docs_dir_check(const layan_config *cfg, char *err, size_t errlen)
{
    char dir[1024];
    docs_dir(cfg, dir, sizeof dir);
    if (!dir[0]) {
        snprintf(err, errlen,
                 "no directory for uploaded documents: set [storage] documents (or "
                 "[security] key_file, beside which it is by default)");
        return -1;
    }
    /* the parents first (0750, like the database's directory), then the store itself 0700 */
    char p[1024];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0750) != 0 && errno != EEXIST) {
                snprintf(err, errlen, "cannot create %s (for [storage] documents %s): %s", p, dir,
                         strerror(errno));
                return -1;
            }
            *s = '/';
        }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create the documents directory %s: %s", dir, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "the documents directory %s is not a directory", dir);
        return -1;
    }
    char probe[1100];
    snprintf(probe, sizeof probe, "%s/.layan-probe-%ld", dir, (long)getpid());
    int fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, "x", 1) != 1) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(probe);
        }
        snprintf(err, errlen,
                 "cannot write in the documents directory %s: %s (the server must be able to "
                 "store uploads there; with several nodes it is a shared mount)",
                 dir, strerror(e));
        return -1;
    }
    close(fd);
    unlink(probe);
    return 0;
}

/* ---- garbage collection ---- */

struct cand {
    char name[65];
    int64_t size;
};

typedef struct {
    char (*v)[65];
    size_t n, cap;
} name_set;

static int set_add(name_set *s, const char *name)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 256;
        void *nv = realloc(s->v, nc * sizeof *s->v);
        if (!nv) return -1;
        s->v = nv;
        s->cap = nc;
    }
    memcpy(s->v[s->n++], name, 65);
    return 0;
}

static int cmp65(const void *a, const void *b)
{
    return memcmp(a, b, 64);
}

/* a stored reference ("dokumen/<hex>") or a bare hash; anything else refers to no file here */
static int add_ref(name_set *s, str v)
{
    if (v.n == REF_PREFIX_LEN + 64 && memcmp(v.p, REF_PREFIX, REF_PREFIX_LEN) == 0) {
        v.p += REF_PREFIX_LEN;
        v.n -= REF_PREFIX_LEN;
    }
    if (v.n != 64) return 0;
    char name[65];
    memcpy(name, v.p, 64);
    name[64] = 0;
    return docs_name_ok(name) ? set_add(s, name) : 0;
}

/* every name a row refers to: a requirement document (its reference and its hash) and a
 * delivery photo */
static int load_refs(db *d, name_set *s, char *err, size_t errlen)
{
    static const char *const q[] = {
        "SELECT storage_ref FROM request_documents",
        "SELECT sha256 FROM request_documents",
        "SELECT photo_ref FROM deliveries WHERE photo_ref IS NOT NULL",
    };
    db_conn *c = db_acquire(d);
    if (!c) {
        snprintf(err, errlen, "cannot connect to the database");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < sizeof q / sizeof q[0] && rc == 0; i++) {
        db_stmt *st = db_prepare(c, q[i]);
        if (!st) {
            snprintf(err, errlen, "cannot read the stored references: %s", db_errmsg(c));
            rc = -1;
            break;
        }
        int r;
        while ((r = db_step(st)) == DB_ROW)
            if (add_ref(s, db_col_text(st, 0)) != 0) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
        if (rc == 0 && r != DB_DONE) {
            snprintf(err, errlen, "cannot read the stored references: %s", db_errmsg(c));
            rc = -1;
        }
        db_finish(st);
    }
    db_release(c);
    if (rc == 0 && s->n) qsort(s->v, s->n, sizeof *s->v, cmp65);
    return rc;
}

int docs_gc(db *d, const layan_config *cfg, int64_t now, int64_t older_than, bool dry_run,
            docs_gc_result *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    err[0] = 0;
    int have = db_schema_version(d), want = db_schema_latest();
    if (have != want) {
        if (have < 0) snprintf(err, errlen, "cannot read the database's schema version");
        else
            snprintf(err, errlen,
                     "the database is not at this program's schema (%d of %d): it may not be "
                     "the installation's database, so nothing is removed",
                     have, want);
        return -1;
    }
    char dir[1024];
    docs_dir(cfg, dir, sizeof dir);
    if (!dir[0]) {
        snprintf(err, errlen,
                 "no documents directory: set [storage] documents (or "
                 "[security] key_file, beside which it is by default)");
        return -1;
    }
    /* candidates first, references after: a row committed before the references are read is
     * seen; one committed later names a file renewed by its upload, so younger than any
     * threshold */
    DIR *dh = opendir(dir);
    if (!dh) {
        snprintf(err, errlen, "cannot open the documents directory %s: %s", dir, strerror(errno));
        return -1;
    }
    struct cand *cv = NULL;
    size_t cn = 0, ccap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (!docs_name_ok(e->d_name)) continue;
        struct stat sb;
        if (fstatat(dirfd(dh), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if ((int64_t)sb.st_mtime > now - older_than) {
            res->recent++;
            continue;
        }
        if (cn == ccap) {
            size_t nc = ccap ? ccap * 2 : 64;
            void *nv = realloc(cv, nc * sizeof *cv);
            if (!nv) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            cv = nv;
            ccap = nc;
        }
        memcpy(cv[cn].name, e->d_name, 65);
        cv[cn++].size = (int64_t)sb.st_size;
    }
    name_set refs = {0};
    if (rc == 0 && cn) rc = load_refs(d, &refs, err, errlen);
    for (size_t i = 0; rc == 0 && i < cn; i++) {
        if (refs.n && bsearch(cv[i].name, refs.v, refs.n, sizeof *refs.v, cmp65)) {
            res->referenced++;
            continue;
        }
        /* an upload of the same bytes may have renewed it since the listing */
        struct stat sb;
        if (fstatat(dirfd(dh), cv[i].name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
            continue; /* another node's run was first */
        if ((int64_t)sb.st_mtime > now - older_than) {
            res->recent++;
            continue;
        }
        if (!dry_run && unlinkat(dirfd(dh), cv[i].name, 0) != 0) {
            if (errno == ENOENT) continue; /* another node's run was first */
            if (!res->failed)
                snprintf(err, errlen, "cannot remove %s/%s: %s", dir, cv[i].name, strerror(errno));
            res->failed++;
            continue;
        }
        res->removed++;
        res->removed_bytes += cv[i].size;
    }
    if (rc == 0 && res->failed) rc = -1;
    closedir(dh);
    free(cv);
    free(refs.v);
    return rc;
}

/* ---- the server's daily run ---- */

#define GC_EVERY_S (24 * 3600)

struct docs_gc_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_bool stop;
    db *d;
    const layan_config *cfg;
};

static void *run(void *p)
{
    docs_gc_worker *w = p;
    pthread_mutex_lock(&w->mu);
    while (!atomic_load(&w->stop)) {
        pthread_mutex_unlock(&w->mu);
        docs_gc_result r;
        char err[512];
        if (docs_gc(w->d, w->cfg, (int64_t)time(NULL), (int64_t)DOCS_GC_DEFAULT_HOURS * 3600, false,
                    &r, err, sizeof err) != 0)
            LOGE("documents gc: %s (removed %lld file(s) before it; next try in 24 hours)", err,
                 (long long)r.removed);
        else if (r.removed)
            LOGI("documents gc: removed %lld orphaned upload(s), %lld bytes", (long long)r.removed,
                 (long long)r.removed_bytes);
        pthread_mutex_lock(&w->mu);
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += GC_EVERY_S;
        int wr = 0; /* spurious wake-ups wait on; a stop or the deadline ends the wait */
        while (!atomic_load(&w->stop) && wr != ETIMEDOUT)
            wr = pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

docs_gc_worker *docs_gc_worker_start(db *d, const layan_config *cfg)
{
    docs_gc_worker *w = calloc(1, sizeof *w);
    if (!w) abort();
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&w->stop, false);
    w->d = d;
    w->cfg = cfg;
    if (pthread_create(&w->th, NULL, run, w) != 0) {
        LOGE("documents gc: cannot start its thread; run `layan documents gc` from cron instead");
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    return w;
}

void docs_gc_worker_stop(docs_gc_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    atomic_store(&w->stop, true);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

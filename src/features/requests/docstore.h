/* docstore: where the requirement uploads and the couriers' delivery photos live on disk, and
 * the removal of the ones no row refers to (orphans of abandoned forms: scans of identity
 * documents, personal data that must not stay forever).
 *
 * Files are named by their SHA-256 (64 lowercase hex) in one directory: [storage] documents, or
 * "dokumen" beside the installation key. Rows store the reference "dokumen/<sha256>", relative,
 * so moving the directory is a configuration change. With several nodes the directory must be
 * one shared file system (NFS, CephFS) mounted on every node. See docs/configuration.md. */
#ifndef LAYAN_DOCSTORE_H
#define LAYAN_DOCSTORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "lib/config.h"

/* how old an unreferenced upload must be before it is removed: a form in progress keeps its
 * files (an upload, or a submit that reuses a stored file, renews the file's time) */
#define DOCS_GC_DEFAULT_HOURS 48

/* the directory: [storage] documents, else "dokumen" beside the installation key; "" when
 * neither gives one (PostgreSQL without key_file) */
void docs_dir(const layan_config *cfg, char *out, size_t cap);
/* creates the directory (and its parents; the last one 0700) and proves it writable by creating
 * and removing a probe file. 0, or -1 with what is wrong in err */
int docs_dir_check(const layan_config *cfg, char *err, size_t errlen);
/* true for exactly 64 lowercase hex digits: the only names the store writes or removes */
bool docs_name_ok(const char *name);
/* the file of a stored reference "dokumen/<64 hex>"; -1 for anything else */
int docs_path(const layan_config *cfg, const char *ref, char *out, size_t cap);

typedef struct {
    int64_t removed, removed_bytes; /* removed, or that would be with dry_run */
    int64_t referenced, recent;     /* kept: a row refers to it / newer than the threshold */
    int64_t failed;                 /* could not be removed (err names the first) */
} docs_gc_result;

/* removes the files of the directory whose name is 64 hex, that no row refers to
 * (request_documents, deliveries.photo_ref) and whose mtime is older than now - older_than
 * seconds (now is the real clock: mtimes are). Other names, links and directories are never
 * touched; a file another node removed first is not an error. Refuses a database that is not at
 * this program's schema (the wrong database would make every file look orphaned).
 * 0, or -1 with err (a partial run fills res with what was done). */
int docs_gc(db *d, const layan_config *cfg, int64_t now, int64_t older_than, bool dry_run,
            docs_gc_result *res, char *err, size_t errlen);

/* the server's daily run: at start, then every 24 hours, with the default threshold */
typedef struct docs_gc_worker docs_gc_worker;
docs_gc_worker *docs_gc_worker_start(db *d, const layan_config *cfg);
void docs_gc_worker_stop(docs_gc_worker *w);

#endif

/* audit: the append-only, hash-chained audit log. Every entry carries the hash of the entry
 * before it; audit_head holds the newest hash, so removing the newest entries is detected too.
 * See docs/internals/audit.md. */
#ifndef LAYAN_AUDIT_H
#define LAYAN_AUDIT_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* appends one entry (object and detail may be NULL). Inside the caller's transaction when
 * there is one, so the entry commits or rolls back with what it records; otherwise in its own.
 * Appenders are serialised by a row lock on audit_head. */
int audit_append(db_conn *c, int64_t now, const char *actor, const char *action, const char *object,
                 const char *detail);

/* walks the whole log: 0 intact, 1 broken (first_bad_id and why say where and what), or a
 * negative DB error. Entries written before the chain existed (a leading run without hashes)
 * are counted in *legacy and not verified. */
int audit_verify(db *d, int64_t *checked, int64_t *legacy, int64_t *first_bad_id, char *why,
                 size_t whylen);

#endif

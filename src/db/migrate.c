/* migrate: applies the numbered migrations embedded in the binary (migrations.h), each version in
 * one transaction, recorded in schema_migrations(version, name, applied_at).
 *
 * For version N the portable file NNNN_name.sql runs first, then this engine's
 * NNNN_name.<engine>.sql if there is one; other engines' files are skipped. Before running, a
 * file's {{macro}}s are expanded with the driver's table (driver.h): {{id_pk}} is a generated
 * 64-bit key, which no single spelling gives on both engines. The version is re-read inside each
 * transaction, so two processes migrating at once do not apply a file twice; where the engine
 * lets two writers run at once (PostgreSQL) the driver's migrate_lock_sql (an advisory lock)
 * makes the second wait for the first. A database with a version newer than this program is
 * refused (DB_ENEWER). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/driver.h"
#include "db/migrations.h"
#include "lib/str.h"

/* NNNN of NNNN_name...sql, or 0 when the file name is not of that shape */
static int mig_version(const char *file)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (file[i] < '0' || file[i] > '9') return 0;
        v = v * 10 + (file[i] - '0');
    }
    return file[4] == '_' ? v : 0;
}

/* the engine suffix of NNNN_name.<engine>.sql, or an empty slice for a portable file */
static str mig_engine(const char *file)
{
    size_t n = strlen(file);
    if (n < 4 || strcmp(file + n - 4, ".sql") != 0) return STR_NULL;
    const char *end = file + n - 4, *dot = NULL;
    for (const char *p = file; p < end; p++)
        if (*p == '.') dot = p;
    if (!dot) return (str){end, 0};
    return (str){dot + 1, (size_t)(end - dot - 1)};
}

int db_schema_latest(void)
{
    int v = 0;
    for (int i = 0; i < db_nmigrations; i++)
        if (mig_version(db_migrations[i].file) > v) v = mig_version(db_migrations[i].file);
    return v;
}

static int current(db_conn *c)
{
    db_stmt *s = db_prepare(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!s) return -1;
    int v = db_step(s) == DB_ROW ? (int)db_col_int(s, 0) : -1;
    db_finish(s);
    return v;
}

int db_schema_version(db *d)
{
    db_conn *c = db_acquire(d);
    if (!c) return -1;
    int has = c->drv->has_table(c, "schema_migrations");
    int v = has < 0 ? -1 : has == 0 ? 0 : current(c);
    db_release(c);
    return v;
}

/* sql with {{name}} replaced from the driver's macro table; NULL (and err) on an unknown one */
static char *expand(const struct db_driver *drv, const char *file, const char *sql, char *err,
                    size_t errlen)
{
    buf b;
    buf_init(&b, 16u << 20);
    const char *p = sql;
    for (;;) {
        const char *open = strstr(p, "{{");
        if (!open) {
            buf_puts(&b, p);
            break;
        }
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            snprintf(err, errlen, "migration %s: unterminated {{", file);
            buf_free(&b);
            return NULL;
        }
        buf_put(&b, p, (size_t)(open - p));
        str name = {open + 2, (size_t)(close - open - 2)};
        const struct db_sql_macro *m = drv->macros;
        while (m && m->name && !str_eq_c(name, m->name))
            m++;
        if (!m || !m->name) {
            snprintf(err, errlen, "migration %s: unknown macro {{%.*s}} for %s", file,
                     (int)(name.n > 40 ? 40 : name.n), name.p, drv->name);
            buf_free(&b);
            return NULL;
        }
        buf_puts(&b, m->sql);
        p = close + 2;
    }
    if (b.overflow) {
        snprintf(err, errlen, "migration %s is too large", file);
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b, NULL);
}

/* runs the files of version v (portable first, then this engine's); the name of the first */
static int apply(db_conn *c, const char *engine, int v, const char **name, char *err, size_t errlen)
{
    *name = NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < db_nmigrations; i++) {
            const struct db_migration *m = &db_migrations[i];
            if (mig_version(m->file) != v) continue;
            str e = mig_engine(m->file);
            if (pass == 0 ? e.n != 0 : !str_eq_c(e, engine)) continue;
            if (!*name) *name = m->file;
            char *sql = expand(c->drv, m->file, m->sql, err, errlen);
            if (!sql) return DB_ERR;
            int rc = db_exec(c, sql);
            free(sql);
            if (rc != DB_OK) {
                snprintf(err, errlen, "migration %s failed: %s", m->file, db_errmsg(c));
                return rc;
            }
        }
    }
    /* a version may hold only another engine's file (a PostgreSQL-only index, say): it is
     * recorded here all the same, so the numbers stay in step across engines */
    for (int i = 0; i < db_nmigrations && !*name; i++)
        if (mig_version(db_migrations[i].file) == v) *name = db_migrations[i].file;
    if (!*name) {
        snprintf(err, errlen, "no migration file for version %d", v);
        return DB_ERR;
    }
    return DB_OK;
}

static int record(db_conn *c, int v, const char *name)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    db_stmt *s = db_prepare(c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                               "($1, $2, $3)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, v);
    db_bind_cstr(s, 2, name);
    db_bind_cstr(s, 3, now);
    int r = db_step(s);
    db_finish(s);
    return r == DB_DONE ? DB_OK : r;
}

static int newer(char *err, size_t errlen, int have, int latest)
{
    snprintf(err, errlen,
             "the database has schema version %d but this program knows only up to %d; upgrade "
             "layan",
             have, latest);
    return DB_ENEWER;
}

/* a write transaction holding the engine's migration lock */
static int begin_locked(db_conn *c, char *err, size_t errlen)
{
    int rc = db_begin(c);
    if (rc == DB_OK && c->drv->migrate_lock_sql) {
        rc = db_exec(c, c->drv->migrate_lock_sql);
        if (rc != DB_OK) db_rollback(c);
    }
    if (rc != DB_OK) snprintf(err, errlen, "cannot start a transaction: %s", db_errmsg(c));
    return rc;
}

int db_migrate(db *d, char *err, size_t errlen)
{
    if (errlen) err[0] = 0;
    db_conn *c = db_acquire(d);
    if (!c) {
        snprintf(err, errlen, "cannot connect to the database");
        return DB_EUNAVAIL;
    }
    int latest = db_schema_latest();
    /* under the lock too: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a
     * concurrent one (both may pass the check) */
    int rc = begin_locked(c, err, errlen);
    if (rc != DB_OK) goto out;
    rc = db_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY "
                    "KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    if (rc == DB_OK) rc = db_commit(c);
    if (rc != DB_OK) {
        snprintf(err, errlen, "cannot create schema_migrations: %s", db_errmsg(c));
        db_rollback(c);
        goto out;
    }
    for (;;) {
        if ((rc = begin_locked(c, err, errlen)) != DB_OK) break;
        int have = current(c);
        if (have < 0) {
            snprintf(err, errlen, "cannot read the schema version: %s", db_errmsg(c));
            rc = DB_ERR;
        } else if (have > latest) {
            rc = newer(err, errlen, have, latest);
        } else if (have == latest) {
            rc = db_commit(c);
            break;
        } else {
            const char *name;
            rc = apply(c, c->drv->name, have + 1, &name, err, errlen);
            if (rc == DB_OK && (rc = record(c, have + 1, name)) != DB_OK)
                snprintf(err, errlen, "cannot record migration %d: %s", have + 1, db_errmsg(c));
            if (rc == DB_OK && (rc = db_commit(c)) != DB_OK)
                snprintf(err, errlen, "migration %d: commit failed: %s", have + 1, db_errmsg(c));
        }
        if (rc != DB_OK) {
            db_rollback(c);
            break;
        }
    }
out:
    db_release(c);
    return rc;
}

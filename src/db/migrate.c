/* migrate: applies the numbered migrations in order, each in one transaction, and records
 * them in schema_migrations. For migration N the portable file (NNNN_name.sql) runs first,
 * then the file for this engine (NNNN_name.<engine>.sql) if there is one; other engines'
 * files are skipped. A database with a migration newer than this program is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/driver.h"
#include "db/migrations.h"

static int mig_version(const char *file)
{
    int v = 0;
    for (int i = 0; i < 4 && file[i] >= '0' && file[i] <= '9'; i++)
        v = v * 10 + (file[i] - '0');
    return v;
}

/* does this file belong to the engine? NNNN_name.sql is portable; NNNN_name.<e>.sql is e's */
static bool for_engine(const char *file, const char *engine)
{
    const char *ext = strstr(file, ".sql");
    const char *dot = NULL;
    for (const char *p = file; p < ext; p++)
        if (*p == '.') dot = p;
    if (!dot) return true;
    return (size_t)(ext - dot - 1) == strlen(engine) &&
           strncmp(dot + 1, engine, strlen(engine)) == 0;
}

int db_schema_latest(void)
{
    int v = 0;
    for (int i = 0; i < db_nmigrations; i++)
        if (mig_version(db_migrations[i].file) > v) v = mig_version(db_migrations[i].file);
    return v;
}

static int ensure_table(db_conn *c)
{
    return db_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                      "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
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
    int v = 0;
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                               "name = 'schema_migrations'");
    if (s && db_step(s) == DB_ROW && db_col_int(s, 0) == 1) {
        db_finish(s);
        v = current(c);
    } else if (s) {
        db_finish(s);
    }
    db_release(c);
    return v;
}

int db_migrate(db *d, char *err, size_t errlen)
{
    db_conn *c = db_acquire(d);
    if (!c) {
        snprintf(err, errlen, "cannot connect to the database");
        return DB_EUNAVAIL;
    }
    int rc = ensure_table(c);
    int have = rc == DB_OK ? current(c) : -1;
    if (have < 0) {
        snprintf(err, errlen, "cannot read the schema version: %s", db_errmsg(c));
        db_release(c);
        return DB_ERR;
    }
    int latest = db_schema_latest();
    if (have > latest) {
        snprintf(err, errlen,
                 "the database has schema version %d but this program knows only up to %d; "
                 "upgrade layan",
                 have, latest);
        db_release(c);
        return DB_ENEWER;
    }
    const char *engine = db_engine(d);
    for (int v = have + 1; v <= latest; v++) {
        if ((rc = db_begin(c)) != DB_OK) break;
        const char *name = NULL;
        for (int i = 0; i < db_nmigrations && rc == DB_OK; i++) {
            const struct db_migration *m = &db_migrations[i];
            if (mig_version(m->file) != v || !for_engine(m->file, engine)) continue;
            if (!name) name = m->file;
            rc = db_exec(c, m->sql);
            if (rc != DB_OK)
                snprintf(err, errlen, "migration %s failed: %s", m->file, db_errmsg(c));
        }
        if (rc == DB_OK) {
            db_stmt *s = db_prepare(c, "INSERT INTO schema_migrations (version, name, applied_at) "
                                       "VALUES ($1, $2, $3)");
            char now[32];
            time_t t = time(NULL);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
            if (!s) rc = DB_ERR;
            else {
                db_bind_int(s, 1, v);
                db_bind_cstr(s, 2, name ? name : "");
                db_bind_cstr(s, 3, now);
                rc = db_step(s) == DB_DONE ? DB_OK : DB_ERR;
                db_finish(s);
            }
            if (rc == DB_OK) rc = db_commit(c);
        }
        if (rc != DB_OK) {
            if (!err[0]) snprintf(err, errlen, "migration %d failed: %s", v, db_errmsg(c));
            db_rollback(c);
            break;
        }
    }
    db_release(c);
    return rc;
}

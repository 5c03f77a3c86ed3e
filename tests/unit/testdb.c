/* testdb: a fresh database per test on SQLite or PostgreSQL (see testdb.h). */
#include "testdb.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DBS 64

static char created[MAX_DBS][64];
static int ncreated;

bool testdb_pg(void)
{
    const char *u = getenv("LAYAN_TEST_DB");
    return u && *u;
}

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static PGconn *maintenance(void)
{
    PGconn *h = PQconnectdb(getenv("LAYAN_TEST_DB"));
    if (PQstatus(h) != CONNECTION_OK) {
        fprintf(stderr, "testdb: cannot connect to LAYAN_TEST_DB: %s", PQerrorMessage(h));
        PQfinish(h);
        return NULL;
    }
    PQsetNoticeProcessor(h, quiet, NULL);
    return h;
}

static bool run(PGconn *h, const char *sql)
{
    PGresult *r = PQexec(h, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) fprintf(stderr, "testdb: %s: %s", sql, PQerrorMessage(h));
    PQclear(r);
    return ok;
}

const char *testdb_new(const char *dir, const char *name, char *out, size_t cap)
{
    if (!testdb_pg()) {
        snprintf(out, cap, "sqlite:%s/%s.db", dir, name);
        return out;
    }
    if (ncreated == MAX_DBS) {
        fprintf(stderr, "testdb: more than %d databases\n", MAX_DBS);
        return NULL;
    }
    static unsigned seq;
    char db[64];
    int n = snprintf(db, sizeof db, "t_%ld_%u_", (long)getpid(), ++seq);
    /* NAME, kept to what needs no quoting */
    for (const char *p = name; *p && n < 60; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') db[n++] = *p;
    db[n] = 0;
    PGconn *h = maintenance();
    if (!h) return NULL;
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db);
    bool ok = run(h, sql);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
    ok = ok && run(h, sql);
    if (ok) {
        const char *host = PQhost(h), *port = PQport(h), *user = PQuser(h);
        snprintf(out, cap, "postgresql://%s@/%s?host=%s&port=%s", user, db, host, port);
        snprintf(created[ncreated++], sizeof created[0], "%s", db);
    }
    PQfinish(h);
    return ok ? out : NULL;
}

void testdb_cleanup(void)
{
    if (!testdb_pg() || !ncreated) return;
    PGconn *h = maintenance();
    if (!h) return;
    for (int i = 0; i < ncreated; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", created[i]);
        run(h, sql);
    }
    ncreated = 0;
    PQfinish(h);
}

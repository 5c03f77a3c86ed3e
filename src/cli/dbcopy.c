/* cli/dbcopy: `layan db copy --from URL --to URL`: moves an installation from one database to
 * another (SQLite to PostgreSQL when an office joins a shared data centre; the other way works
 * too). The target is migrated to the source's schema version and must hold no data. Tables are
 * found in the source's catalog and copied generically, column by column with the declared
 * type, parents before children (foreign keys); a column referencing its own table (units.
 * parent_id) is filled in a second pass. Each batch of rows is one transaction on the target.
 * At the end the row counts are compared table by table and PostgreSQL identity sequences are
 * moved past the copied ids. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "db/db.h"
#include "lib/str.h"

#define MAX_TABLES 128
#define MAX_COLS 64
#define NAME_MAX_LEN 64
#define BATCH 5000

/* rows a migration inserts itself: the target's are replaced by the source's */
static const char *const seeded[] = {"audit_head", NULL};

enum kind { K_INT, K_DOUBLE, K_TEXT, K_BLOB };

struct table {
    char name[NAME_MAX_LEN];
    char deps[8][NAME_MAX_LEN]; /* tables it references (not itself) */
    int ndeps;
    char self[4][NAME_MAX_LEN]; /* its columns that reference itself */
    int nself;
    int64_t rows, copied;
    bool done;
};

struct copy {
    db *from, *to;
    db_conn *fc, *tc;
    bool pg_from, pg_to, tty;
    struct table t[MAX_TABLES];
    int n;
    int64_t total, moved;
    char err[512];
};

static void help(void)
{
    printf("Usage: layan db copy --from URL --to URL\n\n"
           "Copies every table of the database FROM into the empty database TO: for moving an\n"
           "office from SQLite to PostgreSQL (or back). TO is migrated to the same schema\n"
           "version first; a TO that holds any data is refused. FROM must be at the schema\n"
           "version of this layan (run `layan init --db FROM` first if it is older). Stop\n"
           "`layan serve` on FROM while copying. Row counts are verified table by table.\n\n"
           "  --from URL   the database to copy, e.g. sqlite:var/layan.db\n"
           "  --to URL     the new database, e.g. postgresql://layan@db1/layan\n\n"
           "Personal data stays encrypted with the installation key: after the copy, give every\n"
           "node the same key file ([security] key_file).\n");
}

static bool is_seeded(const char *name)
{
    for (const char *const *p = seeded; *p; p++)
        if (strcmp(*p, name) == 0) return true;
    return false;
}

static bool plain_name(str s)
{
    if (s.n == 0 || s.n >= NAME_MAX_LEN) return false;
    for (size_t i = 0; i < s.n; i++) {
        char ch = s.p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
    }
    return true;
}

static int fail_db(struct copy *cp, db_conn *c, const char *what)
{
    snprintf(cp->err, sizeof cp->err, "%.63s: %.400s", what, db_errmsg(c));
    return -1;
}

/* the tables of a database, without schema_migrations and engine internals */
static int list_tables(db_conn *c, bool pg, char names[][NAME_MAX_LEN], int *n, char *err,
                       size_t errlen)
{
    const char *sql =
        pg ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
             "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
           : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
             "ESCAPE '\\' ORDER BY name";
    db_stmt *s = db_prepare(c, sql);
    if (!s) {
        snprintf(err, errlen, "cannot list the tables: %s", db_errmsg(c));
        return -1;
    }
    *n = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        str name = db_col_text(s, 0);
        if (str_eq_c(name, "schema_migrations")) continue;
        if (!plain_name(name) || *n == MAX_TABLES) {
            snprintf(err, errlen, "unexpected table '%.*s'", (int)(name.n > 64 ? 64 : name.n),
                     name.p);
            db_finish(s);
            return -1;
        }
        snprintf(names[(*n)++], NAME_MAX_LEN, "%.*s", (int)name.n, name.p);
    }
    db_finish(s);
    if (r != DB_DONE) {
        snprintf(err, errlen, "cannot list the tables: %s", db_errmsg(c));
        return -1;
    }
    return 0;
}

static int64_t count_rows(db_conn *c, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%.63s\"", table);
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_finish(s);
    return n;
}

/* foreign keys of a table in the source: the tables it references, and its columns that
 * reference itself */
static int load_fks(struct copy *cp, struct table *t)
{
    const char *sql =
        cp->pg_from
            ? "SELECT cf.relname, a.attname FROM pg_constraint k "
              "JOIN pg_class cs ON cs.oid = k.conrelid JOIN pg_class cf ON cf.oid = k.confrelid "
              "JOIN pg_namespace ns ON ns.oid = cs.relnamespace "
              "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
              "WHERE k.contype = 'f' AND cs.relname = $1 AND ns.nspname = current_schema()"
            : "SELECT \"table\", \"from\" FROM pragma_foreign_key_list($1)";
    db_stmt *s = db_prepare(cp->fc, sql);
    if (!s) return fail_db(cp, cp->fc, "cannot read the foreign keys");
    db_bind_cstr(s, 1, t->name);
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        str ref = db_col_text(s, 0), col = db_col_text(s, 1);
        if (!plain_name(ref) || !plain_name(col)) continue;
        if (str_eq_c(ref, t->name)) {
            if (t->nself < 4)
                snprintf(t->self[t->nself++], NAME_MAX_LEN, "%.*s", (int)col.n, col.p);
        } else if (t->ndeps < 8) {
            snprintf(t->deps[t->ndeps++], NAME_MAX_LEN, "%.*s", (int)ref.n, ref.p);
        } else {
            db_finish(s);
            snprintf(cp->err, sizeof cp->err, "table %.63s has too many foreign keys", t->name);
            return -1;
        }
    }
    db_finish(s);
    return r == DB_DONE ? 0 : fail_db(cp, cp->fc, "cannot read the foreign keys");
}

/* puts the tables in an order where every table comes after those it references */
static int fk_order(struct copy *cp)
{
    struct table sorted[MAX_TABLES];
    int k = 0;
    while (k < cp->n) {
        bool progress = false;
        for (int i = 0; i < cp->n; i++) {
            struct table *t = &cp->t[i];
            if (t->done) continue;
            bool ready = true;
            for (int d = 0; d < t->ndeps && ready; d++)
                for (int j = 0; j < cp->n; j++)
                    if (strcmp(cp->t[j].name, t->deps[d]) == 0 && !cp->t[j].done) ready = false;
            if (!ready) continue;
            t->done = true;
            sorted[k++] = *t;
            progress = true;
        }
        if (!progress) {
            snprintf(cp->err, sizeof cp->err, "the foreign keys between tables form a cycle");
            return -1;
        }
    }
    for (int i = 0; i < cp->n; i++) {
        cp->t[i] = sorted[i];
        cp->t[i].done = false;
    }
    return 0;
}

struct cols {
    char name[MAX_COLS][NAME_MAX_LEN];
    enum kind kind[MAX_COLS];
    int n;
};

static enum kind kind_of(str type)
{
    char up[32];
    size_t n = type.n < sizeof up - 1 ? type.n : sizeof up - 1;
    for (size_t i = 0; i < n; i++)
        up[i] = (char)(type.p[i] >= 'a' && type.p[i] <= 'z' ? type.p[i] - 32 : type.p[i]);
    up[n] = 0;
    if (strstr(up, "INT")) return K_INT;
    if (strstr(up, "DOUB") || strstr(up, "REAL") || strstr(up, "FLOA")) return K_DOUBLE;
    if (strstr(up, "BLOB") || strstr(up, "BYTEA")) return K_BLOB;
    return K_TEXT;
}

static int load_cols(struct copy *cp, const char *table, struct cols *c)
{
    const char *sql = cp->pg_from
                          ? "SELECT column_name, data_type FROM information_schema.columns WHERE "
                            "table_schema = current_schema() AND table_name = $1 ORDER BY "
                            "ordinal_position"
                          : "SELECT name, type FROM pragma_table_info($1) ORDER BY cid";
    db_stmt *s = db_prepare(cp->fc, sql);
    if (!s) return fail_db(cp, cp->fc, "cannot read the columns");
    db_bind_cstr(s, 1, table);
    c->n = 0;
    int r;
    while ((r = db_step(s)) == DB_ROW) {
        str name = db_col_text(s, 0);
        if (!plain_name(name) || c->n == MAX_COLS) {
            db_finish(s);
            snprintf(cp->err, sizeof cp->err, "table %.63s: unexpected column", table);
            return -1;
        }
        snprintf(c->name[c->n], NAME_MAX_LEN, "%.*s", (int)name.n, name.p);
        c->kind[c->n++] = kind_of(db_col_text(s, 1));
    }
    db_finish(s);
    if (r != DB_DONE) return fail_db(cp, cp->fc, "cannot read the columns");
    if (c->n == 0) {
        snprintf(cp->err, sizeof cp->err, "table %s has no columns", table);
        return -1;
    }
    return 0;
}

static bool is_self(const struct table *t, const char *col)
{
    for (int i = 0; i < t->nself; i++)
        if (strcmp(t->self[i], col) == 0) return true;
    return false;
}

static void progress(struct copy *cp, const char *table)
{
    if (cp->tty) cli_progress(table, (long)cp->moved, (long)cp->total);
}

static int bind_value(db_stmt *from, int col, enum kind k, db_stmt *to, int idx)
{
    if (db_col_is_null(from, col)) return db_bind_null(to, idx);
    switch (k) {
    case K_INT: return db_bind_int(to, idx, db_col_int(from, col));
    case K_DOUBLE: return db_bind_double(to, idx, db_col_double(from, col));
    case K_BLOB: {
        size_t n;
        const void *p = db_col_blob(from, col, &n);
        return db_bind_blob(to, idx, p, n);
    }
    case K_TEXT: break;
    }
    return db_bind_text(to, idx, db_col_text(from, col));
}

/* one table: batches of rows, self references afterwards */
static int copy_table(struct copy *cp, struct table *t)
{
    struct cols c;
    if (load_cols(cp, t->name, &c) != 0) return -1;
    buf sel, ins;
    buf_init(&sel, 8192);
    buf_init(&ins, 8192);
    buf_puts(&sel, "SELECT ");
    buf_printf(&ins, "INSERT INTO \"%s\" (", t->name);
    for (int i = 0; i < c.n; i++) {
        buf_printf(&sel, "%s\"%s\"", i ? ", " : "", c.name[i]);
        buf_printf(&ins, "%s\"%s\"", i ? ", " : "", c.name[i]);
    }
    buf_printf(&sel, " FROM \"%s\" ORDER BY 1", t->name);
    buf_puts(&ins, ") VALUES (");
    for (int i = 0; i < c.n; i++)
        buf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
    buf_puts(&ins, ")");
    char *sel_sql = buf_steal(&sel, NULL), *ins_sql = buf_steal(&ins, NULL);
    int rc = -1;
    bool in_tx = false;
    db_stmt *s = db_prepare(cp->fc, sel_sql);
    if (!s) {
        fail_db(cp, cp->fc, t->name);
        goto out;
    }
    if (db_begin(cp->tc) != DB_OK) {
        fail_db(cp, cp->tc, t->name);
        goto out;
    }
    in_tx = true;
    if (is_seeded(t->name)) {
        char del[128];
        snprintf(del, sizeof del, "DELETE FROM \"%.63s\"", t->name);
        if (db_exec(cp->tc, del) != DB_OK) {
            fail_db(cp, cp->tc, t->name);
            goto out;
        }
    }
    int r;
    long in_batch = 0;
    while ((r = db_step(s)) == DB_ROW) {
        db_stmt *w = db_prepare(cp->tc, ins_sql);
        if (!w) {
            fail_db(cp, cp->tc, t->name);
            goto out;
        }
        int b = DB_OK;
        for (int i = 0; i < c.n && b == DB_OK; i++)
            b = is_self(t, c.name[i]) ? db_bind_null(w, i + 1)
                                      : bind_value(s, i, c.kind[i], w, i + 1);
        int wr = b == DB_OK ? db_step(w) : b;
        db_finish(w);
        if (wr != DB_DONE) {
            fail_db(cp, cp->tc, t->name);
            goto out;
        }
        t->copied++;
        cp->moved++;
        if (++in_batch == BATCH) {
            if (db_commit(cp->tc) != DB_OK || db_begin(cp->tc) != DB_OK) {
                fail_db(cp, cp->tc, t->name);
                goto out;
            }
            in_batch = 0;
            progress(cp, t->name);
        }
    }
    if (r != DB_DONE) {
        fail_db(cp, cp->fc, t->name);
        goto out;
    }
    db_finish(s);
    s = NULL;
    /* second pass: the references to rows of the same table, now that all of them are there */
    for (int k = 0; k < t->nself; k++) {
        char q[256], u[256];
        snprintf(q, sizeof q, "SELECT id, \"%.63s\" FROM \"%.63s\" WHERE \"%.63s\" IS NOT NULL",
                 t->self[k], t->name, t->self[k]);
        snprintf(u, sizeof u, "UPDATE \"%.63s\" SET \"%.63s\" = $1 WHERE id = $2", t->name,
                 t->self[k]);
        s = db_prepare(cp->fc, q);
        if (!s) {
            fail_db(cp, cp->fc, t->name);
            goto out;
        }
        while ((r = db_step(s)) == DB_ROW) {
            db_stmt *w = db_prepare(cp->tc, u);
            if (!w) {
                fail_db(cp, cp->tc, t->name);
                goto out;
            }
            db_bind_int(w, 1, db_col_int(s, 1));
            db_bind_int(w, 2, db_col_int(s, 0));
            int wr = db_step(w);
            db_finish(w);
            if (wr != DB_DONE) {
                fail_db(cp, cp->tc, t->name);
                goto out;
            }
        }
        if (r != DB_DONE) {
            fail_db(cp, cp->fc, t->name);
            goto out;
        }
        db_finish(s);
        s = NULL;
    }
    if (db_commit(cp->tc) != DB_OK) {
        fail_db(cp, cp->tc, t->name);
        goto out;
    }
    in_tx = false;
    rc = 0;
out:
    db_finish(s);
    if (in_tx) db_rollback(cp->tc);
    free(sel_sql);
    free(ins_sql);
    return rc;
}

/* PostgreSQL: identity columns continue after the copied ids */
static int reset_identities(struct copy *cp)
{
    db_stmt *s =
        db_prepare(cp->tc, "SELECT table_name, column_name FROM information_schema.columns "
                           "WHERE table_schema = current_schema() AND is_identity = 'YES'");
    if (!s) return fail_db(cp, cp->tc, "cannot list the identity columns");
    char todo[MAX_TABLES][2][NAME_MAX_LEN];
    int n = 0, r;
    while ((r = db_step(s)) == DB_ROW && n < MAX_TABLES) {
        str t = db_col_text(s, 0), c = db_col_text(s, 1);
        if (!plain_name(t) || !plain_name(c)) continue;
        snprintf(todo[n][0], NAME_MAX_LEN, "%.*s", (int)t.n, t.p);
        snprintf(todo[n][1], NAME_MAX_LEN, "%.*s", (int)c.n, c.p);
        n++;
    }
    db_finish(s);
    for (int i = 0; i < n; i++) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "SELECT setval(pg_get_serial_sequence('\"%.63s\"', '%.63s'), "
                 "COALESCE(MAX(\"%.63s\"), 0) + 1, false) FROM \"%.63s\"",
                 todo[i][0], todo[i][1], todo[i][1], todo[i][0]);
        if (db_exec(cp->tc, sql) != DB_OK) return fail_db(cp, cp->tc, todo[i][0]);
    }
    return 0;
}

/* refuses a target with data in it (before and after migrating it) */
static int check_empty(struct copy *cp)
{
    char names[MAX_TABLES][NAME_MAX_LEN];
    int n;
    if (list_tables(cp->tc, cp->pg_to, names, &n, cp->err, sizeof cp->err) != 0) return -1;
    for (int i = 0; i < n; i++) {
        if (is_seeded(names[i])) continue;
        int64_t rows = count_rows(cp->tc, names[i]);
        if (rows < 0) return fail_db(cp, cp->tc, names[i]);
        if (rows > 0) {
            snprintf(cp->err, sizeof cp->err,
                     "the target is not empty (table %.63s has %lld rows); copy only into a new, "
                     "empty database",
                     names[i], (long long)rows);
            return 1;
        }
    }
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run_copy(struct copy *cp)
{
    int latest = db_schema_latest();
    int have = db_schema_version(cp->from);
    if (have < 0) {
        snprintf(cp->err, sizeof cp->err, "cannot read the schema version of the source");
        return -1;
    }
    if (have != latest) {
        snprintf(cp->err, sizeof cp->err,
                 have > latest ? "the source has schema version %d, newer than this layan (%d): "
                                 "upgrade layan"
                               : "the source has schema version %d, this layan %d: run `layan "
                                 "init --db FROM` first, which migrates it",
                 have, latest);
        return -1;
    }
    int to_have = db_schema_version(cp->to);
    if (to_have > latest) {
        snprintf(cp->err, sizeof cp->err, "the target has a newer schema (%d) than this layan",
                 to_have);
        return -1;
    }
    cp->tc = db_acquire(cp->to);
    if (!cp->tc) {
        snprintf(cp->err, sizeof cp->err, "cannot connect to the target");
        return -1;
    }
    if (check_empty(cp) != 0) return -1;
    db_release(cp->tc);
    cp->tc = NULL;
    char merr[512];
    if (db_migrate(cp->to, merr, sizeof merr) != DB_OK) {
        snprintf(cp->err, sizeof cp->err, "cannot migrate the target: %.400s", merr);
        return -1;
    }
    cp->tc = db_acquire(cp->to);
    cp->fc = db_acquire(cp->from);
    if (!cp->tc || !cp->fc) {
        snprintf(cp->err, sizeof cp->err, "cannot connect");
        return -1;
    }
    if (check_empty(cp) != 0) return -1;

    char names[MAX_TABLES][NAME_MAX_LEN], tnames[MAX_TABLES][NAME_MAX_LEN];
    int tn;
    if (list_tables(cp->fc, cp->pg_from, names, &cp->n, cp->err, sizeof cp->err) != 0 ||
        list_tables(cp->tc, cp->pg_to, tnames, &tn, cp->err, sizeof cp->err) != 0)
        return -1;
    for (int i = 0; i < cp->n; i++) {
        bool found = false;
        for (int j = 0; j < tn && !found; j++)
            found = strcmp(names[i], tnames[j]) == 0;
        if (!found) {
            snprintf(cp->err, sizeof cp->err,
                     "table %.63s of the source is not in the target's schema", names[i]);
            return -1;
        }
        snprintf(cp->t[i].name, NAME_MAX_LEN, "%.63s", names[i]);
        if (load_fks(cp, &cp->t[i]) != 0) return -1;
        cp->t[i].rows = count_rows(cp->fc, names[i]);
        if (cp->t[i].rows < 0) return fail_db(cp, cp->fc, names[i]);
        cp->total += cp->t[i].rows;
    }
    if (fk_order(cp) != 0) return -1;

    for (int i = 0; i < cp->n; i++) {
        struct table *t = &cp->t[i];
        if (copy_table(cp, t) != 0) return -1;
        if (cp->tty) progress(cp, t->name);
        else fprintf(stderr, "layan db copy: %s: %lld rows\n", t->name, (long long)t->copied);
    }
    if (cp->pg_to && reset_identities(cp) != 0) return -1;

    /* verify: the same number of rows on both sides, table by table */
    printf("%-20s %12s %12s\n", "table", "source", "target");
    int bad = 0;
    for (int i = 0; i < cp->n; i++) {
        int64_t a = count_rows(cp->fc, cp->t[i].name), b = count_rows(cp->tc, cp->t[i].name);
        printf("%-20s %12lld %12lld%s\n", cp->t[i].name, (long long)a, (long long)b,
               a == b && a >= 0 ? "" : "  MISMATCH");
        if (a != b || a < 0) bad++;
    }
    if (bad) {
        snprintf(cp->err, sizeof cp->err, "%d tables differ after the copy", bad);
        return -1;
    }
    return 0;
}

static int copy_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {NULL, 0, NULL, 0}};
    const char *from = NULL, *to = NULL;
    int ch;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'f') from = optarg;
        else if (ch == 't') to = optarg;
        else return cli_usage_error("db", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    if (optind != argc) return cli_usage_error("db", "unexpected argument '%s'", argv[optind]);
    if (!from || !to) return cli_usage_error("db", "give both --from URL and --to URL");
    if (strcmp(from, to) == 0) return cli_usage_error("db", "--from and --to are the same");
    struct copy *cp = calloc(1, sizeof *cp);
    if (!cp) abort();
    const char *e = getenv("LAYAN_PROGRESS");
    cp->tty = (e && strcmp(e, "1") == 0) || isatty(STDERR_FILENO);
    int rc = 1;
    double t0 = now_s();
    if (!(cp->from = cli_open_db("db", from)) || !(cp->to = cli_open_db("db", to))) goto out;
    cp->pg_from = strcmp(db_engine(cp->from), "postgresql") == 0;
    cp->pg_to = strcmp(db_engine(cp->to), "postgresql") == 0;
    if (run_copy(cp) != 0) {
        cli_fail("db", "copy failed: %s", cp->err);
        if (cp->moved)
            fprintf(stderr, "The target now holds part of the data: empty it (or create it "
                            "again) before the next try.\n");
        goto out;
    }
    printf("copied %lld rows in %d tables from %s to %s in %.1f s; row counts verified\n",
           (long long)cp->moved, cp->n, db_engine(cp->from), db_engine(cp->to), now_s() - t0);
    printf("Personal data stays encrypted with the installation key: give every node that uses "
           "the new database the same key file ([security] key_file).\n");
    rc = 0;
out:
    if (cp->fc) db_release(cp->fc);
    if (cp->tc) db_release(cp->tc);
    db_close(cp->from);
    db_close(cp->to);
    free(cp);
    return rc;
}

int cmd_db(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "copy") == 0) {
        if (cli_wants_help(argc, argv)) {
            help();
            return 0;
        }
        return copy_cmd(argc, argv);
    }
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    return cli_usage_error("db", "expected `layan db copy --from URL --to URL`");
}

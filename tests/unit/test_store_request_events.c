/* request_events is append-only in the database (migration 0007), on SQLite and PostgreSQL:
 * a filed request's history rows cannot be changed or removed with plain SQL (UPDATE, DELETE,
 * on PostgreSQL TRUNCATE; a request cannot be deleted either, its cascade is refused), while
 * filing and moving a request, which only insert, keep working. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/requests/requests.h"
#include "features/services/services.h"
#include "features/units/units.h"
#include "storefix.h"
#include "testdb.h"

static char tmp[] = "/tmp/layan-reqev-XXXXXX";
static db *d;
static db_conn *c;
static arena *a;
static cr_keys k;
static int64_t kia, disduk, citizen_id, petugas_id;

static int setup(void **state)
{
    (void)state;
    if (storefix_open(tmp, "reqev", &d, &c, &a, &k)) return -1;
    service s;
    if (svc_get(c, a, str_c("kia"), &s) != DB_OK) return -1;
    kia = s.id;
    disduk = units_id(c, "disdukcapil");
    int64_t month_ago = storefix_monday_0900() - 86400 * 30;
    citizen_id = storefix_user(c, &k, month_ago, "3273010101900001", NULL, true);
    petugas_id = storefix_user(c, &k, month_ago, NULL, "petugas.uji", false);
    return kia && disduk ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return storefix_close(tmp, d, c, a);
}

/* the SQL of a printf format (the tests put a request's id in it); a static buffer */
static const char *sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *sqlf(const char *fmt, ...)
{
    static char sql[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return sql;
}

static int64_t one_int(const char *sql)
{
    return storefix_int(c, sql);
}

/* the statement is refused as an append-only violation, with that message */
static void refused(const char *sql)
{
    assert_int_equal(db_exec(c, sql), DB_ECONSTRAINT);
    const char *msg = db_errmsg(c);
    assert_non_null(msg);
    if (!strstr(msg, "request_events is append-only")) fail_msg("%s: error was \"%s\"", sql, msg);
}

static int64_t events_of(int64_t id)
{
    return one_int(
        sqlf("SELECT COUNT(*) FROM request_events WHERE request_id = %lld", (long long)id));
}

static void move(int64_t id, int64_t now, const char *to)
{
    enum wf_err why = WF_OK;
    req_move m = {.to = to, .role = WF_PETUGAS, .actor_id = petugas_id};
    assert_int_equal(req_transition(c, now, id, &m, &why), DB_OK);
}

static void test_history_cannot_be_rewritten(void **state)
{
    (void)state;
    int64_t now = storefix_monday_0900();
    req_new n = storefix_kia_online(kia, disduk, citizen_id, NULL);
    req_created r;
    assert_int_equal(req_create(c, &k, now, &n, &r), DB_OK);
    move(r.id, now + 60, "diverifikasi");
    assert_int_equal(events_of(r.id), 2);

    /* the "filed" row cannot be rewritten (as if filed by someone else, or later) ... */
    long long id = (long long)r.id;
    refused(sqlf("UPDATE request_events SET to_status = 'selesai', at = '2026-01-01T00:00:00Z' "
                 "WHERE request_id = %lld AND from_status IS NULL",
                 id));
    refused(sqlf("UPDATE request_events SET note = 'diubah' WHERE request_id = %lld", id));
    /* ... nor removed, one row or all of them */
    refused(sqlf("DELETE FROM request_events WHERE request_id = %lld AND from_status IS NULL", id));
    refused(sqlf("DELETE FROM request_events WHERE request_id = %lld", id));
    /* deleting the request would cascade into its history: refused as well */
    refused(sqlf("DELETE FROM requests WHERE id = %lld", id));
    assert_int_equal(one_int(sqlf("SELECT COUNT(*) FROM requests WHERE id = %lld", id)), 1);
    if (testdb_pg()) {
        refused("TRUNCATE request_events");
        refused("TRUNCATE requests CASCADE");
    }
    assert_int_equal(events_of(r.id), 2);

    /* nothing changed */
    req_view v;
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_int_equal(v.nevents, 2);
    assert_null(v.events[0].from);
    assert_string_equal(v.events[0].to, "diajukan");
    assert_null(v.events[0].note);
    assert_string_equal(v.events[1].from, "diajukan");
    assert_string_equal(v.events[1].to, "diverifikasi");

    /* filing and moving (inserts) still work, inside a transaction too */
    move(r.id, now + 120, "diproses");
    assert_int_equal(db_begin(c), DB_OK);
    move(r.id, now + 180, "selesai");
    assert_int_equal(db_commit(c), DB_OK);
    assert_int_equal(req_get(c, a, r.id, &v), DB_OK);
    assert_string_equal(v.status, "selesai");
    assert_int_equal(v.nevents, 4);
    req_created r2;
    assert_int_equal(req_create(c, &k, now + 240, &n, &r2), DB_OK);
    assert_int_equal(events_of(r2.id), 1);
    /* the other columns of requests stay writable (the store updates status, claim, ...) */
    assert_int_equal(req_claim(c, now + 300, r2.id, petugas_id), DB_OK);
}

/* a refused statement inside a transaction rolls back with it; the history is still intact */
static void test_refusal_inside_transaction(void **state)
{
    (void)state;
    int64_t before = one_int("SELECT COUNT(*) FROM request_events");
    assert_true(before >= 1);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_exec(c, "DELETE FROM request_events"), DB_ECONSTRAINT);
    assert_int_equal(db_rollback(c), DB_OK);
    assert_int_equal(one_int("SELECT COUNT(*) FROM request_events"), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_cannot_be_rewritten),
        cmocka_unit_test(test_refusal_inside_transaction),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* testdb: a fresh database per test, on SQLite or PostgreSQL.
 *
 * Without LAYAN_TEST_DB, testdb_new() gives "sqlite:DIR/NAME.db". With LAYAN_TEST_DB set to a
 * PostgreSQL URL (tests/tests.cmake sets it for the pg/ copies of the tests, pointing at the
 * throwaway cluster of scripts/pg-test.sh), it creates a new database on that server, named
 * after the process and NAME, so tests run in parallel without seeing each other's rows, and
 * returns its URL; testdb_cleanup() drops every database this process created.
 * A test that includes this header is registered twice by tests.cmake: unit/NAME and pg/NAME. */
#ifndef LAYAN_TESTDB_H
#define LAYAN_TESTDB_H
#include <stdbool.h>
#include <stddef.h>

bool testdb_pg(void); /* the tests run on PostgreSQL */
/* the URL of a new empty database (in out); NULL (and a message on stderr) on failure */
const char *testdb_new(const char *dir, const char *name, char *out, size_t cap);
void testdb_cleanup(void);

#endif

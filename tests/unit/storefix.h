/* storefix: what the store tests (tests/unit/test_store_*.c) set up and take down around a
 * database of their own (testdb.h: SQLite, or PostgreSQL for the pg/ twins): one made by
 * `layan init --region 32.73` (Kota Bandung) with its key file and a fast password cost, one
 * connection and an arena; and the first integer of a query, asserted with cmocka. A test that
 * uses it still includes "testdb.h" itself (tests.cmake registers its PostgreSQL twin by that)
 * and is linked with lystorefix by its #include "storefix.h". */
#ifndef LAYAN_TEST_STOREFIX_H
#define LAYAN_TEST_STOREFIX_H
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "features/requests/requests.h"
#include "lib/arena.h"
#include "lib/crypto.h"

/* dir: a mkdtemp template ("/tmp/layan-x-XXXXXX", made in place); name: the database's name.
 * Sets LAYAN_KEY_FILE (dir/test.key), LAYAN_PASSWORD_OPS and _MEM_KB (the fast cost, for the
 * init's accounts and the test's: cr_pw_set_cost too), runs `layan init`, loads the key file
 * into *k and opens the database: *d, one connection *c and an arena *a. 0 when ready. */
int storefix_open(char *dir, const char *name, db **d, db_conn **c, arena **a, cr_keys *k);
/* frees a (may be NULL), releases c, closes d, drops the databases testdb_new made and removes
 * dir; 0 when all went */
int storefix_close(const char *dir, db *d, db_conn *c, arena *a);
/* a verified account made at `at` (asserted): a citizen "Warga Uji" with this NIK, or staff
 * "Petugas Uji" with this user name; password "kopi hujan sepeda". Its id. */
int64_t storefix_user(db_conn *c, const cr_keys *k, int64_t at, const char *nik,
                      const char *username, bool citizen);
/* Monday 2026-11-23 09:00 WIB: "now" in the requests store's tests */
int64_t storefix_monday_0900(void);
/* a KIA request as the citizen "Warga Uji" (NIK 3273010101900001, the seeded KK) files it online
 * for pickup, with this Idempotency-Key (may be NULL) */
req_new storefix_kia_online(int64_t service_id, int64_t unit_id, int64_t applicant,
                            const char *key);
/* the first column of the first row of `sql` (asserted: it prepares and gives a row) */
int64_t storefix_int(db_conn *c, const char *sql);

#endif

/* ratelimit: failed attempts counted in the database (so every node sees the same counts), with
 * a growing wait after the free attempts: 1 s, 2 s, 4 s ... at most 15 minutes. A window starts
 * with the first failure and ends 24 hours later.
 *
 * Callers check and record two keys for each kind of attempt: the account identifier (scope
 * "signin", a few free attempts) and the client address (scope "signin-ip", more free attempts,
 * since an office or a kiosk puts many people behind one address). The stored key is a MAC of
 * scope and value (cr_mac_hex), never the address or the identifier itself. */
#ifndef LAYAN_RATELIMIT_H
#define LAYAN_RATELIMIT_H
#include <stdint.h>

#include "db/db.h"
#include "lib/crypto.h"

#define RL_WINDOW 86400
#define RL_MAX_WAIT 900

/* seconds still to wait, 0 when allowed, -1 when the database cannot say: callers refuse the
 * attempt then (failing open would let a guessing flood through exactly when the database is
 * overloaded) */
int64_t rl_wait(db_conn *c, const cr_keys *k, const char *scope, str what, int64_t now);
/* records one failure; the first free_attempts in a window cost nothing, each one after that
 * blocks the key for twice as long as the one before (1 s, 2 s, 4 s ... RL_MAX_WAIT). Callers
 * count a failure only when rl_wait() let the attempt through. DB_OK or a negative DB error. */
int rl_fail(db_conn *c, const cr_keys *k, const char *scope, str what, int64_t now,
            int free_attempts);
/* forgets the failures of a key (after a successful sign-in) */
int rl_clear(db_conn *c, const cr_keys *k, const char *scope, str what);
/* deletes keys whose window ended and whose wait is over (run it now and then: a key is
 * otherwise kept until its next failure starts a new window) */
int rl_prune(db_conn *c, int64_t now);

#endif

/* cli common: helpers shared by the database subcommands. */
#ifndef LAYAN_CLI_COMMON_H
#define LAYAN_CLI_COMMON_H
#include <stdbool.h>

#include "db/db.h"
#include "lib/crypto.h"

/* opens the database of a --db URL (creating the directory of a sqlite path), or prints why not */
db *cli_open_db(const char *cmd, const char *url);
/* appends a line to the audit log */
int cli_audit(db_conn *c, const char *actor, const char *action, const char *object,
              const char *detail);

/* loads the installation key for a database URL ([security] key_file from LAYAN_CONFIG or
 * LAYAN_KEY_FILE, else beside a SQLite file), creating it when `create`; also applies the
 * password cost settings. Prints why not and returns -1. */
int cli_load_keys(const char *cmd, const char *url, bool create, cr_keys *k, char *path,
                  size_t pathcap);

#endif

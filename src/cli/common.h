/* cli common: helpers shared by the database subcommands. */
#ifndef LAYAN_CLI_COMMON_H
#define LAYAN_CLI_COMMON_H
#include "db/db.h"

/* opens the database of a --db URL (creating the directory of a sqlite path), or prints why not */
db *cli_open_db(const char *cmd, const char *url);
/* appends a line to the audit log */
int cli_audit(db_conn *c, const char *actor, const char *action, const char *object,
              const char *detail);

#endif

/* cli: the `layan <command>` table and helpers shared by the subcommands.
 *
 * Each subcommand lives in its own file (cli/<name>.c) as `int cmd_<name>(int argc, char **argv)`
 * where argv[0] is the command name. It prints its own --help, writes errors to stderr in plain
 * words, and returns the process exit code (0 ok, 1 failure, 2 usage error). */
#ifndef LAYAN_CLI_H
#define LAYAN_CLI_H
#include <stdbool.h>
#include <stdio.h>

int cli_main(int argc, char **argv);

/* prints "layan <cmd>: <message>" and a hint to --help on stderr; returns 2 */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* prints "layan <cmd>: <message>" on stderr; returns 1 */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* true when argv holds -h or --help */
bool cli_wants_help(int argc, char **argv);
/* a progress bar on stderr when it is a terminal (or LAYAN_PROGRESS=1): "label [####    ] 42%" */
void cli_progress(const char *label, long done, long total);

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_regions(int argc, char **argv);
int cmd_nik(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_apikey(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_skm(int argc, char **argv);
int cmd_ikm(int argc, char **argv);
int cmd_documents(int argc, char **argv);
int cmd_workflow(int argc, char **argv);

#endif

/* cli: command table, `help`, `version`, and the helpers in cli.h. */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cli_cmd {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

static const struct cli_cmd commands[] = {
    {"serve", "run the web server", cmd_serve},
    {"init", "create or migrate the database and import reference data", cmd_init},
    {"demo", "add demo content for a first look", cmd_demo},
    {"regions", "(re)import the official region list", cmd_regions},
    {"nik", "check NIK numbers", cmd_nik},
    {"user", "create and list staff accounts, reset a password", cmd_user},
    {"apikey", "create, list and revoke API keys for other systems", cmd_apikey},
    {"audit", "verify the audit log's hash chain", cmd_audit},
    {"db", "copy an installation to another database (SQLite to PostgreSQL)", cmd_db},
    {"skm", "satisfaction survey: import questionnaires, minimum sample size", cmd_skm},
    {"ikm", "compute the satisfaction index (IKM) of a survey period", cmd_ikm},
    {"documents", "remove uploaded documents no request refers to (gc)", cmd_documents},
    {"workflow", "show, set or reset a service's request workflow", cmd_workflow},
};

static void usage(FILE *f)
{
    fprintf(f,
            "layan %s: public-service information system for Indonesian local governments\n\n"
            "Usage: layan <command> [options]\n\nCommands:\n",
            LAYAN_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "  %-10s %s\n  %-10s %s\n\n", "help", "show this help, or `layan help <command>`",
            "version", "print the version");
    fprintf(f, "Run `layan <command> --help` for the options of a command.\n");
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
        printf("layan %s\n", LAYAN_VERSION);
        return 0;
    }
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        if (argc >= 3 && strcmp(name, "help") == 0) {
            for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                if (strcmp(argv[2], commands[i].name) == 0) {
                    char *av[] = {argv[2], "--help", NULL};
                    return commands[i].run(2, av);
                }
            fprintf(stderr, "layan: unknown command '%s'. Run `layan help` for the list.\n",
                    argv[2]);
            return 2;
        }
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "layan: unknown command '%s'. Run `layan help` for the list.\n", name);
    return 2;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "layan %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nRun `layan %s --help` for usage.\n", cmd);
    va_end(ap);
    return 2;
}

int cli_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "layan %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
    return false;
}

void cli_progress(const char *label, long done, long total)
{
    static int tty = -1;
    if (tty < 0) {
        const char *e = getenv("LAYAN_PROGRESS");
        tty = (e && strcmp(e, "1") == 0) || isatty(STDERR_FILENO);
    }
    if (!tty || total <= 0) return;
    int pct = (int)(done * 100 / total);
    int fill = pct * 30 / 100;
    char bar[31];
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : ' ';
    bar[30] = 0;
    fprintf(stderr, "\r%-22s [%s] %3d%% (%ld/%ld)", label, bar, pct, done, total);
    if (done >= total) fputc('\n', stderr);
    fflush(stderr);
}

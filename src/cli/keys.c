/* cli keys: the installation key and unit lookups for the account subcommands (see common.h). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "features/app.h"

int cli_load_keys(const char *cmd, const char *url, bool create, cr_keys *k, char *path,
                  size_t pathcap)
{
    static layan_config cfg;
    char err[512];
    config_defaults(&cfg);
    const char *file = getenv("LAYAN_CONFIG");
    if (file && *file && config_load_file(&cfg, file, err, sizeof err)) {
        cli_fail(cmd, "%s", err);
        return -1;
    }
    if (config_load_env(&cfg, err, sizeof err)) {
        cli_fail(cmd, "%s", err);
        return -1;
    }
    if (cr_init() != 0) {
        cli_fail(cmd, "cannot initialise libsodium");
        return -1;
    }
    cr_pw_set_cost((unsigned long long)cfg.password_ops, (size_t)cfg.password_mem_kb * 1024u);
    app_key_path(&cfg, url, path, pathcap);
    if (!path[0]) {
        cli_fail(cmd, "set [security] key_file in the config (LAYAN_CONFIG) or LAYAN_KEY_FILE: "
                      "the installation key is needed for personal data");
        return -1;
    }
    if (cr_key_file_load(path, create, k, err, sizeof err)) {
        cli_fail(cmd, "%s%s", err, create ? "" : " (run `layan init` to create it)");
        return -1;
    }
    return 0;
}

/* config: layan's settings from an INI file, LAYAN_* environment variables and flags.
 *
 * Precedence: flags > environment > file > defaults. config_defaults() fills defaults,
 * config_load_file() and config_load_env() overlay; the CLI applies flags last. Unknown INI keys
 * are an error (a typo must not silently fall back to a default). See docs/configuration.md. */
#ifndef LAYAN_CONFIG_H
#define LAYAN_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char listen[128];       /* [server] listen = ADDR:PORT */
    int threads;            /* [server] threads, 0 = number of CPUs */
    int max_connections;    /* [server] max_connections */
    int per_ip_connections; /* [server] per_ip_connections */
    int connection_timeout; /* [server] connection_timeout, seconds */
    int header_memory_kb;   /* [server] header_memory_kb: per-connection memory for headers */
    char trusted_proxy[64]; /* [server] trusted_proxy: X-Forwarded-For honoured from this IP */
    char db_url[1024];      /* [database] url */
    int db_pool;            /* [database] pool, 0 = default */
    char log_level[16];     /* [log] level */
    bool access_log;        /* [log] access */
    char share_dir[1024];   /* [app] share_dir: templates/, static/, locale/ ("" = build tree) */
    char default_lang[8];   /* [app] default_lang */
    char tmp_dir[1024];     /* [app] tmp_dir for uploads */
} layan_config;

void config_defaults(layan_config *c);
/* returns 0, or -1 with a message naming the file, line and key in err */
int config_load_file(layan_config *c, const char *path, char *err, size_t errlen);
int config_load_env(layan_config *c, char *err, size_t errlen);
/* sets one key ("server.listen" style or the INI section/name pair); used by file, env, flags */
int config_set(layan_config *c, const char *section, const char *name, const char *value, char *err,
               size_t errlen);

#endif

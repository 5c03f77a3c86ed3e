/* config: INI (inih), environment and programmatic settings; see config.h. */
#include "lib/config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/str.h"

enum kind { K_STR, K_INT, K_BOOL };

struct key {
    const char *section, *name, *env;
    enum kind kind;
    size_t off, size;
    long min, max;
};

#define S(sec, nm, env, field)                                                                     \
    {                                                                                              \
        sec, nm, env, K_STR, offsetof(layan_config, field), sizeof(((layan_config *)0)->field), 0, \
            0                                                                                      \
    }
#define I(sec, nm, env, field, lo, hi)                                                             \
    {                                                                                              \
        sec, nm, env, K_INT, offsetof(layan_config, field), sizeof(int), lo, hi                    \
    }
#define B(sec, nm, env, field)                                                                     \
    {                                                                                              \
        sec, nm, env, K_BOOL, offsetof(layan_config, field), sizeof(bool), 0, 1                    \
    }

static const struct key keys[] = {
    S("server", "listen", "LAYAN_LISTEN", listen),
    I("server", "threads", "LAYAN_THREADS", threads, 0, 256),
    I("server", "max_connections", "LAYAN_MAX_CONNECTIONS", max_connections, 1, 100000),
    I("server", "per_ip_connections", "LAYAN_PER_IP_CONNECTIONS", per_ip_connections, 0, 100000),
    I("server", "connection_timeout", "LAYAN_CONNECTION_TIMEOUT", connection_timeout, 1, 3600),
    I("server", "header_memory_kb", "LAYAN_HEADER_MEMORY_KB", header_memory_kb, 8, 1024),
    S("server", "trusted_proxy", "LAYAN_TRUSTED_PROXY", trusted_proxy),
    S("database", "url", "LAYAN_DB", db_url),
    I("database", "pool", "LAYAN_DB_POOL", db_pool, 0, 1024),
    S("log", "level", "LAYAN_LOG_LEVEL", log_level),
    B("log", "access", "LAYAN_ACCESS_LOG", access_log),
    S("app", "share_dir", "LAYAN_SHARE_DIR", share_dir),
    S("app", "default_lang", "LAYAN_DEFAULT_LANG", default_lang),
    S("app", "tmp_dir", "LAYAN_TMP_DIR", tmp_dir),
    S("app", "base_url", "LAYAN_BASE_URL", base_url),
    S("app", "node_name", "LAYAN_NODE_NAME", node_name),
    S("security", "key_file", "LAYAN_KEY_FILE", key_file),
    I("security", "password_ops", "LAYAN_PASSWORD_OPS", password_ops, 1, 20),
    I("security", "password_mem_kb", "LAYAN_PASSWORD_MEM_KB", password_mem_kb, 8, 4194304),
    I("security", "session_idle_min", "LAYAN_SESSION_IDLE_MIN", session_idle_min, 1, 10080),
    I("security", "session_max_hours", "LAYAN_SESSION_MAX_HOURS", session_max_hours, 1, 8760),
    B("security", "secure_cookies", "LAYAN_SECURE_COOKIES", secure_cookies),
    S("notify", "sender", "LAYAN_NOTIFY_SENDER", notify_sender),
    S("notify", "smtp_url", "LAYAN_SMTP_URL", smtp_url),
    S("notify", "smtp_from", "LAYAN_SMTP_FROM", smtp_from),
    S("notify", "smtp_user", "LAYAN_SMTP_USER", smtp_user),
    S("notify", "smtp_password", "LAYAN_SMTP_PASSWORD", smtp_password),
    S("notify", "webhook_url", "LAYAN_WEBHOOK_URL", webhook_url),
    S("notify", "webhook_secret", "LAYAN_WEBHOOK_SECRET", webhook_secret),
    I("notify", "max_attempts", "LAYAN_NOTIFY_MAX_ATTEMPTS", notify_max_attempts, 1, 100),
    S("storage", "documents", "LAYAN_DOCUMENTS_DIR", documents_dir),
    B("storage", "gc", "LAYAN_DOCUMENTS_GC", documents_gc),
};

void config_defaults(layan_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    c->threads = 0;
    c->max_connections = 1024;
    c->per_ip_connections = 64;
    c->connection_timeout = 30;
    c->header_memory_kb = 32;
    snprintf(c->trusted_proxy, sizeof c->trusted_proxy, "127.0.0.1");
    snprintf(c->db_url, sizeof c->db_url, "sqlite:var/layan.db");
    snprintf(c->log_level, sizeof c->log_level, "info");
    c->access_log = true;
    snprintf(c->default_lang, sizeof c->default_lang, "id");
    snprintf(c->tmp_dir, sizeof c->tmp_dir, "/tmp");
    snprintf(c->base_url, sizeof c->base_url, "http://127.0.0.1:8080");
    c->password_ops = 2;        /* crypto_pwhash_OPSLIMIT_INTERACTIVE */
    c->password_mem_kb = 65536; /* crypto_pwhash_MEMLIMIT_INTERACTIVE */
    c->session_idle_min = 30;
    c->session_max_hours = 12;
    snprintf(c->notify_sender, sizeof c->notify_sender, "dev");
    c->notify_max_attempts = 8;
    c->documents_gc = true;
}

static int set_key(layan_config *c, const struct key *k, const char *value, char *err,
                   size_t errlen)
{
    char *field = (char *)c + k->off;
    switch (k->kind) {
    case K_STR:
        if (strlen(value) >= k->size) {
            snprintf(err, errlen, "%s.%s is too long", k->section, k->name);
            return -1;
        }
        snprintf(field, k->size, "%s", value);
        return 0;
    case K_INT: {
        long v;
        if (!str_to_long(str_trim(str_c(value)), k->min, k->max, &v)) {
            snprintf(err, errlen, "%s.%s must be a whole number from %ld to %ld, not '%s'",
                     k->section, k->name, k->min, k->max, value);
            return -1;
        }
        *(int *)field = (int)v;
        return 0;
    }
    case K_BOOL: {
        str v = str_trim(str_c(value));
        if (str_ieq_c(v, "on") || str_ieq_c(v, "true") || str_ieq_c(v, "yes") || str_eq_c(v, "1"))
            *(bool *)field = true;
        else if (str_ieq_c(v, "off") || str_ieq_c(v, "false") || str_ieq_c(v, "no") ||
                 str_eq_c(v, "0"))
            *(bool *)field = false;
        else {
            snprintf(err, errlen, "%s.%s must be on or off, not '%s'", k->section, k->name, value);
            return -1;
        }
        return 0;
    }
    }
    return -1;
}

int config_set(layan_config *c, const char *section, const char *name, const char *value, char *err,
               size_t errlen)
{
    /* settings with a fixed set of values: a typo must not fall back to something else */
    if (strcmp(section, "notify") == 0 && strcmp(name, "sender") == 0 &&
        strcmp(value, "dev") != 0 && strcmp(value, "live") != 0) {
        snprintf(err, errlen, "notify.sender must be dev or live, not '%s'", value);
        return -1;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return set_key(c, &keys[i], value, err, errlen);
    snprintf(err, errlen, "unknown setting [%s] %s", section, name);
    return -1;
}

struct file_ctx {
    layan_config *c;
    char *err;
    size_t errlen;
    const char *path;
    int failed;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
    struct file_ctx *fc = user;
    if (fc->failed) return 0;
    char e[256];
    if (config_set(fc->c, section, name, value, e, sizeof e) != 0) {
        snprintf(fc->err, fc->errlen, "%s: %s", fc->path, e);
        fc->failed = 1;
        return 0;
    }
    return 1;
}

int config_load_file(layan_config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open config file %s", path);
        return -1;
    }
    struct file_ctx fc = {c, err, errlen, path, 0};
    int r = ini_parse_file(f, on_ini, &fc);
    fclose(f);
    if (fc.failed) return -1;
    if (r != 0) {
        snprintf(err, errlen, "%s:%d: not a valid INI line", path, r);
        return -1;
    }
    return 0;
}

int config_load_env(layan_config *c, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = getenv(keys[i].env);
        if (v && *v) {
            char e[256];
            if (set_key(c, &keys[i], v, e, sizeof e) != 0) {
                snprintf(err, errlen, "%s: %s", keys[i].env, e);
                return -1;
            }
        }
    }
    return 0;
}

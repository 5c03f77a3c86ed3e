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
    char base_url[256];     /* [app] base_url: public address, for links in messages and QR */
    /* security */
    char key_file[1024];   /* [security] key_file: installation key ("" = beside the SQLite file) */
    int password_ops;      /* [security] password_ops: Argon2id passes */
    int password_mem_kb;   /* [security] password_mem_kb: Argon2id memory */
    int session_idle_min;  /* [security] session_idle_min: idle expiry */
    int session_max_hours; /* [security] session_max_hours: absolute expiry */
    bool secure_cookies;   /* [security] secure_cookies: add Secure (behind TLS) */
    /* notifications (outbox senders) */
    /* [notify] sender: "dev" (default) logs each message and marks it sent, for development
     * only; "live" sends e-mail by SMTP and SMS through the webhook (a channel without its
     * settings fails) */
    char notify_sender[16];
    char smtp_url[512];       /* [notify] smtp_url: smtp://host:587 or smtps://host:465 */
    char smtp_from[256];      /* [notify] smtp_from */
    char smtp_user[256];      /* [notify] smtp_user */
    char smtp_password[256];  /* [notify] smtp_password */
    char webhook_url[512];    /* [notify] webhook_url: SMS/WhatsApp gateway */
    char webhook_secret[256]; /* [notify] webhook_secret: HMAC key for the signature header */
    int notify_max_attempts;  /* [notify] max_attempts before a message is marked failed */
    char node_name[64];       /* [app] node_name: names this node in claims ("" = hostname) */
    /* [storage] documents: the directory of the requirement uploads and delivery photos ("" =
     * "dokumen" beside the installation key). Several nodes must share it (NFS, CephFS). */
    char documents_dir[1024];
    bool documents_gc; /* [storage] gc: this node removes orphaned uploads once a day */
} layan_config;

void config_defaults(layan_config *c);
/* returns 0, or -1 with a message naming the file, line and key in err */
int config_load_file(layan_config *c, const char *path, char *err, size_t errlen);
int config_load_env(layan_config *c, char *err, size_t errlen);
/* sets one key ("server.listen" style or the INI section/name pair); used by file, env, flags */
int config_set(layan_config *c, const char *section, const char *name, const char *value, char *err,
               size_t errlen);

#endif

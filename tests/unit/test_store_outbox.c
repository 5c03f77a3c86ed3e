/* The notification outbox on a migrated database (SQLite, and PostgreSQL as pg/...): sealed
 * recipient and body, the dev sender, the webhook sender against a small HTTP server in this
 * process (signature, retries with backoff, permanent 4xx, max_attempts), the SMTP sender
 * against a fake SMTP server (RFC 2047 subject, base64 body), exclusive claims by two "nodes"
 * at once, stale claims, the admin list/counts/retry, and the worker thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "features/outbox/outbox.h"
#include "lib/log.h"
#include "storefix.h"
#include "testdb.h"

static char tmp[] = "/tmp/layan-outbox-XXXXXX";
static char url[512];
static db *d;
static db_conn *c;
static arena *a;
static cr_keys k;
static const int64_t T0 = 1795000000; /* 2026-11-18 */
static const char *SECRET = "gateway-shared-secret";

static void iso(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(tmp)) return -1;
    if (!testdb_new(tmp, "outbox", url, sizeof url)) return -1;
    char err[512];
    if (cr_init()) return -1;
    unsigned char seed[32] = {7};
    cr_keys_from_seed(seed, &k);
    db_options o = {0};
    if (db_open(url, &o, &d, err, sizeof err) || db_migrate(d, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    c = db_acquire(d);
    a = arena_new(0);
    return c ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return storefix_close(tmp, d, c, a);
}

static void clear(void)
{
    assert_int_equal(db_exec(c, "DELETE FROM outbox"), DB_OK);
}

static int64_t enqueue(const char *channel, const char *to, const char *subject, const char *body,
                       int64_t now)
{
    assert_int_equal(outbox_enqueue(c, &k, now, channel, to, subject, body), DB_OK);
    db_stmt *s = db_prepare(c, "SELECT max(id) FROM outbox");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t id = db_col_int(s, 0);
    db_finish(s);
    return id;
}

struct row {
    char status[16], next[32], last_error[200], sender[16], sent_at[32];
    int attempts;
};

static struct row row_of(int64_t id)
{
    struct row r = {0};
    db_stmt *s = db_prepare(c, "SELECT status, attempts, next_attempt_at, last_error, sender, "
                               "sent_at FROM outbox WHERE id = $1");
    assert_non_null(s);
    db_bind_int(s, 1, id);
    assert_int_equal(db_step(s), DB_ROW);
    str v = db_col_text(s, 0);
    snprintf(r.status, sizeof r.status, "%.*s", (int)v.n, v.p);
    r.attempts = (int)db_col_int(s, 1);
    v = db_col_text(s, 2);
    snprintf(r.next, sizeof r.next, "%.*s", (int)v.n, v.p);
    if (!db_col_is_null(s, 3)) {
        v = db_col_text(s, 3);
        snprintf(r.last_error, sizeof r.last_error, "%.*s", (int)v.n, v.p);
    }
    if (!db_col_is_null(s, 4)) {
        v = db_col_text(s, 4);
        snprintf(r.sender, sizeof r.sender, "%.*s", (int)v.n, v.p);
    }
    if (!db_col_is_null(s, 5)) {
        v = db_col_text(s, 5);
        snprintf(r.sent_at, sizeof r.sent_at, "%.*s", (int)v.n, v.p);
    }
    db_finish(s);
    return r;
}

static bool contains(const void *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp((const char *)hay + i, needle, m) == 0) return true;
    return false;
}

/* ---- a listening socket on 127.0.0.1, port 0 ---- */

static int listen_local(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 64), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

/* accept with a short poll so the thread notices stop */
static int accept_or_stop(int fd, atomic_bool *stop)
{
    while (!atomic_load(stop)) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 50) > 0) return accept(fd, NULL, NULL);
    }
    return -1;
}

/* ---- a webhook receiver: answers every POST with `status`, keeps what it got ---- */

#define HOOK_MAX 256
static struct {
    int fd, port;
    pthread_t th;
    atomic_bool stop;
    atomic_int status;
    pthread_mutex_t mu;
    int hits;
    int64_t ids[HOOK_MAX];
    char body[8192], sig[160];
} hook;

static void *hook_run(void *p)
{
    (void)p;
    int cfd;
    while ((cfd = accept_or_stop(hook.fd, &hook.stop)) >= 0) {
        char req[16384];
        size_t n = 0;
        long want = -1;
        char *hdr_end = NULL;
        for (;;) {
            ssize_t r = read(cfd, req + n, sizeof req - 1 - n);
            if (r <= 0) break;
            n += (size_t)r;
            req[n] = 0;
            if (!hdr_end && (hdr_end = strstr(req, "\r\n\r\n"))) {
                char *cl = strcasestr(req, "\r\nContent-Length:");
                want = cl ? strtol(cl + 17, NULL, 10) : 0;
            }
            if (hdr_end && (long)(n - (size_t)(hdr_end + 4 - req)) >= want) break;
        }
        if (hdr_end) {
            pthread_mutex_lock(&hook.mu);
            snprintf(hook.body, sizeof hook.body, "%s", hdr_end + 4);
            hook.sig[0] = 0;
            char *sg = strcasestr(req, "\r\nX-Layan-Signature: ");
            if (sg && sg < hdr_end) {
                sg += 21;
                size_t l = strcspn(sg, "\r");
                snprintf(hook.sig, sizeof hook.sig, "%.*s", (int)l, sg);
            }
            json_t *j = json_loads(hook.body, 0, NULL);
            if (hook.hits < HOOK_MAX)
                hook.ids[hook.hits] = json_integer_value(json_object_get(j, "id"));
            hook.hits++;
            json_decref(j);
            pthread_mutex_unlock(&hook.mu);
        }
        char resp[128];
        int m = snprintf(resp, sizeof resp,
                         "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                         atomic_load(&hook.status));
        if (write(cfd, resp, (size_t)m) < 0) { /* the client gave up; nothing to do */
        }
        close(cfd);
    }
    return NULL;
}

static void hook_start(int status)
{
    memset(&hook, 0, sizeof hook);
    pthread_mutex_init(&hook.mu, NULL);
    atomic_init(&hook.stop, false);
    atomic_init(&hook.status, status);
    hook.fd = listen_local(&hook.port);
    assert_int_equal(pthread_create(&hook.th, NULL, hook_run, NULL), 0);
}

static void hook_stop(void)
{
    atomic_store(&hook.stop, true);
    pthread_join(hook.th, NULL);
    close(hook.fd);
    pthread_mutex_destroy(&hook.mu);
}

static layan_config live_cfg(void)
{
    layan_config cfg;
    config_defaults(&cfg);
    snprintf(cfg.notify_sender, sizeof cfg.notify_sender, "live");
    snprintf(cfg.webhook_url, sizeof cfg.webhook_url, "http://127.0.0.1:%d/send", hook.port);
    snprintf(cfg.webhook_secret, sizeof cfg.webhook_secret, "%s", SECRET);
    snprintf(cfg.node_name, sizeof cfg.node_name, "node-a");
    return cfg;
}

/* ---- tests ---- */

static void test_enqueue_sealed(void **state)
{
    (void)state;
    clear();
    int64_t e = enqueue("email", "budi.santoso@example.go.id", "Kode verifikasi",
                        "Kode verifikasi layan: 482913. Berlaku 10 menit.", T0);
    int64_t p = enqueue("sms", "081234567890", "Kode verifikasi", "Kode: 771204", T0);
    db_stmt *s = db_prepare(c, "SELECT id, recipient_enc, body_enc, recipient_masked, status, "
                               "next_attempt_at, attempts FROM outbox ORDER BY id");
    assert_non_null(s);
    char now[21];
    iso(T0, now);
    int rows = 0;
    while (db_step(s) == DB_ROW) {
        rows++;
        size_t rn, bn;
        const void *rb = db_col_blob(s, 1, &rn), *bb = db_col_blob(s, 2, &bn);
        assert_non_null(rb);
        assert_non_null(bb);
        /* no plaintext in the stored bytes */
        assert_false(contains(rb, rn, "budi"));
        assert_false(contains(rb, rn, "example.go.id"));
        assert_false(contains(rb, rn, "081234567890"));
        assert_false(contains(bb, bn, "482913"));
        assert_false(contains(bb, bn, "771204"));
        assert_false(contains(bb, bn, "Kode"));
        str masked = db_col_text(s, 3);
        if (db_col_int(s, 0) == e) assert_true(str_eq_c(masked, "b***@example.go.id"));
        if (db_col_int(s, 0) == p) assert_true(str_eq_c(masked, "0812****7890"));
        assert_true(str_eq_c(db_col_text(s, 4), "pending"));
        assert_true(str_eq_c(db_col_text(s, 5), now)); /* due at once */
        assert_int_equal(db_col_int(s, 6), 0);
    }
    db_finish(s);
    assert_int_equal(rows, 2);

    /* inside the caller's transaction: a rollback takes the message with it */
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(outbox_enqueue(c, &k, T0, "sms", "081299998888", "x", "y"), DB_OK);
    assert_int_equal(db_rollback(c), DB_OK);
    int64_t counts[4];
    assert_int_equal(outbox_counts(c, counts), DB_OK);
    assert_int_equal(counts[OUTBOX_PENDING], 2);

    /* refused: an unknown channel, an empty recipient */
    assert_int_equal(outbox_enqueue(c, &k, T0, "fax", "1", "x", "y"), DB_ERR);
    assert_int_equal(outbox_enqueue(c, &k, T0, "sms", "", "x", "y"), DB_ERR);

    /* the admin list decrypts the body and shows the masked recipient only */
    outbox_item *it;
    size_t n;
    int64_t total;
    assert_int_equal(outbox_list(c, &k, a, NULL, 10, 0, &it, &n, &total), DB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(total, 2);
    assert_int_equal(it[0].id, p); /* newest first */
    assert_string_equal(it[0].body, "Kode: 771204");
    assert_string_equal(it[0].recipient_masked, "0812****7890");
    assert_string_equal(it[1].channel, "email");
    assert_string_equal(it[1].status, "pending");
    assert_null(it[1].sent_at);
}

static void test_dev_sender(void **state)
{
    (void)state;
    clear();
    int64_t id = enqueue("email", "siti@example.go.id", "Kode verifikasi", "Kode Anda: 550011", T0);
    layan_config cfg;
    config_defaults(&cfg);
    assert_string_equal(cfg.notify_sender, "dev");
    FILE *logf = tmpfile();
    assert_non_null(logf);
    log_set_stream(logf);
    int n = outbox_run_once(d, &k, &cfg, T0, 10);
    log_set_stream(NULL);
    assert_int_equal(n, 1);
    struct row r = row_of(id);
    assert_string_equal(r.status, "sent");
    assert_string_equal(r.sender, "dev");
    char now[21];
    iso(T0, now);
    assert_string_equal(r.sent_at, now);
    /* one log line with the masked recipient, the subject and the body */
    char line[2048] = "";
    rewind(logf);
    size_t got = fread(line, 1, sizeof line - 1, logf);
    line[got] = 0;
    fclose(logf);
    assert_non_null(strstr(line, "s***@example.go.id"));
    assert_non_null(strstr(line, "Kode verifikasi"));
    assert_non_null(strstr(line, "550011"));
    assert_null(strstr(line, "siti@"));
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 5, 10), 0); /* nothing left */
}

static bool verify_sig(const char *body, const char *sig)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)SECRET, strlen(SECRET));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[65], want[80];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(want, sizeof want, "sha256=%s", hex);
    return strcmp(sig, want) == 0;
}

static void test_webhook_success(void **state)
{
    (void)state;
    clear();
    hook_start(200);
    layan_config cfg = live_cfg();
    int64_t id = enqueue("sms", "081234567890", "Kode verifikasi", "Kode \"layan\": 123456", T0);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0, 10), 1);
    struct row r = row_of(id);
    assert_string_equal(r.status, "sent");
    assert_string_equal(r.sender, "webhook");
    assert_int_equal(hook.hits, 1);
    assert_true(verify_sig(hook.body, hook.sig));
    json_t *j = json_loads(hook.body, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), id);
    assert_string_equal(json_string_value(json_object_get(j, "channel")), "sms");
    assert_string_equal(json_string_value(json_object_get(j, "to")), "081234567890");
    assert_string_equal(json_string_value(json_object_get(j, "subject")), "Kode verifikasi");
    assert_string_equal(json_string_value(json_object_get(j, "text")), "Kode \"layan\": 123456");
    json_decref(j);
    /* a tampered body does not verify */
    hook.body[0] = ' ';
    assert_false(verify_sig(hook.body, hook.sig));
    hook_stop();
}

static void test_webhook_retries(void **state)
{
    (void)state;
    clear();
    hook_start(500);
    layan_config cfg = live_cfg();
    cfg.notify_max_attempts = 4;
    int64_t id = enqueue("sms", "081234567890", "Kode", "Kode: 1", T0);
    char want[21];

    assert_int_equal(outbox_run_once(d, &k, &cfg, T0, 10), 1);
    struct row r = row_of(id);
    assert_string_equal(r.status, "pending");
    assert_int_equal(r.attempts, 1);
    iso(T0 + 30, want);
    assert_string_equal(r.next, want);
    assert_string_equal(r.last_error, "webhook answered HTTP 500");

    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 29, 10), 0); /* not due yet */
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 30, 10), 1);
    r = row_of(id);
    assert_int_equal(r.attempts, 2);
    iso(T0 + 30 + 60, want);
    assert_string_equal(r.next, want);

    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 90, 10), 1);
    r = row_of(id);
    assert_int_equal(r.attempts, 3);
    iso(T0 + 90 + 120, want);
    assert_string_equal(r.next, want);
    assert_string_equal(r.status, "pending");

    /* the fourth failure is the last */
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 210, 10), 1);
    r = row_of(id);
    assert_string_equal(r.status, "failed");
    assert_int_equal(r.attempts, 4);
    assert_int_equal(hook.hits, 4);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 99999, 10), 0);

    /* the admin puts it back; it goes out once the gateway is well */
    assert_int_equal(outbox_retry(c, id, T0 + 300), DB_OK);
    assert_int_equal(outbox_retry(c, id, T0 + 300), DB_DONE); /* not failed any more */
    r = row_of(id);
    assert_string_equal(r.status, "pending");
    assert_int_equal(r.attempts, 0);
    atomic_store(&hook.status, 204);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 300, 10), 1);
    assert_string_equal(row_of(id).status, "sent");

    /* 429 and 408 are worth another try; other 4xx are final at once */
    atomic_store(&hook.status, 429);
    int64_t id2 = enqueue("sms", "081234567891", "Kode", "Kode: 2", T0);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 400, 10), 1);
    assert_string_equal(row_of(id2).status, "pending");
    atomic_store(&hook.status, 400);
    int64_t id3 = enqueue("sms", "081234567892", "Kode", "Kode: 3", T0);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 400, 10), 1);
    r = row_of(id3);
    assert_string_equal(r.status, "failed");
    assert_int_equal(r.attempts, 1);
    assert_string_equal(r.last_error, "webhook answered HTTP 400");

    int64_t counts[4];
    assert_int_equal(outbox_counts(c, counts), DB_OK);
    assert_int_equal(counts[OUTBOX_PENDING], 1);
    assert_int_equal(counts[OUTBOX_SENDING], 0);
    assert_int_equal(counts[OUTBOX_SENT], 1);
    assert_int_equal(counts[OUTBOX_FAILED], 1);
    outbox_item *it;
    size_t n;
    int64_t total;
    assert_int_equal(outbox_list(c, &k, a, "failed", 10, 0, &it, &n, &total), DB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(it[0].id, id3);
    assert_string_equal(it[0].last_error, "webhook answered HTTP 400");
    hook_stop();

    /* the gateway is down: a network error is retried */
    int64_t id4 = enqueue("sms", "081234567893", "Kode", "Kode: 4", T0);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0 + 500, 10), 2); /* id2 is due again too */
    r = row_of(id4);
    assert_string_equal(r.status, "pending");
    assert_non_null(strstr(r.last_error, "webhook: "));
    assert_null(strstr(r.last_error, "0812"));
}

static void test_backoff_cap(void **state)
{
    (void)state;
    assert_int_equal(outbox_backoff(1), 30);
    assert_int_equal(outbox_backoff(2), 60);
    assert_int_equal(outbox_backoff(3), 120);
    assert_int_equal(outbox_backoff(7), 1920);
    assert_int_equal(outbox_backoff(8), 3600);
    assert_int_equal(outbox_backoff(50), 3600);
}

static void test_no_sender_configured(void **state)
{
    (void)state;
    clear();
    layan_config cfg;
    config_defaults(&cfg);
    snprintf(cfg.notify_sender, sizeof cfg.notify_sender, "live");
    int64_t s = enqueue("sms", "081234567890", "Kode", "Kode: 9", T0);
    int64_t e = enqueue("email", "a@example.go.id", "Kode", "Kode: 9", T0);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0, 10), 2);
    struct row r = row_of(s);
    assert_string_equal(r.status, "failed");
    assert_string_equal(r.last_error, "no sender configured for sms");
    r = row_of(e);
    assert_string_equal(r.status, "failed");
    assert_string_equal(r.last_error, "no sender configured for email");
}

/* ---- a fake SMTP server: one session at a time, no TLS ---- */

static struct {
    int fd, port;
    pthread_t th;
    atomic_bool stop;
    int rcpt_code;
    char from[256], rcpt[256], data[16384];
    int sessions;
} smtp;

static bool smtp_line(int fd, char *out, size_t cap)
{
    size_t n = 0;
    char ch;
    while (n + 1 < cap) {
        if (read(fd, &ch, 1) != 1) return false;
        out[n++] = ch;
        if (ch == '\n') break;
    }
    out[n] = 0;
    return true;
}

static void smtp_say(int fd, const char *s)
{
    if (write(fd, s, strlen(s)) < 0) { /* the client went away */
    }
}

static void *smtp_run(void *p)
{
    (void)p;
    int cfd;
    while ((cfd = accept_or_stop(smtp.fd, &smtp.stop)) >= 0) {
        smtp.sessions++;
        smtp_say(cfd, "220 fake ESMTP\r\n");
        char line[1024];
        while (smtp_line(cfd, line, sizeof line)) {
            if (strncasecmp(line, "EHLO", 4) == 0) smtp_say(cfd, "250-fake\r\n250 8BITMIME\r\n");
            else if (strncasecmp(line, "HELO", 4) == 0) smtp_say(cfd, "250 fake\r\n");
            else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
                snprintf(smtp.from, sizeof smtp.from, "%.*s", (int)strcspn(line + 10, "\r\n"),
                         line + 10);
                smtp_say(cfd, "250 OK\r\n");
            } else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
                snprintf(smtp.rcpt, sizeof smtp.rcpt, "%.*s", (int)strcspn(line + 8, "\r\n"),
                         line + 8);
                smtp_say(cfd, smtp.rcpt_code == 250 ? "250 OK\r\n" : "550 no such user\r\n");
            } else if (strncasecmp(line, "DATA", 4) == 0) {
                smtp_say(cfd, "354 go ahead\r\n");
                size_t n = 0;
                smtp.data[0] = 0;
                while (smtp_line(cfd, line, sizeof line)) {
                    if (strcmp(line, ".\r\n") == 0) break;
                    size_t l = strlen(line);
                    if (n + l < sizeof smtp.data) {
                        memcpy(smtp.data + n, line, l + 1);
                        n += l;
                    }
                }
                smtp_say(cfd, "250 queued\r\n");
            } else if (strncasecmp(line, "QUIT", 4) == 0) {
                smtp_say(cfd, "221 bye\r\n");
                break;
            } else if (strncasecmp(line, "RSET", 4) == 0 || strncasecmp(line, "NOOP", 4) == 0) {
                smtp_say(cfd, "250 OK\r\n");
            } else {
                smtp_say(cfd, "502 not implemented\r\n");
            }
        }
        close(cfd);
    }
    return NULL;
}

/* decodes the base64 between start and the first of `stop`, skipping CRLF */
static size_t b64_decode(const char *start, const char *end, unsigned char *out, size_t cap)
{
    size_t n = 0;
    const char *ign = "\r\n ";
    assert_int_equal(sodium_base642bin(out, cap, start, (size_t)(end - start), ign, &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    return n;
}

/* the Subject header's encoded words, decoded and joined */
static void subject_of(const char *data, char *out, size_t cap)
{
    const char *p = strstr(data, "\r\nSubject:");
    assert_non_null(p);
    const char *end = strstr(p + 2, "\r\n");
    while (end && end[2] == ' ')
        end = strstr(end + 2, "\r\n"); /* folded continuation lines */
    assert_non_null(end);
    size_t n = 0;
    while ((p = strstr(p, "=?UTF-8?B?")) && p < end) {
        p += 10;
        const char *q = strstr(p, "?=");
        assert_true(q - p <= 75 - 12); /* encoded-word length limit */
        n += b64_decode(p, q, (unsigned char *)out + n, cap - n - 1);
        p = q + 2;
    }
    out[n] = 0;
}

static void test_smtp(void **state)
{
    (void)state;
    clear();
    memset(&smtp, 0, sizeof smtp);
    smtp.rcpt_code = 250;
    atomic_init(&smtp.stop, false);
    smtp.fd = listen_local(&smtp.port);
    assert_int_equal(pthread_create(&smtp.th, NULL, smtp_run, NULL), 0);
    layan_config cfg;
    config_defaults(&cfg);
    snprintf(cfg.notify_sender, sizeof cfg.notify_sender, "live");
    snprintf(cfg.smtp_url, sizeof cfg.smtp_url, "smtp://127.0.0.1:%d", smtp.port);
    snprintf(cfg.smtp_from, sizeof cfg.smtp_from, "layanan@example.go.id");

    const char *subject = "Kode verifikasi — Layanan Publik Kota Bandung (Dinas Kependudukan "
                          "dan Pencatatan Sipil) ✓";
    const char *body = "Yth. Budi,\nkode Anda: 482913.\nBerlaku 10 menit — jangan dibagikan.";
    int64_t id = enqueue("email", "budi@example.go.id", subject, body, T0);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0, 10), 1);
    struct row r = row_of(id);
    assert_string_equal(r.status, "sent");
    assert_string_equal(r.sender, "smtp");
    assert_string_equal(smtp.from, "<layanan@example.go.id>");
    assert_string_equal(smtp.rcpt, "<budi@example.go.id>");

    /* headers: one per line with CRLF, the body after an empty line */
    const char *data = smtp.data;
    assert_non_null(strstr(data, "From: <layanan@example.go.id>\r\n"));
    assert_non_null(strstr(data, "To: <budi@example.go.id>\r\n"));
    assert_non_null(strstr(data, "Date: "));
    assert_non_null(strstr(data, "Message-ID: <"));
    assert_non_null(strstr(data, "@example.go.id>\r\n"));
    assert_non_null(strstr(data, "MIME-Version: 1.0\r\n"));
    assert_non_null(strstr(data, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(data, "Content-Transfer-Encoding: base64\r\n"));
    for (const char *p = data; (p = strchr(p, '\n')); p++)
        assert_true(p > data && p[-1] == '\r');
    char got[512];
    subject_of(data, got, sizeof got); /* Subject is never the first header */
    assert_string_equal(got, subject);
    assert_null(strstr(data, "482913")); /* encoded, not in the clear */
    const char *b = strstr(data, "\r\n\r\n");
    assert_non_null(b);
    unsigned char text[1024];
    size_t n = b64_decode(b + 4, data + strlen(data), text, sizeof text - 1);
    text[n] = 0;
    assert_string_equal((char *)text, "Yth. Budi,\r\nkode Anda: 482913.\r\nBerlaku 10 menit — "
                                      "jangan dibagikan.");

    /* a refused recipient (5xx) is final */
    smtp.rcpt_code = 550;
    int64_t id2 = enqueue("email", "nobody@example.go.id", "Kode", "x", T0);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0, 10), 1);
    r = row_of(id2);
    assert_string_equal(r.status, "failed");
    assert_non_null(strstr(r.last_error, "smtp: "));
    assert_null(strstr(r.last_error, "nobody"));

    atomic_store(&smtp.stop, true);
    pthread_join(smtp.th, NULL);
    close(smtp.fd);
}

/* ---- two nodes claiming at once ---- */

struct node {
    const char *name;
    int handled, errors;
};

static void *node_run(void *p)
{
    struct node *nd = p;
    db *nd_db;
    char err[256];
    db_options o = {0};
    if (db_open(url, &o, &nd_db, err, sizeof err)) {
        nd->errors++;
        return NULL;
    }
    layan_config cfg = live_cfg();
    snprintf(cfg.node_name, sizeof cfg.node_name, "%s", nd->name);
    for (int idle = 0; idle < 3;) {
        int n = outbox_run_once(nd_db, &k, &cfg, T0, 3);
        if (n < 0) nd->errors++; /* a busy database: try again */
        else if (n == 0) idle++;
        else nd->handled += n;
    }
    db_close(nd_db);
    return NULL;
}

static void test_concurrent_claims(void **state)
{
    (void)state;
    clear();
    hook_start(200);
    enum { N = 40 };
    for (int i = 0; i < N; i++) {
        char to[16];
        snprintf(to, sizeof to, "08123456%04d", i);
        enqueue("sms", to, "Kode", "Kode: 000000", T0);
    }
    struct node n1 = {.name = "node-1"}, n2 = {.name = "node-2"};
    pthread_t t1, t2;
    assert_int_equal(pthread_create(&t1, NULL, node_run, &n1), 0);
    assert_int_equal(pthread_create(&t2, NULL, node_run, &n2), 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    hook_stop();
    assert_int_equal(n1.handled + n2.handled, N);
    assert_int_equal(hook.hits, N); /* every message delivered exactly once */
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            assert_true(hook.ids[i] != hook.ids[j]);
    int64_t counts[4];
    assert_int_equal(outbox_counts(c, counts), DB_OK);
    assert_int_equal(counts[OUTBOX_SENT], N);
    print_message("node-1 sent %d, node-2 sent %d (busy retries %d)\n", n1.handled, n2.handled,
                  n1.errors + n2.errors);
}

static void test_stale_claims(void **state)
{
    (void)state;
    clear();
    int64_t dead = enqueue("sms", "081234567890", "Kode", "Kode: 1", T0);
    int64_t busy = enqueue("sms", "081234567891", "Kode", "Kode: 2", T0);
    int64_t doomed = enqueue("sms", "081234567892", "Kode", "Kode: 3", T0);
    char old[21], recent[21];
    iso(T0 - 601, old);
    iso(T0 - 300, recent);
    db_stmt *s = db_prepare(c, "UPDATE outbox SET status = 'sending', claimed_by = 'dead-node', "
                               "claimed_at = $2, attempts = $3 WHERE id = $1");
    db_bind_int(s, 1, dead);
    db_bind_cstr(s, 2, old);
    db_bind_int(s, 3, 1);
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    s = db_prepare(c, "UPDATE outbox SET status = 'sending', claimed_by = 'slow-node', "
                      "claimed_at = $2, attempts = $3 WHERE id = $1");
    db_bind_int(s, 1, busy);
    db_bind_cstr(s, 2, recent);
    db_bind_int(s, 3, 1);
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
    s = db_prepare(c, "UPDATE outbox SET status = 'sending', claimed_by = 'dead-node', "
                      "claimed_at = $2, attempts = $3 WHERE id = $1");
    db_bind_int(s, 1, doomed);
    db_bind_cstr(s, 2, old);
    db_bind_int(s, 3, 8); /* its sends keep killing the node: no more tries */
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);

    layan_config cfg;
    config_defaults(&cfg);
    FILE *devnull = fopen("/dev/null", "w");
    log_set_stream(devnull);
    assert_int_equal(outbox_run_once(d, &k, &cfg, T0, 10), 1);
    log_set_stream(NULL);
    fclose(devnull);
    struct row r = row_of(dead);
    assert_string_equal(r.status, "sent");
    assert_int_equal(r.attempts, 2);
    assert_string_equal(row_of(busy).status, "sending"); /* its node may still be at it */
    r = row_of(doomed);
    assert_string_equal(r.status, "failed");
    assert_non_null(strstr(r.last_error, "claim expired"));
}

static void test_worker(void **state)
{
    (void)state;
    clear();
    layan_config cfg;
    config_defaults(&cfg);
    FILE *devnull = fopen("/dev/null", "w");
    log_set_stream(devnull);
    outbox_worker *w = outbox_worker_start(d, &k, &cfg);
    assert_non_null(w);
    int64_t id = enqueue("sms", "081234567890", "Kode", "Kode: 5", time(NULL) - 1);
    outbox_kick(w);
    bool sent = false;
    for (int i = 0; i < 300 && !sent; i++) {
        sent = strcmp(row_of(id).status, "sent") == 0;
        if (!sent) usleep(10000);
    }
    assert_true(sent);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    outbox_worker_stop(w);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    log_set_stream(NULL);
    fclose(devnull);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    assert_true(ms < 500); /* stop does not wait for the next poll */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enqueue_sealed),
        cmocka_unit_test(test_dev_sender),
        cmocka_unit_test(test_webhook_success),
        cmocka_unit_test(test_webhook_retries),
        cmocka_unit_test(test_backoff_cap),
        cmocka_unit_test(test_no_sender_configured),
        cmocka_unit_test(test_smtp),
        cmocka_unit_test(test_concurrent_claims),
        cmocka_unit_test(test_stale_claims),
        cmocka_unit_test(test_worker),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

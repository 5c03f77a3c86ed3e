/* outbox senders: "dev" (the log) and "live": e-mail by SMTP and SMS through the HTTP webhook of
 * an SMS/WhatsApp gateway, both through libcurl. Owns the wire formats: the RFC 5322 message and
 * the signed JSON payload. See outbox.h and docs/internals/outbox.md. */
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "features/outbox/outbox.h"
#include "lib/log.h"
#include "lib/str.h"

#define SMTP_TIMEOUT 30L
#define WEBHOOK_TIMEOUT 10L

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

/* curl_global_init is not thread-safe on every libcurl; the worker and tests call from threads */
static void curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct upload {
    const char *p;
    size_t n, off;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ud)
{
    struct upload *u = ud;
    size_t room = size * nmemb, left = u->n - u->off;
    size_t k = left < room ? left : room;
    memcpy(dst, u->p + u->off, k);
    u->off += k;
    return k;
}

static size_t discard(char *p, size_t size, size_t nmemb, void *ud)
{
    (void)p;
    (void)ud;
    return size * nmemb;
}

/* a bare address that cannot break out of a header or an SMTP command */
static bool plain_address(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 254 || !strchr(s, '@')) return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == '"' || *p == ',' ||
            *p == ';')
            return false;
    return true;
}

static bool local_host(const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    const char *names[] = {"localhost", "127.0.0.1", "[::1]"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(h, names[i], n) == 0 && (h[n] == 0 || h[n] == ':' || h[n] == '/')) return true;
    }
    return false;
}

/* Subject as RFC 2047 encoded-words ("B", UTF-8), each at most 75 characters and holding whole
 * UTF-8 characters, folded onto continuation lines */
static void put_subject(buf *b, const char *subject)
{
    const unsigned char *p = (const unsigned char *)subject;
    size_t n = strlen(subject), off = 0;
    buf_puts(b, "Subject:");
    if (n == 0) buf_puts(b, " ");
    while (off < n) {
        size_t k = n - off < 45 ? n - off : 45; /* 45 bytes -> 60 base64 characters */
        while (off + k < n && k > 0 && (p[off + k] & 0xC0) == 0x80)
            k--; /* do not split a character */
        if (k == 0) k = n - off < 45 ? n - off : 45;
        char enc[64];
        sodium_bin2base64(enc, sizeof enc, p + off, k, sodium_base64_VARIANT_ORIGINAL);
        buf_printf(b, "%s=?UTF-8?B?%s?=", off ? "\r\n " : " ", enc);
        off += k;
    }
    buf_puts(b, "\r\n");
}

/* text/plain body: line ends made CRLF (the canonical form), then base64 in 76-character lines */
static void put_body(buf *b, const char *body)
{
    buf t;
    buf_init(&t, 16 * 1024);
    for (const char *p = body; *p; p++) {
        if (*p == '\r' && p[1] == '\n') continue;
        if (*p == '\n' || *p == '\r') buf_puts(&t, "\r\n");
        else buf_putc(&t, *p);
    }
    char out[80];
    for (size_t off = 0; off < t.n; off += 57) { /* 57 bytes = 76 characters */
        size_t k = t.n - off < 57 ? t.n - off : 57;
        sodium_bin2base64(out, sizeof out, (const unsigned char *)t.p + off, k,
                          sodium_base64_VARIANT_ORIGINAL);
        buf_puts(b, out);
        buf_puts(b, "\r\n");
    }
    if (t.p) sodium_memzero(t.p, t.n);
    buf_free(&t);
}

static enum outbox_result send_smtp(const layan_config *cfg, const outbox_msg *m, char *err,
                                    size_t errlen)
{
    if (strncmp(cfg->smtp_url, "smtp://", 7) != 0 && strncmp(cfg->smtp_url, "smtps://", 8) != 0) {
        snprintf(err, errlen, "[notify] smtp_url must start with smtp:// or smtps://");
        return OUTBOX_PERMANENT;
    }
    if (!plain_address(cfg->smtp_from)) {
        snprintf(err, errlen, "[notify] smtp_from is not a plain e-mail address");
        return OUTBOX_PERMANENT;
    }
    if (!plain_address(m->recipient)) {
        snprintf(err, errlen, "the recipient is not a plain e-mail address");
        return OUTBOX_PERMANENT;
    }
    buf msg;
    buf_init(&msg, 64 * 1024);
    char date[64];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    unsigned char rnd[12];
    char mid[25];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(mid, sizeof mid, rnd, sizeof rnd);
    buf_printf(&msg, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nMessage-ID: <%lld.%s%s>\r\n", date,
               cfg->smtp_from, m->recipient, (long long)m->id, mid, strchr(cfg->smtp_from, '@'));
    put_subject(&msg, m->subject);
    buf_puts(&msg, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: base64\r\n\r\n");
    put_body(&msg, m->body);

    pthread_once(&curl_once, curl_init);
    CURL *h = curl_easy_init();
    if (!h) {
        sodium_memzero(msg.p, msg.n);
        buf_free(&msg);
        snprintf(err, errlen, "smtp: out of memory");
        return OUTBOX_RETRY;
    }
    struct curl_slist *rcpt = NULL;
    char from[300], to[300];
    snprintf(from, sizeof from, "<%s>", cfg->smtp_from);
    snprintf(to, sizeof to, "<%s>", m->recipient);
    rcpt = curl_slist_append(rcpt, to);
    struct upload u = {msg.p, msg.n, 0};
    curl_easy_setopt(h, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &u);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, SMTP_TIMEOUT);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    /* STARTTLS is required except towards a relay on this machine (smtps:// is TLS anyway) */
    if (strncmp(cfg->smtp_url, "smtp://", 7) == 0 && !local_host(cfg->smtp_url))
        curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (cfg->smtp_user[0]) {
        curl_easy_setopt(h, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->smtp_password);
    }
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    sodium_memzero(msg.p, msg.n);
    buf_free(&msg);
    if (rc == CURLE_OK) return OUTBOX_OK;
    /* curl's text names the step ("RCPT failed: 550"), never the address or the password */
    snprintf(err, errlen, "smtp: %s (reply %ld)", curl_easy_strerror(rc), code);
    /* a 5xx refusal (no such mailbox, sender refused) will not pass later; 4xx and network
     * errors may */
    return code >= 500 && code < 600 ? OUTBOX_PERMANENT : OUTBOX_RETRY;
}

static enum outbox_result send_webhook(const layan_config *cfg, const outbox_msg *m, char *err,
                                       size_t errlen)
{
    if (strncmp(cfg->webhook_url, "http://", 7) != 0 &&
        strncmp(cfg->webhook_url, "https://", 8) != 0) {
        snprintf(err, errlen, "[notify] webhook_url must start with http:// or https://");
        return OUTBOX_PERMANENT;
    }
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)m->id, "channel", m->channel,
                          "to", m->recipient, "subject", m->subject, "text", m->body);
    char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j); /* jansson keeps its own copies: they are freed, not wiped */
    if (!body) {
        snprintf(err, errlen, "cannot build the webhook payload (invalid UTF-8?)");
        return OUTBOX_PERMANENT;
    }
    size_t bn = strlen(body);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)cfg->webhook_secret,
                                strlen(cfg->webhook_secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, bn);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
    char hex[2 * sizeof mac + 1], sig[120];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(sig, sizeof sig, "X-Layan-Signature: sha256=%s", hex);

    pthread_once(&curl_once, curl_init);
    CURL *h = curl_easy_init();
    if (!h) {
        sodium_memzero(body, bn);
        free(body);
        snprintf(err, errlen, "webhook: out of memory");
        return OUTBOX_RETRY;
    }
    struct curl_slist *hs = NULL;
    hs = curl_slist_append(hs, "Content-Type: application/json; charset=utf-8");
    hs = curl_slist_append(hs, sig);
    hs = curl_slist_append(hs, "Expect:"); /* no 100-continue round trip */
    curl_easy_setopt(h, CURLOPT_URL, cfg->webhook_url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)bn);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, WEBHOOK_TIMEOUT);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hs);
    curl_easy_cleanup(h);
    sodium_memzero(body, bn);
    free(body);
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "webhook: %s", curl_easy_strerror(rc));
        return OUTBOX_RETRY;
    }
    if (code >= 200 && code < 300) return OUTBOX_OK;
    snprintf(err, errlen, "webhook answered HTTP %ld", code);
    /* 4xx means the gateway will never take it (bad number, bad signature), except 408 and 429 */
    return code >= 400 && code < 500 && code != 408 && code != 429 ? OUTBOX_PERMANENT
                                                                   : OUTBOX_RETRY;
}

enum outbox_result outbox_send(const layan_config *cfg, const outbox_msg *m, char *err,
                               size_t errlen, const char **sender)
{
    const char *mode = cfg ? cfg->notify_sender : "dev";
    if (strcmp(mode, "dev") == 0) {
        *sender = "dev";
        /* development only (documented): the message, code included, goes to the log */
        LOGI("outbox dev sender (never in production): message %lld by %s to %s subject=%s "
             "body=%s",
             (long long)m->id, m->channel, m->recipient_masked ? m->recipient_masked : "?",
             m->subject, m->body);
        return OUTBOX_OK;
    }
    if (strcmp(mode, "live") != 0) {
        /* kept pending: nothing is lost while the setting is corrected */
        *sender = "none";
        snprintf(err, errlen, "unknown [notify] sender (dev or live)");
        return OUTBOX_RETRY;
    }
    *sender = "none";
    if (strcmp(m->channel, "email") == 0 && cfg->smtp_url[0] && cfg->smtp_from[0]) {
        *sender = "smtp";
        return send_smtp(cfg, m, err, errlen);
    }
    /* the secret is required: an unsigned request would let anyone who learns the gateway's
     * address send messages as this installation */
    if (strcmp(m->channel, "sms") == 0 && cfg->webhook_url[0] && cfg->webhook_secret[0]) {
        *sender = "webhook";
        return send_webhook(cfg, m, err, errlen);
    }
    snprintf(err, errlen, "no sender configured for %s",
             strcmp(m->channel, "email") == 0 ? "email" : "sms");
    return OUTBOX_PERMANENT;
}

/* outbox senders: dev (the log), SMTP for e-mail and an HTTP webhook for SMS/WhatsApp gateways,
 * both through libcurl. See outbox.h and docs/internals/outbox.md. */
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "features/outbox/outbox.h"
#include "lib/log.h"
#include "lib/str.h"

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

static void b64(buf *b, const char *p, size_t n)
{
    char out[4 * 60 / 3 + 4];
    for (size_t off = 0; off < n; off += 57) { /* 57 bytes = 76 characters a line */
        size_t k = n - off < 57 ? n - off : 57;
        sodium_bin2base64(out, sizeof out, (const unsigned char *)p + off, k,
                          sodium_base64_VARIANT_ORIGINAL);
        buf_puts(b, out);
        buf_puts(b, "\r\n");
    }
}

static bool local_host(const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    return strncmp(h, "localhost", 9) == 0 || strncmp(h, "127.0.0.1", 9) == 0 ||
           strncmp(h, "[::1]", 5) == 0;
}

static enum outbox_result send_smtp(const layan_config *cfg, const outbox_msg *m, char *err,
                                    size_t errlen)
{
    if (!cfg->smtp_url[0] || !cfg->smtp_from[0]) {
        snprintf(err, errlen, "no sender configured for email ([notify] smtp_url, smtp_from)");
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
    const char *at = strchr(cfg->smtp_from, '@');
    buf_printf(&msg,
               "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nMessage-ID: <%s%s>\r\nSubject: =?UTF-8?B?",
               date, cfg->smtp_from, m->recipient, mid, at ? at : "@layan");
    char sub[400];
    sodium_bin2base64(sub, sizeof sub, (const unsigned char *)m->subject,
                      strlen(m->subject) < 280 ? strlen(m->subject) : 280,
                      sodium_base64_VARIANT_ORIGINAL);
    buf_printf(&msg,
               "%s?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
               "Content-Transfer-Encoding: base64\r\n\r\n",
               sub);
    b64(&msg, m->body, strlen(m->body));
    CURL *h = curl_easy_init();
    struct curl_slist *rcpt = NULL;
    char from[300], to[340];
    snprintf(from, sizeof from, "<%s>", cfg->smtp_from);
    snprintf(to, sizeof to, "<%s>", m->recipient);
    rcpt = curl_slist_append(rcpt, to);
    struct upload u = {msg.p, msg.n, 0};
    curl_easy_setopt(h, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &u);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    /* STARTTLS is required except towards a relay on this machine */
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
    snprintf(err, errlen, "smtp: %s (reply %ld)", curl_easy_strerror(rc), code);
    /* a 5xx reply to the recipient is permanent (no such mailbox); the rest may pass later */
    return code >= 500 && code < 600 && rc == CURLE_SEND_ERROR ? OUTBOX_PERMANENT : OUTBOX_RETRY;
}

static enum outbox_result send_webhook(const layan_config *cfg, const outbox_msg *m, char *err,
                                       size_t errlen)
{
    if (!cfg->webhook_url[0]) {
        snprintf(err, errlen, "no sender configured for sms ([notify] webhook_url)");
        return OUTBOX_PERMANENT;
    }
    json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)m->id, "channel", m->channel,
                          "to", m->recipient, "subject", m->subject, "text", m->body);
    char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!body) {
        snprintf(err, errlen, "cannot build the webhook payload");
        return OUTBOX_PERMANENT;
    }
    size_t bn = strlen(body);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)cfg->webhook_secret,
                                strlen(cfg->webhook_secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, bn);
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1], sig[120];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(sig, sizeof sig, "X-Layan-Signature: sha256=%s", hex);
    struct curl_slist *hs = NULL;
    hs = curl_slist_append(hs, "Content-Type: application/json");
    hs = curl_slist_append(hs, sig);
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, cfg->webhook_url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)bn);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
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
    /* 4xx means the gateway will never take it (bad number, bad key), except 408 and 429 */
    return code >= 400 && code < 500 && code != 408 && code != 429 ? OUTBOX_PERMANENT
                                                                   : OUTBOX_RETRY;
}

enum outbox_result outbox_send(const layan_config *cfg, const outbox_msg *m, char *err,
                               size_t errlen, const char **sender)
{
    if (!cfg || strcmp(cfg->notify_sender, "live") != 0) {
        *sender = "dev";
        /* development only (documented): the message, code included, goes to the log */
        char masked[64];
        size_t n = strlen(m->recipient);
        snprintf(masked, sizeof masked, "%.4s****%s", m->recipient,
                 n > 8 ? m->recipient + n - 4 : "");
        LOGI("outbox dev sender: message %lld by %s to %s: %s | %s", (long long)m->id, m->channel,
             masked, m->subject, m->body);
        return OUTBOX_OK;
    }
    if (strcmp(m->channel, "email") == 0) {
        *sender = "smtp";
        return send_smtp(cfg, m, err, errlen);
    }
    *sender = "webhook";
    return send_webhook(cfg, m, err, errlen);
}

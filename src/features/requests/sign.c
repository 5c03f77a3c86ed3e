/* requests/sign: the signed payload of receipt and document QR codes (see requests.h). The
 * payload is bytes, base32-encoded so the QR can use its compact alphanumeric mode. */
#include <string.h>

#include "features/requests/requests.h"

#define RAW_SIGNED 11
#define RAW_LEN (RAW_SIGNED + CR_SIGN_BYTES)
_Static_assert((RAW_LEN * 8 + 4) / 5 == REQ_QR_CHARS, "payload length");

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const int64_t epoch_day = 18262; /* 2020-01-01 */

static void b32_encode(const unsigned char *p, size_t n, char *out)
{
    size_t k = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | p[i];
        bits += 8;
        while (bits >= 5) {
            out[k++] = b32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out[k++] = b32[(acc << (5 - bits)) & 31];
    out[k] = 0;
}

/* exactly cap bytes, the unused low bits of the last symbol zero; false otherwise */
static bool b32_decode(const char *s, size_t n, unsigned char *out, size_t cap)
{
    if (n != (cap * 8 + 4) / 5) return false;
    unsigned acc = 0;
    int bits = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        const char *p = c ? strchr(b32, c) : NULL;
        if (!p) return false;
        acc = (acc << 5) | (unsigned)(p - b32);
        bits += 5;
        if (bits >= 8) {
            if (k == cap) return false;
            out[k++] = (unsigned char)(acc >> (bits - 8));
            bits -= 8;
        }
        acc &= (1u << bits) - 1;
    }
    return k == cap && acc == 0;
}

static void signed_message(const unsigned char raw[RAW_SIGNED], unsigned char msg[8 + RAW_SIGNED])
{
    memcpy(msg, "layan-qr", 8);
    memcpy(msg + 8, raw, RAW_SIGNED);
}

int req_qr_sign(const cr_keys *k, const char code[TRK_LEN], enum req_doc_kind kind, cal_date issued,
                char out[REQ_QR_CHARS + 1])
{
    int64_t num = trk_to_number(code);
    if (num < 0 || kind < REQ_DOC_RECEIPT || kind > REQ_DOC_KIOSK ||
        !cal_date_valid(issued.y, issued.m, issued.d))
        return -1;
    int64_t day = cal_days_from_civil(issued.y, issued.m, issued.d) - epoch_day;
    if (day < 0 || day > 0xFFFF) return -1;
    unsigned char raw[RAW_LEN], msg[8 + RAW_SIGNED];
    raw[0] = 1;
    raw[1] = REQ_SIGN_GEN;
    for (int i = 0; i < 6; i++)
        raw[2 + i] = (unsigned char)(num >> (8 * (5 - i)));
    raw[8] = (unsigned char)kind;
    raw[9] = (unsigned char)(day >> 8);
    raw[10] = (unsigned char)day;
    signed_message(raw, msg);
    if (cr_sign(k, REQ_SIGN_GEN, msg, sizeof msg, raw + RAW_SIGNED) != 0) return -1;
    b32_encode(raw, RAW_LEN, out);
    return 0;
}

int req_qr_verify(const cr_keys *k, const char *payload, size_t n, req_qr *out)
{
    unsigned char raw[RAW_LEN], msg[8 + RAW_SIGNED], pk[CR_SIGN_PUBLIC];
    memset(out, 0, sizeof *out);
    if (!payload || !b32_decode(payload, n, raw, sizeof raw) || raw[0] != 1) return -1;
    int64_t num = 0;
    for (int i = 0; i < 6; i++)
        num = (num << 8) | raw[2 + i];
    if (raw[8] < REQ_DOC_RECEIPT || raw[8] > REQ_DOC_KIOSK || !trk_from_number(num, out->code))
        return -1;
    unsigned gen = raw[1];
    if (gen < 1 || gen > REQ_SIGN_GEN) return -2;
    signed_message(raw, msg);
    cr_sign_public_key(k, gen, pk);
    if (!cr_sign_verify(pk, msg, sizeof msg, raw + RAW_SIGNED)) {
        memset(out, 0, sizeof *out);
        return -2;
    }
    out->kind = (enum req_doc_kind)raw[8];
    out->issued = cal_civil_from_days(epoch_day + ((int64_t)raw[9] << 8 | raw[10]));
    out->gen = gen;
    return 0;
}

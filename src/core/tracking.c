/* core/tracking: see tracking.h */
#include "core/tracking.h"

#include <string.h>

static const char alphabet[] = TRK_ALPHABET;
_Static_assert(sizeof alphabet - 1 == TRK_RADIX, "the alphabet has TRK_RADIX symbols");

int trk_value(char c)
{
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

char trk_check_symbol(const char data[TRK_LEN - 1])
{
    int sum = 0;
    for (int i = 0; i < TRK_LEN - 1; i++) {
        int v = trk_value(data[i]);
        if (v < 0) return 0;
        sum = (sum + (i + 1) * v) % TRK_RADIX;
    }
    /* 10 * check == -sum (mod 29); 10 * 3 = 30 == 1, so check = -3 * sum */
    int check = (TRK_RADIX - (3 * sum) % TRK_RADIX) % TRK_RADIX;
    return alphabet[check];
}

bool trk_valid(const char code[TRK_LEN])
{
    int sum = 0;
    for (int i = 0; i < TRK_LEN; i++) {
        char c = code[i];
        if (c >= 'a' && c <= 'z') return false; /* canonical form only */
        int v = trk_value(c);
        if (v < 0) return false;
        sum = (sum + (i + 1) * v) % TRK_RADIX;
    }
    return sum == 0;
}

bool trk_generate(const unsigned char *rnd, size_t n, char out[TRK_LEN + 1])
{
    int k = 0;
    for (size_t i = 0; i < n && k < TRK_LEN - 1; i++)
        if (rnd[i] < 8 * TRK_RADIX) out[k++] = alphabet[rnd[i] % TRK_RADIX];
    if (k < TRK_LEN - 1) return false;
    out[TRK_LEN - 1] = trk_check_symbol(out);
    out[TRK_LEN] = 0;
    return true;
}

bool trk_parse(const char *s, size_t n, char out[TRK_LEN + 1])
{
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '-' || c == '\t') continue;
        int v = trk_value(c);
        if (v < 0 || k == TRK_LEN) return false;
        out[k++] = alphabet[v];
    }
    out[k] = 0;
    return k == TRK_LEN && trk_valid(out);
}

void trk_format(const char code[TRK_LEN], char out[TRK_SHOWN + 1])
{
    memcpy(out, code, 4);
    out[4] = '-';
    memcpy(out + 5, code + 4, 4);
    out[9] = '-';
    memcpy(out + 10, code + 8, 2);
    out[12] = 0;
}

int64_t trk_to_number(const char code[TRK_LEN])
{
    if (!trk_valid(code)) return -1;
    int64_t v = 0;
    for (int i = 0; i < TRK_LEN - 1; i++)
        v = v * TRK_RADIX + trk_value(code[i]);
    return v;
}

bool trk_from_number(int64_t v, char out[TRK_LEN + 1])
{
    int64_t max = 1;
    for (int i = 0; i < TRK_LEN - 1; i++)
        max *= TRK_RADIX;
    if (v < 0 || v >= max) return false;
    for (int i = TRK_LEN - 2; i >= 0; i--) {
        out[i] = alphabet[v % TRK_RADIX];
        v /= TRK_RADIX;
    }
    out[TRK_LEN - 1] = trk_check_symbol(out);
    out[TRK_LEN] = 0;
    return true;
}

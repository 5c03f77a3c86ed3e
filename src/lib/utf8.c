/* utf8: a byte-at-a-time validator following the Unicode well-formed byte sequence table. */
#include "lib/utf8.h"

static bool valid(const unsigned char *s, size_t n, bool text)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (text && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f))
                return false;
            i++;
            continue;
        }
        size_t len;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) len = 2;
        else if (c == 0xe0) len = 3, lo = 0xa0;
        else if (c >= 0xe1 && c <= 0xec) len = 3;
        else if (c == 0xed) len = 3, hi = 0x9f; /* no surrogates */
        else if (c >= 0xee && c <= 0xef) len = 3;
        else if (c == 0xf0) len = 4, lo = 0x90;
        else if (c >= 0xf1 && c <= 0xf3) len = 4;
        else if (c == 0xf4) len = 4, hi = 0x8f;
        else return false;
        if (n - i < len) return false;
        if (s[i + 1] < lo || s[i + 1] > hi) return false;
        for (size_t k = 2; k < len; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xbf) return false;
        /* C1 controls (U+0080..U+009F) are not text */
        if (text && c == 0xc2 && s[i + 1] < 0xa0) return false;
        i += len;
    }
    return true;
}

bool utf8_valid(const char *p, size_t n)
{
    return valid((const unsigned char *)p, n, false);
}

bool utf8_valid_text(const char *p, size_t n)
{
    return valid((const unsigned char *)p, n, true);
}

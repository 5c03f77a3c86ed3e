/* core/mask: NIK masking. */
#include "core/mask.h"

#include <string.h>

size_t nik_mask(const char *s, size_t n, char *out, size_t outsz)
{
    if (!out || outsz == 0) return 0;
    if (outsz < NIK_MASK_SIZE) {
        out[0] = '\0';
        return 0;
    }
    if (!s) n = 0;
    int digits = n == 16;
    for (size_t i = 0; digits && i < n; i++)
        if (s[i] < '0' || s[i] > '9') digits = 0;
    if (digits) {
        memcpy(out, s, 4);
        memset(out + 4, '*', 8);
        memcpy(out + 12, s + 12, 4);
        out[16] = '\0';
        return 16;
    }
    size_t m = n < 16 ? n : 16;
    memset(out, '*', m);
    out[m] = '\0';
    return m;
}

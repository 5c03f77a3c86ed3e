/* core/mask: masking of personal identity numbers for display and logs (UU 27/2022 PDP).
 *
 * A well-formed NIK/KK number (exactly 16 ASCII digits) keeps its first 4 and last 4 digits:
 * "3273********0001". Anything else is masked completely: one '*' per input byte, at most 16,
 * so a malformed value never leaks any of its characters. */
#ifndef LAYAN_CORE_MASK_H
#define LAYAN_CORE_MASK_H
#include <stddef.h>

#define NIK_MASK_SIZE 17 /* 16 characters and the NUL */

/* writes the masked form and a NUL into out (outsz >= NIK_MASK_SIZE, else out gets "" when
 * outsz > 0); returns its length */
size_t nik_mask(const char *s, size_t n, char *out, size_t outsz);

#endif

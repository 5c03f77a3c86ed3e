/* core/tracking: tracking codes of service requests. Pure C, no I/O; the caller passes the
 * randomness.
 *
 * A code is 10 symbols of a 29-symbol alphabet, shown as XXXX-XXXX-XX:
 *
 *     23456789ABCDEFGHJKMNPQRSTVWXY
 *
 * (none of 0 O 1 I L, which people confuse; no U, read as V; no Z, read as 2). Nine symbols are
 * random (29^9 ~ 1.45e13, about 43.7 bits); the tenth is a check symbol chosen so that
 *
 *     sum over i = 1..10 of  i * value(symbol i)  ==  0  (mod 29)
 *
 * 29 is prime and every weight 1..10 is non-zero mod 29, so a single wrong symbol always changes
 * the sum; swapping two neighbours a, b changes it by (a - b), also never 0 mod 29 when a != b;
 * so does swapping symbols two apart (2(a - b)). See docs/internals/requests.md. */
#ifndef LAYAN_CORE_TRACKING_H
#define LAYAN_CORE_TRACKING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRK_LEN 10   /* symbols, without dashes */
#define TRK_SHOWN 12 /* XXXX-XXXX-XX */
#define TRK_RADIX 29
#define TRK_ALPHABET "23456789ABCDEFGHJKMNPQRSTVWXY"
#define TRK_RANDOM_BYTES 32 /* what trk_generate wants: plenty for rejection sampling */

/* value of a symbol (upper or lower case), -1 when not in the alphabet */
int trk_value(char c);
/* the check symbol for 9 data symbols (canonical upper case); 0 when one is not in the alphabet */
char trk_check_symbol(const char data[TRK_LEN - 1]);
/* exactly TRK_LEN canonical symbols whose check symbol is right */
bool trk_valid(const char code[TRK_LEN]);
/* a new code from random bytes (uniform: bytes >= 232 are skipped). false only when rnd ran out
 * (needs 9 usable bytes; with TRK_RANDOM_BYTES the odds of that are below 1e-20) */
bool trk_generate(const unsigned char *rnd, size_t n, char out[TRK_LEN + 1]);
/* what a person typed: case, spaces and dashes do not matter. true and the canonical code in out
 * when it has TRK_LEN symbols of the alphabet and a right check symbol */
bool trk_parse(const char *s, size_t n, char out[TRK_LEN + 1]);
/* XXXX-XXXX-XX and a NUL */
void trk_format(const char code[TRK_LEN], char out[TRK_SHOWN + 1]);
/* the 9 data symbols as a number below 29^9 < 2^44 (compact payloads), and back (the check
 * symbol is recomputed); -1 / false when invalid */
int64_t trk_to_number(const char code[TRK_LEN]);
bool trk_from_number(int64_t v, char out[TRK_LEN + 1]);

#endif

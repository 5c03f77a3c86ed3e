/* utf8: strict UTF-8 validation (no overlongs, no surrogates, nothing past U+10FFFF). */
#ifndef LAYAN_UTF8_H
#define LAYAN_UTF8_H
#include <stdbool.h>
#include <stddef.h>

bool utf8_valid(const char *p, size_t n);
/* valid UTF-8 without C0 controls other than tab, LF and CR, and without DEL: form text */
bool utf8_valid_text(const char *p, size_t n);

#endif

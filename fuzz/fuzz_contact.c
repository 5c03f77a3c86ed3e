/* Fuzzes the sign-in identifier parser (core/contact) on arbitrary bytes: no crash, no
 * overflow, and what callers rely on: a normalised phone is "08" and 10..13 digits, an e-mail has
 * exactly one '@', a user name is lower case, masks never hold more than 4+4 characters of a
 * phone. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/contact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char out[CONTACT_MAX + 1], m[CONTACT_MAX + 1];
    enum contact_kind k = contact_classify(s, size, out, sizeof out);
    size_t n = k == CONTACT_NONE ? 0 : strlen(out);
    switch (k) {
    case CONTACT_NONE: break;
    case CONTACT_NIK:
        if (n != 16) abort();
        for (size_t i = 0; i < n; i++)
            if (out[i] < '0' || out[i] > '9') abort();
        break;
    case CONTACT_PHONE:
        if (n < 10 || n > 13 || out[0] != '0' || out[1] != '8') abort();
        for (size_t i = 0; i < n; i++)
            if (out[i] < '0' || out[i] > '9') abort();
        contact_mask_phone(out, m, sizeof m);
        if (strlen(m) != 12) abort();
        break;
    case CONTACT_EMAIL: {
        const char *at = strchr(out, '@');
        if (!at || strchr(at + 1, '@') || n > 254) abort();
        contact_mask_email(out, m, sizeof m);
        if (strlen(m) > n + 3) abort();
        break;
    }
    case CONTACT_USERNAME:
        if (n < 3 || n > 40) abort();
        for (size_t i = 0; i < n; i++)
            if (out[i] >= 'A' && out[i] <= 'Z') abort();
        break;
    }
    /* the parsers on their own take the same bytes without trouble */
    char small[16];
    contact_phone(s, size, small, sizeof small);
    contact_email(s, size, out, sizeof out);
    contact_username(s, size, small, sizeof small);
    return 0;
}

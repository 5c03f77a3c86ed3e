/* core/contact: the identifiers people sign in with, parsed and normalised. Pure.
 *
 * Phone numbers are Indonesian mobile numbers, typed any common way ("0812-3456-7890",
 * "+62 812 3456 7890", "62812...") and normalised to the national form "081234567890"
 * (10 to 13 digits after the leading 0, mobile prefix 08). E-mail addresses are checked for a
 * plausible shape only (one @, a dotted domain, no spaces, <= 254 bytes) and lower-cased in the
 * domain part. A sign-in identifier is a NIK (16 digits), a phone number, an e-mail address or a
 * staff user name ([a-z0-9._-], 3..40, starting with a letter). */
#ifndef LAYAN_CORE_CONTACT_H
#define LAYAN_CORE_CONTACT_H
#include <stdbool.h>
#include <stddef.h>

#define CONTACT_MAX 255

enum contact_kind { CONTACT_NONE, CONTACT_NIK, CONTACT_PHONE, CONTACT_EMAIL, CONTACT_USERNAME };

/* normalised phone into out (cap >= 16); false when it is not an Indonesian mobile number */
bool contact_phone(const char *s, size_t n, char *out, size_t cap);
/* e-mail with the domain lower-cased into out (cap >= 255); false when implausible */
bool contact_email(const char *s, size_t n, char *out, size_t cap);
/* staff user name, lower-cased into out (cap >= 41) */
bool contact_username(const char *s, size_t n, char *out, size_t cap);
/* what a sign-in identifier is, normalised into out (cap >= CONTACT_MAX + 1) */
enum contact_kind contact_classify(const char *s, size_t n, char *out, size_t cap);
/* masked for display: "0812****7890", "b***@example.go.id" (out cap >= CONTACT_MAX + 1) */
void contact_mask_phone(const char *phone, char *out, size_t cap);
void contact_mask_email(const char *email, char *out, size_t cap);

#endif

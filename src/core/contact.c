/* core/contact: see contact.h. */
#include "core/contact.h"

#include <stdio.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool contact_phone(const char *s, size_t n, char *out, size_t cap)
{
    char d[32];
    size_t nd = 0;
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    bool plus = i < n && s[i] == '+';
    if (plus) i++;
    for (; i < n; i++) {
        char c = s[i];
        if (is_digit(c)) {
            if (nd >= sizeof d - 1) return false;
            d[nd++] = c;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return false;
        }
    }
    d[nd] = 0;
    const char *rest;
    if (nd > 2 && d[0] == '6' && d[1] == '2') rest = d + 2; /* +62 8xx or 62 8xx */
    else if (!plus && nd > 1 && d[0] == '0') rest = d + 1;
    else return false;
    size_t nr = strlen(rest);
    if (rest[0] != '8' || nr < 9 || nr > 12) return false;
    if (cap < nr + 2) return false;
    out[0] = '0';
    memcpy(out + 1, rest, nr + 1);
    return true;
}

bool contact_email(const char *s, size_t n, char *out, size_t cap)
{
    while (n && s[0] == ' ') {
        s++;
        n--;
    }
    while (n && s[n - 1] == ' ')
        n--;
    if (n < 6 || n > 254 || cap <= n) return false;
    size_t at = n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
            c == '\\' || c == '(' || c == ')' || c == '[' || c == ']' || c == ':')
            return false;
        if (c == '@') {
            if (at != n) return false;
            at = i;
        }
    }
    if (at == 0 || at == n || at > 64) return false;
    const char *dom = s + at + 1;
    size_t nd = n - at - 1;
    bool dot = false;
    for (size_t i = 0; i < nd; i++) {
        char c = dom[i];
        if (c == '.') {
            if (i == 0 || i == nd - 1 || dom[i - 1] == '.') return false;
            dot = true;
        } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' ||
                     (unsigned char)c >= 0x80)) {
            return false;
        }
    }
    if (!dot) return false;
    memcpy(out, s, n);
    out[n] = 0;
    for (size_t i = at + 1; i < n; i++)
        if (out[i] >= 'A' && out[i] <= 'Z') out[i] = (char)(out[i] - 'A' + 'a');
    return true;
}

bool contact_username(const char *s, size_t n, char *out, size_t cap)
{
    if (n < 3 || n > 40 || cap <= n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        bool ok =
            (c >= 'a' && c <= 'z') || (i > 0 && (is_digit(c) || c == '.' || c == '_' || c == '-'));
        if (!ok) return false;
        out[i] = c;
    }
    out[n] = 0;
    return true;
}

enum contact_kind contact_classify(const char *s, size_t n, char *out, size_t cap)
{
    while (n && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 0 || n > CONTACT_MAX || cap <= n) return CONTACT_NONE;
    if (memchr(s, '@', n)) return contact_email(s, n, out, cap) ? CONTACT_EMAIL : CONTACT_NONE;
    bool digits = true;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) digits = false;
    if (digits && n == 16 && s[0] != '0') {
        memcpy(out, s, n);
        out[n] = 0;
        return CONTACT_NIK;
    }
    if (contact_phone(s, n, out, cap)) return CONTACT_PHONE;
    if (contact_username(s, n, out, cap)) return CONTACT_USERNAME;
    return CONTACT_NONE;
}

void contact_mask_phone(const char *phone, char *out, size_t cap)
{
    size_t n = strlen(phone);
    if (n < 8) {
        snprintf(out, cap, "****");
        return;
    }
    snprintf(out, cap, "%.4s****%s", phone, phone + n - 4);
}

void contact_mask_email(const char *email, char *out, size_t cap)
{
    const char *at = strchr(email, '@');
    if (!at || at == email) {
        snprintf(out, cap, "***");
        return;
    }
    snprintf(out, cap, "%c***%s", email[0], at);
}

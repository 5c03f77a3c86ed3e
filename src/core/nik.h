/* core/nik: NIK (Nomor Induk Kependudukan) parsing and validation. Pure: no I/O, no allocation.
 *
 * A NIK is `PP KK CC DD MM YY SSSS` (domain.md §2). nik_parse checks every rule and collects ALL
 * the errors it finds (not just the first), each with an Indonesian and an English message. When
 * the length or the character set is wrong, the positional fields are not examined (they would
 * only add noise). `today` and the district lookup are parameters, so results are reproducible.
 * The parsed fields are filled only when the NIK is valid. */
#ifndef LAYAN_CORE_NIK_H
#define LAYAN_CORE_NIK_H
#include <stdbool.h>
#include <stddef.h>

#include "core/calendar.h"

#define NIK_LEN 16
#define NIK_MAX_ERRORS 8
#define NIK_MSG_MAX 160

/* returns the district name of a dotted code "PP.KK.CC", or NULL when it does not exist
 * (region_table_district_name fits) */
typedef const char *(*nik_district_lookup)(const char *code_dotted);

enum nik_error_code {
    NIK_ERR_LENGTH = 1, /* not 16 characters */
    NIK_ERR_NOT_DIGITS, /* a character other than 0-9 */
    NIK_ERR_DISTRICT,   /* digits 1-6 are not an official kecamatan */
    NIK_ERR_DAY,        /* day not 01-31 nor 41-71 */
    NIK_ERR_MONTH,      /* month not 01-12 */
    NIK_ERR_DATE,       /* day and month in range but not a real date (31 April, 29 Feb 2023) */
    NIK_ERR_FUTURE,     /* the date is after today */
    NIK_ERR_SERIAL,     /* serial 0000 */
};

typedef struct {
    enum nik_error_code code;
    char id[NIK_MSG_MAX]; /* Bahasa Indonesia */
    char en[NIK_MSG_MAX];
} nik_error;

/* shared by the NIK and KK parsers */
typedef struct {
    int n;
    nik_error e[NIK_MAX_ERRORS];
} nik_errors;

typedef struct {
    bool valid;
    char province_code[3]; /* "32" */
    char regency_code[6];  /* "32.73" */
    char district_code[9]; /* "32.73.01" */
    char birth_date[11];   /* "1990-06-05" */
    cal_date birth;
    char sex;                  /* 'L' (laki-laki) or 'P' (perempuan) */
    char serial[5];            /* "0001" */
    const char *district_name; /* from the lookup; NULL when no lookup was given */
    nik_errors errors;
} nik_result;

/* Validates s[0..n). lookup may be NULL (the district is then not checked). Returns true when
 * valid. out is always fully written. */
bool nik_parse(const char *s, size_t n, cal_date today, nik_district_lookup lookup,
               nik_result *out);

/* the message of an error in "id" (default) or "en" */
const char *nik_error_message(const nik_error *e, const char *lang);

/* Two-digit year to a full year: 20YY (same century as today) when YY <= today's last two
 * digits, else the previous century. */
int nik_full_year(int yy, int today_year);

/* ---- helpers shared with core/kk (not for general use) ---- */
void nik_errors_add(nik_errors *es, enum nik_error_code code, const char *id, const char *en);
/* counts "characters" as UTF-8 code points, so "é" is one; used in the length message */
size_t nik_count_chars(const char *s, size_t n);

/* shared by NIK and KK numbers (what_id/what_en name the number in messages: "NIK" / "A NIK"):
 * 16 digits, then the district prefix "PP.KK.CC" looked up; false when the format is wrong */
bool nik_check_prefix(const char *s, size_t n, const char *what_id, const char *what_en,
                      nik_district_lookup lookup, nik_errors *errs, char district[9],
                      const char **dname);

#endif

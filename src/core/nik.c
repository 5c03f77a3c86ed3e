/* core/nik: NIK validation rules and their user-facing messages. */
#include "core/nik.h"

#include <stdio.h>
#include <string.h>

void nik_errors_add(nik_errors *es, enum nik_error_code code, const char *id, const char *en)
{
    if (es->n >= NIK_MAX_ERRORS) return;
    nik_error *e = &es->e[es->n++];
    e->code = code;
    snprintf(e->id, sizeof e->id, "%s", id);
    snprintf(e->en, sizeof e->en, "%s", en);
}

const char *nik_error_message(const nik_error *e, const char *lang)
{
    if (!e) return "";
    return lang && strcmp(lang, "en") == 0 ? e->en : e->id;
}

size_t nik_count_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

int nik_full_year(int yy, int today_year)
{
    int century = today_year - today_year % 100;
    return yy <= today_year % 100 ? century + yy : century - 100 + yy;
}

static int num2(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

bool nik_check_prefix(const char *s, size_t n, const char *what_id, const char *what_en,
                      nik_district_lookup lookup, nik_errors *errs, char district[9],
                      const char **dname)
{
    char id[NIK_MSG_MAX], en[NIK_MSG_MAX];
    bool all_digits = true;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') all_digits = false;
    if (n != NIK_LEN) {
        size_t c = nik_count_chars(s, n);
        snprintf(id, sizeof id, "%s harus 16 angka; yang Anda ketik %zu %s", what_id, c,
                 all_digits ? "angka" : "karakter");
        snprintf(en, sizeof en, "%s must have 16 digits; you typed %zu %s", what_en, c,
                 all_digits ? (c == 1 ? "digit" : "digits")
                            : (c == 1 ? "character" : "characters"));
        nik_errors_add(errs, NIK_ERR_LENGTH, id, en);
    }
    if (!all_digits) {
        snprintf(id, sizeof id, "%s hanya boleh berisi angka", what_id);
        snprintf(en, sizeof en, "%s may contain digits only", what_en);
        nik_errors_add(errs, NIK_ERR_NOT_DIGITS, id, en);
    }
    if (errs->n) return false;
    snprintf(district, 9, "%.2s.%.2s.%.2s", s, s + 2, s + 4);
    *dname = NULL;
    if (lookup) {
        *dname = lookup(district);
        if (!*dname) {
            snprintf(id, sizeof id, "Kode kecamatan %s tidak ada dalam daftar wilayah resmi",
                     district);
            snprintf(en, sizeof en, "District code %s is not in the official region list",
                     district);
            nik_errors_add(errs, NIK_ERR_DISTRICT, id, en);
        }
    }
    return true;
}

bool nik_parse(const char *s, size_t n, cal_date today, nik_district_lookup lookup, nik_result *out)
{
    char id[NIK_MSG_MAX], en[NIK_MSG_MAX];
    memset(out, 0, sizeof *out);
    if (!s) n = 0;

    char district[9];
    const char *dname = NULL;
    if (!nik_check_prefix(s, n, "NIK", "A NIK", lookup, &out->errors, district, &dname))
        return false;

    int dd = num2(s + 6), mm = num2(s + 8), yy = num2(s + 10);
    bool female = dd >= 41 && dd <= 71;
    int day = female ? dd - 40 : dd;
    bool day_ok = (dd >= 1 && dd <= 31) || female;
    bool month_ok = mm >= 1 && mm <= 12;
    if (!day_ok) {
        snprintf(
            id, sizeof id,
            "Tanggal lahir dalam NIK (%02d) tidak valid: harus 01-31, atau 41-71 untuk perempuan",
            dd);
        snprintf(
            en, sizeof en,
            "The day of birth in the NIK (%02d) is invalid: it must be 01-31, or 41-71 for women",
            dd);
        nik_errors_add(&out->errors, NIK_ERR_DAY, id, en);
    }
    if (!month_ok) {
        snprintf(id, sizeof id, "Bulan lahir dalam NIK (%02d) tidak valid: harus 01-12", mm);
        snprintf(en, sizeof en, "The month of birth in the NIK (%02d) is invalid: it must be 01-12",
                 mm);
        nik_errors_add(&out->errors, NIK_ERR_MONTH, id, en);
    }
    int year = nik_full_year(yy, today.y);
    cal_date birth = {year, mm, day};
    if (day_ok && month_ok) {
        if (!cal_date_valid(year, mm, day))
            nik_errors_add(&out->errors, NIK_ERR_DATE, "Tanggal lahir dalam NIK tidak valid",
                           "The date of birth in the NIK is not a real date");
        else if (cal_date_cmp(birth, today) > 0)
            nik_errors_add(&out->errors, NIK_ERR_FUTURE,
                           "Tanggal lahir dalam NIK ada di masa depan",
                           "The date of birth in the NIK is in the future");
    }
    if (memcmp(s + 12, "0000", 4) == 0)
        nik_errors_add(&out->errors, NIK_ERR_SERIAL, "Nomor urut 0000 tidak valid",
                       "Serial number 0000 is invalid");
    if (out->errors.n) return false;

    out->valid = true;
    memcpy(out->province_code, s, 2);
    snprintf(out->regency_code, sizeof out->regency_code, "%.2s.%.2s", s, s + 2);
    memcpy(out->district_code, district, sizeof district);
    out->birth = birth;
    cal_date_format(birth, out->birth_date, sizeof out->birth_date);
    out->sex = female ? 'P' : 'L';
    memcpy(out->serial, s + 12, 4);
    out->district_name = dname;
    return true;
}

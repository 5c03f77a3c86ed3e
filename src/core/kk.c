/* core/kk: KK number validation rules and their user-facing messages. */
#include "core/kk.h"

#include <stdio.h>
#include <string.h>

static int num2(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

bool kk_parse(const char *s, size_t n, cal_date today, nik_district_lookup lookup, kk_result *out)
{
    char id[NIK_MSG_MAX], en[NIK_MSG_MAX];
    memset(out, 0, sizeof *out);
    if (!s) n = 0;

    char district[9];
    const char *dname = NULL;
    if (!nik_check_prefix(s, n, "Nomor KK", "A KK number", lookup, &out->errors, district, &dname))
        return false;

    int dd = num2(s + 6), mm = num2(s + 8), yy = num2(s + 10);
    bool day_ok = dd >= 1 && dd <= 31, month_ok = mm >= 1 && mm <= 12;
    if (!day_ok) {
        snprintf(id, sizeof id, "Tanggal pencatatan dalam nomor KK (%02d) tidak valid: harus 01-31",
                 dd);
        snprintf(en, sizeof en,
                 "The recording day in the KK number (%02d) is invalid: it must be 01-31", dd);
        nik_errors_add(&out->errors, NIK_ERR_DAY, id, en);
    }
    if (!month_ok) {
        snprintf(id, sizeof id, "Bulan pencatatan dalam nomor KK (%02d) tidak valid: harus 01-12",
                 mm);
        snprintf(en, sizeof en,
                 "The recording month in the KK number (%02d) is invalid: it must be 01-12", mm);
        nik_errors_add(&out->errors, NIK_ERR_MONTH, id, en);
    }
    cal_date rec = {nik_full_year(yy, today.y), mm, dd};
    if (day_ok && month_ok) {
        if (!cal_date_valid(rec.y, rec.m, rec.d))
            nik_errors_add(&out->errors, NIK_ERR_DATE,
                           "Tanggal pencatatan dalam nomor KK tidak valid",
                           "The recording date in the KK number is not a real date");
        else if (cal_date_cmp(rec, today) > 0)
            nik_errors_add(&out->errors, NIK_ERR_FUTURE,
                           "Tanggal pencatatan dalam nomor KK ada di masa depan",
                           "The recording date in the KK number is in the future");
    }
    if (memcmp(s + 12, "0000", 4) == 0)
        nik_errors_add(&out->errors, NIK_ERR_SERIAL, "Nomor urut keluarga 0000 tidak valid",
                       "Family serial number 0000 is invalid");
    if (out->errors.n) return false;

    out->valid = true;
    memcpy(out->province_code, s, 2);
    snprintf(out->regency_code, sizeof out->regency_code, "%.2s.%.2s", s, s + 2);
    memcpy(out->district_code, district, sizeof district);
    out->recorded = rec;
    cal_date_format(rec, out->recorded_date, sizeof out->recorded_date);
    memcpy(out->serial, s + 12, 4);
    out->district_name = dname;
    return true;
}

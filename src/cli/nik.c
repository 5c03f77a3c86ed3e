/* cli/nik: `layan nik check NIK... | -`: validates NIKs with core/nik against the compiled-in
 * district table and prints one compact JSON object per NIK, in input order. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/nik.h"
#include "core/region_table.h"
#include "lib/utf8.h"

#define NIK_LINE_MAX 100 /* bytes per stdin line; longer lines are reported, not read whole */

static void help(void)
{
    printf(
        "Usage: layan nik check [--lang id|en] NIK...\n"
        "       layan nik check [--lang id|en] -      (one NIK per line on standard input)\n\n"
        "Checks each NIK (Nomor Induk Kependudukan) against the rules of the civil registry:\n"
        "16 digits, an existing kecamatan code, a real date of birth (day +40 for women) that is\n"
        "not in the future, and a serial other than 0000. Prints one JSON object per NIK, one\n"
        "per line, in input order:\n"
        "  {\"nik\":...,\"valid\":true|false,\"province_code\":...,\"regency_code\":...,\n"
        "   \"district_code\":...,\"birth_date\":...,\"sex\":\"L\"|\"P\",\"serial\":...,\n"
        "   \"district_name\":...,\"errors\":[...]}\n"
        "The parsed fields appear only when the NIK is valid; errors says why not.\n"
        "On standard input blank lines are skipped, CRLF is accepted, and a line longer than\n"
        "%d bytes is reported as invalid.\n\n"
        "  --lang id|en   language of the error messages (default id, Bahasa Indonesia)\n\n"
        "Today's date comes from the clock; set LAYAN_TODAY=YYYY-MM-DD to fix it.\n"
        "Exit status: 0 when every NIK is valid, 1 when any is invalid, 2 on a usage error.\n",
        NIK_LINE_MAX);
}

static json_t *json_input(const char *s, size_t n)
{
    if (utf8_valid(s, n)) return json_stringn(s, n);
    /* keep the output valid JSON: bytes that are not UTF-8 become '?' */
    char tmp[NIK_LINE_MAX + 1];
    size_t m = n < sizeof tmp ? n : sizeof tmp;
    for (size_t i = 0; i < m; i++)
        tmp[i] = (unsigned char)s[i] >= 0x80 ? '?' : s[i];
    return json_stringn(tmp, m);
}

/* prints the object of one NIK; returns 1 when valid, 0 when not, -1 on output failure */
static int report(const char *s, size_t n, bool too_long, cal_date today, const char *lang)
{
    nik_result r;
    json_t *o = json_object(), *errs = json_array();
    if (too_long) {
        memset(&r, 0, sizeof r);
        nik_errors_add(&r.errors, NIK_ERR_LENGTH,
                       "Baris terlalu panjang (lebih dari 100 byte); NIK harus 16 angka",
                       "Line too long (over 100 bytes); a NIK has 16 digits");
    } else {
        nik_parse(s, n, today, region_table_district_name, &r);
    }
    json_object_set_new(o, "nik", json_input(s, n));
    json_object_set_new(o, "valid", json_boolean(r.valid));
    if (r.valid) {
        char sex[2] = {r.sex, '\0'};
        json_object_set_new(o, "province_code", json_string(r.province_code));
        json_object_set_new(o, "regency_code", json_string(r.regency_code));
        json_object_set_new(o, "district_code", json_string(r.district_code));
        json_object_set_new(o, "birth_date", json_string(r.birth_date));
        json_object_set_new(o, "sex", json_string(sex));
        json_object_set_new(o, "serial", json_string(r.serial));
        json_object_set_new(o, "district_name",
                            r.district_name ? json_string(r.district_name) : json_null());
    }
    for (int i = 0; i < r.errors.n; i++)
        json_array_append_new(errs, json_string(nik_error_message(&r.errors.e[i], lang)));
    json_object_set_new(o, "errors", errs);
    char *text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(o);
    if (!text) return -1;
    int rc = puts(text) < 0 ? -1 : r.valid ? 1 : 0;
    free(text);
    return rc;
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t') return false;
    return true;
}

/* reads stdin line by line with a fixed buffer; returns the number of invalid NIKs or -1 */
static int check_stdin(cal_date today, const char *lang)
{
    char line[NIK_LINE_MAX + 1];
    size_t n = 0;
    bool too_long = false, any = false;
    int bad = 0, c;
    for (;;) {
        c = getchar();
        if (c != EOF && c != '\n') {
            any = true;
            if (n < sizeof line) line[n++] = (char)c;
            else too_long = true;
            continue;
        }
        if (c == EOF && !any) break;
        if (n > 0 && line[n - 1] == '\r' && !too_long) n--;
        if (n > NIK_LINE_MAX) too_long = true;
        if (too_long || !is_blank(line, n)) {
            int r = report(line, too_long ? NIK_LINE_MAX : n, too_long, today, lang);
            if (r < 0) return -1;
            if (r == 0) bad++;
        }
        n = 0;
        too_long = any = false;
        if (c == EOF) break;
    }
    return ferror(stdin) ? -1 : bad;
}

static int today_from_env_or_clock(cal_date *today)
{
    const char *e = getenv("LAYAN_TODAY");
    if (e && *e) return cal_date_parse(e, strlen(e), today) ? 0 : -1;
    time_t t = time(NULL);
    struct tm tm;
    if (!localtime_r(&t, &tm)) return -1;
    *today = (cal_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return 0;
}

int cmd_nik(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "check") != 0)
        return cli_usage_error("nik", "expected `layan nik check NIK...` or `layan nik check -`");
    static const struct option opts[] = {{"lang", required_argument, NULL, 'l'},
                                         {NULL, 0, NULL, 0}};
    const char *lang = "id";
    int ch;
    optind = 2;
    opterr = 0;
    /* getopt permutes, so --lang may come anywhere; a lone "-" (stdin) is always an operand */
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'l' && (strcmp(optarg, "id") == 0 || strcmp(optarg, "en") == 0)) lang = optarg;
        else if (ch == 'l')
            return cli_usage_error("nik", "--lang must be id or en, not '%s'", optarg);
        else return cli_usage_error("nik", "unknown or incomplete option '%s'", argv[optind - 1]);
    }
    if (optind >= argc)
        return cli_usage_error("nik", "give at least one NIK, or - to read standard input");
    int nstdin = 0;
    for (int i = optind; i < argc; i++)
        if (strcmp(argv[i], "-") == 0) nstdin++;
    if (nstdin > 1) return cli_usage_error("nik", "standard input (-) can be read only once");
    cal_date today;
    if (today_from_env_or_clock(&today) < 0)
        return cli_usage_error("nik", "LAYAN_TODAY must be a date like 2026-01-31");

    int bad = 0;
    for (int i = optind; i < argc; i++) {
        int r;
        if (strcmp(argv[i], "-") == 0) {
            r = check_stdin(today, lang);
            if (r < 0) return cli_fail("nik", "cannot read standard input or write the result");
            bad += r;
            continue;
        }
        r = report(argv[i], strlen(argv[i]), false, today, lang);
        if (r < 0) return cli_fail("nik", "cannot write the result");
        if (r == 0) bad++;
    }
    if (fflush(stdout) != 0) return cli_fail("nik", "cannot write the result");
    return bad ? 1 : 0;
}

/* Unit tests of the request parsers: urlencoded, cookies, multipart (every chunk split). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/parse.h"

static const http_limits lim = {8, 16, 32, 256};

static void test_urlencoded(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    http_kvs k;
    assert_int_equal(http_parse_urlencoded(a, STR("q=ni+luh&x=%C3%89&&flag&e="), &lim, &k),
                     HTTP_POK);
    assert_int_equal(k.n, 4);
    assert_true(str_eq_c(http_kvs_get(&k, "q"), "ni luh"));
    assert_true(str_eq_c(http_kvs_get(&k, "x"), "\xC3\x89"));
    assert_true(str_eq_c(http_kvs_get(&k, "flag"), ""));
    assert_non_null(http_kvs_get(&k, "e").p);
    assert_null(http_kvs_get(&k, "nope").p);
    assert_int_equal(http_parse_urlencoded(a, STR("a=%2"), &lim, &k), HTTP_PE_ENCODING);
    assert_int_equal(http_parse_urlencoded(a, STR("a=%G0"), &lim, &k), HTTP_PE_ENCODING);
    assert_int_equal(http_parse_urlencoded(a, STR("a=%C3%28"), &lim, &k), HTTP_PE_UTF8);
    assert_int_equal(http_parse_urlencoded(a, STR("a=%01"), &lim, &k), HTTP_PE_UTF8);
    assert_int_equal(http_parse_urlencoded(a, STR("a=%0A"), &lim, &k),
                     HTTP_POK); /* newline is text */
    /* value cap: 32 bytes exactly is fine, 33 is not */
    assert_int_equal(http_parse_urlencoded(a, STR("v=12345678901234567890123456789012"), &lim, &k),
                     HTTP_POK);
    assert_int_equal(http_parse_urlencoded(a, STR("v=123456789012345678901234567890123"), &lim, &k),
                     HTTP_PE_TOO_LONG);
    /* pair cap: 8 fine, 9 not */
    assert_int_equal(http_parse_urlencoded(a, STR("a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1"), &lim, &k),
                     HTTP_POK);
    assert_int_equal(http_parse_urlencoded(a, STR("a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1"), &lim, &k),
                     HTTP_PE_TOO_MANY);
    arena_free(a);
}

static void test_cookies(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    http_kvs k;
    http_limits cl = {8, 32, 64, 1024};
    assert_int_equal(
        http_parse_cookies(a, STR("lang=en; sid=\"abc\";  junk; x=a b; =v; ok=1"), &cl, &k),
        HTTP_POK);
    assert_true(str_eq_c(http_kvs_get(&k, "lang"), "en"));
    assert_true(str_eq_c(http_kvs_get(&k, "sid"), "abc"));
    assert_true(str_eq_c(http_kvs_get(&k, "ok"), "1"));
    assert_null(http_kvs_get(&k, "x").p); /* a space is not a cookie octet: skipped */
    assert_null(http_kvs_get(&k, "junk").p);
    arena_free(a);
}

static const char body[] =
    "preamble\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"nama\"\r\n\r\n"
    "Siti Aminah\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"berkas\"; filename=\"C:\\\\dok\\\\kk.pdf\"\r\n"
    "Content-Type: application/pdf\r\n\r\n"
    "%PDF-1.4 \r\n--XyNot-a-boundary\r\nend\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"kosong\"; filename=\"\"\r\n\r\n"
    "\r\n"
    "--XyZ--\r\nepilogue";

static void parse_split(size_t split, bool expect_ok)
{
    arena *a = arena_new(0);
    http_mp_limits ml = {8, 64, 1024, 4096, 512, "/tmp"};
    http_mp *m = http_mp_new(a, STR("XyZ"), &ml);
    assert_non_null(m);
    size_t n = sizeof body - 1;
    int e = http_mp_feed(m, body, split);
    if (!e) e = http_mp_feed(m, body + split, n - split);
    http_kvs f;
    http_upload *up;
    size_t nup;
    if (!e) e = http_mp_finish(m, &f, &up, &nup);
    if (!expect_ok) {
        assert_int_not_equal(e, HTTP_POK);
    } else {
        if (e) fail_msg("split at %zu: %s", split, http_perr_str(e));
        assert_int_equal(f.n, 1);
        assert_true(str_eq_c(http_kvs_get(&f, "nama"), "Siti Aminah"));
        assert_int_equal(nup, 1);
        assert_true(str_eq_c(up[0].field, "berkas"));
        assert_true(str_eq_c(up[0].filename, "kk.pdf"));
        assert_true(str_eq_c(up[0].content_type, "application/pdf"));
        const char want[] = "%PDF-1.4 \r\n--XyNot-a-boundary\r\nend";
        assert_int_equal(up[0].size, sizeof want - 1);
        FILE *fp = fopen(up[0].tmp_path, "rb");
        assert_non_null(fp);
        char got[128];
        size_t gn = fread(got, 1, sizeof got, fp);
        fclose(fp);
        assert_int_equal(gn, sizeof want - 1);
        assert_memory_equal(got, want, gn);
        struct stat st;
        assert_int_equal(stat(up[0].tmp_path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        char *path = strdup(up[0].tmp_path);
        http_mp_cleanup(m);
        assert_int_not_equal(access(path, F_OK), 0); /* unclaimed temp files are removed */
        free(path);
        arena_free(a);
        return;
    }
    http_mp_cleanup(m);
    arena_free(a);
}

static void test_multipart_every_split(void **state)
{
    (void)state;
    for (size_t i = 0; i <= sizeof body - 1; i++)
        parse_split(i, true);
}

static void test_multipart_byte_by_byte(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    http_mp_limits ml = {8, 64, 1024, 4096, 512, "/tmp"};
    http_mp *m = http_mp_new(a, STR("XyZ"), &ml);
    for (size_t i = 0; i < sizeof body - 1; i++)
        assert_int_equal(http_mp_feed(m, body + i, 1), HTTP_POK);
    http_kvs f;
    http_upload *up;
    size_t nup;
    assert_int_equal(http_mp_finish(m, &f, &up, &nup), HTTP_POK);
    assert_int_equal(nup, 1);
    http_mp_cleanup(m);
    arena_free(a);
}

static void test_multipart_limits(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    /* file cap 10 bytes: the 39-byte file is refused while streaming */
    http_mp_limits ml = {8, 64, 10, 4096, 512, "/tmp"};
    http_mp *m = http_mp_new(a, STR("XyZ"), &ml);
    int e = http_mp_feed(m, body, sizeof body - 1);
    assert_int_equal(e, HTTP_PE_TOO_LARGE);
    http_mp_cleanup(m);
    /* truncated body: no closing boundary */
    http_mp_limits ok = {8, 64, 1024, 4096, 512, "/tmp"};
    m = http_mp_new(a, STR("XyZ"), &ok);
    assert_int_equal(http_mp_feed(m, body, 60), HTTP_POK);
    http_kvs f;
    http_upload *up;
    size_t nup;
    assert_int_equal(http_mp_finish(m, &f, &up, &nup), HTTP_PE_SYNTAX);
    http_mp_cleanup(m);
    /* field value cap */
    http_mp_limits small = {8, 5, 1024, 4096, 512, "/tmp"};
    m = http_mp_new(a, STR("XyZ"), &small);
    assert_int_equal(http_mp_feed(m, body, sizeof body - 1), HTTP_PE_TOO_LONG);
    http_mp_cleanup(m);
    arena_free(a);
}

static void test_boundary(void **state)
{
    (void)state;
    str b;
    assert_int_equal(http_mp_boundary(STR("multipart/form-data; boundary=----abc123"), &b),
                     HTTP_POK);
    assert_true(str_eq_c(b, "----abc123"));
    assert_int_equal(http_mp_boundary(STR("multipart/form-data; boundary=\"a b\"; x=y"), &b),
                     HTTP_POK);
    assert_true(str_eq_c(b, "a b"));
    assert_int_not_equal(http_mp_boundary(STR("multipart/form-data"), &b), HTTP_POK);
    assert_int_not_equal(http_mp_boundary(STR("multipart/form-data; boundary="), &b), HTTP_POK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urlencoded),
        cmocka_unit_test(test_cookies),
        cmocka_unit_test(test_multipart_every_split),
        cmocka_unit_test(test_multipart_byte_by_byte),
        cmocka_unit_test(test_multipart_limits),
        cmocka_unit_test(test_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

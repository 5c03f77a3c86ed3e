/* core/contact: phone numbers typed the ways people type them, e-mail shapes, sign-in
 * identifiers and masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "core/contact.h"

static void phone(const char *in, const char *want)
{
    char out[32];
    bool ok = contact_phone(in, strlen(in), out, sizeof out);
    if (!want) {
        assert_false(ok);
        return;
    }
    assert_true(ok);
    assert_string_equal(out, want);
}

static void test_phone(void **state)
{
    (void)state;
    phone("081234567890", "081234567890");
    phone("0812-3456-7890", "081234567890");
    phone("+62 812 3456 7890", "081234567890");
    phone("62812 3456 7890", "081234567890");
    phone("(0812) 3456.7890", "081234567890");
    phone("0811234567", "0811234567");       /* 10 digits: the shortest */
    phone("0812345678901", "0812345678901"); /* 13 digits */
    phone("081234567", NULL);                /* too short */
    phone("08123456789012", NULL);           /* too long */
    phone("0221234567", NULL);               /* a landline, not mobile */
    phone("+1 812 345 6789", NULL);
    phone("0812x4567890", NULL);
    phone("+0812345678", NULL);
    phone("", NULL);
}

static void test_email(void **state)
{
    (void)state;
    char out[256];
    assert_true(contact_email("Budi.S@Example.GO.ID", 20, out, sizeof out));
    assert_string_equal(out, "Budi.S@example.go.id");
    assert_true(contact_email(" a@b.id ", 8, out, sizeof out));
    assert_string_equal(out, "a@b.id");
    const char *bad[] = {"budi",    "budi@",   "@b.id",   "a@b",      "a@@b.id", "a b@c.id",
                         "a@b..id", "a@.b.id", "a@b.id.", "<a@b.id>", NULL};
    for (int i = 0; bad[i]; i++)
        assert_false(contact_email(bad[i], strlen(bad[i]), out, sizeof out));
}

static void test_classify(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(contact_classify("3273010101900001", 16, out, sizeof out), CONTACT_NIK);
    assert_int_equal(contact_classify(" 0812 3456 7890 ", 16, out, sizeof out), CONTACT_PHONE);
    assert_string_equal(out, "081234567890");
    assert_int_equal(contact_classify("siti@bandung.go.id", 18, out, sizeof out), CONTACT_EMAIL);
    assert_int_equal(contact_classify("Petugas.Siti", 12, out, sizeof out), CONTACT_USERNAME);
    assert_string_equal(out, "petugas.siti");
    assert_int_equal(contact_classify("1siti", 5, out, sizeof out), CONTACT_NONE);
    assert_int_equal(contact_classify("327301", 6, out, sizeof out), CONTACT_NONE);
    assert_int_equal(contact_classify("", 0, out, sizeof out), CONTACT_NONE);
}

static void test_mask(void **state)
{
    (void)state;
    char out[256];
    contact_mask_phone("081234567890", out, sizeof out);
    assert_string_equal(out, "0812****7890");
    contact_mask_email("budi@example.go.id", out, sizeof out);
    assert_string_equal(out, "b***@example.go.id");
    contact_mask_email("nonsense", out, sizeof out);
    assert_string_equal(out, "***");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

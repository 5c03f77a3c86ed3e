/* Unit tests of the template engine and the i18n catalogs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/tpl.h"

static char out_s[8192];

/* compiles `src` as "t" (with an optional partial "p" and layout "l") and renders it */
static int render(const char *src, json_t *ctx, const tpl_env *env, char *err, size_t errlen)
{
    tpl_set *s = tpl_set_new();
    int r = tpl_add(s, "p", "<b>{{name}}</b>", 15, err, errlen);
    const char *layout = "<title>{{yield \"title\"}}</title><main>{{yield \"main\"}}</main>";
    if (!r) r = tpl_add(s, "l", layout, strlen(layout), err, errlen);
    if (!r) r = tpl_add(s, "t", src, strlen(src), err, errlen);
    if (!r) r = tpl_link(s, err, errlen);
    if (!r) {
        buf b;
        buf_init(&b, 4096);
        r = tpl_render(s, "t", ctx, env, &b);
        snprintf(out_s, sizeof out_s, "%s", b.p ? b.p : "");
        buf_free(&b);
    }
    tpl_set_free(s);
    return r;
}

static const char *R(const char *src, const char *json)
{
    json_t *ctx = json_loads(json, 0, NULL);
    char err[256] = "";
    if (render(src, ctx, NULL, err, sizeof err)) fail_msg("render failed: %s", err);
    json_decref(ctx);
    return out_s;
}

static void test_text_escaping(void **state)
{
    (void)state;
    assert_string_equal(R("<p>{{x}}</p>", "{\"x\":\"<script>alert('a&b')</script>\"}"),
                        "<p>&lt;script&gt;alert(&#39;a&amp;b&#39;)&lt;/script&gt;</p>");
    assert_string_equal(R("<a title=\"{{x}}\">", "{\"x\":\"\\\" onmouseover=\\\"x\"}"),
                        "<a title=\"&quot; onmouseover=&quot;x\">");
    assert_string_equal(R("{{n}} {{f}} {{t}} {{missing}}.", "{\"n\":42,\"f\":1.5,\"t\":true}"),
                        "42 1.5 true .");
}

static void test_url_context(void **state)
{
    (void)state;
    assert_string_equal(R("<a href=\"{{u}}\">", "{\"u\":\"javascript:alert(1)\"}"),
                        "<a href=\"#\">");
    assert_string_equal(R("<a href=\"{{u}}\">", "{\"u\":\" JaVaScRiPt:alert(1)\"}"),
                        "<a href=\"#\">");
    assert_string_equal(R("<a href=\"{{u}}\">", "{\"u\":\"data:text/html,x\"}"), "<a href=\"#\">");
    assert_string_equal(R("<a href=\"{{u}}\">", "{\"u\":\"/unit/32.73.01?a=1&b=2\"}"),
                        "<a href=\"/unit/32.73.01?a=1&amp;b=2\">");
    assert_string_equal(R("<a href='{{u}}'>", "{\"u\":\"https://x.go.id/\"}"),
                        "<a href='https://x.go.id/'>");
    assert_string_equal(R("<a href=\"tel:{{u}}\">", "{\"u\":\"022\"}"), "<a href=\"tel:022\">");
}

static void expect_compile_error(const char *src, const char *line_tag)
{
    char err[256] = "";
    json_t *ctx = json_object();
    int r = render(src, ctx, NULL, err, sizeof err);
    json_decref(ctx);
    if (r == 0) fail_msg("'%s' compiled but must not", src);
    if (!strstr(err, line_tag)) fail_msg("error '%s' does not name %s", err, line_tag);
}

static void test_forbidden_places(void **state)
{
    (void)state;
    expect_compile_error("<{{t}}>", "t.html:1");
    expect_compile_error("<a {{attr}}=1>", "t.html:1");
    expect_compile_error("<a href={{u}}>", "t.html:1");
    expect_compile_error("\n\n<script>var x = {{x}};</script>", "t.html:3");
    expect_compile_error("<style>p { color: {{c}} }</style>", "t.html:1");
    expect_compile_error("<!-- {{x}} -->", "t.html:1");
    expect_compile_error("<a onclick=\"{{x}}\">", "t.html:1");
    expect_compile_error("{{#if x}}", "t.html:1");
    expect_compile_error("{{/if}}", "t.html:1");
    expect_compile_error("{{> nosuch}}", "no template named nosuch");
    /* after the script closes, text is fine again */
    assert_string_equal(R("<script src=\"/a.js\"></script>{{x}}", "{\"x\":\"<\"}"),
                        "<script src=\"/a.js\"></script>&lt;");
}

static void test_safe_html(void **state)
{
    (void)state;
    json_t *ctx = json_object();
    json_object_set_new(ctx, "h", tpl_safe_html("<em>ok</em>"));
    char err[128];
    assert_int_equal(render("{{h}}", ctx, NULL, err, sizeof err), 0);
    assert_string_equal(out_s, "<em>ok</em>");
    json_decref(ctx);
    /* user JSON cannot forge it: a look-alike object renders nothing, a string is escaped */
    assert_string_equal(R("{{h}}", "{\"h\":{\"\\u0001safe-00\":\"<em>x</em>\"}}"), "");
    assert_string_equal(R("{{h}}", "{\"h\":\"<em>x</em>\"}"), "&lt;em&gt;x&lt;/em&gt;");
}

static void test_blocks(void **state)
{
    (void)state;
    assert_string_equal(R("{{#if a}}A{{else}}B{{/if}}{{#unless a}}U{{/unless}}", "{\"a\":0}"),
                        "BU");
    assert_string_equal(R("{{#if a}}A{{else}}B{{/if}}", "{\"a\":[1]}"), "A");
    assert_string_equal(
        R("{{#each xs}}{{@index}}:{{.}}{{#if @last}}.{{else}},{{/if}}{{else}}none{{/each}}",
          "{\"xs\":[\"a\",\"b\"]}"),
        "0:a,1:b.");
    assert_string_equal(R("{{#each xs}}x{{else}}none{{/each}}", "{\"xs\":[]}"), "none");
    /* outer names are visible inside loops and with */
    assert_string_equal(R("{{#each xs}}{{name}}-{{top}} {{/each}}",
                          "{\"top\":\"T\",\"xs\":[{\"name\":\"a\"},{\"name\":\"b\"}]}"),
                        "a-T b-T ");
    assert_string_equal(
        R("{{#with u}}{{name}}{{/with}} {{u.name}}", "{\"u\":{\"name\":\"Andir\"}}"),
        "Andir Andir");
    assert_string_equal(R("{{#each xs}}{{> p}}{{/each}}", "{\"xs\":[{\"name\":\"<i>\"}]}"),
                        "<b>&lt;i&gt;</b>");
    assert_string_equal(R("{{#layout \"l\"}}{{#block \"title\"}}T{{x}}{{/block}}ignored"
                          "{{#block \"main\"}}M{{/block}}{{/layout}}",
                          "{\"x\":\"<\"}"),
                        "<title>T&lt;</title><main>M</main>");
}

static void test_i18n(void **state)
{
    (void)state;
    const char *bld = getenv("LAYAN_BUILD_DIR");
    assert_non_null(bld);
    char dir[1024], err[256];
    snprintf(dir, sizeof dir, "%s/locale", bld);
    i18n_catalogs *cat = i18n_load(dir, err, sizeof err);
    if (!cat) fail_msg("%s", err);
    assert_true(i18n_has_lang(cat, "id"));
    assert_string_equal(i18n_get(cat, "id", "Opening hours"), "Jam buka");
    assert_string_equal(i18n_get(cat, "en", "Opening hours"), "Opening hours");
    assert_string_equal(i18n_get(cat, "id", "No such message"), "No such message");
    assert_string_equal(i18n_get(cat, "xx", "Opening hours"), "Opening hours");
    tpl_env id = {cat, "id"}, en = {cat, "en"};
    json_t *ctx = json_loads("{\"n\":1,\"m\":3,\"q\":\"<x>\"}", 0, NULL);
    assert_int_equal(render("{{_ \"Opening hours\"}}|{{_n \"%d kecamatan service point\" \"%d "
                            "kecamatan service points\" m}}",
                            ctx, &id, err, sizeof err),
                     0);
    assert_string_equal(out_s, "Jam buka|3 tempat layanan kecamatan");
    assert_int_equal(
        render("{{_n \"%d kecamatan service point\" \"%d kecamatan service points\" n}}/"
               "{{_n \"%d kecamatan service point\" \"%d kecamatan service points\" m}}",
               ctx, &en, err, sizeof err),
        0);
    assert_string_equal(out_s, "1 kecamatan service point/3 kecamatan service points");
    /* arguments are escaped with the rest */
    assert_int_equal(render("{{_ \"No service point matches “%s”\" q}}", ctx, &id, err, sizeof err),
                     0);
    assert_string_equal(out_s, "Tidak ada tempat layanan yang cocok dengan “&lt;x&gt;”");
    json_decref(ctx);
    i18n_free(cat);
}

static void test_output_cap(void **state)
{
    (void)state;
    tpl_set *s = tpl_set_new();
    char err[128];
    assert_int_equal(tpl_add(s, "t", "{{#each xs}}0123456789{{/each}}", 31, err, sizeof err), 0);
    json_t *ctx = json_object();
    json_t *xs = json_array();
    for (int i = 0; i < 100; i++)
        json_array_append_new(xs, json_integer(i));
    json_object_set_new(ctx, "xs", xs);
    buf b;
    buf_init(&b, 500);
    assert_int_equal(tpl_render(s, "t", ctx, NULL, &b), -1);
    buf_free(&b);
    buf_init(&b, 1000);
    assert_int_equal(tpl_render(s, "t", ctx, NULL, &b), 0);
    assert_int_equal(b.n, 1000);
    buf_free(&b);
    json_decref(ctx);
    tpl_set_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_escaping),    cmocka_unit_test(test_url_context),
        cmocka_unit_test(test_forbidden_places), cmocka_unit_test(test_safe_html),
        cmocka_unit_test(test_blocks),           cmocka_unit_test(test_i18n),
        cmocka_unit_test(test_output_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

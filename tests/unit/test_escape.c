/* Output escaping: HTML, URL, JSON, Content-Disposition, html_printf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/escape.h"
#include "web/html.h"
#include "web/http.h"

static void test_html(void **s)
{
    (void)s;
    buf b = {0};
    esc_html(&b, "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&");
    assert_string_equal(buf_str(&b), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;");
    buf_free(&b);
    esc_html(&b, "Rà soát văn bản");
    assert_string_equal(buf_str(&b), "Rà soát văn bản");
    buf_free(&b);
}

static void test_url(void **s)
{
    (void)s;
    buf b = {0};
    esc_url(&b, "ra soát/?&=#");
    assert_string_equal(buf_str(&b), "ra%20so%C3%A1t%2F%3F%26%3D%23");
    buf_free(&b);
    char *d = url_decode("ra+so%C3%A1t%2F%zz%", 19);
    assert_string_equal(d, "ra soát/%zz%");
    free(d);
    d = url_decode("a%00b", 5);        /* NUL bytes are dropped */
    assert_string_equal(d, "ab");
    free(d);
}

static void test_json(void **s)
{
    (void)s;
    buf b = {0};
    esc_json(&b, "a\"b\\c\n</script>\x01 đ");
    assert_string_equal(buf_str(&b), "\"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u0001 đ\"");
    buf_free(&b);
    esc_json(&b, NULL);
    assert_string_equal(buf_str(&b), "null");
    buf_free(&b);
}

static void test_content_disposition(void **s)
{
    (void)s;
    buf b = {0};
    esc_content_disposition(&b, "Báo cáo \"quý\" 1.pdf");
    assert_string_equal(buf_str(&b), "attachment; filename=\"Bao cao _quy_ 1.pdf\"; "
                                     "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%22qu%C3%BD%22%201.pdf");
    buf_free(&b);
    esc_content_disposition(&b, "ĐỀ ÁN.docx");
    assert_string_equal(buf_str(&b), "attachment; filename=\"DE AN.docx\"; filename*=UTF-8''%C4%90%E1%BB%80%20%C3%81N.docx");
    buf_free(&b);
}

static void test_html_printf(void **s)
{
    (void)s;
    buf b = {0};
    html_printf(&b, "<a href=\"/tasks?q=%U\" title=\"%s\">%s</a> %d %D %J %%", "đăng ký", "\"x\"", "<b>", -5, (int64_t)1 << 40, "</script>");
    assert_string_equal(buf_str(&b), "<a href=\"/tasks?q=%C4%91%C4%83ng%20k%C3%BD\" title=\"&quot;x&quot;\">&lt;b&gt;</a> -5 1099511627776 "
                                     "\"\\u003c/script\\u003e\" %");
    buf_free(&b);
}

static void test_dates_shown_dd_mm_yyyy(void **s)
{
    (void)s;
    char out[16];
    assert_string_equal(fmt_date("2022-03-31", out), "31/03/2022");
    assert_string_equal(fmt_date("2022-06-14T20:30:00Z", out), "15/06/2022");   /* 03:30 the next day in Vietnam */
    assert_string_equal(fmt_date("2022-02-30", out), "");
    assert_string_equal(fmt_date(NULL, out), "");
}

static void test_multipart(void **s)
{
    (void)s;
    const char *ct = "multipart/form-data; boundary=XyZ";
    const char body[] = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nxin chào\r\n"
                        "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"C:\\\\tmp\\\\Báo cáo.pdf\"\r\n"
                        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--XyZ--\r\n";
    kv fields[4];
    upload ups[2];
    int nf = 0, nu = 0;
    assert_int_equal(parse_multipart(ct, body, sizeof body - 1, fields, &nf, 4, ups, &nu, 2), 0);
    assert_int_equal(nf, 1);
    assert_string_equal(fields[0].name, "note");
    assert_string_equal(fields[0].value, "xin chào");
    assert_int_equal(nu, 1);
    assert_string_equal(ups[0].filename, "Báo cáo.pdf");
    assert_int_equal(ups[0].len, 8);
    assert_memory_equal(ups[0].data, "%PDF-1.4", 8);
    free(fields[0].name); free(fields[0].value);
    free(ups[0].field); free(ups[0].filename); free(ups[0].content_type);
    nf = nu = 0;
    assert_int_equal(parse_multipart(ct, "--XyZ\r\nbroken", 14, fields, &nf, 4, ups, &nu, 2), -1);
    assert_int_equal(parse_multipart("multipart/form-data", body, sizeof body - 1, fields, &nf, 4, ups, &nu, 2), -1);
}

static void test_urlencoded(void **s)
{
    (void)s;
    kv out[4];
    int n = parse_urlencoded("a=1&b=x+y%21&&c", 15, out, 4);
    assert_int_equal(n, 3);
    assert_string_equal(out[1].name, "b");
    assert_string_equal(out[1].value, "x y!");
    assert_string_equal(out[2].name, "c");
    assert_string_equal(out[2].value, "");
    for (int i = 0; i < n; i++) { free(out[i].name); free(out[i].value); }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html), cmocka_unit_test(test_url), cmocka_unit_test(test_json),
        cmocka_unit_test(test_content_disposition), cmocka_unit_test(test_html_printf),
        cmocka_unit_test(test_multipart), cmocka_unit_test(test_dates_shown_dd_mm_yyyy), cmocka_unit_test(test_urlencoded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

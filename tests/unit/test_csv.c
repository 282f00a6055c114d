/* Unit tests for src/core/csv.c: RFC 4180 records, line numbers, limits, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

static void open_str(csv_reader *r, const char *s) { csv_open(r, s, strlen(s)); }

static void expect_record(csv_reader *r, int line, int n, const char *const *fields)
{
    assert_int_equal(csv_next(r), CSV_RECORD);
    assert_int_equal(r->record_line, line);
    assert_int_equal(r->nfields, n);
    for (int i = 0; i < n; i++) assert_string_equal(r->fields[i], fields[i]);
}

static void test_simple_records_and_lines(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "a,b,c\n1,2,3\n");
    expect_record(&r, 1, 3, (const char *[]){"a", "b", "c"});
    expect_record(&r, 2, 3, (const char *[]){"1", "2", "3"});
    assert_int_equal(csv_next(&r), CSV_END);
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
}

static void test_quoted_fields(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "\"a,b\",\"say \"\"hi\"\"\",\"\",plain\n");
    expect_record(&r, 1, 4, (const char *[]){"a,b", "say \"hi\"", "", "plain"});
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
}

static void test_embedded_newlines_keep_record_line(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "h1,h2\n\"line one\nline two\r\nline three\",x\nnext,row\n");
    expect_record(&r, 1, 2, (const char *[]){"h1", "h2"});
    expect_record(&r, 2, 2, (const char *[]){"line one\nline two\nline three", "x"});
    expect_record(&r, 5, 2, (const char *[]){"next", "row"});
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
}

static void test_crlf_lone_cr_and_no_final_newline(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "a,b\r\nc,d\re,f");
    expect_record(&r, 1, 2, (const char *[]){"a", "b"});
    expect_record(&r, 2, 2, (const char *[]){"c", "d"});
    expect_record(&r, 3, 2, (const char *[]){"e", "f"});
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
}

static void test_bom_and_blank_lines_skipped(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "\xEF\xBB\xBFmã,tên\n\n\r\nx,y\n\n");
    expect_record(&r, 1, 2, (const char *[]){"mã", "tên"});
    expect_record(&r, 4, 2, (const char *[]){"x", "y"});
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
}

static void test_empty_fields_and_trailing_comma(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "a,,c,\n,\n,");
    expect_record(&r, 1, 4, (const char *[]){"a", "", "c", ""});
    expect_record(&r, 2, 2, (const char *[]){"", ""});
    expect_record(&r, 3, 2, (const char *[]){"", ""});
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
}

static void test_empty_input_and_only_bom(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "");
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
    open_str(&r, "\xEF\xBB\xBF");
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
    csv_open(&r, NULL, 10);
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
}

static void test_not_nul_terminated_input(void **state)
{
    (void)state;
    const char text[] = {'a', ',', 'b', 'X', 'Y'};
    csv_reader r;
    csv_open(&r, text, 3);
    expect_record(&r, 1, 2, (const char *[]){"a", "b"});
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_field_limit_and_recovery(void **state)
{
    (void)state;
    char *ok = repeat('x', CSV_MAX_FIELD), *big = repeat('y', CSV_MAX_FIELD + 1);
    size_t n = 3 * CSV_MAX_FIELD + 64;
    char *text = malloc(n);
    snprintf(text, n, "h\n%s\n\"%s\"\nafter\n", ok, big);
    csv_reader r;
    open_str(&r, text);
    expect_record(&r, 1, 1, (const char *[]){"h"});
    assert_int_equal(csv_next(&r), CSV_RECORD);
    assert_int_equal(strlen(r.fields[0]), CSV_MAX_FIELD);
    assert_int_equal(csv_next(&r), CSV_ERROR);
    assert_int_equal(r.error, CSV_ERR_FIELD_TOO_LONG);
    assert_int_equal(r.error_line, 3);
    assert_int_equal(r.record_line, 3);
    assert_int_equal(r.error_column, 1);
    assert_true(strlen(csv_error_text(r.error)) > 0);
    expect_record(&r, 4, 1, (const char *[]){"after"});
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
    free(ok); free(big); free(text);
}

static void test_column_limit(void **state)
{
    (void)state;
    char text[512] = "";
    for (int i = 0; i < CSV_MAX_COLUMNS; i++) strcat(text, i ? ",c" : "c");
    strcat(text, "\n");
    for (int i = 0; i <= CSV_MAX_COLUMNS; i++) strcat(text, i ? ",d" : "d");
    strcat(text, "\nlast\n");
    csv_reader r;
    open_str(&r, text);
    assert_int_equal(csv_next(&r), CSV_RECORD);
    assert_int_equal(r.nfields, CSV_MAX_COLUMNS);
    assert_int_equal(csv_next(&r), CSV_ERROR);
    assert_int_equal(r.error, CSV_ERR_TOO_MANY_COLUMNS);
    assert_int_equal(r.error_line, 2);
    assert_int_equal(r.error_column, CSV_MAX_COLUMNS + 1);
    expect_record(&r, 3, 1, (const char *[]){"last"});
    csv_close(&r);
}

static void test_unterminated_quote_reports_opening_line(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "a,b\nc,\"open\nstill open\nto the end\n");
    expect_record(&r, 1, 2, (const char *[]){"a", "b"});
    assert_int_equal(csv_next(&r), CSV_ERROR);
    assert_int_equal(r.error, CSV_ERR_UNTERMINATED);
    assert_int_equal(r.error_line, 2);
    assert_int_equal(r.error_column, 2);
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
}

static void test_char_after_closing_quote(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "\"abc\"x,y\nz\n");
    assert_int_equal(csv_next(&r), CSV_ERROR);
    assert_int_equal(r.error, CSV_ERR_CHAR_AFTER_QUOTE);
    assert_int_equal(r.error_line, 1);
    expect_record(&r, 2, 1, (const char *[]){"z"});
    csv_close(&r);
}

static void test_quote_inside_unquoted_field(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "ok\nab\"c,d\nfine\n");
    expect_record(&r, 1, 1, (const char *[]){"ok"});
    assert_int_equal(csv_next(&r), CSV_ERROR);
    assert_int_equal(r.error, CSV_ERR_QUOTE_IN_FIELD);
    assert_int_equal(r.error_line, 2);
    assert_int_equal(r.error_column, 1);
    expect_record(&r, 3, 1, (const char *[]){"fine"});
    csv_close(&r);
}

static void test_nul_byte_is_an_error(void **state)
{
    (void)state;
    const char text[] = "a,b\nc,d\0e\nf\n";
    csv_reader r;
    csv_open(&r, text, sizeof text - 1);
    expect_record(&r, 1, 2, (const char *[]){"a", "b"});
    assert_int_equal(csv_next(&r), CSV_ERROR);
    assert_int_equal(r.error, CSV_ERR_NUL_BYTE);
    assert_int_equal(r.error_column, 2);
    expect_record(&r, 3, 1, (const char *[]){"f"});
    csv_close(&r);
}

static void test_error_line_inside_multiline_record(void **state)
{
    (void)state;
    csv_reader r;
    open_str(&r, "h\n\"one\ntwo\"x\nnext\n");
    expect_record(&r, 1, 1, (const char *[]){"h"});
    assert_int_equal(csv_next(&r), CSV_ERROR);
    assert_int_equal(r.record_line, 2);
    assert_int_equal(r.error_line, 3);
    expect_record(&r, 4, 1, (const char *[]){"next"});
    csv_close(&r);
}

static void test_comment_lines(void **state)
{
    (void)state;
    const char *text = "# a comment with a \"quote\", and a comma\na,b\n#x,y\n\"#not a comment\",c\n";
    csv_reader r;
    csv_open(&r, text, strlen(text));
    r.comment_char = '#';
    assert_int_equal(csv_next(&r), CSV_RECORD);
    assert_int_equal(r.record_line, 2);
    assert_string_equal(r.fields[0], "a");
    assert_int_equal(csv_next(&r), CSV_RECORD);
    assert_int_equal(r.record_line, 4);
    assert_string_equal(r.fields[0], "#not a comment");
    assert_int_equal(csv_next(&r), CSV_END);
    csv_close(&r);
    csv_open(&r, text, strlen(text));                 /* without the option: the first line is an error */
    assert_int_equal(csv_next(&r), CSV_ERROR);
    csv_close(&r);
}

static void test_put_field(void **state)
{
    (void)state;
    buf b = {0};
    csv_put_field(&b, "a", false);
    csv_put_field(&b, "b,c", false);
    csv_put_field(&b, "say \"hi\"", false);
    csv_put_field(&b, "=HYPERLINK(\"x\")", false);
    csv_put_field(&b, NULL, true);
    assert_string_equal(buf_str(&b), "a,\"b,c\",\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\",\r\n");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comment_lines),
        cmocka_unit_test(test_simple_records_and_lines),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_embedded_newlines_keep_record_line),
        cmocka_unit_test(test_crlf_lone_cr_and_no_final_newline),
        cmocka_unit_test(test_bom_and_blank_lines_skipped),
        cmocka_unit_test(test_empty_fields_and_trailing_comma),
        cmocka_unit_test(test_empty_input_and_only_bom),
        cmocka_unit_test(test_not_nul_terminated_input),
        cmocka_unit_test(test_field_limit_and_recovery),
        cmocka_unit_test(test_column_limit),
        cmocka_unit_test(test_unterminated_quote_reports_opening_line),
        cmocka_unit_test(test_char_after_closing_quote),
        cmocka_unit_test(test_quote_inside_unquoted_field),
        cmocka_unit_test(test_nul_byte_is_an_error),
        cmocka_unit_test(test_error_line_inside_multiline_record),
        cmocka_unit_test(test_put_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

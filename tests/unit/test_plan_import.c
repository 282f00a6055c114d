/* Unit tests for src/core/plan_import.c: every problem kind, with line numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan_import.h"

#define HEADER "plan_code,area_no,area_title,number,title,lead_unit,coordinating_units,product,deadline_text\n"

static bool known_unit(const char *code, void *ctx)
{
    (void)ctx;
    static const char *const units[] = {"VP", "TCCB", "KHTC", "G_PHONG_SO", "G_DVLQ", NULL};
    for (int i = 0; units[i]; i++)
        if (strcmp(units[i], code) == 0) return true;
    return false;
}

static const pi_options OPT = {.unit_exists = known_unit, .default_year = 2022};

static int validate(const char *text, pi_result *res)
{
    return plan_import_validate(text, strlen(text), &OPT, res);
}

/* The problem at line/column whose message contains needle, or NULL. */
static const pi_problem *find_problem(const pi_result *res, int line, const char *column, const char *needle)
{
    for (int i = 0; i < res->nproblems; i++) {
        const pi_problem *p = &res->problems[i];
        if (p->line == line && strcmp(p->column, column) == 0 && strstr(p->message, needle)) return p;
    }
    return NULL;
}

static void assert_error(const pi_result *res, int line, const char *column, const char *needle)
{
    const pi_problem *p = find_problem(res, line, column, needle);
    if (!p) {
        for (int i = 0; i < res->nproblems; i++)
            print_message("  have: line %d [%s] %s\n", res->problems[i].line, res->problems[i].column, res->problems[i].message);
        fail_msg("no error at line %d column %s containing \"%s\"", line, column, needle);
    }
    assert_int_equal(p->severity, PI_ERROR);
}

static void assert_warning(const pi_result *res, int line, const char *column, const char *needle)
{
    const pi_problem *p = find_problem(res, line, column, needle);
    if (!p) fail_msg("no warning at line %d column %s containing \"%s\"", line, column, needle);
    assert_int_equal(p->severity, PI_WARNING);
}

static const pi_row *row_at(const pi_result *res, int line)
{
    for (int i = 0; i < res->nrows; i++)
        if (res->rows[i].line == line) return &res->rows[i];
    fail_msg("no row at line %d", line);
    return NULL;
}

static void test_valid_file(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER
        "KH,I,Chỉ đạo điều hành,1.a,Ban hành kế hoạch,VP,G_PHONG_SO;TCCB,Kế hoạch,Quý I/2022\n"
        "KH,I,,1.b,\"Tiêu đề, có dấu phẩy\",TCCB,,,Cả năm 2022\n"
        "KH,II,Thủ tục hành chính,2,Rà soát,KHTC,VP,Báo cáo,10/01/2022\n", &res), 0);
    assert_true(res.header_ok);
    assert_string_equal(res.plan_code, "KH");
    assert_int_equal(res.nrows, 3);
    assert_int_equal(res.nvalid, 3);
    assert_int_equal(res.nproblems, 0);
    const pi_row *r = row_at(&res, 2);
    assert_string_equal(r->number, "1.a");
    assert_int_equal(r->ncoord, 2);
    assert_string_equal(r->coord[0], "G_PHONG_SO");
    assert_string_equal(r->coord[1], "TCCB");
    assert_int_equal(r->deadline.kind, DLX_FIXED);
    assert_int_equal(r->deadline.due.y, 2022);
    assert_int_equal(r->deadline.due.m, 3);
    assert_int_equal(r->deadline.due.d, 31);
    assert_false(r->needs_date);
    r = row_at(&res, 3);
    assert_string_equal(r->title, "Tiêu đề, có dấu phẩy");
    assert_string_equal(r->area_title, "Chỉ đạo điều hành");   /* inherited from the area's first row */
    assert_int_equal(r->ncoord, 0);
    plan_import_free(&res);
}

static void test_columns_in_any_order_bom_crlf(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate("\xEF\xBB\xBF" "number,title,lead_unit,plan_code,area_title,area_no\r\n"
                              "3,Nhiệm vụ,VP,KH,Lĩnh vực,I\r\n", &res), 0);
    assert_int_equal(res.nvalid, 1);
    const pi_row *r = row_at(&res, 2);
    assert_string_equal(r->number, "3");
    assert_string_equal(r->lead_unit, "VP");
    assert_string_equal(r->area_no, "I");
    assert_true(r->needs_date);                /* no deadline column: a person sets it */
    assert_warning(&res, 2, "deadline_text", "cần người đặt ngày");
    plan_import_free(&res);
}

static void test_header_problems(void **state)
{
    (void)state;
    pi_result res;
    assert_true(validate("plan_code,area_no,number,title,title,extra\nKH,I,1,x,y,z\n", &res) > 0);
    assert_false(res.header_ok);
    assert_error(&res, 1, "area_title", "Thiếu cột bắt buộc");
    assert_error(&res, 1, "lead_unit", "Thiếu cột bắt buộc");
    assert_error(&res, 1, "title", "hai lần");
    assert_warning(&res, 1, "extra", "bỏ qua");
    assert_int_equal(res.nrows, 0);
    plan_import_free(&res);
}

static void test_empty_and_header_only(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate("", &res), 1);
    assert_error(&res, 0, "", "Tệp rỗng");
    plan_import_free(&res);
    assert_int_equal(validate(HEADER "\n\n", &res), 1);
    assert_error(&res, 0, "", "không có dòng nhiệm vụ");
    plan_import_free(&res);
}

static void test_unknown_units(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER
        "KH,I,A,1,T,VP,,,Quý I/2022\n"
        "KH,I,A,2,T,NOPE,,,Quý I/2022\n"
        "KH,I,A,3,T,VP,TCCB;GHOST;KHTC,,Quý I/2022\n"
        "KH,I,A,4,T,,,,Quý I/2022\n"
        "KH,I,A,5,T,vp bad,,,Quý I/2022\n", &res), 4);
    assert_error(&res, 3, "lead_unit", "\"NOPE\"");
    assert_error(&res, 4, "coordinating_units", "\"GHOST\"");
    assert_error(&res, 5, "lead_unit", "Thiếu đơn vị chủ trì");
    assert_error(&res, 6, "lead_unit", "\"vp bad\"");
    assert_true(row_at(&res, 2)->valid);
    assert_false(row_at(&res, 3)->valid);
    assert_false(row_at(&res, 4)->valid);
    assert_int_equal(res.nvalid, 1);
    plan_import_free(&res);
}

static void test_coordinating_lead_and_duplicates_are_warnings(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER "KH,I,A,1,T,VP, VP ; TCCB;TCCB;;,,Quý I/2022\n", &res), 0);
    assert_warning(&res, 2, "coordinating_units", "vừa chủ trì");
    assert_warning(&res, 2, "coordinating_units", "hai lần");
    const pi_row *r = row_at(&res, 2);
    assert_true(r->valid);
    assert_int_equal(r->ncoord, 1);
    assert_string_equal(r->coord[0], "TCCB");
    plan_import_free(&res);
}

static void test_empty_title(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER "KH,I,A,1,  ,VP,,,Quý I/2022\n", &res), 1);
    assert_error(&res, 2, "title", "trống");
    assert_int_equal(res.nvalid, 0);
    plan_import_free(&res);
}

static void test_bad_and_duplicate_numbers(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER
        "KH,I,A,1.a,T,VP,,,Quý I/2022\n"
        "KH,I,A,1a,T,VP,,,Quý I/2022\n"
        "KH,I,A,1.ab,T,VP,,,Quý I/2022\n"
        "KH,I,A,,T,VP,,,Quý I/2022\n"
        "KH,I,A,1.a,T,VP,,,Quý I/2022\n"
        "KH,I,A,4.đ,T,VP,,,Quý I/2022\n"
        "KH,I,A,1.A,T,VP,,,Quý I/2022\n", &res), 5);
    assert_error(&res, 3, "number", "\"1a\" không hợp lệ");
    assert_error(&res, 4, "number", "\"1.ab\" không hợp lệ");
    assert_error(&res, 5, "number", "Thiếu số thứ tự");
    assert_error(&res, 6, "number", "trùng với dòng 2");
    assert_error(&res, 8, "number", "\"1.A\" không hợp lệ");
    assert_true(row_at(&res, 7)->valid);
    assert_int_equal(res.nvalid, 2);
    plan_import_free(&res);
}

static void test_unparsed_deadline_is_a_warning_and_flags_the_task(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER
        "KH,I,A,1,T,VP,,,Khi nào xong thì báo\n"
        "KH,I,A,2,T,VP,,,\n", &res), 0);
    assert_int_equal(res.nwarnings, 2);
    assert_warning(&res, 2, "deadline_text", "cần người đặt ngày");
    assert_warning(&res, 3, "deadline_text", "Chưa có thời hạn");
    const pi_row *r = row_at(&res, 2);
    assert_true(r->valid);
    assert_true(r->needs_date);
    assert_int_equal(r->deadline.kind, DLX_UNPARSED);
    assert_string_equal(r->deadline_text, "Khi nào xong thì báo");
    assert_int_equal(res.nvalid, 2);
    plan_import_free(&res);
}

static void test_bad_dates_are_errors(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER
        "KH,I,A,1,T,VP,,,31/02/2022\n"
        "KH,I,A,2,T,VP,,,Trước 29/02/2024\n"
        "KH,I,A,3,T,VP,,,Tháng 13/2022\n"
        "KH,I,A,4,T,VP,,,Từ 2022-04-31\n"
        "KH,I,A,5,T,VP,,,2026-2030\n", &res), 3);
    assert_error(&res, 2, "deadline_text", "\"31/02/2022\"");
    assert_error(&res, 4, "deadline_text", "\"13/2022\"");
    assert_error(&res, 5, "deadline_text", "\"2022-04-31\"");
    assert_true(row_at(&res, 3)->valid);
    assert_true(row_at(&res, 6)->valid);
    plan_import_free(&res);
}

static char *text_of(char c, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void test_field_length_limits(void **state)
{
    (void)state;
    char *title = text_of('t', PI_MAX_TITLE + 1), *product = text_of('p', PI_MAX_PRODUCT + 1);
    char *deadline = text_of('d', PI_MAX_DEADLINE + 1), *ok_title = text_of('t', PI_MAX_TITLE);
    size_t n = 3 * 8192;
    char *text = malloc(n);
    snprintf(text, n, HEADER "KH,I,A,1,%s,VP,,,Quý I/2022\nKH,I,A,2,T,VP,,%s,Quý I/2022\n"
                             "KH,I,A,3,T,VP,,,%s\nKH,I,A,4,%s,VP,,,Quý I/2022\n", title, product, deadline, ok_title);
    pi_result res;
    assert_int_equal(plan_import_validate(text, strlen(text), &OPT, &res), 3);
    assert_error(&res, 2, "title", "tối đa 4000 byte");
    assert_error(&res, 3, "product", "tối đa 1000 byte");
    assert_error(&res, 4, "deadline_text", "tối đa 300 byte");
    assert_true(row_at(&res, 5)->valid);
    plan_import_free(&res);
    free(title); free(product); free(deadline); free(ok_title); free(text);
}

static void test_row_shape_and_csv_syntax(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER
        "KH,I,A,1,T,VP,,Quý I/2022\n"
        "KH,I,A,2,\"multi\nline title\",VP,,,Quý I/2022\n"
        "KH,I,A,3,ab\"c,VP,,,Quý I/2022\n"
        "KH,I,A,4,T,VP,,,Quý I/2022\n"
        "KH,I,A,5,\"never closed,VP,,,Quý I/2022\n"
        "KH,I,A,6,T,VP,,,Quý I/2022\n", &res), 3);
    assert_error(&res, 2, "", "có 8 cột");
    assert_true(row_at(&res, 3)->valid);
    assert_string_equal(row_at(&res, 3)->title, "multi\nline title");
    assert_error(&res, 5, "title", "ngoặc kép");
    assert_true(row_at(&res, 6)->valid);              /* line numbers stay right after the multi-line row */
    assert_error(&res, 7, "title", "không đóng");
    assert_int_equal(res.nrows, 5);                   /* the unclosed quote swallows the last line */
    assert_int_equal(res.nvalid, 2);
    plan_import_free(&res);
}

static void test_plan_code_problems(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER
        "KH2022,I,A,1,T,VP,,,Quý I/2022\n"
        "KH2023,I,A,2,T,VP,,,Quý I/2022\n"
        ",I,A,3,T,VP,,,Quý I/2022\n"
        "KH 2022,I,A,4,T,VP,,,Quý I/2022\n", &res), 3);
    assert_string_equal(res.plan_code, "KH2022");
    assert_error(&res, 3, "plan_code", "khác với các dòng trước");
    assert_error(&res, 4, "plan_code", "Thiếu mã kế hoạch");
    assert_error(&res, 5, "plan_code", "không hợp lệ");
    plan_import_free(&res);
}

static void test_area_problems(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER
        "KH,I,,1,T,VP,,,Quý I/2022\n"
        "KH,,A,2,T,VP,,,Quý I/2022\n"
        "KH,II,Hai,3,T,VP,,,Quý I/2022\n"
        "KH,II,Khác,4,T,VP,,,Quý I/2022\n", &res), 2);
    assert_error(&res, 2, "area_title", "Thiếu tên lĩnh vực I");
    assert_error(&res, 3, "area_no", "Thiếu số lĩnh vực");
    assert_warning(&res, 5, "area_title", "khác với dòng 4");
    assert_true(row_at(&res, 5)->valid);
    plan_import_free(&res);
}

static void test_invalid_utf8_is_an_error(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER "KH,I,A,1,T\xC3\x28,VP,,,Quý I/2022\nKH,I,A,2,ok,VP,,,Quý I/2022\n", &res), 1);
    assert_error(&res, 2, "title", "UTF-8");
    assert_int_equal(res.nerrors, 1);                 /* reported once, not again as "empty" */
    assert_true(row_at(&res, 3)->valid);
    plan_import_free(&res);
}

static void test_blank_rows_are_ignored(void **state)
{
    (void)state;
    pi_result res;
    assert_int_equal(validate(HEADER ",,,,,,,,\nKH,I,A,1,T,VP,,,Quý I/2022\n", &res), 0);
    assert_int_equal(res.nrows, 1);
    assert_int_equal(res.rows[0].line, 3);
    plan_import_free(&res);
}

static void test_parse_date(void **state)
{
    (void)state;
    char iso[11];
    assert_true(pi_parse_date("2022-01-10", iso));
    assert_string_equal(iso, "2022-01-10");
    assert_true(pi_parse_date("5/3/2022", iso));
    assert_string_equal(iso, "2022-03-05");
    assert_true(pi_parse_date("29/02/2024", iso));
    assert_false(pi_parse_date("29/02/2023", iso));
    assert_false(pi_parse_date("31/04/2022", iso));
    assert_false(pi_parse_date("2022-1-10", iso));
    assert_false(pi_parse_date("2022-13-01", iso));
    assert_false(pi_parse_date("10/01/22", iso));
    assert_false(pi_parse_date("2022/01/10", iso));
    assert_false(pi_parse_date("2022-01-10x", iso));
    assert_false(pi_parse_date("", iso));
    assert_false(pi_parse_date(NULL, iso));
}

static void test_text_dates_and_numbers(void **state)
{
    (void)state;
    char bad[32];
    assert_true(pi_text_dates_valid("Cả năm 2022, báo cáo trước 15/12/2022", bad, sizeof bad));
    assert_true(pi_text_dates_valid("Quyết định 45/2016/QĐ-TTg", bad, sizeof bad));
    assert_false(pi_text_dates_valid("từ 01/01/2022 đến 32/01/2022", bad, sizeof bad));
    assert_string_equal(bad, "32/01/2022");
    assert_false(pi_text_dates_valid("THÁNG 0/2022", bad, sizeof bad));
    assert_true(pi_valid_number("12"));
    assert_true(pi_valid_number("6.đ"));
    assert_false(pi_valid_number("6.đa"));
    assert_false(pi_valid_number(".a"));
    assert_false(pi_valid_number("1."));
    assert_false(pi_valid_number("12345678901234567"));
    assert_true(pi_valid_utf8_text("Sở GD&ĐT", strlen("Sở GD&ĐT")));
    assert_false(pi_valid_utf8_text("\xC0\xAF", 2));           /* overlong */
    assert_false(pi_valid_utf8_text("\xED\xA0\x80", 3));       /* surrogate */
    assert_false(pi_valid_utf8_text("a\x01" "b", 3));
}

static void test_date_add_days(void **state)
{
    (void)state;
    char out[11];
    assert_true(pi_date_add_days("2025-07-01", -1, out));
    assert_string_equal(out, "2025-06-30");
    assert_true(pi_date_add_days("2024-03-01", -1, out));
    assert_string_equal(out, "2024-02-29");
    assert_true(pi_date_add_days("2021-12-31", 1, out));
    assert_string_equal(out, "2022-01-01");
    assert_true(pi_date_add_days("2022-12-31", -75, out));
    assert_string_equal(out, "2022-10-17");
    assert_false(pi_date_add_days("2022-02-30", 1, out));
    assert_false(pi_date_add_days("01/02/2022", 1, out));
}

static int year_of_plan(const char *code, void *ctx)
{
    (*(int *)ctx)++;
    return strcmp(code, "KH2031") == 0 ? 2031 : 0;
}

static bool any_unit(const char *code, void *ctx) { (void)code; (void)ctx; return true; }

static void test_plan_year_callback_sets_the_default_year(void **state)
{
    (void)state;
    int asked = 0;
    pi_options opt = {.unit_exists = any_unit, .ctx = &asked, .plan_year = year_of_plan};
    const char *csv = HEADER "KH2031,1,A,1,T,VP,,,trong quý I\nKH2031,1,A,2,T,VP,,,trong quý II\n";
    pi_result res;
    assert_int_equal(plan_import_validate(csv, strlen(csv), &opt, &res), 0);
    assert_int_equal(asked, 1);                                 /* asked once per file */
    assert_int_equal(res.rows[0].deadline.due.y, 2031);
    assert_int_equal(res.rows[0].deadline.due.m, 3);
    assert_int_equal(res.rows[1].deadline.due.m, 6);
    plan_import_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_file),
        cmocka_unit_test(test_columns_in_any_order_bom_crlf),
        cmocka_unit_test(test_header_problems),
        cmocka_unit_test(test_empty_and_header_only),
        cmocka_unit_test(test_unknown_units),
        cmocka_unit_test(test_coordinating_lead_and_duplicates_are_warnings),
        cmocka_unit_test(test_empty_title),
        cmocka_unit_test(test_bad_and_duplicate_numbers),
        cmocka_unit_test(test_unparsed_deadline_is_a_warning_and_flags_the_task),
        cmocka_unit_test(test_bad_dates_are_errors),
        cmocka_unit_test(test_field_length_limits),
        cmocka_unit_test(test_row_shape_and_csv_syntax),
        cmocka_unit_test(test_plan_code_problems),
        cmocka_unit_test(test_area_problems),
        cmocka_unit_test(test_invalid_utf8_is_an_error),
        cmocka_unit_test(test_blank_rows_are_ignored),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_text_dates_and_numbers),
        cmocka_unit_test(test_date_add_days),
        cmocka_unit_test(test_plan_year_callback_sets_the_default_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

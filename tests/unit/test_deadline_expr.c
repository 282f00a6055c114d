/* Unit tests for src/core/deadline_expr.c (cmocka, own main).
 *
 * csv_deadlines[] holds EVERY distinct deadline_text of data/plans/KH2022.csv
 * and data/plans/KH2026_2030.csv (embedded, so the test does not depend on the
 * working directory), each with its expectation checked by hand against the
 * plan. When a CSV gains a new deadline string, add it here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/deadline_expr.h"

typedef struct {
    const char *text;
    int default_year;          /* the plan's first year */
    dlx_kind kind;
    dlx_date start, due;
    dlx_every every;
    int n_milestones;
    const char *event_source;  /* NULL: not checked */
    int deliberate_unparsed;   /* 1: left for a person on purpose (see below) */
} expect_t;

#define D(y, m, d) {y, m, d}
#define NODATE {0, 0, 0}

static const expect_t csv_deadlines[] = {
    /* KH2022 */
    {"Tháng 12/2021", 2022, DLX_FIXED, D(2021, 12, 1), D(2021, 12, 31), DLX_EVERY_NONE, 0, NULL, 0},
    {"10/01/2022", 2022, DLX_FIXED, NODATE, D(2022, 1, 10), DLX_EVERY_NONE, 0, NULL, 0},
    {"Theo yêu cầu của Sở Nội vụ", 2022, DLX_EVENT, NODATE, NODATE, DLX_EVERY_NONE, 0, "Sở Nội vụ", 0},
    {"Từ Quý IV/2022 đến Quý I/2023", 2022, DLX_RANGE, D(2022, 10, 1), D(2023, 3, 31), DLX_EVERY_NONE, 0, NULL, 0},
    {"Cả năm 2022", 2022, DLX_FIXED, D(2022, 1, 1), D(2022, 12, 31), DLX_EVERY_NONE, 0, NULL, 0},
    {"Ban hành kế hoạch trong quý I và triển khai thực hiện cả năm 2022", 2022, DLX_FIXED,
     D(2022, 1, 1), D(2022, 12, 31), DLX_EVERY_NONE, 2, NULL, 0},
    {"Quý I/2022", 2022, DLX_FIXED, D(2022, 1, 1), D(2022, 3, 31), DLX_EVERY_NONE, 0, NULL, 0},
    {"Quý III/2022", 2022, DLX_FIXED, D(2022, 7, 1), D(2022, 9, 30), DLX_EVERY_NONE, 0, NULL, 0},
    {"Theo chỉ đạo của UBND thành phố", 2022, DLX_EVENT, NODATE, NODATE, DLX_EVERY_NONE, 0, "UBND thành phố", 0},
    /* KH2026_2030 */
    {"2026-2030", 2026, DLX_RANGE, D(2026, 1, 1), D(2030, 12, 31), DLX_EVERY_NONE, 0, NULL, 0},
    {"Hàng năm", 2026, DLX_RECURRING, NODATE, NODATE, DLX_EVERY_YEAR, 0, NULL, 0},
    /* Task 1.a of 2026-2030 says "Định kỳ tiến hành tự kiểm tra" without the
     * period: the parser must not guess (yearly? quarterly?), so it is
     * unparsed on purpose and the importer flags it for a person. */
    {"Định kỳ", 2026, DLX_UNPARSED, NODATE, NODATE, DLX_EVERY_NONE, 0, NULL, 1},
};
#define N_CSV (sizeof csv_deadlines / sizeof csv_deadlines[0])

static void assert_date(dlx_date got, dlx_date want, const char *what, const char *text)
{
    if (got.y != want.y || got.m != want.m || got.d != want.d) {
        print_error("%s of \"%s\": got %04d-%02d-%02d, want %04d-%02d-%02d\n", what, text,
                    got.y, got.m, got.d, want.y, want.m, want.d);
        fail();
    }
}

static void check(const expect_t *e)
{
    dlx_result r;
    dlx_parse(e->text, e->default_year, &r);
    if (r.kind != e->kind) {
        print_error("kind of \"%s\": got %s, want %s\n", e->text, dlx_kind_name(r.kind), dlx_kind_name(e->kind));
        fail();
    }
    assert_date(r.start, e->start, "start", e->text);
    assert_date(r.due, e->due, "due", e->text);
    assert_int_equal(r.every, e->every);
    assert_int_equal(r.n_milestones, e->n_milestones);
    if (e->event_source) assert_string_equal(r.event_source, e->event_source);
}

static void parse_expect(const char *text, int year, dlx_kind kind, dlx_date start, dlx_date due)
{
    expect_t e = {text, year, kind, start, due, DLX_EVERY_NONE, 0, NULL, 0};
    check(&e);
}

/* ------------------------------------------------------------------ tests */

static void test_csv_deadlines(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CSV; i++) check(&csv_deadlines[i]);
}

static void test_csv_none_unparsed_unless_deliberate(void **state)
{
    (void)state;
    int deliberate = 0;
    for (size_t i = 0; i < N_CSV; i++) {
        dlx_result r;
        dlx_parse(csv_deadlines[i].text, csv_deadlines[i].default_year, &r);
        if (r.kind == DLX_UNPARSED && !csv_deadlines[i].deliberate_unparsed) {
            print_error("CSV deadline \"%s\" is unparsed\n", csv_deadlines[i].text);
            fail();
        }
        if (csv_deadlines[i].deliberate_unparsed) {
            assert_int_equal(r.kind, DLX_UNPARSED);
            deliberate++;
        }
    }
    assert_int_equal(deliberate, 1);   /* only "Định kỳ" (KH2026_2030 task 1.a) */
}

static void test_milestones(void **state)
{
    (void)state;
    dlx_result r;
    dlx_parse("Ban hành kế hoạch trong quý I và triển khai thực hiện cả năm 2022", 2022, &r);
    assert_int_equal(r.kind, DLX_FIXED);
    assert_int_equal(r.n_milestones, 2);
    assert_date(r.milestones[0].start, (dlx_date)D(2022, 1, 1), "m0.start", "ms");
    assert_date(r.milestones[0].due, (dlx_date)D(2022, 3, 31), "m0.due", "ms");
    assert_string_equal(r.milestones[0].label, "Ban hành kế hoạch");
    assert_date(r.milestones[1].start, (dlx_date)D(2022, 1, 1), "m1.start", "ms");
    assert_date(r.milestones[1].due, (dlx_date)D(2022, 12, 31), "m1.due", "ms");
    assert_string_equal(r.milestones[1].label, "Triển khai thực hiện");
    assert_date(r.due, r.milestones[1].due, "due", "ms");

    /* the year of "quý I" comes from the text, not from default_year */
    dlx_parse("Ban hành kế hoạch trong quý I và triển khai thực hiện cả năm 2023", 2022, &r);
    assert_date(r.milestones[0].due, (dlx_date)D(2023, 3, 31), "m0.due", "2023");

    /* labels are capitalised even when they start with a Vietnamese letter */
    dlx_parse("đánh giá trong quý II/2022; ước tính vào 30/11/2022", 2022, &r);
    assert_int_equal(r.n_milestones, 2);
    assert_string_equal(r.milestones[0].label, "Đánh giá");
    assert_string_equal(r.milestones[1].label, "Ước tính");
    assert_int_equal(r.milestones[1].start.y, 0);
    assert_date(r.milestones[1].due, (dlx_date)D(2022, 11, 30), "m1.due", "dates");

    /* more than 4 milestones: for a person */
    dlx_parse("Quý I/2022, Quý II/2022, Quý III/2022, Quý IV/2022, cả năm 2023", 2022, &r);
    assert_int_equal(r.kind, DLX_UNPARSED);
}

static void test_required_mappings(void **state)
{
    (void)state;
    parse_expect("Quý III/2022", 2022, DLX_FIXED, (dlx_date)D(2022, 7, 1), (dlx_date)D(2022, 9, 30));
    parse_expect("quý iii/2022", 2022, DLX_FIXED, (dlx_date)D(2022, 7, 1), (dlx_date)D(2022, 9, 30));
    parse_expect("QUÝ IV/2022", 2022, DLX_FIXED, (dlx_date)D(2022, 10, 1), (dlx_date)D(2022, 12, 31));
    parse_expect("Quy II/2022", 2022, DLX_FIXED, (dlx_date)D(2022, 4, 1), (dlx_date)D(2022, 6, 30));
    parse_expect("Quý 2/2022", 2022, DLX_FIXED, (dlx_date)D(2022, 4, 1), (dlx_date)D(2022, 6, 30));
    parse_expect("quý 4 năm 2022", 2022, DLX_FIXED, (dlx_date)D(2022, 10, 1), (dlx_date)D(2022, 12, 31));
    parse_expect("trong quý I", 2022, DLX_FIXED, (dlx_date)D(2022, 1, 1), (dlx_date)D(2022, 3, 31));
    parse_expect("Năm 2022", 2022, DLX_FIXED, (dlx_date)D(2022, 1, 1), (dlx_date)D(2022, 12, 31));
    parse_expect("CẢ NĂM 2022", 2022, DLX_FIXED, (dlx_date)D(2022, 1, 1), (dlx_date)D(2022, 12, 31));
    parse_expect("Cả năm", 2024, DLX_FIXED, (dlx_date)D(2024, 1, 1), (dlx_date)D(2024, 12, 31));
    parse_expect("6 tháng đầu năm 2022", 2022, DLX_FIXED, (dlx_date)D(2022, 1, 1), (dlx_date)D(2022, 6, 30));
    parse_expect("6 tháng cuối năm 2022", 2022, DLX_FIXED, (dlx_date)D(2022, 7, 1), (dlx_date)D(2022, 12, 31));
    parse_expect("tháng 2/2024", 2022, DLX_FIXED, (dlx_date)D(2024, 2, 1), (dlx_date)D(2024, 2, 29));
    parse_expect("Tháng 12", 2022, DLX_FIXED, (dlx_date)D(2022, 12, 1), (dlx_date)D(2022, 12, 31));
    parse_expect("trước ngày 05/6", 2022, DLX_FIXED, (dlx_date)NODATE, (dlx_date)D(2022, 6, 5));
    parse_expect("29/02/2024", 2022, DLX_FIXED, (dlx_date)NODATE, (dlx_date)D(2024, 2, 29));
    parse_expect("Giai đoạn 2026-2027", 2026, DLX_RANGE, (dlx_date)D(2026, 1, 1), (dlx_date)D(2027, 12, 31));
    parse_expect("Giai đoạn 2026 – 2027", 2026, DLX_RANGE, (dlx_date)D(2026, 1, 1), (dlx_date)D(2027, 12, 31));
    parse_expect("2028 - 2030", 2026, DLX_RANGE, (dlx_date)D(2028, 1, 1), (dlx_date)D(2030, 12, 31));
    parse_expect("Từ tháng 3 đến tháng 5/2022", 2022, DLX_RANGE, (dlx_date)D(2022, 3, 1), (dlx_date)D(2022, 5, 31));
    parse_expect("Từ Quý IV đến Quý I/2023", 2022, DLX_RANGE, (dlx_date)D(2022, 10, 1), (dlx_date)D(2023, 3, 31));
    parse_expect("Từ 01/3/2022 đến hết 30/6/2022", 2022, DLX_RANGE, (dlx_date)D(2022, 3, 1), (dlx_date)D(2022, 6, 30));
}

static void test_recurring(void **state)
{
    (void)state;
    static const struct { const char *text; dlx_every every; } rec[] = {
        {"định kỳ hàng quý", DLX_EVERY_QUARTER},
        {"Định kỳ hằng quý", DLX_EVERY_QUARTER},
        {"6 tháng", DLX_EVERY_HALF_YEAR},
        {"Định kỳ 6 tháng", DLX_EVERY_HALF_YEAR},
        {"hằng năm", DLX_EVERY_YEAR},
        {"Hàng năm", DLX_EVERY_YEAR},
        {"HẰNG NĂM", DLX_EVERY_YEAR},
        {"mỗi năm", DLX_EVERY_YEAR},
        {"hàng tháng", DLX_EVERY_MONTH},
        {"Định kỳ hàng quý, 6 tháng, hàng năm hoặc đột xuất", DLX_EVERY_QUARTER},
    };
    for (size_t i = 0; i < sizeof rec / sizeof rec[0]; i++) {
        dlx_result r;
        dlx_parse(rec[i].text, 2026, &r);
        if (r.kind != DLX_RECURRING || r.every != rec[i].every) {
            print_error("\"%s\": got %s/%s\n", rec[i].text, dlx_kind_name(r.kind), dlx_every_name(r.every));
            fail();
        }
        assert_int_equal(r.due.y, 0);
    }
    dlx_result r;
    dlx_parse("Hằng năm, giai đoạn 2026-2030", 2026, &r);
    assert_int_equal(r.kind, DLX_RECURRING);
    assert_int_equal(r.every, DLX_EVERY_YEAR);
    assert_date(r.start, (dlx_date)D(2026, 1, 1), "start", "bounded");
    assert_date(r.due, (dlx_date)D(2030, 12, 31), "due", "bounded");
}

static void test_events(void **state)
{
    (void)state;
    dlx_result r;
    dlx_parse("Theo yêu cầu của Sở Nội vụ.", 2022, &r);
    assert_int_equal(r.kind, DLX_EVENT);
    assert_string_equal(r.event_source, "Sở Nội vụ");
    assert_int_equal(r.due.y, 0);
    dlx_parse("theo chi dao cua UBND thanh pho", 2022, &r);
    assert_int_equal(r.kind, DLX_EVENT);
    assert_string_equal(r.event_source, "UBND thanh pho");
    dlx_parse("Theo yêu cầu", 2022, &r);
    assert_int_equal(r.kind, DLX_EVENT);
    assert_string_equal(r.event_source, "");
    dlx_parse("Khi có yêu cầu của Bộ GD&ĐT", 2022, &r);
    assert_int_equal(r.kind, DLX_EVENT);
    assert_string_equal(r.event_source, "Bộ GD&ĐT");
    /* a written date wins over the trigger */
    dlx_parse("Theo yêu cầu của Sở Nội vụ, trước 30/6/2022", 2022, &r);
    assert_int_equal(r.kind, DLX_FIXED);
    assert_date(r.due, (dlx_date)D(2022, 6, 30), "due", "event+date");

    /* a long source is cut on a character boundary */
    char big[600] = "Theo yêu cầu của ";
    while (strlen(big) < 500) strcat(big, "Ủy ban ");
    dlx_parse(big, 2022, &r);
    assert_int_equal(r.kind, DLX_EVENT);
    size_t n = strlen(r.event_source);
    assert_true(n > 100 && n < sizeof r.event_source);
    assert_true(((unsigned char)r.event_source[n - 1] & 0xC0) != 0xC0);   /* not a cut lead byte */
    assert_int_equal(memcmp(r.event_source, "Ủy ban Ủy ban", strlen("Ủy ban Ủy ban")), 0);
}

static void test_unparsed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "   ", "hello world", "Quý V/2022", "quý 5/2022", "Quý 0/2022", "31/02/2022", "29/02/2023",
        "32/01/2022", "00/01/2022", "tháng 13/2022", "tháng 0", "10/01/22", "1/2/3/4", "Định kỳ", "Thường xuyên",
        "năm học 2022-2023", "cuối năm 2022", "Quý I/1800", "2031 - 2026", "Từ Quý II/2023 đến Quý I/2022",
        "99999999999999999999/1/2022", "Quý IIII/2022", "\xff\xfe\xfd", "x/y/z", "--//..;;", "năm", "quý",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dlx_result r;
        memset(&r, 0x5A, sizeof r);
        dlx_parse(bad[i], 2022, &r);
        if (r.kind != DLX_UNPARSED) {
            print_error("\"%s\" should be unparsed, got %s\n", bad[i], dlx_kind_name(r.kind));
            fail();
        }
        assert_int_equal(r.start.y, 0);
        assert_int_equal(r.due.y, 0);
        assert_int_equal(r.n_milestones, 0);
        assert_string_equal(r.event_source, "");
    }
    /* a text naming a quarter without a year needs a sane default_year */
    dlx_result r;
    dlx_parse("trong quý I", 0, &r);
    assert_int_equal(r.kind, DLX_UNPARSED);
    dlx_parse("trong quý I", -5, &r);
    assert_int_equal(r.kind, DLX_UNPARSED);
    /* NULLs */
    dlx_parse(NULL, 2022, &r);
    assert_int_equal(r.kind, DLX_UNPARSED);
    dlx_parse("Quý I/2022", 2022, NULL);
}

static void test_huge_inputs(void **state)
{
    (void)state;
    dlx_result r;
    size_t n = DLX_MAX_INPUT;
    char *s = malloc(4 * n + 16);
    assert_non_null(s);

    /* exactly 4 KiB: the date at the end is still seen */
    size_t ql = strlen("Quý I/2022");
    memset(s, ' ', n);
    memcpy(s + n - ql, "Quý I/2022", ql);
    s[n] = '\0';
    assert_int_equal(strlen(s), n);
    dlx_parse(s, 2022, &r);
    assert_int_equal(r.kind, DLX_FIXED);

    /* longer than 4 KiB: unparsed, never read past its end */
    memset(s, 'a', 4 * n);
    s[4 * n] = '\0';
    dlx_parse(s, 2022, &r);
    assert_int_equal(r.kind, DLX_UNPARSED);

    /* 4 KiB of tokens (more than the token table holds) */
    s[0] = '\0';
    while (strlen(s) + 3 < n) strcat(s, "1/ ");
    dlx_parse(s, 2022, &r);
    assert_int_equal(r.kind, DLX_UNPARSED);

    /* 4 KiB of multi-byte letters and a truncated sequence at the end */
    size_t k = 0;
    while (k + 3 < n) { memcpy(s + k, "ệ", 3); k += 3; }
    s[k++] = (char)0xE1;
    s[k] = '\0';
    dlx_parse(s, 2022, &r);
    assert_int_equal(r.kind, DLX_UNPARSED);

    /* a very long milestone label is cut to fit, on a character boundary */
    s[0] = '\0';
    strcat(s, "Ban hành ");
    for (int i = 0; i < 40; i++) strcat(s, "kế hoạch ");
    strcat(s, "trong quý I và triển khai cả năm 2022");
    dlx_parse(s, 2022, &r);
    assert_int_equal(r.n_milestones, 2);
    size_t l = strlen(r.milestones[0].label);
    assert_true(l > 50 && l < sizeof r.milestones[0].label);
    assert_true(((unsigned char)r.milestones[0].label[l - 1] & 0xC0) != 0xC0);
    free(s);
}

/* Random mixes of plan fragments and bytes: must never crash (ASan/UBSan). */
static void test_random_inputs(void **state)
{
    (void)state;
    static const char *const frag[] = {
        "Quý", "quý ", "I", "IV", "V", "/", "2022", "2023", "-", " – ", "đến ", "Từ ", "tháng ", "12", "31",
        "/02/", "năm ", "Cả ", "hằng ", "6 tháng ", "đầu ", "định kỳ ", "Theo yêu cầu của ", "Sở Nội vụ",
        "và ", ", ", ";", ".", "\xe1", "\xc3", "\xff", "ệ", "Đ", " ", "0", "99999999", "giai đoạn ", "học ",
    };
    uint32_t seed = 12345;
    char buf[600];
    for (int it = 0; it < 20000; it++) {
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        int parts = (int)((seed >> 16) % 24);
        for (int p = 0; p < parts; p++) {
            seed = seed * 1103515245u + 12345u;
            const char *f = frag[(seed >> 16) % (sizeof frag / sizeof frag[0])];
            size_t fl = strlen(f);
            if (len + fl >= sizeof buf) break;
            memcpy(buf + len, f, fl);
            len += fl;
        }
        buf[len] = '\0';
        dlx_result r;
        dlx_parse(buf, 2022, &r);
        assert_true(r.kind >= DLX_FIXED && r.kind <= DLX_UNPARSED);
        assert_true(r.n_milestones == 0 || (r.n_milestones >= 2 && r.n_milestones <= 4));
        if (r.kind == DLX_RANGE) assert_true(r.start.y > 0 && r.due.y > 0);
        if (r.kind == DLX_FIXED) assert_true(r.due.y > 0);
        assert_true(memchr(r.event_source, '\0', sizeof r.event_source) != NULL);
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(dlx_kind_name(DLX_FIXED), "fixed");
    assert_string_equal(dlx_kind_name(DLX_RANGE), "range");
    assert_string_equal(dlx_kind_name(DLX_EVENT), "event");
    assert_string_equal(dlx_kind_name(DLX_RECURRING), "recurring");
    assert_string_equal(dlx_kind_name(DLX_UNPARSED), "unparsed");
    assert_string_equal(dlx_kind_name((dlx_kind)99), "unknown");
    assert_string_equal(dlx_every_name(DLX_EVERY_NONE), "none");
    assert_string_equal(dlx_every_name(DLX_EVERY_QUARTER), "quarter");
    assert_string_equal(dlx_every_name(DLX_EVERY_HALF_YEAR), "half_year");
    assert_string_equal(dlx_every_name(DLX_EVERY_YEAR), "year");
    assert_string_equal(dlx_every_name(DLX_EVERY_MONTH), "month");
    assert_string_equal(dlx_every_name((dlx_every)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_deadlines),
        cmocka_unit_test(test_csv_none_unparsed_unless_deliberate),
        cmocka_unit_test(test_milestones),
        cmocka_unit_test(test_required_mappings),
        cmocka_unit_test(test_recurring),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_unparsed),
        cmocka_unit_test(test_huge_inputs),
        cmocka_unit_test(test_random_inputs),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests_name("deadline_expr", tests, NULL, NULL);
}

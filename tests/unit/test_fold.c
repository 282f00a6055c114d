/* Diacritic folding for search. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "core/fold.h"

static void check(const char *in, const char *expected)
{
    char out[256];
    fold_text(in, out, sizeof out);
    assert_string_equal(out, expected);
}

static void test_vietnamese_letters(void **s)
{
    (void)s;
    check("Rà soát văn bản", "ra soat van ban");
    check("đăng ký", "dang ky");
    check("ĐĂNG KÝ", "dang ky");
    check("Đ", "d");
    check("Cải cách hành chính", "cai cach hanh chinh");
    check("Ủy ban nhân dân", "uy ban nhan dan");
    check("Thủy Nguyên, Vĩnh Bảo, Tiên Lãng", "thuy nguyen, vinh bao, tien lang");
    check("ƯỚC TÍNH ỨNG DỤNG", "uoc tinh ung dung");
    check("ỳ ỵ ỷ ỹ ý", "y y y y y");
    check("ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ", "a a a a a a a a a a");
    check("ế ề ể ễ ệ", "e e e e e");
    check("ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ", "o o o o o o o o o o");
    check("ứ ừ ử ữ ự", "u u u u u");
}

static void test_combining_marks_dropped(void **s)
{
    (void)s;
    /* "đăng ký" in decomposed form: a + U+0306, y + U+0301 */
    check("\xc4\x91" "a\xcc\x86ng ky\xcc\x81", "dang ky");
    check("Ra\xcc\x80 soa\xcc\x81t", "ra soat");
}

static void test_ascii_and_other_scripts(void **s)
{
    (void)s;
    check("ISO 9001:2015", "iso 9001:2015");
    check("", "");
    check("日本", "日本");             /* unknown letters are kept as they are */
}

static void test_invalid_utf8_and_truncation(void **s)
{
    (void)s;
    check("a\xff" "b\xc3", "ab");      /* stray bytes are skipped */
    char out[4];
    size_t n = fold_text("Đăng ký", out, sizeof out);
    assert_int_equal(n, 3);
    assert_string_equal(out, "dan");
    char small[3];
    fold_text("日本", small, sizeof small); /* never splits a character */
    assert_string_equal(small, "");
}

static void test_fold_dup(void **s)
{
    (void)s;
    char *f = fold_dup("Kế hoạch CCHC năm 2022");
    assert_non_null(f);
    assert_string_equal(f, "ke hoach cchc nam 2022");
    free(f);
}

/* Search words: one space before each, punctuation and symbols separate words,
 * folded or lowercased with the accents kept. */
static void test_fold_words(void **s)
{
    (void)s;
    char out[128];
    fold_words("Đăng ký — hồ sơ, “trực tuyến”!", false, out, sizeof out);
    assert_string_equal(out, " dang ky ho so truc tuyen");
    fold_words("Số HÓA dữ-liệu  ĐIỆN TỬ 2022/NĐ-CP", true, out, sizeof out);
    assert_string_equal(out, " số hóa dữ liệu điện tử 2022 nđ cp");
    fold_words("Ưu tiên Ơn Ă", true, out, sizeof out);
    assert_string_equal(out, " ưu tiên ơn ă");
    assert_int_equal(fold_words("?! ...", false, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(fold_words("abc def", false, out, 6), 4);      /* never past outlen */
    assert_string_equal(out, " abc");
    char *dup = fold_words_dup("Ủy ban", true);
    assert_non_null(dup);
    assert_string_equal(dup, " ủy ban");
    free(dup);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vietnamese_letters),
        cmocka_unit_test(test_combining_marks_dropped),
        cmocka_unit_test(test_ascii_and_other_scripts),
        cmocka_unit_test(test_invalid_utf8_and_truncation),
        cmocka_unit_test(test_fold_dup),
        cmocka_unit_test(test_fold_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

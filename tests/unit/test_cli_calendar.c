/* Tests for `cchc calendar ...` (src/cli_calendar.c): calls cli_calendar()
 * in-process with stdout and stderr redirected to temporary files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli_calendar.h"

typedef struct {
    int status;
    char out[8192];
    char err[4096];
} run_result;

/* Points fd at a fresh temporary file; returns the saved original fd. */
static int redirect(int fd, FILE *stream, int *tmp)
{
    char path[] = "/tmp/cchc-cli-XXXXXX";
    fflush(stream);
    *tmp = mkstemp(path);
    assert_true(*tmp >= 0);
    unlink(path);
    int saved = dup(fd);
    dup2(*tmp, fd);
    return saved;
}

static void restore(int fd, FILE *stream, int saved, int tmp, char *buf, size_t len)
{
    fflush(stream);
    dup2(saved, fd);
    close(saved);
    lseek(tmp, 0, SEEK_SET);
    ssize_t n = read(tmp, buf, len - 1);
    buf[n > 0 ? n : 0] = '\0';
    close(tmp);
}

static run_result run(const char *first, ...)
{
    char *argv[16];
    int argc = 0;
    va_list ap;
    argv[argc++] = (char *)"calendar";
    va_start(ap, first);
    for (const char *a = first; a && argc < 15; a = va_arg(ap, const char *)) argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    run_result r;
    int out_tmp, err_tmp;
    int out_saved = redirect(STDOUT_FILENO, stdout, &out_tmp);
    int err_saved = redirect(STDERR_FILENO, stderr, &err_tmp);
    r.status = cli_calendar(argc, argv);
    restore(STDERR_FILENO, stderr, err_saved, err_tmp, r.err, sizeof r.err);
    restore(STDOUT_FILENO, stdout, out_saved, out_tmp, r.out, sizeof r.out);
    return r;
}

#define ASSERT_RUN(expect_status, expect_out, ...)                  \
    do {                                                            \
        run_result r_ = run(__VA_ARGS__, NULL);                     \
        assert_int_equal(r_.status, expect_status);                 \
        assert_string_equal(r_.out, expect_out);                    \
    } while (0)

static void test_to_lunar(void **state)
{
    (void)state;
    ASSERT_RUN(0, "26/6/2025 nhuận\n", "to-lunar", "2025-08-19");
    ASSERT_RUN(0, "1/1/2026\n", "to-lunar", "2026-02-17");
    ASSERT_RUN(0, "{\"day\":26,\"month\":6,\"year\":2025,\"leap\":true}\n", "to-lunar", "2025-08-19", "--json");
    ASSERT_RUN(0, "{\"day\":29,\"month\":12,\"year\":2023,\"leap\":false}\n", "to-lunar", "--json", "2024-02-08");
    run_result r = run("to-lunar", "2025-02-30", NULL);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_true(r.err[0] != '\0');
}

static void test_to_solar(void **state)
{
    (void)state;
    ASSERT_RUN(0, "2025-08-19\n", "to-solar", "2025", "6", "26", "--leap");
    ASSERT_RUN(0, "2026-04-26\n", "to-solar", "2026", "3", "10");
    run_result r = run("to-solar", "2024", "6", "1", "--leap", NULL);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "does not exist"));
    r = run("to-solar", "2024", "12", "30", NULL);
    assert_int_equal(r.status, 2);
    r = run("to-solar", "2024", "12", NULL);
    assert_int_equal(r.status, 1);
}

static void test_tet(void **state)
{
    (void)state;
    ASSERT_RUN(0, "2030-02-02\n", "tet", "2030");
    ASSERT_RUN(0, "2026-02-17\n", "tet", "2026");
    assert_int_equal(run("tet", "1800", NULL).status, 2);
}

static void test_is_working_day(void **state)
{
    (void)state;
    ASSERT_RUN(0, "no Tết Nguyên đán\n", "is-working-day", "2026-02-18");
    ASSERT_RUN(0, "yes Làm bù cho ngày 02/01/2026\n", "is-working-day", "2026-01-10");
    ASSERT_RUN(0, "yes Thứ Năm\n", "is-working-day", "2026-03-05");
    ASSERT_RUN(0, "no Chủ nhật\n", "is-working-day", "2026-03-08");
    ASSERT_RUN(0, "no Nghỉ bù Tết Nguyên đán (tạm tính)\n", "is-working-day", "2027-02-10");
    assert_int_equal(run("is-working-day", "tomorrow", NULL).status, 2);
}

static void test_add(void **state)
{
    (void)state;
    ASSERT_RUN(0, "2026-02-26\n", "add", "2026-02-12", "5");
    ASSERT_RUN(0, "2026-02-25\n", "add", "2026-02-12", "5", "--count-first");
    ASSERT_RUN(0, "2026-03-02\n", "add", "2026-02-13", "5", "--cutoff", "15:00", "--at", "16:00");
    ASSERT_RUN(0, "2026-02-27\n", "add", "2026-02-13T14:00", "5", "--cutoff", "15:00");
    ASSERT_RUN(0, "2026-02-13 10:30\n", "add", "2026-02-12T10:00", "8", "--hours");
    ASSERT_RUN(0, "2026-02-26\n5 ngày làm việc từ 12/02/2026, bỏ qua 14/02–22/02 (Tết Bính Ngọ), hạn Thứ Năm 26/02/2026\n",
               "add", "12/02/2026", "5", "--explain");
    run_result r = run("add", "2027-02-03", "3", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "provisional"));
    assert_int_equal(run("add", "2026-02-12", "x", NULL).status, 2);
    assert_int_equal(run("add", "2026-02-12", "5", "--cutoff", "25:00", NULL).status, 2);
    assert_int_equal(run("add", "2026-02-12", "5", "--bogus", NULL).status, 1);
    assert_int_equal(run("add", "2026-02-12", "5", "--cutoff", NULL).status, 1);
    /* a --db path that cannot be opened is an error, never a silent fallback to the bundled data */
    assert_int_equal(run("add", "2026-02-12", "5", "--db", "/nonexistent.db", NULL).status, 2);
}

static void test_due(void **state)
{
    (void)state;
    ASSERT_RUN(0, "2026-05-13 17:00\n10 ngày làm việc từ 24/04/2026, bỏ qua 25/04–27/04 (Giỗ Tổ Hùng Vương), "
                  "30/04–03/05 (Ngày Chiến thắng, Ngày Quốc tế Lao động), hạn Thứ Tư 13/05/2026\n",
               "due", "2026-04-24", "10 ngày làm việc");
    assert_int_equal(run("due", "2026-04-24", "10 tuần", NULL).status, 2);
}

static void test_holidays(void **state)
{
    (void)state;
    run_result r = run("holidays", "2026", NULL);
    assert_int_equal(r.status, 0);
    assert_true(strncmp(r.out, "2026 official\n", 14) == 0);
    assert_non_null(strstr(r.out, "2026-01-10\tThứ Bảy\tmakeup_workday\tLàm bù cho ngày 02/01/2026\tCông văn 12729/VPCP-KGVX"));
    assert_non_null(strstr(r.out, "2026-02-16\tThứ Hai\ttet\tTết Nguyên đán\t"));
    assert_non_null(strstr(r.out, "2026-08-31\tThứ Hai\tswapped_off\t"));
    r = run("holidays", "2027", NULL);
    assert_true(strncmp(r.out, "2027 provisional", 16) == 0);
    assert_non_null(strstr(r.out, "2027-02-10\tThứ Tư\tcompensatory\tNghỉ bù Tết Nguyên đán\t"));
    r = run("holidays", "2026", "--json", NULL);
    assert_true(strncmp(r.out, "{\"year\":2026,\"status\":\"official\",\"days\":[{\"date\":\"2026-01-01\",\"kind\":\"holiday\",", 79) == 0);
    assert_int_equal(run("holidays", "3000", NULL).status, 2);
}

static void test_help(void **state)
{
    (void)state;
    static const char *const cmds[] = {"to-lunar", "to-solar", "tet", "is-working-day", "add", "due", "holidays"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        run_result r = run(cmds[i], "--help", NULL);
        assert_int_equal(r.status, 0);
        assert_true(strncmp(r.out, "usage: cchc calendar ", 21) == 0);
        assert_non_null(strstr(r.out, cmds[i]));
    }
    run_result r = run("--help", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "is-working-day"));
    assert_int_equal(run("frobnicate", NULL).status, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_lunar),
        cmocka_unit_test(test_to_solar),
        cmocka_unit_test(test_tet),
        cmocka_unit_test(test_is_working_day),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_due),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_help),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

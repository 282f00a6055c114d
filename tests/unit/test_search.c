/* Task search ranks, on both engines: the words next to each other in order come
 * first, then all the words anywhere; a query with diacritics ranks exact-accent
 * matches above folded ones; the title weighs more than the product. The orders
 * pinned here are those of the bundled 2022 plan (data/plans/KH2022.csv). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "store/db.h"
#include "store/store_seed.h"
#include "store/store_task.h"
#include "support/testdb.h"

typedef struct {
    char dir[64];
    char path[600];
    db *d;
    int64_t plan;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/cchc-search-XXXXXX");
    if (!mkdtemp(f->dir) || !test_db_new(f->dir, f->path, sizeof f->path)) return -1;
    char err[512] = "";
    f->d = db_open(f->path, err, sizeof err);
    if (!f->d) { fprintf(stderr, "%s\n", err); return -1; }
    fflush(stdout);
    int saved = dup(1), devnull = open("/dev/null", O_WRONLY);     /* seed_bundled reports on stdout */
    if (devnull >= 0) { dup2(devnull, 1); close(devnull); }
    int rc = seed_bundled(f->d, 0, err, sizeof err);
    fflush(stdout);
    if (saved >= 0) { dup2(saved, 1); close(saved); }
    if (rc != 0) { fprintf(stderr, "seed: %s\n", err); return -1; }
    f->plan = store_seed_plan_id(f->d, "KH2022");
    *state = f;
    return f->plan > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    db_close(f->d);
    test_db_drop(f->path);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    free(f);
    return system(cmd) == 0 ? 0 : -1;
}

/* The numbers of the first n results of q in the 2022 plan, comma-separated,
 * and the total in *total. */
static void first(fixture *f, const char *q, int n, char *out, size_t len, int *total)
{
    task_filter tf = {.plan_id = f->plan, .q = q, .status = -1, .per_page = n, .page = 1};
    task_list l;
    assert_int_equal(store_task_find(f->d, &tf, &l), DB_OK);
    out[0] = '\0';
    for (int i = 0; i < l.n; i++) {
        size_t o = strlen(out);
        snprintf(out + o, len - o, "%s%s", i ? "," : "", l.rows[i].number);
    }
    *total = l.total;
    task_list_free(&l);
}

/* Asserts that the first results of q are expected (numbers, comma-separated) and the total. */
static void expect(fixture *f, const char *q, const char *expected, int expected_total)
{
    char out[256];
    int total, n = 1;
    for (const char *p = expected; *p; p++) n += *p == ',';
    first(f, q, n, out, sizeof out, &total);
    if (strcmp(out, expected) != 0) fail_msg("\"%s\" on %s: got %s, expected %s", q, test_db_engine(), out, expected);
    assert_int_equal(total, expected_total);
}

/* "so hoa" means "số hóa": the three tasks with the phrase in their title come
 * before the 21 that merely hold "sở" and "kế hoạch". */
static void test_phrase_first(void **state)
{
    fixture *f = *state;
    expect(f, "so hoa", "13.a,13.b,15", 24);
    expect(f, "kiem tra", "4,8,11,37", 4);
    expect(f, "mot cua", "16,18,20,35,21", 5);         /* 21: "một số điều của", the words apart */
}

/* "ra soat van ban": task 8 has the phrase; task 11 has the words apart
 * ("rà soát hệ thống hoá văn bản"). */
static void test_all_words_after_phrase(void **state)
{
    expect(*state, "ra soat van ban", "8,11", 2);
}

/* Typed with diacritics, the exact spelling ranks first: "số hóa" puts task 15
 * ("số hóa") before 13.a and 13.b ("Số hoá"), and "Số hoá" the other way round. */
static void test_exact_accents_above_folded(void **state)
{
    fixture *f = *state;
    expect(f, "số hóa", "15,13.a,13.b", 24);
    expect(f, "Số hoá", "13.a,13.b,15", 24);
}

/* "dữ liệu" is in the title of 13.a only, and in the product of 13.b, 14 and 15. */
static void test_title_above_product(void **state)
{
    expect(*state, "du lieu", "13.a,13.b,14,15", 4);
}

/* Punctuation alone, or a word found nowhere, gives nothing (and no error). */
static void test_no_match(void **state)
{
    fixture *f = *state;
    expect(f, "?!", "", 0);
    expect(f, "quokka", "", 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_phrase_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_words_after_phrase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exact_accents_above_folded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_above_product, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_match, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

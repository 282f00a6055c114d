/* HTTP tests: what anonymous visitors see. /public lists the public plans,
 * /public/plans/{id} shows areas, tasks, status and published products but
 * never internal notes; the anonymous API sees only public data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/harness.h"

#define SECRET_NOTE "GHI-CHU-NOI-BO-7f3a9c: chưa công bố, còn vướng kinh phí"
#define PUBLIC_FILE "Quyết định công bố danh mục.pdf"
#define PRIVATE_FILE "Tờ trình nội bộ.pdf"

static harness *H;
static client *ANON, *TTRA;
static int64_t PLAN, TASK;          /* KH2022 and its task 9 (led by TTRA) */
static char PUBLIC_SHA[65], PRIVATE_SHA[65];

/* Posts an update with one PDF file (its bytes made unique by tag) as c. */
static void post_with_file(client *c, int64_t task, const char *note, const char *fname, const char *tag, bool public)
{
    size_t len;
    const char *pdf = test_pdf(&len);
    char *data = malloc(len + 64);
    memcpy(data, pdf, len);
    int extra = snprintf(data + len, 64, "%% %s\n", tag);
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    mp_part parts[] = {
        {.name = "csrf_token", .value = c_csrf(c)},
        {.name = "status", .value = "in_progress"},
        {.name = "percent", .value = "45"},
        {.name = "note", .value = note},
        {.name = "public", .value = public ? "1" : "0"},
        {.name = "files", .filename = fname, .data = data, .len = len + (size_t)extra, .content_type = "application/pdf"},
    };
    const response *r = c_post_multipart(c, path, parts, 6, NULL);
    free(data);
    assert_int_equal(r->status, 303);
}

static void sha_of(const char *fname, char out[65])
{
    db *d = h_db(H);
    db_stmt *s = db_prepare(d, "SELECT sha256 FROM update_files WHERE filename = ? ORDER BY id DESC LIMIT 1");
    assert_non_null(s);
    db_bind_text(s, 1, fname);
    assert_int_equal(db_step(s), DB_ROW);
    snprintf(out, 65, "%s", db_col_text(s, 0));
    db_step(s);
}

static int setup(void **state)
{
    (void)state;
    H = h_start_logged_in(&TTRA, H_USER_TTRA, NULL);
    if (!H) return -1;
    ANON = c_new(H);
    PLAN = h_plan_id(H, "KH2022");
    TASK = h_task_id(H, "KH2022", "9");
    return PLAN > 0 && TASK > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    c_free(ANON);
    c_free(TTRA);
    h_stop(H);
    return 0;
}

static void test_updates_posted(void **state)
{
    (void)state;
    /* The lead publishes one product and keeps another internal, with an internal note. */
    post_with_file(TTRA, TASK, SECRET_NOTE, PUBLIC_FILE, "public", true);
    post_with_file(TTRA, TASK, SECRET_NOTE, PRIVATE_FILE, "private", false);
    sha_of(PUBLIC_FILE, PUBLIC_SHA);
    sha_of(PRIVATE_FILE, PRIVATE_SHA);
    assert_string_not_equal(PUBLIC_SHA, PRIVATE_SHA);
    /* Inside, the note is there (so its absence outside means something). */
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld", (long long)TASK);
    assert_true(r_has(c_get(TTRA, path), SECRET_NOTE));
}

static void test_public_index(void **state)
{
    (void)state;
    const response *r = c_get(ANON, "/public");
    assert_int_equal(r->status, 200);
    assert_non_null(strstr(r_header(r, "Content-Type"), "text/html"));
    int64_t n = h_query_int(H, "SELECT COUNT(*) FROM plans WHERE public = 1", NULL);
    assert_true(n >= 2);
    assert_int_equal(r_count(r, "href=\"/public/plans/"), n);
    char href[64];
    snprintf(href, sizeof href, "href=\"/public/plans/%lld\"", (long long)PLAN);
    assert_true(r_has(r, href));
    assert_true(r_has(r, "Kế hoạch thực hiện công tác cải cách hành chính nhà nước năm 2022"));
    /* An anonymous page: no logout form, no internal menu. */
    assert_false(r_has(r, "action=\"/logout\""));
    assert_false(r_has(r, "href=\"/admin\""));
}

static void test_public_plan_page(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/public/plans/%lld", (long long)PLAN);
    const response *r = c_get(ANON, path);
    assert_int_equal(r->status, 200);
    /* Every area and every task of the plan. */
    char missing[512];
    int areas = r_has_each_row(H, r, "SELECT no || '. ' || title FROM areas WHERE plan_id = ? ORDER BY position", PLAN, missing, sizeof missing);
    if (areas < 0) fail_msg("area %s missing from the public page", missing);
    assert_int_equal(areas, 7);
    int tasks = r_has_each_row(H, r, "SELECT title FROM tasks WHERE plan_id = ? ORDER BY position", PLAN, missing, sizeof missing);
    if (tasks < 0) fail_msg("task missing from the public page: %s", missing);
    assert_int_equal(tasks, 47);
    /* Status and progress of the updated task, and its published product. */
    assert_true(r_has(r, "Đang thực hiện (45%)"));
    assert_true(r_has(r, "Chưa triển khai (0%)"));
    char link[128];
    snprintf(link, sizeof link, "href=\"/files/%s\"", PUBLIC_SHA);
    assert_true(r_has(r, link));
    assert_true(r_has(r, PUBLIC_FILE));
    /* Never the internal note or the internal file. */
    assert_false(r_has(r, "GHI-CHU-NOI-BO-7f3a9c"));
    assert_false(r_has(r, PRIVATE_FILE));
    assert_false(r_has(r, PRIVATE_SHA));
    /* No links into the internal pages. */
    assert_false(r_has(r, "href=\"/tasks/"));
}

static void test_public_files(void **state)
{
    (void)state;
    char path[96];
    snprintf(path, sizeof path, "/files/%s", PUBLIC_SHA);
    const response *r = c_get(ANON, path);
    assert_int_equal(r->status, 200);
    assert_true(r->len > 100);
    assert_int_equal(memcmp(r->body, "%PDF-", 5), 0);
    assert_non_null(strstr(r_header(r, "Content-Disposition"), "attachment"));
    snprintf(path, sizeof path, "/files/%s", PRIVATE_SHA);
    r = c_get(ANON, path);
    assert_int_equal(r->status, 404);                         /* as for a file never uploaded */
    assert_false(r_has(r, "%PDF-"));
}

static void test_anonymous_api(void **state)
{
    (void)state;
    const response *r = c_get(ANON, "/api/v1/plans");
    assert_int_equal(r->status, 200);
    json_t *j = r_json(r);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "plans")), h_query_int(H, "SELECT COUNT(*) FROM plans WHERE public = 1", NULL));
    json_decref(j);

    char path[96];
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks", (long long)PLAN);
    r = c_get(ANON, path);
    assert_int_equal(r->status, 200);
    assert_false(r_has(r, "GHI-CHU-NOI-BO-7f3a9c"));
    assert_false(r_has(r, PRIVATE_SHA));
    assert_false(r_has(r, "\"updated_at\""));     /* internal field */
    j = r_json(r);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 47);
    json_decref(j);

    snprintf(path, sizeof path, "/api/v1/tasks/%lld", (long long)TASK);
    r = c_get(ANON, path);
    assert_int_equal(r->status, 200);
    assert_false(r_has(r, "GHI-CHU-NOI-BO-7f3a9c"));
    assert_false(r_has(r, "\"updated_at\""));
    j = r_json(r);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "in_progress");
    assert_int_equal(json_integer_value(json_object_get(j, "percent")), 45);
    json_decref(j);
    /* The same for a signed-in user has the internal fields. */
    assert_true(r_has(c_get(TTRA, path), "\"updated_at\""));

    /* Internal resources stay closed. */
    assert_int_equal(c_get(ANON, "/api/v1/reports")->status, 401);
    assert_int_equal(c_get(ANON, "/api/v1/reports/1")->status, 401);
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)TASK);
    int64_t before = h_updates(H, TASK);
    assert_int_equal(c_post_json(ANON, "POST", path, "{\"status\":\"done\"}", NULL)->status, 401);
    assert_int_equal(h_updates(H, TASK), before);
    /* The HTML task page needs a login. */
    snprintf(path, sizeof path, "/tasks/%lld", (long long)TASK);
    r = c_get(ANON, path);
    assert_int_equal(r->status, 303);
    assert_false(r_has(r, "GHI-CHU-NOI-BO-7f3a9c"));
}

static void test_non_public_plan_hidden(void **state)
{
    (void)state;
    /* Unpublish the 2026–2030 plan. */
    int64_t plan = h_plan_id(H, "KH2026_2030");
    assert_true(plan > 0);
    db *d = h_db(H);
    db_stmt *s = db_prepare(d, "UPDATE plans SET public = 0 WHERE id = ?");
    db_bind_int(s, 1, plan);
    assert_int_equal(db_exec_stmt(s), DB_DONE);
    int64_t task = h_query_int_i(H, "SELECT MIN(id) FROM tasks WHERE plan_id = ?", plan);
    assert_true(task > 0);

    char path[96], href[64];
    snprintf(href, sizeof href, "/public/plans/%lld", (long long)plan);
    assert_false(r_has(c_get(ANON, "/public"), href));
    assert_int_equal(c_get(ANON, href)->status, 404);
    const response *r = c_get(ANON, "/api/v1/plans");
    json_t *j = r_json(r);
    assert_non_null(j);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(j, "plans"), i, p) {
        assert_int_not_equal(json_integer_value(json_object_get(p, "id")), plan);
    }
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/plans/%lld", (long long)plan);
    assert_int_equal(c_get(ANON, path)->status, 404);
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks", (long long)plan);
    assert_int_equal(c_get(ANON, path)->status, 404);
    snprintf(path, sizeof path, "/api/v1/tasks/%lld", (long long)task);
    assert_int_equal(c_get(ANON, path)->status, 404);
    /* Anonymous search over all plans does not reach it either. */
    snprintf(path, sizeof path, "/api/v1/plans/%lld/tasks?q=cai+cach", (long long)plan);
    assert_int_equal(c_get(ANON, path)->status, 404);
    /* Signed-in users still see it. */
    snprintf(path, sizeof path, "/api/v1/plans/%lld", (long long)plan);
    assert_int_equal(c_get(TTRA, path)->status, 200);
    snprintf(path, sizeof path, "/api/v1/tasks/%lld", (long long)task);
    assert_int_equal(c_get(TTRA, path)->status, 200);
    /* Publish it again. */
    s = db_prepare(d, "UPDATE plans SET public = 1 WHERE id = ?");
    db_bind_int(s, 1, plan);
    assert_int_equal(db_exec_stmt(s), DB_DONE);
    assert_int_equal(c_get(ANON, href)->status, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_updates_posted),
        cmocka_unit_test(test_public_index),
        cmocka_unit_test(test_public_plan_page),
        cmocka_unit_test(test_public_files),
        cmocka_unit_test(test_anonymous_api),
        cmocka_unit_test(test_non_public_plan_hidden),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

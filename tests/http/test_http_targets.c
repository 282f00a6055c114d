/* Targets computed from the plan's own data: the share of tasks done and the
 * share of lead units that finished all their tasks; such targets refuse
 * hand-entered values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "support/harness.h"

static harness *H;

static int setup(void **state) { (void)state; H = h_start(); return H ? 0 : -1; }
static int teardown(void **state) { (void)state; h_stop(H); return 0; }

/* The target with code from GET /api/v1/targets?plan=; a new reference the caller frees. */
static json_t *target(client *c, const char *code)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/targets?plan=%lld", (long long)h_plan_id(H, "KH2022"));
    json_t *doc = r_json(c_get(c, path));
    assert_non_null(doc);
    json_t *found = NULL, *t;
    size_t i;
    json_array_foreach(json_object_get(doc, "targets"), i, t)
        if (!strcmp(json_string_value(json_object_get(t, "code")), code)) found = json_incref(t);
    json_decref(doc);
    assert_non_null(found);
    return found;
}

static void test_unit_completion_rate_follows_progress(void **state)
{
    (void)state;
    client *c = c_new(H);
    const char *csrf = c_login_api(c, H_USER_TTRA, H_PASSWORD);
    int64_t plan = h_plan_id(H, "KH2022");
    int64_t units = h_query_int_i(H, "SELECT COUNT(DISTINCT t.lead_unit_id) FROM tasks t JOIN units u ON u.id = t.lead_unit_id "
                                     "WHERE t.plan_id = ? AND u.kind <> 'group'", plan);
    assert_true(units > 1);
    json_t *t = target(c, "KH2022.I2.03");
    assert_true(json_is_true(json_object_get(t, "computed")));
    assert_true(json_real_value(json_object_get(t, "actual")) < 0.001);
    assert_string_equal(json_string_value(json_object_get(t, "verdict")), "not_met");
    json_decref(t);
    /* TTRA finishes every task it leads in the plan: one unit of `units` is complete. */
    int64_t ttra = h_unit_id(H, "TTRA");
    int n = (int)h_query_int_i(H, "SELECT COUNT(*) FROM tasks WHERE lead_unit_id = ?", ttra);
    assert_true(n > 0);
    for (int k = 0; k < n; k++) {
        char sql[128], path[64];
        snprintf(sql, sizeof sql, "SELECT id FROM tasks WHERE lead_unit_id = ? ORDER BY id LIMIT 1 OFFSET %d", k);
        snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)h_query_int_i(H, sql, ttra));
        assert_int_equal(c_post_json(c, "POST", path, "{\"status\":\"done\",\"note\":\"Xong\"}", csrf)->status, 201);
    }
    t = target(c, "KH2022.I2.03");
    double expected = (double)(long)(1000.0 / (double)units + 0.5) / 10.0;
    double actual = json_real_value(json_object_get(t, "actual"));
    if (actual < expected - 0.05 || actual > expected + 0.05) fail_msg("1 of %lld units: %.1f, expected %.1f", (long long)units, actual, expected);
    json_decref(t);
    c_free(c);
}

static void test_computed_target_refuses_manual_value(void **state)
{
    (void)state;
    client *c = c_new(H);
    assert_int_equal(c_login_html(c, H_USER_OFFICE, H_PASSWORD), 303);
    int64_t id = h_query_int(H, "SELECT id FROM targets WHERE code = ?", "KH2022.I2.03");
    char path[64];
    snprintf(path, sizeof path, "/targets/%lld/measurements", (long long)id);
    const response *r = c_post_form_csrf(c, path, "value=100&measured_on=30%2F11%2F2022");
    assert_int_equal(r->status, 409);
    assert_int_equal(h_query_int_i(H, "SELECT COUNT(*) FROM target_measurements WHERE target_id = ?", id), 0);
    c_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_completion_rate_follows_progress),
        cmocka_unit_test(test_computed_target_refuses_manual_value),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* The route table: CSRF on every state-changing route, the role/capability
 * matrix, and matching. (tests/http/test_http_server.c checks the table's other
 * invariants and the OpenAPI listing against a running server.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "web/handlers.h"
#include "web/router.h"

static void test_every_write_checks_csrf(void **s)
{
    (void)s;
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        bool safe = !strcmp(rt->method, "GET") || !strcmp(rt->method, "HEAD");
        if (!safe && rt->csrf == CSRF_NONE) fail_msg("%s %s has no CSRF check", rt->method, rt->pattern);
        /* anonymous-login CSRF only on the two login endpoints */
        if (rt->csrf == CSRF_LOGIN) assert_true(!strcmp(rt->pattern, "/login") || !strcmp(rt->pattern, "/api/v1/session"));
        /* writes need more than anonymous access, except logging in */
        if (!safe && rt->csrf != CSRF_LOGIN) assert_int_not_equal(rt->cap, CAP_PUBLIC);
    }
}

static void test_admin_and_write_capabilities(void **s)
{
    (void)s;
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        if (!strncmp(rt->pattern, "/admin", 6)) assert_int_equal(rt->cap, CAP_ADMIN);
    }
    assert_true(role_has(ROLE_UNIT, CAP_UPDATE_TASK));
    assert_false(role_has(ROLE_VIEWER, CAP_UPDATE_TASK));
    assert_false(role_has(ROLE_LEADER, CAP_UPDATE_TASK));
    assert_true(role_has(ROLE_LEADER, CAP_APPROVE_REPORT));
    assert_false(role_has(ROLE_UNIT, CAP_APPROVE_REPORT));
    assert_false(role_has(ROLE_OFFICE, CAP_APPROVE_REPORT));   /* the Office may submit for units */
    assert_false(role_has(ROLE_OFFICE, CAP_ADMIN));
    assert_false(role_has(ROLE_NONE, CAP_READ_INTERNAL));
    assert_true(role_has(ROLE_NONE, CAP_PUBLIC));
}

static void test_matching(void **s)
{
    (void)s;
    req r = {0};
    bool known;
    const route *rt = router_match("GET", "/api/v1/tasks/42", &r, &known);
    assert_non_null(rt);
    assert_ptr_equal(rt->fn, h_api_task);
    assert_int_equal(req_param_id(&r, 0), 42);
    req_free(&r);
    rt = router_match("PUT", "/api/v1/tasks/42", &r, &known);
    assert_null(rt);
    assert_true(known);                 /* → 405 */
    rt = router_match("GET", "/nowhere", &r, &known);
    assert_null(rt);
    assert_false(known);                /* → 404 */
    rt = router_match("GET", "/tasks/x1", &r, &known);
    assert_non_null(rt);
    assert_int_equal(req_param_id(&r, 0), -1);   /* a non-numeric id is rejected by handlers */
    req_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_write_checks_csrf),
        cmocka_unit_test(test_admin_and_write_capabilities),
        cmocka_unit_test(test_matching),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The route table: every route declares a capability, every state-changing
 * route checks CSRF, and the OpenAPI description lists every route. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "web/handlers.h"
#include "web/router.h"

static void test_every_route_declares_capability_and_kind(void **s)
{
    (void)s;
    assert_true(ROUTES_COUNT > 30);
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        assert_non_null(rt->fn);
        assert_true(rt->cap >= CAP_PUBLIC && rt->cap < CAP__COUNT);
        assert_non_null(rt->summary);
        assert_true(rt->kind == KIND_HTML || rt->kind == KIND_JSON);
        assert_true(rt->pattern[0] == '/');
        if (strncmp(rt->pattern, "/api/", 5) == 0) assert_int_equal(rt->kind, KIND_JSON);
    }
}

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

static void test_openapi_lists_every_route(void **s)
{
    (void)s;
    config cfg;
    config_defaults(&cfg);
    req r = {.cfg = &cfg};
    resp w = {.file_fd = -1};
    h_api_openapi(&r, &w);
    assert_int_equal(w.status, 200);
    json_error_t e;
    json_t *doc = json_loads(buf_str(&w.body), 0, &e);
    assert_non_null(doc);
    json_t *paths = json_object_get(doc, "paths");
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        json_t *item = json_object_get(paths, ROUTES[i].pattern);
        if (!item) fail_msg("route %s missing from openapi.json", ROUTES[i].pattern);
        char m[16] = {0};
        for (size_t k = 0; ROUTES[i].method[k] && k < 15; k++) m[k] = (char)(ROUTES[i].method[k] | 0x20);
        if (!json_object_get(item, m)) fail_msg("%s %s missing from openapi.json", ROUTES[i].method, ROUTES[i].pattern);
    }
    json_decref(doc);
    resp_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_declares_capability_and_kind),
        cmocka_unit_test(test_every_write_checks_csrf),
        cmocka_unit_test(test_admin_and_write_capabilities),
        cmocka_unit_test(test_matching),
        cmocka_unit_test(test_openapi_lists_every_route),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

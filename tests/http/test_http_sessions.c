/* Session expiry with the test clock (db_test_advance_clock), not with sleeps:
 * a session ends after security.session_idle minutes without a request, and
 * after security.session_max hours whatever the activity. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdint.h>
#include "store/db.h"
#include "support/harness.h"

static int64_t advanced;

static void advance(int64_t seconds)
{
    db_test_advance_clock(seconds);
    advanced += seconds;
}

static int reset_clock(void **state)
{
    (void)state;
    db_test_advance_clock(-advanced);
    advanced = 0;
    return 0;
}

static void test_idle_expiry(void **state)
{
    (void)state;
    int idle = h_config(h_shared)->session_idle_minutes;
    client *c = c_new_logged_in(h_shared, H_USER_TTRA);
    assert_non_null(c);
    assert_int_equal(c_get(c, "/my")->status, 200);
    advance((int64_t)(idle - 1) * 60);
    assert_int_equal(c_get(c, "/my")->status, 200);                 /* activity keeps it: last seen now */
    advance((int64_t)(idle - 1) * 60);
    assert_int_equal(c_get(c, "/my")->status, 200);
    advance((int64_t)(idle + 1) * 60);                               /* a pause longer than the idle limit */
    const response *r = c_get(c, "/my");
    assert_int_equal(r->status, 303);
    assert_non_null(r_header(r, "Location"));
    assert_int_equal(c_get(c, "/api/v1/reports")->status, 401);      /* the API says so too */
    c_free(c);
}

static void test_absolute_expiry(void **state)
{
    (void)state;
    int max_hours = h_config(h_shared)->session_max_hours;
    client *c = c_new_logged_in(h_shared, H_USER_TTRA);
    assert_non_null(c);
    for (int h = 1; h < max_hours; h++) {                            /* active all day, every hour */
        advance(3600);
        assert_int_equal(c_get(c, "/my")->status, 200);
    }
    advance(3600 - 60);
    assert_int_equal(c_get(c, "/my")->status, 200);                  /* a minute before the end */
    advance(120);
    assert_int_equal(c_get(c, "/my")->status, 303);                  /* over: log in again */
    assert_int_equal(c_login_html(c, H_USER_TTRA, H_PASSWORD), 303);
    assert_int_equal(c_get(c, "/my")->status, 200);
    c_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_idle_expiry, reset_clock),
        cmocka_unit_test_teardown(test_absolute_expiry, reset_clock),
    };
    return cmocka_run_group_tests(tests, h_shared_setup, h_shared_teardown);
}

/* No lockout by strangers (OWASP device cookies): a browser that logged in as a
 * user before holds a signed device cookie and is throttled on its own failures
 * only; unknown devices are throttled per account and address with growing
 * delays, per address, and per account per hour across all addresses. Client
 * addresses are given through X-Forwarded-For from the trusted proxy 127.0.0.1. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include "support/harness.h"

#define HOURLY 12

static harness *H;

static int setup(void **state)
{
    (void)state;
    h_options o = {.trusted_proxies = "127.0.0.1", .login_account_hourly = HOURLY, .login_ip_failures = 100000};
    H = h_start_opts(&o);
    return H ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    h_stop(H);
    return 0;
}

/* A JSON login as user from the client address from; the status. */
static long login_from(client *c, const char *user, const char *password, const char *from)
{
    char body[200], xff[64];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
    snprintf(xff, sizeof xff, "X-Forwarded-For: %s", from);
    const char *const headers[] = {xff, NULL};
    return c_request(c, "POST", "/api/v1/session", "application/json", body, strlen(body), headers)->status;
}

/* Logs out after a login_from (the session ends; the device cookie stays). */
static void logout(client *c)
{
    json_t *doc = r_json(c_last(c));
    const char *csrf = json_string_value(json_object_get(doc, "csrf_token"));
    assert_non_null(csrf);
    assert_int_equal(c_post_json(c, "DELETE", "/api/v1/session", NULL, csrf)->status, 204);
    json_decref(doc);
}

static void test_strangers_cannot_lock_out_the_owner(void **state)
{
    (void)state;
    assert_true(h_add_user(H, "thanhtra", "unit", "TTRA") > 0);
    client *owner = c_new(H);
    assert_int_equal(login_from(owner, "thanhtra", H_PASSWORD, "127.0.0.4"), 200);    /* earlier, on the owner's browser */
    assert_non_null(c_cookie(owner, "cchc_device"));
    logout(owner);
    client *attacker = c_new(H);
    int refused = 0;
    for (int i = 0; i < 1000; i++) {
        long st = login_from(attacker, "thanhtra", "doan-mo-mat-khau", "127.0.0.2");
        assert_true(st == 401 || st == 429);
        refused += st == 429;
    }
    assert_true(refused >= 990);                                  /* the guesser is slowed down */
    assert_int_equal(login_from(attacker, "thanhtra", H_PASSWORD, "127.0.0.2"), 429);  /* even with the right one */
    assert_int_equal(login_from(owner, "thanhtra", H_PASSWORD, "127.0.0.4"), 200);     /* the known device: no lockout */
    client *elsewhere = c_new(H);                                                      /* unknown device, other address */
    assert_int_equal(login_from(elsewhere, "thanhtra", H_PASSWORD, "127.0.0.3"), 200);
    assert_true(h_audit(H, "login_throttled") >= 1);
    c_free(attacker);
    c_free(elsewhere);
    c_free(owner);
}

static void test_hourly_cap_across_addresses_spares_known_devices(void **state)
{
    (void)state;
    assert_true(h_add_user(H, "ketoan", "viewer", NULL) > 0);
    client *owner = c_new(H);
    assert_int_equal(login_from(owner, "ketoan", H_PASSWORD, "127.0.1.1"), 200);
    logout(owner);
    client *botnet = c_new(H);
    char addr[32];
    for (int i = 0; i < HOURLY; i++) {                           /* one guess from each of many addresses */
        snprintf(addr, sizeof addr, "198.51.100.%d", i + 1);
        assert_int_equal(login_from(botnet, "ketoan", "doan-mo-mat-khau", addr), 401);
    }
    client *stranger = c_new(H);
    assert_int_equal(login_from(stranger, "ketoan", H_PASSWORD, "203.0.113.9"), 429);  /* guessing stays slow */
    assert_int_equal(login_from(owner, "ketoan", H_PASSWORD, "127.0.1.1"), 200);       /* the owner is not locked out */
    c_free(botnet);
    c_free(stranger);
    c_free(owner);
}

static void test_device_cookie_is_per_user_and_signed(void **state)
{
    (void)state;
    assert_true(h_add_user(H, "nguoi_a", "viewer", NULL) > 0);
    assert_true(h_add_user(H, "nguoi_b", "viewer", NULL) > 0);
    client *a = c_new(H);
    assert_int_equal(login_from(a, "nguoi_a", H_PASSWORD, "127.0.2.1"), 200);
    logout(a);
    int limit = h_config(H)->login_max_failures;
    /* A's device is unknown for B: B's failures from it are throttled as usual. */
    for (int i = 0; i < limit; i++) assert_int_equal(login_from(a, "nguoi_b", "sai-mat-khau-b", "127.0.2.1"), 401);
    assert_int_equal(login_from(a, "nguoi_b", H_PASSWORD, "127.0.2.1"), 429);
    assert_int_equal(login_from(a, "nguoi_a", H_PASSWORD, "127.0.2.1"), 200);          /* and still known for A */
    /* A forged device cookie is an unknown device. */
    client *f = c_new(H);
    c_set_cookie(f, "cchc_device", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    for (int i = 0; i < limit; i++) assert_int_equal(login_from(f, "nguoi_a", "sai", "127.0.2.2"), 401);
    assert_int_equal(login_from(f, "nguoi_a", H_PASSWORD, "127.0.2.2"), 429);
    c_free(f);
    c_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strangers_cannot_lock_out_the_owner),
        cmocka_unit_test(test_hourly_cap_across_addresses_spares_known_devices),
        cmocka_unit_test(test_device_cookie_is_per_user_and_signed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

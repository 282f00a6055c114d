/* Address lists and CIDRs (IPv4, IPv6), and the client of a forwarded request:
 * the right-most untrusted X-Forwarded-For hop, X-Real-IP, or the peer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "core/netaddr.h"

static void test_lists(void **s)
{
    (void)s;
    assert_true(addr_list_valid(""));
    assert_true(addr_list_valid("127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8"));
    assert_false(addr_list_valid("127.0.0.1, nginx"));
    assert_false(addr_list_valid("10.0.0.0/33"));
    assert_false(addr_list_valid("10.0.0.0/"));
    assert_true(addr_in_list("10.0.0.0/8", "10.200.3.4"));
    assert_false(addr_in_list("10.0.0.0/8", "11.0.0.1"));
    assert_true(addr_in_list("192.168.1.0/24, 127.0.0.1", "127.0.0.1"));
    assert_false(addr_in_list("127.0.0.1", "127.0.0.2"));
    assert_true(addr_in_list("fd00::/8", "fd12:3456::1"));
    assert_false(addr_in_list("fd00::/8", "fe80::1"));
    assert_false(addr_in_list("0.0.0.0/0", "::1"));                  /* IPv4 ranges hold IPv4 only */
    assert_true(addr_in_list("0.0.0.0/0", "8.8.8.8"));
    assert_false(addr_in_list("127.0.0.1", "garbage"));
}

static void test_forwarded_client(void **s)
{
    (void)s;
    char out[64];
    const char *trusted = "127.0.0.1, 10.0.0.0/8";
    addr_forwarded_client(trusted, "127.0.0.1", "203.0.113.5", NULL, out, sizeof out);
    assert_string_equal(out, "203.0.113.5");
    addr_forwarded_client(trusted, "127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.2.3", NULL, out, sizeof out);
    assert_string_equal(out, "203.0.113.5");                           /* the right-most untrusted hop */
    addr_forwarded_client(trusted, "198.51.100.9", "203.0.113.5", "203.0.113.6", out, sizeof out);
    assert_string_equal(out, "198.51.100.9");                          /* not from a trusted proxy: headers ignored */
    addr_forwarded_client(trusted, "127.0.0.1", NULL, " 203.0.113.6 ", out, sizeof out);
    assert_string_equal(out, "203.0.113.6");                           /* X-Real-IP when there is no X-Forwarded-For */
    addr_forwarded_client(trusted, "127.0.0.1", "junk, 203.0.113.5", NULL, out, sizeof out);
    assert_string_equal(out, "203.0.113.5");
    addr_forwarded_client(trusted, "127.0.0.1", "203.0.113.5, junk", NULL, out, sizeof out);
    assert_string_equal(out, "127.0.0.1");                             /* a malformed last hop: the proxy itself */
    addr_forwarded_client(trusted, "127.0.0.1", "10.0.0.7, 10.0.0.8", NULL, out, sizeof out);
    assert_string_equal(out, "10.0.0.7");                              /* every hop trusted: the first */
    addr_forwarded_client("", "127.0.0.1", "203.0.113.5", NULL, out, sizeof out);
    assert_string_equal(out, "127.0.0.1");
    addr_forwarded_client("::1", "::1", "2001:db8::5", NULL, out, sizeof out);
    assert_string_equal(out, "2001:db8::5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_forwarded_client),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

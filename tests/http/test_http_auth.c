/* HTTP tests: logging in and out (HTML form and JSON API), wrong passwords,
 * throttling, the session cookie's attributes, API tokens from the profile
 * page, and CSRF on HTML forms and on API writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/harness.h"

static harness *H;

static int setup(void **state)
{
    (void)state;
    H = h_start();
    return H ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    h_stop(H);
    return 0;
}

/* The Set-Cookie header that sets name, or NULL. */
static const char *set_cookie(const response *r, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; r_header_n(r, "Set-Cookie", i); i++) {
        const char *v = r_header_n(r, "Set-Cookie", i);
        if (strncmp(v, name, n) == 0 && v[n] == '=') return v;
    }
    return NULL;
}

static void assert_cookie_attrs(const char *line)
{
    assert_non_null(line);
    assert_non_null(strstr(line, "HttpOnly"));
    assert_non_null(strstr(line, "SameSite=Lax"));
    assert_non_null(strstr(line, "Path=/"));
}

/* A task led by TTRA in the 2022 plan (task 8). */
static int64_t ttra_task(void)
{
    int64_t id = h_task_id(H, "KH2022", "8");
    assert_true(id > 0);
    return id;
}

/* ---------- login and logout ---------- */

static void test_html_login_sets_safe_cookie(void **state)
{
    (void)state;
    client *c = c_new(H);
    const response *r = c_get(c, "/login");
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "name=\"csrf_token\""));
    c_learn_csrf(c, r);
    assert_true(strlen(c_csrf(c)) > 20);

    char form[256];
    char *tok = url_enc(c_csrf(c));
    snprintf(form, sizeof form, "username=%s&password=%s&next=%%2Ftasks&csrf_token=%s", H_USER_VIEWER, H_PASSWORD, tok);
    free(tok);
    r = c_post_form(c, "/login", form);
    assert_int_equal(r->status, 303);
    assert_string_equal(r_header(r, "Location"), "/tasks");
    const char *cookie = set_cookie(r, "cchc_session");
    assert_cookie_attrs(cookie);
    assert_null(strstr(cookie, "cchc_session=;"));

    r = c_get(c, "/");
    assert_int_equal(r->status, 200);
    assert_true(r_has(r, "action=\"/logout\""));
    c_free(c);
}

static void test_login_next_must_be_local(void **state)
{
    (void)state;
    client *c = c_new(H);
    c_learn_csrf(c, c_get(c, "/login"));
    char form[256];
    char *tok = url_enc(c_csrf(c));
    snprintf(form, sizeof form, "username=%s&password=%s&next=%%2F%%2Fevil.example%%2F&csrf_token=%s", H_USER_VIEWER, H_PASSWORD, tok);
    free(tok);
    const response *r = c_post_form(c, "/login", form);
    assert_int_equal(r->status, 303);
    assert_string_equal(r_header(r, "Location"), "/");
    c_free(c);
}

static void test_api_login_returns_csrf(void **state)
{
    (void)state;
    client *c = c_new(H);
    const char *tok = c_login_api(c, H_USER_OFFICE, H_PASSWORD);
    assert_non_null(tok);
    const response *r = c_last(c);
    assert_int_equal(r->status, 200);
    assert_cookie_attrs(set_cookie(r, "cchc_session"));
    json_t *j = r_json(r);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "role")), "office");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "username")), H_USER_OFFICE);
    json_decref(j);
    /* The session works for internal API reads. */
    r = c_get(c, "/api/v1/reports");
    assert_int_equal(r->status, 200);
    c_free(c);
}

static void test_wrong_password_401(void **state)
{
    (void)state;
    client *c = c_new(H);
    assert_int_equal(c_login_html(c, H_USER_LEADER, "not-the-password"), 401);
    const response *r = c_last(c);
    assert_true(r_has(r, "role=\"alert\""));
    assert_null(set_cookie(r, "cchc_session"));
    /* Still anonymous. */
    r = c_get(c, "/");
    assert_int_equal(r->status, 303);

    assert_null(c_login_api(c, H_USER_LEADER, "still-wrong"));
    r = c_last(c);
    assert_int_equal(r->status, 401);
    json_t *j = r_json(r);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "bad_credentials");
    json_decref(j);

    /* An unknown user gets the same answer. */
    assert_null(c_login_api(c, "no-such-user", "whatever-password"));
    assert_int_equal(c_last(c)->status, 401);
    c_free(c);
}

static void test_throttle_after_failures(void **state)
{
    (void)state;
    assert_true(h_add_user(H, "throttle_me", "viewer", NULL) > 0);
    int limit = h_config(H)->login_max_failures;
    assert_true(limit > 0 && limit < 10);
    client *c = c_new(H);
    for (int i = 0; i < limit; i++) assert_int_equal(c_login_html(c, "throttle_me", "wrong-password-x"), 401);
    int64_t throttled_before = h_audit(H, "login_throttled");
    /* Now even the right password is refused, with a message to retry later. */
    assert_int_equal(c_login_html(c, "throttle_me", H_PASSWORD), 429);
    const response *r = c_last(c);
    assert_true(r_has(r, "thử lại sau"));
    assert_null(set_cookie(r, "cchc_session"));
    assert_null(c_login_api(c, "throttle_me", H_PASSWORD));
    r = c_last(c);
    assert_int_equal(r->status, 429);
    assert_true(r_has(r, "\"throttled\""));
    assert_true(r_has(r, "thử lại sau"));
    /* Both refusals are within a minute: audited once (a flood does not grow the audit). */
    assert_int_equal(h_audit(H, "login_throttled"), throttled_before + 1);
    /* Other accounts are not affected. */
    assert_int_equal(c_login_html(c, H_USER_VIEWER, H_PASSWORD), 303);
    c_free(c);
}

static void test_logout_invalidates_session(void **state)
{
    (void)state;
    client *c = c_new(H);
    assert_int_equal(c_login_html(c, H_USER_TCCB, H_PASSWORD), 303);
    char old[128];
    const char *v = c_cookie(c, "cchc_session");
    assert_non_null(v);
    snprintf(old, sizeof old, "%s", v);
    assert_true(strlen(old) > 20);

    /* Logout needs the CSRF token too. */
    const response *r = c_post_form(c, "/logout", "");
    assert_int_equal(r->status, 403);
    assert_int_equal(c_get(c, "/")->status, 200);

    r = c_post_form_csrf(c, "/logout", "");
    assert_int_equal(r->status, 303);
    assert_string_equal(r_header(r, "Location"), "/login");
    const char *clear = set_cookie(r, "cchc_session");
    assert_non_null(clear);
    assert_non_null(strstr(clear, "Max-Age=0"));

    /* The old cookie, replayed by another client, is worthless now. */
    client *replay = c_new(H);
    c_set_cookie(replay, "cchc_session", old);
    r = c_get(replay, "/");
    assert_int_equal(r->status, 303);
    assert_non_null(strstr(r_header(r, "Location"), "/login"));
    r = c_get(replay, "/api/v1/reports");
    assert_int_equal(r->status, 401);
    c_free(replay);
    c_free(c);
}

static void test_api_logout(void **state)
{
    (void)state;
    client *c = c_new(H);
    const char *csrf = c_login_api(c, H_USER_VIEWER, H_PASSWORD);
    assert_non_null(csrf);
    char tok[64];
    snprintf(tok, sizeof tok, "%s", csrf);
    assert_int_equal(c_get(c, "/api/v1/reports")->status, 200);
    /* Without the CSRF header the cookie session cannot be closed. */
    assert_int_equal(c_post_json(c, "DELETE", "/api/v1/session", NULL, NULL)->status, 403);
    assert_int_equal(c_post_json(c, "DELETE", "/api/v1/session", NULL, tok)->status, 204);
    assert_int_equal(c_get(c, "/api/v1/reports")->status, 401);
    c_free(c);
}

/* ---------- API tokens ---------- */

/* Creates an API token on the profile page of a logged-in client; copies it to out. */
static void create_token(client *c, const char *name, char out[128])
{
    const response *r = c_get(c, "/profile");
    assert_int_equal(r->status, 200);
    c_learn_csrf(c, r);
    char form[160];
    snprintf(form, sizeof form, "name=%s", name);
    r = c_post_form_csrf(c, "/profile/tokens", form);
    assert_int_equal(r->status, 200);
    const char *p = strstr(r->body, "id=\"new-token\">");
    assert_non_null(p);
    p += strlen("id=\"new-token\">");
    const char *e = strchr(p, '<');
    assert_non_null(e);
    assert_true(e - p > 20 && e - p < 128);
    snprintf(out, 128, "%.*s", (int)(e - p), p);
    /* The raw token is shown once: the next visit of the page has only its name. */
    r = c_get(c, "/profile");
    assert_false(r_has(r, out));
    assert_true(r_has(r, name));
}

static void test_api_token_bearer(void **state)
{
    (void)state;
    client *c = c_new(H);
    assert_int_equal(c_login_html(c, H_USER_TTRA, H_PASSWORD), 303);
    char token[128];
    create_token(c, "script-bao-cao", token);
    /* Not stored in clear. */
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM api_tokens WHERE token_hash = ?", token), 0);

    client *api = c_new(H);
    assert_int_equal(c_get(api, "/api/v1/reports")->status, 401);
    c_set_bearer(api, token);
    assert_int_equal(c_get(api, "/api/v1/reports")->status, 200);
    /* Bearer writes need no CSRF token. */
    int64_t task = ttra_task();
    int64_t before = h_updates(H, task);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    const response *r = c_post_json(api, "POST", path, "{\"status\":\"in_progress\",\"percent\":20,\"note\":\"qua API token\"}", NULL);
    assert_int_equal(r->status, 201);
    assert_int_equal(h_updates(H, task), before + 1);
    /* A wrong token is not a login. */
    c_set_bearer(api, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_int_equal(c_get(api, "/api/v1/reports")->status, 401);
    c_free(api);
    c_free(c);
}

static void test_api_token_revoked(void **state)
{
    (void)state;
    client *c = c_new(H);
    assert_int_equal(c_login_html(c, H_USER_VIEWER, H_PASSWORD), 303);
    char token[128];
    create_token(c, "tam-thoi", token);
    client *api = c_new(H);
    c_set_bearer(api, token);
    assert_int_equal(c_get(api, "/api/v1/reports")->status, 200);
    int64_t id = h_query_int_i(H, "SELECT MAX(id) FROM api_tokens WHERE user_id = ?", h_user_id(H, H_USER_VIEWER));
    assert_true(id > 0);
    char path[64];
    snprintf(path, sizeof path, "/profile/tokens/%lld/revoke", (long long)id);
    assert_int_equal(c_post_form_csrf(c, path, "")->status, 303);
    assert_int_equal(c_get(api, "/api/v1/reports")->status, 401);
    c_free(api);
    c_free(c);
}

/* ---------- CSRF ---------- */

static void test_login_form_needs_csrf(void **state)
{
    (void)state;
    client *c = c_new(H);
    c_get(c, "/login");
    char form[160];
    snprintf(form, sizeof form, "username=%s&password=%s", H_USER_VIEWER, H_PASSWORD);
    assert_int_equal(c_post_form(c, "/login", form)->status, 403);
    snprintf(form, sizeof form, "username=%s&password=%s&csrf_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", H_USER_VIEWER, H_PASSWORD);
    assert_int_equal(c_post_form(c, "/login", form)->status, 403);
    assert_int_equal(c_get(c, "/")->status, 303);    /* not logged in */
    /* The JSON login needs the JSON content type (a cross-site form cannot send it). */
    snprintf(form, sizeof form, "{\"username\":\"%s\",\"password\":\"%s\"}", H_USER_VIEWER, H_PASSWORD);
    const response *r = c_request(c, "POST", "/api/v1/session", "text/plain", form, strlen(form), NULL);
    assert_int_equal(r->status, 403);
    assert_null(set_cookie(r, "cchc_session"));
    c_free(c);
}

static void test_html_form_csrf(void **state)
{
    (void)state;
    client *c = c_new(H);
    assert_int_equal(c_login_html(c, H_USER_TTRA, H_PASSWORD), 303);
    int64_t task = ttra_task();
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    int64_t before = h_updates(H, task);
    int64_t total_before = h_updates(H, 0);

    /* Missing token. */
    const response *r = c_post_form(c, path, "status=in_progress&percent=30&note=csrf-missing");
    assert_int_equal(r->status, 403);
    assert_true(r_has(r, "CSRF"));
    /* Wrong token. */
    r = c_post_form(c, path, "status=in_progress&percent=30&note=csrf-wrong&csrf_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_int_equal(r->status, 403);
    /* Another session's token. */
    client *other = c_new(H);
    assert_int_equal(c_login_html(other, H_USER_TTRA, H_PASSWORD), 303);
    char *tok = url_enc(c_csrf(other));
    char form[256];
    snprintf(form, sizeof form, "status=in_progress&percent=30&note=csrf-other&csrf_token=%s", tok);
    free(tok);
    assert_int_equal(c_post_form(c, path, form)->status, 403);
    /* Multipart without the token. */
    mp_part parts[] = {{.name = "status", .value = "in_progress"}, {.name = "note", .value = "csrf-multipart"}};
    assert_int_equal(c_post_multipart(c, path, parts, 2, NULL)->status, 403);

    assert_int_equal(h_updates(H, task), before);
    assert_int_equal(h_updates(H, 0), total_before);
    assert_int_equal(h_query_int(H, "SELECT COUNT(*) FROM task_updates WHERE note LIKE 'csrf-%'", NULL), 0);

    /* With the right token it goes through. */
    r = c_post_form_csrf(c, path, "status=in_progress&percent=30&note=csrf-ok");
    assert_int_equal(r->status, 303);
    assert_int_equal(h_updates(H, task), before + 1);
    c_free(other);
    c_free(c);
}

static void test_api_cookie_writes_need_header(void **state)
{
    (void)state;
    client *c = c_new(H);
    const char *t = c_login_api(c, H_USER_TTRA, H_PASSWORD);
    assert_non_null(t);
    char csrf[64];
    snprintf(csrf, sizeof csrf, "%s", t);
    int64_t task = ttra_task();
    char path[64];
    snprintf(path, sizeof path, "/api/v1/tasks/%lld/updates", (long long)task);
    int64_t before = h_updates(H, task);
    const char *body = "{\"status\":\"in_progress\",\"percent\":40,\"note\":\"api-cookie\"}";
    const response *r = c_post_json(c, "POST", path, body, NULL);
    assert_int_equal(r->status, 403);
    json_t *j = r_json(r);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "csrf_failed");
    json_decref(j);
    assert_int_equal(c_post_json(c, "POST", path, body, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")->status, 403);
    assert_int_equal(h_updates(H, task), before);
    r = c_post_json(c, "POST", path, body, csrf);
    assert_int_equal(r->status, 201);
    assert_int_equal(h_updates(H, task), before + 1);
    c_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_login_sets_safe_cookie),
        cmocka_unit_test(test_login_next_must_be_local),
        cmocka_unit_test(test_api_login_returns_csrf),
        cmocka_unit_test(test_wrong_password_401),
        cmocka_unit_test(test_throttle_after_failures),
        cmocka_unit_test(test_logout_invalidates_session),
        cmocka_unit_test(test_api_logout),
        cmocka_unit_test(test_api_token_bearer),
        cmocka_unit_test(test_api_token_revoked),
        cmocka_unit_test(test_login_form_needs_csrf),
        cmocka_unit_test(test_html_form_csrf),
        cmocka_unit_test(test_api_cookie_writes_need_header),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

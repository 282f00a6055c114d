/* Regression tests for defects found by the security probe (issue 13, part 1):
 * a password change revokes the user's API tokens and says so; the current
 * password check is throttled like a login; upload names lose bidi and control
 * characters (the name as sent stays in the audit only); the database and the
 * stored files are the owner's only, whatever the umask. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "core/escape.h"
#include "support/harness.h"
#include "support/testdb.h"

/* POSTs the profile's password form as c; returns the response. */
static const response *change_password(client *c, const char *current, const char *next)
{
    char form[256];
    char *cur = url_enc(current), *nxt = url_enc(next);
    snprintf(form, sizeof form, "current=%s&password=%s", cur, nxt);
    free(cur);
    free(nxt);
    return c_post_form_csrf(c, "/profile/password", form);
}

static void test_password_change_revokes_api_tokens(void **state)
{
    (void)state;
    assert_true(h_add_user(h_shared, "doi_mat_khau", "viewer", NULL) > 0);
    client *c = c_new_logged_in(h_shared, "doi_mat_khau");
    assert_non_null(c);
    const response *r = c_post_form_csrf(c, "/profile/tokens", "name=script");
    assert_int_equal(r->status, 200);
    char token[80];
    const char *code = strstr(r->body, "id=\"new-token\">");
    assert_non_null(code);
    code += strlen("id=\"new-token\">");
    snprintf(token, sizeof token, "%.*s", (int)strcspn(code, "<"), code);
    client *script = c_new(h_shared);
    c_set_bearer(script, token);
    assert_int_equal(c_get(script, "/api/v1/reports")->status, 200);          /* the token works */
    r = change_password(c, H_PASSWORD, "Mat-khau-moi-2026!");
    assert_int_equal(r->status, 303);
    assert_non_null(strstr(r_header(r, "Location"), "/profile?ok=password"));
    r = c_get(c, "/profile?ok=password");
    assert_true(r_has(r, "mọi mã API đã bị thu hồi"));                       /* and says so */
    assert_int_equal(c_get(script, "/api/v1/reports")->status, 401);          /* no longer */
    assert_int_equal(h_query_int(h_shared, "SELECT COUNT(*) FROM api_tokens t JOIN users u ON u.id = t.user_id "
                                    "WHERE u.username = ? AND t.revoked = 0", "doi_mat_khau"), 0);
    c_free(script);
    c_free(c);
}

static void test_current_password_check_is_throttled(void **state)
{
    (void)state;
    assert_true(h_add_user(h_shared, "doan_mat_khau", "viewer", NULL) > 0);
    client *c = c_new_logged_in(h_shared, "doan_mat_khau");
    assert_non_null(c);
    int limit = h_config(h_shared)->login_max_failures;
    for (int i = 0; i < limit; i++) assert_int_equal(change_password(c, "sai-mat-khau-hien-tai", "Mat-khau-moi-2026!")->status, 422);
    const response *r = change_password(c, "sai-mat-khau-hien-tai", "Mat-khau-moi-2026!");
    assert_int_equal(r->status, 429);
    assert_true(r_has(r, "thử lại sau"));
    r = change_password(c, H_PASSWORD, "Mat-khau-moi-2026!");                  /* even the right one waits */
    assert_int_equal(r->status, 429);
    assert_int_equal(h_query_int(h_shared, "SELECT COUNT(*) FROM audit WHERE action = ? AND username = 'doan_mat_khau'",
                                 "password_change"), 0);
    c_free(c);
}

static void test_safe_filename(void **state)
{
    (void)state;
    char out[64];
    safe_filename("\xE2\x80\xAE" "fdp.exe", out, sizeof out);                /* U+202E RIGHT-TO-LEFT OVERRIDE */
    assert_string_equal(out, "fdp.exe");
    safe_filename("Báo cáo\x01\x1f\x7f \xC2\x85quý II\xE2\x81\xA6.pdf", out, sizeof out);   /* C0, DEL, C1 (U+0085), U+2066 */
    assert_string_equal(out, "Báo cáo quý II.pdf");
    safe_filename("../../etc/passwd", out, sizeof out);
    assert_string_equal(out, "....etcpasswd");
    safe_filename("a\xE2\x80\x8F" "b\xD8\x9C" "c", out, sizeof out);          /* U+200F RLM, U+061C ALM */
    assert_string_equal(out, "abc");
    assert_int_equal(safe_filename("\xFF\xFEok", out, sizeof out), 2);        /* invalid UTF-8 dropped */
    assert_int_equal(safe_filename("ằằằ", out, 5), 3);                        /* never splits a character */
}

static void test_upload_name_cleaned_and_original_audited(void **state)
{
    (void)state;
    client *c = c_new_logged_in(h_shared, H_USER_TTRA);
    assert_non_null(c);
    int64_t task = h_task_id(h_shared, "KH2022", "9");
    size_t len;
    const char *pdf = test_pdf(&len);
    const char *sent = "hoa-don\xE2\x80\xAE" "fdp.exe.pdf";                /* U+202E would reverse how the rest displays */
    char path[64];
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)task);
    mp_part parts[] = {
        {.name = "csrf_token", .value = c_csrf(c)},
        {.name = "status", .value = "in_progress"},
        {.name = "percent", .value = "40"},
        {.name = "note", .value = "tên tệp lạ"},
        {.name = "files", .filename = sent, .data = pdf, .len = len, .content_type = "application/pdf"},
    };
    assert_int_equal(c_post_multipart(c, path, parts, 5, NULL)->status, 303);
    assert_int_equal(h_query_int(h_shared, "SELECT COUNT(*) FROM update_files WHERE filename = ?", "hoa-donfdp.exe.pdf"), 1);
    assert_int_equal(h_query_int(h_shared, "SELECT COUNT(*) FROM update_files WHERE filename = ?", sent), 0);
    assert_int_equal(h_query_int(h_shared, "SELECT COUNT(*) FROM audit WHERE action = 'file_renamed' AND before LIKE ?",
                                 "%hoa-don\xE2\x80\xAE" "fdp.exe.pdf%"), 1);   /* the name as sent, there only */
    c_free(c);
}

static void test_data_files_are_private(void **state)
{
    (void)state;
    char path[600];
    struct stat st;
    snprintf(path, sizeof path, "%s/files", h_data_dir(h_shared));
    assert_int_equal(stat(path, &st), 0);                                     /* made by the upload test */
    assert_int_equal(st.st_mode & 0777, 0700);
    if (!test_db_is_pg()) {
        snprintf(path, sizeof path, "%s/cchc.db", h_data_dir(h_shared));
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0077, 0);
    }
    char out[1200];
    assert_int_equal(sh_capture(out, sizeof out, "find %s/files -type f -perm /077 | wc -l", h_data_dir(h_shared)), 0);
    assert_int_equal(atoi(out), 0);
    assert_int_equal(sh_capture(out, sizeof out, "find %s/files -type f | wc -l", h_data_dir(h_shared)), 0);
    assert_true(atoi(out) >= 1);
}

/* A pre-login token the server did not sign is refused, even when the form and
 * the cookie agree: planting a cookie cannot log a victim into another account. */
static void test_planted_prelogin_token_refused(void **state)
{
    (void)state;
    client *c = c_new(h_shared);
    const char *planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    c_set_cookie(c, "cchc_csrf", planted);
    char form[256];
    snprintf(form, sizeof form, "username=%s&password=%s&csrf_token=%s", H_USER_VIEWER, H_PASSWORD, planted);
    assert_int_equal(c_post_form(c, "/login", form)->status, 403);
    assert_int_equal(c_get(c, "/")->status, 303);                               /* not logged in */
    const char *fresh = c_cookie(c, "cchc_csrf");                               /* the server replaced it */
    assert_non_null(fresh);
    assert_string_not_equal(fresh, planted);
    assert_int_equal(c_login_html(c, H_USER_VIEWER, H_PASSWORD), 303);          /* a signed one works */
    c_free(c);
}

/* A POST the browser marks cross-site, or whose Origin is another site, is
 * refused even with the right token; same-origin ones and clients that send
 * neither header pass. */
static void test_cross_site_posts_refused(void **state)
{
    (void)state;
    char token[64], path[64], form[128], host_origin[80];
    client *c = c_new(h_shared);
    const char *csrf = c_login_api(c, H_USER_TTRA, H_PASSWORD);
    assert_non_null(csrf);
    snprintf(token, sizeof token, "%s", csrf);
    snprintf(path, sizeof path, "/tasks/%lld/updates", (long long)h_task_id(h_shared, "KH2022", "9"));
    snprintf(form, sizeof form, "status=in_progress&percent=30&note=x&csrf_token=%s", token);
    snprintf(host_origin, sizeof host_origin, "Origin: http://127.0.0.1:%u", (unsigned)h_port(h_shared));
    const char *cross[] = {"Sec-Fetch-Site: cross-site", NULL};
    const char *evil[] = {"Origin: https://evil.example", NULL};
    const char *null_origin[] = {"Origin: null", NULL};
    const char *same[] = {"Sec-Fetch-Site: same-origin", host_origin, NULL};
    const char *ct = "application/x-www-form-urlencoded";
    int64_t before = h_updates(h_shared, h_task_id(h_shared, "KH2022", "9"));
    assert_int_equal(c_request(c, "POST", path, ct, form, strlen(form), cross)->status, 403);
    assert_int_equal(c_request(c, "POST", path, ct, form, strlen(form), evil)->status, 403);
    assert_int_equal(c_request(c, "POST", path, ct, form, strlen(form), null_origin)->status, 403);
    assert_int_equal(h_updates(h_shared, h_task_id(h_shared, "KH2022", "9")), before);
    assert_int_equal(c_request(c, "POST", path, ct, form, strlen(form), same)->status, 303);
    assert_int_equal(c_request(c, "POST", path, ct, form, strlen(form), NULL)->status, 303);     /* neither header */
    assert_int_equal(h_updates(h_shared, h_task_id(h_shared, "KH2022", "9")), before + 2);
    c_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_change_revokes_api_tokens),
        cmocka_unit_test(test_current_password_check_is_throttled),
        cmocka_unit_test(test_safe_filename),
        cmocka_unit_test(test_upload_name_cleaned_and_original_audited),
        cmocka_unit_test(test_data_files_are_private),
        cmocka_unit_test(test_planted_prelogin_token_refused),
        cmocka_unit_test(test_cross_site_posts_refused),
    };
    return cmocka_run_group_tests(tests, h_shared_setup, h_shared_teardown);
}

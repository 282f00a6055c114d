/* Login and logout, as HTML forms and as the JSON session API. */
#include "web/handlers.h"
#include "web/auth.h"
#include "web/html.h"
#include "core/i18n.h"
#include "core/escape.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MAX_USERNAME 64
#define MAX_PASSWORD 256

/* Only local paths are accepted as the target after login. */
static const char *safe_next(const char *next)
{
    return is_local_path(next) ? next : "/";
}

static void login_page(req *r, resp *w, int status, const char *message, const char *username)
{
    w->status = status;
    page_begin(r, w, _("Đăng nhập"));
    const char *next = req_query(r, "next");
    if (!next) next = req_form(r, "next");
    html_printf(&w->body, "<section class=\"narrow\"><h1>%s</h1>", _("Đăng nhập"));
    if (message) html_printf(&w->body, "<p class=\"error\" role=\"alert\">%s</p>", message);
    html_lit(&w->body, "<form method=\"post\" action=\"/login\" class=\"stack\">");
    html_csrf_field(r, &w->body);
    html_printf(&w->body,
        "<input type=\"hidden\" name=\"next\" value=\"%s\">"
        "<label>%s<input name=\"username\" autocomplete=\"username\" required maxlength=\"64\" value=\"%s\"></label>"
        "<label>%s<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"256\"></label>"
        "<button type=\"submit\">%s</button></form>"
        "<p class=\"muted\">%s <a href=\"/public\">%s</a></p></section>",
        safe_next(next), _("Tên đăng nhập"), username ? username : "", _("Mật khẩu"), _("Đăng nhập"),
        _("Người dân xem kế hoạch tại"), _("trang công khai"));
    page_end(r, w);
}

void h_login_form(req *r, resp *w)
{
    if (r->user.role != ROLE_NONE) { resp_redirect(w, "/"); return; }
    login_page(r, w, 200, NULL, NULL);
}

/* Runs the login. Returns 0 on success, else the HTTP status, with *msg set. */
static int try_login(req *r, resp *w, const char *username, const char *password, const char **msg,
                     char *scratch, size_t n)
{
    if (!username || !password || !*username || !*password) {
        *msg = _("Nhập tên đăng nhập và mật khẩu.");
        return 422;
    }
    if (strlen(username) > MAX_USERNAME || strlen(password) > MAX_PASSWORD) {
        *msg = _("Tên đăng nhập hoặc mật khẩu quá dài.");
        return 422;
    }
    int minutes = 0;
    switch (auth_login(r, w, username, password, &minutes)) {
    case LOGIN_OK: return 0;
    case LOGIN_THROTTLED:
        snprintf(scratch, n, _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %d phút."), minutes);
        *msg = scratch;
        return 429;
    case LOGIN_BAD_CREDENTIALS:
        *msg = _("Tên đăng nhập hoặc mật khẩu không đúng.");
        return 401;
    default:
        *msg = _("Không đăng nhập được do lỗi hệ thống.");
        return 500;
    }
}

void h_login_post(req *r, resp *w)
{
    const char *username = req_form(r, "username"), *msg = NULL;
    char scratch[256];
    int status = try_login(r, w, username, req_form(r, "password"), &msg, scratch, sizeof scratch);
    if (status) {
        login_page(r, w, status, msg, username);
        if (status == 429) resp_header(w, "Retry-After", "900");
        return;
    }
    resp_redirect(w, safe_next(req_form(r, "next")));
}

void h_logout_post(req *r, resp *w)
{
    auth_logout(r, w);
    resp_redirect(w, "/login");
}

void h_api_session_post(req *r, resp *w)
{
    json_error_t jerr;
    json_t *body = json_loadb(r->body, r->body_len, 0, &jerr);
    const char *username = NULL, *password = NULL;
    if (!body || json_unpack(body, "{s:s, s:s}", "username", &username, "password", &password) != 0) {
        json_decref(body);
        resp_json_error(w, 400, "bad_json", _("Cần một đối tượng JSON {\"username\", \"password\"}."),
                        body ? "username" : NULL);
        return;
    }
    char scratch[256];
    const char *msg = NULL;
    int status = try_login(r, w, username, password, &msg, scratch, sizeof scratch);
    json_decref(body);
    if (status) {
        const char *code = status == 429 ? "throttled" : status == 401 ? "bad_credentials" :
                           status == 422 ? "invalid_field" : "internal";
        resp_json_error(w, status, code, msg, status == 422 ? "username" : NULL);
        if (status == 429) resp_header(w, "Retry-After", "900");
        return;
    }
    buf b = {0};
    buf_puts(&b, "{\"csrf_token\":");
    esc_json(&b, r->user.csrf);
    buf_printf(&b, ",\"user\":{\"username\":");
    esc_json(&b, r->user.username);
    buf_puts(&b, ",\"role\":");
    esc_json(&b, role_id(r->user.role));
    buf_puts(&b, "}}");
    resp_json_take(w, 200, &b);
}

void h_api_session_delete(req *r, resp *w)
{
    auth_logout(r, w);
    w->status = 204;
}

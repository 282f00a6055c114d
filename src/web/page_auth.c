/* Login and logout, as HTML forms and as the JSON session API. */
#include "web/handlers.h"
#include "web/auth.h"
#include "web/html.h"
#include "core/i18n.h"
#include "core/escape.h"
#include <stdio.h>
#include <string.h>


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

void h_login_post(req *r, resp *w)
{
    const char *username = req_form(r, "username"), *msg = NULL;
    char scratch[256];
    int status = auth_try_login(r, w, username, req_form(r, "password"), &msg, scratch, sizeof scratch);
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


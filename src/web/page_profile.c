/* The signed-in user's profile: password change and API tokens. */
#include "web/handlers.h"
#include "web/auth.h"
#include "web/html.h"
#include "core/i18n.h"
#include "store/store_audit.h"
#include "store/store_user.h"
#include <stdio.h>
#include <string.h>

typedef struct { req *r; buf *b; } token_ctx;

static void token_row(int64_t id, const char *name, const char *created, const char *used, void *ctx)
{
    token_ctx *t = ctx;
    char c[24], u[24];
    html_printf(t->b, "<tr><td>%s</td><td>%s</td><td>%s</td><td><form method=\"post\" action=\"/profile/tokens/%D/revoke\">",
                name, fmt_datetime(created, c), used[0] ? fmt_datetime(used, u) : "—", id);
    html_csrf_field(t->r, t->b);
    html_printf(t->b, "<button type=\"submit\" class=\"secondary\">%s</button></form></td></tr>", _("Thu hồi"));
}

static void profile_page(req *r, resp *w, int status, const char *message, const char *new_token)
{
    buf *b = &w->body;
    w->status = status;
    page_begin(r, w, _("Tài khoản"));
    html_printf(b, "<h1>%s</h1><dl class=\"kv card\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
                _("Tài khoản"), _("Tên đăng nhập"), r->user.username, _("Họ tên"), r->user.full_name, _("Vai trò"), role_label(r->user.role));
    if (message) html_printf(b, "<p class=\"%s\" role=\"alert\">%s</p>", status >= 400 ? "error" : "ok-msg", message);
    if (new_token)
        html_printf(b, "<div class=\"card\"><p>%s</p><p><code id=\"new-token\">%s</code></p></div>",
                    _("Mã API mới (chỉ hiển thị một lần, hãy lưu lại):"), new_token);
    html_printf(b, "<section class=\"card\"><h2>%s</h2><form method=\"post\" action=\"/profile/password\" class=\"stack\">", _("Đổi mật khẩu"));
    html_csrf_field(r, b);
    html_printf(b, "<label>%s<input type=\"password\" name=\"current\" required maxlength=\"256\" autocomplete=\"current-password\"></label>"
                   "<label>%s<input type=\"password\" name=\"password\" required minlength=\"10\" maxlength=\"256\" autocomplete=\"new-password\"></label>"
                   "<button type=\"submit\">%s</button></form></section>", _("Mật khẩu hiện tại"), _("Mật khẩu mới (ít nhất 10 ký tự)"), _("Đổi mật khẩu"));
    html_printf(b, "<section class=\"card\"><h2>%s</h2><p class=\"muted\">%s</p><table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th><span class=\"visually-hidden\">%s</span></th></tr></thead><tbody>",
                _("Mã truy cập API"), _("Dùng trong tiêu đề Authorization: Bearer <mã>. Mã được lưu dạng băm."),
                _("Tên"), _("Tạo lúc"), _("Dùng lần cuối"), _("Thao tác"));
    token_ctx t = {r, b};
    store_token_list(r->db, r->user.id, token_row, &t);
    html_lit(b, "</tbody></table><form method=\"post\" action=\"/profile/tokens\" class=\"filters\">");
    html_csrf_field(r, b);
    html_printf(b, "<label>%s<input name=\"name\" required maxlength=\"100\"></label><button type=\"submit\">%s</button></form></section>",
                _("Tên mã (vd: script báo cáo)"), _("Tạo mã mới"));
    page_end(r, w);
}

void h_profile(req *r, resp *w)
{
    const char *ok = req_query(r, "ok");
    const char *msg = !ok ? NULL
                    : !strcmp(ok, "password") ? _("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc và mọi mã API đã bị thu hồi.")
                    : _("Đã lưu.");
    profile_page(r, w, 200, msg, NULL);
}

typedef struct {
    const user_row *u;
    int64_t keep_session;
    char hash[128];
} password_change;

/* New password, the user's other sessions ended and API tokens revoked,
 * audited: all or nothing. */
static int change_password(db *d, void *ctx)
{
    password_change *c = ctx;
    if (!store_user_set_password(d, c->u->id, c->hash)) return DB_ERR;
    if (store_session_delete_user(d, c->u->id, c->keep_session) != DB_OK) return DB_ERR;
    if (store_token_revoke_user(d, c->u->id) != DB_OK) return DB_ERR;
    return store_audit(d, c->u->id, c->u->username, "password_change", "user", c->u->id, NULL, NULL);
}

void h_profile_password(req *r, resp *w)
{
    const char *cur = req_form(r, "current"), *pw = req_form(r, "password");
    user_row u;
    if (!store_user_by_id(r->db, r->user.id, &u)) { profile_page(r, w, 500, _("Không đọc được tài khoản."), NULL); return; }
    int check = auth_check_current_password(r, &u, cur);
    if (check > 0) {
        char msg[200];
        snprintf(msg, sizeof msg, _("Nhập sai mật khẩu hiện tại quá nhiều lần. Vui lòng thử lại sau %d phút."), check);
        profile_page(r, w, 429, msg, NULL);
        return;
    }
    if (check < 0 || !pw) {
        profile_page(r, w, 422, _("Mật khẩu hiện tại không đúng."), NULL);
        return;
    }
    if (strlen(pw) < 10 || strlen(pw) > 256) { profile_page(r, w, 422, _("Mật khẩu mới phải có 10–256 ký tự."), NULL); return; }
    password_change ch = {.u = &u, .keep_session = r->user.session_id};
    if (auth_hash_password(pw, ch.hash) != 0 || db_txn(r->db, true, change_password, &ch) != DB_OK) {
        profile_page(r, w, 500, _("Không đổi được mật khẩu."), NULL);
        return;
    }
    resp_redirect(w, "/profile?ok=password");
}

void h_profile_token_add(req *r, resp *w)
{
    const char *name = req_form(r, "name");
    if (!name || !*name || strlen(name) > 100) { profile_page(r, w, 422, _("Tên mã phải có 1–100 ký tự."), NULL); return; }
    char token[64];
    if (auth_create_api_token(r, name, token) <= 0) { profile_page(r, w, 500, _("Không tạo được mã."), NULL); return; }
    profile_page(r, w, 200, _("Đã tạo mã API."), token);
}

void h_profile_token_revoke(req *r, resp *w)
{
    if (!store_token_revoke(r->db, r->user.id, req_param_id(r, 0))) { resp_error(r, w, 404, "not_found", _("Không tìm thấy mã."), NULL); return; }
    store_audit(r->db, r->user.id, r->user.username, "token_revoke", "api_token", req_param_id(r, 0), NULL, NULL);
    resp_redirect(w, "/profile?ok=1");
}

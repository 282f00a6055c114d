/* JSON API of the session: log in (the JSON twin of POST /login, the same
 * auth_try_login) and log out. */
#include "web/handlers.h"
#include "web/api/api_op.h"
#include "web/api/schemas.h"
#include "web/auth.h"
#include "core/i18n.h"
#include "core/model.h"

typedef struct { const char *username, *password; } login_request;
static const js_field LOGIN_FIELDS[] = {
    {.name = "username", .type = JS_STRING, .offset = offsetof(login_request, username), .max_len = AUTH_MAX_USERNAME, .example = "\"thanhtra\""},
    {.name = "password", .type = JS_STRING, .offset = offsetof(login_request, password), .max_len = AUTH_MAX_PASSWORD, .example = "\"mật-khẩu-của-bạn\""},
};
static JS_SCHEMA(SCHEMA_LOGIN, "LoginRequest", login_request, "A user name and password", LOGIN_FIELDS);

typedef struct { const char *username, *role; } session_user_view;
static const js_field SESSION_USER_FIELDS[] = {
    {.name = "username", .type = JS_STRING, .offset = offsetof(session_user_view, username), .example = "\"thanhtra\""},
    {.name = "role", .type = JS_STRING, .offset = offsetof(session_user_view, role), .enums = ROLE_IDS},
};
static JS_SCHEMA(SCHEMA_SESSION_USER, "SessionUser", session_user_view, "The signed-in user", SESSION_USER_FIELDS);

typedef struct { const char *csrf_token; session_user_view user; } session_view;
static const js_field SESSION_FIELDS[] = {
    {.name = "csrf_token", .type = JS_STRING, .offset = offsetof(session_view, csrf_token), .example = "\"k3J9…\"",
     .description = "Send it as X-CSRF-Token on every state-changing request of this session"},
    {.name = "user", .type = JS_OBJECT, .offset = offsetof(session_view, user), .ref = &SCHEMA_SESSION_USER},
};
static JS_SCHEMA(SCHEMA_SESSION, "Session", session_view, "A new session; its cookie is cchc_session", SESSION_FIELDS);

static const int E_LOGIN[] = {401, 415, 422, 429, 0};

const api_op OP_CREATE_SESSION = {
    .id = "createSession",
    .tag = "session",
    .description = "Sets the cchc_session cookie. Failed logins are throttled per device, account and address.",
    .request = &SCHEMA_LOGIN,
    .status = 200,
    .response = &SCHEMA_SESSION,
    .response_description = "Logged in",
    .errors = E_LOGIN,
};
const api_op OP_DELETE_SESSION = {
    .id = "deleteSession",
    .tag = "session",
    .status = 204,
    .response_description = "Logged out",
};

void h_api_session_post(req *r, resp *w)
{
    json_t *doc = NULL;
    login_request in = {0};
    if (!api_parse_body(&OP_CREATE_SESSION, r, w, &doc, &in)) { json_decref(doc); return; }
    char scratch[256];
    const char *msg = NULL;
    int status = auth_try_login(r, w, in.username, in.password, &msg, scratch, sizeof scratch);
    json_decref(doc);
    if (status) {
        const char *code = status == 429 ? "throttled" : status == 401 ? "bad_credentials" :
                           status == 422 ? "invalid_field" : "internal";
        resp_json_error(w, status, code, msg, status == 422 ? "username" : NULL);
        if (status == 429) resp_header(w, "Retry-After", "900");
        return;
    }
    session_view v = {r->user.csrf, {r->user.username, role_id(r->user.role)}};
    api_reply(w, 200, &SCHEMA_SESSION, &v);
}

void h_api_session_delete(req *r, resp *w)
{
    auth_logout(r, w);
    w->status = 204;
}

/* Route matching and enforcement (see router.h). */
#include "web/router.h"
#include "config.h"
#include "core/i18n.h"
#include "web/auth.h"
#include "core/escape.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Matches pattern against path; on success stores {param} segments in r. */
static bool match_pattern(const char *pattern, const char *path, req *r)
{
    const char *p = pattern, *s = path;
    int n = 0;
    char *params[REQ_MAX_PARAMS];
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *seg_end = strchr(s, '/');
            if (!seg_end) seg_end = s + strlen(s);
            if (!close || seg_end == s || n >= REQ_MAX_PARAMS) goto fail;
            params[n++] = strndup(s, (size_t)(seg_end - s));
            p = close + 1;
            s = seg_end;
        } else if (*p++ != *s++) {
            goto fail;
        }
    }
    if (*p || *s) goto fail;
    if (r) {
        for (int i = 0; i < n; i++) r->params[i] = params[i];
        r->nparams = n;
    } else {
        for (int i = 0; i < n; i++) free(params[i]);
    }
    return true;
fail:
    for (int i = 0; i < n; i++) free(params[i]);
    return false;
}

const route *router_match(const char *method, const char *path, req *r, bool *path_known)
{
    *path_known = false;
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        bool same_method = strcmp(rt->method, method) == 0 ||
                           (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0);
        if (!same_method) {
            if (!*path_known && match_pattern(rt->pattern, path, NULL)) *path_known = true;
            continue;
        }
        if (match_pattern(rt->pattern, path, r)) return rt;
    }
    return NULL;
}

size_t router_body_limit(const route *rt, const config *cfg)
{
    return rt->body == BODY_UPLOAD ? cfg->max_upload : cfg->max_form;
}

/* The host[:port] of an origin "scheme://host[:port]" into out; false if malformed. */
static bool origin_host(const char *origin, char *out, size_t n)
{
    const char *p = strstr(origin, "://");
    if (!p) return false;
    p += 3;
    size_t len = strcspn(p, "/");
    if (len == 0 || len >= n) return false;
    memcpy(out, p, len);
    out[len] = '\0';
    return true;
}

/* Defence in depth for every state-changing request: a browser's Fetch Metadata
 * (Sec-Fetch-Site: cross-site) or an Origin naming another site refuses it;
 * a client that sends neither header (scripts, old browsers) passes to the
 * token check. */
static bool same_site(req *r)
{
    const char *site = req_header(r, "Sec-Fetch-Site");
    if (site && strcmp(site, "cross-site") == 0) return false;
    const char *origin = req_header(r, "Origin");
    if (!origin) return true;
    char from[256], base[256];
    if (!origin_host(origin, from, sizeof from)) return false;          /* "null" (sandboxed, file:) included */
    const char *host = req_header(r, "Host");
    if (host && strcasecmp(from, host) == 0) return true;
    return origin_host(r->cfg->base_url, base, sizeof base) && strcasecmp(from, base) == 0;
}

static bool csrf_ok(req *r)
{
    const route *rt = r->route;
    if (rt->csrf == CSRF_NONE) return true;
    if (!same_site(r)) return false;
    if (rt->csrf == CSRF_LOGIN) {
        if (rt->kind == KIND_JSON)
            return strncmp(r->content_type, "application/json", 16) == 0;
        const char *field = req_form(r, "csrf_token");
        return field && r->pre_csrf[0] && auth_token_equal(field, r->pre_csrf);
    }
    if (r->user.via_token) return true;                 /* bearer tokens cannot be forged cross-site */
    if (r->user.role == ROLE_NONE || !r->user.csrf[0]) return false;
    const char *sent = req_header(r, "X-CSRF-Token");
    if (!sent) sent = req_form(r, "csrf_token");
    return sent && auth_token_equal(sent, r->user.csrf);
}

bool router_authorize(req *r, resp *w)
{
    const route *rt = r->route;
    if (!role_has(r->user.role, rt->cap)) {
        if (r->user.role == ROLE_NONE) {
            if (rt->kind == KIND_HTML && strcmp(r->method, "GET") == 0) {
                buf loc = {0};
                buf_puts(&loc, "/login?next=");
                esc_url(&loc, r->path);
                resp_redirect(w, buf_str(&loc));
                buf_free(&loc);
            } else {
                resp_error(r, w, 401, "unauthenticated", _("Cần đăng nhập để thực hiện thao tác này."), NULL);
            }
        } else {
            resp_error(r, w, 403, "forbidden", _("Tài khoản của bạn không có quyền thực hiện thao tác này."), NULL);
        }
        return false;
    }
    if (!csrf_ok(r)) {
        resp_error(r, w, 403, "csrf_failed",
                   _("Mã bảo vệ biểu mẫu (CSRF) không hợp lệ hoặc đã hết hạn. Hãy tải lại trang và thử lại."), "csrf_token");
        return false;
    }
    return true;
}

void router_allowed_methods(const char *path, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ROUTES_COUNT; i++) {
        const route *rt = &ROUTES[i];
        if (!match_pattern(rt->pattern, path, NULL) || strstr(out, rt->method)) continue;
        len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", len ? ", " : "", rt->method);
        if (len >= n) { out[n - 1] = '\0'; return; }
    }
}

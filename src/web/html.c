/* Escaped HTML output and the page layout (see html.h). */
#include "web/html.h"
#include "config.h"
#include "core/escape.h"
#include "core/lunar.h"
#include "core/i18n.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void html_printf_(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') continue;
        buf_add(b, run, (size_t)(p - run));
        switch (*++p) {
        case 's': esc_html(b, va_arg(ap, const char *)); break;
        case 'U': esc_url(b, va_arg(ap, const char *)); break;
        case 'J': esc_json(b, va_arg(ap, const char *)); break;
        case 'd': buf_printf(b, "%d", va_arg(ap, int)); break;
        case 'D': buf_printf(b, "%" PRId64, va_arg(ap, int64_t)); break;
        case '%': buf_putc(b, '%'); break;
        default:  p--; buf_putc(b, '%'); break;   /* unknown: print literally */
        }
        run = p + 1;
    }
    buf_puts(b, run);
    va_end(ap);
}

void html_csrf_field(req *r, buf *b)
{
    html_printf(b, "<input type=\"hidden\" name=\"csrf_token\" value=\"%s\">",
                r->user.role != ROLE_NONE ? r->user.csrf : r->pre_csrf);
}

const char *fmt_date(const char *iso, char out[16])
{
    int32_t jdn;
    out[0] = '\0';
    if (iso && strlen(iso) > 10) return fmt_date_local(iso, out);    /* a timestamp: its day in Vietnam */
    if (iso && cal_parse_iso(iso, &jdn)) cal_format_vn(jdn, out);
    return out;
}

const char *fmt_datetime(const char *iso, char out[24])
{
    struct tm tm = {0};
    if (!iso || !strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm)) { out[0] = '\0'; return out; }
    time_t t = timegm(&tm) + 7 * 3600;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%d/%m/%Y %H:%M", &tm);
    return out;
}

const char *fmt_date_local(const char *iso_ts, char out[16])
{
    struct tm tm = {0};
    const char *rest = iso_ts ? strptime(iso_ts, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!rest) { out[0] = '\0'; return out; }
    time_t t = timegm(&tm) + 7 * 3600;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%d/%m/%Y", &tm);
    return out;
}

static void nav_link(buf *b, const char *path, const char *label, const char *current)
{
    size_t n = strlen(path);
    bool on = strcmp(path, "/") == 0 ? strcmp(current, "/") == 0 : strncmp(current, path, n) == 0;
    if (on) html_printf(b, "<a href=\"%s\" aria-current=\"page\">%s</a>", path, label);
    else html_printf(b, "<a href=\"%s\">%s</a>", path, label);
}

static void nav(req *r, buf *b)
{
    const web_user *u = &r->user;
    html_lit(b, "<nav class=\"main\" aria-label=\"menu\">");
    if (u->role == ROLE_NONE) {
        nav_link(b, "/public", _("Kế hoạch CCHC"), r->path);
        nav_link(b, "/login", _("Đăng nhập"), r->path);
    } else {
        nav_link(b, "/", _("Tổng quan"), r->path);
        nav_link(b, "/tasks", _("Nhiệm vụ"), r->path);
        if (u->unit_id) nav_link(b, "/my", _("Việc của đơn vị"), r->path);
        nav_link(b, "/reports", _("Báo cáo"), r->path);
        nav_link(b, "/targets", _("Chỉ tiêu"), r->path);
        if (role_has(u->role, CAP_DOSSIER_READ)) nav_link(b, "/onestop", _("Một cửa"), r->path);
        nav_link(b, "/public", _("Trang công khai"), r->path);
        if (role_has(u->role, CAP_ADMIN)) nav_link(b, "/admin", _("Quản trị"), r->path);
        nav_link(b, "/profile", u->full_name[0] ? u->full_name : u->username, r->path);
        html_lit(b, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
        html_csrf_field(r, b);
        html_printf(b, "<button type=\"submit\" class=\"link\">%s</button></form>", _("Đăng xuất"));
    }
    html_lit(b, "</nav>");
}

void page_begin(req *r, resp *w, const char *title)
{
    buf *b = &w->body;
    const char *agency = r->cfg ? r->cfg->agency : "";
    w->content_type = "text/html; charset=utf-8";
    html_printf(b, "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<title>%s — %s</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
                "<link rel=\"stylesheet\" href=\"/static/print.css\" media=\"print\"><link rel=\"icon\" href=\"data:,\"></head><body>"
                "<a class=\"skip\" href=\"#main\">%s</a>"
                "<header class=\"top\"><a class=\"brand\" href=\"/\">%s<small>%s</small></a>",
                title, agency, _("Bỏ qua, đến nội dung chính"), _("Cải cách hành chính"), agency);
    nav(r, b);
    html_lit(b, "</header><main id=\"main\">");
}

void page_end(req *r, resp *w)
{
    html_printf(&w->body, "</main><footer class=\"bottom\">%s · cchc</footer>"
                "<script nonce=\"%s\" src=\"/static/app.js\"></script></body></html>\n",
                r->cfg ? r->cfg->agency : "", r->nonce);
    if (w->status == 0) w->status = 200;
}

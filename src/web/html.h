#ifndef CCHC_HTML_H
#define CCHC_HTML_H
/* Escaped HTML output. html_printf's conversions:
 *   %s  const char*  HTML-escaped text (safe in element content and quoted attributes)
 *   %U  const char*  URL component, percent-encoded (then safe in an attribute)
 *   %J  const char*  JSON string literal, safe inside <script>
 *   %d  int          %D int64_t       %%  a percent sign
 * The format itself is the only raw markup, so it must be a string literal. */
#include "core/buf.h"
#include "web/http.h"

void html_printf_(buf *b, const char *fmt, ...);
#define html_printf(b, fmt, ...) html_printf_((b), "" fmt "", ##__VA_ARGS__)
/* Appends raw markup; only string literals compile. */
#define html_lit(b, s) buf_puts((b), "" s "")

/* Writes the page head, the "skip to content" link, the header and navigation
 * for the signed-in user, and opens <main id="main">. */
void page_begin(req *r, resp *w, const char *title);
/* Closes the page opened by page_begin; sets status 200 if unset. */
void page_end(req *r, resp *w);
/* A hidden CSRF field for forms of the current session. */
void html_csrf_field(req *r, buf *b);
/* Formats an ISO date "YYYY-MM-DD" as dd/mm/yyyy into out (size ≥ 11); a UTC
 * timestamp is shown as its day in Vietnam (fmt_date_local); "" if invalid. */
const char *fmt_date(const char *iso, char out[16]);
/* Formats the day of a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" in Vietnam (UTC+7) as dd/mm/yyyy; "" if invalid. */
const char *fmt_date_local(const char *iso_ts, char out[16]);
/* Formats an ISO timestamp "YYYY-MM-DDTHH:MM:SSZ" as dd/mm/yyyy HH:MM local (UTC+7). */
const char *fmt_datetime(const char *iso, char out[24]);
#endif

/* Request parsing and response helpers that do not touch the HTTP library. */
#include "web/http.h"
#include "web/api/api_errors.h"
#include "web/html.h"
#include "web/router.h"
#include "core/escape.h"
#include "core/plan_import.h"
#include "core/i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int64_t req_param_id(const req *r, int index)
{
    if (index < 0 || index >= r->nparams) return -1;
    const char *s = r->params[index];
    if (!*s || strlen(s) > 18) return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        v = v * 10 + (*s - '0');
    }
    return v > 0 ? v : -1;
}

static const char *kv_find(const kv *list, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0) return list[i].value;
    return NULL;
}

const char *req_query(const req *r, const char *name) { return kv_find(r->qs, r->nqs, name); }
const char *req_form(const req *r, const char *name) { return kv_find(r->form, r->nform, name); }

int parse_urlencoded(const char *s, size_t n, kv *out, int max)
{
    int count = 0;
    size_t i = 0;
    while (i < n && count < max) {
        size_t start = i;
        while (i < n && s[i] != '&') i++;
        size_t eq = start;
        while (eq < i && s[eq] != '=') eq++;
        if (i > start) {
            out[count].name = url_decode(s + start, eq - start);
            out[count].value = eq < i ? url_decode(s + eq + 1, i - eq - 1) : strdup("");
            if (out[count].name && out[count].value) count++;
            else { free(out[count].name); free(out[count].value); }
        }
        i++;
    }
    return count;
}

/* Finds needle (length m) in hay (length n); returns pointer or NULL. */
static const char *mem_find(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0 || n < m) return NULL;
    const char *end = hay + n - m;
    for (const char *p = hay; p <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p) + 1);
        if (!p) return NULL;
        if (memcmp(p, needle, m) == 0) return p;
    }
    return NULL;
}

/* Copies the value of attribute attr (e.g. "name") from a Content-Disposition
 * header line of length n into a malloc'd string, or NULL. */
static char *disposition_attr(const char *line, size_t n, const char *attr)
{
    size_t alen = strlen(attr);
    for (size_t i = 0; i + alen + 2 <= n; i++) {
        if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') &&
            strncasecmp(line + i, attr, alen) == 0 && line[i + alen] == '=' ) {
            const char *v = line + i + alen + 1;
            const char *end = line + n;
            if (v < end && *v == '"') {
                v++;
                const char *q = memchr(v, '"', (size_t)(end - v));
                if (!q) return NULL;
                return strndup(v, (size_t)(q - v));
            }
            const char *q = v;
            while (q < end && *q != ';' && *q != ' ') q++;
            return strndup(v, (size_t)(q - v));
        }
    }
    return NULL;
}

/* Strips any directory part a browser may send ("C:\\x\\a.pdf"); a name that is
 * then empty, "." or "..", not UTF-8, or holds control characters becomes "tep-dinh-kem". */
static char *base_name(char *name)
{
    char *slash = strrchr(name, '/'), *bslash = strrchr(name, '\\');
    char *cut = slash > bslash ? slash : bslash;
    if (cut) memmove(name, cut + 1, strlen(cut + 1) + 1);
    bool ok = name[0] && strcmp(name, ".") && strcmp(name, "..") && pi_valid_utf8_text(name, strlen(name));
    for (const unsigned char *p = (const unsigned char *)name; ok && *p; p++)
        if (*p < 0x20 || *p == 0x7F) ok = false;
    if (!ok) {
        char *fallback = strdup("tep-dinh-kem");
        if (fallback) { free(name); return fallback; }
        name[0] = '\0';
    }
    return name;
}

static int parse_part(const char *p, size_t n, kv *fields, int *nfields, int max_fields,
                      upload *uploads, int *nuploads, int max_uploads)
{
    const char *hdr_end = mem_find(p, n, "\r\n\r\n", 4);
    if (!hdr_end) return -1;
    const char *data = hdr_end + 4;
    size_t dlen = n - (size_t)(data - p);
    char *name = NULL, *filename = NULL, *ctype = NULL;
    const char *line = p;
    while (line < hdr_end + 2) {
        const char *eol = mem_find(line, (size_t)(hdr_end + 2 - line), "\r\n", 2);
        if (!eol) break;
        size_t len = (size_t)(eol - line);
        if (len > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
            free(name); free(filename);
            name = disposition_attr(line, len, "name");
            filename = disposition_attr(line, len, "filename");
        } else if (len > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
            free(ctype);
            const char *v = line + 13;
            while (*v == ' ') v++;
            ctype = strndup(v, (size_t)(eol - v));
        }
        line = eol + 2;
    }
    int rc = 0;
    if (!name) rc = -1;
    else if (filename) {
        if (*filename == '\0' && dlen == 0) {       /* empty file input */
            free(name); free(filename); free(ctype);
            return 0;
        }
        if (*nuploads >= max_uploads) rc = -1;
        else {
            uploads[(*nuploads)++] = (upload){name, base_name(filename), ctype ? ctype : strdup(""), data, dlen};
            return 0;
        }
    } else if (memchr(data, '\0', dlen)) {
        rc = -1;                                    /* a NUL would silently cut the text */
    } else if (*nfields < max_fields) {
        fields[*nfields].name = name;
        fields[*nfields].value = strndup(data, dlen);
        (*nfields)++;
        free(ctype);
        return 0;
    }
    free(name); free(filename); free(ctype);
    return rc;
}

int parse_multipart(const char *content_type, const char *body, size_t len,
                    kv *fields, int *nfields, int max_fields,
                    upload *uploads, int *nuploads, int max_uploads)
{
    const char *b = strcasestr(content_type, "boundary=");
    if (!b) return -1;
    b += 9;
    char boundary[96];
    size_t blen = 0;
    if (*b == '"') b++;
    boundary[0] = '\r'; boundary[1] = '\n'; boundary[2] = '-'; boundary[3] = '-';
    blen = 4;
    while (*b && *b != '"' && *b != ';' && blen < sizeof boundary - 1) boundary[blen++] = *b++;
    if (blen == 4 || blen >= 74) return -1;
    /* The first delimiter has no leading CRLF. */
    if (len < blen - 2 || memcmp(body, boundary + 2, blen - 2) != 0) return -1;
    const char *p = body + blen - 2;
    const char *end = body + len;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') return 0;       /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return -1;
        p += 2;
        const char *next = mem_find(p, (size_t)(end - p), boundary, blen);
        if (!next) return -1;
        if (parse_part(p, (size_t)(next - p), fields, nfields, max_fields, uploads, nuploads, max_uploads) != 0)
            return -1;
        p = next + blen;
    }
}

void resp_header(resp *w, const char *name, const char *value)
{
    if (w->nheaders >= RESP_MAX_HEADERS) return;
    w->headers[w->nheaders][0] = strdup(name);
    w->headers[w->nheaders][1] = strdup(value);
    w->nheaders++;
}

void resp_text(resp *w, int status, const char *text)
{
    w->status = status;
    w->content_type = "text/plain; charset=utf-8";
    buf_free(&w->body);
    buf_puts(&w->body, text);
}

bool is_local_path(const char *s)
{
    if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\' || strlen(s) >= 512) return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || *p == '\\') return false;   /* browsers drop tabs: "/\t/x" is "//x" */
    return true;
}

void resp_redirect(resp *w, const char *location)
{
    w->status = 303;
    resp_header(w, "Location", is_local_path(location) ? location : "/");
    w->content_type = "text/plain; charset=utf-8";
}

void resp_json_take(resp *w, int status, buf *b)
{
    w->status = status;
    w->content_type = "application/json; charset=utf-8";
    buf_free(&w->body);
    w->body = *b;
    *b = (buf){0};
    if (!w->body.data) buf_puts(&w->body, "{}");
}

/* Test builds stop at an error code that is not in the registry. */
static void check_error_code(const char *code)
{
#ifdef CCHC_TEST_HOOKS
    if (!api_error_known(code)) {
        fprintf(stderr, "cchc: error code \"%s\" is not in the registry (src/web/api/api_errors.c)\n", code);
        abort();
    }
#else
    (void)code;
#endif
}

void resp_json_error(resp *w, int status, const char *code, const char *message, const char *field)
{
    check_error_code(code);
    api_error_body e = {{code, message, field}};
    buf b = {0};
    js_write(&b, &SCHEMA_ERROR, &e);
    resp_json_take(w, status, &b);
}

void resp_error(req *r, resp *w, int status, const char *code, const char *message, const char *field)
{
    check_error_code(code);
    if (r->want_json) {
        resp_json_error(w, status, code, message, field);
        return;
    }
    buf_free(&w->body);
    w->status = status;
    page_begin(r, w, _("Lỗi"));
    html_printf(&w->body, "<section class=\"error-page\"><h1>%d</h1><p class=\"error\">%s</p>", status, message);
    if (field) html_printf(&w->body, "<p>%s: <code>%s</code></p>", _("Trường"), field);
    html_printf(&w->body, "<p><a href=\"/\">%s</a></p></section>", _("Về trang chủ"));
    page_end(r, w);
}

void req_free(req *r)
{
    for (int i = 0; i < r->nparams; i++) free(r->params[i]);
    for (int i = 0; i < r->nqs; i++) { free(r->qs[i].name); free(r->qs[i].value); }
    for (int i = 0; i < r->nform; i++) { free(r->form[i].name); free(r->form[i].value); }
    for (int i = 0; i < r->nuploads; i++) {
        free(r->uploads[i].field); free(r->uploads[i].filename); free(r->uploads[i].content_type);
    }
    r->nparams = r->nqs = r->nform = r->nuploads = 0;
}

void resp_free(resp *w)
{
    buf_free(&w->body);
    for (int i = 0; i < w->nheaders; i++) { free(w->headers[i][0]); free(w->headers[i][1]); }
    w->nheaders = 0;
}

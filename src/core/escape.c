/* Context escaping (see escape.h). */
#include "core/escape.h"
#include "core/fold.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void esc_html(buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_add(b, run, (size_t)(s - run));
        buf_puts(b, rep);
        run = s + 1;
    }
    buf_add(b, run, (size_t)(s - run));
}

void esc_url(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s) return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(b, e, 3);
        }
    }
}

void esc_json(buf *b, const char *s)
{
    if (!s) { buf_puts(b, "null"); return; }
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '"') buf_puts(b, "\\\"");
        else if (c == '\\') buf_puts(b, "\\\\");
        else if (c == '\n') buf_puts(b, "\\n");
        else if (c == '\r') buf_puts(b, "\\r");
        else if (c == '\t') buf_puts(b, "\\t");
        else if (c < 0x20 || c == '<' || c == '>' || c == '&') buf_printf(b, "\\u%04x", c);
        else if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            buf_printf(b, "\\u%04x", p[2] == 0xA8 ? 0x2028 : 0x2029);
            p += 2;
        } else buf_putc(b, (char)c);
    }
    buf_putc(b, '"');
}

void esc_content_disposition(buf *b, const char *filename)
{
    char ascii[256];
    fold_ascii(filename ? filename : "file", ascii, sizeof ascii);
    buf_puts(b, "attachment; filename=\"");
    for (const unsigned char *p = (const unsigned char *)ascii; *p; p++)
        buf_putc(b, (*p < 0x20 || *p >= 0x7F || *p == '"' || *p == '\\' || *p == '/') ? '_' : (char)*p);
    buf_puts(b, "\"; filename*=UTF-8''");
    esc_url(b, filename ? filename : "file");
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *url_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') c = ' ';
        else if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        }
        if (c != '\0') out[o++] = c;
    }
    out[o] = '\0';
    return out;
}

const char *text_shorten(const char *s, char *out, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) return s;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) max--;   /* never cut a character */
    memcpy(out, s, max);
    memcpy(out + max, "\xE2\x80\xA6", 4);                              /* "…" and the NUL */
    return out;
}

/* True for the code points a displayed file name must not carry: C0 and C1
 * controls, DEL, and the Unicode bidi marks, embeddings, overrides and isolates
 * (which can make U+202E "fdp.exe" display as "exe.pdf"). */
static bool unsafe_in_name(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t safe_filename(const char *in, char *out, size_t n)
{
    if (n == 0) return 0;
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;
    while (*s) {
        size_t len;
        uint32_t cp = utf8_decode(s, &len);
        bool keep = cp != UINT32_MAX && !unsafe_in_name(cp) && !(cp == '/' || cp == '\\');
        if (keep) {
            if (o + len >= n) break;
            memcpy(out + o, s, len);
            o += len;
        }
        s += len;
    }
    out[o] = '\0';
    return o;
}

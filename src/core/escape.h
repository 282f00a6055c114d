#ifndef CCHC_ESCAPE_H
#define CCHC_ESCAPE_H
/* Output escaping for each context. All append to a buf. */
#include "core/buf.h"
#include <stdbool.h>

/* HTML text and quoted attribute values: & < > " ' are replaced by entities. */
void esc_html(buf *b, const char *s);
/* A URL component (query value or path segment): everything but
 * unreserved characters [A-Za-z0-9-._~] is percent-encoded (UTF-8 bytes). */
void esc_url(buf *b, const char *s);
/* A JSON string literal including the quotes; safe inside HTML <script>
 * too because < > & and U+2028/2029 are written as \\u escapes. NULL → null. */
void esc_json(buf *b, const char *s);
/* A Content-Disposition header value for a (UTF-8) file name: an ASCII
 * fallback filename="..." plus filename*=UTF-8''percent-encoded (RFC 6266). */
void esc_content_disposition(buf *b, const char *filename);
/* Copies a client's file name without what could disguise it: C0/C1 controls,
 * DEL, bidi marks, embeddings, overrides and isolates (U+061C, U+200E–200F,
 * U+202A–202E, U+2066–2069), invalid UTF-8, and path separators. Writes at most
 * n-1 bytes plus NUL (never splitting a character); returns the length. */
size_t safe_filename(const char *in, char *out, size_t n);
/* Decodes %XX and '+' (as space) from a form/query component into a malloc'd
 * string (NUL bytes are dropped); caller frees. */
char *url_decode(const char *s, size_t n);
/* Returns s when it has at most max bytes; otherwise writes into out (max + 4
 * bytes) a prefix of s cut at a character boundary followed by "…" and returns out. */
const char *text_shorten(const char *s, char *out, size_t max);
#endif

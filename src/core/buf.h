#ifndef CCHC_BUF_H
#define CCHC_BUF_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
/* A growable byte buffer, always NUL-terminated once anything is appended.
 * On allocation failure it sets oom and ignores further appends. */
typedef struct {
    char *data;
    size_t len, cap;
    bool oom;
} buf;

/* Appends n bytes of s. */
void buf_add(buf *b, const char *s, size_t n);
/* Appends a NUL-terminated string (NULL appends nothing). */
void buf_puts(buf *b, const char *s);
/* Appends one byte. */
void buf_putc(buf *b, char c);
/* Appends printf-formatted text (plain printf: no escaping). */
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Returns the contents as a malloc'd string owned by the caller ("" if empty) and resets b. */
char *buf_take(buf *b);
/* Frees the contents and resets b. */
void buf_free(buf *b);
/* Returns the contents (never NULL; "" when empty); owned by b. */
const char *buf_str(const buf *b);
#endif

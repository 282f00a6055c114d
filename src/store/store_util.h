#ifndef CCHC_STORE_UTIL_H
#define CCHC_STORE_UTIL_H
/* Small helpers shared by the store_*.c files; not for use outside src/store. */
#include <stddef.h>

/* Copies src (NULL reads as "") into dst of size n, truncating; dst is always terminated. */
void store_copy_text(char *dst, size_t n, const char *src);
/* A malloc'd copy of s, or NULL when s is NULL or memory runs out. */
char *store_dup_or_null(const char *s);
#endif

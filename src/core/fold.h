#ifndef CCHC_FOLD_H
#define CCHC_FOLD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* Decodes one UTF-8 sequence at s (NUL-terminated); sets *len (≥ 1). Returns the
 * code point, or UINT32_MAX for an invalid sequence (then *len is 1). */
uint32_t utf8_decode(const unsigned char *s, size_t *len);
/* Folds UTF-8 text for search: lowercase, Vietnamese diacritics removed, đ/Đ→d,
 * combining marks dropped, runs of whitespace kept as is. Writes at most outlen-1
 * bytes plus NUL into out (never splits a character); returns the length written.
 * Invalid UTF-8 bytes are skipped. */
size_t fold_text(const char *in, char *out, size_t outlen);
/* Like fold_text but keeps letter case ("Báo cáo" → "Bao cao"): for ASCII fallbacks of names. */
size_t fold_ascii(const char *in, char *out, size_t outlen);
/* The words of a text for search, each preceded by one space (" so hoa du lieu"):
 * lowercase, folded like fold_text unless keep_accents (then "số hóa"); every run
 * of punctuation, symbols or spaces is one separator. Writes at most outlen-1
 * bytes plus NUL; returns the length written. */
size_t fold_words(const char *in, bool keep_accents, char *out, size_t outlen);
/* Same as fold_words, returning a malloc'd string the caller frees (NULL on OOM). */
char *fold_words_dup(const char *in, bool keep_accents);
/* Same as fold_text, returning a malloc'd string the caller frees (NULL on OOM). */
char *fold_dup(const char *in);
#endif

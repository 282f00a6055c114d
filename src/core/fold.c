/* Diacritic folding for Vietnamese search (see fold.h). */
#include "core/fold.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Latin-1 Supplement U+00C0..U+00FF, lowercased base letters; '?' = keep. */
static const char latin1_base[] =
    "aaaaaaaceeeeiiiidnooooo?ouuuuy?s"
    "aaaaaaaceeeeiiiidnooooo?ouuuuy?y";

/* Returns the folded ASCII letter for code point cp, 0 to drop it, or -1 to keep it. */
static int fold_codepoint(uint32_t cp)
{
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? (int)(cp + 32) : (int)cp;
    if (cp >= 0x0300 && cp <= 0x036F) return 0;           /* combining marks */
    if (cp >= 0xC0 && cp <= 0xFF) {
        char c = latin1_base[cp - 0xC0];
        return c == '?' ? -1 : c;
    }
    switch (cp) {
    case 0x0102: case 0x0103: return 'a';
    case 0x0110: case 0x0111: return 'd';
    case 0x0128: case 0x0129: return 'i';
    case 0x0168: case 0x0169: return 'u';
    case 0x01A0: case 0x01A1: return 'o';
    case 0x01AF: case 0x01B0: return 'u';
    default: break;
    }
    if (cp >= 0x1EA0 && cp <= 0x1EB7) return 'a';
    if (cp >= 0x1EB8 && cp <= 0x1EC7) return 'e';
    if (cp >= 0x1EC8 && cp <= 0x1ECB) return 'i';
    if (cp >= 0x1ECC && cp <= 0x1EE3) return 'o';
    if (cp >= 0x1EE4 && cp <= 0x1EF1) return 'u';
    if (cp >= 0x1EF2 && cp <= 0x1EF9) return 'y';
    return -1;
}

uint32_t utf8_decode(const unsigned char *s, size_t *len)
{
    *len = 1;
    if (s[0] < 0x80) return s[0];
    int n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0) return UINT32_MAX;
    uint32_t cp = s[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return UINT32_MAX;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return UINT32_MAX;
    *len = (size_t)n;
    return cp;
}

/* True when cp is an uppercase letter of the ranges fold_codepoint maps. */
static bool is_upper(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z') return true;
    if (cp >= 0xC0 && cp <= 0xDE) return cp != 0xD7;
    if ((cp >= 0x0100 && cp <= 0x017F) || (cp >= 0x1EA0 && cp <= 0x1EF9)) return (cp & 1) == 0;
    return cp == 0x01A0 || cp == 0x01AF;
}

static size_t fold_impl(const char *in, char *out, size_t outlen, bool keep_case)
{
    if (outlen == 0) return 0;
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;
    while (*s) {
        size_t n;
        uint32_t cp = utf8_decode(s, &n);
        if (cp == UINT32_MAX) { s++; continue; }
        int f = fold_codepoint(cp);
        if (f > 0) {
            if (o + 1 >= outlen) break;
            out[o++] = (char)((keep_case && is_upper(cp) && f >= 'a' && f <= 'z') ? f - 32 : f);
        } else if (f < 0) {
            if (o + n >= outlen) break;
            memcpy(out + o, s, n);
            o += n;
        }
        s += n;
    }
    out[o] = '\0';
    return o;
}

size_t fold_text(const char *in, char *out, size_t outlen)
{
    return fold_impl(in, out, outlen, false);
}

size_t fold_ascii(const char *in, char *out, size_t outlen)
{
    return fold_impl(in, out, outlen, true);
}

char *fold_dup(const char *in)
{
    size_t cap = strlen(in) + 1;   /* folding never lengthens the text */
    char *out = malloc(cap);
    if (out) fold_text(in, out, cap);
    return out;
}

/* Lowercase form of a Vietnamese letter (the ranges fold_codepoint knows);
 * other code points unchanged. */
static uint32_t lower_codepoint(uint32_t cp)
{
    if (!is_upper(cp)) return cp;
    if (cp < 0x80 || (cp >= 0xC0 && cp <= 0xDE)) return cp + 0x20;
    if (cp == 0x01AF) return 0x01B0;
    return cp + 1;            /* Latin Extended-A, Ơ and Vietnamese U+1EA0..U+1EF9: lower = upper + 1 */
}

/* True when cp separates words: ASCII other than letters and digits, Latin-1
 * punctuation, general punctuation, symbols and CJK punctuation. */
static bool is_separator(uint32_t cp)
{
    if (cp < 0x80) return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
    if (cp >= 0x80 && cp <= 0xBF) return true;
    if (cp == 0xD7 || cp == 0xF7) return true;
    if (cp >= 0x2000 && cp <= 0x2BFF) return true;
    return cp >= 0x3000 && cp <= 0x303F;
}

static size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t fold_words(const char *in, bool keep_accents, char *out, size_t outlen)
{
    if (outlen == 0) return 0;
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;
    bool gap = true;          /* a space is due before the next word character */
    while (*s) {
        size_t n;
        uint32_t cp = utf8_decode(s, &n);
        s += n;
        if (cp == UINT32_MAX) continue;
        if (is_separator(cp)) { gap = true; continue; }
        char enc[4];
        size_t len;
        if (keep_accents) {
            len = utf8_encode(lower_codepoint(cp), enc);
        } else {
            int f = fold_codepoint(cp);
            if (f == 0) continue;                            /* a combining mark */
            len = f > 0 ? (enc[0] = (char)f, 1) : utf8_encode(cp, enc);
        }
        if (o + (gap ? 1 : 0) + len >= outlen) break;
        if (gap) { out[o++] = ' '; gap = false; }
        memcpy(out + o, enc, len);
        o += len;
    }
    out[o] = '\0';
    return o;
}

char *fold_words_dup(const char *in, bool keep_accents)
{
    size_t cap = strlen(in) * 2 + 2;   /* a space per word at most doubles it */
    char *out = malloc(cap);
    if (out) fold_words(in, keep_accents, out, cap);
    return out;
}

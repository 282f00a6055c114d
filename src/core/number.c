/* Strict integer parsing (see number.h). */
#include "core/number.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool parse_int64_strict(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s) return false;
    const char *p = s + (*s == '-');
    if (*p < '0' || *p > '9' || strspn(p, "0123456789") != strlen(p) || strlen(p) > 19) return false;
    errno = 0;
    char *end;
    long long n = strtoll(s, &end, 10);
    if (errno || *end || n < min || n > max) return false;
    *out = n;
    return true;
}

bool parse_int_strict(const char *s, int min, int max, int *out)
{
    int64_t v;
    if (!parse_int64_strict(s, min, max, &v)) return false;
    *out = (int)v;
    return true;
}

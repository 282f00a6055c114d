#ifndef CCHC_NUMBER_H
#define CCHC_NUMBER_H
/* Strict integer parsing for every input: digits only (an optional leading '-'),
 * no spaces, no '+', no trailing text, within [min, max]. Pure. */
#include <stdbool.h>
#include <stdint.h>

/* Parses s into *out; false (and *out untouched) when s is not such a number in range. */
bool parse_int64_strict(const char *s, int64_t min, int64_t max, int64_t *out);
/* The same for an int. */
bool parse_int_strict(const char *s, int min, int max, int *out);
#endif

#ifndef CCHC_WEB_FORM_H
#define CCHC_WEB_FORM_H
/* Helpers shared by the HTML form pages (administration, import, calendar):
 * reading posted fields, marking the invalid input, counting characters, and
 * the labels both the admin home and the import pages show. */
#include "web/http.h"
#include <stddef.h>

/* The posted form field name, or "" when absent (never NULL). */
const char *form_field(const req *r, const char *name);
/* The attributes marking input name invalid (tied to #form-error) when it is bad_field, else "". */
const char *form_invalid_if(const char *name, const char *bad_field);
/* The number of UTF-8 characters (not bytes) of s. */
size_t utf8_char_count(const char *s);
/* The translated label of an import status: "applied", "cancelled", else pending. */
const char *import_status_label(const char *status);
#endif

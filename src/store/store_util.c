/* Store-internal helpers (see store_util.h). */
#include "store/store_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void store_copy_text(char *dst, size_t n, const char *src) { snprintf(dst, n, "%s", src ? src : ""); }

char *store_dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

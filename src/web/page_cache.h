#ifndef CCHC_PAGE_CACHE_H
#define CCHC_PAGE_CACHE_H
/* A small per-thread cache of rendered page content (the <main> part, without
 * the per-request nonce and CSRF token), keyed by the user, today's date and the
 * exact URL, and valid only while the data generation it was rendered at is
 * current (db_current_generation). Used by read-heavy lists. */
#include "core/buf.h"
#include "web/http.h"
#include <stdbool.h>

/* Builds the cache key of r into key (user, role, today, path and query). */
void page_cache_key(const req *r, buf *key);
/* Appends the cached content for key to out and returns true when present and
 * still current for r's generation. */
bool page_cache_get(const req *r, const char *key, buf *out);
/* Stores content for key at r's generation (replacing the least recently used entry). */
void page_cache_put(const req *r, const char *key, const char *content, size_t len);
#endif

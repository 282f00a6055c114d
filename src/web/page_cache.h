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
/* Renders content into b; false when it cannot (nothing is cached then). */
typedef bool (*page_render_fn)(req *r, buf *b, void *ctx);
/* Serves a whole page titled title whose <main> content comes from the cache when
 * current, or from render (then cached). Sets X-Cache: hit|miss. False when
 * render failed; w is then untouched for the caller's error. */
bool page_cache_serve(req *r, resp *w, const char *title, page_render_fn render, void *ctx);
#endif

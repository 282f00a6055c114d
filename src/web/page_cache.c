/* Per-thread page-content cache (see page_cache.h). */
#include "web/page_cache.h"
#include "core/escape.h"
#include "config.h"
#include "web/common.h"
#include "web/html.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define ENTRIES 32
#define MAX_CONTENT (512 * 1024)
#define THREAD_BUDGET (1024 * 1024)   /* bytes of content per worker thread: RSS stays bounded with many workers */

typedef struct {
    char *key;
    char *content;
    size_t len;
    db_generation gen;
    uint64_t used;          /* LRU clock */
} entry;

typedef struct {
    entry e[ENTRIES];
    uint64_t clock;
    size_t bytes;           /* content held, at most THREAD_BUDGET */
} cache;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void free_cache(void *p)
{
    cache *c = p;
    for (int i = 0; i < ENTRIES; i++) { free(c->e[i].key); free(c->e[i].content); }
    free(c);
}

static void make_key(void) { pthread_key_create(&cache_key, free_cache); }

static cache *this_thread(void)
{
    pthread_once(&cache_once, make_key);
    cache *c = pthread_getspecific(cache_key);
    if (!c && (c = calloc(1, sizeof *c))) pthread_setspecific(cache_key, c);
    return c;
}

void page_cache_key(const req *r, buf *key)
{
    char today[11];
    buf_printf(key, "%lld|%d|%lld|%s|%s?", (long long)r->user.id, (int)r->user.role, (long long)r->user.unit_id,
               web_today_iso(r, today), r->path);
    for (int i = 0; i < r->nqs; i++) {  /* re-encoded, so no value can forge a separator */
        esc_url(key, r->qs[i].name);
        buf_putc(key, '=');
        esc_url(key, r->qs[i].value);
        buf_putc(key, '&');
    }
}

static bool same_gen(db_generation a, db_generation b) { return a.writes == b.writes && a.version == b.version; }

bool page_cache_get(const req *r, const char *key, buf *out)
{
    cache *c = this_thread();
    if (!c || !r->has_gen) return false;
    for (int i = 0; i < ENTRIES; i++) {
        entry *e = &c->e[i];
        if (!e->key || strcmp(e->key, key) != 0) continue;
        if (!same_gen(e->gen, r->gen)) return false;
        e->used = ++c->clock;
        buf_add(out, e->content, e->len);
        return true;
    }
    return false;
}

/* Frees an entry's key and content. */
static void drop(cache *c, entry *e)
{
    if (!e->key) return;
    c->bytes -= e->len;
    free(e->key);
    free(e->content);
    *e = (entry){0};
}

/* The least recently used entry that holds something (the cache is not empty). */
static entry *least_used(cache *c)
{
    entry *oldest = NULL;
    for (int i = 0; i < ENTRIES; i++)
        if (c->e[i].key && (!oldest || c->e[i].used < oldest->used)) oldest = &c->e[i];
    return oldest;
}

void page_cache_put(const req *r, const char *key, const char *content, size_t len)
{
    cache *c = this_thread();
    if (!c || !r->has_gen || len > MAX_CONTENT || len > THREAD_BUDGET) return;
    entry *victim = &c->e[0];
    for (int i = 0; i < ENTRIES; i++) {
        entry *e = &c->e[i];
        if (e->key && strcmp(e->key, key) == 0) { victim = e; break; }
        if (!e->key || e->used < victim->used) victim = e;
    }
    char *k = strdup(key), *v = malloc(len ? len : 1);
    if (!k || !v) { free(k); free(v); return; }
    memcpy(v, content, len);
    drop(c, victim);
    while (c->bytes + len > THREAD_BUDGET) drop(c, least_used(c));      /* the oldest make room */
    *victim = (entry){k, v, len, r->gen, ++c->clock};
    c->bytes += len;
}

bool page_cache_serve(req *r, resp *w, const char *title, page_render_fn render, void *ctx)
{
    buf key = {0}, content = {0};
    page_cache_key(r, &key);
    bool hit = page_cache_get(r, buf_str(&key), &content), ok = hit;
    if (!ok && (ok = render(r, &content, ctx)))
        page_cache_put(r, buf_str(&key), content.data, content.len);
    if (ok) {
        resp_header(w, "X-Cache", hit ? "hit" : "miss");
        page_begin(r, w, title);
        buf_add(&w->body, buf_str(&content), content.len);
        page_end(r, w);
    }
    buf_free(&key);
    buf_free(&content);
    return ok;
}

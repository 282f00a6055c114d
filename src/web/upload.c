/* Evidence uploads (see upload.h). */
#include "web/upload.h"
#include "config.h"
#include "core/i18n.h"
#include "store/store_file.h"
#include <magic.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

/* libmagic cookies are not thread-safe: one per thread, closed when the thread ends. */
static pthread_key_t magic_key;
static pthread_once_t magic_once = PTHREAD_ONCE_INIT;

static void close_magic(void *cookie) { magic_close(cookie); }
static void make_magic_key(void) { pthread_key_create(&magic_key, close_magic); }

static const char *sniff(const char *data, size_t len)
{
    pthread_once(&magic_once, make_magic_key);
    magic_t m = pthread_getspecific(magic_key);
    if (!m) {
        m = magic_open(MAGIC_MIME_TYPE);
        if (!m) return NULL;
        if (magic_load(m, NULL) != 0) { magic_close(m); return NULL; }
        pthread_setspecific(magic_key, m);
    }
    return magic_buffer(m, data, len);
}

static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

const char *upload_allowed_type(const char *data, size_t len, const char *filename)
{
    static const char *const allowed[] = {
        "application/pdf", "image/jpeg", "image/png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text", NULL};
    const char *t = len ? sniff(data, len) : NULL;
    if (!t) return NULL;
    for (int i = 0; allowed[i]; i++)
        if (strcmp(t, allowed[i]) == 0) return allowed[i];
    /* Some office writers produce ZIP containers libmagic cannot name: accept
     * them only with the matching extension and the OOXML/ODF markers inside. */
    if ((strcmp(t, "application/zip") == 0 || strcmp(t, "application/octet-stream") == 0) && len > 4 &&
        memcmp(data, "PK\003\004", 4) == 0) {
        if (has_ext(filename, ".docx") && memmem(data, len, "word/", 5)) return allowed[3];
        if (has_ext(filename, ".xlsx") && memmem(data, len, "xl/", 3)) return allowed[4];
        if (has_ext(filename, ".odt") && memmem(data, len, "opendocument.text", 17)) return allowed[5];
    }
    return NULL;
}

int upload_store(req *r, const upload *u, char sha_out[65])
{
    const char *mime = upload_allowed_type(u->data, u->len, u->filename);
    return store_file_put(r->db, r->cfg->data_dir, u->data, u->len, mime ? mime : "application/octet-stream", sha_out);
}

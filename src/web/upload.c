/* Evidence uploads (see upload.h). */
#include "web/upload.h"
#include "config.h"
#include "core/i18n.h"
#include "store/store_file.h"
#include <magic.h>
#include <string.h>
#include <strings.h>

static __thread magic_t t_magic;

static const char *sniff(const char *data, size_t len)
{
    if (!t_magic) {
        t_magic = magic_open(MAGIC_MIME_TYPE);
        if (!t_magic || magic_load(t_magic, NULL) != 0) return NULL;
    }
    return magic_buffer(t_magic, data, len);
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

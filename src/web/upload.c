/* Evidence uploads (see upload.h). */
#include "web/upload.h"
#include "config.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "store/store_audit.h"
#include "store/store_file.h"
#include "store/db.h"
#include <magic.h>
#include <pthread.h>
#include <stdio.h>
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

/* Checks the uploads of field "files" into files (at most max); false with *err set. */
static bool check_uploads(req *r, int max, const char *too_many_msg, upload_file *files, int *n, upload_error *err)
{
    *n = 0;
    for (int i = 0; i < r->nuploads; i++) {
        const upload *u = &r->uploads[i];
        if (strcmp(u->field, UPLOAD_FIELD) != 0) continue;
        if (*n == max) {
            *err = (upload_error){422, "too_many_files", too_many_msg, UPLOAD_FIELD};
            return false;
        }
        if (strlen(u->filename) > UPLOAD_MAX_FILENAME) {
            *err = (upload_error){422, "filename_too_long", _("Tên tệp quá dài (tối đa 200 byte)."), UPLOAD_FIELD};
            return false;
        }
        const char *mime = upload_allowed_type(u->data, u->len, u->filename);
        if (!mime) {
            *err = (upload_error){415, "unsupported_file_type",
                                  _("Loại tệp không được phép. Chỉ nhận PDF, DOCX, XLSX, ODT, JPEG, PNG."), UPLOAD_FIELD};
            return false;
        }
        upload_file *f = &files[(*n)++];
        *f = (upload_file){.u = u, .mime = mime};
        if (safe_filename(u->filename, f->name, sizeof f->name) == 0) snprintf(f->name, sizeof f->name, "tep-dinh-kem");
    }
    return true;
}

typedef struct {
    upload_record_fn record;
    void *ctx;
    const upload_file *files;
    int n;
    const req *r;
} record_call;

/* The records, and an audit entry for each file whose name had to be cleaned:
 * the name as sent is kept there only. */
static int record_txn(db *d, void *ctx)
{
    const record_call *c = ctx;
    int rc = c->record(d, c->files, c->n, c->ctx);
    for (int i = 0; rc == DB_OK && i < c->n; i++) {
        if (strcmp(c->files[i].name, c->files[i].u->filename) == 0) continue;
        buf before = {0}, after = {0};
        buf_puts(&before, "{\"filename\":");
        esc_json(&before, c->files[i].u->filename);
        buf_puts(&before, ",\"sha256\":\"");
        buf_puts(&before, c->files[i].sha256);
        buf_puts(&before, "\"}");
        buf_puts(&after, "{\"filename\":");
        esc_json(&after, c->files[i].name);
        buf_putc(&after, '}');
        rc = before.oom || after.oom ? DB_ERR
             : store_audit(d, c->r->user.id, c->r->user.username, "file_renamed", "file", 0, buf_str(&before), buf_str(&after));
        buf_free(&before);
        buf_free(&after);
    }
    return rc;
}

int upload_store_and_record(req *r, int max_files, const char *too_many_msg, upload_record_fn record, void *ctx,
                            upload_error *err)
{
    upload_file files[REQ_MAX_UPLOADS];
    int n;
    if (max_files > REQ_MAX_UPLOADS) max_files = REQ_MAX_UPLOADS;
    if (!check_uploads(r, max_files, too_many_msg, files, &n, err)) return DB_ERR;
    /* The bytes first (content-addressed: a file another request also stores, or
     * one left by a failed request, is the same file), then the records. */
    for (int i = 0; i < n; i++) {
        if (store_file_put(r->db, r->cfg->data_dir, files[i].u->data, files[i].u->len, files[i].mime, files[i].sha256) != DB_OK) {
            *err = (upload_error){500, "storage_failed", _("Không lưu được tệp minh chứng."), UPLOAD_FIELD};
            return DB_ERR;
        }
    }
    record_call c = {record, ctx, files, n, r};
    int rc = db_txn(r->db, true, record_txn, &c);
    if (rc != DB_OK) *err = (upload_error){500, "internal", _("Không ghi được dữ liệu. Vui lòng thử lại."), NULL};
    return rc;
}

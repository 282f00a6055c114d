#ifndef CCHC_UPLOAD_H
#define CCHC_UPLOAD_H
/* Evidence uploads: type allow-list by content sniffing (libmagic), then
 * content-addressed storage. */
#include "web/http.h"
#include <stdbool.h>

#define UPLOAD_FIELD "files"          /* the form field evidence files come in */
#define UPLOAD_MAX_FILENAME 200       /* bytes of a client file name */

/* Returns the sniffed MIME type of data if it is allowed (PDF, DOCX, XLSX, ODT,
 * JPEG, PNG), else NULL. Static string. */
const char *upload_allowed_type(const char *data, size_t len, const char *filename);

/* An evidence file of the request, checked and stored. */
typedef struct {
    const upload *u;          /* the request's upload (file name as sent, bytes) */
    const char *mime;         /* the allowed type, sniffed once */
    char sha256[65];          /* set once stored */
    char name[UPLOAD_MAX_FILENAME + 1];   /* the name to store and show: safe_filename of u->filename */
} upload_file;

/* Why uploads were refused: HTTP status, stable code, message, field. */
typedef struct {
    int status;
    const char *code, *message, *field;
} upload_error;

/* Records what the stored files belong to (an update, a measurement), inside a
 * write transaction; DB_OK or an error code (the transaction then rolls back). */
typedef int (*upload_record_fn)(db *d, const upload_file *files, int nfiles, void *ctx);

/* Takes the uploads of field "files" (others are ignored): at most max_files (422
 * too_many_files with too_many_msg), each name at most UPLOAD_MAX_FILENAME bytes
 * (422), each of an allowed type (415; sniffed once per file); then stores their
 * bytes (500 storage_failed) and runs record(d, files, n, ctx) in one write
 * transaction (db_txn). Returns record's result (DB_OK on success); on a refusal
 * DB_ERR with *err set and record not run. When record fails, *err is a 500. */
int upload_store_and_record(req *r, int max_files, const char *too_many_msg, upload_record_fn record, void *ctx,
                            upload_error *err);
#endif

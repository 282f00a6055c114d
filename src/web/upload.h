#ifndef CCHC_UPLOAD_H
#define CCHC_UPLOAD_H
/* Evidence uploads: type allow-list by content sniffing (libmagic), then
 * content-addressed storage. */
#include "web/http.h"
#include <stdbool.h>

/* Returns the sniffed MIME type of data if it is allowed (PDF, DOCX, XLSX, ODT,
 * JPEG, PNG), else NULL. Static string. */
const char *upload_allowed_type(const char *data, size_t len, const char *filename);
/* Stores upload u; sha_out gets the hash. DB_OK or an error. */
int upload_store(req *r, const upload *u, char sha_out[65]);
#endif

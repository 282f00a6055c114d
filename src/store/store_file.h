#ifndef CCHC_STORE_FILE_H
#define CCHC_STORE_FILE_H
/* Content-addressed evidence files: bytes under DATA/files/ab/<sha256>, metadata in the files table. */
#include "store/db.h"
#include <stdbool.h>
#include <stddef.h>

/* Writes data to DATA/files (if not already there) and records it; sha_out gets
 * the hex SHA-256. DB_OK or an error. Safe to call twice with the same bytes. */
int store_file_put(db *d, const char *data_dir, const void *data, size_t len, const char *mime, char sha_out[65]);
/* Looks up a file for download: mime, size, the original name and whether any
 * reference marks it public. Returns false when unknown or sha is malformed. */
bool store_file_info(db *d, const char *sha, char mime[128], long long *size, char name[256], bool *public);
/* The path of a stored file into out. */
void store_file_path(const char *data_dir, const char *sha, char *out, size_t n);
#endif

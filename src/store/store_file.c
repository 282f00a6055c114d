/* Evidence files (see store_file.h). */
#include "store/store_file.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool valid_sha(const char *sha)
{
    if (strlen(sha) != 64) return false;
    for (const char *p = sha; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

void store_file_path(const char *data_dir, const char *sha, char *out, size_t n)
{
    snprintf(out, n, "%s/files/%.2s/%s", data_dir, sha, sha);
}

/* Writes data to a fresh temporary file next to path, then renames it into place:
 * readers see the whole file or none, and two workers (threads or processes)
 * storing the same upload each write their own mkstemp file; the second rename
 * replaces identical bytes. */
static int write_atomically(const char *path, const void *data, size_t len)
{
    char tmp[800];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= sizeof tmp) return -1;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) return -1;
    if (fchmod(fd, 0600) != 0) { close(fd); unlink(tmp); return -1; }
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0) { if (errno == EINTR) continue; close(fd); unlink(tmp); return -1; }
        p += w;
        left -= (size_t)w;
    }
    int synced = fsync(fd);
    if (close(fd) != 0 || synced != 0 || rename(tmp, path) != 0) { unlink(tmp); return -1; }
    return 0;
}

int store_file_put(db *d, const char *data_dir, const void *data, size_t len, const char *mime, char sha_out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(sha_out, 65, h, sizeof h);
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/files", data_dir);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/files/%.2s", data_dir, sha_out);
    mkdir(dir, 0700);
    store_file_path(data_dir, sha_out, path, sizeof path);
    struct stat st;
    if (stat(path, &st) != 0 && write_atomically(path, data, len) != 0) return DB_ERR;
    char now[32];
    db_now_iso(now);
    db_stmt *s = db_prepare(d, "INSERT INTO files(sha256, size, mime, created_at) VALUES (?,?,?,?) ON CONFLICT DO NOTHING");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, sha_out);
    db_bind_int(s, 2, (int64_t)len);
    db_bind_text(s, 3, mime);
    db_bind_text(s, 4, now);
    return db_exec_stmt(s) == DB_DONE ? DB_OK : DB_ERR;
}

bool store_file_info(db *d, const char *sha, char mime[128], long long *size, char name[256], bool *public)
{
    if (!valid_sha(sha)) return false;
    db_stmt *s = db_prepare(d,
        "SELECT f.mime, f.size, COALESCE((SELECT filename FROM update_files WHERE sha256 = f.sha256 ORDER BY public DESC, id LIMIT 1), "
        "(SELECT filename FROM target_measurements WHERE sha256 = f.sha256 LIMIT 1), f.sha256), "
        "EXISTS (SELECT 1 FROM update_files uf JOIN task_updates u ON u.id = uf.update_id JOIN tasks t ON t.id = u.task_id "
        "JOIN plans p ON p.id = t.plan_id WHERE uf.sha256 = f.sha256 AND uf.public = 1 AND u.is_lead = 1 AND p.public = 1) "
        "FROM files f WHERE f.sha256 = ?");
    if (!s) return false;
    db_bind_text(s, 1, sha);
    if (db_step(s) != DB_ROW) return false;
    snprintf(mime, 128, "%s", db_col_text(s, 0));
    *size = db_col_int(s, 1);
    snprintf(name, 256, "%s", db_col_text(s, 2));
    *public = db_col_int(s, 3) != 0;
    return true;
}

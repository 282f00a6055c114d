/* Bundled static files and evidence downloads. */
#include "web/handlers.h"
#include "config.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "embed.h"
#include "store/store_file.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void h_static(req *r, resp *w)
{
    const char *name = r->params[0];
    if (strchr(name, '/') || strstr(name, "..")) { resp_error(r, w, 404, "not_found", _("Không tìm thấy."), NULL); return; }
    char path[128];
    snprintf(path, sizeof path, "src/web/static/%s", name);
    size_t len = 0;
    const char *data = embed_get(path, &len);
    if (!data) { resp_error(r, w, 404, "not_found", _("Không tìm thấy."), NULL); return; }
    const char *dot = strrchr(name, '.');
    w->content_type = dot && !strcmp(dot, ".css") ? "text/css; charset=utf-8"
                    : dot && !strcmp(dot, ".js") ? "text/javascript; charset=utf-8"
                    : dot && !strcmp(dot, ".svg") ? "image/svg+xml" : "application/octet-stream";
    buf_add(&w->body, data, len);
    resp_header(w, "Cache-Control", "public, max-age=3600");
    w->status = 200;
}

void h_file_download(req *r, resp *w)
{
    char mime[128], name[256], path[700];
    long long size = 0;
    bool public = false;
    /* An anonymous visitor gets the same answer for a private file as for an
     * unknown one: holding a document must not tell whether it was uploaded. */
    bool known = store_file_info(r->db, r->params[0], mime, &size, name, &public);
    if (!known || (!public && r->user.role == ROLE_NONE)) {
        resp_error(r, w, 404, "not_found", _("Không tìm thấy tệp (tệp nội bộ cần đăng nhập)."), NULL);
        return;
    }
    store_file_path(r->cfg->data_dir, r->params[0], path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) close(fd);
        resp_error(r, w, 404, "not_found", _("Tệp không còn trên máy chủ."), NULL);
        return;
    }
    w->file_fd = fd;
    w->file_size = (uint64_t)st.st_size;
    w->content_type = NULL;
    resp_header(w, "Content-Type", mime);
    buf cd = {0};
    esc_content_disposition(&cd, name);
    resp_header(w, "Content-Disposition", buf_str(&cd));
    buf_free(&cd);
    w->status = 200;
}

/* Progress updates (see task_update.h). */
#include "core/number.h"
#include "web/task_update.h"
#include "core/i18n.h"
#include "core/plan_import.h"
#include "store/store_audit.h"
#include "store/store_task.h"
#include "store/store_unit.h"
#include "web/upload.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NOTE 4000
#define FAIL(e, st, c, m, f) (*(e) = (update_error){(st), (c), (m), (f)})
#define MAX_FILES 8

typedef struct {
    update_input in;
    evidence_ref files[MAX_FILES];
    bool public;
    int64_t id;
} update_txn;

/* Records the update with the stored files (inside upload_store_and_record's transaction). */
static int run_update(db *d, const upload_file *files, int nfiles, void *ctx)
{
    update_txn *t = ctx;
    for (int i = 0; i < nfiles && i < MAX_FILES; i++) {
        memcpy(t->files[i].sha256, files[i].sha256, sizeof t->files[i].sha256);
        t->files[i].filename = files[i].name;
        t->files[i].public = t->public;
    }
    t->in.files = t->files;
    t->in.nfiles = nfiles < MAX_FILES ? nfiles : MAX_FILES;
    t->id = store_task_add_update(d, &t->in);
    return t->id > 0 ? DB_OK : DB_ERR;
}

static bool validate(update_error *err, const update_fields *in, int *status, int *percent)
{
    *status = in->status ? status_parse(in->status) : -1;
    if (*status < 0) {
        FAIL(err, 422, "invalid_status", _("Trạng thái không hợp lệ."), "status");
        return false;
    }
    *percent = *status == ST_DONE ? 100 : 0;
    if (in->percent && *in->percent && !parse_int_strict(in->percent, 0, 100, percent)) {
        FAIL(err, 422, "invalid_percent", _("Tỷ lệ hoàn thành phải là số từ 0 đến 100."), "percent");
        return false;
    }
    if (in->note && strlen(in->note) > MAX_NOTE) {
        FAIL(err, 422, "too_long", _("Ghi chú quá dài (tối đa 4000 byte)."), "note");
        return false;
    }
    if (in->note && !pi_valid_utf8_text(in->note, strlen(in->note))) {
        FAIL(err, 422, "invalid_text", _("Ghi chú phải là văn bản UTF-8 hợp lệ, không có ký tự điều khiển."), "note");
        return false;
    }
    return true;
}

/* Decides whether the caller may update the task and whether as the lead. */
static bool authorize(req *r, update_error *err, int64_t task_id, const task_row *t, bool *is_lead)
{
    *is_lead = true;
    (void)t;
    /* The Office coordinates the whole plan (and admins may correct it): their update sets the status. */
    if (r->user.role == ROLE_ADMIN || r->user.role == ROLE_OFFICE) return true;
    if (r->user.unit_id && store_unit_involved(r->db, task_id, r->user.unit_id, is_lead)) return true;
    char after[160];
    snprintf(after, sizeof after, "{\"unit_id\":%lld,\"reason\":\"not_involved\"}", (long long)r->user.unit_id);
    store_audit(r->db, r->user.id, r->user.username, "task_update_denied", "task", task_id, NULL, after);
    FAIL(err, 403, "forbidden", _("Đơn vị của bạn không chủ trì hoặc phối hợp nhiệm vụ này."), NULL);
    return false;
}

int64_t task_update_apply(req *r, int64_t task_id, const update_fields *in, update_error *err)
{
    task_row task;
    if (task_id <= 0 || !store_task_get(r->db, task_id, &task)) {
        FAIL(err, 404, "not_found", _("Không tìm thấy nhiệm vụ."), NULL);
        return 0;
    }
    int status, percent;
    bool is_lead;
    update_txn t = {0};
    int64_t result = 0;
    if (!validate(err, in, &status, &percent) || !authorize(r, err, task_id, &task, &is_lead)) goto done;
    t.in = (update_input){task_id, r->user.id, r->user.unit_id, r->user.username, is_lead,
                          (task_status)status, status == ST_DONE ? 100 : percent, in->note ? in->note : "",
                          NULL, 0};
    t.public = in->files_public && is_lead;
    /* Files of field "files": checked (name, type sniffed once), stored, then the
     * update recorded in one transaction. */
    upload_error ue;
    int rc = upload_store_and_record(r, MAX_FILES, _("Tối đa 8 tệp cho một lần cập nhật."), run_update, &t, &ue);
    if (rc != DB_OK) {
        if (ue.status == 500 && ue.field == NULL) FAIL(err, 500, "internal", _("Không ghi được cập nhật. Vui lòng thử lại."), NULL);
        else FAIL(err, ue.status, ue.code, ue.message, ue.field);
        goto done;
    }
    result = t.id;
done:
    task_row_free(&task);
    return result;
}

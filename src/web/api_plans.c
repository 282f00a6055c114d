/* JSON API: plans, tasks, progress updates, units. Same store calls and the
 * same permissions as the HTML pages. */
#include "web/handlers.h"
#include "web/common.h"
#include "web/task_update.h"
#include "core/i18n.h"
#include "core/buf.h"
#include "core/lunar.h"
#include "store/store_task.h"
#include "store/store_unit.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_PER_PAGE 50

static json_t *plan_json(const plan_row *p)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:b, s:i}", "id", (json_int_t)p->id, "code", p->code,
                     "title", p->title, "doc_number", p->doc_number, "issued_on", p->issued_on, "year_from", p->year_from,
                     "year_to", p->year_to, "note", p->note, "public", p->public, "task_count", p->task_count);
}

void h_api_plans(req *r, resp *w)
{
    plan_row *plans;
    int n;
    if (store_plan_list(r->db, !can_read_internal(r), true, &plans, &n) != DB_OK) {
        resp_json_error(w, 500, "internal", _("Không đọc được kế hoạch."), NULL);
        return;
    }
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(arr, plan_json(&plans[i]));
    plan_rows_free(plans, n);
    resp_json_value(w, 200, json_pack("{s:o}", "plans", arr));
}

void h_api_plan(req *r, resp *w)
{
    plan_row p;
    if (!store_plan_get(r->db, req_param_id(r, 0), !can_read_internal(r), &p)) {
        resp_json_error(w, 404, "not_found", _("Không tìm thấy kế hoạch."), NULL);
        return;
    }
    json_t *o = plan_json(&p);
    plan_row_free(&p);
    area_row *areas;
    int n;
    json_t *arr = json_array();
    if (store_area_list(r->db, req_param_id(r, 0), &areas, &n) == DB_OK) {
        for (int i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)areas[i].id, "no", areas[i].no, "title", areas[i].title));
        area_rows_free(areas, n);
    }
    json_object_set_new(o, "areas", arr);
    resp_json_value(w, 200, o);
}

void h_api_plan_tasks(req *r, resp *w)
{
    plan_row p;
    int64_t plan_id = req_param_id(r, 0);
    if (!store_plan_get(r->db, plan_id, !can_read_internal(r), &p)) {
        resp_json_error(w, 404, "not_found", _("Không tìm thấy kế hoạch."), NULL);
        return;
    }
    plan_row_free(&p);
    filter_args a;
    /* The plan of the path; ?area= is resolved within it (an id or a numeral, see common.h). */
    if (!parse_task_filter_plan(r, w, &a, API_PER_PAGE, plan_id)) return;
    task_list l;
    if (store_task_find(r->db, &a.f, &l) != DB_OK) {
        resp_json_error(w, 500, "internal", _("Không đọc được danh sách nhiệm vụ."), NULL);
        return;
    }
    buf b = {0};
    buf_puts(&b, "{\"tasks\":[");
    for (int i = 0; i < l.n; i++) {
        if (i) buf_putc(&b, ',');
        task_json_write(r, &b, &l.rows[i], can_read_internal(r));
    }
    buf_printf(&b, "],\"total\":%d,\"page\":%d,\"per_page\":%d}", l.total, a.f.page, API_PER_PAGE);
    resp_json_take(w, 200, &b);
    task_list_free(&l);
}

void h_api_task(req *r, resp *w)
{
    task_row t;
    if (!store_task_get(r->db, req_param_id(r, 0), &t)) {
        resp_json_error(w, 404, "not_found", _("Không tìm thấy nhiệm vụ."), NULL);
        return;
    }
    if (!can_read_internal(r) && !t.plan_public) {
        task_row_free(&t);
        resp_json_error(w, 404, "not_found", _("Không tìm thấy nhiệm vụ."), NULL);
        return;
    }
    buf b = {0};
    task_json_write(r, &b, &t, can_read_internal(r));
    resp_json_take(w, 200, &b);
    task_row_free(&t);
}

/* Reads {status, percent, note} from a JSON body into in (strings point into *doc). */
static bool parse_update_json(req *r, resp *w, json_t **doc, update_fields *in, char percent[16])
{
    json_error_t e;
    *doc = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e);
    if (!*doc || !json_is_object(*doc)) {
        resp_json_error(w, 400, "bad_json", _("Nội dung JSON không hợp lệ."), NULL);
        return false;
    }
    json_t *st = json_object_get(*doc, "status"), *pc = json_object_get(*doc, "percent"), *note = json_object_get(*doc, "note");
    if (!json_is_string(st)) { resp_json_error(w, 422, "invalid_field", _("Thiếu trạng thái (status)."), "status"); return false; }
    if (pc && !json_is_integer(pc)) { resp_json_error(w, 422, "invalid_field", _("percent phải là số nguyên 0–100."), "percent"); return false; }
    if (note && !json_is_string(note)) { resp_json_error(w, 422, "invalid_field", _("note phải là chuỗi."), "note"); return false; }
    in->status = json_string_value(st);
    if (pc) {
        snprintf(percent, 16, "%lld", (long long)json_integer_value(pc));
        in->percent = percent;
    }
    in->note = note ? json_string_value(note) : NULL;
    json_t *pub = json_object_get(*doc, "public");
    in->files_public = json_is_true(pub);
    return true;
}

void h_api_task_update(req *r, resp *w)
{
    update_fields in = {0};
    json_t *doc = NULL;
    char percent[16];
    if (strncasecmp(r->content_type, "application/json", 16) == 0) {
        if (!parse_update_json(r, w, &doc, &in, percent)) { json_decref(doc); return; }
    } else if (strncasecmp(r->content_type, "multipart/form-data", 19) == 0) {
        const char *pub = req_form(r, "public");
        in = (update_fields){req_form(r, "status"), req_form(r, "percent"), req_form(r, "note"), pub && !strcmp(pub, "1")};
    } else {
        resp_json_error(w, 415, "unsupported_content_type", _("Gửi application/json hoặc multipart/form-data."), "Content-Type");
        return;
    }
    update_error err = {0};
    int64_t id = task_update_apply(r, req_param_id(r, 0), &in, &err);
    json_decref(doc);
    if (id <= 0) { resp_json_error(w, err.status, err.code, err.message, err.field); return; }
    task_row t;
    if (!store_task_get(r->db, req_param_id(r, 0), &t)) {
        resp_json_error(w, 500, "internal", _("Đã ghi cập nhật nhưng không đọc lại được nhiệm vụ."), NULL);
        return;
    }
    buf b = {0};
    buf_printf(&b, "{\"update_id\":%lld,\"task\":", (long long)id);
    task_json_write(r, &b, &t, true);
    buf_putc(&b, '}');
    resp_json_take(w, 201, &b);
    task_row_free(&t);
}

static void unit_to_json(const unit_row *u, void *ctx)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id, "code", u->code, "name", u->name,
                          "short_name", u->short_name ? u->short_name : "", "kind", u->kind);
    if (!o) return;
    json_object_set_new(o, "parent_id", u->parent_id ? json_integer(u->parent_id) : json_null());
    json_object_set_new(o, "valid_from", u->valid_from && *u->valid_from ? json_string(u->valid_from) : json_null());
    json_object_set_new(o, "valid_to", u->valid_to && *u->valid_to ? json_string(u->valid_to) : json_null());
    json_array_append_new(ctx, o);
}

void h_api_units(req *r, resp *w)
{
    const char *on = req_query(r, "active_on");
    int32_t jdn;
    if (on && !cal_parse_iso(on, &jdn)) { resp_json_error(w, 400, "invalid_date", _("Ngày không hợp lệ (YYYY-MM-DD)."), "active_on"); return; }
    json_t *arr = json_array();
    if (store_unit_list(r->db, on, unit_to_json, arr) != DB_OK) {
        json_decref(arr);
        resp_json_error(w, 500, "internal", _("Không đọc được danh sách đơn vị."), NULL);
        return;
    }
    resp_json_value(w, 200, json_pack("{s:o}", "units", arr));
}

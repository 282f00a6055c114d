/* Parameter checks, body parsing and replies driven by an operation's
 * declaration (api_op.h). */
#include "web/api/api_op.h"
#include "core/calendar.h"
#include "core/i18n.h"
#include "core/number.h"
#include <string.h>
#include <strings.h>

static bool param_fail(resp *w, const char *code, const char *message, const char *name)
{
    resp_json_error(w, 400, code, message, name);
    return false;
}

static bool in_enum(const char *const *values, const char *v)
{
    for (; *values; values++)
        if (!strcmp(*values, v)) return true;
    return false;
}

/* Checks one present value against its declaration. */
static bool check_value(const js_field *f, const char *v, resp *w)
{
    int64_t n;
    int32_t jdn;
    switch (f->type) {
    case JS_INT: case JS_INT64: {
        int64_t lo = f->ranged ? f->min : (f->type == JS_INT ? INT32_MIN : INT64_MIN);
        int64_t hi = f->ranged ? f->max : (f->type == JS_INT ? INT32_MAX : INT64_MAX);
        if (!parse_int64_strict(v, lo, hi, &n))
            return param_fail(w, "invalid_parameter", _("Tham số phải là số nguyên trong khoảng cho phép."), f->name);
        return true;
    }
    case JS_DATE:
        if (strlen(v) != 10 || !cal_parse_iso(v, &jdn))
            return param_fail(w, "invalid_parameter", _("Tham số phải là ngày YYYY-MM-DD."), f->name);
        return true;
    default:
        if (f->max_len && strlen(v) > (size_t)f->max_len)
            return param_fail(w, "invalid_parameter", _("Tham số quá dài."), f->name);
        if (f->enums && !in_enum(f->enums, v))
            return param_fail(w, "invalid_parameter", _("Giá trị tham số không nằm trong danh sách cho phép."), f->name);
        return true;
    }
}

bool api_check_params(const api_op *op, req *r, resp *w)
{
    int path_index = 0;
    for (size_t i = 0; i < op->nparams; i++) {
        const api_param *p = &op->params[i];
        const char *v = p->in == PARAM_PATH ? (path_index < r->nparams ? r->params[path_index++] : NULL)
                                            : req_query(r, p->f.name);
        if (!v || !*v) {
            if (p->required || p->in == PARAM_PATH)
                return param_fail(w, "invalid_parameter", _("Thiếu tham số bắt buộc."), p->f.name);
            continue;
        }
        if (!check_value(&p->f, v, w)) return false;
    }
    return true;
}

bool api_parse_body(const api_op *op, req *r, resp *w, json_t **doc, void *out)
{
    json_error_t e;
    *doc = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &e);
    if (!*doc || !json_is_object(*doc)) {
        resp_json_error(w, 400, "bad_json", _("Nội dung phải là một đối tượng JSON hợp lệ."), NULL);
        return false;
    }
    js_error err;
    if (!js_parse(op->request, *doc, out, &err)) {
        resp_json_error(w, 422, err.code, err.message, err.field);
        return false;
    }
    return true;
}

bool api_require_json(req *r, resp *w)
{
    if (strncasecmp(r->content_type, "application/json", 16) == 0) return true;
    resp_json_error(w, 415, "unsupported_content_type", _("Gửi application/json."), "Content-Type");
    return false;
}

void api_reply(resp *w, int status, const js_schema *s, const void *obj)
{
    buf b = {0};
    js_write(&b, s, obj);
    resp_json_take(w, status, &b);
}

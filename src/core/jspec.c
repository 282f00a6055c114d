/* Declarative JSON objects: writer, request parser and schema emitter driven
 * by one js_schema table (see jspec.h). */
#include "core/jspec.h"
#include "core/calendar.h"
#include "core/escape.h"
#include "core/i18n.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT(obj, off, T) (*(T *)(void *)((char *)(obj) + (off)))
#define CAT(obj, off, T) (*(const T *)(const void *)((const char *)(obj) + (off)))

static bool field_has(const js_field *f, const void *obj)
{
    return !(f->flags & JF_HAS) || CAT(obj, f->has_at, bool);
}

/* The string of a string-like field; "" dates count as absent. */
static const char *field_str(const js_field *f, const void *obj)
{
    const char *s = (f->flags & JF_CHARS) ? (const char *)obj + f->offset : CAT(obj, f->offset, const char *);
    if (f->type == JS_DATE && s && !*s) return NULL;
    return s;
}

/* True when the field holds its zero value: NULL, 0, false, no items. */
static bool field_empty(const js_field *f, const void *obj)
{
    if (!field_has(f, obj)) return true;
    switch (f->type) {
    case JS_STRING: case JS_DATE: {
        const char *v = field_str(f, obj);
        return v == NULL || ((f->flags & JF_CHARS) && !*v);
    }
    case JS_INT: return CAT(obj, f->offset, int) == 0;
    case JS_INT64: return CAT(obj, f->offset, int64_t) == 0;
    case JS_BOOL: return !CAT(obj, f->offset, bool);
    case JS_NUMBER: return false;
    case JS_OBJECT: return false;
    case JS_OBJECT_PTR: return CAT(obj, f->offset, const void *) == NULL;
    case JS_ARRAY: case JS_STRINGS: return CAT(obj, f->count_at, int) == 0;
    case JS_ANY: return CAT(obj, f->offset, json_t *) == NULL;
    }
    return true;
}

static void write_number(buf *b, double v)
{
    if (!isfinite(v)) { buf_puts(b, "null"); return; }
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", v);
    buf_puts(b, tmp);
}

static void write_value(buf *b, const js_field *f, const void *obj)
{
    if (!field_has(f, obj)) { buf_puts(b, "null"); return; }
    switch (f->type) {
    case JS_STRING: case JS_DATE: esc_json(b, field_str(f, obj)); break;
    case JS_INT: buf_printf(b, "%d", CAT(obj, f->offset, int)); break;
    case JS_INT64: buf_printf(b, "%lld", (long long)CAT(obj, f->offset, int64_t)); break;
    case JS_BOOL: buf_puts(b, CAT(obj, f->offset, bool) ? "true" : "false"); break;
    case JS_NUMBER: write_number(b, CAT(obj, f->offset, double)); break;
    case JS_OBJECT: js_write(b, f->ref, (const char *)obj + f->offset); break;
    case JS_OBJECT_PTR: {
        const void *p = CAT(obj, f->offset, const void *);
        if (p) js_write(b, f->ref, p); else buf_puts(b, "null");
        break;
    }
    case JS_ARRAY: {
        const char *items = CAT(obj, f->offset, const char *);
        int n = CAT(obj, f->count_at, int);
        buf_putc(b, '[');
        for (int i = 0; i < n; i++) {
            if (i) buf_putc(b, ',');
            js_write(b, f->ref, items + (size_t)i * f->ref->size);
        }
        buf_putc(b, ']');
        break;
    }
    case JS_STRINGS: {
        const char *const *items = CAT(obj, f->offset, const char *const *);
        int n = CAT(obj, f->count_at, int);
        buf_putc(b, '[');
        for (int i = 0; i < n; i++) {
            if (i) buf_putc(b, ',');
            esc_json(b, items[i]);
        }
        buf_putc(b, ']');
        break;
    }
    case JS_ANY: {
        char *s = json_dumps(CAT(obj, f->offset, json_t *), JSON_COMPACT | JSON_ENCODE_ANY);
        buf_puts(b, s ? s : "null");
        free(s);
        break;
    }
    }
}

static void write_fields(buf *b, const js_schema *s, const void *obj, bool *first)
{
    for (size_t i = 0; i < s->nfields; i++) {
        const js_field *f = &s->fields[i];
        if (f->flags & JF_INLINE) { write_fields(b, f->ref, (const char *)obj + f->offset, first); continue; }
        if ((f->flags & JF_OPTIONAL) && field_empty(f, obj)) continue;
        if (!*first) buf_putc(b, ',');
        *first = false;
        esc_json(b, f->name);
        buf_putc(b, ':');
        write_value(b, f, obj);
    }
}

void js_write(buf *b, const js_schema *s, const void *obj)
{
    bool first = true;
    buf_putc(b, '{');
    write_fields(b, s, obj, &first);
    buf_putc(b, '}');
}

/* ---- parsing ------------------------------------------------------------------ */

static bool fail(js_error *err, const js_field *f, const char *name, const char *code, const char *message)
{
    snprintf(err->field, sizeof err->field, "%s", f ? f->name : name);
    err->code = code;
    err->message = message;
    return false;
}

/* Prefixes err->field with the enclosing field's path: "budget" + "unit". */
static bool nest(js_error *err, const char *outer, int index)
{
    char inner[sizeof err->field];
    snprintf(inner, sizeof inner, "%s", err->field);
    if (index >= 0) snprintf(err->field, sizeof err->field, "%s[%d]%s%s", outer, index, *inner ? "." : "", inner);
    else snprintf(err->field, sizeof err->field, "%s.%s", outer, inner);
    return false;
}

static const js_field *find_field(const js_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (!strcmp(s->fields[i].name, name)) return &s->fields[i];
    return NULL;
}

static bool in_enum(const char *const *values, const char *v)
{
    for (; *values; values++)
        if (!strcmp(*values, v)) return true;
    return false;
}

static bool parse_string(const js_field *f, const json_t *v, void *out, js_error *err)
{
    if (!json_is_string(v)) return fail(err, f, NULL, "invalid_type", _("Trường này phải là chuỗi."));
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len) return fail(err, f, NULL, "invalid_text", _("Chuỗi không được chứa ký tự NUL."));
    if (f->max_len && len > (size_t)f->max_len) return fail(err, f, NULL, "too_long", _("Chuỗi quá dài."));
    if (f->enums && !in_enum(f->enums, s)) return fail(err, f, NULL, "invalid_value", _("Giá trị không nằm trong danh sách cho phép."));
    int32_t jdn;
    if (f->type == JS_DATE && !cal_parse_iso(s, &jdn)) return fail(err, f, NULL, "invalid_date", _("Ngày phải có dạng YYYY-MM-DD."));
    AT(out, f->offset, const char *) = s;
    return true;
}

static bool parse_integer(const js_field *f, const json_t *v, void *out, js_error *err)
{
    if (!json_is_integer(v)) return fail(err, f, NULL, "invalid_type", _("Trường này phải là số nguyên."));
    json_int_t n = json_integer_value(v);
    int64_t lo = f->ranged ? f->min : (f->type == JS_INT ? INT32_MIN : INT64_MIN);
    int64_t hi = f->ranged ? f->max : (f->type == JS_INT ? INT32_MAX : INT64_MAX);
    if (n < lo || n > hi) return fail(err, f, NULL, "out_of_range", _("Giá trị nằm ngoài khoảng cho phép."));
    if (f->type == JS_INT) AT(out, f->offset, int) = (int)n;
    else AT(out, f->offset, int64_t) = (int64_t)n;
    return true;
}

static bool parse_array(const js_field *f, const json_t *v, void *out, js_error *err)
{
    if (!json_is_array(v)) return fail(err, f, NULL, "invalid_type", _("Trường này phải là một mảng."));
    size_t n = json_array_size(v);
    if (f->max_len && n > (size_t)f->max_len) return fail(err, f, NULL, "too_long", _("Mảng có quá nhiều phần tử."));
    size_t size = f->type == JS_STRINGS ? sizeof(const char *) : f->ref->size;
    char *items = calloc(n + 1, size);
    if (!items) return fail(err, f, NULL, "oom", _("Máy chủ hết bộ nhớ."));
    AT(out, f->offset, void *) = items;
    for (size_t i = 0; i < n; i++) {
        const json_t *item = json_array_get(v, i);
        if (f->type == JS_STRINGS) {
            if (!json_is_string(item) || strlen(json_string_value(item)) != json_string_length(item)) {
                fail(err, NULL, "", "invalid_type", _("Phần tử phải là chuỗi."));
                return nest(err, f->name, (int)i);
            }
            ((const char **)(void *)items)[i] = json_string_value(item);
        } else if (!js_parse(f->ref, item, items + i * size, err)) {
            AT(out, f->count_at, int) = (int)i + 1;      /* js_free releases what the item holds */
            return nest(err, f->name, (int)i);
        }
        AT(out, f->count_at, int) = (int)i + 1;
    }
    return true;
}

static bool parse_field(const js_field *f, const json_t *v, void *out, js_error *err)
{
    if (json_is_null(v) && (f->flags & JF_NULLABLE)) return true;
    bool ok;
    switch (f->type) {
    case JS_STRING: case JS_DATE: ok = parse_string(f, v, out, err); break;
    case JS_INT: case JS_INT64: ok = parse_integer(f, v, out, err); break;
    case JS_BOOL:
        if (!json_is_boolean(v)) return fail(err, f, NULL, "invalid_type", _("Trường này phải là true hoặc false."));
        AT(out, f->offset, bool) = json_is_true(v);
        ok = true;
        break;
    case JS_NUMBER:
        if (!json_is_number(v)) return fail(err, f, NULL, "invalid_type", _("Trường này phải là số."));
        AT(out, f->offset, double) = json_number_value(v);
        ok = true;
        break;
    case JS_OBJECT:
        if (!js_parse(f->ref, v, (char *)out + f->offset, err)) return nest(err, f->name, -1);
        ok = true;
        break;
    case JS_OBJECT_PTR: {
        void *o = calloc(1, f->ref->size);
        if (!o) return fail(err, f, NULL, "oom", _("Máy chủ hết bộ nhớ."));
        AT(out, f->offset, void *) = o;
        if (!js_parse(f->ref, v, o, err)) return nest(err, f->name, -1);
        ok = true;
        break;
    }
    case JS_ARRAY: case JS_STRINGS: ok = parse_array(f, v, out, err); break;
    default:
        return fail(err, f, NULL, "invalid_type", _("Kiểu trường không được hỗ trợ trong yêu cầu."));
    }
    if (ok && (f->flags & JF_HAS)) AT(out, f->has_at, bool) = true;
    return ok;
}

void js_free(const js_schema *s, void *obj)
{
    for (size_t i = 0; i < s->nfields; i++) {
        const js_field *f = &s->fields[i];
        if (f->type == JS_OBJECT) js_free(f->ref, (char *)obj + f->offset);
        if (f->type == JS_OBJECT_PTR && AT(obj, f->offset, void *)) {
            js_free(f->ref, AT(obj, f->offset, void *));
            free(AT(obj, f->offset, void *));
        }
        if (f->type == JS_ARRAY) {
            char *items = AT(obj, f->offset, char *);
            for (int k = 0; items && k < AT(obj, f->count_at, int); k++) js_free(f->ref, items + (size_t)k * f->ref->size);
            free(items);
        }
        if (f->type == JS_STRINGS) free(AT(obj, f->offset, void *));
        if (f->type == JS_ARRAY || f->type == JS_STRINGS || f->type == JS_OBJECT_PTR) {
            AT(obj, f->offset, void *) = NULL;
            if (f->type != JS_OBJECT_PTR) AT(obj, f->count_at, int) = 0;
        }
    }
}

bool js_parse(const js_schema *s, const json_t *in, void *out, js_error *err)
{
    if (!json_is_object(in)) return fail(err, NULL, "", "bad_json", _("Nội dung phải là một đối tượng JSON."));
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)in, key, v) {
        if (!find_field(s, key)) return fail(err, NULL, key, "unknown_field", _("Trường này không có trong yêu cầu."));
    }
    for (size_t i = 0; i < s->nfields; i++) {
        const js_field *f = &s->fields[i];
        const json_t *fv = json_object_get(in, f->name);
        if (!fv) {
            if (!(f->flags & (JF_OPTIONAL | JF_READONLY))) return fail(err, f, NULL, "required", _("Thiếu trường bắt buộc."));
            continue;
        }
        if (!parse_field(f, fv, out, err)) return false;
    }
    return true;
}

/* ---- schema and example ---------------------------------------------------------- */

static json_t *ref_to(const js_schema *s)
{
    char path[128];
    snprintf(path, sizeof path, "#/components/schemas/%s", s->name);
    return json_pack("{s:s}", "$ref", path);
}

static const char *type_name(js_type t)
{
    switch (t) {
    case JS_STRING: case JS_DATE: return "string";
    case JS_INT: case JS_INT64: return "integer";
    case JS_BOOL: return "boolean";
    case JS_NUMBER: return "number";
    case JS_ARRAY: return "array";
    default: return "object";
    }
}

static json_t *scalar_schema(const js_field *f)
{
    json_t *o = json_object();
    if (f->flags & JF_NULLABLE) json_object_set_new(o, "type", json_pack("[s, s]", type_name(f->type), "null"));
    else json_object_set_new(o, "type", json_string(type_name(f->type)));
    if (f->type == JS_DATE) json_object_set_new(o, "format", json_string("date"));
    if (f->type == JS_INT64) json_object_set_new(o, "format", json_string("int64"));
    if (f->type == JS_INT) json_object_set_new(o, "format", json_string("int32"));
    if (f->max_len) json_object_set_new(o, "maxLength", json_integer(f->max_len));
    if (f->ranged) {
        json_object_set_new(o, "minimum", json_integer(f->min));
        json_object_set_new(o, "maximum", json_integer(f->max));
    }
    if (f->enums) {
        json_t *e = json_array();
        for (const char *const *v = f->enums; *v; v++) json_array_append_new(e, json_string(*v));
        if (f->flags & JF_NULLABLE) json_array_append_new(e, json_null());
        json_object_set_new(o, "enum", e);
    }
    return o;
}

static json_t *field_schema(const js_field *f)
{
    json_t *o;
    switch (f->type) {
    case JS_OBJECT: o = ref_to(f->ref); break;
    case JS_OBJECT_PTR:
        o = (f->flags & JF_NULLABLE) ? json_pack("{s:[o, {s:s}]}", "oneOf", ref_to(f->ref), "type", "null") : ref_to(f->ref);
        break;
    case JS_ARRAY: o = json_pack("{s:s, s:o}", "type", "array", "items", ref_to(f->ref)); break;
    case JS_STRINGS: o = json_pack("{s:s, s:{s:s}}", "type", "array", "items", "type", "string"); break;
    case JS_ANY: o = json_pack("{s:s}", "type", "object"); break;
    default: o = scalar_schema(f); break;
    }
    if ((f->type == JS_ARRAY || f->type == JS_STRINGS) && f->max_len) json_object_set_new(o, "maxItems", json_integer(f->max_len));
    if (f->description) json_object_set_new(o, "description", json_string(f->description));
    if (f->flags & JF_READONLY) json_object_set_new(o, "readOnly", json_true());
    return o;
}

static void add_properties(const js_schema *s, json_t *props, json_t *required)
{
    for (size_t i = 0; i < s->nfields; i++) {
        const js_field *f = &s->fields[i];
        if (f->flags & JF_INLINE) { add_properties(f->ref, props, required); continue; }
        json_object_set_new(props, f->name, field_schema(f));
        if (!(f->flags & JF_OPTIONAL)) json_array_append_new(required, json_string(f->name));
    }
}

json_t *js_schema_json(const js_schema *s)
{
    json_t *props = json_object(), *required = json_array();
    add_properties(s, props, required);
    json_t *o = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props, "additionalProperties", 0);
    if (json_array_size(required)) json_object_set_new(o, "required", required);
    else json_decref(required);
    if (s->description) json_object_set_new(o, "description", json_string(s->description));
    return o;
}

static json_t *field_example(const js_field *f)
{
    switch (f->type) {
    case JS_OBJECT: case JS_OBJECT_PTR: return js_example(f->ref);
    case JS_ARRAY: return json_pack("[o]", js_example(f->ref));
    case JS_STRINGS:
        if (f->example) {
            json_t *v = json_loads(f->example, 0, NULL);
            if (v) return v;
        }
        return json_pack("[s]", "…");
    case JS_ANY: return json_object();
    default: break;
    }
    if (f->example) {
        json_error_t e;
        json_t *v = json_loads(f->example, JSON_DECODE_ANY, &e);
        if (v) return v;
    }
    if (f->enums) return json_string(f->enums[0]);
    switch (f->type) {
    case JS_DATE: return json_string("2022-03-31");
    case JS_INT: case JS_INT64: return json_integer(f->ranged ? f->min : 1);
    case JS_BOOL: return json_false();
    case JS_NUMBER: return json_real(0);
    default: return json_string("");
    }
}

static json_t *example_of(const js_schema *s, bool request);

static json_t *field_example_for(const js_field *f, bool request)
{
    switch (f->type) {
    case JS_OBJECT: case JS_OBJECT_PTR: return example_of(f->ref, request);
    case JS_ARRAY: return json_pack("[o]", example_of(f->ref, request));
    default: return field_example(f);
    }
}

static void add_examples(const js_schema *s, json_t *o, bool request)
{
    for (size_t i = 0; i < s->nfields; i++) {
        const js_field *f = &s->fields[i];
        if (request && (f->flags & JF_READONLY)) continue;
        if (f->flags & JF_INLINE) add_examples(f->ref, o, request);
        else json_object_set_new(o, f->name, field_example_for(f, request));
    }
}

static json_t *example_of(const js_schema *s, bool request)
{
    json_t *o = json_object();
    add_examples(s, o, request);
    return o;
}

json_t *js_example(const js_schema *s) { return example_of(s, false); }
json_t *js_request_example(const js_schema *s) { return example_of(s, true); }

size_t js_collect(const js_schema *s, const js_schema **seen, size_t n, size_t max)
{
    for (size_t i = 0; i < n; i++)
        if (seen[i] == s) return n;
    if (n >= max) return n;
    seen[n++] = s;
    for (size_t i = 0; i < s->nfields; i++)
        if (s->fields[i].ref) n = js_collect(s->fields[i].ref, seen, n, max);
    return n;
}

/* The declarative JSON specs (core/jspec.h): writing, parsing with the
 * field named on every refusal, the emitted schema; and the enum lists and
 * error registry the API document is built from. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "core/indicators.h"
#include "core/model.h"
#include "core/task_rules.h"
#include "web/api/api_errors.h"
#include "core/jspec.h"
#include "web/api/schemas.h"

typedef struct { int64_t id; const char *name; } inner;
static const js_field INNER_FIELDS[] = {
    {.name = "id", .type = JS_INT64, .offset = offsetof(inner, id)},
    {.name = "name", .type = JS_STRING, .offset = offsetof(inner, name)},
};
static JS_SCHEMA(INNER, "Inner", inner, "an inner object", INNER_FIELDS);

typedef struct {
    const char *title, *maybe, *gone, *state, *day;
    int percent, count;
    bool flag, has_value;
    double value;
    inner lead;
    const inner *items;
    char code[8];
} outer;
static const char *const STATES[] = {"open", "closed", NULL};
static const js_field OUTER_FIELDS[] = {
    {.name = "title", .type = JS_STRING, .offset = offsetof(outer, title), .max_len = 10},
    {.name = "maybe", .type = JS_STRING, .offset = offsetof(outer, maybe), .flags = JF_NULLABLE},
    {.name = "gone", .type = JS_STRING, .offset = offsetof(outer, gone), .flags = JF_OPTIONAL},
    {.name = "state", .type = JS_STRING, .offset = offsetof(outer, state), .flags = JF_OPTIONAL, .enums = STATES},
    {.name = "day", .type = JS_DATE, .offset = offsetof(outer, day), .flags = JF_OPTIONAL},
    {.name = "percent", .type = JS_INT, .offset = offsetof(outer, percent), .flags = JF_OPTIONAL, .ranged = true, .min = 0, .max = 100},
    {.name = "flag", .type = JS_BOOL, .offset = offsetof(outer, flag), .flags = JF_OPTIONAL},
    {.name = "value", .type = JS_NUMBER, .offset = offsetof(outer, value), .flags = JF_NULLABLE | JF_HAS | JF_OPTIONAL,
     .has_at = offsetof(outer, has_value)},
    {.name = "lead", .type = JS_OBJECT, .offset = offsetof(outer, lead), .flags = JF_OPTIONAL, .ref = &INNER},
    {.name = "items", .type = JS_ARRAY, .offset = offsetof(outer, items), .flags = JF_OPTIONAL, .ref = &INNER,
     .count_at = offsetof(outer, count)},
    {.name = "code", .type = JS_STRING, .offset = offsetof(outer, code), .flags = JF_CHARS | JF_OPTIONAL},
};
static JS_SCHEMA(OUTER, "Outer", outer, NULL, OUTER_FIELDS);

static char *write_outer(const outer *o)
{
    buf b = {0};
    js_write(&b, &OUTER, o);
    char *s = strdup(b.data);
    buf_free(&b);
    return s;
}

static void test_write(void **s)
{
    (void)s;
    inner items[2] = {{1, "a\"b"}, {2, "<c>"}};
    outer o = {.title = "Tiêu đề", .maybe = NULL, .percent = 40, .flag = true, .has_value = true, .value = 97.5,
               .lead = {7, "VP"}, .items = items, .count = 2, .code = "X1"};
    char *out = write_outer(&o);
    assert_string_equal(out, "{\"title\":\"Tiêu đề\",\"maybe\":null,\"percent\":40,\"flag\":true,\"value\":97.5,"
                             "\"lead\":{\"id\":7,\"name\":\"VP\"},\"items\":[{\"id\":1,\"name\":\"a\\\"b\"},"
                             "{\"id\":2,\"name\":\"\\u003cc\\u003e\"}],\"code\":\"X1\"}");
    free(out);
    /* Optional fields at their zero value are left out; a nullable one without its presence flag is null. */
    outer empty = {.title = "", .day = ""};
    out = write_outer(&empty);
    assert_string_equal(out, "{\"title\":\"\",\"maybe\":null,\"lead\":{\"id\":0,\"name\":null}}");
    free(out);
}

static json_t *load(const char *text)
{
    json_t *j = json_loads(text, JSON_ALLOW_NUL, NULL);
    assert_non_null(j);
    return j;
}

/* Parses text with OUTER (the last document is never freed: a test); returns the refusal's field ("" when accepted) and code. */
static const char *parse_outer(const char *text, outer *o, const char **code)
{
    static js_error err;
    static json_t *j;             /* o's strings point into it: kept until the next call */
    json_decref(j);
    j = load(text);
    memset(o, 0, sizeof *o);
    bool ok = js_parse(&OUTER, j, o, &err);
    *code = ok ? "" : err.code;
    return ok ? "" : err.field;
}

static void test_parse(void **s)
{
    (void)s;
    outer o;
    const char *code;
    assert_string_equal(parse_outer("{\"title\":\"ok\",\"maybe\":null,\"percent\":100,\"flag\":true,\"day\":\"2024-02-29\",\"value\":3}",
                                    &o, &code), "");
    assert_int_equal(o.percent, 100);
    assert_true(o.flag);
    assert_true(o.has_value);
    assert_null(o.maybe);
    assert_string_equal(o.day, "2024-02-29");
    struct { const char *body, *field, *code; } bad[] = {
        {"{\"maybe\":null}", "title", "required"},
        {"{\"title\":\"x\",\"maybe\":null,\"percnt\":3}", "percnt", "unknown_field"},
        {"{\"title\":5,\"maybe\":null}", "title", "invalid_type"},
        {"{\"title\":\"12345678901\",\"maybe\":null}", "title", "too_long"},
        {"{\"title\":\"x\",\"maybe\":null,\"percent\":101}", "percent", "out_of_range"},
        {"{\"title\":\"x\",\"maybe\":null,\"percent\":-1}", "percent", "out_of_range"},
        {"{\"title\":\"x\",\"maybe\":null,\"percent\":4.5}", "percent", "invalid_type"},
        {"{\"title\":\"x\",\"maybe\":null,\"state\":\"ajar\"}", "state", "invalid_value"},
        {"{\"title\":\"x\",\"maybe\":null,\"day\":\"2023-02-29\"}", "day", "invalid_date"},
        {"{\"title\":\"x\",\"maybe\":null,\"flag\":1}", "flag", "invalid_type"},
        {"{\"title\":\"a\\u0000b\",\"maybe\":null}", "title", "invalid_text"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *field = parse_outer(bad[i].body, &o, &code);
        if (strcmp(field, bad[i].field) || strcmp(code, bad[i].code))
            fail_msg("%s: refused at \"%s\" (%s), expected \"%s\" (%s)", bad[i].body, field, code, bad[i].field, bad[i].code);
        assert_true(api_error_known(code));
    }
}

static void test_schema(void **s)
{
    (void)s;
    json_t *sc = js_schema_json(&OUTER);
    json_t *props = json_object_get(sc, "properties");
    assert_true(json_is_false(json_object_get(sc, "additionalProperties")));
    json_t *req = json_object_get(sc, "required");
    assert_int_equal(json_array_size(req), 2);          /* title and maybe: the fields without JF_OPTIONAL */
    assert_string_equal(json_string_value(json_array_get(req, 0)), "title");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(props, "title"), "maxLength")), 10);
    json_t *maybe_type = json_object_get(json_object_get(props, "maybe"), "type");
    assert_true(json_is_array(maybe_type));
    assert_string_equal(json_string_value(json_array_get(maybe_type, 1)), "null");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(props, "percent"), "maximum")), 100);
    assert_string_equal(json_string_value(json_object_get(json_object_get(props, "day"), "format")), "date");
    assert_string_equal(json_string_value(json_object_get(json_object_get(props, "lead"), "$ref")), "#/components/schemas/Inner");
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(props, "items"), "items"), "$ref")),
                        "#/components/schemas/Inner");
    assert_int_equal(json_array_size(json_object_get(json_object_get(props, "state"), "enum")), 2);
    json_decref(sc);
    const js_schema *seen[8];
    assert_int_equal(js_collect(&OUTER, seen, 0, 8), 2);
    /* The example has every field, nested ones built from their schemas. */
    json_t *ex = js_example(&OUTER);
    assert_int_equal(json_object_size(ex), OUTER.nfields);
    assert_int_equal(json_array_size(json_object_get(ex, "items")), 1);
    json_decref(ex);
}

/* The enum lists of the document are the domain's ids, in order and complete. */
static void test_enum_lists_match_the_domain(void **s)
{
    (void)s;
    int i;
    for (i = 0; i < ST__COUNT; i++) assert_string_equal(TASK_STATUS_IDS[i], status_id((task_status)i));
    assert_null(TASK_STATUS_IDS[i]);
    for (i = 0; i <= DUE_NEEDS_DATE; i++) assert_string_equal(DUE_STATE_IDS[i], due_state_id((due_state)i));
    assert_null(DUE_STATE_IDS[i]);
    for (i = 0; i < PERIOD__COUNT; i++) assert_string_equal(PERIOD_KIND_IDS[i], period_id((period_kind)i));
    assert_null(PERIOD_KIND_IDS[i]);
    for (i = 0; i < ROLE_LAST; i++) assert_string_equal(ROLE_IDS[i], role_id((role)(i + 1)));
    assert_null(ROLE_IDS[i]);
    for (i = 0; i <= TGT_QUALITATIVE; i++) assert_string_equal(VERDICT_IDS[i], target_verdict_id((target_verdict)i));
    assert_null(VERDICT_IDS[i]);
}

static void test_error_registry(void **s)
{
    (void)s;
    for (size_t i = 1; i < API_ERRORS_COUNT; i++)
        if (strcmp(API_ERRORS[i - 1].code, API_ERRORS[i].code) >= 0)
            fail_msg("api_errors.c: %s before %s (keep it sorted, each code once)", API_ERRORS[i - 1].code, API_ERRORS[i].code);
    assert_true(api_error_known("not_found"));
    assert_false(api_error_known("no_such_code"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_schema),
        cmocka_unit_test(test_enum_lists_match_the_domain),
        cmocka_unit_test(test_error_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

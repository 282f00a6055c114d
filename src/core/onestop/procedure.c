/* The procedure object and its checks (procedure.h). */
#include "core/onestop/procedure.h"
#include "core/i18n.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *const PROC_DURATION_UNITS[] = {"working_days", "working_hours", "days", "months", "same_day", NULL};
const char *const PROC_BUDGET_UNITS[] = {"working_days", "working_hours", NULL};
const char *const PROC_ONLINE_LEVELS[] = {"none", "partial", "full", NULL};
const char *const PROC_STEP_ROLES[] = {"onestop", "specialist", "head", "leader", NULL};
static const char *const LEVELS[] = {"provincial", "district", "commune", "central", "multiple", NULL};
static const char *const RESULT_TYPES[] = {"paper", "electronic", "both", NULL};
static const char *const COPY_KINDS[] = {"original", "certified_copy", "copy", "original_or_certified_copy",
                                         "certified_copy_or_original_to_compare", NULL};

static const js_field DURATION_FIELDS[] = {
    {.name = "value", .type = JS_INT, .offset = offsetof(proc_duration, value), .ranged = true, .min = 0, .max = 1000, .example = "5"},
    {.name = "unit", .type = JS_STRING, .offset = offsetof(proc_duration, unit), .enums = PROC_DURATION_UNITS},
};
static JS_SCHEMA(DURATION_SCHEMA, "Duration", proc_duration, "A statutory duration", DURATION_FIELDS);
static const js_field BUDGET_FIELDS[] = {
    {.name = "value", .type = JS_INT, .offset = offsetof(proc_duration, value), .ranged = true, .min = 1, .max = 1000, .example = "4"},
    {.name = "unit", .type = JS_STRING, .offset = offsetof(proc_duration, unit), .enums = PROC_BUDGET_UNITS},
};
static JS_SCHEMA(BUDGET_SCHEMA, "StepBudget", proc_duration, "A step's time budget", BUDGET_FIELDS);

static const js_field COMPONENT_FIELDS[] = {
    {.name = "id", .type = JS_INT, .offset = offsetof(proc_component, id), .flags = JF_READONLY, .ranged = true, .min = 1,
     .max = PROC_MAX_COMPONENTS, .description = "Its position, 1-based: a dossier names its components by it"},
    {.name = "name", .type = JS_STRING, .offset = offsetof(proc_component, name), .max_len = 1000,
     .example = "\"Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc\""},
    {.name = "copy_kind", .type = JS_STRING, .offset = offsetof(proc_component, copy_kind), .enums = COPY_KINDS},
    {.name = "quantity", .type = JS_INT, .offset = offsetof(proc_component, quantity), .ranged = true, .min = 1, .max = 100, .example = "1"},
    {.name = "template", .type = JS_STRING, .offset = offsetof(proc_component, template_name), .flags = JF_NULLABLE, .max_len = 500},
    {.name = "template_url", .type = JS_STRING, .offset = offsetof(proc_component, template_url), .flags = JF_NULLABLE | JF_READONLY,
     .max_len = 500, .description = "Where to download the form template; null when the catalogue has no file for it"},
    {.name = "must_digitise", .type = JS_BOOL, .offset = offsetof(proc_component, must_digitise), .flags = JF_OPTIONAL},
    {.name = "reusable", .type = JS_BOOL, .offset = offsetof(proc_component, reusable), .flags = JF_OPTIONAL,
     .description = "It may be taken from an earlier result instead of being submitted again"},
};
static JS_SCHEMA(COMPONENT_SCHEMA, "ProcedureComponent", proc_component, "A dossier component (thành phần hồ sơ)", COMPONENT_FIELDS);

static const js_field FEE_FIELDS[] = {
    {.name = "name", .type = JS_STRING, .offset = offsetof(proc_fee, name), .max_len = 500, .example = "\"Lệ phí\""},
    {.name = "amount_vnd", .type = JS_INT64, .offset = offsetof(proc_fee, amount_vnd), .ranged = true, .min = 0, .max = 1000000000000LL,
     .example = "0"},
};
static JS_SCHEMA(FEE_SCHEMA, "ProcedureFee", proc_fee, "A fee in VND", FEE_FIELDS);

static const js_field STEP_FIELDS[] = {
    {.name = "order", .type = JS_INT, .offset = offsetof(proc_step, order), .ranged = true, .min = 1, .max = PROC_MAX_STEPS, .example = "1"},
    {.name = "role", .type = JS_STRING, .offset = offsetof(proc_step, role), .enums = PROC_STEP_ROLES},
    {.name = "unit", .type = JS_STRING, .offset = offsetof(proc_step, unit), .max_len = 64, .example = "\"VP\"",
     .description = "The code of the unit that holds the dossier in this step"},
    {.name = "budget", .type = JS_OBJECT, .offset = offsetof(proc_step, budget), .ref = &BUDGET_SCHEMA},
    {.name = "action", .type = JS_STRING, .offset = offsetof(proc_step, action), .flags = JF_OPTIONAL, .max_len = 500,
     .example = "\"Tiếp nhận, kiểm tra, chuyển hồ sơ\""},
};
static JS_SCHEMA(STEP_SCHEMA, "ProcedureStep", proc_step, "A step of the internal process (quy trình nội bộ)", STEP_FIELDS);

static const js_field PUBLICATION_FIELDS[] = {
    {.name = "decision", .type = JS_STRING, .offset = offsetof(proc_publication, decision), .max_len = 300,
     .example = "\"Quyết định số 1234/QĐ-UBND\""},
    {.name = "date", .type = JS_DATE, .offset = offsetof(proc_publication, date), .flags = JF_NULLABLE},
};
static JS_SCHEMA(PUBLICATION_SCHEMA, "ProcedurePublication", proc_publication, "The decision that published the procedure",
                 PUBLICATION_FIELDS);

static const js_field PROCEDURE_FIELDS[] = {
    {.name = "code", .type = JS_STRING, .offset = offsetof(procedure, code), .max_len = 32, .example = "\"1.005129\"",
     .description = "The national TTHC code"},
    {.name = "version", .type = JS_INT, .offset = offsetof(procedure, version), .flags = JF_OPTIONAL | JF_READONLY, .ranged = true, .min = 1,
     .max = 1000000, .description = "Set by the catalogue: each edit is a new version"},
    {.name = "name", .type = JS_STRING, .offset = offsetof(procedure, name), .max_len = 1000,
     .example = "\"Cấp bản sao văn bằng, chứng chỉ từ sổ gốc\""},
    {.name = "field", .type = JS_STRING, .offset = offsetof(procedure, field), .max_len = 300, .example = "\"Văn bằng, chứng chỉ\""},
    {.name = "agency", .type = JS_STRING, .offset = offsetof(procedure, agency), .max_len = 300, .example = "\"Sở Giáo dục và Đào tạo\""},
    {.name = "level", .type = JS_STRING, .offset = offsetof(procedure, level), .enums = LEVELS},
    {.name = "legal_basis", .type = JS_STRINGS, .offset = offsetof(procedure, legal_basis), .count_at = offsetof(procedure, nlegal),
     .max_len = 50, .example = "[\"Thông tư số 21/2019/TT-BGDĐT\"]"},
    {.name = "duration", .type = JS_OBJECT, .offset = offsetof(procedure, duration), .ref = &DURATION_SCHEMA},
    {.name = "duration_note", .type = JS_STRING, .offset = offsetof(procedure, duration_note), .flags = JF_OPTIONAL, .max_len = 2000},
    {.name = "components", .type = JS_ARRAY, .offset = offsetof(procedure, components), .ref = &COMPONENT_SCHEMA,
     .count_at = offsetof(procedure, ncomponents), .max_len = PROC_MAX_COMPONENTS},
    {.name = "fees", .type = JS_ARRAY, .offset = offsetof(procedure, fees), .ref = &FEE_SCHEMA, .count_at = offsetof(procedure, nfees),
     .max_len = 20},
    {.name = "result", .type = JS_STRING, .offset = offsetof(procedure, result), .flags = JF_OPTIONAL, .max_len = 1000},
    {.name = "result_type", .type = JS_STRING, .offset = offsetof(procedure, result_type), .enums = RESULT_TYPES},
    {.name = "online_level", .type = JS_STRING, .offset = offsetof(procedure, online_level), .enums = PROC_ONLINE_LEVELS},
    {.name = "proactive_level", .type = JS_INT, .offset = offsetof(procedure, proactive_level), .flags = JF_OPTIONAL, .ranged = true,
     .min = 0, .max = 4},
    {.name = "conditions", .type = JS_STRING, .offset = offsetof(procedure, conditions), .flags = JF_OPTIONAL, .max_len = 5000},
    {.name = "published", .type = JS_OBJECT_PTR, .offset = offsetof(procedure, published), .flags = JF_NULLABLE | JF_OPTIONAL,
     .ref = &PUBLICATION_SCHEMA},
    {.name = "steps", .type = JS_ARRAY, .offset = offsetof(procedure, steps), .ref = &STEP_SCHEMA, .count_at = offsetof(procedure, nsteps),
     .max_len = PROC_MAX_STEPS},
    {.name = "sources", .type = JS_STRINGS, .offset = offsetof(procedure, sources), .count_at = offsetof(procedure, nsources),
     .flags = JF_OPTIONAL, .max_len = 20},
    {.name = "sample", .type = JS_STRINGS, .offset = offsetof(procedure, sample), .count_at = offsetof(procedure, nsample),
     .flags = JF_OPTIONAL, .max_len = 30, .description = "The fields that are sample data, not confirmed in a published source"},
};
JS_SCHEMA(PROCEDURE_SCHEMA, "Procedure", procedure, "An administrative procedure (TTHC) of the catalogue", PROCEDURE_FIELDS);

int procedure_budget_hours(const proc_duration *d)
{
    if (!d->unit) return 0;
    return !strcmp(d->unit, "working_days") ? d->value * PROC_HOURS_PER_DAY : !strcmp(d->unit, "working_hours") ? d->value : 0;
}

dl_duration procedure_dl_duration(const proc_duration *d, dl_start_mode *mode)
{
    *mode = DL_START_NEXT_DAY;
    const char *u = d->unit ? d->unit : "";
    if (!strcmp(u, "working_hours")) return (dl_duration){DL_UNIT_WORKING_HOURS, d->value};
    if (!strcmp(u, "days")) return (dl_duration){DL_UNIT_CALENDAR_DAYS, d->value};
    if (!strcmp(u, "months")) return (dl_duration){DL_UNIT_MONTHS, d->value};
    if (!strcmp(u, "same_day")) {
        *mode = DL_START_SAME_DAY;
        return (dl_duration){DL_UNIT_WORKING_DAYS, 1};
    }
    return (dl_duration){DL_UNIT_WORKING_DAYS, d->value};
}

static bool refuse(char *msg, size_t n, const char **field, const char *f, const char *text)
{
    snprintf(msg, n, "%s", text);
    *field = f;
    return false;
}

static bool code_ok(const char *c)
{
    if (!c || !isdigit((unsigned char)c[0]) || c[1] != '.') return false;
    size_t digits = 0;
    for (const char *p = c + 2; *p; p++, digits++)
        if (!isdigit((unsigned char)*p)) return false;
    return digits >= 3 && digits <= 9;
}

/* The hours the steps may take at most and at least, for the duration. */
static void budget_bounds(const proc_duration *d, int *lo, int *hi)
{
    const char *u = d->unit;
    if (!strcmp(u, "working_days") || !strcmp(u, "working_hours")) *lo = *hi = procedure_budget_hours(d);
    else if (!strcmp(u, "same_day")) { *lo = 1; *hi = PROC_HOURS_PER_DAY; }
    else if (!strcmp(u, "days")) { *lo = 1; *hi = d->value * PROC_HOURS_PER_DAY; }
    else { *lo = 1; *hi = d->value * 22 * PROC_HOURS_PER_DAY; }
}

bool procedure_check(const procedure *p, char *msg, size_t n, const char **field)
{
    if (!code_ok(p->code)) return refuse(msg, n, field, "code", _("Mã thủ tục phải có dạng 1.005129."));
    for (int i = 0; i < p->ncomponents; i++)
        if (p->components[i].id && p->components[i].id != i + 1)
            return refuse(msg, n, field, "components", _("Số thứ tự thành phần hồ sơ phải là 1, 2, 3… theo thứ tự."));
    if (p->nsteps == 0) return refuse(msg, n, field, "steps", _("Quy trình phải có ít nhất một bước."));
    int hours = 0;
    for (int i = 0; i < p->nsteps; i++) {
        if (p->steps[i].order != i + 1) return refuse(msg, n, field, "steps", _("Các bước phải đánh số 1, 2, 3… theo thứ tự."));
        hours += procedure_budget_hours(&p->steps[i].budget);
    }
    int lo, hi;
    budget_bounds(&p->duration, &lo, &hi);
    if (hours < lo || hours > hi) {
        snprintf(msg, n, _("Tổng thời gian các bước (%d giờ làm việc) không khớp thời hạn giải quyết (%d–%d giờ làm việc)."),
                 hours, lo, hi);
        *field = "steps";
        return false;
    }
    return true;
}

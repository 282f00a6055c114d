/* The error-code registry (api_errors.h). Keep it sorted by code. */
#include "web/api/api_errors.h"
#include <string.h>

static const js_field ERROR_DETAIL_FIELDS[] = {
    {.name = "code", .type = JS_STRING, .offset = offsetof(api_error_detail, code), .example = "\"not_found\"", .description = "A stable code of the registry"},
    {.name = "message", .type = JS_STRING, .offset = offsetof(api_error_detail, message), .example = "\"Không tìm thấy nhiệm vụ.\"",
     .description = "For people, in Vietnamese"},
    {.name = "field", .type = JS_STRING, .offset = offsetof(api_error_detail, field), .flags = JF_OPTIONAL, .example = "\"percent\"",
     .description = "The parameter, field or header at fault"},
};
JS_SCHEMA(SCHEMA_ERROR_DETAIL, "ErrorDetail", api_error_detail, "What went wrong", ERROR_DETAIL_FIELDS);
static const js_field ERROR_FIELDS[] = {
    {.name = "error", .type = JS_OBJECT, .offset = offsetof(api_error_body, error), .ref = &SCHEMA_ERROR_DETAIL},
};
JS_SCHEMA(SCHEMA_ERROR, "Error", api_error_body, "An error; nothing was changed", ERROR_FIELDS);

const api_error_code API_ERRORS[] = {
    {"bad_credentials", "Wrong user name or password"},
    {"bad_json", "The body is not a JSON object"},
    {"bad_request", "The request could not be read (bad multipart or form encoding)"},
    {"computed_target", "The target is computed by the system from its own data; it cannot be typed in"},
    {"csrf_failed", "The CSRF token is missing or wrong, or the request came from another site"},
    {"db_error", "The database refused the change"},
    {"filename_too_long", "An uploaded file name is longer than 200 bytes"},
    {"forbidden", "The account's role or unit may not do this"},
    {"hash_failed", "The password could not be hashed"},
    {"internal", "An unexpected server error; nothing was changed"},
    {"invalid_date", "A date is not a valid date"},
    {"invalid_field", "A field has a wrong value"},
    {"invalid_kind", "An unknown kind"},
    {"invalid_parameter", "A path or query parameter is out of its type or range"},
    {"invalid_percent", "percent is not an integer from 0 to 100"},
    {"invalid_plan", "An unknown plan"},
    {"invalid_status", "An unknown task status"},
    {"invalid_text", "Text that is not valid UTF-8 or holds control characters"},
    {"invalid_transition", "The event is not allowed in the dossier's state (the message names the state)"},
    {"invalid_type", "A JSON field has the wrong type"},
    {"invalid_unit", "An unknown unit"},
    {"invalid_value", "A value outside the allowed list"},
    {"invalid_year", "A year outside the allowed range"},
    {"locked", "The record is locked (an approved report, a confirmed year)"},
    {"method_not_allowed", "The path exists but not with this method"},
    {"no_unit", "The account belongs to no unit"},
    {"not_expected", "The unit has no report due in this period"},
    {"not_found", "No such resource, or not visible to this account"},
    {"nothing_to_approve", "The unit has not submitted its report"},
    {"oom", "The server ran out of memory; nothing was changed"},
    {"out_of_range", "A number outside its allowed range"},
    {"payload_too_large", "The body is larger than the route allows"},
    {"period_exists", "The reporting period is already open"},
    {"required", "A required field is missing"},
    {"retry", "A concurrent change won; send the request again"},
    {"storage_failed", "An uploaded file could not be stored"},
    {"throttled", "Too many failed logins; wait for Retry-After seconds"},
    {"too_late", "Too late for this action (an apology: less than one working day before the due date)"},
    {"too_long", "A text is longer than its limit"},
    {"too_many_files", "More files than the form allows"},
    {"unauthenticated", "Log in first (session cookie or bearer token)"},
    {"unavailable", "The database is not reachable; try again in a few minutes"},
    {"unknown_field", "The JSON body has a field that the operation does not take"},
    {"unsupported_content_type", "The body's Content-Type is not one the operation takes"},
    {"unsupported_file_type", "An uploaded file is not of an accepted type"},
    {"uri_too_long", "The URL is too long"},
    {"year_outside_plan", "The year is outside the plan's years"},
};
const size_t API_ERRORS_COUNT = sizeof API_ERRORS / sizeof API_ERRORS[0];

bool api_error_known(const char *code)
{
    for (size_t i = 0; i < API_ERRORS_COUNT; i++)
        if (!strcmp(API_ERRORS[i].code, code)) return true;
    return false;
}

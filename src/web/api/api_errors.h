#ifndef CCHC_API_ERRORS_H
#define CCHC_API_ERRORS_H
/* The registry of error codes: every "code" of an error response, HTML or
 * JSON, is listed here once. The OpenAPI document lists them as the enum of
 * Error.code; test builds abort on a code that is not registered. */
#include "core/jspec.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *code;
    const char *meaning;      /* one line, English, for the API document */
} api_error_code;

extern const api_error_code API_ERRORS[];
extern const size_t API_ERRORS_COUNT;

/* The body of every error response: {"error": {"code", "message", "field"}}. */
typedef struct { const char *code, *message, *field; } api_error_detail;
typedef struct { api_error_detail error; } api_error_body;
extern const js_schema SCHEMA_ERROR;
extern const js_schema SCHEMA_ERROR_DETAIL;   /* its "error"; code's enum is the registry (api/openapi.c) */

/* True when code is in the registry. */
bool api_error_known(const char *code);
#endif

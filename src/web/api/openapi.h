#ifndef CCHC_OPENAPI_H
#define CCHC_OPENAPI_H
/* The OpenAPI 3.1 document of the JSON API (served at /api/v1/openapi.json). */
#include <jansson.h>

struct config;
/* The document for cfg (its base URL and agency name). New reference. */
json_t *openapi_document(const struct config *cfg);
#endif

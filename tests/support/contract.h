#ifndef CCHC_TEST_CONTRACT_H
#define CCHC_TEST_CONTRACT_H
/* The API contract gate of the HTTP test client: every response that the
 * harness client receives on an API path is validated against the OpenAPI
 * document (tests/contract/validate.mjs, ajv) by operation and status. */
#include <stddef.h>

struct config;

/* Checks one response. NULL when it matches the document (or the path is not
 * an API path); else a static description of the mismatch, valid until the
 * next call. The first call writes the document for cfg and starts the
 * validator. Thread-safe. CCHC_TEST_CONTRACT=0 in the environment turns the
 * check off (for debugging a single test only). */
const char *contract_check(const struct config *cfg, const char *method, const char *path, long status,
                           const char *content_type, const char *body, size_t len);
/* Starts the validator for cfg's document without waiting for it, so that it
 * boots while the test sets up, and the first checked response does not wait
 * long (timing-sensitive tests). Idempotent. */
void contract_start(const struct config *cfg);
#endif

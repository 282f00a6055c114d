/* libFuzzer target for the CSV reader and the plan-import validation. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/plan_import.h"

static bool any_unit(const char *code, void *ctx) { (void)ctx; return code[0] != 'X'; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pi_options opt;
    memset(&opt, 0, sizeof opt);
    opt.unit_exists = any_unit;
    pi_result res;
    opt.default_year = 2022;
    plan_import_validate((const char *)data, size, &opt, &res);
    plan_import_free(&res);
    return 0;
}

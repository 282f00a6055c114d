/* libFuzzer target for the plan deadline-expression parser and diacritic folding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/deadline_expr.h"
#include "core/fold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    dlx_result r;
    dlx_parse(text, 2022, &r);
    if (r.n_milestones < 0 || r.n_milestones > 4) abort();
    char folded[512];
    fold_text(text, folded, sizeof folded);
    if (strlen(folded) >= sizeof folded) abort();
    free(text);
    return 0;
}

/* Fuzzes the parser of per-service workflow definitions (JSON from the database or an admin):
 * no crash, and a definition it accepts writes back to JSON that parses to the same definition,
 * whose every transition passes its own check. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/workflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static wf_def d, e;
    static char out[65536], out2[65536];
    char where[64];
    if (wf_parse((const char *)data, size, &d, where, sizeof where) != WF_OK) return 0;
    if (!wf_to_json(&d, out, sizeof out)) return 0;
    if (wf_parse(out, strlen(out), &e, where, sizeof where) != WF_OK) abort();
    if (!wf_to_json(&e, out2, sizeof out2) || strcmp(out, out2) != 0) abort();
    return 0;
}

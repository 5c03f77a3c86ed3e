/* json: a thin wrapper over jansson for untrusted input and capped output.
 *
 * jsonw_parse rejects duplicate keys, checks nesting depth before jansson sees the text, and
 * needs valid UTF-8 (jansson's own check). jsonw_dump_buf appends compact JSON to a capped buf. */
#ifndef LAYAN_JSON_H
#define LAYAN_JSON_H
#include <jansson.h>

#include "lib/str.h"

json_t *jsonw_parse(str in, size_t max_depth, char *err, size_t errlen);
int jsonw_dump_buf(json_t *v, buf *out); /* 0, or -1 when the cap is hit */

#endif

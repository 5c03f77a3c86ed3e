/* ops json: the small pieces the session JSON API's two files share (ops_api.c defines them,
 * ops_api_more.c uses them too): the error answer, times and tracking codes as the answers show
 * them, and reading a JSON body. Internal to requests/; see web_ops.h for the routes. */
#ifndef LAYAN_REQUESTS_OPS_JSON_H
#define LAYAN_REQUESTS_OPS_JSON_H
#include <stdbool.h>

#include "features/requests/requests.h"
#include "http/http.h"
#include "lib/json.h"

/* {"error": {"code", "message"}} with this status; what http_json returns */
int reqops_error(http_req *rq, int status, const char *code, const char *message);
/* a stored time as UTC ISO 8601 ("2026-11-23T10:44:18Z"), or null */
json_t *reqops_utc(const char *iso);
/* a tracking code as shown (XXXX-XXXX-XX) */
json_t *reqops_shown(const char code[TRK_LEN + 1]);
/* the JSON body: an object whose keys are all in `known` (NULL-terminated) and whose values are
 * strings, except `typed_key`, whose value must be of JSON type `type` (JSON_INTEGER,
 * JSON_OBJECT...). An empty body is {} when `optional`. NULL after the 400 answer (*st: what
 * answering returned). */
json_t *reqops_body(http_req *rq, const char *const *known, const char *typed_key, json_type type,
                    bool optional, int *st);
/* the non-empty string at `k` of the body, copied to the request's arena; NULL otherwise */
const char *reqops_str(http_req *rq, json_t *b, const char *k);

#endif

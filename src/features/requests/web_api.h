/* requests web api: the JSON API /api/v1/requests for integrations (ROLE_APIKEY) and the filing
 * step the Open311 requests share with it (features/open311/requests.c): one validation of a
 * machine submission against the service's definition (the attributes GET
 * /open311/v2/services/{code}.json publishes: nik, no_kk, delivery, the service's own fields,
 * doc_<type>), one req_create on the channel 'integration'. See docs/api.md. */
#ifndef LAYAN_REQUESTS_WEB_API_H
#define LAYAN_REQUESTS_WEB_API_H
#include <jansson.h>
#include <stdbool.h>

#include "features/requests/requests.h"
#include "http/http.h"

extern const http_param_spec reqapi_list_params[];
int reqapi_create(http_req *rq); /* POST /api/v1/requests (JSON body) */
int reqapi_list(http_req *rq);   /* GET /api/v1/requests: the key's unit and below */

/* a submission from a machine; strings NULL when absent */
typedef struct {
    bool open311;                         /* name fields as Open311 does in messages */
    const char *service_code, *unit_code; /* unit NULL: the first point in the key's scope */
    int64_t api_key_id, key_unit;         /* key_unit 0: the whole installation */
    const char *nik, *kk, *delivery, *name, *phone, *address;
    json_t *fields; /* code -> string, or array of strings (multivaluelist); borrowed */
    json_t *extra;  /* kept with the sealed form data as "_<key>"; borrowed, may be NULL */
    const char *idempotency_key;
} reqapi_sub;

typedef struct {
    int status;          /* 201 filed, 200 the idempotency key matched, else an error status */
    const char *code;    /* error: not_found | invalid | not_offered | unavailable */
    const char *message; /* error: a sentence naming the field, in the caller's language */
    req_created created;
    int tz_offset_min; /* the service point's */
} reqapi_res;
int reqapi_submit(http_req *rq, const reqapi_sub *s, reqapi_res *out);

/* "2026-03-04T16:00:00+07:00" for a stored UTC "YYYY-MM-DDTHH:MM:SSZ" (NULL for NULL) or an
 * instant (NULL for CAL_NEVER / negative) */
const char *reqapi_local_iso(arena *a, const char *utc_iso, int tz_offset_min);
const char *reqapi_local_instant(arena *a, int64_t t, int tz_offset_min);
/* ISO 8601 date-time with a zone (Z, +07:00, +0700; fractions ignored), or a date YYYY-MM-DD
 * taken at 00:00 in tz_offset_min; -1 when malformed */
int64_t reqapi_parse_time(str s, int tz_offset_min);

#endif

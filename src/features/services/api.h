/* services api: the machine interfaces of the service catalogue. The JSON API under /api/v1/
 * (services, their standards and versions, the OpenAPI document) and the per-node cache of
 * catalogue reads that the JSON API and Open311 (features/open311/) share.
 *
 * The cache keeps the serialized body of a 200 answer, keyed by language, path and query, for
 * SVC_API_TTL seconds, with a strong ETag (BLAKE2b of the body): a matching If-None-Match gets
 * 304. svc_api_invalidate() drops every entry of this node at once (a generation number in the
 * key); other nodes see a change within the TTL. See docs/api.md. */
#ifndef LAYAN_SERVICES_API_H
#define LAYAN_SERVICES_API_H
#include "http/http.h"

#define SVC_API_TTL 10

extern const http_param_spec svc_api_list_params[];
extern const http_param_spec svc_api_code_params[];
extern const http_param_spec svc_api_version_params[];
extern const http_param_spec svc_api_on_params[];

int svc_api_list(http_req *rq);         /* GET /api/v1/services */
int svc_api_get(http_req *rq);          /* GET /api/v1/services/{code} */
int svc_api_standards(http_req *rq);    /* GET /api/v1/services/{code}/standards */
int svc_api_standard_on(http_req *rq);  /* GET /api/v1/services/{code}/standard?on=YYYY-MM-DD */
int svc_api_standard_ver(http_req *rq); /* GET /api/v1/services/{code}/standards/{version} */
int svc_api_openapi(http_req *rq);      /* GET /api/v1/openapi.json */

/* runs build(rq) through the catalogue cache: a fresh entry answers at once (200, or 304 for a
 * matching If-None-Match); else build runs and a 200 it produces is stored and tagged */
int svc_api_cached(http_req *rq, int (*build)(http_req *rq));
/* a catalogue write on this node: every cached catalogue answer is dropped. Call it after the
 * transaction that changed services, standards, service points or fields has committed. */
void svc_api_invalidate(void);
/* the current generation: per-node caches of catalogue rows (requests/catalog.c) key on it */
unsigned svc_api_generation(void);

/* today's date (YYYY-MM-DD) in the pemda's time zone */
void svc_api_today(http_req *rq, char out[11]);

#endif

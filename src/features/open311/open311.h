/* open311: Open311 GeoReport v2 service discovery under /open311/v2/ (discovery, the service
 * list and each service's definition, in JSON and XML). A service's definition publishes its
 * application form: the fields every request has (NIK, KK number where a KK is required, how to
 * receive the result), the service's own fields, and one attribute per requirement document of
 * the standard in force. Requests (POST requests.json) come with the requests issue.
 *
 * jurisdiction_id is optional; when given it must be the region code of this installation
 * ("32.73"), else 400. Errors follow the spec: a list of {code, description} in the format asked
 * for, with the HTTP status. Answers go through the catalogue cache (services/api.h). */
#ifndef LAYAN_OPEN311_H
#define LAYAN_OPEN311_H
#include <jansson.h>

#include "http/http.h"
#include "lib/str.h"

#define OPEN311_SPEC "http://wiki.open311.org/GeoReport_v2"

extern const http_param_spec open311_params[];
extern const http_param_spec open311_service_params[];

int open311_discovery(http_req *rq);  /* GET /open311/v2/discovery.json|xml */
int open311_services(http_req *rq);   /* GET /open311/v2/services.json|xml */
int open311_definition(http_req *rq); /* GET /open311/v2/services/{service} (CODE.json|xml) */

/* requests.c: GeoReport v2 service requests (issue 6). POST requests.json|xml files a request
 * with an installation API key (form field api_key, or the X-API-Key / Bearer header) on the
 * channel 'integration'; GET requests.json|xml and requests/{id}.json|xml answer the public
 * status, without personal data. */
extern const http_param_spec open311_post_params[];
extern const http_param_spec open311_list_params[];
extern const http_param_spec open311_request_params[];
int open311_requests(http_req *rq); /* GET|POST /open311/v2/requests.json|xml */
int open311_request(http_req *rq);  /* GET /open311/v2/requests/{request} (CODE.json|xml) */

/* xml.c: writes v as XML under <root>. Objects become child elements in order; an array under
 * key K becomes <K> holding one element per item, named by item_name(K) ("services" ->
 * "service"); true/false, numbers as text; null an empty element. Text is escaped, and characters
 * XML 1.0 cannot carry are dropped. 0, or -1 when out grows past its cap. */
int open311_xml(const json_t *v, const char *root, buf *out);

/* respond.c: what every Open311 answer shares. The format comes from the path's ending. */
enum open311_fmt { O311_NONE, O311_JSON, O311_XML };
enum open311_fmt open311_fmt_of(str path);
/* writes v (stolen) in the format asked for; XML under <root> */
int open311_answer(http_req *rq, enum open311_fmt f, int status, json_t *v, const char *root);
/* the spec's error answer: [{"code": 404, "description": "..."}] */
int open311_error(http_req *rq, enum open311_fmt f, int status, const char *description);
/* 0 when jurisdiction_id is absent or names this installation, else the 400 answer is set */
int open311_check_jurisdiction(http_req *rq, enum open311_fmt f);

#endif

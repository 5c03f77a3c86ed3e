/* services web: the public pages of the catalogue (list with search and life-event filter,
 * one service's standard, its versions, the A4 poster) and the SIPP export. Handlers for the
 * route table in features/routes.c; the JSON API is in api.c, the admin pages in web_admin.h. */
#ifndef LAYAN_SERVICES_WEB_H
#define LAYAN_SERVICES_WEB_H
#include "http/http.h"

extern const http_param_spec svc_list_params[], svc_one_params[], svc_version_params[],
    svc_versions_params[], svc_export_params[];

int svc_page_list(http_req *rq);
int svc_page_one(http_req *rq);
int svc_page_versions(http_req *rq);
int svc_page_version(http_req *rq);
int svc_page_poster(http_req *rq);
int svc_export_sipp(http_req *rq);

/* points.c: where a service is offered and the local overrides (admin / unit heads) */
extern const http_param_spec svcadm_points_params[], svcadm_point_params[];
int svcadm_page_points(http_req *rq); /* GET|POST /admin/layanan/{code}/tempat */
int svcadm_page_point(http_req *rq);  /* GET|POST /admin/layanan/{code}/tempat/{unit} */

#endif

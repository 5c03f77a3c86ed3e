/* units web: the public pages and JSON API of the unit tree (home page, search, one service
 * point). Handlers for the route table in features/routes.c. */
#ifndef LAYAN_UNITS_WEB_H
#define LAYAN_UNITS_WEB_H
#include "http/http.h"

extern const http_param_spec units_search_params[];
extern const http_param_spec units_unit_params[];

int units_page_home(http_req *rq);
int units_page_search(http_req *rq);
int units_page_unit(http_req *rq);
int units_api_list(http_req *rq);
int units_api_get(http_req *rq);

/* admin.c: /admin/unit (list), /admin/unit/baru (create), /admin/unit/{code} (edit); routes
 * take ROLE_ADMIN | ROLE_KEPALA_UNIT, the handlers check the unit (403 for another) */
extern const http_param_spec units_admin_list_params[], units_admin_new_params[],
    units_admin_edit_params[];
int units_admin_list(http_req *rq);
int units_admin_new(http_req *rq);
int units_admin_edit(http_req *rq);

#endif

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

#endif

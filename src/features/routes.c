/* routes: the one table of every route, with the role each needs and its parameters.
 * A route not in this table does not exist; the authorization test walks this table. */
#include "features/app.h"
#include "features/units/web.h"

const struct http_route app_routes[] = {
    {HTTP_GET, "/", units_page_home, ROLE_PUBLIC, HTTP_PAGE, 0, NULL, "home", 10, 0},
    {HTTP_GET, "/cari", units_page_search, ROLE_PUBLIC, HTTP_PAGE, 0, units_search_params, "search",
     10, 0},
    {HTTP_GET, "/unit/{code}", units_page_unit, ROLE_PUBLIC, HTTP_PAGE, 0, units_unit_params,
     "unit", 10, 0},
    {HTTP_GET, "/api/v1/units", units_api_list, ROLE_PUBLIC, HTTP_API, 0, NULL, "api_units", 0, 0},
    {HTTP_GET, "/api/v1/units/{code}", units_api_get, ROLE_PUBLIC, HTTP_API, 0, units_unit_params,
     "api_unit", 0, 0},
};
const size_t app_nroutes = sizeof app_routes / sizeof app_routes[0];

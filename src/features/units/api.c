/* units api: GET /api/v1/units and /api/v1/units/{code} as JSON, through the catalogue's
 * per-node cache (services/api.h): unit edits call svc_api_invalidate(). */
#include "features/app.h"
#include "features/services/api.h"
#include "features/units/view.h"
#include "features/units/web.h"

static int list(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    unit *us;
    size_t n;
    int r = units_list(c, rq->a, &us, &n);
    if (r == DB_OK) r = units_facilities_load_all(c, rq->a, us, n);
    db_release(c);
    if (r != DB_OK) return 503;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, units_view_api(&us[i]));
    return http_json(rq, 200, json_pack("{s:o,s:i}", "units", arr, "count", (json_int_t)n));
}

static int one(http_req *rq)
{
    app *a = app_of(rq);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    unit u;
    int r = units_get(c, rq->a, http_param(rq, "code"), &u);
    if (r == DB_OK) r = units_facilities_load(c, rq->a, &u);
    db_release(c);
    if (r == DB_DONE) return 404;
    if (r != DB_OK) return 503;
    return http_json(rq, 200, units_view_api(&u));
}

int units_api_list(http_req *rq)
{
    return svc_api_cached(rq, list);
}

int units_api_get(http_req *rq)
{
    return svc_api_cached(rq, one);
}

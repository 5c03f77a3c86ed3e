/* services view: a service and its standard as template context for the public pages and the
 * poster. Only the 6 service-delivery components are public; the 8 manufacturing components
 * are internal (admin pages). */
#ifndef LAYAN_SERVICES_VIEW_H
#define LAYAN_SERVICES_VIEW_H
#include "features/services/services.h"
#include "http/http.h"

const char *svc_event_label(http_req *rq, const char *event); /* translated */
const char *svc_actor_label(http_req *rq, const char *actor); /* translated */
json_t *svc_view_service(http_req *rq, const service *s);
/* the public standard: version line, time limit, cost, requirements, steps, product, complaints */
json_t *svc_view_standard(http_req *rq, const service *s, const svc_standard *st);
json_t *svc_view_maklumat(http_req *rq, const svc_maklumat *m);
/* "Rp0" / "Rp15.000" with Indonesian thousands dots */
const char *svc_rupiah(arena *a, int64_t amount);

#endif

/* open311 respond: the answer format (.json or .xml), the spec's error shape and the
 * jurisdiction check, shared by discovery/services (api.c) and requests (requests.c). */
#include <string.h>

#include "features/app.h"
#include "features/open311/open311.h"

enum open311_fmt open311_fmt_of(str s)
{
    if (s.n > 5 && memcmp(s.p + s.n - 5, ".json", 5) == 0) return O311_JSON;
    if (s.n > 4 && memcmp(s.p + s.n - 4, ".xml", 4) == 0) return O311_XML;
    return O311_NONE;
}

int open311_answer(http_req *rq, enum open311_fmt f, int status, json_t *v, const char *root)
{
    if (f != O311_XML) return http_json(rq, status, v);
    buf_reset(&rq->out);
    int r = open311_xml(v, root, &rq->out);
    json_decref(v);
    if (r) {
        buf_reset(&rq->out);
        return 500;
    }
    rq->status = status;
    rq->ctype = "text/xml; charset=utf-8";
    return 0;
}

int open311_error(http_req *rq, enum open311_fmt f, int status, const char *description)
{
    json_t *e = json_pack("[{s:i,s:s}]", "code", status, "description", description);
    return open311_answer(rq, f, status, e, "errors");
}

int open311_check_jurisdiction(http_req *rq, enum open311_fmt f)
{
    const char *j = http_param_c(rq, "jurisdiction_id");
    const char *ours = app_of(rq)->region_code;
    if (!j || strcmp(j, ours) == 0) return 0;
    open311_error(rq, f, 400,
                  arena_printf(rq->a, "%s %s",
                               http_t(rq, "Unknown jurisdiction_id. This server answers for:"),
                               ours));
    return -1;
}

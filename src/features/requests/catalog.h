/* requests catalog: the catalogue rows a filing and a move read, cached per node (catalog.c).
 * req_point_calendar and req_workflow (requests.h) go through it too. */
#ifndef LAYAN_REQUESTS_CATALOG_H
#define LAYAN_REQUESTS_CATALOG_H
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "features/requests/requests.h"
#include "features/services/services.h"
#include "lib/memo.h"

/* how long another node's catalogue write may go unseen here */
#define REQ_CATALOG_TTL_MS 10000

typedef struct {
    bool found;  /* the point offers the service and it is on / a standard is in force */
    int version; /* the standard's version (req_standard_limit) */
    int value;   /* the time limit; 0 at a point = the standard's */
    char unit[8];
} req_limit;

/* the service point's own time limit and whether it offers the service now */
int req_point_limit(db_conn *c, int64_t service_id, int64_t unit_id, req_limit *out);
/* the version and time limit of the standard in force on a local date (YYYY-MM-DD) */
int req_standard_limit(db_conn *c, int64_t service_id, const char *date, req_limit *out);

/* an active service with the standard in force on a local date and its form fields, as the
 * machine interfaces (POST /api/v1/requests, Open311) check a filing against them. found is
 * false for an unknown or inactive code. Shared and read-only: memo_release(*ref) when done. */
typedef struct {
    bool found, has_std;
    service sv;
    svc_standard st;
    svc_field *fs;
    size_t nf;
} req_service_view;
int req_service_view_get(db_conn *c, const char *code, const char *date,
                         const req_service_view **out, memo_ref **ref);
/* reqm_point (machine.h) through the cache */
int req_point_cached(db_conn *c, int64_t service_id, int64_t scope_unit, const char *unit_code,
                     int64_t *unit_id, int *tz_offset_min);

#endif

/* requests machine: what the machine interfaces (Open311 GeoReport v2 requests, /api/v1/requests)
 * need from the store besides requests.h: the API key a form field carries, the service point an
 * integration files at, and a filtered list without personal data but the masked NIK. */
#ifndef LAYAN_REQUESTS_MACHINE_H
#define LAYAN_REQUESTS_MACHINE_H
#include <stdbool.h>
#include <stdint.h>

#include "core/tracking.h"
#include "db/db.h"
#include "lib/arena.h"
#include "lib/str.h"

/* a key as `layan apikey create` printed it (lyk_...): DB_OK with its id and unit (0 = the
 * whole installation), DB_DONE when unknown, malformed or revoked */
int reqm_apikey(db_conn *c, str key, int64_t *id, int64_t *unit_id);

/* the service point an integration files at: an active point of the service at scope_unit or
 * below (0 = anywhere); unit_code NULL/"" = the first such point. DB_OK with its id and time
 * zone offset (minutes), DB_DONE when there is none */
int reqm_point(db_conn *c, int64_t service_id, int64_t scope_unit, const char *unit_code,
               int64_t *unit_id, int *tz_offset_min);

#define REQM_MAX_CODES 100
typedef struct {
    const char *const *codes; /* tracking codes (10 symbols, parsed); ncodes 0 = any */
    size_t ncodes;
    int64_t scope_unit;    /* > 0: requests at this unit and below */
    int64_t service_id;    /* > 0: this service */
    int64_t api_key_id;    /* > 0: filed with this key */
    const char *from, *to; /* UTC "YYYY-MM-DDTHH:MM:SSZ": submitted in [from, to); NULL any */
    int open;              /* 1 unfinished only, 0 finished only, -1 both */
    const char *status;    /* one state code, NULL any */
    int limit, offset;
} reqm_filter;

typedef struct {
    int64_t id;
    char code[TRK_LEN + 1];
    const char *service_code, *service_name, *unit_code, *unit_name;
    int tz_offset_min;
    const char *status, *channel, *delivery, *nik_masked;
    const char *submitted_at, *due_at, *finished_at, *updated_at; /* NULL when not set */
    bool cancelled;
} reqm_row;

/* newest first */
int reqm_list(db_conn *c, arena *a, const reqm_filter *f, reqm_row **out, size_t *n);

#endif

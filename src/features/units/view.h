/* units view: turns unit records into the template/JSON shapes shared by pages.c and api.c. */
#ifndef LAYAN_UNITS_VIEW_H
#define LAYAN_UNITS_VIEW_H
#include <jansson.h>

#include "features/units/units.h"
#include "http/http.h"

/* a unit for templates: names, address, hours grouped by day ranges in the visitor's language */
json_t *units_view_page(http_req *rq, const unit *u);
/* a unit for the JSON API: stable keys, times as HH:MM */
json_t *units_view_api(const unit *u);
const char *units_tz_label(int offset_min);
/* "Open now · closes at 15.00" / "Closed now · opens tomorrow at 08.00" / a holiday notice */
json_t *units_view_today(http_req *rq, const cal_calendar *cal, int64_t now,
                         const char *holiday_name);

#endif

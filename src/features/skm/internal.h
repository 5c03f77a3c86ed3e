/* skm internal: what the skm store files share (not for other modules). */
#ifndef LAYAN_SKM_INTERNAL_H
#define LAYAN_SKM_INTERNAL_H
#include "features/skm/skm.h"

/* the columns skm_fill_period reads, in order (alias p = skm_periods, u = its unit) */
#define SKM_PERIOD_COLS                                                                            \
    "p.id, p.unit_id, p.instrument_id, u.code, p.code, p.kind, p.starts_on, p.ends_on, "           \
    "p.status, p.walkin_count "
/* a period from a row selected with SKM_PERIOD_COLS first */
void skm_fill_period(db_stmt *s, arena *a, skm_period *p);

#endif

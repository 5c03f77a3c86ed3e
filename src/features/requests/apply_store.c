/* apply store: the one query the receipt needs beyond requests.h */
#include "features/requests/web_apply.h"

int apply_pin_issued(db_conn *c, int64_t request_id, bool *issued)
{
    *issued = false;
    db_stmt *s =
        db_prepare(c, "SELECT CASE WHEN kiosk_pin_hash IS NULL THEN 0 ELSE 1 END FROM requests "
                      "WHERE id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, request_id);
    int r = db_step(s);
    if (r == DB_ROW) *issued = db_col_int(s, 0) != 0;
    db_finish(s);
    return r == DB_ROW ? DB_OK : r;
}

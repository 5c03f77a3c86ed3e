/* admin web: the pages of the government-wide administrator (admin_pemda): staff accounts and
 * their roles, citizen look-up for support (with a reason, recorded), API keys, and the
 * notification outbox ("Kotak keluar"). Every route needs ROLE_ADMIN (routes.c); every change
 * is written to the audit log in the transaction that makes it. */
#ifndef LAYAN_ADMIN_WEB_H
#define LAYAN_ADMIN_WEB_H
#include "db/db.h"
#include "http/http.h"

extern const http_param_spec admin_list_params[], admin_staff_new_params[], admin_staff_params[],
    admin_role_params[], admin_citizen_params[], admin_key_params[], admin_key_revoke_params[],
    admin_outbox_params[], admin_outbox_retry_params[];

/* staff.c */
int admin_page_overview(http_req *rq);
int admin_page_staff(http_req *rq);
int admin_page_staff_new(http_req *rq);
int admin_page_staff_one(http_req *rq);
int admin_page_staff_role(http_req *rq);
int admin_page_staff_status(http_req *rq);
int admin_page_staff_password(http_req *rq);
int admin_page_staff_2fa(http_req *rq);

/* citizens.c */
int admin_page_citizens(http_req *rq);

/* keys.c */
int admin_page_keys(http_req *rq);
int admin_page_key_revoke(http_req *rq);
int admin_page_outbox(http_req *rq);
int admin_page_outbox_retry(http_req *rq);

/* shared (staff.c) */
int64_t admin_now(void);
void admin_audit(http_req *rq, db_conn *c, const char *action, const char *object,
                 const char *detail, int *r);
const char *admin_role_label(http_req *rq, const char *role);
json_t *admin_units_json(http_req *rq, db_conn *c, int64_t selected);

#endif

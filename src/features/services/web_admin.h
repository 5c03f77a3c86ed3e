/* services admin web: maintaining service standards (every edit adds a version; the old ones
 * stay readable), the maklumat pelayanan of a unit, and the completeness report of the 14
 * components. Routes accept ROLE_ADMIN | ROLE_KEPALA_UNIT; the handlers narrow that to the unit
 * that owns the service (or the unit of the maklumat) and the units above it (acct_can_unit),
 * and answer 403 outside it. Every change is audited in the transaction that makes it. */
#ifndef LAYAN_SERVICES_WEB_ADMIN_H
#define LAYAN_SERVICES_WEB_ADMIN_H
#include "http/http.h"

extern const http_param_spec svcadm_list_params[], svcadm_standard_params[],
    svcadm_version_params[], svcadm_edit_params[], svcadm_maklumat_params[],
    svcadm_completeness_params[];

/* admin.c */
int svcadm_page_list(http_req *rq);     /* GET /admin/layanan */
int svcadm_page_standard(http_req *rq); /* GET /admin/layanan/{code}/standar */
int svcadm_page_version(http_req *rq);  /* GET /admin/layanan/{code}/standar/{version} */
/* admin_edit.c */
int svcadm_page_edit(http_req *rq); /* GET|POST /admin/layanan/{code}/standar/ubah */
/* admin_maklumat.c */
int svcadm_page_maklumat(http_req *rq);     /* GET|POST /admin/unit/{code}/maklumat */
int svcadm_page_completeness(http_req *rq); /* GET /admin/kelengkapan */
/* admin_workflow.c */
extern const http_param_spec svcadm_workflow_params[], svcadm_workflow_reset_params[];
int svcadm_page_workflow(http_req *rq);       /* GET|POST /admin/layanan/{code}/alur */
int svcadm_page_workflow_reset(http_req *rq); /* GET|POST /admin/layanan/{code}/alur/bawaan */
/* admin_fields.c */
extern const http_param_spec svcadm_fields_params[];
int svcadm_page_fields(http_req *rq); /* GET|POST /admin/layanan/{code}/isian */

/* shared by admin*.c (not for other features) */
#include <jansson.h>

#include "features/form.h"
#include "features/services/services.h"
struct svcadm_date_buf {
    char s[11];
};
/* today's date (YYYY-MM-DD) in the pemda's time zone */
struct svcadm_date_buf svcadm_today(http_req *rq);
/* "3 Maret 2026" in the request's language; the input itself when it is not a date; NULL stays */
const char *svcadm_date(http_req *rq, const char *iso);
/* whether the caller is admin, or kepala_unit of the unit or of a unit above it */
bool svcadm_may(http_req *rq, db_conn *c, const char *unit_code);
const char *svcadm_time_limit(http_req *rq, int value, const char *time_unit);
/* "overdue by 45 days", or NULL when the review is not overdue */
const char *svcadm_overdue(http_req *rq, const char *review_due, const char *today);
const char *svcadm_actor_label(http_req *rq, const char *actor);
extern const char *const svcadm_actors[5];
/* a standard as the read-only views show it */
json_t *svcadm_standard_json(http_req *rq, const service *sv, const svc_standard *s,
                             const char *today);
/* the editors' forms (admin_edit.c; admin_fields.c uses them too): a form parameter trimmed
 * ("" when absent), and a copy of a value on the request's arena (NULL when empty) */
str svcadm_param(http_req *rq, const char *name);
const char *svcadm_dup(http_req *rq, str v);
/* the rows of an editor's table (requirements, steps, form fields) are sorted by the order the
 * user typed, then by where they stood in the form: a row type starts with this key, and
 * svcadm_row_cmp is its qsort comparison */
typedef struct {
    long order;
    int idx;
} svcadm_row_key;
int svcadm_row_cmp(const void *a, const void *b);
/* puts each table row's error messages on the row for the template: the error of the field
 * "<prefix><i>_<field>" as "err_<field>" and "has_err" (rows: objects with their index "i";
 * fields: NULL-terminated) */
void svcadm_row_errors(form_state *f, json_t *rows, char prefix, const char *const *fields);

#endif

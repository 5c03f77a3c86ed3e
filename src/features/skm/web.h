/* skm web: the pages of the satisfaction survey (domain.md §5, docs/guide-skm.md).
 *
 * Running a period and collecting answers (admin.c, admin_*.c, kiosk.c): the periods of the
 * units a person manages (admin_pemda every unit, a kepala_unit their unit and those below it,
 * acct_can_unit; paper entry also for a petugas of the unit), creating a period, the walk-in
 * count, closing and publishing, paper questionnaires, kiosks at the counter, the one-time
 * link after a service, and the follow-up plan. Every change is audited in the transaction
 * that makes it.
 *
 * public pages: see pages.c */
#ifndef LAYAN_SKM_WEB_H
#define LAYAN_SKM_WEB_H
#include "http/http.h"

/* admin.c: periods */
extern const http_param_spec skmadm_list_params[], skmadm_new_params[], skmadm_period_params[];
int skmadm_page_list(http_req *rq);   /* GET /admin/skm */
int skmadm_page_new(http_req *rq);    /* GET, POST /admin/skm/baru */
int skmadm_page_period(http_req *rq); /* GET, POST /admin/skm/{period} */

/* admin_paper.c: keying in paper questionnaires */
extern const http_param_spec skmadm_paper_params[];
int skmadm_page_paper(http_req *rq); /* GET, POST /admin/skm/{period}/kertas */

/* admin_kiosk.c: starting and revoking kiosks */
extern const http_param_spec skmadm_kiosk_params[];
int skmadm_page_kiosk(http_req *rq); /* GET, POST /admin/skm/kios */

/* admin_followup.c: the follow-up plan */
extern const http_param_spec skmadm_followup_params[];
int skmadm_page_followup(http_req *rq); /* GET, POST /admin/skm/{period}/tindak-lanjut */

/* admin_instrument.c: a unit's own questionnaire version (added elements, weights) */
extern const http_param_spec skmadm_instrument_params[];
int skmadm_page_instrument(http_req *rq); /* GET, POST /admin/skm/instrumen?unit= */

/* kiosk.c: anonymous answering, no sign-in */
extern const http_param_spec skm_kiosk_params[], skm_link_params[];
int skm_page_kiosk(http_req *rq); /* GET, POST /kios/skm/{token} */
int skm_page_link(http_req *rq);  /* GET, POST /survei/{token} */

/* ---- shared by admin*.c and kiosk.c (not for other modules) ---- */
#include <jansson.h>

#include "db/db.h"
#include "features/skm/skm.h"

#define SKMW_MANAGERS (ROLE_ADMIN | ROLE_KEPALA_UNIT)
#define SKMW_KEYERS (ROLE_ADMIN | ROLE_KEPALA_UNIT | ROLE_PETUGAS)
/* the answer fields: j1..j32 by position on the questionnaire, 0 = not answered */
#define SKMW_J(n) {"j" #n, HP_INT, 0, 4, false}
#define SKMW_ANSWER_PARAMS                                                                         \
    SKMW_J(1), SKMW_J(2), SKMW_J(3), SKMW_J(4), SKMW_J(5), SKMW_J(6), SKMW_J(7), SKMW_J(8),        \
        SKMW_J(9), SKMW_J(10), SKMW_J(11), SKMW_J(12), SKMW_J(13), SKMW_J(14), SKMW_J(15),         \
        SKMW_J(16), SKMW_J(17), SKMW_J(18), SKMW_J(19), SKMW_J(20), SKMW_J(21), SKMW_J(22),        \
        SKMW_J(23), SKMW_J(24), SKMW_J(25), SKMW_J(26), SKMW_J(27), SKMW_J(28), SKMW_J(29),        \
        SKMW_J(30), SKMW_J(31), SKMW_J(32)

/* the period of the {period} path parameter when the signed-in person holds a role of `mask`
 * at its unit or above: 0, or 404 / 403 / 503 */
int skmw_period(http_req *rq, db_conn *c, unsigned mask, skm_period *p);
/* the current UTC time "YYYY-MM-DDTHH:MM:SSZ" (LAYAN_NOW applies) */
void skmw_now_iso(char out[32]);
/* the questions of the instrument for a template: [{n, code, label, name, answers: [{value,
 * label, checked, id}]}], values[i] the answer to element i (0: none) */
json_t *skmw_questions(const skm_instrument *ins, const int *values);
/* reads j1..jN into values (0..4) and the answered ones into ans; the number answered */
size_t skmw_read_answers(http_req *rq, const skm_instrument *ins, int *values, skm_answer *ans);
/* writes an audit record when *r is DB_OK (admin_audit) */
void skmw_audit(http_req *rq, db_conn *c, const char *action, const char *object,
                const char *detail, int *r);

/* ---- published results (pages.c, report*.c; issue 7 publishing): public, only periods with
 * status 'published' ---- */
#include "features/units/units.h"

extern const http_param_spec skm_unit_params[], skm_period_params[], skm_report_params[];
int skm_page_unit(http_req *rq);   /* GET /skm/{unit}: published periods and the trend */
int skm_page_period(http_req *rq); /* GET /skm/{unit}/{period}[?sub=1]: one period's result */
int skm_report_pdf(http_req *rq);  /* GET /skm/{unit}/{period}/laporan.pdf */
int skm_report_xlsx(http_req *rq); /* GET /skm/{unit}/{period}/tabulasi.xlsx */
int skm_report_csv(http_req *rq);  /* GET /skm/{unit}/{period}/data.csv */

/* shared by pages.c and report*.c (defined in report.c) */
typedef struct {
    unit u;
    skm_period p;     /* the unit's published period */
    skm_result res;   /* its index (with the units below when asked and allowed) */
    bool sub_allowed; /* units below ran the period and every one of them published it */
} skm_pub;
/* loads the unit's published period named in the path; 0 or an HTTP status (404, 503) */
int skm_pub_load(http_req *rq, db_conn *c, bool with_subunits, skm_pub *out);
/* v / 10^decimals with the language's decimal mark: "88,31" (id), "88.31" (en) */
const char *skm_fmt_fixed(http_req *rq, int64_t v, int decimals);
/* "Triwulan I 2026", "Semester 2 2026", "Tahun 2026" or the dates of a custom period */
const char *skm_period_label(http_req *rq, const skm_period *p);
/* the index of one profile group, in hundredths of IKM x 25; -1 when it cannot be computed */
int64_t skm_group_ikm25(const skm_instrument *ins, const skm_group *g);
/* the translated label of a profile group value ("Laki-laki", "20 sampai 29 tahun") */
const char *skm_group_label(http_req *rq, enum skm_profile f, const char *value);
/* nine elements weighing one ninth each, as in PermenPANRB 14/2017 (the method text says so) */
bool skm_standard_weights(const skm_instrument *ins);
/* "Direncanakan", "Sedang dikerjakan", "Selesai", "Dibatalkan" for a follow-up status */
const char *skm_followup_status_label(http_req *rq, const char *status);
/* the privacy rule for published tables: a profile value held by fewer than SKM_K_MIN
 * respondents of rows[] becomes "Other", the exact age is dropped; in place */
void skm_pub_rows_anonymise(http_req *rq, skm_pub_row *rows, size_t n);

#endif

/* routes: the one table of every route, with the role each needs and its parameters.
 * A route not in this table does not exist; the authorization test walks this table. */
#include "features/app.h"
#include "features/accounts/web.h"
#include "features/admin/web.h"
#include "features/services/web.h"
#include "features/units/web.h"
#include "features/services/web_admin.h"
#include "features/open311/open311.h"
#include "features/services/api.h"
#include "features/skm/web.h"
#include "features/requests/web_work.h"
#include "features/requests/web_api.h"
#include "features/requests/web_apply.h"
#include "features/requests/web_track.h"
#include "features/requests/web_ops.h"

#define GP (HTTP_GET | HTTP_POST)
#define FORM_MAX (64 * 1024)

const struct http_route app_routes[] = {
    {HTTP_GET, "/", units_page_home, ROLE_PUBLIC, HTTP_PAGE, 0, NULL, "home", 10, 0},
    {HTTP_GET, "/cari", units_page_search, ROLE_PUBLIC, HTTP_PAGE, 0, units_search_params, "search",
     10, 0},
    {HTTP_GET, "/unit/{code}", units_page_unit, ROLE_PUBLIC, HTTP_PAGE, 0, units_unit_params,
     "unit", 10, 0},
    {HTTP_GET, "/api/v1/units", units_api_list, ROLE_PUBLIC, HTTP_API, 0, NULL, "api_units", 0, 0},
    {HTTP_GET, "/api/v1/units/{code}", units_api_get, ROLE_PUBLIC, HTTP_API, 0, units_unit_params,
     "api_unit", 0, 0},

    /* the service catalogue (public) */
    {HTTP_GET, "/layanan", svc_page_list, ROLE_PUBLIC, HTTP_PAGE, 0, svc_list_params, "services",
     10, 0},
    {HTTP_GET, "/layanan/{code}", svc_page_one, ROLE_PUBLIC, HTTP_PAGE, 0, svc_one_params,
     "service", 10, 0},
    {HTTP_GET, "/layanan/{code}/versi", svc_page_versions, ROLE_PUBLIC, HTTP_PAGE, 0,
     svc_versions_params, "service_versions", 10, 0},
    {HTTP_GET, "/layanan/{code}/versi/{version}", svc_page_version, ROLE_PUBLIC, HTTP_PAGE, 0,
     svc_version_params, "service_version", 10, 0},
    {HTTP_GET, "/layanan/{code}/poster.pdf", svc_page_poster, ROLE_PUBLIC, HTTP_PAGE, 0,
     svc_one_params, "service_poster", 60, 0},
    {GP, "/admin/layanan/{code}/tempat", svcadm_page_points, ROLE_ADMIN | ROLE_KEPALA_UNIT,
     HTTP_PAGE, FORM_MAX, svcadm_points_params, "admin_service_points", 0, 0},
    {GP, "/admin/layanan/{code}/tempat/{unit}", svcadm_page_point, ROLE_ADMIN | ROLE_KEPALA_UNIT,
     HTTP_PAGE, FORM_MAX, svcadm_point_params, "admin_service_point", 0, 0},
    {HTTP_GET, "/ekspor/{file}", svc_export_sipp, ROLE_PUBLIC, HTTP_PAGE, 0, svc_export_params,
     "export_sipp", 60, 0},

    /* accounts: signing up and in (public; the guard still checks CSRF on every POST) */
    {GP, "/daftar", acct_page_register, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX, acct_register_params,
     "register", 0, 0},
    {HTTP_POST, "/daftar/verifikasi", acct_page_verify, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX,
     acct_verify_params, "verify", 0, 0},
    {HTTP_POST, "/daftar/kirim-ulang", acct_page_resend, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX,
     acct_verify_params, "verify_resend", 0, 0},
    {GP, "/masuk", acct_page_signin, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX, acct_signin_params, "signin",
     0, 0},
    {GP, "/masuk/kode", acct_page_totp_step, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX,
     acct_totp_step_params, "signin_totp", 0, HR_SETUP},
    {GP, "/lupa", acct_page_forgot, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX, acct_forgot_params, "forgot",
     0, 0},
    {HTTP_POST, "/lupa/atur", acct_page_reset, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX, acct_forgot_params,
     "reset", 0, 0},
    {HTTP_POST, "/keluar", acct_page_signout, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX, NULL, "signout", 0,
     HR_SETUP},
    {HTTP_POST, "/keluar/semua", acct_page_signout, ROLE_SIGNED_IN, HTTP_PAGE, FORM_MAX, NULL,
     "signout_all", 0, HR_SETUP},

    /* accounts: the signed-in user's own pages */
    {HTTP_GET, "/akun", acct_page_profile, ROLE_SIGNED_IN, HTTP_PAGE, 0, acct_profile_params,
     "profile", 0, 0},
    {GP, "/akun/ubah", acct_page_edit, ROLE_SIGNED_IN, HTTP_PAGE, FORM_MAX, acct_edit_params,
     "profile_edit", 0, 0},
    {GP, "/akun/kata-sandi", acct_page_password, ROLE_SIGNED_IN, HTTP_PAGE, FORM_MAX,
     acct_password_params, "password", 0, HR_SETUP},
    {GP, "/akun/2fa", acct_page_totp_setup, ROLE_STAFF, HTTP_PAGE, FORM_MAX, acct_totp_setup_params,
     "totp_setup", 0, HR_SETUP},
    {HTTP_POST, "/akun/2fa/matikan", acct_page_totp_off, ROLE_STAFF, HTTP_PAGE, FORM_MAX,
     acct_totp_setup_params, "totp_off", 0, 0},
    {HTTP_GET, "/akun/riwayat-akses", acct_page_access_history, ROLE_CITIZEN, HTTP_PAGE, 0, NULL,
     "access_history", 0, 0},
    /* admin: admin_pemda only ("baru" before "{id}") */
    {HTTP_GET, "/admin", admin_page_overview, ROLE_ADMIN, HTTP_PAGE, 0, NULL, "admin", 0, 0},
    {HTTP_GET, "/admin/pengguna", admin_page_staff, ROLE_ADMIN, HTTP_PAGE, 0, admin_list_params,
     "admin_staff", 0, 0},
    {GP, "/admin/pengguna/baru", admin_page_staff_new, ROLE_ADMIN, HTTP_PAGE, FORM_MAX,
     admin_staff_new_params, "admin_staff_new", 0, 0},
    {HTTP_GET, "/admin/pengguna/{id}", admin_page_staff_one, ROLE_ADMIN, HTTP_PAGE, 0,
     admin_staff_params, "admin_staff_one", 0, 0},
    {HTTP_POST, "/admin/pengguna/{id}/peran", admin_page_staff_role, ROLE_ADMIN, HTTP_PAGE,
     FORM_MAX, admin_role_params, "admin_staff_role", 0, 0},
    {HTTP_POST, "/admin/pengguna/{id}/status", admin_page_staff_status, ROLE_ADMIN, HTTP_PAGE,
     FORM_MAX, admin_role_params, "admin_staff_status", 0, 0},
    {HTTP_POST, "/admin/pengguna/{id}/sandi", admin_page_staff_password, ROLE_ADMIN, HTTP_PAGE,
     FORM_MAX, admin_role_params, "admin_staff_password", 0, 0},
    {HTTP_POST, "/admin/pengguna/{id}/2fa", admin_page_staff_2fa, ROLE_ADMIN, HTTP_PAGE, FORM_MAX,
     admin_role_params, "admin_staff_2fa", 0, 0},
    {GP, "/admin/warga", admin_page_citizens, ROLE_ADMIN, HTTP_PAGE, FORM_MAX, admin_citizen_params,
     "admin_citizens", 0, 0},
    {GP, "/admin/kunci-api", admin_page_keys, ROLE_ADMIN, HTTP_PAGE, FORM_MAX, admin_key_params,
     "admin_keys", 0, 0},
    {HTTP_POST, "/admin/kunci-api/{prefix}/cabut", admin_page_key_revoke, ROLE_ADMIN, HTTP_PAGE,
     FORM_MAX, admin_key_revoke_params, "admin_key_revoke", 0, 0},
    {HTTP_GET, "/admin/kotak-keluar", admin_page_outbox, ROLE_ADMIN, HTTP_PAGE, 0,
     admin_outbox_params, "admin_outbox", 0, 0},
    {HTTP_POST, "/admin/kotak-keluar/{id}/ulang", admin_page_outbox_retry, ROLE_ADMIN, HTTP_PAGE,
     FORM_MAX, admin_outbox_retry_params, "admin_outbox_retry", 0, 0},

    {HTTP_GET, "/api/v1/me", acct_api_me, ROLE_SIGNED_IN | ROLE_APIKEY, HTTP_API, 0, NULL, "api_me",
     0, 0},
    /* catalogue machine interfaces (issue 5): JSON API, OpenAPI document, Open311 GeoReport v2
     * discovery. Public reads; answered through the catalogue cache (services/api.h), so the
     * page-cache seconds stay 0 here. */
    {HTTP_GET, "/api/v1/openapi.json", svc_api_openapi, ROLE_PUBLIC, HTTP_API, 0, NULL,
     "api_openapi", 0, 0},
    {HTTP_GET, "/api/v1/services", svc_api_list, ROLE_PUBLIC, HTTP_API, 0, svc_api_list_params,
     "api_services", 0, 0},
    {HTTP_GET, "/api/v1/services/{code}", svc_api_get, ROLE_PUBLIC, HTTP_API, 0,
     svc_api_code_params, "api_service", 0, 0},
    {HTTP_GET, "/api/v1/services/{code}/standards", svc_api_standards, ROLE_PUBLIC, HTTP_API, 0,
     svc_api_code_params, "api_service_standards", 0, 0},
    {HTTP_GET, "/api/v1/services/{code}/standards/{version}", svc_api_standard_ver, ROLE_PUBLIC,
     HTTP_API, 0, svc_api_version_params, "api_service_standard_version", 0, 0},
    {HTTP_GET, "/api/v1/services/{code}/standard", svc_api_standard_on, ROLE_PUBLIC, HTTP_API, 0,
     svc_api_on_params, "api_service_standard", 0, 0},
    {HTTP_GET, "/open311/v2/discovery.json", open311_discovery, ROLE_PUBLIC, HTTP_API, 0,
     open311_params, "open311_discovery", 0, 0},
    {HTTP_GET, "/open311/v2/discovery.xml", open311_discovery, ROLE_PUBLIC, HTTP_API, 0,
     open311_params, "open311_discovery_xml", 0, 0},
    {HTTP_GET, "/open311/v2/services.json", open311_services, ROLE_PUBLIC, HTTP_API, 0,
     open311_params, "open311_services", 0, 0},
    {HTTP_GET, "/open311/v2/services.xml", open311_services, ROLE_PUBLIC, HTTP_API, 0,
     open311_params, "open311_services_xml", 0, 0},
    {HTTP_GET, "/open311/v2/services/{service}", open311_definition, ROLE_PUBLIC, HTTP_API, 0,
     open311_service_params, "open311_service", 0, 0},

    /* units admin: the unit tree and each unit's profile (admin_pemda for every unit, a
     * kepala_unit for their own unit and those below it: checked per unit in the handler;
     * "baru" before "{code}") */
    {HTTP_GET, "/admin/unit", units_admin_list, ROLE_ADMIN | ROLE_KEPALA_UNIT, HTTP_PAGE, 0,
     units_admin_list_params, "admin_units", 0, 0},
    {GP, "/admin/unit/baru", units_admin_new, ROLE_ADMIN | ROLE_KEPALA_UNIT, HTTP_PAGE, FORM_MAX,
     units_admin_new_params, "admin_unit_new", 0, 0},
    {GP, "/admin/unit/{code}", units_admin_edit, ROLE_ADMIN | ROLE_KEPALA_UNIT, HTTP_PAGE,
     FORM_MAX, units_admin_edit_params, "admin_unit", 0, 0},

    /* service standards, maklumat and completeness (issue 5, services/web_admin.h): admin_pemda
     * for every unit, a kepala_unit for the unit that owns the service (or the maklumat's unit)
     * and the units below it, checked per unit in the handler. "ubah" before "{version}". */
    {HTTP_GET, "/admin/layanan", svcadm_page_list, ROLE_ADMIN | ROLE_KEPALA_UNIT, HTTP_PAGE, 0,
     svcadm_list_params, "admin_services", 0, 0},
    {HTTP_GET, "/admin/layanan/{code}/standar", svcadm_page_standard, ROLE_ADMIN | ROLE_KEPALA_UNIT,
     HTTP_PAGE, 0, svcadm_standard_params, "admin_standard", 0, 0},
    {GP, "/admin/layanan/{code}/standar/ubah", svcadm_page_edit, ROLE_ADMIN | ROLE_KEPALA_UNIT,
     HTTP_PAGE, 256 * 1024, svcadm_edit_params, "admin_standard_edit", 0, 0},
    {HTTP_GET, "/admin/layanan/{code}/standar/{version}", svcadm_page_version,
     ROLE_ADMIN | ROLE_KEPALA_UNIT, HTTP_PAGE, 0, svcadm_version_params, "admin_standard_version",
     0, 0},
    {GP, "/admin/unit/{code}/maklumat", svcadm_page_maklumat, ROLE_ADMIN | ROLE_KEPALA_UNIT,
     HTTP_PAGE, FORM_MAX, svcadm_maklumat_params, "admin_maklumat", 0, 0},
    {HTTP_GET, "/admin/kelengkapan", svcadm_page_completeness, ROLE_ADMIN | ROLE_KEPALA_UNIT,
     HTTP_PAGE, 0, svcadm_completeness_params, "admin_completeness", 0, 0},
    {GP, "/admin/layanan/{code}/alur", svcadm_page_workflow, ROLE_ADMIN | ROLE_KEPALA_UNIT,
     HTTP_PAGE, 128 * 1024, svcadm_workflow_params, "admin_workflow", 0, 0},
    {GP, "/admin/layanan/{code}/alur/bawaan", svcadm_page_workflow_reset,
     ROLE_ADMIN | ROLE_KEPALA_UNIT, HTTP_PAGE, FORM_MAX, svcadm_workflow_reset_params,
     "admin_workflow_reset", 0, 0},
    {GP, "/admin/layanan/{code}/isian", svcadm_page_fields, ROLE_ADMIN | ROLE_KEPALA_UNIT,
     HTTP_PAGE, FORM_MAX, svcadm_fields_params, "admin_service_fields", 0, 0},
    /* SKM results (issue 7, skm/pages.c, report*.c): public, only periods with status
     * 'published'; the pages and downloads are reused for 60 s (page cache) */
    {HTTP_GET, "/skm/{unit}", skm_page_unit, ROLE_PUBLIC, HTTP_PAGE, 0, skm_unit_params,
     "skm_unit", 60, 0},
    {HTTP_GET, "/skm/{unit}/{period}", skm_page_period, ROLE_PUBLIC, HTTP_PAGE, 0,
     skm_period_params, "skm_period", 60, 0},
    {HTTP_GET, "/skm/{unit}/{period}/laporan.pdf", skm_report_pdf, ROLE_PUBLIC, HTTP_PAGE, 0,
     skm_report_params, "skm_report_pdf", 60, 0},
    {HTTP_GET, "/skm/{unit}/{period}/tabulasi.xlsx", skm_report_xlsx, ROLE_PUBLIC, HTTP_PAGE, 0,
     skm_report_params, "skm_report_xlsx", 60, 0},
    {HTTP_GET, "/skm/{unit}/{period}/data.csv", skm_report_csv, ROLE_PUBLIC, HTTP_PAGE, 0,
     skm_report_params, "skm_report_csv", 60, 0},
    /* SKM: running a survey period and collecting answers (issue 7, skm/web.h). Staff pages:
     * admin_pemda every unit, a kepala_unit their unit and below, a petugas of the unit for
     * paper entry (checked per unit in the handler). "baru" and "kios" before "{period}".
     * /kios/skm and /survei take anonymous answers (token in the path, anonymous CSRF). */
    {HTTP_GET, "/admin/skm", skmadm_page_list, SKMW_KEYERS, HTTP_PAGE, 0, skmadm_list_params,
     "admin_skm", 0, 0},
    {GP, "/admin/skm/baru", skmadm_page_new, SKMW_MANAGERS, HTTP_PAGE, FORM_MAX,
     skmadm_new_params, "admin_skm_new", 0, 0},
    {GP, "/admin/skm/kios", skmadm_page_kiosk, SKMW_MANAGERS, HTTP_PAGE, FORM_MAX,
     skmadm_kiosk_params, "admin_skm_kiosk", 0, 0},
    {GP, "/admin/skm/instrumen", skmadm_page_instrument, SKMW_MANAGERS, HTTP_PAGE, FORM_MAX,
     skmadm_instrument_params, "admin_skm_instrument", 0, 0},
    {GP, "/admin/skm/{period}", skmadm_page_period, SKMW_KEYERS, HTTP_PAGE, FORM_MAX,
     skmadm_period_params, "admin_skm_period", 0, 0},
    {GP, "/admin/skm/{period}/kertas", skmadm_page_paper, SKMW_KEYERS, HTTP_PAGE, FORM_MAX,
     skmadm_paper_params, "admin_skm_paper", 0, 0},
    {GP, "/admin/skm/{period}/tindak-lanjut", skmadm_page_followup, SKMW_KEYERS, HTTP_PAGE,
     FORM_MAX, skmadm_followup_params, "admin_skm_followup", 0, 0},
    {GP, "/kios/skm/{token}", skm_page_kiosk, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX, skm_kiosk_params,
     "skm_kiosk", 0, HR_SECRET_PATH},
    {GP, "/survei/{token}", skm_page_link, ROLE_PUBLIC, HTTP_PAGE, FORM_MAX, skm_link_params,
     "skm_link", 0, HR_SECRET_PATH},
    /* requests: applying online, the receipt and QR verification (issue 6,
     * requests/web_apply.h). The receipt is the applicant's or the unit's staff's (checked in the
     * handler, 404 otherwise); /verifikasi is public (the payload is printed, not secret). */
    {GP, "/layanan/{code}/ajukan", reqweb_page_apply, ROLE_CITIZEN, HTTP_PAGE, APPLY_BODY_MAX,
     reqweb_apply_params, "request_apply", 0, 0},
    {HTTP_GET, "/permohonan/{code}/tanda-terima", reqweb_page_receipt, ROLE_CITIZEN | ROLE_STAFF,
     HTTP_PAGE, 0, reqweb_receipt_params, "request_receipt", 0, 0},
    {HTTP_GET, "/permohonan/{code}/tanda-terima.pdf", reqweb_receipt_pdf,
     ROLE_CITIZEN | ROLE_STAFF, HTTP_PAGE, 0, reqweb_receipt_params, "request_receipt_pdf", 0, 0},
    {HTTP_GET, "/permohonan/{code}/tanda-terima-58.pdf", reqweb_receipt_pdf58,
     ROLE_CITIZEN | ROLE_STAFF, HTTP_PAGE, 0, reqweb_receipt_params, "request_receipt_58", 0, 0},
    {HTTP_GET, "/verifikasi/{payload}", reqweb_page_verify, ROLE_PUBLIC, HTTP_PAGE, 0,
     reqweb_verify_params, "request_verify", 0, 0},
    /* the same under the English path the issue and foreign readers use */
    {HTTP_GET, "/verify/{payload}", reqweb_page_verify, ROLE_PUBLIC, HTTP_PAGE, 0,
     reqweb_verify_params, "request_verify_en", 0, 0},
    /* Requests through machines (issue 6, open311/requests.c, requests/api.c): Open311 GeoReport
     * v2 requests (POST with the api_key form field, so no CSRF; GET public, no personal data)
     * and /api/v1/requests for integrations (API key, scoped to the key's unit) */
    {HTTP_GET, "/open311/v2/requests.json", open311_requests, ROLE_PUBLIC, HTTP_API, 0,
     open311_list_params, "open311_requests", 0, 0},
    {HTTP_GET, "/open311/v2/requests.xml", open311_requests, ROLE_PUBLIC, HTTP_API, 0,
     open311_list_params, "open311_requests_xml", 0, 0},
    {HTTP_POST, "/open311/v2/requests.json", open311_requests, ROLE_PUBLIC, HTTP_API, 65536,
     open311_post_params, "open311_post", 0, HR_NO_CSRF},
    {HTTP_POST, "/open311/v2/requests.xml", open311_requests, ROLE_PUBLIC, HTTP_API, 65536,
     open311_post_params, "open311_post_xml", 0, HR_NO_CSRF},
    {HTTP_GET, "/open311/v2/requests/{request}", open311_request, ROLE_PUBLIC, HTTP_API, 0,
     open311_request_params, "open311_request", 0, 0},
    {HTTP_POST, "/api/v1/requests", reqapi_create, ROLE_APIKEY, HTTP_API, 65536, NULL,
     "api_requests_create", 0, HR_NO_CSRF},
    {HTTP_GET, "/api/v1/requests", reqapi_list, ROLE_APIKEY, HTTP_API, 0, reqapi_list_params,
     "api_requests", 0, 0},
    /* requests, the officers' side (issue 6, requests/web_work.h): the worklist, a request's
     * detail and moves, documents, assisted filing, the courier, the SLA page. Scope per unit is
     * checked in the handlers ("ajukan" and "kinerja" before "{code}"). */
    {HTTP_GET, "/petugas", work_page_list, WORK_ROLES, HTTP_PAGE, 0, work_list_params,
     "work_list", 0, 0},
    {GP, "/petugas/ajukan", work_page_assist, WORK_ROLES, HTTP_PAGE, FORM_MAX, work_assist_params,
     "work_assist", 0, 0},
    {HTTP_GET, "/petugas/kinerja", sla_page, WORK_HEADS, HTTP_PAGE, 0, sla_page_params,
     "work_sla", 0, 0},
    {GP, "/petugas/{code}", work_page_one, WORK_ROLES, HTTP_PAGE, FORM_MAX, work_one_params,
     "work_one", 0, 0},
    {HTTP_GET, "/petugas/{code}/dokumen/{id}", work_page_doc, WORK_ROLES, HTTP_PAGE, 0,
     work_doc_params, "work_doc", 0, 0},
    {HTTP_GET, "/kurir", courier_page_list, ROLE_KURIR, HTTP_PAGE, 0, courier_params, "courier",
     0, 0},
    {HTTP_POST, "/kurir/{code}", courier_page_one, ROLE_KURIR, HTTP_PAGE,
     WORK_PHOTO_MAX + 64 * 1024, courier_one_params, "courier_one", 0, 0},
    /* requests: tracking by code (public; the code is kept out of the access log) and the
     * citizen's own requests: list, detail, cancel, correction (issue 6, requests/web_track.h) */
    {HTTP_GET, "/lacak", reqtrack_page_form, ROLE_PUBLIC, HTTP_PAGE, 0, reqtrack_form_params,
     "track", 0, 0},
    {HTTP_GET, "/lacak/{code}", reqtrack_page_view, ROLE_PUBLIC, HTTP_PAGE, 0, reqtrack_code_params,
     "track_view", 0, HR_SECRET_PATH},
    {HTTP_GET, "/api/v1/requests/{code}", reqtrack_api_get, ROLE_PUBLIC, HTTP_API, 0,
     reqtrack_code_params, "api_request_track", 0, HR_SECRET_PATH},
    {HTTP_GET, "/akun/permohonan", reqmine_page_list, ROLE_CITIZEN, HTTP_PAGE, 0,
     reqmine_list_params, "my_requests", 0, 0},
    {HTTP_GET, "/akun/permohonan/{code}", reqmine_page_detail, ROLE_CITIZEN, HTTP_PAGE, 0,
     reqmine_code_params, "my_request", 0, 0},
    {GP, "/akun/permohonan/{code}/batal", reqmine_page_cancel, ROLE_CITIZEN, HTTP_PAGE, FORM_MAX,
     reqmine_code_params, "my_request_cancel", 0, 0},
    {HTTP_POST, "/akun/permohonan/{code}/perbaikan", reqmine_page_fix, ROLE_CITIZEN, HTTP_PAGE,
     APPLY_BODY_MAX, reqmine_fix_params, "my_request_fix", 0, 0},
    /* requests: the same operations as JSON for a signed-in user's session (issue 6,
     * requests/web_ops.h): the citizen's own requests, the officers' worklist and moves (scope
     * per unit checked in the handlers: 403 outside it), the courier's deliveries. Writes need
     * X-CSRF-Token (GET /api/v1/me gives it). The citizen's paths carry the tracking code, which
     * opens the public tracking: HR_SECRET_PATH keeps it out of the access log. */
    {HTTP_GET, "/api/v1/me/requests", reqops_mine_list, ROLE_CITIZEN, HTTP_API, 0,
     reqops_page_params, "api_my_requests", 0, 0},
    {HTTP_GET, "/api/v1/me/requests/{code}", reqops_mine_get, ROLE_CITIZEN, HTTP_API, 0,
     reqops_code_params, "api_my_request", 0, HR_SECRET_PATH},
    {HTTP_POST, "/api/v1/me/requests/{code}/cancel", reqops_mine_cancel, ROLE_CITIZEN, HTTP_API,
     OPS_BODY_MAX, reqops_code_params, "api_my_request_cancel", 0, HR_SECRET_PATH},
    {HTTP_GET, "/api/v1/work", reqops_work_list, WORK_ROLES, HTTP_API, 0, reqops_work_params,
     "api_work", 0, 0},
    /* ops_api_more.c: before "/api/v1/work/{code}" (the first route matching path and method
     * wins, and "visits" would pass as a code) */
    {HTTP_GET, "/api/v1/work/visits", reqops_visits, WORK_ROLES, HTTP_API, 0, reqops_visits_params,
     "api_work_visits", 0, 0},
    {HTTP_POST, "/api/v1/work/requests", reqops_work_file, WORK_ROLES, HTTP_API, OPS_BODY_MAX, NULL,
     "api_work_file", 0, 0},
    {HTTP_GET, "/api/v1/work/{code}", reqops_work_get, WORK_ROLES, HTTP_API, 0,
     reqops_work_code_params, "api_work_one", 0, 0},
    {HTTP_POST, "/api/v1/work/{code}/claim", reqops_work_claim, WORK_ROLES, HTTP_API, OPS_BODY_MAX,
     reqops_work_code_params, "api_work_claim", 0, 0},
    {HTTP_POST, "/api/v1/work/{code}/release", reqops_work_release, WORK_ROLES, HTTP_API,
     OPS_BODY_MAX, reqops_work_code_params, "api_work_release", 0, 0},
    {HTTP_POST, "/api/v1/work/{code}/transitions", reqops_work_move, WORK_ROLES, HTTP_API,
     OPS_BODY_MAX, reqops_work_code_params, "api_work_move", 0, 0},
    {HTTP_GET, "/api/v1/deliveries", reqops_deliveries, ROLE_KURIR, HTTP_API, 0, NULL,
     "api_deliveries", 0, 0},
    {HTTP_POST, "/api/v1/deliveries/{code}/outcome", reqops_delivery_outcome, ROLE_KURIR, HTTP_API,
     OPS_OUTCOME_MAX, reqops_work_code_params, "api_delivery_outcome", 0, 0},
    /* ops_api_more.c: the citizen's correction (multipart, capped like the page's form), home
     * visits */
    {HTTP_POST, "/api/v1/me/requests/{code}/documents", reqops_mine_fix, ROLE_CITIZEN, HTTP_API,
     APPLY_BODY_MAX, reqops_fix_params, "api_my_request_documents", 0, HR_SECRET_PATH},
    {HTTP_POST, "/api/v1/work/{code}/visits", reqops_visit_add, WORK_ROLES, HTTP_API, OPS_BODY_MAX,
     reqops_work_code_params, "api_work_visit_add", 0, 0},
    {HTTP_POST, "/api/v1/work/visits/{id}/done", reqops_visit_done, WORK_ROLES, HTTP_API,
     OPS_BODY_MAX, reqops_visit_params, "api_work_visit_done", 0, 0},
};
const size_t app_nroutes = sizeof app_routes / sizeof app_routes[0];

/* routes: the one table of every route, with the role each needs and its parameters.
 * A route not in this table does not exist; the authorization test walks this table. */
#include "features/app.h"
#include "features/accounts/web.h"
#include "features/admin/web.h"
#include "features/units/web.h"

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
};
const size_t app_nroutes = sizeof app_routes / sizeof app_routes[0];

/* accounts web: the handlers and parameter lists of the account pages and API (routes.c). */
#ifndef LAYAN_ACCOUNTS_WEB_H
#define LAYAN_ACCOUNTS_WEB_H
#include "features/form.h"
#include "http/http.h"
#include "lib/crypto.h"

extern const http_param_spec acct_signin_params[], acct_register_params[], acct_verify_params[],
    acct_forgot_params[], acct_totp_step_params[], acct_profile_params[], acct_password_params[],
    acct_totp_setup_params[], acct_edit_params[];

/* pages.c: signing up and in */
int acct_page_register(http_req *rq);
int acct_page_verify(http_req *rq);
int acct_page_resend(http_req *rq);
int acct_page_signin(http_req *rq);
int acct_page_totp_step(http_req *rq);
int acct_page_forgot(http_req *rq);
int acct_page_reset(http_req *rq);
int acct_page_signout(http_req *rq);

/* profile.c: the signed-in user's own pages */
int acct_page_profile(http_req *rq);
int acct_page_edit(http_req *rq);
int acct_page_password(http_req *rq);
int acct_page_totp_setup(http_req *rq);
int acct_page_totp_off(http_req *rq);
int acct_page_access_history(http_req *rq);

/* the message for a password the checks refuse, next to `field` (nothing for CR_PW_OK) */
void acct_form_pw_problem(http_req *rq, form_state *f, const char *field, enum cr_pw_problem p);

/* api.c */
int acct_api_me(http_req *rq);

#endif

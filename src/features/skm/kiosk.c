/* skm kiosk: answering the survey without signing in, at a kiosk (/kios/skm/{token}, a tablet
 * at the counter, channel 'kiosk') or through the one-time link sent after a service
 * (/survei/{token}, channel 'link'). Anonymous: nothing about the person is asked.
 *
 * Kiosk: the token must be neither revoked nor expired and the period open; one answer per
 * SKM_KIOSK_GAP seconds per kiosk against ballot stuffing (skm_kiosk_take_slot, in the
 * transaction that stores the answer). After sending, a thank-you screen returns to an empty
 * questionnaire by itself after 10 seconds (<meta http-equiv="refresh">: no script needed).
 * Link: one answer per token; a second one is refused kindly. Both forms carry the anonymous
 * double-submit CSRF token (the csrf cookie set by the GET, accounts/session.c). */
#include <stdio.h>
#include <string.h>

#include "features/app.h"
#include "features/form.h"
#include "features/skm/web.h"

const http_param_spec skm_kiosk_params[] = {
    {"token", HP_CODE, 1, 64, true}, {"terima", HP_INT, 0, 1, false}, SKMW_ANSWER_PARAMS, {0}};
const http_param_spec skm_link_params[] = {
    {"token", HP_CODE, 1, 64, true}, {"terima", HP_INT, 0, 1, false}, SKMW_ANSWER_PARAMS, {0}};

/* the questionnaire (kiosk: big touch targets, no site header) */
static int form_page(http_req *rq, const skm_instrument *ins, const int *values, form_state *f,
                     bool kiosk, const char *action, const char *service, int status)
{
    json_t *ctx = json_object();
    json_object_set_new(ctx, "questions", skmw_questions(ins, values));
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "kiosk", json_boolean(kiosk));
    if (service) json_object_set_new(ctx, "service", json_string(service));
    form_into(f, ctx);
    return http_page(rq, status, kiosk ? "skm/kiosk" : "skm/kiosk_link", ctx);
}

/* a message page: thanks, already answered, or wait a moment */
static int message_page(http_req *rq, int status, bool kiosk, const char *title, const char *text,
                        const char *back)
{
    json_t *ctx = json_pack("{s:s,s:s,s:b}", "title", title, "text", text, "kiosk", kiosk);
    if (back) json_object_set_new(ctx, "back", json_string(back));
    return http_page(rq, status, kiosk ? "skm/kiosk_thanks" : "skm/kiosk_link_thanks", ctx);
}

static const char *service_name(http_req *rq, db_conn *c, const char *code)
{
    if (!code) return NULL;
    db_stmt *s = db_prepare(c, "SELECT name FROM services WHERE code = $1");
    if (!s) return NULL;
    db_bind_cstr(s, 1, code);
    const char *n = NULL;
    if (db_step(s) == DB_ROW) {
        str t = db_col_text(s, 0);
        n = arena_strndup(rq->a, t.p ? t.p : "", t.n);
    }
    db_finish(s);
    return n;
}

static void no_answer_error(http_req *rq, form_state *f)
{
    form_error(rq, f, "j1", "Choose an answer for at least one question, then press Send.");
}

int skm_page_kiosk(http_req *rq)
{
    app *a = app_of(rq);
    str token = http_param(rq, "token");
    const char *self = arena_printf(rq->a, "/kios/skm/%.*s", (int)token.n, token.p);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    char now[32];
    skmw_now_iso(now);
    skm_kiosk k = {0};
    skm_period p = {0};
    skm_instrument ins = {0};
    int r = skm_kiosk_find(c, rq->a, token, now, &k);
    if (r == DB_OK) r = skm_period_by_id(c, rq->a, k.period_id, &p);
    if (r == DB_OK && strcmp(p.status, "open") != 0) r = DB_DONE;
    if (r == DB_OK) r = skm_instrument_get(c, rq->a, p.instrument_id, &ins);
    if (r != DB_OK) {
        db_release(c);
        if (r != DB_DONE) return 503;
        return http_error(rq, 404,
                          "This survey kiosk is not running. Please ask the staff at the "
                          "counter.");
    }
    const char *svc = service_name(rq, c, k.service_code);
    form_state f;
    form_init(&f);
    int values[IKM_MAX_ELEMENTS] = {0};
    if (rq->method != HTTP_POST) {
        db_release(c);
        if (str_eq_c(http_param(rq, "terima"), "1")) {
            form_free(&f);
            return message_page(rq, 200, true, http_t(rq, "Thank you!"),
                                http_t(rq, "Your answers have been received. They help us "
                                           "improve our services."),
                                self);
        }
        return form_page(rq, &ins, values, &f, true, self, svc, 200);
    }
    skm_answer ans[IKM_MAX_ELEMENTS];
    size_t na = skmw_read_answers(rq, &ins, values, ans);
    if (!na) {
        db_release(c);
        no_answer_error(rq, &f);
        return form_page(rq, &ins, values, &f, true, self, svc, 400);
    }
    char today[16], err[300];
    app_today(rq, today, sizeof today);
    skm_response resp = {
        .channel = "kiosk",
        .service_code = k.service_code,
        .tanggal = strcmp(today, p.starts_on) >= 0 && strcmp(today, p.ends_on) <= 0 ? today : NULL,
        .answers = ans,
        .nanswers = na};
    int64_t wait = 0;
    r = db_begin(c);
    if (r == DB_OK) r = skm_kiosk_take_slot(c, k.id, app_now(), &wait);
    if (r == DB_OK) r = skm_response_add(c, &p, &ins, &resp, NULL, err, sizeof err);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    if (r == DB_EBUSY && wait > 0) {
        /* someone answered a moment ago: keep what was chosen and ask for a short wait */
        form_error(rq, &f, "kirim",
                   "Thank you! Answers from this tablet are taken at most once every %d "
                   "seconds. Please wait %lld seconds and press Send again.",
                   SKM_KIOSK_GAP, (long long)wait);
        return form_page(rq, &ins, values, &f, true, self, svc, 429);
    }
    form_free(&f);
    if (r == SKM_EINVALID) return 400;
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, arena_printf(rq->a, "%s?terima=1", self));
}

int skm_page_link(http_req *rq)
{
    app *a = app_of(rq);
    str token = http_param(rq, "token");
    const char *self = arena_printf(rq->a, "/survei/%.*s", (int)token.n, token.p);
    db_conn *c = db_acquire(a->db);
    if (!c) return 503;
    skm_period p = {0};
    skm_instrument ins = {0};
    const char *svc_code = NULL;
    bool used = false;
    int r = skm_link_find(c, rq->a, token, &p, &svc_code, &used);
    if (r == DB_OK) r = skm_instrument_get(c, rq->a, p.instrument_id, &ins);
    if (r != DB_OK) {
        db_release(c);
        if (r != DB_DONE) return 503;
        return http_error(rq, 404,
                          "This survey link is not valid. Check that the whole address was "
                          "copied from the message.");
    }
    const char *already = http_t(rq, "Thank you, we received your answers earlier. Each link "
                                     "can be used once.");
    form_state f;
    form_init(&f);
    int values[IKM_MAX_ELEMENTS] = {0};
    bool thanks = str_eq_c(http_param(rq, "terima"), "1");
    if (used || strcmp(p.status, "open") != 0) {
        db_release(c);
        form_free(&f);
        bool post = rq->method == HTTP_POST;
        if (used && thanks && !post)
            return message_page(rq, 200, false, http_t(rq, "Thank you!"),
                                http_t(rq, "Your answers have been received. They help us "
                                           "improve our services."),
                                NULL);
        if (used)
            return message_page(rq, post ? 409 : 200, false, http_t(rq, "Thank you"), already,
                                NULL);
        return message_page(rq, 410, false, http_t(rq, "The survey has ended"),
                            http_t(rq, "This survey period is closed and takes no more answers. "
                                       "Thank you for your interest."),
                            NULL);
    }
    const char *svc = service_name(rq, c, svc_code);
    if (rq->method != HTTP_POST) {
        db_release(c);
        return form_page(rq, &ins, values, &f, false, self, svc, 200);
    }
    skm_answer ans[IKM_MAX_ELEMENTS];
    size_t na = skmw_read_answers(rq, &ins, values, ans);
    if (!na) {
        db_release(c);
        no_answer_error(rq, &f);
        return form_page(rq, &ins, values, &f, false, self, svc, 400);
    }
    char err[300];
    skm_response resp = {
        .channel = "link", .service_code = svc_code, .answers = ans, .nanswers = na};
    r = db_begin(c);
    if (r == DB_OK) r = skm_link_answer(c, token, &p, &ins, &resp, err, sizeof err);
    if (r == DB_OK) r = db_commit(c);
    if (r != DB_OK) db_rollback(c);
    db_release(c);
    form_free(&f);
    if (r == SKM_EUSED) return message_page(rq, 409, false, http_t(rq, "Thank you"), already, NULL);
    if (r == SKM_EINVALID) return 400;
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, arena_printf(rq->a, "%s?terima=1", self));
}

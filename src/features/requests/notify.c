/* requests notify: the status message to the applicant through the outbox (see notify.h for the
 * contract every transition must follow). The words are those of requests/view.c, written out
 * here in both languages because a message is composed inside a transaction, without a request
 * or a catalogue at hand (as accounts does for its codes). */
#include <stdio.h>
#include <string.h>

#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/outbox/outbox.h"
#include "features/requests/notify.h"
#include "core/tracking.h"
#include "features/requests/survey.h"

typedef struct {
    const char *code, *id, *en;
} status_words;

static const status_words WORDS[] = {
    {"diajukan", "Permohonan Anda sudah kami terima", "Your request was received"},
    {"perlu_perbaikan", "Petugas meminta Anda memperbaiki atau melengkapi berkas",
     "The officer asked you to correct or complete something"},
    {"dilengkapi", "Perbaikan Anda sudah kami terima", "We received your correction"},
    {"diverifikasi", "Berkas Anda sudah diperiksa dan lengkap",
     "Your documents were checked and are complete"},
    {"diproses", "Dokumen Anda sedang dibuat", "Your document is being made"},
    {"selesai", "Dokumen Anda sudah selesai", "Your document is ready"},
    {"diambil", "Dokumen Anda sudah diambil", "You collected your document"},
    {"dikirim", "Kurir sedang mengantar dokumen Anda", "A courier is bringing your document"},
    {"diterima", "Dokumen Anda sudah diterima", "Your document was delivered"},
    {"dicetak", "Dokumen Anda sudah dicetak di anjungan", "You printed your document at a kiosk"},
    {"ditolak", "Permohonan Anda ditolak", "Your request was rejected"},
    {"dibatalkan", "Permohonan Anda dibatalkan", "The request was cancelled"},
};

static const char *words(const char *status, bool en)
{
    for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++)
        if (strcmp(WORDS[i].code, status) == 0) return en ? WORDS[i].en : WORDS[i].id;
    return NULL;
}

const char *req_notify_body(char *out, size_t cap, const char *lang, const char *shown_code,
                            const char *service, const char *status, const char *reason,
                            const char *link)
{
    bool en = lang && strcmp(lang, "en") == 0;
    const char *w = words(status, en);
    char custom[80];
    if (!w) {
        /* a custom workflow's state: its code, '_' read as a space */
        snprintf(custom, sizeof custom, "%s: %s", en ? "New status" : "Status baru", status);
        for (char *p = custom; *p; p++)
            if (*p == '_') *p = ' ';
        w = custom;
    }
    bool has_reason = reason && *reason;
    /* the reason is the officer's free text: keep the message short (an SMS is read on a phone) */
    int rn = has_reason ? (int)strnlen(reason, 300) : 0;
    snprintf(out, cap, "layan: %s (%s, %s %s).%s%.*s%s %s %s", w, service, en ? "code" : "kode",
             shown_code, has_reason ? (en ? " Reason: " : " Alasan: ") : "", rn,
             has_reason ? reason : "", has_reason ? "." : "", en ? "Details:" : "Lihat:", link);
    return out;
}

static int find(db_conn *c, arena *a, int64_t request_id, char code[TRK_LEN + 1],
                int64_t *applicant, const char **service)
{
    db_stmt *s = db_prepare(c, "SELECT r.tracking_code, r.applicant_id, s.name FROM requests r "
                               "JOIN services s ON s.id = r.service_id WHERE r.id = $1");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, request_id);
    int r = db_step(s);
    if (r == DB_ROW) {
        str t = db_col_text(s, 0), n = db_col_text(s, 2);
        snprintf(code, TRK_LEN + 1, "%.*s", (int)t.n, t.p ? t.p : "");
        *applicant = db_col_is_null(s, 1) ? 0 : db_col_int(s, 1);
        *service = arena_strndup(a, n.p ? n.p : "", n.n);
        r = DB_OK;
    }
    db_finish(s);
    return r;
}

int req_notify_status(db_conn *c, const struct app *ap, int64_t now, int64_t request_id,
                      const char *new_status, const char *reason)
{
    if (!c || !ap || !new_status) return DB_ERR;
    arena *a = arena_new(0);
    if (!a) return DB_ERR;
    char code[TRK_LEN + 1], shown[TRK_SHOWN + 1], body[1200], link[400];
    int64_t applicant = 0;
    const char *service = NULL;
    int r = find(c, a, request_id, code, &applicant, &service);
    acct_user u;
    acct_private p;
    if (r == DB_OK && applicant == 0) r = DB_DONE; /* assisted / integration: no account */
    if (r == DB_OK) r = acct_get(c, applicant, a, &u);
    if (r == DB_ROW) r = DB_OK;
    if (r == DB_OK && (!u.verified || u.disabled || (!u.has_phone && !u.has_email))) r = DB_DONE;
    if (r == DB_OK) r = acct_private_get(c, &ap->keys, applicant, a, &p);
    if (r == DB_ROW) r = DB_OK;
    const char *to = NULL, *channel = NULL;
    if (r == DB_OK) {
        if (p.phone && *p.phone) to = p.phone, channel = "sms";
        else if (p.email && *p.email) to = p.email, channel = "email";
        else r = DB_DONE;
    }
    if (r == DB_OK) {
        bool en = u.lang && strcmp(u.lang, "en") == 0;
        const char *b = ap->cfg ? ap->cfg->base_url : "";
        size_t bn = strlen(b);
        while (bn && b[bn - 1] == '/')
            bn--;
        if (bn == 0) b = "http://127.0.0.1:8080", bn = strlen(b);
        snprintf(link, sizeof link, "%.*s/lacak/%s", (int)bn, b, code);
        trk_format(code, shown);
        req_notify_body(body, sizeof body, u.lang, shown, service, new_status, reason, link);
        /* after a hand-over: the one-time satisfaction survey link (issue 7), when the unit
         * runs a survey period now; issued here, once, in the move's transaction */
        char base[300];
        snprintf(base, sizeof base, "%.*s", (int)bn, b);
        const char *survey = NULL;
        int sr = req_survey_link(c, a, base, request_id, &survey);
        if (sr == DB_OK && survey) {
            size_t k = strlen(body);
            snprintf(body + k, sizeof body - k,
                     en ? "\nHow was our service? Tell us anonymously: %s"
                        : "\nBagaimana layanan kami? Isi survei tanpa nama: %s",
                     survey);
        } else if (sr != DB_OK && sr != DB_DONE) {
            r = sr;
        }
        if (r == DB_OK)
            r = outbox_enqueue(c, &ap->keys, now, channel, to,
                               en ? "Request status" : "Status permohonan", body);
    }
    arena_free(a);
    return r;
}

/* requests view: see view.h. */
#include "features/requests/view.h"

#include <string.h>

#include "render/i18n.h"

static const struct {
    const char *code, *label, *sentence, *action;
} states[] = {
    {"diajukan", N_("Submitted"), N_("Your request was received."), N_("Submit")},
    {"perlu_perbaikan", N_("Correction needed"),
     N_("The officer asked you to correct or complete something."), N_("Ask for a correction")},
    {"dilengkapi", N_("Corrected"), N_("You sent the correction."), N_("Mark as corrected")},
    {"diverifikasi", N_("Verified"), N_("Your documents were checked and are complete."),
     N_("Verify")},
    {"diproses", N_("Being processed"), N_("Your document is being made."), N_("Start processing")},
    {"selesai", N_("Ready"), N_("Your document is ready."), N_("Mark as ready")},
    {"diambil", N_("Collected"), N_("You collected your document."), N_("Hand over")},
    {"dikirim", N_("Out for delivery"), N_("A courier is bringing your document."),
     N_("Send with a courier")},
    {"diterima", N_("Delivered"), N_("Your document was delivered."), N_("Mark as delivered")},
    {"dicetak", N_("Printed at a kiosk"), N_("You printed your document at a kiosk."),
     N_("Printed at a kiosk")},
    {"ditolak", N_("Rejected"), N_("Your request was rejected. The reason is below."), N_("Reject")},
    {"dibatalkan", N_("Cancelled"), N_("The request was cancelled."), N_("Cancel")},
};

static int find(const char *code)
{
    for (size_t i = 0; code && i < sizeof states / sizeof states[0]; i++)
        if (strcmp(states[i].code, code) == 0) return (int)i;
    return -1;
}

static const char *spaced(http_req *rq, const char *code)
{
    char *s = arena_strdup(rq->a, code ? code : "");
    for (char *p = s; *p; p++)
        if (*p == '_') *p = ' ';
    return s;
}

const char *req_status_label(http_req *rq, const char *status)
{
    int i = find(status);
    return i >= 0 ? http_t(rq, states[i].label) : spaced(rq, status);
}

const char *req_status_sentence(http_req *rq, const char *status)
{
    int i = find(status);
    return i >= 0 ? http_t(rq, states[i].sentence) : spaced(rq, status);
}

const char *req_action_label(http_req *rq, const char *to)
{
    int i = find(to);
    return i >= 0 ? http_t(rq, states[i].action) : spaced(rq, to);
}

const char *req_channel_label(http_req *rq, const char *channel)
{
    if (!channel) return "";
    if (strcmp(channel, "online") == 0) return http_t(rq, "Online, by the applicant");
    if (strcmp(channel, "assisted") == 0) return http_t(rq, "Filed by an officer for the applicant");
    if (strcmp(channel, "integration") == 0) return http_t(rq, "From another system");
    if (strcmp(channel, "home_visit") == 0) return http_t(rq, "Home visit");
    return channel;
}

const char *req_delivery_label(http_req *rq, const char *delivery)
{
    if (!delivery) return "";
    if (strcmp(delivery, "pickup") == 0) return http_t(rq, "Pick up at the service point");
    if (strcmp(delivery, "delivery") == 0) return http_t(rq, "Delivered to your home");
    if (strcmp(delivery, "kiosk") == 0) return http_t(rq, "Print it yourself at a kiosk");
    return delivery;
}

const char *req_urgency_class(bool overdue, bool due_today, bool soon)
{
    return overdue ? "overdue" : due_today ? "today" : soon ? "soon" : "ok";
}

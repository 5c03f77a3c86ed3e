/* requests view: the words for a request's state, channel and delivery as citizens and officers
 * read them ("Sedang diproses", never "diproses"), shared by every page, receipt and message
 * about requests. Labels are msgids: the functions return them translated. */
#ifndef LAYAN_REQUESTS_VIEW_H
#define LAYAN_REQUESTS_VIEW_H
#include <stdbool.h>

#include "http/http.h"

/* "Submitted", "Being processed"... for a state code of the default workflow; a state of a
 * custom workflow that has no label is returned as its code with '_' shown as ' ' */
const char *req_status_label(http_req *rq, const char *status);
/* a short sentence a citizen reads in the status history: "Your request was received" */
const char *req_status_sentence(http_req *rq, const char *status);
/* the verb on an officer's button that moves a request into `to` ("Verify", "Ask for a correction") */
const char *req_action_label(http_req *rq, const char *to);
/* "online", "assisted", "integration", "home_visit" */
const char *req_channel_label(http_req *rq, const char *channel);
/* "pickup", "delivery", "kiosk" */
const char *req_delivery_label(http_req *rq, const char *delivery);
/* urgency of a deadline as a word and a class suffix: "overdue" / "today" / "soon" / "ok" */
const char *req_urgency_class(bool overdue, bool due_today, bool soon);

#endif

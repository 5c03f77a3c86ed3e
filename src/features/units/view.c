/* units view: formatting of units for pages (localized day ranges, Indonesian time notation)
 * and for the API (stable machine keys). */
#include "features/units/view.h"

#include <stdio.h>
#include <string.h>

static const char *day_msgid[8] = {"",         "Monday", "Tuesday",  "Wednesday",
                                   "Thursday", "Friday", "Saturday", "Sunday"};

const char *units_tz_label(int offset_min)
{
    switch (offset_min) {
    case 420: return "WIB";
    case 480: return "WITA";
    case 540: return "WIT";
    default: return "";
    }
}

/* Indonesian writes times as 08.00, English as 08:00 */
static char *fmt_time(http_req *rq, int min)
{
    return arena_printf(rq->a, strcmp(rq->lang, "en") == 0 ? "%02d:%02d" : "%02d.%02d", min / 60,
                        min % 60);
}

static char *fmt_hm(arena *a, int min)
{
    return arena_printf(a, "%02d:%02d", min / 60, min % 60);
}

static const unit_hours *hours_of(const unit *u, int wd)
{
    for (int i = 0; i < u->nhours; i++)
        if (u->hours[i].weekday == wd) return &u->hours[i];
    return NULL;
}

static bool same_hours(const unit_hours *a, const unit_hours *b)
{
    if (!a || !b) return a == b;
    return a->opens_min == b->opens_min && a->closes_min == b->closes_min &&
           a->break_start_min == b->break_start_min && a->break_end_min == b->break_end_min;
}

/* consecutive weekdays with the same hours become one row: "Senin–Kamis 08.00–15.00" */
static json_t *hours_rows(http_req *rq, const unit *u)
{
    json_t *rows = json_array();
    int wd = 1;
    while (wd <= 7) {
        const unit_hours *h = hours_of(u, wd);
        int end = wd;
        while (end < 7 && same_hours(h, hours_of(u, end + 1)))
            end++;
        const char *days = end == wd ? http_t(rq, day_msgid[wd])
                                     : arena_printf(rq->a, "%s–%s", http_t(rq, day_msgid[wd]),
                                                    http_t(rq, day_msgid[end]));
        json_t *row = json_object();
        json_object_set_new(row, "days", json_string(days));
        if (!h) {
            json_object_set_new(row, "closed", json_true());
        } else {
            json_object_set_new(row, "time",
                                json_string(arena_printf(rq->a, "%s–%s", fmt_time(rq, h->opens_min),
                                                         fmt_time(rq, h->closes_min))));
            if (h->break_start_min >= 0 && h->break_end_min > h->break_start_min)
                json_object_set_new(
                    row, "break",
                    json_string(arena_printf(rq->a, "%s–%s", fmt_time(rq, h->break_start_min),
                                             fmt_time(rq, h->break_end_min))));
        }
        json_array_append_new(rows, row);
        wd = end + 1;
    }
    return rows;
}

static const char *type_msgid(const char *type)
{
    if (!type) return "";
    if (strcmp(type, "opd") == 0) return "Main office";
    if (strcmp(type, "kecamatan") == 0) return "Kecamatan service point";
    if (strcmp(type, "kelurahan") == 0) return "Kelurahan/desa counter";
    if (strcmp(type, "mpp") == 0) return "Public service mall (MPP)";
    if (strcmp(type, "mobile") == 0) return "Mobile unit";
    if (strcmp(type, "pemda") == 0) return "Local government";
    return "";
}

static void set_str(json_t *o, const char *k, const char *v)
{
    if (v && *v) json_object_set_new(o, k, json_string(v));
}

json_t *units_view_page(http_req *rq, const unit *u)
{
    json_t *o = json_object();
    set_str(o, "code", u->code);
    set_str(o, "name", u->name);
    set_str(o, "type", u->type);
    set_str(o, "type_label", http_t(rq, type_msgid(u->type)));
    set_str(o, "address", u->address);
    set_str(o, "phone", u->phone);
    set_str(o, "email", u->email);
    set_str(o, "tz", units_tz_label(u->tz_offset_min));
    json_object_set_new(o, "url", json_string(arena_printf(rq->a, "/unit/%s", u->code)));
    json_object_set_new(o, "hours", hours_rows(rq, u));
    if (u->phone && *u->phone) {
        /* tel: links dial digits only */
        char tel[48];
        size_t k = 0;
        for (const char *p = u->phone; *p && k + 1 < sizeof tel; p++)
            if ((*p >= '0' && *p <= '9') || (*p == '+' && k == 0)) tel[k++] = *p;
        tel[k] = 0;
        json_object_set_new(o, "tel", json_string(arena_printf(rq->a, "tel:%s", tel)));
    }
    if (u->has_geo) {
        json_object_set_new(o, "lat", json_real(u->lat));
        json_object_set_new(o, "lon", json_real(u->lon));
        json_object_set_new(
            o, "map_url",
            json_string(arena_printf(
                rq->a, "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=18/%.6f/%.6f",
                u->lat, u->lon, u->lat, u->lon)));
    }
    if (u->facilities_loaded) {
        json_t *fs = json_array();
        for (size_t i = 0; i < u->nfacilities; i++) {
            const char *m = units_facility_msgid(u->facilities[i].code);
            json_t *f = json_pack("{s:s,s:s}", "code", u->facilities[i].code, "label",
                                  m ? http_t(rq, m) : u->facilities[i].code);
            set_str(f, "note", u->facilities[i].note);
            json_array_append_new(fs, f);
        }
        json_object_set_new(o, "facilities", fs);
    }
    return o;
}

json_t *units_view_api(const unit *u)
{
    arena *a = arena_new(1024);
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(u->code));
    json_object_set_new(o, "name", json_string(u->name));
    json_object_set_new(o, "type", json_string(u->type ? u->type : ""));
    json_object_set_new(o, "parent_code",
                        u->parent_code ? json_string(u->parent_code) : json_null());
    json_object_set_new(o, "region_code",
                        u->region_code ? json_string(u->region_code) : json_null());
    json_object_set_new(o, "address", u->address ? json_string(u->address) : json_null());
    json_object_set_new(o, "phone", u->phone ? json_string(u->phone) : json_null());
    json_object_set_new(o, "email", u->email ? json_string(u->email) : json_null());
    json_object_set_new(o, "time_zone", json_string(units_tz_label(u->tz_offset_min)));
    json_object_set_new(o, "utc_offset_minutes", json_integer(u->tz_offset_min));
    if (u->has_geo) {
        json_object_set_new(o, "lat", json_real(u->lat));
        json_object_set_new(o, "lon", json_real(u->lon));
    }
    json_t *hours = json_array();
    for (int i = 0; i < u->nhours; i++) {
        const unit_hours *h = &u->hours[i];
        json_t *r = json_pack("{s:i,s:s,s:s}", "weekday", h->weekday, "opens",
                              fmt_hm(a, h->opens_min), "closes", fmt_hm(a, h->closes_min));
        if (h->break_start_min >= 0 && h->break_end_min > h->break_start_min) {
            json_object_set_new(r, "break_start", json_string(fmt_hm(a, h->break_start_min)));
            json_object_set_new(r, "break_end", json_string(fmt_hm(a, h->break_end_min)));
        }
        json_array_append_new(hours, r);
    }
    json_object_set_new(o, "opening_hours", hours);
    /* [{code, note}], note null when there is none; only where the caller loaded them */
    if (u->facilities_loaded) {
        json_t *fs = json_array();
        for (size_t i = 0; i < u->nfacilities; i++)
            json_array_append_new(fs, json_pack("{s:s,s:o}", "code", u->facilities[i].code, "note",
                                                u->facilities[i].note
                                                    ? json_string(u->facilities[i].note)
                                                    : json_null()));
        json_object_set_new(o, "facilities", fs);
    }
    arena_free(a);
    return o;
}

/* a translated message with its %s filled in order; never a printf format (translations are data)
 */
static char *tr_fill(http_req *rq, const char *msgid, const char *a1, const char *a2)
{
    const char *f = http_t(rq, msgid);
    const char *args[2] = {a1, a2};
    buf b;
    buf_init(&b, 4096);
    int k = 0;
    for (const char *p = f; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
            if (k < 2 && args[k]) buf_puts(&b, args[k]);
            k++;
            p++;
        } else {
            buf_putc(&b, *p);
        }
    }
    char *r = arena_strndup(rq->a, b.p ? b.p : "", b.n);
    buf_free(&b);
    return r;
}

static const char *month_msgid[13] = {"",        "January",  "February", "March",  "April",
                                      "May",     "June",     "July",     "August", "September",
                                      "October", "November", "December"};

json_t *units_view_today(http_req *rq, const cal_calendar *cal, int64_t now,
                         const char *holiday_name)
{
    json_t *o = json_object();
    int64_t today = cal_local_day(cal, now);
    if (holiday_name) {
        json_object_set_new(o, "holiday", json_string(holiday_name));
    }
    int64_t next = cal_add_working_minutes(cal, now, 0);
    if (next == now) {
        /* inside opening hours: when does this stretch end? */
        int64_t local_min = (now - cal_instant(cal, today, 0)) / 60;
        const cal_hours *h = &cal->hours[cal_weekday(today)];
        int until = h->close_min;
        if (h->break_end > h->break_start && local_min < h->break_start) until = h->break_start;
        json_object_set_new(o, "open", json_true());
        json_object_set_new(
            o, "text",
            json_string(tr_fill(rq, "Open now · closes at %s", fmt_time(rq, until), NULL)));
        return o;
    }
    json_object_set_new(o, "open", json_false());
    if (next == CAL_NEVER) {
        json_object_set_new(o, "text", json_string(http_t(rq, "Closed now")));
        return o;
    }
    int64_t nday = cal_local_day(cal, next);
    int nmin = (int)((next - cal_instant(cal, nday, 0)) / 60);
    const char *when;
    if (nday == today) when = http_t(rq, "today");
    else if (nday == today + 1) when = http_t(rq, "tomorrow");
    else {
        cal_date d = cal_civil_from_days(nday);
        int wd = cal_weekday(nday); /* 0 = Sunday */
        when = arena_printf(rq->a, "%s, %d %s %d", http_t(rq, day_msgid[wd == 0 ? 7 : wd]), d.d,
                            http_t(rq, month_msgid[d.m]), d.y);
    }
    json_object_set_new(
        o, "text",
        json_string(tr_fill(rq, "Closed now · opens %s at %s", when, fmt_time(rq, nmin))));
    return o;
}

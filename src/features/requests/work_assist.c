/* work assist: an officer files a request for a citizen who came to a counter or a kelurahan/RW
 * post (/petugas/ajukan): channel 'assisted', filed_by the officer, the citizen's NIK and name
 * (phone optional), pickup or delivery. Requirement documents are checked on paper at the
 * counter. The idempotency key made when the form is shown keeps a double submit single. */
#include <stdio.h>
#include <string.h>

#include "features/app.h"
#include "features/form.h"
#include "features/requests/requests.h"
#include "features/requests/web_work.h"
#include "features/services/services.h"
#include "features/units/units.h"

const http_param_spec work_assist_params[] = {{"layanan", HP_CODE, 0, 64, false},
                                              {"titik", HP_CODE, 0, 64, false},
                                              {"nik", HP_STR, 0, 32, false},
                                              {"nama", HP_STR, 0, 200, false},
                                              {"hp", HP_STR, 0, 32, false},
                                              {"pengambilan", HP_CODE, 0, 16, false},
                                              {"alamat", HP_STR, 0, 400, false},
                                              {"kunci", HP_CODE, 0, 128, false},
                                              {0}};

static int render(http_req *rq, db_conn *c, form_state *f, int status)
{
    const char *sv = http_param_c(rq, "layanan"), *pt = http_param_c(rq, "titik");
    svc_filter sf = {0};
    service *ss;
    size_t ns = 0;
    json_t *services = json_array(), *points = json_array();
    if (svc_list(c, rq->a, &sf, &ss, &ns) == DB_OK)
        for (size_t i = 0; i < ns; i++)
            json_array_append_new(services,
                                  json_pack("{s:s,s:s,s:b}", "code", ss[i].code, "name", ss[i].name,
                                            "selected", sv && !strcmp(sv, ss[i].code)));
    unit *us;
    size_t nu = 0;
    if (units_list(c, rq->a, &us, &nu) == DB_OK)
        for (size_t i = 0; i < nu; i++) {
            if (!strcmp(us[i].type, "pemda") || !strcmp(us[i].type, "opd")) continue;
            if (!work_role_at(c, rq->who.user_id, us[i].id)) continue;
            json_array_append_new(points,
                                  json_pack("{s:s,s:s,s:b}", "code", us[i].code, "name", us[i].name,
                                            "selected", pt && !strcmp(pt, us[i].code)));
        }
    char key[CR_TOKEN_LEN + 1];
    cr_random_token(key);
    const char *kept = http_param_c(rq, "kunci");
    json_t *ctx = json_object();
    json_object_set_new(ctx, "services", services);
    json_object_set_new(ctx, "heads", json_boolean((rq->who.roles & WORK_HEADS) != 0));
    json_object_set_new(ctx, "nav_assist", json_true());
    json_object_set_new(ctx, "points", points);
    json_object_set_new(ctx, "kunci", json_string(kept && *kept ? kept : key));
    const char *d = http_param_c(rq, "pengambilan");
    json_object_set_new(ctx, "delivery", json_boolean(d && !strcmp(d, "delivery")));
    form_into(f, ctx);
    return http_page(rq, status, "requests/work_assist", ctx);
}

int work_assist_file(http_req *rq, db_conn *c, const work_assist_in *in, form_state *f,
                     req_created *out)
{
    app *ap = app_of(rq);
    size_t nik_n = in->nik ? strlen(in->nik) : 0, name_n = in->name ? strlen(in->name) : 0,
           addr_n = in->address ? strlen(in->address) : 0;
    bool deliver = in->delivery && !strcmp(in->delivery, "delivery");
    service s;
    unit u;
    if (!in->service || !*in->service || svc_get(c, rq->a, str_c(in->service), &s) != DB_OK)
        form_error(rq, f, "layanan", "Choose the service.");
    if (!in->point || !*in->point || units_get(c, rq->a, str_c(in->point), &u) != DB_OK ||
        !work_role_at(c, rq->who.user_id, u.id))
        form_error(rq, f, "titik", "Choose the service point.");
    bool digits = nik_n == 16;
    for (size_t i = 0; digits && i < nik_n; i++)
        digits = in->nik[i] >= '0' && in->nik[i] <= '9';
    if (!digits)
        form_error(rq, f, "nik", "The NIK must be 16 digits, as on the e-KTP or family card.");
    if (name_n < 2) form_error(rq, f, "nama", "Write the applicant's name.");
    if (deliver && addr_n < 10)
        form_error(rq, f, "alamat", "Write the full delivery address (street, RT/RW, kelurahan).");
    /* the key the form carried (a retried submit files once); none: no de-duplication */
    const char *key = in->key;
    if (key && strlen(key) < 8) key = NULL;
    if (!form_ok(f)) return 422;
    req_new n = {.service_id = s.id,
                 .unit_id = u.id,
                 .filed_by = rq->who.user_id,
                 .channel = "assisted",
                 .delivery = deliver ? "delivery" : "pickup",
                 .nik = in->nik,
                 .name = in->name,
                 .phone = in->phone && *in->phone ? in->phone : NULL,
                 .address = deliver ? in->address : NULL,
                 .form_json = in->form_json,
                 .idempotency_key = key};
    int r = req_create(c, &ap->keys, app_now(), &n, out);
    if (r == REQ_NOT_OFFERED) {
        form_error(rq, f, "titik", "This service is not offered at that service point.");
        return 422;
    }
    if (r == REQ_INVALID) {
        form_error(rq, f, "nik", "Check the NIK, name and address.");
        return 422;
    }
    return r == DB_OK ? DB_OK : 503;
}

static const char *kept(http_req *rq, str v)
{
    return v.n ? arena_strndup(rq->a, v.p, v.n) : NULL;
}

static int post(http_req *rq, db_conn *c, form_state *f)
{
    str sv = form_keep(rq, f, "layanan", 64), pt = form_keep(rq, f, "titik", 64);
    str nik = form_keep(rq, f, "nik", 32), name = form_keep(rq, f, "nama", 200);
    str hp = form_keep(rq, f, "hp", 32), addr = form_keep(rq, f, "alamat", 400);
    work_assist_in in = {kept(rq, sv),   kept(rq, pt), kept(rq, nik),
                         kept(rq, name), kept(rq, hp), http_param_c(rq, "pengambilan"),
                         kept(rq, addr), NULL,         http_param_c(rq, "kunci")};
    req_created out;
    int r = work_assist_file(rq, c, &in, f, &out);
    if (r == 422) return render(rq, c, f, 422);
    if (r != DB_OK) return 503;
    return http_redirect(rq, 303, arena_printf(rq->a, "/petugas/%s?berhasil=diajukan", out.code));
}

int work_page_assist(http_req *rq)
{
    db_conn *c = db_acquire(app_of(rq)->db);
    if (!c) return 503;
    form_state f;
    form_init(&f);
    int st = rq->method == HTTP_POST ? post(rq, c, &f) : render(rq, c, &f, 200);
    form_free(&f);
    db_release(c);
    return st;
}

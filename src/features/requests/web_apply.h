/* requests web (apply): a citizen applies online for a service (the form built from the standard
 * in force and the service's own fields, requirement uploads checked by content), gets a receipt
 * (page, A4 PDF and 58 mm thermal PDF with a signed QR code), and anyone can check a printed QR
 * at /verifikasi/{payload}. See docs/guide-citizen.md "Mengajukan permohonan".
 *
 * Uploads: each requirement is an <input type="file" name="berkas_<doc_type>">; a file is
 * accepted when its first bytes are JPEG, PNG or PDF (whatever its name or declared type says)
 * and it is at most APPLY_FILE_MAX. An accepted file is stored at once, content-addressed
 * (SHA-256), in the "dokumen" directory beside the installation key, and the form carries its
 * hash in a hidden field (simpan1..simpan8, by requirement position): so a form that comes back
 * with an error, and the "check your answers" step, keep the files without sending them again.
 * A hash in a hidden field is only honoured when that file is in the store and its content
 * still passes the checks (knowing a hash means having had the file). Files of forms that were
 * never sent stay in the store (no clean-up yet). */
#ifndef LAYAN_REQUESTS_WEB_APPLY_H
#define LAYAN_REQUESTS_WEB_APPLY_H
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "features/accounts/accounts.h"
#include "features/form.h"
#include "features/services/services.h"
#include "http/http.h"

#define APPLY_FILE_MAX ((size_t)5 << 20) /* 5 MiB per file */
#define APPLY_MAX_FILES 6                /* the route's body cap allows this many full files */
#define APPLY_BODY_MAX (APPLY_MAX_FILES * APPLY_FILE_MAX + 64 * 1024)
#define APPLY_MAX_FIELDS 10 /* the service's own fields: isian1 .. isian10 */
#define APPLY_MAX_KEPT 8    /* requirements whose stored file a form can carry: simpan1..8 */

/* everything the form is built from (apply.c) */
typedef struct {
    service s;
    svc_standard st;
    svc_field *fields;
    size_t nfields;
    svc_point *points;
    size_t npoints;
    acct_private me;
    bool has_me;
    int open_count;
    bool needs_kk;
} apply_src;

/* the file accepted for one requirement (indexed like st.reqs); sha256 NULL = none */
typedef struct {
    const char *content_type, *sha256, *storage_ref;
    int64_t size;
} apply_file;

extern const http_param_spec reqweb_apply_params[], reqweb_receipt_params[], reqweb_verify_params[];

/* apply.c: GET|POST /layanan/{code}/ajukan (ROLE_CITIZEN) */
int reqweb_page_apply(http_req *rq);
/* receipt.c: GET /permohonan/{code}/tanda-terima (+ .pdf, -58.pdf): the applicant, or staff of
 * the unit; 404 for anyone else */
int reqweb_page_receipt(http_req *rq);
int reqweb_receipt_pdf(http_req *rq);
int reqweb_receipt_pdf58(http_req *rq);
/* verify.c: GET /verifikasi/{payload} (public) */
int reqweb_page_verify(http_req *rq);

/* apply_files.c */
/* "image/jpeg", "image/png", "application/pdf" from the file's first bytes, or NULL */
const char *apply_sniff(const char *path);
/* whether a requirement's file_types list ("jpg,png,pdf") allows the content type */
bool apply_type_allowed(const char *file_types, const char *content_type);
/* hashes the temp file and moves (or copies) it into the document store; storage_ref and
 * sha256 (64 hex) are arena strings. 0 or -1. */
int apply_store_file(http_req *rq, const char *tmp_path, const char **storage_ref,
                     const char **sha256);

/* the stored file of a hidden "simpanN" hash: 0 when it is in the store and passes the checks */
int apply_stored_file(http_req *rq, const char *sha256, apply_file *out);
/* "PDF", "PNG" or "JPG" */
const char *apply_kind(const char *content_type);

/* apply_check.c: the "check your answers" page, with every answer in hidden fields (form:
 * the service's own answers as filed, with jenis_kia) */
int apply_render_check(http_req *rq, const apply_src *x, form_state *f, const apply_file *files,
                       json_t *form);

/* apply_store.c */
/* whether a kiosk PIN was ever issued for the request (the receipt shows a new one only once) */
int apply_pin_issued(db_conn *c, int64_t request_id, bool *issued);

/* receipt.c: the public address of a path ([app] base_url, else a local default) */
const char *reqweb_public_url(http_req *rq, const char *path);

#endif

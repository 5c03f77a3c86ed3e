/* work doc: a requirement document for staff in scope (/petugas/{code}/dokumen/{id}), served
 * with the content type detected at upload, inline (the server marks every signed-in answer
 * "private, no-store", and nosniff). Opening it is a read of the
 * citizen's personal data and is recorded first, like the detail page. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "features/accounts/accounts.h"
#include "features/app.h"
#include "features/requests/docstore.h"
#include "features/requests/requests.h"
#include "features/requests/web_work.h"

#define DOC_MAX ((size_t)16 << 20)

/* "dokumen/<64 hex>" only (docs_path refuses anything else): nothing else may name a file */
static int read_doc(http_req *rq, const char *ref, str *out)
{
    app *a = app_of(rq);
    char path[1200];
    if (docs_path(a->cfg, ref, path, sizeof path) != 0) return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat sb;
    int rc = -1;
    if (fstat(fd, &sb) != 0 || sb.st_size < 0 || (size_t)sb.st_size > DOC_MAX) goto done;
    char *p = arena_alloc(rq->a, (size_t)sb.st_size + 1);
    size_t got = 0;
    while (p && got < (size_t)sb.st_size) {
        ssize_t n = read(fd, p + got, (size_t)sb.st_size - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    if (!p || got != (size_t)sb.st_size) goto done;
    *out = (str){p, got};
    rc = 0;
done:
    close(fd);
    return rc;
}

int work_page_doc(http_req *rq)
{
    app *ap = app_of(rq);
    db_conn *c = db_acquire(ap->db);
    if (!c) return 503;
    work_ref ref;
    long id = 0;
    int r = work_ref_get(c, rq->a, http_param_c(rq, "code"), &ref);
    if (r != DB_OK || !work_role_at(c, rq->who.user_id, ref.unit_id) ||
        !str_to_long(http_param(rq, "id"), 1, INT32_MAX, &id)) {
        db_release(c);
        return r == DB_OK || r == DB_DONE ? 404 : 503;
    }
    req_document *d;
    size_t nd;
    const req_document *doc = NULL;
    if (req_docs(c, rq->a, ref.id, false, &d, &nd) == DB_OK)
        for (size_t i = 0; i < nd; i++)
            if (d[i].id == id) doc = &d[i];
    char path[1200];
    if (!doc || docs_path(ap->cfg, doc->storage_ref, path, sizeof path) != 0 ||
        !doc->content_type) {
        db_release(c);
        return 404;
    }
    if (ref.applicant_id > 0) {
        r = db_begin(c);
        if (r == DB_OK)
            r = acct_record_access(c, app_now(), ref.applicant_id, rq->who.user_id, ref.unit_id,
                                   "memproses permohonan",
                                   arena_printf(rq->a, "dokumen persyaratan (%s)",
                                                doc->doc_type ? doc->doc_type : "-"));
        if (r == DB_OK) r = db_commit(c);
        if (r != DB_OK) {
            db_rollback(c);
            db_release(c);
            return 503;
        }
    }
    db_release(c);
    str body;
    if (read_doc(rq, doc->storage_ref, &body) != 0) return 404;
    const char *ext = strcmp(doc->content_type, "application/pdf") == 0 ? "pdf"
                      : strcmp(doc->content_type, "image/png") == 0     ? "png"
                                                                        : "jpg";
    http_header(rq, "Content-Disposition",
                arena_printf(rq->a, "inline; filename=\"%s-%ld.%s\"", ref.code, id, ext));
    return http_text(rq, 200, doc->content_type, body);
}

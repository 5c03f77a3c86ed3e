/* parse: request parsers with hard caps, independent of libmicrohttpd: query strings and
 * urlencoded forms, cookies, streaming multipart/form-data. Results are slices allocated in the
 * caller's arena. Every decoded name and value is valid UTF-8 text. */
#ifndef LAYAN_PARSE_H
#define LAYAN_PARSE_H
#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"
#include "lib/str.h"

typedef struct {
    str name;
    str value;
} http_kv;

typedef struct {
    http_kv *items;
    size_t n;
} http_kvs;

typedef struct {
    size_t max_pairs, max_name, max_value, max_total;
} http_limits;

enum http_perr {
    HTTP_POK = 0,
    HTTP_PE_TOO_MANY = -1,
    HTTP_PE_TOO_LONG = -2,
    HTTP_PE_ENCODING = -3,
    HTTP_PE_UTF8 = -4,
    HTTP_PE_SYNTAX = -5,
    HTTP_PE_TOO_LARGE = -6,
    HTTP_PE_IO = -7,
};

const char *http_perr_str(int e);
str http_kvs_get(const http_kvs *k, const char *name);

/* `a=1&b=x+y%20z`: + is a space, %XX decoded, empty pairs skipped, `a` alone has an empty value */
int http_parse_urlencoded(arena *a, str in, const http_limits *lim, http_kvs *out);
int http_percent_decode(arena *a, str in, bool plus_is_space, str *out);
/* RFC 6265 Cookie header; malformed pairs are skipped, never an error */
int http_parse_cookies(arena *a, str header, const http_limits *lim, http_kvs *out);

/* multipart/form-data, fed in chunks of any size */
typedef struct {
    str field;
    str filename;     /* sanitized: base name, no separators or control characters */
    str content_type; /* as declared by the client: never trusted for type checks */
    const char *tmp_path;
    size_t size;
} http_upload;

typedef struct {
    size_t max_parts, max_field_value, max_file_size, max_total, max_header;
    const char *tmp_dir;
} http_mp_limits;

typedef struct http_mp http_mp;
int http_mp_boundary(str content_type_header, str *boundary);
http_mp *http_mp_new(arena *a, str boundary, const http_mp_limits *lim);
int http_mp_feed(http_mp *m, const char *data, size_t n);
int http_mp_finish(http_mp *m, http_kvs *fields, http_upload **files, size_t *nfiles);
/* removes temp files that nobody claimed (http_mp_claim), closes what is open */
void http_mp_cleanup(http_mp *m);
/* the caller takes ownership of an upload's temp file: cleanup will not remove it */
void http_mp_claim(http_mp *m, size_t index);

#endif

/* log: leveled logfmt lines to stderr (or a configured stream), thread-safe.
 *
 * Lines look like `ts=2026-11-22T14:00:00Z level=info msg="..." key=value`. Never log personal
 * data (NIK, names, phone numbers): callers pass masked values. */
#ifndef LAYAN_LOG_H
#define LAYAN_LOG_H
#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
int log_parse_level(const char *s, enum log_level *out); /* "debug".."error","off" */
void log_set_stream(FILE *f);
/* msg is quoted; extra is appended verbatim (already-formatted key=value pairs) */
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* a raw, preformatted line (the access log) */
void log_line(const char *line, size_t n);

#define LOGD(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define LOGI(...) log_msg(LOG_INFO, __VA_ARGS__)
#define LOGW(...) log_msg(LOG_WARN, __VA_ARGS__)
#define LOGE(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif

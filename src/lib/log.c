/* log: see log.h. One mutex-guarded fwrite per line keeps lines whole across threads. */
#include "lib/log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

static enum log_level g_level = LOG_INFO;
static FILE *g_stream;

void log_set_level(enum log_level lvl)
{
    g_level = lvl;
}

enum log_level log_get_level(void)
{
    return g_level;
}

int log_parse_level(const char *s, enum log_level *out)
{
    static const char *names[] = {"debug", "info", "warn", "error", "off"};
    for (int i = 0; i <= LOG_OFF; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    return -1;
}

void log_set_stream(FILE *f)
{
    g_stream = f;
}

/* one write(2) per line: lines from several threads never interleave (short appends are
 * atomic), and nothing waits on a lock or sits in a stdio buffer when the process dies */
void log_line(const char *line, size_t n)
{
    FILE *f = g_stream ? g_stream : stderr;
    if (n == 0) return;
    if (line[n - 1] != '\n') {
        char tmp[2048];
        if (n >= sizeof tmp) n = sizeof tmp - 1;
        memcpy(tmp, line, n);
        tmp[n++] = '\n';
        log_line(tmp, n);
        return;
    }
    fflush(f);
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fileno(f), line + off, n - off);
        if (w <= 0) {
            if (w < 0 && errno == EINTR) continue;
            break;
        }
        off += (size_t)w;
    }
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error", "off"};
    if (lvl < g_level || g_level == LOG_OFF) return;
    char msg[1024], line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* quote the message: replace quotes and newlines so one event stays one line */
    for (char *p = msg; *p; p++)
        if (*p == '"') *p = '\'';
        else if (*p == '\n' || *p == '\r') *p = ' ';
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int n = snprintf(line, sizeof line, "ts=%s level=%s msg=\"%s\"\n", ts, names[lvl], msg);
    if (n < 0) return;
    if ((size_t)n >= sizeof line) n = sizeof line - 1;
    log_line(line, (size_t)n);
}

/* outbox worker: one thread per node sending due messages every second, or at once when
 * kicked after an enqueue. Stop is immediate (a timed wait on a condition variable). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "features/app.h"
#include "features/outbox/outbox.h"
#include "lib/log.h"

struct outbox_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, kicked;
    db *d;
    const cr_keys *k;
    const layan_config *cfg;
};

static void *run(void *p)
{
    outbox_worker *w = p;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        w->kicked = false;
        pthread_mutex_unlock(&w->mu);
        int n;
        do {
            n = outbox_run_once(w->d, w->k, w->cfg, app_now(), 20);
        } while (n == 20 && !w->stop);
        pthread_mutex_lock(&w->mu);
        if (w->stop || w->kicked) continue;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

outbox_worker *outbox_worker_start(db *d, const cr_keys *k, const layan_config *cfg)
{
    outbox_worker *w = calloc(1, sizeof *w);
    if (!w) abort();
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->d = d;
    w->k = k;
    w->cfg = cfg;
    if (pthread_create(&w->th, NULL, run, w) != 0) {
        LOGE("outbox: cannot start the sender thread");
        free(w);
        return NULL;
    }
    return w;
}

void outbox_kick(outbox_worker *w)
{
    pthread_mutex_lock(&w->mu);
    w->kicked = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void outbox_worker_stop(outbox_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

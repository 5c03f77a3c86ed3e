/* outbox worker: one thread per node sending due messages every second, or at once when
 * kicked after an enqueue. Stop is immediate (a timed wait on a condition variable); a send in
 * progress finishes first (at most its timeout). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "features/app.h"
#include "features/outbox/outbox.h"
#include "lib/log.h"

struct outbox_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_bool stop; /* also read between batches, outside the mutex */
    bool kicked, failing;
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
        } while (n == 20 && !atomic_load(&w->stop));
        /* one line when the database goes away and one when it is back, not one a second */
        if (n < 0 && !w->failing) LOGE("outbox: database error %d, retrying every second", n);
        else if (n >= 0 && w->failing) LOGI("outbox: database answering again");
        w->failing = n < 0;
        pthread_mutex_lock(&w->mu);
        if (w->stop || w->kicked) continue;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
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
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* a clock step does not stall the sender */
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&w->stop, false);
    w->d = d;
    w->k = k;
    w->cfg = cfg;
    if (strcmp(cfg->notify_sender, "dev") == 0)
        LOGW("outbox: [notify] sender = dev: messages and one-time codes go to the log and are "
             "never delivered; set sender = live in production");
    else if (strcmp(cfg->notify_sender, "live") != 0)
        LOGE("outbox: unknown [notify] sender (dev or live): messages stay pending");
    if (pthread_create(&w->th, NULL, run, w) != 0) {
        LOGE("outbox: cannot start the sender thread");
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    return w;
}

void outbox_kick(outbox_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->kicked = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void outbox_worker_stop(outbox_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    atomic_store(&w->stop, true);
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

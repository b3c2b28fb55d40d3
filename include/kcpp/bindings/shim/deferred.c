// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred work: workqueues, work items, delayed work and high-resolution
 * timers (kcpp/workqueue.h, kcpp/hrtimer.h). The callbacks the kernel calls
 * are the shim's, of the kernel's exact types (work_func_t,
 * enum hrtimer_restart (*)(struct hrtimer *)), so that kCFI holds; they
 * call C++ through the records of deferred.h, which C++ objects embed.
 */
#include <linux/version.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/math.h>
#include <linux/workqueue.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"
#include "deferred.h"

struct workqueue_struct *kcpp_alloc_workqueue(const char *name, unsigned int flags,
					      int max_active)
{
	return alloc_workqueue("%s", flags, max_active, name);
}

void kcpp_destroy_workqueue(struct workqueue_struct *wq)
{
	destroy_workqueue(wq);
}

void kcpp_flush_workqueue(struct workqueue_struct *wq)
{
	flush_workqueue(wq);
}

struct workqueue_struct *kcpp_system_wq(void)
{
	return system_wq;
}

static void kcpp_work_fn(struct work_struct *work)
{
	struct kcpp_work *w = container_of(work, struct kcpp_work, work);

	w->fn(w->data);
}

/*
 * INIT_WORK() gives every item initialised at its call site one lockdep
 * class, which here would be every kcpp item of the module: an item that
 * flushes or cancels another would look like recursion. The caller's key
 * (one per C++ item type) replaces it.
 */
static void kcpp_work_lockdep(struct work_struct *work, const char *name,
			      struct lock_class_key *key)
{
#ifdef CONFIG_LOCKDEP
	lockdep_init_map(&work->lockdep_map, name, key, 0);
#endif
}

void kcpp_init_work(struct kcpp_work *w, void (*fn)(void *), void *data, const char *name,
		    struct lock_class_key *key)
{
	INIT_WORK(&w->work, kcpp_work_fn);
	kcpp_work_lockdep(&w->work, name, key);
	w->fn = fn;
	w->data = data;
}

bool kcpp_queue_work(struct workqueue_struct *wq, struct kcpp_work *w)
{
	return queue_work(wq, &w->work);
}

bool kcpp_cancel_work_sync(struct kcpp_work *w)
{
	return cancel_work_sync(&w->work);
}

bool kcpp_flush_work(struct kcpp_work *w)
{
	return flush_work(&w->work);
}

bool kcpp_work_pending(const struct kcpp_work *w)
{
	return work_pending(&w->work);
}

static void kcpp_delayed_work_fn(struct work_struct *work)
{
	struct kcpp_delayed_work *w = container_of(to_delayed_work(work),
						   struct kcpp_delayed_work, dwork);

	w->fn(w->data);
}

void kcpp_init_delayed_work(struct kcpp_delayed_work *w, void (*fn)(void *), void *data,
			    const char *name, struct lock_class_key *key)
{
	INIT_DELAYED_WORK(&w->dwork, kcpp_delayed_work_fn);
	kcpp_work_lockdep(&w->dwork.work, name, key);
	w->fn = fn;
	w->data = data;
}

/*
 * At least delay_ns: rounded up to whole jiffies, plus one, since the tick
 * now running is already partly gone (as msleep() does).
 */
static unsigned long kcpp_delay_jiffies(unsigned long long delay_ns)
{
	if (!delay_ns)
		return 0;
	return usecs_to_jiffies(DIV_ROUND_UP_ULL(delay_ns, NSEC_PER_USEC)) + 1;
}

bool kcpp_queue_delayed_work(struct workqueue_struct *wq, struct kcpp_delayed_work *w,
			     unsigned long long delay_ns)
{
	return queue_delayed_work(wq, &w->dwork, kcpp_delay_jiffies(delay_ns));
}

bool kcpp_mod_delayed_work(struct workqueue_struct *wq, struct kcpp_delayed_work *w,
			   unsigned long long delay_ns)
{
	return mod_delayed_work(wq, &w->dwork, kcpp_delay_jiffies(delay_ns));
}

bool kcpp_cancel_delayed_work_sync(struct kcpp_delayed_work *w)
{
	return cancel_delayed_work_sync(&w->dwork);
}

bool kcpp_flush_delayed_work(struct kcpp_delayed_work *w)
{
	return flush_delayed_work(&w->dwork);
}

static enum hrtimer_restart kcpp_hrtimer_fn(struct hrtimer *timer)
{
	struct kcpp_hrtimer *t = container_of(timer, struct kcpp_hrtimer, timer);

	return t->fn(t->data) ? HRTIMER_RESTART : HRTIMER_NORESTART;
}

void kcpp_hrtimer_init(struct kcpp_hrtimer *t, int (*fn)(void *), void *data)
{
	hrtimer_init(&t->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	t->timer.function = kcpp_hrtimer_fn;
	t->fn = fn;
	t->data = data;
}

void kcpp_hrtimer_start(struct kcpp_hrtimer *t, long long ns, bool absolute)
{
	hrtimer_start(&t->timer, ns_to_ktime(ns), absolute ? HRTIMER_MODE_ABS : HRTIMER_MODE_REL);
}

bool kcpp_hrtimer_cancel(struct kcpp_hrtimer *t)
{
	return hrtimer_cancel(&t->timer);
}

bool kcpp_hrtimer_active(const struct kcpp_hrtimer *t)
{
	return hrtimer_active(&t->timer);
}

unsigned long long kcpp_hrtimer_forward_now(struct kcpp_hrtimer *t, long long interval_ns)
{
	return hrtimer_forward_now(&t->timer, ns_to_ktime(interval_ns));
}

long long kcpp_hrtimer_expires_ns(const struct kcpp_hrtimer *t)
{
	return ktime_to_ns(hrtimer_get_expires(&t->timer));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Synchronisation: mutexes, spinlocks, reference counts, RCU and
 * completions.
 */
#include <linux/version.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include "internal.h"

/*
 * The key is a static object of the C++ construction site (one lockdep
 * class per site); the name is that site, for lockdep reports.
 */
void kcpp_mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key)
{
	__mutex_init(lock, name, key);
}

void kcpp_mutex_destroy(struct mutex *lock)
{
	mutex_destroy(lock);
}

void kcpp_mutex_lock(struct mutex *lock)
{
	mutex_lock(lock);
}

int kcpp_mutex_lock_interruptible(struct mutex *lock)
{
	return mutex_lock_interruptible(lock);
}

bool kcpp_mutex_trylock(struct mutex *lock)
{
	return mutex_trylock(lock);
}

void kcpp_mutex_unlock(struct mutex *lock)
{
	mutex_unlock(lock);
}

bool kcpp_mutex_is_locked(struct mutex *lock)
{
	return mutex_is_locked(lock);
}

/*
 * On PREEMPT_RT spinlock_t is an rt_mutex (it sleeps) with a lockdep map of
 * its own; elsewhere it wraps a raw_spinlock_t. Either way the class is the
 * caller's key, not one static key of this function.
 */
void kcpp_spin_lock_init(spinlock_t *lock, const char *name, struct lock_class_key *key)
{
#if defined(CONFIG_PREEMPT_RT)
	__spin_lock_init(lock, name, key, false);
#elif defined(CONFIG_DEBUG_SPINLOCK)
	__raw_spin_lock_init(spinlock_check(lock), name, key, LD_WAIT_CONFIG);
#else
	spin_lock_init(lock);
#endif
}

void kcpp_spin_lock(spinlock_t *lock)
{
	spin_lock(lock);
}

bool kcpp_spin_trylock(spinlock_t *lock)
{
	return spin_trylock(lock);
}

void kcpp_spin_unlock(spinlock_t *lock)
{
	spin_unlock(lock);
}

unsigned long kcpp_spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	return flags;
}

void kcpp_spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock_irqrestore(lock, flags);
}

bool kcpp_spin_is_locked(spinlock_t *lock)
{
	return spin_is_locked(lock);
}

/* A raw spinlock spins on every kernel, PREEMPT_RT included. */
void kcpp_raw_spin_lock_init(raw_spinlock_t *lock, const char *name, struct lock_class_key *key)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	__raw_spin_lock_init(lock, name, key, LD_WAIT_SPIN);
#else
	raw_spin_lock_init(lock);
#endif
}

void kcpp_raw_spin_lock(raw_spinlock_t *lock)
{
	raw_spin_lock(lock);
}

bool kcpp_raw_spin_trylock(raw_spinlock_t *lock)
{
	return raw_spin_trylock(lock);
}

void kcpp_raw_spin_unlock(raw_spinlock_t *lock)
{
	raw_spin_unlock(lock);
}

unsigned long kcpp_raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long flags;

	raw_spin_lock_irqsave(lock, flags);
	return flags;
}

void kcpp_raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags)
{
	raw_spin_unlock_irqrestore(lock, flags);
}

bool kcpp_raw_spin_is_locked(raw_spinlock_t *lock)
{
	return raw_spin_is_locked(lock);
}

bool kcpp_irqs_disabled(void)
{
	return irqs_disabled();
}

void kcpp_refcount_set(refcount_t *r, unsigned int n)
{
	refcount_set(r, n);
}

void kcpp_refcount_inc(refcount_t *r)
{
	refcount_inc(r);
}

bool kcpp_refcount_dec_and_test(refcount_t *r)
{
	return refcount_dec_and_test(r);
}

unsigned int kcpp_refcount_read(const refcount_t *r)
{
	return refcount_read(r);
}

void kcpp_rcu_read_lock(void)
{
	rcu_read_lock();
}

void kcpp_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

void kcpp_synchronize_rcu(void)
{
	synchronize_rcu();
}

void kcpp_init_completion(struct completion *c)
{
	init_completion(c);
}

void kcpp_complete(struct completion *c)
{
	complete(c);
}

void kcpp_complete_all(struct completion *c)
{
	complete_all(c);
}

/* Remaining jiffies become a sign: 1 completed, 0 timed out, <0 interrupted. */
long kcpp_wait_for_completion_timeout_ms(struct completion *c, unsigned int ms)
{
	return wait_for_completion_timeout(c, msecs_to_jiffies(ms)) ? 1 : 0;
}

long kcpp_wait_for_completion_interruptible_timeout_ms(struct completion *c, unsigned int ms)
{
	long r = wait_for_completion_interruptible_timeout(c, msecs_to_jiffies(ms));

	return r > 0 ? 1 : r;
}

void kcpp_reinit_completion(struct completion *c)
{
	reinit_completion(c);
}

void kcpp_wait_for_completion(struct completion *c)
{
	wait_for_completion(c);
}

/* Wait queues (kcpp/sync/wait.h, kcpp/sync/condvar.h). */
void kcpp_init_waitqueue_head(struct wait_queue_head *wq, const char *name,
			      struct lock_class_key *key)
{
	__init_waitqueue_head(wq, name, key);
}

void kcpp_wake_up(struct wait_queue_head *wq, int nr)
{
	__wake_up(wq, TASK_NORMAL, nr, NULL);
}

void kcpp_init_wait_entry(struct wait_queue_entry *entry, bool exclusive)
{
	init_wait_entry(entry, exclusive ? WQ_FLAG_EXCLUSIVE : 0);
}

long kcpp_prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *entry,
			  bool interruptible)
{
	return prepare_to_wait_event(wq, entry,
				     interruptible ? TASK_INTERRUPTIBLE : TASK_UNINTERRUPTIBLE);
}

void kcpp_finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *entry)
{
	finish_wait(wq, entry);
}

void kcpp_schedule(void)
{
	schedule();
}

unsigned long kcpp_schedule_timeout_ms(unsigned long ms)
{
	return jiffies_to_msecs(schedule_timeout(msecs_to_jiffies(ms)));
}

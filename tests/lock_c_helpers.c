// SPDX-License-Identifier: GPL-2.0
/*
 * What lockdep itself records about the locks the current task holds, for
 * the lock-class tests: their class comes from lockdep's held-lock stack,
 * not from kcpp's own keys.
 */
#include <linux/debug_locks.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include "lock_c_helpers.h"

int kcpp_test_held_lock_class(const void *obj, size_t size)
{
#ifdef CONFIG_LOCKDEP
	int i;

	/*
	 * Not simply the top entry: on PREEMPT_RT, taking a spinlock_t also
	 * takes rcu_read_lock(), whose map lands above the lock's own.
	 */
	for (i = current->lockdep_depth - 1; i >= 0; i--) {
		const char *map = (const char *)current->held_locks[i].instance;

		if (map >= (const char *)obj && map < (const char *)obj + size)
			return current->held_locks[i].class_idx;
	}
#endif
	return -1;
}

int kcpp_test_preemptible(void)
{
	if (!IS_ENABLED(CONFIG_PREEMPT_COUNT))
		return -1;
	return preemptible() ? 1 : 0;
}

bool kcpp_test_lockdep_on(void)
{
	return IS_ENABLED(CONFIG_LOCKDEP) && debug_locks;
}

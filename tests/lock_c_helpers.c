// SPDX-License-Identifier: GPL-2.0
/*
 * What lockdep itself records about the locks the current task holds, for
 * the lock-class tests: their class comes from lockdep's held-lock stack,
 * not from kcpp's own keys.
 */
#include <linux/debug_locks.h>
#include <linux/lockdep.h>
#include <linux/sched.h>

#include "lock_c_helpers.h"

int kcpp_test_top_lock_class(void)
{
#ifdef CONFIG_LOCKDEP
	if (current->lockdep_depth == 0)
		return -1;
	return current->held_locks[current->lockdep_depth - 1].class_idx;
#else
	return -1;
#endif
}

bool kcpp_test_lockdep_on(void)
{
	return IS_ENABLED(CONFIG_LOCKDEP) && debug_locks;
}

/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by lock_c_helpers.c (C) and the C++ lock tests. */
#ifndef KCPP_TESTS_LOCK_C_HELPERS_H
#define KCPP_TESTS_LOCK_C_HELPERS_H

#ifdef __cplusplus
extern "C" {
#define KCPP_TEST_BOOL bool
#else
#define KCPP_TEST_BOOL _Bool
#endif

/*
 * lockdep's class index of the lock the current task holds whose lockdep map
 * lies in the size bytes at obj; -1 without lockdep or without such a lock.
 */
int kcpp_test_held_lock_class(const void *obj, __SIZE_TYPE__ size);
/* Whether lockdep runs (CONFIG_LOCKDEP, and no earlier report turned it off). */
KCPP_TEST_BOOL kcpp_test_lockdep_on(void);
/*
 * preemptible() of the current task: 1 or 0; -1 where the kernel keeps no
 * preemption count to tell (no CONFIG_PREEMPT_COUNT).
 */
int kcpp_test_preemptible(void);

#ifdef __cplusplus
}
#endif

#endif

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

/* lockdep's class index of the lock the current task took last; -1 without lockdep. */
int kcpp_test_top_lock_class(void);
/* Whether lockdep runs (CONFIG_LOCKDEP, and no earlier report turned it off). */
KCPP_TEST_BOOL kcpp_test_lockdep_on(void);

#ifdef __cplusplus
}
#endif

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by alloc_c_helpers.c (C) and the C++ allocation tests. */
#ifndef KCPP_TESTS_ALLOC_C_HELPERS_H
#define KCPP_TESTS_ALLOC_C_HELPERS_H

#ifdef __cplusplus
extern "C" {
#define KCPP_TEST_BOOL bool
#else
#define KCPP_TEST_BOOL _Bool
#endif

void kcpp_test_run_atomic(void (*fn)(void *ctx), void *ctx);
KCPP_TEST_BOOL kcpp_test_in_atomic(void);
/* Whether kcpp_test_run_atomic()'s spinlock is held now. */
KCPP_TEST_BOOL kcpp_test_atomic_lock_held(void);
/* The physical address of kmalloc memory p (virt_to_phys). */
unsigned long long kcpp_test_phys_addr(const void *p);

#ifdef __cplusplus
}
#endif

#endif

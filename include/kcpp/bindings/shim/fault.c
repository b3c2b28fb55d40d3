// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for kcpp's failure-path tests, built only with
 * CONFIG_KCPP_FAULT_INJECTION (which the KUnit tests select): no module
 * built for a kernel without the option carries it.
 *
 * Off (a patched-out branch, no cost) until a test arms it; while armed,
 * every allocation and free of the shim is counted, the countdown can fail
 * one, and the flags of the last KCPP_GFP_LOG allocations are kept for tests
 * to check. The allocation, devres and DMA entries call the hooks through
 * internal.h.
 */
#include <linux/version.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/jump_label.h>
#include <linux/gfp.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

#if IS_ENABLED(CONFIG_KCPP_FAULT_INJECTION)
DEFINE_STATIC_KEY_FALSE(kcpp_fault_armed);
static atomic_long_t kcpp_live_allocations = ATOMIC_LONG_INIT(0);
static atomic_long_t kcpp_fail_countdown = ATOMIC_LONG_INIT(0);
static atomic_long_t kcpp_injected_failures = ATOMIC_LONG_INIT(0);
#define KCPP_GFP_LOG 32
static atomic_long_t kcpp_gfp_seen = ATOMIC_LONG_INIT(0);
static unsigned int kcpp_gfp_log[KCPP_GFP_LOG];

noinline bool kcpp_fault_should_fail(void)
{
	long left = atomic_long_read(&kcpp_fail_countdown);

	while (left > 0) {
		if (atomic_long_try_cmpxchg(&kcpp_fail_countdown, &left, left - 1)) {
			if (left == 1) {
				atomic_long_inc(&kcpp_injected_failures);
				return true;
			}
			return false;
		}
	}
	return false;
}

/* Records the flags an armed allocation passes to the kernel. */
noinline void kcpp_fault_note_gfp(gfp_t gfp)
{
	long n = atomic_long_fetch_inc(&kcpp_gfp_seen);

	WRITE_ONCE(kcpp_gfp_log[n % KCPP_GFP_LOG], (__force unsigned int)gfp);
}

noinline void kcpp_fault_count(const void *p, long delta)
{
	if (p)
		atomic_long_add(delta, &kcpp_live_allocations);
}

void kcpp_fault_arm(bool on)
{
	if (on) {
		atomic_long_set(&kcpp_gfp_seen, 0);
		static_branch_enable(&kcpp_fault_armed);
	} else {
		static_branch_disable(&kcpp_fault_armed);
	}
}

void kcpp_fault_fail_nth(long n)
{
	atomic_long_set(&kcpp_fail_countdown, n);
}

long kcpp_fault_live_allocations(void)
{
	return atomic_long_read(&kcpp_live_allocations);
}

long kcpp_fault_injected(void)
{
	return atomic_long_read(&kcpp_injected_failures);
}

long kcpp_fault_allocations_seen(void)
{
	return atomic_long_read(&kcpp_gfp_seen);
}

unsigned int kcpp_fault_gfp_of(long i)
{
	long n = atomic_long_read(&kcpp_gfp_seen);

	if (i < 0 || i >= n || i < n - KCPP_GFP_LOG)
		return 0;
	return READ_ONCE(kcpp_gfp_log[i % KCPP_GFP_LOG]);
}

/*
 * A test that provokes kcpp_warn() on purpose announces how many warnings
 * it expects: those are logged as expected instead of WARNing (which would
 * taint the kernel and fail make check's log check), and counted down.
 */
static atomic_t kcpp_expected_warnings = ATOMIC_INIT(0);

void kcpp_fault_expect_warnings(int n)
{
	atomic_set(&kcpp_expected_warnings, n);
}

int kcpp_fault_expected_warnings_left(void)
{
	return atomic_read(&kcpp_expected_warnings);
}

bool kcpp_fault_warning_expected(void)
{
	return atomic_dec_if_positive(&kcpp_expected_warnings) >= 0;
}
#endif /* CONFIG_KCPP_FAULT_INJECTION */

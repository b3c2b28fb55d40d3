// SPDX-License-Identifier: GPL-2.0
/*
 * C helpers of the allocation tests: running a C++ callback in atomic
 * context (a spinlock held, interrupts off), as an interrupt handler would,
 * and the physical address of memory, to check where it was placed.
 */
#include <linux/spinlock.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>
#include <linux/io.h>

#include "alloc_c_helpers.h"

static DEFINE_SPINLOCK(kcpp_test_lock);

void kcpp_test_run_atomic(void (*fn)(void *ctx), void *ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&kcpp_test_lock, flags);
	fn(ctx);
	spin_unlock_irqrestore(&kcpp_test_lock, flags);
}

unsigned long long kcpp_test_phys_addr(const void *p)
{
	return virt_to_phys((void *)p);
}

bool kcpp_test_in_atomic(void)
{
	return in_atomic() && irqs_disabled();
}

bool kcpp_test_atomic_lock_held(void)
{
	return spin_is_locked(&kcpp_test_lock);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * C helpers of the allocation tests: running a C++ callback in atomic
 * context (a spinlock held, interrupts off), as an interrupt handler would.
 */
#include <linux/spinlock.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>

#include "alloc_c_helpers.h"

static DEFINE_SPINLOCK(kcpp_test_lock);

void kcpp_test_run_atomic(void (*fn)(void *ctx), void *ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&kcpp_test_lock, flags);
	fn(ctx);
	spin_unlock_irqrestore(&kcpp_test_lock, flags);
}

bool kcpp_test_in_atomic(void)
{
	return in_atomic() && irqs_disabled();
}

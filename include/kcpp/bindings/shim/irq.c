// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt handlers (kcpp/irq.h).
 */
#include <linux/version.h>
#include <linux/interrupt.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

/*
 * The handlers the kernel calls have its exact type, irq_handler_t: calling
 * a function through a pointer of another type (C++'s handlers return int)
 * is undefined behaviour, and would fail kCFI's type check on a clang-built
 * kernel (which kcpp does not build for yet).
 */
static irqreturn_t kcpp_irq_primary(int irq, void *cookie)
{
	struct kcpp_irq_action *action = cookie;

	return (irqreturn_t)action->handler(irq, action->data);
}

static irqreturn_t kcpp_irq_thread(int irq, void *cookie)
{
	struct kcpp_irq_action *action = cookie;

	return (irqreturn_t)action->thread_fn(irq, action->data);
}

int kcpp_request_threaded_irq(unsigned int irq, struct kcpp_irq_action *action,
			      unsigned long flags, const char *name)
{
	return request_threaded_irq(irq, action->handler ? kcpp_irq_primary : NULL,
				    action->thread_fn ? kcpp_irq_thread : NULL, flags, name,
				    action);
}

void kcpp_free_irq(unsigned int irq, struct kcpp_irq_action *action)
{
	free_irq(irq, action);
}

void kcpp_synchronize_irq(unsigned int irq)
{
	synchronize_irq(irq);
}

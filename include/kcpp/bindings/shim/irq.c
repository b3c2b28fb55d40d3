// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt handlers (kcpp/irq.h).
 */
#include <linux/version.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

/*
 * The handlers the kernel calls have its exact type, irq_handler_t: calling
 * a function through a pointer of another type (C++'s handlers return int)
 * is undefined behaviour, and fails kCFI's type check on a clang-built
 * kernel.
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

/*
 * A software interrupt line: a descriptor of its own on the dummy chip,
 * fired by kcpp_irq_line_trigger() as if a device had raised it (devices
 * that software models, such as the examples' own platform device).
 */
int kcpp_irq_line_alloc(int node)
{
	/*
	 * No owner: request_irq() takes a reference on the descriptor's owner,
	 * and the module that holds both the line and its handler could then
	 * never be unloaded. The line never outlives the module that made it
	 * (its owner frees it), unless a handler is still requested, in which
	 * case it is kept on purpose.
	 */
	/* From 1: interrupt 0 means none (and is the C++ side's moved-from value). */
	int irq = __irq_alloc_descs(-1, 1, 1, node, NULL, NULL);

	if (irq < 0)
		return irq;
	irq_set_chip_and_handler(irq, &dummy_irq_chip, handle_simple_irq);
	irq_modify_status(irq, IRQ_NOREQUEST | IRQ_NOAUTOEN, IRQ_NOPROBE);
	return irq;
}

bool kcpp_irq_line_free(unsigned int irq)
{
	/* A handler still requested would be left on a freed descriptor. */
	if (irq_has_action(irq))
		return false;
	irq_free_desc(irq);
	return true;
}

int kcpp_irq_line_trigger(unsigned int irq)
{
	return generic_handle_irq_safe(irq);
}

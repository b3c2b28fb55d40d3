// SPDX-License-Identifier: GPL-2.0
/*
 * The C++ runtime: what g++ references from C++ objects without a
 * source-level call (a pure virtual slot, the deleting destructors).
 */
#include <linux/version.h>
#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

/*
 * A call through a vtable slot of a pure virtual function: the object is
 * used during its own construction or destruction. Without a definition the
 * weak reference g++ emits resolves to address 0 and the call jumps there.
 */
void __cxa_pure_virtual(void)
{
	pr_emerg("kcpp: pure virtual function called\n");
	BUG();
}

/*
 * Global operator delete, under its Itanium ABI names. g++ references it
 * from the deleting destructor of every class with a virtual destructor.
 * kcpp has no global operator new, so nothing reaches these but a pointer
 * that came from the kmalloc family (or NULL); kfree() handles both.
 */
void _ZdlPv(void *ptr);			/* operator delete(void*) */
void _ZdlPvm(void *ptr, size_t size);	/* operator delete(void*, size_t) */
void _ZdaPv(void *ptr);			/* operator delete[](void*) */
void _ZdaPvm(void *ptr, size_t size);	/* operator delete[](void*, size_t) */

void _ZdlPv(void *ptr) { kfree(ptr); }
void _ZdlPvm(void *ptr, size_t size) { kfree(ptr); }
void _ZdaPv(void *ptr) { kfree(ptr); }
void _ZdaPvm(void *ptr, size_t size) { kfree(ptr); }

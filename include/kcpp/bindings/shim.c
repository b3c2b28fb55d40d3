// SPDX-License-Identifier: GPL-2.0
/*
 * The kcpp C shim: the only code of kcpp that includes kernel headers.
 *
 * Each function here wraps what a module may call (an exported symbol or a
 * static inline of a kernel header) behind a plain C signature declared for
 * C++ in <kcpp/bindings/bindings.h>. The shim is compiled by Kbuild as C:
 *  - built into the kernel (CONFIG_KCPP=y) it is linked once into vmlinux
 *    and exports its functions in the KCPP symbol namespace;
 *  - out of tree it is linked into every module that uses kcpp (kcpp.mk),
 *    and exports nothing, so two kcpp modules never clash.
 */
#include <linux/bug.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <kunit/test.h>
#include <kunit/test-bug.h>

#if !defined(MODULE) && IS_ENABLED(CONFIG_KCPP)
#define KCPP_EXPORT(sym) EXPORT_SYMBOL_NS_GPL(sym, KCPP)
#else
#define KCPP_EXPORT(sym)
#endif

/* Keep the declarations of bindings.h and the definitions here in step. */
#include "bindings.h"

/* ---- C++ runtime ------------------------------------------------------ */

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
KCPP_EXPORT(__cxa_pure_virtual);

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
KCPP_EXPORT(_ZdlPv);
void _ZdlPvm(void *ptr, size_t size) { kfree(ptr); }
KCPP_EXPORT(_ZdlPvm);
void _ZdaPv(void *ptr) { kfree(ptr); }
KCPP_EXPORT(_ZdaPv);
void _ZdaPvm(void *ptr, size_t size) { kfree(ptr); }
KCPP_EXPORT(_ZdaPvm);

/* ---- Diagnostics ------------------------------------------------------ */

void kcpp_warn(const char *file, int line, const char *what)
{
	WARN(1, "kcpp: %s at %s:%d\n", what, file, line);
}
KCPP_EXPORT(kcpp_warn);

void kcpp_bug(const char *file, int line, const char *what)
{
	pr_emerg("kcpp: %s at %s:%d\n", what, file, line);
	BUG();
}
KCPP_EXPORT(kcpp_bug);

/* ---- KUnit ------------------------------------------------------------ */

#if IS_ENABLED(CONFIG_KUNIT)
struct kunit *kcpp_kunit_current(void)
{
	return kunit_get_current_test();
}
KCPP_EXPORT(kcpp_kunit_current);

void kcpp_kunit_fail(struct kunit *test, const char *file, int line,
		     const char *fmt, ...)
{
	static const struct kunit_fail_assert assert = {};
	const struct kunit_loc loc = { .file = file, .line = line };
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	__kunit_do_failed_assertion(test, &loc, KUNIT_EXPECTATION,
				    &assert.assert, kunit_fail_assert_format,
				    "%pV", &vaf);
	va_end(args);
}
KCPP_EXPORT(kcpp_kunit_fail);

void kcpp_kunit_skip(struct kunit *test, const char *reason)
{
	kunit_mark_skipped(test, "%s", reason);
}
KCPP_EXPORT(kcpp_kunit_skip);

bool kcpp_kunit_has_failed(struct kunit *test)
{
	return test->status == KUNIT_FAILURE;
}
KCPP_EXPORT(kcpp_kunit_has_failed);
#endif

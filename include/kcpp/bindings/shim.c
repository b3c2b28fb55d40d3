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
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/atomic.h>
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

/* ---- Allocation ------------------------------------------------------- */

/*
 * Every allocation kcpp makes goes through these functions. With
 * CONFIG_KCPP_FAULT_INJECTION they also count live allocations and can make
 * the n-th allocation from now fail, for failure-path tests; without it
 * they are the bare kernel calls.
 */
#if IS_ENABLED(CONFIG_KCPP_FAULT_INJECTION)
static atomic_long_t kcpp_live_allocations = ATOMIC_LONG_INIT(0);
static atomic_long_t kcpp_fail_countdown = ATOMIC_LONG_INIT(0);
static atomic_long_t kcpp_injected_failures = ATOMIC_LONG_INIT(0);

static bool kcpp_should_fail(void)
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

static void *kcpp_count_alloc(void *p)
{
	if (p)
		atomic_long_inc(&kcpp_live_allocations);
	return p;
}

static void kcpp_count_free(const void *p)
{
	if (p)
		atomic_long_dec(&kcpp_live_allocations);
}

void kcpp_fault_fail_nth(long n)
{
	atomic_long_set(&kcpp_fail_countdown, n);
}
KCPP_EXPORT(kcpp_fault_fail_nth);

long kcpp_fault_live_allocations(void)
{
	return atomic_long_read(&kcpp_live_allocations);
}
KCPP_EXPORT(kcpp_fault_live_allocations);

long kcpp_fault_injected(void)
{
	return atomic_long_read(&kcpp_injected_failures);
}
KCPP_EXPORT(kcpp_fault_injected);

bool kcpp_fault_injection_available(void)
{
	return true;
}
#else
static inline bool kcpp_should_fail(void) { return false; }
static inline void *kcpp_count_alloc(void *p) { return p; }
static inline void kcpp_count_free(const void *p) {}
void kcpp_fault_fail_nth(long n) {}
long kcpp_fault_live_allocations(void) { return 0; }
long kcpp_fault_injected(void) { return 0; }
bool kcpp_fault_injection_available(void)
{
	return false;
}
#endif
KCPP_EXPORT(kcpp_fault_injection_available);

void *kcpp_kmalloc_node(size_t size, unsigned int flags, int node)
{
	if (kcpp_should_fail())
		return NULL;
	return kcpp_count_alloc(kmalloc_node(size, (__force gfp_t)flags, node));
}
KCPP_EXPORT(kcpp_kmalloc_node);

void *kcpp_krealloc(const void *p, size_t size, unsigned int flags)
{
	void *n;

	if (kcpp_should_fail())
		return NULL;
	n = krealloc(p, size, (__force gfp_t)flags);
	if (n && !p)
		kcpp_count_alloc(n);
	return n;
}
KCPP_EXPORT(kcpp_krealloc);

void kcpp_kfree(const void *p)
{
	kcpp_count_free(p);
	kfree(p);
}
KCPP_EXPORT(kcpp_kfree);

void *kcpp_vmalloc_node(size_t size, unsigned int flags, int node)
{
	if (kcpp_should_fail())
		return NULL;
	return kcpp_count_alloc(__vmalloc_node(size, 1, (__force gfp_t)flags, node,
					       __builtin_return_address(0)));
}
KCPP_EXPORT(kcpp_vmalloc_node);

void kcpp_vfree(const void *p)
{
	kcpp_count_free(p);
	vfree(p);
}
KCPP_EXPORT(kcpp_vfree);

void *kcpp_kvmalloc_node(size_t size, unsigned int flags, int node)
{
	if (kcpp_should_fail())
		return NULL;
	return kcpp_count_alloc(kvmalloc_node(size, (__force gfp_t)flags, node));
}
KCPP_EXPORT(kcpp_kvmalloc_node);

void *kcpp_kvrealloc(const void *p, size_t size, unsigned int flags)
{
	void *n;

	if (kcpp_should_fail())
		return NULL;
	n = kvrealloc(p, size, (__force gfp_t)flags);
	if (n && !p)
		kcpp_count_alloc(n);
	return n;
}
KCPP_EXPORT(kcpp_kvrealloc);

void kcpp_kvfree(const void *p)
{
	kcpp_count_free(p);
	kvfree(p);
}
KCPP_EXPORT(kcpp_kvfree);

int kcpp_mem_node(const void *p)
{
	struct page *page = is_vmalloc_addr(p) ? vmalloc_to_page(p) : virt_to_page(p);

	return page ? page_to_nid(page) : NUMA_NO_NODE;
}
KCPP_EXPORT(kcpp_mem_node);

bool kcpp_node_online(int node)
{
	return node >= 0 && node < MAX_NUMNODES && node_online(node);
}
KCPP_EXPORT(kcpp_node_online);

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

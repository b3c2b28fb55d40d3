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
#include <linux/kernel.h>
#include <linux/version.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/atomic.h>
#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/lockdep.h>
#include <linux/refcount.h>
#include <kunit/test.h>
#include <kunit/test-bug.h>

/* Keep the declarations of bindings.h and the definitions here in step. */
#include "bindings.h"
#include "lists.h"

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

/* ---- Allocation ------------------------------------------------------- */

/*
 * Every allocation kcpp makes goes through these functions. With
 * CONFIG_KCPP_FAULT_INJECTION they also count live allocations and can make
 * the n-th allocation from now fail, for failure-path tests; without it
 * they are the bare kernel calls.
 */
#if IS_ENABLED(CONFIG_KCPP_FAULT_INJECTION)
/*
 * Test hooks, compiled only with CONFIG_KCPP_FAULT_INJECTION (which the
 * KUnit tests select): no module built for a kernel without the option
 * carries them. Off (a patched-out branch, no cost) until a test arms
 * them; while armed, every allocation and free is counted, the countdown
 * can fail one, and the flags of the last KCPP_GFP_LOG allocations are
 * kept for tests to check.
 */
static DEFINE_STATIC_KEY_FALSE(kcpp_fault_armed);
static atomic_long_t kcpp_live_allocations = ATOMIC_LONG_INIT(0);
static atomic_long_t kcpp_fail_countdown = ATOMIC_LONG_INIT(0);
static atomic_long_t kcpp_injected_failures = ATOMIC_LONG_INIT(0);
#define KCPP_GFP_LOG 32
static atomic_long_t kcpp_gfp_seen = ATOMIC_LONG_INIT(0);
static unsigned int kcpp_gfp_log[KCPP_GFP_LOG];

#define kcpp_armed() static_branch_unlikely(&kcpp_fault_armed)

static noinline bool kcpp_should_fail(void)
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
static noinline void kcpp_note_gfp(gfp_t gfp)
{
	long n = atomic_long_fetch_inc(&kcpp_gfp_seen);

	WRITE_ONCE(kcpp_gfp_log[n % KCPP_GFP_LOG], (__force unsigned int)gfp);
}

static noinline void kcpp_count(const void *p, long delta)
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

static bool kcpp_warning_expected(void)
{
	return atomic_dec_if_positive(&kcpp_expected_warnings) >= 0;
}
#else
#define kcpp_armed() false
static inline bool kcpp_should_fail(void) { return false; }
static inline void kcpp_count(const void *p, long delta) {}
static inline void kcpp_note_gfp(gfp_t gfp) {}
static inline bool kcpp_warning_expected(void) { return false; }
#endif

/*
 * Each allocation entry is a bare tail call into the kernel unless fault
 * injection is armed; the armed path (fail on purpose, count) lives in a
 * separate function so the fast path saves no registers.
 *
 * KCPP_ALLOC_FN(name, params, args, gfp, counts, expr) defines
 * `void *name(params)`, which allocates with flags `gfp` (a result counts as
 * a new live block when `counts` holds: always for an allocation, only from
 * NULL for a reallocation); KCPP_FREE_FN(name, call)
 * defines `void name(const void *p)`.
 */
#define KCPP_ALLOC_FN(name, params, args, gfp, counts, expr)		\
static noinline void *name##_armed params				\
{									\
	void *p;							\
									\
	kcpp_note_gfp(gfp);						\
	if (kcpp_should_fail())						\
		return NULL;						\
	p = (expr);							\
	if (counts)							\
		kcpp_count(p, 1);					\
	return p;							\
}									\
void *(name) params					\
{									\
	if (kcpp_armed())						\
		return name##_armed args;				\
	return expr;							\
}

#define KCPP_FREE_FN(name, call)					\
static noinline void name##_armed(const void *p)			\
{									\
	kcpp_count(p, -1);						\
	call(p);							\
}									\
void name(const void *p)				\
{									\
	if (kcpp_armed())						\
		return name##_armed(p);					\
	call(p);							\
}

KCPP_ALLOC_FN(kcpp_kmalloc_node, (size_t size, unsigned int flags, int node),
	      (size, flags, node), (__force gfp_t)flags, true,
	      kmalloc_node(size, (__force gfp_t)flags, node));

/*
 * One entry per kmalloc size class: the cache is chosen at compile time, as
 * kmalloc() does for a constant size in C, while the object keeps its real
 * size for KASAN and the allocation-profiling tags. The _kernel_ entries
 * take GFP_KERNEL as a constant (the cache type folds at compile time too),
 * the _node_ entries place the object on a given NUMA node.
 *
 * Why the slab's size-class entry points are called by name: they are what
 * C's inline kmalloc() expands to for a constant size in every C module,
 * and calling them keeps KBox<T>::make() as cheap as kmalloc(sizeof(T)) in
 * C (make bench's "KBox make/drop" row; a call of kmalloc_node() with a
 * run-time size costs the cache lookup C never pays). alloc_hooks() wraps
 * them exactly as kmalloc() does, so allocation profiling tags the call
 * site, and KASAN sees the requested size.
 *
 * The names are those of 6.11 and later (__kmalloc_cache_noprof and
 * __kmalloc_cache_node_noprof; 6.10 called them kmalloc_trace_noprof);
 * older kernels spell the same path differently, so these entries exist
 * only from 6.11 on, and a kernel without them gets the generic path
 * through kmalloc_node() below.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define KCPP_HAVE_KMALLOC_CLASSES 1
#else
#define KCPP_HAVE_KMALLOC_CLASSES 0
#endif
#if KCPP_HAVE_KMALLOC_CLASSES
#define KCPP_KMALLOC_CACHE(n, gfp) \
	kmalloc_caches[kmalloc_type(gfp, _RET_IP_)][kmalloc_index(n)]
/* The three entries of class n, one function each. */
#define KCPP_KMALLOC_FN(n)							\
KCPP_ALLOC_FN(kcpp_kmalloc_##n, (size_t size, unsigned int flags), (size, flags), \
	(__force gfp_t)flags, true,							\
	alloc_hooks(__kmalloc_cache_noprof(					\
		KCPP_KMALLOC_CACHE(n, (__force gfp_t)flags), (__force gfp_t)flags, size)))
#define KCPP_KMALLOC_KERNEL_FN(n)						\
KCPP_ALLOC_FN(kcpp_kmalloc_kernel_##n, (size_t size), (size), GFP_KERNEL, true, \
	alloc_hooks(__kmalloc_cache_noprof(					\
		KCPP_KMALLOC_CACHE(n, GFP_KERNEL), GFP_KERNEL, size)))
#define KCPP_KMALLOC_NODE_FN(n)							\
KCPP_ALLOC_FN(kcpp_kmalloc_node_##n, (size_t size, unsigned int flags, int node), \
	(size, flags, node), (__force gfp_t)flags, true,				\
	alloc_hooks(__kmalloc_cache_node_noprof(				\
		KCPP_KMALLOC_CACHE(n, (__force gfp_t)flags), (__force gfp_t)flags, node, size)))

KCPP_KMALLOC_CLASS_LIST(KCPP_KMALLOC_FN)
KCPP_KMALLOC_CLASS_LIST(KCPP_KMALLOC_KERNEL_FN)
KCPP_KMALLOC_CLASS_LIST(KCPP_KMALLOC_NODE_FN)
#else
/* The same entries through the generic, size-indexed path. */
#define KCPP_KMALLOC_CLASS_FN(n)						\
void *kcpp_kmalloc_##n(size_t size, unsigned int flags)			\
{									\
	return kcpp_kmalloc_node(size, flags, NUMA_NO_NODE);		\
}									\
void *kcpp_kmalloc_kernel_##n(size_t size)				\
{									\
	return kcpp_kmalloc_node(size, GFP_KERNEL, NUMA_NO_NODE);	\
}									\
void *kcpp_kmalloc_node_##n(size_t size, unsigned int flags, int node)	\
{									\
	return kcpp_kmalloc_node(size, flags, node);			\
}

KCPP_KMALLOC_CLASS_LIST(KCPP_KMALLOC_CLASS_FN)
#endif

KCPP_ALLOC_FN(kcpp_krealloc, (const void *old, size_t size, unsigned int flags),
	      (old, size, flags), (__force gfp_t)flags, !old,
	      krealloc(old, size, (__force gfp_t)flags));
KCPP_FREE_FN(kcpp_kfree, kfree);

/*
 * __vmalloc_node() is not exported: flags without a node (__vmalloc), or a
 * node with GFP_KERNEL (vmalloc_node, vzalloc_node for __GFP_ZERO).
 */
static __always_inline void *kcpp_vmalloc_any(size_t size, gfp_t gfp, int node)
{
	if (node == NUMA_NO_NODE)
		return __vmalloc(size, gfp);
	if (gfp & __GFP_ZERO)
		return vzalloc_node(size, node);
	return vmalloc_node(size, node);
}

KCPP_ALLOC_FN(kcpp_vmalloc_node, (size_t size, unsigned int flags, int node),
	      (size, flags, node), (__force gfp_t)flags, true,
	      kcpp_vmalloc_any(size, (__force gfp_t)flags, node));
KCPP_FREE_FN(kcpp_vfree, vfree);

KCPP_ALLOC_FN(kcpp_kvmalloc_node, (size_t size, unsigned int flags, int node),
	      (size, flags, node), (__force gfp_t)flags, true,
	      kvmalloc_node(size, (__force gfp_t)flags, node));
KCPP_ALLOC_FN(kcpp_kvrealloc, (const void *old, size_t size, unsigned int flags),
	      (old, size, flags), (__force gfp_t)flags, !old,
	      kvrealloc(old, size, (__force gfp_t)flags));
KCPP_FREE_FN(kcpp_kvfree, kvfree);

int kcpp_mem_node(const void *p)
{
	struct page *page = is_vmalloc_addr(p) ? vmalloc_to_page(p) : virt_to_page(p);

	return page ? page_to_nid(page) : NUMA_NO_NODE;
}

bool kcpp_node_online(int node)
{
	return node >= 0 && node < MAX_NUMNODES && node_online(node);
}

/* ---- Locks ------------------------------------------------------------- */

/*
 * The key is a static object of the C++ construction site (one lockdep
 * class per site); the name is that site, for lockdep reports.
 */
void kcpp_mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key)
{
	__mutex_init(lock, name, key);
}

void kcpp_mutex_destroy(struct mutex *lock)
{
	mutex_destroy(lock);
}

void kcpp_mutex_lock(struct mutex *lock)
{
	mutex_lock(lock);
}

int kcpp_mutex_lock_interruptible(struct mutex *lock)
{
	return mutex_lock_interruptible(lock);
}

bool kcpp_mutex_trylock(struct mutex *lock)
{
	return mutex_trylock(lock);
}

void kcpp_mutex_unlock(struct mutex *lock)
{
	mutex_unlock(lock);
}

bool kcpp_mutex_is_locked(struct mutex *lock)
{
	return mutex_is_locked(lock);
}

void kcpp_spin_lock_init(spinlock_t *lock, const char *name, struct lock_class_key *key)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	__raw_spin_lock_init(spinlock_check(lock), name, key, LD_WAIT_CONFIG);
#else
	spin_lock_init(lock);
#endif
}

void kcpp_spin_lock(spinlock_t *lock)
{
	spin_lock(lock);
}

bool kcpp_spin_trylock(spinlock_t *lock)
{
	return spin_trylock(lock);
}

void kcpp_spin_unlock(spinlock_t *lock)
{
	spin_unlock(lock);
}

unsigned long kcpp_spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	return flags;
}

void kcpp_spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock_irqrestore(lock, flags);
}

bool kcpp_spin_is_locked(spinlock_t *lock)
{
	return spin_is_locked(lock);
}

bool kcpp_irqs_disabled(void)
{
	return irqs_disabled();
}

/* ---- Reference counts -------------------------------------------------- */

void kcpp_refcount_set(refcount_t *r, unsigned int n)
{
	refcount_set(r, n);
}

void kcpp_refcount_inc(refcount_t *r)
{
	refcount_inc(r);
}

bool kcpp_refcount_dec_and_test(refcount_t *r)
{
	return refcount_dec_and_test(r);
}

unsigned int kcpp_refcount_read(const refcount_t *r)
{
	return refcount_read(r);
}

/* ---- Time -------------------------------------------------------------- */

u64 kcpp_ktime_get_ns(void)
{
	return ktime_get_ns();
}

/* ---- Diagnostics ------------------------------------------------------ */

void kcpp_warn(const char *file, int line, const char *what)
{
	if (kcpp_warning_expected()) {
		pr_info("kcpp: expected warning: %s at %s:%d\n", what, file, line);
		return;
	}
	WARN(1, "kcpp: %s at %s:%d\n", what, file, line);
	/*
	 * The caller carries on with a safe answer, which a KUnit case might
	 * mistake for the one it expects: a warning nobody announced fails the
	 * case that is running, if any.
	 */
#if IS_ENABLED(CONFIG_KUNIT)
	kunit_fail_current_test("kcpp: %s at %s:%d", what, file, line);
#endif
}

void kcpp_bug(const char *file, int line, const char *what)
{
	pr_emerg("kcpp: %s at %s:%d\n", what, file, line);
	BUG();
}

/* ---- KUnit ------------------------------------------------------------ */

#if IS_ENABLED(CONFIG_KUNIT)
struct kunit *kcpp_kunit_current(void)
{
	return kunit_get_current_test();
}

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

void kcpp_kunit_skip(struct kunit *test, const char *reason)
{
	kunit_mark_skipped(test, "%s", reason);
}

bool kcpp_kunit_has_failed(struct kunit *test)
{
	return test->status == KUNIT_FAILURE;
}
#endif

/* ---- Driver model (devices, devres, PCI, IRQs, auxiliary, firmware) ------ */

#include "shim_driver.c"

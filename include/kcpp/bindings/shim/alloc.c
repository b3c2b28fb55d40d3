// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation: the kmalloc, vmalloc and kvmalloc families, the NUMA
 * node of a block, and the fault-injection hooks every allocation of the
 * shim goes through (internal.h).
 */
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

/*
 * Every allocation kcpp makes goes through these functions. With
 * CONFIG_KCPP_FAULT_INJECTION they also count live allocations and can make
 * the n-th allocation from now fail, for failure-path tests (fault.c); without
 * it they are the bare kernel calls.
 */

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
	kcpp_fault_note_gfp(gfp);					\
	if (kcpp_fault_should_fail())					\
		return NULL;						\
	p = (expr);							\
	if (counts)							\
		kcpp_fault_count(p, 1);					\
	return p;							\
}									\
void *(name) params					\
{									\
	if (kcpp_fault_is_armed())					\
		return name##_armed args;				\
	return expr;							\
}

#define KCPP_FREE_FN(name, call)					\
static noinline void name##_armed(const void *p)			\
{									\
	kcpp_fault_count(p, -1);					\
	call(p);							\
}									\
void name(const void *p)				\
{									\
	if (kcpp_fault_is_armed())					\
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

/* A block given up for good on purpose: kmemleak scans it but never reports it. */
void kcpp_kmemleak_not_leak(const void *p)
{
	kmemleak_not_leak(p);
}

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
KCPP_ALLOC_FN(kcpp_kvrealloc,
	      (const void *old, size_t old_size, size_t size, unsigned int flags),
	      (old, old_size, size, flags), (__force gfp_t)flags, !old,
	      kcpp_compat_kvrealloc(old, old_size, size, (__force gfp_t)flags));
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

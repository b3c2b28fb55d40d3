/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations of the C functions kcpp calls: the shim (shim.c) and the few
 * exported kernel functions whose C signature is plain enough to declare
 * directly. Valid C and C++; includes no kernel header. The C shim includes
 * it too, so the compiler checks every declaration against its definition.
 *
 * Raw C pointers stay in this layer and in kcpp's detail namespaces.
 */
#ifndef KCPP_BINDINGS_BINDINGS_H
#define KCPP_BINDINGS_BINDINGS_H

#include "lists.h"

#ifdef __cplusplus
extern "C" {
#define KCPP_C_BOOL bool
#else
#define KCPP_C_BOOL _Bool
#endif

struct kunit;
struct mutex;
struct lock_class_key;
struct refcount_struct; /* refcount_t */
#ifdef __cplusplus
/* spinlock_t is a typedef in C; C++ sees an opaque struct of that name. */
struct kcpp_spinlock;
typedef struct kcpp_spinlock kcpp_spinlock_t;
#else
typedef spinlock_t kcpp_spinlock_t;
#endif

/* The kernel's printk entry point (kernel/printk/printk.c, exported). */
int _printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* lib/vsprintf.c, exported. */
int snprintf(char *buf, __SIZE_TYPE__ size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* C++ runtime support. */
void __cxa_pure_virtual(void);

/*
 * Allocation (kmalloc, vmalloc and kvmalloc families). Flags are gfp_t
 * values from <kcpp/bindings/generated.h>, node a NUMA node id or
 * NUMA_NO_NODE. The realloc functions keep the node of the original block.
 * These entry points are called directly only, never through a pointer:
 * they carry no ENDBR landing pad (KCPP_DIRECT_CALL), one instruction less
 * on every allocation and free.
 */
#if defined(__CET__)
#define KCPP_DIRECT_CALL __attribute__((nocf_check))
#else
#define KCPP_DIRECT_CALL
#endif
KCPP_DIRECT_CALL void *kcpp_kmalloc_node(__SIZE_TYPE__ size, unsigned int flags, int node);
KCPP_DIRECT_CALL void *kcpp_krealloc(const void *p, __SIZE_TYPE__ size, unsigned int flags);
KCPP_DIRECT_CALL void kcpp_kfree(const void *p);
/* kmalloc from the size class n (KCPP_KMALLOC_CLASS_LIST), size <= n. */
#define KCPP_KMALLOC_CLASS_DECL(n) \
	KCPP_DIRECT_CALL void *kcpp_kmalloc_##n(__SIZE_TYPE__ size, unsigned int flags); \
	KCPP_DIRECT_CALL void *kcpp_kmalloc_kernel_##n(__SIZE_TYPE__ size); \
	KCPP_DIRECT_CALL void *kcpp_kmalloc_node_##n(__SIZE_TYPE__ size, unsigned int flags, int node);
KCPP_KMALLOC_CLASS_LIST(KCPP_KMALLOC_CLASS_DECL)
#undef KCPP_KMALLOC_CLASS_DECL
KCPP_DIRECT_CALL void *kcpp_vmalloc_node(__SIZE_TYPE__ size, unsigned int flags, int node);
KCPP_DIRECT_CALL void kcpp_vfree(const void *p);
KCPP_DIRECT_CALL void *kcpp_kvmalloc_node(__SIZE_TYPE__ size, unsigned int flags, int node);
KCPP_DIRECT_CALL void *kcpp_kvrealloc(const void *p, __SIZE_TYPE__ size, unsigned int flags);
KCPP_DIRECT_CALL void kcpp_kvfree(const void *p);
/* The NUMA node of the page behind p (kmalloc or vmalloc memory). */
int kcpp_mem_node(const void *p);
KCPP_C_BOOL kcpp_node_online(int node);

/*
 * Fault injection (CONFIG_KCPP_FAULT_INJECTION): while armed, fail the n-th
 * allocation from now (0: none), count live allocations and injected
 * failures.
 */
KCPP_C_BOOL kcpp_fault_injection_available(void);
/* Arming costs nothing until then: a static key. Counting runs while armed. */
void kcpp_fault_arm(KCPP_C_BOOL on);
void kcpp_fault_fail_nth(long n);
long kcpp_fault_live_allocations(void);
long kcpp_fault_injected(void);

/* Locks (kcpp/sync/lock.h). Keys live in static storage, one per site. */
void kcpp_mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key);
void kcpp_mutex_destroy(struct mutex *lock);
void kcpp_mutex_lock(struct mutex *lock);
int kcpp_mutex_lock_interruptible(struct mutex *lock);
KCPP_C_BOOL kcpp_mutex_trylock(struct mutex *lock);
void kcpp_mutex_unlock(struct mutex *lock);
KCPP_C_BOOL kcpp_mutex_is_locked(struct mutex *lock);
void kcpp_spin_lock_init(kcpp_spinlock_t *lock, const char *name, struct lock_class_key *key);
void kcpp_spin_lock(kcpp_spinlock_t *lock);
KCPP_C_BOOL kcpp_spin_trylock(kcpp_spinlock_t *lock);
void kcpp_spin_unlock(kcpp_spinlock_t *lock);
unsigned long kcpp_spin_lock_irqsave(kcpp_spinlock_t *lock);
void kcpp_spin_unlock_irqrestore(kcpp_spinlock_t *lock, unsigned long flags);
KCPP_C_BOOL kcpp_spin_is_locked(kcpp_spinlock_t *lock);
KCPP_C_BOOL kcpp_irqs_disabled(void);

/* refcount_t (include/linux/refcount.h): saturating, WARNs on misuse. */
void kcpp_refcount_set(struct refcount_struct *r, unsigned int n);
void kcpp_refcount_inc(struct refcount_struct *r);
KCPP_C_BOOL kcpp_refcount_dec_and_test(struct refcount_struct *r);
unsigned int kcpp_refcount_read(const struct refcount_struct *r);

/* CLOCK_MONOTONIC in nanoseconds (ktime_get_ns()). */
unsigned long long kcpp_ktime_get_ns(void);

/* A WARN() with a stack trace; for broken invariants, never for bad input. */
void kcpp_warn(const char *file, int line, const char *what);
/* BUG(): only for states where continuing would corrupt memory. */
void kcpp_bug(const char *file, int line, const char *what) __attribute__((noreturn));

/* KUnit. */
struct kunit *kcpp_kunit_current(void);
void kcpp_kunit_fail(struct kunit *test, const char *file, int line,
		     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void kcpp_kunit_skip(struct kunit *test, const char *reason);
KCPP_C_BOOL kcpp_kunit_has_failed(struct kunit *test);

#ifdef __cplusplus
}
#endif

#endif /* KCPP_BINDINGS_BINDINGS_H */

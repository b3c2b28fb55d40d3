/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every C file of the shim includes, after the kernel headers named
 * below: bindings.h, and what the files share that C++ never sees:
 *  - the fault-injection hooks (fault.c) that every allocation of the shim
 *    calls while a test has armed them; without CONFIG_KCPP_FAULT_INJECTION
 *    they are constants the compiler folds away, and fault.c is empty;
 *  - the sysfs attribute groups (sysfs.c) of the bus drivers.
 */
#ifndef KCPP_SHIM_INTERNAL_H
#define KCPP_SHIM_INTERNAL_H

/*
 * No header under include/ names a kernel header (the C boundary): each
 * shim file includes the ones this header's declarations need first.
 */
#if !defined(_LINUX_TYPES_H) || !defined(__LINUX_GFP_H) || !defined(_LINUX_JUMP_LABEL_H) || \
	!defined(__LINUX_SPINLOCK_TYPES_H)
#error "internal.h: include linux/{types,gfp,jump_label,spinlock_types}.h first"
#endif

/* Keep the declarations of bindings.h and the definitions of the shim in step. */
#include "../bindings.h"
/* The differences between the supported kernel lines. */
#include "compat.h"

#if IS_ENABLED(CONFIG_KCPP_FAULT_INJECTION)
DECLARE_STATIC_KEY_FALSE(kcpp_fault_armed);
/* Whether a test armed the hooks: a patched-out branch until then. */
#define kcpp_fault_is_armed() static_branch_unlikely(&kcpp_fault_armed)
/* Whether this allocation is the one the countdown fails (and counts it). */
bool kcpp_fault_should_fail(void);
/* Records the flags an armed allocation passes to the kernel. */
void kcpp_fault_note_gfp(gfp_t gfp);
/* Adds delta to the live allocations, for a non-NULL block p. */
void kcpp_fault_count(const void *p, long delta);
/* Whether the next kcpp_warn() is one a test announced (counts it down). */
bool kcpp_fault_warning_expected(void);
#else
#define kcpp_fault_is_armed() false
static inline bool kcpp_fault_should_fail(void) { return false; }
static inline void kcpp_fault_count(const void *p, long delta) {}
static inline void kcpp_fault_note_gfp(gfp_t gfp) {}
static inline bool kcpp_fault_warning_expected(void) { return false; }
#endif

struct attribute_group;
struct kcpp_attr_desc;
struct kcpp_attr_set;
/*
 * One attribute group of the n attributes descs (which must outlive it),
 * allocated with gfp: NULL for n == 0, an ERR_PTR on failure.
 */
struct kcpp_attr_set *kcpp_attr_set_new(const struct kcpp_attr_desc *descs, unsigned int n,
					unsigned int gfp);
/* Frees a set of kcpp_attr_set_new() (NULL: nothing). */
void kcpp_attr_set_free(struct kcpp_attr_set *set);
/* The set as a driver's dev_groups (NULL for no set). */
const struct attribute_group **kcpp_attr_set_groups(struct kcpp_attr_set *set);

#endif /* KCPP_SHIM_INTERNAL_H */

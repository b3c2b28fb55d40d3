/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernel lines kcpp supports (6.1 LTS and 6.12
 * LTS), absorbed on the C side of the boundary: renames and changed
 * signatures, as macros. Included by constants.c and by every shim file after
 * the kernel headers they name, never by C++. A difference that needs a type
 * of its own is handled in the one shim file that uses it, with a
 * LINUX_VERSION_CODE check. Each entry names the release that changed the
 * kernel, so that it can go when the oldest supported line has the change.
 */
#ifndef KCPP_BINDINGS_COMPAT_H
#define KCPP_BINDINGS_COMPAT_H

/* <linux/version.h> comes from the including C file, with its kernel headers. */
#ifndef LINUX_VERSION_CODE
#error "kcpp: include <linux/version.h> before compat.h"
#endif

/* 6.8 renamed PCI_IRQ_LEGACY to PCI_IRQ_INTX (same value). */
#if defined(PCI_IRQ_LEGACY) && !defined(PCI_IRQ_INTX)
#define PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif

/*
 * 6.12 dropped kvrealloc()'s old size and made it resize in place where it
 * can; before, it took the old size and always copied to a new block when
 * growing (zeroed with __GFP_ZERO, so the grown tail reads as zero on both).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define kcpp_compat_kvrealloc(p, old_size, size, gfp) ((void)(old_size), kvrealloc(p, size, gfp))
#else
#define kcpp_compat_kvrealloc(p, old_size, size, gfp) kvrealloc(p, old_size, size, gfp)
#endif

#endif /* KCPP_BINDINGS_COMPAT_H */

/* SPDX-License-Identifier: MIT */
/*
 * The user-space interface of nova-drm (drivers/nova/drm), the DRM driver
 * of NVIDIA GSP-based GPUs: the render node's ioctls and their arguments.
 * Plain C, for user space as for the kernel. Like upstream nova's, this
 * interface is not stable yet: it may change while nova grows.
 */
#ifndef __NOVA_DRM_H__
/* The kernel's uapi names, not kcpp's C++ style. */
/* NOLINTBEGIN(readability-identifier-naming) */
#define __NOVA_DRM_H__

#if !defined(__KERNEL__)
#if defined(__has_include)
#if __has_include("drm.h")
/* libdrm's copy of the kernel's drm.h (pkg-config --cflags libdrm). */
#include "drm.h"
#else
/* The kernel's own, as installed in /usr/include. */
#include <drm/drm.h>
#endif
#else
#include "drm.h"
#endif
#elif defined(__cplusplus)
/*
 * kcpp's C++ includes no kernel header: the kernel's own definitions of
 * the two types (asm-generic/int-ll64.h), which C++ may repeat.
 */
typedef unsigned int __u32;
typedef unsigned long long __u64;
#else
#include <drm/drm.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* What DRM_IOCTL_NOVA_GETPARAM can ask for (struct drm_nova_getparam.param). */
/* The length of the GPU's BAR1, the window onto its VRAM, in bytes. */
#define NOVA_GETPARAM_VRAM_BAR_SIZE 0x1
/*
 * kcpp's nova only, from 0x100 on so as not to take a number upstream
 * nova may give another meaning: the chipset (the BOOT_42 chip ID, 0x172
 * for GA102), and the VRAM size in bytes that the GSP reported at boot.
 */
#define NOVA_GETPARAM_CHIPSET 0x100
#define NOVA_GETPARAM_VRAM_SIZE 0x101

/*
 * DRM_IOCTL_NOVA_GETPARAM: param in (all 64 bits compared), value out;
 * EINVAL for an unknown param. kcpp's nova reports version 0.1.0 (drmGetVersion),
 * upstream's 0.0.0 plus the parameters from 0x100.
 */
struct drm_nova_getparam {
	__u64 param;
	__u64 value;
};

/*
 * DRM_IOCTL_NOVA_GEM_CREATE: a GEM object of at least size bytes (rounded
 * up to the page size, 4 KiB on x86), returned as a handle of this open
 * file. EINVAL for a size of 0 or one that does not round up, ENOSPC for
 * one past about a TiB, ENOMEM when memory runs out. pad must be 0
 * (EINVAL otherwise), here and in GEM_INFO.
 */
struct drm_nova_gem_create {
	__u32 handle;
	__u32 pad;
	__u64 size;
};

/* DRM_IOCTL_NOVA_GEM_INFO: handle in, the object's size out; ENOENT for no such handle. */
struct drm_nova_gem_info {
	__u32 handle;
	__u32 pad;
	__u64 size;
};

/* Command numbers, from DRM_COMMAND_BASE. */
#define DRM_NOVA_GETPARAM 0x00
#define DRM_NOVA_GEM_CREATE 0x01
#define DRM_NOVA_GEM_INFO 0x02

/* The ioctls, for user space (DRM_IOWR and DRM_COMMAND_BASE come from drm.h). */
#define DRM_IOCTL_NOVA_GETPARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GETPARAM, struct drm_nova_getparam)
#define DRM_IOCTL_NOVA_GEM_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GEM_CREATE, struct drm_nova_gem_create)
#define DRM_IOCTL_NOVA_GEM_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GEM_INFO, struct drm_nova_gem_info)

#ifdef __cplusplus
}
#endif

/* NOLINTEND(readability-identifier-naming) */
#endif /* __NOVA_DRM_H__ */

// SPDX-License-Identifier: GPL-2.0
/*
 * Source of <kcpp/bindings/generated.h>.
 *
 * Compiled to assembly with the configured kernel's headers and flags; each
 * DEFINE() leaves a marker line that Kbuild's filechk_offsets turns into a
 * #define, exactly as the kernel generates asm-offsets.h. The values are
 * therefore those of the kernel the C++ code is built against, whatever its
 * configuration. The lists themselves live in lists.h.
 */
#define COMPILE_OFFSETS

#include <linux/version.h>
#include <linux/kbuild.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/numa.h>
#include <linux/nodemask.h>
#include <linux/pci.h>
#include <linux/pci_ids.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/lockdep.h>
#include <linux/refcount.h>
#include <linux/ioport.h>
#include <linux/interrupt.h>
#include <linux/mod_devicetable.h>
#include <linux/auxiliary_bus.h>
#include <linux/platform_device.h>
#include <linux/miscdevice.h>
#include <linux/poll.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/hrtimer.h>
#include <linux/time64.h>
#include <linux/dma-mapping.h>
#include <linux/completion.h>
#include <linux/dynamic_debug.h>
#include <kunit/test.h>
#include <drm/drm.h>
#include <drm/drm_drv.h>
#include <drm/drm_ioctl.h>

#include "shim/compat.h"
#include "shim/deferred.h"

#include "lists.h"

#define KCPP_DEF(name) DEFINE(KCPP_##name, name);
#define KCPP_SIZE(s) DEFINE(KCPP_SIZEOF_##s, sizeof(struct s));
#define KCPP_OFF(s, m) DEFINE(KCPP_OFFSETOF_##s##_##m, offsetof(struct s, m));
#define KCPP_ALIGN(type, name) DEFINE(KCPP_ALIGNOF_##name, __alignof__(type));
#define KCPP_TSIZE(type, name) DEFINE(KCPP_SIZEOF_##name, sizeof(type));
#define KCPP_CFG(c) DEFINE(KCPP_CONFIG_##c, IS_ENABLED(CONFIG_##c));

/* Not static: the compiler must emit the markers. */
int main(void);
int main(void)
{
	COMMENT("Error numbers");
	KCPP_ERRNO_LIST(KCPP_DEF)
	BLANK();
	COMMENT("Allocation flags");
	KCPP_GFP_LIST(KCPP_DEF)
	BLANK();
	COMMENT("Memory and NUMA");
	KCPP_MM_LIST(KCPP_DEF)
	BLANK();
	COMMENT("PCI");
	KCPP_PCI_LIST(KCPP_DEF)
	BLANK();
	COMMENT("Driver model");
	KCPP_DRIVER_LIST(KCPP_DEF)
	BLANK();
	COMMENT("Structure layouts");
	KCPP_LAYOUT_LIST(KCPP_SIZE, KCPP_OFF)
	KCPP_ALIGN_LIST(KCPP_ALIGN)
	KCPP_TYPEDEF_SIZE_LIST(KCPP_TSIZE)
	/* Built-in C++ may use DRM only where vmlinux has it (IS_REACHABLE in the shim). */
	DEFINE(KCPP_BUILTIN_DRM, IS_BUILTIN(CONFIG_DRM));
	DEFINE(KCPP_BUILTIN_DRM_GEM_SHMEM_HELPER, IS_BUILTIN(CONFIG_DRM_GEM_SHMEM_HELPER));
	/* struct drm_driver's date went in 6.14 (6.12's DRM core no longer reads it). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)
	DEFINE(KCPP_DRM_DRIVER_HAS_DATE, 1);
	KCPP_OFF(drm_driver, date)
#else
	DEFINE(KCPP_DRM_DRIVER_HAS_DATE, 0);
#endif
	BLANK();
	COMMENT("Configuration");
	KCPP_CONFIG_LIST(KCPP_CFG)
	return 0;
}

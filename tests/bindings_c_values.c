// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of the binding tests: every constant and layout of lists.h as
 * the kernel's own headers define it, compiled as C. bindings_test.cpp
 * compares these with what C++ reads from the generated header.
 */
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
#include <kunit/test.h>
#include <drm/drm.h>
#include <drm/drm_drv.h>
#include <drm/drm_ioctl.h>

#include "../include/kcpp/bindings/shim/deferred.h"
#include "../include/kcpp/bindings/lists.h"
#include "bindings_c_values.h"

#define C_VALUE(n) { #n, (long long)(n) },
#define C_SIZE(s) { "sizeof(struct " #s ")", (long long)sizeof(struct s) },
#define C_OFFSET(s, m) { "offsetof(struct " #s ", " #m ")", (long long)offsetof(struct s, m) },
/* The name paired with each type names its generated macro: not used here. */
#define C_ALIGN(type, name...) { "alignof(" #type ")", (long long)__alignof__(type) },
#define C_TSIZE(type, name...) { "sizeof(" #type ")", (long long)sizeof(type) },
#define C_CONFIG(c) { "CONFIG_" #c, (long long)IS_ENABLED(CONFIG_##c) },

const struct kcpp_c_value kcpp_test_c_values[] = {
	KCPP_ERRNO_LIST(C_VALUE)
	KCPP_GFP_LIST(C_VALUE)
	KCPP_MM_LIST(C_VALUE)
	KCPP_PCI_LIST(C_VALUE)
	KCPP_DRIVER_LIST(C_VALUE)
	KCPP_LAYOUT_LIST(C_SIZE, C_OFFSET)
	KCPP_ALIGN_LIST(C_ALIGN)
	KCPP_TYPEDEF_SIZE_LIST(C_TSIZE)
	KCPP_CONFIG_LIST(C_CONFIG)
};

const unsigned long kcpp_test_c_value_count = ARRAY_SIZE(kcpp_test_c_values);

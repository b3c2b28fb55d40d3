// SPDX-License-Identifier: GPL-2.0
/*
 * The compile-time benchmark's C side: the kernel headers whose APIs kcpp
 * wraps, as a C driver using all of them includes them.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/interrupt.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/auxiliary_bus.h>
#include <linux/firmware.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <kunit/test.h>

#include "bench.h"

int kcpp_bench_compile_all_c(void)
{
	return sizeof(struct mutex) + sizeof(struct pci_dev);
}

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/kcpp.h
 * @brief Every kcpp header at once, for drivers that prefer one include.
 *
 * @par Examples
 * @code{.cpp}
 * auto v = KCPP_TRY(kcpp::KVec<int>::with_capacity(2, kcpp::GFP_KERNEL));
 * KCPP_ASSERT_EQ(v.capacity(), 4u);
 * @endcode
 */
#ifndef KCPP_KCPP_H
#define KCPP_KCPP_H

#include <kcpp/acpi.h>
#include <kcpp/alloc/allocator.h>
#include <kcpp/alloc/gfp.h>
#include <kcpp/alloc/kbox.h>
#include <kcpp/alloc/kvec.h>
#include <kcpp/alloc/numa.h>
#include <kcpp/core/compare.h>
#include <kcpp/core/error.h>
#include <kcpp/core/initializer_list.h>
#include <kcpp/core/macros.h>
#include <kcpp/core/new.h>
#include <kcpp/core/option.h>
#include <kcpp/core/span.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/core/types.h>
#include <kcpp/core/utility.h>
#include <kcpp/debugfs.h>
#include <kcpp/device.h>
#include <kcpp/devres.h>
#include <kcpp/driver.h>
#include <kcpp/fs.h>
#include <kcpp/hrtimer.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/io.h>
#include <kcpp/io/register.h>
#include <kcpp/ioctl.h>
#include <kcpp/irq.h>
#include <kcpp/miscdevice.h>
#include <kcpp/module.h>
#include <kcpp/of.h>
#include <kcpp/platform.h>
#include <kcpp/print.h>
#include <kcpp/sync/arc.h>
#include <kcpp/sync/aref.h>
#include <kcpp/sync/completion.h>
#include <kcpp/sync/condvar.h>
#include <kcpp/sync/lock.h>
#include <kcpp/sync/wait.h>
#include <kcpp/sysfs.h>
#include <kcpp/time.h>
#include <kcpp/uaccess.h>
#include <kcpp/workqueue.h>
// Buses and services the kernel may be configured without.
#if KCPP_CONFIG_PCI
#include <kcpp/dma.h>
#include <kcpp/pci.h>
#endif
#if KCPP_CONFIG_AUXILIARY_BUS
#include <kcpp/auxiliary.h>
#endif
#if KCPP_CONFIG_FW_LOADER
#include <kcpp/firmware.h>
#endif
#if KCPP_CONFIG_DRM && (defined(MODULE) || KCPP_BUILTIN_DRM)
#include <kcpp/drm.h>
#endif

#endif  // KCPP_KCPP_H

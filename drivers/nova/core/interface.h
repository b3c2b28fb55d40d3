/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file drivers/nova/core/interface.h
 * @brief What nova-core tells nova-drm: the data its auxiliary device
 * `NovaCore.nova-drm.<n>` carries.
 *
 * Both modules include this header; kcpp checks the name and size when
 * nova-drm reads it (`kcpp::auxiliary::SharedData`), so a nova-drm built
 * from another version of this header refuses to bind rather than misread
 * it. Change the layout, change the version in the name.
 *
 * @code{.cpp}
 * const nova::DrmInfo info{0x172, 0, 24ull << 30, 256ull << 20};
 * KCPP_ASSERT_EQ(info.chipset >> 4, 0x17u);  // Ampere
 * KCPP_ASSERT_EQ(sizeof(info), 24u);
 * @endcode
 */
#ifndef NOVA_CORE_INTERFACE_H
#define NOVA_CORE_INTERFACE_H

#include <kcpp/auxiliary.h>
#include <kcpp/core/types.h>

/** The versioned name of `nova::DrmInfo`. */
#define NOVA_DRM_INFO_NAME "nova-core.drm-info.v1"

namespace nova {

/** nova-core's PCI driver name, the first part of its auxiliary devices' names. */
inline constexpr const char* CORE_DRIVER_NAME = "NovaCore";
/** The name of nova-core's auxiliary device for nova-drm (`NovaCore.nova-drm.<n>`). */
inline constexpr const char* DRM_DEVICE_NAME = "nova-drm";

/** What the GPU and its GSP said, as nova-drm reports it to user space. */
struct DrmInfo {
  /** The name and version kcpp checks. */
  static constexpr const char* SHARED_NAME = NOVA_DRM_INFO_NAME;
  kcpp::u32
      chipset;  ///< the chip ID of NV_PMC_BOOT_42 ((architecture << 4) | implementation: 0x172 for GA102)
  kcpp::u32 reserved;   ///< zero
  kcpp::u64 vram_size;  ///< VRAM in bytes, from the GSP's static info
  kcpp::u64 bar1_size;  ///< the length of PCI BAR1, the window onto VRAM
};
static_assert(kcpp::auxiliary::SharedData<DrmInfo>);

}  // namespace nova

#endif  // NOVA_CORE_INTERFACE_H

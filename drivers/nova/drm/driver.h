/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file drivers/nova/drm/driver.h
 * @brief nova-drm: the DRM driver of NVIDIA GSP-based GPUs, on the
 * auxiliary device nova-core registers.
 *
 * It binds `NovaCore.nova-drm.<n>`, reads what nova-core put there (a
 * `nova::DrmInfo`: the chipset, the VRAM size from the GSP, the length of
 * BAR1) and registers a DRM device with a render node, unplugged when
 * nova-core unbinds. Its ioctls are upstream nova's, with their numbers
 * and structs (`include/uapi/drm/nova_drm.h`), and one parameter more:
 *
 * | ioctl | does |
 * |---|---|
 * | `GETPARAM` | `NOVA_GETPARAM_VRAM_BAR_SIZE`: BAR1's length; `NOVA_GETPARAM_CHIPSET`, `NOVA_GETPARAM_VRAM_SIZE`: what the GSP said; `EINVAL` for any other |
 * | `GEM_CREATE` | a shmem GEM object of the size rounded up to the page size (0, or a `pad` other than 0: `EINVAL`), returned as a handle |
 * | `GEM_INFO` | the size of a handle's object (`ENOENT` for no such handle in this file; `EINVAL` for a `pad` other than 0) |
 *
 * @code{.cpp}
 * static_assert(kcpp::drm::Driver<nova::drm::NovaDrm>);
 * // The uapi's numbers: DRM_IOWR(DRM_COMMAND_BASE + n, 16-byte struct).
 * static_assert(nova::drm::NovaDrm::GETPARAM == 0xc0106440u);
 * static_assert(nova::drm::NovaDrm::GEM_CREATE == 0xc0106441u);
 * static_assert(nova::drm::NovaDrm::GEM_INFO == 0xc0106442u);
 * const nova::drm::NovaDrm::Data data{{0x172, 0, 24ull << 30, 256ull << 20}};
 * KCPP_ASSERT_EQ(KCPP_TRY(nova::drm::NovaDrm::param(data, NOVA_GETPARAM_VRAM_BAR_SIZE)), 256ull << 20);
 * KCPP_ASSERT_EQ(KCPP_TRY(nova::drm::NovaDrm::param(data, NOVA_GETPARAM_CHIPSET)), 0x172u);
 * KCPP_ASSERT_EQ(KCPP_TRY(nova::drm::NovaDrm::param(data, NOVA_GETPARAM_VRAM_SIZE)), 24ull << 30);
 * KCPP_ASSERT_EQ(nova::drm::NovaDrm::param(data, 0).error(), kcpp::code::EINVAL);
 * KCPP_ASSERT_EQ(nova::drm::NovaDrm::param(data, 2).error(), kcpp::code::EINVAL);
 * KCPP_ASSERT_EQ(nova::drm::NovaDrm::param(data, 0x102).error(), kcpp::code::EINVAL);
 * @endcode
 */
#ifndef NOVA_DRM_DRIVER_H
#define NOVA_DRM_DRIVER_H

#include <kcpp/auxiliary.h>
#include <kcpp/drm.h>
// The repository's uapi header (plain C, which includes no kernel header
// from C++), by its path: never the kernel's copy of the same name.
#include "../../../include/uapi/drm/nova_drm.h"

#include "../core/interface.h"

namespace nova::drm {

/** The DRM driver: its data, files, ioctls. */
struct NovaDrm {
  /** The device's data: what nova-core said at probe. */
  struct Data {
    DrmInfo info;  ///< from the auxiliary device
  };
  /** An open file: nothing of its own yet (its GEM handles are the DRM core's). */
  struct File {
    /** Every open succeeds while the device is registered. */
    static kcpp::Result<File> open(const kcpp::drm::Device<NovaDrm>&) { return File{}; }
  };
  /** nova-drm's GEM objects. */
  using Object = kcpp::drm::gem::Object<NovaDrm>;

  /** The value of GETPARAM's @p param; `EINVAL` for an unknown one. */
  static kcpp::Result<kcpp::u64> param(const Data& data, kcpp::u64 param) {
    switch (param) {
      case NOVA_GETPARAM_VRAM_BAR_SIZE:
        return data.info.bar1_size;
      case NOVA_GETPARAM_CHIPSET:
        return kcpp::u64(data.info.chipset);
      case NOVA_GETPARAM_VRAM_SIZE:
        return data.info.vram_size;
      default:
        return kcpp::code::EINVAL;
    }
  }
  /** `DRM_IOCTL_NOVA_GETPARAM`. */
  static kcpp::Result<kcpp::u32> getparam(const kcpp::drm::Device<NovaDrm>& dev, drm_nova_getparam& arg,
                                          const kcpp::drm::File<NovaDrm>&) {
    arg.value = KCPP_TRY(param(dev.data(), arg.param));
    return 0;
  }
  /** `DRM_IOCTL_NOVA_GEM_CREATE`: the handle goes back; the size as asked. */
  static kcpp::Result<kcpp::u32> gem_create(const kcpp::drm::Device<NovaDrm>& dev, drm_nova_gem_create& arg,
                                            const kcpp::drm::File<NovaDrm>& file) {
    if (arg.pad != 0)  // reserved: it may mean something one day
      return kcpp::code::EINVAL;
    auto obj = KCPP_TRY(Object::make_shmem(dev, arg.size, kcpp::GFP_KERNEL));
    arg.handle = KCPP_TRY(obj->create_handle(file));
    return 0;
  }
  /** `DRM_IOCTL_NOVA_GEM_INFO`. */
  static kcpp::Result<kcpp::u32> gem_info(const kcpp::drm::Device<NovaDrm>&, drm_nova_gem_info& arg,
                                          const kcpp::drm::File<NovaDrm>& file) {
    if (arg.pad != 0)
      return kcpp::code::EINVAL;
    arg.size = KCPP_TRY(Object::lookup(file, arg.handle))->size();
    return 0;
  }

  /** The ioctls' numbers, as the uapi header's macros make them. */
  static constexpr kcpp::u32 GETPARAM = kcpp::drm::iowr<drm_nova_getparam>(DRM_NOVA_GETPARAM);
  static constexpr kcpp::u32 GEM_CREATE = kcpp::drm::iowr<drm_nova_gem_create>(DRM_NOVA_GEM_CREATE);
  static constexpr kcpp::u32 GEM_INFO = kcpp::drm::iowr<drm_nova_gem_info>(DRM_NOVA_GEM_INFO);
  /** Upstream's name and description; version 0.1.0: upstream's 0.0.0 and the parameters from 0x100. */
  static constexpr kcpp::drm::DriverInfo INFO = {0, 1, 0, "nova", "Nvidia Graphics"};
  /** A render node. */
  static constexpr kcpp::drm::Features FEATURES = kcpp::drm::Features::Render;
  /** Upstream's flags: GETPARAM on the render node, the GEM ioctls authenticated there too. */
  using IOCTLS = kcpp::drm::Ioctls<
      kcpp::drm::Ioctl<"NOVA_GETPARAM", GETPARAM, drm_nova_getparam, kcpp::drm::IoctlFlags::RenderAllow,
                       &getparam>,
      kcpp::drm::Ioctl<"NOVA_GEM_CREATE", GEM_CREATE, drm_nova_gem_create,
                       kcpp::drm::IoctlFlags::Auth | kcpp::drm::IoctlFlags::RenderAllow, &gem_create>,
      kcpp::drm::Ioctl<"NOVA_GEM_INFO", GEM_INFO, drm_nova_gem_info,
                       kcpp::drm::IoctlFlags::Auth | kcpp::drm::IoctlFlags::RenderAllow, &gem_info>>;
};

// Upstream's flags, which no test through a file tells apart (a kernel
// thread's file is authenticated, and render nodes skip the check).
static_assert(kcpp::drm::detail::Vtable<NovaDrm>::IOCTLS.desc[0].flags == KCPP_DRM_RENDER_ALLOW &&
              kcpp::drm::detail::Vtable<NovaDrm>::IOCTLS.desc[1].flags ==
                  (KCPP_DRM_AUTH | KCPP_DRM_RENDER_ALLOW) &&
              kcpp::drm::detail::Vtable<NovaDrm>::IOCTLS.desc[2].flags ==
                  (KCPP_DRM_AUTH | KCPP_DRM_RENDER_ALLOW));

/** The auxiliary driver: binds nova-core's device and registers the DRM device. */
class Driver {
 public:
  /** The id table's per-entry data: none. */
  using IdInfo = kcpp::auxiliary::NoInfo;
  /** The driver's name. */
  static constexpr const char* NAME = "nova-drm";
  /** nova-core's device, whatever its instance. */
  static constexpr auto ID_TABLE = kcpp::auxiliary::id_table<IdInfo>({
      {kcpp::auxiliary::DeviceId::make(CORE_DRIVER_NAME, DRM_DEVICE_NAME), {}},
  });
  /**
   * Registers the DRM device with what nova-core said; `ENODEV` (not ours)
   * if the device carries no `DrmInfo`, or one of another version (a
   * nova-core built from another version of the interface).
   */
  static kcpp::Result<Driver> probe(const kcpp::auxiliary::Device<kcpp::device::Core>& adev, const IdInfo&) {
    auto info = adev.shared_data<DrmInfo>();
    if (info.is_err()) {
      KCPP_DEV_ERR(
          adev, "%s from nova-core, which this nova-drm needs\n",
          info.error() == kcpp::code::ENOENT ? "no interface" : "another interface than " NOVA_DRM_INFO_NAME);
      return kcpp::code::ENODEV;
    }
    // Under the GPU's PCI function in sysfs, where libdrm's drmGetDevices2() finds it (it knows
    // no auxiliary bus); bound to, and unplugged with, the auxiliary device.
    auto reg = kcpp::drm::Registration<NovaDrm>::make_under_parent(
        adev, kcpp::init::emplace<NovaDrm::Data>(NovaDrm::Data{*info}), kcpp::GFP_KERNEL);
    if (reg.is_err()) {
      KCPP_DEV_ERR(adev, "cannot register the DRM device (%d)\n", reg.error().to_errno());
      return reg.error();
    }
    KCPP_DEV_INFO(adev, "chipset %#x, %llu MiB of VRAM, /dev/dri/renderD%d\n", info->chipset,
                  static_cast<unsigned long long>(info->vram_size >> 20), reg->device().render_minor());
    return Driver(std::move(*reg));
  }
  /** The DRM device. */
  [[nodiscard]] const kcpp::drm::Device<NovaDrm>& device() const { return drm_.device(); }

 private:
  explicit Driver(kcpp::drm::Registration<NovaDrm> r) : drm_(std::move(r)) {}
  kcpp::drm::Registration<NovaDrm> drm_;
};

}  // namespace nova::drm

#endif  // NOVA_DRM_DRIVER_H

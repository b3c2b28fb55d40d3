/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-core's PCI driver: binds every NVIDIA VGA or 3D-class function
 * (which GPU it is comes from BOOT_0/BOOT_42, not the device id), enables
 * it, sets its 47-bit DMA mask, maps BAR0 (16 MiB, offsets checked at
 * compile time against that size) and runs the probe sequence of gpu.h on
 * it. Then it registers the auxiliary device "nova-drm" for the DRM driver.
 * At unbind the flush page is unregistered; the auxiliary device, the DMA
 * memory and the BAR mapping go with the driver data (devres).
 */
#ifndef NOVA_CORE_DRIVER_H
#define NOVA_CORE_DRIVER_H

#include <kcpp/dma.h>
#include <kcpp/pci.h>

#include <kcpp/auxiliary.h>

#include "gpu.h"
#include "interface.h"

namespace nova {

/** BAR0's size on every supported GPU. */
inline constexpr kcpp::usize BAR0_SIZE = 16 << 20;
/** BAR0 mapped with its size known at compile time. */
using Bar0 = kcpp::pci::Bar<BAR0_SIZE>;
/** The DMA address width of Turing and Ampere (upstream's GPU_DMA_BITS). */
inline constexpr unsigned DMA_BITS = 47;

/**
 * A bound GPU on BAR0 type @p Bar: the GPU after its probe sequence, and
 * nova-drm's auxiliary device with what nova-drm reports (a `DrmInfo`).
 * nova-core's driver holds one over the mapped BAR0; the test-only
 * simulated GPU (drivers/nova/sim/module.cpp) holds one over the
 * simulator's, so that both run this code.
 */
template <typename Bar>
class Binding {
 public:
  /**
   * Runs the GPU's probe sequence on @p io for @p pdev (enabled, bus
   * master, DMA mask set) and registers "nova-drm". A failure after the
   * GPU probe unregisters the flush page again.
   */
  static kcpp::Result<Binding> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const Bar& io) {
    // BAR1 is nova-drm's to report (0 if the function has none).
    const kcpp::u64 bar1_size = KCPP_TRY(pdev.resource_len(1));
    auto gpu = KCPP_TRY(Gpu<Bar>::probe(pdev.as_device(), io, gsp::PciInfo::of(pdev)));
    const DrmInfo info{gpu.spec().chipset.id(), 0, gpu.static_info().vram_size, bar1_size};
    const char* const modname = CORE_DRIVER_NAME;  // NovaCore.nova-drm.0
    auto drm = kcpp::auxiliary::Registration::make_with_data(pdev, DRM_DEVICE_NAME, 0, info, kcpp::GFP_KERNEL,
                                                             modname);
    if (drm.is_err()) {
      gpu.unbind(io, pdev.as_device());
      return drm.error();
    }
    return Binding(std::move(gpu), std::move(*drm));
  }

  /** Unregisters the flush page; @p io must still reach the GPU. */
  void unbind(const Bar& io, const kcpp::Device<kcpp::device::Bound>& dev) { gpu_.unbind(io, dev); }

  /** The chipset and revision of the bound GPU. */
  [[nodiscard]] const Spec& spec() const { return gpu_.spec(); }

 private:
  Binding(Gpu<Bar> gpu, kcpp::auxiliary::Registration drm) : gpu_(std::move(gpu)), drm_(std::move(drm)) {}
  Gpu<Bar> gpu_;
  kcpp::auxiliary::Registration drm_;
};

/** nova-core's PCI driver; the object probe() returns is the driver data until unbind. */
class Driver {
 public:
  /** The id table's per-entry data: none. */
  using IdInfo = kcpp::pci::NoInfo;
  /** The driver's name, also the module name of the auxiliary device (NovaCore.nova-drm.0). */
  static constexpr const char* NAME = CORE_DRIVER_NAME;
  /** Every NVIDIA function of class VGA or 3D controller; BOOT_0 and BOOT_42 tell the GPU later. */
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_class_and_vendor(
           kcpp::pci::Class::DISPLAY_VGA, kcpp::pci::ClassMask::ClassSubclass, kcpp::pci::Vendor::NVIDIA),
       {}},
      {kcpp::pci::DeviceId::from_class_and_vendor(
           kcpp::pci::Class::DISPLAY_3D, kcpp::pci::ClassMask::ClassSubclass, kcpp::pci::Vendor::NVIDIA),
       {}},
  });

  /** Enables @p pdev, sets its DMA mask, maps BAR0 and binds the GPU on it (`Binding`). */
  static kcpp::Result<Driver> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    KCPP_TRY(pdev.enable_device_mem());
    pdev.set_master();
    KCPP_TRY(kcpp::dma::set_mask_and_coherent(pdev, kcpp::dma::Mask::bits<DMA_BITS>()));
    auto bar = KCPP_TRY(pdev.iomap_region_sized<BAR0_SIZE>(0, "nova-core/bar0"));
    const Bar0& io = *KCPP_TRY(bar.access(pdev));
    auto binding = KCPP_TRY(Binding<Bar0>::probe(pdev, io));
    return Driver(std::move(bar), std::move(binding));
  }

  /** Unregisters the flush page while BAR0 is reachable; the rest goes with the driver data. */
  void unbind(const kcpp::pci::Device<kcpp::device::Core>& pdev) {
    if (auto io = bar_.access(pdev); io.is_ok())
      binding_.unbind(**io, pdev.as_device());
  }

  /** The chipset and revision of the bound GPU. */
  [[nodiscard]] const Spec& spec() const { return binding_.spec(); }

 private:
  Driver(kcpp::Devres<Bar0> bar, Binding<Bar0> binding)
      : bar_(std::move(bar)), binding_(std::move(binding)) {}
  kcpp::Devres<Bar0> bar_;
  Binding<Bar0> binding_;
};

}  // namespace nova

#endif  // NOVA_CORE_DRIVER_H

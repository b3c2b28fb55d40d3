/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-core's PCI driver: binds every NVIDIA VGA or 3D-class function,
 * maps BAR0 (16 MiB, offsets checked at compile time against that size)
 * and identifies the chipset. Pre-Fermi and unknown chips are refused with
 * ENODEV. The rest of the probe (GFW wait, VBIOS, falcons, FWSEC-FRTS) comes
 * with the following parts of the port.
 */
#ifndef NOVA_CORE_DRIVER_H
#define NOVA_CORE_DRIVER_H

#include <kcpp/dma.h>
#include <kcpp/pci.h>

#include "gpu.h"

namespace nova {

/** BAR0's size on every supported GPU. */
inline constexpr kcpp::usize kBar0Size = 16 << 20;
using Bar0 = kcpp::pci::Bar<kBar0Size>;
/** The DMA address width of Turing and Ampere (upstream's GPU_DMA_BITS). */
inline constexpr unsigned kDmaBits = 47;

class Driver {
 public:
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "NovaCore";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_class_and_vendor(kcpp::pci::Class::DISPLAY_VGA,
                                                  kcpp::pci::ClassMask::ClassSubclass,
                                                  kcpp::pci::Vendor::NVIDIA),
       {}},
      {kcpp::pci::DeviceId::from_class_and_vendor(kcpp::pci::Class::DISPLAY_3D,
                                                  kcpp::pci::ClassMask::ClassSubclass,
                                                  kcpp::pci::Vendor::NVIDIA),
       {}},
  });

  static kcpp::Result<Driver> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev,
                                    const IdInfo&) {
    KCPP_TRY(pdev.enable_device_mem());
    pdev.set_master();
    KCPP_TRY(kcpp::dma::set_mask_and_coherent(pdev, kcpp::dma::Mask::bits<kDmaBits>()));
    auto bar = KCPP_TRY(pdev.iomap_region_sized<kBar0Size>(0, "nova-core/bar0"));
    const Spec spec = KCPP_TRY(Spec::identify(*KCPP_TRY(bar.access(pdev)), pdev.as_device()));
    return Driver(std::move(bar), spec);
  }

  [[nodiscard]] const Spec& spec() const { return spec_; }

 private:
  Driver(kcpp::Devres<Bar0> bar, Spec spec) : bar_(std::move(bar)), spec_(spec) {}
  kcpp::Devres<Bar0> bar_;
  Spec spec_;
};

} // namespace nova

#endif // NOVA_CORE_DRIVER_H

// SPDX-License-Identifier: GPL-2.0
/*
 * nova_sim.ko, test-only (CONFIG_KCPP_NOVA_SIM, never in an out-of-tree
 * build): nova-core on a simulated GA102 behind QEMU's pci-testdev.
 *
 * It binds pci-testdev (1b36:0005) as nova-core binds a GPU: enables it,
 * makes it bus master, sets nova-core's DMA mask, then runs nova-core's own
 * `nova::Binding` on the simulator's BAR0 instead of the mapped one. That is
 * the whole probe sequence through the GSP, and the registration of
 * `NovaCore.nova-drm.0` with its `nova::DrmInfo`, so that nova_drm.ko binds
 * it as it would a real GPU's and /dev/dri/renderD128 appears. The
 * simulator DMAs through pci-testdev's mappings (sim/dma.c).
 *
 * make check loads it for the libdrm client (tests/nova_drm_client.c), on the
 * test kernel and on the sanitizer kernel; make demo and make bench too.
 */
#include <kcpp/dma.h>
#include <kcpp/module.h>
#include <kcpp/pci.h>

#include "../core/driver.h"
#include "gpu.h"

namespace {

/** The simulated chip: GA102 (the one make demo shows). */
constexpr kcpp::u32 CHIP = 0x172;

class SimDriver {
 public:
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "nova_sim";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });

  static kcpp::Result<SimDriver> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    KCPP_TRY(pdev.enable_device_mem());
    pdev.set_master();
    KCPP_TRY(kcpp::dma::set_mask_and_coherent(pdev, kcpp::dma::Mask::bits<nova::DMA_BITS>()));
    // The simulator keeps pointers to pdev (what GSP_SET_SYSTEM_INFO must describe, whose DMA
    // it reads). It is driver data, dropped at unbind, while the device is still bound.
    nova::sim::Options o;
    o.pci = &pdev;
    auto sim = KCPP_TRY(nova::sim::make_gpu(CHIP, &pdev.as_device(), o));
    auto binding = KCPP_TRY(nova::Binding<nova::sim::Bar0>::probe(pdev, sim->bar0()));
    KCPP_DEV_INFO(pdev, "simulated %s: nova-core bound, %s.%s.0 registered\n", binding.spec().chipset.name(),
                  nova::CORE_DRIVER_NAME, nova::DRM_DEVICE_NAME);
    return SimDriver(std::move(sim), std::move(binding));
  }

  void unbind(const kcpp::pci::Device<kcpp::device::Core>& pdev) {
    binding_.unbind(sim_->bar0(), pdev.as_device());
  }

 private:
  SimDriver(kcpp::KBox<nova::sim::Gpu> sim, nova::Binding<nova::sim::Bar0> binding)
      : sim_(std::move(sim)), binding_(std::move(binding)) {}
  // Destroyed in reverse: nova-drm's device and the GPU's state go before the simulator.
  kcpp::KBox<nova::sim::Gpu> sim_;
  nova::Binding<nova::sim::Bar0> binding_;
};

}  // namespace

KCPP_PCI_DRIVER_MODULE(SimDriver);
KCPP_MODULE_LICENSE("GPL");
KCPP_MODULE_DESCRIPTION("test only: nova-core on a simulated GA102 behind QEMU's pci-testdev");

// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core's chipset identification on simulated GPUs: every chipset of
 * the table (Turing to Blackwell) is recognised with its revision, and
 * pre-Fermi parts, unknown architectures and unknown implementations are
 * refused with ENODEV.
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/kunit.h>
#include <kcpp/pci.h>

#include "../drivers/nova/core/gpu.h"
#include "../drivers/nova/sim/gpu.h"
#include "helpers.h"

namespace {

using kcpp::u32;

// A device to log against (identification logs with dev_info/dev_err).
kcpp::Result<kcpp::ARef<kcpp::pci::Device<>>> log_device() {
  return kcpp_test::find_pci(kcpp::pci::Vendor::REDHAT, 0x0005, "no pci-testdev to log against");
}

kcpp::Result<void> every_chipset_of_the_table_is_identified() {
  auto dev = log_device();
  if (dev.is_err())
    return {};
  for (const nova::ChipsetInfo& c : nova::kChipsets) {
    auto gpu = KCPP_TRY(kcpp::KBox<nova::sim::Gpu>::make(kcpp::GFP_KERNEL, c.id, 0xa, 1));
    nova::Spec spec = KCPP_TRY(nova::Spec::identify(gpu->bar0(), (*dev)->as_device()));
    KCPP_EXPECT_EQ(spec.chipset.id(), c.id);
    KCPP_EXPECT_EQ(__builtin_strcmp(spec.chipset.name(), c.upper), 0);
    KCPP_EXPECT_EQ(spec.revision.major, 0xau);
    KCPP_EXPECT_EQ(spec.revision.minor, 1u);
    KCPP_EXPECT_EQ(static_cast<u32>(spec.chipset.architecture()), c.id >> 4);
  }
  return {};
}

kcpp::Result<void> boot0_decodes_as_on_real_hardware() {
  // 0xb72000a1: the BOOT_0 nouveau prints for a GA102.
  const auto b = nova::regs::NV_PMC_BOOT_0::from_raw(0xb72000a1);
  KCPP_EXPECT_EQ(b.architecture_0(), 0x17);
  KCPP_EXPECT(!b.architecture_1());
  KCPP_EXPECT_EQ(b.implementation(), 2);
  KCPP_EXPECT_EQ(b.major_revision(), 0xa);
  KCPP_EXPECT_EQ(b.minor_revision(), 1);
  KCPP_EXPECT(!b.is_older_than_fermi());
  KCPP_EXPECT_EQ(nova::sim::boot0_of(0x172) & 0x1ff001ff, 0xb72000a1u & 0x1ff001ff);
  // NV50 (Tesla, architecture 0x5) and NV40 are pre-Fermi; GF100 is not.
  KCPP_EXPECT(nova::regs::NV_PMC_BOOT_0::from_raw(0x050000a1).is_older_than_fermi());
  KCPP_EXPECT(!nova::regs::NV_PMC_BOOT_0::from_raw(0x0c0000a1).is_older_than_fermi());
  // Chipsets compare by id, as upstream does (GH100 sorts between GA107 and AD102).
  auto gh100 = KCPP_TRY(nova::Chipset::from_id(0x180));
  KCPP_EXPECT(KCPP_TRY(nova::Chipset::from_id(0x177)) < gh100);
  KCPP_EXPECT(gh100 < KCPP_TRY(nova::Chipset::from_id(0x192)));
  KCPP_EXPECT_EQ(__builtin_strcmp(gh100.firmware_dir(), "gh100"), 0);
  return {};
}

kcpp::Result<void> unsupported_gpus_are_refused() {
  auto dev = log_device();
  if (dev.is_err())
    return {};
  const auto& log = (*dev)->as_device();
  // Pre-Fermi: BOOT_0 of an NV50.
  auto nv50 = KCPP_TRY(kcpp::KBox<nova::sim::Gpu>::make(kcpp::GFP_KERNEL, 0x162u));
  nv50->bar0_mut().set(nova::regs::NV_PMC_BOOT_0::offset, 0x050000a1);
  KCPP_EXPECT_EQ(nova::Spec::identify(nv50->bar0(), log).error(), kcpp::code::ENODEV);
  // An architecture nova does not know (Volta, 0x14) and an unknown implementation.
  auto volta = KCPP_TRY(kcpp::KBox<nova::sim::Gpu>::make(kcpp::GFP_KERNEL, 0x140u));
  KCPP_EXPECT_EQ(nova::Spec::identify(volta->bar0(), log).error(), kcpp::code::ENODEV);
  auto tu10f = KCPP_TRY(kcpp::KBox<nova::sim::Gpu>::make(kcpp::GFP_KERNEL, 0x16fu));
  KCPP_EXPECT_EQ(nova::Spec::identify(tu10f->bar0(), log).error(), kcpp::code::ENODEV);
  // A GPU whose BOOT_42 reads zero (no such register).
  auto blank = KCPP_TRY(kcpp::KBox<nova::sim::Gpu>::make(kcpp::GFP_KERNEL, 0x172u));
  blank->bar0_mut().set(nova::regs::NV_PMC_BOOT_42::offset, 0);
  KCPP_EXPECT_EQ(nova::Spec::identify(blank->bar0(), log).error(), kcpp::code::ENODEV);
  KCPP_EXPECT_EQ(nova::Chipset::from_id(0x171).error(), kcpp::code::ENODEV);
  return {};
}

} // namespace

KCPP_KUNIT_SUITE(nova_gpu, KCPP_KUNIT_CASE(every_chipset_of_the_table_is_identified),
                 KCPP_KUNIT_CASE(boot0_decodes_as_on_real_hardware),
                 KCPP_KUNIT_CASE(unsupported_gpus_are_refused));

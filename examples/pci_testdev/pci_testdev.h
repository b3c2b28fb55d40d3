/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A driver for QEMU's pci-testdev (1b36:0005, `-device pci-testdev`).
 *
 * Probe enables the device, maps the 16-byte register header of BAR0 and
 * runs test 0 (no-eventfd): select the test, read where the device wants
 * its data byte (OFFSET, 0x800: beyond the compile-time size, so written
 * through the runtime-checked path) and which byte (DATA), write it there,
 * and read COUNT back, which the device has incremented to 1. It also reads
 * the vendor ID, revision and BAR0 from config space.
 *
 * The class is the whole driver; module.cpp makes it a module with one
 * line, and tests/pci_test.cpp registers the same class under KUnit.
 */
#ifndef KCPP_EXAMPLES_PCI_TESTDEV_H
#define KCPP_EXAMPLES_PCI_TESTDEV_H

#include <kcpp/io/register.h>
#include <kcpp/pci.h>
#include <kcpp/sync/arc.h>

namespace pci_testdev {

using kcpp::u16;
using kcpp::u32;
using kcpp::u8;

/** Registers at the start of BAR0 (QEMU hw/misc/pci-testdev.c). */
namespace regs {
struct TEST : kcpp::io::Register<TEST, u8, 0x0> {
  KCPP_REG_FIELD(7, 0, index);
};
struct OFFSET : kcpp::io::Register<OFFSET, u32, 0x4> {
  KCPP_REG_FIELD(31, 0, value);
};
struct DATA : kcpp::io::Register<DATA, u8, 0x8> {
  KCPP_REG_FIELD(7, 0, value);
};
struct COUNT : kcpp::io::Register<COUNT, u32, 0xc> {
  KCPP_REG_FIELD(31, 0, value);
};
}  // namespace regs

/** Standard config-space registers. */
namespace config {
struct VENDOR_ID : kcpp::io::Register<VENDOR_ID, u16, 0x0> {
  KCPP_REG_FIELD(15, 0, value);
};
struct REVISION_ID : kcpp::io::Register<REVISION_ID, u8, 0x8> {
  KCPP_REG_FIELD(7, 0, value);
};
struct BAR : kcpp::io::RegisterArray<BAR, u32, 0x10, 4, 6> {
  KCPP_REG_FIELD(0, 0, io_space);
  KCPP_REG_FIELD(31, 4, address_bits);
};
}  // namespace config

/** Which test of the device a table entry runs. */
struct TestIndex {
  u8 value;
};

/** The first 16 bytes of BAR0, accessed with compile-time-checked offsets. */
using Bar = kcpp::pci::Bar<0x10>;

class Driver {
 public:
  using IdInfo = TestIndex;
  static constexpr const char* NAME = "kcpp_pci_testdev";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), TestIndex{0}},
  });

  static kcpp::Result<Driver> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo& info) {
    KCPP_DEV_INFO(pdev, "probe: vendor %04x device %04x\n", pdev.vendor_id().value, pdev.device_id());
    KCPP_TRY(pdev.enable_device_mem());
    pdev.set_master();
    auto bar = KCPP_TRY(kcpp::Arc<kcpp::Devres<Bar>>::pin_init(
        kcpp::GFP_KERNEL,
        kcpp::init::from_result<kcpp::Devres<Bar>>([&] { return pdev.iomap_region_sized<0x10>(0, NAME); })));
    Driver d(bar, info.value);
    KCPP_TRY(d.testdev(pdev));
    const auto cfg = pdev.config_space();
    d.vendor_ = config::VENDOR_ID::read(cfg).value();
    d.revision_ = config::REVISION_ID::read(cfg).value();
    d.bar0_ = config::BAR::read<0>(cfg).raw();
    KCPP_DEV_INFO(pdev, "pci-testdev data-match count: %u\n", d.count_);
    KCPP_DEV_INFO(pdev, "config: vendor %04x revision %u bar0 %08x\n", d.vendor_, d.revision_, d.bar0_);
    return d;
  }

  /** Puts the device back to a clean test state before it is released. */
  void unbind(const kcpp::pci::Device<kcpp::device::Core>& pdev) {
    if (auto b = bar_->access(pdev); b.is_ok())
      regs::TEST::zeroed().with_index(kcpp::io::Bits<8>::masked(index_)).write(**b);
    KCPP_DEV_INFO(pdev, "unbind\n");
  }

  /** COUNT after the test: 1 when the device saw the data byte. */
  [[nodiscard]] u32 count() const { return count_; }
  /** Where and what the device asked for. */
  [[nodiscard]] u32 offset() const { return offset_; }
  [[nodiscard]] u8 data() const { return data_; }
  /** Config-space values read in probe. */
  [[nodiscard]] u16 vendor() const { return vendor_; }
  [[nodiscard]] u8 revision() const { return revision_; }
  [[nodiscard]] u32 bar0() const { return bar0_; }
  /** The BAR mapping, shareable beyond the binding (revoked at unbind). */
  [[nodiscard]] kcpp::Arc<kcpp::Devres<Bar>> bar() const { return bar_; }

 private:
  Driver(kcpp::Arc<kcpp::Devres<Bar>> bar, u8 index) : bar_(std::move(bar)), index_(index) {}

  kcpp::Result<void> testdev(const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
    const Bar& bar = *KCPP_TRY(bar_->access(pdev));
    regs::TEST::zeroed().with_index(kcpp::io::Bits<8>::masked(index_)).write(bar);
    offset_ = regs::OFFSET::read(bar).value();
    data_ = regs::DATA::read(bar).value();
    // OFFSET lies beyond the 16 bytes known at compile time: runtime check.
    KCPP_TRY(bar.try_write8(data_, offset_));
    count_ = regs::COUNT::read(bar).value();
    return {};
  }

  kcpp::Arc<kcpp::Devres<Bar>> bar_;
  u8 index_;
  u32 offset_ = 0;
  u8 data_ = 0;
  u32 count_ = 0;
  u16 vendor_ = 0;
  u8 revision_ = 0;
  u32 bar0_ = 0;
};

}  // namespace pci_testdev

#endif  // KCPP_EXAMPLES_PCI_TESTDEV_H

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform-bus example: a driver that splits a PCI function into
 * blocks, as multi-function drivers do. `Parent` binds QEMU's pci-testdev
 * and registers one platform device, "kcpp-platform-ex.0", whose memory is
 * the first 16 bytes of BAR 0 and whose interrupt is a software line (the
 * testdev has none). `Block`, a platform driver, binds it by its name table
 * (its OF and ACPI tables are there for machines that describe such a block
 * in firmware), maps the memory, requests the interrupt and counts it.
 */
#ifndef KCPP_EXAMPLES_PLATFORM_EXAMPLE_H
#define KCPP_EXAMPLES_PLATFORM_EXAMPLE_H

#include <kcpp/pci.h>
#include <kcpp/platform.h>
#include <kcpp/print.h>

namespace platform_example {

inline constexpr const char* BLOCK_NAME = "kcpp-platform-ex";

/** How the block was found: which table's entry matched. */
struct BlockInfo {
  const char* table;
  unsigned int entry;
};

/** The block's interrupt handler: counts. */
struct Counter {
  mutable unsigned int hits = 0;
  kcpp::irq::Return handle(const kcpp::Device<kcpp::device::Bound>&) const {
    __atomic_add_fetch(&hits, 1, __ATOMIC_RELAXED);
    return kcpp::irq::Return::Handled;
  }
};

/** The platform driver of the block. */
class Block {
 public:
  using IdInfo = BlockInfo;
  static constexpr const char* NAME = "kcpp_platform_block";
  static constexpr auto ID_TABLE = kcpp::platform::id_table<IdInfo>({
      {kcpp::platform::DeviceId::name(BLOCK_NAME), {"name", 0}},
  });
  static constexpr auto OF_ID_TABLE = kcpp::of::id_table<IdInfo>({
      {kcpp::of::DeviceId::compatible("kcpp,platform-example"), {"OF", 0}},
  });
  static constexpr auto ACPI_ID_TABLE = kcpp::acpi::id_table<IdInfo>({
      {kcpp::acpi::DeviceId::make("KCPP0001"), {"ACPI", 0}},
  });

  static kcpp::Result<Block> probe(const kcpp::platform::Device<kcpp::device::Core>& pdev,
                                   kcpp::Option<const IdInfo*> info) {
    auto regs = KCPP_TRY(pdev.iomap_resource_sized<16>(0));
    kcpp::irq::Request req = KCPP_TRY(pdev.irq(0));
    auto irq = KCPP_TRY(
        kcpp::irq::Registration<Counter>::make(req, kcpp::irq::Flags(), NAME, Counter{}, kcpp::GFP_KERNEL));
    const kcpp::platform::IoMem<16>& io = *KCPP_TRY(regs.access(pdev));
    // pci-testdev's registers: select test 0, read where it wants its byte.
    io.write8(0, 0x0);
    const kcpp::u32 offset = io.read32(0x4);
    const BlockInfo how = info.is_some() ? *info.expect("checked") : BlockInfo{"driver_override", 0};
    KCPP_DEV_INFO(pdev, "bound by %s (entry %u), registers at %llx, test 0 byte at 0x%x, irq %u\n", how.table,
                  how.entry, static_cast<unsigned long long>(io.start()), offset, req.irq());
    return Block(std::move(regs), std::move(irq));
  }
  void unbind(const kcpp::platform::Device<kcpp::device::Core>& pdev) {
    KCPP_DEV_INFO(pdev, "unbind after %u interrupts\n",
                  __atomic_load_n(&irq_->handler().hits, __ATOMIC_RELAXED));
  }

 private:
  Block(kcpp::Devres<kcpp::platform::IoMem<16>> regs, kcpp::KBox<kcpp::irq::Registration<Counter>> irq)
      : regs_(std::move(regs)), irq_(std::move(irq)) {}
  kcpp::Devres<kcpp::platform::IoMem<16>> regs_;
  kcpp::KBox<kcpp::irq::Registration<Counter>> irq_;
};

/** The PCI driver that registers the block. */
class Parent {
 public:
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_platform";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });
  static constexpr unsigned int RAISED = 3;

  static kcpp::Result<Parent> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    KCPP_TRY(pdev.enable_device_mem());
    const kcpp::u64 bar0 = KCPP_TRY(pdev.resource_start(0));
    auto line = KCPP_TRY(kcpp::irq::SoftwareLine::make(pdev.as_device().numa_node()));
    const kcpp::platform::Resource res[] = {
        kcpp::platform::Resource::mem(bar0, 16, BLOCK_NAME),
        kcpp::platform::Resource::irq(line.irq(), BLOCK_NAME),
    };
    auto child =
        KCPP_TRY(kcpp::platform::ChildRegistration::make(pdev, BLOCK_NAME, 0, res, kcpp::GFP_KERNEL));
    // The block is bound by now if its driver is registered: raise its
    // interrupt as the device would.
    for (unsigned int i = 0; i < RAISED; i++) KCPP_TRY(line.trigger_sync());
    KCPP_DEV_INFO(pdev, "child %s.0 over BAR 0 at %llx, %u interrupts raised\n", BLOCK_NAME,
                  static_cast<unsigned long long>(bar0), RAISED);
    return Parent(std::move(line), std::move(child));
  }

 private:
  Parent(kcpp::irq::SoftwareLine line, kcpp::platform::ChildRegistration child)
      : line_(std::move(line)), child_(std::move(child)) {}
  kcpp::irq::SoftwareLine line_;
  // Declared after the line: the block goes (and frees its handler) before
  // the line does.
  kcpp::platform::ChildRegistration child_;
};

}  // namespace platform_example

#endif  // KCPP_EXAMPLES_PLATFORM_EXAMPLE_H

// SPDX-License-Identifier: GPL-2.0
/*
 * The platform bus: matching by name table, by ACPI ID (QEMU's fw_cfg
 * device, which ACPI enumerates in the test machine) and by the driver's
 * name alone; memory resources (a slice of pci-testdev's BAR 0) and
 * software interrupt lines; the errors of device registration and of
 * resource mapping; unbinding under a held mapping; every allocation of
 * probe failing in turn.
 */
#include <kcpp/dma.h>
#include <kcpp/kunit.h>
#include <kcpp/platform.h>

#include "helpers.h"

namespace {

using kcpp::platform::Device;
using kcpp::platform::Resource;
using Core = kcpp::platform::Device<kcpp::device::Core>;
using Bound = kcpp::platform::Device<kcpp::device::Bound>;

// pci-testdev (the test machine has one) with its memory decoding on, and
// nothing requested: the first bytes of its BAR 0 serve as a platform
// device's registers while an Enabler is registered.
struct Enabler {
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp-test-enabler";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });
  static kcpp::Result<Enabler> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    KCPP_TRY(pdev.enable_device_mem());
    return Enabler{};
  }
};
struct Testdev {
  kcpp::pci::Registration<Enabler> reg;
  kcpp::u64 bar0;
};
kcpp::Result<Testdev> testdev() {
  auto pdev = KCPP_TRY(kcpp_test::find_testdev());
  auto reg = KCPP_TRY(kcpp::pci::Registration<Enabler>::make(kcpp::GFP_KERNEL));
  KCPP_ASSERT(pdev->as_device().is_bound());
  return Testdev{std::move(reg), KCPP_TRY(pdev->resource_start(0))};
}

// Records what each probe saw: the entry's info (0: none) and the device.
struct Seen {
  int probes = 0;
  int info = -1;
  const char* name = nullptr;
};
Seen seen;

struct NameDriver {
  using IdInfo = int;
  static constexpr const char* NAME = "kcpp-test-plat";
  static constexpr auto ID_TABLE = kcpp::platform::id_table<IdInfo>({
      {kcpp::platform::DeviceId::name("kcpp-test-a"), 10},
      {kcpp::platform::DeviceId::name("kcpp-test-b"), 20},
  });
  static kcpp::Result<NameDriver> probe(const Core& pdev, kcpp::Option<const IdInfo*> info) {
    seen.probes++;
    seen.info = info.is_some() ? *info.expect("checked") : 0;
    seen.name = pdev.name();
    return NameDriver{};
  }
};

// Two devices of the table bind, each with its own entry's info; one with
// the driver's own name does not: a name table replaces matching by name.
kcpp::Result<void> name_table_entries_and_driver_name_bind() {
  seen = {};
  auto reg = KCPP_TRY(kcpp::platform::Registration<NameDriver>::make(kcpp::GFP_KERNEL));
  {
    auto b = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-b", kcpp::platform::NO_ID));
    KCPP_EXPECT_EQ(seen.probes, 1);
    KCPP_EXPECT_EQ(seen.info, 20);
    KCPP_EXPECT(b.device().as_device().is_bound());
    KCPP_EXPECT(b.device().id().is_none());
    KCPP_EXPECT_EQ(__builtin_strcmp(b.device().as_device().name(), "kcpp-test-b"), 0);
  }
  auto a = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-a", kcpp::platform::AUTO_ID));
  KCPP_EXPECT_EQ(seen.probes, 2);
  KCPP_EXPECT_EQ(seen.info, 10);
  KCPP_EXPECT(a.device().id().is_some());
  KCPP_EXPECT_EQ(__builtin_strcmp(seen.name, "kcpp-test-a"), 0);
  auto own = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-plat", 7));
  KCPP_EXPECT_EQ(seen.probes, 2);
  KCPP_EXPECT(!own.device().as_device().is_bound());
  auto other = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-c", 0));
  KCPP_EXPECT_EQ(seen.probes, 2);
  KCPP_EXPECT(!other.device().as_device().is_bound());
  return {};
}

// A driver with only an OF table binds nothing on a machine without a
// device tree, not even a device named like its compatible string.
struct OfOnly {
  using IdInfo = int;
  static constexpr const char* NAME = "kcpp-test-of";
  static constexpr auto OF_ID_TABLE = kcpp::of::id_table<IdInfo>({
      {kcpp::of::DeviceId::compatible("kcpp,test-of"), 1},
  });
  static kcpp::Result<OfOnly> probe(const Core&, kcpp::Option<const IdInfo*>) {
    seen.probes++;
    return OfOnly{};
  }
};

kcpp::Result<void> of_entries_match_only_device_tree_nodes() {
  seen = {};
  auto reg = KCPP_TRY(kcpp::platform::Registration<OfOnly>::make(kcpp::GFP_KERNEL));
  auto dev = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp,test-of", kcpp::platform::NO_ID));
  KCPP_EXPECT_EQ(seen.probes, 0);
  KCPP_EXPECT(!dev.device().as_device().is_bound());
  KCPP_EXPECT_EQ(kcpp::platform::detail::of_ids<OfOnly>().ids[0].driver_data, 0ul);
  return {};
}

// QEMU's fw_cfg (ACPI _HID QEMU0002, I/O ports 0x510..) is a platform device
// that ACPI enumerated; the test kernel has no driver of its own for it.
struct FwCfg {
  using IdInfo = int;
  static constexpr const char* NAME = "kcpp-test-acpi";
  static constexpr auto ID_TABLE = kcpp::platform::id_table<IdInfo>({
      {kcpp::platform::DeviceId::name("QEMU0002"), 1},  // not how ACPI devices are named
  });
  static constexpr auto ACPI_ID_TABLE = kcpp::acpi::id_table<IdInfo>({
      {kcpp::acpi::DeviceId::make("KCPP0000"), 2},
      {kcpp::acpi::DeviceId::make("QEMU0002"), 3},
  });
  static kcpp::Result<FwCfg> probe(const Core& pdev, kcpp::Option<const IdInfo*> info) {
    seen.probes++;
    seen.info = info.is_some() ? *info.expect("checked") : 0;
    auto ports = KCPP_TRY(pdev.io_resource(0));
    return FwCfg{ports.start(), ports.size()};
  }
  kcpp::u64 port;
  kcpp::u64 ports;
};

kcpp::Result<void> acpi_entries_bind_acpi_devices() {
  seen = {};
  auto reg = KCPP_TRY(kcpp::platform::Registration<FwCfg>::make(kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(seen.probes, 1);
  KCPP_EXPECT_EQ(seen.info, 3);  // the second ACPI entry
  return {};
}

// A device with a 16-byte slice of pci-testdev's BAR 0 and one software
// interrupt line, and a driver that maps and requests them.
struct Hits {
  mutable unsigned int n = 0;
  kcpp::irq::Return handle(const kcpp::Device<kcpp::device::Bound>&) const {
    __atomic_add_fetch(&n, 1, __ATOMIC_RELAXED);
    return kcpp::irq::Return::Handled;
  }
};
struct Regs {
  using IdInfo = kcpp::platform::NoInfo;
  static constexpr const char* NAME = "kcpp-test-regs";
  static kcpp::Result<Regs> probe(const Core& pdev, kcpp::Option<const IdInfo*>) {
    KCPP_TRY(kcpp::dma::set_mask_and_coherent(pdev, kcpp::dma::Mask::bits<32>()));  // Core context
    auto regs = KCPP_TRY(pdev.iomap_resource_sized<16>(0));
    auto irq = KCPP_TRY(kcpp::irq::Registration<Hits>::make(KCPP_TRY(pdev.irq(0)), kcpp::irq::Flags(), NAME,
                                                            Hits{}, kcpp::GFP_KERNEL));
    return Regs{std::move(regs), std::move(irq)};
  }
  kcpp::Devres<kcpp::platform::IoMem<16>> regs;
  kcpp::KBox<kcpp::irq::Registration<Hits>> irq;
};

kcpp::Result<void> resources_map_and_interrupts_fire() {
  auto td = KCPP_TRY(testdev());
  const kcpp::u64 bar0 = td.bar0;
  auto line = KCPP_TRY(kcpp::irq::SoftwareLine::make());
  const Resource res[] = {Resource::mem(bar0, 16, "kcpp-test-regs"), Resource::irq(line.irq())};
  auto dev = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-regs", kcpp::platform::NO_ID, res));
  auto reg = KCPP_TRY(kcpp::platform::Registration<Regs>::make(kcpp::GFP_KERNEL));
  // SAFETY: bound by reg (checked next), and nothing else unbinds it in this test.
  const Bound& bound = Bound::unsafe_from_raw(dev.device().as_raw());
  KCPP_ASSERT(bound.as_device().is_bound());
  Regs* r = KCPP_TRY(bound.drvdata<Regs>());
  KCPP_EXPECT_EQ(KCPP_TRY(bound.irq_count()), 1u);
  KCPP_EXPECT_EQ(bound.irq_optional(1).error(), kcpp::code::ENXIO);
  const kcpp::platform::IoMem<16>& io = *KCPP_TRY(r->regs.access(bound));
  KCPP_EXPECT_EQ(io.start(), bar0);
  KCPP_EXPECT_EQ(io.maxsize(), 16u);
  io.write8(1, 0);                  // pci-testdev: select test 1
  KCPP_EXPECT_EQ(io.read8(0), 1u);  // reads back through the mapping
  io.write8(0, 0);
  KCPP_EXPECT_EQ(io.read32(4), 0x800u);  // test 0 wants its byte at 0x800
  KCPP_EXPECT_EQ(io.try_read32(16).error(), kcpp::code::ERANGE);
  // The range is requested: a second mapping of it is refused.
  KCPP_EXPECT_EQ(bound.iomap_resource_sized<16>(0).error(), kcpp::code::EBUSY);
  KCPP_EXPECT_EQ(bound.iomap_resource_sized<32>(0).error(), kcpp::code::EINVAL);  // larger than it
  KCPP_EXPECT_EQ(bound.iomap_resource(1).error(), kcpp::code::ENXIO);             // no such resource
  for (int i = 0; i < 5; i++) KCPP_TRY(line.trigger_sync());
  KCPP_EXPECT_EQ(__atomic_load_n(&r->irq->handler().n, __ATOMIC_RELAXED), 5u);
  return {};
}

// A mapping kept beyond the binding is revoked at unbind: the range is
// released (mapping it again works) and the old handle reads nothing.
struct Keeper {
  using IdInfo = kcpp::platform::NoInfo;
  static constexpr const char* NAME = "kcpp-test-keep";
  static kcpp::Result<Keeper> probe(const Core&, kcpp::Option<const IdInfo*> info) {
    seen.probes++;
    seen.info = info.is_some() ? 1 : 0;
    return Keeper{};
  }
};
kcpp::Result<void> unbind_revokes_a_kept_mapping() {
  auto td = KCPP_TRY(testdev());
  const kcpp::u64 bar0 = td.bar0;
  const Resource res[] = {Resource::mem(bar0, 16)};
  auto dev = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-keep", kcpp::platform::NO_ID, res));
  seen = {};
  auto reg = KCPP_TRY(kcpp::platform::Registration<Keeper>::make(kcpp::GFP_KERNEL));
  ::device* raw = dev.device().as_device().as_raw();
  // No name table: bound by the driver's name, with no entry's info.
  KCPP_ASSERT(dev.device().as_device().is_bound());
  KCPP_EXPECT_EQ(seen.probes, 1);
  KCPP_EXPECT_EQ(seen.info, 0);
  // SAFETY: bound by reg, checked just above; unbound below only after the last use.
  const Bound& bound = Bound::unsafe_from_raw(dev.device().as_raw());
  auto kept = KCPP_TRY(bound.iomap_resource_sized<16>(0));
  KCPP_EXPECT(static_cast<bool>(kept.try_access()));
  kcpp_device_release_driver(raw);
  KCPP_EXPECT(kept.is_revoked());
  KCPP_EXPECT(!kept.try_access());
  KCPP_EXPECT_EQ(kcpp_device_attach(raw), 1);
  // Released at that unbind: the new binding maps the same range again.
  auto again = KCPP_TRY(bound.iomap_resource_sized<16>(0));
  KCPP_EXPECT(static_cast<bool>(again.try_access()));
  KCPP_EXPECT_EQ(kept.access(bound).error(), kcpp::code::ENXIO);
  return {};
}

// A PCI driver that registers a platform child over its BAR: the child
// binds, and the parent's unbind removes it, unbinding its driver first.
struct Parent {
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp-test-parent";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });
  static kcpp::Result<Parent> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    KCPP_TRY(pdev.enable_device_mem());
    auto line = KCPP_TRY(kcpp::irq::SoftwareLine::make());
    const Resource res[] = {Resource::mem(KCPP_TRY(pdev.resource_start(0)), 16), Resource::irq(line.irq())};
    auto child =
        KCPP_TRY(kcpp::platform::ChildRegistration::make(pdev, "kcpp-test-regs", 0, res, kcpp::GFP_KERNEL));
    return Parent{std::move(line), std::move(child)};
  }
  kcpp::irq::SoftwareLine line;
  kcpp::platform::ChildRegistration child;  // unregistered before the line is freed
};
int regs_unbinds = 0;
struct CountingRegs : Regs {
  static kcpp::Result<CountingRegs> probe(const Core& pdev, kcpp::Option<const IdInfo*> info) {
    return CountingRegs{KCPP_TRY(Regs::probe(pdev, info))};
  }
  void unbind(const Core&) { regs_unbinds++; }
};

kcpp::Result<void> a_child_goes_with_its_parents_binding() {
  auto pdev = KCPP_TRY(kcpp_test::find_testdev());
  regs_unbinds = 0;
  auto regs = KCPP_TRY(kcpp::platform::Registration<CountingRegs>::make(kcpp::GFP_KERNEL));
  {
    auto parents = KCPP_TRY(kcpp::pci::Registration<Parent>::make(kcpp::GFP_KERNEL));
    const auto* bound = KCPP_TRY(kcpp_test::bound(*pdev));
    Parent* parent = KCPP_TRY(bound->drvdata<Parent>());
    KCPP_EXPECT(!parent->child.is_removed());
    const bool child_bound =
        KCPP_TRY(parent->child.with_device([](const Device<>& d) { return d.as_device().is_bound(); }));
    KCPP_EXPECT(child_bound);
    // The parent's driver goes through sysfs-style unbind: the devres record
    // removes the child, whose own driver unbinds first.
    kcpp_device_release_driver(pdev->as_device().as_raw());
    KCPP_EXPECT_EQ(regs_unbinds, 1);
    KCPP_EXPECT_EQ(kcpp_device_attach(pdev->as_device().as_raw()), 1);
  }
  // The second binding's child went with the registration.
  KCPP_EXPECT_EQ(regs_unbinds, 2);
  KCPP_EXPECT(!pdev->as_device().is_bound());
  return {};
}

// A child of a parent that is unbound under a kept ChildRegistration.
struct KeepingParent {
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp-test-kparent";
  static constexpr auto ID_TABLE = Parent::ID_TABLE;
  static kcpp::Result<KeepingParent> probe(const kcpp::pci::Device<kcpp::device::Core>&, const IdInfo&) {
    return KeepingParent{};
  }
};
kcpp::Result<void> a_kept_child_registration_is_revoked_at_unbind() {
  auto pdev = KCPP_TRY(kcpp_test::find_testdev());
  auto parents = KCPP_TRY(kcpp::pci::Registration<KeepingParent>::make(kcpp::GFP_KERNEL));
  const auto* bound = KCPP_TRY(kcpp_test::bound(*pdev));
  auto child = KCPP_TRY(kcpp::platform::ChildRegistration::make(
      *bound, "kcpp-test-kept", kcpp::platform::AUTO_ID, {}, kcpp::GFP_KERNEL));
  KCPP_EXPECT(!child.is_removed());
  KCPP_EXPECT_EQ(
      kcpp::platform::ChildRegistration::make(*bound, "kcpp-test-kept", 0, {}, kcpp::GFP_ATOMIC).error(),
      kcpp::code::EINVAL);  // may not sleep
  kcpp_device_release_driver(pdev->as_device().as_raw());
  KCPP_EXPECT(child.is_removed());
  KCPP_EXPECT_EQ(child.with_device([](const Device<>&) { return 0; }).error(), kcpp::code::ENXIO);
  return {};
}

// Bad descriptions of a device are refused before the driver core sees them.
kcpp::Result<void> device_registration_refuses_bad_input() {
  using kcpp::platform::DeviceRegistration;
  const Resource empty[] = {Resource::mem(0x1000, 0)};
  KCPP_EXPECT_EQ(DeviceRegistration::make("kcpp-test-bad", 0, empty).error(), kcpp::code::EINVAL);
  const Resource wraps[] = {Resource::mem(~0ull - 10, 100)};
  KCPP_EXPECT_EQ(DeviceRegistration::make("kcpp-test-bad", 0, wraps).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(DeviceRegistration::make("kcpp-test-bad", -7).error(), kcpp::code::EINVAL);
  // A memory range that overlaps one in use by a device of its own.
  auto td = KCPP_TRY(testdev());
  const kcpp::u64 bar0 = td.bar0;
  const Resource mem[] = {Resource::mem(bar0, 16)};
  auto holder = KCPP_TRY(DeviceRegistration::make("kcpp-test-mem", 1, mem));
  const Resource overlap[] = {Resource::mem(bar0 + 8, 16)};
  KCPP_EXPECT_EQ(DeviceRegistration::make("kcpp-test-mem", 2, overlap).error(), kcpp::code::EBUSY);
  return {};
}

// A software line dropped while a handler is still requested on it stays
// allocated (with a warning), so freeing the handler afterwards is safe.
struct Bare {
  using IdInfo = kcpp::platform::NoInfo;
  static constexpr const char* NAME = "kcpp-test-bare";
  static kcpp::Result<Bare> probe(const Core&, kcpp::Option<const IdInfo*>) { return Bare{}; }
};
kcpp::Result<void> software_line_outlived_by_its_handler() {
  auto line = KCPP_TRY(kcpp::irq::SoftwareLine::make());
  const Resource res[] = {Resource::irq(line.irq())};
  auto dev = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-bare", kcpp::platform::NO_ID, res));
  auto reg = KCPP_TRY(kcpp::platform::Registration<Bare>::make(kcpp::GFP_KERNEL));
  // SAFETY: bound by reg (checked next), and nothing else unbinds it in this test.
  const Bound& bound = Bound::unsafe_from_raw(dev.device().as_raw());
  KCPP_ASSERT(bound.as_device().is_bound());
  auto handler = KCPP_TRY(kcpp::irq::Registration<Hits>::make(KCPP_TRY(bound.irq(0)), kcpp::irq::Flags(),
                                                              "kcpp-test-bare", Hits{}, kcpp::GFP_KERNEL));
  {
    kcpp_fault_expect_warnings(1);
    auto doomed = std::move(line);  // dropped at the end of this block, handler still requested
  }
  KCPP_EXPECT_EQ(kcpp_fault_expected_warnings_left(), 0);
  kcpp_fault_expect_warnings(0);
  return {};  // handler, reg, dev go: free_irq() on the kept descriptor
}

// Every allocation of probe failing in turn: probe fails cleanly, the
// device stays unbound with nothing leaked, and the next attempt binds.
kcpp::Result<void> probe_survives_every_allocation_failure() {
  auto td = KCPP_TRY(testdev());
  const kcpp::u64 bar0 = td.bar0;
  auto line = KCPP_TRY(kcpp::irq::SoftwareLine::make());
  const Resource res[] = {Resource::mem(bar0, 16), Resource::irq(line.irq())};
  auto dev = KCPP_TRY(kcpp::platform::DeviceRegistration::make("kcpp-test-regs", kcpp::platform::NO_ID, res));
  auto reg = KCPP_TRY(kcpp::platform::Registration<Regs>::make(kcpp::GFP_KERNEL));
  ::device* raw = dev.device().as_device().as_raw();
  KCPP_ASSERT(dev.device().as_device().is_bound());
  kcpp_device_release_driver(raw);
  long points = KCPP_TRY(kcpp_test::probe_sweep(raw, "platform probe", [&]() -> kcpp::Result<void> {
    // SAFETY: bound just now; probe_sweep() unbinds it after this check.
    const Bound& bound = Bound::unsafe_from_raw(dev.device().as_raw());
    Regs* r = KCPP_TRY(bound.drvdata<Regs>());
    KCPP_TRY(line.trigger_sync());
    return __atomic_load_n(&r->irq->handler().n, __ATOMIC_RELAXED) == 1 ? kcpp::Result<void>()
                                                                        : kcpp::code::EIO;
  }));
  // The IoMem's devres state and node, the interrupt registration and its
  // devres record, the driver data.
  KCPP_EXPECT_GE(points, 5);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_platform, KCPP_KUNIT_CASE(name_table_entries_and_driver_name_bind),
                 KCPP_KUNIT_CASE(of_entries_match_only_device_tree_nodes),
                 KCPP_KUNIT_CASE(acpi_entries_bind_acpi_devices),
                 KCPP_KUNIT_CASE(resources_map_and_interrupts_fire),
                 KCPP_KUNIT_CASE(unbind_revokes_a_kept_mapping),
                 KCPP_KUNIT_CASE(a_child_goes_with_its_parents_binding),
                 KCPP_KUNIT_CASE(a_kept_child_registration_is_revoked_at_unbind),
                 KCPP_KUNIT_CASE(device_registration_refuses_bad_input),
                 KCPP_KUNIT_CASE(software_line_outlived_by_its_handler),
                 KCPP_KUNIT_CASE(probe_survives_every_allocation_failure));

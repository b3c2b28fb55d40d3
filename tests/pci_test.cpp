// SPDX-License-Identifier: GPL-2.0
/*
 * PCI drivers against QEMU's pci-testdev: the example driver binds and runs
 * its test, config space matches the PCI core's view, a BAR used from a
 * worker across unbind fails cleanly, and bind/unbind cycles leak nothing.
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/alloc/kvec.h>
#include <kcpp/kunit.h>
#include <kcpp/pci.h>
#include <kcpp/sync/lock.h>
#include <kcpp/sysfs.h>

#include "../examples/pci_testdev/pci_testdev.h"
#include "alloc_c_helpers.h"
#include "helpers.h"

namespace {

using Testdev = pci_testdev::Driver;

using kcpp_test::find_testdev;

// The driver data of the bound pci-testdev.
kcpp::Result<Testdev*> bound_data(const kcpp::pci::Device<>& pdev) {
  return KCPP_TRY(kcpp_test::bound(pdev))->drvdata<Testdev>();
}

kcpp::Result<void> probe_runs_the_test_and_count_reaches_one() {
  auto pdev = find_testdev();
  if (pdev.is_err())
    return {};
  KCPP_EXPECT(!(*pdev)->as_device().is_bound());
  {
    auto reg = KCPP_TRY(kcpp::pci::Registration<Testdev>::make(kcpp::GFP_KERNEL));
    Testdev* drv = KCPP_TRY(bound_data(**pdev));
    KCPP_EXPECT_EQ(drv->offset(), 0x800u);
    KCPP_EXPECT_EQ(drv->data(), 0xfa);
    KCPP_EXPECT_EQ(drv->count(), 1u);
    // The data is typed: asking for another type is refused.
    const auto* bound = KCPP_TRY(kcpp_test::bound(**pdev));
    KCPP_EXPECT_EQ(bound->drvdata<int>().error(), kcpp::code::EINVAL);
  }
  // Unregistering unbound the device and dropped its data.
  KCPP_EXPECT(!(*pdev)->as_device().is_bound());
  return {};
}

// A pci-testdev driver whose data must lie in ZONE_DMA (below 16 MiB).
struct LowData {
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_low_data";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });
  static constexpr kcpp::Gfp DRIVER_DATA_GFP = kcpp::GFP_KERNEL | kcpp::GFP_DMA;
  static kcpp::Result<LowData> probe(const kcpp::pci::Device<kcpp::device::Core>&, const IdInfo&) {
    return LowData{};
  }
  kcpp::u64 marker = 0x10da7a;
};

// A driver with one file that no device matches: registering it
// allocates kcpp's records only (the C driver and its attribute table).
struct NoMatch {
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_no_match";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x7fff), {}},
  });
  static kcpp::Result<NoMatch> probe(const kcpp::pci::Device<kcpp::device::Core>&, const IdInfo&) {
    return NoMatch{};
  }
  static kcpp::Result<void> show(const NoMatch&, kcpp::sysfs::Buffer& out) { return out.print("0\n"); }
  static constexpr ::kcpp_attr_desc ATTRIBUTES[] = {kcpp::sysfs::attribute<NoMatch, show, nullptr>("x")};
};

// The driver-data box is allocated with the driver's DRIVER_DATA_GFP
// (GFP_KERNEL when it declares none), and a registration's records with
// the flags given to make(): as the allocator saw them, and for GFP_DMA
// where the memory landed.
kcpp::Result<void> allocations_take_the_drivers_flags() {
  auto pdev = find_testdev();
  if (pdev.is_err())
    return {};
  const kcpp::u32 low = (kcpp::GFP_KERNEL | kcpp::GFP_DMA).as_raw();
  kcpp_test::GfpRecord rec = kcpp_test::gfps_during([] {
    auto reg = kcpp::pci::Registration<LowData>::make(kcpp::GFP_KERNEL);
    KCPP_EXPECT(reg.is_ok());
    auto bound = kcpp_test::bound(**find_testdev());
    KCPP_EXPECT(bound.is_ok());
    if (bound.is_err())
      return;
    auto data = (*bound)->drvdata<LowData>();
    KCPP_EXPECT(data.is_ok());
    if (data.is_ok()) {
      KCPP_EXPECT_EQ((*data)->marker, 0x10da7au);
      if (KCPP_CONFIG_ZONE_DMA)  // ZONE_DMA is the memory below 16 MiB
        KCPP_EXPECT_LT(kcpp_test_phys_addr(*data), 16ull << 20);
    }
  });
  // The last allocation: the box, made once probe returned.
  KCPP_EXPECT_EQ(rec.last(), low);
  rec = kcpp_test::gfps_during(
      [] { KCPP_EXPECT(kcpp::pci::Registration<Testdev>::make(kcpp::GFP_KERNEL).is_ok()); });
  KCPP_EXPECT_EQ(rec.last(), kcpp::GFP_KERNEL.as_raw());
  const kcpp::Gfp quiet = kcpp::GFP_KERNEL | kcpp::GFP_NOWARN | kcpp::GFP_RETRY_MAYFAIL;
  rec = kcpp_test::gfps_during([&] { KCPP_EXPECT(kcpp::pci::Registration<NoMatch>::make(quiet).is_ok()); });
  KCPP_EXPECT_EQ(rec.count, 3);  // the driver, the attribute set, its list of attributes
  KCPP_EXPECT(rec.all_have(quiet | kcpp::GFP_ZERO));
  // Flags that may not sleep are refused: registering sleeps anyway.
  KCPP_EXPECT_EQ(kcpp::pci::Registration<NoMatch>::make(kcpp::GFP_ATOMIC).error(), kcpp::code::EINVAL);
  KCPP_EXPECT(!(*pdev)->as_device().is_bound());
  return {};
}

kcpp::Result<void> config_space_matches_the_pci_core() {
  auto pdev = find_testdev();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<Testdev>::make(kcpp::GFP_KERNEL));
  Testdev* drv = KCPP_TRY(bound_data(**pdev));
  const auto& dev = **pdev;
  KCPP_EXPECT_EQ(drv->vendor(), 0x1b36);
  KCPP_EXPECT_EQ(drv->vendor(), dev.vendor_id().value);
  KCPP_EXPECT_EQ(dev.device_id(), 0x0005);
  KCPP_EXPECT_EQ(drv->revision(), dev.revision_id());
  // QEMU gives pci-testdev the 16-bit class id 0x00ff: base 0x00, subclass 0xff.
  KCPP_EXPECT_EQ(dev.class_code().value, 0x00ff00u);
  // BAR0 is a 32-bit memory BAR: its config register holds the address.
  pci_testdev::config::BAR bar0 = pci_testdev::config::BAR::from_raw(drv->bar0());
  KCPP_EXPECT(!bar0.io_space());
  KCPP_EXPECT_EQ(kcpp::u64(drv->bar0() & ~0xfu), KCPP_TRY(dev.resource_start(0)));
  KCPP_EXPECT_EQ(KCPP_TRY(dev.resource_len(0)), 4096u);
  KCPP_EXPECT_EQ(dev.resource_len(17).error(), kcpp::code::EINVAL);
  // Runtime-checked config accesses, in and out of range.
  const auto cfg = KCPP_TRY(kcpp_test::bound(dev))->config_space();
  KCPP_EXPECT_EQ(KCPP_TRY(cfg.try_read<kcpp::u16>(2)), 0x0005);
  KCPP_EXPECT_EQ(cfg.read32(0), 0x00051b36u);
  KCPP_EXPECT_EQ(cfg.read32(8) >> 8, dev.class_code().value);
  KCPP_EXPECT_EQ(cfg.read8(8), dev.revision_id());
  KCPP_EXPECT_EQ(cfg.read16(0x2c), dev.subsystem_vendor_id());
  KCPP_EXPECT_EQ(cfg.read16(0x2e), dev.subsystem_device_id());
  KCPP_EXPECT_EQ(cfg.try_read<kcpp::u32>(256).error(), kcpp::code::ERANGE);  // beyond
  KCPP_EXPECT_EQ(cfg.try_read<kcpp::u16>(3).error(), kcpp::code::EINVAL);    // misaligned
  // Writes reach the device and return the PCI core's result: the
  // interrupt line register (0x3c) is plain read/write storage.
  const kcpp::u8 line = cfg.read8(0x3c);
  KCPP_TRY(cfg.write8(0x5a, 0x3c));
  KCPP_EXPECT_EQ(cfg.read8(0x3c), 0x5a);
  KCPP_TRY(cfg.try_write<kcpp::u8>(0xa5, 0x3c));
  KCPP_EXPECT_EQ(KCPP_TRY(cfg.try_read<kcpp::u8>(0x3c)), 0xa5);
  KCPP_TRY(cfg.write8(line, 0x3c));
  KCPP_EXPECT_EQ(cfg.read8(0x3c), line);
  KCPP_EXPECT_EQ(cfg.try_write<kcpp::u32>(0, 254).error(), kcpp::code::EINVAL);  // misaligned
  KCPP_EXPECT_EQ(cfg.try_write<kcpp::u16>(0, 256).error(), kcpp::code::ERANGE);  // beyond
  return {};
}

// Waits up to @p ms milliseconds for @p flag, set by a kthread.
bool wait_flag(const bool& flag, int ms) {
  for (int i = 0; i < ms && !__atomic_load_n(&flag, __ATOMIC_ACQUIRE); i++) kcpp_fsleep(1000);
  return __atomic_load_n(&flag, __ATOMIC_ACQUIRE);
}

// The worker: reads COUNT through the shared BAR handle until an access
// fails, then records how it ended. It lives in a KBox the test frees only
// once the worker said it is done (or leaks, should it never say so).
struct Worker {
  kcpp::Arc<kcpp::Devres<pci_testdev::Bar>> bar;
  long reads = 0;
  int error = 0;
  bool done = false;
};

int worker_fn(void* arg) {
  auto* w = static_cast<Worker*>(arg);
  for (;;) {
    auto r = w->bar->try_access_with(
        [](const pci_testdev::Bar& b) { return pci_testdev::regs::COUNT::read(b).value(); });
    if (r.is_err()) {
      w->error = r.error().to_errno();
      break;
    }
    __atomic_add_fetch(&w->reads, 1, __ATOMIC_RELAXED);
    kcpp_fsleep(50);
  }
  __atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
  return 0;
}

kcpp::Result<void> unbind_under_a_worker_fails_its_accesses() {
  auto pdev = find_testdev();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<Testdev>::make(kcpp::GFP_KERNEL));
  Testdev* drv = KCPP_TRY(bound_data(**pdev));
  auto w = KCPP_TRY(kcpp::KBox<Worker>::make(kcpp::GFP_KERNEL, Worker{drv->bar()}));
  KCPP_ASSERT(kcpp_kthread_run(worker_fn, w.get(), "kcpp_bar_worker") != nullptr);
  // From here on no early return: the worker uses *w until it is done, and
  // only the unbind below ends its loop.
  for (int i = 0; i < 2000 && __atomic_load_n(&w->reads, __ATOMIC_RELAXED) < 20; i++) kcpp_fsleep(1000);
  KCPP_EXPECT_GE(__atomic_load_n(&w->reads, __ATOMIC_RELAXED), 20);
  // What writing to the driver's sysfs unbind file does.
  kcpp_device_release_driver((*pdev)->as_device().as_raw());
  if (!wait_flag(w->done, 10000)) {
    // SAFETY: the worker may still use *w, so the box gives up ownership and the Worker is leaked
    // on purpose: never freed while the worker can reach it.
    (void)std::move(w).into_raw();  // still in use: leaked, never freed under the worker
    KCPP_EXPECT(false);
    return kcpp::code::ETIMEDOUT;
  }
  KCPP_EXPECT_EQ(w->error, -KCPP_ENXIO);
  KCPP_EXPECT(w->bar->is_revoked());
  KCPP_EXPECT(!(*pdev)->as_device().is_bound());
  // The BAR region was released at unbind: binding again can request it.
  KCPP_EXPECT_EQ(kcpp_device_attach((*pdev)->as_device().as_raw()), 1);
  KCPP_EXPECT_EQ(KCPP_TRY(bound_data(**pdev))->count(), 1u);
  return {};
}

// Unbind under use: a worker keeps reading the BAR through the Devres of
// the current binding while the test unbinds and binds the device 1000
// times. Every access either reads the device or fails with ENXIO (revoked);
// nothing else, no crash, and every allocation is back at the end.
struct BarUser {
  BarUser() : current(KCPP_LOCK_CLASS()) {}
  // The current binding's BAR handle, published by the test after each bind.
  kcpp::Mutex<kcpp::KVec<kcpp::Arc<kcpp::Devres<pci_testdev::Bar>>>> current;
  long ok = 0;
  long revoked = 0;
  long other = 0;
  bool stop = false;
  bool done = false;
};

int bar_user_fn(void* arg) {
  auto* u = static_cast<BarUser*>(arg);
  while (!__atomic_load_n(&u->stop, __ATOMIC_ACQUIRE)) {
    kcpp::KVec<kcpp::Arc<kcpp::Devres<pci_testdev::Bar>>> mine;
    {
      auto g = u->current.lock();
      if (!g->is_empty() && mine.push((*g)[0], kcpp::GFP_KERNEL).is_err())
        u->other++;
    }
    if (mine.is_empty()) {
      kcpp_fsleep(10);  // a scheduling point: the test kernel does not preempt
      continue;
    }
    for (int i = 0; i < 64; i++) {
      auto r = mine[0]->try_access_with(
          [](const pci_testdev::Bar& b) { return pci_testdev::regs::COUNT::read(b).value(); });
      if (r.is_ok()) {
        u->ok++;
      } else {
        (r.error() == kcpp::code::ENXIO ? u->revoked : u->other)++;
        kcpp_fsleep(10);
        break;
      }
    }
  }
  __atomic_store_n(&u->done, true, __ATOMIC_RELEASE);
  return 0;
}

kcpp::Result<void> thousand_unbinds_under_use() {
  auto pdev = find_testdev();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<Testdev>::make(kcpp::GFP_KERNEL));
  ::device* dev = (*pdev)->as_device().as_raw();
  kcpp_device_release_driver(dev);
  auto u = KCPP_TRY(kcpp::KBox<BarUser>::pin_init(kcpp::GFP_KERNEL, kcpp::init::emplace<BarUser>()));
  kcpp_fault_arm(true);
  const long live = kcpp_fault_live_allocations();
  const kcpp::u64 t0 = kcpp_ktime_get_ns();
  if (!kcpp_kthread_run(bar_user_fn, u.get(), "kcpp_bar_user")) {
    kcpp_fault_arm(false);
    KCPP_EXPECT(false);
    return kcpp::code::EAGAIN;
  }
  int bound = 0;
  for (int i = 0; i < 1000; i++) {
    if (kcpp_device_attach(dev) == 1) {
      // Bound by this test and unbound only by it: the driver data is there.
      auto bar = (*bound_data(**pdev))->bar();
      auto g = u->current.lock();
      g->clear();
      if (g->push(std::move(bar), kcpp::GFP_KERNEL).is_ok())
        bound++;
    }
    kcpp_device_release_driver(dev);  // revokes the published handle
  }
  __atomic_store_n(&u->stop, true, __ATOMIC_RELEASE);
  const bool done = wait_flag(u->done, 10000);
  if (!done) {
    kcpp_fault_arm(false);
    // SAFETY: the worker may still use *u, so the box gives up ownership and the BarUser is leaked
    // on purpose: never freed while the worker can reach it.
    (void)std::move(u).into_raw();  // still in use: leaked, never freed under the worker
    KCPP_EXPECT(done);
    return kcpp::code::ETIMEDOUT;
  }
  *u->current.lock() = kcpp::KVec<kcpp::Arc<kcpp::Devres<pci_testdev::Bar>>>();  // storage too
  const long after = kcpp_fault_live_allocations();
  kcpp_fault_arm(false);
  KCPP_PR_INFO("1000 unbinds under use: %ld reads, %ld revoked, %ld other, %llu ms\n", u->ok, u->revoked,
               u->other, (kcpp_ktime_get_ns() - t0) / 1000000);
  KCPP_EXPECT_EQ(bound, 1000);
  KCPP_EXPECT_GT(u->ok, 1000);
  KCPP_EXPECT_GT(u->revoked, 0);
  KCPP_EXPECT_EQ(u->other, 0);
  KCPP_EXPECT_EQ(after, live);
  return {};
}

// A Devres handle kept from an earlier binding was revoked at its unbind;
// holding the device's new binding does not make it usable again.
kcpp::Result<void> a_handle_of_an_earlier_binding_stays_revoked() {
  auto pdev = find_testdev();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<Testdev>::make(kcpp::GFP_KERNEL));
  const auto* first = KCPP_TRY(kcpp_test::bound(**pdev));
  auto old = KCPP_TRY(kcpp::Devres<int>::make(first->as_device(), 7, kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(*KCPP_TRY(old.access(*first)), 7);
  ::device* dev = (*pdev)->as_device().as_raw();
  kcpp_device_release_driver(dev);
  KCPP_EXPECT(old.is_revoked());
  KCPP_ASSERT_EQ(kcpp_device_attach(dev), 1);
  const auto* again = KCPP_TRY(kcpp_test::bound(**pdev));
  KCPP_EXPECT_EQ(old.access(*again).error(), kcpp::code::ENXIO);
  return {};
}

kcpp::Result<void> hundred_bind_unbind_cycles_leak_nothing() {
  auto pdev = find_testdev();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<Testdev>::make(kcpp::GFP_KERNEL));
  ::device* dev = (*pdev)->as_device().as_raw();
  // Counted from an unbound state, so every count belongs to the cycles.
  kcpp_device_release_driver(dev);
  kcpp_fault_arm(true);
  const long live = kcpp_fault_live_allocations();
  int bound = 0;
  for (int i = 0; i < 100; i++) {
    if (kcpp_device_attach(dev) == 1 && KCPP_TRY(bound_data(**pdev))->count() == 1)
      bound++;
    kcpp_device_release_driver(dev);
  }
  const long after = kcpp_fault_live_allocations();
  kcpp_fault_arm(false);
  KCPP_EXPECT_EQ(bound, 100);
  KCPP_EXPECT_EQ(after, live);
  return {};
}

// Every allocation of probe failing in turn: probe fails cleanly, the device
// stays unbound with nothing leaked, and the next attempt binds.
kcpp::Result<void> probe_survives_every_allocation_failure() {
  auto pdev = find_testdev();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<Testdev>::make(kcpp::GFP_KERNEL));
  ::device* dev = (*pdev)->as_device().as_raw();
  kcpp_device_release_driver(dev);
  long points = KCPP_TRY(kcpp_test::probe_sweep(dev, "pci_testdev probe"));
  KCPP_EXPECT_GE(points, 3);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_pci, KCPP_KUNIT_CASE(probe_runs_the_test_and_count_reaches_one),
                 KCPP_KUNIT_CASE(config_space_matches_the_pci_core),
                 KCPP_KUNIT_CASE(allocations_take_the_drivers_flags),
                 KCPP_KUNIT_CASE(unbind_under_a_worker_fails_its_accesses),
                 KCPP_KUNIT_CASE(thousand_unbinds_under_use),
                 KCPP_KUNIT_CASE(a_handle_of_an_earlier_binding_stays_revoked),
                 KCPP_KUNIT_CASE(hundred_bind_unbind_cycles_leak_nothing),
                 KCPP_KUNIT_CASE(probe_survives_every_allocation_failure));

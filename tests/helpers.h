/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the test suites: skipping what the machine cannot do,
 * and the allocation-failure sweep (fail the k-th allocation for k = 1, 2,
 * ... until the scenario succeeds; every failed run must end in ENOMEM with
 * all allocations released and no object of the scenario alive).
 */
#ifndef KCPP_TESTS_HELPERS_H
#define KCPP_TESTS_HELPERS_H

#include <kcpp/alloc/numa.h>
#include <kcpp/kunit.h>
#include <kcpp/pci.h>
#include <kcpp/print.h>

namespace kcpp_test {

/// Node 1 of the two-node test machine; false (and the test marked
/// skipped) where it is not online.
inline bool second_numa_node(kcpp::NumaNode& node) {
  auto n = kcpp::NumaNode::make(1);
  if (n.is_ok() && n->is_online()) {
    node = *n;
    return true;
  }
  kcpp_kunit_skip(kcpp_kunit_current(), "needs a second NUMA node");
  return false;
}

/// The PCI device @p vendor:@p device of the test machine (QEMU's
/// pci-testdev or edu), or the test marked skipped where there is none.
inline kcpp::Result<kcpp::ARef<kcpp::pci::Device<>>> find_pci(kcpp::pci::Vendor vendor, kcpp::u16 device,
                                                              const char* skip_reason) {
  auto d = kcpp::pci::Device<>::find(vendor, device);
  if (d.is_err())
    kcpp_kunit_skip(kcpp_kunit_current(), skip_reason);
  return d;
}
/// QEMU's pci-testdev (1b36:0005).
inline kcpp::Result<kcpp::ARef<kcpp::pci::Device<>>> find_testdev() {
  return find_pci(kcpp::pci::Vendor::REDHAT, 0x0005, "no pci-testdev (QEMU -device pci-testdev)");
}
/// QEMU's edu (1234:11e8).
inline kcpp::Result<kcpp::ARef<kcpp::pci::Device<>>> find_edu() {
  return find_pci(kcpp::pci::Vendor::QEMU, 0x11e8, "no edu device (QEMU -device edu)");
}

/// @p pdev in the bound context, ENODEV if no driver is bound. The tests
/// call it while their own registration keeps the driver and nothing else
/// unbinds the device, which is what makes the Bound claim hold.
inline kcpp::Result<const kcpp::pci::Device<kcpp::device::Bound>*> bound(const kcpp::pci::Device<>& pdev) {
  if (!pdev.as_device().is_bound())
    return kcpp::code::ENODEV;
  // SAFETY: pdev is a counted reference, so its pci_dev is valid; a driver is bound (checked
  // above), and callers keep it bound while they use the result (the contract stated above).
  return &kcpp::pci::Device<kcpp::device::Bound>::unsafe_from_raw(pdev.as_raw());
}

/// The flags of the allocations kcpp made while a function ran, in order
/// (the test hooks record them; the ring keeps the last 32).
struct GfpRecord {
  static constexpr long MAX = 32;
  kcpp::u32 flags[MAX] = {};
  long count = 0;        // allocations seen
  bool complete = true;  // false if more were made than the record holds

  /// The flags of the last allocation, 0 if there was none.
  [[nodiscard]] kcpp::u32 last() const { return count ? flags[count - 1] : 0; }
  /// Whether every allocation recorded had all of @p gfp's flags.
  [[nodiscard]] bool all_have(kcpp::Gfp gfp) const {
    for (long i = 0; i < count; i++)
      if ((flags[i] & gfp.as_raw()) != gfp.as_raw())
        return false;
    return complete;
  }
};

/// The flags of kcpp's allocations between two points of a test, which
/// must run while the hooks are armed (kcpp_fault_arm(true)).
inline GfpRecord gfps_since(long first) {
  GfpRecord r;
  const long seen = kcpp_fault_allocations_seen();
  for (long i = first; i < seen && r.count < GfpRecord::MAX; i++) r.flags[r.count++] = kcpp_fault_gfp_of(i);
  r.complete = seen - first <= GfpRecord::MAX;
  return r;
}

/// The flags of the allocations kcpp made while @p fn ran.
template <typename F>
GfpRecord gfps_during(F&& fn) {
  kcpp_fault_arm(true);
  fn();
  GfpRecord r = gfps_since(0);
  kcpp_fault_arm(false);
  return r;
}

/// Runs the sweep; returns the number of failure points exercised. After
/// every run the shim's count of live allocations (kmalloc, vmalloc and
/// DMA memory made through kcpp while armed) must be back where it was,
/// and, if given, @p live_objects (the scenario's count of its own live
/// objects) must be 0. A run that fails must fail with ENOMEM.
template <typename Scenario>
kcpp::Result<long> fault_sweep(Scenario scenario, const char* name, const int* live_objects = nullptr) {
  kcpp_fault_arm(true);
  const long live = kcpp_fault_live_allocations();
  long points = 0;
  for (long k = 1; k < 10000; k++) {
    kcpp_fault_fail_nth(k);
    kcpp::Result<void> r = scenario();
    kcpp_fault_fail_nth(0);
    KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live);
    if (live_objects)
      KCPP_EXPECT_EQ(*live_objects, 0);
    if (r.is_ok()) {
      kcpp_fault_arm(false);
      KCPP_PR_INFO("%s: %ld allocation failure points exercised\n", name, points);
      return points;
    }
    KCPP_EXPECT_EQ(r.error(), kcpp::code::ENOMEM);
    points++;
  }
  kcpp_fault_arm(false);
  return kcpp::code::ETIMEDOUT;  // the scenario never succeeded
}

/// A probe under every allocation failure in turn (fault_sweep()): @p dev,
/// unbound, is attached by its driver's registration again and again.
/// device_attach() says only bound (1) or not (0), the probe's errno stays
/// in the driver core, so a failed probe counts as ENOMEM only if the shim
/// injected an allocation failure during it: any other failure fails the
/// sweep. Once bound, @p bound() checks the binding (and returns an error
/// if it is wrong); the device is unbound again after it.
template <typename Check>
kcpp::Result<long> probe_sweep(::device* dev, const char* name, Check bound) {
  return fault_sweep(
      [&]() -> kcpp::Result<void> {
        const long injected = kcpp_fault_injected();
        const int r = kcpp_device_attach(dev);
        if (r != 1)
          return r == 0 && kcpp_fault_injected() == injected + 1 ? kcpp::code::ENOMEM : kcpp::code::EIO;
        kcpp::Result<void> ok = bound();
        kcpp_device_release_driver(dev);
        return ok;
      },
      name);
}
/// probe_sweep() with nothing to check once bound.
inline kcpp::Result<long> probe_sweep(::device* dev, const char* name) {
  return probe_sweep(dev, name, []() -> kcpp::Result<void> { return {}; });
}

}  // namespace kcpp_test

#endif  // KCPP_TESTS_HELPERS_H

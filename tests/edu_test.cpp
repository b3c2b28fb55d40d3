// SPDX-License-Identifier: GPL-2.0
/*
 * DMA and the edu example driver against QEMU's edu device: factorials by
 * interrupt, DMA round trips of several sizes up to the device's maximum,
 * streaming mappings through the device's engine, parameter errors,
 * bind/unbind without leaks, and unbind while a transfer is in flight.
 */
#include <kcpp/dma.h>
#include <kcpp/kunit.h>
#include <kcpp/pci.h>

#include "../examples/edu/edu.h"
#include "helpers.h"
#include "sysfs_c_helpers.h"

namespace {

using kcpp::u32;
using kcpp::u64;
using kcpp::u8;

using kcpp_test::find_edu;

// The driver data of the edu device, which the test keeps bound.
kcpp::Result<const edu::Edu*> bound_edu(const kcpp::pci::Device<>& pdev) {
  return &KCPP_TRY(KCPP_TRY(kcpp_test::bound(pdev))->drvdata<edu::Driver>())->device();
}

kcpp::Result<void> factorials_complete_by_interrupt() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<edu::Driver>::make(kcpp::GFP_KERNEL));
  const edu::Edu* e = KCPP_TRY(bound_edu(**pdev));
  const u64 irqs = e->irqs();
  u32 expect = 1;
  for (u32 n = 0; n <= 12; n++) {
    if (n)
      expect *= n;
    KCPP_EXPECT_EQ(KCPP_TRY(e->factorial(n)), expect);
  }
  KCPP_EXPECT_EQ(e->irqs() - irqs, 13u);  // one interrupt per request
  KCPP_EXPECT_EQ(e->factorial(13).error(), kcpp::code::EOVERFLOW);
  KCPP_EXPECT_EQ(e->irqs() - irqs, 13u);  // refused before the device saw it
  return {};
}

// The driver's files as sysfs holds them: present while bound (made by the
// driver core from the driver's dev_groups), with the modes and callbacks
// sysfs uses, errors back as errnos, gone once the device is unbound.
// (User space reads and writes them in make check's boots: check.sh.)
kcpp::Result<void> sysfs_files_live_with_the_binding() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  ::device* dev = (*pdev)->as_device().as_raw();
  char buf[64];
  KCPP_EXPECT_EQ(kcpp_test_sysfs_access(dev, "factorial", nullptr, buf, sizeof(buf)), -KCPP_ENOENT);
  {
    auto reg = KCPP_TRY(kcpp::pci::Registration<edu::Driver>::make(kcpp::GFP_KERNEL));
    KCPP_EXPECT_EQ(kcpp_test_sysfs_access(dev, "factorial", "5\n", nullptr, 0), 2);
    KCPP_EXPECT_EQ(kcpp_test_sysfs_access(dev, "factorial", nullptr, buf, sizeof(buf)), 4);
    KCPP_EXPECT_EQ(__builtin_strcmp(buf, "120\n"), 0);
    KCPP_EXPECT_EQ(kcpp_test_sysfs_access(dev, "factorial", "13\n", nullptr, 0), -KCPP_EOVERFLOW);
    KCPP_EXPECT_EQ(kcpp_test_sysfs_access(dev, "factorial", "abc\n", nullptr, 0), -KCPP_EINVAL);
    KCPP_EXPECT_GT(kcpp_test_sysfs_access(dev, "irqs", nullptr, buf, sizeof(buf)), 0);
    KCPP_EXPECT_EQ(kcpp_test_sysfs_access(dev, "irqs", "1\n", nullptr, 0), -KCPP_EACCES);  // read-only
    // A store's text is its length, not up to a NUL that may lie further.
    KCPP_EXPECT_EQ(KCPP_TRY(kcpp::sysfs::Input("12345", 2).parse_u64()), 12u);
    KCPP_EXPECT_EQ(kcpp::sysfs::Input("0123456789012345678901234567890123", 34).parse_u64().error(),
                   kcpp::code::EINVAL);
    kcpp_device_release_driver(dev);
    KCPP_EXPECT_EQ(kcpp_test_sysfs_access(dev, "factorial", nullptr, buf, sizeof(buf)), -KCPP_ENOENT);
  }
  return {};
}

kcpp::Result<void> dma_round_trips_up_to_the_maximum() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<edu::Driver>::make(kcpp::GFP_KERNEL));
  const edu::Edu* e = KCPP_TRY(bound_edu(**pdev));
  const u64 irqs = e->irqs();
  // Within the 28-bit mask the engine takes.
  KCPP_EXPECT_LT(e->buffer().dma_handle() + e->buffer().size(), 1ull << edu::DMA_BITS);
  const kcpp::usize sizes[] = {1, 64, 1000, 4094, edu::MAX_TRANSFER};
  u32 sums[5] = {};
  for (int i = 0; i < 5; i++) sums[i] = KCPP_TRY(e->dma_round_trip(sizes[i], 7 + i));
  KCPP_EXPECT_NE(sums[3], sums[4]);
  KCPP_EXPECT_EQ(e->irqs() - irqs, 10u);  // two transfers each
  // Bad sizes are refused before the device is touched.
  KCPP_EXPECT_EQ(e->dma_round_trip(0, 1).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(e->dma_round_trip(edu::MAX_TRANSFER + 1, 1).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(e->transfer(e->buffer().dma_handle(), edu::DEV_BUFFER + 4000, 100, false).error(),
                 kcpp::code::EINVAL);  // past the device buffer
  KCPP_EXPECT_EQ(e->buffer().read(edu::DEV_BUFFER_SIZE).error(), kcpp::code::ERANGE);
  KCPP_EXPECT_EQ(e->irqs() - irqs, 10u);
  return {};
}

// Streaming mappings through the engine: a kcpp vector mapped to the
// device, copied into edu's buffer, and back into a second vector mapped
// from the device (scatter-gather, one engine transfer per segment).
kcpp::Result<void> streaming_mappings_through_the_engine() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<edu::Driver>::make(kcpp::GFP_KERNEL));
  const edu::Edu* e = KCPP_TRY(bound_edu(**pdev));
  const auto& bound = *KCPP_TRY(kcpp_test::bound(**pdev));
  constexpr kcpp::usize n = 3000;
  // GFP_DMA: below the device's 28-bit reach without bounce buffers.
  const kcpp::Gfp low = kcpp::GFP_KERNEL | kcpp::GFP_DMA;
  kcpp::KVec<u8> out;
  KCPP_TRY(out.resize(n, 0, low));
  for (kcpp::usize i = 0; i < n; i++) out[i] = static_cast<u8>(i * 13 + 5);
  auto to_dev = KCPP_TRY(kcpp::dma::SingleMapping<kcpp::dma::ToDevice>::map(bound, std::move(out)));
  KCPP_TRY(e->transfer(to_dev.dma_handle(), edu::DEV_BUFFER, n, false));
  kcpp::KVec<u8> in;
  KCPP_TRY(in.resize(n, 0, low));
  auto from_dev = KCPP_TRY((kcpp::dma::SgMapping<kcpp::dma::FromDevice, kcpp::KVec<u8>>::map(
      bound, std::move(in), kcpp::GFP_KERNEL)));
  KCPP_EXPECT_GE(from_dev.segments(), 1u);
  u64 done = 0;
  for (unsigned int i = 0; i < from_dev.segments(); i++) {
    kcpp::dma::Segment s = KCPP_TRY(from_dev.segment(i));
    KCPP_TRY(e->transfer(edu::DEV_BUFFER + done, s.addr, s.len, true));
    done += s.len;
  }
  KCPP_EXPECT_EQ(done, u64(n));
  KCPP_EXPECT_EQ(from_dev.segment(from_dev.segments()).error(), kcpp::code::ERANGE);
  const bool same = from_dev.with_cpu([&](kcpp::Span<u8> bytes) {
    for (kcpp::usize i = 0; i < n; i++)
      if (bytes[i] != static_cast<u8>(i * 13 + 5))
        return false;
    return true;
  });
  KCPP_EXPECT(same);
  // The table's allocations take the caller's flags (kcpp's two: the
  // table and the list of pages), and flags that may not sleep are refused.
  {
    kcpp::KVec<u8> extra;
    KCPP_TRY(extra.resize(100, 0, low));
    const kcpp::Gfp quiet = kcpp::GFP_KERNEL | kcpp::GFP_NOWARN;
    const kcpp_test::GfpRecord rec = kcpp_test::gfps_during([&] {
      auto m = kcpp::dma::SgMapping<kcpp::dma::ToDevice, kcpp::KVec<u8>>::map(bound, std::move(extra), quiet);
      KCPP_EXPECT(m.is_ok());
    });
    KCPP_EXPECT_EQ(rec.count, 2);
    KCPP_EXPECT(rec.all_have(quiet));
    kcpp::KVec<u8> more;
    KCPP_TRY(more.resize(100, 0, low));
    KCPP_EXPECT_EQ((kcpp::dma::SgMapping<kcpp::dma::ToDevice, kcpp::KVec<u8>>::map(bound, std::move(more),
                                                                                   kcpp::GFP_ATOMIC)
                        .error()),
                   kcpp::code::EINVAL);
  }
  kcpp::KVec<u8> back = std::move(to_dev).unmap();
  KCPP_EXPECT_EQ(back.len(), n);
  KCPP_EXPECT_EQ(kcpp::dma::SingleMapping<kcpp::dma::ToDevice>::map(bound, kcpp::KVec<u8>()).error(),
                 kcpp::code::EINVAL);
  return {};
}

kcpp::Result<void> masks_and_allocations_refuse_bad_parameters() {
  KCPP_EXPECT_EQ(kcpp::dma::Mask::try_bits(0).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(kcpp::dma::Mask::try_bits(65).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(KCPP_TRY(kcpp::dma::Mask::try_bits(28)).value(), (1ull << 28) - 1);
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<edu::Driver>::make(kcpp::GFP_KERNEL));
  KCPP_TRY(bound_edu(**pdev));
  const auto& bound = *KCPP_TRY(kcpp_test::bound(**pdev));
  KCPP_EXPECT_EQ(kcpp::dma::Coherent<u32>::alloc(bound, 0, kcpp::GFP_KERNEL).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(kcpp::dma::Coherent<u64>::alloc(bound, ~kcpp::usize(0) / 4, kcpp::GFP_KERNEL).error(),
                 kcpp::code::EOVERFLOW);
  KCPP_EXPECT_EQ(kcpp::dma::CoherentHandle::alloc(bound, 0, kcpp::GFP_KERNEL).error(), kcpp::code::EINVAL);
  // Memory without a kernel mapping is not for Coherent's CPU accessors.
  KCPP_EXPECT_EQ(
      kcpp::dma::Coherent<u32>::alloc(bound, 4, kcpp::GFP_KERNEL, kcpp::dma::Attrs::NO_KERNEL_MAPPING)
          .error(),
      kcpp::code::EINVAL);
  // A streaming mapping of wider elements maps all their bytes.
  kcpp::KVec<u32> words;
  KCPP_TRY(words.resize(8, 0x5a5a5a5a, kcpp::GFP_KERNEL | kcpp::GFP_DMA));
  auto mapped = KCPP_TRY(
      (kcpp::dma::SingleMapping<kcpp::dma::ToDevice, kcpp::KVec<u32>>::map(bound, std::move(words))));
  KCPP_EXPECT_EQ(mapped.size(), 8 * sizeof(u32));
  auto c = KCPP_TRY(kcpp::dma::Coherent<u32>::alloc(bound, 2, kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(c.write(2, 1).error(), kcpp::code::ERANGE);
  KCPP_TRY(c.write(1, 0xfeed));
  KCPP_EXPECT_EQ(KCPP_TRY(c.read(1)), 0xfeedu);
  return {};
}

kcpp::Result<void> bind_unbind_while_idle_leaks_nothing() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<edu::Driver>::make(kcpp::GFP_KERNEL));
  ::device* dev = (*pdev)->as_device().as_raw();
  kcpp_device_release_driver(dev);
  kcpp_fault_arm(true);
  const long live = kcpp_fault_live_allocations();
  int bound = 0;
  for (int i = 0; i < 20; i++) {
    if (kcpp_device_attach(dev) == 1 && KCPP_TRY(bound_edu(**pdev))->factorial(5).value_or(0) == 120)
      bound++;
    kcpp_device_release_driver(dev);
  }
  const long after = kcpp_fault_live_allocations();
  kcpp_fault_arm(false);
  KCPP_EXPECT_EQ(bound, 20);
  KCPP_EXPECT_EQ(after, live);
  return {};
}

// Once shut down, a bound Edu refuses every operation before it touches
// the device, and the unbind that shuts it down again returns at once.
kcpp::Result<void> operations_after_shut_down_are_refused() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<edu::Driver>::make(kcpp::GFP_KERNEL));
  const edu::Edu* e = KCPP_TRY(bound_edu(**pdev));
  KCPP_EXPECT_EQ(KCPP_TRY(e->factorial(4)), 24u);
  const u64 irqs = e->irqs();
  e->shut_down();
  KCPP_EXPECT_EQ(e->factorial(4).error(), kcpp::code::ENODEV);
  KCPP_EXPECT_EQ(e->dma_round_trip(16, 1).error(), kcpp::code::ENODEV);
  KCPP_EXPECT_EQ(e->transfer(e->buffer().dma_handle(), edu::DEV_BUFFER, 16, false).error(),
                 kcpp::code::ENODEV);
  KCPP_EXPECT_EQ(e->irqs(), irqs);
  e->shut_down();  // a second time: returns
  kcpp_device_release_driver((*pdev)->as_device().as_raw());
  KCPP_EXPECT(!(*pdev)->as_device().is_bound());
  return {};
}

// The transfer thread's state. It lives in a KBox that the test frees only
// once the thread said it is done (or leaks, should it never say so).
struct Transfer {
  const edu::Edu* edu;
  int result = 1;
  bool done = false;
};

int transfer_fn(void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  auto r = t->edu->dma_round_trip(edu::MAX_TRANSFER, 3);
  t->result = r.is_ok() ? 0 : r.error().to_errno();
  __atomic_store_n(&t->done, true, __ATOMIC_RELEASE);
  return 0;
}

// Unbinding while a transfer runs: remove waits until the operation left
// the Edu (Edu::shut_down), and the operation completes; nothing is freed
// under it.
kcpp::Result<void> unbind_during_a_transfer_completes_it() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<edu::Driver>::make(kcpp::GFP_KERNEL));
  const edu::Edu* e = KCPP_TRY(bound_edu(**pdev));
  auto t = KCPP_TRY(kcpp::KBox<Transfer>::make(kcpp::GFP_KERNEL, Transfer{e}));
  KCPP_ASSERT(kcpp_kthread_run(transfer_fn, t.get(), "kcpp_edu_xfer") != nullptr);
  // Unbind only once the device's DMA engine runs: the thread is then
  // inside dma_round_trip(), counted as an operation remove() waits for,
  // so the Edu it points to outlives its use however late the thread ran.
  bool running = false;
  for (int i = 0; i < 20000 && !running && !__atomic_load_n(&t->done, __ATOMIC_ACQUIRE); i++) {
    running = e->bar()
                  .try_access_with([](const edu::Bar& b) { return edu::regs::DMA_CMD::read(b).start(); })
                  .value_or(false);
    if (!running)
      kcpp_fsleep(100);
  }
  KCPP_EXPECT(running);
  if (running)
    kcpp_device_release_driver((*pdev)->as_device().as_raw());
  for (int i = 0; i < 10000 && !__atomic_load_n(&t->done, __ATOMIC_ACQUIRE); i++) kcpp_fsleep(1000);
  if (!__atomic_load_n(&t->done, __ATOMIC_ACQUIRE)) {
    // SAFETY: the thread may still use *t, so the box gives up ownership and the Transfer is leaked
    // on purpose: never freed while the thread can reach it.
    (void)std::move(t).into_raw();  // still in use: leaked, never freed under the thread
    KCPP_EXPECT(false);
    return kcpp::code::ETIMEDOUT;
  }
  KCPP_EXPECT_EQ(t->result, 0);
  KCPP_EXPECT(!(*pdev)->as_device().is_bound());
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_edu, KCPP_KUNIT_CASE(factorials_complete_by_interrupt),
                 KCPP_KUNIT_CASE(sysfs_files_live_with_the_binding),
                 KCPP_KUNIT_CASE(dma_round_trips_up_to_the_maximum),
                 KCPP_KUNIT_CASE(streaming_mappings_through_the_engine),
                 KCPP_KUNIT_CASE(masks_and_allocations_refuse_bad_parameters),
                 KCPP_KUNIT_CASE(bind_unbind_while_idle_leaks_nothing),
                 KCPP_KUNIT_CASE(operations_after_shut_down_are_refused),
                 KCPP_KUNIT_CASE(unbind_during_a_transfer_completes_it));

// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts against QEMU's edu device (1234:11e8): a test driver allocates
 * an MSI vector, requests a handler (hard and threaded), makes the device
 * raise interrupts through its 0x60 register and counts them; the handler
 * acknowledges through the BAR with the bound device it is given.
 */
#include <kcpp/irq.h>
#include <kcpp/kunit.h>
#include <kcpp/pci.h>
#include <kcpp/sync/arc.h>

#include "helpers.h"

namespace {

using kcpp::u32;
using kcpp::device::Bound;
using kcpp::device::Core;

constexpr kcpp::usize EDU_REGS = 0x100;
using EduBar = kcpp::pci::Bar<EDU_REGS>;
constexpr kcpp::usize REG_IRQ_STATUS = 0x24, REG_IRQ_RAISE = 0x60, REG_IRQ_ACK = 0x64;

// Hard handler: acknowledge and count.
struct Counter {
  kcpp::Arc<kcpp::Devres<EduBar>> bar;
  mutable u32 hits = 0;
  mutable u32 last_status = 0;
  kcpp::irq::Return handle(const kcpp::Device<Bound>& dev) const {
    auto b = bar->access(dev);  // bound: no revocation check needed
    if (b.is_err())
      return kcpp::irq::Return::None;
    const u32 status = (*b)->read32(REG_IRQ_STATUS);
    if (!status)
      return kcpp::irq::Return::None;
    (*b)->write32(status, REG_IRQ_ACK);
    __atomic_store_n(&last_status, status, __ATOMIC_RELAXED);
    __atomic_add_fetch(&hits, 1, __ATOMIC_RELAXED);
    return kcpp::irq::Return::Handled;
  }
};

// Threaded handler: the hard part acknowledges, the thread counts.
struct Threaded {
  kcpp::Arc<kcpp::Devres<EduBar>> bar;
  mutable u32 hard = 0;
  mutable u32 threaded = 0;
  kcpp::irq::Return handle(const kcpp::Device<Bound>& dev) const {
    auto b = bar->access(dev);
    if (b.is_err())
      return kcpp::irq::Return::None;
    const u32 status = (*b)->read32(REG_IRQ_STATUS);
    if (!status)
      return kcpp::irq::Return::None;
    (*b)->write32(status, REG_IRQ_ACK);
    __atomic_add_fetch(&hard, 1, __ATOMIC_RELAXED);
    return kcpp::irq::Return::WakeThread;
  }
  kcpp::irq::Return handle_threaded(const kcpp::Device<Bound>&) const {
    __atomic_add_fetch(&threaded, 1, __ATOMIC_RELAXED);
    return kcpp::irq::Return::Handled;
  }
};

// Twice: probe first requests the line and drops that registration while
// bound (its destructor, not unbind, frees the line), then requests the
// same non-shared MSI line again, which fails with EBUSY if the first
// handler is still on it.
template <typename H, bool Twice = false>
class EduIrq {
 public:
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_edu_irq_test";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::QEMU, 0x11e8), {}},
  });
  static kcpp::Result<EduIrq> probe(const kcpp::pci::Device<Core>& pdev, const IdInfo&) {
    KCPP_TRY(pdev.enable_device_mem());
    pdev.set_master();  // an MSI is a write by the device
    auto bar = KCPP_TRY(kcpp::Arc<kcpp::Devres<EduBar>>::pin_init(
        kcpp::GFP_KERNEL, kcpp::init::from_result<kcpp::Devres<EduBar>>(
                              [&] { return pdev.iomap_region_sized<EDU_REGS>(0, NAME); })));
    const unsigned int n = KCPP_TRY(pdev.alloc_irq_vectors(1, 1, kcpp::pci::IrqTypes::MSI));
    auto req = KCPP_TRY(pdev.irq_request({0}));
    if constexpr (Twice) {
      auto first = KCPP_TRY(kcpp::irq::Registration<H>::make(req, {}, NAME, H{bar}, kcpp::GFP_KERNEL));
      KCPP_EXPECT_EQ(first->irq(), req.irq());
    }
    auto reg = KCPP_TRY(kcpp::irq::Registration<H>::make(req, {}, NAME, H{bar}, kcpp::GFP_KERNEL));
    return EduIrq(std::move(bar), std::move(reg), n);
  }
  // Raises an interrupt with @p status bits and waits until @p seen says it arrived.
  template <typename Seen>
  bool raise_and_wait(const kcpp::pci::Device<Bound>& pdev, u32 status, Seen seen) const {
    auto b = bar_->access(pdev);
    if (b.is_err())
      return false;
    (*b)->write32(status, REG_IRQ_RAISE);
    for (int i = 0; i < 1000; i++) {
      if (seen())
        return true;
      kcpp_fsleep(1000);
    }
    return false;
  }
  const H& handler() const { return reg_->handler(); }
  unsigned int vectors() const { return vectors_; }
  unsigned int irq() const { return reg_->irq(); }

 private:
  EduIrq(kcpp::Arc<kcpp::Devres<EduBar>> bar, kcpp::KBox<kcpp::irq::Registration<H>> reg, unsigned int n)
      : bar_(std::move(bar)), reg_(std::move(reg)), vectors_(n) {}
  kcpp::Arc<kcpp::Devres<EduBar>> bar_;
  kcpp::KBox<kcpp::irq::Registration<H>> reg_;
  unsigned int vectors_;
};

using kcpp_test::find_edu;

kcpp::Result<void> msi_interrupts_are_counted() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<EduIrq<Counter>>::make(kcpp::GFP_KERNEL));
  const auto* bound = KCPP_TRY(kcpp_test::bound(**pdev));
  auto* drv = KCPP_TRY(bound->drvdata<EduIrq<Counter>>());
  KCPP_EXPECT_EQ(drv->vectors(), 1u);
  const Counter& c = drv->handler();
  for (u32 i = 1; i <= 5; i++) {
    const bool ok = drv->raise_and_wait(*bound, 0x100 + i,
                                        [&] { return __atomic_load_n(&c.hits, __ATOMIC_RELAXED) == i; });
    KCPP_EXPECT(ok);
    KCPP_EXPECT_EQ(__atomic_load_n(&c.last_status, __ATOMIC_RELAXED), 0x100 + i);
  }
  KCPP_EXPECT_EQ(__atomic_load_n(&c.hits, __ATOMIC_RELAXED), 5u);
  return {};
}

kcpp::Result<void> threaded_handler_runs_after_the_hard_one() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<EduIrq<Threaded>>::make(kcpp::GFP_KERNEL));
  const auto* bound = KCPP_TRY(kcpp_test::bound(**pdev));
  auto* drv = KCPP_TRY(bound->drvdata<EduIrq<Threaded>>());
  const Threaded& t = drv->handler();
  for (u32 i = 1; i <= 3; i++) {
    KCPP_EXPECT(
        drv->raise_and_wait(*bound, 1, [&] { return __atomic_load_n(&t.threaded, __ATOMIC_RELAXED) == i; }));
  }
  KCPP_EXPECT_EQ(__atomic_load_n(&t.hard, __ATOMIC_RELAXED), 3u);
  KCPP_EXPECT_EQ(__atomic_load_n(&t.threaded, __ATOMIC_RELAXED), 3u);
  return {};
}

// Unbinding frees the line even though the registration object is alive
// until remove destroys it; rebinding requests it again.
kcpp::Result<void> rebinding_requests_the_line_again() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  auto reg = KCPP_TRY(kcpp::pci::Registration<EduIrq<Counter>>::make(kcpp::GFP_KERNEL));
  ::device* dev = (*pdev)->as_device().as_raw();
  for (int i = 0; i < 10; i++) {
    kcpp_device_release_driver(dev);
    KCPP_ASSERT_EQ(kcpp_device_attach(dev), 1);
  }
  const auto* bound = KCPP_TRY(kcpp_test::bound(**pdev));
  auto* drv = KCPP_TRY(bound->drvdata<EduIrq<Counter>>());
  const Counter& c = drv->handler();
  KCPP_EXPECT(
      drv->raise_and_wait(*bound, 1, [&] { return __atomic_load_n(&c.hits, __ATOMIC_RELAXED) == 1; }));
  return {};
}

// A registration destroyed while the device stays bound frees its line at
// once: the same line can be requested again, and only the new handler runs.
kcpp::Result<void> dropping_a_registration_frees_its_line() {
  auto pdev = find_edu();
  if (pdev.is_err())
    return {};
  using Driver = EduIrq<Counter, true>;
  auto reg = KCPP_TRY(kcpp::pci::Registration<Driver>::make(kcpp::GFP_KERNEL));
  const auto* bound = KCPP_TRY(kcpp_test::bound(**pdev));
  auto* drv = KCPP_TRY(bound->drvdata<Driver>());  // ENOENT if the second request failed
  const Counter& c = drv->handler();
  KCPP_EXPECT(
      drv->raise_and_wait(*bound, 1, [&] { return __atomic_load_n(&c.hits, __ATOMIC_RELAXED) == 1; }));
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_irq, KCPP_KUNIT_CASE(msi_interrupts_are_counted),
                 KCPP_KUNIT_CASE(threaded_handler_runs_after_the_hard_one),
                 KCPP_KUNIT_CASE(rebinding_requests_the_line_again),
                 KCPP_KUNIT_CASE(dropping_a_registration_frees_its_line));

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A driver for QEMU's educational device "edu" (1234:11e8, `-device edu`;
 * QEMU docs/specs/edu.rst): identification and liveness registers, the
 * factorial unit with completion by MSI interrupt, and the DMA engine, which
 * moves up to 4 KiB between memory and the device's own buffer.
 *
 * User space sees three files in the device's sysfs directory:
 *   factorial  write n (0..12), read n!              (EINVAL, EOVERFLOW)
 *   dma_test   write a size (1..4095): the bytes go to the device and back,
 *              checked; read "<size> <checksum> ok"    (EINVAL, EIO, ETIMEDOUT)
 *   irqs       read the number of interrupts handled
 *
 * module.cpp makes it a module; tests/edu_test.cpp drives the same class
 * under KUnit; examples/edu/check.sh drives the files from user space.
 */
#ifndef KCPP_EXAMPLES_EDU_H
#define KCPP_EXAMPLES_EDU_H

#include <kcpp/dma.h>
#include <kcpp/io/register.h>
#include <kcpp/irq.h>
#include <kcpp/pci.h>
#include <kcpp/sync/completion.h>
#include <kcpp/sync/lock.h>
#include <kcpp/sysfs.h>

namespace edu {

using kcpp::u32;
using kcpp::u64;
using kcpp::usize;

/** Registers of BAR0. */
namespace regs {
struct ID : kcpp::io::Register<ID, u32, 0x00> {
  KCPP_REG_FIELD(7, 0, magic);  // 0xed
  KCPP_REG_FIELD(23, 16, minor);
  KCPP_REG_FIELD(31, 24, major);
};
struct LIVENESS : kcpp::io::Register<LIVENESS, u32, 0x04> {
  KCPP_REG_FIELD(31, 0, value);
};
struct FACTORIAL : kcpp::io::Register<FACTORIAL, u32, 0x08> {
  KCPP_REG_FIELD(31, 0, value);
};
struct STATUS : kcpp::io::Register<STATUS, u32, 0x20> {
  KCPP_REG_FIELD(0, 0, computing);
  KCPP_REG_FIELD(7, 7, irq_on_factorial);
};
struct IRQ_STATUS : kcpp::io::Register<IRQ_STATUS, u32, 0x24> {
  KCPP_REG_FIELD(0, 0, factorial);
  KCPP_REG_FIELD(8, 8, dma);
};
struct IRQ_RAISE : kcpp::io::Register<IRQ_RAISE, u32, 0x60> {
  KCPP_REG_FIELD(31, 0, value);
};
struct IRQ_ACK : kcpp::io::Register<IRQ_ACK, u32, 0x64> {
  KCPP_REG_FIELD(31, 0, value);
};
struct DMA_SRC : kcpp::io::Register<DMA_SRC, u64, 0x80> {
  KCPP_REG_FIELD(63, 0, addr);
};
struct DMA_DST : kcpp::io::Register<DMA_DST, u64, 0x88> {
  KCPP_REG_FIELD(63, 0, addr);
};
struct DMA_CNT : kcpp::io::Register<DMA_CNT, u64, 0x90> {
  KCPP_REG_FIELD(63, 0, bytes);
};
struct DMA_CMD : kcpp::io::Register<DMA_CMD, u64, 0x98> {
  KCPP_REG_FIELD(0, 0, start);
  KCPP_REG_FIELD(1, 1, to_ram);  // 0: memory to the device, 1: device to memory
  KCPP_REG_FIELD(2, 2, irq);
};
}  // namespace regs

/** The device's DMA buffer, in its own address space. */
inline constexpr u64 DEV_BUFFER = 0x40000;
inline constexpr usize DEV_BUFFER_SIZE = 4096;
/**
 * The largest transfer the device takes. The buffer has 4096 bytes, but
 * QEMU's range check (up to at least 7.2, Debian bookworm's) is off by one
 * and stops the whole machine with a "hardware error" for a 4096-byte
 * transfer, so the driver never asks for more than 4095.
 */
inline constexpr usize MAX_TRANSFER = DEV_BUFFER_SIZE - 1;
/** The width of addresses the DMA engine takes (QEMU's default dma_mask). */
inline constexpr unsigned DMA_BITS = 28;

using Bar = kcpp::pci::Bar<0x100>;

/** The bound device: registers, DMA memory and the waits for its interrupts. */
class Edu {
 public:
  Edu(const kcpp::Device<kcpp::device::Bound>& dev, kcpp::Devres<Bar> bar, kcpp::dma::Coherent<kcpp::u8> buf)
      : dev_(&dev), bar_(std::move(bar)), buf_(std::move(buf)), op_(KCPP_LOCK_CLASS(), 0) {}

  /** n! computed by the device (n <= 12: 13! does not fit its 32 bits). */
  kcpp::Result<u32> factorial(u64 n) const {
    if (n > 12)
      return kcpp::code::EOVERFLOW;
    const Op op = KCPP_TRY(begin());
    auto guard = KCPP_TRY(op_.lock_interruptible());
    if (__atomic_load_n(&closed_, __ATOMIC_ACQUIRE))
      return kcpp::code::ENODEV;  // shut down while this caller waited for the lock
    const Bar& bar = *KCPP_TRY(bar_.access(bound()));
    fact_done_.reinit();
    regs::STATUS::zeroed().with_irq_on_factorial(true).write(bar);
    regs::FACTORIAL::zeroed().with_value(kcpp::io::Bits<32>::masked(n)).write(bar);
    KCPP_TRY(fact_done_.wait_for(1000));
    ++*guard;
    const u32 result = regs::FACTORIAL::read(bar).value();
    // Off by default: echo 'module kcpp_edu +p' > /sys/kernel/debug/dynamic_debug/control
    KCPP_DEV_DBG(bound(), "factorial(%llu) = %u by interrupt\n", n, result);
    return result;
  }

  /**
   * Sends @p size bytes of a pattern seeded by @p seed to the device and
   * reads them back into cleared memory; returns the checksum of what came
   * back if it matches what went, EIO otherwise.
   */
  kcpp::Result<u32> dma_round_trip(usize size, u32 seed) const {
    if (size == 0 || size > MAX_TRANSFER)
      return kcpp::code::EINVAL;
    const Op op = KCPP_TRY(begin());
    auto guard = KCPP_TRY(op_.lock_interruptible());
    if (__atomic_load_n(&closed_, __ATOMIC_ACQUIRE))
      return kcpp::code::ENODEV;  // shut down while this caller waited for the lock
    u32 sent = 0;
    for (usize i = 0; i < size; i++) {
      const kcpp::u8 v = static_cast<kcpp::u8>((kcpp::usize(seed) * 31) + (i * 7) + (i >> 8));
      KCPP_TRY(buf_.write(i, v));
      sent = sent * 33 + v;
    }
    KCPP_TRY(transfer_locked(buf_.dma_handle(), DEV_BUFFER, size, false));
    for (usize i = 0; i < size; i++) KCPP_TRY(buf_.write(i, 0));
    KCPP_TRY(transfer_locked(DEV_BUFFER, buf_.dma_handle(), size, true));
    u32 got = 0;
    for (usize i = 0; i < size; i++) got = got * 33 + KCPP_TRY(buf_.read(i));
    ++*guard;
    if (got != sent)
      return kcpp::code::EIO;
    return got;
  }

  /**
   * One engine transfer of @p size bytes (at most MAX_TRANSFER) from @p src
   * to @p dst, waited for by interrupt. One side lies in the device buffer
   * (DEV_BUFFER...), the other is a bus address of memory.
   */
  kcpp::Result<void> transfer(u64 src, u64 dst, usize size, bool to_ram) const {
    const u64 dev_side = to_ram ? src : dst;
    if (size == 0 || size > MAX_TRANSFER || dev_side < DEV_BUFFER ||
        dev_side + size > DEV_BUFFER + DEV_BUFFER_SIZE)
      return kcpp::code::EINVAL;
    const Op op = KCPP_TRY(begin());
    auto guard = KCPP_TRY(op_.lock_interruptible());
    if (__atomic_load_n(&closed_, __ATOMIC_ACQUIRE))
      return kcpp::code::ENODEV;  // shut down while this caller waited for the lock
    KCPP_TRY(transfer_locked(src, dst, size, to_ram));
    ++*guard;
    return {};
  }

 private:
  /**
   * One operation in progress. The count of them starts at one, the
   * object's own reference, which shut_down() drops; no operation starts
   * once the count reached zero. An Op is declared before the guard of
   * op_, so it ends after the mutex was unlocked: mutex_unlock() may still
   * touch the mutex after a waiter took it over, so waiting for op_ alone
   * does not prove the last caller left the object. complete_all() on
   * idle_ is the last thing an operation does here, and a completion's waiter
   * returns only after complete() let go of it.
   */
  class Op {
   public:
    explicit Op(const Edu& e) : e_(&e) {}
    Op(Op&& o) : e_(o.e_) { o.e_ = nullptr; }
    Op(const Op&) = delete;
    Op& operator=(const Op&) = delete;
    Op& operator=(Op&&) = delete;
    ~Op() {
      if (e_)
        e_->end();
    }

   private:
    const Edu* e_;
  };
  kcpp::Result<Op> begin() const {
    long n = __atomic_load_n(&users_, __ATOMIC_RELAXED);
    do {
      if (n == 0)
        return kcpp::code::ENODEV;  // unbinding
    } while (!__atomic_compare_exchange_n(&users_, &n, n + 1, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
    return Op(*this);
  }
  void end() const {
    if (__atomic_sub_fetch(&users_, 1, __ATOMIC_ACQ_REL) == 0)
      idle_.complete_all();  // every wait from now on returns at once
  }

  kcpp::Result<void> transfer_locked(u64 src, u64 dst, usize size, bool to_ram) const {
    const Bar& bar = *KCPP_TRY(bar_.access(bound()));
    dma_done_.reinit();
    regs::DMA_SRC::zeroed().with_addr(kcpp::io::Bits<64>::masked(src)).write(bar);
    regs::DMA_DST::zeroed().with_addr(kcpp::io::Bits<64>::masked(dst)).write(bar);
    regs::DMA_CNT::zeroed().with_bytes(kcpp::io::Bits<64>::masked(size)).write(bar);
    regs::DMA_CMD::zeroed().with_start(true).with_to_ram(to_ram).with_irq(true).write(bar);
    return dma_done_.wait_for(2000);
  }

 public:
  /**
   * Refuses later operations (ENODEV), those waiting for the lock
   * included, and waits until the one in progress is done with the Edu:
   * called when the driver unbinds, while the interrupt that completes an
   * operation is still requested. Once it returns, no operation touches
   * this object; the interrupt handler still may, until its registration
   * (destroyed before the Edu, see Driver) has freed the line.
   */
  void shut_down() const {
    if (!__atomic_exchange_n(&closed_, true, __ATOMIC_ACQ_REL))
      end();  // drops the reference the object holds on itself (see Op)
    idle_.wait();
  }

  /** The interrupt handler's half: acknowledge and wake the waiter. */
  kcpp::irq::Return on_interrupt(const kcpp::Device<kcpp::device::Bound>& dev) const {
    auto bar = bar_.access(dev);
    if (bar.is_err())
      return kcpp::irq::Return::None;
    const auto status = regs::IRQ_STATUS::read(**bar);
    if (!status.raw())
      return kcpp::irq::Return::None;
    regs::IRQ_ACK::zeroed().with_value(kcpp::io::Bits<32>::masked(status.raw())).write(**bar);
    __atomic_add_fetch(&irqs_, 1, __ATOMIC_RELAXED);
    if (status.factorial())
      fact_done_.complete();
    if (status.dma())
      dma_done_.complete();
    return kcpp::irq::Return::Handled;
  }

  [[nodiscard]] u64 irqs() const { return __atomic_load_n(&irqs_, __ATOMIC_RELAXED); }
  [[nodiscard]] const kcpp::Devres<Bar>& bar() const { return bar_; }
  [[nodiscard]] const kcpp::dma::Coherent<kcpp::u8>& buffer() const { return buf_; }

  /** What the factorial and dma_test files show. */
  mutable u32 last_factorial = 0;
  mutable u64 last_dma_size = 0;
  mutable u32 last_dma_sum = 0;

 private:
  // The operations run from sysfs files and from tests while the driver is
  // bound: the driver core removes the files, waiting for their callers,
  // before the binding ends.
  const kcpp::Device<kcpp::device::Bound>& bound() const { return *dev_; }

  const kcpp::Device<kcpp::device::Bound>* dev_;
  kcpp::Devres<Bar> bar_;
  kcpp::dma::Coherent<kcpp::u8> buf_;
  kcpp::Mutex<u64> op_;  // one operation at a time; counts them
  kcpp::Completion fact_done_;
  kcpp::Completion dma_done_;
  kcpp::Completion idle_;  // the last operation ended after shut_down()
  mutable u64 irqs_ = 0;
  mutable long users_ = 1;       // operations in progress, plus one until shut_down()
  mutable bool closed_ = false;  // shut_down() dropped the object's own reference
};

/** The interrupt handler: the device does the work. */
struct Irq {
  const Edu* dev;
  kcpp::irq::Return handle(const kcpp::Device<kcpp::device::Bound>& d) const { return dev->on_interrupt(d); }
};

/** sysfs files (see the comment at the top). */
inline kcpp::Result<void> show_factorial(const Edu& d, kcpp::sysfs::Buffer& out) {
  return out.print("%u\n", d.last_factorial);
}
inline kcpp::Result<void> store_factorial(const Edu& d, kcpp::sysfs::Input in) {
  d.last_factorial = KCPP_TRY(d.factorial(KCPP_TRY(in.parse_u64())));
  return {};
}
inline kcpp::Result<void> show_dma_test(const Edu& d, kcpp::sysfs::Buffer& out) {
  return out.print("%llu %08x ok\n", d.last_dma_size, d.last_dma_sum);
}
inline kcpp::Result<void> store_dma_test(const Edu& d, kcpp::sysfs::Input in) {
  const u64 size = KCPP_TRY(in.parse_u64());
  if (size == 0 || size > MAX_TRANSFER)
    return kcpp::code::EINVAL;
  d.last_dma_sum = KCPP_TRY(d.dma_round_trip(size, static_cast<u32>(size)));
  d.last_dma_size = size;
  return {};
}
inline kcpp::Result<void> show_irqs(const Edu& d, kcpp::sysfs::Buffer& out) {
  return out.print("%llu\n", d.irqs());
}

class Driver {
 public:
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_edu";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::QEMU, 0x11e8), {}},
  });

  static kcpp::Result<Driver> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    KCPP_TRY(pdev.enable_device_mem());
    pdev.set_master();
    KCPP_TRY(kcpp::dma::set_mask_and_coherent(pdev, kcpp::dma::Mask::bits<DMA_BITS>()));
    auto bar = KCPP_TRY(pdev.iomap_region_sized<0x100>(0, NAME));
    {
      const Bar& b = *KCPP_TRY(bar.access(pdev));
      const auto id = regs::ID::read(b);
      if (id.magic() != 0xed || id.major() != 1) {
        KCPP_DEV_ERR(pdev, "not an edu device (id %08x)\n", id.raw());
        return kcpp::code::ENODEV;
      }
      regs::LIVENESS::zeroed().with_value(0x12345678).write(b);
      if (regs::LIVENESS::read(b).value() != ~0x12345678u)
        return kcpp::code::EIO;
    }
    auto buf = KCPP_TRY(kcpp::dma::Coherent<kcpp::u8>::alloc(pdev, DEV_BUFFER_SIZE, kcpp::GFP_KERNEL));
    auto dev =
        KCPP_TRY(kcpp::KBox<Edu>::make(kcpp::GFP_KERNEL, pdev.as_device(), std::move(bar), std::move(buf)));
    KCPP_TRY(pdev.alloc_irq_vectors(1, 1, kcpp::pci::IrqTypes::MSI));
    auto req = KCPP_TRY(pdev.irq_request(kcpp::pci::IrqVector{0}));
    auto irq = KCPP_TRY(kcpp::irq::Registration<Irq>::make(req, {}, NAME, Irq{&*dev}, kcpp::GFP_KERNEL));
    Driver d(std::move(dev), std::move(irq));
    const auto id = regs::ID::read(*KCPP_TRY(d.dev_->bar().access(pdev)));
    KCPP_DEV_INFO(pdev, "edu %u.%u, MSI irq %u, DMA buffer at %llx\n", id.major(), id.minor(), d.irq_->irq(),
                  d.dev_->buffer().dma_handle());
    return d;
  }
  void unbind(const kcpp::pci::Device<kcpp::device::Core>& pdev) {
    dev_->shut_down();
    // A transfer that timed out may still be running in the device: stop
    // its bus mastering before the DMA buffer is freed.
    pdev.clear_master();
    KCPP_DEV_INFO(pdev, "unbind after %llu interrupts\n", dev_->irqs());
  }
  [[nodiscard]] const Edu& device() const { return *dev_; }

  // The sysfs files (see the comment at the top): the driver core creates
  // them once probe succeeded and removes them before unbind(), waiting for
  // their readers and writers, so the Edu they use is there throughout.
  template <auto Show>
  static kcpp::Result<void> edu_show(const Driver& d, kcpp::sysfs::Buffer& out) {
    return Show(*d.dev_, out);
  }
  template <auto Store>
  static kcpp::Result<void> edu_store(const Driver& d, kcpp::sysfs::Input in) {
    return Store(*d.dev_, in);
  }
  static constexpr ::kcpp_attr_desc ATTRIBUTES[] = {
      kcpp::sysfs::attribute<Driver, edu_show<show_factorial>, edu_store<store_factorial>>("factorial"),
      kcpp::sysfs::attribute<Driver, edu_show<show_dma_test>, edu_store<store_dma_test>>("dma_test"),
      kcpp::sysfs::attribute<Driver, edu_show<show_irqs>, nullptr>("irqs"),
  };

 private:
  Driver(kcpp::KBox<Edu> dev, kcpp::KBox<kcpp::irq::Registration<Irq>> irq)
      : dev_(std::move(dev)), irq_(std::move(irq)) {}
  // Destroyed in reverse: the interrupt line first, then the device state
  // it uses (the files are gone before unbind()).
  kcpp::KBox<Edu> dev_;
  kcpp::KBox<kcpp::irq::Registration<Irq>> irq_;
};

}  // namespace edu

#endif  // KCPP_EXAMPLES_EDU_H

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/irq.h
 * @brief Interrupt handlers whose registration cannot outlive the binding.
 *
 * Wraps `include/linux/interrupt.h` (`request_threaded_irq()`,
 * `free_irq()`, `synchronize_irq()`).
 *
 * A handler is any type with `irq::Return handle(const Device<Bound>&) const`
 * (and, for a threaded one, `handle_threaded()` of the same shape). It is
 * called concurrently with the rest of the driver, hence `const`: state it
 * changes must be atomic or locked. An `irq::Registration<H>` owns the
 * handler and the requested line; the handler's address is the cookie, so a
 * registration never moves (build it with `make()` into a `KBox`, or in
 * place with `init()`). The line is freed when the registration is
 * destroyed, or at unbind if that comes first: a handler never runs after
 * its driver unbound, and it receives a `Device<Bound>` because of that.
 *
 * Interrupt numbers come from bus code only (`irq::Request`, made by
 * `pci::Device<Bound>::irq_request()` or `platform::Device<Bound>::irq()`):
 * a driver cannot invent one. `irq::SoftwareLine` is a line that software
 * raises, for devices that software models.
 *
 * @par Examples
 * Binding QEMU's edu device (1234:11e8, in make check's machine), taking an
 * MSI vector and counting the interrupts the device raises when asked to
 * (register 0x60); tests/irq_test.cpp does more (threaded handlers,
 * acknowledging through the BAR, rebinding).
 * @code{.cpp}
 * #^ struct Counter {
 * #^   mutable unsigned int hits = 0;
 * #^   kcpp::irq::Return handle(const kcpp::Device<kcpp::device::Bound>&) const {
 * #^     __atomic_add_fetch(&hits, 1, __ATOMIC_RELAXED);
 * #^     return kcpp::irq::Return::Handled;
 * #^   }
 * #^ };
 * #^ class Edu {
 * #^  public:
 * #^   using IdInfo = kcpp::pci::NoInfo;
 * #^   static constexpr const char* NAME = "kcpp_doc_irq";
 * #^   static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
 * #^       {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::QEMU, 0x11e8), {}},
 * #^   });
 * #^   static kcpp::Result<Edu> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev,
 * #^                                  const IdInfo&) {
 * #^     KCPP_TRY(pdev.enable_device_mem());
 * #^     pdev.set_master();  // an MSI is a memory write by the device
 * #^     auto bar = KCPP_TRY(pdev.iomap_region_sized<0x100>(0, NAME));
 * #^     KCPP_TRY(pdev.alloc_irq_vectors(1, 1, kcpp::pci::IrqTypes::MSI));
 * #^     kcpp::irq::Request req = KCPP_TRY(pdev.irq_request(kcpp::pci::IrqVector{0}));
 * #^     auto irq = KCPP_TRY(kcpp::irq::Registration<Counter>::make(req, kcpp::irq::Flags(), NAME,
 * #^                                                                 Counter{}, kcpp::GFP_KERNEL));
 * #^     return Edu(std::move(bar), std::move(irq));
 * #^   }
 * #^   kcpp::Devres<kcpp::pci::Bar<0x100>> bar;
 * #^   kcpp::KBox<kcpp::irq::Registration<Counter>> irq;
 * #^
 * #^  private:
 * #^   Edu(kcpp::Devres<kcpp::pci::Bar<0x100>> b, kcpp::KBox<kcpp::irq::Registration<Counter>> i)
 * #^       : bar(std::move(b)), irq(std::move(i)) {}
 * #^ };
 * static_assert(kcpp::irq::Handler<Counter> && !kcpp::irq::ThreadedHandler<Counter>);
 * static_assert((kcpp::irq::Flags::SHARED | kcpp::irq::Flags::ONESHOT).raw() ==
 *               (KCPP_IRQF_SHARED | KCPP_IRQF_ONESHOT));
 * static_assert((kcpp::irq::Flags::SHARED | kcpp::irq::Flags::ONESHOT).contains(kcpp::irq::Flags::ONESHOT));
 * auto pdev = KCPP_TRY(kcpp::pci::Device<>::find(kcpp::pci::Vendor::QEMU, 0x11e8));
 * auto reg = KCPP_TRY(kcpp::pci::Registration<Edu>::make(kcpp::GFP_KERNEL));
 * const auto& bound = kcpp::pci::Device<kcpp::device::Bound>::unsafe_from_raw(pdev->as_raw());
 * Edu* edu = KCPP_TRY(bound.drvdata<Edu>());
 * const Counter& counter = edu->irq->handler();
 * KCPP_TRY(edu->bar.access(bound))->write32(1, 0x60);  // raise an interrupt
 * auto hits = kcpp::io::read_poll_timeout(
 *     [&] { return __atomic_load_n(&counter.hits, __ATOMIC_RELAXED); },
 *     [](unsigned int n) { return n >= 1; }, 1000, 1000000);
 * KCPP_ASSERT_EQ(KCPP_TRY(hits), 1u);
 * KCPP_ASSERT(kcpp::irq::Return::Handled != kcpp::irq::Return::None);
 * @endcode
 */
#ifndef KCPP_IRQ_H
#define KCPP_IRQ_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/alloc/numa.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/device.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/sync/completion.h>

namespace kcpp::irq {

/** @brief What a handler did: `irqreturn_t`. */
enum class Return : int {
  None = KCPP_IRQ_NONE,              ///< Not this device's interrupt.
  Handled = KCPP_IRQ_HANDLED,        ///< Handled.
  WakeThread = KCPP_IRQ_WAKE_THREAD  ///< Run the threaded handler.
};

/** @brief Request flags (`IRQF_*`), combined with `|` (`Flags::SHARED | ...`). */
class Flags {
 public:
  /** @brief No flag. */
  constexpr Flags() = default;
  /** @brief The raw `IRQF_*` bits. */
  [[nodiscard]] constexpr unsigned long raw() const { return v_; }
  /** @brief Whether all of @p o is set. */
  [[nodiscard]] constexpr bool contains(Flags o) const { return (v_ & o.v_) == o.v_; }
  /** @brief Both sets of flags. */
  friend constexpr Flags operator|(Flags a, Flags b) { return Flags(a.v_ | b.v_); }
  /** @brief Flags compare by bits. */
  friend constexpr bool operator==(Flags, Flags) = default;
  static const Flags SHARED;      ///< `IRQF_SHARED`: the line may be shared with other devices.
  static const Flags ONESHOT;     ///< `IRQF_ONESHOT`: keep the line masked until the thread ran.
  static const Flags NO_SUSPEND;  ///< `IRQF_NO_SUSPEND`.

 private:
  constexpr explicit Flags(unsigned long v) : v_(v) {}
  unsigned long v_ = 0;
};
inline constexpr Flags Flags::SHARED{KCPP_IRQF_SHARED};
inline constexpr Flags Flags::ONESHOT{KCPP_IRQF_ONESHOT};
inline constexpr Flags Flags::NO_SUSPEND{KCPP_IRQF_NO_SUSPEND};

/** @brief A hard-interrupt handler. */
template <typename H>
concept Handler = requires(const H& h, const Device<device::Bound>& dev) {
  { h.handle(dev) } -> same_as<Return>;
};

/** @brief A handler with a threaded part (`handle()` is optional). */
template <typename H>
concept ThreadedHandler = requires(const H& h, const Device<device::Bound>& dev) {
  { h.handle_threaded(dev) } -> same_as<Return>;
};

/**
 * @brief An interrupt line of a bound device, as bus code hands it out.
 *
 * @par Invariants
 * `dev_` is the bound device the request was made for and `irq_` a line that
 * bus code allotted to it. It holds no count and is copyable, so this is true
 * only while that `Device<Bound>` reference is: use it at once.
 */
class Request {
 public:
  /**
   * @brief Line @p irq of @p dev.
   *
   * @par Safety
   * For bus code: @p irq belongs to @p dev while it is bound.
   */
  static Request unsafe_new(const Device<device::Bound>& dev, unsigned int irq) { return Request(dev, irq); }
  /** @brief The device. */
  [[nodiscard]] const Device<device::Bound>& device() const { return *dev_; }
  /** @brief The Linux interrupt number. */
  [[nodiscard]] unsigned int irq() const { return irq_; }

 private:
  Request(const Device<device::Bound>& dev, unsigned int irq) : dev_(&dev), irq_(irq) {}
  const Device<device::Bound>* dev_;
  unsigned int irq_;
};

/**
 * @brief A requested interrupt line and its handler @p H (see the file
 * comment). Not movable.
 *
 * @par Invariants
 * `dev_` is counted, and the handler in `storage_` lives from a successful
 * `init()` to the destructor. Once `live_`, line `irq_` has been requested
 * with `action_`, whose data is this object, and it is freed exactly once: by
 * the destructor, or by unbind's devres node, which then completes `freed_`.
 * Never moves: the kernel holds `&action_`, and the action points back here.
 */
template <typename H>
  requires Handler<H> || ThreadedHandler<H>
class Registration {
 public:
  /**
   * @brief An initializer that builds the handler with @p handler, then
   * requests the line; the devres record that frees the line at unbind is
   * allocated with @p gfp.
   */
  template <typename I>
    requires InitializerOf<I, H>
  static auto init(Request req, Flags flags, const char* name, I&& handler, Gfp gfp) {
    return init::from_fn<Registration>(
        [req, flags, name, gfp, h = std::move(handler)](Registration* slot) mutable -> Result<void> {
          new (slot) Registration(req);
          Result<void> r = std::move(h)(slot->handler_slot());
          if (r.is_err()) {
            slot->~Registration();  // not live: releases nothing
            return r.error();
          }
          r = slot->request(flags, name, gfp);
          if (r.is_err()) {
            slot->handler_ptr()->~H();
            slot->~Registration();
            return r.error();
          }
          slot->live_ = true;
          return {};
        });
  }
  /**
   * @brief Requests the line for @p handler (moved), in a new `KBox`; the
   * box and the devres record are allocated with @p gfp.
   */
  [[nodiscard]] static Result<KBox<Registration>> make(Request req, Flags flags, const char* name, H handler,
                                                       Gfp gfp) {
    return KBox<Registration>::pin_init(gfp,
                                        init(req, flags, name, init::emplace<H>(std::move(handler)), gfp));
  }

  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  /// @cond KCPP_INTERNAL
  // Its own devres node frees the line at unbind; a devres node that owned
  // the registration too would run first and wait for that one forever.
  static constexpr bool NOT_DEVRES_OWNED = true;
  /// @endcond
  /** @brief Frees the line (waiting for running handlers), then destroys the handler. */
  ~Registration() {
    if (!live_) {
      kcpp_put_device(dev_);
      return;
    }
    if (kcpp_devres_remove(dev_, &release, this)) {
      kcpp_free_irq(irq_, &action_);
    } else {
      // Unbind is freeing the line right now (free_irq() may sleep while a
      // threaded handler finishes): sleep until it has.
      freed_.wait();
    }
    handler_ptr()->~H();
    kcpp_put_device(dev_);
  }

  /** @brief The handler. */
  [[nodiscard]] const H& handler() const {
    // SAFETY: the const is dropped only to reach handler_ptr(), which computes an address and
    // writes nothing; the handler is handed out const. H is live: init() built it before the
    // registration could be used, and only the destructor ends it.
    return *const_cast<Registration*>(this)->handler_ptr();
  }
  /** @brief The Linux interrupt number. */
  [[nodiscard]] unsigned int irq() const { return irq_; }
  /** @brief Waits for running handlers of this line (`synchronize_irq()`). */
  void synchronize() const { kcpp_synchronize_irq(irq_); }

 private:
  // The device is counted: the destructor looks at its devres list, also
  // when the registration outlives the binding.
  explicit Registration(const Request& req) : dev_(req.device().as_raw()), irq_(req.irq()) {
    kcpp_get_device(dev_);
  }
  // The raw storage, for the handler's initializer (init()).
  H* handler_slot() {
    // SAFETY: storage_ is sizeof(H) bytes aligned for H inside this never-moving registration;
    // no H lives there yet, so the pointer only names the place the initializer builds it at.
    return reinterpret_cast<H*>(storage_);
  }
  // The handler, built by init() and live until ~Registration().
  H* handler_ptr() {
    // SAFETY: init() built the H in storage_ before anything calls this, and the registration
    // never moves; launder reaches that object.
    return std::launder(reinterpret_cast<H*>(storage_));
  }

  Result<void> request(Flags flags, const char* name, Gfp gfp) {
    action_.data = this;
    if constexpr (Handler<H>)
      action_.handler = &hard_irq;
    if constexpr (ThreadedHandler<H>) {
      action_.thread_fn = &threaded_irq;
      if constexpr (!Handler<H>)
        flags = flags | Flags::ONESHOT;  // the kernel's default primary handler needs it
    }
    KCPP_TRY(to_result(kcpp_request_threaded_irq(irq_, &action_, flags.raw(), name)));
    Result<void> r = to_result(kcpp_devres_add(dev_, &release, this, gfp.as_raw(), KCPP_NUMA_NO_NODE));
    if (r.is_err())
      kcpp_free_irq(irq_, &action_);
    return r;
  }
  // SAFETY (both handlers): the data of the action is this registration,
  // and the line is freed (waiting for running handlers) before unbind
  // completes, so the device is bound while a handler runs.
  static int hard_irq(int, void* cookie) {
    auto* self = static_cast<Registration*>(cookie);
    // SAFETY: cookie is this registration (action_.data), alive until after its line is freed; the
    // line is freed before unbind ends (see above), so dev_, counted here, is bound meanwhile.
    return static_cast<int>(self->handler().handle(Device<device::Bound>::unsafe_from_raw(self->dev_)));
  }
  static int threaded_irq(int, void* cookie) {
    auto* self = static_cast<Registration*>(cookie);
    // SAFETY: as for hard_irq(): free_irq() waits for the thread too, in ~Registration() or
    // at unbind's devres release, so the counted dev_ is bound while this runs.
    return static_cast<int>(
        self->handler().handle_threaded(Device<device::Bound>::unsafe_from_raw(self->dev_)));
  }
  // Unbind: free the line now; the handler object goes with the registration.
  static void release(void* cookie) {
    auto* self = static_cast<Registration*>(cookie);
    kcpp_free_irq(self->irq_, &self->action_);
    self->freed_.complete();
  }

  ::device* dev_;
  unsigned int irq_;
  bool live_ = false;
  ::kcpp_irq_action action_{};
  Completion freed_;  // completed by unbind's release() once the line is free
  alignas(H) unsigned char storage_[sizeof(H)];
};

/**
 * @brief An interrupt line that software raises: a descriptor of its own on
 * the kernel's dummy interrupt chip, for a device that software models (a
 * platform device that a module describes itself, a simulated device in a
 * test). A driver gets its number as a resource of its device and requests
 * it as any other line; `trigger()` runs the handlers requested on it, as
 * the device's interrupt would.
 *
 * @par Examples
 * @code{.cpp}
 * auto line = KCPP_TRY(kcpp::irq::SoftwareLine::make());
 * KCPP_ASSERT(line.irq() > 0);
 * auto other = KCPP_TRY(kcpp::irq::SoftwareLine::make(kcpp::NumaNode::any()));
 * KCPP_ASSERT(other.irq() != line.irq());
 * @endcode
 *
 * @par Invariants
 * Unless moved from (`irq_` 0), `irq_` is a descriptor this object
 * allocated and alone frees. It is freed only with no handler requested on
 * it: one still requested keeps it allocated (with a warning), so the
 * handler's registration never frees a line that is gone.
 */
class SoftwareLine {
 public:
  /** @brief A new line whose descriptor lives on @p node; `ENOMEM` if none is free. */
  [[nodiscard]] static Result<SoftwareLine> make(NumaNode node = NumaNode::any()) {
    const int irq = kcpp_irq_line_alloc(node.id());
    if (irq < 0)
      return Error::from_errno(irq);
    return SoftwareLine(static_cast<unsigned int>(irq));
  }
  /** @brief Takes over @p other's line. */
  SoftwareLine(SoftwareLine&& other) noexcept : irq_(exchange(other.irq_, 0u)) {}
  SoftwareLine& operator=(SoftwareLine&&) = delete;
  SoftwareLine(const SoftwareLine&) = delete;
  SoftwareLine& operator=(const SoftwareLine&) = delete;
  /** @brief Frees the line; a handler still requested on it is a bug, and keeps it. */
  ~SoftwareLine() {
    if (irq_ && !kcpp_irq_line_free(irq_))
      kcpp_warn(__FILE__, __LINE__, "software interrupt line dropped with a handler requested on it");
  }
  /** @brief The Linux interrupt number. */
  [[nodiscard]] unsigned int irq() const { return irq_; }
  /**
   * @brief Raises the line: its handlers run now, on this CPU, with
   * interrupts off (threaded parts are woken); from any context.
   */
  [[nodiscard]] Result<void> trigger() const { return to_result(kcpp_irq_line_trigger(irq_)); }
  /**
   * @brief Raises the line and waits until its handlers, threaded parts
   * included, have run (`synchronize_irq()`). Process context only. On
   * PREEMPT_RT every handler is threaded, and raises that come while the
   * thread is still pending run it once: use this form to count them.
   */
  [[nodiscard]] Result<void> trigger_sync() const {
    KCPP_TRY(trigger());
    kcpp_synchronize_irq(irq_);
    return {};
  }

 private:
  explicit SoftwareLine(unsigned int irq) : irq_(irq) {}
  unsigned int irq_;
};

}  // namespace kcpp::irq

#endif  // KCPP_IRQ_H

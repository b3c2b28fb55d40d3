/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/platform/device.h
 * @brief A platform device in its context type states: name and id, its
 * resources, memory resources mapped as `IoMem` behind `Devres`, interrupts
 * by index.
 *
 * Part of `kcpp/platform.h`, which includes every part and opens with the
 * tour of the platform bus API; include that header, not this one.
 *
 * Wraps `struct platform_device` of `include/linux/platform_device.h`,
 * `platform_get_resource()`, `platform_get_irq()` and the
 * `request_mem_region()` + `ioremap()` pair of `devm_ioremap_resource()`.
 */
#ifndef KCPP_PLATFORM_DEVICE_H
#define KCPP_PLATFORM_DEVICE_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/core/option.h>
#include <kcpp/device.h>
#include <kcpp/devres.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/io.h>
#include <kcpp/irq.h>
#include <kcpp/sync/aref.h>

namespace kcpp::platform {

/**
 * @brief A resource of a platform device: a range of memory or I/O ports,
 * or an interrupt line (`struct resource`, copied out).
 */
class Resource {
 public:
  /** @brief @p size bytes of device memory at physical address @p start. */
  static constexpr Resource mem(u64 start, u64 size, const char* name = nullptr) {
    return Resource({start, size, KCPP_IORESOURCE_MEM, name});
  }
  /** @brief Interrupt line @p irq. */
  static constexpr Resource irq(unsigned int irq, const char* name = nullptr) {
    return Resource({irq, 1, KCPP_IORESOURCE_IRQ, name});
  }
  /** @brief The first address (or the line, for an interrupt). */
  [[nodiscard]] constexpr u64 start() const { return desc_.start; }
  /** @brief The size in bytes (1 for an interrupt). */
  [[nodiscard]] constexpr u64 size() const { return desc_.size; }
  /** @brief The `IORESOURCE_*` flags. */
  [[nodiscard]] constexpr unsigned long flags() const { return desc_.flags; }
  /** @brief The name, or nullptr. */
  [[nodiscard]] constexpr const char* name() const { return desc_.name; }
  /** @brief Whether this is device memory. */
  [[nodiscard]] constexpr bool is_mem() const { return type() == KCPP_IORESOURCE_MEM; }
  /** @brief Whether this is a range of I/O ports. */
  [[nodiscard]] constexpr bool is_io() const { return type() == KCPP_IORESOURCE_IO; }
  /** @brief Whether this is an interrupt line. */
  [[nodiscard]] constexpr bool is_irq() const { return type() == KCPP_IORESOURCE_IRQ; }
  /// @cond KCPP_INTERNAL
  constexpr explicit Resource(::kcpp_resource_desc d) : desc_(d) {}
  [[nodiscard]] constexpr const ::kcpp_resource_desc& desc() const { return desc_; }
  /// @endcond

 private:
  constexpr unsigned long type() const { return desc_.flags & KCPP_IORESOURCE_TYPE_BITS; }
  ::kcpp_resource_desc desc_;
};

template <device::Context Ctx = device::Normal>
class Device;
template <usize Size>
class IoMem;

/**
 * @brief A platform device: name, id, resources (mapping them needs the
 * Bound context).
 *
 * @par Invariants
 * Never constructed, copied or moved: a reference to it is a
 * `struct platform_device` seen in place, kept alive by its holder while the
 * reference is used; `as_device()` is the `struct device` embedded in it.
 */
template <>
class Device<device::Normal> {
 public:
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;
  /**
   * @brief The device behind @p raw.
   *
   * @par Safety
   * @p raw is valid while the reference is used (bus code).
   */
  static const Device& unsafe_from_raw(const ::platform_device* raw) {
    // SAFETY: Device is an empty view class, never constructed (protected constructors,
    // copies deleted), standing for the struct platform_device at raw, which the caller keeps
    // valid while the reference is used; it is only ever reached through such a cast.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The platform device behind a generic device; `EINVAL` if it is on another bus. */
  template <device::Context C>
  static Result<const Device<C>*> from_device(const kcpp::Device<C>& dev) {
    if (!kcpp_dev_is_platform(dev.as_raw()))
      return code::EINVAL;
    // SAFETY: dev_is_platform() said this struct device is the dev member of a struct
    // platform_device, so stepping back by that member's offset finds the platform_device.
    const auto* p = reinterpret_cast<const u8*>(dev.as_raw()) - KCPP_OFFSETOF_platform_device_dev;
    // SAFETY: p is that platform_device, seen through the empty view class; it is the same
    // device as dev, so valid as long as dev and in the same context C.
    return reinterpret_cast<const Device<C>*>(p);
  }
  /** @brief The C device. */
  [[nodiscard]] ::platform_device* as_raw() const {
    // SAFETY: this came from unsafe_from_raw() or from_device() of a real platform_device, so
    // the cast gives that pointer back; the const was the view's only.
    return reinterpret_cast<::platform_device*>(const_cast<Device*>(this));
  }
  /** @brief The embedded generic device. */
  [[nodiscard]] const kcpp::Device<>& as_device() const { return generic<device::Normal>(); }
  /** @brief The name the device was registered with (what name tables match). */
  [[nodiscard]] const char* name() const { return kcpp_platform_device_name(as_raw()); }
  /** @brief The instance id given at registration; none for `PLATFORM_DEVID_NONE`. */
  [[nodiscard]] Option<int> id() const {
    const int id = kcpp_platform_device_id(as_raw());
    if (id == KCPP_PLATFORM_DEVID_NONE)
      return {};
    return id;
  }
  /** @brief The @p index-th memory resource; `ENXIO` if there is none. */
  [[nodiscard]] Result<Resource> mem_resource(unsigned int index) const {
    return resource(KCPP_IORESOURCE_MEM, index);
  }
  /** @brief The @p index-th I/O port resource; `ENXIO` if there is none. */
  [[nodiscard]] Result<Resource> io_resource(unsigned int index) const {
    return resource(KCPP_IORESOURCE_IO, index);
  }
  /** @brief A counted reference (keeps the device, not its binding). */
  [[nodiscard]] ARef<Device> get() const { return ARef<Device>::from(*this); }

  /// @cond KCPP_INTERNAL
  void inc_ref() const { kcpp_platform_device_get(as_raw()); }
  static void dec_ref(Device* d) { kcpp_platform_device_put(d->as_raw()); }

  // Present in the weaker contexts only to say why a call does not compile.
  template <usize Size, typename T = void>
  Result<Devres<IoMem<Size>>> iomap_resource_sized(unsigned int) const {
    static_assert(dependent_false<T>,
                  "kcpp: iomap_resource_sized() needs a platform::Device<Bound>: resources are tied "
                  "to a binding (call it from probe or with the bound device in hand)");
    return code::EINVAL;
  }
  template <typename T = void>
  Result<irq::Request> irq(unsigned int) const {
    static_assert(dependent_false<T>,
                  "kcpp: irq() needs a platform::Device<Bound>: an interrupt line is requested for a "
                  "binding");
    return code::EINVAL;
  }
  /// @endcond

 protected:
  Device() = default;
  ~Device() = default;
  /// @cond KCPP_INTERNAL
  Result<Resource> resource(unsigned long type, unsigned int index) const {
    ::kcpp_resource_desc d{};
    KCPP_TRY(to_result(kcpp_platform_resource(as_raw(), type, index, &d)));
    return Resource(d);
  }
  template <device::Context C>
  const kcpp::Device<C>& generic() const {
    // SAFETY: the struct device embedded in this platform_device, at the offset the configured
    // kernel gives; valid as long as this reference, in the same context.
    return kcpp::Device<C>::unsafe_from_raw(reinterpret_cast<const ::device*>(
        reinterpret_cast<const u8*>(this) + KCPP_OFFSETOF_platform_device_dev));
  }
  /// @endcond
};

/**
 * @brief A bound platform device: map its memory, request its interrupts.
 *
 * @par Invariants
 * As for `Device<Normal>`, and a driver is bound for as long as the reference
 * is used.
 */
template <>
class Device<device::Bound> : public Device<device::Normal> {
 public:
  /**
   * @brief The bound device behind @p raw.
   *
   * @par Safety
   * @p raw is a valid device, and a driver stays bound to it for as long as
   * the reference is used (a bus callback, or code the binding outlives).
   */
  static const Device& unsafe_from_raw(const ::platform_device* raw) {
    // SAFETY: an empty, never constructed view like its base (no members added), over the
    // caller's valid platform_device; the caller also vouches that a driver stays bound to it
    // while the reference is used, which as_device() passes on.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The embedded generic device, bound. */
  [[nodiscard]] const kcpp::Device<device::Bound>& as_device() const { return generic<device::Bound>(); }
  /**
   * @brief Requests and maps memory resource @p index whole, checked to
   * hold at least @p Size bytes (accesses below @p Size are checked at
   * compile time, the rest at run time); unmapped and released at unbind,
   * or when the `Devres` goes. `ENXIO` without such a resource, `EINVAL` if
   * it is smaller than @p Size, `EBUSY` if another driver holds the range.
   */
  template <usize Size>
  [[nodiscard]] Result<Devres<IoMem<Size>>> iomap_resource_sized(unsigned int index) const;
  /** @brief `iomap_resource_sized<0>()`: every access runtime-checked. */
  [[nodiscard]] Result<Devres<IoMem<0>>> iomap_resource(unsigned int index) const;
  /**
   * @brief Interrupt @p index (`platform_get_irq()`), to request a handler
   * on; `ENXIO` if there is none (the kernel logs it), `EPROBE_DEFER` if its
   * controller is not there yet.
   */
  [[nodiscard]] Result<irq::Request> irq(unsigned int index) const {
    return request_of(kcpp_platform_get_irq(as_raw(), index));
  }
  /** @brief As `irq()`, without the kernel's error line when there is none. */
  [[nodiscard]] Result<irq::Request> irq_optional(unsigned int index) const {
    return request_of(kcpp_platform_get_irq_optional(as_raw(), index));
  }
  /** @brief How many interrupts the device has (`platform_irq_count()`). */
  [[nodiscard]] Result<unsigned int> irq_count() const {
    const int n = kcpp_platform_irq_count(as_raw());
    if (n < 0)
      return Error::from_errno(n);
    return static_cast<unsigned int>(n);
  }
  /** @brief The driver's data (see `kcpp::Device<Bound>::drvdata()`). */
  template <typename T>
  [[nodiscard]] Result<T*> drvdata() const {
    return as_device().template drvdata<T>();
  }
  /// @cond KCPP_INTERNAL
  static void dec_ref(Device*) = delete;  // ARef exists for Device<Normal> only
                                          /// @endcond

 protected:
  Device() = default;
  ~Device() = default;

 private:
  Result<irq::Request> request_of(int irq) const {
    if (irq < 0)
      return Error::from_errno(irq);
    if (irq == 0)
      return code::EINVAL;  // platform_get_irq() never gives 0; a 0 here is a bug upstream
    // SAFETY: the platform core gave this line as the device's own resource; it stays the
    // device's while the device is bound, and handlers are freed at unbind (devres).
    return irq::Request::unsafe_new(as_device(), static_cast<unsigned int>(irq));
  }
};

/**
 * @brief A platform device inside a bus callback.
 *
 * @par Invariants
 * As for `Device<Bound>`, and the reference is used only inside the bus's
 * probe or remove callback for this device, under the device lock.
 */
template <>
class Device<device::Core> : public Device<device::Bound> {
 public:
  /**
   * @brief The device behind @p raw, in a bus callback.
   *
   * @par Safety
   * @p raw is a valid device and the caller is a bus callback (probe,
   * remove) that holds the device lock while the reference is used.
   */
  static const Device& unsafe_from_raw(const ::platform_device* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid
    // platform_device; the caller vouches that it runs in a bus callback under the device lock.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The embedded generic device, in the core context. */
  [[nodiscard]] const kcpp::Device<device::Core>& as_device() const { return generic<device::Core>(); }

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief The core context as kcpp's adapter sees it.
 *
 * @par Invariants
 * As for `Device<Core>`, reached only by kcpp's bus adapter, which alone
 * stores and takes back the driver data.
 */
template <>
class Device<device::CoreInternal> : public Device<device::Core> {
 public:
  /**
   * @brief The device behind @p raw, for kcpp's bus code.
   *
   * @par Safety
   * As for Core: @p raw is the device of a probe or remove callback that
   * kcpp's bus adapter is running, with the device lock held.
   */
  static const Device& unsafe_from_raw(const ::platform_device* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid
    // platform_device; only kcpp's platform adapter calls it, from probe and remove.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The embedded generic device, in the internal core context. */
  [[nodiscard]] const kcpp::Device<device::CoreInternal>& as_device() const {
    return generic<device::CoreInternal>();
  }

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief A requested and mapped memory resource of a platform device: the
 * `io::Mmio<Size>` accessors over all of it. Lives in a `Devres` (see
 * `Device<Bound>::iomap_resource_sized()`).
 *
 * @par Invariants
 * The range `[start(), start() + maxsize())` is requested and mapped at
 * `addr()`, at least @p Size bytes; the destructor unmaps and releases it
 * exactly once. `pdev_` counts the device. Neither copyable nor movable.
 */
template <usize Size>
class IoMem : public io::Mmio<Size> {
 public:
  IoMem(const IoMem&) = delete;
  IoMem& operator=(const IoMem&) = delete;
  /** @brief Unmaps and releases the range. */
  ~IoMem() { kcpp_platform_iounmap(this->addr(), start_, this->maxsize()); }
  /** @brief The physical address of the first byte. */
  [[nodiscard]] u64 start() const { return start_; }

 private:
  friend class Device<device::Bound>;
  IoMem(const Device<>& pdev, void* addr, const ::kcpp_resource_desc& r)
      : io::Mmio<Size>(addr, static_cast<usize>(r.size)), pdev_(pdev.get()), start_(r.start) {}
  ARef<Device<>> pdev_;
  u64 start_;
};

template <usize Size>
Result<Devres<IoMem<Size>>> Device<device::Bound>::iomap_resource_sized(unsigned int index) const {
  auto init = init::from_fn<IoMem<Size>>([this, index](IoMem<Size>* slot) -> Result<void> {
    ::kcpp_resource_desc r{};
    KCPP_TRY(to_result(kcpp_platform_resource(as_raw(), KCPP_IORESOURCE_MEM, index, &r)));
    if (r.size < Size) {
      KCPP_DEV_ERR(as_device(), "memory resource %u has %llu bytes, the driver needs %zu\n", index, r.size,
                   Size);
      return code::EINVAL;
    }
    int err = 0;
    void* addr = kcpp_platform_ioremap(as_raw(), index, nullptr, &r, &err);
    if (!addr)
      return Error::from_errno(err);
    new (slot) IoMem<Size>(*this, addr, r);
    return {};
  });
  // GFP_KERNEL: ioremap() allocates the same way; the mapping's state lives
  // on the device's node, as its driver data does.
  return Devres<IoMem<Size>>::make(as_device(), std::move(init), GFP_KERNEL, as_device().numa_node());
}

inline Result<Devres<IoMem<0>>> Device<device::Bound>::iomap_resource(unsigned int index) const {
  return iomap_resource_sized<0>(index);
}

}  // namespace kcpp::platform

#endif  // KCPP_PLATFORM_DEVICE_H

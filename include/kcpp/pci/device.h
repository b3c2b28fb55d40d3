/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/pci/device.h
 * @brief `pci::Device<Ctx>`: a PCI device in the four context type states,
 * with what each state allows (identity and resources; BAR mappings,
 * config space and interrupt vectors once bound; enabling, bus mastering
 * and DMA masks in bus callbacks).
 *
 * Part of `kcpp/pci.h`, which includes every part and opens with the tour
 * of the PCI API; include that header, not this one.
 *
 * Wraps `struct pci_dev` (`include/linux/pci.h`).
 */
#ifndef KCPP_PCI_DEVICE_H
#define KCPP_PCI_DEVICE_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/device.h>
#include <kcpp/devres.h>
#include <kcpp/io.h>
#include <kcpp/irq.h>
#include <kcpp/pci/id.h>
#include <kcpp/pci/irq.h>

namespace kcpp::pci {

/// @cond KCPP_INTERNAL
namespace detail {
inline u8* bytes(const ::pci_dev* p) {
  // SAFETY: p is a real pci_dev (the caller's view came from one); its bytes are reached as u8,
  // which may alias any object, and only read (field(), generic()): the const is not broken.
  return reinterpret_cast<u8*>(const_cast<::pci_dev*>(p));
}
template <typename T>
T field(const ::pci_dev* p, usize off) {
  T v;
  __builtin_memcpy(&v, bytes(p) + off, sizeof(T));
  return v;
}
}  // namespace detail
/// @endcond

template <device::Context Ctx = device::Normal>
class Device;
template <usize Size>
class Bar;
template <usize Size>
class ConfigSpace;

/**
 * @brief A PCI device with no guarantee beyond the reference: identity,
 * resource queries, reference counting.
 *
 * @par Invariants
 * Never constructed, copied or moved: a reference to it is a `struct pci_dev`
 * seen in place, kept alive by its holder while the reference is used, and
 * `as_device()` is the `struct device` embedded in it. `get()` and `find()`
 * hold a count on the device, not on its binding.
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
  static const Device& unsafe_from_raw(const ::pci_dev* raw) {
    // SAFETY: Device is an empty view class, never constructed (protected constructors,
    // copies deleted), standing for the struct pci_dev at raw, which the caller keeps valid
    // while the reference is used; it is only ever reached through such a cast.
    return *reinterpret_cast<const Device*>(raw);
  }
  /**
   * @brief The PCI device behind a generic device; `EINVAL` if it is not on
   * the PCI bus.
   */
  template <device::Context C>
  static Result<const Device<C>*> from_device(const kcpp::Device<C>& dev) {
    if (!kcpp_dev_is_pci(dev.as_raw()))
      return code::EINVAL;
    // SAFETY: dev_is_pci() said this struct device is the dev member of a struct pci_dev, so
    // stepping back by that member's offset (from the configured kernel) finds the pci_dev.
    const auto* p = reinterpret_cast<const u8*>(dev.as_raw()) - KCPP_OFFSETOF_pci_dev_dev;
    // SAFETY: p is that pci_dev, seen through the empty view class; it is the same device as
    // dev, so it is valid as long as dev and in the same context C.
    return reinterpret_cast<const Device<C>*>(p);
  }
  /**
   * @brief The first device with @p vendor and @p device IDs present in the
   * system (`pci_get_device()`), counted; `ENODEV` if there is none.
   */
  [[nodiscard]] static Result<ARef<Device>> find(Vendor vendor, u16 device) {
    ::pci_dev* p = kcpp_pci_get_device(vendor.value, device, nullptr);
    if (!p)
      return code::ENODEV;
    // SAFETY: pci_get_device() returned p with a reference for us.
    return ARef<Device>::unsafe_adopt(const_cast<Device*>(&unsafe_from_raw(p)));
  }
  /** @brief The C device. */
  [[nodiscard]] ::pci_dev* as_raw() const {
    // SAFETY: this came from unsafe_from_raw() or from_device() of a real pci_dev, so the cast
    // gives that pointer back; the const was the view's only: a pci_dev is never defined const.
    return reinterpret_cast<::pci_dev*>(const_cast<Device*>(this));
  }
  /** @brief The embedded generic device. */
  [[nodiscard]] const kcpp::Device<>& as_device() const { return generic<device::Normal>(); }

  /** @brief The vendor ID. */
  [[nodiscard]] Vendor vendor_id() const {
    return {detail::field<u16>(as_raw(), KCPP_OFFSETOF_pci_dev_vendor)};
  }
  /** @brief The device ID. */
  [[nodiscard]] u16 device_id() const { return detail::field<u16>(as_raw(), KCPP_OFFSETOF_pci_dev_device); }
  /** @brief The subsystem vendor ID. */
  [[nodiscard]] u16 subsystem_vendor_id() const {
    return detail::field<u16>(as_raw(), KCPP_OFFSETOF_pci_dev_subsystem_vendor);
  }
  /** @brief The subsystem device ID. */
  [[nodiscard]] u16 subsystem_device_id() const {
    return detail::field<u16>(as_raw(), KCPP_OFFSETOF_pci_dev_subsystem_device);
  }
  /** @brief The revision ID. */
  [[nodiscard]] u8 revision_id() const { return detail::field<u8>(as_raw(), KCPP_OFFSETOF_pci_dev_revision); }
  /** @brief The bus number and device/function (`pci_dev_id()`: bus << 8 | devfn). */
  [[nodiscard]] u16 dev_id() const { return kcpp_pci_dev_id(as_raw()); }
  /** @brief The 24-bit class code. */
  [[nodiscard]] Class class_code() const {
    return {detail::field<u32>(as_raw(), KCPP_OFFSETOF_pci_dev_class) & 0xffffff};
  }
  /** @brief Start of resource @p bar (`EINVAL` for a bad index). */
  [[nodiscard]] Result<u64> resource_start(int bar) const {
    if (bar < 0 || bar >= KCPP_PCI_NUM_RESOURCES)
      return code::EINVAL;
    return kcpp_pci_resource_start(as_raw(), bar);
  }
  /** @brief Length of resource @p bar, 0 if unused (`EINVAL` for a bad index). */
  [[nodiscard]] Result<u64> resource_len(int bar) const {
    if (bar < 0 || bar >= KCPP_PCI_NUM_RESOURCES)
      return code::EINVAL;
    return kcpp_pci_resource_len(as_raw(), bar);
  }
  /** @brief `IORESOURCE_*` flags of resource @p bar (`EINVAL` for a bad index). */
  [[nodiscard]] Result<unsigned long> resource_flags(int bar) const {
    if (bar < 0 || bar >= KCPP_PCI_NUM_RESOURCES)
      return code::EINVAL;
    return kcpp_pci_resource_flags(as_raw(), bar);
  }
  /** @brief A counted reference (keeps the device, not its binding). */
  [[nodiscard]] ARef<Device> get() const { return ARef<Device>::from(*this); }

  /// @cond KCPP_INTERNAL
  void inc_ref() const { kcpp_pci_dev_get(as_raw()); }
  static void dec_ref(Device* d) { kcpp_pci_dev_put(d->as_raw()); }

  // Present in the weaker contexts only to say why a call does not compile.
  template <usize Size, typename T = void>
  Result<Devres<Bar<Size>>> iomap_region_sized(int, const char*) const {
    static_assert(dependent_false<T>,
                  "kcpp: iomap_region_sized() needs a pci::Device<Bound>: resources are tied to "
                  "a binding (call it from probe or with the bound device in hand)");
    return code::EINVAL;
  }
  template <typename T = void>
  void config_space() const {
    static_assert(dependent_false<T>, "kcpp: config_space() needs a pci::Device<Bound>");
  }
  template <typename T = void>
  Result<unsigned int> alloc_irq_vectors(unsigned int, unsigned int, IrqTypes) const {
    static_assert(dependent_false<T>, "kcpp: alloc_irq_vectors() needs a pci::Device<Bound>");
    return code::EINVAL;
  }
  template <typename T = void>
  Result<void> enable_device_mem() const {
    static_assert(dependent_false<T>,
                  "kcpp: enable_device_mem() needs a pci::Device<Core>: only bus callbacks "
                  "(probe) hold the device lock it needs");
    return code::EINVAL;
  }
  template <typename T = void>
  void set_master() const {
    static_assert(dependent_false<T>,
                  "kcpp: set_master() needs a pci::Device<Core>: only bus callbacks (probe) hold "
                  "the device lock it needs");
  }
  /// @endcond

 protected:
  Device() = default;
  ~Device() = default;
  /// @cond KCPP_INTERNAL
  template <device::Context C>
  const kcpp::Device<C>& generic() const {
    // SAFETY: the struct device embedded in this pci_dev (offset from the
    // configured kernel), in the same context as this reference.
    return kcpp::Device<C>::unsafe_from_raw(
        reinterpret_cast<const ::device*>(detail::bytes(as_raw()) + KCPP_OFFSETOF_pci_dev_dev));
  }
  /// @endcond
};

/**
 * @brief A PCI device whose driver stays bound while the reference lives:
 * BAR mappings, config space, interrupt vectors, driver data.
 *
 * @par Invariants
 * As for `Device<Normal>`, and a driver is bound for as long as the reference
 * is used. BAR mappings and interrupt vectors made through it belong to that
 * binding: devres releases them at unbind at the latest.
 */
template <>
class Device<device::Bound> : public Device<device::Normal> {
 public:
  /**
   * @brief The bound device behind @p raw.
   *
   * @par Safety
   * @p raw is a valid device, and a driver stays bound to it for as long as
   * the reference is used (a bus callback, or code the driver's binding
   * outlives).
   */
  static const Device& unsafe_from_raw(const ::pci_dev* raw) {
    // SAFETY: an empty, never constructed view like its base (no members added), over the
    // caller's valid pci_dev; the caller also vouches that a driver stays bound to it while
    // the reference is used, which as_device() passes on.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The embedded generic device, bound. */
  [[nodiscard]] const kcpp::Device<device::Bound>& as_device() const { return generic<device::Bound>(); }

  /**
   * @brief Requests and maps BAR @p bar, whose first @p Size bytes are then
   * accessible with compile-time-checked offsets (the whole BAR with
   * `try_` accessors). Unmapped and released at unbind, or when the handle
   * goes first. `EINVAL` for a bad index, a BAR that is not memory or is
   * smaller than @p Size; `EBUSY` if another driver holds the region.
   */
  template <usize Size>
  [[nodiscard]] Result<Devres<Bar<Size>>> iomap_region_sized(int bar, const char* name) const;
  /** @brief `iomap_region_sized<0>()`: every access runtime-checked. */
  [[nodiscard]] Result<Devres<Bar<0>>> iomap_region(int bar, const char* name) const;

  /** @brief The standard 256-byte configuration space. */
  [[nodiscard]] ConfigSpace<KCPP_PCI_CFG_SPACE_SIZE> config_space() const;
  /** @brief The 4 KiB extended configuration space (`EINVAL` if the device has none). */
  [[nodiscard]] Result<ConfigSpace<KCPP_PCI_CFG_SPACE_EXP_SIZE>> config_space_extended() const;

  /**
   * @brief Allocates between @p min and @p max interrupt vectors of the
   * given @p types; returns how many. Freed at unbind.
   */
  [[nodiscard]] Result<unsigned int> alloc_irq_vectors(unsigned int min, unsigned int max,
                                                       IrqTypes types) const {
    int n = kcpp_pci_alloc_irq_vectors(as_raw(), min, max, types.raw());
    if (n < 0)
      return Error::from_errno(n);
    auto free = [](void* p) { kcpp_pci_free_irq_vectors(static_cast<::pci_dev*>(p)); };
    // GFP_KERNEL: pci_alloc_irq_vectors() has just allocated the same way.
    Result<void> r =
        to_result(kcpp_devres_add(as_device().as_raw(), free, as_raw(), KCPP_GFP_KERNEL, KCPP_NUMA_NO_NODE));
    if (r.is_err()) {
      free(as_raw());
      return r.error();
    }
    return static_cast<unsigned int>(n);
  }
  /** @brief The interrupt line of vector @p v, to request a handler on. */
  [[nodiscard]] Result<irq::Request> irq_request(IrqVector v) const {
    int irq = kcpp_pci_irq_vector(as_raw(), v.index);
    if (irq < 0)
      return Error::from_errno(irq);
    // SAFETY: pci_irq_vector() gave this device's vector; vectors are freed
    // at unbind, after the handlers (devres order).
    return irq::Request::unsafe_new(as_device(), static_cast<unsigned int>(irq));
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
};

/**
 * @brief A PCI device inside a bus callback (probe, remove).
 *
 * @par Invariants
 * As for `Device<Bound>`, and the reference is used only inside the PCI
 * core's probe or remove callback for this device, under the device lock.
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
  static const Device& unsafe_from_raw(const ::pci_dev* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid
    // pci_dev; the caller vouches that it runs in a bus callback under the device lock.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The embedded generic device, in the core context. */
  [[nodiscard]] const kcpp::Device<device::Core>& as_device() const { return generic<device::Core>(); }
  /**
   * @brief Enables the device's memory decoding (`pci_enable_device_mem()`);
   * it is disabled again at unbind.
   */
  [[nodiscard]] Result<void> enable_device_mem() const {
    KCPP_TRY(to_result(kcpp_pci_enable_device_mem(as_raw())));
    auto disable = [](void* p) { kcpp_pci_disable_device(static_cast<::pci_dev*>(p)); };
    // GFP_KERNEL: probe runs in process context, and enabling may sleep.
    Result<void> r = to_result(
        kcpp_devres_add(as_device().as_raw(), disable, as_raw(), KCPP_GFP_KERNEL, KCPP_NUMA_NO_NODE));
    if (r.is_err())
      disable(as_raw());
    return r;
  }
  /** @brief Enables bus mastering (DMA) (`pci_set_master()`). */
  void set_master() const { kcpp_pci_set_master(as_raw()); }
  /** @brief Disables bus mastering (`pci_clear_master()`). */
  void clear_master() const { kcpp_pci_clear_master(as_raw()); }

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief The core context as kcpp's adapter sees it.
 *
 * @par Invariants
 * As for `Device<Core>`, reached only by kcpp's bus adapter (`as_device()`
 * gives the generic device in which it keeps the driver data).
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
  static const Device& unsafe_from_raw(const ::pci_dev* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid
    // pci_dev; only driver::Adapter calls it, from probe and remove, under the device lock.
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

}  // namespace kcpp::pci

#endif  // KCPP_PCI_DEVICE_H

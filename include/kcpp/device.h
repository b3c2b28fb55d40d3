/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/device.h
 * @brief `Device<Ctx>`: a `struct device` seen through a context type state.
 *
 * Wraps `include/linux/device.h`. A `Device<Ctx>` is never constructed: it
 * is the kernel's `struct device` seen through a reference, and the context
 * says what the holder of that reference is allowed to do:
 *
 * | Context        | Who holds it                          | What it unlocks |
 * |----------------|---------------------------------------|-----------------|
 * | `Normal`       | anyone, also long-term as `ARef`      | identity, printing, refcounting |
 * | `Bound`        | code running while a driver is bound   | device-managed resources, driver data |
 * | `Core`         | bus callbacks (probe, remove), device lock held | enabling, bus mastering, DMA masks |
 * | `CoreInternal` | bus adapters of kcpp only              | storing and taking back driver data |
 *
 * The contexts derive from one another (`CoreInternal` → `Core` → `Bound` →
 * `Normal`), so a reference converts toward `Normal` implicitly and never
 * the other way. Only `Device<Normal>` is reference counted: an owned
 * reference (`ARef`) cannot claim the guarantees of a scope.
 *
 * @par Examples
 * Any context converts to a weaker one, never the other way.
 * @code{.cpp}
 * using kcpp::Device;
 * using kcpp::device::Bound;
 * using kcpp::device::Core;
 * static_assert(kcpp::is_convertible_v<const Device<Core>&, const Device<Bound>&>);
 * static_assert(kcpp::is_convertible_v<const Device<Bound>&, const Device<>&>);
 * static_assert(!kcpp::is_convertible_v<const Device<>&, const Device<Bound>&>);
 * static_assert(!kcpp::is_convertible_v<const Device<Bound>&, const Device<Core>&>);
 * using kcpp::device::CoreInternal;
 * using kcpp::device::Normal;
 * static_assert(kcpp::is_convertible_v<const Device<CoreInternal>&, const Device<Core>&>);
 * static_assert(kcpp::same_as<Device<>, Device<Normal>>);
 * static_assert(kcpp::device::Context<CoreInternal> && !kcpp::device::Context<int>);
 * // Any device says which NUMA node it is close to, if the firmware named one.
 * auto testdev = KCPP_TRY(kcpp::pci::Device<>::find(kcpp::pci::Vendor::REDHAT, 0x0005));
 * const kcpp::NumaNode near = testdev->as_device().numa_node();
 * KCPP_ASSERT(near.is_any() || near.is_online());
 * @endcode
 *
 * Only the `Normal` context is reference counted:
 * @code{.cpp compile_fail}
 * // compile_fail: ARef<T> needs T to be AlwaysRefCounted
 * using Bound = kcpp::Device<kcpp::device::Bound>;
 * auto keep = [](const Bound& dev) { return kcpp::ARef<Bound>::from(dev); };
 * @endcode
 *
 * A reference of the `Normal` context does not give access to driver data:
 * @code{.cpp compile_fail}
 * // compile_fail: drvdata() needs a Device<Bound>
 * auto f = [](const kcpp::Device<>& dev) { return dev.drvdata<int>(); };
 * @endcode
 *
 * Nor to its parent: `device_del()` drops the reference a device holds on
 * its parent, so a counted reference to a deleted device would hand out a
 * dangling one. A bound device is not deleted.
 * @code{.cpp compile_fail}
 * // compile_fail: parent() needs a Device<Bound>
 * auto f = [](const kcpp::Device<>& dev) { return dev.parent(); };
 * @endcode
 */
#ifndef KCPP_DEVICE_H
#define KCPP_DEVICE_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/alloc/numa.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/print.h>
#include <kcpp/sync/aref.h>

namespace kcpp {

/** @brief The device contexts (type states) of `Device<Ctx>`. */
namespace device {
/** @brief No guarantee beyond a valid reference; the only refcounted context. */
struct Normal {};
/** @brief A driver is bound for as long as the reference lives. */
struct Bound {};
/** @brief Inside a bus callback with the device lock held (probe, remove). */
struct Core {};
/** @brief Like `Core`, for kcpp's bus adapters only. */
struct CoreInternal {};

/** @brief One of the four contexts; drivers cannot invent others. */
template <typename C>
concept Context = same_as<C, Normal> || same_as<C, Bound> || same_as<C, Core> || same_as<C, CoreInternal>;

/// @cond KCPP_INTERNAL
namespace detail {
// One address per driver-data type, the type check of drvdata<T>() (no RTTI).
template <typename T>
struct TypeTag {
  static constexpr char ID = 0;
};
// The driver data a bus adapter stores: the type tag, then the object.
template <typename T>
struct DriverData {
  const void* tag = &TypeTag<T>::ID;
  T value;
  template <typename... A>
  explicit DriverData(A&&... a) : value(std::forward<A>(a)...) {}
};
}  // namespace detail
/// @endcond
}  // namespace device

template <device::Context Ctx = device::Normal>
class Device;

/**
 * @brief A device with no guarantee beyond its reference: identity,
 * printing, its parent, reference counting.
 *
 * @par Invariants
 * Never constructed, copied or moved: a reference to it is a `struct device`
 * seen in place, which its holder keeps alive for as long as the reference is
 * used. `get()` pins the device's memory with a count, not its binding.
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
   * @p raw is a valid `struct device` for as long as the reference is used.
   */
  static const Device& unsafe_from_raw(const ::device* raw) {
    // SAFETY: Device is an empty view class that is never constructed (its constructors are
    // protected, copies deleted); it stands for the struct device at raw, which the caller
    // keeps valid while the reference is used; it is only ever reached through such a cast.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The C device, for the bindings. */
  [[nodiscard]] ::device* as_raw() const {
    // SAFETY: this came from unsafe_from_raw() of a real struct device, so the cast gives that
    // pointer back; the const was the view's only: the kernel never defines a device const.
    return reinterpret_cast<::device*>(const_cast<Device*>(this));
  }
  /** @brief `dev_name()`: the device's name on its bus ("0000:00:03.0"). */
  [[nodiscard]] const char* name() const { return kcpp_dev_name(as_raw()); }
  /**
   * @brief The NUMA node the device is closest to (`dev_to_node()`), or
   * any() where the firmware named none.
   */
  [[nodiscard]] NumaNode numa_node() const {
    const int id = kcpp_dev_to_node(as_raw());
    return id < 0 ? NumaNode::any() : NumaNode::make(id).value_or(NumaNode::any());
  }
  /** @brief Whether a driver is bound now (a snapshot; no guarantee after). */
  [[nodiscard]] bool is_bound() const { return kcpp_dev_is_bound(as_raw()); }
  /** @brief A counted reference that keeps the device (not its binding) alive. */
  [[nodiscard]] ARef<Device> get() const { return ARef<Device>::from(*this); }

  /// @cond KCPP_INTERNAL
  void inc_ref() const { kcpp_get_device(as_raw()); }
  static void dec_ref(Device* d) { kcpp_put_device(d->as_raw()); }
  /// @endcond

  /// @cond KCPP_INTERNAL
  // Present in the weaker contexts only to say why the call does not compile.
  template <typename T>
  Result<T*> drvdata() const {
    static_assert(dependent_false<T>,
                  "kcpp: drvdata() needs a Device<Bound>: driver data exists only while a driver "
                  "is bound (use it in a driver callback)");
    return code::EINVAL;
  }
  template <typename T = void>
  const Device* parent() const {
    static_assert(dependent_false<T>,
                  "kcpp: parent() needs a Device<Bound>: a device holds its parent only until it "
                  "is deleted, and only a bound device is sure not to be");
    return nullptr;
  }
  /// @endcond

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief A device whose driver stays bound while this reference lives:
 * device-managed resources and the driver's data are available.
 *
 * @par Invariants
 * As for `Device<Normal>`, and a driver is bound to the device for as long as
 * the reference is used: the binding's devres actions have not run and the
 * device has not been deleted, so it still holds its parent.
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
  static const Device& unsafe_from_raw(const ::device* raw) {
    // SAFETY: an empty, never constructed view like its base (no members added), over the
    // caller's valid struct device; the caller also vouches that a driver stays bound while
    // the reference is used, which is what this context claims.
    return *reinterpret_cast<const Device*>(raw);
  }
  /**
   * @brief The parent device, if any (borrowed, not counted): a device
   * holds a reference on its parent until `device_del()`, which unbinds
   * it first.
   */
  [[nodiscard]] const Device<device::Normal>* parent() const {
    const ::device* p = kcpp_dev_parent(as_raw());
    // SAFETY: this device is bound, so not yet deleted, and holds a reference on its parent.
    return p ? &Device<device::Normal>::unsafe_from_raw(p) : nullptr;
  }
  /**
   * @brief The data the driver's probe returned, as a `T`.
   *
   * `ENOENT` if there is none, `EINVAL` if it is not a `T`.
   */
  template <typename T>
  [[nodiscard]] Result<T*> drvdata() const {
    auto* d = static_cast<device::detail::DriverData<T>*>(kcpp_dev_get_drvdata(as_raw()));
    if (!d)
      return code::ENOENT;
    if (d->tag != &device::detail::TypeTag<T>::ID)
      return code::EINVAL;
    return &d->value;
  }
  /// @cond KCPP_INTERNAL
  // A binding cannot be owned: ARef exists for Device<Normal> only.
  static void dec_ref(Device*) = delete;
  /// @endcond

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief Inside a bus callback, with the device lock held.
 *
 * @par Invariants
 * As for `Device<Bound>`, and the reference is used only inside the bus's
 * probe or remove callback for this device, which holds the device lock.
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
  static const Device& unsafe_from_raw(const ::device* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid struct
    // device; the caller vouches that it runs in a bus callback with the device lock held.
    return *reinterpret_cast<const Device*>(raw);
  }

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief `Core` plus the driver-data slot; for kcpp's bus adapters.
 *
 * @par Invariants
 * As for `Device<Core>`; only kcpp's bus adapter reaches this context, so the
 * driver-data slot is empty or holds the `DriverData` box of the bound kcpp
 * driver, stored at probe and taken back at remove.
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
  static const Device& unsafe_from_raw(const ::device* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid struct
    // device; only kcpp's bus code reaches it, for probe and remove, under the device lock.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief Stores @p data (from probe) in the device's driver-data slot. */
  template <typename T>
  void set_drvdata(KBox<device::detail::DriverData<T>> data) const {
    // SAFETY: the driver-data slot takes over the box's object; take_drvdata<T>() at remove
    // gives it back to a KBox of the same type, the only way this pointer is released.
    kcpp_dev_set_drvdata(as_raw(), std::move(data).into_raw());
  }
  /** @brief Takes the driver data back (at remove); empty if none. */
  template <typename T>
  [[nodiscard]] KBox<device::detail::DriverData<T>> take_drvdata() const {
    auto* d = static_cast<device::detail::DriverData<T>*>(kcpp_dev_get_drvdata(as_raw()));
    kcpp_dev_set_drvdata(as_raw(), nullptr);
    // SAFETY: only set_drvdata<T>() stores in this slot (CoreInternal is
    // the adapter's), from a KBox of the same type; the slot is now empty.
    return KBox<device::detail::DriverData<T>>::unsafe_from_raw(d);
  }

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief The generic device of @p dev: itself for a `Device`, the embedded
 * `struct device` for a bus device (anything with `as_device()`).
 */
template <device::Context C>
const Device<C>& to_device(const Device<C>& dev) {
  return dev;  // NOLINT(bugprone-return-const-ref-from-parameter): a device is never a temporary
}
/** @brief The embedded generic device of a bus device (its `as_device()`). */
template <typename D>
  requires requires(const D& d) { d.as_device(); }
decltype(auto) to_device(const D& dev) {
  return dev.as_device();
}

}  // namespace kcpp

/// @cond KCPP_INTERNAL
#define KCPP_DEV_PRINTK_(level, dev, fmt, ...) \
  ::_dev_printk(level, ::kcpp::to_device(dev).as_raw(), fmt, ##__VA_ARGS__)
/// @endcond
/** @brief `dev_err()`: logs at KERN_ERR, prefixed with the driver and device names. */
#define KCPP_DEV_ERR(dev, fmt, ...) KCPP_DEV_PRINTK_(KCPP_KERN_ERR, dev, fmt, ##__VA_ARGS__)
/** @brief `dev_warn()`. */
#define KCPP_DEV_WARN(dev, fmt, ...) KCPP_DEV_PRINTK_(KCPP_KERN_WARNING, dev, fmt, ##__VA_ARGS__)
/** @brief `dev_notice()`. */
#define KCPP_DEV_NOTICE(dev, fmt, ...) KCPP_DEV_PRINTK_(KCPP_KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
/** @brief `dev_info()`. */
#define KCPP_DEV_INFO(dev, fmt, ...) KCPP_DEV_PRINTK_(KCPP_KERN_INFO, dev, fmt, ##__VA_ARGS__)
/**
 * @brief `dev_dbg()`: a dynamic debug call site like `KCPP_PR_DEBUG` (see
 * kcpp/print.h), prefixed with the driver and device names.
 */
#if KCPP_CONFIG_DYNAMIC_DEBUG
#define KCPP_DEV_DBG(dev, fmt, ...)                                                                       \
  do {                                                                                                    \
    ::kcpp::detail::DynDebugSite* kcpp_site_ = KCPP_DYNDBG_SITE_(fmt);                                    \
    if (::kcpp::detail::dyndbg_enabled(*kcpp_site_)) [[unlikely]]                                         \
      /* SAFETY: DynDebugSite is struct _ddebug, checked in kcpp/print.h. */                              \
      ::__dynamic_dev_dbg(reinterpret_cast<::_ddebug*>(kcpp_site_), ::kcpp::to_device(dev).as_raw(), fmt, \
                          ##__VA_ARGS__);                                                                 \
  } while (0)
#elif defined(DEBUG)
#define KCPP_DEV_DBG(dev, fmt, ...) KCPP_DEV_PRINTK_(KCPP_KERN_DEBUG, dev, fmt, ##__VA_ARGS__)
#else
#define KCPP_DEV_DBG(dev, fmt, ...)                               \
  do {                                                            \
    if (false)                                                    \
      KCPP_DEV_PRINTK_(KCPP_KERN_DEBUG, dev, fmt, ##__VA_ARGS__); \
  } while (0)
#endif

#endif  // KCPP_DEVICE_H

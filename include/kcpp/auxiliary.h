/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/auxiliary.h
 * @brief The auxiliary bus: a parent driver registers devices, another
 * driver binds them.
 *
 * Wraps `include/linux/auxiliary_bus.h`. A device named `name` with id `n`,
 * registered by module `mod`, appears as `mod.name.n` and binds a driver
 * whose ID table has `DeviceId::make("mod", "name")`.
 *
 * `auxiliary::Registration` ties the device to the parent's binding: it is
 * removed when the handle is destroyed or when the parent unbinds,
 * whichever comes first. So a bound auxiliary device always has a bound
 * parent, and `Device<Bound>::parent()` returns one.
 *
 * @par Examples
 * examples/auxiliary registers two devices from a PCI driver and binds them
 * (tests/auxiliary_test.cpp checks they bound):
 * @code{.cpp no_run}
 * #include <kcpp/auxiliary.h>
 * class Child {
 *  public:
 *   using IdInfo = kcpp::pci::NoInfo;
 *   static constexpr const char* NAME = "child";
 *   static constexpr auto ID_TABLE = kcpp::auxiliary::id_table<IdInfo>({
 *       {kcpp::auxiliary::DeviceId::make("parent_mod", "child"), {}},
 *   });
 *   static kcpp::Result<Child> probe(const kcpp::auxiliary::Device<kcpp::device::Core>& adev,
 *                                    const IdInfo&) {
 *     KCPP_DEV_INFO(adev, "child %u of %s\n", adev.id(), adev.parent().name());
 *     return Child();
 *   }
 * };
 * @endcode
 *
 * Run: a parent bound to QEMU's pci-testdev registers one device, a driver
 * binds it and gets its table entry's data.
 * @code{.cpp}
 * #^ int bound_children = 0;
 * #^ struct Parent {
 * #^   using IdInfo = kcpp::pci::NoInfo;
 * #^   static constexpr const char* NAME = "kcpp_doc_aux_parent";
 * #^   static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
 * #^       {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
 * #^   });
 * #^   static kcpp::Result<Parent> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev,
 * #^                                     const IdInfo&) {
 * #^     return Parent{KCPP_TRY(kcpp::auxiliary::Registration::make(pdev, "doc", 7, kcpp::GFP_KERNEL))};
 * #^   }
 * #^   kcpp::auxiliary::Registration child;
 * #^ };
 * #^ struct Child {
 * #^   using IdInfo = kcpp::u32;
 * #^   static constexpr const char* NAME = "kcpp_doc_aux_child";
 * #^   static constexpr kcpp::auxiliary::IdTable<kcpp::u32, 1> ID_TABLE =
 * #^       kcpp::auxiliary::id_table<kcpp::u32>({kcpp::auxiliary::IdEntry<kcpp::u32>{
 * #^           kcpp::auxiliary::DeviceId::make(KBUILD_MODNAME, "doc"), 100}});
 * #^   static kcpp::Result<Child> probe(const kcpp::auxiliary::Device<kcpp::device::Core>& adev,
 * #^                                    const kcpp::u32& base) {
 * #^     bound_children++;
 * #^     return Child{base + adev.id()};
 * #^   }
 * #^   kcpp::u32 tag;
 * #^ };
 * static_assert(kcpp::auxiliary::Driver<Child>);
 * kcpp::auxiliary::RawDeviceId raw = Child::ID_TABLE.raw[0];
 * KCPP_ASSERT_EQ(__builtin_strcmp(raw.name, KBUILD_MODNAME ".doc"), 0);
 * {
 *   auto parent = KCPP_TRY(kcpp::pci::Registration<Parent>::make(kcpp::GFP_KERNEL));
 *   kcpp::auxiliary::DriverRegistration<Child> child =
 *       KCPP_TRY(kcpp::auxiliary::DriverRegistration<Child>::make(kcpp::GFP_KERNEL));
 *   KCPP_ASSERT_EQ(bound_children, 1);
 * }
 * @endcode
 *
 * A name that does not fit the C table does not compile:
 * @code{.cpp compile_fail}
 * // compile_fail: auxiliary_device_name_too_long
 * constexpr auto id = kcpp::auxiliary::DeviceId::make("a_rather_long_module", "and_long_name");
 * @endcode
 */
#ifndef KCPP_AUXILIARY_H
#define KCPP_AUXILIARY_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/macros.h>
#include <kcpp/device.h>
#include <kcpp/devres.h>
#include <kcpp/driver.h>
#include <kcpp/module.h>
#include <kcpp/pci.h>

#if !KCPP_CONFIG_AUXILIARY_BUS
#error "kcpp/auxiliary.h: the kernel is configured without CONFIG_AUXILIARY_BUS"
#endif

namespace kcpp::auxiliary {

/** @brief `struct auxiliary_device_id`, laid out by C++ (checked against C). */
struct RawDeviceId {
  char name[KCPP_AUXILIARY_NAME_SIZE];  ///< "<module>.<device name>".
  unsigned long driver_data;            ///< kcpp: the entry's index.
};
/// @cond KCPP_INTERNAL
static_assert(sizeof(RawDeviceId) == KCPP_SIZEOF_auxiliary_device_id);
static_assert(__builtin_offsetof(RawDeviceId, driver_data) == KCPP_OFFSETOF_auxiliary_device_id_driver_data);
namespace detail {
void auxiliary_device_name_too_long();
}  // namespace detail
/// @endcond

/** @brief What an auxiliary driver matches: `"<module>.<name>"`. */
class DeviceId {
 public:
  /** @brief Devices named @p name registered by module @p modname. */
  static consteval DeviceId make(const char* modname, const char* name) {
    DeviceId d{};
    usize n = 0;
    for (const char* p = modname; *p; ++p) d.push(n, *p);
    d.push(n, '.');
    for (const char* p = name; *p; ++p) d.push(n, *p);
    return d;
  }
  /** @brief The C form. */
  [[nodiscard]] constexpr RawDeviceId raw() const { return raw_; }

 private:
  constexpr DeviceId() : raw_{} {}
  constexpr void push(usize& n, char c) {
    if (n + 1 >= KCPP_AUXILIARY_NAME_SIZE)
      detail::auxiliary_device_name_too_long();
    raw_.name[n++] = c;
  }
  RawDeviceId raw_;
};

/** @brief An ID and the driver's data for it. */
template <typename Info>
using IdEntry = driver::IdEntry<DeviceId, Info>;

/** @brief A driver's ID table (see driver::IdTable). */
template <typename Info, usize N>
using IdTable = driver::IdTable<RawDeviceId, Info, N>;

/** @brief Builds an ID table at compile time. */
template <typename Info, usize N>
consteval IdTable<Info, N> id_table(const IdEntry<Info> (&entries)[N]) {
  return driver::make_id_table<RawDeviceId, Info>(entries);
}

template <device::Context Ctx = device::Normal>
class Device;

/**
 * @brief An auxiliary device: its name and id (the parent: in the Bound context).
 *
 * @par Invariants
 * Never constructed, copied or moved: a reference to it is a
 * `struct auxiliary_device` seen in place, kept alive by its holder while the
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
  static const Device& unsafe_from_raw(const ::auxiliary_device* raw) {
    // SAFETY: Device is an empty view class, never constructed (protected constructors,
    // copies deleted), standing for the struct auxiliary_device at raw, which the caller keeps
    // valid while the reference is used; it is only ever reached through such a cast.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The C device. */
  [[nodiscard]] ::auxiliary_device* as_raw() const {
    // SAFETY: this came from unsafe_from_raw() of a real auxiliary_device, so the cast gives
    // that pointer back; the const was the view's only: such a device is never defined const.
    return reinterpret_cast<::auxiliary_device*>(const_cast<Device*>(this));
  }
  /** @brief The embedded generic device. */
  [[nodiscard]] const kcpp::Device<>& as_device() const { return generic<device::Normal>(); }
  /** @brief The id given at registration. */
  [[nodiscard]] u32 id() const {
    u32 v;
    __builtin_memcpy(&v, bytes() + KCPP_OFFSETOF_auxiliary_device_id, sizeof(v));
    return v;
  }

 protected:
  Device() = default;
  ~Device() = default;
  /// @cond KCPP_INTERNAL
  const u8* bytes() const {
    // SAFETY: this is the address of a real struct auxiliary_device (see unsafe_from_raw());
    // its bytes are read as u8, which may alias any object, at offsets the kernel gives.
    return reinterpret_cast<const u8*>(this);
  }
  template <device::Context C>
  const kcpp::Device<C>& generic() const {
    // SAFETY: the struct device embedded in this auxiliary device, at the
    // offset the configured kernel gives; valid as long as this reference.
    return kcpp::Device<C>::unsafe_from_raw(
        reinterpret_cast<const ::device*>(bytes() + KCPP_OFFSETOF_auxiliary_device_dev));
  }
  /// @endcond
};

/**
 * @brief A bound auxiliary device: its parent is bound too.
 *
 * @par Invariants
 * As for `Device<Normal>`, and a driver is bound for as long as the reference
 * is used. A device added by an `auxiliary::Registration` is removed before
 * its parent's driver unbinds, so for such a device the parent is bound too.
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
  static const Device& unsafe_from_raw(const ::auxiliary_device* raw) {
    // SAFETY: an empty, never constructed view like its base (no members added), over the
    // caller's valid auxiliary_device; the caller also vouches that a driver stays bound to
    // it while the reference is used, which as_device() passes on.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The embedded generic device, bound. */
  [[nodiscard]] const kcpp::Device<device::Bound>& as_device() const { return generic<device::Bound>(); }
  /**
   * @brief The parent, bound: a `Registration` removes its devices before
   * the parent's driver unbinds.
   */
  [[nodiscard]] const kcpp::Device<device::Bound>& parent() const {
    // SAFETY: a Registration removes its device before the parent unbinds
    // (devres of the parent), so while this device is bound its parent is.
    return kcpp::Device<device::Bound>::unsafe_from_raw(as_device().parent()->as_raw());
  }
  /** @brief The driver's data. */
  template <typename T>
  [[nodiscard]] Result<T*> drvdata() const {
    return as_device().template drvdata<T>();
  }

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief An auxiliary device inside a bus callback.
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
  static const Device& unsafe_from_raw(const ::auxiliary_device* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid
    // auxiliary_device; the caller vouches that it runs in a bus callback under the device lock.
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
  static const Device& unsafe_from_raw(const ::auxiliary_device* raw) {
    // SAFETY: an empty, never constructed view like its bases, over the caller's valid
    // auxiliary_device; only driver::Adapter calls it, from probe and remove, under the lock.
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

/// @cond KCPP_INTERNAL
namespace detail {
// A registered auxiliary device; removing it is its destruction.
class Added {
 public:
  explicit Added(::auxiliary_device* adev) : adev(adev) {}
  Added(Added&& o) noexcept : adev(exchange(o.adev, nullptr)) {}
  Added(const Added&) = delete;
  ~Added() {
    if (adev)
      kcpp_auxiliary_device_remove(adev);
  }
  ::auxiliary_device* adev;
};
}  // namespace detail
/// @endcond

/**
 * @brief An auxiliary device registered under a bound parent; removed when
 * destroyed or when the parent unbinds.
 *
 * @par Invariants
 * `added_` is a `Devres` of the parent's binding that owns the added device:
 * the device stays registered until this handle goes or the parent unbinds,
 * whichever is first, and is deleted and released exactly once.
 */
class Registration {
 public:
  /**
   * @brief Registers `modname.name.id` under @p parent. @p name and
   * @p modname must be string literals (or otherwise outlive the device).
   * The device and its devres records are allocated with @p gfp, on the
   * parent's NUMA node; the driver core's allocate with GFP_KERNEL. Adding
   * a device sleeps, so process context only, and flags that may not sleep
   * are refused with `EINVAL`.
   */
  template <typename P>
  [[nodiscard]] static Result<Registration> make(const P& parent, const char* name, u32 id, Gfp gfp,
                                                 const char* modname = KBUILD_MODNAME) {
    if (!gfp.may_sleep())
      return code::EINVAL;
    const kcpp::Device<device::Bound>& p = to_device(parent);
    int err = 0;
    ::auxiliary_device* adev = kcpp_auxiliary_device_add(p.as_raw(), modname, name, id, gfp.as_raw(), &err);
    if (!adev)
      return Error::from_errno(err);
    return Registration(KCPP_TRY(Devres<detail::Added>::make(p, detail::Added(adev), gfp, p.numa_node())));
  }
  /** @brief Whether the parent's unbind already removed the device. */
  [[nodiscard]] bool is_removed() const { return added_.is_revoked(); }

 private:
  explicit Registration(Devres<detail::Added> a) : added_(std::move(a)) {}
  Devres<detail::Added> added_;
};

/** @brief What kcpp requires of an auxiliary driver class (see pci::Driver). */
template <typename T>
concept Driver = requires {
  typename T::IdInfo;
  { T::NAME } -> convertible_to<const char*>;
  { T::ID_TABLE.raw[0] } -> convertible_to<RawDeviceId>;
  { T::ID_TABLE.info[0] } -> convertible_to<const typename T::IdInfo&>;
} && requires(const Device<device::Core>& dev, const typename T::IdInfo& info) { T::probe(dev, info); };

/// @cond KCPP_INTERNAL
namespace detail {
// The auxiliary-bus side of driver::Registration.
struct Bus {
  using Handle = ::kcpp_auxiliary_driver;
  template <typename T>
  static Handle* add(const char* name, const char* modname, Gfp gfp, int* err) {
    using A = driver::Adapter<T, Device, RawDeviceId>;
    constexpr driver::detail::AttributeTable attrs = driver::detail::attributes_of<T>();
    return kcpp_auxiliary_driver_register(
        name, modname, T::ID_TABLE.raw, &A::template probe<::auxiliary_device>,
        &A::template remove<::auxiliary_device>, attrs.descs, attrs.count, gfp.as_raw(), err);
  }
  static void remove(Handle* h) { kcpp_auxiliary_driver_unregister(h); }
};
}  // namespace detail
/// @endcond

/** @brief The registration of auxiliary driver @p T; unregisters on destruction. */
template <Driver T>
using DriverRegistration = driver::Registration<detail::Bus, T>;

}  // namespace kcpp::auxiliary

/** @brief Declares @p T's ID table for module autoloading. */
#define KCPP_AUXILIARY_MODULE_DEVICE_TABLE(T) \
  KCPP_MODULE_DEVICE_TABLE_(auxiliary, T, KCPP_UNIQUE_ID(kcpp_aux_ids_))

/**
 * @brief A module whose only job is to register auxiliary driver @p T
 * (`module_auxiliary_driver()`), with its device table.
 */
#define KCPP_AUXILIARY_DRIVER_MODULE(T)                         \
  KCPP_DRIVER_MODULE_(::kcpp::auxiliary::DriverRegistration<T>) \
  KCPP_AUXILIARY_MODULE_DEVICE_TABLE(T)

#endif  // KCPP_AUXILIARY_H

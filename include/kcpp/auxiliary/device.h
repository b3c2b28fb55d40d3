/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/auxiliary/device.h
 * @brief An auxiliary device in its context type states: identity, the
 * bound parent, the driver's data.
 *
 * Part of `kcpp/auxiliary.h`, which includes every part and opens with the
 * tour of the auxiliary bus API; include that header, not this one.
 *
 * Wraps `struct auxiliary_device` of `include/linux/auxiliary_bus.h`.
 */
#ifndef KCPP_AUXILIARY_DEVICE_H
#define KCPP_AUXILIARY_DEVICE_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/device.h>

namespace kcpp::auxiliary {

/**
 * @brief Data a parent hands the driver of its auxiliary device, which may
 * be in another module: a plain struct of both modules' shared header,
 * with a versioned name, `static constexpr const char* SHARED_NAME`. The
 * driver gets a copy back only under that name, size and alignment, so two
 * modules built from different versions of the header refuse each other
 * (`EINVAL`) rather than misread it.
 */
template <typename D>
concept SharedData = __is_trivially_copyable(D) && __is_standard_layout(D) && requires {
  { D::SHARED_NAME } -> convertible_to<const char*>;
};

/// @cond KCPP_INTERNAL
namespace detail {
// What the auxiliary device's platform_data points at: kcpp's mark and
// the version of this layout, the name, size and alignment of the data's
// type, then the data. A driver reads nothing past the mark and version
// unless both are kcpp's and this version.
struct SharedHeader {
  static constexpr u32 MAGIC = 0x6b635364;  // "kcSd"
  static constexpr u32 ABI = 1;
  u32 magic;
  u32 abi;
  const char* name;  // the parent module's: it cannot unload while its device exists
  usize size;
  usize align;
};
template <typename D>
struct Shared {
  SharedHeader header;
  D value;
};
}  // namespace detail
/// @endcond

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
  /**
   * @brief A copy of the data the parent registered the device with
   * (`Registration::make_with_data()`). `ENOENT` if it has none, `EINVAL`
   * if it was registered with another type (another name, size or
   * alignment) or by a kcpp of another layout. For devices whose parent
   * registered them through kcpp: another parent's `platform_data` is read
   * as far as kcpp's mark, and refused there.
   */
  template <SharedData D>
  [[nodiscard]] Result<D> shared_data() const {
    const void* p = kcpp_auxiliary_device_data(as_raw());
    if (!p)
      return code::ENOENT;
    // SAFETY: a kcpp parent's data is a detail::Shared<X> for some X, whose header is its first
    // member; the mark and version, read first, tell whether it is (the parent's module owns
    // the data while the device is registered, as it is while bound).
    const auto* header = static_cast<const detail::SharedHeader*>(p);
    if (header->magic != detail::SharedHeader::MAGIC || header->abi != detail::SharedHeader::ABI)
      return code::EINVAL;
    if (header->size != sizeof(D) || header->align != alignof(D) ||
        __builtin_strcmp(header->name, D::SHARED_NAME) != 0)
      return code::EINVAL;
    // SAFETY: the name, size and alignment are D's: the data is a detail::Shared<D>, alive while
    // the device is bound; the caller gets a copy, which outlives the binding safely.
    return static_cast<const detail::Shared<D>*>(p)->value;
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

}  // namespace kcpp::auxiliary

#endif  // KCPP_AUXILIARY_DEVICE_H

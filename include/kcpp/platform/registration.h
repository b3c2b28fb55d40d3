/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/platform/registration.h
 * @brief Registering platform devices: `platform::DeviceRegistration`, a
 * device with its name, instance id and resources that lives as long as the
 * object, and `platform::ChildRegistration`, one under a bound parent that
 * goes at the latest when the parent unbinds.
 *
 * Part of `kcpp/platform.h`, which includes every part and opens with the
 * tour of the platform bus API; include that header, not this one.
 *
 * Wraps `platform_device_register_full()` and `platform_device_unregister()`.
 */
#ifndef KCPP_PLATFORM_REGISTRATION_H
#define KCPP_PLATFORM_REGISTRATION_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/span.h>
#include <kcpp/core/utility.h>
#include <kcpp/devres.h>
#include <kcpp/platform/device.h>

namespace kcpp::platform {

/** @brief The instance id of a device that is the only one of its name (`PLATFORM_DEVID_NONE`). */
inline constexpr int NO_ID = KCPP_PLATFORM_DEVID_NONE;
/** @brief An instance id the platform core picks (`PLATFORM_DEVID_AUTO`). */
inline constexpr int AUTO_ID = KCPP_PLATFORM_DEVID_AUTO;

/// @cond KCPP_INTERNAL
namespace detail {
// A registered platform device; unregistering it is its destruction.
class Registered {
 public:
  explicit Registered(::platform_device* p) : pdev(p) {}
  Registered(Registered&& o) noexcept : pdev(exchange(o.pdev, nullptr)) {}
  Registered(const Registered&) = delete;
  Registered& operator=(const Registered&) = delete;
  Registered& operator=(Registered&&) = delete;
  ~Registered() {
    if (pdev)
      kcpp_platform_device_unregister(pdev);
  }
  ::platform_device* pdev;
};

// Registers the device (parent may be null); the resources are copied.
inline Result<Registered> register_device(::device* parent, const char* name, int id,
                                          Span<const Resource> resources) {
  if (id < 0 && id != NO_ID && id != AUTO_ID)
    return code::EINVAL;
  static_assert(sizeof(Resource) == sizeof(::kcpp_resource_desc) &&
                alignof(Resource) == alignof(::kcpp_resource_desc));
  int err = 0;
  ::platform_device* p = kcpp_platform_device_register(
      parent, name, id,
      // SAFETY: Resource is a standard-layout class whose only member is a kcpp_resource_desc
      // (sizes checked above), so an array of one is an array of the other; the shim only
      // reads it, during the call.
      reinterpret_cast<const ::kcpp_resource_desc*>(resources.data()),
      static_cast<unsigned int>(resources.size()), &err);
  if (!p)
    return Error::from_errno(err);
  return Registered(p);
}
}  // namespace detail
/// @endcond

/**
 * @brief A platform device registered with the bus by its owner (a module,
 * a test): drivers whose tables match it bind while it lives; destroying it
 * unbinds and unregisters it. Code that no firmware (ACPI, device tree)
 * describes a device for describes its own this way; a driver that splits
 * its device into platform devices uses `ChildRegistration`.
 *
 * @par Invariants
 * Unless moved from, `reg_` holds a platform device this object registered;
 * only the destructor unregisters it, once.
 */
class DeviceRegistration {
 public:
  /**
   * @brief Registers device @p name with instance id @p id (`NO_ID`,
   * `AUTO_ID` or a number from 0) and copies of @p resources. The names of
   * the device and of its resources must outlive it (string literals do).
   * The driver core allocates with GFP_KERNEL, so process context only.
   * `EINVAL` for an empty resource, one that wraps around, or a bad id;
   * `EBUSY` if a memory or I/O range conflicts with one in use; `EEXIST` if
   * the name and id are taken (the driver core then logs a stack trace: pick
   * `AUTO_ID` where several may exist).
   */
  [[nodiscard]] static Result<DeviceRegistration> make(const char* name, int id,
                                                       Span<const Resource> resources = {}) {
    return DeviceRegistration(KCPP_TRY(detail::register_device(nullptr, name, id, resources)));
  }
  /** @brief The device (registered while this object lives). */
  [[nodiscard]] const Device<>& device() const {
    // SAFETY: reg_ holds the registration's reference on the device, which stays valid while
    // this object lives; the reference returned is tied to this object's lifetime.
    return Device<>::unsafe_from_raw(reg_.pdev);
  }

 private:
  explicit DeviceRegistration(detail::Registered r) : reg_(std::move(r)) {}
  detail::Registered reg_;
};

/**
 * @brief A platform device registered as a child of a bound device (a PCI
 * function whose BAR holds several blocks, each with a platform driver of
 * its own): unregistered when this object goes, or when the parent's driver
 * unbinds, whichever comes first.
 *
 * @par Invariants
 * `reg_` holds a platform device registered under the parent that `make()`
 * got, until the parent's unbind revokes it or this object is destroyed.
 */
class ChildRegistration {
 public:
  /**
   * @brief Registers device @p name, instance @p id, with copies of
   * @p resources, under @p parent (a bound device or a bus device in a
   * bound context); otherwise as `DeviceRegistration::make()`. kcpp's devres
   * record is allocated with @p gfp, on the parent's node; flags that may
   * not sleep are refused with `EINVAL`.
   */
  template <typename P>
  [[nodiscard]] static Result<ChildRegistration> make(const P& parent, const char* name, int id,
                                                      Span<const Resource> resources, Gfp gfp) {
    if (!gfp.may_sleep())
      return code::EINVAL;
    const kcpp::Device<device::Bound>& p = to_device(parent);
    auto reg = KCPP_TRY(detail::register_device(p.as_raw(), name, id, resources));
    return ChildRegistration(
        KCPP_TRY(Devres<detail::Registered>::make(p, std::move(reg), gfp, p.numa_node())));
  }
  /** @brief Whether the parent's unbind already unregistered the device. */
  [[nodiscard]] bool is_removed() const { return reg_.is_revoked(); }
  /**
   * @brief Calls @p f with the device while it is registered (no sleeping
   * in @p f); `ENXIO` once the parent's unbind removed it.
   */
  template <typename F>
  auto with_device(F&& f) const {
    return reg_.try_access_with([&f](const detail::Registered& r) {
      // SAFETY: while the devres handle is not revoked (try_access_with holds the RCU read lock
      // that revocation waits for), the device is registered and its reference held.
      return f(Device<>::unsafe_from_raw(r.pdev));
    });
  }

 private:
  explicit ChildRegistration(Devres<detail::Registered> r) : reg_(std::move(r)) {}
  Devres<detail::Registered> reg_;
};

}  // namespace kcpp::platform

#endif  // KCPP_PLATFORM_REGISTRATION_H

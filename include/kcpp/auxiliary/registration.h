/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/auxiliary/registration.h
 * @brief Registering an auxiliary device under a bound parent, tied to the
 * parent's binding.
 *
 * Part of `kcpp/auxiliary.h`, which includes every part and opens with the
 * tour of the auxiliary bus API; include that header, not this one.
 *
 * Wraps `auxiliary_device_init()`, `auxiliary_device_add()`, `auxiliary_device_delete()`
 * and `auxiliary_device_uninit()`.
 */
#ifndef KCPP_AUXILIARY_REGISTRATION_H
#define KCPP_AUXILIARY_REGISTRATION_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/device.h>
#include <kcpp/devres.h>
#include <kcpp/module.h>

namespace kcpp::auxiliary {

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

}  // namespace kcpp::auxiliary

#endif  // KCPP_AUXILIARY_REGISTRATION_H

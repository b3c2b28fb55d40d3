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

#include <kcpp/alloc/kbox.h>
#include <kcpp/auxiliary/device.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/device.h>
#include <kcpp/devres.h>
#include <kcpp/module.h>

namespace kcpp::auxiliary {

/// @cond KCPP_INTERNAL
namespace detail {
// The registration's copy of its shared data, freed after the device went.
class SharedRecord {
 public:
  SharedRecord() = default;
  template <typename D>
  explicit SharedRecord(KBox<Shared<D>> box) : drop_(&drop<D>) {
    // SAFETY: the record owns the data from here; drop<D>() gives it back to a KBox, once.
    ptr_ = std::move(box).into_raw();
  }
  SharedRecord(SharedRecord&& o) noexcept : ptr_(exchange(o.ptr_, nullptr)), drop_(o.drop_) {}
  SharedRecord& operator=(SharedRecord&&) = delete;  // as Devres: a registration is not reassigned
  SharedRecord(const SharedRecord&) = delete;
  ~SharedRecord() {
    if (ptr_)
      drop_(ptr_);
  }
  [[nodiscard]] const void* get() const { return ptr_; }

 private:
  template <typename D>
  static void drop(void* p) {
    // SAFETY: p came from into_raw() of a KBox<Shared<D>> of this D, in the constructor.
    (void)KBox<Shared<D>>::unsafe_from_raw(static_cast<Shared<D>*>(p));
  }
  void* ptr_ = nullptr;
  void (*drop_)(void*) = nullptr;
};
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
    return add(to_device(parent), name, id, gfp, modname, detail::SharedRecord());
  }
  /**
   * @brief As `make()`, with a copy of @p data for the device's driver
   * (`auxiliary::Device<Bound>::shared_data()`), kept until the device
   * is removed. The copy is allocated with @p gfp.
   */
  template <SharedData D, typename P>
  [[nodiscard]] static Result<Registration> make_with_data(const P& parent, const char* name, u32 id,
                                                           const D& data, Gfp gfp,
                                                           const char* modname = KBUILD_MODNAME) {
    if (!gfp.may_sleep())
      return code::EINVAL;
    const kcpp::Device<device::Bound>& p = to_device(parent);
    const detail::SharedHeader header{detail::SharedHeader::MAGIC, detail::SharedHeader::ABI, D::SHARED_NAME,
                                      sizeof(D), alignof(D)};
    auto box =
        KCPP_TRY(KBox<detail::Shared<D>>::make_on(p.numa_node(), gfp, detail::Shared<D>{header, data}));
    return add(p, name, id, gfp, modname, detail::SharedRecord(std::move(box)));
  }
  /** @brief Whether the parent's unbind already removed the device. */
  [[nodiscard]] bool is_removed() const { return added_.is_revoked(); }
  /**
   * @brief Calls @p f with the device while it is registered (no sleeping
   * in @p f); `ENXIO` once the parent's unbind removed it.
   */
  template <typename F>
  auto with_device(F&& f) const {
    return added_.try_access_with([&f](const detail::Added& a) {
      // SAFETY: while the devres handle is not revoked (try_access_with holds the RCU read lock
      // that revocation waits for), the device is registered.
      return f(Device<>::unsafe_from_raw(a.adev));
    });
  }

 private:
  static Result<Registration> add(const kcpp::Device<device::Bound>& p, const char* name, u32 id, Gfp gfp,
                                  const char* modname, detail::SharedRecord shared) {
    if (!gfp.may_sleep())
      return code::EINVAL;
    int err = 0;
    ::auxiliary_device* adev =
        kcpp_auxiliary_device_add(p.as_raw(), modname, name, id, shared.get(), gfp.as_raw(), &err);
    if (!adev)
      return Error::from_errno(err);
    auto added = KCPP_TRY(Devres<detail::Added>::make(p, detail::Added(adev), gfp, p.numa_node()));
    return Registration(std::move(shared), std::move(added));
  }
  Registration(detail::SharedRecord s, Devres<detail::Added> a)
      : shared_(std::move(s)), added_(std::move(a)) {}
  // Before added_: destroyed after the device is removed.
  detail::SharedRecord shared_;
  Devres<detail::Added> added_;
};

}  // namespace kcpp::auxiliary

#endif  // KCPP_AUXILIARY_REGISTRATION_H

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/drm/driver.h
 * @brief A DRM driver described by a class, and the registration of its
 * device under a bound parent, unplugged at the parent's unbind.
 *
 * Part of `kcpp/drm.h`, which includes every part and opens with the tour
 * of the DRM API; include that header, not this one.
 *
 * Wraps `struct drm_driver`, `drm_dev_alloc()`, `drm_dev_register()`
 * and `drm_dev_unplug()`.
 */
#ifndef KCPP_DRM_DRIVER_H
#define KCPP_DRM_DRIVER_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/auxiliary/device.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/bindings/mirror.h>
#include <kcpp/core/error.h>
#include <kcpp/device.h>
#include <kcpp/devres.h>
#include <kcpp/drm/device.h>
#include <kcpp/drm/ioctl.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/sync/aref.h>

namespace kcpp::drm {

/** @brief What `drmGetVersion()` reports: the driver's name, description and version. */
struct DriverInfo {
  int major;         ///< version, major
  int minor;         ///< version, minor
  int patchlevel;    ///< version, patch level
  const char* name;  ///< the driver's name ("nova")
  const char* desc;  ///< one line of description
  const char* date =
      "";  ///< kept where the structure has the field (before 6.14); no kernel reports it since 6.12
};

/** @brief What the device offers (`enum drm_driver_feature`); combine with `|`. */
enum class Features : u32 {
  Gem = KCPP_DRIVER_GEM,        ///< GEM objects (always set by kcpp)
  Render = KCPP_DRIVER_RENDER,  ///< a render node, `/dev/dri/renderD<n>`
};
/** @brief Both. */
constexpr Features operator|(Features a, Features b) {
  return static_cast<Features>(static_cast<u32>(a) | static_cast<u32>(b));
}

/**
 * @brief What kcpp requires of a DRM driver class @p T (see kcpp/drm.h):
 * `T::Data` (the device's data), `T::File` (one per open file, built by
 * `static Result<File> open(const Device<T>&)`), `T::INFO`, `T::FEATURES`
 * and `T::IOCTLS` (an `Ioctls<...>` type).
 *
 * `Data` and `File` are shared between threads (any number may be in the
 * driver's handlers at once, for one file too) and reached `const` only:
 * what changes needs a lock or an atomic (a `Data` built in place may hold
 * a `Mutex`; a `File`, which is moved, holds it in a `KBox`). Their
 * destructors may run after the parent's unbind (the last close of a file
 * open then, the device's last reference), so they must not touch what the
 * binding owns.
 */
template <typename T>
concept Driver = requires {
  typename T::Data;
  typename T::File;
  typename T::IOCTLS;
  { T::INFO } -> convertible_to<DriverInfo>;
  { T::FEATURES } -> convertible_to<Features>;
} && requires(const Device<T>& dev) {
  { T::File::open(dev) } -> same_as<Result<typename T::File>>;
};

/// @cond KCPP_INTERNAL
namespace detail {
using bindings::Gap;
#define KCPP_DRV_OFF_(f) KCPP_OFFSETOF_drm_driver_##f
// struct drm_driver, laid out from the configured kernel's offsets (the
// fields kcpp sets; the rest stay zero, as in C).
struct RawDriver {
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(open), 1> gap0;
  int (*open)(::drm_device*, ::drm_file*);
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(postclose) - KCPP_DRV_OFF_(open) - 8, 2> gap1;
  void (*postclose)(::drm_device*, ::drm_file*);
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(major) - KCPP_DRV_OFF_(postclose) - 8, 3> gap2;
  int major;
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(minor) - KCPP_DRV_OFF_(major) - 4, 4> gap3;
  int minor;
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(patchlevel) - KCPP_DRV_OFF_(minor) - 4, 5> gap4;
  int patchlevel;
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(name) - KCPP_DRV_OFF_(patchlevel) - 4, 6> gap5;
  const char* name;
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(desc) - KCPP_DRV_OFF_(name) - 8, 7> gap6;
  const char* desc;
#if KCPP_DRM_DRIVER_HAS_DATE
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(date) - KCPP_DRV_OFF_(desc) - 8, 8> gap7;
  const char* date;
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(driver_features) - KCPP_DRV_OFF_(date) - 8, 9> gap8;
#else
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(driver_features) - KCPP_DRV_OFF_(desc) - 8, 10> gap8;
#endif
  u32 driver_features;
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(ioctls) - KCPP_DRV_OFF_(driver_features) - 4, 11> gap9;
  const RawIoctlDesc* ioctls;
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(num_ioctls) - KCPP_DRV_OFF_(ioctls) - 8, 12> gap10;
  int num_ioctls;
  [[no_unique_address]] Gap<KCPP_DRV_OFF_(fops) - KCPP_DRV_OFF_(num_ioctls) - 4, 13> gap11;
  const ::file_operations* fops;
  [[no_unique_address]] Gap<KCPP_SIZEOF_drm_driver - KCPP_DRV_OFF_(fops) - 8, 14> tail;
};
static_assert(sizeof(RawDriver) == KCPP_SIZEOF_drm_driver &&
                  __builtin_offsetof(RawDriver, open) == KCPP_DRV_OFF_(open) &&
                  __builtin_offsetof(RawDriver, postclose) == KCPP_DRV_OFF_(postclose) &&
                  __builtin_offsetof(RawDriver, major) == KCPP_DRV_OFF_(major) &&
                  __builtin_offsetof(RawDriver, minor) == KCPP_DRV_OFF_(minor) &&
                  __builtin_offsetof(RawDriver, patchlevel) == KCPP_DRV_OFF_(patchlevel) &&
                  __builtin_offsetof(RawDriver, name) == KCPP_DRV_OFF_(name) &&
                  __builtin_offsetof(RawDriver, desc) == KCPP_DRV_OFF_(desc) &&
#if KCPP_DRM_DRIVER_HAS_DATE
                  __builtin_offsetof(RawDriver, date) == KCPP_DRV_OFF_(date) &&
#endif
                  __builtin_offsetof(RawDriver, driver_features) == KCPP_DRV_OFF_(driver_features) &&
                  __builtin_offsetof(RawDriver, ioctls) == KCPP_DRV_OFF_(ioctls) &&
                  __builtin_offsetof(RawDriver, num_ioctls) == KCPP_DRV_OFF_(num_ioctls) &&
                  __builtin_offsetof(RawDriver, fops) == KCPP_DRV_OFF_(fops),
              "kcpp: struct drm_driver of this kernel is not laid out as kcpp/drm/driver.h expects "
              "(a randomized layout?)");
#undef KCPP_DRV_OFF_

// The callbacks and the table of driver T.
template <typename T>
struct Vtable {
  using F = typename T::File;
  static int open(::drm_device* raw, ::drm_file* file) {
    // drm_open() checks for an unplugged device before, not during, the
    // open: inside drm_dev_enter() the open cannot race an unbind.
    int idx = 0;
    if (!drm_dev_enter(raw, &idx))
      return -KCPP_ENODEV;
    // SAFETY: the DRM core opens files of devices of this table's driver only, alive meanwhile.
    Result<F> f = F::open(Device<T>::unsafe_from_raw(raw));
    drm_dev_exit(idx);
    if (f.is_err())
      return f.error().to_errno();
    // Charged to the opener's memory cgroup: user space decides how many files are open.
    auto box = KBox<F>::make(GFP_KERNEL_ACCOUNT, std::move(f).expect("checked just above"));
    if (box.is_err())
      return box.error().to_errno();
    // SAFETY: driver_priv owns the object from here; postclose() takes it back, once (the DRM
    // core calls postclose only for files whose open succeeded).
    kcpp_drm_file_set_priv(file, std::move(*box).into_raw());
    return 0;
  }
  static void postclose(::drm_device*, ::drm_file* file) {
    // SAFETY: open() put this KBox's object in driver_priv; the file is closing, with its GEM
    // handles already released, and nothing uses the object after.
    (void)KBox<F>::unsafe_from_raw(static_cast<F*>(kcpp_drm_file_priv(file)));
  }
  // Drops the driver's data with the device's last reference (drm is null
  // when the allocation failed: the data is dropped all the same).
  static void release_data(::drm_device*, void* data) {
    // SAFETY: data came from into_raw() of a KBox<T::Data> in Registration::make(); the shim
    // calls this once, when nothing can reach the device any more.
    (void)KBox<typename T::Data>::unsafe_from_raw(static_cast<typename T::Data*>(data));
  }
  static consteval RawDriver table() {
    RawDriver d{};
    d.open = &open;
    d.postclose = &postclose;
    d.major = T::INFO.major;
    d.minor = T::INFO.minor;
    d.patchlevel = T::INFO.patchlevel;
    d.name = T::INFO.name;
    d.desc = T::INFO.desc;
#if KCPP_DRM_DRIVER_HAS_DATE
    d.date = T::INFO.date;
#endif
    d.driver_features = static_cast<u32>(T::FEATURES | Features::Gem);
    d.ioctls = IOCTLS.data();
    d.num_ioctls = static_cast<int>(T::IOCTLS::COUNT);
    d.fops = &kcpp_drm_gem_fops;
    return d;
  }
  // Static: every device and open file of T points at them for as long as
  // it lives, which may be after the registration went.
  static constexpr auto IOCTLS = IoctlTable<T, typename T::IOCTLS>::make();
  static constexpr RawDriver TABLE = table();
};

// The registered device: its destruction unplugs it and drops the
// reference the registration held (the one the allocation gave).
class Registered {
 public:
  explicit Registered(::drm_device* drm) : drm_(drm) { kcpp_drm_dev_get(drm_); }
  Registered(Registered&& o) noexcept : drm_(exchange(o.drm_, nullptr)) {}
  Registered(const Registered&) = delete;
  ~Registered() {
    if (drm_) {
      drm_dev_unplug(drm_);
      kcpp_drm_dev_put(drm_);
    }
  }

 private:
  ::drm_device* drm_;
};
}  // namespace detail
/// @endcond

/**
 * @brief The DRM device of driver @p T, registered under a bound parent
 * (`/dev/dri/card<n>`, and `renderD<n>` with `Features::Render`).
 *
 * The device is unplugged (`drm_dev_unplug()`) when this handle is
 * destroyed or when the parent unbinds, whichever comes first: new opens
 * fail, every ioctl gets `ENODEV` and no handler is still running when the
 * unplug returns. Files open then stay valid until closed (they hold the
 * device, whose `T::Data` lives until its last reference).
 *
 * @par Invariants
 * `device_` is a counted reference to a device kcpp allocated for @p T,
 * shown under the bound parent or (`make_under_parent()`) the auxiliary
 * parent's own parent; `registered_` is a `Devres` of the bound parent's
 * binding that unplugs it exactly once.
 */
template <typename T>
  requires Driver<T>
class Registration {
 public:
  /**
   * @brief Allocates the device of @p T under @p parent with the data
   * @p init builds in place (so that it may hold locks), and registers it.
   * @p gfp is for kcpp's records (the data and the devres node, on the
   * parent's NUMA node); the DRM core allocates with GFP_KERNEL, so flags
   * that may not sleep are refused with `EINVAL`. On failure the data is
   * dropped.
   */
  template <typename P, typename I>
    requires InitializerOf<I, typename T::Data>
  [[nodiscard]] static Result<Registration> make(const P& parent, I&& init, Gfp gfp) {
    const kcpp::Device<device::Bound>& p = to_device(parent);
    return make_on(p, p, std::forward<I>(init), gfp);
  }
  /** @brief As the other `make()`, with @p data moved in place. */
  template <typename P>
  [[nodiscard]] static Result<Registration> make(const P& parent, typename T::Data data, Gfp gfp) {
    return make(parent, init::emplace<typename T::Data>(std::move(data)), gfp);
  }
  /**
   * @brief As `make()` on the bound auxiliary device @p adev, but the
   * device shows in sysfs under @p adev's parent (the PCI function whose
   * driver registered it), while its lifetime stays @p adev's binding's.
   *
   * User space finds DRM devices by the bus of their sysfs parent, and
   * libdrm's `drmGetDevices2()` (2.4.114, Debian 12's) knows PCI, USB,
   * platform, SPI, host1x and virtio, not the auxiliary bus: a DRM device
   * under an auxiliary device is never listed. nova-drm shows its device
   * under the GPU. Only an auxiliary device's own parent is allowed: its
   * binding encloses the auxiliary one (the parent's driver removes the
   * device before it unbinds), so the parent is bound whenever a handler
   * runs. That parent belongs to another driver: `Device::parent()` is for
   * naming and printing, never for devres, driver data or DMA, and the DRM
   * core maps nothing for kcpp's objects (they have no mmap, no sg table,
   * no import).
   *
   * It also keeps an open file from holding the auxiliary device: with
   * `make()`, an open file holds it past its unbind, and its release
   * function is in the registering module, which may be unloaded by then.
   *
   * @code{.cpp compile_fail}
   * // compile_fail: no matching function
   * #^ struct D {
   * #^   struct Data {};
   * #^   struct File {
   * #^     static kcpp::Result<File> open(const kcpp::drm::Device<D>&) { return File{}; }
   * #^   };
   * #^   static constexpr kcpp::drm::DriverInfo INFO = {0, 1, 0, "d", "d"};
   * #^   static constexpr kcpp::drm::Features FEATURES = kcpp::drm::Features::Render;
   * #^   using IOCTLS = kcpp::drm::Ioctls<>;
   * #^ };
   * // Any other bound device has no parent it may show under: only an auxiliary one does.
   * auto f = [](const kcpp::Device<kcpp::device::Bound>& dev) {
   *   return kcpp::drm::Registration<D>::make_under_parent(dev, kcpp::init::emplace<D::Data>(), kcpp::GFP_KERNEL);
   * };
   * @endcode
   */
  template <typename I>
    requires InitializerOf<I, typename T::Data>
  [[nodiscard]] static Result<Registration> make_under_parent(const auxiliary::Device<device::Bound>& adev,
                                                              I&& init, Gfp gfp) {
    return make_on(adev.as_device(), adev.parent(), std::forward<I>(init), gfp);
  }
  /** @brief The device (valid as long as this handle, even after an unbind). */
  [[nodiscard]] const Device<T>& device() const { return *device_; }
  /** @brief Whether the parent's unbind already unplugged the device. */
  [[nodiscard]] bool is_unplugged() const { return registered_.is_revoked(); }

 private:
  // The device of @p bound's binding, shown under @p node (bound itself, or
  // the parent that encloses its binding).
  template <typename I>
  static Result<Registration> make_on(const kcpp::Device<device::Bound>& p, const kcpp::Device<>& node,
                                      I&& init, Gfp gfp) {
    if (!gfp.may_sleep())
      return code::EINVAL;
    auto box = KCPP_TRY(KBox<typename T::Data>::pin_init(gfp, std::forward<I>(init), p.numa_node()));
    int err = 0;
    // SAFETY: the shim owns the data from here and hands it back to release_data() once, even
    // when the allocation fails.
    void* raw_data = std::move(box).into_raw();
    ::drm_device* drm = kcpp_drm_dev_alloc(node.as_raw(), &detail::Vtable<T>::TABLE, raw_data,
                                           &detail::Vtable<T>::release_data, &err);
    if (!drm)
      return Error::from_errno(err);
    // SAFETY: drm is the device just allocated for T. The handle takes a reference of its
    // own, and the allocation's goes at once (a failure below drops the handle's and frees
    // the device).
    ARef<Device<T>> dev = ARef<Device<T>>::from(Device<T>::unsafe_from_raw(drm));
    kcpp_drm_dev_put(drm);
    KCPP_TRY(to_result(drm_dev_register(drm, 0)));
    // The registration's own reference and the unplug go with the binding. If the devres
    // record cannot be made, the temporary Registered is destroyed unconsumed and unplugs the
    // device it registered.
    auto reg = KCPP_TRY(Devres<detail::Registered>::make(p, detail::Registered(drm), gfp, p.numa_node()));
    return Registration(std::move(dev), std::move(reg));
  }
  Registration(ARef<Device<T>> d, Devres<detail::Registered> r)
      : device_(std::move(d)), registered_(std::move(r)) {}
  ARef<Device<T>> device_;
  Devres<detail::Registered> registered_;
};

}  // namespace kcpp::drm

#endif  // KCPP_DRM_DRIVER_H

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/drm/device.h
 * @brief A DRM device with its driver's data, and an open DRM file with
 * the driver's per-file data.
 *
 * Part of `kcpp/drm.h`, which includes every part and opens with the tour
 * of the DRM API; include that header, not this one.
 *
 * Wraps `struct drm_device` (`drm_dev_get()`, `drm_dev_put()`) and
 * `struct drm_file` (`driver_priv`).
 */
#ifndef KCPP_DRM_DEVICE_H
#define KCPP_DRM_DEVICE_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/types.h>
#include <kcpp/device.h>

namespace kcpp::drm {

/**
 * @brief The DRM device of driver @p T, seen through a reference: its
 * `T::Data` (built at probe, dropped with the device's last reference) and
 * its parent.
 *
 * References come from the DRM core (an ioctl's, an open's) or are counted
 * (`ARef<Device<T>>`); a `Device` is never built or copied.
 *
 * @par Invariants
 * `this` is the `struct drm_device` of a device kcpp allocated for @p T,
 * whose data is a `T::Data`.
 */
template <typename T>
class Device {
 public:
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;
  /**
   * @brief The device behind @p raw.
   *
   * @par Safety
   * @p raw is a DRM device kcpp allocated for @p T, alive while the
   * reference is used.
   */
  // SAFETY: the contract is the caller's (Safety, above).
  static const Device& unsafe_from_raw(const ::drm_device* raw) {
    // SAFETY: Device is an empty view class, never constructed, standing for the struct
    // drm_device at raw, which the caller keeps alive.
    return *reinterpret_cast<const Device*>(raw);
  }
  /** @brief The C device. */
  [[nodiscard]] ::drm_device* as_raw() const {
    // SAFETY: this came from unsafe_from_raw() of a real struct drm_device; the const was the
    // view's.
    return reinterpret_cast<::drm_device*>(const_cast<Device*>(this));
  }
  /** @brief The driver's data, which lives as long as the device. */
  [[nodiscard]] const typename T::Data& data() const {
    return *static_cast<const typename T::Data*>(kcpp_drm_data(as_raw()));
  }
  /**
   * @brief The parent device: the one the driver bound, or its parent
   * (`Registration::make_under_parent()`, which is bound to another
   * driver: use it for names and printing only).
   * The DRM device holds a reference to it, so it is valid as long as this
   * device is; it is bound while an ioctl handler runs (inside
   * `drm_dev_enter()`), not necessarily elsewhere.
   */
  [[nodiscard]] const kcpp::Device<>& parent() const {
    // SAFETY: drm_dev_init() took a reference to the parent, which the device holds until it is
    // released.
    return kcpp::Device<>::unsafe_from_raw(kcpp_drm_parent(as_raw()));
  }
  /** @brief The render node's minor (128 for `/dev/dri/renderD128`), or -1 without one. */
  [[nodiscard]] int render_minor() const { return kcpp_drm_render_minor(as_raw()); }
  /** @brief `drm_dev_get()`, for `ARef`. */
  void inc_ref() const { kcpp_drm_dev_get(as_raw()); }
  /** @brief `drm_dev_put()`, for `ARef`: the last one releases the device and its data. */
  static void dec_ref(Device* d) { kcpp_drm_dev_put(d->as_raw()); }

 protected:
  Device() = default;
  ~Device() = default;
};

/**
 * @brief An open file of driver @p T's device, with its `T::File` (built by
 * `T::File::open()`, dropped when the file is closed).
 *
 * @par Invariants
 * `this` is a `struct drm_file` of a device of @p T, opened by kcpp's open
 * callback, whose `driver_priv` is its `T::File`.
 */
template <typename T>
class File {
 public:
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  /**
   * @brief The file behind @p raw.
   *
   * @par Safety
   * @p raw is an open file of a device of @p T (kcpp's open callback ran
   * for it), open while the reference is used.
   */
  // SAFETY: the contract is the caller's (Safety, above).
  static const File& unsafe_from_raw(const ::drm_file* raw) {
    // SAFETY: File is an empty view class, never constructed, standing for the struct drm_file
    // at raw, which the caller keeps open.
    return *reinterpret_cast<const File*>(raw);
  }
  /** @brief The C file. */
  [[nodiscard]] ::drm_file* as_raw() const {
    // SAFETY: this came from unsafe_from_raw() of a real struct drm_file; the const was the view's.
    return reinterpret_cast<::drm_file*>(const_cast<File*>(this));
  }
  /** @brief The driver's per-file data. */
  [[nodiscard]] const typename T::File& data() const {
    return *static_cast<const typename T::File*>(kcpp_drm_file_priv(as_raw()));
  }

 protected:
  File() = default;
  ~File() = default;
};

}  // namespace kcpp::drm

#endif  // KCPP_DRM_DEVICE_H

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/drm/gem.h
 * @brief GEM objects backed by shmem, counted with `ARef`, named by
 * per-file handles.
 *
 * Part of `kcpp/drm.h`, which includes every part and opens with the tour
 * of the DRM API; include that header, not this one.
 *
 * Wraps `drm_gem_shmem_create()`, `drm_gem_object_get()`/`put()`,
 * `drm_gem_handle_create()`, `drm_gem_object_lookup()` and
 * `drm_gem_handle_delete()`.
 */
#ifndef KCPP_DRM_GEM_H
#define KCPP_DRM_GEM_H

#include <kcpp/alloc/gfp.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/bytes.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/drm/device.h>
#include <kcpp/sync/aref.h>

namespace kcpp::drm::gem {

/**
 * @brief A GEM object of driver @p T's device. Pages come from shmem when
 * they are first used, not when the object is made.
 *
 * An object lives while a reference (`ARef<Object>`) or a handle names it:
 * a handle holds a reference of its own, dropped when user space closes it
 * (`DRM_IOCTL_GEM_CLOSE`), when the driver deletes it, or when the file is
 * closed. An object holds a reference to its device, so one kept anywhere
 * keeps the device too (and so the device's data must not own one). An `Object` is never built, copied or moved by
 * C++; only the DRM core frees it, at its last reference.
 *
 * @par Invariants
 * `this` is the `struct drm_gem_object` of an object kcpp made on a device
 * of @p T.
 */
template <typename T>
class Object {
 public:
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  /**
   * @brief A new object of at least @p size bytes (rounded up to the page
   * size) on @p dev, with one reference. `EINVAL` for a size of 0 or one
   * that does not round up within 64 bits (shmem refuses sizes past
   * `LLONG_MAX` with `EINVAL` too), and for @p gfp flags that may not
   * sleep (making an object does); `ENOSPC` for one larger than the DRM
   * core's mmap offset space (about a TiB, checked while it is made);
   * `ENOMEM` when memory runs out. Nothing the size of the object is
   * allocated here, and the object keeps no mmap offset (kcpp maps no GEM
   * object yet), so objects never use that space up for other clients.
   */
  [[nodiscard]] static Result<ARef<Object>> make_shmem(const Device<T>& dev, u64 size, Gfp gfp) {
#ifdef MODULE
    static_assert(KCPP_CONFIG_DRM_GEM_SHMEM_HELPER || !same_as<T, T>,
                  "kcpp: shmem GEM objects need CONFIG_DRM_GEM_SHMEM_HELPER");
#else
    static_assert(KCPP_BUILTIN_DRM_GEM_SHMEM_HELPER || !same_as<T, T>,
                  "kcpp: shmem GEM objects in built-in code need CONFIG_DRM_GEM_SHMEM_HELPER=y");
#endif
    if (!gfp.may_sleep() || size == 0)
      return code::EINVAL;
    const Result<u64> rounded = num::align_up(size, u64(KCPP_PAGE_SIZE));
    if (rounded.is_err())
      return code::EINVAL;
    int err = 0;
    ::drm_gem_object* obj = kcpp_drm_gem_shmem_create(dev.as_raw(), *rounded, &err);
    if (!obj)
      return Error::from_errno(err);
    // drm_gem_shmem_create() returned the object with one reference, which the ARef owns now.
    // SAFETY: obj is a kcpp object (made just above), referenced once, for the ARef.
    return ARef<Object>::unsafe_adopt(const_cast<Object*>(&unsafe_from_raw(obj)));
  }
  /**
   * @brief The object that @p handle names in @p file, with a new
   * reference; `ENOENT` if there is none (handles are per file: another
   * file's handle names nothing here).
   */
  [[nodiscard]] static Result<ARef<Object>> lookup(const File<T>& file, u32 handle) {
    ::drm_gem_object* obj = drm_gem_object_lookup(file.as_raw(), handle);
    if (!obj)
      return code::ENOENT;
    // drm_gem_object_lookup() took a reference for the caller. Only kcpp's objects of this
    // file's device are in a file of T (only Object<T> makes them, and create_handle() refuses
    // another device's file).
    // SAFETY: obj is such an object, with the lookup's reference, which the ARef owns now.
    return ARef<Object>::unsafe_adopt(const_cast<Object*>(&unsafe_from_raw(obj)));
  }
  /**
   * @brief Deletes @p handle of @p file, dropping the handle's reference;
   * `EINVAL` if the file has no such handle.
   */
  [[nodiscard]] static Result<void> delete_handle(const File<T>& file, u32 handle) {
    return to_result(drm_gem_handle_delete(file.as_raw(), handle));
  }

  /**
   * @brief A new handle in @p file for this object, which the handle keeps
   * alive (a reference of its own). A handle is never 0. `EINVAL` if the
   * file is another device's (two devices of one driver).
   */
  [[nodiscard]] Result<u32> create_handle(const File<T>& file) const {
    if (kcpp_drm_file_dev(file.as_raw()) != kcpp_drm_gem_dev(as_raw()))
      return code::EINVAL;
    unsigned int handle = 0;
    KCPP_TRY(to_result(drm_gem_handle_create(file.as_raw(), as_raw(), &handle)));
    return u32(handle);
  }
  /** @brief The size in bytes, a multiple of the page size. */
  [[nodiscard]] u64 size() const { return kcpp_drm_gem_size(as_raw()); }
  /** @brief The device the object belongs to. */
  [[nodiscard]] const Device<T>& device() const {
    // SAFETY: kcpp made the object on a device of T, and the object holds a reference to it
    // (the shim's free drops it).
    return Device<T>::unsafe_from_raw(kcpp_drm_gem_dev(as_raw()));
  }
  /** @brief The C object. */
  [[nodiscard]] ::drm_gem_object* as_raw() const {
    // SAFETY: this came from unsafe_from_raw() of a real struct drm_gem_object; the const was the
    // view's.
    return reinterpret_cast<::drm_gem_object*>(const_cast<Object*>(this));
  }
  /** @brief `drm_gem_object_get()`, for `ARef`. */
  void inc_ref() const { kcpp_drm_gem_get(as_raw()); }
  /** @brief `drm_gem_object_put()`, for `ARef`: the last one frees the object. */
  static void dec_ref(Object* o) { kcpp_drm_gem_put(o->as_raw()); }

 private:
  Object() = default;
  ~Object() = default;
  // SAFETY: private; its callers pass objects kcpp made, which they hold a reference to.
  static const Object& unsafe_from_raw(const ::drm_gem_object* raw) {
    // SAFETY: Object is an empty view class, never constructed, standing for the struct
    // drm_gem_object at raw; callers hold a reference to it.
    return *reinterpret_cast<const Object*>(raw);
  }
};

}  // namespace kcpp::drm::gem

#endif  // KCPP_DRM_GEM_H

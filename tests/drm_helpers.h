/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the DRM suites share: a file open on a device's render node (a test
 * hook of the built-in shim), and a user page to pass ioctl arguments in,
 * with copies of any plain struct to and from it (uapi structs are C, not
 * marked KCPP_PLAIN_BYTES).
 */
#ifndef KCPP_TESTS_DRM_HELPERS_H
#define KCPP_TESTS_DRM_HELPERS_H

#include <kcpp/drm.h>
#include <kcpp/uaccess.h>

namespace kcpp_test {

/// A file open on a render node, closed when it goes.
class DrmFile {
 public:
  template <typename T>
  static kcpp::Result<DrmFile> open(const kcpp::drm::Device<T>& dev) {
    int err = 0;
    ::file* f = kcpp_test_drm_open(dev.as_raw(), &err);
    if (!f)
      return kcpp::Error::from_errno(err);
    return DrmFile(f);
  }
  DrmFile(DrmFile&& o) noexcept : f_(kcpp::exchange(o.f_, nullptr)) {}
  DrmFile(const DrmFile&) = delete;
  ~DrmFile() {
    if (f_)
      kcpp_test_file_close(f_);
  }
  /// drm_ioctl() with @p arg a user address.
  long ioctl(kcpp::u32 cmd, kcpp::uptr arg) const { return kcpp_test_drm_ioctl(f_, cmd, arg); }
  ::file* raw() const { return f_; }

 private:
  explicit DrmFile(::file* f) : f_(f) {}
  ::file* f_;
};

/// A page of user memory for the running test.
inline kcpp::Result<kcpp::uptr> user_page() {
  const kcpp::uptr u = kcpp_kunit_user_memory(kcpp_kunit_current(), KCPP_PAGE_SIZE);
  if (!u)
    return kcpp::code::ENOMEM;
  return u;
}

/// Copies @p v to the user address @p u.
template <typename T>
kcpp::Result<void> put_user(kcpp::uptr u, const T& v) {
  static_assert(__is_trivially_copyable(T));
  kcpp::u8 b[sizeof(T)];
  __builtin_memcpy(b, &v, sizeof(T));
  return kcpp::UserSlice::make(kcpp::UserPtr::from_addr(u), sizeof(T))
      .writer()
      .write_slice(kcpp::Span<const kcpp::u8>(b));
}

/// A @p T copied from the user address @p u.
template <typename T>
kcpp::Result<T> get_user(kcpp::uptr u) {
  static_assert(__is_trivially_copyable(T));
  kcpp::u8 b[sizeof(T)];
  KCPP_TRY(kcpp::UserSlice::make(kcpp::UserPtr::from_addr(u), sizeof(T))
               .reader()
               .read_raw(kcpp::Span<kcpp::u8>(b)));
  T v;
  __builtin_memcpy(&v, b, sizeof(T));
  return v;
}

}  // namespace kcpp_test

#endif  // KCPP_TESTS_DRM_HELPERS_H

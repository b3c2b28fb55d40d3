/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/sysfs.h
 * @brief Device attributes in sysfs: files whose reads and writes call a
 * driver's C++ functions.
 *
 * Wraps `device_create_file()`/`device_remove_file()` of
 * `include/linux/device.h` and `kstrtoull()`.
 *
 * `sysfs::Attribute::create<Show, Store>(dev, "name", ctx)` adds
 * `/sys/.../name` to a bound device. `Show(const Ctx&, sysfs::Buffer&)`
 * prints the file's contents; `Store(const Ctx&, sysfs::Input)` takes what
 * user space wrote. Both return `Result<void>`: an error reaches the
 * reading or writing process as its errno (`echo abc > file` fails with
 * `EINVAL`, say). Destroying the attribute removes the file and waits for
 * reads and writes in progress, so @p ctx (whose address must not change:
 * keep it in a `KBox` or `Arc`) may go right after.
 *
 * @par Examples
 * A counter file on QEMU's pci-testdev, written and read through sysfs's
 * own callbacks as the VFS would call them:
 * @code{.cpp}
 * #^ struct Counter {
 * #^   mutable kcpp::u64 value = 0;
 * #^ };
 * #^ static kcpp::Result<void> show_counter(const Counter& c, kcpp::sysfs::Buffer& out) {
 * #^   return out.print("%llu\n", c.value);
 * #^ }
 * #^ static kcpp::Result<void> store_counter(const Counter& c, kcpp::sysfs::Input in) {
 * #^   c.value = KCPP_TRY(in.parse_u64());
 * #^   return {};
 * #^ }
 * auto pdev = KCPP_TRY(kcpp::pci::Device<>::find(kcpp::pci::Vendor::REDHAT, 0x0005));
 * // Bound or not, a test may add a file to the device; drivers do it in probe.
 * const auto& dev = kcpp::Device<kcpp::device::Bound>::unsafe_from_raw(pdev->as_device().as_raw());
 * auto counter = KCPP_TRY(kcpp::KBox<Counter>::make(kcpp::GFP_KERNEL));
 * auto attr = KCPP_TRY((kcpp::sysfs::Attribute::create<show_counter, store_counter>(
 *     dev, "kcpp_doc_counter", *counter)));
 * KCPP_ASSERT_EQ(attr.store_for_test("42\n"), 3);
 * KCPP_ASSERT_EQ(counter->value, 42u);
 * KCPP_ASSERT_EQ(attr.store_for_test("forty-two"), -KCPP_EINVAL);
 * kcpp::KVec<char> page;  // show fills up to a page
 * KCPP_TRY(page.resize(KCPP_PAGE_SIZE, 0, kcpp::GFP_KERNEL));
 * KCPP_ASSERT_EQ(attr.show_for_test(page.data()), 3);
 * KCPP_ASSERT_EQ(__builtin_strcmp(page.data(), "42\n"), 0);
 * @endcode
 */
#ifndef KCPP_SYSFS_H
#define KCPP_SYSFS_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/core/utility.h>
#include <kcpp/device.h>

namespace kcpp::sysfs {

/** @brief The page a show callback fills. */
class Buffer {
 public:
  /** @brief Appends formatted text; `EOVERFLOW` if the page is full. */
  [[nodiscard, gnu::format(printf, 2, 3)]] Result<void> print(const char* fmt, ...) {
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    const int n = ::vsnprintf(buf_ + len_, cap_ - len_, fmt, ap);
    __builtin_va_end(ap);
    if (n < 0 || static_cast<usize>(n) >= cap_ - len_)
      return code::EOVERFLOW;
    len_ += static_cast<usize>(n);
    return {};
  }
  /** @brief The bytes written so far. */
  [[nodiscard]] usize len() const { return len_; }

  /// @cond KCPP_INTERNAL
  Buffer(char* buf, usize cap) : buf_(buf), cap_(cap) {}
  /// @endcond

 private:
  char* buf_;
  usize cap_;
  usize len_ = 0;
};

/** @brief What user space wrote to a file. */
class Input {
 public:
  /** @brief The bytes (not NUL-terminated in general). */
  [[nodiscard]] const char* data() const { return buf_; }
  /** @brief Their number. */
  [[nodiscard]] usize len() const { return len_; }
  /**
   * @brief The text as an unsigned number (decimal, or 0x hex, one trailing
   * newline allowed); `EINVAL` or `ERANGE` otherwise.
   */
  [[nodiscard]] Result<u64> parse_u64() const {
    unsigned long long v = 0;
    KCPP_TRY(to_result(kcpp_kstrtoull(buf_, 0, &v)));
    return v;
  }

  /// @cond KCPP_INTERNAL
  Input(const char* buf, usize len) : buf_(buf), len_(len) {}
  /// @endcond

 private:
  const char* buf_;
  usize len_;
};

/** @brief A file of a device's sysfs directory (see the file comment). */
class Attribute {
 public:
  /**
   * @brief Adds file @p name (a string literal) to @p dev, read with @p Show
   * and written with @p Store (either may be `nullptr`: no read or no write
   * permission). @p ctx is passed to both and must outlive the attribute.
   */
  template <auto Show, auto Store, typename Ctx>
  [[nodiscard]] static Result<Attribute> create(const Device<device::Bound>& dev, const char* name,
                                                const Ctx& ctx) {
    long (*show)(void*, char*) = nullptr;
    long (*store)(void*, const char*, usize) = nullptr;
    if constexpr (!same_as<decltype(Show), std::nullptr_t>)
      show = &show_thunk<Ctx, Show>;
    if constexpr (!same_as<decltype(Store), std::nullptr_t>)
      store = &store_thunk<Ctx, Store>;
    int err = 0;
    ::kcpp_dev_attr* a = kcpp_device_attr_create(dev.as_raw(), name, show, store,
                                                 const_cast<Ctx*>(&ctx), &err);
    if (!a)
      return Error::from_errno(err);
    return Attribute(dev.as_raw(), a, show, store, const_cast<Ctx*>(&ctx));
  }
  /** @brief Takes over @p o's file. */
  Attribute(Attribute&& o) noexcept
      : dev_(o.dev_), attr_(exchange(o.attr_, nullptr)), show_(o.show_), store_(o.store_), ctx_(o.ctx_) {}
  Attribute& operator=(Attribute&&) = delete;
  /** @brief Removes the file, after reads and writes in progress. */
  ~Attribute() {
    if (attr_) {
      kcpp_device_attr_remove(dev_, attr_);
      kcpp_put_device(dev_);
    }
  }

  /// @cond KCPP_INTERNAL
  // The callbacks as sysfs calls them, for tests: the length or -errno.
  long store_for_test(const char* text) const { return store_(ctx_, text, __builtin_strlen(text)); }
  long show_for_test(char* page_buf) const { return show_(ctx_, page_buf); }  // a whole page
  /// @endcond

 private:
  static constexpr usize page = KCPP_PAGE_SIZE;
  template <typename Ctx, auto Show>
  static long show_thunk(void* ctx, char* buf) {
    Buffer out(buf, page);
    Result<void> r = Show(*static_cast<const Ctx*>(ctx), out);
    return r.is_err() ? r.error().to_errno() : static_cast<long>(out.len());
  }
  template <typename Ctx, auto Store>
  static long store_thunk(void* ctx, const char* buf, usize len) {
    Result<void> r = Store(*static_cast<const Ctx*>(ctx), Input(buf, len));
    return r.is_err() ? r.error().to_errno() : static_cast<long>(len);
  }
  Attribute(::device* dev, ::kcpp_dev_attr* a, long (*show)(void*, char*),
            long (*store)(void*, const char*, usize), void* ctx)
      : dev_(dev), attr_(a), show_(show), store_(store), ctx_(ctx) {
    kcpp_get_device(dev_);
  }
  ::device* dev_;
  ::kcpp_dev_attr* attr_;
  long (*show_)(void*, char*);
  long (*store_)(void*, const char*, usize);
  void* ctx_;
};

} // namespace kcpp::sysfs

#endif // KCPP_SYSFS_H

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/sysfs.h
 * @brief Device attributes in sysfs: files of a driver's devices whose reads
 * and writes call the driver's C++ functions.
 *
 * Wraps the `dev_groups` of `struct device_driver` (`include/linux/device.h`,
 * `include/linux/sysfs.h`) and `kstrtoull()`.
 *
 * A driver class lists its files in `static constexpr kcpp_attr_desc
 * ATTRIBUTES[]`, each made by `sysfs::attribute<T, Show, Store>("name")`,
 * and its registration hands them to the driver core. The core creates the
 * files of a device after probe succeeded, before the bind uevent tells user
 * space the device is ready, and removes them before `unbind()`, waiting for
 * reads and writes in progress: a callback always finds the driver's data.
 * Files made from probe with `device_create_file()` would race with that
 * uevent and need their own teardown; kcpp has no such call.
 *
 * `Show(const T&, sysfs::Buffer&)` prints the file's contents; `Store(const
 * T&, sysfs::Input)` takes what user space wrote (either may be `nullptr`:
 * no read or no write permission). `T` is the driver's data type. Both
 * return `Result<void>`: an error reaches the reading or writing process as
 * its errno (`echo abc > file` fails with `EINVAL`, say).
 *
 * @par Examples
 * A counter file on QEMU's pci-testdev, written and read through the
 * callbacks sysfs calls:
 * @code{.cpp}
 * #^ struct Counted {
 * #^   using IdInfo = kcpp::pci::NoInfo;
 * #^   static constexpr const char* NAME = "kcpp_doc_sysfs";
 * #^   static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
 * #^       {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
 * #^   });
 * #^   static kcpp::Result<Counted> probe(const kcpp::pci::Device<kcpp::device::Core>&, const IdInfo&) {
 * #^     return Counted{};
 * #^   }
 * #^   static kcpp::Result<void> show(const Counted& c, kcpp::sysfs::Buffer& out) {
 * #^     return out.print("%llu\n", c.value);
 * #^   }
 * #^   static kcpp::Result<void> store(const Counted& c, kcpp::sysfs::Input in) {
 * #^     c.value = KCPP_TRY(in.parse_u64());
 * #^     return {};
 * #^   }
 * #^   static constexpr ::kcpp_attr_desc ATTRIBUTES[] = {
 * #^       kcpp::sysfs::attribute<Counted, show, store>("kcpp_doc_counter"),
 * #^   };
 * #^   mutable kcpp::u64 value = 0;
 * #^ };
 * auto pdev = KCPP_TRY(kcpp::pci::Device<>::find(kcpp::pci::Vendor::REDHAT, 0x0005));
 * auto reg = KCPP_TRY(kcpp::pci::Registration<Counted>::make(kcpp::GFP_KERNEL));
 * ::device* dev = pdev->as_device().as_raw();
 * const ::kcpp_attr_desc& file = Counted::ATTRIBUTES[0];
 * KCPP_ASSERT_EQ(file.store(dev, "42\n", 3), 3);
 * // SAFETY: the registration above keeps the device bound to Counted.
 * const auto& bound = kcpp::pci::Device<kcpp::device::Bound>::unsafe_from_raw(pdev->as_raw());
 * KCPP_ASSERT_EQ(KCPP_TRY(bound.drvdata<Counted>())->value, 42u);
 * KCPP_ASSERT_EQ(file.store(dev, "forty-two", 9), -KCPP_EINVAL);
 * kcpp::KVec<char> page;  // show fills up to a page
 * KCPP_TRY(page.resize(KCPP_PAGE_SIZE, 0, kcpp::GFP_KERNEL));
 * KCPP_ASSERT_EQ(file.show(dev, page.data()), 3);
 * KCPP_ASSERT_EQ(__builtin_strcmp(page.data(), "42\n"), 0);
 * @endcode
 */
#ifndef KCPP_SYSFS_H
#define KCPP_SYSFS_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/core/utility.h>
#include <kcpp/device.h>

namespace kcpp::sysfs {

/**
 * @brief The page a show callback fills.
 *
 * @par Invariants
 * `buf_` is the `cap_`-byte page sysfs handed to `show()`, valid while the
 * callback runs; `len_ <= cap_`, and the first `len_` bytes are the text
 * printed so far (`print()` never counts a truncated piece).
 */
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

/**
 * @brief What user space wrote to a file.
 *
 * @par Invariants
 * `buf_` is the `len_` bytes sysfs passed to `store()`, valid while the
 * callback runs; sysfs puts a NUL after them, which `parse_u64()` relies on.
 */
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
    // kstrtoull() reads up to a NUL: parse a terminated copy of the len()
    // bytes, never what follows them. 31 characters hold any u64 in hex or
    // decimal with its prefix and newline.
    char text[32];
    if (len_ >= sizeof(text))
      return code::EINVAL;
    __builtin_memcpy(text, buf_, len_);
    text[len_] = '\0';
    unsigned long long v = 0;
    KCPP_TRY(to_result(kcpp_kstrtoull(text, 0, &v)));
    return v;
  }

  /// @cond KCPP_INTERNAL
  Input(const char* buf, usize len) : buf_(buf), len_(len) {}
  /// @endcond

 private:
  const char* buf_;
  usize len_;
};

/// @cond KCPP_INTERNAL
namespace detail {
inline constexpr usize BUFFER_SIZE = KCPP_PAGE_SIZE;  // sysfs hands show() a page
// The driver core calls a driver's dev_groups callbacks only while the
// driver is bound: it adds the files after probe succeeded and removes them,
// waiting for running callbacks, before remove().
template <typename T, auto Show>
long show_thunk(::device* dev, char* buf) {
  // SAFETY: a dev_groups callback runs only while the driver is bound (above).
  const auto& bound = Device<device::Bound>::unsafe_from_raw(dev);
  auto data = bound.template drvdata<T>();
  if (data.is_err())
    return data.error().to_errno();
  Buffer out(buf, BUFFER_SIZE);
  Result<void> r = Show(static_cast<const T&>(**data), out);
  return r.is_err() ? r.error().to_errno() : static_cast<long>(out.len());
}
template <typename T, auto Store>
long store_thunk(::device* dev, const char* buf, usize len) {
  // SAFETY: a dev_groups callback runs only while the driver is bound (above).
  const auto& bound = Device<device::Bound>::unsafe_from_raw(dev);
  auto data = bound.template drvdata<T>();
  if (data.is_err())
    return data.error().to_errno();
  Result<void> r = Store(static_cast<const T&>(**data), Input(buf, len));
  return r.is_err() ? r.error().to_errno() : static_cast<long>(len);
}
}  // namespace detail
/// @endcond

/**
 * @brief The file @p name (a string literal) of the devices of driver
 * class @p T, read with @p Show and written with @p Store (see the file
 * comment); an element of `T::ATTRIBUTES`.
 */
template <typename T, auto Show, auto Store>
consteval ::kcpp_attr_desc attribute(const char* name) {
  ::kcpp_attr_desc d{name, nullptr, nullptr};
  if constexpr (!same_as<decltype(Show), std::nullptr_t>)
    d.show = &detail::show_thunk<T, Show>;
  if constexpr (!same_as<decltype(Store), std::nullptr_t>)
    d.store = &detail::store_thunk<T, Store>;
  return d;
}

}  // namespace kcpp::sysfs

#endif  // KCPP_SYSFS_H

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/miscdevice.h
 * @brief Miscellaneous character devices: `/dev/<name>` whose file
 * operations are a C++ class, one object per open file.
 *
 * Wraps `include/linux/miscdevice.h` (`misc_register()`,
 * `misc_deregister()`) and the `file_operations` a misc device has (open,
 * release, read, write, `unlocked_ioctl`, poll, llseek).
 *
 * A file-operations class @p T names the data its device shares between
 * open files (`T::Shared`, held in an `Arc`), and builds one `T` per
 * `open()`; the `T` lives until the file's last close (its destructor is
 * the release). The other operations are optional members, called
 * concurrently (several threads may share an open file, hence `const`):
 *
 * | member | C operation | missing: |
 * |---|---|---|
 * | `static Result<T> open(const Arc<Shared>&, const fs::File&)` | `open` | (required) |
 * | `Result<usize> read(const fs::File&, UserSliceWriter&, i64& pos) const` | `read` | `EINVAL` |
 * | `Result<usize> write(const fs::File&, UserSliceReader&, i64& pos) const` | `write` | `EINVAL` |
 * | `Result<long> ioctl(const fs::File&, u32 cmd, UserPtr arg) const` | `unlocked_ioctl` (and `compat_ptr_ioctl`) | `ENOTTY` |
 * | `fs::PollMask poll(const fs::File&, const fs::PollTable&) const` | `poll` | readable and writable |
 * | `Result<i64> llseek(const fs::File&, i64 offset, fs::Whence) const` | `llseek` | `ESPIPE` |
 *
 * Read and write get a reader or writer over exactly the user's buffer and
 * return how much they moved; `pos` is the file position, which they may
 * advance. The registration deregisters the device when it is destroyed:
 * kept in a module's state, the device lives with the module; kept in a
 * driver's data, it goes at unbind. Files still open then stay valid (their
 * objects hold `Shared`, and the module stays loaded while they are open);
 * operations on them should fail (a driver marks `Shared` gone at unbind,
 * as examples/misc does).
 *
 * @par Examples
 * A device whose reads return a counter shared by all open files, and
 * whose ioctl resets it (tests/miscdevice_test.cpp opens it through the
 * VFS; examples/misc is a whole ring buffer driven from user space):
 * @code{.cpp}
 * #^ struct Counter {
 * #^   kcpp::Mutex<kcpp::u64> reads{KCPP_LOCK_CLASS(), 0};
 * #^ };
 * #^ class CounterFile {
 * #^  public:
 * #^   using Shared = Counter;
 * #^   static constexpr kcpp::u32 RESET = kcpp::ioctl::io('c', 1);
 * #^   static kcpp::Result<CounterFile> open(const kcpp::Arc<Counter>& c, const kcpp::fs::File&) {
 * #^     return CounterFile(c);
 * #^   }
 * #^   kcpp::Result<kcpp::usize> read(const kcpp::fs::File&, kcpp::UserSliceWriter& out, kcpp::i64&) const {
 * #^     const kcpp::u64 n = ++*counter_->reads.lock();
 * #^     KCPP_TRY(out.write(n));
 * #^     return sizeof(n);
 * #^   }
 * #^   kcpp::Result<long> ioctl(const kcpp::fs::File&, kcpp::u32 cmd, kcpp::UserPtr) const {
 * #^     if (cmd != RESET)
 * #^       return kcpp::code::ENOTTY;
 * #^     *counter_->reads.lock() = 0;
 * #^     return 0;
 * #^   }
 * #^
 * #^  private:
 * #^   explicit CounterFile(kcpp::Arc<Counter> c) : counter_(std::move(c)) {}
 * #^   kcpp::Arc<Counter> counter_;
 * #^ };
 * static_assert(kcpp::miscdevice::FileOperations<CounterFile>);
 * auto counter = KCPP_TRY(kcpp::Arc<Counter>::make(kcpp::GFP_KERNEL));
 * auto dev = KCPP_TRY(kcpp::miscdevice::Registration<CounterFile>::make("kcpp-doc-counter", counter,
 *                                                                       kcpp::GFP_KERNEL));
 * KCPP_ASSERT(dev->minor() > 0);
 * KCPP_ASSERT_EQ(counter.count(), 2u);  // ours and the registration's
 * @endcode
 *
 * The per-open object must be built by `open()`, and the operations take
 * it `const`:
 * @code{.cpp compile_fail}
 * // compile_fail: constraints not satisfied | not satisfied
 * #^ struct NoOpen {
 * #^   using Shared = int;
 * #^ };
 * auto r = kcpp::miscdevice::Registration<NoOpen>::make("x", kcpp::Arc<int>(), kcpp::GFP_KERNEL);
 * @endcode
 */
#ifndef KCPP_MISCDEVICE_H
#define KCPP_MISCDEVICE_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/device.h>
#include <kcpp/fs.h>
#include <kcpp/ioctl.h>
#include <kcpp/sync/arc.h>
#include <kcpp/uaccess.h>

namespace kcpp::miscdevice {

/** @brief What kcpp requires of a file-operations class (see the file comment). */
template <typename T>
concept FileOperations = requires { typename T::Shared; } &&
                         requires(const Arc<typename T::Shared>& shared, const fs::File& file) {
                           { T::open(shared, file) } -> same_as<Result<T>>;
                         };

/// @cond KCPP_INTERNAL
namespace detail {
template <typename T>
concept HasRead = requires(const T& t, const fs::File& f, UserSliceWriter& w, i64& pos) {
  { t.read(f, w, pos) } -> same_as<Result<usize>>;
};
template <typename T>
concept HasWrite = requires(const T& t, const fs::File& f, UserSliceReader& r, i64& pos) {
  { t.write(f, r, pos) } -> same_as<Result<usize>>;
};
template <typename T>
concept HasIoctl = requires(const T& t, const fs::File& f, u32 cmd, UserPtr arg) {
  { t.ioctl(f, cmd, arg) } -> same_as<Result<long>>;
};
template <typename T>
concept HasPoll = requires(const T& t, const fs::File& f, const fs::PollTable& pt) {
  { t.poll(f, pt) } -> same_as<fs::PollMask>;
};
template <typename T>
concept HasLlseek = requires(const T& t, const fs::File& f, i64 off, fs::Whence w) {
  { t.llseek(f, off, w) } -> same_as<Result<i64>>;
};

// An open file's object: the header the shim reads, and the class's object.
template <typename T>
struct OpenFile {
  explicit OpenFile(T&& v) : value(std::move(v)) {}
  ::kcpp_file_header header{};
  T value;
};

// The C operations of class T; Reg is its registration.
template <typename T, typename Reg>
struct Ops {
  static OpenFile<T>& of(void* obj) { return *static_cast<OpenFile<T>*>(obj); }
  static int open(void* reg, ::file* f, ::kcpp_file_header** header) {
    const Reg& r = *static_cast<const Reg*>(reg);
    // SAFETY: the VFS calls open with an open struct file, valid during the call.
    Result<T> v = T::open(r.shared(), fs::File::unsafe_from_raw(f));
    if (v.is_err())
      return v.error().to_errno();
    // GFP_KERNEL: open runs in process context, for a process that can wait.
    auto box = KBox<OpenFile<T>>::make(GFP_KERNEL, std::move(v).expect("checked just above"));
    if (box.is_err())
      return box.error().to_errno();
    // SAFETY: the file's private_data owns the box from here; release() takes it back, once.
    OpenFile<T>* p = std::move(*box).into_raw();
    p->header = {&TABLE, p};
    *header = &p->header;
    return 0;
  }
  static void release(void* obj, ::file*) {
    // SAFETY: obj is the OpenFile that open() leaked into the file's private_data, released
    // exactly once, by the file's last close.
    (void)KBox<OpenFile<T>>::unsafe_from_raw(static_cast<OpenFile<T>*>(obj));
  }
  static long read(void* obj, ::file* f, unsigned long buf, unsigned long len, long long* pos) {
    UserSliceWriter w = UserSlice::make(UserPtr::from_addr(buf), len).writer();
    i64 p = *pos;
    // SAFETY: f is the file of this read, open during the call.
    Result<usize> r = of(obj).value.read(fs::File::unsafe_from_raw(f), w, p);
    if (r.is_err())
      return r.error().to_errno();
    *pos = p;
    return static_cast<long>(*r);
  }
  static long write(void* obj, ::file* f, unsigned long buf, unsigned long len, long long* pos) {
    UserSliceReader rd = UserSlice::make(UserPtr::from_addr(buf), len).reader();
    i64 p = *pos;
    // SAFETY: f is the file of this write, open during the call.
    Result<usize> r = of(obj).value.write(fs::File::unsafe_from_raw(f), rd, p);
    if (r.is_err())
      return r.error().to_errno();
    *pos = p;
    return static_cast<long>(*r);
  }
  static long ioctl(void* obj, ::file* f, unsigned int cmd, unsigned long arg) {
    // SAFETY: f is the file of this ioctl, open during the call.
    Result<long> r = of(obj).value.ioctl(fs::File::unsafe_from_raw(f), cmd, UserPtr::from_addr(arg));
    if (r.is_err())
      return r.error().to_errno();
    return *r;
  }
  static unsigned int poll(void* obj, ::file* f, ::poll_table_struct* pt) {
    const fs::PollTable table(f, pt);
    // SAFETY: f is the file being polled, open during the call.
    return of(obj).value.poll(fs::File::unsafe_from_raw(f), table).raw();
  }
  static long long llseek(void* obj, ::file* f, long long off, int whence) {
    if (whence != KCPP_SEEK_SET && whence != KCPP_SEEK_CUR && whence != KCPP_SEEK_END)
      return -KCPP_EINVAL;
    // SAFETY: f is the file being seeked, open during the call.
    Result<i64> r = of(obj).value.llseek(fs::File::unsafe_from_raw(f), off, static_cast<fs::Whence>(whence));
    if (r.is_err())
      return r.error().to_errno();
    return *r;
  }
  // The operations T has; the others stay null (the shim's defaults).
  static consteval ::kcpp_file_ops table() {
    ::kcpp_file_ops t{&open, &release, nullptr, nullptr, nullptr, nullptr, nullptr};
    if constexpr (HasRead<T>)
      t.read = &read;
    if constexpr (HasWrite<T>)
      t.write = &write;
    if constexpr (HasIoctl<T>)
      t.ioctl = &ioctl;
    if constexpr (HasPoll<T>)
      t.poll = &poll;
    if constexpr (HasLlseek<T>)
      t.llseek = &llseek;
    return t;
  }
  static constexpr ::kcpp_file_ops TABLE = table();
};
}  // namespace detail
/// @endcond

/**
 * @brief A registered misc device `/dev/<name>` whose files are @p T
 * objects. Not movable (the kernel points back to it): `make()` builds it
 * in a `KBox`.
 *
 * @par Invariants
 * `misc_` is the shim's registration, made for this object and `TABLE`, and
 * deregistered by the destructor only; `shared_` is what every open gets.
 */
template <typename T>
  requires FileOperations<T>
class Registration {
 public:
  /**
   * @brief Registers `/dev/<name>` (a dynamic minor), mode @p mode (0: the
   * kernel's default, 0600), under @p parent if given, for @p shared.
   * @p name must outlive the registration (a string literal does). kcpp's
   * records are allocated with @p gfp; registering sleeps, so flags that may
   * not are refused with `EINVAL`. `EBUSY` when the minor numbers run out,
   * `EEXIST` when the name is taken (the driver core logs a stack trace).
   */
  [[nodiscard]] static Result<KBox<Registration>> make(const char* name, Arc<typename T::Shared> shared,
                                                       Gfp gfp, u32 mode = 0,
                                                       const kcpp::Device<>* parent = nullptr) {
    if (!gfp.may_sleep() || mode > 0777)
      return code::EINVAL;
    auto box = KCPP_TRY(KBox<Registration>::make(gfp, Private{}, std::move(shared)));
    int err = 0;
    box->misc_ = kcpp_misc_register(name, mode, &detail::Ops<T, Registration>::TABLE, box.get(),
                                    parent ? parent->as_raw() : nullptr, gfp.as_raw(), &err);
    if (!box->misc_)
      return Error::from_errno(err);
    return box;
  }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  /** @brief Deregisters: no new open; files open now stay valid. */
  ~Registration() {
    if (misc_)
      kcpp_misc_deregister(misc_);
  }
  /** @brief The minor number (the major is `MISC_MAJOR`, 10). */
  [[nodiscard]] int minor() const { return kcpp_misc_minor(misc_); }
  /** @brief The data every open file gets. */
  [[nodiscard]] const Arc<typename T::Shared>& shared() const { return shared_; }
  /// @cond KCPP_INTERNAL
  [[nodiscard]] ::kcpp_misc* as_raw() const { return misc_; }
  struct Private {};
  Registration(Private, Arc<typename T::Shared> s) : shared_(std::move(s)) {}
  /// @endcond

 private:
  Arc<typename T::Shared> shared_;
  ::kcpp_misc* misc_ = nullptr;
};

}  // namespace kcpp::miscdevice

#endif  // KCPP_MISCDEVICE_H

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
 * | `Result<usize> read(const fs::File&, UserSliceWriter&, i64& pos) const` (or `i64 pos`) | `read` | `EINVAL` |
 * | `Result<usize> write(const fs::File&, UserSliceReader&, i64& pos) const` (or `i64 pos`) | `write` | `EINVAL` |
 * | `Result<long> ioctl(const fs::File&, u32 cmd, UserPtr arg) const` | `unlocked_ioctl`; `compat_ptr_ioctl` too with `static constexpr bool COMPAT_PTR_IOCTL = true` | `ENOTTY` (32-bit tasks: `ENOTTY` without `COMPAT_PTR_IOCTL`) |
 * | `fs::PollMask poll(const fs::File&, const fs::PollTable&) const` | `poll` | readable and writable |
 * | `Result<i64> llseek(const fs::File&, i64 offset, fs::Whence) const` | `llseek` | `ESPIPE` |
 *
 * Read and write get a reader or writer over exactly the user's buffer and
 * return how much they moved (more than the buffer is a bug: `EIO` and a
 * warning); `pos` is the file position, which they may advance through
 * an `i64&` (kept only when the call succeeds; a device without positions
 * takes `i64` and pays nothing for them). `llseek()` returns the new
 * position, which becomes the file's (`fs::File::position()`). `open()`
 * runs under the misc core's global mutex (`misc_mtx`): it must not sleep
 * for long, nor take a lock that is held across a copy from or to user
 * space (which can sleep as long as user space likes), or every misc open
 * in the system waits behind it. The per-open object is charged to the
 * opener's memory cgroup (`GFP_KERNEL_ACCOUNT`). The registration deregisters the device when it is destroyed:
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
#include <kcpp/bindings/mirror.h>
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
// A read or write that takes the position by value (or const reference)
// cannot move it: the thunk hands it over and keeps nothing.
template <typename T>
concept ReadKeepsPos =
    requires(const T& t, const fs::File& f, UserSliceWriter& w, const i64& pos) { t.read(f, w, pos); };
template <typename T>
concept WriteKeepsPos =
    requires(const T& t, const fs::File& f, UserSliceReader& r, const i64& pos) { t.write(f, r, pos); };
template <typename T>
concept HasIoctl = requires(const T& t, const fs::File& f, u32 cmd, UserPtr arg) {
  { t.ioctl(f, cmd, arg) } -> same_as<Result<long>>;
};
template <typename T>
concept HasPoll = requires(const T& t, const fs::File& f, const fs::PollTable& pt) {
  { t.poll(f, pt) } -> same_as<fs::PollMask>;
};
// 32-bit tasks reach ioctl only where the class says its commands mean
// the same there (compat_ptr_ioctl(): a pointer argument, no long or
// pointer inside it).
template <typename T>
concept CompatPtrIoctl = requires {
  { T::COMPAT_PTR_IOCTL } -> convertible_to<bool>;
} && T::COMPAT_PTR_IOCTL;
template <typename T>
concept HasLlseek = requires(const T& t, const fs::File& f, i64 off, fs::Whence w) {
  { t.llseek(f, off, w) } -> same_as<Result<i64>>;
};

// struct file_operations, laid out by C++ from the configured kernel's
// offsets (the fields kcpp sets; the rest stay zero, as in C).
using bindings::Gap;
#define KCPP_FOPS_OFF_(f) KCPP_OFFSETOF_file_operations_##f
struct RawFileOps {
  const ::module* owner;
  [[no_unique_address]] Gap<KCPP_FOPS_OFF_(llseek) - KCPP_FOPS_OFF_(owner) - 8, 1> gap0;
  long long (*llseek)(::file*, long long, int);
  [[no_unique_address]] Gap<KCPP_FOPS_OFF_(read) - KCPP_FOPS_OFF_(llseek) - 8, 2> gap1;
  long (*read)(::file*, char*, unsigned long, long long*);
  [[no_unique_address]] Gap<KCPP_FOPS_OFF_(write) - KCPP_FOPS_OFF_(read) - 8, 3> gap2;
  long (*write)(::file*, const char*, unsigned long, long long*);
  [[no_unique_address]] Gap<KCPP_FOPS_OFF_(poll) - KCPP_FOPS_OFF_(write) - 8, 4> gap3;
  unsigned int (*poll)(::file*, ::poll_table_struct*);
  [[no_unique_address]] Gap<KCPP_FOPS_OFF_(unlocked_ioctl) - KCPP_FOPS_OFF_(poll) - 8, 5> gap4;
  long (*unlocked_ioctl)(::file*, unsigned int, unsigned long);
  [[no_unique_address]] Gap<KCPP_FOPS_OFF_(compat_ioctl) - KCPP_FOPS_OFF_(unlocked_ioctl) - 8, 6> gap5;
  long (*compat_ioctl)(::file*, unsigned int, unsigned long);
  [[no_unique_address]] Gap<KCPP_FOPS_OFF_(open) - KCPP_FOPS_OFF_(compat_ioctl) - 8, 7> gap6;
  int (*open)(::inode*, ::file*);
  [[no_unique_address]] Gap<KCPP_FOPS_OFF_(release) - KCPP_FOPS_OFF_(open) - 8, 8> gap7;
  int (*release)(::inode*, ::file*);
  [[no_unique_address]] Gap<KCPP_SIZEOF_file_operations - KCPP_FOPS_OFF_(release) - 8, 9> tail;
};
static_assert(sizeof(RawFileOps) == KCPP_SIZEOF_file_operations &&
                  __builtin_offsetof(RawFileOps, llseek) == KCPP_FOPS_OFF_(llseek) &&
                  __builtin_offsetof(RawFileOps, read) == KCPP_FOPS_OFF_(read) &&
                  __builtin_offsetof(RawFileOps, write) == KCPP_FOPS_OFF_(write) &&
                  __builtin_offsetof(RawFileOps, poll) == KCPP_FOPS_OFF_(poll) &&
                  __builtin_offsetof(RawFileOps, unlocked_ioctl) == KCPP_FOPS_OFF_(unlocked_ioctl) &&
                  __builtin_offsetof(RawFileOps, compat_ioctl) == KCPP_FOPS_OFF_(compat_ioctl) &&
                  __builtin_offsetof(RawFileOps, open) == KCPP_FOPS_OFF_(open) &&
                  __builtin_offsetof(RawFileOps, release) == KCPP_FOPS_OFF_(release),
              "kcpp: struct file_operations of this kernel is not laid out as kcpp/miscdevice.h expects "
              "(a randomized layout?)");
#undef KCPP_FOPS_OFF_

// fs/ioctl.c, exported where the kernel runs 32-bit tasks (CONFIG_COMPAT).
extern "C" long compat_ptr_ioctl(::file* file, unsigned int cmd, unsigned long arg);

// The module the operations belong to (THIS_MODULE): the VFS pins it while a
// file is open.
#ifdef MODULE
extern "C" ::module __this_module;  // NOLINT(readability-identifier-naming): the kernel's name
inline constexpr const ::module* OWNER_MODULE = &__this_module;
#else
inline constexpr const ::module* OWNER_MODULE = nullptr;
#endif

// The open file's object, in private_data from open to release.
template <typename T>
T* object_of(const ::file* f) {
  void* p;
  // SAFETY: f is an open struct file; its bytes are read as u8 (which may alias anything) at the
  // offset of private_data that the configured kernel gives.
  __builtin_memcpy(&p, reinterpret_cast<const u8*>(f) + KCPP_OFFSETOF_file_private_data, sizeof(p));
  return static_cast<T*>(p);
}

// The file operations of class T, which the VFS calls; Reg is its registration.
template <typename T, typename Reg>
struct Ops {
  static int open(::inode*, ::file* f) {
    // SAFETY: misc_open() calls this with f's private_data still naming the misc device, and
    // holds misc_mtx, so the registration (kept by the device) cannot go meanwhile.
    const Reg& r = *static_cast<const Reg*>(kcpp_misc_registration(f));
    // SAFETY: the VFS calls open with an open struct file, valid during the call.
    Result<T> v = T::open(r.shared(), fs::File::unsafe_from_raw(f));
    if (v.is_err())
      return v.error().to_errno();
    // Process context, and charged to the opener's memory cgroup: user space
    // decides how many files are open.
    auto box = KBox<T>::make(GFP_KERNEL_ACCOUNT, std::move(v).expect("checked just above"));
    if (box.is_err())
      return box.error().to_errno();
    // SAFETY: the file's private_data owns the object from here; release() takes it back, once.
    kcpp_file_set_private(f, std::move(*box).into_raw());
    return 0;
  }
  static int release(::inode*, ::file* f) {
    // SAFETY: private_data holds the object open() leaked into it, released exactly once, by the
    // file's last close.
    (void)KBox<T>::unsafe_from_raw(object_of<T>(f));
    return 0;
  }
  // The position a read or write may move is a copy, stored back only when
  // the call succeeds: a readv() or writev() calls it once per segment with
  // one position and keeps that whenever the earlier segments moved data, so
  // a failed segment must leave it as it was.
  // NOLINTNEXTLINE(readability-non-const-parameter): T's member advances *pos (a dependent call)
  static long read(::file* f, char* buf, unsigned long len, long long* pos) {
    // SAFETY: buf is a user address the VFS passes on; it becomes a number, never a pointer kcpp
    // dereferences (UserSlice copies with copy_to_user()).
    UserSliceWriter w = UserSlice::make(UserPtr::from_addr(reinterpret_cast<uptr>(buf)), len).writer();
    const T* t = object_of<const T>(f);
    // SAFETY: f is the file of this read, open during the call. (pos is the VFS's position for
    // it, never null: kcpp never makes a file FMODE_STREAM.)
    const fs::File& file = fs::File::unsafe_from_raw(f);
    if constexpr (ReadKeepsPos<T>) {
      return moved(t->read(file, w, *pos), len);
    } else {
      i64 p = *pos;
      const long r = moved(t->read(file, w, p), len);
      if (r >= 0)
        *pos = p;
      return r;
    }
  }
  // NOLINTNEXTLINE(readability-non-const-parameter): T's member advances *pos (a dependent call)
  static long write(::file* f, const char* buf, unsigned long len, long long* pos) {
    // SAFETY: as for read(): the user address only becomes a number.
    UserSliceReader rd = UserSlice::make(UserPtr::from_addr(reinterpret_cast<uptr>(buf)), len).reader();
    const T* t = object_of<const T>(f);
    // SAFETY: f is the file of this write, open during the call; pos as for read().
    const fs::File& file = fs::File::unsafe_from_raw(f);
    if constexpr (WriteKeepsPos<T>) {
      return moved(t->write(file, rd, *pos), len);
    } else {
      i64 p = *pos;
      const long r = moved(t->write(file, rd, p), len);
      if (r >= 0)
        *pos = p;
      return r;
    }
  }
  static long ioctl(::file* f, unsigned int cmd, unsigned long arg) {
    // SAFETY: f is the file of this ioctl, open during the call.
    Result<long> r = object_of<const T>(f)->ioctl(fs::File::unsafe_from_raw(f), cmd, UserPtr::from_addr(arg));
    if (r.is_err())
      return r.error().to_errno();
    return *r;
  }
  static unsigned int poll(::file* f, ::poll_table_struct* pt) {
    const fs::PollTable table(f, pt);
    // SAFETY: f is the file being polled, open during the call.
    return object_of<const T>(f)->poll(fs::File::unsafe_from_raw(f), table).raw();
  }
  static long long llseek(::file* f, long long off, int whence) {
    if (whence != KCPP_SEEK_SET && whence != KCPP_SEEK_CUR && whence != KCPP_SEEK_END)
      return -KCPP_EINVAL;
    // SAFETY: f is the file being seeked, open during the call.
    Result<i64> r =
        object_of<const T>(f)->llseek(fs::File::unsafe_from_raw(f), off, static_cast<fs::Whence>(whence));
    if (r.is_err())
      return r.error().to_errno();
    // The file's position is the operation's to set (as generic_file_llseek()
    // does): EINVAL for a negative one, which C's lseek() could not return.
    return kcpp_file_set_pos(f, *r);
  }
  // What read() and write() say they moved, checked against what they
  // could have moved: more is a bug in the class, not something to tell
  // user space.
  static long moved(Result<usize> r, unsigned long len) {
    if (r.is_err())
      return r.error().to_errno();
    if (*r > len) {
      kcpp_warn(__FILE__, __LINE__, "a misc device's read or write returned more than the buffer holds");
      return -KCPP_EIO;
    }
    return static_cast<long>(*r);
  }
  // The operations T has; the others stay null: the VFS's defaults (EINVAL
  // for read and write, ENOTTY for ioctl, readable and writable for poll,
  // ESPIPE for llseek: the VFS clears FMODE_LSEEK after open when the
  // file has no llseek).
  static consteval RawFileOps table() {
    RawFileOps t{};
    t.owner = OWNER_MODULE;
    t.open = &open;
    t.release = &release;
    if constexpr (HasLlseek<T>)
      t.llseek = &llseek;
    if constexpr (HasRead<T>)
      t.read = &read;
    if constexpr (HasWrite<T>)
      t.write = &write;
    if constexpr (HasIoctl<T>) {
      t.unlocked_ioctl = &ioctl;
      if constexpr (KCPP_CONFIG_COMPAT && CompatPtrIoctl<T>)
        t.compat_ioctl = &compat_ptr_ioctl;
    }
    if constexpr (HasPoll<T>)
      t.poll = &poll;
    return t;
  }
  static constexpr RawFileOps TABLE = table();
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
    // TABLE is laid out as the configured kernel's struct file_operations
    // (checked in RawFileOps), in static storage: it outlives every file
    // open on the device.
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

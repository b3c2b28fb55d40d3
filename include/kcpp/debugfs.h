/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/debugfs.h
 * @brief debugfs: `debugfs::Dir`, a directory under `/sys/kernel/debug`,
 * and `debugfs::File<F>`, a read-only file whose contents a C++ function
 * writes; both removed when destroyed, with no dangling file afterwards.
 *
 * Wraps `include/linux/debugfs.h` (`debugfs_create_dir()`,
 * `debugfs_create_file()`, `debugfs_remove()`) and the `seq_file` of
 * `include/linux/seq_file.h` (`single_open()`, `seq_printf()`).
 *
 * A file's function, `void operator()(debugfs::Writer&) const`, runs on
 * each read of the file, in process context, concurrently with the rest of
 * the driver (hence `const`: what it reads must be atomic or locked). The
 * file owns the function and never moves (the kernel points to it); its
 * destructor removes the file and waits for a read in progress, so the
 * function never runs after the file is gone, and a reader that still
 * holds the file open gets `EIO`. Destroying the directory first removes
 * its files with it; their objects then only let go of their dentries.
 *
 * @par Examples
 * @code{.cpp}
 * #^ struct Stats {
 * #^   const int* hits;
 * #^   void operator()(kcpp::debugfs::Writer& w) const {
 * #^     w.printf("hits: %d\n", __atomic_load_n(hits, __ATOMIC_RELAXED));
 * #^   }
 * #^ };
 * int hits = 7;
 * auto dir = KCPP_TRY(kcpp::debugfs::Dir::make("kcpp-doc"));
 * auto file = KCPP_TRY(dir.file("stats", Stats{&hits}, kcpp::GFP_KERNEL));
 * KCPP_ASSERT(kcpp_test_debugfs_exists("stats", dir.as_raw()));
 * char out[32];
 * KCPP_ASSERT_EQ(kcpp_test_debugfs_show(file->as_raw(), out, sizeof(out)), 8);  // what a read gives
 * KCPP_ASSERT_EQ(__builtin_memcmp(out, "hits: 7\n", 8), 0);
 * auto sub = KCPP_TRY(kcpp::debugfs::Dir::make("nested", &dir));
 * KCPP_ASSERT(kcpp_test_debugfs_exists("nested", dir.as_raw()));
 * @endcode
 * (`kcpp_test_*` are test hooks: the doctest reads the file without a
 * mounted debugfs; from user space it is `cat /sys/kernel/debug/kcpp-doc/stats`.)
 */
#ifndef KCPP_DEBUGFS_H
#define KCPP_DEBUGFS_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/core/utility.h>

namespace kcpp::debugfs {

/**
 * @brief What a file's function writes to: the read's `seq_file`.
 *
 * @par Invariants
 * `m_` is the seq_file of the read in progress, valid during the function's
 * call only (a `Writer` is never copied out of it).
 */
class Writer {
 public:
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  /** @brief Appends formatted text (`seq_printf()`; the format is checked at compile time). */
  [[gnu::format(printf, 2, 3)]] void printf(const char* fmt, ...) const {
    __builtin_va_list args;
    __builtin_va_start(args, fmt);
    ::seq_vprintf(m_, fmt, args);
    __builtin_va_end(args);
  }
  /** @brief Appends @p len bytes of @p s. */
  void write(const char* s, usize len) const { kcpp_seq_write(m_, s, len); }
  /// @cond KCPP_INTERNAL
  explicit Writer(::seq_file* m) : m_(m) {}
  /// @endcond

 private:
  ::seq_file* m_;
};

template <typename F>
class File;

/**
 * @brief A debugfs directory; removed, with everything in it, when
 * destroyed.
 *
 * @par Invariants
 * Unless moved from, `d_` is a directory this object created and alone
 * removes.
 */
class Dir {
 public:
  /**
   * @brief Creates directory @p name (must outlive it: a string literal)
   * under @p parent, or at the top of debugfs. `ENODEV` without debugfs,
   * `EEXIST` if the name is taken.
   */
  [[nodiscard]] static Result<Dir> make(const char* name, const Dir* parent = nullptr) {
    int err = 0;
    ::dentry* d = kcpp_debugfs_create_dir(name, parent ? parent->d_ : nullptr, &err);
    if (!d)
      return Error::from_errno(err);
    return Dir(d);
  }
  /** @brief Takes over @p other's directory. */
  Dir(Dir&& other) noexcept : d_(exchange(other.d_, nullptr)) {}
  Dir& operator=(Dir&&) = delete;
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  /** @brief Removes the directory and what it holds, waiting for reads in progress. */
  ~Dir() {
    if (d_)
      kcpp_debugfs_remove_dir(d_);
  }
  /**
   * @brief A read-only file @p name in this directory (mode @p mode, at
   * most 0444) whose reads call @p f; in a `KBox` allocated with @p gfp.
   */
  template <typename F>
  [[nodiscard]] Result<KBox<File<F>>> file(const char* name, F f, Gfp gfp, u32 mode = 0444) const {
    if (mode & ~0444u)
      return code::EINVAL;  // read-only: the file has no write operation
    auto box = KCPP_TRY(KBox<File<F>>::make(gfp, typename File<F>::Private{}, std::move(f)));
    KCPP_TRY(box->create(name, mode, *this));
    return box;
  }
  /// @cond KCPP_INTERNAL
  [[nodiscard]] ::dentry* as_raw() const { return d_; }
  /// @endcond

 private:
  explicit Dir(::dentry* d) : d_(d) {}
  ::dentry* d_;
};

/// @cond KCPP_INTERNAL
namespace detail {
template <typename F>
concept ShowFunction = requires(const F& f, Writer& w) { f(w); } && is_move_constructible_v<F>;
}  // namespace detail
/// @endcond

/**
 * @brief A read-only debugfs file whose contents @p F writes (see the file
 * comment). Not movable.
 *
 * @par Invariants
 * `show_` points to this object while the file exists; `d_` is the file's
 * dentry, with a reference of ours, removed (unless its directory's
 * removal did it) and released by the destructor before `f_` goes.
 */
template <typename F>
class File {
  static_assert(detail::ShowFunction<F>, "kcpp: a debugfs file's function is void operator()(Writer&) const");

 public:
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  /** @brief Removes the file (waiting for a read in progress), then destroys the function. */
  ~File() {
    if (d_)
      kcpp_debugfs_remove_file(d_);
  }
  /** @brief The function. */
  [[nodiscard]] const F& function() const { return f_; }
  /// @cond KCPP_INTERNAL
  [[nodiscard]] const ::kcpp_debugfs_show* as_raw() const { return &show_; }
  struct Private {};
  File(Private, F f) : f_(std::move(f)), show_{&show, this} {}
  Result<void> create(const char* name, u32 mode, const Dir& dir) {
    int err = 0;
    d_ = kcpp_debugfs_create_file(name, mode, dir.as_raw(), &show_, &err);
    if (!d_)
      return Error::from_errno(err);
    return {};
  }
  /// @endcond

 private:
  static int show(void* self, ::seq_file* m) {
    Writer w(m);
    static_cast<const File*>(self)->f_(w);
    return 0;
  }
  F f_;
  ::kcpp_debugfs_show show_;
  ::dentry* d_ = nullptr;
};

}  // namespace kcpp::debugfs

#endif  // KCPP_DEBUGFS_H

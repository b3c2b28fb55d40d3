/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/fs.h
 * @brief What file operations see of an open file: `fs::File` (its flags),
 * `fs::PollTable` (what `poll()` registers on), `fs::PollMask`, `fs::Whence`.
 *
 * Wraps the parts of `include/linux/fs.h` and `include/linux/poll.h` that
 * a character device's operations use (`struct file`'s `f_flags`,
 * `poll_wait()`, `EPOLL*`, `SEEK_*`). kcpp/miscdevice.h calls a driver's
 * operations with these.
 *
 * @par Examples
 * @code{.cpp}
 * constexpr kcpp::fs::PollMask readable = kcpp::fs::PollMask::IN | kcpp::fs::PollMask::RDNORM;
 * static_assert(readable.contains(kcpp::fs::PollMask::IN));
 * static_assert(!readable.contains(kcpp::fs::PollMask::OUT));
 * static_assert(readable.raw() == (KCPP_EPOLLIN | KCPP_EPOLLRDNORM));
 * static_assert(kcpp::fs::PollMask().raw() == 0);
 * static_assert(static_cast<int>(kcpp::fs::Whence::End) == KCPP_SEEK_END);
 * // A poll that only asks (the VFS passes no table) registers nothing:
 * kcpp::WaitQueue wq(KCPP_LOCK_CLASS());
 * const kcpp::fs::PollTable asks_only(nullptr, nullptr);
 * asks_only.wait(wq);
 * @endcode
 * tests/miscdevice_test.cpp and examples/misc use `File` and `PollTable`.
 */
#ifndef KCPP_FS_H
#define KCPP_FS_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/types.h>
#include <kcpp/sync/wait.h>

namespace kcpp::fs {

/** @brief What `poll()` reports: `EPOLL*` bits. */
class PollMask {
 public:
  /** @brief Nothing ready. */
  constexpr PollMask() = default;
  static const PollMask IN;      ///< `EPOLLIN`: data to read.
  static const PollMask OUT;     ///< `EPOLLOUT`: room to write.
  static const PollMask RDNORM;  ///< `EPOLLRDNORM`.
  static const PollMask WRNORM;  ///< `EPOLLWRNORM`.
  static const PollMask PRI;     ///< `EPOLLPRI`: urgent data.
  static const PollMask ERR;     ///< `EPOLLERR`.
  static const PollMask HUP;     ///< `EPOLLHUP`: the other end (the device) is gone.
  /** @brief Both sets. */
  friend constexpr PollMask operator|(PollMask a, PollMask b) { return PollMask(a.bits_ | b.bits_); }
  /** @brief Whether every bit of @p m is set. */
  [[nodiscard]] constexpr bool contains(PollMask m) const { return (bits_ & m.bits_) == m.bits_; }
  /** @brief The bits. */
  [[nodiscard]] constexpr unsigned int raw() const { return bits_; }
  /** @brief Masks compare by bits. */
  friend constexpr bool operator==(PollMask, PollMask) = default;

 private:
  constexpr explicit PollMask(unsigned int b) : bits_(b) {}
  unsigned int bits_ = 0;
};
inline constexpr PollMask PollMask::IN{KCPP_EPOLLIN};
inline constexpr PollMask PollMask::OUT{KCPP_EPOLLOUT};
inline constexpr PollMask PollMask::RDNORM{KCPP_EPOLLRDNORM};
inline constexpr PollMask PollMask::WRNORM{KCPP_EPOLLWRNORM};
inline constexpr PollMask PollMask::PRI{KCPP_EPOLLPRI};
inline constexpr PollMask PollMask::ERR{KCPP_EPOLLERR};
inline constexpr PollMask PollMask::HUP{KCPP_EPOLLHUP};

/** @brief Where `llseek()` counts from. */
enum class Whence : int {
  Set = KCPP_SEEK_SET,  ///< From the start.
  Cur = KCPP_SEEK_CUR,  ///< From the current position.
  End = KCPP_SEEK_END,  ///< From the end.
};

/**
 * @brief An open file, as its operations see it.
 *
 * @par Invariants
 * Never constructed, copied or moved: a reference to it is a `struct file`
 * that the VFS keeps open while an operation on it runs.
 */
class File {
 public:
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  /**
   * @brief The file behind @p raw.
   *
   * @par Safety
   * @p raw is an open file, valid while the reference is used (a file
   * operation's argument).
   */
  static const File& unsafe_from_raw(const ::file* raw) {
    // SAFETY: File is an empty view class, never constructed (protected constructor, copies
    // deleted), standing for the struct file at raw, which the caller keeps open.
    return *reinterpret_cast<const File*>(raw);
  }
  /** @brief The C file. */
  [[nodiscard]] ::file* as_raw() const {
    // SAFETY: this came from unsafe_from_raw() of a real struct file; the const was the view's.
    return reinterpret_cast<::file*>(const_cast<File*>(this));
  }
  /** @brief The open flags (`f_flags`: `O_NONBLOCK`, ...). */
  [[nodiscard]] unsigned int flags() const { return kcpp_file_flags(as_raw()); }
  /** @brief Whether it was opened, or set, non-blocking: a read with no data gives `EAGAIN`. */
  [[nodiscard]] bool is_nonblocking() const { return (flags() & KCPP_O_NONBLOCK) != 0; }
  /**
   * @brief The file position (`f_pos`): where the next `read()` or `write()`
   * starts, and what `llseek()` with `Whence::Cur` is relative to.
   */
  [[nodiscard]] i64 position() const { return kcpp_file_pos(as_raw()); }

 protected:
  File() = default;
  ~File() = default;
};

/**
 * @brief What a `poll()` operation registers its wait queues on.
 *
 * @par Invariants
 * `file_` is the file being polled and `pt_` the VFS's table (may be null:
 * a poll that only asks), both valid during the `poll()` call only.
 */
class PollTable {
 public:
  PollTable(const PollTable&) = delete;
  PollTable& operator=(const PollTable&) = delete;
  /**
   * @brief Adds @p wq to the table (`poll_wait()`): a wake-up of it makes
   * the poller look again. @p wq must outlive the file (keep it in the
   * file's object or in state the file holds a reference to).
   */
  void wait(const WaitQueue& wq) const { kcpp_poll_wait(file_, wq.raw(), pt_); }
  /// @cond KCPP_INTERNAL
  PollTable(::file* f, ::poll_table_struct* pt) : file_(f), pt_(pt) {}
  /// @endcond

 private:
  ::file* file_;
  ::poll_table_struct* pt_;
};

}  // namespace kcpp::fs

#endif  // KCPP_FS_H

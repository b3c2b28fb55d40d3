/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/uaccess.h
 * @brief User-space memory: `UserPtr`, an address that cannot be
 * dereferenced, and `UserSlice` with its reader and writer, which copy in
 * and out with the length checked and `EFAULT` for memory that is not there.
 *
 * Wraps `include/linux/uaccess.h` (`copy_from_user()`, `copy_to_user()`,
 * `strncpy_from_user()`, `clear_user()`).
 *
 * A system call hands a driver an address in the caller's address space
 * and, usually, a length. kcpp keeps that address as a number
 * (`UserPtr`): it has no `*`, no `->` and no conversion to a pointer, so
 * kernel code cannot read user memory except through a copy that checks it.
 * A `UserSlice` is such an address with a length; its `reader()` copies out
 * of it, front to back, its `writer()` into it, and neither goes past the
 * length: a copy longer than what is left fails with `EFAULT`, as does one
 * that meets unmapped memory. Typed reads take `PlainBytes` types only
 * (those any byte sequence is a valid value of), since the bytes come from
 * user space.
 *
 * @par Examples
 * Round trips through user memory that the test's address space maps (the
 * doctest asks KUnit for it; a driver gets its slices from `read()`,
 * `write()` and `ioctl()`):
 * @code{.cpp}
 * #~ const kcpp::uptr base = kcpp_kunit_user_memory(kcpp_kunit_current(), 4096);
 * #~ KCPP_ASSERT(base != 0);
 * struct Request {
 *   kcpp::u32 op;
 *   kcpp::u32 len;
 *   KCPP_PLAIN_BYTES;
 * };
 * kcpp::UserPtr user = kcpp::UserPtr::from_addr(base);
 * kcpp::UserSliceWriter out = kcpp::UserSlice::make(user, 16).writer();
 * KCPP_TRY(out.write(Request{7, 100}));
 * const kcpp::u8 hi[] = "hi";
 * KCPP_TRY(out.write_slice(hi));
 * KCPP_ASSERT_EQ(out.len(), 16u - 8 - 3);
 * kcpp::UserSliceReader in = kcpp::UserSlice::make(user, 16).reader();
 * Request req = KCPP_TRY(in.read<Request>());
 * KCPP_ASSERT_EQ(req.op, 7u);
 * KCPP_ASSERT_EQ(req.len, 100u);
 * char name[8];
 * KCPP_ASSERT_EQ(KCPP_TRY(in.read_cstr(name)), 2u);  // "hi", NUL included in what it consumed
 * KCPP_ASSERT_EQ(in.len(), 16u - 8 - 3);
 * // Past the slice's end, or into memory that is not mapped: EFAULT.
 * KCPP_ASSERT_EQ(in.read<kcpp::u64>().error(), kcpp::code::EFAULT);
 * kcpp::UserSliceReader bad = kcpp::UserSlice::make(kcpp::UserPtr(), 4).reader();
 * KCPP_ASSERT_EQ(bad.read<kcpp::u32>().error(), kcpp::code::EFAULT);
 * @endcode
 *
 * Reading a whole slice into a vector, and strings bounded by a buffer:
 * @code{.cpp}
 * #~ const kcpp::uptr base = kcpp_kunit_user_memory(kcpp_kunit_current(), 4096);
 * #~ KCPP_ASSERT(base != 0);
 * kcpp::UserPtr user = kcpp::UserPtr::from_addr(base);
 * const kcpp::u8 text[] = "kcpp-string";
 * KCPP_TRY(kcpp::UserSlice::make(user, 12).writer().write_slice(text));
 * kcpp::KVec<kcpp::u8> all;
 * KCPP_TRY(kcpp::UserSlice::make(user, 12).reader().read_all(all, kcpp::GFP_KERNEL));
 * KCPP_ASSERT_EQ(all.len(), 12u);
 * KCPP_ASSERT_EQ(all[4], '-');
 * char small[4];
 * KCPP_ASSERT_EQ(kcpp::UserSlice::make(user, 12).reader().read_cstr(small).error(), kcpp::code::ENAMETOOLONG);
 * // The slice ends before the string does:
 * char big[32];
 * KCPP_ASSERT_EQ(kcpp::UserSlice::make(user, 5).reader().read_cstr(big).error(), kcpp::code::EINVAL);
 * KCPP_ASSERT_EQ(KCPP_TRY(kcpp::UserSlice::make(user, 12).reader().read_cstr(big)), 11u);
 * KCPP_ASSERT_EQ(__builtin_strcmp(big, "kcpp-string"), 0);
 * // An address past the end of the address space never wraps around.
 * KCPP_ASSERT_EQ(kcpp::UserPtr::from_addr(~kcpp::uptr(0) - 2).offset(8).error(), kcpp::code::EFAULT);
 * @endcode
 *
 * A user pointer cannot be dereferenced, or turned into a kernel pointer:
 * @code{.cpp compile_fail}
 * // compile_fail: no match for | indirection requires pointer operand
 * auto f = [](kcpp::UserPtr p) { return *p; };
 * @endcode
 * @code{.cpp compile_fail}
 * // compile_fail: invalid cast | cannot cast | reinterpret_cast from
 * auto f = [](kcpp::UserPtr p) { return reinterpret_cast<const int*>(p); };
 * @endcode
 * Only plain-bytes types are read from user space (a `bool` may hold any
 * byte there):
 * @code{.cpp compile_fail}
 * // compile_fail: constraints not satisfied | no matching member function
 * auto f = [](kcpp::UserSliceReader& r) { return r.read<bool>(); };
 * @endcode
 * A structure with padding is not written to user space (the padding
 * would carry stale kernel bytes):
 * @code{.cpp compile_fail}
 * // compile_fail: this type has padding
 * struct Reply {
 *   kcpp::u8 status;
 *   kcpp::u32 value;  // three bytes of padding before it
 *   KCPP_PLAIN_BYTES;
 * };
 * auto f = [](kcpp::UserSliceWriter& w) { return w.write(Reply{0, 1}); };
 * @endcode
 */
#ifndef KCPP_UACCESS_H
#define KCPP_UACCESS_H

#include <kcpp/alloc/kvec.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/bytes.h>
#include <kcpp/core/error.h>
#include <kcpp/core/span.h>
#include <kcpp/core/types.h>

namespace kcpp {

/**
 * @brief An address in the calling process's address space: a number, with
 * no way to dereference it.
 *
 * @par Invariants
 * None on the value: any address, null included, may come from user space.
 * Every access goes through `UserSlice`, whose copies check it.
 */
class UserPtr {
 public:
  /** @brief The null address. */
  constexpr UserPtr() = default;
  /** @brief The address @p addr (an ioctl's argument, a system call's buffer). */
  static constexpr UserPtr from_addr(uptr addr) { return UserPtr(addr); }
  /** @brief The address as a number. */
  [[nodiscard]] constexpr uptr addr() const { return addr_; }
  /** @brief Whether it is null. */
  [[nodiscard]] constexpr bool is_null() const { return addr_ == 0; }
  /** @brief The address @p n bytes further; `EFAULT` if that wraps around. */
  [[nodiscard]] constexpr Result<UserPtr> offset(usize n) const {
    uptr r = 0;
    if (__builtin_add_overflow(addr_, n, &r))
      return code::EFAULT;
    return UserPtr(r);
  }
  /** @brief Addresses compare by value. */
  friend constexpr bool operator==(UserPtr, UserPtr) = default;

 private:
  constexpr explicit UserPtr(uptr a) : addr_(a) {}
  uptr addr_ = 0;
};

class UserSliceReader;
class UserSliceWriter;

/**
 * @brief @p len bytes of user memory at a `UserPtr`, to be read or written
 * once through `reader()` or `writer()`.
 *
 * @par Invariants
 * None on the memory (user space may unmap or change it at any time): the
 * reader and writer check every copy.
 */
class UserSlice {
 public:
  /** @brief The @p len bytes at @p ptr. */
  static constexpr UserSlice make(UserPtr ptr, usize len) { return UserSlice(ptr, len); }
  /** @brief The address. */
  [[nodiscard]] constexpr UserPtr ptr() const { return ptr_; }
  /** @brief The length. */
  [[nodiscard]] constexpr usize len() const { return len_; }
  /** @brief A reader from the start. */
  [[nodiscard]] UserSliceReader reader() const;
  /** @brief A writer from the start. */
  [[nodiscard]] UserSliceWriter writer() const;

 private:
  constexpr UserSlice(UserPtr p, usize n) : ptr_(p), len_(n) {}
  UserPtr ptr_;
  usize len_;
};

/**
 * @brief Reads a user slice front to back.
 *
 * @par Invariants
 * `ptr_` is the next byte to read, and `len_` bytes are left; a failed
 * read consumes nothing.
 */
class UserSliceReader {
 public:
  /** @brief Bytes left. */
  [[nodiscard]] usize len() const { return len_; }
  /** @brief Whether nothing is left. */
  [[nodiscard]] bool is_empty() const { return len_ == 0; }
  /** @brief Skips @p n bytes; `EFAULT` if fewer are left. */
  [[nodiscard]] Result<void> skip(usize n) {
    uptr end = 0;
    if (n > len_ || __builtin_add_overflow(ptr_.addr(), n, &end))
      return code::EFAULT;
    advance(n);
    return {};
  }
  /**
   * @brief Fills @p out with the next `out.size()` bytes; `EFAULT` if fewer
   * are left or the memory is not readable (then @p out is zeroed and
   * nothing is consumed).
   */
  [[nodiscard]] Result<void> read_raw(Span<u8> out) {
    if (out.size() > len_) {
      __builtin_memset(out.data(), 0, out.size());
      return code::EFAULT;
    }
    if (kcpp_copy_from_user(out.data(), ptr_.addr(), out.size()) != 0) {
      // copy_from_user() zeroed what it could not copy; the rest came from
      // user space and is dropped too: a failed read leaves no user bytes.
      __builtin_memset(out.data(), 0, out.size());
      return code::EFAULT;
    }
    advance(out.size());
    return {};
  }
  /** @brief The next `sizeof(T)` bytes as a @p T (see `read_raw()`). */
  template <typename T>
    requires PlainBytes<T>
  [[nodiscard]] Result<T> read() {
    T v;
    // SAFETY: T is PlainBytes (any byte sequence is a valid T), so its storage may be filled as
    // bytes; read_raw() writes exactly sizeof(T) of them, zeros on failure.
    KCPP_TRY(read_raw(Span<u8>::unsafe_from_raw(reinterpret_cast<u8*>(&v), sizeof(T))));
    return v;
  }
  /**
   * @brief Appends everything left to @p buf (grown with @p gfp, and
   * without the allocator's warning: the length comes from user space); on
   * failure @p buf is as it was and nothing is consumed. Bound the length
   * first where user space could ask for gigabytes.
   */
  template <typename A>
  [[nodiscard]] Result<void> read_all(Vec<u8, A>& buf, Gfp gfp) {
    return buf.extend_with(len_, gfp | GFP_NOWARN, [this](Span<u8> out) { return read_raw(out); });
  }
  /**
   * @brief Reads a NUL-terminated string into @p buf and consumes it with
   * its NUL; returns its length. `ENAMETOOLONG` if it does not fit in
   * @p buf with its NUL, `EINVAL` if the slice ends first, `EFAULT` if the
   * memory is not readable. On failure nothing is consumed and @p buf holds
   * an empty string.
   */
  [[nodiscard]] Result<usize> read_cstr(Span<char> buf) {
    if (buf.size() == 0)
      return code::ENAMETOOLONG;
    const usize window = len_ < buf.size() ? len_ : buf.size();
    const long n = kcpp_strncpy_from_user(buf.data(), ptr_.addr(), static_cast<long>(window));
    if (n < 0 || static_cast<usize>(n) >= window) {
      buf[0] = '\0';
      if (n < 0)
        return Error::from_errno(static_cast<int>(n));
      return window == buf.size() ? code::ENAMETOOLONG : code::EINVAL;
    }
    advance(static_cast<usize>(n) + 1);
    return static_cast<usize>(n);
  }

 private:
  friend class UserSlice;
  UserSliceReader(UserPtr p, usize n) : ptr_(p), len_(n) {}
  void advance(usize n) {
    // Cannot wrap: a copy of n bytes from ptr_ succeeded, so they exist.
    ptr_ = UserPtr::from_addr(ptr_.addr() + n);
    len_ -= n;
  }
  UserPtr ptr_;
  usize len_;
};

/**
 * @brief Writes a user slice front to back.
 *
 * @par Invariants
 * `ptr_` is the next byte to write, and `len_` bytes are left; a failed
 * write consumes nothing (though user memory may have been written in part).
 */
class UserSliceWriter {
 public:
  /** @brief Bytes left. */
  [[nodiscard]] usize len() const { return len_; }
  /** @brief Whether nothing is left. */
  [[nodiscard]] bool is_empty() const { return len_ == 0; }
  /** @brief Copies @p data out; `EFAULT` if it does not fit or the memory is not writable. */
  [[nodiscard]] Result<void> write_slice(Span<const u8> data) {
    if (data.size() > len_)
      return code::EFAULT;
    if (kcpp_copy_to_user(ptr_.addr(), data.data(), data.size()) != 0)
      return code::EFAULT;
    advance(data.size());
    return {};
  }
  /**
   * @brief Copies @p v out (see `write_slice()`). @p T has no padding
   * (checked at compile time): padding bytes are whatever the kernel's stack
   * or heap held, and must not reach user space.
   */
  template <typename T>
    requires PlainBytes<T>
  [[nodiscard]] Result<void> write(const T& v) {
    static_assert(__has_unique_object_representations(T),
                  "kcpp: this type has padding, whose bytes would leak kernel memory to user space; "
                  "make the padding an explicit, zeroed member");
    // SAFETY: T is PlainBytes with no padding (checked above), so all sizeof(T) bytes of v are
    // its members' values, which may be read as bytes.
    return write_slice(Span<const u8>::unsafe_from_raw(reinterpret_cast<const u8*>(&v), sizeof(T)));
  }
  /** @brief Writes @p n zero bytes; `EFAULT` as for `write_slice()`. */
  [[nodiscard]] Result<void> write_zeros(usize n) {
    if (n > len_)
      return code::EFAULT;
    if (kcpp_clear_user(ptr_.addr(), n) != 0)
      return code::EFAULT;
    advance(n);
    return {};
  }

 private:
  friend class UserSlice;
  UserSliceWriter(UserPtr p, usize n) : ptr_(p), len_(n) {}
  void advance(usize n) {
    ptr_ = UserPtr::from_addr(ptr_.addr() + n);
    len_ -= n;
  }
  UserPtr ptr_;
  usize len_;
};

inline UserSliceReader UserSlice::reader() const {
  return UserSliceReader(ptr_, len_);
}
inline UserSliceWriter UserSlice::writer() const {
  return UserSliceWriter(ptr_, len_);
}

}  // namespace kcpp

#endif  // KCPP_UACCESS_H

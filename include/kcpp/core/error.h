/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/error.h
 * @brief Kernel errors as values: `Error`, `Result<T>` and `KCPP_TRY`.
 *
 * Wraps the kernel's error conventions (`include/linux/err.h`,
 * `include/uapi/asm-generic/errno-base.h`): a negative errno returned by a
 * function, or an error pointer. Every fallible kcpp operation returns
 * `[[nodiscard]] Result<T>`, which holds either a `T` or an `Error`;
 * `KCPP_TRY(expr)` unwraps a result or returns its error from the enclosing
 * function. Nothing here panics on bad input: asking a failed result for its
 * value is a programming error and is reported as a kernel BUG with the file
 * and line of the caller.
 *
 * @par Examples
 * @code{.cpp}
 * auto parse_digit = [](char c) -> kcpp::Result<int> {
 *   if (c < '0' || c > '9')
 *     return kcpp::code::EINVAL;
 *   return c - '0';
 * };
 * auto sum = [&](char a, char b) -> kcpp::Result<int> {
 *   int x = KCPP_TRY(parse_digit(a));
 *   int y = KCPP_TRY(parse_digit(b));
 *   return x + y;
 * };
 * KCPP_ASSERT_EQ(sum('4', '5').expect("both are digits"), 9);
 * KCPP_ASSERT_EQ(sum('4', 'x').error(), kcpp::code::EINVAL);
 * @endcode
 *
 * kcpp BUGs only where going on would break what the caller relies on:
 * `expect()` (and `*`, `->`) on an error, where the caller has no value to
 * go on with or has claimed the operation cannot fail, an index out of
 * range, a `Pinned<T>` used before its init. A misuse that corrupts nothing, such as `error()` on a
 * success, WARNs and carries on with `EINVAL`, as kernel code would.
 *
 * An unwrap that can BUG says so by its name, `expect(why)`; there is no
 * `value()` to call by habit (register fields have `.value()`, results do not):
 * @code{.cpp compile_fail}
 * // compile_fail: no member named
 * kcpp::Result<int> r = 3;
 * int v = r.value();
 * @endcode
 */
#ifndef KCPP_CORE_ERROR_H
#define KCPP_CORE_ERROR_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/bindings/lists.h>
#include <kcpp/core/new.h>
#include <kcpp/core/utility.h>

namespace kcpp {

/// @cond KCPP_INTERNAL
namespace detail {
/// Reports a broken precondition at the caller's location and stops: for
/// states where going on would touch memory it must not (BUG()).
/// Always inlined: the call of kcpp_bug() and the trap after it must sit in
/// the caller, because objtool never takes a weak (inline) function for one
/// that does not return.
[[noreturn, gnu::cold, gnu::always_inline]] inline void precondition_failed(const char* what,
                                                                            const char* file, int line) {
  kcpp_bug(file, line, what);
  __builtin_trap();  // Not reached: kcpp_bug() stops in BUG(); the ud2 ends the path for objtool.
}
/// Reports a broken invariant at the caller's location (WARN()); the
/// caller carries on with a safe answer.
[[gnu::cold]] inline void invariant_warning(const char* what, const char* file, int line) {
  kcpp_warn(file, line, what);
}
/// The kernel's MAX_ERRNO (include/linux/err.h): part of the ABI, the same on every config.
inline constexpr int MAX_ERRNO = 4095;
}  // namespace detail
/// @endcond

/**
 * @brief A kernel error code: one of the negative errno values.
 *
 * @par Invariants
 * The stored code is in `[-MAX_ERRNO, -1]`.
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::Error e = kcpp::code::ENOMEM;
 * KCPP_ASSERT_EQ(e.to_errno(), -12);
 * KCPP_ASSERT(__builtin_strcmp(e.name(), "ENOMEM") == 0);
 * KCPP_ASSERT_EQ(kcpp::Error::from_errno(-22), kcpp::code::EINVAL);
 * // Out-of-range values are a caller bug; they become EINVAL.
 * KCPP_ASSERT_EQ(kcpp::Error::from_errno(5), kcpp::code::EINVAL);
 * @endcode
 */
class Error {
 public:
  /**
   * @brief The error for a negative errno returned by C code.
   *
   * A value outside `[-MAX_ERRNO, -1]` is not an error code: the mistake is
   * logged as a warning naming the caller's file and line, and `EINVAL` is
   * returned, as in the Rust kernel crate.
   */
  [[nodiscard]] static Error from_errno(int errno_value, const char* file = __builtin_FILE(),
                                        int line = __builtin_LINE()) {
    if (errno_value < -detail::MAX_ERRNO || errno_value >= 0) [[unlikely]] {
      _printk("\0014kcpp: Error::from_errno(%d) at %s:%d: not an errno, using EINVAL\n", errno_value, file,
              line);
      return Error(-KCPP_EINVAL);
    }
    return Error(errno_value);
  }

  /** @brief The negative errno, as C expects it back. */
  [[nodiscard]] constexpr int to_errno() const { return code_; }

  /**
   * @brief The symbolic name (`"ENOMEM"`), or `nullptr` for a code kcpp has no
   * name for.
   */
  [[nodiscard]] constexpr const char* name() const {
/// @cond KCPP_INTERNAL
#define KCPP_ERRNO_NAME(e) \
  if (code_ == -KCPP_##e)  \
    return #e;
    KCPP_ERRNO_LIST(KCPP_ERRNO_NAME)
#undef KCPP_ERRNO_NAME
    /// @endcond
    return nullptr;
  }

  /** @brief Errors compare by code. */
  friend constexpr bool operator==(Error, Error) = default;

  /// @cond KCPP_INTERNAL
  // For the constants in kcpp::code, whose values are known to be errnos.
  static constexpr Error from_known(int positive_errno) { return Error(-positive_errno); }
  /// @endcond

 private:
  constexpr explicit Error(int code) : code_(code) {}
  int code_;
};

/**
 * @brief The kernel's error codes as `Error` constants, `kcpp::code::ENOMEM`.
 *
 * The values come from the configured kernel (generated header).
 */
namespace code {
/// @cond KCPP_INTERNAL
#define KCPP_ERRNO_CONST(e) inline constexpr Error e = Error::from_known(KCPP_##e);
KCPP_ERRNO_LIST(KCPP_ERRNO_CONST)
#undef KCPP_ERRNO_CONST
/// @endcond
}  // namespace code

template <typename T>
class Result;
/// @cond KCPP_INTERNAL
namespace detail {
template <typename T>
constexpr T unwrap_moved(Result<T>&& r);
}  // namespace detail
/// @endcond

/**
 * @brief Either a value of type @p T or an `Error`.
 *
 * Construct it from a `T` (success) or an `Error` (failure); the compiler
 * insists the result is looked at (`[[nodiscard]]`). `KCPP_TRY` unwraps it.
 * @p T may be move-only; `Result<void>` carries no value.
 *
 * @par Invariants
 * Exactly one of the value and the error is alive.
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::Result<int> ok = 5;
 * kcpp::Result<int> bad = kcpp::code::EIO;
 * KCPP_ASSERT(ok.is_ok());
 * KCPP_ASSERT_EQ(*ok, 5);
 * KCPP_ASSERT(bad.is_err());
 * KCPP_ASSERT_EQ(bad.error().to_errno(), -5);
 * KCPP_ASSERT_EQ(bad.value_or(7), 7);
 * @endcode
 */
template <typename T>
class [[nodiscard]] Result {
  static_assert(!is_reference_v<T>, "kcpp: Result<T&> is not supported; return a pointer or a wrapper.");
  static_assert(!is_same_v<remove_cv_t<T>, Error>, "kcpp: Result<Error> is ambiguous.");

 public:
  using value_type = T;  ///< The success type.

  /** @brief A success holding @p v. */
  template <typename U = T>
    requires(constructible_from<T, U &&> && !is_same_v<remove_cvref_t<U>, Result> &&
             !is_same_v<remove_cvref_t<U>, Error> && !is_same_v<remove_cvref_t<U>, InPlace>)
  constexpr Result(U&& v) : ok_(true) {
    new (addressof(value_)) T(std::forward<U>(v));
  }
  /** @brief A success whose value is constructed in place from @p args. */
  template <typename... Args>
  constexpr explicit Result(InPlace, Args&&... args) : ok_(true) {
    new (addressof(value_)) T(std::forward<Args>(args)...);
  }
  /** @brief A failure. */
  constexpr Result(Error e) : error_(e), ok_(false) {}

  /** @brief Moves the value or the error out of @p other. */
  constexpr Result(Result&& other) noexcept
    requires move_constructible<T>
      : ok_(other.ok_) {
    if (ok_)
      new (addressof(value_)) T(std::move(other.value_));
    else
      error_ = other.error_;
  }
  /** @brief Copies, where @p T is copyable. */
  constexpr Result(const Result& other)
    requires is_copy_constructible_v<T>
      : ok_(other.ok_) {
    if (ok_)
      new (addressof(value_)) T(other.value_);
    else
      error_ = other.error_;
  }
  Result& operator=(const Result&) = delete;
  /** @brief Replaces the contents with those moved out of @p other. */
  constexpr Result& operator=(Result&& other) noexcept
    requires move_constructible<T>
  {
    if (this != &other) {
      destroy();
      ok_ = other.ok_;
      if (ok_)
        new (addressof(value_)) T(std::move(other.value_));
      else
        error_ = other.error_;
    }
    return *this;
  }
  constexpr ~Result() { destroy(); }

  /** @brief True for a success. */
  [[nodiscard]] constexpr bool is_ok() const { return ok_; }
  /** @brief True for a failure. */
  [[nodiscard]] constexpr bool is_err() const { return !ok_; }

  /**
   * @brief The value, which the caller has proven is there: on a failure
   * the kernel BUGs, logging @p why and the caller's file and line.
   *
   * The name says it: every call asserts a success, and @p why says why it
   * holds (`"the size was checked above"`). Anything that input, hardware
   * or firmware decides is handled with `KCPP_TRY` or `is_err()` instead.
   */
  [[nodiscard]] constexpr T& expect(const char* why, const char* file = __builtin_FILE(),
                                    int line = __builtin_LINE()) & {
    check_ok(why, file, line);
    return value_;
  }
  /** @copydoc expect() */
  [[nodiscard]] constexpr const T& expect(const char* why, const char* file = __builtin_FILE(),
                                          int line = __builtin_LINE()) const& {
    check_ok(why, file, line);
    return value_;
  }
  /** @brief Moves the value out of a success (see `expect()`). */
  [[nodiscard]] constexpr T&& expect(const char* why, const char* file = __builtin_FILE(),
                                     int line = __builtin_LINE()) && {
    check_ok(why, file, line);
    return std::move(value_);
  }
  /** @brief The value of a success, or @p fallback for a failure. */
  template <typename U>
  [[nodiscard]] constexpr T value_or(U&& fallback) const& {
    return ok_ ? value_ : static_cast<T>(std::forward<U>(fallback));
  }
  /**
   * @brief The error. Calling it on a success is a bug, which WARNs (with
   * the caller's file and line) and carries on with `EINVAL`: nothing is
   * corrupted by going on.
   */
  [[nodiscard]] constexpr Error error(const char* file = __builtin_FILE(),
                                      int line = __builtin_LINE()) const {
    if (ok_) {
      detail::invariant_warning("Result::error() on a success", file, line);
      return code::EINVAL;
    }
    return error_;
  }
  /**
   * @brief The value; on a failure the kernel BUGs, as with `expect()`.
   * For a result just checked with `is_ok()`.
   */
  constexpr T& operator*() & { return expect("operator* on an error Result"); }
  /** @copydoc operator*() */
  constexpr const T& operator*() const& { return expect("operator* on an error Result"); }
  /** @brief Member access to the value; BUGs on a failure, as `operator*`. */
  constexpr T* operator->() { return addressof(expect("operator-> on an error Result")); }
  /** @copydoc operator->() */
  constexpr const T* operator->() const { return addressof(expect("operator-> on an error Result")); }

 private:
  // KCPP_TRY's unwrap: it has checked is_err() itself.
  friend constexpr T detail::unwrap_moved<T>(Result<T>&& r);
  constexpr void check_ok(const char* why, const char* file, int line) const {
    if (!ok_)
      detail::precondition_failed(why, file, line);
  }
  constexpr void destroy() {
    if (ok_)
      value_.~T();
  }

  // The union's members are private state of the Result, named as such;
  // the naming check takes members of an anonymous union for public ones.
  union {
    T value_;      // NOLINT(readability-identifier-naming)
    Error error_;  // NOLINT(readability-identifier-naming)
  };
  bool ok_;
};

/**
 * @brief A success or an `Error`, with no value.
 *
 * @par Examples
 * @code{.cpp}
 * auto check = [](int v) -> kcpp::Result<void> {
 *   if (v < 0)
 *     return kcpp::code::ERANGE;
 *   return {};
 * };
 * KCPP_ASSERT(check(1).is_ok());
 * KCPP_ASSERT_EQ(check(-1).error(), kcpp::code::ERANGE);
 * @endcode
 */
template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;  ///< No value.
  /** @brief A success. */
  constexpr Result() : error_(Error::from_known(1)), ok_(true) {}
  /** @brief A failure. */
  constexpr Result(Error e) : error_(e), ok_(false) {}

  /** @brief True for a success. */
  [[nodiscard]] constexpr bool is_ok() const { return ok_; }
  /** @brief True for a failure. */
  [[nodiscard]] constexpr bool is_err() const { return !ok_; }
  /**
   * @brief Asserts a success the caller has proven: on a failure the kernel
   * BUGs, logging @p why and the caller's file and line.
   */
  constexpr void expect(const char* why, const char* file = __builtin_FILE(),
                        int line = __builtin_LINE()) const {
    if (!ok_)
      detail::precondition_failed(why, file, line);
  }
  /**
   * @brief The error. Calling it on a success is a bug, which WARNs (with
   * the caller's file and line) and carries on with `EINVAL`: nothing is
   * corrupted by going on.
   */
  [[nodiscard]] constexpr Error error(const char* file = __builtin_FILE(),
                                      int line = __builtin_LINE()) const {
    if (ok_) {
      detail::invariant_warning("Result::error() on a success", file, line);
      return code::EINVAL;
    }
    return error_;
  }
  /** @brief The C convention: 0 for success, the negative errno for failure. */
  [[nodiscard]] constexpr int to_errno() const { return ok_ ? 0 : error_.to_errno(); }

 private:
  Error error_;
  bool ok_;
};

/**
 * @brief A `Result<void>` from a C return value: negative is an errno, zero
 * or positive is success.
 *
 * @par Examples
 * @code{.cpp}
 * KCPP_ASSERT(kcpp::to_result(0).is_ok());
 * KCPP_ASSERT_EQ(kcpp::to_result(-16).error(), kcpp::code::EBUSY);
 * @endcode
 */
[[nodiscard]] inline Result<void> to_result(int ret) {
  if (ret < 0)
    return Error::from_errno(ret);
  return {};
}

/**
 * @brief A `Result<T*>` from a pointer C returned with `ERR_PTR()` convention.
 *
 * A pointer in the top `MAX_ERRNO` addresses is an encoded error; anything
 * else, including `nullptr`, is returned as is.
 *
 * @par Examples
 * @code{.cpp}
 * int x = 0;
 * KCPP_ASSERT_EQ(kcpp::from_err_ptr(&x).expect("&x is no error pointer"), &x);
 * auto* encoded = reinterpret_cast<int*>(static_cast<kcpp::isize>(-12));
 * KCPP_ASSERT_EQ(kcpp::from_err_ptr(encoded).error(), kcpp::code::ENOMEM);
 * @endcode
 */
template <typename T>
[[nodiscard]] Result<T*> from_err_ptr(T* ptr) {
  // SAFETY: the pointer's value is only read as an integer, to compare with the ERR_PTR range
  // as the kernel's IS_ERR() does; nothing is dereferenced, and ptr is returned unchanged.
  const auto v = reinterpret_cast<uptr>(ptr);
  if (v >= static_cast<uptr>(-detail::MAX_ERRNO))
    return Error::from_errno(static_cast<int>(static_cast<isize>(v)));
  return ptr;
}

/// @cond KCPP_INTERNAL
namespace detail {
template <typename T>
constexpr T unwrap_moved(Result<T>&& r) {
  return std::move(r.value_);
}
constexpr void unwrap_moved(Result<void>&&) {}
}  // namespace detail
/// @endcond

}  // namespace kcpp

/**
 * @brief Evaluates @p expr (a `Result`); on failure returns its error from the
 * enclosing function, on success yields the value.
 *
  * A GNU statement expression, so it can appear inside an expression:
 * `int n = KCPP_TRY(parse(buf));`. The enclosing function must return a
 * `Result` (of any type).
 *
 * Give each fallible step that yields an owning object its own statement.
  * GCC does not destroy what an aggregate initializer had already built
 * when a KCPP_TRY inside it returns: in
 * `Pair{KCPP_TRY(make_a()), KCPP_TRY(make_b())}` a failing `make_b()`
 * leaks the `A` (nova's allocation-failure sweep caught it). Argument lists
 * are treated the same way here, as a precaution. Write
 * `auto a = KCPP_TRY(make_a()); auto b = KCPP_TRY(make_b());` first.
 */
#define KCPP_TRY(expr)                                         \
  ({                                                           \
    auto&& kcpp_try_result_ = (expr);                          \
    if (kcpp_try_result_.is_err()) [[unlikely]]                \
      return kcpp_try_result_.error();                         \
    ::kcpp::detail::unwrap_moved(std::move(kcpp_try_result_)); \
  })

#endif  // KCPP_CORE_ERROR_H

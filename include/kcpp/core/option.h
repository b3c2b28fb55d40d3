/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/option.h
 * @brief `Option<T>`: a value that may be absent, instead of a pointer that
 * may be null.
 *
 * An argument that is sometimes given (a mailbox value to write or not, a
 * timeout that may be left to its default) reads better as an `Option`
 * than as a `const T*` whose null means "none": the caller passes the value
 * or `{}`, and the callee cannot dereference an absent one by mistake.
 * `T` is a trivially copyable value type (a register value, an id, a size);
 * objects that own something belong in a `KBox` or a `Result`.
 *
 * @par Examples
 * @code{.cpp}
 * auto describe = [](kcpp::Option<kcpp::u32> mbox) { return mbox.value_or(0xdead); };
 * KCPP_ASSERT_EQ(describe(5), 5u);
 * KCPP_ASSERT_EQ(describe({}), 0xdeadu);
 * kcpp::Option<kcpp::u32> none;
 * KCPP_ASSERT(none.is_none() && !none.is_some());
 * KCPP_ASSERT_EQ(none.ok_or(kcpp::code::ENOENT).error(), kcpp::code::ENOENT);
 * kcpp::Option<kcpp::u32> three = 3;
 * KCPP_ASSERT_EQ(KCPP_TRY(three.ok_or(kcpp::code::ENOENT)), 3u);
 * KCPP_ASSERT_EQ(three.expect("set just above"), 3u);
 * KCPP_ASSERT(three == kcpp::Option<kcpp::u32>(3) && three != none);
 * @endcode
 *
 * Owning types do not fit:
 * @code{.cpp compile_fail}
 * // compile_fail: kcpp: Option<T> holds trivially copyable values
 * struct Owner {
 *   ~Owner() {}
 * };
 * kcpp::Option<Owner> o;
 * @endcode
 */
#ifndef KCPP_CORE_OPTION_H
#define KCPP_CORE_OPTION_H

#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>

namespace kcpp {

/**
 * @brief A @p T or nothing.
 *
 * @par Invariants
 * The value is readable only when `is_some()`; an absent one is never read.
 */
template <typename T>
class Option {
  static_assert(is_trivially_copyable_v<T>,
                "kcpp: Option<T> holds trivially copyable values; put an owning type in a KBox");

 public:
  /** @brief Nothing. */
  constexpr Option() : empty_(), some_(false) {}
  /** @brief @p v. */
  constexpr Option(T v) : value_(v), some_(true) {}

  /** @brief Whether there is a value. */
  [[nodiscard]] constexpr bool is_some() const { return some_; }
  /** @brief Whether there is none. */
  [[nodiscard]] constexpr bool is_none() const { return !some_; }
  /** @brief The value, or @p fallback if there is none. */
  [[nodiscard]] constexpr T value_or(T fallback) const { return some_ ? value_ : fallback; }
  /** @brief The value as a `Result`, or @p e if there is none. */
  [[nodiscard]] constexpr Result<T> ok_or(Error e) const {
    if (!some_)
      return e;
    return value_;
  }
  /**
   * @brief The value the caller has proven present: with none the kernel
   * BUGs, logging @p why and the caller's file and line (as
   * `Result::expect()`).
   */
  [[nodiscard]] constexpr T expect(const char* why, const char* file = __builtin_FILE(),
                                   int line = __builtin_LINE()) const {
    if (!some_)
      detail::precondition_failed(why, file, line);
    return value_;
  }
  /** @brief Equal when both are empty, or both hold equal values. */
  friend constexpr bool operator==(const Option& a, const Option& b) {
    return a.some_ == b.some_ && (!a.some_ || a.value_ == b.value_);
  }

 private:
  union {
    char empty_;  // NOLINT(readability-identifier-naming): private, in an anonymous union
    T value_;     // NOLINT(readability-identifier-naming): private, in an anonymous union
  };
  bool some_;
};

}  // namespace kcpp

#endif  // KCPP_CORE_OPTION_H

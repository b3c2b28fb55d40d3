/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/utility.h
 * @brief `std::move`, `std::forward` and the small utilities around them.
 *
 * These live in namespace `std` on purpose: the compiler and static analyzers
 * recognise `std::move` and `std::forward` by name (g++ warns about pessimizing
 * moves, clang-tidy's bugprone-use-after-move tracks them). kcpp re-exports
 * them, and adds `exchange`, `swap`, `addressof` and `forget`, in namespace
 * `kcpp`.
 *
 * @par Examples
 * @code{.cpp}
 * int a = 1, b = 2;
 * kcpp::swap(a, b);
 * KCPP_ASSERT_EQ(a, 2);
 * int old = kcpp::exchange(a, 5);
 * KCPP_ASSERT_EQ(old, 2);
 * KCPP_ASSERT_EQ(a, 5);
 * @endcode
 *
 * `kcpp::in_place` (an `InPlace`) asks a wrapper to build its value from
 * constructor arguments:
 * @code{.cpp}
 * struct Pair {
 *   Pair(int a, int b) : sum(a + b) {}
 *   int sum;
 * };
 * kcpp::Result<Pair> r(kcpp::in_place, 2, 3);
 * KCPP_ASSERT_EQ(r->sum, 5);
 * @endcode
 */
#ifndef KCPP_CORE_UTILITY_H
#define KCPP_CORE_UTILITY_H

#include <kcpp/core/type_traits.h>

namespace std {
/** @brief Casts @p v to an rvalue, so that it can be moved from. */
template <typename T>
[[nodiscard]] constexpr kcpp::remove_reference_t<T>&& move(T&& v) noexcept {
  return static_cast<kcpp::remove_reference_t<T>&&>(v);
}
/** @brief Passes an argument on with the value category it was given with. */
template <typename T>
[[nodiscard]] constexpr T&& forward(kcpp::remove_reference_t<T>& v) noexcept {
  return static_cast<T&&>(v);
}
/** @brief Overload for rvalues; forwarding an rvalue as an lvalue does not compile. */
template <typename T>
[[nodiscard]] constexpr T&& forward(kcpp::remove_reference_t<T>&& v) noexcept {
  static_assert(!kcpp::is_lvalue_reference_v<T>, "kcpp: std::forward of an rvalue as an lvalue.");
  return static_cast<T&&>(v);
}
}  // namespace std

namespace kcpp {

/** @brief The address of @p v, even if its type overloads unary `&`. */
template <typename T>
[[nodiscard]] constexpr T* addressof(T& v) noexcept {
  return __builtin_addressof(v);
}
template <typename T>
const T* addressof(const T&&) = delete;

/** @brief Stores @p value into @p obj and returns the previous value. */
template <typename T, typename U = T>
constexpr T exchange(T& obj, U&& value) {
  T old = std::move(obj);
  obj = std::forward<U>(value);
  return old;
}

/** @brief Exchanges the values of @p a and @p b by moving. */
template <typename T>
constexpr void swap(T& a, T& b) noexcept {
  T tmp = std::move(a);
  a = std::move(b);
  b = std::move(tmp);
}

/// @cond KCPP_INTERNAL
namespace detail {
// forget() without its checks: the value moves into a slot whose destructor never runs.
template <typename T>
void forget_unchecked(T&& value) noexcept {
  using V = remove_reference_t<T>;
  // A union member's destructor runs only if the union's does it; this one does not.
  union Slot {
    V kept;
    explicit Slot(V&& v) noexcept : kept(std::move(v)) {}
    ~Slot() {}
  };
  Slot slot(std::move(value));
  (void)slot;
}
}  // namespace detail
/// @endcond

/**
 * @brief Takes what @p value owns and never gives it back: its contents move
 * into an object whose destructor never runs.
 *
 * What the value held (memory, a mapping, a reference count) stays held for
 * good, as for memory a device may still write after it failed to stop. The
 * moved-from @p value is left as its move constructor leaves it, and is
 * destroyed as usual. Only owning types can be forgotten: a const or
 * copyable value does not compile (forgetting a copy would leave the
 * original to free what it shares). kmemleak may report forgotten memory;
 * `kcpp::abandon()` (kcpp/alloc/kbox.h) tells it not to.
 *
 * @par Examples
 * @code{.cpp}
 * struct Noisy {
 *   int* drops;
 *   explicit Noisy(int* d) : drops(d) {}
 *   Noisy(Noisy&& o) noexcept : drops(kcpp::exchange(o.drops, nullptr)) {}
 *   Noisy(const Noisy&) = delete;
 *   ~Noisy() {
 *     if (drops)
 *       ++*drops;
 *   }
 * };
 * int drops = 0;
 * {
 *   Noisy n(&drops);
 *   kcpp::forget(std::move(n));
 * }
 * KCPP_ASSERT_EQ(drops, 0);  // neither the emptied n nor the forgotten value dropped it
 * {
 *   Noisy kept(&drops);
 * }
 * KCPP_ASSERT_EQ(drops, 1);  // what forget() skips
 * @endcode
 *
 * @code{.cpp compile_fail}
 * // compile_fail: only a move-only, non-const type owns what it holds
 * int* shared = nullptr;
 * kcpp::forget(std::move(shared));  // a pointer is copied, not owned
 * @endcode
 */

template <typename T>
void forget(T&& value) noexcept {
  static_assert(!is_lvalue_reference_v<T>, "kcpp: forget(std::move(value))");
  static_assert(!is_const_v<T> && !is_copy_constructible_v<T>,
                "kcpp: only a move-only, non-const type owns what it holds and can be forgotten");
  detail::forget_unchecked(std::move(value));
}

/** @brief The value of an enumerator as its underlying integer. */
template <typename E>
  requires is_enum_v<E>
[[nodiscard]] constexpr underlying_type_t<E> to_underlying(E e) noexcept {
  return static_cast<underlying_type_t<E>>(e);
}

/**
 * @brief Tag that selects in-place construction in constructors.
 *
 * @par Examples
 * `Result<T>` builds its value from the arguments after the tag:
 * @code{.cpp}
 * struct Pair {
 *   int a, b;
 *   Pair(int x, int y) : a(x), b(y) {}
 * };
 * kcpp::Result<Pair> r(kcpp::in_place, 3, 4);
 * KCPP_ASSERT_EQ(r->b, 4);
 * static_assert(kcpp::is_same_v<decltype(kcpp::in_place), const kcpp::InPlace>);
 * @endcode
 */
struct InPlace {
  explicit InPlace() = default;
};
/** @brief The @ref InPlace tag value. */
inline constexpr InPlace in_place{};  // NOLINT(readability-identifier-naming): std::in_place's name

}  // namespace kcpp

#endif  // KCPP_CORE_UTILITY_H

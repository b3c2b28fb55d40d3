/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/type_traits.h
 * @brief Type traits and concepts built on compiler builtins.
 *
 * The freestanding replacement for `<type_traits>` and `<concepts>`, which
 * kcpp cannot include (no libstdc++ in the kernel). Where the compiler has a
 * builtin (`__is_class`, `__is_trivially_copyable`, `__underlying_type`, ...)
 * the trait uses it; the rest are the usual partial specializations. Names
 * and meanings follow the standard library, in namespace `kcpp`.
 *
 * @par Examples
 * @code{.cpp}
 * static_assert(kcpp::is_same_v<kcpp::remove_cvref_t<const int&>, int>);
 * static_assert(kcpp::integral<kcpp::u64>);
 * static_assert(!kcpp::integral<float>);
 * enum class Color : kcpp::u8 { Red };
 * static_assert(kcpp::is_same_v<kcpp::underlying_type_t<Color>, kcpp::u8>);
 * KCPP_ASSERT(kcpp::is_trivially_copyable_v<Color>);
 * @endcode
 *
 * Every trait and concept, as the compiler sees them:
 * @code{.cpp}
 * static_assert(kcpp::integral_constant<int, 3>::value == 3);
 * static_assert(kcpp::bool_constant<true>::value && kcpp::true_type::value);
 * static_assert(!kcpp::false_type::value);
 * static_assert(kcpp::same_as<kcpp::remove_reference_t<int&&>, int>);
 * static_assert(kcpp::same_as<kcpp::remove_cv_t<const volatile int>, int>);
 * static_assert(kcpp::same_as<kcpp::remove_extent_t<int[4]>, int>);
 * static_assert(kcpp::same_as<kcpp::conditional_t<false, int, long>, long>);
 * static_assert(kcpp::same_as<kcpp::enable_if_t<true, char>, char>);
 * static_assert(kcpp::same_as<kcpp::type_identity_t<short>, short>);
 * static_assert(kcpp::signed_integral<int> && !kcpp::signed_integral<unsigned>);
 * static_assert(kcpp::unsigned_integral<kcpp::u8> && !kcpp::unsigned_integral<int>);
 * struct Base {};
 * struct Derived : Base {};
 * static_assert(kcpp::derived_from<Derived, Base> && !kcpp::derived_from<Base, Derived>);
 * static_assert(kcpp::convertible_to<Derived*, Base*> && !kcpp::convertible_to<Base*, Derived*>);
 * static_assert(kcpp::constructible_from<Derived> && kcpp::move_constructible<Base>);
 * auto twice = [](int x) { return 2 * x; };
 * static_assert(kcpp::invocable<decltype(twice), int> && !kcpp::invocable<decltype(twice), Base>);
 * KCPP_ASSERT_EQ(twice(21), 42);
 * @endcode
 */
#ifndef KCPP_CORE_TYPE_TRAITS_H
#define KCPP_CORE_TYPE_TRAITS_H

// The standard library's names: generic code and the compiler expect them.
// NOLINTBEGIN(readability-identifier-naming)

#include <kcpp/core/types.h>

namespace kcpp {

/** @brief A compile-time constant of type @p T. */
template <typename T, T v>
struct integral_constant {
  static constexpr T value = v;  ///< The constant.
  using value_type = T;          ///< Its type.
  /** @brief The constant, for use as a function object. */
  constexpr operator T() const noexcept { return v; }
};
/** @brief A compile-time boolean. */
template <bool B>
using bool_constant = integral_constant<bool, B>;
using true_type = bool_constant<true>;    ///< The constant `true`.
using false_type = bool_constant<false>;  ///< The constant `false`.

/// @cond KCPP_INTERNAL
template <typename A, typename B>
struct is_same : false_type {};
template <typename A>
struct is_same<A, A> : true_type {};
template <typename T>
struct remove_reference {
  using type = T;
};
template <typename T>
struct remove_reference<T&> {
  using type = T;
};
template <typename T>
struct remove_reference<T&&> {
  using type = T;
};
template <typename T>
struct remove_cv {
  using type = T;
};
template <typename T>
struct remove_cv<const T> {
  using type = T;
};
template <typename T>
struct remove_cv<volatile T> {
  using type = T;
};
template <typename T>
struct remove_cv<const volatile T> {
  using type = T;
};
template <typename T>
struct remove_extent {
  using type = T;
};
template <typename T>
struct remove_extent<T[]> {
  using type = T;
};
template <typename T, usize N>
struct remove_extent<T[N]> {
  using type = T;
};
template <bool B, typename T, typename F>
struct conditional {
  using type = T;
};
template <typename T, typename F>
struct conditional<false, T, F> {
  using type = F;
};
template <bool B, typename T = void>
struct enable_if {};
template <typename T>
struct enable_if<true, T> {
  using type = T;
};
template <typename T>
struct is_lvalue_reference : false_type {};
template <typename T>
struct is_lvalue_reference<T&> : true_type {};
template <typename T>
struct is_rvalue_reference : false_type {};
template <typename T>
struct is_rvalue_reference<T&&> : true_type {};
template <typename T>
struct is_pointer_impl : false_type {};
template <typename T>
struct is_pointer_impl<T*> : true_type {};
template <typename T>
struct is_array : false_type {};
template <typename T>
struct is_array<T[]> : true_type {};
template <typename T, usize N>
struct is_array<T[N]> : true_type {};
template <typename T>
struct is_const : false_type {};
template <typename T>
struct is_const<const T> : true_type {};
template <typename T>
struct is_integral_impl : false_type {};
template <>
struct is_integral_impl<bool> : true_type {};
template <>
struct is_integral_impl<char> : true_type {};
template <>
struct is_integral_impl<signed char> : true_type {};
template <>
struct is_integral_impl<unsigned char> : true_type {};
template <>
struct is_integral_impl<char8_t> : true_type {};
template <>
struct is_integral_impl<char16_t> : true_type {};
template <>
struct is_integral_impl<char32_t> : true_type {};
template <>
struct is_integral_impl<wchar_t> : true_type {};
template <>
struct is_integral_impl<short> : true_type {};
template <>
struct is_integral_impl<unsigned short> : true_type {};
template <>
struct is_integral_impl<int> : true_type {};
template <>
struct is_integral_impl<unsigned int> : true_type {};
template <>
struct is_integral_impl<long> : true_type {};
template <>
struct is_integral_impl<unsigned long> : true_type {};
template <>
struct is_integral_impl<long long> : true_type {};
template <>
struct is_integral_impl<unsigned long long> : true_type {};
template <typename T>
struct type_identity {
  using type = T;
};
template <typename T, bool = is_integral_impl<typename remove_cv<T>::type>::value>
struct is_signed_impl : false_type {};
template <typename T>
struct is_signed_impl<T, true> : bool_constant<(T(-1) < T(0))> {};
/// @endcond

template <typename A, typename B>
inline constexpr bool is_same_v = is_same<A, B>::value;  ///< Whether @p A and @p B are one type.
template <typename T>
using remove_reference_t = typename remove_reference<T>::type;  ///< @p T without `&`/`&&`.
template <typename T>
using remove_cv_t = typename remove_cv<T>::type;  ///< @p T without `const`/`volatile`.
template <typename T>
using remove_cvref_t = remove_cv_t<remove_reference_t<T>>;  ///< @p T without reference and cv.
template <typename T>
using remove_extent_t = typename remove_extent<T>::type;  ///< The element type of an array type.
template <bool B, typename T, typename F>
using conditional_t = typename conditional<B, T, F>::type;  ///< @p T if @p B, else @p F.
template <bool B, typename T = void>
using enable_if_t = typename enable_if<B, T>::type;  ///< @p T if @p B, else no type.
template <typename T>
using type_identity_t = typename type_identity<T>::type;  ///< @p T, in a non-deduced context.
template <typename T>
using underlying_type_t = __underlying_type(T);  ///< The integer type of an enum.

template <typename T>
inline constexpr bool is_integral_v = is_integral_impl<remove_cv_t<T>>::value;  ///< Integer or bool.
template <typename T>
inline constexpr bool is_pointer_v = is_pointer_impl<remove_cv_t<T>>::value;  ///< A pointer type.
template <typename T>
inline constexpr bool is_lvalue_reference_v = is_lvalue_reference<T>::value;  ///< `T&`.
template <typename T>
inline constexpr bool is_rvalue_reference_v = is_rvalue_reference<T>::value;  ///< `T&&`.
template <typename T>
inline constexpr bool is_reference_v =
    is_lvalue_reference_v<T> || is_rvalue_reference_v<T>;  ///< Any reference.
template <typename T>
inline constexpr bool is_array_v = is_array<T>::value;  ///< An array type.
template <typename T>
inline constexpr bool is_const_v = is_const<T>::value;  ///< A const-qualified type.
template <typename T>
inline constexpr bool is_void_v = is_same_v<remove_cv_t<T>, void>;  ///< `void`.
template <typename T>
inline constexpr bool is_enum_v = __is_enum(T);  ///< An enumeration.
template <typename T>
inline constexpr bool is_class_v = __is_class(T);  ///< A class or struct.
template <typename T>
inline constexpr bool is_union_v = __is_union(T);  ///< A union.
template <typename T>
inline constexpr bool is_empty_v = __is_empty(T);  ///< A class with no non-static data.
template <typename T>
inline constexpr bool is_signed_v = is_signed_impl<T>::value;  ///< A signed integer.
template <typename T>
inline constexpr bool is_unsigned_v = is_integral_v<T> && !is_signed_v<T>;  ///< An unsigned integer.
template <typename T>
inline constexpr bool is_standard_layout_v = __is_standard_layout(T);  ///< C-compatible layout.
template <typename T>
inline constexpr bool is_trivially_copyable_v = __is_trivially_copyable(T);  ///< Copyable with memcpy.
/**
 * @brief Always false, but only known once @p T is: the condition of a
 * `static_assert` that must fire only when its template is instantiated
 * (kcpp's members that explain why a call does not compile).
 */
template <typename T>
inline constexpr bool dependent_false = false;
/// No destructor to run. clang has `__is_trivially_destructible` and deprecates
/// `__has_trivial_destructor`; g++ 12 has only the latter.
template <typename T>
#if __has_builtin(__is_trivially_destructible)
inline constexpr bool is_trivially_destructible_v = __is_trivially_destructible(T);
#else
inline constexpr bool is_trivially_destructible_v = __has_trivial_destructor(T);
#endif
template <typename T, typename... Args>
inline constexpr bool is_constructible_v = __is_constructible(T, Args...);  ///< `T(args...)` is valid.
template <typename T, typename... Args>
inline constexpr bool is_trivially_constructible_v =
    __is_trivially_constructible(T, Args...);  ///< Trivially.
template <typename T, typename... Args>
inline constexpr bool is_nothrow_constructible_v =
    __is_nothrow_constructible(T, Args...);  ///< Without throwing.
template <typename T, typename U>
inline constexpr bool is_assignable_v = __is_assignable(T, U);  ///< `declval<T>() = declval<U>()` is valid.
template <typename Base, typename Derived>
inline constexpr bool is_base_of_v = __is_base_of(Base, Derived);  ///< @p Base is a base of @p Derived.
template <typename T>
inline constexpr bool is_move_constructible_v = is_constructible_v<T, T&&>;  ///< Constructible from `T&&`.
template <typename T>
inline constexpr bool is_copy_constructible_v = is_constructible_v<T, const T&>;  ///< From `const T&`.

/** @brief A value of type @p T, for unevaluated contexts only. */
template <typename T>
T&& declval() noexcept;

/// @cond KCPP_INTERNAL
namespace detail {
template <typename From, typename To>
auto test_convertible(int)
    -> decltype(void(static_cast<void (*)(To)>(nullptr)(declval<From>())), true_type{});
template <typename, typename>
auto test_convertible(...) -> false_type;
}  // namespace detail
/// @endcond

/** @brief Whether @p From converts implicitly to @p To. */
template <typename From, typename To>
inline constexpr bool is_convertible_v =
    is_void_v<To> || decltype(detail::test_convertible<From, To>(0))::value;

/** @brief True during constant evaluation, false at run time. */
constexpr bool is_constant_evaluated() noexcept {
  return __builtin_is_constant_evaluated();
}

/** @brief @p A and @p B are the same type. */
template <typename A, typename B>
concept same_as = is_same_v<A, B> && is_same_v<B, A>;
/** @brief An integer type (including `bool` and the character types). */
template <typename T>
concept integral = is_integral_v<T>;
/** @brief A signed integer type. */
template <typename T>
concept signed_integral = integral<T> && is_signed_v<T>;
/** @brief An unsigned integer type. */
template <typename T>
concept unsigned_integral = integral<T> && !is_signed_v<T>;
/** @brief @p Derived is @p Base or derives from it unambiguously. */
template <typename Derived, typename Base>
concept derived_from =
    is_base_of_v<Base, Derived> && is_convertible_v<const volatile Derived*, const volatile Base*>;
/** @brief @p From converts implicitly and explicitly to @p To. */
template <typename From, typename To>
concept convertible_to = is_convertible_v<From, To> && requires { static_cast<To>(declval<From>()); };
/** @brief `T(args...)` is valid. */
template <typename T, typename... Args>
concept constructible_from = is_constructible_v<T, Args...>;
/** @brief @p T can be moved into a new object. */
template <typename T>
concept move_constructible = constructible_from<T, T>;
/** @brief A callable that takes @p Args. */
template <typename F, typename... Args>
concept invocable = requires(F&& f, Args&&... args) { static_cast<F&&>(f)(static_cast<Args&&>(args)...); };

}  // namespace kcpp

// NOLINTEND(readability-identifier-naming)
#endif  // KCPP_CORE_TYPE_TRAITS_H

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/compare.h
 * @brief The comparison categories that `operator<=>` returns.
 *
 * A defaulted or built-in three-way comparison names `std::strong_ordering`
 * and its siblings; without libstdc++ kcpp defines them. Comparison results
 * compare against literal `0` as in the standard library.
 *
 * @par Examples
 * @code{.cpp}
 * struct Version {
 *   int major, minor;
 *   auto operator<=>(const Version&) const = default;
 * };
 * KCPP_ASSERT((Version{6, 12} < Version{6, 13}));
 * KCPP_ASSERT((Version{6, 12} <=> Version{6, 12}) == 0);
 * KCPP_ASSERT((3 <=> 2) > 0);
 * @endcode
 *
 * The three categories and their conversions:
 * @code{.cpp}
 * std::strong_ordering s = 1 <=> 2;
 * std::weak_ordering w = s;
 * std::partial_ordering p = w;
 * KCPP_ASSERT(s == std::strong_ordering::less && w < 0 && p < 0);
 * KCPP_ASSERT(std::partial_ordering::unordered != 0);
 * @endcode
 */
#ifndef KCPP_CORE_COMPARE_H
#define KCPP_CORE_COMPARE_H

// The standard library's names: operator<=> returns these types.
// NOLINTBEGIN(readability-identifier-naming)

namespace std {

/// @cond KCPP_INTERNAL
namespace cmp_detail {
using type = signed char;
enum class Ord : type { less = -1, equivalent = 0, greater = 1 };
enum class Ncmp : type { unordered = 2 };
// Only the literal 0 converts to this type, as the standard requires.
struct Zero {
  consteval Zero(Zero*) noexcept {}
};
}  // namespace cmp_detail
/// @endcond

/** @brief Result of comparing values that may be unordered (NaN). */
class partial_ordering {
 public:
  /** @brief The four results: less, equivalent, greater, unordered. */
  /// @{
  static const partial_ordering less, equivalent, greater, unordered;
  /// @}
  /** @brief Comparisons with the literal 0 and between results, as in the standard library. */
  /// @{
  friend constexpr bool operator==(partial_ordering v, cmp_detail::Zero) noexcept { return v.v_ == 0; }
  friend constexpr bool operator==(partial_ordering, partial_ordering) noexcept = default;
  friend constexpr bool operator<(partial_ordering v, cmp_detail::Zero) noexcept { return v.v_ == -1; }
  friend constexpr bool operator>(partial_ordering v, cmp_detail::Zero) noexcept { return v.v_ == 1; }
  friend constexpr bool operator<=(partial_ordering v, cmp_detail::Zero) noexcept { return v.v_ <= 0; }
  friend constexpr bool operator>=(partial_ordering v, cmp_detail::Zero) noexcept {
    return v.v_ == 0 || v.v_ == 1;
  }
  friend constexpr bool operator<(cmp_detail::Zero, partial_ordering v) noexcept { return v.v_ == 1; }
  friend constexpr bool operator>(cmp_detail::Zero, partial_ordering v) noexcept { return v.v_ == -1; }
  friend constexpr bool operator<=(cmp_detail::Zero, partial_ordering v) noexcept {
    return v.v_ == 0 || v.v_ == 1;
  }
  friend constexpr bool operator>=(cmp_detail::Zero, partial_ordering v) noexcept { return v.v_ <= 0; }
  /// @}

  /// @cond KCPP_INTERNAL
  constexpr explicit partial_ordering(cmp_detail::type v) noexcept : v_(v) {}
  cmp_detail::type v_;
  /// @endcond
};
inline constexpr partial_ordering partial_ordering::less(-1);
inline constexpr partial_ordering partial_ordering::equivalent(0);
inline constexpr partial_ordering partial_ordering::greater(1);
inline constexpr partial_ordering partial_ordering::unordered(2);

/// @cond KCPP_INTERNAL
namespace cmp_detail {
// The comparisons with literal 0 shared by weak_ordering and strong_ordering,
// whose values are only less, equivalent and greater.
template <typename Derived>
struct TotalOrderOps {
  friend constexpr bool operator==(Derived v, Zero) noexcept { return v.v_ == 0; }
  friend constexpr bool operator<(Derived v, Zero) noexcept { return v.v_ < 0; }
  friend constexpr bool operator>(Derived v, Zero) noexcept { return v.v_ > 0; }
  friend constexpr bool operator<=(Derived v, Zero) noexcept { return v.v_ <= 0; }
  friend constexpr bool operator>=(Derived v, Zero) noexcept { return v.v_ >= 0; }
  friend constexpr bool operator<(Zero, Derived v) noexcept { return 0 < v.v_; }
  friend constexpr bool operator>(Zero, Derived v) noexcept { return 0 > v.v_; }
  friend constexpr bool operator<=(Zero, Derived v) noexcept { return 0 <= v.v_; }
  friend constexpr bool operator>=(Zero, Derived v) noexcept { return 0 >= v.v_; }
};
}  // namespace cmp_detail
/// @endcond

/** @brief Result of comparing values where equivalent need not mean equal. */
class weak_ordering : public cmp_detail::TotalOrderOps<weak_ordering> {
 public:
  /** @brief The results: less, equivalent, greater. */
  /// @{
  static const weak_ordering less, equivalent, greater;
  /// @}
  /** @brief The same result as a partial ordering. */
  constexpr operator partial_ordering() const noexcept { return partial_ordering(v_); }
  /** @brief Results compare equal when they are the same. */
  friend constexpr bool operator==(weak_ordering a, weak_ordering b) noexcept { return a.v_ == b.v_; }

  /// @cond KCPP_INTERNAL
  constexpr explicit weak_ordering(cmp_detail::type v) noexcept : v_(v) {}
  cmp_detail::type v_;
  /// @endcond
};
inline constexpr weak_ordering weak_ordering::less(-1);
inline constexpr weak_ordering weak_ordering::equivalent(0);
inline constexpr weak_ordering weak_ordering::greater(1);

/** @brief Result of comparing values where equivalent means equal (integers). */
class strong_ordering : public cmp_detail::TotalOrderOps<strong_ordering> {
 public:
  /** @brief The results: less, equal, equivalent, greater. */
  /// @{
  static const strong_ordering less, equal, equivalent, greater;
  /// @}
  /** @brief The same result as a partial ordering. */
  constexpr operator partial_ordering() const noexcept { return partial_ordering(v_); }
  /** @brief The same result as a weak ordering. */
  constexpr operator weak_ordering() const noexcept { return weak_ordering(v_); }
  /** @brief Results compare equal when they are the same. */
  friend constexpr bool operator==(strong_ordering a, strong_ordering b) noexcept { return a.v_ == b.v_; }

  /// @cond KCPP_INTERNAL
  constexpr explicit strong_ordering(cmp_detail::type v) noexcept : v_(v) {}
  cmp_detail::type v_;
  /// @endcond
};
inline constexpr strong_ordering strong_ordering::less(-1);
inline constexpr strong_ordering strong_ordering::equal(0);
inline constexpr strong_ordering strong_ordering::equivalent(0);
inline constexpr strong_ordering strong_ordering::greater(1);

}  // namespace std

// NOLINTEND(readability-identifier-naming)
#endif  // KCPP_CORE_COMPARE_H

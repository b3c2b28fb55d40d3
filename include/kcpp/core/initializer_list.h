/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/initializer_list.h
 * @brief `std::initializer_list`, which braced lists of values turn into.
 *
 * The compiler builds a `std::initializer_list<T>` for a braced list by name
 * and by layout (a pointer and a length), so kcpp must provide it exactly
 * as g++ expects it.
 *
 * @par Examples
 * @code{.cpp}
 * std::initializer_list<int> list = {3, 4, 5};
 * int sum = 0;
 * for (int v : list)
 *   sum += v;
 * KCPP_ASSERT_EQ(list.size(), 3u);
 * KCPP_ASSERT_EQ(sum, 12);
 * @endcode
 */
#ifndef KCPP_CORE_INITIALIZER_LIST_H
#define KCPP_CORE_INITIALIZER_LIST_H

// The standard library's name: braced lists become it.
// NOLINTBEGIN(readability-identifier-naming)

#include <kcpp/core/types.h>

namespace std {
/** @brief A read-only view of the values of a braced list. */
template <typename E>
class initializer_list {
 public:
  using value_type = E;       ///< Element type.
  using size_type = size_t;   ///< Size type.
  using iterator = const E*;  ///< Iterator type.

  /** @brief An empty list. */
  constexpr initializer_list() noexcept : array_(nullptr), len_(0) {}
  /** @brief Number of elements. */
  [[nodiscard]] constexpr size_t size() const noexcept { return len_; }
  /** @brief First element. */
  [[nodiscard]] constexpr const E* begin() const noexcept { return array_; }
  /** @brief One past the last element. */
  [[nodiscard]] constexpr const E* end() const noexcept { return array_ + len_; }

 private:
  // The compiler calls this constructor; the order and types are fixed by g++.
  constexpr initializer_list(const E* array, size_t len) : array_(array), len_(len) {}
  const E* array_;
  size_t len_;
};
}  // namespace std

// NOLINTEND(readability-identifier-naming)
#endif  // KCPP_CORE_INITIALIZER_LIST_H

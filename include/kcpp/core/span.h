/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/span.h
 * @brief `Span<T>`: a bounds-checked view of contiguous elements.
 *
 * A pointer and a length, for passing arrays around without losing their
 * size (C passes them separately). Every access is checked: `get(i)` gives
 * `nullptr` past the end, `at(i)` and `subspan()` give `ERANGE` errors,
 * and `operator[]` reports a kernel bug at the caller's location instead of
 * reading out of bounds. It is the type to parse untrusted
 * buffers (firmware images, device memory copies) with.
 *
 * @par Examples
 * @code{.cpp}
 * const kcpp::u8 image[] = {0x55, 0xaa, 4, 1, 2, 3, 4};
 * kcpp::Span<const kcpp::u8> rom(image);
 * KCPP_ASSERT_EQ(rom.size(), 7u);
 * const kcpp::u8 len = *rom.get(2);
 * auto body = KCPP_TRY(rom.subspan(3, len));
 * KCPP_ASSERT_EQ(body[3], 4);
 * // A length field that points past the end is an error, not a read.
 * KCPP_ASSERT_EQ(rom.subspan(3, 9).error(), kcpp::code::ERANGE);
 * @endcode
 */
#ifndef KCPP_CORE_SPAN_H
#define KCPP_CORE_SPAN_H

#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>

namespace kcpp {

/**
 * @brief A view of @p T elements: a pointer and a count, accessed with checks.
 *
 * @par Invariants
 * `data()` points to `size()` consecutive live elements (or is null with a
 * size of 0). A Span does not own them: they must outlive it.
 */
template <typename T>
class Span {
 public:
  using element_type = T;  ///< Element type.

  /** @brief An empty span. */
  constexpr Span() = default;
  /**
   * @brief A span of @p n elements at @p data.
   *
   * @par Safety
   * @p data points to at least @p n live elements, which outlive the span.
   */
  static constexpr Span unsafe_from_raw(T* data, usize n) { return Span(data, n); }
  /** @brief A span of a whole array. */
  template <usize N>
  constexpr Span(T (&array)[N]) : data_(array), size_(N) {}
  /** @brief A span of const elements from one of mutable ones. */
  template <typename U>
    requires(is_same_v<const U, T> && !is_same_v<U, T>)
  constexpr Span(Span<U> other) : data_(other.data()), size_(other.size()) {}

  /** @brief Number of elements. */
  [[nodiscard]] constexpr usize size() const { return size_; }
  /** @brief Size in bytes. */
  [[nodiscard]] constexpr usize size_bytes() const { return size_ * sizeof(T); }
  /** @brief True without elements. */
  [[nodiscard]] constexpr bool is_empty() const { return size_ == 0; }
  /** @brief The first element's address. */
  [[nodiscard]] constexpr T* data() const { return data_; }
  /** @brief First element. */
  constexpr T* begin() const { return data_; }
  /** @brief Past the last element. */
  constexpr T* end() const { return data_ + size_; }

  /** @brief Element @p i, or `nullptr` if out of range. */
  [[nodiscard]] constexpr T* get(usize i) const { return i < size_ ? data_ + i : nullptr; }
  /** @brief Element @p i, or `ERANGE` if out of range. */
  [[nodiscard]] constexpr Result<T*> at(usize i) const {
    if (i >= size_)
      return code::ERANGE;
    return data_ + i;
  }
  /** @brief Element @p i, which the caller knows to be in range (checked). */
  constexpr T& operator[](usize i) const {
    if (i >= size_) [[unlikely]]
      detail::precondition_failed("Span index out of range", __builtin_FILE(), __builtin_LINE());
    return data_[i];
  }
  /**
   * @brief The @p count elements from @p offset; `ERANGE` if they do not all
   * lie inside this span (overflow-safe).
   */
  [[nodiscard]] constexpr Result<Span> subspan(usize offset, usize count) const {
    if (offset > size_ || count > size_ - offset)
      return code::ERANGE;
    return Span(data_ + offset, count);
  }
  /** @brief The elements from @p offset to the end; `ERANGE` past the end. */
  [[nodiscard]] constexpr Result<Span> subspan(usize offset) const {
    if (offset > size_)
      return code::ERANGE;
    return Span(data_ + offset, size_ - offset);
  }

 private:
  constexpr Span(T* data, usize n) : data_(data), size_(n) {}
  T* data_ = nullptr;
  usize size_ = 0;
};

}  // namespace kcpp

#endif  // KCPP_CORE_SPAN_H

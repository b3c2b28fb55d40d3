/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/alloc/kvec.h
 * @brief `Vec<T, A>`: a growable array with fallible growth (`KVec`, `VVec`, `KVVec`).
 *
 * kcpp's equivalent of Rust's `KVec`. Every operation that may allocate takes
 * `Gfp` flags and returns a `Result`: when memory runs out the vector is left
 * exactly as it was. Sizes are computed with overflow checks. Element access
 * is checked: `get(i)` returns `nullptr` past the end and `at(i)` an
 * `ERANGE` error; `operator[]` is for indices the caller has proven in range,
 * and reports a kernel bug with the caller's location if one is not (it never
 * reads out of bounds).
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::KVec<int> v;
 * KCPP_TRY(v.push(1, kcpp::GFP_KERNEL));
 * KCPP_TRY(v.push(2, kcpp::GFP_KERNEL));
 * KCPP_TRY(v.extend({3, 4, 5}, kcpp::GFP_KERNEL));
 * v.retain([](int x) { return x % 2 == 1; });
 * KCPP_ASSERT_EQ(v.len(), 3u);
 * KCPP_ASSERT_EQ(*v.get(2), 5);
 * KCPP_ASSERT(v.get(3) == nullptr);
 * int sum = 0;
 * for (int x : v)
 *   sum += x;
 * KCPP_ASSERT_EQ(sum, 9);
 * @endcode
 *
 * `KVec`, `VVec` and `KVVec` are `Vec` with the kmalloc, vmalloc and
 * kvmalloc backends:
 * @code{.cpp}
 * kcpp::VVec<kcpp::u8> pages = KCPP_TRY(kcpp::VVec<kcpp::u8>::with_capacity(1 << 16, kcpp::GFP_KERNEL));
 * kcpp::Vec<int, kcpp::KVmalloc> small = KCPP_TRY(kcpp::KVVec<int>::with_capacity(8, kcpp::GFP_KERNEL));
 * KCPP_ASSERT_GE(pages.capacity(), 65536u);
 * KCPP_ASSERT(small.is_empty());
 * @endcode
 */
#ifndef KCPP_ALLOC_KVEC_H
#define KCPP_ALLOC_KVEC_H

#include <kcpp/alloc/allocator.h>
#include <kcpp/core/initializer_list.h>
#include <kcpp/core/new.h>
#include <kcpp/core/span.h>
#include <kcpp/core/utility.h>

namespace kcpp {

/**
 * @brief A contiguous, growable array of @p T in memory from @p A.
 *
 * @par Invariants
 * `len() <= capacity()`; the first `len()` slots hold live objects, the rest
 * are raw storage; with a capacity of 0 no memory is held.
 */
template <typename T, Allocator A>
class Vec {
  static_assert(!is_reference_v<T>, "kcpp: Vec<T&> is not supported; store pointers.");

 public:
  using value_type = T;             ///< Element type.
  using iterator = T*;              ///< Iterator.
  using const_iterator = const T*;  ///< Read-only iterator.

  /** @brief An empty vector; allocates nothing. */
  constexpr Vec() = default;
  /** @brief An empty vector with room for @p n elements. */
  [[nodiscard]] static Result<Vec> with_capacity(usize n, Gfp gfp, NumaNode node = NumaNode::any()) {
    Vec v;
    v.node_ = node;
    KCPP_TRY(v.reserve(n, gfp));
    return v;
  }

  Vec(const Vec&) = delete;
  Vec& operator=(const Vec&) = delete;
  /** @brief Takes the elements of @p other, which becomes empty. */
  Vec(Vec&& other) noexcept
      : data_(exchange(other.data_, nullptr)),
        len_(exchange(other.len_, 0)),
        cap_(exchange(other.cap_, 0)),
        node_(other.node_) {}
  /** @brief Drops the current elements and takes those of @p other. */
  Vec& operator=(Vec&& other) noexcept {
    if (this != &other) {
      release();
      data_ = exchange(other.data_, nullptr);
      len_ = exchange(other.len_, 0);
      cap_ = exchange(other.cap_, 0);
      node_ = other.node_;
    }
    return *this;
  }
  ~Vec() { release(); }

  /** @brief Number of elements. */
  [[nodiscard]] usize len() const { return len_; }
  /** @brief Number of elements (standard spelling). */
  [[nodiscard]] usize size() const { return len_; }
  /** @brief Number of elements there is room for without allocating. */
  [[nodiscard]] usize capacity() const { return cap_; }
  /** @brief True without elements. */
  [[nodiscard]] bool is_empty() const { return len_ == 0; }
  /** @brief The elements' storage (`nullptr` without capacity). */
  [[nodiscard]] T* data() { return data_; }
  /** @copydoc data() */
  [[nodiscard]] const T* data() const { return data_; }

  /** @brief The elements as a checked view. */
  [[nodiscard]] Span<T> as_span() {
    // SAFETY: by the invariant the first len_ slots at data_ hold live elements
    // (data_ is null when len_ is 0); the span borrows them from this vector.
    return Span<T>::unsafe_from_raw(data_, len_);
  }
  /** @copydoc as_span() */
  [[nodiscard]] Span<const T> as_span() const {
    // SAFETY: by the invariant the first len_ slots at data_ hold live elements
    // (data_ is null when len_ is 0); the span borrows them from this vector.
    return Span<const T>::unsafe_from_raw(data_, len_);
  }

  /** @brief First element. */
  T* begin() { return data_; }
  /** @brief Past the last element. */
  T* end() { return data_ + len_; }
  /** @copydoc begin() */
  const T* begin() const { return data_; }
  /** @copydoc end() */
  const T* end() const { return data_ + len_; }

  /** @brief The element at @p i, or `nullptr` if @p i is out of range. */
  [[nodiscard]] T* get(usize i) { return in_range(i) ? data_ + i : nullptr; }
  /** @copydoc get() */
  [[nodiscard]] const T* get(usize i) const { return in_range(i) ? data_ + i : nullptr; }
  /** @brief The address of element @p i, or `ERANGE` if it is out of range. */
  [[nodiscard]] Result<T*> at(usize i) {
    if (!in_range(i))
      return code::ERANGE;
    return data_ + i;
  }
  /** @brief Element @p i, which the caller knows to be in range (checked). */
  T& operator[](usize i) { return *checked(i, __builtin_FILE(), __builtin_LINE()); }
  /** @copydoc operator[]() */
  const T& operator[](usize i) const { return *checked(i, __builtin_FILE(), __builtin_LINE()); }

  /** @brief Makes room for @p additional more elements; the vector is unchanged on failure. */
  [[nodiscard, gnu::always_inline]] Result<void> reserve(usize additional, Gfp gfp) {
    usize needed = 0;
    if (__builtin_add_overflow(len_, additional, &needed))
      return code::ENOMEM;
    if (needed <= cap_)
      return {};
    if (cap_ == 0) {
      // The first allocation moves nothing: made here, without the growth path's call.
      const usize want = grown_capacity(0, needed);
      const Layout layout = KCPP_TRY(Layout::array<T>(want));
      data_ = static_cast<T*>(KCPP_TRY(A::alloc(layout, gfp, node_)));
      cap_ = want;
      return {};
    }
    const Storage s = KCPP_TRY(grown(Storage{data_, cap_}, len_, needed, gfp, node_));
    data_ = s.data;
    cap_ = s.cap;
    return {};
  }

  /** @brief Appends a `T` made from @p value, growing if needed. */
  template <typename U = T>
    requires constructible_from<T, U&&>
  [[nodiscard]] Result<void> push(U&& value, Gfp gfp) {
    // The fields go through locals and the slow path takes them by value:
    // the vector's address never escapes the loop it is pushed in, so the
    // compiler keeps length and capacity in registers, as C would. The slow
    // path also places the element, so nothing is live across its call.
    const usize len = len_;
    if (len == cap_) [[unlikely]] {
      const Storage s = KCPP_TRY(grown_with(Storage{data_, cap_}, len, gfp, node_, std::forward<U>(value)));
      data_ = s.data;
      cap_ = s.cap;
    } else {
      new (data_ + len) T(std::forward<U>(value));
    }
    len_ = len + 1;
    return {};
  }
  /**
   * @brief Appends @p value without allocating; `ENOMEM` (and @p value left
   * untouched) if the vector is full.
   */
  [[nodiscard]] Result<void> push_within_capacity(T&& value) {
    if (len_ == cap_)
      return code::ENOMEM;
    new (data_ + len_) T(std::move(value));
    len_++;
    return {};
  }
  /** @brief Removes and returns the last element; `ENODATA` if there is none. */
  [[nodiscard]] Result<T> pop() {
    if (len_ == 0)
      return code::ENODATA;
    len_--;
    Result<T> out(in_place, std::move(data_[len_]));
    data_[len_].~T();
    return out;
  }
  /** @brief Inserts @p value before index @p i (`i == len()` appends); `ERANGE` past the end. */
  [[nodiscard]] Result<void> insert(usize i, T value, Gfp gfp) {
    if (i > len_)
      return code::ERANGE;
    KCPP_TRY(reserve(1, gfp));
    if (i == len_) {
      new (data_ + len_) T(std::move(value));
    } else {
      new (data_ + len_) T(std::move(data_[len_ - 1]));
      for (usize j = len_ - 1; j > i; j--) data_[j] = std::move(data_[j - 1]);
      data_[i] = std::move(value);
    }
    len_++;
    return {};
  }
  /** @brief Removes element @p i, shifting the rest down; `ERANGE` if out of range. */
  [[nodiscard]] Result<T> remove(usize i) {
    if (i >= len_)
      return code::ERANGE;
    Result<T> out(in_place, std::move(data_[i]));
    for (usize j = i; j + 1 < len_; j++) data_[j] = std::move(data_[j + 1]);
    len_--;
    data_[len_].~T();
    return out;
  }
  /** @brief Drops the elements from index @p n on (nothing if `n >= len()`). */
  void truncate(usize n) {
    while (len_ > n) {
      len_--;
      data_[len_].~T();
    }
  }
  /** @brief Drops every element; the capacity stays. */
  void clear() { truncate(0); }
  /** @brief Keeps the elements for which @p keep returns true, in order. */
  template <typename Pred>
  void retain(Pred keep) {
    usize out = 0;
    for (usize i = 0; i < len_; i++) {
      if (keep(static_cast<const T&>(data_[i]))) {
        if (out != i)
          data_[out] = std::move(data_[i]);
        out++;
      }
    }
    truncate(out);
  }
  /** @brief Appends copies of @p n elements at @p src; unchanged on failure. */
  [[nodiscard]] Result<void> extend_from_slice(const T* src, usize n, Gfp gfp)
    requires is_copy_constructible_v<T>
  {
    // The source may be this vector's own elements (v.extend(v.as_span())):
    // growing moves them, so find them again afterwards.
    const bool own = data_ && src >= data_ && src < data_ + len_;
    const usize offset = own ? static_cast<usize>(src - data_) : 0;
    KCPP_TRY(reserve(n, gfp));
    if (own)
      src = data_ + offset;
    if constexpr (is_trivially_copyable_v<T>) {
      if (n)  // one memcpy, as C copies a buffer
        __builtin_memcpy(static_cast<void*>(data_ + len_), src, n * sizeof(T));
    } else {
      for (usize i = 0; i < n; i++) new (data_ + len_ + i) T(src[i]);
    }
    len_ += n;
    return {};
  }
  /**
   * @brief Grows to @p n elements, the new ones copies of @p value, or
   * shrinks to @p n; unchanged on failure.
   */
  [[nodiscard]] Result<void> resize(usize n, const T& value, Gfp gfp)
    requires is_copy_constructible_v<T>
  {
    if (n <= len_) {
      truncate(n);
      return {};
    }
    const T fill(value);  // value may be one of the elements growing moves
    KCPP_TRY(reserve(n - len_, gfp));
    if constexpr (sizeof(T) == 1 && is_trivially_copyable_v<T>) {
      __builtin_memset(static_cast<void*>(data_ + len_), __builtin_bit_cast(unsigned char, fill), n - len_);
    } else {
      for (usize i = len_; i < n; i++) new (data_ + i) T(fill);
    }
    len_ = n;
    return {};
  }
  /**
   * @brief Appends @p n elements that @p fill writes in place: it receives
   * them as a `Span<T>` of raw storage and must write every one before it
   * returns success (`Result<void>`). On failure, of the allocation or of
   * @p fill, the length stays as it was. For trivially copyable @p T (bytes
   * read from a device, a file): the elements are not zeroed first, so
   * nothing is written twice.
   *
   * @code{.cpp}
   * kcpp::KVec<kcpp::u8> buf;
   * KCPP_TRY(buf.extend_with(4, kcpp::GFP_KERNEL, [](kcpp::Span<kcpp::u8> out) -> kcpp::Result<void> {
   *   for (kcpp::usize i = 0; i < out.size(); i++)
   *     out[i] = kcpp::u8(0xa0 + i);
   *   return {};
   * }));
   * KCPP_ASSERT_EQ(buf.len(), 4u);
   * KCPP_ASSERT_EQ(buf[3], 0xa3);
   * auto fails = buf.extend_with(8, kcpp::GFP_KERNEL,
   *                              [](kcpp::Span<kcpp::u8>) -> kcpp::Result<void> { return kcpp::code::EIO; });
   * KCPP_ASSERT_EQ(fails.error(), kcpp::code::EIO);
   * KCPP_ASSERT_EQ(buf.len(), 4u);  // unchanged
   * @endcode
   */
  template <typename Fill>
  [[nodiscard, gnu::always_inline]] Result<void> extend_with(usize n, Gfp gfp, Fill fill)
    requires is_trivially_copyable_v<T>
  {
    KCPP_TRY(reserve(n, gfp));
    // SAFETY: reserve() succeeded, so cap_ >= len_ + n and the n slots after len_ are
    // storage we own; T is trivially copyable, so fill may write them as elements,
    // and they are only counted (len_ += n) after fill reports success.
    KCPP_TRY(fill(Span<T>::unsafe_from_raw(data_ + len_, n)));
    len_ += n;
    return {};
  }
  /** @brief Appends copies of the elements of @p values; unchanged on failure. */
  [[nodiscard]] Result<void> extend(Span<const T> values, Gfp gfp)
    requires is_copy_constructible_v<T>
  {
    return extend_from_slice(values.data(), values.size(), gfp);
  }
  /** @brief Appends copies of the values of a braced list. */
  [[nodiscard]] Result<void> extend(std::initializer_list<T> values, Gfp gfp)
    requires is_copy_constructible_v<T>
  {
    return extend_from_slice(values.begin(), values.size(), gfp);
  }

 private:
  // The one bound check of get(), at() and operator[].
  [[nodiscard]] bool in_range(usize i) const { return i < len_; }
  T* checked(usize i, const char* file, int line) const {
    if (!in_range(i)) [[unlikely]]
      detail::precondition_failed("Vec index out of range", file, line);
    return data_ + i;
  }

  struct Storage {
    T* data;
    usize cap;
  };

  // grown() for push: grows by one and constructs the new element at `len`.
  // @p value may refer to an element of the old storage (`v.push(v[0])`), so
  // the new element is made while that storage is still alive: before the
  // reallocation for bytes, before the old elements move for other types.
  template <typename U>
  [[gnu::noinline]] static Result<Storage> grown_with(Storage old, usize len, Gfp gfp, NumaNode node,
                                                      U&& value) {
    if constexpr (is_trivially_copyable_v<T>) {
      const T copy(std::forward<U>(value));
      const Storage s = KCPP_TRY(grown(old, len, len + 1, gfp, node));
      new (s.data + len) T(copy);
      return s;
    } else {
      const Storage s = KCPP_TRY(allocated(old, len + 1, gfp, node));
      new (s.data + len) T(std::forward<U>(value));
      move_over(old, len, s.data);
      return s;
    }
  }

  // The capacity growth to hold `needed` elements asks for: the capacity
  // doubles, with a minimum of 4 (amortized constant-time push).
  static usize grown_capacity(usize cap, usize needed) {
    usize want = cap > Layout::MAX_SIZE / 2 ? Layout::MAX_SIZE : cap * 2;
    if (want < needed)
      want = needed;
    if (want < 4)
      want = 4;
    return want;
  }

  // Fresh storage for at least `needed` elements; the old one is untouched.
  static Result<Storage> allocated(Storage old, usize needed, Gfp gfp, NumaNode node) {
    const usize want = grown_capacity(old.cap, needed);
    const Layout layout = KCPP_TRY(Layout::array<T>(want));
    return Storage{static_cast<T*>(KCPP_TRY(A::alloc(layout, gfp, node))), want};
  }

  // Moves the `len` live elements of `old` to `fresh` (one by one: objects
  // with move constructors are not copied as bytes) and frees `old`.
  static void move_over(Storage old, usize len, T* fresh) {
    for (usize i = 0; i < len; i++) {
      new (fresh + i) T(std::move(old.data[i]));
      old.data[i].~T();
    }
    A::free(old.data);
  }

  // The storage after growing to hold at least `needed` elements, the `len`
  // live ones moved over. On failure the old storage is untouched.
  [[gnu::noinline]] static Result<Storage> grown(Storage old, usize len, usize needed, Gfp gfp,
                                                 NumaNode node) {
    if constexpr (is_trivially_copyable_v<T>) {
      const usize want = grown_capacity(old.cap, needed);
      const Layout old_layout = KCPP_TRY(Layout::array<T>(old.cap));
      const Layout layout = KCPP_TRY(Layout::array<T>(want));
      void* p = KCPP_TRY(A::realloc(old.data, old_layout, layout, gfp, node));
      return Storage{static_cast<T*>(p), want};
    } else {
      const Storage s = KCPP_TRY(allocated(old, needed, gfp, node));
      move_over(old, len, s.data);
      return s;
    }
  }

  void release() {
    clear();
    if (data_)  // a moved-from or never-grown vector: no call into the allocator
      A::free(data_);
    data_ = nullptr;
    cap_ = 0;
  }

  T* data_ = nullptr;
  usize len_ = 0;
  usize cap_ = 0;
  NumaNode node_ = NumaNode::any();
};

/** @brief A Vec in kmalloc memory. */
template <typename T>
using KVec = Vec<T, Kmalloc>;
/** @brief A Vec in vmalloc memory. */
template <typename T>
using VVec = Vec<T, Vmalloc>;
/** @brief A Vec in kvmalloc memory. */
template <typename T>
using KVVec = Vec<T, KVmalloc>;

}  // namespace kcpp

#endif  // KCPP_ALLOC_KVEC_H

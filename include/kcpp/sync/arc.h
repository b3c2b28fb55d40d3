/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/sync/arc.h
 * @brief `Arc<T>`: a shared, reference-counted heap object.
 *
 * Wraps `refcount_t` (`include/linux/refcount.h`, saturating, with warnings
 * on misuse) around a `T` in kmalloc memory. Copies share the object and
 * take a count; the last one to go destroys and frees it. The object never
 * moves, so `Arc<T>::pin_init(gfp, init)` can build non-movable types in
 * place. For objects the kernel already refcounts, use `ARef<T>`.
 *
 * @par Examples
 * @code{.cpp}
 * auto a = KCPP_TRY(kcpp::Arc<int>::make(kcpp::GFP_KERNEL, 42));
 * kcpp::Arc<int> b = a;
 * KCPP_ASSERT_EQ(a.count(), 2u);
 * KCPP_ASSERT_EQ(*b, 42);
 * KCPP_ASSERT(a.get() == b.get());
 * @endcode
 */
#ifndef KCPP_SYNC_ARC_H
#define KCPP_SYNC_ARC_H

#include <kcpp/alloc/allocator.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/utility.h>
#include <kcpp/init/pin_init.h>

namespace kcpp {

/**
 * @brief A shared @p T with a reference count.
 *
 * @par Invariants
 * A non-empty Arc points to a live block (count, object) in which it owns
 * one count. It is empty only after being moved from or turned into a raw
 * pointer.
 */
template <typename T>
class Arc {
  struct Inner {
    alignas(KCPP_ALIGNOF_refcount) unsigned char count[KCPP_SIZEOF_refcount];
    T data;
  };

 public:
  /** @brief A new object `T(args...)` with a count of one. */
  template <typename... Args>
  [[nodiscard]] static Result<Arc> make(Gfp gfp, Args&&... args) {
    return pin_init(gfp, init::emplace<T>(std::forward<Args>(args)...));
  }
  /** @brief As `make()`, in memory of NUMA node @p node. */
  template <typename... Args>
  [[nodiscard]] static Result<Arc> make_on(NumaNode node, Gfp gfp, Args&&... args) {
    return pin_init(gfp, init::emplace<T>(std::forward<Args>(args)...), node);
  }
  /**
   * @brief A new object built in place by the initializer @p i, in memory of
   * NUMA node @p node (any node by default).
   */
  template <typename I>
    requires InitializerOf<I, T>
  [[nodiscard]] static Result<Arc> pin_init(Gfp gfp, I&& i, NumaNode node = NumaNode::any()) {
    auto* inner = static_cast<Inner*>(KCPP_TRY(Kmalloc::alloc(Layout::of<Inner>(), gfp, node)));
    Result<void> r = std::move(i)(&inner->data);
    if (r.is_err()) {
      Kmalloc::free(inner);
      return r.error();
    }
    kcpp_refcount_set(count_of(inner), 1);
    return Arc(inner);
  }

  /** @brief Shares the object of @p other, taking a count. */
  Arc(const Arc& other) : inner_(other.inner_) {
    if (inner_)
      kcpp_refcount_inc(count_of(inner_));
  }
  /** @brief Takes the count of @p other, which becomes empty. */
  Arc(Arc&& other) noexcept : inner_(exchange(other.inner_, nullptr)) {}
  /** @brief Drops the current count, then shares the object of @p other. */
  Arc& operator=(const Arc& other) {
    if (this != &other) {
      Arc copy(other);
      swap(inner_, copy.inner_);
    }
    return *this;
  }
  /** @brief Drops the current count and takes the one of @p other. */
  Arc& operator=(Arc&& other) noexcept {
    if (this != &other) {
      reset();
      inner_ = exchange(other.inner_, nullptr);
    }
    return *this;
  }
  ~Arc() { reset(); }

  /** @brief The shared object (read-only: it is shared; guard changes with a lock). */
  const T& operator*() const { return inner_->data; }
  /** @brief Member access to the shared object. */
  const T* operator->() const { return &inner_->data; }
  /** @brief The object's address (`nullptr` if empty). */
  [[nodiscard]] const T* get() const { return inner_ ? &inner_->data : nullptr; }
  /** @brief The number of Arcs sharing the object (a snapshot, for diagnostics). */
  [[nodiscard]] unsigned int count() const { return inner_ ? kcpp_refcount_read(count_of(inner_)) : 0; }

  /** @brief Hands the count to C as an opaque pointer (see unsafe_from_raw()). */
  [[nodiscard]] void* into_raw() && { return exchange(inner_, nullptr); }
  /**
   * @brief Takes back a count given away by into_raw().
   *
   * @par Safety
   * @p raw came from into_raw() of an `Arc<T>` of the same `T`, and its count
   * is taken back once.
   */
  [[nodiscard]] static Arc unsafe_from_raw(void* raw) { return Arc(static_cast<Inner*>(raw)); }

 private:
  explicit Arc(Inner* inner) : inner_(inner) {}
  static ::refcount_struct* count_of(Inner* inner) {
    // SAFETY: count is raw storage with the size and alignment of the configured kernel's
    // refcount_t; only the C helpers touch it, as a refcount_t, pin_init() setting it first.
    return reinterpret_cast<::refcount_struct*>(inner->count);
  }
  void reset() {
    if (inner_ && kcpp_refcount_dec_and_test(count_of(inner_))) {
      inner_->data.~T();
      Kmalloc::free(inner_);
    }
    inner_ = nullptr;
  }
  Inner* inner_;
};

}  // namespace kcpp

#endif  // KCPP_SYNC_ARC_H

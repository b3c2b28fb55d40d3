/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/sync/aref.h
 * @brief `ARef<T>`: an owned reference to an object the kernel refcounts.
 *
 * Kernel objects such as `struct device` or `struct pci_dev` carry their own
 * reference count (`get_device()`/`put_device()`, `pci_dev_get()`/
 * `pci_dev_put()`). A type that wraps one satisfies `AlwaysRefCounted`:
 * `inc_ref()` takes a count, `dec_ref(ptr)` drops one (and may free the
 * object). `ARef<T>` owns exactly one count: copying takes another, the
 * destructor drops it. The two ways in say what happens to the count:
 * `ARef<T>::from(obj)` takes a new one, `ARef<T>::unsafe_adopt(ptr)` takes
 * over a count the caller already holds (a C function that returned a
 * referenced pointer).
 *
 * @par Examples
 * @code{.cpp}
 * struct Obj {
 *   int refs = 1;  // the creator's count
 *   void inc_ref() const { const_cast<Obj*>(this)->refs++; }
 *   static void dec_ref(Obj* o) { o->refs--; }
 * };
 * Obj obj;
 * {
 *   kcpp::ARef<Obj> a = kcpp::ARef<Obj>::from(obj);  // takes a count
 *   kcpp::ARef<Obj> b = a;                           // and another
 *   KCPP_ASSERT_EQ(obj.refs, 3);
 * }
 * KCPP_ASSERT_EQ(obj.refs, 1);
 * @endcode
 *
 * What makes a type `AlwaysRefCounted`:
 * @code{.cpp}
 * struct Counted {
 *   void inc_ref() const {}
 *   static void dec_ref(Counted*) {}
 * };
 * static_assert(kcpp::AlwaysRefCounted<Counted>);
 * static_assert(!kcpp::AlwaysRefCounted<int>);
 * @endcode
 */
#ifndef KCPP_SYNC_AREF_H
#define KCPP_SYNC_AREF_H

#include <kcpp/core/type_traits.h>
#include <kcpp/core/utility.h>

namespace kcpp {

/**
 * @brief A type whose objects are always reference counted by the kernel.
 *
 * `obj.inc_ref()` takes a count; `T::dec_ref(ptr)` drops one, and frees the
 * object when it was the last.
 */
template <typename T>
concept AlwaysRefCounted = requires(const T& obj, T* ptr) {
  { obj.inc_ref() } -> same_as<void>;
  { T::dec_ref(ptr) } -> same_as<void>;
};

/**
 * @brief One owned reference count on a @p T.
 *
 * @par Invariants
 * A non-empty ARef points to a live @p T on which it owns one count. It is
 * empty only after being moved from or turned into a raw pointer.
 */
template <typename T>
class ARef {
  static_assert(AlwaysRefCounted<T>,
                "kcpp: ARef<T> needs T to be AlwaysRefCounted: `void inc_ref() const` and "
                "`static void dec_ref(T*)`.");

 public:
  /** @brief Takes a new count on @p obj. */
  [[nodiscard]] static ARef from(const T& obj) {
    obj.inc_ref();
    // SAFETY: the const is dropped only because dec_ref() takes a T*: an AlwaysRefCounted object
    // is a shared, counted one (a kernel device), whose count changes through const references
    // anyway (inc_ref() is const); such an object is never defined const.
    return ARef(const_cast<T*>(addressof(obj)));
  }
  /**
   * @brief Takes over a count the caller holds on @p ptr.
   *
   * @par Safety
   * @p ptr is non-null and the caller owns one count on it, which passes to
   * the ARef (it will be dropped by the ARef).
   */
  [[nodiscard]] static ARef unsafe_adopt(T* ptr) { return ARef(ptr); }

  /** @brief Another count on the same object. */
  ARef(const ARef& other) : ptr_(other.ptr_) {
    if (ptr_)
      ptr_->inc_ref();
  }
  /** @brief Takes the count of @p other, which becomes empty. */
  ARef(ARef&& other) noexcept : ptr_(exchange(other.ptr_, nullptr)) {}
  /** @brief Drops the current count and takes another on the object of @p other. */
  ARef& operator=(const ARef& other) {
    if (this != &other) {
      ARef copy(other);
      swap(ptr_, copy.ptr_);
    }
    return *this;
  }
  /** @brief Drops the current count and takes the one of @p other. */
  ARef& operator=(ARef&& other) noexcept {
    if (this != &other) {
      reset();
      ptr_ = exchange(other.ptr_, nullptr);
    }
    return *this;
  }
  ~ARef() { reset(); }

  /** @brief The object. The ARef must not be empty. */
  T& operator*() const { return *ptr_; }
  /** @brief Member access. The ARef must not be empty. */
  T* operator->() const { return ptr_; }
  /** @brief The object's address (`nullptr` if empty). */
  [[nodiscard]] T* get() const { return ptr_; }
  /** @brief Gives the count to the caller as a raw pointer (for C). */
  [[nodiscard]] T* into_raw() && { return exchange(ptr_, nullptr); }
  /** @brief Two ARefs are equal when they refer to the same object. */
  friend bool operator==(const ARef& a, const ARef& b) { return a.ptr_ == b.ptr_; }

 private:
  explicit ARef(T* p) : ptr_(p) {}
  void reset() {
    if (ptr_)
      T::dec_ref(exchange(ptr_, nullptr));
  }
  T* ptr_;
};

}  // namespace kcpp

#endif  // KCPP_SYNC_AREF_H

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/alloc/kbox.h
 * @brief `Box<T, A>`: one heap object with a single owner (`KBox`, `VBox`, `KVBox`).
 *
 * The kernel's C has no owning pointer; this is kcpp's equivalent of Rust's
 * `KBox`. `Box<T, A>::make(gfp, args...)` allocates with the allocator @p A
 * (`Kmalloc` for `KBox`, `Vmalloc` for `VBox`, `KVmalloc` for `KVBox`) and
 * constructs the object in place; it returns `ENOMEM` instead of failing
 * silently. The box is move-only and destroys and frees its object when it
 * goes away. `into_raw()` and `unsafe_from_raw()` cross the C boundary;
 * `leak()` gives up ownership for good; `abandon()` (and `kcpp::abandon()`
 * or an `AbandonSlot` for a value not in a box) drops the object for good,
 * unfreed and unreported by kmemleak, for memory a device may still write.
 *
 * @par Examples
 * @code{.cpp}
 * struct Point {
 *   int x, y;
 * };
 * kcpp::KBox<Point> p = KCPP_TRY(kcpp::KBox<Point>::make(kcpp::GFP_KERNEL, 3, 4));
 * KCPP_ASSERT_EQ(p->x + p->y, 7);
 * kcpp::KBox<Point> q = std::move(p);  // p is now empty
 * KCPP_ASSERT(!p);
 * KCPP_ASSERT_EQ(q->y, 4);
 * @endcode
 *
 * `KBox`, `VBox` and `KVBox` are `Box` with the kmalloc, vmalloc and kvmalloc
 * backends:
 * @code{.cpp}
 * kcpp::VBox<kcpp::u64> v = KCPP_TRY(kcpp::VBox<kcpp::u64>::make(kcpp::GFP_KERNEL, 7u));
 * kcpp::Box<kcpp::u64, kcpp::KVmalloc> kv = KCPP_TRY(kcpp::KVBox<kcpp::u64>::make(kcpp::GFP_KERNEL, 8u));
 * KCPP_ASSERT_EQ(*v + *kv, 15u);
 * @endcode
 *
 * A box has one owner: copying it does not compile.
 * @code{.cpp compile_fail}
 * // compile_fail: use of deleted function | call to deleted constructor
 * auto p = KCPP_TRY(kcpp::KBox<int>::make(kcpp::GFP_KERNEL, 1));
 * kcpp::KBox<int> q = p;
 * @endcode
 */
#ifndef KCPP_ALLOC_KBOX_H
#define KCPP_ALLOC_KBOX_H

#include <kcpp/alloc/allocator.h>
#include <kcpp/core/new.h>
#include <kcpp/core/utility.h>
#include <kcpp/init/pin_init.h>

namespace kcpp {

/**
 * @brief A uniquely owned @p T allocated with @p A.
 *
 * @par Invariants
 * A non-empty box points to a live @p T in a block of @p A that it owns.
 * A box is empty only after it was moved from or released.
 */
template <typename T, Allocator A>
class Box {
  static_assert(!is_reference_v<T> && !is_array_v<T>,
                "kcpp: Box<T> holds one object; use KVec<T> for arrays.");

 public:
  /** @brief Allocates with @p gfp and constructs `T(args...)` in place. */
  template <typename... Args>
    requires constructible_from<T, Args...> || requires(Args&&... a) { T{std::forward<Args>(a)...}; }
  [[nodiscard]] static Result<Box> make(Gfp gfp, Args&&... args) {
    return make_on(NumaNode::any(), gfp, std::forward<Args>(args)...);
  }
  /** @brief As make(), with the memory on NUMA node @p node. */
  template <typename... Args>
  [[nodiscard]] static Result<Box> make_on(NumaNode node, Gfp gfp, Args&&... args) {
    void* mem = KCPP_TRY(A::alloc(Layout::of<T>(), gfp, node));
    T* obj;
    if constexpr (constructible_from<T, Args...>)
      obj = new (mem) T(std::forward<Args>(args)...);
    else
      obj = new (mem) T{std::forward<Args>(args)...};
    return Box(obj);
  }

  /**
   * @brief Allocates with @p gfp and runs the initializer @p init in the new
   * memory (see kcpp/init/pin_init.h). On failure the memory is freed without
   * running a destructor: nothing was built. The object never moves.
   */
  template <typename I>
    requires InitializerOf<I, T>
  [[nodiscard]] static Result<Box> pin_init(Gfp gfp, I&& init, NumaNode node = NumaNode::any()) {
    void* mem = KCPP_TRY(A::alloc(Layout::of<T>(), gfp, node));
    Result<void> r = std::move(init)(static_cast<T*>(mem));
    if (r.is_err()) {
      A::free(mem);
      return r.error();
    }
    return Box(static_cast<T*>(mem));
  }

  Box(const Box&) = delete;
  Box& operator=(const Box&) = delete;
  /** @brief Takes the object of @p other, which becomes empty. */
  Box(Box&& other) noexcept : ptr_(exchange(other.ptr_, nullptr)) {}
  /** @brief Destroys the current object and takes the one of @p other. */
  Box& operator=(Box&& other) noexcept {
    if (this != &other) {
      reset();
      ptr_ = exchange(other.ptr_, nullptr);
    }
    return *this;
  }
  ~Box() { reset(); }

  /** @brief The object. The box must not be empty. */
  T& operator*() const { return *ptr_; }
  /** @brief Member access. The box must not be empty. */
  T* operator->() const { return ptr_; }
  /** @brief The object's address, `nullptr` for an empty box. */
  [[nodiscard]] T* get() const { return ptr_; }
  /** @brief False for an empty (moved-from or released) box. */
  explicit operator bool() const { return ptr_ != nullptr; }

  /**
   * @brief Gives up ownership and returns the raw pointer, for C code that
   * will hand it back to unsafe_from_raw().
   */
  [[nodiscard]] T* into_raw() && { return exchange(ptr_, nullptr); }

  /**
   * @brief Takes ownership of a pointer from into_raw() (or of an object
   * leak() gave up).
   *
   * @par Safety
   * @p raw came from into_raw() of a `Box<T, A>` with the same @p A, or is
   * the address of the object such a box's leak() returned, and no other
   * box owns it.
   */
  [[nodiscard]] static Box unsafe_from_raw(T* raw) { return Box(raw); }

  /** @brief Gives up ownership for good; the object lives on, never freed. */
  T& leak() && { return *exchange(ptr_, nullptr); }

  /**
   * @brief Gives up the object for good and keeps no way to reach it: it is
   * never destroyed nor freed, and kmemleak, which still scans it (so that
   * what it points to is not reported either), does not report it.
   *
   * For memory a device may still write after it failed to stop. The box
   * becomes empty; an empty box abandons nothing. What the object holds
   * stays held too: a DMA buffer keeps its device referenced, so that
   * device is never released (and DMA-API debugging reports the buffers
   * still allocated when the driver goes).
   *
   * @code{.cpp}
   * auto b = KCPP_TRY(kcpp::KBox<kcpp::u64>::make(kcpp::GFP_KERNEL, 5u));
   * std::move(b).abandon();  // 8 bytes never freed, and kmemleak is told so
   * KCPP_ASSERT(!b);
   * @endcode
   */
  void abandon() && {
    if (T* p = exchange(ptr_, nullptr))
      kcpp_kmemleak_not_leak(p);
  }

 private:
  explicit Box(T* p) : ptr_(p) {}
  void reset() {
    if (ptr_) {
      ptr_->~T();
      A::free(ptr_);
      ptr_ = nullptr;
    }
  }
  T* ptr_;
};

/**
 * @brief Room for one `T`, allocated now, in which a value can be abandoned
 * later (see `Box::abandon()`) without allocating: for a failure path,
 * where another allocation may fail too.
 *
 * Unused, the room is freed with the slot. Only types that own what they
 * hold can be abandoned: a const or copyable `T` does not compile, as
 * abandoning a copy would leave the original to free what it shares.
 *
 * @par Examples
 * @code{.cpp}
 * struct Owner {
 *   bool* dropped;
 *   explicit Owner(bool* d) : dropped(d) {}
 *   Owner(Owner&& o) noexcept : dropped(kcpp::exchange(o.dropped, nullptr)) {}
 *   Owner(const Owner&) = delete;
 *   ~Owner() {
 *     if (dropped)
 *       *dropped = true;
 *   }
 * };
 * auto slot = KCPP_TRY(kcpp::AbandonSlot<Owner>::alloc(kcpp::GFP_KERNEL));  // before anything runs
 * bool dropped = false;
 * std::move(slot).abandon(Owner(&dropped));  // on the failure path: allocates nothing
 * KCPP_ASSERT(!dropped);
 * @endcode
 *
 * @code{.cpp compile_fail}
 * // compile_fail: only a move-only, non-const type owns what it holds
 * const kcpp::KVec<int> shared;
 * kcpp::abandon(kcpp::GFP_KERNEL, std::move(shared));  // const: it cannot give up what it holds
 * @endcode
 */
template <typename T>
class AbandonSlot {
  static_assert(!is_const_v<T> && !is_copy_constructible_v<T>,
                "kcpp: only a move-only, non-const type owns what it holds and can be abandoned");

 public:
  /** @brief The room, from kmalloc with @p gfp; `ENOMEM`. */
  [[nodiscard]] static Result<AbandonSlot> alloc(Gfp gfp) {
    return AbandonSlot(KCPP_TRY(Kmalloc::alloc(Layout::of<T>(), gfp)));
  }
  AbandonSlot(const AbandonSlot&) = delete;
  AbandonSlot& operator=(const AbandonSlot&) = delete;
  /** @brief Takes @p o's room. */
  AbandonSlot(AbandonSlot&& o) noexcept : room_(exchange(o.room_, nullptr)) {}
  AbandonSlot& operator=(AbandonSlot&&) = delete;
  ~AbandonSlot() { Kmalloc::free(room_); }

  /**
   * @brief Makes a `T` from @p args in the room (moved in, or the members
   * of an aggregate), and abandons it there: never destroyed nor freed,
   * scanned but not reported by kmemleak. Built in place: no `T` is put on
   * the stack. A slot already used (or moved from) has no room: that is
   * reported (WARN) and each argument forgotten (`kcpp::forget()`).
   */
  template <typename... Args>
  void abandon(Args&&... args) && {
    void* room = exchange(room_, nullptr);
    if (!room) [[unlikely]] {
      detail::invariant_warning("AbandonSlot abandoned into twice", __builtin_FILE(), __builtin_LINE());
      (kcpp::detail::forget_unchecked(std::forward<Args>(args)), ...);
      return;
    }
    if constexpr (is_constructible_v<T, Args&&...>)
      new (room) T(std::forward<Args>(args)...);
    else
      new (room) T{std::forward<Args>(args)...};
    kcpp_kmemleak_not_leak(room);
  }

 private:
  explicit AbandonSlot(void* room) : room_(room) {}
  void* room_;
};

/**
 * @brief Abandons @p value (see `Box::abandon()`) in an `AbandonSlot`
 * allocated now with @p gfp.
 *
 * If that allocation fails the value is forgotten instead
 * (`kcpp::forget()`: moved into a slot on the stack whose destructor never
 * runs): still never released, but kmemleak may report what it owns. A
 * failure path that must not allocate takes an `AbandonSlot` beforehand.
 *
 * @par Examples
 * @code{.cpp}
 * struct Owner {
 *   bool* dropped;
 *   explicit Owner(bool* d) : dropped(d) {}
 *   Owner(Owner&& o) noexcept : dropped(kcpp::exchange(o.dropped, nullptr)) {}
 *   Owner(const Owner&) = delete;
 *   ~Owner() {
 *     if (dropped)
 *       *dropped = true;
 *   }
 * };
 * bool dropped = false;
 * kcpp::abandon(kcpp::GFP_KERNEL, Owner(&dropped));
 * KCPP_ASSERT(!dropped);
 * @endcode
 */
template <typename T>
void abandon(Gfp gfp, T&& value) {
  static_assert(!is_lvalue_reference_v<T>, "kcpp: abandon(gfp, std::move(value))");
  auto slot = AbandonSlot<T>::alloc(gfp);
  if (slot.is_ok())
    std::move(*slot).abandon(std::move(value));
  else
    kcpp::forget(std::move(value));
}

/** @brief A Box in kmalloc memory. */
template <typename T>
using KBox = Box<T, Kmalloc>;
/** @brief A Box in vmalloc memory. */
template <typename T>
using VBox = Box<T, Vmalloc>;
/** @brief A Box in kvmalloc memory. */
template <typename T>
using KVBox = Box<T, KVmalloc>;

}  // namespace kcpp

#endif  // KCPP_ALLOC_KBOX_H

/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/sync/lock.h
 * @brief `Mutex<T>`, `SpinLock<T>` and `RawSpinLock<T>`: locks that own the
 * data they guard.
 *
 * Wraps `struct mutex` (`include/linux/mutex.h`), `spinlock_t` and
 * `raw_spinlock_t` (`include/linux/spinlock.h`). The protected value lives inside the lock and
 * is reachable only through a guard, which unlocks when it goes away: data
 * cannot be touched without the lock, and a lock cannot be left held on an
 * early return. Each construction site gets its own lockdep class, named
 * after the file and line (`KCPP_LOCK_CLASS()` makes the key, a static
 * object of that site), as `mutex_init()` does in C.
 *
 * Locks are self-referential kernel objects: they can be neither copied nor
 * moved, and are built in place (as members, on the stack, or in a `KBox`).
 * Their construction cannot fail. `SpinLock` is `spinlock_t`, which sleeps
 * on PREEMPT_RT; `RawSpinLock` is `raw_spinlock_t`, which spins everywhere.
 * Their `lock_irqsave()` guard also restores the interrupt state.
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::Mutex<int> counter(KCPP_LOCK_CLASS(), 0);
 * {
 *   auto guard = counter.lock();
 *   *guard += 1;
 * }  // unlocked here
 * KCPP_ASSERT_EQ(*counter.lock(), 1);
 *
 * kcpp::SpinLock<kcpp::u64> stats(KCPP_LOCK_CLASS(), 10u);
 * {
 *   auto g = stats.lock_irqsave();
 *   *g *= 2;
 * }
 * KCPP_ASSERT_EQ(*stats.lock(), 20u);
 * @endcode
 *
 * The pieces by name: a `LockClass` (its `LockClassKey` and name) from
 * `KCPP_LOCK_CLASS()`, `Lock<T, Backend>` behind `Mutex` and `SpinLock`, and
 * their guards:
 * @code{.cpp}
 * kcpp::LockClass cls = KCPP_LOCK_CLASS();
 * KCPP_ASSERT(cls.key != nullptr && cls.name != nullptr);
 * kcpp::Mutex<int> m(cls, 1);
 * const kcpp::LockClassKey* key = m.class_key();
 * KCPP_ASSERT_EQ(key, cls.key);
 * {
 *   kcpp::MutexGuard<int> g = m.lock();
 *   *g = 2;
 * }
 * const int from_mutex = *m.lock();  // a mutex may sleep: never under a spinlock
 * kcpp::SpinLock<int> s(KCPP_LOCK_CLASS(), 3);
 * kcpp::SpinLockGuard<int> sg = s.lock();
 * KCPP_ASSERT_EQ(*sg + from_mutex, 5);
 * // Both are the one Lock template with a different backend:
 * auto as_lock = []<typename T, typename B>(const kcpp::Lock<T, B>& l) { return l.is_locked(); };
 * KCPP_ASSERT(!as_lock(m));
 * KCPP_ASSERT(as_lock(s));  // sg still holds it
 * @endcode
 *
 * A lock cannot be copied or moved (it is a self-referential kernel object):
 * @code{.cpp compile_fail}
 * // compile_fail: use of deleted function | call to deleted constructor
 * kcpp::Mutex<int> a(KCPP_LOCK_CLASS(), 1);
 * kcpp::Mutex<int> b = std::move(a);
 * @endcode
 */
#ifndef KCPP_SYNC_LOCK_H
#define KCPP_SYNC_LOCK_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/core/macros.h>
#include <kcpp/core/utility.h>

namespace kcpp {

/**
 * @brief Storage for a `struct lock_class_key`: one static object per lock
 * construction site.
 *
 * @par Invariants
 * `storage` has the size and alignment of the configured kernel's key (one
 * byte when lockdep makes it empty). Lockdep wants a static, zeroed key: the
 * type does not enforce that, `KCPP_LOCK_CLASS()` is what provides one.
 */
struct LockClassKey {
  /// The key's bytes. Without lockdep the C key is empty; one byte still
  /// gives every site its own address.
  alignas(KCPP_ALIGNOF_lock_class_key) unsigned char storage[KCPP_SIZEOF_lock_class_key
                                                                 ? KCPP_SIZEOF_lock_class_key
                                                                 : 1];
  /** @brief The C key. */
  ::lock_class_key* raw() {
    // SAFETY: storage has the size and alignment of the configured kernel's lock_class_key
    // (one byte for the empty key without lockdep); only lockdep's C code uses it, as a key,
    // and KCPP_LOCK_CLASS() gives it the static, zeroed storage lockdep wants of one.
    return reinterpret_cast<::lock_class_key*>(storage);
  }
};

/** @brief A lockdep class: its key and its name. Made by `KCPP_LOCK_CLASS()`. */
struct LockClass {
  LockClassKey* key;  ///< The static key of the construction site.
  const char* name;   ///< The site, "file:line".
};

/**
 * @brief A new lockdep class for this construction site.
 *
 * Each use is a distinct site with its own static key; the same line run
 * again (a loop, a function called twice) gives the same class, as in C.
 */
#define KCPP_LOCK_CLASS()                                            \
  ([]() -> ::kcpp::LockClass {                                       \
    static constinit ::kcpp::LockClassKey kcpp_lock_key_{};          \
    return {&kcpp_lock_key_, __FILE__ ":" KCPP_STRINGIFY(__LINE__)}; \
  }())

template <typename T, typename Backend>
class Lock;
class CondVar;
template <typename T, typename Backend, bool IrqSave = false>
class Guard;

/// @cond KCPP_INTERNAL
namespace detail {
// The interrupt state an irqsave guard restores; nothing for the others, so
// that a plain guard is one pointer, which the compiler keeps in a register.
template <bool IrqSave>
struct SavedIrqs {
  unsigned long flags;
};
template <>
struct SavedIrqs<false> {};
}  // namespace detail
/// @endcond

/**
 * @brief Access to the data of a held lock; unlocks when destroyed.
 *
 * `lock()` gives a guard with @p IrqSave false; `lock_irqsave()` one with it
 * true, which also restores the interrupt state it saved.
 *
 * @par Invariants
 * A non-empty guard holds its lock (with interrupts saved, if @p IrqSave).
 */
template <typename T, typename Backend, bool IrqSave>
class [[nodiscard]] Guard {
 public:
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  /** @brief Takes over the lock of @p other, which no longer unlocks. */
  Guard(Guard&& other) noexcept : lock_(exchange(other.lock_, nullptr)), saved_(other.saved_) {}
  ~Guard() {
    if (lock_)
      unlock();
  }
  /** @brief The protected data. */
  T& operator*() const { return lock_->data_; }
  /** @brief Member access to the protected data. */
  T* operator->() const { return &lock_->data_; }

 private:
  friend class Lock<T, Backend>;
  friend class CondVar;
  void unlock() const {
    if constexpr (IrqSave)
      Backend::unlock_irqrestore(lock_->raw(), saved_.flags);
    else
      Backend::unlock(lock_->raw());
  }
  // For CondVar: drop the lock while asleep, take it again after.
  void unlock_for_wait() const { unlock(); }
  void relock_after_wait() const
    requires(!IrqSave)
  {
    Backend::lock(lock_->raw());
  }
  Guard(Lock<T, Backend>* lock, detail::SavedIrqs<IrqSave> saved) : lock_(lock), saved_(saved) {
    // lock is the `this` of a member call, never null; saying so lets the
    // compiler drop the destructor's test of a guard that was never moved
    // from (the kernel builds with -fno-delete-null-pointer-checks).
    if (lock == nullptr)
      __builtin_unreachable();
  }
  Lock<T, Backend>* lock_;
  [[no_unique_address]] detail::SavedIrqs<IrqSave> saved_;
};

/**
 * @brief A lock of kind @p Backend that owns a @p T.
 *
 * Use the aliases `Mutex<T>` and `SpinLock<T>`.
 *
 * @par Invariants
 * `raw_` is the backend's C lock (a `struct mutex` or a `spinlock_t`), set up
 * by the constructor with the class of `key_`, and never moves; `data_` is
 * reached only through a `Guard`, that is while the lock is held.
 */
template <typename T, typename Backend>
class Lock {
 public:
  /** @brief Initialises the lock with @p cls and constructs the data from @p args. */
  template <typename... Args>
  explicit Lock(LockClass cls, Args&&... args) : data_(std::forward<Args>(args)...) {
    Backend::init(raw(), cls.name, cls.key->raw());
    key_ = cls.key;
  }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;
  Lock(Lock&&) = delete;
  Lock& operator=(Lock&&) = delete;
  ~Lock() { Backend::destroy(raw()); }

  // The lock methods are const: a lock is what makes shared data mutable
  // (interior mutability), so `const Lock&` (in an Arc, say) can be locked.

  /** @brief Waits for the lock and returns the guard. */
  Guard<T, Backend> lock() const {
    Backend::lock(raw());
    return Guard<T, Backend>(self(), {});
  }
  /** @brief Takes the lock if it is free; `EBUSY` if it is held. */
  [[nodiscard]] Result<Guard<T, Backend>> try_lock() const {
    if (!Backend::try_lock(raw()))
      return code::EBUSY;
    return Guard<T, Backend>(self(), {});
  }
  /** @brief True while someone holds the lock (for assertions, not decisions). */
  [[nodiscard]] bool is_locked() const { return Backend::is_locked(raw()); }
  /** @brief The lockdep key of the site that built this lock. */
  [[nodiscard]] const LockClassKey* class_key() const { return key_; }

  /** @brief Waits for the lock unless a signal arrives first (`EINTR`). Mutex only. */
  [[nodiscard]] Result<Guard<T, Backend>> lock_interruptible() const
    requires requires(typename Backend::Raw* r) { Backend::lock_interruptible(r); }
  {
    KCPP_TRY(to_result(Backend::lock_interruptible(raw())));
    return Guard<T, Backend>(self(), {});
  }
  /**
   * @brief Takes the lock with interrupts off; the guard restores them.
   * SpinLock and RawSpinLock only (on PREEMPT_RT a SpinLock leaves them on).
   */
  Guard<T, Backend, true> lock_irqsave() const
    requires requires(typename Backend::Raw* r) { Backend::lock_irqsave(r); }
  {
    const unsigned long flags = Backend::lock_irqsave(raw());
    return Guard<T, Backend, true>(self(), {flags});
  }

 private:
  friend class Guard<T, Backend, false>;
  friend class Guard<T, Backend, true>;
  typename Backend::Raw* raw() const {
    // SAFETY: raw_ has the size and alignment of the backend's C lock (Backend::SIZE, align),
    // initialised by Backend::init() in the constructor before any other use, and never moved;
    // only the C helpers use it, as that lock. It is mutable, so a const Lock may hand it out.
    return reinterpret_cast<typename Backend::Raw*>(raw_);
  }
  Lock* self() const {
    // SAFETY: a guard reaches only the mutable members through this pointer (data_, and raw_
    // through raw()), which a const Lock may change; key_ is never written after construction.
    return const_cast<Lock*>(this);
  }

  alignas(Backend::ALIGN) mutable unsigned char raw_[Backend::SIZE];
  LockClassKey* key_ = nullptr;
  mutable T data_;
};

/// @cond KCPP_INTERNAL
namespace detail {
// kernel/locking/mutex.c (rtmutex_api.c on PREEMPT_RT), exported: called
// directly, as C calls them (mutex_lock() is mutex_lock_nested(m, 0) with
// lockdep's allocation tracking).
extern "C" void mutex_lock(::mutex* lock);                       // NOLINT(readability-identifier-naming)
extern "C" void mutex_lock_nested(::mutex* lock, unsigned int);  // NOLINT(readability-identifier-naming)
extern "C" void mutex_unlock(::mutex* lock);                     // NOLINT(readability-identifier-naming)
struct MutexBackend {
  using Raw = ::mutex;
  static constexpr usize SIZE = KCPP_SIZEOF_mutex;
  static constexpr usize ALIGN = KCPP_ALIGNOF_mutex;
  static void init(Raw* m, const char* name, ::lock_class_key* key) { kcpp_mutex_init(m, name, key); }
  static void destroy(Raw* m) { kcpp_mutex_destroy(m); }
  static void lock(Raw* m) {
#if KCPP_CONFIG_DEBUG_LOCK_ALLOC
    mutex_lock_nested(m, 0);
#else
    mutex_lock(m);
#endif
  }
  static int lock_interruptible(Raw* m) { return kcpp_mutex_lock_interruptible(m); }
  static bool try_lock(Raw* m) { return kcpp_mutex_trylock(m); }
  static void unlock(Raw* m) { mutex_unlock(m); }
  static bool is_locked(Raw* m) { return kcpp_mutex_is_locked(m); }
};

// spinlock_t and raw_spinlock_t: the same operations on different C types.
// The C functions are constant template arguments, so each call is direct.
template <typename R, usize Size, usize Align, auto Init, auto LockFn, auto LockIrqsave, auto TryLock,
          auto Unlock, auto UnlockIrqrestore, auto IsLocked>
struct SpinLikeBackend {
  using Raw = R;
  static constexpr usize SIZE = Size;
  static constexpr usize ALIGN = Align;
  static void init(Raw* s, const char* name, ::lock_class_key* key) { Init(s, name, key); }
  static void destroy(Raw*) {}
  static void lock(Raw* s) { LockFn(s); }
  static unsigned long lock_irqsave(Raw* s) { return LockIrqsave(s); }
  static bool try_lock(Raw* s) { return TryLock(s); }
  static void unlock(Raw* s) { Unlock(s); }
  static void unlock_irqrestore(Raw* s, unsigned long flags) { UnlockIrqrestore(s, flags); }
  static bool is_locked(Raw* s) { return IsLocked(s); }
};

using SpinBackend =
    SpinLikeBackend<::kcpp_spinlock_t, KCPP_SIZEOF_spinlock, KCPP_ALIGNOF_spinlock, kcpp_spin_lock_init,
                    kcpp_spin_lock, kcpp_spin_lock_irqsave, kcpp_spin_trylock, kcpp_spin_unlock,
                    kcpp_spin_unlock_irqrestore, kcpp_spin_is_locked>;
using RawSpinBackend =
    SpinLikeBackend<::kcpp_raw_spinlock_t, KCPP_SIZEOF_raw_spinlock, KCPP_ALIGNOF_raw_spinlock,
                    kcpp_raw_spin_lock_init, kcpp_raw_spin_lock, kcpp_raw_spin_lock_irqsave,
                    kcpp_raw_spin_trylock, kcpp_raw_spin_unlock, kcpp_raw_spin_unlock_irqrestore,
                    kcpp_raw_spin_is_locked>;
}  // namespace detail
/// @endcond

/** @brief A sleeping lock (`struct mutex`) that owns a @p T. */
template <typename T>
using Mutex = Lock<T, detail::MutexBackend>;
/**
 * @brief A `spinlock_t` that owns a @p T: spins, except on PREEMPT_RT, where
 * it is a sleeping lock with priority inheritance.
 *
 * Code under its guard must not sleep on any kernel (lockdep and
 * `DEBUG_ATOMIC_SLEEP` report it on non-RT ones). On PREEMPT_RT the guard
 * keeps the task preemptible, and `lock_irqsave()` leaves interrupts on (the
 * flags it restores are then 0), as in C: there interrupt handlers run in
 * threads and take the lock like any task. Not for a hard-IRQ handler
 * (`IRQF_NO_THREAD`) or code with interrupts already off: use `RawSpinLock`.
 */
template <typename T>
using SpinLock = Lock<T, detail::SpinBackend>;
/**
 * @brief A `raw_spinlock_t` that owns a @p T: it spins on every kernel,
 * PREEMPT_RT included, and its `lock_irqsave()` turns interrupts off.
 *
 * For the few places that must not sleep even on RT: hard-IRQ handlers
 * (`IRQF_NO_THREAD`), code that runs with interrupts off, and locks taken
 * under another raw spinlock. Keep its sections short and bounded: on RT
 * they delay the real-time tasks. Its lockdep class is per construction site,
 * as for every kcpp lock.
 *
 * @code{.cpp}
 * kcpp::RawSpinLock<kcpp::u32> hits(KCPP_LOCK_CLASS(), 0u);
 * {
 *   kcpp::RawSpinLockIrqGuard<kcpp::u32> g = hits.lock_irqsave();
 *   KCPP_ASSERT(kcpp_irqs_disabled());  // on PREEMPT_RT too
 *   *g += 1;
 * }
 * KCPP_ASSERT(!kcpp_irqs_disabled());
 * KCPP_ASSERT_EQ(*hits.lock(), 1u);
 * @endcode
 */
template <typename T>
using RawSpinLock = Lock<T, detail::RawSpinBackend>;
/** @brief The guard of a `Mutex<T>`. */
template <typename T>
using MutexGuard = Guard<T, detail::MutexBackend>;
/** @brief The guard of a `SpinLock<T>`. */
template <typename T>
using SpinLockGuard = Guard<T, detail::SpinBackend>;
/** @brief The guard of a `RawSpinLock<T>`. */
template <typename T>
using RawSpinLockGuard = Guard<T, detail::RawSpinBackend>;
/** @brief The guard `SpinLock<T>::lock_irqsave()` gives. */
template <typename T>
using SpinLockIrqGuard = Guard<T, detail::SpinBackend, true>;
/** @brief The guard `RawSpinLock<T>::lock_irqsave()` gives. */
template <typename T>
using RawSpinLockIrqGuard = Guard<T, detail::RawSpinBackend, true>;

}  // namespace kcpp

#endif  // KCPP_SYNC_LOCK_H

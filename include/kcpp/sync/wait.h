/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/sync/wait.h
 * @brief Wait queues: sleep until a condition holds, woken by whoever
 * makes it hold.
 *
 * Wraps `include/linux/wait.h` (`wait_queue_head_t`, `wait_event()`,
 * `wait_event_interruptible()`, `wake_up()`, `wake_up_all()`).
 *
 * A `WaitQueue` is a list of sleeping tasks. `wait(cond)` sleeps until
 * `cond()` is true, checking it after each wake-up (wake-ups may be
 * spurious, and another task may have taken what woke it); the waker
 * changes the state first, then calls `wake_all()` or `wake_one()`. The
 * condition is evaluated with the task already on the queue, so a wake-up
 * between the check and the sleep is not lost. It must read state that the
 * waker publishes with a barrier or under a lock of its own (an atomic, a
 * `SpinLock`), and it must not sleep. For a condition that lives under a
 * `Mutex`, use `CondVar` (kcpp/sync/condvar.h).
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::WaitQueue wq(KCPP_LOCK_CLASS());
 * int ready = 0;
 * // Nothing to wait for: returns at once.
 * __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
 * KCPP_TRY(wq.wait_interruptible([&] { return __atomic_load_n(&ready, __ATOMIC_ACQUIRE) == 1; }));
 * wq.wait([&] { return __atomic_load_n(&ready, __ATOMIC_ACQUIRE) == 1; });
 * wq.wake_all();  // no sleeper: nothing happens
 * KCPP_ASSERT_EQ(KCPP_TRY(wq.wait_for([] { return false; }, 10)), false);  // 10 ms, then gives up
 * @endcode
 * tests/wait_test.cpp sleeps on a queue from a second thread.
 */
#ifndef KCPP_SYNC_WAIT_H
#define KCPP_SYNC_WAIT_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/sync/lock.h>

namespace kcpp {

/// @cond KCPP_INTERNAL
namespace detail {
// One sleeper's entry on a queue, on the sleeper's stack for one wait.
class WaitEntry {
 public:
  explicit WaitEntry(bool exclusive) { kcpp_init_wait_entry(raw(), exclusive); }
  WaitEntry(const WaitEntry&) = delete;
  WaitEntry& operator=(const WaitEntry&) = delete;
  ::wait_queue_entry* raw() {
    // SAFETY: storage_ has the size and alignment of the configured kernel's struct
    // wait_queue_entry, set up by init_wait_entry() in the constructor; the entry never moves
    // (copies deleted) and only the C helpers use it, as a wait queue entry.
    return reinterpret_cast<::wait_queue_entry*>(storage_);
  }

 private:
  alignas(KCPP_ALIGNOF_wait_queue_entry) unsigned char storage_[KCPP_SIZEOF_wait_queue_entry];
};
}  // namespace detail
/// @endcond

/**
 * @brief A wait queue (`wait_queue_head_t`). Not movable.
 *
 * @par Invariants
 * `storage_` is the kernel's wait queue head, set up by the constructor with
 * the lockdep class given, and never moved; only the C helpers use it.
 */
class WaitQueue {
 public:
  /** @brief An empty queue whose internal lock has lockdep class @p cls (`KCPP_LOCK_CLASS()`). */
  explicit WaitQueue(LockClass cls) { kcpp_init_waitqueue_head(raw(), cls.name, cls.key->raw()); }
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;
  WaitQueue(WaitQueue&&) = delete;
  WaitQueue& operator=(WaitQueue&&) = delete;

  /**
   * @brief Wakes every sleeper (`wake_up_all()`). Any context where a
   * `SpinLock` may be taken (on PREEMPT_RT not under a `RawSpinLock`, nor in
   * a hard interrupt that is not threaded).
   */
  void wake_all() const { kcpp_wake_up(raw(), 0); }
  /** @brief Wakes every non-exclusive sleeper and one exclusive one (`wake_up()`); context as `wake_all()`. */
  void wake_one() const { kcpp_wake_up(raw(), 1); }
  /** @brief Sleeps until @p cond() is true; signals do not interrupt it. Process context only. */
  template <typename F>
  void wait(F&& cond) const {
    (void)wait_impl(cond, false, 0);
  }
  /**
   * @brief Sleeps until @p cond() is true, or a signal arrives:
   * `ERESTARTSYS` then (return it from a system call: the kernel restarts
   * the call or gives EINTR). Process context only.
   */
  template <typename F>
  [[nodiscard]] Result<void> wait_interruptible(F&& cond) const {
    KCPP_TRY(wait_impl(cond, true, 0));
    return {};
  }
  /**
   * @brief As `wait_interruptible()`, for at most @p ms milliseconds
   * (at least 1): true if @p cond() held, false if the time ran out.
   */
  template <typename F>
  [[nodiscard]] Result<bool> wait_for(F&& cond, unsigned long ms) const {
    return wait_impl(cond, true, ms ? ms : 1);
  }
  /// @cond KCPP_INTERNAL
  ::wait_queue_head* raw() const {
    // SAFETY: storage_ has the size and alignment of the configured kernel's struct
    // wait_queue_head, initialised in the constructor and never moved; only the C helpers use
    // it, and it is mutable, so a const queue may hand it out.
    return reinterpret_cast<::wait_queue_head*>(storage_);
  }
  /// @endcond

 private:
  // The loop of ___wait_event(): on the queue first, then the check, then
  // the sleep. ms 0: no time limit.
  template <typename F>
  Result<bool> wait_impl(F& cond, bool interruptible, unsigned long ms) const {
    detail::WaitEntry entry(false);
    bool met = true;
    for (;;) {
      const long r = kcpp_prepare_to_wait(raw(), entry.raw(), interruptible);
      if (cond())
        break;
      if (r) {
        kcpp_finish_wait(raw(), entry.raw());
        return Error::from_errno(static_cast<int>(r));
      }
      if (ms == 0) {
        kcpp_schedule();
      } else {
        ms = kcpp_schedule_timeout_ms(ms);
        if (ms == 0) {
          met = cond();
          break;
        }
      }
    }
    kcpp_finish_wait(raw(), entry.raw());
    return met;
  }
  alignas(KCPP_ALIGNOF_wait_queue_head) mutable unsigned char storage_[KCPP_SIZEOF_wait_queue_head];
};

}  // namespace kcpp

#endif  // KCPP_SYNC_WAIT_H

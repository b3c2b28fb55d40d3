/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/sync/condvar.h
 * @brief `CondVar`: sleep with a `Mutex` released, woken when the data it
 * protects changes.
 *
 * Built on `include/linux/wait.h` (an exclusive wait on a wait queue, the
 * mutex dropped around `schedule()`), as the Rust kernel crate's `CondVar`.
 *
 * The waiter holds the mutex, finds the state not to its liking, and calls
 * `wait(guard)`: the mutex is released while it sleeps and held again when
 * `wait()` returns. The notifier changes the state under the same mutex,
 * then calls `notify_one()` or `notify_all()`. Wake-ups can be spurious, so
 * the waiter checks its condition in a loop.
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::Mutex<int> items(KCPP_LOCK_CLASS(), 0);
 * kcpp::CondVar changed(KCPP_LOCK_CLASS());
 * {
 *   auto g = items.lock();
 *   *g = 2;
 *   changed.notify_all();  // nobody waits yet: no effect
 * }
 * auto g = items.lock();
 * while (*g == 0) KCPP_TRY(changed.wait_interruptible(g));  // not entered: 2 items
 * --*g;
 * KCPP_ASSERT_EQ(*g, 1);
 * // Nobody will notify: the timed wait gives up, holding the lock again.
 * KCPP_ASSERT_EQ(changed.wait_for(g, 10).error(), kcpp::code::ETIMEDOUT);
 * KCPP_ASSERT(items.is_locked());
 * @endcode
 * tests/wait_test.cpp runs a producer and a consumer on two threads.
 *
 * It takes a mutex's guard only (a spinlock's holder may not sleep, and
 * sleeping is what the CondVar does):
 * @code{.cpp compile_fail}
 * // compile_fail: no matching function | no matching member function
 * kcpp::SpinLock<int> s(KCPP_LOCK_CLASS(), 0);
 * kcpp::CondVar cv(KCPP_LOCK_CLASS());
 * auto g = s.lock();
 * cv.wait(g);
 * @endcode
 */
#ifndef KCPP_SYNC_CONDVAR_H
#define KCPP_SYNC_CONDVAR_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/core/error.h>
#include <kcpp/sync/lock.h>
#include <kcpp/sync/wait.h>

namespace kcpp {

/**
 * @brief A condition variable for data under a `Mutex`. Not movable.
 *
 * @par Invariants
 * `queue_` holds the exclusive waiters, each of which released its mutex
 * after queueing and takes it again before `wait()` returns.
 */
class CondVar {
 public:
  /** @brief A condition variable whose queue's lock has lockdep class @p cls. */
  explicit CondVar(LockClass cls) : queue_(cls) {}
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  /** @brief Releases @p guard's mutex, sleeps until notified, takes the mutex again. */
  template <typename T>
  void wait(MutexGuard<T>& guard) const {
    (void)sleep(guard, false, 0);
  }
  /**
   * @brief As `wait()`, and a pending signal ends it with `ERESTARTSYS` (the
   * mutex is held again either way).
   */
  template <typename T>
  [[nodiscard]] Result<void> wait_interruptible(MutexGuard<T>& guard) const {
    KCPP_TRY(sleep(guard, true, 0));
    return {};
  }
  /**
   * @brief As `wait_interruptible()`, for at most @p ms milliseconds (at
   * least 1) from this call: `ETIMEDOUT` if no notification came in time. A
   * loop around it restarts the time on every wake-up: for a deadline over
   * several waits, compute the time left from an `Instant` each time.
   */
  template <typename T>
  [[nodiscard]] Result<void> wait_for(MutexGuard<T>& guard, unsigned long ms) const {
    const unsigned long left = KCPP_TRY(sleep(guard, true, ms ? ms : 1));
    if (left == 0)
      return code::ETIMEDOUT;
    return {};
  }
  /** @brief Wakes one waiter. */
  void notify_one() const { queue_.wake_one(); }
  /** @brief Wakes every waiter. */
  void notify_all() const { queue_.wake_all(); }
  /** @brief The queue, for `fs::PollTable::wait()`: a notification wakes pollers too. */
  [[nodiscard]] const WaitQueue& wait_queue() const { return queue_; }

 private:
  // Returns the time left (ms given) or 1 (no limit).
  template <typename T>
  Result<unsigned long> sleep(MutexGuard<T>& guard, bool interruptible, unsigned long ms) const {
    detail::WaitEntry entry(true);
    const long r = kcpp_prepare_to_wait(queue_.raw(), entry.raw(), interruptible);
    if (r) {
      kcpp_finish_wait(queue_.raw(), entry.raw());
      return Error::from_errno(static_cast<int>(r));
    }
    guard.unlock_for_wait();
    unsigned long left = 1;
    if (ms == 0)
      kcpp_schedule();
    else
      left = kcpp_schedule_timeout_ms(ms);
    guard.relock_after_wait();
    kcpp_finish_wait(queue_.raw(), entry.raw());
    return left;
  }
  WaitQueue queue_;
};

}  // namespace kcpp

#endif  // KCPP_SYNC_CONDVAR_H

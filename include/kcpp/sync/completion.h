/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/sync/completion.h
 * @brief `Completion`: one side waits until another says it is done.
 *
 * Wraps `include/linux/completion.h`. The usual pairing of an interrupt
 * handler (`complete()`, callable in any context) with a sleeping waiter
 * (`wait_for()` with a timeout). Not movable: waiters sleep on its address.
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::Completion done;
 * KCPP_ASSERT_EQ(done.wait_for(1).error(), kcpp::code::ETIMEDOUT);
 * done.complete();
 * KCPP_TRY(done.wait_for(1000));  // returns at once: it was completed
 * done.complete();
 * done.wait();  // completed: returns at once
 * done.reinit();
 * KCPP_ASSERT(done.wait_for(1).is_err());
 * @endcode
 */
#ifndef KCPP_SYNC_COMPLETION_H
#define KCPP_SYNC_COMPLETION_H

#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>

namespace kcpp {

/**
 * @brief A `struct completion` (see the file comment).
 *
 * @par Invariants
 * `storage_` holds a `struct completion` that the constructor initialised.
 * It never moves (neither copyable nor movable): waiters sleep on a wait queue
 * inside it. It must not be destroyed while a waiter sleeps on it.
 */
class Completion {
 public:
  /** @brief Not done. */
  Completion() { kcpp_init_completion(raw()); }
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;

  /** @brief Wakes one waiter, or the next one to wait. Any context. */
  void complete() const { kcpp_complete(raw()); }
  /** @brief Wakes every waiter, now and later. Any context. */
  void complete_all() const { kcpp_complete_all(raw()); }
  /**
   * @brief Sleeps until completed, however long that takes
   * (`wait_for_completion()`). Process context only; for a completion that
   * is sure to come, such as the end of a teardown already under way.
   */
  void wait() const { kcpp_wait_for_completion(raw()); }
  /** @brief Back to not done (no waiter may be waiting). */
  void reinit() const { kcpp_reinit_completion(raw()); }
  /**
   * @brief Sleeps until completed or @p ms milliseconds passed:
   * `ETIMEDOUT` then. Process context only.
   */
  [[nodiscard]] Result<void> wait_for(unsigned int ms) const {
    return wait_result(kcpp_wait_for_completion_timeout_ms(raw(), ms));
  }
  /** @brief As `wait_for()`, and a signal ends the wait with `ERESTARTSYS`. */
  [[nodiscard]] Result<void> wait_for_interruptible(unsigned int ms) const {
    return wait_result(kcpp_wait_for_completion_interruptible_timeout_ms(raw(), ms));
  }

 private:
  ::completion* raw() const {
    // SAFETY: storage_ has the size and alignment of the configured kernel's struct completion,
    // set up by init_completion() in the constructor and never moved (copies are deleted);
    // only the C helpers use it, as a completion; it is mutable, so const hands it out too.
    return reinterpret_cast<::completion*>(storage_);
  }
  // The C helpers' result: 1 completed, 0 timed out, -errno interrupted.
  static Result<void> wait_result(long r) {
    if (r > 0)
      return {};
    if (r == 0)
      return code::ETIMEDOUT;
    return Error::from_errno(static_cast<int>(r));
  }
  alignas(KCPP_ALIGNOF_completion) mutable unsigned char storage_[KCPP_SIZEOF_completion];
};

}  // namespace kcpp

#endif  // KCPP_SYNC_COMPLETION_H

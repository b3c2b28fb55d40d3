/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/hrtimer.h
 * @brief High-resolution timers: `HrTimer<F>` calls a function at an
 * `Instant` or after a `Delta`, once or periodically, and is cancelled
 * (and waited for) when destroyed.
 *
 * Wraps `include/linux/hrtimer.h` (`hrtimer_init()` on `CLOCK_MONOTONIC`,
 * `hrtimer_start()`, `hrtimer_forward_now()`, `hrtimer_cancel()`).
 *
 * The function runs in interrupt context (hard interrupt, or the timer
 * softirq on PREEMPT_RT): it must not sleep, and it is called `const`,
 * concurrently with the rest of the driver. It receives the timer and
 * returns `Restart::No` to stop, or moves the expiry forward with
 * `forward_now()` and returns `Restart::Yes` to run again: a periodic
 * timer. For work that sleeps, queue a `workqueue::Work` from it. The
 * kernel points to the timer, so it never moves (`make()` puts it in a
 * `KBox`), and its destructor cancels it and waits for a running callback
 * (so it must not be destroyed from its own callback: that waits forever).
 *
 * @par Examples
 * @code{.cpp}
 * #^ struct Ticks {
 * #^   mutable int n = 0;
 * #^   kcpp::hrtimer::Restart operator()(const kcpp::hrtimer::HrTimer<Ticks>& t) const {
 * #^     if (__atomic_add_fetch(&n, 1, __ATOMIC_RELAXED) == 3)
 * #^       return kcpp::hrtimer::Restart::No;
 * #^     t.forward_now(kcpp::Delta::from_millis(1));  // every millisecond
 * #^     return kcpp::hrtimer::Restart::Yes;
 * #^   }
 * #^ };
 * auto timer = KCPP_TRY(kcpp::hrtimer::HrTimer<Ticks>::make(Ticks{}, kcpp::GFP_KERNEL));
 * const kcpp::Instant start = kcpp::Instant::now();
 * timer->start(kcpp::Delta::from_millis(1));
 * while (timer->is_active()) kcpp::io::fsleep(1000);
 * KCPP_ASSERT_EQ(__atomic_load_n(&timer->function().n, __ATOMIC_RELAXED), 3);
 * KCPP_ASSERT(start.elapsed() >= kcpp::Delta::from_millis(3));  // three expiries, 1 ms apart
 * timer->start_at(kcpp::Instant::now() + kcpp::Delta::from_secs(60));
 * KCPP_ASSERT(timer->cancel());  // it was pending
 * KCPP_ASSERT(!timer->cancel());
 * @endcode
 * tests/hrtimer_test.cpp destroys a timer from its own period.
 */
#ifndef KCPP_HRTIMER_H
#define KCPP_HRTIMER_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/time.h>

namespace kcpp::hrtimer {

/** @brief What a timer function returns: whether the timer runs again. */
enum class Restart : int {
  No = 0,   ///< `HRTIMER_NORESTART`.
  Yes = 1,  ///< `HRTIMER_RESTART`: at the expiry the function set with `forward_now()`.
};

template <typename F>
class HrTimer;

/// @cond KCPP_INTERNAL
namespace detail {
template <typename F>
concept TimerFunction = requires(const F& f, const HrTimer<F>& t) {
  { f(t) } -> same_as<Restart>;
} && is_move_constructible_v<F>;
}  // namespace detail
/// @endcond

/**
 * @brief A high-resolution timer on `CLOCK_MONOTONIC` that calls @p F (see
 * the file comment).
 *
 * @par Invariants
 * `raw_` is the shim's timer record, set up by the constructor to call this
 * object's function, and never moved; the destructor cancels the timer and
 * waits for a running callback before the function is destroyed.
 */
template <typename F>
class HrTimer {
  static_assert(detail::TimerFunction<F>,
                "kcpp: a timer function is called as f(const HrTimer<F>&) const and returns "
                "hrtimer::Restart");

 public:
  /** @brief A new timer calling @p f, in a `KBox` allocated with @p gfp; not started. */
  [[nodiscard]] static Result<KBox<HrTimer>> make(F f, Gfp gfp) {
    return KBox<HrTimer>::make(gfp, std::move(f));
  }
  /** @brief A timer calling @p f, built where it will stay; not started. */
  explicit HrTimer(F f) : f_(std::move(f)) { kcpp_hrtimer_init(raw(), &run, this); }
  HrTimer(const HrTimer&) = delete;
  HrTimer& operator=(const HrTimer&) = delete;
  HrTimer(HrTimer&&) = delete;
  HrTimer& operator=(HrTimer&&) = delete;
  /** @brief Cancels the timer and waits for a running callback. */
  ~HrTimer() { kcpp_hrtimer_cancel(raw()); }

  /** @brief (Re)starts it to expire @p after from now. Any context. */
  void start(Delta after) const { kcpp_hrtimer_start(raw(), after.as_nanos(), false); }
  /** @brief (Re)starts it to expire at @p when. Any context. */
  void start_at(Instant when) const { kcpp_hrtimer_start(raw(), when.as_nanos(), true); }
  /**
   * @brief Stops it, waiting for a running callback (not from the
   * callback itself); true if it was pending.
   */
  bool cancel() const { return kcpp_hrtimer_cancel(raw()); }
  /** @brief Whether it is pending or its callback runs (a snapshot). */
  [[nodiscard]] bool is_active() const { return kcpp_hrtimer_active(raw()); }
  /**
   * @brief From the callback: moves the expiry forward by whole
   * @p interval steps past now; returns how many steps (the overruns + 1).
   */
  u64 forward_now(Delta interval) const { return kcpp_hrtimer_forward_now(raw(), interval.as_nanos()); }
  /** @brief When it expires (or last expired). */
  [[nodiscard]] Instant expires() const { return Instant::from_nanos(kcpp_hrtimer_expires_ns(raw())); }
  /** @brief The function. */
  [[nodiscard]] const F& function() const { return f_; }

 private:
  static int run(void* self) {
    const auto* t = static_cast<const HrTimer*>(self);
    return static_cast<int>(t->f_(*t));
  }
  ::kcpp_hrtimer* raw() const {
    // SAFETY: raw_ has the size and alignment of the shim's struct kcpp_hrtimer (constants.c),
    // set up by kcpp_hrtimer_init() in the constructor and never moved; only the shim uses it.
    // It is mutable: the timer's state changes under a const HrTimer.
    return reinterpret_cast<::kcpp_hrtimer*>(raw_);
  }
  alignas(KCPP_ALIGNOF_kcpp_hrtimer) mutable unsigned char raw_[KCPP_SIZEOF_kcpp_hrtimer];
  F f_;
};

}  // namespace kcpp::hrtimer

#endif  // KCPP_HRTIMER_H

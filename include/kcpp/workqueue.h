/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/workqueue.h
 * @brief Work that runs later in a worker thread: `workqueue::Queue` (the
 * system's or one a driver allocates), `Work<F>` and `DelayedWork<F>`,
 * items that own their function and are cancelled (and waited for) when
 * they are destroyed.
 *
 * Wraps `include/linux/workqueue.h` (`alloc_workqueue()`, `queue_work()`,
 * `queue_delayed_work()`, `cancel_work_sync()`, `flush_work()`, ...).
 *
 * A `Work<F>` holds a `work_struct` and a callable `F`; queued, a worker
 * calls `f()` once (queueing it again while it is pending does nothing).
 * It runs in process context (it may sleep, take a `Mutex`), concurrently
 * with the rest of the driver: `F` is called `const`, and state it changes
 * must be atomic or locked. The kernel keeps a pointer to the item, so it
 * never moves (build it with `make()` into a `KBox`, or in place with
 * `init()`), and its destructor cancels it and waits for a run in progress:
 * the function never runs after its owner is gone (so an item must not be
 * destroyed from its own function: that waits forever). A driver-allocated
 * `Queue` drains (runs everything queued on it) when destroyed; an item
 * queued on it must not be queued there again after that. Delayed items go
 * on the system queue only: a delay still running when a driver's queue
 * went would queue onto freed memory.
 *
 * @par Examples
 * @code{.cpp}
 * #^ struct Count {
 * #^   mutable int runs = 0;
 * #^   void operator()() const { __atomic_add_fetch(&runs, 1, __ATOMIC_RELAXED); }
 * #^ };
 * auto work = KCPP_TRY(kcpp::workqueue::Work<Count>::make(Count{}, kcpp::GFP_KERNEL));
 * KCPP_ASSERT(work->enqueue());  // on the system queue
 * work->flush();                 // waits until it ran
 * KCPP_ASSERT_EQ(__atomic_load_n(&work->function().runs, __ATOMIC_RELAXED), 1);
 * // A queue of the driver's own, drained when it goes:
 * auto q = KCPP_TRY(kcpp::workqueue::Queue::make("kcpp_doc_wq", kcpp::workqueue::Flags::UNBOUND));
 * KCPP_ASSERT(work->enqueue_on(q));
 * q.flush();
 * KCPP_ASSERT_EQ(__atomic_load_n(&work->function().runs, __ATOMIC_RELAXED), 2);
 * // Delayed: runs once the delay passed (flush() runs it now if it is still waiting).
 * auto later = KCPP_TRY(kcpp::workqueue::DelayedWork<Count>::make(Count{}, kcpp::GFP_KERNEL));
 * KCPP_ASSERT(later->enqueue(kcpp::Delta::from_millis(1)));
 * KCPP_ASSERT(!later->enqueue(kcpp::Delta::from_millis(1)));  // already pending
 * later->flush();
 * KCPP_ASSERT_EQ(__atomic_load_n(&later->function().runs, __ATOMIC_RELAXED), 1);
 * @endcode
 * tests/workqueue_test.cpp destroys items while they run.
 *
 * A work item is not movable (the kernel points to it):
 * @code{.cpp compile_fail}
 * // compile_fail: use of deleted function | call to deleted constructor
 * #^ struct Nop {
 * #^   void operator()() const {}
 * #^ };
 * auto w = KCPP_TRY(kcpp::workqueue::Work<Nop>::make(Nop{}, kcpp::GFP_KERNEL));
 * kcpp::workqueue::Work<Nop> copy = std::move(*w);
 * @endcode
 */
#ifndef KCPP_WORKQUEUE_H
#define KCPP_WORKQUEUE_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/core/error.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/core/utility.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/sync/lock.h>
#include <kcpp/time.h>

namespace kcpp::workqueue {

/** @brief `WQ_*` flags of a queue. */
class Flags {
 public:
  /** @brief None: a per-CPU queue. */
  constexpr Flags() = default;
  static const Flags UNBOUND;      ///< `WQ_UNBOUND`: workers not tied to the queueing CPU.
  static const Flags FREEZABLE;    ///< `WQ_FREEZABLE`: frozen across suspend.
  static const Flags MEM_RECLAIM;  ///< `WQ_MEM_RECLAIM`: has a rescuer, for work on the reclaim path.
  static const Flags HIGHPRI;      ///< `WQ_HIGHPRI`: high-priority workers.
  /** @brief Both sets. */
  friend constexpr Flags operator|(Flags a, Flags b) { return Flags(a.bits_ | b.bits_); }
  /** @brief The bits. */
  [[nodiscard]] constexpr unsigned int raw() const { return bits_; }

 private:
  constexpr explicit Flags(unsigned int b) : bits_(b) {}
  unsigned int bits_ = 0;
};
inline constexpr Flags Flags::UNBOUND{KCPP_WQ_UNBOUND};
inline constexpr Flags Flags::FREEZABLE{KCPP_WQ_FREEZABLE};
inline constexpr Flags Flags::MEM_RECLAIM{KCPP_WQ_MEM_RECLAIM};
inline constexpr Flags Flags::HIGHPRI{KCPP_WQ_HIGHPRI};

/**
 * @brief A workqueue the driver allocated; destroying it runs what is
 * queued on it, then frees it.
 *
 * @par Invariants
 * Unless moved from, `wq_` is a queue this object allocated and alone
 * destroys.
 */
class Queue {
 public:
  /**
   * @brief A new queue named @p name (must outlive it: a string literal),
   * at most @p max_active items at once per CPU (0: the default).
   * `ENOMEM` if it cannot be allocated.
   */
  [[nodiscard]] static Result<Queue> make(const char* name, Flags flags = {}, int max_active = 0) {
    if (max_active < 0)
      return code::EINVAL;
    ::workqueue_struct* wq = kcpp_alloc_workqueue(name, flags.raw(), max_active);
    if (!wq)
      return code::ENOMEM;
    return Queue(wq);
  }
  /** @brief Takes over @p other's queue. */
  Queue(Queue&& other) noexcept : wq_(exchange(other.wq_, nullptr)) {}
  Queue& operator=(Queue&&) = delete;
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;
  /** @brief Runs what is queued (`destroy_workqueue()` drains), then frees the queue. */
  ~Queue() {
    if (wq_)
      kcpp_destroy_workqueue(wq_);
  }
  /** @brief Waits until everything queued so far has run. */
  void flush() const { kcpp_flush_workqueue(wq_); }
  /// @cond KCPP_INTERNAL
  [[nodiscard]] ::workqueue_struct* as_raw() const { return wq_; }
  /// @endcond

 private:
  explicit Queue(::workqueue_struct* wq) : wq_(wq) {}
  ::workqueue_struct* wq_;
};

/// @cond KCPP_INTERNAL
namespace detail {
template <typename F>
concept WorkFunction = invocable<const F&> && is_move_constructible_v<F>;
}  // namespace detail
/// @endcond

/**
 * @brief A work item that owns its function @p F (see the file comment).
 *
 * @par Invariants
 * `raw_` is the shim's work record, set up by the constructor to call this
 * object's function, and never moved; the destructor cancels it and waits
 * for a run in progress before the function is destroyed.
 */
template <typename F>
  requires detail::WorkFunction<F>
class Work {
 public:
  /** @brief A new item calling @p f, in a `KBox` allocated with @p gfp. */
  [[nodiscard]] static Result<KBox<Work>> make(F f, Gfp gfp) { return KBox<Work>::make(gfp, std::move(f)); }
  /** @brief An item calling @p f, built where it will stay. */
  explicit Work(F f) : f_(std::move(f)) {
    // One lockdep class per item type, so that one item may flush or
    // cancel an item of another type from its function.
    static constinit LockClassKey key{};
    kcpp_init_work(raw(), &run, this, "(work_completion)kcpp::workqueue::Work", key.raw());
  }
  Work(const Work&) = delete;
  Work& operator=(const Work&) = delete;
  Work(Work&&) = delete;
  Work& operator=(Work&&) = delete;
  /** @brief Cancels the item and waits for a run in progress. */
  ~Work() { kcpp_cancel_work_sync(raw()); }

  /** @brief Queues it on the system queue; false if it was already pending. */
  bool enqueue() const { return kcpp_queue_work(kcpp_system_wq(), raw()); }
  /** @brief Queues it on @p q; false if it was already pending. */
  bool enqueue_on(const Queue& q) const { return kcpp_queue_work(q.as_raw(), raw()); }
  /** @brief Takes it off its queue, or waits for the run in progress; true if it was pending. */
  bool cancel() const { return kcpp_cancel_work_sync(raw()); }
  /** @brief Waits for its queued or running run to finish; false if it was idle. */
  bool flush() const { return kcpp_flush_work(raw()); }
  /** @brief Whether it is queued and not yet running (a snapshot). */
  [[nodiscard]] bool is_pending() const { return kcpp_work_pending(raw()); }
  /** @brief The function. */
  [[nodiscard]] const F& function() const { return f_; }

 private:
  static void run(void* self) { static_cast<const Work*>(self)->f_(); }
  ::kcpp_work* raw() const {
    // SAFETY: raw_ has the size and alignment of the shim's struct kcpp_work (from constants.c),
    // set up by kcpp_init_work() in the constructor and never moved (copies and moves deleted);
    // only the shim uses it. It is mutable: the kernel changes a const item's work state.
    return reinterpret_cast<::kcpp_work*>(raw_);
  }
  alignas(KCPP_ALIGNOF_kcpp_work) mutable unsigned char raw_[KCPP_SIZEOF_kcpp_work];
  F f_;
};

/**
 * @brief A work item that runs after a delay (see `Work`).
 *
 * @par Invariants
 * As for `Work`, with the shim's delayed work record, whose timer the
 * destructor also cancels.
 */
template <typename F>
  requires detail::WorkFunction<F>
class DelayedWork {
 public:
  /** @brief A new item calling @p f, in a `KBox` allocated with @p gfp. */
  [[nodiscard]] static Result<KBox<DelayedWork>> make(F f, Gfp gfp) {
    return KBox<DelayedWork>::make(gfp, std::move(f));
  }
  /** @brief An item calling @p f, built where it will stay. */
  explicit DelayedWork(F f) : f_(std::move(f)) {
    // One lockdep class per item type, as for Work.
    static constinit LockClassKey key{};
    kcpp_init_delayed_work(raw(), &run, this, "(work_completion)kcpp::workqueue::DelayedWork", key.raw());
  }
  DelayedWork(const DelayedWork&) = delete;
  DelayedWork& operator=(const DelayedWork&) = delete;
  DelayedWork(DelayedWork&&) = delete;
  DelayedWork& operator=(DelayedWork&&) = delete;
  /** @brief Cancels the item (and its timer) and waits for a run in progress. */
  ~DelayedWork() { kcpp_cancel_delayed_work_sync(raw()); }

  /**
   * @brief Queues it on the system queue to run at least @p delay from now
   * (the timer ticks in jiffies: up to two more may pass; negative counts
   * as none); false if it was already pending.
   */
  bool enqueue(Delta delay) const { return kcpp_queue_delayed_work(kcpp_system_wq(), raw(), ns(delay)); }
  /** @brief Queues it, or moves its deadline, to @p delay from now; true if it was pending. */
  bool reschedule(Delta delay) const { return kcpp_mod_delayed_work(kcpp_system_wq(), raw(), ns(delay)); }
  /** @brief Cancels it (timer or queue), or waits for the run in progress; true if it was pending. */
  bool cancel() const { return kcpp_cancel_delayed_work_sync(raw()); }
  /** @brief Runs it now if its delay is still running, and waits for it; false if it was idle. */
  bool flush() const { return kcpp_flush_delayed_work(raw()); }
  /** @brief The function. */
  [[nodiscard]] const F& function() const { return f_; }

 private:
  static unsigned long long ns(Delta d) {
    return d.as_nanos() < 0 ? 0 : static_cast<unsigned long long>(d.as_nanos());
  }
  static void run(void* self) { static_cast<const DelayedWork*>(self)->f_(); }
  ::kcpp_delayed_work* raw() const {
    // SAFETY: as for Work::raw(): storage of the shim's struct kcpp_delayed_work, initialised in
    // the constructor, never moved, used by the shim only.
    return reinterpret_cast<::kcpp_delayed_work*>(raw_);
  }
  alignas(KCPP_ALIGNOF_kcpp_delayed_work) mutable unsigned char raw_[KCPP_SIZEOF_kcpp_delayed_work];
  F f_;
};

}  // namespace kcpp::workqueue

#endif  // KCPP_WORKQUEUE_H

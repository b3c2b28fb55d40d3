// SPDX-License-Identifier: GPL-2.0
/*
 * Work items and queues: an item destroyed while its function runs waits
 * for it; a cancelled delayed item never runs; a driver's queue runs what
 * it holds before it goes; an item pending twice runs once.
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/io.h>
#include <kcpp/kunit.h>
#include <kcpp/workqueue.h>

namespace {

// What the functions did, outside the items (which the tests destroy).
struct Log {
  int started = 0;
  int finished = 0;
  int runs = 0;
};

struct Slow {
  Log* log;
  void operator()() const {
    __atomic_store_n(&log->started, 1, __ATOMIC_RELEASE);
    kcpp::io::fsleep(20000);
    __atomic_store_n(&log->finished, 1, __ATOMIC_RELEASE);
  }
};
struct Count {
  Log* log;
  void operator()() const { __atomic_add_fetch(&log->runs, 1, __ATOMIC_RELAXED); }
};

kcpp::Result<void> destroying_a_running_item_waits_for_it() {
  Log log;
  auto work = KCPP_TRY(kcpp::workqueue::Work<Slow>::make(Slow{&log}, kcpp::GFP_KERNEL));
  KCPP_ASSERT(work->enqueue());
  for (int i = 0; i < 1000 && !__atomic_load_n(&log.started, __ATOMIC_ACQUIRE); i++) kcpp::io::fsleep(100);
  KCPP_ASSERT_EQ(__atomic_load_n(&log.started, __ATOMIC_ACQUIRE), 1);
  KCPP_EXPECT_EQ(__atomic_load_n(&log.finished, __ATOMIC_ACQUIRE), 0);  // 20 ms to go
  {
    auto gone = std::move(work);
  }  // the destructor waits for the run
  KCPP_EXPECT_EQ(__atomic_load_n(&log.finished, __ATOMIC_ACQUIRE), 1);
  return {};
}

kcpp::Result<void> a_cancelled_delayed_item_never_runs() {
  Log log;
  auto later = KCPP_TRY(kcpp::workqueue::DelayedWork<Count>::make(Count{&log}, kcpp::GFP_KERNEL));
  KCPP_EXPECT(later->enqueue(kcpp::Delta::from_millis(20)));
  KCPP_EXPECT(!later->enqueue(kcpp::Delta::from_millis(20)));  // pending: not queued twice
  KCPP_EXPECT(later->cancel());
  KCPP_EXPECT(!later->cancel());
  kcpp::io::fsleep(40000);
  KCPP_EXPECT_EQ(__atomic_load_n(&log.runs, __ATOMIC_RELAXED), 0);
  // Rescheduled to now, it runs; pending twice, it runs once.
  KCPP_EXPECT(!later->reschedule(kcpp::Delta::from_millis(5)));
  KCPP_EXPECT(later->reschedule(kcpp::Delta::ZERO));
  (void)later->flush();  // it may have run already: only that it ran is certain
  KCPP_EXPECT_EQ(__atomic_load_n(&log.runs, __ATOMIC_RELAXED), 1);
  KCPP_EXPECT(!later->flush());  // idle
  return {};
}

kcpp::Result<void> a_queue_runs_its_items_before_it_goes() {
  Log log;
  auto a = KCPP_TRY(kcpp::workqueue::Work<Slow>::make(Slow{&log}, kcpp::GFP_KERNEL));
  auto b = KCPP_TRY(kcpp::workqueue::Work<Count>::make(Count{&log}, kcpp::GFP_KERNEL));
  auto c = KCPP_TRY(kcpp::workqueue::Work<Count>::make(Count{&log}, kcpp::GFP_KERNEL));
  {
    // One at a time: b waits behind the slow a.
    auto q = KCPP_TRY(kcpp::workqueue::Queue::make("kcpp_test_wq", kcpp::workqueue::Flags::UNBOUND, 1));
    KCPP_EXPECT(a->enqueue_on(q));
    KCPP_EXPECT(b->enqueue_on(q));
    KCPP_EXPECT(c->enqueue_on(q));
    KCPP_EXPECT(!b->enqueue_on(q));
  }
  KCPP_EXPECT_EQ(__atomic_load_n(&log.finished, __ATOMIC_ACQUIRE), 1);
  KCPP_EXPECT_EQ(__atomic_load_n(&log.runs, __ATOMIC_RELAXED), 2);
  KCPP_EXPECT_EQ(kcpp::workqueue::Queue::make("kcpp_test_wq", {}, -1).error(), kcpp::code::EINVAL);
  return {};
}

// A delayed item never runs early: the delay is a lower bound (jiffies
// rounding must not shorten it).
struct Stamp {
  kcpp::Instant queued;
  kcpp::i64* ran_after_us;
  void operator()() const { __atomic_store_n(ran_after_us, queued.elapsed().as_micros(), __ATOMIC_RELEASE); }
};

kcpp::Result<void> a_delayed_item_waits_at_least_its_delay() {
  const int delays_ms[] = {1, 7, 13};
  for (int ms : delays_ms) {
    kcpp::i64 after = -1;
    auto w = KCPP_TRY(
        kcpp::workqueue::DelayedWork<Stamp>::make(Stamp{kcpp::Instant::now(), &after}, kcpp::GFP_KERNEL));
    KCPP_EXPECT(w->enqueue(kcpp::Delta::from_millis(ms)));
    for (int i = 0; i < 2000 && __atomic_load_n(&after, __ATOMIC_ACQUIRE) < 0; i++) kcpp::io::fsleep(100);
    KCPP_EXPECT_GE(__atomic_load_n(&after, __ATOMIC_ACQUIRE), ms * 1000LL);
  }
  return {};
}

// An item that cancels and flushes an item of another type from its
// function: each type has its own lockdep class, so the sanitizer kernel's
// lockdep sees no recursion (with one class for every kcpp item it did).
struct Canceller {
  const kcpp::workqueue::Work<Count>* other;
  Log* log;
  void operator()() const {
    other->flush();
    other->cancel();
    __atomic_add_fetch(&log->runs, 10, __ATOMIC_RELAXED);
  }
};

kcpp::Result<void> an_item_may_wait_for_an_item_of_another_type() {
  Log log;
  auto b = KCPP_TRY(kcpp::workqueue::Work<Count>::make(Count{&log}, kcpp::GFP_KERNEL));
  auto a = KCPP_TRY(kcpp::workqueue::Work<Canceller>::make(Canceller{b.get(), &log}, kcpp::GFP_KERNEL));
  KCPP_EXPECT(b->enqueue());
  KCPP_EXPECT(a->enqueue());
  // flush() says whether it had to wait: a may have finished already (it
  // did once on the sanitizer kernel), so only what ran is checked.
  (void)a->flush();
  KCPP_EXPECT_EQ(__atomic_load_n(&log.runs, __ATOMIC_RELAXED), 11);  // b ran once, then a
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_workqueue, KCPP_KUNIT_CASE(a_delayed_item_waits_at_least_its_delay),
                 KCPP_KUNIT_CASE(an_item_may_wait_for_an_item_of_another_type),
                 KCPP_KUNIT_CASE(destroying_a_running_item_waits_for_it),
                 KCPP_KUNIT_CASE(a_cancelled_delayed_item_never_runs),
                 KCPP_KUNIT_CASE(a_queue_runs_its_items_before_it_goes));

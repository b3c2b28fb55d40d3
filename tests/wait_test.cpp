// SPDX-License-Identifier: GPL-2.0
/*
 * Wait queues and condition variables across two threads: a consumer that
 * sleeps until a producer on another thread changes the state, wake-ups
 * that find the condition false again, timed waits that run out with the
 * lock held again.
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/kunit.h>
#include <kcpp/sync/condvar.h>
#include <kcpp/sync/wait.h>

namespace {

// A queue of tokens under a mutex, and the producer thread's progress.
struct Channel {
  kcpp::Mutex<int> tokens{KCPP_LOCK_CLASS(), 0};
  kcpp::CondVar changed{KCPP_LOCK_CLASS()};
  int produced = 0;  // written by the producer only (atomically)
  int done = 0;
};

// Produces 100 tokens, notifying one waiter each time, then a last
// notify_all for the teardown.
int producer(void* p) {
  auto* c = static_cast<Channel*>(p);
  for (int i = 0; i < 100; i++) {
    *c->tokens.lock() += 1;
    __atomic_add_fetch(&c->produced, 1, __ATOMIC_RELEASE);
    c->changed.notify_one();
    if (i % 10 == 0)
      kcpp_fsleep(200);  // let the consumer catch up and sleep again
  }
  __atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
  return 0;
}

kcpp::Result<void> a_consumer_sleeps_until_the_producer_notifies() {
  auto c = KCPP_TRY(kcpp::KBox<Channel>::make(kcpp::GFP_KERNEL));
  int consumed = 0;
  KCPP_ASSERT(kcpp_kthread_run(producer, c.get(), "kcpp_producer") != nullptr);
  {
    auto g = c->tokens.lock();
    while (consumed < 100) {
      // Each wait releases the mutex: the producer could not add a token
      // otherwise, and this loop would never end.
      while (*g == 0) KCPP_TRY(c->changed.wait_interruptible(g));
      KCPP_EXPECT(c->tokens.is_locked());
      consumed += *g;
      *g = 0;
    }
  }
  KCPP_EXPECT_EQ(consumed, 100);
  for (int i = 0; i < 1000 && !__atomic_load_n(&c->done, __ATOMIC_ACQUIRE); i++) kcpp_fsleep(1000);
  KCPP_EXPECT_EQ(__atomic_load_n(&c->done, __ATOMIC_ACQUIRE), 1);
  return {};
}

kcpp::Result<void> a_timed_wait_runs_out_with_the_lock_held() {
  kcpp::Mutex<int> m(KCPP_LOCK_CLASS(), 0);
  kcpp::CondVar cv(KCPP_LOCK_CLASS());
  auto g = m.lock();
  const kcpp::u64 t0 = kcpp_ktime_get_ns();
  KCPP_EXPECT_EQ(cv.wait_for(g, 20).error(), kcpp::code::ETIMEDOUT);
  KCPP_EXPECT_GE(kcpp_ktime_get_ns() - t0, 20ull * 1000 * 1000);  // it slept, for at least that long
  KCPP_EXPECT(m.is_locked());
  *g = 1;  // still ours
  return {};
}

// A waker that sets the flag only on its third wake-up: the waiter must
// go back to sleep after the first two.
struct Flag {
  kcpp::WaitQueue wq{KCPP_LOCK_CLASS()};
  int wakeups = 0;
  int set = 0;
  int checks = 0;
  int finished = 0;
};
int waker(void* p) {
  auto* f = static_cast<Flag*>(p);
  for (int i = 1; i <= 3; i++) {
    kcpp_fsleep(2000);
    if (i == 3)
      __atomic_store_n(&f->set, 1, __ATOMIC_RELEASE);
    __atomic_store_n(&f->wakeups, i, __ATOMIC_RELEASE);
    f->wq.wake_all();
  }
  __atomic_store_n(&f->finished, 1, __ATOMIC_RELEASE);
  return 0;
}

kcpp::Result<void> a_wait_queue_rechecks_after_every_wake_up() {
  auto f = KCPP_TRY(kcpp::KBox<Flag>::make(kcpp::GFP_KERNEL));
  KCPP_ASSERT(kcpp_kthread_run(waker, f.get(), "kcpp_waker") != nullptr);
  KCPP_TRY(f->wq.wait_interruptible([&] {
    f->checks++;
    return __atomic_load_n(&f->set, __ATOMIC_ACQUIRE) == 1;
  }));
  KCPP_EXPECT_EQ(__atomic_load_n(&f->wakeups, __ATOMIC_ACQUIRE), 3);
  // The first check, then one per wake-up (a spurious one may add more).
  KCPP_EXPECT_GE(f->checks, 4);
  // The queue outlives the waker's last wake_all(): wait for it to be done.
  for (int i = 0; i < 1000 && !__atomic_load_n(&f->finished, __ATOMIC_ACQUIRE); i++) kcpp_fsleep(1000);
  KCPP_EXPECT_EQ(__atomic_load_n(&f->finished, __ATOMIC_ACQUIRE), 1);
  KCPP_EXPECT_EQ(KCPP_TRY(f->wq.wait_for([] { return false; }, 5)), false);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_wait, KCPP_KUNIT_CASE(a_consumer_sleeps_until_the_producer_notifies),
                 KCPP_KUNIT_CASE(a_timed_wait_runs_out_with_the_lock_held),
                 KCPP_KUNIT_CASE(a_wait_queue_rechecks_after_every_wake_up));

// SPDX-License-Identifier: GPL-2.0
/*
 * High-resolution timers: a periodic timer keeps its period; destroying a
 * timer that restarts itself stops it for good; a start at an instant
 * already past fires at once; time arithmetic at its limits.
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/hrtimer.h>
#include <kcpp/io.h>
#include <kcpp/kunit.h>

namespace {

struct Hits {
  int* n;
  int stop_at;
  kcpp::hrtimer::Restart operator()(const kcpp::hrtimer::HrTimer<Hits>& t) const {
    const int now = __atomic_add_fetch(n, 1, __ATOMIC_RELAXED);
    if (stop_at && now >= stop_at)
      return kcpp::hrtimer::Restart::No;
    t.forward_now(kcpp::Delta::from_millis(2));
    return kcpp::hrtimer::Restart::Yes;
  }
};

kcpp::Result<void> a_periodic_timer_keeps_its_period() {
  int n = 0;
  auto t = KCPP_TRY(kcpp::hrtimer::HrTimer<Hits>::make(Hits{&n, 5}, kcpp::GFP_KERNEL));
  const kcpp::Instant start = kcpp::Instant::now();
  t->start(kcpp::Delta::from_millis(2));
  for (int i = 0; i < 2000 && t->is_active(); i++) kcpp::io::fsleep(500);
  const kcpp::Delta took = start.elapsed();
  KCPP_EXPECT_EQ(__atomic_load_n(&n, __ATOMIC_RELAXED), 5);
  KCPP_EXPECT_GE(took.as_millis(), 10);  // five expiries, 2 ms apart
  KCPP_EXPECT(!t->is_active());
  return {};
}

kcpp::Result<void> destroying_a_self_restarting_timer_stops_it() {
  int n = 0;
  auto t = KCPP_TRY(kcpp::hrtimer::HrTimer<Hits>::make(Hits{&n, 0}, kcpp::GFP_KERNEL));
  t->start(kcpp::Delta::ZERO);
  for (int i = 0; i < 2000 && __atomic_load_n(&n, __ATOMIC_RELAXED) < 3; i++) kcpp::io::fsleep(500);
  KCPP_ASSERT_GE(__atomic_load_n(&n, __ATOMIC_RELAXED), 3);
  {
    auto gone = std::move(t);
  }  // cancels, waiting for a running callback
  const int after = __atomic_load_n(&n, __ATOMIC_RELAXED);
  kcpp::io::fsleep(10000);  // five periods
  KCPP_EXPECT_EQ(__atomic_load_n(&n, __ATOMIC_RELAXED), after);
  return {};
}

kcpp::Result<void> a_start_in_the_past_fires_at_once() {
  int n = 0;
  auto t = KCPP_TRY(kcpp::hrtimer::HrTimer<Hits>::make(Hits{&n, 1}, kcpp::GFP_KERNEL));
  t->start_at(kcpp::Instant::now() - kcpp::Delta::from_secs(1));
  for (int i = 0; i < 1000 && __atomic_load_n(&n, __ATOMIC_RELAXED) == 0; i++) kcpp::io::fsleep(100);
  KCPP_EXPECT_EQ(__atomic_load_n(&n, __ATOMIC_RELAXED), 1);
  KCPP_EXPECT(t->expires() < kcpp::Instant::now());
  // Limits: saturated, never wrapped into the past.
  KCPP_EXPECT(kcpp::Instant::now() + kcpp::Delta::MAX > kcpp::Instant::now());
  KCPP_EXPECT_EQ((kcpp::Delta::MAX + kcpp::Delta::from_nanos(1)).as_nanos(), kcpp::Delta::MAX.as_nanos());
  KCPP_EXPECT_EQ((kcpp::Delta::ZERO - kcpp::Delta::MAX - kcpp::Delta::MAX).as_nanos(), -__INT64_MAX__ - 1);
  KCPP_EXPECT_EQ(kcpp::Delta::from_millis(-__INT64_MAX__).as_nanos(), -__INT64_MAX__ - 1);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_hrtimer, KCPP_KUNIT_CASE(a_periodic_timer_keeps_its_period),
                 KCPP_KUNIT_CASE(destroying_a_self_restarting_timer_stops_it),
                 KCPP_KUNIT_CASE(a_start_in_the_past_fires_at_once));

// SPDX-License-Identifier: GPL-2.0
/* Mutex<T> and SpinLock<T>: guards, try_lock, irqsave, lockdep classes. */
#include <kcpp/alloc/kbox.h>
#include <kcpp/kunit.h>
#include <kcpp/sync/lock.h>

namespace {

struct Account {
  int balance = 0;
  int ops = 0;
};

kcpp::Result<void> mutex_guards_its_data() {
  kcpp::Mutex<Account> acct(KCPP_LOCK_CLASS());
  KCPP_EXPECT(!acct.is_locked());
  {
    auto g = acct.lock();
    KCPP_EXPECT(acct.is_locked());
    g->balance += 10;
    g->ops++;
    // Held: a second taker is refused.
    KCPP_EXPECT_EQ(acct.try_lock().error(), kcpp::code::EBUSY);
  }
  KCPP_EXPECT(!acct.is_locked());
  {
    auto g = KCPP_TRY(acct.try_lock());
    KCPP_EXPECT_EQ(g->balance, 10);
    auto moved = std::move(g);  // the lock goes with the guard, once
    KCPP_EXPECT(acct.is_locked());
  }
  KCPP_EXPECT(!acct.is_locked());
  auto g = KCPP_TRY(acct.lock_interruptible());
  KCPP_EXPECT_EQ(g->ops, 1);
  return {};
}

kcpp::Result<void> spinlock_guards_and_restores_irqs() {
  kcpp::SpinLock<kcpp::u64> counter(KCPP_LOCK_CLASS(), 5u);
  KCPP_EXPECT(!kcpp_irqs_disabled());
  {
    auto g = counter.lock_irqsave();
    KCPP_EXPECT(kcpp_irqs_disabled());
    KCPP_EXPECT(counter.is_locked());
    *g += 1;
  }
  KCPP_EXPECT(!kcpp_irqs_disabled());
  KCPP_EXPECT(!counter.is_locked());
  {
    auto g = counter.lock();
    KCPP_EXPECT_EQ(*g, 6u);
    KCPP_EXPECT_EQ(counter.try_lock().error(), kcpp::code::EBUSY);
  }
  return {};
}

// One construction site, reached twice.
kcpp::Result<kcpp::KBox<kcpp::Mutex<int>>> make_at_one_site(int v) {
  return kcpp::KBox<kcpp::Mutex<int>>::make(kcpp::GFP_KERNEL, KCPP_LOCK_CLASS(), v);
}

kcpp::Result<void> each_site_has_its_own_class() {
  kcpp::Mutex<int> a(KCPP_LOCK_CLASS(), 0);
  kcpp::Mutex<int> b(KCPP_LOCK_CLASS(), 0);
  KCPP_EXPECT_NE(a.class_key(), b.class_key());
  auto first = KCPP_TRY(make_at_one_site(1));
  auto second = KCPP_TRY(make_at_one_site(2));
  KCPP_EXPECT_EQ(first->class_key(), second->class_key());
  KCPP_EXPECT_NE(first->class_key(), a.class_key());
  KCPP_EXPECT_EQ(*second->lock(), 2);
  return {};
}

} // namespace

KCPP_KUNIT_SUITE(kcpp_lock, KCPP_KUNIT_CASE(mutex_guards_its_data),
                 KCPP_KUNIT_CASE(spinlock_guards_and_restores_irqs),
                 KCPP_KUNIT_CASE(each_site_has_its_own_class));

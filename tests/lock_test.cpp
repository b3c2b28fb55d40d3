// SPDX-License-Identifier: GPL-2.0
/*
 * Mutex<T>, SpinLock<T> and RawSpinLock<T>: guards, try_lock, irqsave,
 * lockdep classes (on the sanitizer kernel, a PREEMPT_RT one, as lockdep
 * itself records them).
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/bindings/generated.h>
#include <kcpp/kunit.h>
#include <kcpp/sync/lock.h>

#include "lock_c_helpers.h"

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

// A plain guard is one pointer (the compiler keeps it in a register, with
// no stack slot to zero under -ftrivial-auto-var-init); only an irqsave
// guard carries the saved interrupt state.
static_assert(sizeof(kcpp::MutexGuard<int>) == sizeof(void*));
static_assert(sizeof(kcpp::SpinLockGuard<int>) == sizeof(void*));
static_assert(sizeof(kcpp::SpinLockIrqGuard<int>) == 2 * sizeof(void*));

// The shared checks of SpinLock and RawSpinLock; irqs_off_under_irqsave
// is what lock_irqsave() does to the interrupt state on this kernel.
template <typename L>
kcpp::Result<void> spin_like_guards(L& counter, bool irqs_off_under_irqsave) {
  KCPP_EXPECT(!kcpp_irqs_disabled());
  {
    auto g = counter.lock_irqsave();
    KCPP_EXPECT_EQ(kcpp_irqs_disabled(), irqs_off_under_irqsave);
    KCPP_EXPECT(counter.is_locked());
    *g += 1;
  }
  KCPP_EXPECT(!kcpp_irqs_disabled());
  KCPP_EXPECT(!counter.is_locked());
  {
    // A moved irqsave guard hands over the saved state too: the new owner
    // restores it once, the emptied one restores nothing.
    auto g = counter.lock_irqsave();
    {
      auto moved = std::move(g);
      KCPP_EXPECT_EQ(kcpp_irqs_disabled(), irqs_off_under_irqsave);
      KCPP_EXPECT(counter.is_locked());
    }
    KCPP_EXPECT(!kcpp_irqs_disabled());
    KCPP_EXPECT(!counter.is_locked());
  }
  KCPP_EXPECT(!kcpp_irqs_disabled());
  {
    auto g = counter.lock();
    KCPP_EXPECT_EQ(*g, 6u);
    KCPP_EXPECT_EQ(counter.try_lock().error(), kcpp::code::EBUSY);
    // A spinning lock keeps the task from being preempted while held; a
    // PREEMPT_RT spinlock_t does not.
    // (Where the kernel keeps no preemption count, nothing tells.)
    const int preemptible = kcpp_test_preemptible();
    if (preemptible >= 0)
      KCPP_EXPECT_EQ(preemptible == 1, !irqs_off_under_irqsave);
  }
  KCPP_EXPECT(!counter.is_locked());
  auto g = KCPP_TRY(counter.try_lock());
  KCPP_EXPECT_EQ(*g, 6u);
  return {};
}

kcpp::Result<void> spinlock_guards_and_restores_irqs() {
  kcpp::SpinLock<kcpp::u64> counter(KCPP_LOCK_CLASS(), 5u);
  // On PREEMPT_RT spinlock_t sleeps and spin_lock_irqsave() leaves
  // interrupts on.
  return spin_like_guards(counter, KCPP_CONFIG_PREEMPT_RT == 0);
}

kcpp::Result<void> raw_spinlock_spins_on_every_kernel() {
  kcpp::RawSpinLock<kcpp::u64> counter(KCPP_LOCK_CLASS(), 5u);
  return spin_like_guards(counter, true);
}

// lockdep's class of a lock, as its held-lock stack records it.
template <typename L>
int lockdep_class_of(const L& lock) {
  auto g = lock.lock();
  return kcpp_test_held_lock_class(&lock, sizeof(lock));
}

// One construction site per lock kind, reached twice.
template <template <typename> class L>
kcpp::Result<kcpp::KBox<L<int>>> make_at_one_site(int v) {
  return kcpp::KBox<L<int>>::make(kcpp::GFP_KERNEL, KCPP_LOCK_CLASS(), v);
}

// The same for every lock kind; the spinlock kinds' init differs on
// PREEMPT_RT (spinlock_t is an rt_mutex there, with a lockdep map of its own).
template <template <typename> class L>
kcpp::Result<void> sites_have_their_own_class() {
  L<int> a(KCPP_LOCK_CLASS(), 0);
  L<int> b(KCPP_LOCK_CLASS(), 0);
  KCPP_EXPECT_NE(a.class_key(), b.class_key());
  auto first = KCPP_TRY(make_at_one_site<L>(1));
  auto second = KCPP_TRY(make_at_one_site<L>(2));
  KCPP_EXPECT_EQ(first->class_key(), second->class_key());
  KCPP_EXPECT_NE(first->class_key(), a.class_key());
  KCPP_EXPECT_EQ(*second->lock(), 2);
  // What lockdep itself sees (the sanitizer kernel): a class per site, the
  // same class for the two locks of one site. Nesting two sites' locks is
  // then no report; with one class for both it would be "possible
  // recursive locking", which fails the sanitizer stage.
  if constexpr (KCPP_CONFIG_LOCKDEP != 0) {
    // An earlier report turns lockdep off; then nothing here could be checked.
    KCPP_ASSERT(kcpp_test_lockdep_on());
    KCPP_EXPECT_NE(lockdep_class_of(a), lockdep_class_of(b));
    KCPP_EXPECT_EQ(lockdep_class_of(*first), lockdep_class_of(*second));
    KCPP_EXPECT_NE(lockdep_class_of(*first), lockdep_class_of(a));
    KCPP_EXPECT_GE(lockdep_class_of(a), 0);
    auto ga = a.lock();
    auto gb = b.lock();
    KCPP_EXPECT_EQ(*ga + *gb, 0);
  }
  return {};
}

kcpp::Result<void> each_site_has_its_own_class() {
  return sites_have_their_own_class<kcpp::Mutex>();
}

kcpp::Result<void> spinlock_sites_have_their_own_class() {
  return sites_have_their_own_class<kcpp::SpinLock>();
}

kcpp::Result<void> raw_spinlock_sites_have_their_own_class() {
  return sites_have_their_own_class<kcpp::RawSpinLock>();
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_lock, KCPP_KUNIT_CASE(mutex_guards_its_data),
                 KCPP_KUNIT_CASE(spinlock_guards_and_restores_irqs),
                 KCPP_KUNIT_CASE(raw_spinlock_spins_on_every_kernel),
                 KCPP_KUNIT_CASE(each_site_has_its_own_class),
                 KCPP_KUNIT_CASE(spinlock_sites_have_their_own_class),
                 KCPP_KUNIT_CASE(raw_spinlock_sites_have_their_own_class));

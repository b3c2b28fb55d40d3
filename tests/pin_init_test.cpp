// SPDX-License-Identifier: GPL-2.0
/*
 * pin-init: initializers that build in place or leave the slot clean,
 * member-by-member construction that undoes what was built, KBox::pin_init,
 * Pinned<T> on the stack, and a failure sweep over a composite with locks.
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/alloc/kvec.h>
#include <kcpp/init/pin_init.h>
#include <kcpp/kunit.h>
#include <kcpp/print.h>
#include <kcpp/sync/lock.h>

#include "helpers.h"

namespace {

// A non-movable member that records its construction and destruction.
struct Tracked {
  static inline int live = 0;
  static inline int order = 0;
  int id;
  int built_at;
  explicit Tracked(int i) : id(i), built_at(++order) { live++; }
  Tracked(Tracked&&) = delete;
  ~Tracked() { live--; }
};

auto failing(kcpp::Error e) {
  return kcpp::init::from_fn<Tracked>([e](Tracked*) -> kcpp::Result<void> { return e; });
}

struct Three {
  Tracked a;
  Tracked b;
  Tracked c;
};

kcpp::Result<void> fields_build_in_order() {
  Tracked::live = Tracked::order = 0;
  {
    auto box = KCPP_TRY(kcpp::KBox<Three>::pin_init(
        kcpp::GFP_KERNEL,
        kcpp::init::fields<Three>(kcpp::init::field<&Three::a>(kcpp::init::emplace<Tracked>(1)),
                                  kcpp::init::field<&Three::b>(kcpp::init::emplace<Tracked>(2)),
                                  kcpp::init::field<&Three::c>(kcpp::init::emplace<Tracked>(3)))));
    KCPP_EXPECT_EQ(Tracked::live, 3);
    KCPP_EXPECT_EQ(box->a.built_at, 1);
    KCPP_EXPECT_EQ(box->c.built_at, 3);
    KCPP_EXPECT_EQ(box->b.id, 2);
  }
  KCPP_EXPECT_EQ(Tracked::live, 0);
  return {};
}

kcpp::Result<void> failing_field_undoes_the_built_ones() {
  Tracked::live = Tracked::order = 0;
  const long live_allocs = kcpp_fault_live_allocations();
  auto r = kcpp::KBox<Three>::pin_init(
      kcpp::GFP_KERNEL,
      kcpp::init::fields<Three>(kcpp::init::field<&Three::a>(kcpp::init::emplace<Tracked>(1)),
                                kcpp::init::field<&Three::b>(kcpp::init::emplace<Tracked>(2)),
                                kcpp::init::field<&Three::c>(failing(kcpp::code::ENODEV))));
  KCPP_EXPECT_EQ(r.error(), kcpp::code::ENODEV);
  KCPP_EXPECT_EQ(Tracked::live, 0);  // a and b were destroyed
  KCPP_EXPECT_EQ(Tracked::order, 2);
  KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live_allocs);
  return {};
}

kcpp::Result<void> pinned_on_the_stack() {
  Tracked::live = 0;
  {
    KCPP_PIN_INIT_STACK(Tracked, t, kcpp::init::emplace<Tracked>(7));
    KCPP_EXPECT(t.is_init());
    KCPP_EXPECT_EQ(t->id, 7);
    // A second init is refused; the object stays as it was.
    KCPP_EXPECT_EQ(t.init(kcpp::init::emplace<Tracked>(8)).error(), kcpp::code::EBUSY);
    KCPP_EXPECT_EQ((*t).id, 7);
  }
  KCPP_EXPECT_EQ(Tracked::live, 0);
  kcpp::Pinned<Tracked> never;
  KCPP_EXPECT_EQ(never.init(failing(kcpp::code::EIO)).error(), kcpp::code::EIO);
  KCPP_EXPECT(!never.is_init());
  KCPP_EXPECT_EQ(Tracked::live, 0);
  return {};
}

// A driver-like structure: a lock, allocated members, a non-movable part.
struct Driver {
  kcpp::Mutex<int> state;
  kcpp::KVec<kcpp::u32> regs;
  kcpp::KBox<Tracked> child;
  kcpp::SpinLock<kcpp::u64> stats;

  static auto init(kcpp::usize nregs) {
    return kcpp::init::fields<Driver>(
        kcpp::init::field<&Driver::state>(kcpp::init::emplace<kcpp::Mutex<int>>(KCPP_LOCK_CLASS(), 0)),
        kcpp::init::field<&Driver::regs>(kcpp::init::from_result<kcpp::KVec<kcpp::u32>>(
            [nregs] { return kcpp::KVec<kcpp::u32>::with_capacity(nregs, kcpp::GFP_KERNEL); })),
        kcpp::init::field<&Driver::child>(kcpp::init::from_result<kcpp::KBox<Tracked>>(
            [] { return kcpp::KBox<Tracked>::make(kcpp::GFP_KERNEL, 5); })),
        kcpp::init::field<&Driver::stats>(
            kcpp::init::emplace<kcpp::SpinLock<kcpp::u64>>(KCPP_LOCK_CLASS(), 0u)));
  }
};

kcpp::Result<void> composite_pin_init_failure_sweep() {
  Tracked::live = 0;
  auto scenario = []() -> kcpp::Result<void> {
    auto d = KCPP_TRY(kcpp::KBox<Driver>::pin_init(kcpp::GFP_KERNEL, Driver::init(32)));
    if (d->child->id != 5 || d->regs.capacity() != 32u)
      return kcpp::code::EIO;
    return {};
  };
  const long points = KCPP_TRY(kcpp_test::fault_sweep(scenario, "pin-init composite", &Tracked::live));
  KCPP_EXPECT_EQ(points, 3);  // the box, the vector's storage, the child box
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_pin_init, KCPP_KUNIT_CASE(fields_build_in_order),
                 KCPP_KUNIT_CASE(failing_field_undoes_the_built_ones), KCPP_KUNIT_CASE(pinned_on_the_stack),
                 KCPP_KUNIT_CASE(composite_pin_init_failure_sweep));

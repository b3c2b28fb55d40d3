// SPDX-License-Identifier: GPL-2.0
/*
 * The storage behind KCPP_MODULE: init constructs the module object once,
 * exit destroys it once, and a failing init leaves nothing behind.
 */
#include <kcpp/kunit.h>
#include <kcpp/module.h>

namespace {

struct Probe {
  static inline int inits = 0;
  static inline int live = 0;
  static inline kcpp::Result<void> next = {};

  static kcpp::Result<Probe> init() {
    inits++;
    KCPP_TRY(kcpp::Result<void>(next));
    return Probe();
  }
  Probe() { live++; }
  Probe(Probe&&) { live++; }
  ~Probe() { live--; }
};
static_assert(kcpp::ModuleClass<Probe>);

struct NotAModule {
  static int init() { return 0; }
};
static_assert(!kcpp::ModuleClass<NotAModule>, "init() must return Result<T>");

kcpp::Result<void> init_then_exit_runs_each_once() {
  Probe::inits = Probe::live = 0;
  Probe::next = {};
  kcpp::detail::ModuleSlot<Probe> slot;
  KCPP_ASSERT_EQ(slot.init(), 0);
  KCPP_EXPECT_EQ(Probe::inits, 1);
  KCPP_EXPECT_EQ(Probe::live, 1);
  slot.exit();
  KCPP_EXPECT_EQ(Probe::live, 0);
  slot.exit();  // a second exit finds nothing to destroy
  KCPP_EXPECT_EQ(Probe::live, 0);
  return {};
}

kcpp::Result<void> failing_init_returns_errno_and_builds_nothing() {
  Probe::inits = Probe::live = 0;
  Probe::next = kcpp::code::ENODEV;
  kcpp::detail::ModuleSlot<Probe> slot;
  KCPP_EXPECT_EQ(slot.init(), -KCPP_ENODEV);
  KCPP_EXPECT_EQ(Probe::live, 0);
  slot.exit();
  KCPP_EXPECT_EQ(Probe::live, 0);
  Probe::next = {};
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_module, KCPP_KUNIT_CASE(init_then_exit_runs_each_once),
                 KCPP_KUNIT_CASE(failing_init_returns_errno_and_builds_nothing));

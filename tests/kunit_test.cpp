// SPDX-License-Identifier: GPL-2.0
/*
 * The C++ KUnit layer itself: operands are evaluated once, values are
 * printed by type, and an error returned by a test is recognised.
 */
#include <kcpp/kunit.h>

namespace {

bool text_is(const kcpp::kunit::detail::ValueText& t, const char* expected) {
  return __builtin_strcmp(t.buf, expected) == 0;
}

kcpp::Result<void> operands_are_evaluated_once() {
  int calls = 0;
  auto next = [&] { return ++calls; };
  KCPP_EXPECT_EQ(next(), 1);
  KCPP_EXPECT_EQ(calls, 1);
  KCPP_ASSERT_LT(next(), 3);
  KCPP_EXPECT_EQ(calls, 2);
  KCPP_EXPECT(next() == 3);
  KCPP_EXPECT_EQ(calls, 3);
  return {};
}

enum class Mode : int { Off = 0, On = 7 };

kcpp::Result<void> values_are_printed_by_type() {
  using kcpp::kunit::detail::format;
  KCPP_EXPECT(text_is(format(-5), "-5 (0xfffffffffffffffb)"));
  KCPP_EXPECT(text_is(format(42u), "42 (0x2a)"));
  KCPP_EXPECT(text_is(format(true), "true"));
  KCPP_EXPECT(text_is(format(Mode::On), "7"));
  KCPP_EXPECT(text_is(format(kcpp::code::ENOMEM), "ENOMEM (-12)"));
  struct Opaque {
    int x;
  };
  KCPP_EXPECT(text_is(format(Opaque{1}), "(a value of a type kcpp cannot print)"));
  return {};
}

kcpp::Result<void> check_binary_reports_outcome() {
  // A comparison that holds returns true and records nothing.
  const bool held = kcpp::kunit::detail::check_binary([](int a, int b) { return a < b; }, 1, 2, "<", "1", "2",
                                                      __FILE__, __LINE__);
  KCPP_EXPECT(held);
  KCPP_EXPECT(!kcpp_kunit_has_failed(kcpp_kunit_current()));
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_kunit, KCPP_KUNIT_CASE(operands_are_evaluated_once),
                 KCPP_KUNIT_CASE(values_are_printed_by_type), KCPP_KUNIT_CASE(check_binary_reports_outcome));

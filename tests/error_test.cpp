// SPDX-License-Identifier: GPL-2.0
/* Error, Result<T>, Result<void>, KCPP_TRY and the C-convention adapters. */
#include <kcpp/core/error.h>
#include <kcpp/kunit.h>

#include "helpers.h"

namespace {

kcpp::Result<void> errors_have_codes_and_names() {
  KCPP_EXPECT_EQ(kcpp::code::ENOMEM.to_errno(), -KCPP_ENOMEM);
  KCPP_EXPECT_EQ(__builtin_strcmp(kcpp::code::EPROBE_DEFER.name(), "EPROBE_DEFER"), 0);
  KCPP_EXPECT_EQ(kcpp::Error::from_errno(-KCPP_EBUSY), kcpp::code::EBUSY);
  KCPP_EXPECT_NE(kcpp::code::EBUSY, kcpp::code::EAGAIN);
  // A valid errno kcpp has no name for.
  KCPP_EXPECT_EQ(kcpp::Error::from_errno(-4000).name(), static_cast<const char*>(nullptr));
  KCPP_EXPECT_EQ(kcpp::Error::from_errno(-4000).to_errno(), -4000);
  return {};
}

kcpp::Result<void> from_errno_rejects_non_errors() {
  // Each of these is a caller bug: reported with a warning, mapped to EINVAL.
  KCPP_EXPECT_EQ(kcpp::Error::from_errno(0), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(kcpp::Error::from_errno(12), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(kcpp::Error::from_errno(-4096), kcpp::code::EINVAL);
  return {};
}

struct Resource {
  static inline int live = 0;
  int id;
  explicit Resource(int i) : id(i) { live++; }
  Resource(Resource&& o) : id(kcpp::exchange(o.id, 0)) { live++; }
  Resource(const Resource&) = delete;
  ~Resource() { live--; }
};

kcpp::Result<Resource> make_resource(int id) {
  if (id < 0)
    return kcpp::code::EINVAL;
  return Resource(id);
}

kcpp::Result<int> use_two(int a, int b) {
  Resource ra = KCPP_TRY(make_resource(a));
  Resource rb = KCPP_TRY(make_resource(b));
  return ra.id + rb.id;
}

kcpp::Result<void> try_propagates_and_destroys() {
  KCPP_ASSERT_EQ(Resource::live, 0);
  auto ok = use_two(2, 3);
  KCPP_ASSERT(ok.is_ok());
  KCPP_EXPECT_EQ(*ok, 5);
  KCPP_EXPECT_EQ(Resource::live, 0);

  // The second step fails: the first resource is destroyed on the way out.
  auto bad = use_two(2, -1);
  KCPP_ASSERT(bad.is_err());
  KCPP_EXPECT_EQ(bad.error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(Resource::live, 0);
  return {};
}

kcpp::Result<void> move_only_values_move_through_results() {
  {
    kcpp::Result<Resource> r = make_resource(9);
    KCPP_ASSERT(r.is_ok());
    KCPP_EXPECT_EQ(Resource::live, 1);
    Resource taken = std::move(r).expect("checked just above");
    KCPP_EXPECT_EQ(taken.id, 9);
    KCPP_EXPECT_EQ(r->id, 0);  // moved-from, still alive until r ends
    kcpp::Result<Resource> moved(std::move(r));
    KCPP_EXPECT_EQ(Resource::live, 3);
    moved = kcpp::Result<Resource>(kcpp::code::EIO);
    KCPP_EXPECT_EQ(Resource::live, 2);
    KCPP_EXPECT_EQ(moved.error(), kcpp::code::EIO);
  }
  KCPP_EXPECT_EQ(Resource::live, 0);
  return {};
}

kcpp::Result<void> void_results_and_c_conventions() {
  kcpp::Result<void> ok;
  KCPP_EXPECT(ok.is_ok());
  KCPP_EXPECT_EQ(ok.to_errno(), 0);
  KCPP_EXPECT_EQ(kcpp::to_result(5).is_ok(), true);
  KCPP_EXPECT_EQ(kcpp::to_result(-KCPP_ENODEV).error(), kcpp::code::ENODEV);
  // The edges: -1 (EPERM) is an error, 0 a success.
  KCPP_EXPECT_EQ(kcpp::to_result(-1).error(), kcpp::code::EPERM);
  KCPP_EXPECT(kcpp::to_result(0).is_ok());
  KCPP_EXPECT_EQ(kcpp::to_result(-KCPP_ENODEV).to_errno(), -KCPP_ENODEV);

  int x = 1;
  KCPP_EXPECT_EQ(kcpp::from_err_ptr(&x).expect("&x is no error pointer"), &x);
  KCPP_EXPECT_EQ(kcpp::from_err_ptr(static_cast<int*>(nullptr)).expect("NULL is no error pointer"),
                 static_cast<int*>(nullptr));
  // SAFETY: an encoded error pointer (ERR_PTR(-ENOENT)), never dereferenced: from_err_ptr() only
  // compares its value with the top MAX_ERRNO addresses.
  auto* err = reinterpret_cast<int*>(static_cast<kcpp::isize>(-KCPP_ENOENT));
  KCPP_EXPECT_EQ(kcpp::from_err_ptr(err).error(), kcpp::code::ENOENT);
  // SAFETY: -4096 as a pointer, just below the error range, never dereferenced: from_err_ptr()
  // only looks at its value.
  auto* edge = reinterpret_cast<int*>(static_cast<kcpp::isize>(-4096));
  KCPP_EXPECT_EQ(kcpp::from_err_ptr(edge).is_ok(), true);
  return {};
}

kcpp::Result<void> value_or_and_in_place() {
  kcpp::Result<int> bad = kcpp::code::EAGAIN;
  KCPP_EXPECT_EQ(bad.value_or(4), 4);
  kcpp::Result<Resource> built(kcpp::in_place, 11);
  KCPP_EXPECT_EQ(built->id, 11);
  return {};
}

// Asking a success for its error is a caller's bug that corrupts nothing:
// it WARNs and answers EINVAL instead of BUGging. (The warnings are
// announced as expected, so they are logged without a WARN's taint.)
kcpp::Result<void> error_of_a_success_warns_and_answers_einval() {
  kcpp::Result<int> value = 3;
  kcpp::Result<void> done;
  kcpp_fault_expect_warnings(2);
  const kcpp::Error a = value.error();
  const kcpp::Error b = done.error();
  const int left = kcpp_fault_expected_warnings_left();
  kcpp_fault_expect_warnings(0);
  KCPP_EXPECT_EQ(a, kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(b, kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(left, 0);                       // both warned
  KCPP_EXPECT_EQ(value.expect("a success"), 3);  // and the value is untouched
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_error, KCPP_KUNIT_CASE(errors_have_codes_and_names),
                 KCPP_KUNIT_CASE(from_errno_rejects_non_errors), KCPP_KUNIT_CASE(try_propagates_and_destroys),
                 KCPP_KUNIT_CASE(move_only_values_move_through_results),
                 KCPP_KUNIT_CASE(void_results_and_c_conventions), KCPP_KUNIT_CASE(value_or_and_in_place),
                 KCPP_KUNIT_CASE(error_of_a_success_warns_and_answers_einval));

// SPDX-License-Identifier: GPL-2.0
/* Span<T>: checked access and overflow-safe subspans; KVec as a span. */
#include <kcpp/alloc/kvec.h>
#include <kcpp/core/span.h>
#include <kcpp/kunit.h>

namespace {

kcpp::Result<void> access_is_checked() {
  int values[] = {10, 20, 30};
  kcpp::Span<int> s(values);
  KCPP_EXPECT_EQ(s.size(), 3u);
  KCPP_EXPECT_EQ(s.size_bytes(), 12u);
  KCPP_EXPECT_EQ(*s.get(2), 30);
  KCPP_EXPECT(s.get(3) == nullptr);
  KCPP_EXPECT_EQ(s.at(3).error(), kcpp::code::ERANGE);
  *KCPP_TRY(s.at(0)) = 11;
  KCPP_EXPECT_EQ(values[0], 11);
  kcpp::Span<const int> ro = s;
  int sum = 0;
  for (int v : ro) sum += v;
  KCPP_EXPECT_EQ(sum, 61);
  kcpp::Span<int> empty;
  KCPP_EXPECT(empty.is_empty());
  KCPP_EXPECT(empty.get(0) == nullptr);
  return {};
}

kcpp::Result<void> subspans_stay_inside() {
  const kcpp::u8 bytes[] = {1, 2, 3, 4, 5, 6, 7, 8};
  kcpp::Span<const kcpp::u8> s(bytes);
  auto mid = KCPP_TRY(s.subspan(2, 3));
  KCPP_EXPECT_EQ(mid.size(), 3u);
  KCPP_EXPECT_EQ(mid[0], 3);
  KCPP_EXPECT_EQ(KCPP_TRY(s.subspan(8)).size(), 0u);  // the end itself is fine
  KCPP_EXPECT_EQ(s.subspan(9).error(), kcpp::code::ERANGE);
  KCPP_EXPECT_EQ(s.subspan(7, 2).error(), kcpp::code::ERANGE);
  // offset + count would wrap around: still refused.
  KCPP_EXPECT_EQ(s.subspan(4, ~kcpp::usize(0)).error(), kcpp::code::ERANGE);
  return {};
}

kcpp::Result<void> kvec_as_span_and_extend() {
  kcpp::KVec<int> v;
  const int more[] = {4, 5, 6};
  KCPP_TRY(v.extend(kcpp::Span<const int>(more), kcpp::GFP_KERNEL));
  // Extending a vector with itself: growing moves the source, which must
  // be found again (capacity 4 forces the move here).
  KCPP_EXPECT_EQ(v.capacity(), 4u);
  KCPP_TRY(v.extend(v.as_span(), kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(v.len(), 6u);
  auto view = v.as_span();
  const int want[] = {4, 5, 6, 4, 5, 6};
  for (kcpp::usize i = 0; i < 6; i++) KCPP_EXPECT_EQ(view[i], want[i]);
  KCPP_EXPECT(view.get(6) == nullptr);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_span, KCPP_KUNIT_CASE(access_is_checked), KCPP_KUNIT_CASE(subspans_stay_inside),
                 KCPP_KUNIT_CASE(kvec_as_span_and_extend));

// SPDX-License-Identifier: GPL-2.0
/*
 * User-space memory: copies against memory that user space has, has not,
 * and that belongs to the kernel; reads that straddle the end of a
 * mapping; lengths that run past the end of the address space; strings
 * that do not end. Every failure must be EFAULT (or the string errors),
 * consume nothing and leave no user byte in the kernel buffer.
 */
#include <kcpp/kunit.h>
#include <kcpp/uaccess.h>

namespace {

using kcpp::u8;
using kcpp::UserPtr;
using kcpp::UserSlice;

constexpr kcpp::usize PAGE = KCPP_PAGE_SIZE;

// One page of user memory for the running test, filled with 0x5a.
kcpp::Result<UserPtr> user_page() {
  const kcpp::uptr base = kcpp_kunit_user_memory(kcpp_kunit_current(), PAGE);
  if (base == 0)
    return kcpp::code::ENOMEM;
  u8 fill[64];
  __builtin_memset(fill, 0x5a, sizeof(fill));
  auto w = UserSlice::make(UserPtr::from_addr(base), PAGE).writer();
  while (!w.is_empty()) KCPP_TRY(w.write_slice(fill));
  return UserPtr::from_addr(base);
}

kcpp::Result<void> a_read_across_the_end_of_the_mapping_faults() {
  UserPtr base = KCPP_TRY(user_page());
  UserPtr tail = KCPP_TRY(base.offset(PAGE - 4));
  auto r = UserSlice::make(tail, 8).reader();
  u8 out[8];
  __builtin_memset(out, 0xee, sizeof(out));
  KCPP_EXPECT_EQ(r.read_raw(out).error(), kcpp::code::EFAULT);
  // Nothing consumed, and none of the four bytes that were there kept.
  KCPP_EXPECT_EQ(r.len(), 8u);
  for (u8 b : out) KCPP_EXPECT_EQ(b, 0);
  // The four that are there read fine.
  KCPP_EXPECT_EQ(KCPP_TRY(r.read<kcpp::u32>()), 0x5a5a5a5au);
  KCPP_EXPECT_EQ(r.read<kcpp::u32>().error(), kcpp::code::EFAULT);
  return {};
}

kcpp::Result<void> a_kernel_address_is_not_user_memory() {
  kcpp::u64 secret = 0x1122334455667788ull;
  // SAFETY: only the address is taken, as a hostile caller would pass it; it is never used
  // as a pointer by this test.
  const UserPtr kernel = UserPtr::from_addr(reinterpret_cast<kcpp::uptr>(&secret));
  KCPP_EXPECT_EQ(UserSlice::make(kernel, 8).reader().read<kcpp::u64>().error(), kcpp::code::EFAULT);
  KCPP_EXPECT_EQ(UserSlice::make(kernel, 8).writer().write(kcpp::u64(0)).error(), kcpp::code::EFAULT);
  KCPP_EXPECT_EQ(UserSlice::make(kernel, 8).writer().write_zeros(8).error(), kcpp::code::EFAULT);
  char s[8];
  KCPP_EXPECT_EQ(UserSlice::make(kernel, 8).reader().read_cstr(s).error(), kcpp::code::EFAULT);
  KCPP_EXPECT_EQ(secret, 0x1122334455667788ull);
  return {};
}

kcpp::Result<void> lengths_are_checked_before_anything_is_copied() {
  UserPtr base = KCPP_TRY(user_page());
  auto w = UserSlice::make(base, 4).writer();
  KCPP_EXPECT_EQ(w.write(kcpp::u64(1)).error(), kcpp::code::EFAULT);  // 8 > 4
  KCPP_EXPECT_EQ(w.len(), 4u);
  KCPP_EXPECT_EQ(w.write_zeros(5).error(), kcpp::code::EFAULT);
  KCPP_TRY(w.write_zeros(4));
  KCPP_EXPECT(w.is_empty());
  auto r = UserSlice::make(base, 8).reader();
  KCPP_EXPECT_EQ(KCPP_TRY(r.read<kcpp::u32>()), 0u);           // zeroed above
  KCPP_EXPECT_EQ(KCPP_TRY(r.read<kcpp::u32>()), 0x5a5a5a5au);  // untouched
  KCPP_EXPECT_EQ(r.skip(1).error(), kcpp::code::EFAULT);
  // A huge length: the copy still faults at the first unmapped byte.
  auto huge = UserSlice::make(base, ~kcpp::usize(0)).reader();
  kcpp::KVec<u8> all;
  KCPP_EXPECT_EQ(huge.read_all(all, kcpp::GFP_KERNEL | kcpp::GFP_NOWARN).error(), kcpp::code::ENOMEM);
  KCPP_EXPECT_EQ(all.len(), 0u);
  kcpp::KVec<u8> two_pages;
  KCPP_TRY(two_pages.resize(2 * PAGE, 0xee, kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(huge.read_raw(two_pages.as_span()).error(), kcpp::code::EFAULT);
  KCPP_EXPECT_EQ(two_pages[0], 0);  // the page that was there is not kept either
  KCPP_EXPECT_EQ(huge.len(), ~kcpp::usize(0));
  return {};
}

kcpp::Result<void> strings_end_inside_the_slice_and_the_buffer() {
  UserPtr base = KCPP_TRY(user_page());
  // "abc\0" then 0x5a to the end of the page, with no NUL.
  const u8 abc[] = "abc";
  KCPP_TRY(UserSlice::make(base, 4).writer().write_slice(abc));
  char buf[16];
  auto r = UserSlice::make(base, PAGE).reader();
  KCPP_EXPECT_EQ(KCPP_TRY(r.read_cstr(buf)), 3u);
  KCPP_EXPECT_EQ(r.len(), PAGE - 4);
  // The rest has no NUL within 16 bytes: too long for buf, nothing consumed.
  KCPP_EXPECT_EQ(r.read_cstr(buf).error(), kcpp::code::ENAMETOOLONG);
  KCPP_EXPECT_EQ(buf[0], '\0');
  KCPP_EXPECT_EQ(r.len(), PAGE - 4);
  // No NUL before the page ends, and a buffer larger than what is left:
  // the string runs into unmapped memory.
  UserPtr last = KCPP_TRY(base.offset(PAGE - 8));
  char big[64];
  KCPP_EXPECT_EQ(UserSlice::make(last, 64).reader().read_cstr(big).error(), kcpp::code::EFAULT);
  KCPP_EXPECT_EQ(UserSlice::make(last, 8).reader().read_cstr(big).error(), kcpp::code::EINVAL);
  char none[1];
  KCPP_EXPECT_EQ(UserSlice::make(base, 4).reader().read_cstr(none).error(), kcpp::code::ENAMETOOLONG);
  KCPP_EXPECT_EQ(UserSlice::make(base, 4).reader().read_cstr(kcpp::Span<char>()).error(),
                 kcpp::code::ENAMETOOLONG);
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(kcpp_uaccess, KCPP_KUNIT_CASE(a_read_across_the_end_of_the_mapping_faults),
                 KCPP_KUNIT_CASE(a_kernel_address_is_not_user_memory),
                 KCPP_KUNIT_CASE(lengths_are_checked_before_anything_is_copied),
                 KCPP_KUNIT_CASE(strings_end_inside_the_slice_and_the_buffer));

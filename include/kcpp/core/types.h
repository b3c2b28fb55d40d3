/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/types.h
 * @brief Fixed-width integer types and the basic vocabulary types.
 *
 * Wraps nothing: the kernel's `include/linux/types.h` is C and never included
 * from C++. These aliases are built on the compiler's predefined type macros,
 * so they have the exact types the kernel uses on every architecture
 * (`u64` is `unsigned long long`, `usize` is the kernel's `size_t`).
 *
 * @par Examples
 * @code{.cpp}
 * kcpp::u32 reg = 0xdeadbeef;
 * kcpp::usize n = sizeof(reg);
 * KCPP_ASSERT_EQ(n, 4u);
 * KCPP_ASSERT_EQ(static_cast<kcpp::u8>(reg), 0xefu);
 * @endcode
 *
 * Widths and signedness of every alias:
 * @code{.cpp}
 * static_assert(sizeof(kcpp::u16) == 2 && sizeof(kcpp::i16) == 2);
 * static_assert(sizeof(kcpp::i8) == 1 && sizeof(kcpp::i32) == 4 && sizeof(kcpp::i64) == 8);
 * kcpp::i8 small = -128;
 * kcpp::i16 wider = small;
 * kcpp::i32 w32 = wider * 256;
 * kcpp::i64 w64 = static_cast<kcpp::i64>(w32) << 16;
 * KCPP_ASSERT_EQ(w64, -2147483648ll);
 * kcpp::u16 port = 0xffff;
 * KCPP_ASSERT_EQ(static_cast<kcpp::u16>(port + 1), 0u);  // wraps, as in C
 * std::size_t bytes = sizeof(kcpp::u64);
 * int arr[4] = {};
 * std::ptrdiff_t span = &arr[3] - &arr[0];
 * std::nullptr_t none = nullptr;
 * KCPP_ASSERT_EQ(bytes, 8u);
 * KCPP_ASSERT_EQ(span, 3);
 * KCPP_ASSERT(none == nullptr);
 * @endcode
 */
#ifndef KCPP_CORE_TYPES_H
#define KCPP_CORE_TYPES_H

namespace std {
/** @brief The type of `sizeof`, as the compiler defines it. */
using size_t = __SIZE_TYPE__;
/** @brief The type of a pointer difference. */
using ptrdiff_t = __PTRDIFF_TYPE__;
/** @brief The type of `nullptr`. */
using nullptr_t = decltype(nullptr);
}  // namespace std

namespace kcpp {

using u8 = unsigned char;        ///< 8-bit unsigned, the kernel's `u8`.
using u16 = unsigned short;      ///< 16-bit unsigned, the kernel's `u16`.
using u32 = unsigned int;        ///< 32-bit unsigned, the kernel's `u32`.
using u64 = unsigned long long;  ///< 64-bit unsigned, the kernel's `u64`.
using i8 = signed char;          ///< 8-bit signed, the kernel's `s8`.
using i16 = short;               ///< 16-bit signed, the kernel's `s16`.
using i32 = int;                 ///< 32-bit signed, the kernel's `s32`.
using i64 = long long;           ///< 64-bit signed, the kernel's `s64`.
using usize = __SIZE_TYPE__;     ///< The kernel's `size_t`.
using isize = __PTRDIFF_TYPE__;  ///< The kernel's `ssize_t`.
using uptr = __UINTPTR_TYPE__;   ///< An integer that holds a pointer.

static_assert(sizeof(u8) == 1 && sizeof(u16) == 2 && sizeof(u32) == 4 && sizeof(u64) == 8,
              "kcpp: the fixed-width types do not have their widths on this compiler.");
static_assert(sizeof(usize) == sizeof(void*) && sizeof(uptr) == sizeof(void*),
              "kcpp: size_t and uintptr_t must be as wide as a pointer.");

}  // namespace kcpp

#endif  // KCPP_CORE_TYPES_H

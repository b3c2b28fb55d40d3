/* SPDX-License-Identifier: GPL-2.0 */
/**
 * @file kcpp/core/bytes.h
 * @brief Structures in untrusted byte buffers: bounds-checked `read()`,
 * `write()` and `find()`, and overflow-checked offset arithmetic.
 *
 * Firmware images, ROM dumps and device-written memory are byte buffers
 * whose offsets and lengths come from the data itself. Reading a structure
 * out of one is where C drivers overrun: a header field points past the
 * end, an addition wraps. Here every access names the buffer (`Span`) and
 * the offset, copies the bytes out (no alignment assumption, no pointer
 * into the buffer escapes) and returns `ERANGE` when the structure does not
 * lie entirely inside; sums and alignments of such offsets return
 * `EOVERFLOW` instead of wrapping.
 *
 * Only types for which any byte sequence is a valid value can be read:
 * integers (not `bool`), arrays of them, and structures that declare it
 * with `KCPP_PLAIN_BYTES` (no `bool`, enum or pointer members). The
 * equivalent of Rust's `FromBytes`/`AsBytes` markers. Values are in the
 * CPU's byte order: little endian on every architecture nova-core and the
 * examples run on.
 *
 * @par Examples
 * @code{.cpp}
 * #^ struct RomHeader {
 * #^   KCPP_PLAIN_BYTES;
 * #^   kcpp::u16 signature;
 * #^   kcpp::u16 pcir_offset;
 * #^ };
 * kcpp::u8 rom[8] = {0x55, 0xaa, 0x04, 0x00, 'P', 'C', 'I', 'R'};
 * kcpp::Span<const kcpp::u8> image(rom);
 * static_assert(kcpp::PlainBytes<RomHeader> && !kcpp::PlainBytes<bool>);
 * const RomHeader h = KCPP_TRY(kcpp::bytes::read<RomHeader>(image, 0));
 * KCPP_ASSERT_EQ(h.signature, 0xaa55);
 * // The header says where the next structure is; the buffer says whether it is there.
 * KCPP_ASSERT_EQ(KCPP_TRY(kcpp::bytes::read<kcpp::u32>(image, h.pcir_offset)), 0x52494350u);
 * KCPP_ASSERT_EQ(kcpp::bytes::read<kcpp::u32>(image, 6).error(), kcpp::code::ERANGE);
 * KCPP_ASSERT_EQ(kcpp::bytes::read<kcpp::u32>(image, 5).error(), kcpp::code::ERANGE);  // one byte short
 * KCPP_ASSERT_EQ(KCPP_TRY(kcpp::bytes::read<kcpp::u32>(image, 4)), 0x52494350u);   // the last four
 * const kcpp::u8 pcir[] = {'P', 'C', 'I', 'R'};
 * KCPP_ASSERT_EQ(KCPP_TRY(kcpp::bytes::find(image, kcpp::Span<const kcpp::u8>(pcir))), 4u);
 * // From offset 5 on, and for a pattern that runs off the end, there is no match.
 * KCPP_ASSERT_EQ(kcpp::bytes::find(image, kcpp::Span<const kcpp::u8>(pcir), 5).error(), kcpp::code::ENOENT);
 * const kcpp::u8 tail[] = {'I', 'R', 0};
 * KCPP_ASSERT_EQ(kcpp::bytes::find(image, kcpp::Span<const kcpp::u8>(tail)).error(), kcpp::code::ENOENT);
 * const kcpp::u8 twice[] = {1, 2, 3, 2, 3};
 * const kcpp::u8 two_three[] = {2, 3};
 * const kcpp::Span<const kcpp::u8> hay(twice);
 * const kcpp::Span<const kcpp::u8> needle(two_three);
 * KCPP_ASSERT_EQ(kcpp::bytes::find(hay, needle, 2).expect("it is there"), 3u);
 * KCPP_TRY(kcpp::bytes::write(kcpp::Span<kcpp::u8>(rom), 2, kcpp::u16(0x10)));
 * KCPP_ASSERT_EQ(rom[2], 0x10);
 * // Offsets from the data: sums and alignment never wrap.
 * KCPP_ASSERT_EQ(KCPP_TRY(kcpp::num::align_up(kcpp::u64(513), 512)), 1024u);
 * KCPP_ASSERT_EQ(kcpp::num::align_up(~kcpp::u64(0), 512).error(), kcpp::code::EOVERFLOW);
 * KCPP_ASSERT_EQ(kcpp::num::add(kcpp::u32(0xffffffff), kcpp::u32(1)).error(), kcpp::code::EOVERFLOW);
 * static_assert(kcpp::num::popcount(0x0006) == 2 && kcpp::num::popcount(~0u) == 32);
 * @endcode
 *
 * @par
 * A structure that contains a `bool` cannot be read from bytes:
 * @code{.cpp compile_fail}
 * // compile_fail: needs a type any byte sequence is a valid value of
 * #^ struct Flags { bool on; };
 * kcpp::u8 raw[1] = {2};
 * auto f = kcpp::bytes::read<Flags>(kcpp::Span<const kcpp::u8>(raw), 0);
 * @endcode
 */
#ifndef KCPP_CORE_BYTES_H
#define KCPP_CORE_BYTES_H

#include <kcpp/core/error.h>
#include <kcpp/core/span.h>
#include <kcpp/core/type_traits.h>

/**
 * @brief Declares, inside a structure, that any byte sequence of its size
 * is a valid value (every member is an integer or an array of integers,
 * or itself such a structure), so `kcpp::bytes::read()` may produce it.
 */
#define KCPP_PLAIN_BYTES using kcpp_plain_bytes [[maybe_unused]] = void

namespace kcpp {

/// @cond KCPP_INTERNAL
namespace detail {
template <typename T>
struct IsPlainBytes : bool_constant<is_integral_v<T> && !is_same_v<remove_cv_t<T>, bool>> {};
template <typename T>
  requires requires { typename T::kcpp_plain_bytes; }
struct IsPlainBytes<T> : bool_constant<is_trivially_copyable_v<T>> {};
template <typename T, usize N>
struct IsPlainBytes<T[N]> : IsPlainBytes<T> {};
}  // namespace detail
/// @endcond

/**
 * @brief Whether any byte sequence is a valid @p T: integers, arrays of
 * them, structures marked `KCPP_PLAIN_BYTES`.
 */
template <typename T>
concept PlainBytes = detail::IsPlainBytes<T>::value;

namespace bytes {

/**
 * @brief The @p T stored at @p off in @p buf; `ERANGE` if it does not lie inside.
 *
 * Always inlined, as write() and copy() are: for a structure of a few dozen
 * bytes GCC would otherwise keep the check and copy out of line, and the
 * call (through the return thunk on a mitigated kernel) costs more than both.
 */
template <typename T>
[[nodiscard]] [[gnu::always_inline]] constexpr Result<T> read(Span<const u8> buf, usize off) {
  static_assert(PlainBytes<T>,
                "kcpp: bytes::read() needs a type any byte sequence is a valid value of: "
                "integers, arrays of them, or a struct marked KCPP_PLAIN_BYTES");
  auto src = KCPP_TRY(buf.subspan(off, sizeof(T)));
  T v;
  __builtin_memcpy(&v, src.data(), sizeof(T));
  return v;
}

/**
 * @brief Stores @p v at @p off in @p buf; `ERANGE` if it does not fit.
 *
 * Always inlined, as is copy(): a check and a copy, what a C parser spells
 * out by hand (GCC otherwise keeps it out of line, and a call per field
 * costs more than the check).
 */
template <typename T>
[[nodiscard]] [[gnu::always_inline]] inline Result<void> write(Span<u8> buf, usize off, const T& v) {
  static_assert(is_trivially_copyable_v<T>, "kcpp: bytes::write() copies trivially copyable values");
  auto dst = KCPP_TRY(buf.subspan(off, sizeof(T)));
  __builtin_memcpy(dst.data(), &v, sizeof(T));
  return {};
}

/** @brief Copies @p src into @p buf at @p off; `ERANGE` if it does not fit. */
[[nodiscard]] [[gnu::always_inline]] inline Result<void> copy(Span<u8> buf, usize off, Span<const u8> src) {
  auto dst = KCPP_TRY(buf.subspan(off, src.size()));
  if (src.size())
    __builtin_memcpy(dst.data(), src.data(), src.size());
  return {};
}

/**
 * @brief The offset of the first occurrence of @p pattern in @p buf at or
 * after @p from; `ENOENT` if there is none (or the pattern is empty).
 */
[[nodiscard]] inline Result<usize> find(Span<const u8> buf, Span<const u8> pattern, usize from = 0) {
  const usize n = pattern.size();
  if (n == 0 || n > buf.size())
    return code::ENOENT;
  const usize last = buf.size() - n;  // i <= last keeps [i, i + n) inside buf
  for (usize i = from; i <= last; i++)
    if (!__builtin_memcmp(buf.data() + i, pattern.data(), n))
      return i;
  return code::ENOENT;
}

}  // namespace bytes

/** @brief Arithmetic on values read from untrusted data: `EOVERFLOW`, never a wrap. */
namespace num {

/** @brief @p a + @p b. */
template <typename T>
[[nodiscard]] constexpr Result<T> add(T a, T b) {
  T r;
  if (__builtin_add_overflow(a, b, &r))
    return code::EOVERFLOW;
  return r;
}
/** @brief @p a * @p b. */
template <typename T>
[[nodiscard]] constexpr Result<T> mul(T a, T b) {
  T r;
  if (__builtin_mul_overflow(a, b, &r))
    return code::EOVERFLOW;
  return r;
}
/** @brief @p v rounded up to a multiple of @p align (a power of two). */
template <typename T, typename A>
[[nodiscard]] constexpr Result<T> align_up(T v, A align) {
  const T a = static_cast<T>(align);
  T r;
  if (__builtin_add_overflow(v, a - 1, &r))
    return code::EOVERFLOW;
  return r & ~(a - 1);
}
/**
 * @brief The number of bits set in @p v (the kernel's `hweight32()`; the
 * compiler's builtin would call a libgcc helper the kernel lacks).
 */
[[nodiscard]] constexpr unsigned popcount(u32 v) {
  v = v - ((v >> 1) & 0x55555555u);
  v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
  return (((v + (v >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24;
}
/** @brief @p v rounded down to a multiple of @p align (a power of two). */
template <typename T, typename A>
[[nodiscard]] constexpr T align_down(T v, A align) {
  return v & ~(static_cast<T>(align) - 1);
}

}  // namespace num
}  // namespace kcpp

#endif  // KCPP_CORE_BYTES_H

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TLV firmware container (nvidia/<chip>/gsp/<name>.tlv).
 *
 * The file starts with the magic "NVFW", then blocks back to back until
 * its end: a 4-byte ASCII tag, a little-endian u32 length (value bytes,
 * padding excluded), the value, and zero to three padding bytes to the
 * next multiple of 4. Every file has a VERS block. Readers ignore tags they
 * do not know and take the first block of a tag that appears twice.
 *
 * Tlv::parse() checks the whole layout once, so that a look-up can only
 * fail for a missing tag or a value of the wrong shape, both EINVAL.
 */
#ifndef NOVA_CORE_FIRMWARE_TLV_H
#define NOVA_CORE_FIRMWARE_TLV_H

#include <kcpp/core/bytes.h>
#include <kcpp/core/span.h>
#include <kcpp/core/types.h>

namespace nova::firmware {

using kcpp::Result;
using kcpp::Span;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;

/**
 * A TLV tag: four ASCII characters, compared as the u32 they read as from the file.
 *
 * @code{.cpp}
 * static_assert(nova::firmware::TlvTag("VERS").value == 0x53524556);  // 'V' in the low byte
 * @endcode
 */
struct TlvTag {
  u32 value;  ///< The four characters, the first in the low byte
  /** The tag of the literal @p s (four characters). */
  consteval explicit TlvTag(const char (&s)[5])
      : value(u32(u8(s[0])) | u32(u8(s[1])) << 8 | u32(u8(s[2])) << 16 | u32(u8(s[3])) << 24) {}
};

/**
 * A parsed TLV container, viewing the file's bytes (which must outlive it).
 *
 * @code{.cpp}
 * using nova::firmware::Tlv;
 * using nova::firmware::TlvTag;
 * const kcpp::u8 file[] = {
 *     'N', 'V', 'F', 'W',
 *     'V', 'E', 'R', 'S', 3, 0, 0, 0, '7', '.', '3', 0,  // "7.3", one byte of padding
 *     'S', 'I', 'Z', 'E', 4, 0, 0, 0, 0x00, 0x10, 0, 0,  // u32 0x1000
 *     'N', 'S', 'I', 'G', 4, 0, 0, 0, 2, 0, 0, 0,        // two signatures...
 *     'S', 'I', 'G', 'N', 4, 0, 0, 0, 0xaa, 0xaa, 0xbb, 0xbb,  // ...of two bytes each
 *     'S', 'I', 'Z', 'E', 4, 0, 0, 0, 0x00, 0x20, 0, 0,  // a second SIZE: ignored
 * };
 * const Tlv tlv = KCPP_TRY(Tlv::parse(kcpp::Span<const kcpp::u8>(file)));
 * KCPP_ASSERT_EQ(KCPP_TRY(tlv.u32_of(TlvTag("SIZE"))), 0x1000u);  // the first block wins
 * KCPP_ASSERT_EQ(KCPP_TRY(tlv.string(TlvTag("VERS"))).size(), 3u);
 * KCPP_ASSERT_EQ(KCPP_TRY(tlv.signature(1))[0], 0xbb);
 * KCPP_ASSERT_EQ(KCPP_TRY(tlv.last_signature())[1], 0xbb);
 * KCPP_ASSERT_EQ(tlv.signature(2).error(), kcpp::code::EINVAL);    // only two
 * KCPP_ASSERT_EQ(tlv.bytes(TlvTag("BLOB")).error(), kcpp::code::EINVAL);  // absent
 * KCPP_ASSERT_EQ(tlv.string(TlvTag("SIGN")).error(), kcpp::code::EINVAL);  // 0xaa is not printable
 * KCPP_ASSERT_EQ(tlv.u32_of(TlvTag("VERS")).error(), kcpp::code::EINVAL);  // 3 bytes, not 4
 * @endcode
 *
 * Every malformed layout is refused whole:
 * @code{.cpp}
 * using nova::firmware::Tlv;
 * // A length that runs past the end (and one that would wrap when padded).
 * const kcpp::u8 past[] = {'N', 'V', 'F', 'W', 'V', 'E', 'R', 'S', 8, 0, 0, 0, '1', 0, 0, 0};
 * KCPP_ASSERT_EQ(Tlv::parse(kcpp::Span<const kcpp::u8>(past)).error(), kcpp::code::EINVAL);
 * const kcpp::u8 wraps[] = {'N', 'V', 'F', 'W', 'V', 'E', 'R', 'S', 0xff, 0xff, 0xff, 0xff};
 * KCPP_ASSERT_EQ(Tlv::parse(kcpp::Span<const kcpp::u8>(wraps)).error(), kcpp::code::EINVAL);
 * // No VERS block.
 * const kcpp::u8 no_vers[] = {'N', 'V', 'F', 'W', 'S', 'I', 'Z', 'E', 0, 0, 0, 0};
 * KCPP_ASSERT_EQ(Tlv::parse(kcpp::Span<const kcpp::u8>(no_vers)).error(), kcpp::code::EINVAL);
 * // A tag byte that is not ASCII.
 * const kcpp::u8 binary[] = {'N', 'V', 'F', 'W', 'V', 'E', 'R', 0xd3, 0, 0, 0, 0};
 * KCPP_ASSERT_EQ(Tlv::parse(kcpp::Span<const kcpp::u8>(binary)).error(), kcpp::code::EINVAL);
 * // Trailing bytes that are not a whole block header.
 * const kcpp::u8 tail[] = {'N', 'V', 'F', 'W', 'V', 'E', 'R', 'S', 0, 0, 0, 0, 'X', 'Y'};
 * KCPP_ASSERT_EQ(Tlv::parse(kcpp::Span<const kcpp::u8>(tail)).error(), kcpp::code::EINVAL);
 * @endcode
 */
class Tlv {
 public:
  /** The file's first four bytes. */
  static constexpr u8 MAGIC[4] = {'N', 'V', 'F', 'W'};
  /** The size of a block header: tag and length. */
  static constexpr usize HEADER = 8;

  /** Checks the layout of @p file (see the file comment); EINVAL for any fault in it. */
  static Result<Tlv> parse(Span<const u8> file) {
    if (file.size() < sizeof(MAGIC) || __builtin_memcmp(file.data(), MAGIC, sizeof(MAGIC)) != 0)
      return kcpp::code::EINVAL;
    bool vers = false;
    usize at = sizeof(MAGIC);
    while (at < file.size()) {
      const Block b = KCPP_TRY(block_at(file, at));
      vers = vers || b.tag == TlvTag("VERS").value;
      at = b.next;
    }
    if (!vers)
      return kcpp::code::EINVAL;
    return Tlv(file);
  }

  /** The value of the first @p tag block; EINVAL if there is none or it is empty. */
  [[nodiscard]] Result<Span<const u8>> bytes(TlvTag tag) const {
    const Span<const u8> v = KCPP_TRY(find(tag));
    if (v.is_empty())
      return kcpp::code::EINVAL;
    return v;
  }

  /** The value of @p tag as a little-endian u32; EINVAL unless it is exactly 4 bytes. */
  [[nodiscard]] Result<u32> u32_of(TlvTag tag) const {
    const Span<const u8> v = KCPP_TRY(find(tag));
    if (v.size() != 4)
      return kcpp::code::EINVAL;
    return kcpp::bytes::read<u32>(v, 0);
  }

  /**
   * The value of @p tag as a string (not NUL-terminated; may be empty);
   * EINVAL unless every byte is printable ASCII (0x20 to 0x7e).
   */
  [[nodiscard]] Result<Span<const u8>> string(TlvTag tag) const {
    const Span<const u8> v = KCPP_TRY(find(tag));
    for (const u8 c : v)
      if (c < 0x20 || c > 0x7e)
        return kcpp::code::EINVAL;
    return v;
  }

  /** The number of signatures in SIGN (NSIG); EINVAL if NSIG is missing or 0, or SIGN does not split. */
  [[nodiscard]] Result<u32> signature_count() const {
    const u32 n = KCPP_TRY(u32_of(TlvTag("NSIG")));
    const Span<const u8> all = KCPP_TRY(bytes(TlvTag("SIGN")));
    if (n == 0 || all.size() % n)
      return kcpp::code::EINVAL;
    return n;
  }

  /** Signature @p index of SIGN, each `size / NSIG` bytes; EINVAL past the last. */
  [[nodiscard]] Result<Span<const u8>> signature(u32 index) const {
    const u32 n = KCPP_TRY(signature_count());
    if (index >= n)
      return kcpp::code::EINVAL;
    const Span<const u8> all = KCPP_TRY(bytes(TlvTag("SIGN")));
    const usize each = all.size() / n;
    return all.subspan(usize(index) * each, each);
  }

  /** The last signature of SIGN. */
  [[nodiscard]] Result<Span<const u8>> last_signature() const {
    return signature(KCPP_TRY(signature_count()) - 1);
  }

 private:
  struct Block {
    u32 tag;
    Span<const u8> value;
    usize next;  // where the next block starts
  };

  explicit Tlv(Span<const u8> file) : file_(file) {}

  // The block at @p at, which must lie wholly (padding included) in @p file.
  static Result<Block> block_at(Span<const u8> file, usize at) {
    if (file.size() - at < HEADER)  // at < file.size(): no wrap
      return kcpp::code::EINVAL;
    const u32 tag = kcpp::bytes::read<u32>(file, at).expect("HEADER bytes are left");
    const u32 len = kcpp::bytes::read<u32>(file, at + 4).expect("HEADER bytes are left");
    for (usize i = 0; i < 4; i++)
      if ((tag >> (8 * i)) & 0x80)
        return kcpp::code::EINVAL;
    const u64 end = u64(at) + HEADER + ((u64(len) + 3) & ~u64(3));  // no wrap: both terms < 2^33
    if (end > file.size())
      return kcpp::code::EINVAL;
    return Block{tag, KCPP_TRY(file.subspan(at + HEADER, len)), usize(end)};
  }

  Result<Span<const u8>> find(TlvTag tag) const {
    usize at = sizeof(MAGIC);
    while (at < file_.size()) {
      const Block b = KCPP_TRY(block_at(file_, at));  // checked by parse(): cannot fail
      if (b.tag == tag.value)
        return b.value;
      at = b.next;
    }
    return kcpp::code::EINVAL;
  }

  Span<const u8> file_;
};

}  // namespace nova::firmware

#endif  // NOVA_CORE_FIRMWARE_TLV_H

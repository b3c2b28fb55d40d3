/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VBIOS: where nova-core finds FWSEC, the firmware that creates WPR2.
 *
 * The ROM is read through BAR0's PROM window (0x300000, at most 1 MiB) as
 * a chain of PCI expansion ROM images, each starting on a 512-byte
 * boundary: a PCI ROM header (signature 0xaa55, PCIR pointer at 0x18), a
 * PCIR (or NPDS) structure with the image length and code type, and an
 * optional NVIDIA NPDE extension whose length and last-image flag win.
 * A GPU carries a PC-AT image, usually an EFI one, and two FWSEC images.
 *
 * The PC-AT image holds the BIT table (found by its FF B8 "BIT\0" header);
 * its falcon-data token points at the PMU lookup table, whose FWSEC_PROD
 * entry points at the FWSEC descriptor (V2 on Turing and GA100, V3 from
 * GA102 on), followed by the RSA-3K signatures (V3) and the ucode: IMEM
 * code then DMEM data. The pointers are offsets into the images laid end to
 * end without the EFI image (how the VBIOS tools compute them); nova-core
 * compensates the same way.
 *
 * Every offset comes from the ROM and is checked: a malformed VBIOS is an
 * error (EINVAL, ERANGE, ENOENT) with a message saying what and where, never
 * an out-of-bounds read. Reading (`read_rom`) and parsing (`parse`) are
 * separate, so the parser runs on any byte buffer: the ROM of a GPU, a
 * synthesized one, a dump, a corrupted copy.
 */
#ifndef NOVA_CORE_VBIOS_H
#define NOVA_CORE_VBIOS_H

#include <kcpp/alloc/kvec.h>
#include <kcpp/core/bytes.h>
#include <kcpp/core/error.h>
#include <kcpp/core/option.h>
#include <kcpp/device.h>
#include <kcpp/print.h>

namespace nova::vbios {

using kcpp::Result;
using kcpp::Span;
using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;
namespace code = kcpp::code;

/** The PROM window in BAR0. */
inline constexpr usize ROM_OFFSET = 0x300000;
/** How far into the ROM nova-core looks for images. */
inline constexpr usize MAX_SCAN_LEN = 0x100000;
/** How much of an image is read to parse its headers. */
inline constexpr usize READ_AHEAD = 1024;
/** Images start on 512-byte boundaries and are sized in 512-byte units. */
inline constexpr usize IMAGE_UNIT = 512;
/** Size of one FWSEC signature (RSA-3K). */
inline constexpr usize SIGNATURE_SIZE = 384;

/** PCI expansion ROM code types nova-core knows. */
enum class ImageType : u8 { PciAt = 0x00, Efi = 0x03, Nbsi = 0x70, FwSec = 0xe0 };

/** PMU lookup table application ids. */
inline constexpr u8 APP_ID_FWSEC_DBG = 0x45;
inline constexpr u8 APP_ID_FWSEC_PROD = 0x85;
/** The BIT token pointing at the falcon data (PMU lookup table). */
inline constexpr u8 BIT_TOKEN_FALCON_DATA = 0x70;

/** ROM image signatures: the PCI one, and two NVIDIA variants. */
inline constexpr u16 ROM_SIGNATURE = 0xaa55;
inline constexpr u16 ROM_SIGNATURE_NV = 0x4e56;
inline constexpr u16 ROM_SIGNATURE_NV_ALT = 0xbb77;
/** PCIR structure signatures: "PCIR", and NVIDIA's "NPDS". */
inline constexpr u32 PCIR_SIGNATURE = 0x52494350;
inline constexpr u32 PCIR_SIGNATURE_NPDS = 0x5344504e;
/** The NVIDIA PCI data extension's signature, "NPDE". */
inline constexpr u32 NPDE_SIGNATURE = 0x4544504e;
/** The last-image bit of the PCIR indicator and of the NPDE flags. */
inline constexpr u8 LAST_IMAGE = 0x80;
/** The BIT header's id and signature: FF B8 "BIT\0". */
inline constexpr u16 BIT_HEADER_ID = 0xb8ff;

/** The PCI expansion ROM header at the start of every image. */
struct RomHeader {
  KCPP_PLAIN_BYTES;
  u16 signature;    ///< 0x00: ROM_SIGNATURE (or an NVIDIA variant)
  u8 reserved[22];  ///< 0x02: platform-specific
  u16 pcir_offset;  ///< 0x18: the PCIR structure, from the image's start
};
static_assert(sizeof(RomHeader) == 26);
static_assert(__builtin_offsetof(RomHeader, pcir_offset) == 0x18);

/** The PCI data structure (PCIR, or NVIDIA's NPDS) of an image. */
struct Pcir {
  KCPP_PLAIN_BYTES;
  u32 signature;           ///< 0x00: PCIR_SIGNATURE or PCIR_SIGNATURE_NPDS
  u16 vendor_id;           ///< 0x04
  u16 device_id;           ///< 0x06
  u16 device_list;         ///< 0x08
  u16 length;              ///< 0x0a: of this structure
  u8 revision;             ///< 0x0c
  u8 class_code[3];        ///< 0x0d
  u16 image_length;        ///< 0x10: in IMAGE_UNIT blocks
  u16 code_revision;       ///< 0x12
  u8 code_type;            ///< 0x14: an ImageType
  u8 indicator;            ///< 0x15: LAST_IMAGE
  u16 max_runtime_length;  ///< 0x16
};
static_assert(sizeof(Pcir) == 24);
static_assert(__builtin_offsetof(Pcir, length) == 0x0a && __builtin_offsetof(Pcir, image_length) == 0x10 &&
              __builtin_offsetof(Pcir, code_type) == 0x14 && __builtin_offsetof(Pcir, indicator) == 0x15);

/** NVIDIA's PCI data extension: when present, its length and last-image flag win. */
struct [[gnu::packed]] Npde {
  KCPP_PLAIN_BYTES;
  u32 signature;        ///< 0x00: NPDE_SIGNATURE
  u16 revision;         ///< 0x04
  u16 length;           ///< 0x06: of this structure
  u16 subimage_length;  ///< 0x08: in IMAGE_UNIT blocks
  u8 flags;             ///< 0x0a: LAST_IMAGE
};
static_assert(sizeof(Npde) == 11);
static_assert(__builtin_offsetof(Npde, subimage_length) == 0x08 && __builtin_offsetof(Npde, flags) == 0x0a);

/** The BIT (BIOS information table) header, followed by its tokens. */
struct BitHeader {
  KCPP_PLAIN_BYTES;
  u16 id;           ///< 0x00: BIT_HEADER_ID
  u8 signature[4];  ///< 0x02: "BIT\0"
  u16 bcd_version;  ///< 0x06
  u8 header_size;   ///< 0x08: where the first token is, from the header
  u8 token_size;    ///< 0x09: the stride of the tokens (at least sizeof(BitToken))
  u8 token_count;   ///< 0x0a
  u8 checksum;      ///< 0x0b
};
static_assert(sizeof(BitHeader) == 12);
static_assert(__builtin_offsetof(BitHeader, header_size) == 0x08 &&
              __builtin_offsetof(BitHeader, token_size) == 0x09 &&
              __builtin_offsetof(BitHeader, token_count) == 0x0a);

/** A BIT token: one table of the PC-AT image. */
struct BitToken {
  KCPP_PLAIN_BYTES;
  u8 id;            ///< 0x00: BIT_TOKEN_FALCON_DATA for the falcon data
  u8 data_version;  ///< 0x01
  u16 data_size;    ///< 0x02
  u16 data_offset;  ///< 0x04: in the PC-AT image
};
static_assert(sizeof(BitToken) == 6);
static_assert(__builtin_offsetof(BitToken, data_offset) == 0x04);

/** The PMU lookup table's header, followed by its entries. */
struct PmuLookupHeader {
  KCPP_PLAIN_BYTES;
  u8 version;      ///< 0x00
  u8 header_size;  ///< 0x01: where the first entry is, from the header
  u8 entry_size;   ///< 0x02: the stride of the entries (at least sizeof(PmuLookupEntry))
  u8 entry_count;  ///< 0x03
};
static_assert(sizeof(PmuLookupHeader) == 4);

/** A PMU lookup table entry: an application and where its data is. */
struct [[gnu::packed]] PmuLookupEntry {
  KCPP_PLAIN_BYTES;
  u8 application_id;  ///< 0x00: APP_ID_FWSEC_PROD for FWSEC
  u8 target_id;       ///< 0x01
  u32 data;           ///< 0x02: FWSEC: its descriptor, in the images laid end to end
};
static_assert(sizeof(PmuLookupEntry) == 6);
static_assert(__builtin_offsetof(PmuLookupEntry, data) == 0x02);

/** Why parsing failed: a sentence and the ROM offset it concerns. */
struct Diag {
  const char* what = nullptr;  ///< What is wrong (a static string), or null if nothing was recorded
  usize offset = 0;            ///< The ROM offset of the structure at fault

  /** Records the failure and returns @p e, for `return diag.fail(...)`. */
  kcpp::Error fail(kcpp::Error e, const char* why, usize at) {
    what = why;
    offset = at;
    return e;
  }
};

/** The header facts of one ROM image. */
struct ImageHeader {
  u8 code_type;  ///< An ImageType value (others are kept, and skipped by the parser)
  usize size;    ///< In bytes: the NPDE's length if there is one, else the PCIR's
  bool last;     ///< The last image of the chain
};

/**
 * Parses the headers of the image starting at @p head (its first bytes,
 * up to READ_AHEAD). @p at is the image's ROM offset, for messages.
 *
 * @code{.cpp}
 * // An image of 2 blocks: ROM header, PCIR at 0x1c, marked last.
 * kcpp::u8 img[64] = {};
 * KCPP_TRY(kcpp::bytes::write(kcpp::Span<kcpp::u8>(img), 0, nova::vbios::ROM_SIGNATURE));
 * KCPP_TRY(kcpp::bytes::write(kcpp::Span<kcpp::u8>(img), 0x18, kcpp::u16(0x1c)));
 * nova::vbios::Pcir pcir{};
 * pcir.signature = nova::vbios::PCIR_SIGNATURE;
 * pcir.length = sizeof(pcir);
 * pcir.image_length = 2;
 * pcir.code_type = kcpp::u8(nova::vbios::ImageType::FwSec);
 * pcir.indicator = nova::vbios::LAST_IMAGE;
 * KCPP_TRY(kcpp::bytes::write(kcpp::Span<kcpp::u8>(img), 0x1c, pcir));
 * nova::vbios::Diag d;
 * const auto h = KCPP_TRY(nova::vbios::parse_image_header(kcpp::Span<const kcpp::u8>(img), 0, d));
 * KCPP_ASSERT(h.code_type == kcpp::u8(nova::vbios::ImageType::FwSec) && h.last);
 * KCPP_ASSERT_EQ(h.size, 2 * nova::vbios::IMAGE_UNIT);
 * // A PCIR pointer past the bytes read is an error that says where, not a read beyond them.
 * KCPP_TRY(kcpp::bytes::write(kcpp::Span<kcpp::u8>(img), 0x18, kcpp::u16(60)));
 * KCPP_ASSERT_EQ(nova::vbios::parse_image_header(kcpp::Span<const kcpp::u8>(img), 0x800, d).error(),
 *                kcpp::code::EINVAL);
 * KCPP_ASSERT_EQ(d.offset, 0x800u + 60);
 * @endcode
 */
inline Result<ImageHeader> parse_image_header(Span<const u8> head, usize at, Diag& d) {
  auto rh = kcpp::bytes::read<RomHeader>(head, 0);
  if (rh.is_err())
    return d.fail(code::EINVAL, "ROM image header truncated", at);
  if (rh->signature != ROM_SIGNATURE && rh->signature != ROM_SIGNATURE_NV_ALT &&
      rh->signature != ROM_SIGNATURE_NV)
    return d.fail(code::EINVAL, "invalid ROM image signature", at);
  const usize pcir_at = rh->pcir_offset;
  auto pcir = kcpp::bytes::read<Pcir>(head, pcir_at);
  if (pcir.is_err())
    return d.fail(code::EINVAL, "PCIR structure outside the image header", at + pcir_at);
  if (pcir->signature != PCIR_SIGNATURE && pcir->signature != PCIR_SIGNATURE_NPDS)
    return d.fail(code::EINVAL, "invalid PCIR signature", at + pcir_at);
  if (pcir->image_length == 0)
    return d.fail(code::EINVAL, "ROM image of length 0 (PCIR)", at + pcir_at);
  ImageHeader h{pcir->code_type, usize(pcir->image_length) * IMAGE_UNIT, (pcir->indicator & LAST_IMAGE) != 0};

  // The NVIDIA extension, if present, right after the PCIR (16-byte aligned).
  const usize npde_at = (pcir_at + pcir->length + 15) & ~usize(15);
  auto npde_sig = kcpp::bytes::read<u32>(head, npde_at);
  if (npde_sig.is_ok() && *npde_sig == NPDE_SIGNATURE) {
    auto npde = kcpp::bytes::read<Npde>(head, npde_at);
    if (npde.is_err())
      return d.fail(code::EINVAL, "NPDE structure outside the image header", at + npde_at);
    if (npde->subimage_length == 0)
      return d.fail(code::EINVAL, "ROM image of length 0 (NPDE)", at + npde_at);
    h.size = usize(npde->subimage_length) * IMAGE_UNIT;
    h.last = (npde->flags & LAST_IMAGE) != 0;
  }
  if (h.code_type == u8(ImageType::Nbsi))
    h.last = true;
  return h;
}

/** One image of a ROM buffer. */
struct Image {
  u8 code_type;  ///< An ImageType value
  usize offset;  ///< In the ROM
  usize size;    ///< In bytes
};

/** The images of a ROM, read into one buffer (the ROM's first bytes, in order). */
struct Rom {
  kcpp::KVVec<u8> data;  ///< The ROM from its start to the end of the last image
  Image images[16];      ///< The images found, in ROM order
  usize count = 0;       ///< How many of images are valid

  /** The ROM's bytes. */
  [[nodiscard]] Span<const u8> bytes() const { return data.as_span(); }
};

/**
 * Reads the chain of images from @p src (anything with
 * `Result<void> read(usize offset, Span<u8> out)`, offsets from the ROM's
 * start, lengths multiples of 4): the header bytes of each image, then the
 * rest of it, until the last one.
 */
template <typename Source>
Result<void> read_rom(Source& src, Rom& rom, Diag& d) {
  // The buffer holds the ROM's first bytes; it grows by reading what comes
  // next straight into it (each byte once, nothing zeroed first).
  auto fill_to = [&](usize end) -> Result<void> {
    const usize have = rom.data.len();
    if (end <= have)
      return {};
    return rom.data.extend_with(end - have, kcpp::GFP_KERNEL,
                                [&src, have](Span<u8> out) { return src.read(have, out); });
  };
  usize off = 0;
  for (;;) {
    if (rom.count == sizeof(rom.images) / sizeof(rom.images[0]))
      return d.fail(code::EINVAL, "more than 16 ROM images without a last one", off);
    if (off >= MAX_SCAN_LEN)
      return d.fail(code::EINVAL, "no last ROM image within the scan limit", off);
    const usize ahead = READ_AHEAD < MAX_SCAN_LEN - off ? READ_AHEAD : MAX_SCAN_LEN - off;
    KCPP_TRY(fill_to(off + ahead));
    const ImageHeader h = KCPP_TRY(parse_image_header(KCPP_TRY(rom.bytes().subspan(off, ahead)), off, d));
    if (h.size > MAX_SCAN_LEN - off)
      return d.fail(code::EINVAL, "ROM image extends beyond the scan limit", off);
    KCPP_TRY(fill_to(off + h.size));
    rom.images[rom.count++] = {h.code_type, off, h.size};
    if (h.last) {
      rom.data.truncate(off + h.size);  // read-ahead past the last image
      return {};
    }
    off = (off + h.size + IMAGE_UNIT - 1) & ~(IMAGE_UNIT - 1);
  }
}

/** A source reading a ROM from a byte buffer (zeros past its end, like an empty window). */
struct SpanSource {
  Span<const u8> rom;  ///< The ROM's bytes
  /** Fills @p out with the bytes at @p off (zeros beyond the buffer). */
  Result<void> read(usize off, Span<u8> out) const {
    const usize have = off < rom.size() ? rom.size() - off : 0;
    const usize n = have < out.size() ? have : out.size();
    if (n)
      __builtin_memcpy(out.data(), rom.data() + off, n);
    if (out.size() > n)
      __builtin_memset(out.data() + n, 0, out.size() - n);
    return {};
  }
};

/** A source reading the ROM through BAR0's PROM window, 32 bits at a time. */
template <typename Io>
struct BarSource {
  const Io& bar;  ///< BAR0
  /** Fills @p out (a multiple of 4 bytes) from the PROM window at @p off; ERANGE past BAR0. */
  Result<void> read(usize off, Span<u8> out) const {
    if (out.size() % 4)
      return code::EINVAL;
    for (usize i = 0; i < out.size(); i += 4) {
      const u32 v = KCPP_TRY(bar.template try_read<u32>(ROM_OFFSET + off + i));
      KCPP_TRY(kcpp::bytes::write(out, i, v));
    }
    return {};
  }
};

/**
 * The FWSEC descriptor V2 (Turing, GA100), NVIDIA's FalconUCodeDescV2: the
 * ucode follows it, IMEM (a non-secure part, then the secure one) and DMEM.
 */
struct FwsecDescV2 {
  KCPP_PLAIN_BYTES;
  u32 hdr;                 ///< 0x00: bits 15:8 the version (2), 31:16 the bytes up to the ucode
  u32 stored_size;         ///< 0x04
  u32 uncompressed_size;   ///< 0x08
  u32 virtual_entry;       ///< 0x0c: the boot vector
  u32 interface_offset;    ///< 0x10: the application interface table, in DMEM
  u32 imem_phys_base;      ///< 0x14
  u32 imem_load_size;      ///< 0x18
  u32 imem_virt_base;      ///< 0x1c
  u32 imem_sec_base;       ///< 0x20: the secure segment, in the IMEM's virtual addresses
  u32 imem_sec_size;       ///< 0x24
  u32 dmem_offset;         ///< 0x28: DMEM data, in the ucode
  u32 dmem_phys_base;      ///< 0x2c
  u32 dmem_load_size;      ///< 0x30
  u32 alt_imem_load_size;  ///< 0x34
  u32 alt_dmem_load_size;  ///< 0x38
};
static_assert(sizeof(FwsecDescV2) == 60);
static_assert(__builtin_offsetof(FwsecDescV2, virtual_entry) == 0x0c &&
              __builtin_offsetof(FwsecDescV2, interface_offset) == 0x10 &&
              __builtin_offsetof(FwsecDescV2, imem_sec_base) == 0x20 &&
              __builtin_offsetof(FwsecDescV2, dmem_offset) == 0x28 &&
              __builtin_offsetof(FwsecDescV2, dmem_load_size) == 0x30);

/**
 * The FWSEC descriptor V3 (GA102 and later), NVIDIA's FalconUCodeDescV3:
 * the signatures follow it, then the ucode, IMEM (all secure) then DMEM.
 */
struct FwsecDescV3 {
  KCPP_PLAIN_BYTES;
  u32 hdr;                 ///< 0x00: bits 15:8 the version (3), 31:16 the bytes up to the ucode
  u32 stored_size;         ///< 0x04
  u32 pkc_data_offset;     ///< 0x08: the signature's place in DMEM
  u32 interface_offset;    ///< 0x0c: the application interface table, in DMEM
  u32 imem_phys_base;      ///< 0x10
  u32 imem_load_size;      ///< 0x14
  u32 imem_virt_base;      ///< 0x18
  u32 dmem_phys_base;      ///< 0x1c
  u32 dmem_load_size;      ///< 0x20
  u16 engine_id_mask;      ///< 0x24
  u8 ucode_id;             ///< 0x26
  u8 signature_count;      ///< 0x27: RSA-3K signatures after the descriptor
  u16 signature_versions;  ///< 0x28: one bit per fuse version that has a signature
  u16 reserved;            ///< 0x2a
};
static_assert(sizeof(FwsecDescV3) == 44);
static_assert(__builtin_offsetof(FwsecDescV3, pkc_data_offset) == 0x08 &&
              __builtin_offsetof(FwsecDescV3, dmem_load_size) == 0x20 &&
              __builtin_offsetof(FwsecDescV3, engine_id_mask) == 0x24 &&
              __builtin_offsetof(FwsecDescV3, signature_versions) == 0x28);

/**
 * The FWSEC descriptor: a V2 or a V3 one, tagged by its version. What both
 * have is a method; what one has is reached through `visit()` (overloads
 * per version) or `v2()`/`v3()`.
 *
 * @par Invariants
 * `version_` is 2 or 3 and names the live member of `raw_` (`v2` or `v3`):
 * each constructor sets both, nothing changes them afterwards, and every
 * read of `raw_` is guarded by `version_`.
 *
 * @code{.cpp}
 * nova::vbios::FwsecDescV3 raw{};
 * raw.hdr = (kcpp::u32(sizeof(raw)) << 16) | (3 << 8);
 * raw.imem_load_size = 0x800;
 * raw.dmem_load_size = 0x400;
 * raw.signature_count = 2;
 * const nova::vbios::FwsecDesc d(raw);
 * KCPP_ASSERT_EQ(d.version(), 3u);
 * KCPP_ASSERT_EQ(d.header_size(), 44u);
 * KCPP_ASSERT_EQ(d.dmem_start(), 0x800u);  // V3: DMEM data follows IMEM
 * KCPP_ASSERT_EQ(d.signature_count(), 2u);
 * KCPP_ASSERT(d.v2().is_none() && d.v3().is_some());
 * struct Which {
 *   int operator()(const nova::vbios::FwsecDescV2&) const { return 2; }
 *   int operator()(const nova::vbios::FwsecDescV3&) const { return 3; }
 * };
 * KCPP_ASSERT_EQ(d.visit(Which{}), 3);
 * // A V2 descriptor carries no signatures and keeps DMEM where it says.
 * nova::vbios::FwsecDescV2 old{};
 * old.dmem_offset = 0x600;
 * const nova::vbios::FwsecDesc d2(old);
 * KCPP_ASSERT(d2.signature_count() == 0 && d2.dmem_start() == 0x600 && d2.visit(Which{}) == 2);
 * @endcode
 */
class FwsecDesc {
 public:
  /** A V2 descriptor. */
  explicit FwsecDesc(const FwsecDescV2& d) : version_(2), raw_{.v2 = d} {}
  /** A V3 descriptor. */
  explicit FwsecDesc(const FwsecDescV3& d) : version_(3), raw_{.v3 = d} {}

  /** 2 or 3. */
  [[nodiscard]] u32 version() const { return version_; }
  /** @p f applied to the V2 or the V3 descriptor. */
  template <typename F>
  decltype(auto) visit(F&& f) const {
    return version_ == 2 ? f(raw_.v2) : f(raw_.v3);
  }
  /** The V2 descriptor, if it is one. */
  [[nodiscard]] kcpp::Option<FwsecDescV2> v2() const {
    return version_ == 2 ? kcpp::Option(raw_.v2) : kcpp::Option<FwsecDescV2>();
  }
  /** The V3 descriptor, if it is one. */
  [[nodiscard]] kcpp::Option<FwsecDescV3> v3() const {
    return version_ == 3 ? kcpp::Option(raw_.v3) : kcpp::Option<FwsecDescV3>();
  }

  /** The bytes from the descriptor to the ucode (V3: the signatures between). */
  [[nodiscard]] u32 header_size() const {
    return visit([](const auto& d) { return d.hdr >> 16; });
  }
  /** Where the application interface table is, from the start of DMEM data. */
  [[nodiscard]] u32 interface_offset() const {
    return visit([](const auto& d) { return d.interface_offset; });
  }
  /** The IMEM part of the ucode, in bytes. */
  [[nodiscard]] u32 imem_load_size() const {
    return visit([](const auto& d) { return d.imem_load_size; });
  }
  /** The DMEM part of the ucode, in bytes. */
  [[nodiscard]] u32 dmem_load_size() const {
    return visit([](const auto& d) { return d.dmem_load_size; });
  }
  /** Where DMEM data starts in the ucode (the appif table and DMEMMAPPER are relative to it). */
  [[nodiscard]] u32 dmem_start() const {
    return version_ == 2 ? raw_.v2.dmem_offset : raw_.v3.imem_load_size;
  }
  /** The signatures after a V3 descriptor (V2 carries none). */
  [[nodiscard]] u32 signature_count() const { return version_ == 3 ? raw_.v3.signature_count : 0; }

 private:
  u32 version_;
  // Which member is live is version_.
  union Layouts {
    FwsecDescV2 v2;
    FwsecDescV3 v3;
  };
  Layouts raw_;
};

/** The version in a descriptor's first word (bits 15:8). */
constexpr u32 desc_version(u32 hdr) {
  return (hdr >> 8) & 0xff;
}

/// @cond KCPP_INTERNAL
namespace detail {
// Reads a descriptor of layout D at @p at of @p img, checking its size
// field against the structure; @p rom_at is its ROM offset, for messages.
template <typename D>
Result<D> read_desc(Span<const u8> img, usize at, usize rom_at, Diag& d) {
  auto desc = kcpp::bytes::read<D>(img, at);
  if (desc.is_err())
    return d.fail(code::ERANGE, "FWSEC descriptor runs past its image", rom_at);
  if ((desc->hdr >> 16) < sizeof(D))
    return d.fail(code::EINVAL, "FWSEC descriptor size smaller than its structure", rom_at);
  return *desc;
}
}  // namespace detail
/// @endcond

/** Parses the descriptor at @p at of @p img. */
inline Result<FwsecDesc> parse_desc(Span<const u8> img, usize at, usize rom_at, Diag& d) {
  auto hdr = kcpp::bytes::read<u32>(img, at);
  if (hdr.is_err())
    return d.fail(code::ERANGE, "FWSEC descriptor outside the second FWSEC image", rom_at);
  switch (desc_version(*hdr)) {
    case 2: {
      const FwsecDescV2 v2 = KCPP_TRY(detail::read_desc<FwsecDescV2>(img, at, rom_at, d));
      if (v2.imem_sec_size > v2.imem_load_size || v2.imem_sec_base < v2.imem_virt_base)
        return d.fail(code::EINVAL, "FWSEC V2 secure IMEM segment outside its IMEM", rom_at);
      return FwsecDesc(v2);
    }
    case 3:
      return FwsecDesc(KCPP_TRY(detail::read_desc<FwsecDescV3>(img, at, rom_at, d)));
    default:
      return d.fail(code::EINVAL, "invalid FWSEC descriptor version (neither 2 nor 3)", rom_at);
  }
}

/** What nova-core takes from the VBIOS: FWSEC's descriptor, ucode and signatures. */
struct Fwsec {
  FwsecDesc desc;             ///< The descriptor, V2 or V3
  kcpp::KVec<u8> ucode;       ///< IMEM code then DMEM data
  kcpp::KVec<u8> signatures;  ///< signature_count * SIGNATURE_SIZE bytes (V3)

  /** Signature @p i; ERANGE past the last. */
  [[nodiscard]] Result<Span<const u8>> signature(usize i) const {
    return signatures.as_span().subspan(i * SIGNATURE_SIZE, SIGNATURE_SIZE);
  }
};

/// @cond KCPP_INTERNAL
namespace detail {
// The first entry of a table of @p count entries @p stride bytes apart
// (at least sizeof(Entry)), starting at @p first in @p img, whose @p key
// field is @p id. ENOENT if there is none; ERANGE if an entry before it runs
// past @p img, with @p at set to that entry's offset.
template <typename Entry>
Result<Entry> table_entry(Span<const u8> img, usize first, usize stride, usize count, u8 Entry::* key, u8 id,
                          usize& at) {
  for (usize i = 0; i < count; i++) {
    at = first + i * stride;
    const Entry e = KCPP_TRY(kcpp::bytes::read<Entry>(img, at));
    if (e.*key == id)
      return e;
  }
  return code::ENOENT;
}

// The first image of @p type after index @p from.
inline const Image* find_image(const Rom& rom, ImageType type, usize from = 0) {
  for (usize i = from; i < rom.count; i++)
    if (rom.images[i].code_type == u8(type))
      return &rom.images[i];
  return nullptr;
}
}  // namespace detail
/// @endcond

/** Finds and extracts FWSEC from the images of @p rom. */
inline Result<Fwsec> parse(const Rom& rom, Diag& d) {
  using detail::find_image;
  const Image* pciat = find_image(rom, ImageType::PciAt);
  const Image* fwsec1 = find_image(rom, ImageType::FwSec);
  const Image* fwsec2 = fwsec1 ? find_image(rom, ImageType::FwSec, usize(fwsec1 - rom.images) + 1) : nullptr;
  if (!pciat || !fwsec1 || !fwsec2)
    return d.fail(code::EINVAL, "missing required images for falcon data (PC-AT and two FWSEC)", 0);
  const Span<const u8> at_img = KCPP_TRY(rom.bytes().subspan(pciat->offset, pciat->size));
  const Span<const u8> fw1 = KCPP_TRY(rom.bytes().subspan(fwsec1->offset, fwsec1->size));
  const Span<const u8> fw2 = KCPP_TRY(rom.bytes().subspan(fwsec2->offset, fwsec2->size));

  // The BIT table and its falcon-data token.
  static constexpr u8 bit_pattern[] = {0xff, 0xb8, 'B', 'I', 'T', 0x00};
  auto bit_at = kcpp::bytes::find(at_img, Span<const u8>(bit_pattern));
  if (bit_at.is_err())
    return d.fail(code::ENOENT, "no BIT table in the PC-AT image", pciat->offset);
  auto bit = kcpp::bytes::read<BitHeader>(at_img, *bit_at);
  if (bit.is_err())
    return d.fail(code::ERANGE, "BIT header runs past the PC-AT image", pciat->offset + *bit_at);
  if (bit->token_size < sizeof(BitToken))
    return d.fail(code::EINVAL, "BIT token size below 6 bytes", pciat->offset + *bit_at);
  usize t = 0;
  auto tok = detail::table_entry(at_img, *bit_at + bit->header_size, bit->token_size, bit->token_count,
                                 &BitToken::id, BIT_TOKEN_FALCON_DATA, t);
  if (tok.is_err())
    return tok.error() == code::ENOENT
               ? d.fail(code::ENOENT, "no falcon data token in the BIT table", pciat->offset + *bit_at)
               : d.fail(code::ERANGE, "BIT token runs past the PC-AT image", pciat->offset + t);
  const usize falcon_data_at = tok->data_offset;

  // The falcon data pointer: an offset into PC-AT, FWSEC1, FWSEC2 laid end to end.
  auto ptr = kcpp::bytes::read<u32>(at_img, falcon_data_at);
  if (ptr.is_err())
    return d.fail(code::ERANGE, "falcon data pointer outside the PC-AT image",
                  pciat->offset + falcon_data_at);
  if (*ptr < pciat->size)
    return d.fail(code::EINVAL, "falcon data pointer inside the PC-AT image", pciat->offset + falcon_data_at);
  usize table_off = *ptr - pciat->size;
  Span<const u8> table_img = fw1;
  usize table_rom = fwsec1->offset;
  if (table_off >= fw1.size()) {
    table_off -= fw1.size();
    table_img = fw2;
    table_rom = fwsec2->offset;
  }

  // The PMU lookup table and its FWSEC_PROD entry.
  auto th = kcpp::bytes::read<PmuLookupHeader>(table_img, table_off);
  if (th.is_err())
    return d.fail(code::ERANGE, "PMU lookup table outside the FWSEC images", table_rom + table_off);
  if (th->entry_size < sizeof(PmuLookupEntry))
    return d.fail(code::EINVAL, "PMU lookup table entries below 6 bytes", table_rom + table_off);
  usize e = 0;
  auto entry = detail::table_entry(table_img, table_off + th->header_size, th->entry_size, th->entry_count,
                                   &PmuLookupEntry::application_id, APP_ID_FWSEC_PROD, e);
  if (entry.is_err())
    return entry.error() == code::ENOENT
               ? d.fail(code::ENOENT, "no FWSEC_PROD entry in the PMU lookup table", table_rom + table_off)
               : d.fail(code::ERANGE, "PMU lookup table entry runs past its image", table_rom + e);
  const u32 ucode_ptr = entry->data;
  const u64 skip = u64(pciat->size) + fwsec1->size;
  if (ucode_ptr < skip || ucode_ptr - skip >= fw2.size())
    return d.fail(code::EINVAL, "FWSEC ucode offset not in the second FWSEC image", table_rom + table_off);
  const usize desc_at = ucode_ptr - skip;

  Fwsec out{KCPP_TRY(parse_desc(fw2, desc_at, fwsec2->offset + desc_at, d)), {}, {}};
  const FwsecDesc& desc = out.desc;
  const u64 ucode_len = u64(desc.imem_load_size()) + desc.dmem_load_size();
  // V2 places DMEM itself (V3's follows IMEM, inside the ucode by construction).
  if (desc.version() == 2 && desc.dmem_start() + u64(desc.dmem_load_size()) > ucode_len)
    return d.fail(code::ERANGE, "FWSEC V2 DMEM outside its ucode", fwsec2->offset + desc_at);
  auto ucode = fw2.subspan(desc_at + desc.header_size(), ucode_len);
  if (ucode.is_err())
    return d.fail(code::ERANGE, "FWSEC ucode runs past its image", fwsec2->offset + desc_at);
  KCPP_TRY(out.ucode.extend(*ucode, kcpp::GFP_KERNEL));
  if (desc.signature_count()) {
    auto sigs = fw2.subspan(desc_at + sizeof(FwsecDescV3), usize(desc.signature_count()) * SIGNATURE_SIZE);
    if (sigs.is_err())
      return d.fail(code::ERANGE, "FWSEC signatures run past their image", fwsec2->offset + desc_at);
    KCPP_TRY(out.signatures.extend(*sigs, kcpp::GFP_KERNEL));
  }
  return out;
}

/** Parses a whole ROM held in @p rom_bytes (reads it as the PROM window would). */
inline Result<Fwsec> parse_bytes(Span<const u8> rom_bytes, Diag& d) {
  SpanSource src{rom_bytes};
  Rom rom;
  KCPP_TRY(read_rom(src, rom, d));
  return parse(rom, d);
}

/**
 * Reads the VBIOS through BAR0's PROM window and extracts FWSEC, logging
 * what is wrong with a malformed ROM on @p dev.
 */
template <typename Io>
Result<Fwsec> read(const Io& bar, const kcpp::Device<>& dev) {
  BarSource<Io> src{bar};
  Diag d;
  Rom rom;
  auto r = read_rom(src, rom, d);
  auto fwsec = r.is_ok() ? parse(rom, d) : Result<Fwsec>(r.error());
  if (fwsec.is_err()) {
    if (d.what)
      KCPP_DEV_ERR(dev, "VBIOS: %s (ROM offset %#zx)\n", d.what, d.offset);
    else
      KCPP_DEV_ERR(dev, "VBIOS: reading the ROM failed (%d)\n", fwsec.error().to_errno());
    return fwsec.error();
  }
  KCPP_DEV_DBG(dev, "VBIOS: %zu images, FWSEC descriptor V%u, %zu bytes of ucode\n", rom.count,
               fwsec->desc.version(), fwsec->ucode.len());
  return fwsec;
}

}  // namespace nova::vbios

#endif  // NOVA_CORE_VBIOS_H

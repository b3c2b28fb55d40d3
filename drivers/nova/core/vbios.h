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

/** Why parsing failed: a sentence and the ROM offset it concerns. */
struct Diag {
  const char* what = nullptr;
  usize offset = 0;

  /** Records the failure and returns @p e, for `return diag.fail(...)`. */
  kcpp::Error fail(kcpp::Error e, const char* why, usize at) {
    what = why;
    offset = at;
    return e;
  }
};

/** The header facts of one ROM image. */
struct ImageHeader {
  u8 code_type;
  usize size;  // bytes
  bool last;
};

/**
 * Parses the headers of the image starting at @p head (its first bytes,
 * up to READ_AHEAD). @p at is the image's ROM offset, for messages.
 */
inline Result<ImageHeader> parse_image_header(Span<const u8> head, usize at, Diag& d) {
  if (head.size() < 26)
    return d.fail(code::EINVAL, "ROM image header truncated", at);
  const u16 sig = head[0] | u16(head[1] << 8);
  if (sig != 0xaa55 && sig != 0xbb77 && sig != 0x4e56)
    return d.fail(code::EINVAL, "invalid ROM image signature", at);
  const u16 pcir =
      kcpp::bytes::read<u16>(head, 0x18).expect("the header is 26 bytes or more (checked above)");
  auto pcir_sig = kcpp::bytes::read<u32>(head, pcir);
  auto pcir_bytes = head.subspan(pcir, 24);
  if (pcir_sig.is_err() || pcir_bytes.is_err())
    return d.fail(code::EINVAL, "PCIR structure outside the image header", at + pcir);
  if (*pcir_sig != 0x52494350 /* "PCIR" */ && *pcir_sig != 0x5344504e /* "NPDS" */)
    return d.fail(code::EINVAL, "invalid PCIR signature", at + pcir);
  const Span<const u8> p = *pcir_bytes;
  const u16 struct_len = kcpp::bytes::read<u16>(p, 0x0a).expect("the PCIR span is 24 bytes");
  const u16 image_len = kcpp::bytes::read<u16>(p, 0x10).expect("the PCIR span is 24 bytes");
  ImageHeader h{p[0x14], usize(image_len) * IMAGE_UNIT, (p[0x15] & 0x80) != 0};
  if (image_len == 0)
    return d.fail(code::EINVAL, "ROM image of length 0 (PCIR)", at + pcir);

  // The NVIDIA extension, if present, right after the PCIR (16-byte aligned).
  const usize npde = (usize(pcir) + struct_len + 15) & ~usize(15);
  auto npde_sig = kcpp::bytes::read<u32>(head, npde);
  if (npde_sig.is_ok() && *npde_sig == 0x4544504e /* "NPDE" */) {
    auto n = head.subspan(npde, 11);
    if (n.is_err())
      return d.fail(code::EINVAL, "NPDE structure outside the image header", at + npde);
    const u16 subimage_len = kcpp::bytes::read<u16>(*n, 8).expect("the NPDE span is 11 bytes");
    if (subimage_len == 0)
      return d.fail(code::EINVAL, "ROM image of length 0 (NPDE)", at + npde);
    h.size = usize(subimage_len) * IMAGE_UNIT;
    h.last = ((*n)[10] & 0x80) != 0;
  }
  if (h.code_type == u8(ImageType::Nbsi))
    h.last = true;
  return h;
}

/** One image of a ROM buffer. */
struct Image {
  u8 code_type;
  usize offset;  // in the ROM
  usize size;
};

/** The images of a ROM, read into one buffer (the ROM's first bytes, in order). */
struct Rom {
  kcpp::KVVec<u8> data;
  Image images[16];
  usize count = 0;

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
  Span<const u8> rom;
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
  const Io& bar;
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

/** The FWSEC descriptor, V2 (Turing, GA100) or V3 (GA102 and later). */
struct FwsecDesc {
  u32 version;      // 2 or 3
  u32 header_size;  // bytes from the descriptor to the ucode
  u32 stored_size;
  u32 interface_offset;
  u32 imem_phys_base;
  u32 imem_load_size;
  u32 imem_virt_base;
  u32 dmem_phys_base;
  u32 dmem_load_size;
  // V2 only
  u32 virtual_entry;
  u32 imem_sec_base;
  u32 imem_sec_size;
  u32 dmem_offset;
  // V3 only
  u32 pkc_data_offset;
  u16 engine_id_mask;
  u8 ucode_id;
  u8 signature_count;
  u16 signature_versions;

  static constexpr usize V2_SIZE = 60;
  static constexpr usize V3_SIZE = 44;

  /** Where DMEM data starts in the ucode (the appif table and DMEMMAPPER are relative to it). */
  [[nodiscard]] u32 dmem_start() const { return version == 2 ? dmem_offset : imem_load_size; }
};

/** Parses the descriptor at @p at of @p img. */
inline Result<FwsecDesc> parse_desc(Span<const u8> img, usize at, usize rom_at, Diag& d) {
  auto hdr = kcpp::bytes::read<u32>(img, at);
  if (hdr.is_err())
    return d.fail(code::ERANGE, "FWSEC descriptor outside the second FWSEC image", rom_at);
  FwsecDesc f{};
  f.version = (*hdr >> 8) & 0xff;
  f.header_size = *hdr >> 16;
  const usize need = f.version == 2 ? FwsecDesc::V2_SIZE : FwsecDesc::V3_SIZE;
  if (f.version != 2 && f.version != 3)
    return d.fail(code::EINVAL, "invalid FWSEC descriptor version (neither 2 nor 3)", rom_at);
  auto s = img.subspan(at, need);
  if (s.is_err())
    return d.fail(code::ERANGE, "FWSEC descriptor runs past its image", rom_at);
  if (f.header_size < need)
    return d.fail(code::EINVAL, "FWSEC descriptor size smaller than its structure", rom_at);
  // Every word read below lies in the `need` bytes of *s (V2_SIZE, V3_SIZE).
  auto w = [&](usize i) { return kcpp::bytes::read<u32>(*s, i * 4).expect("within the descriptor's size"); };
  f.stored_size = w(1);
  if (f.version == 2) {
    f.virtual_entry = w(3);
    f.interface_offset = w(4);
    f.imem_phys_base = w(5);
    f.imem_load_size = w(6);
    f.imem_virt_base = w(7);
    f.imem_sec_base = w(8);
    f.imem_sec_size = w(9);
    f.dmem_offset = w(10);
    f.dmem_phys_base = w(11);
    f.dmem_load_size = w(12);
    if (f.imem_sec_size > f.imem_load_size || f.imem_sec_base < f.imem_virt_base)
      return d.fail(code::EINVAL, "FWSEC V2 secure IMEM segment outside its IMEM", rom_at);
  } else {
    f.pkc_data_offset = w(2);
    f.interface_offset = w(3);
    f.imem_phys_base = w(4);
    f.imem_load_size = w(5);
    f.imem_virt_base = w(6);
    f.dmem_phys_base = w(7);
    f.dmem_load_size = w(8);
    f.engine_id_mask = kcpp::bytes::read<u16>(*s, 36).expect("within V3_SIZE");
    f.ucode_id = (*s)[38];
    f.signature_count = (*s)[39];
    f.signature_versions = kcpp::bytes::read<u16>(*s, 40).expect("within V3_SIZE");
  }
  return f;
}

/** What nova-core takes from the VBIOS: FWSEC's descriptor, ucode and signatures. */
struct Fwsec {
  FwsecDesc desc;
  kcpp::KVec<u8> ucode;       // IMEM code then DMEM data
  kcpp::KVec<u8> signatures;  // signature_count * SIGNATURE_SIZE bytes (V3)

  [[nodiscard]] Result<Span<const u8>> signature(usize i) const {
    return signatures.as_span().subspan(i * SIGNATURE_SIZE, SIGNATURE_SIZE);
  }
};

/// @cond KCPP_INTERNAL
namespace detail {
// The first entry whose first byte is @p id of a table of @p count entries
// of @p size bytes (at least 6) starting at @p first in @p img: its first 6
// bytes. ENOENT if there is none; ERANGE if an entry before it runs past
// @p img, with @p at set to that entry's offset.
inline Result<Span<const u8>> table_entry(Span<const u8> img, usize first, usize size, usize count, u8 id,
                                          usize& at) {
  for (usize i = 0; i < count; i++) {
    at = first + i * size;
    const Span<const u8> e = KCPP_TRY(img.subspan(at, 6));
    if (e[0] == id)
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
  auto bit = kcpp::bytes::find(at_img, Span<const u8>(bit_pattern));
  if (bit.is_err())
    return d.fail(code::ENOENT, "no BIT table in the PC-AT image", pciat->offset);
  auto bit_hdr = at_img.subspan(*bit, 12);
  if (bit_hdr.is_err())
    return d.fail(code::ERANGE, "BIT header runs past the PC-AT image", pciat->offset + *bit);
  const u8 header_size = (*bit_hdr)[8];
  const u8 token_size = (*bit_hdr)[9];
  const u8 token_entries = (*bit_hdr)[10];
  if (token_size < 6)
    return d.fail(code::EINVAL, "BIT token size below 6 bytes", pciat->offset + *bit);
  usize t = 0;
  auto tok =
      detail::table_entry(at_img, *bit + header_size, token_size, token_entries, BIT_TOKEN_FALCON_DATA, t);
  if (tok.is_err())
    return tok.error() == code::ENOENT
               ? d.fail(code::ENOENT, "no falcon data token in the BIT table", pciat->offset + *bit)
               : d.fail(code::ERANGE, "BIT token runs past the PC-AT image", pciat->offset + t);
  const u16 falcon_data_at = kcpp::bytes::read<u16>(*tok, 4).expect("table_entry() gives 6 bytes");

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
  auto th = table_img.subspan(table_off, 4);
  if (th.is_err())
    return d.fail(code::ERANGE, "PMU lookup table outside the FWSEC images", table_rom + table_off);
  const u8 t_header_len = (*th)[1];
  const u8 t_entry_len = (*th)[2];
  const u8 t_entry_count = (*th)[3];
  if (t_entry_len < 6)
    return d.fail(code::EINVAL, "PMU lookup table entries below 6 bytes", table_rom + table_off);
  usize e = 0;
  auto entry = detail::table_entry(table_img, table_off + t_header_len, t_entry_len, t_entry_count,
                                   APP_ID_FWSEC_PROD, e);
  if (entry.is_err())
    return entry.error() == code::ENOENT
               ? d.fail(code::ENOENT, "no FWSEC_PROD entry in the PMU lookup table", table_rom + table_off)
               : d.fail(code::ERANGE, "PMU lookup table entry runs past its image", table_rom + e);
  const u32 ucode_ptr = kcpp::bytes::read<u32>(*entry, 2).expect("table_entry() gives 6 bytes");
  const u64 skip = u64(pciat->size) + fwsec1->size;
  if (ucode_ptr < skip || ucode_ptr - skip >= fw2.size())
    return d.fail(code::EINVAL, "FWSEC ucode offset not in the second FWSEC image", table_rom + table_off);
  const usize desc_at = ucode_ptr - skip;

  Fwsec out{KCPP_TRY(parse_desc(fw2, desc_at, fwsec2->offset + desc_at, d)), {}, {}};
  const FwsecDesc& desc = out.desc;
  const u64 ucode_len = u64(desc.imem_load_size) + desc.dmem_load_size;
  if (desc.version == 2 && (u64(desc.dmem_offset) + desc.dmem_load_size > ucode_len))
    return d.fail(code::ERANGE, "FWSEC V2 DMEM outside its ucode", fwsec2->offset + desc_at);
  auto ucode = fw2.subspan(desc_at + desc.header_size, ucode_len);
  if (ucode.is_err())
    return d.fail(code::ERANGE, "FWSEC ucode runs past its image", fwsec2->offset + desc_at);
  KCPP_TRY(out.ucode.extend(*ucode, kcpp::GFP_KERNEL));
  if (desc.version == 3 && desc.signature_count) {
    auto sigs = fw2.subspan(desc_at + FwsecDesc::V3_SIZE, usize(desc.signature_count) * SIGNATURE_SIZE);
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
               fwsec->desc.version, fwsec->ucode.len());
  return fwsec;
}

}  // namespace nova::vbios

#endif  // NOVA_CORE_VBIOS_H

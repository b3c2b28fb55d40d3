/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VBIOS image synthesizer for the simulated GPU: the ROM a chip of each
 * supported family carries, in the real layout, small.
 *
 *   PC-AT image (0x800)   ROM header, PCIR, NPDE, BIT table with a falcon
 *                         data token -> pointer P
 *   EFI image (0x400)     (skipped by the VBIOS's pointer arithmetic)
 *   FWSEC image 1 (0x200)
 *   FWSEC image 2 (last)  PMU lookup table at P - len(PC-AT) - len(FWSEC1),
 *                         with a debug and a FWSEC_PROD entry; the
 *                         descriptor (V2 for Turing/GA100, V3 from GA102 on),
 *                         two signatures (V3), the ucode: IMEM code then
 *                         DMEM with the application interface table and a
 *                         DMEMMAPPER whose command buffer FWSEC-FRTS reads.
 *
 * What the simulated FWSEC checks when it "runs" (sim/gpu.h) is recorded in
 * `Expect`: the IMEM code, the signature the fuses select.
 */
#ifndef NOVA_SIM_VBIOS_H
#define NOVA_SIM_VBIOS_H

#include <kcpp/alloc/kvec.h>
#include <kcpp/core/bytes.h>

namespace nova::sim {

using kcpp::u16;
using kcpp::u32;
using kcpp::u8;
using kcpp::usize;

/** Where things are in a synthesized VBIOS, and what its FWSEC expects. */
struct VbiosLayout {
  static constexpr usize kPciAt = 0x800, kEfi = 0x400, kFwsec1 = 0x200;
  static constexpr usize kPcir = 0x40, kBit = 0x100, kFalconDataPtrAt = 0x1f0;
  static constexpr usize kPmuTableIn2 = 0x40 + 0x40;  // after PCIR and NPDE
  static constexpr usize kDescIn2 = 0x100;
  static constexpr u32 kImemSize = 0x800, kDmemSize = 0x600;
  static constexpr u32 kInterfaceOffset = 0x0, kMapperAt = 0x100, kCmdInAt = 0x400;
  static constexpr u32 kPkcDataOffset = 0x200;  // V3: where the signature goes in DMEM
  static constexpr u8 kUcodeId = 5;
  static constexpr u16 kEngineGsp = 0x400;
  static constexpr u16 kSignatureVersions = 0x0006;  // versions 1 and 2
  static constexpr u8 kSignatureFill = 0xc0;         // signature k is all 0xc0 + k
  /** IMEM code byte @p i of the synthesized FWSEC. */
  static constexpr u8 imem_byte(usize i) { return u8(i * 5 + 0x11); }
};

/// @cond KCPP_INTERNAL
namespace detail {
inline kcpp::Result<void> put16(kcpp::Span<u8> s, usize at, u16 v) {
  return kcpp::bytes::write(s, at, v);
}
inline kcpp::Result<void> put32(kcpp::Span<u8> s, usize at, u32 v) {
  return kcpp::bytes::write(s, at, v);
}
inline kcpp::Result<void> image_headers(kcpp::Span<u8> img, u8 code_type, bool last) {
  using L = VbiosLayout;
  const u16 units = u16(img.size() / 512);
  KCPP_TRY(put16(img, 0, 0xaa55));
  KCPP_TRY(put16(img, 0x18, L::kPcir));
  // SAFETY: the literal "PCIR" is a static array of 5 chars, of which the span views the first 4;
  // u8 (unsigned char) may alias char.
  KCPP_TRY(kcpp::bytes::copy(img, L::kPcir,
                             kcpp::Span<const u8>::unsafe_from_raw(reinterpret_cast<const u8*>("PCIR"), 4)));
  KCPP_TRY(put16(img, L::kPcir + 4, 0x10de));
  KCPP_TRY(put16(img, L::kPcir + 0x0a, 24));     // struct_len
  KCPP_TRY(put16(img, L::kPcir + 0x10, units));  // image_len
  img[L::kPcir + 0x14] = code_type;
  img[L::kPcir + 0x15] = last ? 0x80 : 0;
  const usize npde = L::kPcir + 0x20;  // align16(0x40 + 24)
  // SAFETY: the literal "NPDE" is a static array of 5 chars, of which the span views the first 4;
  // u8 (unsigned char) may alias char.
  KCPP_TRY(kcpp::bytes::copy(img, npde,
                             kcpp::Span<const u8>::unsafe_from_raw(reinterpret_cast<const u8*>("NPDE"), 4)));
  KCPP_TRY(put16(img, npde + 4, 0x0100));
  KCPP_TRY(put16(img, npde + 6, 11));
  KCPP_TRY(put16(img, npde + 8, units));
  img[npde + 10] = last ? 0x80 : 0;
  return {};
}
}  // namespace detail
/// @endcond

/** Appends the VBIOS of a chip with a V@p version FWSEC descriptor to @p rom. */
inline kcpp::Result<void> synthesize_vbios(kcpp::KVVec<u8>& rom, u32 version) {
  using L = VbiosLayout;
  using detail::put16;
  using detail::put32;
  const usize desc_size = version == 2 ? 60 : 44 + 2 * 384;
  const usize fw2_size = (L::kDescIn2 + desc_size + L::kImemSize + L::kDmemSize + 511) & ~usize(511);
  const usize total = L::kPciAt + L::kEfi + L::kFwsec1 + fw2_size;
  KCPP_TRY(rom.resize(total, 0, kcpp::GFP_KERNEL));
  kcpp::Span<u8> all = rom.as_span();
  kcpp::Span<u8> pciat = KCPP_TRY(all.subspan(0, L::kPciAt));
  kcpp::Span<u8> efi = KCPP_TRY(all.subspan(L::kPciAt, L::kEfi));
  kcpp::Span<u8> fw1 = KCPP_TRY(all.subspan(L::kPciAt + L::kEfi, L::kFwsec1));
  kcpp::Span<u8> fw2 = KCPP_TRY(all.subspan(L::kPciAt + L::kEfi + L::kFwsec1, fw2_size));
  KCPP_TRY(detail::image_headers(pciat, 0x00, false));
  KCPP_TRY(detail::image_headers(efi, 0x03, false));
  KCPP_TRY(detail::image_headers(fw1, 0xe0, false));
  KCPP_TRY(detail::image_headers(fw2, 0xe0, true));

  // BIT: header (id, "BIT\0", version, header 12, token 6, 2 tokens), a
  // clock token and the falcon data token.
  const u8 bit[] = {0xff, 0xb8, 'B', 'I', 'T', 0, 0x00, 0x01, 12, 6, 2, 0};
  KCPP_TRY(kcpp::bytes::copy(pciat, L::kBit, kcpp::Span<const u8>(bit)));
  const u8 tokens[] = {
      0x43, 1, 0, 0, 0, 0, 0x70, 1, 4, 0, u8(L::kFalconDataPtrAt), u8(L::kFalconDataPtrAt >> 8)};
  KCPP_TRY(kcpp::bytes::copy(pciat, L::kBit + 12, kcpp::Span<const u8>(tokens)));
  // The pointers skip the EFI image.
  KCPP_TRY(put32(pciat, L::kFalconDataPtrAt, u32(L::kPciAt + L::kFwsec1 + L::kPmuTableIn2)));
  const u8 pmu[] = {1, 4, 6, 2, 0x45, 0, 0xef, 0xbe, 0xad, 0xde, 0x85, 0, 0, 0, 0, 0};
  KCPP_TRY(kcpp::bytes::copy(fw2, L::kPmuTableIn2, kcpp::Span<const u8>(pmu)));
  KCPP_TRY(put32(fw2, L::kPmuTableIn2 + 4 + 6 + 2, u32(L::kPciAt + L::kFwsec1 + L::kDescIn2)));

  // The descriptor.
  const usize d = L::kDescIn2;
  KCPP_TRY(put32(fw2, d, u32(desc_size << 16) | (version << 8) | 1));
  KCPP_TRY(put32(fw2, d + 4, L::kImemSize + L::kDmemSize));  // stored_size
  if (version == 2) {
    const u32 v2[] = {L::kImemSize + L::kDmemSize,
                      0 /* virtual_entry */,
                      L::kInterfaceOffset,
                      0 /* imem_phys_base */,
                      L::kImemSize,
                      0 /* imem_virt_base */,
                      0x200 /* imem_sec_base */,
                      L::kImemSize - 0x200 /* imem_sec_size */,
                      L::kImemSize /* dmem_offset */,
                      0 /* dmem_phys_base */,
                      L::kDmemSize};
    for (usize i = 0; i < sizeof(v2) / 4; i++) KCPP_TRY(put32(fw2, d + 8 + 4 * i, v2[i]));
  } else {
    const u32 v3[] = {L::kPkcDataOffset, L::kInterfaceOffset,    0 /* imem_phys_base */,
                      L::kImemSize,      0 /* imem_virt_base */, 0 /* dmem_phys_base */,
                      L::kDmemSize};
    for (usize i = 0; i < sizeof(v3) / 4; i++) KCPP_TRY(put32(fw2, d + 8 + 4 * i, v3[i]));
    KCPP_TRY(put16(fw2, d + 36, L::kEngineGsp));
    fw2[d + 38] = L::kUcodeId;
    fw2[d + 39] = 2;  // signatures
    KCPP_TRY(put16(fw2, d + 40, L::kSignatureVersions));
    for (usize k = 0; k < 2; k++)
      for (usize i = 0; i < 384; i++) fw2[d + 44 + k * 384 + i] = u8(L::kSignatureFill + k);
  }
  // The ucode: IMEM code, then DMEM with the interface table and the DMEMMAPPER.
  const usize ucode = d + desc_size;
  for (usize i = 0; i < L::kImemSize; i++) fw2[ucode + i] = L::imem_byte(i);
  kcpp::Span<u8> dmem = KCPP_TRY(fw2.subspan(ucode + L::kImemSize, L::kDmemSize));
  const u8 appif[] = {
      1, 4, 8, 2, 1, 0, 0, 0, 0x00, 0x03, 0, 0, 4, 0, 0, 0, u8(L::kMapperAt), u8(L::kMapperAt >> 8), 0, 0};
  KCPP_TRY(kcpp::bytes::copy(dmem, L::kInterfaceOffset, kcpp::Span<const u8>(appif)));
  KCPP_TRY(put32(dmem, L::kMapperAt, 0x50414d44));  // "DMAP"
  KCPP_TRY(put16(dmem, L::kMapperAt + 4, 3));
  KCPP_TRY(put16(dmem, L::kMapperAt + 6, 64));
  KCPP_TRY(put32(dmem, L::kMapperAt + 8, L::kCmdInAt));
  KCPP_TRY(put32(dmem, L::kMapperAt + 12, 0x100));
  return {};
}

}  // namespace nova::sim

#endif  // NOVA_SIM_VBIOS_H

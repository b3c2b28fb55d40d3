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
  static constexpr usize PCI_AT = 0x800, EFI = 0x400, FWSEC1 = 0x200;
  static constexpr usize PCIR = 0x40, BIT = 0x100, FALCON_DATA_PTR_AT = 0x1f0;
  static constexpr usize PMU_TABLE_IN2 = 0x40 + 0x40;  // after PCIR and NPDE
  static constexpr usize DESC_IN2 = 0x100;
  static constexpr u32 IMEM_SIZE = 0x800, DMEM_SIZE = 0x600;
  static constexpr u32 INTERFACE_OFFSET = 0x0, MAPPER_AT = 0x100, CMD_IN_AT = 0x400;
  static constexpr u32 PKC_DATA_OFFSET = 0x200;  // V3: where the signature goes in DMEM
  static constexpr u8 UCODE_ID = 5;
  static constexpr u16 ENGINE_GSP = 0x400;
  static constexpr u16 SIGNATURE_VERSIONS = 0x0006;  // versions 1 and 2
  static constexpr u8 SIGNATURE_FILL = 0xc0;         // signature k is all 0xc0 + k
  /** Where a V2 FWSEC's IMEM starts (its non-secure part; the secure part follows at +0x200). */
  static constexpr u32 V2_IMEM_PHYS_BASE = 0x100;
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
  KCPP_TRY(put16(img, 0x18, L::PCIR));
  // SAFETY: the literal "PCIR" is a static array of 5 chars, of which the span views the first 4;
  // u8 (unsigned char) may alias char.
  KCPP_TRY(kcpp::bytes::copy(img, L::PCIR,
                             kcpp::Span<const u8>::unsafe_from_raw(reinterpret_cast<const u8*>("PCIR"), 4)));
  KCPP_TRY(put16(img, L::PCIR + 4, 0x10de));
  KCPP_TRY(put16(img, L::PCIR + 0x0a, 24));     // struct_len
  KCPP_TRY(put16(img, L::PCIR + 0x10, units));  // image_len
  img[L::PCIR + 0x14] = code_type;
  img[L::PCIR + 0x15] = last ? 0x80 : 0;
  const usize npde = L::PCIR + 0x20;  // align16(0x40 + 24)
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
  const usize fw2_size = (L::DESC_IN2 + desc_size + L::IMEM_SIZE + L::DMEM_SIZE + 511) & ~usize(511);
  const usize total = L::PCI_AT + L::EFI + L::FWSEC1 + fw2_size;
  KCPP_TRY(rom.resize(total, 0, kcpp::GFP_KERNEL));
  kcpp::Span<u8> all = rom.as_span();
  kcpp::Span<u8> pciat = KCPP_TRY(all.subspan(0, L::PCI_AT));
  kcpp::Span<u8> efi = KCPP_TRY(all.subspan(L::PCI_AT, L::EFI));
  kcpp::Span<u8> fw1 = KCPP_TRY(all.subspan(L::PCI_AT + L::EFI, L::FWSEC1));
  kcpp::Span<u8> fw2 = KCPP_TRY(all.subspan(L::PCI_AT + L::EFI + L::FWSEC1, fw2_size));
  KCPP_TRY(detail::image_headers(pciat, 0x00, false));
  KCPP_TRY(detail::image_headers(efi, 0x03, false));
  KCPP_TRY(detail::image_headers(fw1, 0xe0, false));
  KCPP_TRY(detail::image_headers(fw2, 0xe0, true));

  // BIT: header (id, "BIT\0", version, header 12, token 6, 2 tokens), a
  // clock token and the falcon data token.
  const u8 bit[] = {0xff, 0xb8, 'B', 'I', 'T', 0, 0x00, 0x01, 12, 6, 2, 0};
  KCPP_TRY(kcpp::bytes::copy(pciat, L::BIT, kcpp::Span<const u8>(bit)));
  const u8 tokens[] = {
      0x43, 1, 0, 0, 0, 0, 0x70, 1, 4, 0, u8(L::FALCON_DATA_PTR_AT), u8(L::FALCON_DATA_PTR_AT >> 8)};
  KCPP_TRY(kcpp::bytes::copy(pciat, L::BIT + 12, kcpp::Span<const u8>(tokens)));
  // The pointers skip the EFI image.
  KCPP_TRY(put32(pciat, L::FALCON_DATA_PTR_AT, u32(L::PCI_AT + L::FWSEC1 + L::PMU_TABLE_IN2)));
  const u8 pmu[] = {1, 4, 6, 2, 0x45, 0, 0xef, 0xbe, 0xad, 0xde, 0x85, 0, 0, 0, 0, 0};
  KCPP_TRY(kcpp::bytes::copy(fw2, L::PMU_TABLE_IN2, kcpp::Span<const u8>(pmu)));
  KCPP_TRY(put32(fw2, L::PMU_TABLE_IN2 + 4 + 6 + 2, u32(L::PCI_AT + L::FWSEC1 + L::DESC_IN2)));

  // The descriptor.
  const usize d = L::DESC_IN2;
  KCPP_TRY(put32(fw2, d, u32(desc_size << 16) | (version << 8) | 1));
  KCPP_TRY(put32(fw2, d + 4, L::IMEM_SIZE + L::DMEM_SIZE));  // stored_size
  if (version == 2) {
    const u32 v2[] = {L::IMEM_SIZE + L::DMEM_SIZE,
                      0 /* virtual_entry */,
                      L::INTERFACE_OFFSET,
                      L::V2_IMEM_PHYS_BASE,
                      L::IMEM_SIZE,
                      0 /* imem_virt_base */,
                      0x200 /* imem_sec_base */,
                      L::IMEM_SIZE - 0x200 /* imem_sec_size */,
                      L::IMEM_SIZE /* dmem_offset */,
                      0 /* dmem_phys_base */,
                      L::DMEM_SIZE};
    for (usize i = 0; i < sizeof(v2) / 4; i++) KCPP_TRY(put32(fw2, d + 8 + 4 * i, v2[i]));
  } else {
    const u32 v3[] = {L::PKC_DATA_OFFSET, L::INTERFACE_OFFSET,    0 /* imem_phys_base */,
                      L::IMEM_SIZE,       0 /* imem_virt_base */, 0 /* dmem_phys_base */,
                      L::DMEM_SIZE};
    for (usize i = 0; i < sizeof(v3) / 4; i++) KCPP_TRY(put32(fw2, d + 8 + 4 * i, v3[i]));
    KCPP_TRY(put16(fw2, d + 36, L::ENGINE_GSP));
    fw2[d + 38] = L::UCODE_ID;
    fw2[d + 39] = 2;  // signatures
    KCPP_TRY(put16(fw2, d + 40, L::SIGNATURE_VERSIONS));
    for (usize k = 0; k < 2; k++)
      for (usize i = 0; i < 384; i++) fw2[d + 44 + k * 384 + i] = u8(L::SIGNATURE_FILL + k);
  }
  // The ucode: IMEM code, then DMEM with the interface table and the DMEMMAPPER.
  const usize ucode = d + desc_size;
  for (usize i = 0; i < L::IMEM_SIZE; i++) fw2[ucode + i] = L::imem_byte(i);
  kcpp::Span<u8> dmem = KCPP_TRY(fw2.subspan(ucode + L::IMEM_SIZE, L::DMEM_SIZE));
  const u8 appif[] = {
      1, 4, 8, 2, 1, 0, 0, 0, 0x00, 0x03, 0, 0, 4, 0, 0, 0, u8(L::MAPPER_AT), u8(L::MAPPER_AT >> 8), 0, 0};
  KCPP_TRY(kcpp::bytes::copy(dmem, L::INTERFACE_OFFSET, kcpp::Span<const u8>(appif)));
  KCPP_TRY(put32(dmem, L::MAPPER_AT, 0x50414d44));  // "DMAP"
  KCPP_TRY(put16(dmem, L::MAPPER_AT + 4, 3));
  KCPP_TRY(put16(dmem, L::MAPPER_AT + 6, 64));
  KCPP_TRY(put32(dmem, L::MAPPER_AT + 8, L::CMD_IN_AT));
  KCPP_TRY(put32(dmem, L::MAPPER_AT + 12, 0x100));
  return {};
}

}  // namespace nova::sim

#endif  // NOVA_SIM_VBIOS_H

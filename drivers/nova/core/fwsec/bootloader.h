/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic falcon bootloader, which runs FWSEC on Turing and GA100.
 *
 * The falcons of these chips are loaded by PIO, and heavy-secure code
 * loaded that way does not authenticate. So nova-core PIO-loads a small
 * bootloader (nvidia/<chip>/gsp/gen_bootloader) at the top of the GSP
 * falcon's IMEM, puts a BootloaderDmemDescV2 in DMEM, and starts it; the
 * bootloader DMAs FWSEC's code and data in from system memory and jumps to
 * it. FWSEC is handed over as a mirror of its loaded state: each part of
 * it lies in the DMA object at the offset it takes in IMEM, so one offset
 * serves as both source and destination.
 *
 * GA102 and later DMA FWSEC in directly (falcon/ga102.h) and need none of
 * this.
 */
#ifndef NOVA_CORE_FWSEC_BOOTLOADER_H
#define NOVA_CORE_FWSEC_BOOTLOADER_H

#include <kcpp/alloc/kvec.h>
#include <kcpp/core/bytes.h>
#include <kcpp/device.h>
#include <kcpp/print.h>

#include "../falcon.h"
#include "../firmware.h"

namespace nova::fwsec {

using kcpp::Result;
using kcpp::Span;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;
namespace code = kcpp::code;

/** The generic bootloader's descriptor in its .bin file (at the BinHdr's header offset). */
struct BootloaderDesc {
  KCPP_PLAIN_BYTES;
  u32 start_tag;      ///< 0x00: the IMEM tag of the code's first block; the boot address is tag << 8
  u32 dmem_load_off;  ///< 0x04: where in DMEM the BootloaderDmemDescV2 goes
  u32 code_off;       ///< 0x08: the code, from the start of the payload
  u32 code_size;      ///< 0x0c
  u32 data_off;       ///< 0x10: the bootloader's own data (unused: it has none to load)
  u32 data_size;      ///< 0x14
};
static_assert(sizeof(BootloaderDesc) == 24);

/** The DMA context the bootloader reads through: index 4, physical system memory. */
inline constexpr u32 CTX_DMA_PHYS_SYS = 4;

/**
 * What the generic bootloader reads from DMEM: where the image it loads
 * is (NVIDIA's RM_FLCN_BL_DMEM_DESC, version 2; packed, 84 bytes).
 */
struct [[gnu::packed]] BootloaderDmemDescV2 {
  KCPP_PLAIN_BYTES;
  u32 reserved[4];        ///< 0x00: 0
  u32 signature[4];       ///< 0x10: 0 (FWSEC carries no signature here)
  u32 ctx_dma;            ///< 0x20: the DMA context (CTX_DMA_PHYS_SYS)
  u64 code_dma_base;      ///< 0x24: the mirror's bus address (256-aligned)
  u32 non_sec_code_off;   ///< 0x2c: the non-secure code, in the mirror and in IMEM
  u32 non_sec_code_size;  ///< 0x30
  u32 sec_code_off;       ///< 0x34: the secure code, in the mirror and in IMEM
  u32 sec_code_size;      ///< 0x38
  u32 code_entry_point;   ///< 0x3c: where the loaded code starts (0)
  u64 data_dma_base;      ///< 0x40: the bus address of the data, loaded at DMEM 0
  u32 data_size;          ///< 0x48
  u32 argc;               ///< 0x4c: 0
  u32 argv;               ///< 0x50: 0
};
static_assert(sizeof(BootloaderDmemDescV2) == 84);
static_assert(__builtin_offsetof(BootloaderDmemDescV2, code_dma_base) == 0x24 &&
              __builtin_offsetof(BootloaderDmemDescV2, non_sec_code_off) == 0x2c &&
              __builtin_offsetof(BootloaderDmemDescV2, data_dma_base) == 0x40 &&
              __builtin_offsetof(BootloaderDmemDescV2, argv) == 0x50);

/** The bootloader's code ends at this IMEM offset: it sits at the top of the first 64 KiB. */
inline constexpr u32 BOOTLOADER_CEILING = 0x10000;

/**
 * How FWSEC, loaded as @p p says, is handed to the bootloader: @p pad
 * zero bytes before the image make its mirror, and @p desc says where
 * each part is (code_dma_base and data_dma_base relative to the mirror's
 * start; the caller adds its bus address).
 */
struct BootloaderPlan {
  u32 pad;                    ///< Zero bytes before the image in the mirror
  BootloaderDmemDescV2 desc;  ///< Addresses relative to the mirror
};

/**
 * The plan for @p p. EINVAL without non-secure code, for data not loaded
 * at DMEM 0, or for parts that do not sit at one common displacement
 * from the image (no mirror holds them); EOVERFLOW for a negative one.
 *
 * @code{.cpp}
 * // FWSEC V2 with IMEM at physical base 0x100: the non-secure part (0x200 bytes) from image
 * // offset 0, the secure part from 0x200, the data from 0x800.
 * nova::falcon::LoadParams p{};
 * p.imem_ns = {0, 0x100, 0x200};
 * p.imem_sec = {0x200, 0x300, 0x600};
 * p.dmem = {0x800, 0, 0x600};
 * const auto plan = KCPP_TRY(nova::fwsec::plan_bootloader(p));
 * KCPP_ASSERT_EQ(plan.pad, 0x100u);  // mirror offset == IMEM offset
 * KCPP_ASSERT_EQ(plan.desc.non_sec_code_off, 0x100u);
 * KCPP_ASSERT_EQ(plan.desc.sec_code_off, 0x300u);
 * KCPP_ASSERT_EQ(plan.desc.data_dma_base, 0x900u);  // pad + the data's image offset
 * KCPP_ASSERT_EQ(plan.desc.ctx_dma, nova::fwsec::CTX_DMA_PHYS_SYS);
 * // V3 FWSEC has no non-secure part: not for the bootloader.
 * nova::falcon::LoadParams v3 = p;
 * v3.imem_ns = {};
 * KCPP_ASSERT_EQ(nova::fwsec::plan_bootloader(v3).error(), kcpp::code::EINVAL);
 * // A secure part below its image offset would need a negative pad.
 * nova::falcon::LoadParams low = p;
 * low.imem_sec.dst_start = 0x100;
 * KCPP_ASSERT_EQ(nova::fwsec::plan_bootloader(low).error(), kcpp::code::EOVERFLOW);
 * // Parts displaced differently fit no one mirror.
 * nova::falcon::LoadParams skew = p;
 * skew.imem_ns.dst_start = 0x200;
 * KCPP_ASSERT_EQ(nova::fwsec::plan_bootloader(skew).error(), kcpp::code::EINVAL);
 * @endcode
 */
constexpr Result<BootloaderPlan> plan_bootloader(const falcon::LoadParams& p) {
  if (p.imem_ns.len == 0 || p.dmem.dst_start != 0)
    return code::EINVAL;
  if (p.imem_sec.dst_start < p.imem_sec.src_start)
    return code::EOVERFLOW;
  const u32 pad = p.imem_sec.dst_start - p.imem_sec.src_start;
  if (p.imem_ns.dst_start < p.imem_ns.src_start || p.imem_ns.dst_start - p.imem_ns.src_start != pad)
    return code::EINVAL;
  BootloaderPlan plan{};
  plan.pad = pad;
  plan.desc.ctx_dma = CTX_DMA_PHYS_SYS;
  plan.desc.non_sec_code_off = p.imem_ns.dst_start;
  plan.desc.non_sec_code_size = p.imem_ns.len;
  plan.desc.sec_code_off = p.imem_sec.dst_start;
  plan.desc.sec_code_size = p.imem_sec.len;
  plan.desc.data_dma_base = u64(pad) + p.dmem.src_start;
  plan.desc.data_size = p.dmem.len;
  return plan;
}

/**
 * The generic bootloader: its code, padded to whole 256-byte blocks, and where it goes.
 *
 * @code{.cpp}
 * // A TLV gen_bootloader: 8 bytes of code at the front of a 12-byte BLOB, start tag 0xfe.
 * const kcpp::u8 file[] = {
 *     'N', 'V', 'F', 'W',
 *     'V', 'E', 'R', 'S', 1, 0, 0, 0, '1', 0, 0, 0,
 *     'B', 'L', 'O', 'B', 12, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9,
 *     'C', 'D', 'S', 'Z', 4, 0, 0, 0, 8, 0, 0, 0,
 *     'S', 'T', 'R', 'T', 4, 0, 0, 0, 0xfe, 0, 0, 0,
 * };
 * using nova::fwsec::GenericBootloader;
 * const auto bl = KCPP_TRY(GenericBootloader::parse(kcpp::Span<const kcpp::u8>(file), true));
 * KCPP_ASSERT_EQ(bl.code().size(), 256u);  // one whole block...
 * KCPP_ASSERT(bl.code()[7] == 8 && bl.code()[8] == 0);  // ...zero after the CDSZ bytes
 * KCPP_ASSERT_EQ(bl.imem_dst(), 0xff00u);  // right below 64 KiB
 * KCPP_ASSERT_EQ(bl.boot_addr(), 0xfe00u);
 * // Tags are 16 bits: one block at 0xffff is the last that fits, 0x10000 is refused.
 * kcpp::u8 last[sizeof(file)];
 * __builtin_memcpy(last, file, sizeof(file));
 * last[sizeof(file) - 4] = 0xff;
 * last[sizeof(file) - 3] = 0xff;  // STRT 0xffff
 * KCPP_ASSERT(GenericBootloader::parse(kcpp::Span<const kcpp::u8>(last), true).is_ok());
 * last[sizeof(file) - 4] = 0;
 * last[sizeof(file) - 3] = 0;
 * last[sizeof(file) - 2] = 1;  // STRT 0x10000
 * KCPP_ASSERT_EQ(GenericBootloader::parse(kcpp::Span<const kcpp::u8>(last), true).error(), kcpp::code::ERANGE);
 * @endcode
 */
class GenericBootloader {
 public:
  /** Requests @p chipset's gen_bootloader file and parses it (parse()). */
  static Result<GenericBootloader> load(const kcpp::Device<>& dev, Chipset chipset) {
    const firmware::File file = KCPP_TRY(firmware::request(dev, chipset, firmware::GEN_BOOTLOADER));
    auto bl = parse(file.fw.data(), file.tlv);
    if (bl.is_err())
      KCPP_DEV_ERR(dev, "generic bootloader: malformed file (%d)\n", bl.error().to_errno());
    return bl;
  }

  /**
   * Parses a gen_bootloader file: the .bin form (BinHdr, BootloaderDesc,
   * the code at code_off of the payload) or the TLV form (BLOB, its first
   * CDSZ bytes the code; STRT the start tag; the descriptor at DMEM 0).
   * EINVAL for a malformed file, empty code or a misplaced descriptor,
   * ERANGE for code outside the file or tags past 16 bits, EOVERFLOW for
   * code that does not fit below BOOTLOADER_CEILING.
   */
  [[gnu::noinline]] static Result<GenericBootloader> parse(Span<const u8> fw, bool tlv) {
    Span<const u8> code;
    u32 start_tag = 0, dmem_off = 0;
    if (tlv) {
      const firmware::Tlv t = KCPP_TRY(firmware::Tlv::parse(fw));
      const Span<const u8> blob = KCPP_TRY(t.bytes(firmware::TlvTag("BLOB")));
      code = KCPP_TRY(blob.subspan(0, KCPP_TRY(t.u32_of(firmware::TlvTag("CDSZ")))));
      start_tag = KCPP_TRY(t.u32_of(firmware::TlvTag("STRT")));
    } else {
      const firmware::BinHdr bin = KCPP_TRY(firmware::BinHdr::parse(fw));
      const auto d = KCPP_TRY(kcpp::bytes::read<BootloaderDesc>(fw, bin.header_offset));
      code = KCPP_TRY(KCPP_TRY(bin.payload(fw)).subspan(d.code_off, d.code_size));
      start_tag = d.start_tag;
      dmem_off = d.dmem_load_off;
    }
    if (code.is_empty() || code.size() % 4)
      return code::EINVAL;
    if (code.size() > BOOTLOADER_CEILING)
      return code::EOVERFLOW;
    const u32 padded = u32(KCPP_TRY(kcpp::num::align_up(code.size(), usize(falcon::DMA_BLOCK))));
    if (u64(start_tag) + padded / falcon::DMA_BLOCK > 0x10000)
      return code::ERANGE;
    if (dmem_off % 4 || u64(dmem_off) + sizeof(BootloaderDmemDescV2) > 0x10000)
      return code::EINVAL;
    kcpp::KVec<u8> copy;
    KCPP_TRY(copy.extend(code, kcpp::GFP_KERNEL));
    KCPP_TRY(copy.resize(padded, 0, kcpp::GFP_KERNEL));
    return GenericBootloader(std::move(copy), start_tag, dmem_off);
  }

  /** The code, zero-padded to whole blocks. */
  [[nodiscard]] Span<const u8> code() const { return code_.as_span(); }
  /** The IMEM tag of its first block. */
  [[nodiscard]] u32 start_tag() const { return start_tag_; }
  /** Where it starts: the start tag's address. */
  [[nodiscard]] u32 boot_addr() const { return start_tag_ << 8; }
  /** Where its code goes in IMEM: right below BOOTLOADER_CEILING. */
  [[nodiscard]] u32 imem_dst() const { return BOOTLOADER_CEILING - u32(code_.len()); }
  /** Where in DMEM its descriptor goes. */
  [[nodiscard]] u32 dmem_load_off() const { return dmem_off_; }

 private:
  GenericBootloader(kcpp::KVec<u8> code, u32 tag, u32 dmem_off)
      : code_(std::move(code)), start_tag_(tag), dmem_off_(dmem_off) {}
  kcpp::KVec<u8> code_;
  u32 start_tag_, dmem_off_;
};

}  // namespace nova::fwsec

#endif  // NOVA_CORE_FWSEC_BOOTLOADER_H

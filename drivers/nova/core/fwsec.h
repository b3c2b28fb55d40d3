/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FWSEC-FRTS: the first step of the GSP boot.
 *
 * FWSEC is the high-secure ucode the VBIOS carries (vbios.h). Run on the
 * GSP falcon with the FRTS command, it carves WPR2 (the write-protected
 * region the GSP firmware will live in) out of the top of VRAM and copies
 * the VBIOS data the GSP needs into its FRTS part.
 *
 * Before it runs, nova-core patches its DMEM:
 *  - the application interface table (at interface_offset) leads to the
 *    DMEMMAPPER application, whose init_cmd becomes CMD_FRTS and whose
 *    command buffer receives a ReadVbios and an FrtsRegion (where FRTS goes,
 *    in 4 KiB units);
 *  - on GA102 and later (descriptor V3), the signature matching the chip's
 *    fuse version goes to pkc_data_offset: the fuse version selects a bit
 *    of signature_versions, and the signatures are stored in bit order.
 * Then: reset the GSP falcon, load it (by DMA on GA102 and later; on
 * Turing and GA100 the generic bootloader, fwsec/bootloader.h, DMAs it in),
 * boot with MAILBOX0 = 0 and expect 0 back; the caller checks WPR2 (gsp.h).
 */
#ifndef NOVA_CORE_FWSEC_H
#define NOVA_CORE_FWSEC_H

#include <kcpp/alloc/kvec.h>
#include <kcpp/core/bytes.h>
#include <kcpp/device.h>
#include <kcpp/dma.h>
#include <kcpp/print.h>

#include "falcon.h"
#include "firmware.h"
#include "fwsec/bootloader.h"
#include "vbios.h"

namespace nova::fwsec {

using kcpp::Result;
using kcpp::Span;
using kcpp::u16;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;
namespace code = kcpp::code;

/** The DMEMMAPPER's application id in the interface table. */
inline constexpr u32 APPIF_ID_DMEMMAPPER = 4;
/** The DMEMMAPPER command that carves WPR2 and fills its FRTS part (what nova-core runs). */
inline constexpr u32 CMD_FRTS = 0x15;
/** The DMEMMAPPER command that returns the GSP falcon to its state before libos (unload). */
inline constexpr u32 CMD_SB = 0x19;

/** The header of FWSEC's application interface table, in DMEM; its entries follow. */
struct AppifHeader {
  KCPP_PLAIN_BYTES;
  u8 version;      ///< 0x00: 1
  u8 header_size;  ///< 0x01: where the first entry is, from the header
  u8 entry_size;   ///< 0x02: the stride of the entries (at least sizeof(AppifEntry))
  u8 entry_count;  ///< 0x03
};
static_assert(sizeof(AppifHeader) == 4);

/** An application interface table entry. */
struct AppifEntry {
  KCPP_PLAIN_BYTES;
  u32 id;         ///< 0x00: APPIF_ID_DMEMMAPPER for the DMEMMAPPER
  u32 dmem_base;  ///< 0x04: the application's structure, from the start of DMEM data
};
static_assert(sizeof(AppifEntry) == 8);
static_assert(__builtin_offsetof(AppifEntry, dmem_base) == 0x04);

/** The DMEMMAPPER (V3): where FWSEC takes its command and the command's input. */
struct DmemMapper {
  KCPP_PLAIN_BYTES;
  u32 signature;                   ///< 0x00: "DMAP"
  u16 version;                     ///< 0x04: 3
  u16 size;                        ///< 0x06: 64
  u32 cmd_in_buffer_offset;        ///< 0x08: the command's input, from the start of DMEM data
  u32 cmd_in_buffer_size;          ///< 0x0c
  u32 cmd_out_buffer_offset;       ///< 0x10
  u32 cmd_out_buffer_size;         ///< 0x14
  u32 nvf_img_data_buffer_offset;  ///< 0x18
  u32 nvf_img_data_buffer_size;    ///< 0x1c
  u32 printf_buffer_hdr;           ///< 0x20
  u32 ucode_build_time_stamp;      ///< 0x24
  u32 ucode_signature;             ///< 0x28
  u32 init_cmd;                    ///< 0x2c: the command to run (CMD_FRTS, CMD_SB)
  u32 ucode_feature;               ///< 0x30
  u32 ucode_cmd_mask0;             ///< 0x34
  u32 ucode_cmd_mask1;             ///< 0x38
  u32 multi_tgt_tbl;               ///< 0x3c
};
static_assert(sizeof(DmemMapper) == 64);
static_assert(__builtin_offsetof(DmemMapper, cmd_in_buffer_offset) == 0x08 &&
              __builtin_offsetof(DmemMapper, init_cmd) == 0x2c);
/** FrtsRegion's type for a region in VRAM. */
inline constexpr u32 REGION_TYPE_FB = 2;

/** FWSEC's ReadVbios command: where to read the VBIOS from (nothing here). */
struct ReadVbios {
  KCPP_PLAIN_BYTES;
  u32 ver;    ///< 0x00: 1
  u32 hdr;    ///< 0x04: the size of this structure
  u64 addr;   ///< 0x08
  u32 size;   ///< 0x10
  u32 flags;  ///< 0x14: 2
};
static_assert(sizeof(ReadVbios) == 24);

/** FWSEC's FrtsRegion: where FRTS goes. */
struct FrtsRegion {
  KCPP_PLAIN_BYTES;
  u32 ver;    ///< 0x00: 1
  u32 hdr;    ///< 0x04: the size of this structure
  u32 addr;   ///< 0x08: in 4 KiB units
  u32 size;   ///< 0x0c: in 4 KiB units
  u32 ftype;  ///< 0x10: REGION_TYPE_FB
};
static_assert(sizeof(FrtsRegion) == 20);

/** The command buffer of CMD_FRTS: a ReadVbios then an FrtsRegion. */
struct FrtsCmd {
  KCPP_PLAIN_BYTES;
  ReadVbios read_vbios;    ///< 0x00
  FrtsRegion frts_region;  ///< 0x18
};
static_assert(sizeof(FrtsCmd) == 48 && __builtin_offsetof(FrtsCmd, frts_region) == 24,
              "FrtsCmd: ReadVbios is 24 bytes; the tail padding is not written");
/** The bytes of FrtsCmd the ucode reads (ReadVbios 24 + FrtsRegion 20). */
inline constexpr usize FRTS_CMD_SIZE = 44;

/** How to load FWSEC from a V2 descriptor: a non-secure and a secure IMEM part, booted at its entry. */
inline falcon::LoadParams load_params(const vbios::FwsecDescV2& d) {
  const u32 sec_start = d.imem_sec_base - d.imem_virt_base;  // checked by the parser
  return {
      .imem_sec = {sec_start, d.imem_phys_base + sec_start, d.imem_sec_size},
      .imem_ns = {0, d.imem_phys_base, d.imem_load_size - d.imem_sec_size},
      .dmem = {d.dmem_offset, d.dmem_phys_base, d.dmem_load_size},
      .boot_addr = d.virtual_entry,
  };
}

/** How to load FWSEC from a V3 descriptor: all IMEM secure, verified by the boot ROM. */
inline falcon::LoadParams load_params(const vbios::FwsecDescV3& d) {
  return {
      .imem_sec = {0, d.imem_phys_base, d.imem_load_size},
      .dmem = {d.imem_load_size, d.dmem_phys_base, d.dmem_load_size},
      .brom = {d.pkc_data_offset, d.engine_id_mask, d.ucode_id},
      .boot_addr = 0,
  };
}

/** How to load FWSEC, from its descriptor. */
inline falcon::LoadParams load_params(const vbios::FwsecDesc& d) {
  return d.visit([](const auto& v) { return load_params(v); });
}

/**
 * The index of the signature for fuse version @p fuse; EINVAL if there is none.
 *
 * A V3 descriptor's signature_versions has one bit per fuse version it
 * carries a signature for, and the signatures are stored in bit order:
 * @code{.cpp}
 * // Signatures for fuse versions 1, 2 and 5, stored in that order.
 * constexpr kcpp::u16 versions = (1 << 1) | (1 << 2) | (1 << 5);
 * KCPP_ASSERT_EQ(KCPP_TRY(nova::fwsec::signature_index(versions, 1)), 0u);
 * KCPP_ASSERT_EQ(KCPP_TRY(nova::fwsec::signature_index(versions, 5)), 2u);
 * KCPP_ASSERT_EQ(nova::fwsec::signature_index(versions, 3).error(), kcpp::code::EINVAL);
 * // A fuse register reading past bit 15 selects nothing, never a shifted-out bit.
 * KCPP_ASSERT_EQ(nova::fwsec::signature_index(0xffff, 16).error(), kcpp::code::EINVAL);
 * @endcode
 */
constexpr Result<usize> signature_index(u16 signature_versions, u32 fuse) {
  if (fuse >= 16 || !(signature_versions & (1u << fuse)))
    return code::EINVAL;
  return usize(kcpp::num::popcount(signature_versions & ((1u << fuse) - 1)));
}

/**
 * Patches a copy of FWSEC's ucode for CMD_FRTS with FRTS at
 * [@p frts_addr, + @p frts_size) and, for V3, signature @p sig_index.
 * ENOTSUPP without a DMEMMAPPER, EINVAL/ERANGE for a malformed table.
 */
inline Result<kcpp::KVec<u8>> patch_frts(const vbios::Fwsec& fwsec, u64 frts_addr, u64 frts_size,
                                         usize sig_index);

/**
 * FWSEC's image patched for @p command: CMD_FRTS with FRTS at @p frts_addr
 * (@p frts_size bytes), or CMD_SB, whose input is the ReadVbios part alone;
 * errors as patch_frts().
 */
inline Result<kcpp::KVec<u8>> patch_command(const vbios::Fwsec& fwsec, u32 command, u64 frts_addr,
                                            u64 frts_size, usize sig_index) {
  const vbios::FwsecDesc& d = fwsec.desc;
  kcpp::KVec<u8> img;
  KCPP_TRY(img.extend(fwsec.ucode.as_span(), kcpp::GFP_KERNEL));
  const Span<u8> s = img.as_span();
  const Span<const u8> cs = s;
  const u64 dmem = d.dmem_start();
  const u64 hdr = dmem + d.interface_offset();
  // The version first: a table of another version is EINVAL, however long.
  if (KCPP_TRY(kcpp::bytes::read<u8>(cs, hdr + __builtin_offsetof(AppifHeader, version))) != 1)
    return code::EINVAL;  // application interface table version 1 only
  const AppifHeader table = KCPP_TRY(kcpp::bytes::read<AppifHeader>(cs, hdr));
  if (table.entry_size < sizeof(AppifEntry))
    return code::EINVAL;
  for (usize i = 0; i < table.entry_count; i++) {
    const u64 e = hdr + table.header_size + u64(i) * table.entry_size;
    // Only the DMEMMAPPER's entry is read whole: another application's is skipped by its id.
    if (KCPP_TRY(kcpp::bytes::read<u32>(cs, e + __builtin_offsetof(AppifEntry, id))) != APPIF_ID_DMEMMAPPER)
      continue;
    const AppifEntry entry = KCPP_TRY(kcpp::bytes::read<AppifEntry>(cs, e));
    const u64 mapper_at = dmem + entry.dmem_base;
    const DmemMapper mapper = KCPP_TRY(kcpp::bytes::read<DmemMapper>(cs, mapper_at));
    KCPP_TRY(kcpp::bytes::write(s, mapper_at + __builtin_offsetof(DmemMapper, init_cmd), command));
    const u64 cmd_at = dmem + mapper.cmd_in_buffer_offset;
    if ((frts_addr >> 12) > 0xffffffffull || (frts_size >> 12) > 0xffffffffull)
      return code::EINVAL;
    const FrtsCmd cmd{
        .read_vbios = {.ver = 1, .hdr = sizeof(ReadVbios), .addr = 0, .size = 0, .flags = 2},
        .frts_region = {.ver = 1,
                        .hdr = sizeof(FrtsRegion),
                        .addr = u32(frts_addr >> 12),
                        .size = u32(frts_size >> 12),
                        .ftype = REGION_TYPE_FB},
    };
    // SB takes the ReadVbios part only.
    const usize cmd_size = command == CMD_FRTS ? FRTS_CMD_SIZE : sizeof(ReadVbios);
    // SAFETY: cmd is a local FrtsCmd of plain bytes, 48 long by its static_assert, so its first
    // cmd_size (at most FRTS_CMD_SIZE, 44) bytes are live for the copy; a u8 pointer may view any
    // object's bytes.
    const auto cmd_bytes = Span<const u8>::unsafe_from_raw(reinterpret_cast<const u8*>(&cmd), cmd_size);
    KCPP_TRY(kcpp::bytes::copy(s, cmd_at, cmd_bytes));
    if (d.signature_count()) {
      const vbios::FwsecDescV3 v3 = d.v3().expect("only a V3 descriptor has signatures");
      KCPP_TRY(kcpp::bytes::copy(s, dmem + v3.pkc_data_offset, KCPP_TRY(fwsec.signature(sig_index))));
    }
    return img;
  }
  return code::ENOTSUPP;
}

inline Result<kcpp::KVec<u8>> patch_frts(const vbios::Fwsec& fwsec, u64 frts_addr, u64 frts_size,
                                         usize sig_index) {
  return patch_command(fwsec, CMD_FRTS, frts_addr, frts_size, sig_index);
}

/**
 * FWSEC patched for FRTS or SB, in DMA memory, with its load plan: loaded
 * directly (GA102 and later) or through the generic bootloader (Turing,
 * GA100; fwsec/bootloader.h), in which case the DMA object is FWSEC's
 * mirror.
 */
class FwsecFirmware {
 public:
  /** Builds it for the GSP falcon @p gsp of the GPU behind @p bar, run through @p bl if not null. */
  template <typename Io>
  static Result<FwsecFirmware> frts(const kcpp::Device<kcpp::device::Bound>& dev,
                                    const falcon::Falcon<falcon::Gsp>& gsp, const Io& bar,
                                    const vbios::Fwsec& fwsec, u64 frts_addr, u64 frts_size,
                                    const GenericBootloader* bl) {
    return make(dev, gsp, bar, fwsec, CMD_FRTS, frts_addr, frts_size, bl);
  }

  /** Builds FWSEC-SB, which returns the GSP falcon to its state before libos (unload). */
  template <typename Io>
  static Result<FwsecFirmware> sb(const kcpp::Device<kcpp::device::Bound>& dev,
                                  const falcon::Falcon<falcon::Gsp>& gsp, const Io& bar,
                                  const vbios::Fwsec& fwsec, const GenericBootloader* bl) {
    return make(dev, gsp, bar, fwsec, CMD_SB, 0, 0, bl);
  }

  /**
   * Builds FWSEC for DMEMMAPPER command @p command (CMD_FRTS or CMD_SB).
   * Out of line: the caller (the GSP boot) keeps its stack frame small.
   */
  template <typename Io>
  [[gnu::noinline]] static Result<FwsecFirmware> make(const kcpp::Device<kcpp::device::Bound>& dev,
                                                      const falcon::Falcon<falcon::Gsp>& gsp, const Io& bar,
                                                      const vbios::Fwsec& fwsec, u32 command, u64 frts_addr,
                                                      u64 frts_size, const GenericBootloader* bl) {
    const vbios::FwsecDesc& d = fwsec.desc;
    usize sig = 0;
    if (d.signature_count()) {
      const vbios::FwsecDescV3 v3 = d.v3().expect("only a V3 descriptor has signatures");
      const u32 fuse = KCPP_TRY(gsp.signature_reg_fuse_version(bar, v3.engine_id_mask, v3.ucode_id));
      auto idx = signature_index(v3.signature_versions, fuse);
      if (idx.is_err()) {
        KCPP_DEV_ERR(dev, "FWSEC: no matching signature: fuse version %u, signature versions %#x\n", fuse,
                     v3.signature_versions);
        return idx.error();
      }
      sig = *idx;
    }
    auto img = patch_command(fwsec, command, frts_addr, frts_size, sig);
    if (img.is_err()) {
      KCPP_DEV_ERR(dev, "FWSEC: cannot patch the %s command (%d)\n", command == CMD_FRTS ? "FRTS" : "SB",
                   img.error().to_errno());
      return img.error();
    }
    const falcon::LoadParams params = fwsec::load_params(d);
    // Every part inside the image: the falcon DMAs (or the PIO copies) exactly these bytes.
    for (const falcon::LoadTarget& t : {params.imem_ns, params.imem_sec, params.dmem}) {
      if (u64(t.src_start) + t.len > img->len()) {
        KCPP_DEV_ERR(dev, "FWSEC: a part of its load plan (%#x + %#x) lies outside its %#zx bytes\n",
                     t.src_start, t.len, img->len());
        return code::EINVAL;
      }
    }
    if (!bl)
      return FwsecFirmware(KCPP_TRY(firmware::dma_copy(dev, img->as_span())), params);
    auto plan = plan_bootloader(params);
    if (plan.is_err()) {
      KCPP_DEV_ERR(dev, "FWSEC: its layout cannot go through the generic bootloader (%d)\n",
                   plan.error().to_errno());
      return plan.error();
    }
    u64 code_end = 0;  // of the parts with code: an empty one goes nowhere
    for (const falcon::LoadTarget& t : {params.imem_ns, params.imem_sec})
      if (t.len && u64(t.dst_start) + t.len > code_end)
        code_end = u64(t.dst_start) + t.len;
    if (code_end > bl->imem_dst()) {
      KCPP_DEV_ERR(dev, "FWSEC: its code (to %#llx) overlaps the generic bootloader at %#x\n", code_end,
                   bl->imem_dst());
      return code::EOVERFLOW;
    }
    // The falcon finds code by tag, and the bootloader tags FWSEC's blocks by their IMEM
    // offset: a tag of the bootloader's among them would leave two blocks answering to it.
    const u64 bl_tag_end = u64(bl->start_tag()) + bl->code().size() / falcon::DMA_BLOCK;
    for (const falcon::LoadTarget& t : {params.imem_ns, params.imem_sec}) {
      if (t.len == 0)
        continue;
      const u64 first = t.dst_start / falcon::DMA_BLOCK;
      const u64 end = (u64(t.dst_start) + t.len + falcon::DMA_BLOCK - 1) / falcon::DMA_BLOCK;
      if (bl->start_tag() < end && first < bl_tag_end) {
        KCPP_DEV_ERR(dev,
                     "FWSEC: the generic bootloader's tags %#x-%#llx collide with its code's (%#llx-%#llx)\n",
                     bl->start_tag(), bl_tag_end - 1, first, end - 1);
        return code::EINVAL;
      }
    }
    kcpp::KVec<u8> mirror;
    KCPP_TRY(mirror.resize(plan->pad, 0, kcpp::GFP_KERNEL));
    KCPP_TRY(mirror.extend(img->as_span(), kcpp::GFP_KERNEL));
    auto dma = KCPP_TRY(firmware::dma_copy(dev, mirror.as_span()));
    BootloaderDmemDescV2 desc = plan->desc;
    desc.code_dma_base = dma.dma_handle();
    desc.data_dma_base += dma.dma_handle();
    if (desc.data_dma_base % falcon::DMA_BLOCK) {
      KCPP_DEV_ERR(dev, "FWSEC: its data is not 256-byte aligned for the generic bootloader\n");
      return code::EINVAL;
    }
    // The descriptor and the bootloader's code in one allocation (not in this object: it
    // lives on the boot's stack until it is kept).
    kcpp::KVec<u8> bl_image;
    KCPP_TRY(bl_image.resize(sizeof(BootloaderDmemDescV2), 0, kcpp::GFP_KERNEL));
    KCPP_TRY(kcpp::bytes::write(bl_image.as_span(), 0, desc));
    KCPP_TRY(bl_image.extend(bl->code(), kcpp::GFP_KERNEL));
    FwsecFirmware fw(std::move(dma), params);
    fw.bl_ = std::move(bl_image);
    fw.bl_imem_dst_ = bl->imem_dst();
    fw.bl_start_tag_ = bl->start_tag();
    fw.bl_dmem_off_ = bl->dmem_load_off();
    return fw;
  }

  /** Resets the GSP falcon, loads FWSEC (or the bootloader that loads it), runs it; EIO if it reports an error. */
  template <typename Io>
  Result<void> run(const kcpp::Device<>& dev, const falcon::Falcon<falcon::Gsp>& gsp, const Io& bar) const {
    if (auto r = gsp.reset(bar); r.is_err()) {
      KCPP_DEV_ERR(dev, "Failed to reset GSP falcon (%d)\n", r.error().to_errno());
      return r;
    }
    if (auto r = load(gsp, bar); r.is_err()) {
      KCPP_DEV_ERR(dev, "Failed to load FWSEC firmware (%d)\n", r.error().to_errno());
      return r;
    }
    auto mbox = gsp.boot(bar, 0u, {});  // MAILBOX0 cleared: FWSEC reports its status there
    if (mbox.is_err()) {
      KCPP_DEV_ERR(dev, "Failed to boot FWSEC firmware (%d)\n", mbox.error().to_errno());
      // Still running: stop it before the caller frees the memory it may be reading.
      (void)gsp.reset(bar);
      return mbox.error();
    }
    if (mbox->mbox0 != 0) {
      KCPP_DEV_ERR(dev, "FWSEC firmware returned error %u\n", mbox->mbox0);
      return code::EIO;
    }
    return {};
  }

  /** How the GSP falcon loads the image, from FWSEC's descriptor (V2 or V3). */
  [[nodiscard]] const falcon::LoadParams& load_params() const { return params_; }
  /** Whether it runs through the generic bootloader. */
  [[nodiscard]] bool via_bootloader() const { return !bl_.is_empty(); }
  /** What the generic bootloader is given (zeroes unless via_bootloader()). */
  [[nodiscard]] BootloaderDmemDescV2 bootloader_desc() const {
    return kcpp::bytes::read<BootloaderDmemDescV2>(bl_.as_span(), 0).value_or(BootloaderDmemDescV2{});
  }

 private:
  FwsecFirmware(kcpp::dma::Coherent<u8> ucode, falcon::LoadParams p) : ucode_(std::move(ucode)), params_(p) {}

  template <typename Io>
  Result<void> load(const falcon::Falcon<falcon::Gsp>& gsp, const Io& bar) const {
    if (!via_bootloader())
      return gsp.load(bar, ucode_, params_);
    const Span<const u8> all = bl_.as_span();
    KCPP_TRY(gsp.load_pio(bar, KCPP_TRY(all.subspan(sizeof(BootloaderDmemDescV2))), bl_imem_dst_,
                          bl_start_tag_, KCPP_TRY(all.subspan(0, sizeof(BootloaderDmemDescV2))), bl_dmem_off_,
                          bl_start_tag_ << 8));
    gsp.template set_sysmem_dma_context<CTX_DMA_PHYS_SYS>(bar);
    return {};
  }

  kcpp::dma::Coherent<u8> ucode_;
  falcon::LoadParams params_;
  kcpp::KVec<u8> bl_;  // the bootloader's descriptor, then its code; empty: FWSEC is loaded directly
  u32 bl_imem_dst_ = 0, bl_start_tag_ = 0, bl_dmem_off_ = 0;
};

}  // namespace nova::fwsec

#endif  // NOVA_CORE_FWSEC_H

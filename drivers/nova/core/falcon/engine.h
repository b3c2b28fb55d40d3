/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every falcon engine has, whatever the chip: the engine tags (GSP,
 * SEC2) that give a register block its base, the load plan of an image,
 * the timeouts every family shares, and the primitives the HALs build on
 * (falcon/tu102.h, falcon/ga102.h): DMA and PIO transfers into IMEM and
 * DMEM, the boot vector.
 */
#ifndef NOVA_CORE_FALCON_ENGINE_H
#define NOVA_CORE_FALCON_ENGINE_H

#include <kcpp/core/bytes.h>
#include <kcpp/dma.h>
#include <kcpp/io.h>

#include "../clock.h"
#include "../regs.h"

namespace nova::falcon {

using kcpp::Result;
using kcpp::u16;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;
namespace code = kcpp::code;

/** The GSP falcon. */
struct Gsp {
  /** The PFALCON base. */
  static constexpr usize base(regs::FalconBase) { return 0x110000; }
  /** The PFALCON2 base. */
  static constexpr usize base(regs::Falcon2Base) { return 0x111000; }
  /** The engine's name, for log lines. */
  static constexpr const char* NAME = "GSP";
};
/** The SEC2 falcon. */
struct Sec2 {
  /** The PFALCON base. */
  static constexpr usize base(regs::FalconBase) { return 0x840000; }
  /** The PFALCON2 base. */
  static constexpr usize base(regs::Falcon2Base) { return 0x841000; }
  /** The engine's name, for log lines. */
  static constexpr const char* NAME = "SEC2";
};

/** A block to copy: @p len bytes from @p src_start of the image to @p dst_start in falcon memory. */
struct LoadTarget {
  u32 src_start;  ///< Offset in the image
  u32 dst_start;  ///< Offset in IMEM or DMEM
  u32 len;        ///< Bytes
};
/** What the boot ROM needs to verify a signed image (GA102 and later). */
struct BromParams {
  u32 pkc_data_offset;  ///< Where in DMEM the signature is
  u16 engine_id_mask;   ///< The engines the ucode was signed for
  u8 ucode_id;          ///< The ucode's id, which selects its fuse version
};
/** How to load an image: its blocks, boot ROM parameters and start address. */
struct LoadParams {
  LoadTarget imem_sec;  ///< The secure IMEM code
  LoadTarget imem_ns;   ///< The non-secure IMEM code (len 0: none)
  LoadTarget dmem;      ///< The data
  BromParams brom;      ///< For the boot ROM (GA102 and later)
  u32 boot_addr;        ///< Where the falcon starts
};

/** What a falcon left in its mailboxes when it halted. */
struct Mailboxes {
  u32 mbox0;  ///< MAILBOX0: FWSEC's and Booter's status (0: success)
  u32 mbox1;  ///< MAILBOX1
};

/*
 * Timeouts (microseconds): the values upstream nova-core and OpenRM use,
 * each long enough for the hardware step by a wide margin, so that only a
 * hung engine reaches one.
 */
/** How long the engine reset is held (a fixed sleep, not a poll). */
inline constexpr unsigned long RESET_PULSE_US = 10;
/** One 256-byte DMA block into IMEM or DMEM: 2 s covers a stalled bus, not a normal copy. */
inline constexpr unsigned long DMA_IDLE_US = 2000000;
/** DMA transfers move 256 bytes each; sources are 256-aligned and below 2^49. */
inline constexpr u32 DMA_BLOCK = 256;

/** PIO offsets are 16 bits: a transfer ends at most here (IMEM and DMEM). */
inline constexpr u64 PIO_LIMIT = 0x10000;

/** Which memory a transfer goes to. */
enum class Mem { ImemSecure, ImemNonSecure, Dmem };

/** The primitives of falcon engine @p E: stateless, each takes BAR0. */
template <typename E>
struct Engine {
  /** Lets the engine DMA without a context and clears its DMA control. */
  template <typename Io>
  static void dma_reset(const Io& bar) {
    regs::NV_PFALCON_FBIF_CTL::update(bar, E{}, [](auto r) { return r.with_allow_phys_no_ctx(true); });
    regs::NV_PFALCON_FALCON_DMACTL::zeroed().write(bar, E{});
  }

  /** Where the loaded code starts. */
  template <typename Io>
  static void write_boot_vector(const Io& bar, u32 addr) {
    regs::NV_PFALCON_FALCON_BOOTVEC::from_raw(addr).write(bar, E{});
  }

  /**
   * One DMA transfer of @p t into @p mem, in 256-byte blocks. IMEM blocks are
   * addressed from the image's base (the offset doubles as the tag); DMEM
   * from base + src. EINVAL for a misaligned or out-of-image transfer.
   */
  template <typename Io>
  static Result<void> dma_transfer(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadTarget& t,
                                   Mem mem) {
    using namespace regs;
    const u64 len = KCPP_TRY(kcpp::num::align_up(u64(t.len), DMA_BLOCK));
    if (u64(t.src_start) + len > image.size())
      return code::EINVAL;
    const bool imem = mem != Mem::Dmem;
    const u64 base = imem ? image.dma_handle() : image.dma_handle() + t.src_start;
    if (base % DMA_BLOCK || base >= (u64(1) << 49) || t.dst_start % DMA_BLOCK)
      return code::EINVAL;
    NV_PFALCON_FALCON_DMATRFBASE::from_raw(u32(base >> 8)).write(bar, E{});
    NV_PFALCON_FALCON_DMATRFBASE1::zeroed().with_base(kcpp::io::Bits<9>::masked(base >> 40)).write(bar, E{});
    const auto cmd = NV_PFALCON_FALCON_DMATRFCMD::zeroed()
                         .with_imem(imem)
                         .with_sec(kcpp::io::Bits<2>::masked(mem == Mem::ImemSecure ? 1 : 0))
                         .with_size(DmaTrfCmdSize::Size256B);
    for (u64 pos = 0; pos < len; pos += DMA_BLOCK) {
      NV_PFALCON_FALCON_DMATRFMOFFS::zeroed()
          .with_offs(KCPP_TRY(kcpp::io::Bits<24>::try_new(t.dst_start + pos)))
          .write(bar, E{});
      NV_PFALCON_FALCON_DMATRFFBOFFS::from_raw(u32((imem ? t.src_start : 0) + pos)).write(bar, E{});
      cmd.write(bar, E{});
      KCPP_TRY(nova::poll_timeout(
          bar, [&] { return NV_PFALCON_FALCON_DMATRFCMD::read(bar, E{}); }, [](auto r) { return r.idle(); },
          10, DMA_IDLE_US));
    }
    return {};
  }

  /**
   * A PIO transfer of @p len bytes (a multiple of 4) into IMEM at @p dst
   * (block-aligned), @p secure or not, the block at dst + 256 k tagged
   * @p tag + k (ERANGE past 16 bits, or for blocks past the 16-bit
   * offsets the port reaches); @p read(pos, block) fills each block's
   * bytes from the source (the tail of the last is zero-padded).
   */
  template <typename Io, typename Read>
  static Result<void> pio_imem_with(const Io& bar, u32 dst, usize len, u32 tag, bool secure, Read&& read) {
    using namespace regs;
    if (len % 4 || dst % DMA_BLOCK)
      return code::EINVAL;
    if (u64(dst) + KCPP_TRY(kcpp::num::align_up(u64(len), u64(DMA_BLOCK))) > PIO_LIMIT)
      return code::ERANGE;
    NV_PFALCON_FALCON_IMEMC::zeroed()
        .with_offs(KCPP_TRY(kcpp::io::Bits<16>::try_new(dst)))
        .with_aincw(true)
        .with_secure(secure)
        .template write<0>(bar, E{});
    u8 block[DMA_BLOCK];
    for (usize pos = 0; pos < len; pos += DMA_BLOCK) {
      const usize n = len - pos < DMA_BLOCK ? len - pos : DMA_BLOCK;
      __builtin_memset(block, 0, sizeof(block));
      // SAFETY: block is a local array of DMA_BLOCK bytes and n <= DMA_BLOCK, so the span covers live
      // bytes that outlive this one call.
      KCPP_TRY(read(pos, kcpp::Span<u8>::unsafe_from_raw(block, n)));
      NV_PFALCON_FALCON_IMEMT::zeroed()
          .with_tag(KCPP_TRY(kcpp::io::Bits<16>::try_new(u64(tag) + pos / DMA_BLOCK)))
          .template write<0>(bar, E{});
      for (u32 i = 0; i < DMA_BLOCK; i += 4)  // whole blocks: the tail is zero-padded
        NV_PFALCON_FALCON_IMEMD::from_raw(
            kcpp::bytes::read<u32>(kcpp::Span<const u8>(block), i).expect("i + 4 <= the block's size"))
            .template write<0>(bar, E{});
    }
    return {};
  }

  /** A PIO transfer of @p t from @p image into IMEM, tagged by IMEM offset, @p secure or not. */
  template <typename Io>
  static Result<void> pio_imem(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadTarget& t,
                               bool secure) {
    return pio_imem_with(bar, t.dst_start, t.len, t.dst_start / DMA_BLOCK, secure,
                         reader(image, t.src_start));
  }

  /** A PIO transfer of @p code (CPU memory) into non-secure IMEM at @p dst, blocks tagged from @p tag. */
  template <typename Io>
  static Result<void> pio_imem_bytes(const Io& bar, kcpp::Span<const u8> code, u32 dst, u32 tag) {
    return pio_imem_with(bar, dst, code.size(), tag, false, reader(code));
  }

  /** A PIO transfer of @p len bytes (a multiple of 4) into DMEM at @p dst; @p read(pos, word) gives each word. */
  template <typename Io, typename Read>
  static Result<void> pio_dmem_with(const Io& bar, u32 dst, usize len, Read&& read) {
    using namespace regs;
    if (len % 4)
      return code::EINVAL;
    if (u64(dst) + len > PIO_LIMIT)
      return code::ERANGE;
    NV_PFALCON_FALCON_DMEMC::zeroed()
        .with_offs(KCPP_TRY(kcpp::io::Bits<16>::try_new(dst)))
        .with_aincw(true)
        .template write<0>(bar, E{});
    u8 word[4];
    for (usize pos = 0; pos < len; pos += 4) {
      KCPP_TRY(read(pos, kcpp::Span<u8>(word)));
      NV_PFALCON_FALCON_DMEMD::from_raw(
          kcpp::bytes::read<u32>(kcpp::Span<const u8>(word), 0).expect("word is 4 bytes"))
          .template write<0>(bar, E{});
    }
    return {};
  }

  /** A PIO transfer of @p t from @p image into DMEM (lengths multiples of 4). */
  template <typename Io>
  static Result<void> pio_dmem(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadTarget& t) {
    return pio_dmem_with(bar, t.dst_start, t.len, reader(image, t.src_start));
  }

  /** A PIO transfer of @p data (CPU memory, a multiple of 4 bytes) into DMEM at @p dst. */
  template <typename Io>
  static Result<void> pio_dmem_bytes(const Io& bar, kcpp::Span<const u8> data, u32 dst) {
    return pio_dmem_with(bar, dst, data.size(), reader(data));
  }

 private:
  // The sources of pio_*_with(): read(pos, out) fills out from pos on.
  static auto reader(const kcpp::dma::Coherent<u8>& image, u32 src) {
    return [&image, src](u64 pos, kcpp::Span<u8> out) { return image.read_into(usize(src + pos), out); };
  }
  static auto reader(kcpp::Span<const u8> src) {
    return [src](u64 pos, kcpp::Span<u8> out) -> Result<void> {
      return kcpp::bytes::copy(out, 0, KCPP_TRY(src.subspan(usize(pos), out.size())));
    };
  }
};

}  // namespace nova::falcon

#endif  // NOVA_CORE_FALCON_ENGINE_H

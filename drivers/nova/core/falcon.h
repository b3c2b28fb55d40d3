/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Falcon engines: the microcontrollers that run NVIDIA's signed firmware.
 *
 * nova-core drives two: the GSP (which runs FWSEC, then the GSP firmware)
 * and SEC2 (which runs Booter). Both have the same register block at their
 * PFALCON base and a second block at their PFALCON2 base; the engine is a
 * tag type (`Gsp`, `Sec2`) that gives the two bases, so one register
 * definition (regs.h) serves both.
 *
 * What differs between chip generations is in a HAL picked once from the
 * chipset: Turing (`Tu102`) resets with the ENGINE bit and waits on DMACTL's
 * scrubbing bits, has no boot ROM parameters and is loaded by PIO through
 * the IMEM/DMEM ports; GA102 and later (`Ga102`, Ada included) wait for
 * reset readiness, select the falcon core over RISC-V, wait on HWCFG2's
 * scrubbing bit, are loaded by the DMA engine, program the boot ROM with
 * the signature's location and read fuse versions to pick a signature.
 * GA100 has no HAL (ENOTSUPP), as upstream at this point.
 *
 * A sequence in brief:
 *   reset(bar)                        ENGINE pulse, core select, scrubbing, RM = BOOT_0
 *   load(bar, image, params)          PIO or DMA into IMEM (secure, non-secure) and DMEM
 *   boot(bar, mbox0, mbox1)           mailboxes, start the CPU, wait for halt (2 s)
 */
#ifndef NOVA_CORE_FALCON_H
#define NOVA_CORE_FALCON_H

#include <kcpp/core/bytes.h>
#include <kcpp/core/option.h>
#include <kcpp/dma.h>
#include <kcpp/io.h>

#include "chipset.h"
#include "regs.h"

namespace nova::falcon {

using kcpp::Result;
using kcpp::u16;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;
namespace code = kcpp::code;

/** The GSP falcon. */
struct Gsp {
  static constexpr usize base(regs::FalconBase) { return 0x110000; }
  static constexpr usize base(regs::Falcon2Base) { return 0x111000; }
  static constexpr const char* NAME = "GSP";
};
/** The SEC2 falcon. */
struct Sec2 {
  static constexpr usize base(regs::FalconBase) { return 0x840000; }
  static constexpr usize base(regs::Falcon2Base) { return 0x841000; }
  static constexpr const char* NAME = "SEC2";
};

/** The chip-specific part of falcon handling. */
enum class Hal { Tu102, Ga102 };

/** The HAL of @p chipset: ENOTSUPP where nova-core has none (GA100, Hopper, Blackwell). */
constexpr Result<Hal> hal_for(Chipset c) {
  switch (c.architecture()) {
    case Architecture::Turing:
      return Hal::Tu102;
    case Architecture::Ampere:
    case Architecture::Ada:
      if (c == Chipset::GA100)
        return code::ENOTSUPP;  // its falcons are not GA102's
      return Hal::Ga102;
    default:
      return code::ENOTSUPP;
  }
}

/** A block to copy: @p len bytes from @p src_start of the image to @p dst_start in falcon memory. */
struct LoadTarget {
  u32 src_start;
  u32 dst_start;
  u32 len;
};
/** What the boot ROM needs to verify a signed image (GA102 and later). */
struct BromParams {
  u32 pkc_data_offset;
  u16 engine_id_mask;
  u8 ucode_id;
};
/** How to load an image: its blocks, boot ROM parameters and start address. */
struct LoadParams {
  LoadTarget imem_sec;
  LoadTarget imem_ns;  // len 0: none
  LoadTarget dmem;
  BromParams brom;
  u32 boot_addr;
};

/** What a falcon left in its mailboxes when it halted. */
struct Mailboxes {
  u32 mbox0;
  u32 mbox1;
};

/*
 * Timeouts (microseconds): the values upstream nova-core and OpenRM use,
 * each long enough for the hardware step by a wide margin, so that only a
 * hung engine reaches one.
 */
/** GA102 HWCFG2.reset_ready before the reset pulse; upstream goes on (with a warning) after it. */
inline constexpr unsigned long RESET_READY_US = 150;
/** How long the engine reset is held (a fixed sleep, not a poll). */
inline constexpr unsigned long RESET_PULSE_US = 10;
/** Memory scrubbing after reset: GA102's HWCFG2 bit 12 clears within 20 ms. */
inline constexpr unsigned long SCRUB_GA102_US = 20000;
/** The same on Turing (DMACTL's IMEM and DMEM scrubbing bits): 10 ms. */
inline constexpr unsigned long SCRUB_TU102_US = 10000;
/** GA102 BCR_CTRL.valid after the core is switched to the falcon: 10 ms. */
inline constexpr unsigned long SELECT_CORE_US = 10000;
/** One 256-byte DMA block into IMEM or DMEM: 2 s covers a stalled bus, not a normal copy. */
inline constexpr unsigned long DMA_IDLE_US = 2000000;
/** A booted ucode halting (FWSEC runs for milliseconds): 2 s, upstream's bound for any falcon boot. */
inline constexpr unsigned long HALT_US = 2000000;
/** DMA transfers move 256 bytes each; sources are 256-aligned and below 2^49. */
inline constexpr u32 DMA_BLOCK = 256;

/** Falcon engine @p E of a chip. Holds only the HAL choice; every call takes BAR0. */
template <typename E>
class Falcon {
 public:
  /** The falcon of @p chipset; ENOTSUPP without a HAL. */
  static Result<Falcon> create(Chipset chipset, u32 boot0) {
    return Falcon(KCPP_TRY(hal_for(chipset)), boot0);
  }
  [[nodiscard]] Hal hal() const { return hal_; }

  /** Acknowledges a pending software interrupt 0 (done once the GSP falcon exists). */
  template <typename Io>
  void clear_swgen0_intr(const Io& bar) const {
    regs::NV_PFALCON_FALCON_IRQSCLR::zeroed().with_swgen0(true).write(bar, E{});
  }

  /** Resets the engine and waits until its memories are scrubbed; ETIMEDOUT otherwise. */
  template <typename Io>
  Result<void> reset(const Io& bar) const {
    using namespace regs;
    if (hal_ == Hal::Ga102) {
      // Wait (briefly, failure ignored) until the engine accepts a reset.
      (void)kcpp::io::read_poll_timeout([&] { return NV_PFALCON_FALCON_HWCFG2::read(bar, E{}); },
                                        [](auto r) { return r.reset_ready(); }, 0, RESET_READY_US);
    }
    NV_PFALCON_FALCON_ENGINE::update(bar, E{}, [](auto r) { return r.with_reset(true); });
    kcpp::io::fsleep(RESET_PULSE_US);
    NV_PFALCON_FALCON_ENGINE::update(bar, E{}, [](auto r) { return r.with_reset(false); });
    if (hal_ == Hal::Ga102) {
      KCPP_TRY(select_falcon_core(bar));
      KCPP_TRY(kcpp::io::read_poll_timeout([&] { return NV_PFALCON_FALCON_HWCFG2::read(bar, E{}); },
                                           [](auto r) { return !r.mem_scrubbing(); }, 10, SCRUB_GA102_US));
    } else {
      KCPP_TRY(kcpp::io::read_poll_timeout([&] { return NV_PFALCON_FALCON_DMACTL::read(bar, E{}); },
                                           [](auto r) { return !r.dmem_scrubbing() && !r.imem_scrubbing(); },
                                           10, SCRUB_TU102_US));
    }
    NV_PFALCON_FALCON_RM::from_raw(boot0_).write(bar, E{});
    return {};
  }

  /** Lets the engine DMA without a context and clears its DMA control. */
  template <typename Io>
  void dma_reset(const Io& bar) const {
    regs::NV_PFALCON_FBIF_CTL::update(bar, E{}, [](auto r) { return r.with_allow_phys_no_ctx(true); });
    regs::NV_PFALCON_FALCON_DMACTL::zeroed().write(bar, E{});
  }

  /**
   * Loads @p image (whose bus address the falcon reaches; PIO reads it with
   * the CPU) as @p p says: by DMA on GA102 and later, by PIO on Turing.
   */
  template <typename Io>
  Result<void> load(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadParams& p) const {
    return hal_ == Hal::Ga102 ? dma_load(bar, image, p) : pio_load(bar, image, p);
  }

  /** Loads @p image with the falcon's DMA engine. */
  template <typename Io>
  Result<void> dma_load(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadParams& p) const {
    using namespace regs;
    dma_reset(bar);
    NV_PFALCON_FBIF_TRANSCFG::zeroed()
        .with_target(FalconFbifTarget::CoherentSysmem)
        .with_mem_type(FalconFbifMemType::Physical)
        .template write<0>(bar, E{});
    if (p.imem_ns.len)
      KCPP_TRY(dma_transfer(bar, image, p.imem_ns, Mem::ImemNonSecure));
    KCPP_TRY(dma_transfer(bar, image, p.imem_sec, Mem::ImemSecure));
    KCPP_TRY(dma_transfer(bar, image, p.dmem, Mem::Dmem));
    program_brom(bar, p.brom);
    NV_PFALCON_FALCON_BOOTVEC::from_raw(p.boot_addr).write(bar, E{});
    return {};
  }

  /** Loads @p image through the IMEM/DMEM ports (lengths multiples of 4). */
  template <typename Io>
  Result<void> pio_load(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadParams& p) const {
    using namespace regs;
    dma_reset(bar);
    if (p.imem_ns.len)
      KCPP_TRY(pio_imem(bar, image, p.imem_ns, false));
    KCPP_TRY(pio_imem(bar, image, p.imem_sec, true));
    KCPP_TRY(pio_dmem(bar, image, p.dmem));
    program_brom(bar, p.brom);
    NV_PFALCON_FALCON_BOOTVEC::from_raw(p.boot_addr).write(bar, E{});
    return {};
  }

  /**
   * Starts the loaded code, with the mailbox values given written first
   * (`{}` leaves a mailbox as it is), and waits (2 s) until it halts;
   * returns the mailboxes then. ETIMEDOUT if it never halts.
   */
  template <typename Io>
  Result<Mailboxes> boot(const Io& bar, kcpp::Option<u32> mbox0, kcpp::Option<u32> mbox1) const {
    using namespace regs;
    if (mbox0.is_some())
      NV_PFALCON_FALCON_MAILBOX0::from_raw(mbox0.expect("is_some() above")).write(bar, E{});
    if (mbox1.is_some())
      NV_PFALCON_FALCON_MAILBOX1::from_raw(mbox1.expect("is_some() above")).write(bar, E{});
    if (NV_PFALCON_FALCON_CPUCTL::read(bar, E{}).alias_en())
      NV_PFALCON_FALCON_CPUCTL_ALIAS::zeroed().with_startcpu(true).write(bar, E{});
    else
      NV_PFALCON_FALCON_CPUCTL::zeroed().with_startcpu(true).write(bar, E{});
    KCPP_TRY(kcpp::io::read_poll_timeout([&] { return NV_PFALCON_FALCON_CPUCTL::read(bar, E{}); },
                                         [](auto r) { return r.halted(); }, 100, HALT_US));
    return Mailboxes{NV_PFALCON_FALCON_MAILBOX0::read(bar, E{}).value(),
                     NV_PFALCON_FALCON_MAILBOX1::read(bar, E{}).value()};
  }

  /**
   * The fuse version of ucode @p ucode_id for the engines of
   * @p engine_id_mask (GA102 and later; 0 on Turing): one plus the index
   * of the highest bit set in the fuse register. EINVAL for ids outside
   * 1..16 or an engine without fuses.
   */
  template <typename Io>
  Result<u32> signature_reg_fuse_version(const Io& bar, u16 engine_id_mask, u8 ucode_id) const {
    using namespace regs;
    if (hal_ == Hal::Tu102)
      return u32(0);
    if (ucode_id < 1 || ucode_id > 16)
      return code::EINVAL;
    const usize i = ucode_id - 1;
    u32 fuse;
    if (engine_id_mask & 0x0001)
      fuse = KCPP_TRY(NV_FUSE_OPT_FPF_SEC2_UCODE1_VERSION::try_read(bar, i)).data();
    else if (engine_id_mask & 0x0004)
      fuse = KCPP_TRY(NV_FUSE_OPT_FPF_NVDEC_UCODE1_VERSION::try_read(bar, i)).data();
    else if (engine_id_mask & 0x0400)
      fuse = KCPP_TRY(NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION::try_read(bar, i)).data();
    else
      return code::EINVAL;
    return fuse ? u32(32 - __builtin_clz(fuse)) : 0u;
  }

  /** Whether the engine's RISC-V core runs (what Booter leaves the GSP in). */
  template <typename Io>
  [[nodiscard]] bool is_riscv_active(const Io& bar) const {
    if (hal_ == Hal::Ga102)
      return regs::NV_PRISCV_RISCV_CPUCTL::read(bar, E{}).active_stat();
    return regs::NV_PRISCV_RISCV_CORE_SWITCH_RISCV_STATUS::read(bar, E{}).active_stat();
  }

  /** Tells the GSP bootloader which OS version it runs. */
  template <typename Io>
  void write_os_version(const Io& bar, u32 v) const {
    regs::NV_PFALCON_FALCON_OS::from_raw(v).write(bar, E{});
  }

 private:
  enum class Mem { ImemSecure, ImemNonSecure, Dmem };

  Falcon(Hal h, u32 boot0) : hal_(h), boot0_(boot0) {}

  template <typename Io>
  Result<void> select_falcon_core(const Io& bar) const {
    using regs::NV_PRISCV_RISCV_BCR_CTRL;
    if (NV_PRISCV_RISCV_BCR_CTRL::read(bar, E{}).core_select()) {
      NV_PRISCV_RISCV_BCR_CTRL::zeroed().with_core_select(false).write(bar, E{});
      KCPP_TRY(kcpp::io::read_poll_timeout([&] { return NV_PRISCV_RISCV_BCR_CTRL::read(bar, E{}); },
                                           [](auto r) { return r.valid(); }, 10, SELECT_CORE_US));
    }
    return {};
  }

  template <typename Io>
  void program_brom(const Io& bar, const BromParams& b) const {
    using namespace regs;
    if (hal_ != Hal::Ga102)
      return;
    NV_PFALCON2_FALCON_BROM_PARAADDR::from_raw(b.pkc_data_offset).template write<0>(bar, E{});
    NV_PFALCON2_FALCON_BROM_ENGIDMASK::from_raw(b.engine_id_mask).write(bar, E{});
    NV_PFALCON2_FALCON_BROM_CURR_UCODE_ID::zeroed()
        .with_ucode_id(kcpp::io::Bits<8>::masked(b.ucode_id))
        .write(bar, E{});
    NV_PFALCON2_FALCON_MOD_SEL::zeroed().with_algo(NV_PFALCON2_FALCON_MOD_SEL::RSA3K).write(bar, E{});
  }

  // One DMA transfer of t, in 256-byte blocks. IMEM blocks are addressed from
  // the image's base (the offset doubles as the tag); DMEM from base + src.
  template <typename Io>
  Result<void> dma_transfer(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadTarget& t,
                            Mem mem) const {
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
      KCPP_TRY(kcpp::io::read_poll_timeout([&] { return NV_PFALCON_FALCON_DMATRFCMD::read(bar, E{}); },
                                           [](auto r) { return r.idle(); }, 10, DMA_IDLE_US));
    }
    return {};
  }

  template <typename Io>
  Result<void> pio_imem(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadTarget& t,
                        bool secure) const {
    using namespace regs;
    if (t.len % 4 || t.dst_start % DMA_BLOCK)
      return code::EINVAL;
    NV_PFALCON_FALCON_IMEMC::zeroed()
        .with_offs(KCPP_TRY(kcpp::io::Bits<16>::try_new(t.dst_start)))
        .with_aincw(true)
        .with_secure(secure)
        .template write<0>(bar, E{});
    u8 block[DMA_BLOCK];
    for (u32 pos = 0; pos < t.len; pos += DMA_BLOCK) {
      const u32 n = t.len - pos < DMA_BLOCK ? t.len - pos : DMA_BLOCK;
      __builtin_memset(block, 0, sizeof(block));
      // SAFETY: block is a local array of DMA_BLOCK bytes and n <= DMA_BLOCK, so the span covers live
      // bytes that outlive this one call.
      KCPP_TRY(image.read_into(usize(t.src_start) + pos, kcpp::Span<u8>::unsafe_from_raw(block, n)));
      NV_PFALCON_FALCON_IMEMT::zeroed()
          .with_tag(kcpp::io::Bits<16>::masked((t.dst_start + pos) >> 8))
          .template write<0>(bar, E{});
      for (u32 i = 0; i < DMA_BLOCK; i += 4)  // whole blocks: the tail is zero-padded
        NV_PFALCON_FALCON_IMEMD::from_raw(
            kcpp::bytes::read<u32>(kcpp::Span<const u8>(block), i).expect("i + 4 <= the block's size"))
            .template write<0>(bar, E{});
    }
    return {};
  }

  template <typename Io>
  Result<void> pio_dmem(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadTarget& t) const {
    using namespace regs;
    if (t.len % 4)
      return code::EINVAL;
    NV_PFALCON_FALCON_DMEMC::zeroed()
        .with_offs(KCPP_TRY(kcpp::io::Bits<16>::try_new(t.dst_start)))
        .with_aincw(true)
        .template write<0>(bar, E{});
    u8 word[4];
    for (u32 pos = 0; pos < t.len; pos += 4) {
      KCPP_TRY(image.read_into(usize(t.src_start) + pos, kcpp::Span<u8>(word)));
      NV_PFALCON_FALCON_DMEMD::from_raw(
          kcpp::bytes::read<u32>(kcpp::Span<const u8>(word), 0).expect("word is 4 bytes"))
          .template write<0>(bar, E{});
    }
    return {};
  }

  Hal hal_;
  u32 boot0_;
};

}  // namespace nova::falcon

#endif  // NOVA_CORE_FALCON_H

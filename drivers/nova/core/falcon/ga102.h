/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The falcon HAL of GA102 and later (Ampere but GA100, and Ada).
 *
 * These falcons wait for reset readiness before the pulse, switch the core
 * from RISC-V to the falcon after it, report scrubbing in HWCFG2, are
 * loaded by their DMA engine, take the signature's location from boot ROM
 * registers, and have per-ucode fuse versions that select a signature.
 */
#ifndef NOVA_CORE_FALCON_GA102_H
#define NOVA_CORE_FALCON_GA102_H

#include "../clock.h"
#include "engine.h"

namespace nova::falcon {

/** HWCFG2.reset_ready before the reset pulse: 150 us; upstream goes on (with a warning) after it. */
inline constexpr unsigned long RESET_READY_US = 150;
/** Memory scrubbing after reset: GA102's HWCFG2 bit 12 clears within 20 ms (upstream and OpenRM). */
inline constexpr unsigned long SCRUB_GA102_US = 20000;
/** BCR_CTRL.valid after the core is switched to the falcon: 10 ms (upstream). */
inline constexpr unsigned long SELECT_CORE_US = 10000;

/** The falcon HAL of GA102 and later. */
struct Ga102 {
  /** The HAL's name, for log lines. */
  static constexpr const char* NAME = "GA102";

  /** Waits (briefly, failure ignored, as upstream) until the engine accepts a reset. */
  template <typename E, typename Io>
  static void wait_reset_ready(const Io& bar) {
    using regs::NV_PFALCON_FALCON_HWCFG2;
    (void)nova::poll_timeout(
        bar, [&] { return NV_PFALCON_FALCON_HWCFG2::read(bar, E{}); }, [](auto r) { return r.reset_ready(); },
        0, RESET_READY_US);
  }

  /** After the pulse: selects the falcon core, then waits until memory is scrubbed (HWCFG2). */
  template <typename E, typename Io>
  static Result<void> after_reset(const Io& bar) {
    using regs::NV_PFALCON_FALCON_HWCFG2;
    KCPP_TRY(select_falcon_core<E>(bar));
    KCPP_TRY(nova::poll_timeout(
        bar, [&] { return NV_PFALCON_FALCON_HWCFG2::read(bar, E{}); },
        [](auto r) { return !r.mem_scrubbing(); }, 10, SCRUB_GA102_US));
    return {};
  }

  /** Loads @p image with the falcon's DMA engine and programs the boot ROM. */
  template <typename E, typename Io>
  static Result<void> load(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadParams& p) {
    using namespace regs;
    using Eng = Engine<E>;
    Eng::dma_reset(bar);
    NV_PFALCON_FBIF_TRANSCFG::zeroed()
        .with_target(FalconFbifTarget::CoherentSysmem)
        .with_mem_type(FalconFbifMemType::Physical)
        .template write<0>(bar, E{});
    if (p.imem_ns.len)
      KCPP_TRY(Eng::dma_transfer(bar, image, p.imem_ns, Mem::ImemNonSecure));
    KCPP_TRY(Eng::dma_transfer(bar, image, p.imem_sec, Mem::ImemSecure));
    KCPP_TRY(Eng::dma_transfer(bar, image, p.dmem, Mem::Dmem));
    program_brom<E>(bar, p.brom);
    Eng::write_boot_vector(bar, p.boot_addr);
    return {};
  }

  /**
   * The fuse version of ucode @p ucode_id for the engines of
   * @p engine_id_mask: one plus the index of the highest bit set in the
   * fuse register. EINVAL for ids outside 1..16 or an engine without fuses.
   */
  template <typename E, typename Io>
  static Result<u32> signature_fuse_version(const Io& bar, u16 engine_id_mask, u8 ucode_id) {
    using namespace regs;
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

  /** Whether the RISC-V core runs (RISCV_CPUCTL). */
  template <typename E, typename Io>
  static bool is_riscv_active(const Io& bar) {
    return regs::NV_PRISCV_RISCV_CPUCTL::read(bar, E{}).active_stat();
  }

 private:
  template <typename E, typename Io>
  static Result<void> select_falcon_core(const Io& bar) {
    using regs::NV_PRISCV_RISCV_BCR_CTRL;
    if (NV_PRISCV_RISCV_BCR_CTRL::read(bar, E{}).core_select()) {
      NV_PRISCV_RISCV_BCR_CTRL::zeroed().with_core_select(false).write(bar, E{});
      KCPP_TRY(nova::poll_timeout(
          bar, [&] { return NV_PRISCV_RISCV_BCR_CTRL::read(bar, E{}); }, [](auto r) { return r.valid(); }, 10,
          SELECT_CORE_US));
    }
    return {};
  }

  template <typename E, typename Io>
  static void program_brom(const Io& bar, const BromParams& b) {
    using namespace regs;
    NV_PFALCON2_FALCON_BROM_PARAADDR::from_raw(b.pkc_data_offset).template write<0>(bar, E{});
    NV_PFALCON2_FALCON_BROM_ENGIDMASK::from_raw(b.engine_id_mask).write(bar, E{});
    NV_PFALCON2_FALCON_BROM_CURR_UCODE_ID::zeroed()
        .with_ucode_id(kcpp::io::Bits<8>::masked(b.ucode_id))
        .write(bar, E{});
    NV_PFALCON2_FALCON_MOD_SEL::zeroed().with_algo(NV_PFALCON2_FALCON_MOD_SEL::RSA3K).write(bar, E{});
  }
};

}  // namespace nova::falcon

#endif  // NOVA_CORE_FALCON_GA102_H

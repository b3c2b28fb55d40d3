/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The falcon HAL of Turing (TU102 to TU117), which GA100 shares.
 *
 * Turing's falcons need no wait before the reset pulse, report their
 * memories scrubbed in DMACTL, are loaded by PIO through the IMEM/DMEM
 * ports, have no boot ROM parameters to program and no fuse versions to
 * pick a signature by, and show an active RISC-V core in
 * CORE_SWITCH_RISCV_STATUS.
 */
#ifndef NOVA_CORE_FALCON_TU102_H
#define NOVA_CORE_FALCON_TU102_H

#include "../clock.h"
#include "engine.h"

namespace nova::falcon {

/** Turing's DMACTL IMEM and DMEM scrubbing bits clear within 10 ms (upstream and OpenRM). */
inline constexpr unsigned long SCRUB_TU102_US = 10000;

/** The falcon HAL of Turing. */
struct Tu102 {
  /** The HAL's name, for log lines. */
  static constexpr const char* NAME = "TU102";

  /** Nothing to wait for before the reset pulse. */
  template <typename E, typename Io>
  static void wait_reset_ready(const Io&) {}

  /** After the pulse: waits until IMEM and DMEM are scrubbed (DMACTL). */
  template <typename E, typename Io>
  static Result<void> after_reset(const Io& bar) {
    using regs::NV_PFALCON_FALCON_DMACTL;
    KCPP_TRY(nova::poll_timeout(
        bar, [&] { return NV_PFALCON_FALCON_DMACTL::read(bar, E{}); },
        [](auto r) { return !r.dmem_scrubbing() && !r.imem_scrubbing(); }, 10, SCRUB_TU102_US));
    return {};
  }

  /** Loads @p image through the IMEM/DMEM ports; the boot ROM takes no parameters. */
  template <typename E, typename Io>
  static Result<void> load(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadParams& p) {
    using Eng = Engine<E>;
    Eng::dma_reset(bar);
    if (p.imem_ns.len)
      KCPP_TRY(Eng::pio_imem(bar, image, p.imem_ns, false));
    KCPP_TRY(Eng::pio_imem(bar, image, p.imem_sec, true));
    KCPP_TRY(Eng::pio_dmem(bar, image, p.dmem));
    Eng::write_boot_vector(bar, p.boot_addr);
    return {};
  }

  /** Turing reads no fuse version: 0, which makes Booter take its last signature. */
  template <typename E, typename Io>
  static Result<u32> signature_fuse_version(const Io&, u16, u8) {
    return u32(0);
  }

  /** Whether the RISC-V core runs (CORE_SWITCH_RISCV_STATUS). */
  template <typename E, typename Io>
  static bool is_riscv_active(const Io& bar) {
    return regs::NV_PRISCV_RISCV_CORE_SWITCH_RISCV_STATUS::read(bar, E{}).active_stat();
  }
};

}  // namespace nova::falcon

#endif  // NOVA_CORE_FALCON_TU102_H

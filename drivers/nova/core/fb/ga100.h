/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The framebuffer HAL of GA100: the sysmem flush address in two registers
 * (bits 63:40 too), the VRAM size as on Turing, the display fuse of GA100's
 * layout.
 */
#ifndef NOVA_CORE_FB_GA100_H
#define NOVA_CORE_FB_GA100_H

#include "tu102.h"

namespace nova::fb {

/** The framebuffer HAL of GA100: Turing's VRAM size, a 64-bit flush address. */
struct Ga100 {
  /** The HAL's name, for log lines. */
  static constexpr const char* NAME = "GA100";
  /** GA100 runs no FWSEC-FRTS: its FRTS is empty. */
  static constexpr kcpp::u64 FRTS_SIZE = 0;

  /** Gives the GPU the flush page's bus address @p addr (any 64-bit address). */
  template <typename Io>
  static kcpp::Result<void> write_flush_addr(const Io& bar, kcpp::u64 addr) {
    regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI::zeroed()
        .with_adr_63_40(kcpp::io::Bits<24>::masked(addr >> 40))
        .write(bar);
    regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::from_raw(kcpp::u32(addr >> 8)).write(bar);
    return {};
  }
  /** The flush address the GPU holds. */
  template <typename Io>
  static kcpp::u64 read_flush_addr(const Io& bar) {
    // Low part first, then high, in this order.
    const kcpp::u64 lo = Tu102::read_flush_addr(bar);
    const kcpp::u64 hi = regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI::read(bar).adr_63_40();
    return lo | hi << 40;
  }
  /** Clears the flush address, high part first. */
  template <typename Io>
  static void clear_flush_addr(const Io& bar) {
    regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI::zeroed().write(bar);
    Tu102::clear_flush_addr(bar);
  }
  /** VRAM size in bytes, as on Turing. */
  template <typename Io>
  static kcpp::u64 vidmem_size(const Io& bar) {
    return Tu102::vidmem_size(bar);
  }
  /** Whether the chip has a display engine (GA100's fuse layout). */
  template <typename Io>
  static bool supports_display(const Io& bar) {
    return !regs::NV_FUSE_STATUS_OPT_DISPLAY_GA100::read(bar).display_disabled();
  }
};

}  // namespace nova::fb

#endif  // NOVA_CORE_FB_GA100_H

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The framebuffer HAL of Turing: the sysmem flush address in one register
 * (bits 39:8), the VRAM size from the MMU's local memory range, the display
 * fuse of GM107's layout.
 */
#ifndef NOVA_CORE_FB_TU102_H
#define NOVA_CORE_FB_TU102_H

#include <kcpp/core/error.h>

#include "../regs.h"

namespace nova::fb {

/** The framebuffer HAL of Turing. */
struct Tu102 {
  /** The HAL's name, for log lines. */
  static constexpr const char* NAME = "TU102";
  /** FRTS, the part of WPR2 FWSEC-FRTS fills: 1 MiB. */
  static constexpr kcpp::u64 FRTS_SIZE = kcpp::u64(1) << 20;

  /** Gives the GPU the flush page's bus address @p addr; EINVAL above 40 bits, which Turing cannot hold. */
  template <typename Io>
  static kcpp::Result<void> write_flush_addr(const Io& bar, kcpp::u64 addr) {
    if ((addr >> 8) > 0xffffffffull)
      return kcpp::code::EINVAL;
    regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::from_raw(kcpp::u32(addr >> 8)).write(bar);
    return {};
  }
  /** The flush address the GPU holds. */
  template <typename Io>
  static kcpp::u64 read_flush_addr(const Io& bar) {
    return kcpp::u64(regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::read(bar).adr_39_08()) << 8;
  }
  /** Clears the flush address. */
  template <typename Io>
  static void clear_flush_addr(const Io& bar) {
    regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::zeroed().write(bar);
  }
  /** VRAM size in bytes (the MMU's local memory range). */
  template <typename Io>
  static kcpp::u64 vidmem_size(const Io& bar) {
    return regs::NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE::read(bar).usable_fb_size();
  }
  /** Whether the chip has a display engine (GM107's fuse layout). */
  template <typename Io>
  static bool supports_display(const Io& bar) {
    return !regs::NV_FUSE_STATUS_OPT_DISPLAY_GM107::read(bar).display_disabled();
  }
};

}  // namespace nova::fb

#endif  // NOVA_CORE_FB_TU102_H

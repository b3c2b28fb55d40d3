/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The framebuffer HAL of GA102 and later (Ada included): GA100's flush
 * address and display fuse, the VRAM size from NV_USABLE_FB_SIZE_IN_MB.
 */
#ifndef NOVA_CORE_FB_GA102_H
#define NOVA_CORE_FB_GA102_H

#include "ga100.h"

namespace nova::fb {

/** The framebuffer HAL of GA102 and later: GA100's, but for the VRAM size. */
struct Ga102 : Ga100 {
  /** The HAL's name, for log lines. */
  static constexpr const char* NAME = "GA102";
  /** FRTS: 1 MiB, as on Turing (not GA100's 0). */
  static constexpr kcpp::u64 FRTS_SIZE = kcpp::u64(1) << 20;

  /** VRAM size in bytes (NV_USABLE_FB_SIZE_IN_MB). */
  template <typename Io>
  static kcpp::u64 vidmem_size(const Io& bar) {
    return kcpp::u64(regs::NV_USABLE_FB_SIZE_IN_MB::read(bar).value()) << 20;
  }
};

}  // namespace nova::fb

#endif  // NOVA_CORE_FB_GA102_H

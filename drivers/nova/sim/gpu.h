/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated NVIDIA GPU: its BAR0 register file set up as a given chip
 * presents itself at power-on. So far the identification registers; the
 * GFW, falcon and FWSEC behaviours follow with the probe steps that need
 * them.
 */
#ifndef NOVA_SIM_GPU_H
#define NOVA_SIM_GPU_H

#include "../core/gpu.h"
#include "../core/regs.h"
#include "regs_model.h"

namespace nova::sim {

/** BOOT_42 as chip @p id at revision @p major.@p minor reports it. */
constexpr u32 boot42_of(u32 id, u32 major, u32 minor) {
  return ((id >> 4) << 24) | ((id & 0xf) << 20) | (major << 16) | (minor << 12);
}

/** BOOT_0 of a Fermi-or-later chip @p id (the form nouveau prints, e.g. 0xb72000a1 for GA102). */
constexpr u32 boot0_of(u32 id) {
  const u32 arch = id >> 4;
  return 0xa0000000u | ((arch & 0x1f) << 24) | ((id & 0xf) << 20) | ((arch >> 5) << 8) | 0xa1;
}

/** A simulated GPU. Not movable (its register file is large). */
class Gpu {
 public:
  /** Chip @p id (see nova::kChipsets, or any value to test refusal) at revision a.1. */
  explicit Gpu(u32 id, u32 major = 0xa, u32 minor = 1) {
    regs_.set(regs::NV_PMC_BOOT_0::offset, boot0_of(id));
    regs_.set(regs::NV_PMC_BOOT_42::offset, boot42_of(id, major, minor));
  }
  Gpu(const Gpu&) = delete;
  Gpu& operator=(const Gpu&) = delete;
  /** BAR0. */
  [[nodiscard]] const RegisterFile& bar0() const { return regs_; }
  /** BAR0, for tests that change what the hardware shows. */
  [[nodiscard]] RegisterFile& bar0_mut() { return regs_; }

 private:
  RegisterFile regs_;
};

} // namespace nova::sim

#endif // NOVA_SIM_GPU_H

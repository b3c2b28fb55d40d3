/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated GPU's register storage: a sparse file of 32-bit registers.
 * Registers never set read as zero (real GPUs return 0xbad0.... patterns for
 * unimplemented registers; nova's probe relies on neither). The BAR the
 * driver sees (sim::Bar0 in gpu.h) reads and writes it, adding behaviour.
 */
#ifndef NOVA_SIM_REGS_MODEL_H
#define NOVA_SIM_REGS_MODEL_H

#include <kcpp/core/error.h>
#include <kcpp/core/types.h>

namespace nova::sim {

using kcpp::u32;
using kcpp::usize;

/** BAR0 of the simulated GPU: 16 MiB, as on the real parts. */
class RegisterFile {
 public:
  static constexpr usize MIN_SIZE = 16 << 20;
  static constexpr usize SLOTS = 256;

  /** Sets register @p off (a 32-bit register) as the hardware would. */
  void set(usize off, u32 v) {
    for (usize i = 0; i < used_; i++)
      if (slots_[i].off == off) {
        slots_[i].value = v;
        return;
      }
    if (used_ < SLOTS)
      slots_[used_++] = {off, v};
    else
      overflowed_ = true;
  }
  /** The value of register @p off (0 if never set). */
  [[nodiscard]] u32 get(usize off) const {
    for (usize i = 0; i < used_; i++)
      if (slots_[i].off == off)
        return slots_[i].value;
    return 0;
  }
  /** True if a register could not be stored (the model is too small). */
  [[nodiscard]] bool overflowed() const { return overflowed_; }

 private:
  struct Slot {
    usize off;
    u32 value;
  };
  Slot slots_[SLOTS] = {};
  usize used_ = 0;
  bool overflowed_ = false;
};

}  // namespace nova::sim

#endif  // NOVA_SIM_REGS_MODEL_H

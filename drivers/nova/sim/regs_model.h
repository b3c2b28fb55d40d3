/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated GPU's BAR0: a sparse register file with the I/O interface
 * of kcpp's typed registers (read_at/write_at/try_read/try_write and a
 * compile-time size), so nova-core's code reads it exactly as it reads a
 * mapped BAR. Registers never set read as zero (real GPUs return 0xbad0....
 * patterns for unimplemented registers; nova's probe relies on neither).
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
  static constexpr usize min_size = 16 << 20;
  static constexpr usize kSlots = 256;

  /** Sets register @p off (a 32-bit register) as the hardware would. */
  void set(usize off, u32 v) {
    for (usize i = 0; i < used_; i++)
      if (slots_[i].off == off) {
        slots_[i].value = v;
        return;
      }
    if (used_ < kSlots)
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

  // The I/O interface of kcpp/io/register.h (32-bit registers only).
  template <typename W, usize Off>
  [[nodiscard]] W read_at() const {
    static_assert(sizeof(W) == 4 && Off % 4 == 0 && Off + 4 <= min_size,
                  "nova sim: 32-bit registers inside BAR0 only");
    return get(Off);
  }
  template <typename W, usize Off>
  void write_at(W v) const {
    static_assert(sizeof(W) == 4 && Off % 4 == 0 && Off + 4 <= min_size,
                  "nova sim: 32-bit registers inside BAR0 only");
    const_cast<RegisterFile*>(this)->set(Off, v);
  }
  template <typename W>
  [[nodiscard]] kcpp::Result<W> try_read(usize off) const {
    if (sizeof(W) != 4 || off % 4 || off > min_size - 4)
      return kcpp::code::EINVAL;
    return static_cast<W>(get(off));
  }
  template <typename W>
  [[nodiscard]] kcpp::Result<void> try_write(W v, usize off) const {
    if (sizeof(W) != 4 || off % 4 || off > min_size - 4)
      return kcpp::code::EINVAL;
    const_cast<RegisterFile*>(this)->set(off, static_cast<u32>(v));
    return {};
  }

 private:
  struct Slot {
    usize off;
    u32 value;
  };
  Slot slots_[kSlots] = {};
  usize used_ = 0;
  bool overflowed_ = false;
};

} // namespace nova::sim

#endif // NOVA_SIM_REGS_MODEL_H

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-core's registers, in kcpp's register DSL (kcpp/io/register.h).
 * Offsets and fields: BAR0 of NVIDIA GPUs from Turing on, as nova-core
 * uses them (shared/reference/nova-core.md, section 1.9). This first part
 * holds what chipset identification reads; the falcon, framebuffer and GFW
 * registers follow with the code that uses them.
 */
#ifndef NOVA_CORE_REGS_H
#define NOVA_CORE_REGS_H

#include <kcpp/io/register.h>

namespace nova::regs {

using kcpp::u32;

/**
 * NV_PMC_BOOT_0: the identification register every NVIDIA GPU since NV04
 * has. Enough to tell pre-Fermi parts apart; the architecture is split in
 * two fields (bit 8 is its most significant bit).
 */
struct NV_PMC_BOOT_0 : kcpp::io::Register<NV_PMC_BOOT_0, u32, 0x000000> {
  KCPP_REG_FIELD(3, 0, minor_revision);
  KCPP_REG_FIELD(7, 4, major_revision);
  KCPP_REG_FIELD(8, 8, architecture_1);
  KCPP_REG_FIELD(23, 20, implementation);
  KCPP_REG_FIELD(28, 24, architecture_0);

  /** The first Fermi architecture value (GF100). */
  static constexpr u32 ARCHITECTURE_GF100 = 0xc;
  /** NV04 to Tesla: BOOT_42 may not exist, and nova-core does not drive these. */
  [[nodiscard]] constexpr bool is_older_than_fermi() const {
    return !architecture_1() && architecture_0() < ARCHITECTURE_GF100;
  }
};

/** NV_PMC_BOOT_42: identification from Turing on (what nova-core decodes). */
struct NV_PMC_BOOT_42 : kcpp::io::Register<NV_PMC_BOOT_42, u32, 0x000a00> {
  KCPP_REG_FIELD(15, 12, minor_revision);
  KCPP_REG_FIELD(19, 16, major_revision);
  KCPP_REG_FIELD(23, 20, implementation);
  KCPP_REG_FIELD(29, 24, architecture);
};

} // namespace nova::regs

#endif // NOVA_CORE_REGS_H

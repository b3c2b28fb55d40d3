/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Chipset identification: which GPU is behind BAR0 (the first probe step).
 *
 * NV_PMC_BOOT_0 rules out pre-Fermi parts; NV_PMC_BOOT_42 gives the
 * architecture and implementation, whose combination (arch << 4 | impl)
 * names the chipset. The table covers what upstream nova-core knows:
 * Turing, Ampere and Ada (driven), Hopper and Blackwell (identified only).
 * Anything else is ENODEV with a log line saying what was read.
 *
 * The code reads registers through any kcpp I/O type: the mapped BAR0 of a
 * real GPU, or the simulated one of drivers/nova/sim.
 */
#ifndef NOVA_CORE_CHIPSET_H
#define NOVA_CORE_CHIPSET_H

#include <kcpp/core/compare.h>
#include <kcpp/core/error.h>
#include <kcpp/device.h>
#include <kcpp/print.h>

#include "regs.h"

namespace nova {

using kcpp::u32;

/** GPU architectures, by their BOOT_42 value. */
enum class Architecture : u32 {
  Turing = 0x16,
  Ampere = 0x17,
  Hopper = 0x18,
  Ada = 0x19,
  BlackwellGB10x = 0x1a,
  BlackwellGB20x = 0x1b,
};

/** The architecture's name, as upstream prints it. */
constexpr const char* name(Architecture a) {
  switch (a) {
    case Architecture::Turing:
      return "Turing";
    case Architecture::Ampere:
      return "Ampere";
    case Architecture::Hopper:
      return "Hopper";
    case Architecture::Ada:
      return "Ada";
    case Architecture::BlackwellGB10x:
      return "BlackwellGB10x";
    case Architecture::BlackwellGB20x:
      return "BlackwellGB20x";
  }
  return "?";
}

/** An architecture value of BOOT_42, if nova knows it. */
constexpr kcpp::Result<Architecture> architecture_from(u32 v) {
  switch (v) {
    case 0x16:
    case 0x17:
    case 0x18:
    case 0x19:
    case 0x1a:
    case 0x1b:
      return static_cast<Architecture>(v);
    default:
      return kcpp::code::ENODEV;
  }
}

/** One chipset of the table: its id ((arch << 4) | implementation) and names. */
struct ChipsetInfo {
  u32 id;             ///< (architecture << 4) | implementation, as BOOT_42 gives them
  const char* upper;  ///< "GA102", for log lines
  const char* lower;  ///< "ga102", for firmware paths

  /**
   * Whether nova-core boots it through SEC2 and Booter with the GSP files
   * (Turing, Ampere, Ada); Hopper and Blackwell boot through FSP.
   */
  [[nodiscard]] constexpr bool boots_through_sec2() const {
    const Architecture a = static_cast<Architecture>(id >> 4);
    return a == Architecture::Turing || a == Architecture::Ampere || a == Architecture::Ada;
  }
  /**
   * Whether its GSP falcon runs FWSEC through the generic bootloader
   * (Turing and GA100, whose falcons load by PIO); GA102 and later DMA
   * FWSEC in directly.
   *
   * @code{.cpp}
   * static_assert(nova::Chipset::TU117.needs_fwsec_bootloader() && nova::Chipset::GA100.needs_fwsec_bootloader());
   * static_assert(!nova::Chipset::GA102.needs_fwsec_bootloader() && !nova::Chipset::AD107.needs_fwsec_bootloader());
   * @endcode
   */
  [[nodiscard]] constexpr bool needs_fwsec_bootloader() const {
    return static_cast<Architecture>(id >> 4) == Architecture::Turing || id == 0x170;
  }
};

/**
 * The one table of chipsets nova identifies, ordered by id (as upstream
 * compares them): X(NAME, id, firmware directory). The list of
 * ChipsetInfo and the Chipset constants (Chipset::GA102) are both made
 * from it.
 */
// clang-format off
#define NOVA_CHIPSETS(X) \
  X(TU102, 0x162, "tu102") \
  X(TU104, 0x164, "tu104") \
  X(TU106, 0x166, "tu106") \
  X(TU117, 0x167, "tu117") \
  X(TU116, 0x168, "tu116") \
  X(GA100, 0x170, "ga100") \
  X(GA102, 0x172, "ga102") \
  X(GA103, 0x173, "ga103") \
  X(GA104, 0x174, "ga104") \
  X(GA106, 0x176, "ga106") \
  X(GA107, 0x177, "ga107") \
  X(GH100, 0x180, "gh100") \
  X(AD102, 0x192, "ad102") \
  X(AD103, 0x193, "ad103") \
  X(AD104, 0x194, "ad104") \
  X(AD106, 0x196, "ad106") \
  X(AD107, 0x197, "ad107") \
  X(GB100, 0x1a0, "gb100") \
  X(GB102, 0x1a2, "gb102") \
  X(GB202, 0x1b2, "gb202") \
  X(GB203, 0x1b3, "gb203") \
  X(GB205, 0x1b5, "gb205") \
  X(GB206, 0x1b6, "gb206") \
  X(GB207, 0x1b7, "gb207")
// clang-format on

/** Every chipset of NOVA_CHIPSETS, in its order. */
inline constexpr ChipsetInfo CHIPSETS[] = {
#define NOVA_CHIPSET_INFO_(name, id, dir) {id, #name, dir},
    NOVA_CHIPSETS(NOVA_CHIPSET_INFO_)
#undef NOVA_CHIPSET_INFO_
};

/**
 * A chipset of the table. Compares by id, as upstream orders them, so
 * that code asks `chipset >= Chipset::GA102`, never for a hex id.
 *
 * @code{.cpp}
 * // BOOT_42's architecture and implementation of a GA102, combined:
 * const nova::Chipset c = KCPP_TRY(nova::Chipset::from_id((0x17 << 4) | 0x2));
 * KCPP_ASSERT(c == nova::Chipset::GA102);
 * KCPP_ASSERT(c > nova::Chipset::GA100 && c < nova::Chipset::AD102);
 * KCPP_ASSERT(c.architecture() == nova::Architecture::Ampere && c.boots_through_sec2());
 * KCPP_ASSERT_EQ(__builtin_strcmp(c.name(), "GA102"), 0);
 * KCPP_ASSERT_EQ(__builtin_strcmp(c.firmware_dir(), "ga102"), 0);
 * // Hopper is identified, but boots through FSP; an unknown id is refused.
 * KCPP_ASSERT(!nova::Chipset::GH100.boots_through_sec2());
 * KCPP_ASSERT_EQ(nova::Chipset::from_id((0x17 << 4) | 0xf).error(), kcpp::code::ENODEV);
 * KCPP_ASSERT_EQ(nova::architecture_from(0x15).error(), kcpp::code::ENODEV);
 * @endcode
 */
class Chipset {
 public:
  /** The chipset with @p id; ENODEV if nova does not know it. */
  static constexpr kcpp::Result<Chipset> from_id(u32 id) {
    for (const ChipsetInfo& c : CHIPSETS)
      if (c.id == id)
        return Chipset(id);
    return kcpp::code::ENODEV;
  }
  /** (architecture << 4) | implementation. */
  [[nodiscard]] constexpr u32 id() const { return id_; }
  /** "GA102". */
  [[nodiscard]] constexpr const char* name() const { return info().upper; }
  /** "ga102": the directory of its firmware under nvidia/. */
  [[nodiscard]] constexpr const char* firmware_dir() const { return info().lower; }
  /** See ChipsetInfo::boots_through_sec2(). */
  [[nodiscard]] constexpr bool boots_through_sec2() const { return info().boots_through_sec2(); }
  /** See ChipsetInfo::needs_fwsec_bootloader(). */
  [[nodiscard]] constexpr bool needs_fwsec_bootloader() const { return info().needs_fwsec_bootloader(); }
  /** The architecture: the id's upper bits. */
  [[nodiscard]] constexpr Architecture architecture() const { return static_cast<Architecture>(id_ >> 4); }
  /** Whether @p a and @p b are the same chipset. */
  friend constexpr bool operator==(Chipset a, Chipset b) { return a.id_ == b.id_; }
  /** Orders by id: by architecture, then implementation. */
  friend constexpr auto operator<=>(Chipset a, Chipset b) { return a.id_ <=> b.id_; }

#define NOVA_CHIPSET_DECLARE_(name, id, dir) static const Chipset name;
  NOVA_CHIPSETS(NOVA_CHIPSET_DECLARE_)
#undef NOVA_CHIPSET_DECLARE_

 private:
  constexpr explicit Chipset(u32 id) : id_(id) {}
  // The table entry; every Chipset is made from one (from_id() or a constant).
  [[nodiscard]] constexpr const ChipsetInfo& info() const {
    for (const ChipsetInfo& c : CHIPSETS)
      if (c.id == id_)
        return c;
    return CHIPSETS[0];  // unreachable: the constructor is only given table ids
  }
  u32 id_;
};
#define NOVA_CHIPSET_DEFINE_(name, id, dir) inline constexpr Chipset Chipset::name{id};
NOVA_CHIPSETS(NOVA_CHIPSET_DEFINE_)
#undef NOVA_CHIPSET_DEFINE_

/** The revision of BOOT_42, printed "a.1" (hex major.minor). */
struct Revision {
  u32 major;  ///< BOOT_42's major revision
  u32 minor;  ///< BOOT_42's minor revision
};

/** What identification found. */
struct Spec {
  Chipset chipset;    ///< Which GPU
  Revision revision;  ///< Its stepping

  /**
   * Reads BOOT_0 and BOOT_42 through @p bar (any kcpp I/O type of at least
   * 4 KiB). ENODEV for pre-Fermi parts, unknown architectures and unknown
   * chipsets, each with a line in the log of @p dev.
   */
  template <typename Io>
  static kcpp::Result<Spec> identify(const Io& bar, const kcpp::Device<>& dev) {
    const auto boot0 = regs::NV_PMC_BOOT_0::read(bar);
    if (boot0.is_older_than_fermi()) {
      KCPP_DEV_ERR(dev, "Unsupported pre-Fermi GPU: boot0 = %#010x\n", boot0.raw());
      return kcpp::code::ENODEV;
    }
    const auto boot42 = regs::NV_PMC_BOOT_42::read(bar);
    const u32 id = (u32(boot42.architecture()) << 4) | boot42.implementation();
    auto arch = architecture_from(boot42.architecture());
    auto chipset = Chipset::from_id(id);
    if (arch.is_err() || chipset.is_err()) {
      KCPP_DEV_ERR(dev, "Unsupported chipset: boot42 = %#010x (architecture %#x, implementation %#x)\n",
                   boot42.raw(), u32(boot42.architecture()), u32(boot42.implementation()));
      return kcpp::code::ENODEV;
    }
    Spec spec{*chipset, {boot42.major_revision(), boot42.minor_revision()}};
    KCPP_DEV_INFO(dev, "NVIDIA (Chipset: %s, Architecture: %s, Revision: %x.%x)\n", spec.chipset.name(),
                  name(spec.chipset.architecture()), spec.revision.major, spec.revision.minor);
    return spec;
  }
};

}  // namespace nova

#endif  // NOVA_CORE_CHIPSET_H

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firmware files nova-core loads: nvidia/<chip>/gsp/<name>-570.144.bin
 * for every chipset nova-core drives (Turing, Ampere, Ada: booter_load,
 * booter_unload, bootloader, gsp), and their MODULE_FIRMWARE list, built at
 * compile time from the chipset table so that initramfs tools pick up every
 * file. Hopper and Blackwell boot differently and load none of these.
 */
#ifndef NOVA_CORE_FIRMWARE_H
#define NOVA_CORE_FIRMWARE_H

#include <kcpp/core/types.h>

#include "gpu.h"

namespace nova::firmware {

using kcpp::usize;

/** The GSP firmware release nova-core speaks. */
inline constexpr const char kVersion[] = "570.144";
/** The files of each chipset. */
inline constexpr const char* kFiles[] = {"booter_load", "booter_unload", "bootloader", "gsp"};

/// @cond KCPP_INTERNAL
namespace detail {
constexpr usize length(const char* s) {
  usize n = 0;
  while (s[n])
    n++;
  return n;
}
constexpr void append(char* out, usize& at, const char* s) {
  for (usize i = 0; s[i]; i++)
    out[at++] = s[i];
}
// "firmware=nvidia/<chip>/gsp/<file>-<version>.bin\0"
constexpr usize entry_length(const ChipsetInfo& c, const char* file) {
  return length("firmware=nvidia/") + length(c.lower) + length("/gsp/") + length(file) + 1 +
         length(kVersion) + length(".bin") + 1;
}
// The chipsets whose GSP boots through SEC2 and Booter (these files).
constexpr bool uses_gsp_files(const ChipsetInfo& c) {
  const u32 arch = c.id >> 4;
  return arch == u32(Architecture::Turing) || arch == u32(Architecture::Ampere) ||
         arch == u32(Architecture::Ada);
}
constexpr usize modinfo_length() {
  usize n = 0;
  for (const ChipsetInfo& c : kChipsets)
    for (const char* f : kFiles)
      if (uses_gsp_files(c))
      n += entry_length(c, f);
  return n;
}
} // namespace detail
/// @endcond

/** The `.modinfo` entries: NUL-separated `firmware=` strings. */
struct ModInfo {
  char data[detail::modinfo_length()];
};

/** Builds the MODULE_FIRMWARE entries of every chipset. */
consteval ModInfo modinfo() {
  ModInfo m{};
  usize at = 0;
  for (const ChipsetInfo& c : kChipsets) {
    if (!detail::uses_gsp_files(c))
      continue;
    for (const char* f : kFiles) {
      detail::append(m.data, at, "firmware=nvidia/");
      detail::append(m.data, at, c.lower);
      detail::append(m.data, at, "/gsp/");
      detail::append(m.data, at, f);
      detail::append(m.data, at, "-");
      detail::append(m.data, at, kVersion);
      detail::append(m.data, at, ".bin");
      m.data[at++] = '\0';
    }
  }
  return m;
}

} // namespace nova::firmware

#ifdef MODULE
/// The MODULE_FIRMWARE list of the module (use once, in its module file).
#define NOVA_MODULE_FIRMWARE()                                                              \
  [[gnu::section(".modinfo"), gnu::used, gnu::aligned(1)]] static constexpr ::nova::firmware:: \
      ModInfo nova_modinfo_firmware_ = ::nova::firmware::modinfo();
#else
#define NOVA_MODULE_FIRMWARE()
#endif

#endif // NOVA_CORE_FIRMWARE_H

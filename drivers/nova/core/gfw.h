/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GFW boot: at power-on FWSEC runs the VBIOS's initialisation (devinit)
 * on its own. nova-core must not touch the falcons before it is done: it
 * waits (4 s at most, 1 ms between looks) until FWSEC has lowered the read
 * protection of the progress register and the progress reads 0xff.
 */
#ifndef NOVA_CORE_GFW_H
#define NOVA_CORE_GFW_H

#include <kcpp/device.h>
#include <kcpp/io.h>
#include <kcpp/print.h>

#include "clock.h"
#include "regs.h"

namespace nova::gfw {

/**
 * How long the VBIOS's GFW boot may take after reset: 4 s, upstream's
 * bound; devinit normally finishes long before the driver loads.
 */
inline constexpr unsigned long TIMEOUT_US = 4000000;
/** How often to look: every 1 ms, as upstream sleeps between reads. */
inline constexpr unsigned long POLL_US = 1000;

/** Waits for GFW boot to complete; ETIMEDOUT (logged on @p dev) if it does not. */
template <typename Io>
kcpp::Result<void> wait_boot_completion(const Io& bar, const kcpp::Device<>& dev) {
  using namespace regs;
  auto done = nova::poll_timeout(
      bar,
      [&] {
        return NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK::read(bar).read_protection_level0() &&
               NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT::read(bar).completed();
      },
      [](bool ok) { return ok; }, POLL_US, TIMEOUT_US);
  if (done.is_err()) {
    KCPP_DEV_ERR(dev, "GFW boot did not complete\n");
    return done.error();
  }
  return {};
}

}  // namespace nova::gfw

#endif  // NOVA_CORE_GFW_H

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GSP boot, as far as nova-core goes today: up to FWSEC-FRTS.
 *
 *   1. read the VBIOS and extract FWSEC (vbios.h);
 *   2. load the GSP firmware (ELF image mapped for the GPU, signatures) and
 *      its bootloader (firmware.h);
 *   3. compute the framebuffer layout from them and the GPU's registers
 *      (fb.h);
 *   4. run FWSEC-FRTS on the GSP falcon (fwsec.h): WPR2 must not exist
 *      before (EBUSY: the GPU needs a reset), FWSEC's error scratch must
 *      read 0 after, and WPR2 must start where FRTS was placed (EIO);
 *   5. prepare Booter for SEC2 (signature patched for the chip's fuses).
 *
 * Running Booter and the GSP firmware, and the command queue to it, are the
 * next steps of the port.
 */
#ifndef NOVA_CORE_GSP_H
#define NOVA_CORE_GSP_H

#include <kcpp/device.h>
#include <kcpp/print.h>

#include "falcon.h"
#include "fb.h"
#include "firmware.h"
#include "fwsec.h"
#include "regs.h"
#include "vbios.h"

namespace nova::gsp {

using kcpp::Result;
using kcpp::u64;
namespace code = kcpp::code;

/** What the boot established, kept for the driver's lifetime. */
struct BootState {
  fb::FbLayout layout;              ///< where the GSP's parts go in VRAM
  fb::Range wpr2;                   ///< WPR2 as FWSEC-FRTS created it, read back from the GPU
  u32 fwsec_version;                ///< descriptor version: 2 (Turing, GA100) or 3
  firmware::BooterFirmware booter;  ///< Booter, signed for this chip, ready for SEC2
};

/** Runs FWSEC-FRTS and checks the WPR2 it creates. */
template <typename Io>
Result<fb::Range> run_fwsec_frts(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar,
                                 const falcon::Falcon<falcon::Gsp>& gsp, const vbios::Fwsec& fwsec,
                                 const fb::FbLayout& layout) {
  using namespace regs;
  if (NV_PFB_PRI_MMU_WPR2_ADDR_HI::read(bar).higher_bound() != 0) {
    KCPP_DEV_ERR(dev, "WPR2 region already exists - GPU needs to be reset to proceed\n");
    return code::EBUSY;
  }
  const auto fw =
      KCPP_TRY(fwsec::FwsecFirmware::frts(dev, gsp, bar, fwsec, layout.frts.start, layout.frts.len()));
  KCPP_TRY(fw.run(dev, gsp, bar));
  const u32 err = NV_PBUS_SW_SCRATCH_0E_FRTS_ERR::read(bar).frts_err_code();
  if (err) {
    KCPP_DEV_ERR(dev, "FWSEC-FRTS returned with error code %#x\n", err);
    return code::EIO;
  }
  const fb::Range wpr2{NV_PFB_PRI_MMU_WPR2_ADDR_LO::read(bar).lower_bound(),
                       NV_PFB_PRI_MMU_WPR2_ADDR_HI::read(bar).higher_bound()};
  if (wpr2.end == 0) {
    KCPP_DEV_ERR(dev, "WPR2 region not created after FWSEC-FRTS\n");
    return code::EIO;
  }
  if (wpr2.start != layout.frts.start) {
    KCPP_DEV_ERR(dev, "WPR2 region created at unexpected address %#llx; expected %#llx\n", wpr2.start,
                 layout.frts.start);
    return code::EIO;
  }
  KCPP_DEV_INFO(dev, "WPR2: %#llx-%#llx\n", wpr2.start, wpr2.end);
  return wpr2;
}

/** Boots the GSP up to FWSEC-FRTS (see the file comment). */
template <typename Io>
Result<BootState> boot(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar, Chipset chipset,
                       const falcon::Falcon<falcon::Gsp>& gsp, const falcon::Falcon<falcon::Sec2>& sec2) {
  const vbios::Fwsec fwsec = KCPP_TRY(vbios::read(bar, dev));
  const auto gsp_fw = KCPP_TRY(firmware::GspFirmware::load(dev, chipset));
  const auto bootloader = KCPP_TRY(firmware::RiscvFirmware::load(dev, chipset));
  auto layout = fb::layout(bar, chipset, bootloader.size(), gsp_fw.size());
  if (layout.is_err()) {
    KCPP_DEV_ERR(dev,
                 "cannot lay out the framebuffer for the GSP (VRAM size or VGA workspace out of range)\n");
    return layout.error();
  }
  KCPP_DEV_DBG(dev, "FbLayout: fb %#llx, frts %#llx-%#llx, wpr2 %#llx-%#llx\n", layout->fb.end,
               layout->frts.start, layout->frts.end, layout->wpr2.start, layout->wpr2.end);
  const fb::Range wpr2 = KCPP_TRY(run_fwsec_frts(dev, bar, gsp, fwsec, *layout));
  auto booter = KCPP_TRY(firmware::BooterFirmware::load(dev, chipset, sec2, bar));
  return BootState{*layout, wpr2, fwsec.desc.version(), std::move(booter)};
}

}  // namespace nova::gsp

#endif  // NOVA_CORE_GSP_H

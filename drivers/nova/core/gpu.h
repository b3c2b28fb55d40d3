/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GPU object: what nova-core's probe builds, step by step, and what
 * unbind takes down.
 *
 *   identify the chipset (chipset.h)          ENODEV: pre-Fermi, unknown
 *   refuse Hopper and Blackwell               ENOTSUPP: they boot through FSP
 *   wait for GFW boot (gfw.h)                 ETIMEDOUT after 4 s
 *   register the sysmem flush page (fb.h)
 *   create the GSP falcon (falcon.h), clear its SWGEN0 interrupt; SEC2
 *   boot the GSP up to FWSEC-FRTS (gsp.h)
 *
 * A failure after the flush page is registered clears it again, unless the
 * GSP could not be stopped: then the page stays registered and is abandoned
 * with the rest of what the GPU was given (gsp.h). The code is
 * a template over the BAR0 type: the PCI driver passes its mapped BAR, the
 * tests a simulated GPU's (drivers/nova/sim); nothing here knows which.
 */
#ifndef NOVA_CORE_GPU_H
#define NOVA_CORE_GPU_H

#include <kcpp/device.h>
#include <kcpp/print.h>

#include "chipset.h"
#include "falcon.h"
#include "fb.h"
#include "gfw.h"
#include "gsp.h"
#include "regs.h"

namespace nova {

/** A probed GPU. */
template <typename Io>
class Gpu {
 public:
  /** Runs the probe sequence against BAR0 @p bar of @p dev. */
  static kcpp::Result<Gpu> probe(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar,
                                 const gsp::PciInfo& pci) {
    const Spec spec = KCPP_TRY(Spec::identify(bar, dev));
    if (!spec.chipset.boots_through_sec2()) {
      KCPP_DEV_ERR(dev, "%s: booting %s GPUs (through FSP) is not supported yet\n", spec.chipset.name(),
                   name(spec.chipset.architecture()));
      return kcpp::code::ENOTSUPP;
    }
    KCPP_TRY(gfw::wait_boot_completion(bar, dev));
    const fb::Hal fb_hal = KCPP_TRY(fb::hal_for(spec.chipset));
    KCPP_DEV_DBG(dev, "framebuffer HAL %s\n", fb_hal.name());
    // WPR2 still there: an earlier boot (or a driver that could not stop the GSP) left the
    // GPU running; it needs a reset, and its registers, flush page included, stay as they are.
    if (regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::read(bar).higher_bound() != 0) {
      KCPP_DEV_ERR(dev, "WPR2 region already exists - GPU needs to be reset to proceed\n");
      return kcpp::code::EBUSY;
    }
    // Taken now, so that unbind can abandon the flush page without allocating.
    auto flush_slot = KCPP_TRY(kcpp::AbandonSlot<fb::SysmemFlush>::alloc(kcpp::GFP_KERNEL));
    auto flush = fb::SysmemFlush::register_page(dev, bar, fb_hal);
    if (flush.is_err()) {
      KCPP_DEV_ERR(dev, "cannot register the sysmem flush page (%d)\n", flush.error().to_errno());
      return flush.error();
    }
    auto rest = boot(dev, bar, spec, pci, *flush);
    if (rest.is_err()) {
      flush->unregister(bar, dev);  // nothing if the boot abandoned it with a GPU it could not stop
      return rest.error();
    }
    return Gpu(spec, std::move(*flush), std::move(flush_slot), std::move(*rest));
  }

  /** Movable: probe() returns the object by value. */
  Gpu(Gpu&&) = default;

  /**
   * Takes the GPU down for unbind: the GSP is unloaded (gsp.h), then the
   * flush page unregistered; the memory goes with this object. If the GSP
   * could not be unloaded, the memory it shares and the flush page (left
   * registered) are abandoned instead (kcpp::abandon), and boot_state(),
   * static_info() and sysmem_flush() may no longer be called.
   */
  void unbind(const Io& bar, const kcpp::Device<>& dev) {
    if (auto r = gsp::unload(dev, bar, state_.gsp, state_.sec2, *state_.boot); r.is_err()) {
      // The GSP may still write to its shared memory: it must never be freed or reused.
      KCPP_DEV_ERR(dev, "failed to unload the GSP (%d): the GPU needs a reset; its memory stays allocated\n",
                   r.error().to_errno());
      // Nothing may free or reuse memory a running GSP can still write: it stays allocated
      // until the machine restarts, and kmemleak is told so. The flush page stays registered.
      std::move(state_.boot).abandon();
      std::move(flush_slot_).abandon(std::move(sysmem_flush_));
      return;
    }
    sysmem_flush_.unregister(bar, dev);
  }

  /** The chipset and revision that identification found. */
  [[nodiscard]] const Spec& spec() const { return spec_; }
  /** The sysmem flush page, registered with the GPU until unbind. */
  [[nodiscard]] const fb::SysmemFlush& sysmem_flush() const { return sysmem_flush_; }
  /** What the GSP boot established: the framebuffer layout, WPR2, the shared memory, the static info. */
  [[nodiscard]] const gsp::BootState& boot_state() const { return *state_.boot; }
  /** What the GSP said about the GPU (its name, VRAM). */
  [[nodiscard]] const gsp::StaticInfo& static_info() const { return state_.boot->info; }
  /** The GSP falcon (its HAL), as the boot used it. */
  [[nodiscard]] const falcon::Falcon<falcon::Gsp>& gsp_falcon() const { return state_.gsp; }

 private:
  struct State {
    falcon::Falcon<falcon::Gsp> gsp;
    falcon::Falcon<falcon::Sec2> sec2;
    kcpp::KBox<gsp::BootState> boot;  // on the heap: about a kilobyte
  };

  static kcpp::Result<State> boot(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar,
                                  const Spec& spec, const gsp::PciInfo& pci, fb::SysmemFlush& flush) {
    const u32 boot0 = regs::NV_PMC_BOOT_0::read(bar).raw();
    auto gsp_falcon = falcon::Falcon<falcon::Gsp>::create(spec.chipset, boot0);
    auto sec2_falcon = falcon::Falcon<falcon::Sec2>::create(spec.chipset, boot0);
    if (gsp_falcon.is_err() || sec2_falcon.is_err()) {
      KCPP_DEV_ERR(dev, "%s: no falcon HAL for this chipset\n", spec.chipset.name());
      return kcpp::code::ENOTSUPP;
    }
    KCPP_DEV_DBG(dev, "falcon HAL %s\n", gsp_falcon->hal().name());
    gsp_falcon->clear_swgen0_intr(bar);
    auto state = KCPP_TRY(gsp::boot(dev, bar, spec.chipset, *gsp_falcon, *sec2_falcon, pci, flush));
    return State{*gsp_falcon, *sec2_falcon, std::move(state)};
  }

  Gpu(Spec spec, fb::SysmemFlush flush, kcpp::AbandonSlot<fb::SysmemFlush> flush_slot, State state)
      : spec_(spec),
        sysmem_flush_(std::move(flush)),
        flush_slot_(std::move(flush_slot)),
        state_(std::move(state)) {}

  Spec spec_;
  fb::SysmemFlush sysmem_flush_;
  kcpp::AbandonSlot<fb::SysmemFlush> flush_slot_;  // where unbind abandons the page if it must
  State state_;
};

}  // namespace nova

#endif  // NOVA_CORE_GPU_H

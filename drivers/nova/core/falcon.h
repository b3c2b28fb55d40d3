/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Falcon engines: the microcontrollers that run NVIDIA's signed firmware.
 *
 * nova-core drives two: the GSP (which runs FWSEC, then the GSP firmware)
 * and SEC2 (which runs Booter). Both have the same register block at their
 * PFALCON base and a second block at their PFALCON2 base; the engine is a
 * tag type (`Gsp`, `Sec2`) that gives the two bases, so one register
 * definition (regs.h) serves both (falcon/engine.h).
 *
 * What differs between chip generations is a HAL type, picked once from
 * the chipset: `Tu102` (falcon/tu102.h) for Turing, `Ga102`
 * (falcon/ga102.h) for GA102 and later, Ada included; GA100 takes Turing's.
 * Each satisfies `FalconHal`; `Falcon<E>` holds the choice and does the
 * sequence common to every family around the HAL's steps.
 *
 * A sequence in brief:
 *   reset(bar)                        HAL wait, ENGINE pulse, HAL after-reset, RM = BOOT_0
 *   load(bar, image, params)          the HAL's PIO or DMA into IMEM (secure, non-secure) and DMEM
 *   boot(bar, mbox0, mbox1)           mailboxes, start the CPU, wait for halt (2 s)
 */
#ifndef NOVA_CORE_FALCON_H
#define NOVA_CORE_FALCON_H

#include <kcpp/core/option.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/dma.h>
#include <kcpp/io.h>

#include "chipset.h"
#include "clock.h"
#include "falcon/engine.h"
#include "falcon/ga102.h"
#include "falcon/tu102.h"
#include "hal.h"
#include "regs.h"

namespace nova::falcon {

/**
 * What a falcon HAL @p H provides for engine @p E over the I/O type @p Io:
 * the chip's steps of a reset, its way of loading an image, its fuse
 * versions and where it reports an active RISC-V core.
 */
template <typename H, typename E, typename Io>
concept FalconHal = requires(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadParams& p) {
  { H::NAME } -> kcpp::convertible_to<const char*>;
  { H::template wait_reset_ready<E>(bar) } -> kcpp::same_as<void>;
  { H::template after_reset<E>(bar) } -> kcpp::same_as<Result<void>>;
  { H::template load<E>(bar, image, p) } -> kcpp::same_as<Result<void>>;
  { H::template signature_fuse_version<E>(bar, u16(0), u8(0)) } -> kcpp::same_as<Result<u32>>;
  { H::template is_riscv_active<E>(bar) } -> kcpp::same_as<bool>;
};

/** The falcon HALs nova-core has. */
using Hal = HalChoice<Tu102, Ga102>;

/** The HAL of @p chipset: ENOTSUPP where nova-core has none (Hopper, Blackwell). */
constexpr Result<Hal> hal_for(Chipset c) {
  switch (c.architecture()) {
    case Architecture::Turing:
      return Hal::of<Tu102>();
    case Architecture::Ampere:
      // GA100's falcons are Turing's: PIO, no boot ROM parameters, no fuse versions.
      return c == Chipset::GA100 ? Hal::of<Tu102>() : Hal::of<Ga102>();
    case Architecture::Ada:
      return Hal::of<Ga102>();
    default:
      return code::ENOTSUPP;
  }
}

/** A booted ucode halting (FWSEC runs for milliseconds): 2 s, upstream's bound for any falcon boot. */
inline constexpr unsigned long HALT_US = 2000000;

/**
 * Falcon engine @p E of a chip. Holds only the HAL choice; every call takes BAR0.
 *
 * @code{.cpp}
 * using nova::falcon::Falcon;
 * const auto gsp = KCPP_TRY(Falcon<nova::falcon::Gsp>::create(nova::Chipset::TU104, 0));
 * KCPP_ASSERT(gsp.hal().is<nova::falcon::Tu102>());
 * const auto sec2 = KCPP_TRY(Falcon<nova::falcon::Sec2>::create(nova::Chipset::AD102, 0));
 * KCPP_ASSERT(sec2.hal().is<nova::falcon::Ga102>());
 * // GA100's falcons are Turing's; Hopper boots through FSP.
 * KCPP_ASSERT(KCPP_TRY(Falcon<nova::falcon::Gsp>::create(nova::Chipset::GA100, 0)).hal().is<nova::falcon::Tu102>());
 * KCPP_ASSERT_EQ(Falcon<nova::falcon::Gsp>::create(nova::Chipset::GH100, 0).error(), kcpp::code::ENOTSUPP);
 * static_assert(nova::falcon::Sec2::base(nova::regs::Falcon2Base{}) == 0x841000);
 * @endcode
 */
template <typename E>
class Falcon {
 public:
  /** The falcon of @p chipset; ENOTSUPP without a HAL. */
  static Result<Falcon> create(Chipset chipset, u32 boot0) {
    return Falcon(KCPP_TRY(hal_for(chipset)), boot0);
  }
  /** The HAL in use. */
  [[nodiscard]] Hal hal() const { return hal_; }

  /** Acknowledges a pending software interrupt 0 (done once the GSP falcon exists). */
  template <typename Io>
  void clear_swgen0_intr(const Io& bar) const {
    regs::NV_PFALCON_FALCON_IRQSCLR::zeroed().with_swgen0(true).write(bar, E{});
  }

  /** Resets the engine and waits until its memories are scrubbed; ETIMEDOUT otherwise. */
  template <typename Io>
  Result<void> reset(const Io& bar) const {
    using namespace regs;
    return with_hal<Io>([&](auto hal) -> Result<void> {
      using H = decltype(hal);
      H::template wait_reset_ready<E>(bar);
      NV_PFALCON_FALCON_ENGINE::update(bar, E{}, [](auto r) { return r.with_reset(true); });
      nova::sleep_us(bar, RESET_PULSE_US);
      NV_PFALCON_FALCON_ENGINE::update(bar, E{}, [](auto r) { return r.with_reset(false); });
      KCPP_TRY(H::template after_reset<E>(bar));
      NV_PFALCON_FALCON_RM::from_raw(boot0_).write(bar, E{});
      return {};
    });
  }

  /**
   * Loads @p image (whose bus address the falcon reaches; PIO reads it with
   * the CPU) as @p p says, the HAL's way: by DMA on GA102 and later, by PIO
   * on Turing.
   */
  template <typename Io>
  Result<void> load(const Io& bar, const kcpp::dma::Coherent<u8>& image, const LoadParams& p) const {
    return with_hal<Io>([&](auto hal) { return decltype(hal)::template load<E>(bar, image, p); });
  }

  /**
   * Loads by PIO, whatever the HAL: @p code into non-secure IMEM at
   * @p imem_dst, its blocks tagged from @p start_tag, and @p data into
   * DMEM at @p dmem_dst; the falcon starts at @p boot_addr. What the
   * generic bootloader needs (fwsec/bootloader.h).
   *
   * @code{.cpp}
   * #^ struct Recorder {  // a BAR that keeps the last value written at each offset it is asked about
   * #^   static constexpr kcpp::usize MIN_SIZE = 16 << 20;
   * #^   kcpp::u32* regs;  // regs[0..4]: IMEMC, IMEMT, IMEMD, BOOTVEC, TRANSCFG[4]
   * #^   static constexpr kcpp::usize AT[] = {0x110180, 0x110188, 0x110184, 0x110104, 0x110610};
   * #^   template <typename W, kcpp::usize Off> W read_at() const {
   * #^     for (kcpp::usize i = 0; i < 5; i++) if (AT[i] == Off) return W(regs[i]);
   * #^     return 0;
   * #^   }
   * #^   template <typename W, kcpp::usize Off> void write_at(W v) const {
   * #^     for (kcpp::usize i = 0; i < 5; i++) if (AT[i] == Off) regs[i] = v;
   * #^   }
   * #^   template <typename W> kcpp::Result<W> try_read(kcpp::usize) const { return W(0); }
   * #^   template <typename W> kcpp::Result<void> try_write(W, kcpp::usize) const { return {}; }
   * #^ };
   * kcpp::u32 r[5] = {};
   * const Recorder bar{r};
   * const auto gsp = KCPP_TRY(nova::falcon::Falcon<nova::falcon::Gsp>::create(nova::Chipset::TU102, 0));
   * kcpp::u8 code[512] = {1, 2, 3, 4};
   * const kcpp::u8 desc[8] = {};
   * const kcpp::Span<const kcpp::u8> one(kcpp::Span<const kcpp::u8>(code).subspan(0, 256).expect("256 <= 512"));
   * KCPP_TRY(gsp.load_pio(bar, one, 0xff00, 0xfd, kcpp::Span<const kcpp::u8>(desc), 0, 0xfd00));
   * KCPP_ASSERT_EQ(r[0], 0xff00u | (1u << 24));  // IMEMC: offset, auto-increment, not secure
   * KCPP_ASSERT_EQ(r[1], 0xfdu);                  // the block's tag
   * KCPP_ASSERT_EQ(r[3], 0xfd00u);                // BOOTVEC
   * r[4] = 0x30 | 2;  // other fields set, target non-coherent system memory, virtual addresses
   * gsp.set_sysmem_dma_context<4>(bar);
   * KCPP_ASSERT_EQ(r[4], 0x30u | 1u | (1u << 2));  // coherent, physical; the other fields kept
   * // Two blocks from 0xff00 would run past the 16-bit offsets: refused, not wrapped to 0.
   * KCPP_ASSERT_EQ(gsp.load_pio(bar, kcpp::Span<const kcpp::u8>(code), 0xff00, 0xfd, kcpp::Span<const kcpp::u8>(desc), 0,
   *                             0xfd00).error(),
   *                kcpp::code::ERANGE);
   * @endcode
   */
  template <typename Io>
  Result<void> load_pio(const Io& bar, kcpp::Span<const u8> code, u32 imem_dst, u32 start_tag,
                        kcpp::Span<const u8> data, u32 dmem_dst, u32 boot_addr) const {
    Engine<E>::dma_reset(bar);
    KCPP_TRY(Engine<E>::pio_imem_bytes(bar, code, imem_dst, start_tag));
    KCPP_TRY(Engine<E>::pio_dmem_bytes(bar, data, dmem_dst));
    Engine<E>::write_boot_vector(bar, boot_addr);
    return {};
  }

  /** Points DMA context @p Ctx at coherent system memory, by physical address. */
  template <usize Ctx, typename Io>
  void set_sysmem_dma_context(const Io& bar) const {
    using namespace regs;
    // Read, modify, write: the register's other fields stay as they are.
    NV_PFALCON_FBIF_TRANSCFG::template read<Ctx>(bar, E{})
        .with_target(FalconFbifTarget::CoherentSysmem)
        .with_mem_type(FalconFbifMemType::Physical)
        .template write<Ctx>(bar, E{});
  }

  /**
   * Starts the loaded code, with the mailbox values given written first
   * (`{}` leaves a mailbox as it is), and waits (2 s) until it halts;
   * returns the mailboxes then. ETIMEDOUT if it never halts.
   */
  template <typename Io>
  Result<Mailboxes> boot(const Io& bar, kcpp::Option<u32> mbox0, kcpp::Option<u32> mbox1) const {
    using namespace regs;
    if (mbox0.is_some())
      NV_PFALCON_FALCON_MAILBOX0::from_raw(mbox0.expect("is_some() above")).write(bar, E{});
    if (mbox1.is_some())
      NV_PFALCON_FALCON_MAILBOX1::from_raw(mbox1.expect("is_some() above")).write(bar, E{});
    start(bar);
    KCPP_TRY(wait_for_halt(bar));
    return mailboxes(bar);
  }

  /** Starts the loaded code (through CPUCTL_ALIAS where CPUCTL says it is aliased); does not wait. */
  template <typename Io>
  void start(const Io& bar) const {
    using namespace regs;
    if (NV_PFALCON_FALCON_CPUCTL::read(bar, E{}).alias_en())
      NV_PFALCON_FALCON_CPUCTL_ALIAS::zeroed().with_startcpu(true).write(bar, E{});
    else
      NV_PFALCON_FALCON_CPUCTL::zeroed().with_startcpu(true).write(bar, E{});
  }

  /** Waits up to 2 s for the CPU to halt; ETIMEDOUT. */
  template <typename Io>
  Result<void> wait_for_halt(const Io& bar) const {
    using namespace regs;
    KCPP_TRY(nova::poll_timeout(
        bar, [&] { return NV_PFALCON_FALCON_CPUCTL::read(bar, E{}); }, [](auto r) { return r.halted(); }, 100,
        HALT_US));
    return {};
  }

  /** The two mailboxes as the engine's code left them. */
  template <typename Io>
  [[nodiscard]] Mailboxes mailboxes(const Io& bar) const {
    using namespace regs;
    return Mailboxes{NV_PFALCON_FALCON_MAILBOX0::read(bar, E{}).value(),
                     NV_PFALCON_FALCON_MAILBOX1::read(bar, E{}).value()};
  }

  /** Resets the engine's DMA state (FBIF_CTL, DMACTL), as after a load. */
  template <typename Io>
  void dma_reset(const Io& bar) const {
    Engine<E>::dma_reset(bar);
  }

  /** Writes the two mailboxes (the arguments of code about to start). */
  template <typename Io>
  void write_mailboxes(const Io& bar, u32 mbox0, u32 mbox1) const {
    regs::NV_PFALCON_FALCON_MAILBOX0::from_raw(mbox0).write(bar, E{});
    regs::NV_PFALCON_FALCON_MAILBOX1::from_raw(mbox1).write(bar, E{});
  }

  /**
   * The fuse version of ucode @p ucode_id for the engines of
   * @p engine_id_mask (GA102 and later; 0 on Turing): one plus the index
   * of the highest bit set in the fuse register. EINVAL for ids outside
   * 1..16 or an engine without fuses.
   */
  template <typename Io>
  Result<u32> signature_reg_fuse_version(const Io& bar, u16 engine_id_mask, u8 ucode_id) const {
    return with_hal<Io>([&](auto hal) {
      return decltype(hal)::template signature_fuse_version<E>(bar, engine_id_mask, ucode_id);
    });
  }

  /** Whether the engine's RISC-V core runs (what Booter leaves the GSP in). */
  template <typename Io>
  [[nodiscard]] bool is_riscv_active(const Io& bar) const {
    return with_hal<Io>([&](auto hal) { return decltype(hal)::template is_riscv_active<E>(bar); });
  }

  /** Tells the GSP bootloader which OS version it runs. */
  template <typename Io>
  void write_os_version(const Io& bar, u32 v) const {
    regs::NV_PFALCON_FALCON_OS::from_raw(v).write(bar, E{});
  }

 private:
  Falcon(Hal h, u32 boot0) : hal_(h), boot0_(boot0) {}

  // The one place the HAL is dispatched: f gets a value of the HAL type,
  // which is checked against the interface for this engine and I/O type.
  template <typename Io, typename F>
  decltype(auto) with_hal(F&& f) const {
    return hal_.visit([&](auto hal) -> decltype(auto) {
      static_assert(FalconHal<decltype(hal), E, Io>, "nova: a falcon HAL misses part of FalconHal");
      return f(hal);
    });
  }

  Hal hal_;
  u32 boot0_;
};

}  // namespace nova::falcon

#endif  // NOVA_CORE_FALCON_H

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The framebuffer side of the probe.
 *
 *  - The sysmem flush page: one page of system memory whose bus address the
 *    GPU's memory system writes to on a flush (a falcon reset does one). It
 *    is registered before any falcon is touched and cleared at unbind, or
 *    when the probe fails after registering it.
 *  - The framebuffer HALs, one type per family (fb/tu102.h, fb/ga100.h,
 *    fb/ga102.h): where a chip keeps the flush address (Turing takes bits
 *    39:8 only; GA100 and later also bits 63:40), its VRAM size and its
 *    display fuse.
 *  - The layout of the top of VRAM that the GSP boot needs (FbLayout), from
 *    the VRAM size, the VGA workspace, the bootloader and firmware sizes:
 *
 *      [ ... | heap | wpr2: [wpr2_heap | elf | boot | frts] | vga workspace ]
 *                                                            ^ end of VRAM
 *
 *    FWSEC-FRTS creates WPR2 ending at the FRTS region's end.
 *
 * The layout is a pure function (`compute_layout`), unit-tested on its own.
 */
#ifndef NOVA_CORE_FB_H
#define NOVA_CORE_FB_H

#include <kcpp/core/bytes.h>
#include <kcpp/core/type_traits.h>
#include <kcpp/device.h>
#include <kcpp/dma.h>
#include <kcpp/print.h>

#include "chipset.h"
#include "fb/ga100.h"
#include "fb/ga102.h"
#include "fb/tu102.h"
#include "hal.h"
#include "regs.h"

namespace nova::fb {

using kcpp::Result;
using kcpp::u64;
using kcpp::usize;
namespace code = kcpp::code;

inline constexpr u64 SZ_4K = 4096;
inline constexpr u64 SZ_64K = 64 << 10;
inline constexpr u64 SZ_128K = 128 << 10;
inline constexpr u64 SZ_1M = 1 << 20;

/** What a framebuffer HAL @p H provides over the I/O type @p Io. */
template <typename H, typename Io>
concept FbHal = requires(const Io& bar, u64 addr) {
  { H::NAME } -> kcpp::convertible_to<const char*>;
  { H::write_flush_addr(bar, addr) } -> kcpp::same_as<Result<void>>;
  { H::read_flush_addr(bar) } -> kcpp::same_as<u64>;
  { H::clear_flush_addr(bar) } -> kcpp::same_as<void>;
  { H::vidmem_size(bar) } -> kcpp::same_as<u64>;
  { H::supports_display(bar) } -> kcpp::same_as<bool>;
  { H::FRTS_SIZE } -> kcpp::convertible_to<u64>;
};

/** The framebuffer HALs nova-core has. */
using Hal = HalChoice<Tu102, Ga100, Ga102>;

/**
 * The HAL of @p chipset: Turing, GA100, GA102 and later (Ada included); ENOTSUPP otherwise.
 *
 * @code{.cpp}
 * KCPP_ASSERT(KCPP_TRY(nova::fb::hal_for(nova::Chipset::TU117)).is<nova::fb::Tu102>());
 * KCPP_ASSERT(KCPP_TRY(nova::fb::hal_for(nova::Chipset::GA100)).is<nova::fb::Ga100>());
 * KCPP_ASSERT(KCPP_TRY(nova::fb::hal_for(nova::Chipset::AD107)).is<nova::fb::Ga102>());
 * KCPP_ASSERT_EQ(nova::fb::hal_for(nova::Chipset::GB202).error(), kcpp::code::ENOTSUPP);
 * @endcode
 */
constexpr Result<Hal> hal_for(Chipset c) {
  switch (c.architecture()) {
    case Architecture::Turing:
      return Hal::of<Tu102>();
    case Architecture::Ampere:
      return c == Chipset::GA100 ? Hal::of<Ga100>() : Hal::of<Ga102>();
    case Architecture::Ada:
      return Hal::of<Ga102>();
    default:
      return code::ENOTSUPP;
  }
}

/// @cond KCPP_INTERNAL
namespace detail {
// The one place the HAL is dispatched: f gets a value of the HAL type,
// checked against FbHal for the I/O type.
template <typename Io, typename F>
decltype(auto) with_hal(Hal hal, F&& f) {
  return hal.visit([&](auto h) -> decltype(auto) {
    static_assert(FbHal<decltype(h), Io>, "nova: a framebuffer HAL misses part of FbHal");
    return f(h);
  });
}
}  // namespace detail
/// @endcond

/** VRAM size in bytes, as the chip reports it. */
template <typename Io>
u64 vidmem_size(Hal hal, const Io& bar) {
  return detail::with_hal<Io>(hal, [&](auto h) { return decltype(h)::vidmem_size(bar); });
}

/** Whether the chip has a display engine (and so maybe a VGA workspace). */
template <typename Io>
bool supports_display(Hal hal, const Io& bar) {
  return detail::with_hal<Io>(hal, [&](auto h) { return decltype(h)::supports_display(bar); });
}

/**
 * The registered sysmem flush page. Move-only; `unregister()` clears the
 * GPU's register before the page goes (the destructor cannot: it has no
 * BAR).
 */
class SysmemFlush {
 public:
  /** One page: what the GPU writes to. */
  static constexpr usize SIZE = 4096;

  /** Allocates the page for @p dev and gives its address to the GPU. */
  template <typename Io>
  static Result<SysmemFlush> register_page(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar,
                                           Hal hal) {
    auto page = KCPP_TRY(kcpp::dma::Coherent<kcpp::u8>::alloc(dev, SIZE, kcpp::GFP_KERNEL));
    const u64 addr = page.dma_handle();
    KCPP_TRY(detail::with_hal<Io>(hal, [&](auto h) { return decltype(h)::write_flush_addr(bar, addr); }));
    return SysmemFlush(std::move(page), hal);
  }

  /** The page's bus address. */
  [[nodiscard]] u64 address() const { return page_.dma_handle(); }

  /** What the GPU's registers hold now. */
  template <typename Io>
  [[nodiscard]] u64 registered(const Io& bar) const {
    return detail::with_hal<Io>(hal_, [&](auto h) { return decltype(h)::read_flush_addr(bar); });
  }

  /**
   * Clears the GPU's register if it still holds this page (warns otherwise).
   * A page moved away (abandoned with a GPU that could not be stopped) is
   * left registered.
   */
  template <typename Io>
  void unregister(const Io& bar, const kcpp::Device<>& dev) const {
    if (page_.len() == 0)
      return;
    if (registered(bar) != address()) {
      KCPP_DEV_WARN(dev, "attempt to unregister a sysmem flush page that is not active\n");
      return;
    }
    detail::with_hal<Io>(hal_, [&](auto h) { decltype(h)::clear_flush_addr(bar); });
  }

 private:
  SysmemFlush(kcpp::dma::Coherent<kcpp::u8> page, Hal hal) : page_(std::move(page)), hal_(hal) {}
  kcpp::dma::Coherent<kcpp::u8> page_;
  Hal hal_;
};

/** A range of framebuffer addresses, [start, end). */
struct Range {
  u64 start;  ///< The first address
  u64 end;    ///< One past the last
  /** The size in bytes. */
  [[nodiscard]] constexpr u64 len() const { return end - start; }
};

/** The GSP's heap in WPR2, by the libOS version the chip's GSP firmware uses. */
struct LibosParams {
  u64 carveout;  ///< What libOS itself takes from the heap
  u64 min;       ///< The smallest heap
  u64 max;       ///< One more than the largest heap

  /** LIBOS2 (Turing, GA100) or LIBOS3 (GA102 and later). */
  static constexpr LibosParams for_chipset(Chipset c) {
    if (c < Chipset::GA102)
      return LibosParams{.carveout = 0, .min = 64 * SZ_1M, .max = 256 * SZ_1M};
    return LibosParams{.carveout = 23068672, .min = 88 * SZ_1M, .max = 280 * SZ_1M};
  }
  /** The heap size for @p fb_size bytes of VRAM. */
  [[nodiscard]] constexpr u64 wpr_heap_size(u64 fb_size) const {
    constexpr u64 base_rm = 8388608;   // base RM, TU10x and later
    constexpr u64 client = 100663296;  // one client
    constexpr u64 per_gb = 98304;      // per GiB of framebuffer
    const u64 gbs = (fb_size + (1ull << 30) - 1) >> 30;
    const u64 per_fb = (per_gb * gbs + SZ_1M - 1) & ~(SZ_1M - 1);
    const u64 size = carveout + base_rm + client + per_fb;
    return size < min ? min : size > max - 1 ? max - 1 : size;
  }
};

/**
 * Where things go at the top of VRAM.
 *
 * @code{.cpp}
 * // A GA102 with 24 GiB, a display engine and no valid VGA workspace register.
 * const nova::fb::LayoutInputs in{
 *     .vram_size = 24ull << 30,
 *     .display = true,
 *     .vga_valid = false,
 *     .vga_addr = 0,
 *     .bootloader_size = 20 << 10,
 *     .elf_size = 30 << 20,
 *     .libos = nova::fb::LibosParams::for_chipset(nova::Chipset::GA102),
 * };
 * const nova::fb::FbLayout l = KCPP_TRY(nova::fb::compute_layout(in));
 * // From the top down: the VGA workspace (1 MiB), FRTS (1 MiB), the bootloader, the ELF, the heap.
 * KCPP_ASSERT_EQ(l.vga_workspace.end, in.vram_size);
 * KCPP_ASSERT_EQ(l.vga_workspace.len(), nova::fb::SZ_1M);
 * KCPP_ASSERT(l.frts.end == l.vga_workspace.start && l.frts.len() == nova::fb::SZ_1M);
 * KCPP_ASSERT(l.boot.end <= l.frts.start && l.elf.end <= l.boot.start);
 * KCPP_ASSERT(l.wpr2.start < l.wpr2_heap.start && l.wpr2.end == l.frts.end);
 * KCPP_ASSERT_EQ(l.heap.end, l.wpr2.start);
 * // GA100 has no FRTS: the range is empty, at the same place; the bootloader ends where it starts.
 * nova::fb::LayoutInputs ga100 = in;
 * ga100.frts_size = 0;
 * const nova::fb::FbLayout g = KCPP_TRY(nova::fb::compute_layout(ga100));
 * KCPP_ASSERT(g.frts.len() == 0 && g.frts.start == l.frts.end && g.boot.end <= g.frts.start);
 * KCPP_ASSERT_EQ(g.wpr2.end, g.frts.end);
 * // Too little VRAM for all of it is EINVAL, never a wrapped address.
 * nova::fb::LayoutInputs tiny = in;
 * tiny.vram_size = 16 << 20;
 * KCPP_ASSERT_EQ(nova::fb::compute_layout(tiny).error(), kcpp::code::EINVAL);
 * @endcode
 */
struct FbLayout {
  Range fb;                      ///< All of VRAM
  Range vga_workspace;           ///< The VBIOS's VGA workspace, at the very top
  Range frts;                    ///< Where FWSEC-FRTS puts FRTS; WPR2 ends with it (empty on GA100)
  Range boot;                    ///< The GSP bootloader
  Range elf;                     ///< The GSP firmware image
  Range wpr2_heap;               ///< The GSP's heap inside WPR2
  Range wpr2;                    ///< The write-protected region the GSP runs in
  Range heap;                    ///< The non-WPR heap below WPR2
  kcpp::u32 vf_partition_count;  ///< Virtual functions sharing the GPU (0: none)
};

/** The inputs of the layout. */
struct LayoutInputs {
  u64 vram_size;          ///< VRAM in bytes, as the framebuffer HAL reads it
  bool display;           ///< the chip has a display engine
  bool vga_valid;         ///< NV_PDISP_VGA_WORKSPACE_BASE says it is valid
  u64 vga_addr;           ///< ...and where
  u64 bootloader_size;    ///< the GSP bootloader's DMA object
  u64 elf_size;           ///< the GSP firmware's .fwimage
  LibosParams libos;      ///< The heap parameters of the chip's libOS
  u64 frts_size = SZ_1M;  ///< FRTS as the framebuffer HAL sizes it (0 on GA100: no FWSEC-FRTS)
};

/// @cond KCPP_INTERNAL
namespace detail {
constexpr Result<u64> sub(u64 a, u64 b) {
  if (b > a)
    return code::EINVAL;
  return a - b;
}
}  // namespace detail
/// @endcond

/** The size of the WPR metadata the GSP reads at the start of WPR2 (one 4 KiB page at most). */
inline constexpr u64 WPR_META_SIZE = 256;

/** Computes the layout; EINVAL if the VRAM is too small for it. */
inline Result<FbLayout> compute_layout(const LayoutInputs& in) {
  using detail::sub;
  using kcpp::num::align_down;
  FbLayout l{};
  l.fb = {0, in.vram_size};
  const u64 vga_base = KCPP_TRY(sub(l.fb.end, SZ_1M));  // the PRAMIN window's size
  u64 vga_start = vga_base;
  if (in.display && in.vga_valid)
    vga_start = in.vga_addr < vga_base ? KCPP_TRY(sub(l.fb.end, SZ_128K)) : in.vga_addr;
  if (vga_start > l.fb.end)
    return code::EINVAL;
  l.vga_workspace = {vga_start, l.fb.end};
  const u64 frts_end = align_down(vga_start, SZ_128K);
  l.frts = {KCPP_TRY(sub(frts_end, in.frts_size)), frts_end};
  const u64 boot_start = align_down(KCPP_TRY(sub(l.frts.start, in.bootloader_size)), SZ_4K);
  l.boot = {boot_start, boot_start + in.bootloader_size};
  const u64 elf_start = align_down(KCPP_TRY(sub(l.boot.start, in.elf_size)), SZ_64K);
  l.elf = {elf_start, elf_start + in.elf_size};
  const u64 heap_size = in.libos.wpr_heap_size(l.fb.end);
  l.wpr2_heap = {align_down(KCPP_TRY(sub(l.elf.start, heap_size)), SZ_1M), align_down(l.elf.start, SZ_1M)};
  l.wpr2 = {align_down(KCPP_TRY(sub(l.wpr2_heap.start, WPR_META_SIZE)), SZ_1M), l.frts.end};
  l.heap = {KCPP_TRY(sub(l.wpr2.start, SZ_1M)), l.wpr2.start};
  l.vf_partition_count = 0;
  return l;
}

/** Reads the layout's inputs from the GPU and computes it. */
template <typename Io>
Result<FbLayout> layout(const Io& bar, Chipset chipset, u64 bootloader_size, u64 elf_size) {
  const Hal hal = KCPP_TRY(hal_for(chipset));
  LayoutInputs in{vidmem_size(hal, bar),
                  supports_display(hal, bar),
                  false,
                  0,
                  bootloader_size,
                  elf_size,
                  LibosParams::for_chipset(chipset),
                  detail::with_hal<Io>(hal, [](auto h) { return u64(decltype(h)::FRTS_SIZE); })};
  if (in.display) {
    const auto vga = regs::NV_PDISP_VGA_WORKSPACE_BASE::read(bar);
    in.vga_valid = vga.status_valid();
    in.vga_addr = vga.vga_workspace_addr();
  }
  return compute_layout(in);
}

}  // namespace nova::fb

#endif  // NOVA_CORE_FB_H

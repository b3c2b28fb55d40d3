/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated NVIDIA GPU: what nova-core's probe sees through BAR0 of a
 * given chip, with the behaviours the probe relies on.
 *
 *  - BOOT_0/BOOT_42 of the chip; VRAM size, display fuse, VGA workspace.
 *  - GFW boot completing after a number of polls (or never).
 *  - The PROM window at 0x300000 serving a VBIOS: synthesized for the chip
 *    (sim/vbios.h) or a given image (a dump replayed through the firmware
 *    loader, `Options::vbios`).
 *  - Two falcons (GSP, SEC2), each with IMEM and DMEM: the ENGINE reset
 *    clears them and scrubs for a few polls; the core select of GA102 and
 *    later; PIO ports with auto-increment; the DMA engine, which copies
 *    256-byte blocks from system memory (it reads what the driver mapped,
 *    like a bus master); the CPU start.
 *  - "Running" FWSEC on the GSP: the simulated ucode checks what a real one
 *    depends on (its IMEM code arrived intact, the boot ROM parameters and
 *    the signature the fuses select, the DMEMMAPPER command) and then does
 *    what FWSEC-FRTS does: sets WPR2 to the requested FRTS region, clears
 *    the error scratch, writes MAILBOX0 and halts.
 *  - The generic bootloader (Turing, GA100): recognized by its code at the
 *    IMEM block the boot vector tags, it reads its descriptor from DMEM,
 *    checks the DMA context and alignments, DMAs FWSEC's parts in from
 *    system memory and runs it. FWSEC on these chips runs only that way.
 *  - Failure switches: GFW never completes, the falcon never halts, FWSEC
 *    reports an error, FRTS error code, WPR2 left over or misplaced.
 *
 * The driver code runs against `Bar0` unchanged: it has the I/O interface
 * of kcpp's register DSL (read_at/write_at/try_read/try_write).
 */
#ifndef NOVA_SIM_GPU_H
#define NOVA_SIM_GPU_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/alloc/kvec.h>
#include <kcpp/bindings/bindings.h>
#include <kcpp/core/bytes.h>
#include <kcpp/device.h>

#include "../core/chipset.h"
#include "../core/falcon.h"
#include "../core/regs.h"
#include "../core/vbios.h"
#include "regs_model.h"

#include "gsp.h"
#include "vbios.h"

namespace nova::sim {

using kcpp::u64;

/** BOOT_42 as chip @p id at revision @p major.@p minor reports it. */
constexpr u32 boot42_of(u32 id, u32 major, u32 minor) {
  return ((id >> 4) << 24) | ((id & 0xf) << 20) | (major << 16) | (minor << 12);
}

/** BOOT_0 of a Fermi-or-later chip @p id (the form nouveau prints, e.g. 0xb72000a1 for GA102). */
constexpr u32 boot0_of(u32 id) {
  const u32 arch = id >> 4;
  return 0xa0000000u | ((arch & 0x1f) << 24) | ((id & 0xf) << 20) | ((arch >> 5) << 8) | 0xa1;
}

/** How the simulated GPU behaves. */
struct Options {
  u32 major = 0xa, minor = 1;   // revision
  int gfw_polls = 3;            // reads of the GFW progress before it completes; < 0: never
  u32 vram_mib = 0;             // 0: the chip's usual size
  bool vga_valid = false;       // the VGA workspace register is valid...
  u64 vga_addr = 0;             // ...at this address
  u32 gsp_fuse = 0x3;           // GSP ucode fuse (version 2: selects signature 1 of versions {1,2})
  u32 sec2_fuse = 0x1;          // SEC2 ucode fuse (version 1)
  bool falcon_hangs = false;    // the GSP falcon never halts
  u32 fwsec_mbox0 = 0;          // what FWSEC reports in MAILBOX0
  u32 frts_err = 0;             // FWSEC-FRTS error code in SW_SCRATCH[0xe]
  bool wpr2_exists = false;     // WPR2 left over from an earlier boot
  u64 wpr2_skew = 0;            // FWSEC places WPR2 this much off
  kcpp::Span<const u8> vbios;   // a VBIOS image to serve instead of the synthesized one
  Fault fault = Fault::None;    // how the simulated GSP and SEC2 misbehave (sim/gsp.h)
  u32 booter_unload_error = 0;  // nonzero: Booter-unload reports it in MAILBOX0, WPR2 stays
  const kcpp::pci::Device<>* pci = nullptr;  // the PCI function GSP_SET_SYSTEM_INFO must describe
};

/** Results of the last simulated FWSEC run, for tests. */
struct FwsecRun {
  bool ran = false;
  const char* refused = nullptr;  // why the simulated ucode failed, if it did
  u32 dma_blocks = 0;             // DMA transfers done
  u32 pio_words = 0;              // words written through the PIO ports
  u32 gen_bootloader_runs = 0;    // times the generic bootloader ran (Turing, GA100)
};

/**
 * The generic bootloader as scripts/nova_sim_firmware.py writes it: code
 * bytes of a known filler (what the simulated falcon recognises at its
 * boot vector), not a multiple of 256 long, and the descriptor it reads at
 * DMEM 0.
 */
struct GenBootloaderLayout {
  static constexpr usize CODE_SIZE = 0x2f0;
  static constexpr u32 START_TAG = 0xfd;
  static constexpr usize DESC_SIZE = 84;  // BootloaderDmemDescV2
  /** Code byte @p i. */
  static constexpr u8 code_byte(usize i) { return u8(i * 11 + 0x47); }
};

/// @cond KCPP_INTERNAL
namespace detail {
inline constexpr usize FALCON_MEM = 0x10000;  // 64 KiB IMEM and DMEM
}  // namespace detail
/// @endcond

class Gpu;

/**
 * The simulated GPU's clock (a `kcpp::io::Clock`): simulated time starts
 * at 0 and moves only when the driver sleeps on it, or by a microsecond
 * each time the driver reads it (so that a loop that spins on it ends).
 * The driver waits on it through nova::clock_of(bar): a timeout costs no
 * real time, and a test checks at what simulated time it came.
 */
class SimClock {
 public:
  [[nodiscard]] u64 now_ns() const { return ns_ += 1000; }
  void sleep_us(unsigned long us) const { ns_ += u64(us) * 1000; }
  /** The simulated time, without moving it. */
  [[nodiscard]] u64 elapsed_ns() const { return ns_; }

 private:
  mutable u64 ns_ = 0;
};

/** BAR0 of a simulated GPU: the I/O interface of kcpp's typed registers. */
class Bar0 {
 public:
  static constexpr usize MIN_SIZE = RegisterFile::MIN_SIZE;
  explicit Bar0(Gpu* gpu) : gpu_(gpu) {}

  template <typename W, usize Off>
  [[nodiscard]] W read_at() const {
    static_assert(sizeof(W) == 4 && Off % 4 == 0 && Off + 4 <= MIN_SIZE,
                  "nova sim: 32-bit registers inside BAR0 only");
    return read32(Off);
  }
  template <typename W, usize Off>
  void write_at(W v) const {
    static_assert(sizeof(W) == 4 && Off % 4 == 0 && Off + 4 <= MIN_SIZE,
                  "nova sim: 32-bit registers inside BAR0 only");
    write32(Off, v);
  }
  template <typename W>
  [[nodiscard]] kcpp::Result<W> try_read(usize off) const {
    if (sizeof(W) != 4 || off % 4)
      return kcpp::code::EINVAL;  // as Mmio: misaligned (or not a 32-bit register)
    if (off > MIN_SIZE - 4)
      return kcpp::code::ERANGE;
    return static_cast<W>(read32(off));
  }
  template <typename W>
  [[nodiscard]] kcpp::Result<void> try_write(W v, usize off) const {
    if (sizeof(W) != 4 || off % 4)
      return kcpp::code::EINVAL;  // as Mmio: misaligned (or not a 32-bit register)
    if (off > MIN_SIZE - 4)
      return kcpp::code::ERANGE;
    write32(off, static_cast<u32>(v));
    return {};
  }

  /** A 32-bit register access at any offset, unchecked (for harnesses that call in from C). */
  u32 read32(usize off) const;
  /** The simulated GPU's clock, which nova-core waits on (nova::clock_of()). */
  [[nodiscard]] const SimClock& clock() const;
  /** @copydoc read32 */
  void write32(usize off, u32 v) const;

 private:
  Gpu* gpu_;
};

/** A simulated GPU. Not movable (the BAR handle points at it): allocate it in a KBox. */
class Gpu {
 public:
  /**
   * Chip @p id (see nova::CHIPSETS, or any value to test refusal), doing
   * DMA as @p dev would (the device whose DMA mappings the driver makes).
   */
  Gpu(u32 id, const kcpp::Device<>* dev = nullptr, const Options& o = {})
      : id_(id), dev_(dev), opt_(o), gsp_model_(id, dev, o.pci, regs_, o.fault) {
    regs_.set(regs::NV_PMC_BOOT_0::OFFSET, boot0_of(id));
    regs_.set(regs::NV_PMC_BOOT_42::OFFSET, boot42_of(id, o.major, o.minor));
    const u32 arch = id >> 4;
    if (arch == 0x16 || id == Chipset::GA100.id()) {  // Turing, GA100: magnitude 11, scale 10: 11 GiB
      regs_.set(regs::NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE::OFFSET, (11 << 4) | 10);
      if (o.vram_mib)
        regs_.set(regs::NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE::OFFSET, ((o.vram_mib >> 10) << 4) | 10);
    } else {
      regs_.set(regs::NV_USABLE_FB_SIZE_IN_MB::OFFSET, o.vram_mib ? o.vram_mib : 24576);
    }
    if (o.vga_valid)
      regs_.set(regs::NV_PDISP_VGA_WORKSPACE_BASE::OFFSET, u32((o.vga_addr >> 16) << 8) | 0x8);
    for (usize i = 0; i < 16; i++) {
      regs_.set(0x8241c0 + 4 * i, o.gsp_fuse);   // NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION[i]
      regs_.set(0x824140 + 4 * i, o.sec2_fuse);  // NV_FUSE_OPT_FPF_SEC2_UCODE1_VERSION[i]
    }
    if (o.wpr2_exists) {
      regs_.set(regs::NV_PFB_PRI_MMU_WPR2_ADDR_LO::OFFSET, 0x10);
      regs_.set(regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET, 0x20);
    }
    // GA102 and later come up with the RISC-V core selected.
    if (id >= Chipset::GA102.id()) {
      regs_.set(regs::NV_PRISCV_RISCV_BCR_CTRL::OFFSET_IN<falcon::Gsp>, 0x11);
      regs_.set(regs::NV_PRISCV_RISCV_BCR_CTRL::OFFSET_IN<falcon::Sec2>, 0x11);
    }
  }
  Gpu(const Gpu&) = delete;
  Gpu& operator=(const Gpu&) = delete;

  /** Makes the synthesized VBIOS (unless one was given) and the falcon memories; ENOMEM. */
  kcpp::Result<void> power_on() {
    for (Falcon* f : {&gsp_, &sec2_}) {
      KCPP_TRY(f->imem.resize(detail::FALCON_MEM, 0, kcpp::GFP_KERNEL));
      KCPP_TRY(f->dmem.resize(detail::FALCON_MEM, 0, kcpp::GFP_KERNEL));
    }
    if (opt_.vbios.is_empty()) {
      const u32 version = id_ < Chipset::GA102.id() ? 2 : 3;  // Turing and GA100: V2
      KCPP_TRY(synthesize_vbios(synthesized_, version));
      vbios_ = synthesized_.as_span();
      check_imem_ = true;
    } else {
      vbios_ = opt_.vbios;
    }
    return {};
  }

  /** BAR0. */
  [[nodiscard]] Bar0 bar0() { return Bar0(this); }
  /** The register file, for tests that change what the hardware shows. */
  [[nodiscard]] RegisterFile& regs() { return regs_; }
  /** What the last FWSEC run did. */
  [[nodiscard]] const FwsecRun& fwsec() const { return run_; }
  /** What the simulated GSP and Booter saw. */
  [[nodiscard]] const GspRun& gsp() const { return gsp_model_.run(); }
  /** The VBIOS the PROM window serves. */
  [[nodiscard]] kcpp::Span<const u8> vbios() const { return vbios_; }
  /** The clock the driver waits on. */
  [[nodiscard]] const SimClock& clock() const { return clock_; }

 private:
  friend class Bar0;

  struct Falcon {
    usize base, base2;
    kcpp::KVec<u8> imem, dmem;
    int scrub_polls = 0;
    u32 imem_port = 0, dmem_port = 0;            // IMEMC/DMEMC values
    u16 tag[detail::FALCON_MEM / 256] = {};      // IMEM block tags (IMEMT)
    bool secure[detail::FALCON_MEM / 256] = {};  // IMEM blocks written secure
    bool fwsec_dma = false;                      // the generic bootloader DMAed FWSEC in
  };

  Falcon* falcon_at(usize off, usize& rel) {
    for (Falcon* f : {&gsp_, &sec2_}) {
      if (off >= f->base && off < f->base + 0x1000) {
        rel = off - f->base;
        return f;
      }
    }
    return nullptr;
  }
  bool ga102() const { return id_ >= Chipset::GA102.id(); }

  u32 read(usize off) {
    using namespace regs;
    if (off >= vbios::ROM_OFFSET && off < vbios::ROM_OFFSET + vbios::MAX_SCAN_LEN) {
      const usize at = off - vbios::ROM_OFFSET;
      u32 v = 0;
      for (usize i = 0; i < 4; i++)
        if (at + i < vbios_.size())
          v |= u32(vbios_[at + i]) << (8 * i);
      return v;
    }
    if (off == NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK::OFFSET) {
      gfw_reads_++;
      return gfw_done() ? 1 : 0;
    }
    if (off == NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT::OFFSET)
      return gfw_done() ? 0xff : 0x3f;
    if (off == SEQ_POLL)
      return gsp_model_.poll_read();
    usize rel = 0;
    if (Falcon* f = falcon_at(off, rel)) {
      if (rel == 0x0f4) {  // HWCFG2: reset ready; scrubbing for a few polls after a reset (GA102)
        const bool scrubbing = ga102() && f->scrub_polls > 0;
        if (scrubbing)
          f->scrub_polls--;
        return (1u << 31) | (scrubbing ? 1u << 12 : 0);
      }
      if (rel == 0x10c && !ga102() && f->scrub_polls > 0) {  // DMACTL scrubbing (Turing)
        f->scrub_polls--;
        return regs_.get(off) | 0x6;
      }
    }
    return regs_.get(off);
  }

  bool gfw_done() const { return opt_.gfw_polls >= 0 && gfw_reads_ > opt_.gfw_polls; }

  void write(usize off, u32 v) {
    usize rel = 0;
    Falcon* f = falcon_at(off, rel);
    if (!f && off >= sec2_.base2 && off < sec2_.base2 + 0x1000) {
      f = &sec2_;
      rel = 0x1000 + off - sec2_.base2;
    } else if (!f && off >= gsp_.base2 && off < gsp_.base2 + 0x1000) {
      f = &gsp_;
      rel = 0x1000 + off - gsp_.base2;
    }
    if (off == regs::NV_PGSP_QUEUE_HEAD::OFFSET) {  // inside the GSP's register block
      regs_.set(off, v);
      gsp_model_.doorbell();
      return;
    }
    if (!f) {
      regs_.set(off, v);
      return;
    }
    falcon_write(*f, rel, off, v);
  }

  void falcon_write(Falcon& f, usize rel, usize off, u32 v) {
    switch (rel) {
      case 0x3c0:  // ENGINE: a reset clears the memories and the CPU, then scrubs
        if (v & 1) {
          __builtin_memset(f.imem.data(), 0, f.imem.len());
          __builtin_memset(f.dmem.data(), 0, f.dmem.len());
          regs_.set(f.base + 0x100, 0);
          regs_.set(f.base + 0x040, 0);
          regs_.set(f.base + 0x044, 0);
          __builtin_memset(f.tag, 0, sizeof(f.tag));
          __builtin_memset(f.secure, 0, sizeof(f.secure));
          f.fwsec_dma = false;
          if (&f == &gsp_) {  // the RISC-V core stops with the engine
            regs_.set(f.base2 + 0x388, 0);
            regs_.set(f.base2 + 0x240, 0);
          }
        } else {
          f.scrub_polls = 2;
        }
        break;
      case 0x1000 + 0x668:  // BCR_CTRL: selecting a core makes it valid
        v = (v & 0x110) | 1;
        break;
      case 0x180:  // IMEMC port 0
        f.imem_port = v;
        break;
      case 0x184:  // IMEMD port 0
        f.secure[(f.imem_port & 0xffff) >> 8] = f.imem_port & (1u << 28);
        port_write(f.imem, f.imem_port, v);
        break;
      case 0x188:  // IMEMT port 0: the tag of the block the port is at
        f.tag[(f.imem_port & 0xffff) >> 8] = u16(v);
        break;
      case 0x1c0:  // DMEMC port 0
        f.dmem_port = v;
        break;
      case 0x1c4:  // DMEMD port 0
        port_write(f.dmem, f.dmem_port, v);
        break;
      case 0x118:  // DMATRFCMD: do the transfer, report idle
        dma_transfer(f, v);
        v |= 1u << 1;
        break;
      case 0x100:  // CPUCTL
      case 0x130:  // CPUCTL_ALIAS
        if (v & (1u << 1)) {
          regs_.set(off, v);
          if (&f == &gsp_)
            gsp_started();
          else
            sec2_started();
          return;
        }
        break;
      default:
        break;
    }
    regs_.set(off, v);
  }

  void port_write(kcpp::KVec<u8>& mem, u32& port, u32 v) {
    const usize at = port & 0xfffc;
    if (at + 4 <= mem.len())
      __builtin_memcpy(mem.data() + at, &v, 4);
    run_.pio_words++;
    if (port & (1u << 24))  // auto-increment
      port = (port & ~0xffffu) | ((at + 4) & 0xffff);
  }

  void dma_transfer(Falcon& f, u32 cmd) {
    const u64 base = (u64(regs_.get(f.base + 0x128) & 0x1ff) << 40) | (u64(regs_.get(f.base + 0x110)) << 8);
    const u64 src = base + regs_.get(f.base + 0x11c);
    const usize dst = regs_.get(f.base + 0x114) & 0xffffff;
    kcpp::KVec<u8>& mem = (cmd & (1u << 4)) ? f.imem : f.dmem;
    const u8* p = bus_bytes(dev_, src, 256);
    if (!p || dst + 256 > mem.len() || ((cmd >> 8) & 7) != 6) {
      dma_error_ = true;
      return;
    }
    __builtin_memcpy(mem.data() + dst, p, 256);
    run_.dma_blocks++;
  }

  // The GSP falcon started: the generic bootloader if the boot vector leads
  // to it (Turing, GA100), FWSEC if DMEM holds a DMEMMAPPER, else the GSP
  // bootloader (it takes the libos address and halts until Booter).
  void gsp_started() {
    if (!ga102() && gen_bootloader_at_boot_vector()) {
      run_gen_bootloader();
      return;
    }
    bool mapper = false;
    for (usize at = 0; at + 8 <= gsp_.dmem.len() && !mapper; at += 4)
      mapper = kcpp::bytes::read<u32>(dmem(), at).value_or(0) == 0x50414d44;
    if (mapper) {
      run_fwsec();
      return;
    }
    const usize cpuctl = gsp_.base + 0x100;
    gsp_model_.bootloader_started(u64(regs_.get(gsp_.base + 0x044)) << 32 | regs_.get(gsp_.base + 0x040));
    regs_.set(cpuctl, regs_.get(cpuctl) | (1u << 4));
  }

  // Whether the IMEM block the boot vector names (by tag) starts the generic bootloader's
  // code (GenBootloaderLayout), loaded non-secure with consecutive tags.
  bool gen_bootloader_at_boot_vector() {
    using L = GenBootloaderLayout;
    const u32 vec = regs_.get(gsp_.base + 0x104);
    if (vec & 0xff)
      return false;
    for (usize b = 0; b < detail::FALCON_MEM / 256; b++) {
      if (gsp_.tag[b] != vec >> 8)
        continue;
      const usize blocks = (L::CODE_SIZE + 255) / 256;
      if (b + blocks > detail::FALCON_MEM / 256)
        return false;
      for (usize k = 0; k < blocks; k++)
        if (gsp_.tag[b + k] != (vec >> 8) + k || gsp_.secure[b + k])
          return false;
      for (usize i = 0; i < L::CODE_SIZE; i++)
        if (gsp_.imem[b * 256 + i] != L::code_byte(i))
          return false;
      gen_bl_at_ = b * 256;
      return true;
    }
    return false;
  }

  // The simulated generic bootloader: reads its descriptor from DMEM 0, DMAs FWSEC's code
  // and data in through the descriptor's context, and jumps to it.
  void run_gen_bootloader() {
    using L = GenBootloaderLayout;
    run_.gen_bootloader_runs++;
    u8 raw[L::DESC_SIZE];
    __builtin_memcpy(raw, gsp_.dmem.data(), sizeof(raw));
    const kcpp::Span<const u8> d(raw);
    auto w32 = [&](usize at) { return kcpp::bytes::read<u32>(d, at).expect("at + 4 <= DESC_SIZE"); };
    auto w64 = [&](usize at) { return kcpp::bytes::read<u64>(d, at).expect("at + 8 <= DESC_SIZE"); };
    const u32 ctx = w32(0x20), ns_off = w32(0x2c), ns_size = w32(0x30), sec_off = w32(0x34),
              sec_size = w32(0x38), data_size = w32(0x48);
    const u64 code = w64(0x24), data = w64(0x40);
    const char* refused = nullptr;
    const u32 transcfg = ctx < 8 ? regs_.get(gsp_.base + 0x600 + 4 * usize(ctx)) : 0;
    // Target 1 or 2 (coherent or non-coherent system memory; 0 is the framebuffer, 3 reserved).
    if (ctx >= 8 || ((transcfg & 3) != 1 && (transcfg & 3) != 2) || !(transcfg & 4))
      refused = "generic bootloader: its DMA context is not physical system memory";
    else if (code % 256 || data % 256 || ns_off % 256 || sec_off % 256)
      refused = "generic bootloader: a DMA base or offset is not 256-byte aligned";
    else if (u64(sec_off) + sec_size > gen_bl_at_ || u64(ns_off) + ns_size > gen_bl_at_ ||
             data_size > gsp_.dmem.len())
      refused = "generic bootloader: FWSEC would overwrite it";
    const u8* ns = refused ? nullptr : bus_bytes(dev_, code + ns_off, ns_size);
    const u8* sec = refused ? nullptr : bus_bytes(dev_, code + sec_off, sec_size);
    const u8* dat = refused ? nullptr : bus_bytes(dev_, data, data_size);
    if (!refused && (!ns || !sec || !dat))
      refused = "generic bootloader: a DMA read outside mapped memory";
    if (refused) {
      run_.refused = refused;
      regs_.set(gsp_.base + 0x040, 0xbad0b100);
      regs_.set(gsp_.base + 0x100, regs_.get(gsp_.base + 0x100) | (1u << 4));
      return;
    }
    __builtin_memcpy(gsp_.imem.data() + ns_off, ns, ns_size);
    __builtin_memcpy(gsp_.imem.data() + sec_off, sec, sec_size);
    for (usize b = sec_off / 256; b < (u64(sec_off) + sec_size + 255) / 256; b++) gsp_.secure[b] = true;
    __builtin_memcpy(gsp_.dmem.data(), dat, data_size);
    gsp_.fwsec_dma = true;
    run_fwsec();
  }

  // SEC2 started: Booter-load, Booter-unload, or (CORE_RESUME) what Booter left running.
  void sec2_started() {
    const usize cpuctl = sec2_.base + 0x100;
    u32 mbox0 = 0xbad0b000;  // not a Booter this simulator knows
    if (gsp_model_.awaits_resume()) {
      gsp_model_.resume();
      mbox0 = 0;
    } else if (booter_is(3, 0x5a)) {
      mbox0 = booter_signed() ? gsp_model_.booter_load(u64(regs_.get(sec2_.base + 0x044)) << 32 |
                                                       regs_.get(sec2_.base + 0x040))
                              : 0xbad0519e;
    } else if (booter_is(5, 0x21)) {
      mbox0 = booter_signed() ? gsp_model_.booter_unload(opt_.booter_unload_error) : 0xbad0519e;
    }
    regs_.set(sec2_.base + 0x040, mbox0);
    regs_.set(cpuctl, regs_.get(cpuctl) | (1u << 4));
  }
  // Whether SEC2's DMEM holds Booter's OS data (offset 0x2800 of its image) with filler (mul, add),
  // outside the signature at 0x100.
  bool booter_is(u32 mul, u32 add) const {
    for (usize i = 0; i < 0x100; i++)
      if (sec2_.dmem[i] != u8((0x2800 + i) * mul + add))
        return false;
    return true;
  }
  // Whether the signature patched into Booter is the one SEC2's fuses select (of two).
  bool booter_signed() const {
    const u32 fuse = ga102() && opt_.sec2_fuse ? 32 - __builtin_clz(opt_.sec2_fuse) : 0;
    const u8 want = u8(0x30 + (fuse ? 2 - fuse : 1));
    for (usize i = 0; i < 384; i++)
      if (sec2_.dmem[0x100 + i] != want)
        return false;
    return true;
  }

  // The simulated FWSEC: FRTS or SB.
  void run_fwsec() {
    using namespace regs;
    const usize cpuctl = gsp_.base + 0x100;
    if (opt_.falcon_hangs)
      return;
    run_.ran = true;
    run_.refused = fwsec_refusal();
    u32 mbox0 = opt_.fwsec_mbox0;
    if (run_.refused) {
      mbox0 = 0xbad0f5ec;
    } else if (kcpp::bytes::read<u32>(dmem(), mapper_ + 44).value_or(0) == 0x19) {
      gsp_model_.fwsec_sb();
    } else {
      const u32 cmd_at = kcpp::bytes::read<u32>(dmem(), mapper_ + 8).expect("mapper_ + 64 <= the DMEM size");
      const u32 addr =
          kcpp::bytes::read<u32>(dmem(), cmd_at + 24 + 8).expect("fwsec_refusal() read up to cmd_at + 44");
      const u32 size =
          kcpp::bytes::read<u32>(dmem(), cmd_at + 24 + 12).expect("fwsec_refusal() read up to cmd_at + 44");
      const u64 lo = (u64(addr) << 12) + opt_.wpr2_skew;
      const u64 hi = u64(addr + size) << 12;
      regs_.set(NV_PFB_PRI_MMU_WPR2_ADDR_LO::OFFSET, u32(lo >> 12) << 4);
      regs_.set(NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET, u32(hi >> 12) << 4);
      regs_.set(NV_PBUS_SW_SCRATCH_0E_FRTS_ERR::OFFSET, opt_.frts_err << 16);
    }
    regs_.set(gsp_.base + 0x040, mbox0);
    regs_.set(cpuctl, regs_.get(cpuctl) | (1u << 4));  // halted
  }

  kcpp::Span<const u8> dmem() const { return gsp_.dmem.as_span(); }

  // Why the loaded image would not run on real hardware, or null.
  const char* fwsec_refusal() {
    using L = VbiosLayout;
    if (dma_error_)
      return "a DMA transfer read outside mapped memory";
    if (!ga102() && !gsp_.fwsec_dma)
      return "FWSEC loaded by PIO: on this chip only the generic bootloader's DMA authenticates it";
    const usize imem_base = ga102() ? 0 : L::V2_IMEM_PHYS_BASE;
    if (check_imem_)
      for (usize i = 0; i < L::IMEM_SIZE; i++)
        if (gsp_.imem[imem_base + i] != L::imem_byte(i))
          return "IMEM does not hold the FWSEC code";
    if (ga102()) {
      const usize b2 = gsp_.base2;
      const u32 pkc = regs_.get(b2 + 0x210);
      if (regs_.get(b2 + 0x180) != 1 || regs_.get(b2 + 0x19c) != L::ENGINE_GSP ||
          (regs_.get(b2 + 0x198) & 0xff) != L::UCODE_ID)
        return "boot ROM parameters not programmed";
      // The fuse version selects a signature: index = set bits of versions below it.
      const u32 fuse = opt_.gsp_fuse ? 32 - __builtin_clz(opt_.gsp_fuse) : 0;
      const u8 want = u8(L::SIGNATURE_FILL + kcpp::num::popcount(L::SIGNATURE_VERSIONS & ((1u << fuse) - 1)));
      for (usize i = 0; i < vbios::SIGNATURE_SIZE; i++)
        if (pkc + i >= gsp_.dmem.len() || gsp_.dmem[pkc + i] != want)
          return "signature check failed";
    }
    // The DMEMMAPPER and its FRTS command.
    mapper_ = ~usize(0);
    for (usize at = 0; at + 64 <= gsp_.dmem.len(); at += 4)
      if (kcpp::bytes::read<u32>(dmem(), at).expect("at + 64 <= the DMEM size") == 0x50414d44 &&
          kcpp::bytes::read<u16>(dmem(), at + 4).expect("at + 64 <= the DMEM size") == 3) {
        mapper_ = at;
        break;
      }
    if (mapper_ == ~usize(0))
      return "no DMEMMAPPER in DMEM";
    const u32 command = kcpp::bytes::read<u32>(dmem(), mapper_ + 44).expect("mapper_ + 64 <= the DMEM size");
    if (command != 0x15 && command != 0x19)
      return "DMEMMAPPER command is neither FRTS nor SB";
    const u32 cmd_at = kcpp::bytes::read<u32>(dmem(), mapper_ + 8).expect("mapper_ + 64 <= the DMEM size");
    auto w = [&](usize i) { return kcpp::bytes::read<u32>(dmem(), cmd_at + i).value_or(0); };
    if (w(0) != 1 || w(4) != 24 || w(20) != 2)
      return "malformed ReadVbios command";
    if (command == 0x19)
      return nullptr;  // SB takes no FRTS region
    if (w(24) != 1 || w(28) != 20 || w(40) != 2)
      return "malformed FRTS command";
    if (w(36) == 0)
      return "empty FRTS region";
    return nullptr;
  }

  u32 id_;
  const kcpp::Device<>* dev_;
  Options opt_;
  RegisterFile regs_;
  GspModel gsp_model_;
  Falcon gsp_{falcon::Gsp::base(regs::FalconBase{}), falcon::Gsp::base(regs::Falcon2Base{}), {}, {}};
  Falcon sec2_{falcon::Sec2::base(regs::FalconBase{}), falcon::Sec2::base(regs::Falcon2Base{}), {}, {}};
  kcpp::KVVec<u8> synthesized_;
  kcpp::Span<const u8> vbios_;
  bool check_imem_ = false;
  bool dma_error_ = false;
  int gfw_reads_ = 0;
  usize mapper_ = 0;
  usize gen_bl_at_ = 0;  // where the generic bootloader's code starts in IMEM
  FwsecRun run_;
  SimClock clock_;
};

inline const SimClock& Bar0::clock() const {
  return gpu_->clock_;
}
inline u32 Bar0::read32(usize off) const {
  return gpu_->read(off);
}
inline void Bar0::write32(usize off, u32 v) const {
  gpu_->write(off, v);
}

/** A powered-on simulated GPU in a KBox (see Gpu). */
inline kcpp::Result<kcpp::KBox<Gpu>> make_gpu(u32 id, const kcpp::Device<>* dev = nullptr,
                                              const Options& o = {}) {
  auto gpu = KCPP_TRY(kcpp::KBox<Gpu>::make(kcpp::GFP_KERNEL, id, dev, o));
  KCPP_TRY(gpu->power_on());
  return gpu;
}

}  // namespace nova::sim

#endif  // NOVA_SIM_GPU_H

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nova-core's registers, in kcpp's register DSL (kcpp/io/register.h).
 * Offsets and fields: BAR0 of NVIDIA GPUs from Turing on, as nova-core
 * uses them.
 *
 * A tour:
 *  - identification: NV_PMC_BOOT_0, NV_PMC_BOOT_42;
 *  - GFW boot progress (the VBIOS's devinit run by FWSEC at power-on);
 *  - framebuffer: the sysmem flush page address, VRAM size (two ways),
 *    display fuses, the VGA workspace, the WPR2 bounds FWSEC-FRTS sets;
 *  - falcon engines: registers relative to an engine's PFALCON base
 *    (`FalconBase`, the default family) or its PFALCON2 base
 *    (`Falcon2Base`), one definition for GSP and SEC2 (falcon.h gives the
 *    engines' bases);
 *  - fuses and scratch registers FWSEC and the falcon HALs read.
 */
#ifndef NOVA_CORE_REGS_H
#define NOVA_CORE_REGS_H

#include <kcpp/io/register.h>

namespace nova::regs {

using kcpp::u32;
using kcpp::u64;
using kcpp::u8;

/**
 * NV_PMC_BOOT_0: the identification register every NVIDIA GPU since NV04
 * has. Enough to tell pre-Fermi parts apart; the architecture is split in
 * two fields (bit 8 is its most significant bit).
 */
struct NV_PMC_BOOT_0 : kcpp::io::Register<NV_PMC_BOOT_0, u32, 0x000000> {
  KCPP_REG_FIELD(3, 0, minor_revision);    ///< The chip's minor revision (the 1 of revision A1).
  KCPP_REG_FIELD(7, 4, major_revision);    ///< The chip's major revision (the A of revision A1).
  KCPP_REG_FIELD(8, 8, architecture_1);    ///< Bit 5 of the architecture, above architecture_0.
  KCPP_REG_FIELD(23, 20, implementation);  ///< The chip within its architecture.
  KCPP_REG_FIELD(28, 24, architecture_0);  ///< Bits 4:0 of the architecture.

  /** The first Fermi architecture value (GF100). */
  static constexpr u32 ARCHITECTURE_GF100 = 0xc;
  /** NV04 to Tesla: BOOT_42 may not exist, and nova-core does not drive these. */
  [[nodiscard]] constexpr bool is_older_than_fermi() const {
    return !architecture_1() && architecture_0() < ARCHITECTURE_GF100;
  }
};

/** NV_PMC_BOOT_42: identification from Turing on (what nova-core decodes). */
struct NV_PMC_BOOT_42 : kcpp::io::Register<NV_PMC_BOOT_42, u32, 0x000a00> {
  KCPP_REG_FIELD(15, 12, minor_revision);  ///< The chip's minor revision.
  KCPP_REG_FIELD(19, 16, major_revision);  ///< The chip's major revision.
  KCPP_REG_FIELD(23, 20, implementation);  ///< The chip; chipset id = architecture << 4 | implementation.
  KCPP_REG_FIELD(29, 24, architecture);    ///< The architecture, e.g. 0x17 for Ampere (chipset.h lists them).
};

/** NV_PBUS_SW_SCRATCH: software scratch registers; [0xe] holds FWSEC-FRTS's error code. */
struct NV_PBUS_SW_SCRATCH : kcpp::io::RegisterArray<NV_PBUS_SW_SCRATCH, u32, 0x001400, 4, 64> {
  KCPP_REG_FIELD(31, 0, value);  ///< The slot's 32-bit content.
};
/** The scratch register FWSEC-FRTS reports through (bits 31:16: error code, 0 on success). */
struct NV_PBUS_SW_SCRATCH_0E_FRTS_ERR : kcpp::io::Register<NV_PBUS_SW_SCRATCH_0E_FRTS_ERR, u32, 0x001438> {
  KCPP_REG_FIELD(31, 16, frts_err_code);  ///< FWSEC-FRTS's error code; 0 if FRTS succeeded.
};

// GFW boot

/** Lowered by FWSEC when the CPU may read the GFW boot progress. */
struct NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK
    : kcpp::io::Register<NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK, u32, 0x118128> {
  KCPP_REG_FIELD(0, 0, read_protection_level0);  ///< 1 once FWSEC lets the CPU read the GFW boot progress.
};
/** GFW boot progress; 0xff once the VBIOS's boot code has finished. */
struct NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT
    : kcpp::io::Register<NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT, u32, 0x118234> {
  KCPP_REG_FIELD(7, 0, progress);  ///< How far the GFW boot has got; COMPLETED at its end.
  /** The progress of a finished GFW boot. */
  static constexpr u32 COMPLETED = 0xff;
  /** Whether the GFW boot has finished. */
  [[nodiscard]] constexpr bool completed() const { return progress() == COMPLETED; }
};
/** Usable framebuffer size in MiB (GA102 and later; set by the VBIOS). */
struct NV_USABLE_FB_SIZE_IN_MB : kcpp::io::Register<NV_USABLE_FB_SIZE_IN_MB, u32, 0x1183a4> {
  KCPP_REG_FIELD(31, 0, value);  ///< The usable VRAM, in MiB.
};
/** Booter's hand-off flag to the CPU sequencer (bit 26). */
struct NV_PGC6_BSI_SECURE_SCRATCH_14 : kcpp::io::Register<NV_PGC6_BSI_SECURE_SCRATCH_14, u32, 0x1180f8> {
  KCPP_REG_FIELD(26, 26, boot_stage_3_handoff);  ///< 1 once the boot has reached its stage-3 hand-off.
};

// Framebuffer

/** Bits 39:8 of the sysmem flush page's bus address. */
struct NV_PFB_NISO_FLUSH_SYSMEM_ADDR : kcpp::io::Register<NV_PFB_NISO_FLUSH_SYSMEM_ADDR, u32, 0x100c10> {
  KCPP_REG_FIELD(31, 0, adr_39_08);  ///< The page's bus address >> 8 (bits 7:0 are 0: the page is aligned).
};
/** Bits 63:40 of the sysmem flush page's bus address (GA100 and later). */
struct NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI
    : kcpp::io::Register<NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI, u32, 0x100c40> {
  KCPP_REG_FIELD(23, 0, adr_63_40);  ///< The page's bus address >> 40.
};
/** VRAM size as magnitude << scale MiB, less 1/16 with ECC (Turing, GA100). */
struct NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE
    : kcpp::io::Register<NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE, u32, 0x100ce0> {
  KCPP_REG_FIELD(3, 0, lower_scale);         ///< The shift applied to lower_mag.
  KCPP_REG_FIELD(9, 4, lower_mag);           ///< The VRAM size in MiB before the shift by lower_scale.
  KCPP_REG_FIELD(30, 30, ecc_mode_enabled);  ///< 1 with ECC on, which takes 1/16 of the VRAM.
  /** The size in bytes. */
  [[nodiscard]] constexpr u64 usable_fb_size() const {
    const u64 size = u64(lower_mag()) << lower_scale() << 20;
    return ecc_mode_enabled() ? size / 16 * 15 : size;
  }
};
/** Lower bound of WPR2 (bits 31:4 = address >> 12), set by FWSEC-FRTS. */
struct NV_PFB_PRI_MMU_WPR2_ADDR_LO : kcpp::io::Register<NV_PFB_PRI_MMU_WPR2_ADDR_LO, u32, 0x1fa824> {
  KCPP_REG_FIELD(31, 4, lo_val);  ///< The lower bound in 4 KiB units.
  /** The lower bound, a VRAM offset in bytes. */
  [[nodiscard]] constexpr u64 lower_bound() const { return u64(lo_val()) << 12; }
};
/** Upper bound of WPR2 (bits 31:4 = address >> 12); 0 while there is no WPR2. */
struct NV_PFB_PRI_MMU_WPR2_ADDR_HI : kcpp::io::Register<NV_PFB_PRI_MMU_WPR2_ADDR_HI, u32, 0x1fa828> {
  KCPP_REG_FIELD(31, 4, hi_val);  ///< The upper bound in 4 KiB units; 0 while there is no WPR2.
  /** The upper bound, a VRAM offset in bytes; 0 while there is no WPR2. */
  [[nodiscard]] constexpr u64 higher_bound() const { return u64(hi_val()) << 12; }
};
/** Display fuse of Turing (bit 0: display disabled). */
struct NV_FUSE_STATUS_OPT_DISPLAY_GM107
    : kcpp::io::Register<NV_FUSE_STATUS_OPT_DISPLAY_GM107, u32, 0x021c04> {
  KCPP_REG_FIELD(0, 0, display_disabled);  ///< 1 if the display engine is fused off.
};
/** Display fuse of GA100 and later (bit 0: display disabled). */
struct NV_FUSE_STATUS_OPT_DISPLAY_GA100
    : kcpp::io::Register<NV_FUSE_STATUS_OPT_DISPLAY_GA100, u32, 0x820c04> {
  KCPP_REG_FIELD(0, 0, display_disabled);  ///< 1 if the display engine is fused off.
};
/** Where the VBIOS keeps its VGA workspace (address = addr << 16, if valid). */
struct NV_PDISP_VGA_WORKSPACE_BASE : kcpp::io::Register<NV_PDISP_VGA_WORKSPACE_BASE, u32, 0x625f04> {
  KCPP_REG_FIELD(3, 3, status_valid);  ///< 1 if addr holds the workspace's location.
  KCPP_REG_FIELD(31, 8, addr);         ///< The workspace's VRAM offset in 64 KiB units.
  /** The workspace's VRAM offset in bytes (meaningful if status_valid). */
  [[nodiscard]] constexpr u64 vga_workspace_addr() const { return u64(addr()) << 16; }
};
/** The GSP's command queue doorbell. */
struct NV_PGSP_QUEUE_HEAD : kcpp::io::Register<NV_PGSP_QUEUE_HEAD, u32, 0x110c00> {
  KCPP_REG_FIELD(31, 0, address);  ///< Written (with 0) to tell the GSP that a command is queued.
};

// Fuses the falcon HALs read to pick a signature (16 per engine, one per ucode id).

/** SEC2 ucode fuse versions. */
struct NV_FUSE_OPT_FPF_SEC2_UCODE1_VERSION
    : kcpp::io::RegisterArray<NV_FUSE_OPT_FPF_SEC2_UCODE1_VERSION, u32, 0x824140, 4, 16> {
  KCPP_REG_FIELD(15, 0, data);  ///< Fuse bits: the fuse version is one plus the highest bit set (0: none).
};
/** NVDEC ucode fuse versions. */
struct NV_FUSE_OPT_FPF_NVDEC_UCODE1_VERSION
    : kcpp::io::RegisterArray<NV_FUSE_OPT_FPF_NVDEC_UCODE1_VERSION, u32, 0x824100, 4, 16> {
  KCPP_REG_FIELD(15, 0, data);  ///< Fuse bits: the fuse version is one plus the highest bit set (0: none).
};
/** GSP ucode fuse versions. */
struct NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION
    : kcpp::io::RegisterArray<NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION, u32, 0x8241c0, 4, 16> {
  KCPP_REG_FIELD(15, 0, data);  ///< Fuse bits: the fuse version is one plus the highest bit set (0: none).
};

// Falcon engines: offsets from the engine's PFALCON base (FalconBase, the
// default family) or its PFALCON2 base (Falcon2Base).

/** The register family at an engine's PFALCON base. */
using FalconBase = kcpp::io::DefaultBase;
/** The register family at an engine's PFALCON2 base. */
struct Falcon2Base {};

/** Falcon security models (HWCFG1). */
enum class FalconSecurityModel : u8 { None = 0, Reserved = 1, Light = 2, Heavy = 3 };
/** DMA transfer sizes (DMATRFCMD.size): 256 bytes is 6. */
enum class DmaTrfCmdSize : u8 { Size4B = 0, Size8B, Size16B, Size32B, Size64B, Size128B, Size256B, Reserved };
/** Where a falcon DMA context points (FBIF_TRANSCFG.target). */
enum class FalconFbifTarget : u8 { LocalFb = 0, CoherentSysmem = 1, NoncoherentSysmem = 2, Reserved = 3 };
/** Physical or virtual addressing of a DMA context (FBIF_TRANSCFG.mem_type). */
enum class FalconFbifMemType : u8 { Virtual = 0, Physical = 1 };

/** Falcon interrupt clear: writing 1 to a bit acknowledges that interrupt. */
struct NV_PFALCON_FALCON_IRQSCLR : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_IRQSCLR, u32, 0x004> {
  KCPP_REG_FIELD(4, 4, halt);    ///< The interrupt raised when the falcon's CPU halts.
  KCPP_REG_FIELD(6, 6, swgen0);  ///< Software-generated interrupt 0.
};
/**
 * Mailbox 0: a word the CPU and the falcon's ucode exchange. FWSEC and
 * Booter report their status here (0: success).
 */
struct NV_PFALCON_FALCON_MAILBOX0 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_MAILBOX0, u32, 0x040> {
  KCPP_REG_FIELD(31, 0, value);  ///< The word exchanged.
};
/** Mailbox 1: a second word the CPU and the falcon's ucode exchange. */
struct NV_PFALCON_FALCON_MAILBOX1 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_MAILBOX1, u32, 0x044> {
  KCPP_REG_FIELD(31, 0, value);  ///< The word exchanged.
};
/** The OS version the GSP bootloader reports. */
struct NV_PFALCON_FALCON_OS : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_OS, u32, 0x080> {
  KCPP_REG_FIELD(31, 0, value);  ///< The version: the bootloader descriptor's app_version.
};
/** Written with BOOT_0 after a reset (what the falcon's RM register expects). */
struct NV_PFALCON_FALCON_RM : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_RM, u32, 0x084> {
  KCPP_REG_FIELD(31, 0, value);  ///< The raw NV_PMC_BOOT_0 value.
};
/** Hardware configuration 2: RISC-V presence, reset readiness and scrubbing (GA102). */
struct NV_PFALCON_FALCON_HWCFG2 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_HWCFG2, u32, 0x0f4> {
  KCPP_REG_FIELD(10, 10, riscv);          ///< 1 if the engine has a RISC-V core besides the falcon.
  KCPP_REG_FIELD(12, 12, mem_scrubbing);  ///< 1 while IMEM and DMEM are scrubbed (GA102 and later).
  KCPP_REG_FIELD(31, 31, reset_ready);    ///< 1 when the engine is ready for a reset (GA102 and later).
};
/** CPU control of the falcon: start it, see whether it halted. */
struct NV_PFALCON_FALCON_CPUCTL : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_CPUCTL, u32, 0x100> {
  KCPP_REG_FIELD(1, 1, startcpu);  ///< Write 1 to start the CPU at BOOTVEC.
  KCPP_REG_FIELD(4, 4, halted);    ///< 1 once the CPU has halted (the booted ucode has finished).
  KCPP_REG_FIELD(6, 6, alias_en);  ///< 1 if the CPU must be started through CPUCTL_ALIAS instead.
};
/** Boot vector: the IMEM address the CPU starts at. */
struct NV_PFALCON_FALCON_BOOTVEC : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_BOOTVEC, u32, 0x104> {
  KCPP_REG_FIELD(31, 0, value);  ///< The IMEM address (the load plan's boot_addr).
};
/** DMA control, and the scrubbing status on Turing; cleared before a load. */
struct NV_PFALCON_FALCON_DMACTL : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMACTL, u32, 0x10c> {
  KCPP_REG_FIELD(0, 0, require_ctx);     ///< 1 if DMA transfers need a DMA context.
  KCPP_REG_FIELD(1, 1, dmem_scrubbing);  ///< 1 while DMEM is scrubbed after a reset (Turing).
  KCPP_REG_FIELD(2, 2, imem_scrubbing);  ///< 1 while IMEM is scrubbed after a reset (Turing).
  KCPP_REG_FIELD(6, 3, dmaq_num);        ///< A DMA queue number; nova-core writes 0.
  KCPP_REG_FIELD(7, 7, secure_stat);     ///< A security status bit; nova-core does not read it.
};
/** Bits 39:8 of a DMA transfer's base address. */
struct NV_PFALCON_FALCON_DMATRFBASE : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFBASE, u32, 0x110> {
  KCPP_REG_FIELD(31, 0, base);  ///< The base address >> 8 (it is 256-byte aligned).
};
/** The falcon memory offset of a DMA transfer. */
struct NV_PFALCON_FALCON_DMATRFMOFFS : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFMOFFS, u32, 0x114> {
  KCPP_REG_FIELD(23, 0, offs);  ///< The byte offset in IMEM or DMEM the block goes to.
};
/**
 * DMA transfer command: a write starts one block's transfer, from
 * DMATRFBASE + DMATRFFBOFFS to DMATRFMOFFS in IMEM or DMEM.
 */
struct NV_PFALCON_FALCON_DMATRFCMD : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFCMD, u32, 0x118> {
  KCPP_REG_FIELD(0, 0, full);      ///< 1 while the DMA queue is full.
  KCPP_REG_FIELD(1, 1, idle);      ///< 1 once no transfer is pending (polled after each block).
  KCPP_REG_FIELD(3, 2, sec);       ///< 1 for a transfer to secure IMEM, 0 otherwise.
  KCPP_REG_FIELD(4, 4, imem);      ///< 1: the transfer goes to IMEM; 0: to DMEM.
  KCPP_REG_FIELD(5, 5, is_write);  ///< 1: from falcon memory out to the bus; nova-core only loads (0).
  KCPP_REG_FIELD_AS(10, 8, size, DmaTrfCmdSize);  ///< The block size; nova-core moves 256 bytes.
  KCPP_REG_FIELD(14, 12, ctxdma);     ///< The DMA context (FBIF_TRANSCFG index); nova-core uses 0.
  KCPP_REG_FIELD(16, 16, set_dmtag);  ///< A tag control bit; nova-core leaves it 0.
};
/** The source offset of a DMA transfer, from the base. */
struct NV_PFALCON_FALCON_DMATRFFBOFFS
    : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFFBOFFS, u32, 0x11c> {
  KCPP_REG_FIELD(31, 0, offs);  ///< The block's source, in bytes from DMATRFBASE.
};
/** Bits 48:40 of a DMA transfer's base address. */
struct NV_PFALCON_FALCON_DMATRFBASE1 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFBASE1, u32, 0x128> {
  KCPP_REG_FIELD(8, 0, base);  ///< The base address >> 40.
};
/** Hardware configuration 1: the falcon core's revision and security model. */
struct NV_PFALCON_FALCON_HWCFG1 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_HWCFG1, u32, 0x12c> {
  KCPP_REG_FIELD(3, 0, core_rev);                                ///< The falcon core's revision.
  KCPP_REG_FIELD_AS(5, 4, security_model, FalconSecurityModel);  ///< The engine's security model.
  KCPP_REG_FIELD(7, 6, core_rev_subversion);                     ///< The sub-version of core_rev.
};
/** The alias of CPUCTL that starts the CPU while CPUCTL.alias_en is set. */
struct NV_PFALCON_FALCON_CPUCTL_ALIAS
    : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_CPUCTL_ALIAS, u32, 0x130> {
  KCPP_REG_FIELD(1, 1, startcpu);  ///< Write 1 to start the CPU at BOOTVEC.
};
/** IMEM access port control (4 ports, 16 bytes apart): offset, auto-increment, secure. */
struct NV_PFALCON_FALCON_IMEMC : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_IMEMC, u32, 0x180, 16, 4> {
  KCPP_REG_FIELD(15, 0, offs);     ///< The IMEM byte offset of the next access.
  KCPP_REG_FIELD(24, 24, aincw);   ///< 1: the offset advances by 4 after each write to IMEMD.
  KCPP_REG_FIELD(28, 28, secure);  ///< 1: the words written are secure code.
};
/** IMEM access port data: each write stores a word at the port's IMEMC offset. */
struct NV_PFALCON_FALCON_IMEMD : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_IMEMD, u32, 0x184, 16, 4> {
  KCPP_REG_FIELD(31, 0, data);  ///< The word to store at the port's offset.
};
/** The tag (virtual page) of the next 256-byte IMEM block written through the port. */
struct NV_PFALCON_FALCON_IMEMT : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_IMEMT, u32, 0x188, 16, 4> {
  KCPP_REG_FIELD(15, 0, tag);  ///< The tag: the block's IMEM address >> 8.
};
/** DMEM access port control (8 ports, 8 bytes apart). */
struct NV_PFALCON_FALCON_DMEMC : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_DMEMC, u32, 0x1c0, 8, 8> {
  KCPP_REG_FIELD(15, 0, offs);    ///< The DMEM byte offset of the next access.
  KCPP_REG_FIELD(24, 24, aincw);  ///< 1: the offset advances by 4 after each write to DMEMD.
};
/** DMEM access port data: each write stores a word at the port's DMEMC offset. */
struct NV_PFALCON_FALCON_DMEMD : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_DMEMD, u32, 0x1c4, 8, 8> {
  KCPP_REG_FIELD(31, 0, data);  ///< The word to store at the port's offset.
};
/** Engine reset control. */
struct NV_PFALCON_FALCON_ENGINE : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_ENGINE, u32, 0x3c0> {
  KCPP_REG_FIELD(0, 0, reset);  ///< 1 holds the engine in reset; nova-core sets it for 10 us.
};
/** DMA context configuration (8 contexts). */
struct NV_PFALCON_FBIF_TRANSCFG
    : kcpp::io::RelativeRegisterArray<NV_PFALCON_FBIF_TRANSCFG, u32, 0x600, 4, 8> {
  KCPP_REG_FIELD_AS(1, 0, target, FalconFbifTarget);     ///< Which memory the context's addresses are in.
  KCPP_REG_FIELD_AS(2, 2, mem_type, FalconFbifMemType);  ///< Physical or virtual addresses in the context.
};
/** Control of the falcon's framebuffer interface (its DMA path). */
struct NV_PFALCON_FBIF_CTL : kcpp::io::RelativeRegister<NV_PFALCON_FBIF_CTL, u32, 0x624> {
  KCPP_REG_FIELD(7, 7, allow_phys_no_ctx);  ///< 1 lets DMA use physical addresses without a DMA context.
};

// At the PFALCON2 base.

/** Signature algorithm of the boot ROM (1: RSA-3K). */
struct NV_PFALCON2_FALCON_MOD_SEL
    : kcpp::io::RelativeRegister<NV_PFALCON2_FALCON_MOD_SEL, u32, 0x180, Falcon2Base> {
  KCPP_REG_FIELD(7, 0, algo);  ///< The algorithm; nova-core selects RSA3K.
  /** RSA with 3072-bit keys, the algorithm of the signatures nova-core passes. */
  static constexpr u32 RSA3K = 1;
};
/** The id of the ucode the boot ROM is to verify. */
struct NV_PFALCON2_FALCON_BROM_CURR_UCODE_ID
    : kcpp::io::RelativeRegister<NV_PFALCON2_FALCON_BROM_CURR_UCODE_ID, u32, 0x198, Falcon2Base> {
  KCPP_REG_FIELD(7, 0, ucode_id);  ///< The ucode id, from the descriptor or the signature parameters.
};
/** The engines the ucode the boot ROM verifies was signed for. */
struct NV_PFALCON2_FALCON_BROM_ENGIDMASK
    : kcpp::io::RelativeRegister<NV_PFALCON2_FALCON_BROM_ENGIDMASK, u32, 0x19c, Falcon2Base> {
  KCPP_REG_FIELD(31, 0, value);  ///< The engine id mask, from the descriptor or the signature parameters.
};
/** Where in DMEM the boot ROM finds the signature. */
struct NV_PFALCON2_FALCON_BROM_PARAADDR
    : kcpp::io::RelativeRegisterArray<NV_PFALCON2_FALCON_BROM_PARAADDR, u32, 0x210, 4, 1, Falcon2Base> {
  KCPP_REG_FIELD(31, 0, value);  ///< The signature's DMEM offset (the image's pkc_data_offset).
};
/** RISC-V core status of Turing and GA100 (bit 0: the RISC-V core is active). */
struct NV_PRISCV_RISCV_CORE_SWITCH_RISCV_STATUS
    : kcpp::io::RelativeRegister<NV_PRISCV_RISCV_CORE_SWITCH_RISCV_STATUS, u32, 0x240, Falcon2Base> {
  KCPP_REG_FIELD(0, 0, active_stat);  ///< 1 while the RISC-V core runs.
};
/** RISC-V CPU control of GA102 and later. */
struct NV_PRISCV_RISCV_CPUCTL : kcpp::io::RelativeRegister<NV_PRISCV_RISCV_CPUCTL, u32, 0x388, Falcon2Base> {
  KCPP_REG_FIELD(0, 0, halted);       ///< 1 once the RISC-V core has halted.
  KCPP_REG_FIELD(7, 7, active_stat);  ///< 1 while the RISC-V core runs (what Booter leaves the GSP in).
};
/** Which core (falcon or RISC-V) a dual-core engine boots (GA102 and later). */
struct NV_PRISCV_RISCV_BCR_CTRL
    : kcpp::io::RelativeRegister<NV_PRISCV_RISCV_BCR_CTRL, u32, 0x668, Falcon2Base> {
  KCPP_REG_FIELD(0, 0, valid);        ///< 1 once the core selection has taken effect.
  KCPP_REG_FIELD(4, 4, core_select);  ///< The core that boots: 0 the falcon, 1 RISC-V.
  KCPP_REG_FIELD(8, 8, br_fetch);     ///< A boot ROM fetch control bit; nova-core does not use it.
};

}  // namespace nova::regs

#endif  // NOVA_CORE_REGS_H

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

/** NV_PBUS_SW_SCRATCH: software scratch registers; [0xe] holds FWSEC-FRTS's error code. */
struct NV_PBUS_SW_SCRATCH : kcpp::io::RegisterArray<NV_PBUS_SW_SCRATCH, u32, 0x001400, 4, 64> {
  KCPP_REG_FIELD(31, 0, value);
};
/** The scratch register FWSEC-FRTS reports through (bits 31:16: error code, 0 on success). */
struct NV_PBUS_SW_SCRATCH_0E_FRTS_ERR : kcpp::io::Register<NV_PBUS_SW_SCRATCH_0E_FRTS_ERR, u32, 0x001438> {
  KCPP_REG_FIELD(31, 16, frts_err_code);
};

// GFW boot

/** Lowered by FWSEC when the CPU may read the GFW boot progress. */
struct NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK
    : kcpp::io::Register<NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK, u32, 0x118128> {
  KCPP_REG_FIELD(0, 0, read_protection_level0);
};
/** GFW boot progress; 0xff once the VBIOS's boot code has finished. */
struct NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT
    : kcpp::io::Register<NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT, u32, 0x118234> {
  KCPP_REG_FIELD(7, 0, progress);
  static constexpr u32 COMPLETED = 0xff;
  [[nodiscard]] constexpr bool completed() const { return progress() == COMPLETED; }
};
/** Usable framebuffer size in MiB (GA102 and later; set by the VBIOS). */
struct NV_USABLE_FB_SIZE_IN_MB : kcpp::io::Register<NV_USABLE_FB_SIZE_IN_MB, u32, 0x1183a4> {
  KCPP_REG_FIELD(31, 0, value);
};
/** Booter's hand-off flag to the CPU sequencer (bit 26). */
struct NV_PGC6_BSI_SECURE_SCRATCH_14 : kcpp::io::Register<NV_PGC6_BSI_SECURE_SCRATCH_14, u32, 0x1180f8> {
  KCPP_REG_FIELD(26, 26, boot_stage_3_handoff);
};

// Framebuffer

/** Bits 39:8 of the sysmem flush page's bus address. */
struct NV_PFB_NISO_FLUSH_SYSMEM_ADDR : kcpp::io::Register<NV_PFB_NISO_FLUSH_SYSMEM_ADDR, u32, 0x100c10> {
  KCPP_REG_FIELD(31, 0, adr_39_08);
};
/** Bits 63:40 of the sysmem flush page's bus address (GA100 and later). */
struct NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI
    : kcpp::io::Register<NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI, u32, 0x100c40> {
  KCPP_REG_FIELD(23, 0, adr_63_40);
};
/** VRAM size as magnitude << scale MiB, less 1/16 with ECC (Turing, GA100). */
struct NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE
    : kcpp::io::Register<NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE, u32, 0x100ce0> {
  KCPP_REG_FIELD(3, 0, lower_scale);
  KCPP_REG_FIELD(9, 4, lower_mag);
  KCPP_REG_FIELD(30, 30, ecc_mode_enabled);
  /** The size in bytes. */
  [[nodiscard]] constexpr u64 usable_fb_size() const {
    const u64 size = u64(lower_mag()) << lower_scale() << 20;
    return ecc_mode_enabled() ? size / 16 * 15 : size;
  }
};
/** Lower bound of WPR2 (bits 31:4 = address >> 12), set by FWSEC-FRTS. */
struct NV_PFB_PRI_MMU_WPR2_ADDR_LO : kcpp::io::Register<NV_PFB_PRI_MMU_WPR2_ADDR_LO, u32, 0x1fa824> {
  KCPP_REG_FIELD(31, 4, lo_val);
  [[nodiscard]] constexpr u64 lower_bound() const { return u64(lo_val()) << 12; }
};
/** Upper bound of WPR2 (bits 31:4 = address >> 12); 0 while there is no WPR2. */
struct NV_PFB_PRI_MMU_WPR2_ADDR_HI : kcpp::io::Register<NV_PFB_PRI_MMU_WPR2_ADDR_HI, u32, 0x1fa828> {
  KCPP_REG_FIELD(31, 4, hi_val);
  [[nodiscard]] constexpr u64 higher_bound() const { return u64(hi_val()) << 12; }
};
/** Display fuse of Turing (bit 0: display disabled). */
struct NV_FUSE_STATUS_OPT_DISPLAY_GM107
    : kcpp::io::Register<NV_FUSE_STATUS_OPT_DISPLAY_GM107, u32, 0x021c04> {
  KCPP_REG_FIELD(0, 0, display_disabled);
};
/** Display fuse of GA100 and later (bit 0: display disabled). */
struct NV_FUSE_STATUS_OPT_DISPLAY_GA100
    : kcpp::io::Register<NV_FUSE_STATUS_OPT_DISPLAY_GA100, u32, 0x820c04> {
  KCPP_REG_FIELD(0, 0, display_disabled);
};
/** Where the VBIOS keeps its VGA workspace (address = addr << 16, if valid). */
struct NV_PDISP_VGA_WORKSPACE_BASE : kcpp::io::Register<NV_PDISP_VGA_WORKSPACE_BASE, u32, 0x625f04> {
  KCPP_REG_FIELD(3, 3, status_valid);
  KCPP_REG_FIELD(31, 8, addr);
  [[nodiscard]] constexpr u64 vga_workspace_addr() const { return u64(addr()) << 16; }
};
/** The GSP's command queue doorbell. */
struct NV_PGSP_QUEUE_HEAD : kcpp::io::Register<NV_PGSP_QUEUE_HEAD, u32, 0x110c00> {
  KCPP_REG_FIELD(31, 0, address);
};

// Fuses the falcon HALs read to pick a signature (16 per engine, one per ucode id).

/** SEC2 ucode fuse versions. */
struct NV_FUSE_OPT_FPF_SEC2_UCODE1_VERSION
    : kcpp::io::RegisterArray<NV_FUSE_OPT_FPF_SEC2_UCODE1_VERSION, u32, 0x824140, 4, 16> {
  KCPP_REG_FIELD(15, 0, data);
};
/** NVDEC ucode fuse versions. */
struct NV_FUSE_OPT_FPF_NVDEC_UCODE1_VERSION
    : kcpp::io::RegisterArray<NV_FUSE_OPT_FPF_NVDEC_UCODE1_VERSION, u32, 0x824100, 4, 16> {
  KCPP_REG_FIELD(15, 0, data);
};
/** GSP ucode fuse versions. */
struct NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION
    : kcpp::io::RegisterArray<NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION, u32, 0x8241c0, 4, 16> {
  KCPP_REG_FIELD(15, 0, data);
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

struct NV_PFALCON_FALCON_IRQSCLR : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_IRQSCLR, u32, 0x004> {
  KCPP_REG_FIELD(4, 4, halt);
  KCPP_REG_FIELD(6, 6, swgen0);
};
struct NV_PFALCON_FALCON_MAILBOX0 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_MAILBOX0, u32, 0x040> {
  KCPP_REG_FIELD(31, 0, value);
};
struct NV_PFALCON_FALCON_MAILBOX1 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_MAILBOX1, u32, 0x044> {
  KCPP_REG_FIELD(31, 0, value);
};
/** The OS version the GSP bootloader reports. */
struct NV_PFALCON_FALCON_OS : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_OS, u32, 0x080> {
  KCPP_REG_FIELD(31, 0, value);
};
/** Written with BOOT_0 after a reset (what the falcon's RM register expects). */
struct NV_PFALCON_FALCON_RM : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_RM, u32, 0x084> {
  KCPP_REG_FIELD(31, 0, value);
};
struct NV_PFALCON_FALCON_HWCFG2 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_HWCFG2, u32, 0x0f4> {
  KCPP_REG_FIELD(10, 10, riscv);
  KCPP_REG_FIELD(12, 12, mem_scrubbing);
  KCPP_REG_FIELD(31, 31, reset_ready);
};
struct NV_PFALCON_FALCON_CPUCTL : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_CPUCTL, u32, 0x100> {
  KCPP_REG_FIELD(1, 1, startcpu);
  KCPP_REG_FIELD(4, 4, halted);
  KCPP_REG_FIELD(6, 6, alias_en);
};
struct NV_PFALCON_FALCON_BOOTVEC : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_BOOTVEC, u32, 0x104> {
  KCPP_REG_FIELD(31, 0, value);
};
struct NV_PFALCON_FALCON_DMACTL : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMACTL, u32, 0x10c> {
  KCPP_REG_FIELD(0, 0, require_ctx);
  KCPP_REG_FIELD(1, 1, dmem_scrubbing);
  KCPP_REG_FIELD(2, 2, imem_scrubbing);
  KCPP_REG_FIELD(6, 3, dmaq_num);
  KCPP_REG_FIELD(7, 7, secure_stat);
};
/** Bits 39:8 of a DMA transfer's base address. */
struct NV_PFALCON_FALCON_DMATRFBASE : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFBASE, u32, 0x110> {
  KCPP_REG_FIELD(31, 0, base);
};
/** The falcon memory offset of a DMA transfer. */
struct NV_PFALCON_FALCON_DMATRFMOFFS : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFMOFFS, u32, 0x114> {
  KCPP_REG_FIELD(23, 0, offs);
};
struct NV_PFALCON_FALCON_DMATRFCMD : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFCMD, u32, 0x118> {
  KCPP_REG_FIELD(0, 0, full);
  KCPP_REG_FIELD(1, 1, idle);
  KCPP_REG_FIELD(3, 2, sec);
  KCPP_REG_FIELD(4, 4, imem);
  KCPP_REG_FIELD(5, 5, is_write);
  KCPP_REG_FIELD_AS(10, 8, size, DmaTrfCmdSize);
  KCPP_REG_FIELD(14, 12, ctxdma);
  KCPP_REG_FIELD(16, 16, set_dmtag);
};
/** The source offset of a DMA transfer, from the base. */
struct NV_PFALCON_FALCON_DMATRFFBOFFS
    : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFFBOFFS, u32, 0x11c> {
  KCPP_REG_FIELD(31, 0, offs);
};
/** Bits 48:40 of a DMA transfer's base address. */
struct NV_PFALCON_FALCON_DMATRFBASE1 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_DMATRFBASE1, u32, 0x128> {
  KCPP_REG_FIELD(8, 0, base);
};
struct NV_PFALCON_FALCON_HWCFG1 : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_HWCFG1, u32, 0x12c> {
  KCPP_REG_FIELD(3, 0, core_rev);
  KCPP_REG_FIELD_AS(5, 4, security_model, FalconSecurityModel);
  KCPP_REG_FIELD(7, 6, core_rev_subversion);
};
struct NV_PFALCON_FALCON_CPUCTL_ALIAS
    : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_CPUCTL_ALIAS, u32, 0x130> {
  KCPP_REG_FIELD(1, 1, startcpu);
};
/** IMEM access port control (4 ports, 16 bytes apart): offset, auto-increment, secure. */
struct NV_PFALCON_FALCON_IMEMC : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_IMEMC, u32, 0x180, 16, 4> {
  KCPP_REG_FIELD(15, 0, offs);
  KCPP_REG_FIELD(24, 24, aincw);
  KCPP_REG_FIELD(28, 28, secure);
};
struct NV_PFALCON_FALCON_IMEMD : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_IMEMD, u32, 0x184, 16, 4> {
  KCPP_REG_FIELD(31, 0, data);
};
/** The tag (virtual page) of the next 256-byte IMEM block written through the port. */
struct NV_PFALCON_FALCON_IMEMT : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_IMEMT, u32, 0x188, 16, 4> {
  KCPP_REG_FIELD(15, 0, tag);
};
/** DMEM access port control (8 ports, 8 bytes apart). */
struct NV_PFALCON_FALCON_DMEMC : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_DMEMC, u32, 0x1c0, 8, 8> {
  KCPP_REG_FIELD(15, 0, offs);
  KCPP_REG_FIELD(24, 24, aincw);
};
struct NV_PFALCON_FALCON_DMEMD : kcpp::io::RelativeRegisterArray<NV_PFALCON_FALCON_DMEMD, u32, 0x1c4, 8, 8> {
  KCPP_REG_FIELD(31, 0, data);
};
struct NV_PFALCON_FALCON_ENGINE : kcpp::io::RelativeRegister<NV_PFALCON_FALCON_ENGINE, u32, 0x3c0> {
  KCPP_REG_FIELD(0, 0, reset);
};
/** DMA context configuration (8 contexts). */
struct NV_PFALCON_FBIF_TRANSCFG
    : kcpp::io::RelativeRegisterArray<NV_PFALCON_FBIF_TRANSCFG, u32, 0x600, 4, 8> {
  KCPP_REG_FIELD_AS(1, 0, target, FalconFbifTarget);
  KCPP_REG_FIELD_AS(2, 2, mem_type, FalconFbifMemType);
};
struct NV_PFALCON_FBIF_CTL : kcpp::io::RelativeRegister<NV_PFALCON_FBIF_CTL, u32, 0x624> {
  KCPP_REG_FIELD(7, 7, allow_phys_no_ctx);
};

// At the PFALCON2 base.

/** Signature algorithm of the boot ROM (1: RSA-3K). */
struct NV_PFALCON2_FALCON_MOD_SEL
    : kcpp::io::RelativeRegister<NV_PFALCON2_FALCON_MOD_SEL, u32, 0x180, Falcon2Base> {
  KCPP_REG_FIELD(7, 0, algo);
  static constexpr u32 RSA3K = 1;
};
struct NV_PFALCON2_FALCON_BROM_CURR_UCODE_ID
    : kcpp::io::RelativeRegister<NV_PFALCON2_FALCON_BROM_CURR_UCODE_ID, u32, 0x198, Falcon2Base> {
  KCPP_REG_FIELD(7, 0, ucode_id);
};
struct NV_PFALCON2_FALCON_BROM_ENGIDMASK
    : kcpp::io::RelativeRegister<NV_PFALCON2_FALCON_BROM_ENGIDMASK, u32, 0x19c, Falcon2Base> {
  KCPP_REG_FIELD(31, 0, value);
};
/** Where in DMEM the boot ROM finds the signature. */
struct NV_PFALCON2_FALCON_BROM_PARAADDR
    : kcpp::io::RelativeRegisterArray<NV_PFALCON2_FALCON_BROM_PARAADDR, u32, 0x210, 4, 1, Falcon2Base> {
  KCPP_REG_FIELD(31, 0, value);
};
/** RISC-V core status of Turing and GA100 (bit 0: the RISC-V core is active). */
struct NV_PRISCV_RISCV_CORE_SWITCH_RISCV_STATUS
    : kcpp::io::RelativeRegister<NV_PRISCV_RISCV_CORE_SWITCH_RISCV_STATUS, u32, 0x240, Falcon2Base> {
  KCPP_REG_FIELD(0, 0, active_stat);
};
/** RISC-V CPU control of GA102 and later. */
struct NV_PRISCV_RISCV_CPUCTL : kcpp::io::RelativeRegister<NV_PRISCV_RISCV_CPUCTL, u32, 0x388, Falcon2Base> {
  KCPP_REG_FIELD(0, 0, halted);
  KCPP_REG_FIELD(7, 7, active_stat);
};
/** Which core (falcon or RISC-V) a dual-core engine boots (GA102 and later). */
struct NV_PRISCV_RISCV_BCR_CTRL
    : kcpp::io::RelativeRegister<NV_PRISCV_RISCV_BCR_CTRL, u32, 0x668, Falcon2Base> {
  KCPP_REG_FIELD(0, 0, valid);
  KCPP_REG_FIELD(4, 4, core_select);  // 0: falcon, 1: RISC-V
  KCPP_REG_FIELD(8, 8, br_fetch);
};

}  // namespace nova::regs

#endif  // NOVA_CORE_REGS_H

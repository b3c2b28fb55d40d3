/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GSP boot, and its unload.
 *
 * Boot (boot()):
 *   1. the memory shared with the GSP for its lifetime (Resources): the
 *      libos region array, the LOGINIT/LOGINTR/LOGRM log buffers, RMARGS
 *      (GspArgumentsCached) and GspMem, the command queue (gsp/cmdq.h);
 *   2. VBIOS (vbios.h), GSP firmware (its image under radix-3 page tables)
 *      and bootloader (firmware.h), the framebuffer layout (fb.h);
 *   3. the unload firmware, prepared now so that any later failure can
 *      take the GPU back: FWSEC-SB and Booter-unload. If it cannot be
 *      prepared the probe fails before anything runs (upstream 7.3's
 *      Turing HAL boot warns "Failed to prepare unload firmware" and boots
 *      anyway, leaving a GPU that unbind cannot take back and that needs a
 *      reset before the next bind);
 *   4. FWSEC-FRTS (fwsec.h; on Turing and GA100 through the generic
 *      bootloader, fwsec/bootloader.h): WPR2 must not exist before (EBUSY:
 *      the GPU needs a reset), FWSEC's error scratch must read 0 after, and
 *      WPR2 must start where FRTS was placed (EIO). GA100 has no FRTS and
 *      skips it: its Booter creates WPR2;
 *   5. Booter-load for SEC2, and GspFwWprMeta from the layout;
 *   6. GSP_SET_SYSTEM_INFO and SET_REGISTRY queued before the GSP runs;
 *   7. the GSP falcon reset and started with the libos array's address in
 *      its mailboxes; SEC2 runs Booter-load with the WPR meta's address
 *      (MAILBOX0 must read 0: ENODEV);
 *   8. the OS version written, the GSP's RISC-V core awaited (5 s,
 *      ETIMEDOUT);
 *   9. the CPU sequencer program the GSP sends run (gsp/sequencer.h), then
 *      GSP_INIT_DONE awaited;
 *  10. GET_GSP_STATIC_INFO: the GPU's name and usable VRAM, logged and kept
 *      (a missing or malformed reply is a warning only).
 * A failure after FWSEC-FRTS runs the unload firmware (no RPC: the GSP may
 * not be up), so that WPR2 is gone and the next probe starts clean. If the
 * unload firmware fails too (other than FWSEC-SB halting with an error and
 * no WPR2 left: nothing runs then), everything the GPU may still reach is
 * abandoned in an AbandonSlot taken before FWSEC ran: never freed, the
 * flush page left registered. The next probe finds WPR2 and refuses the
 * GPU (EBUSY) before touching it; a falcon that hung without WPR2 is not
 * caught that way, and the next probe registers a new flush page.
 *
 * Unload (unload(), at unbind): UNLOADING_GUEST_DRIVER and the GSP's
 * suspend acknowledgement (MAILBOX0 bit 31), FWSEC-SB, Booter-unload on
 * SEC2, WPR2 gone (EBUSY otherwise). The shared memory is freed with the
 * object afterwards, or abandoned if the unload firmware failed (gpu.h).
 */
#ifndef NOVA_CORE_GSP_H
#define NOVA_CORE_GSP_H

#include <kcpp/alloc/kbox.h>
#include <kcpp/device.h>
#include <kcpp/dma.h>
#include <kcpp/pci.h>
#include <kcpp/print.h>

#include "clock.h"
#include "falcon.h"
#include "fb.h"
#include "firmware.h"
#include "fwsec.h"
#include "gsp/cmdq.h"
#include "gsp/fw.h"
#include "gsp/sequencer.h"
#include "regs.h"
#include "vbios.h"

namespace nova::gsp {

using kcpp::u16;

/** The PCI facts GSP-RM is told (GSP_SET_SYSTEM_INFO). */
struct PciInfo {
  u64 bar0;              ///< BAR0's bus address (the registers)
  u64 bar1;              ///< BAR1's (the VRAM aperture)
  u64 bar3;              ///< BAR3's (instance memory)
  u16 dev_id;            ///< bus << 8 | devfn
  u16 vendor;            ///< the vendor id
  u16 device;            ///< the device id
  u16 subsystem_vendor;  ///< read from config space (0x2c)
  u16 subsystem_device;  ///< read from config space (0x2e)
  u8 revision;           ///< the revision id

  /** The facts of bound device @p pdev. */
  static PciInfo of(const kcpp::pci::Device<kcpp::device::Bound>& pdev) {
    const auto cfg = pdev.config_space();
    return {pdev.resource_start(0).value_or(0),
            pdev.resource_start(1).value_or(0),
            pdev.resource_start(3).value_or(0),
            pdev.dev_id(),
            pdev.vendor_id().value,
            pdev.device_id(),
            cfg.read16(0x2c),
            cfg.read16(0x2e),
            pdev.revision_id()};
  }
};

/** The payload of GSP_SET_SYSTEM_INFO for @p pci. */
constexpr GspSystemInfo system_info(const PciInfo& pci) {
  GspSystemInfo s{};
  s.gpu_phys_addr = pci.bar0;
  s.gpu_phys_fb_addr = pci.bar1;
  s.gpu_phys_inst_addr = pci.bar3;
  s.nv_domain_bus_device_func = pci.dev_id;
  s.max_user_va = GspSystemInfo::MAX_USER_VA;
  s.pci_config_mirror_base = GspSystemInfo::CONFIG_MIRROR_BASE;
  s.pci_config_mirror_size = GspSystemInfo::CONFIG_MIRROR_SIZE;
  s.pci_device_id = u32(pci.device) << 16 | pci.vendor;
  s.pci_sub_device_id = u32(pci.subsystem_device) << 16 | pci.subsystem_vendor;
  s.pci_revision_id = pci.revision;
  return s;
}

/** The registry keys nova-core gives GSP-RM, each a DWORD of 1. */
inline constexpr const char* REGISTRY_KEYS[] = {"RMSecBusResetEnable", "RMForcePcieConfigSave",
                                                "RMDevidCheckIgnore"};

/**
 * The SET_REGISTRY payload: the table header, one entry per key, then the
 * NUL-terminated names; size is the whole table's.
 */
inline Result<kcpp::KVVec<u8>> registry_table() {
  constexpr usize n = sizeof(REGISTRY_KEYS) / sizeof(REGISTRY_KEYS[0]);
  usize names = 0;
  for (const char* k : REGISTRY_KEYS) names += __builtin_strlen(k) + 1;
  const usize size = sizeof(PackedRegistryTable) + n * sizeof(PackedRegistryEntry) + names;
  kcpp::KVVec<u8> t;
  KCPP_TRY(t.resize(size, 0, kcpp::GFP_KERNEL));
  KCPP_TRY(kcpp::bytes::write(t.as_span(), 0, PackedRegistryTable{u32(size), u32(n)}));
  usize name_at = sizeof(PackedRegistryTable) + n * sizeof(PackedRegistryEntry);
  for (usize i = 0; i < n; i++) {
    const PackedRegistryEntry e{u32(name_at), PackedRegistryEntry::TYPE_DWORD, {}, 1, 0};
    KCPP_TRY(kcpp::bytes::write(t.as_span(), sizeof(PackedRegistryTable) + i * sizeof(e), e));
    const usize len = __builtin_strlen(REGISTRY_KEYS[i]) + 1;
    // SAFETY: REGISTRY_KEYS[i] is a string literal of len bytes, NUL included, alive for the
    // program; a u8 pointer may view any object's bytes.
    const auto name = Span<const u8>::unsafe_from_raw(reinterpret_cast<const u8*>(REGISTRY_KEYS[i]), len);
    KCPP_TRY(kcpp::bytes::copy(t.as_span(), name_at, name));
    name_at += len;
  }
  return t;
}

/** A range of VRAM GSP-RM says the driver may allocate from. */
struct VramRegion {
  u64 start;  ///< the first byte
  u64 end;    ///< one past the last
};

/** What GET_GSP_STATIC_INFO said, kept for the GPU's users (nova-drm). */
struct StaticInfo {
  char name[64];          ///< the GPU's name, NUL-terminated ("" if the reply had none)
  u64 vram_size;          ///< fb_length: VRAM in bytes
  u64 bar1_pde_base;      ///< the BAR1 page directory's base
  u32 l2_cache_size;      ///< in bytes
  VramRegion usable[16];  ///< the usable regions...
  u32 usable_count;       ///< ...this many
  u32 ignored;            ///< usable by their flags, but past the VRAM or over another region
  /** The bytes of all usable regions. */
  [[nodiscard]] u64 usable_total() const {
    u64 t = 0;
    for (u32 i = 0; i < usable_count; i++) t += usable[i].end - usable[i].start;
    return t;
  }
};

/**
 * The static info of a GET_GSP_STATIC_INFO reply @p payload. EINVAL if it
 * is shorter than GspStaticConfigInfo, if the region count is past the
  * array, or if the name has no NUL within its 64 bytes (other than printable
 * ASCII in it becomes '?': it is logged). A region is usable
 * if it is not reserved or protected and supports compression and ISO;
 * regions with limit < base, or whose end overflows, are skipped. A usable
 * one that ends past fb_length (when the reply gives it), overlaps a
 * reserved or protected region, or overlaps a usable one before it, is
 * not kept either, but counted in `ignored`: nova-drm would hand out that
 * memory.
 *
 * @code{.cpp}
 * kcpp::KVVec<kcpp::u8> reply;
 * KCPP_TRY(reply.resize(sizeof(nova::gsp::GspStaticConfigInfo), 0, kcpp::GFP_KERNEL));
 * const kcpp::Span<kcpp::u8> r = reply.as_span();
 * r[1260] = 'G';  // gpuNameString
 * r[1261] = '\n';  // not printable: logged as '?'
 * KCPP_TRY(kcpp::bytes::write(r, 344, kcpp::u32(2)));  // two regions
 * nova::gsp::FbRegion usable{};
 * usable.limit = (1 << 20) - 1;
 * usable.support_compressed = usable.support_iso = 1;
 * KCPP_TRY(kcpp::bytes::write(r, 352, usable));
 * nova::gsp::FbRegion reserved = usable;
 * reserved.reserved = 1;
 * reserved.base = 1 << 20;  // right after the usable one
 * reserved.limit = (2 << 20) - 1;
 * KCPP_TRY(kcpp::bytes::write(r, 352 + 48, reserved));
 * const auto info = KCPP_TRY(nova::gsp::parse_static_info(reply.as_span()));
 * KCPP_ASSERT(!__builtin_strcmp(info.name, "G?"));
 * KCPP_ASSERT_EQ(info.usable_count, 1u);
 * KCPP_ASSERT_EQ(info.usable_total(), 1ull << 20);
 * // A usable region over the reserved one is ignored.
 * nova::gsp::FbRegion shadow = usable;
 * shadow.base = (2 << 20) - 4096;  // the reserved region's last page
 * shadow.limit = (3 << 20) - 1;
 * KCPP_TRY(kcpp::bytes::write(r, 344, kcpp::u32(3)));
 * KCPP_TRY(kcpp::bytes::write(r, 352 + 96, shadow));
 * KCPP_ASSERT_EQ(KCPP_TRY(nova::gsp::parse_static_info(reply.as_span())).ignored, 1u);
 * // With 2 MiB of VRAM: a region over the first, and one past the end, are ignored.
 * KCPP_TRY(kcpp::bytes::write(r, 1224, kcpp::u64(2 << 20)));  // fb_length
 * KCPP_TRY(kcpp::bytes::write(r, 344, kcpp::u32(4)));
 * nova::gsp::FbRegion over = usable;
 * over.base = 0x80000;
 * KCPP_TRY(kcpp::bytes::write(r, 352 + 48, over));
 * nova::gsp::FbRegion past = usable;
 * past.base = 1 << 20;
 * past.limit = (2 << 20);  // one byte past the VRAM
 * KCPP_TRY(kcpp::bytes::write(r, 352 + 96, past));
 * past.limit = (2 << 20) - 1;  // the last byte: kept
 * KCPP_TRY(kcpp::bytes::write(r, 352 + 144, past));
 * const auto checked = KCPP_TRY(nova::gsp::parse_static_info(reply.as_span()));
 * KCPP_ASSERT_EQ(checked.usable_count, 2u);
 * KCPP_ASSERT_EQ(checked.ignored, 2u);
 * KCPP_ASSERT_EQ(checked.usable_total(), 2ull << 20);
 * // More regions than the reply holds, and a reply cut short: EINVAL.
 * KCPP_TRY(kcpp::bytes::write(r, 344, kcpp::u32(17)));
 * KCPP_ASSERT_EQ(nova::gsp::parse_static_info(reply.as_span()).error(), kcpp::code::EINVAL);
 * KCPP_ASSERT_EQ(nova::gsp::parse_static_info(KCPP_TRY(reply.as_span().subspan(0, 1000))).error(),
 *                kcpp::code::EINVAL);
 * @endcode
 */
inline Result<StaticInfo> parse_static_info(Span<const u8> payload) {
  // Field by field: the whole reply (1656 bytes) does not belong on a kernel stack.
  using G = GspStaticConfigInfo;
  if (payload.size() < sizeof(G))
    return code::EINVAL;
  const u32 regions = KCPP_TRY(kcpp::bytes::read<u32>(payload, __builtin_offsetof(G, num_fb_regions)));
  if (regions > 16)
    return code::EINVAL;
  StaticInfo s{};
  const Span<const u8> name = KCPP_TRY(payload.subspan(__builtin_offsetof(G, gpu_name), sizeof(s.name)));
  usize len = 0;
  while (len < name.size() && name[len]) len++;
  if (len == name.size())
    return code::EINVAL;
  // The name goes to the kernel log: anything but printable ASCII becomes '?'.
  for (usize i = 0; i < len; i++) s.name[i] = name[i] >= 0x20 && name[i] < 0x7f ? char(name[i]) : '?';
  s.vram_size = KCPP_TRY(kcpp::bytes::read<u64>(payload, __builtin_offsetof(G, fb_length)));
  s.bar1_pde_base = KCPP_TRY(kcpp::bytes::read<u64>(payload, __builtin_offsetof(G, bar1_pde_base)));
  s.l2_cache_size = KCPP_TRY(kcpp::bytes::read<u32>(payload, __builtin_offsetof(G, l2_cache_size)));
  auto region = [&](u32 i) {
    return kcpp::bytes::read<FbRegion>(payload,
                                       __builtin_offsetof(G, fb_regions) + usize(i) * sizeof(FbRegion));
  };
  auto usable = [](const FbRegion& r) {
    return !r.reserved && !r.is_protected && r.support_compressed && r.support_iso;
  };
  for (u32 i = 0; i < regions; i++) {
    const auto r = KCPP_TRY(region(i));
    if (r.limit < r.base || r.limit == ~u64(0) || !usable(r))
      continue;
    const VramRegion v{r.base, r.limit + 1};
    bool overlaps = s.vram_size && v.end > s.vram_size;
    // Over a reserved or protected region (anywhere in the list), or a usable one kept before.
    for (u32 k = 0; k < regions && !overlaps; k++) {
      const auto o = KCPP_TRY(region(k));
      if (o.limit >= o.base && (o.reserved || o.is_protected))
        overlaps = v.start <= o.limit && o.base < v.end;
    }
    for (u32 k = 0; k < s.usable_count && !overlaps; k++)
      overlaps = v.start < s.usable[k].end && s.usable[k].start < v.end;
    if (overlaps)
      s.ignored++;
    else
      s.usable[s.usable_count++] = v;
  }
  return s;
}

/** The memory shared with the GSP for as long as it runs. */
class Resources {
 public:
  /** Allocates and fills it for @p dev (see the file comment); ENOMEM. */
  static Result<Resources> create(const kcpp::Device<kcpp::device::Bound>& dev) {
    auto libos =
        KCPP_TRY(kcpp::dma::Coherent<LibosMemoryRegion>::alloc(dev, LIBOS_ENTRIES, kcpp::GFP_KERNEL));
    auto loginit = KCPP_TRY(log_buffer(dev));
    auto logintr = KCPP_TRY(log_buffer(dev));
    auto logrm = KCPP_TRY(log_buffer(dev));
    auto rmargs = KCPP_TRY(kcpp::dma::Coherent<u8>::alloc(dev, RMARGS_SIZE, kcpp::GFP_KERNEL));
    auto cmdq = KCPP_TRY(Cmdq::create(dev));
    const GspArgumentsCached args{
        .queue = {.shared_mem_phys_addr = cmdq.dma_handle(),
                  .page_table_entry_count = NUM_PTES,
                  .pad = 0,
                  .cmd_queue_offset = CPUQ_OFFSET,
                  .stat_queue_offset = GSPQ_OFFSET},
        .sr = {},
        .gpu_instance = 0,
        .dmem_stack = 1,
        .pad = {},
        .profiler_pa = 0,
        .profiler_size = 0,
    };
    KCPP_TRY(rmargs.write_from(0, detail::bytes_of(args)));
    KCPP_TRY(libos.write(0, region("LOGINIT", loginit)));
    KCPP_TRY(libos.write(1, region("LOGINTR", logintr)));
    KCPP_TRY(libos.write(2, region("LOGRM", logrm)));
    KCPP_TRY(libos.write(3, region("RMARGS", rmargs)));
    return Resources(std::move(libos), std::move(loginit), std::move(logintr), std::move(logrm),
                     std::move(rmargs), std::move(cmdq));
  }

  /** The libos array's bus address: what the GSP's mailboxes get. */
  [[nodiscard]] u64 libos_addr() const { return libos_.dma_handle(); }
  /** The command queue. */
  [[nodiscard]] Cmdq& cmdq() { return cmdq_; }
  /** @copydoc cmdq() */
  [[nodiscard]] const Cmdq& cmdq() const { return cmdq_; }

 private:
  Resources(kcpp::dma::Coherent<LibosMemoryRegion> libos, kcpp::dma::Coherent<u8> loginit,
            kcpp::dma::Coherent<u8> logintr, kcpp::dma::Coherent<u8> logrm, kcpp::dma::Coherent<u8> rmargs,
            Cmdq cmdq)
      : libos_(std::move(libos)),
        loginit_(std::move(loginit)),
        logintr_(std::move(logintr)),
        logrm_(std::move(logrm)),
        rmargs_(std::move(rmargs)),
        cmdq_(std::move(cmdq)) {}

  // A log buffer: its put pointer (0) in slot 0, then the PTEs of its own pages.
  static Result<kcpp::dma::Coherent<u8>> log_buffer(const kcpp::Device<kcpp::device::Bound>& dev) {
    auto b =
        KCPP_TRY(kcpp::dma::Coherent<u8>::alloc(dev, LOG_BUFFER_PAGES * GSP_PAGE_SIZE, kcpp::GFP_KERNEL));
    for (usize i = 0; i < LOG_BUFFER_PAGES; i++)
      KCPP_TRY(
          b.write_from((1 + i) * sizeof(u64), detail::bytes_of(u64(b.dma_handle() + i * GSP_PAGE_SIZE))));
    return b;
  }
  static LibosMemoryRegion region(const char* name, const kcpp::dma::Coherent<u8>& m) {
    return {id8(name),
            m.dma_handle(),
            m.size(),
            LibosMemoryRegion::KIND_CONTIGUOUS,
            LibosMemoryRegion::LOC_SYSMEM,
            {}};
  }

  kcpp::dma::Coherent<LibosMemoryRegion> libos_;
  kcpp::dma::Coherent<u8> loginit_, logintr_, logrm_, rmargs_;
  Cmdq cmdq_;
};

/** The GspFwWprMeta of @p layout for @p gsp_fw and @p bootloader. */
inline GspFwWprMeta wpr_meta(const fb::FbLayout& l, const firmware::GspFirmware& gsp_fw,
                             const firmware::RiscvFirmware& bootloader) {
  GspFwWprMeta m{};
  m.magic = GspFwWprMeta::MAGIC;
  m.revision = GspFwWprMeta::REVISION;
  m.sysmem_addr_of_radix3_elf = gsp_fw.radix3().dma_handle();
  m.size_of_radix3_elf = gsp_fw.size();
  m.sysmem_addr_of_bootloader = bootloader.ucode().dma_handle();
  m.size_of_bootloader = bootloader.size();
  m.bootloader_code_offset = bootloader.code_offset();
  m.bootloader_data_offset = bootloader.data_offset();
  m.bootloader_manifest_offset = bootloader.manifest_offset();
  m.sysmem_addr_of_signature = gsp_fw.signatures().dma_handle();
  m.size_of_signature = gsp_fw.signatures().size();
  m.gsp_fw_rsvd_start = l.heap.start;
  m.non_wpr_heap_offset = l.heap.start;
  m.non_wpr_heap_size = l.heap.len();
  m.gsp_fw_wpr_start = l.wpr2.start;
  m.gsp_fw_heap_offset = l.wpr2_heap.start;
  m.gsp_fw_heap_size = l.wpr2_heap.len();
  m.gsp_fw_offset = l.elf.start;
  m.boot_bin_offset = l.boot.start;
  m.frts_offset = l.frts.start;
  m.frts_size = l.frts.len();
  m.gsp_fw_wpr_end = l.vga_workspace.start & ~(fb::SZ_128K - 1);
  m.fb_size = l.fb.len();
  m.vga_workspace_offset = l.vga_workspace.start;
  m.vga_workspace_size = l.vga_workspace.len();
  m.gsp_fw_heap_vf_partition_count = u8(l.vf_partition_count);
  return m;
}

/** How long the GSP's RISC-V core gets to start after Booter (upstream: 5 s, polled every 10 ms). */
inline constexpr unsigned long RISCV_ACTIVE_US = 5000000;
/** How long the GSP gets to acknowledge its suspend at unload. */
inline constexpr unsigned long SUSPEND_ACK_US = 5000000;
/** The GSP's MAILBOX0 bit saying libos has suspended the processor. */
inline constexpr u32 MAILBOX0_SUSPENDED = 1u << 31;

/** What takes the GPU back to its state before the boot: FWSEC-SB and Booter-unload. */
struct UnloadFirmware {
  fwsec::FwsecFirmware sb;                 ///< FWSEC patched for CMD_SB
  firmware::BooterFirmware booter_unload;  ///< Booter-unload, signed for this chip
};

/**
 * Runs @p fw: FWSEC-SB on the GSP falcon, then, if WPR2 is set,
 * Booter-unload on SEC2 (MAILBOX0 must read 0 after: EINVAL), then WPR2
 * must be gone (EBUSY). Returns the first error; every step runs.
 */
template <typename Io>
Result<void> run_unload_firmware(const kcpp::Device<>& dev, const Io& bar,
                                 const falcon::Falcon<falcon::Gsp>& gsp,
                                 const falcon::Falcon<falcon::Sec2>& sec2, const UnloadFirmware& fw) {
  using namespace regs;
  Result<void> first = fw.sb.run(dev, gsp, bar);
  if (first.is_err())
    KCPP_DEV_ERR(dev, "FWSEC-SB failed to run (%d)\n", first.error().to_errno());
  if (NV_PFB_PRI_MMU_WPR2_ADDR_HI::read(bar).higher_bound() == 0)
    return first;
  auto booter = [&]() -> Result<void> {
    KCPP_TRY(sec2.reset(bar));
    KCPP_TRY(sec2.load(bar, fw.booter_unload.ucode(), fw.booter_unload.load_params()));
    const auto mbox = KCPP_TRY(sec2.boot(bar, 0xffu, 0xffu));
    if (mbox.mbox0 != 0) {
      KCPP_DEV_ERR(dev, "Booter-unload failed with error %#x\n", mbox.mbox0);
      return code::EINVAL;
    }
    if (NV_PFB_PRI_MMU_WPR2_ADDR_HI::read(bar).higher_bound() != 0) {
      KCPP_DEV_ERR(dev, "WPR2 region still set after Booter-unload\n");
      return code::EBUSY;
    }
    return {};
  }();
  return first.is_err() ? first : booter;
}

/**
 * What a failed boot abandons when the unload firmware cannot take the GPU
 * back (boot()): whatever the GSP and SEC2 may still read or write.
 */
struct GivenToGpu {
  Resources res;                           ///< the shared memory
  kcpp::dma::Coherent<GspFwWprMeta> meta;  ///< what Booter-load reads
  firmware::GspFirmware gsp_fw;            ///< the image and its page tables
  firmware::RiscvFirmware bootloader;      ///< the GSP's bootloader
  UnloadFirmware unload;                   ///< FWSEC-SB and Booter-unload
  fb::SysmemFlush flush;                   ///< the page the GPU's flushes write
};

/** What the boot established, kept for the driver's lifetime. */
struct BootState {
  fb::FbLayout layout;     ///< where the GSP's parts went in VRAM
  fb::Range wpr2;          ///< WPR2 as FWSEC-FRTS (GA100: Booter) created it, read back from the GPU
  u32 fwsec_version;       ///< descriptor version: 2 (Turing, GA100) or 3
  Resources resources;     ///< the memory shared with the running GSP
  UnloadFirmware unload;   ///< FWSEC-SB and Booter-unload, for unbind
  SequencerRun sequencer;  ///< what the CPU sequencer ran
  StaticInfo info;         ///< what GET_GSP_STATIC_INFO said (name "" if it said nothing)
};

/// @cond KCPP_INTERNAL
namespace detail {
// WPR2 as the GPU reports it now (end 0: none).
template <typename Io>
fb::Range read_wpr2(const Io& bar) {
  return {regs::NV_PFB_PRI_MMU_WPR2_ADDR_LO::read(bar).lower_bound(),
          regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::read(bar).higher_bound()};
}
}  // namespace detail
/// @endcond

/**
 * Runs FWSEC-FRTS (through @p bl if not null) and checks the WPR2 it
 * creates; with an empty FRTS (GA100) runs nothing and returns an empty
 * range. EBUSY either way if WPR2 exists already.
 */
template <typename Io>
Result<fb::Range> run_fwsec_frts(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar,
                                 const falcon::Falcon<falcon::Gsp>& gsp, const vbios::Fwsec& fwsec,
                                 const fb::FbLayout& layout, const fwsec::GenericBootloader* bl) {
  using namespace regs;
  if (NV_PFB_PRI_MMU_WPR2_ADDR_HI::read(bar).higher_bound() != 0) {
    KCPP_DEV_ERR(dev, "WPR2 region already exists - GPU needs to be reset to proceed\n");
    return code::EBUSY;
  }
  if (layout.frts.len() == 0) {
    KCPP_DEV_DBG(dev, "no FRTS on this chip: FWSEC-FRTS skipped\n");
    return fb::Range{};
  }
  const auto fw =
      KCPP_TRY(fwsec::FwsecFirmware::frts(dev, gsp, bar, fwsec, layout.frts.start, layout.frts.len(), bl));
  KCPP_TRY(fw.run(dev, gsp, bar));
  const u32 err = NV_PBUS_SW_SCRATCH_0E_FRTS_ERR::read(bar).frts_err_code();
  if (err) {
    KCPP_DEV_ERR(dev, "FWSEC-FRTS returned with error code %#x\n", err);
    return code::EIO;
  }
  const fb::Range wpr2 = detail::read_wpr2(bar);
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

/// @cond KCPP_INTERNAL
namespace detail {
// Steps 5 to 9 of the boot: from Booter-load to GSP_INIT_DONE.
template <typename Io>
Result<SequencerRun> start_gsp(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar, Chipset chipset,
                               const falcon::Falcon<falcon::Gsp>& gsp,
                               const falcon::Falcon<falcon::Sec2>& sec2, const PciInfo& pci, Resources& res,
                               const kcpp::dma::Coherent<GspFwWprMeta>& meta,
                               const firmware::RiscvFirmware& bootloader) {
  const auto booter = KCPP_TRY(firmware::BooterFirmware::load(dev, chipset, sec2, bar));
  Cmdq& q = res.cmdq();
  // 928 bytes: on the heap, not the stack.
  const auto info = KCPP_TRY(kcpp::KBox<GspSystemInfo>::make(kcpp::GFP_KERNEL, system_info(pci)));
  KCPP_TRY(q.send(bar, function::GSP_SET_SYSTEM_INFO, bytes_of(*info)));
  const auto registry = KCPP_TRY(registry_table());
  KCPP_TRY(q.send(bar, function::SET_REGISTRY, registry.as_span()));

  KCPP_TRY(gsp.reset(bar));
  const u64 libos = res.libos_addr();
  const auto gmbox = KCPP_TRY(gsp.boot(bar, u32(libos), u32(libos >> 32)));
  KCPP_DEV_DBG(dev, "GSP MBOX0: %#x, MBOX1: %#x\n", gmbox.mbox0, gmbox.mbox1);

  KCPP_TRY(sec2.reset(bar));
  KCPP_TRY(sec2.load(bar, booter.ucode(), booter.load_params()));
  const u64 m = meta.dma_handle();
  const auto smbox = KCPP_TRY(sec2.boot(bar, u32(m), u32(m >> 32)));
  if (smbox.mbox0 != 0) {
    KCPP_DEV_ERR(dev, "Booter-load failed with error %#x\n", smbox.mbox0);
    return code::ENODEV;
  }
  gsp.write_os_version(bar, bootloader.app_version());
  auto active = nova::poll_timeout(
      bar, [&] { return gsp.is_riscv_active(bar); }, [](bool a) { return a; }, 10000, RISCV_ACTIVE_US);
  if (active.is_err()) {
    KCPP_DEV_ERR(dev, "the GSP's RISC-V core did not start\n");
    return code::ETIMEDOUT;
  }

  auto seq = q.wait_for(event::GSP_RUN_CPU_SEQUENCER, gsp::RECEIVE_TIMEOUT_US, clock_of(bar));
  if (seq.is_err()) {
    KCPP_DEV_ERR(dev, "no CPU sequencer program from the GSP (%d)\n", seq.error().to_errno());
    return seq.error();
  }
  kcpp::KVec<SeqCommand> cmds;
  if (auto r = parse_sequencer(seq->payload.as_span(), cmds); r.is_err()) {
    KCPP_DEV_ERR(dev, "CPU sequencer: malformed program (%d)\n", r.error().to_errno());
    return r.error();
  }
  const SequencerContext ctx{gsp, sec2, libos, bootloader.app_version()};
  const SequencerRun run = KCPP_TRY(run_sequencer(dev, bar, ctx, cmds.as_span()));
  KCPP_DEV_DBG(dev, "CPU sequencer: %u commands run\n", run.commands);
  if (auto done = q.wait_for(event::GSP_INIT_DONE, gsp::RECEIVE_TIMEOUT_US, clock_of(bar)); done.is_err()) {
    KCPP_DEV_ERR(dev, "GSP_INIT_DONE did not come (%d)\n", done.error().to_errno());
    return done.error();
  }
  return run;
}

// Step 10: GET_GSP_STATIC_INFO; any failure is a warning and an empty StaticInfo.
template <typename Io>
StaticInfo static_info(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar, Cmdq& q) {
  auto info = [&]() -> Result<StaticInfo> {
    kcpp::KVVec<u8> zero;
    KCPP_TRY(zero.resize(sizeof(GspStaticConfigInfo), 0, kcpp::GFP_KERNEL));
    KCPP_TRY(q.send(bar, function::GET_GSP_STATIC_INFO, zero.as_span()));
    const auto reply =
        KCPP_TRY(q.wait_for(function::GET_GSP_STATIC_INFO, gsp::RECEIVE_TIMEOUT_US, clock_of(bar)));
    return parse_static_info(reply.payload.as_span());
  }();
  if (info.is_err()) {
    KCPP_DEV_WARN(dev, "GPU name unavailable: no static info from the GSP (%d)\n", info.error().to_errno());
    return StaticInfo{};
  }
  KCPP_DEV_INFO(dev, "GPU name: %s\n", info->name);
  for (u32 i = 0; i < info->usable_count; i++)
    KCPP_DEV_INFO(dev, "usable VRAM: %#llx-%#llx\n", info->usable[i].start, info->usable[i].end);
  if (info->usable_count)
    KCPP_DEV_INFO(dev, "total usable VRAM: %llu MiB\n", info->usable_total() >> 20);
  if (info->ignored)
    KCPP_DEV_WARN(dev, "%u usable VRAM regions ignored: past the VRAM's %#llx bytes or overlapping\n",
                  info->ignored, info->vram_size);
  return *info;
}
}  // namespace detail
/// @endcond

/** Boots the GSP (see the file comment). */
template <typename Io>
Result<kcpp::KBox<BootState>> boot(const kcpp::Device<kcpp::device::Bound>& dev, const Io& bar,
                                   Chipset chipset, const falcon::Falcon<falcon::Gsp>& gsp,
                                   const falcon::Falcon<falcon::Sec2>& sec2, const PciInfo& pci,
                                   fb::SysmemFlush& flush) {
  auto res = KCPP_TRY(Resources::create(dev));
  const vbios::Fwsec fwsec = KCPP_TRY(vbios::read(bar, dev));
  auto gsp_fw = KCPP_TRY(firmware::GspFirmware::load(dev, chipset));
  auto bootloader = KCPP_TRY(firmware::RiscvFirmware::load(dev, chipset));
  // Turing and GA100 run FWSEC (FRTS now, SB at unload) through the generic bootloader.
  const bool needs_bl = chipset.needs_fwsec_bootloader();
  const auto gen_bl = needs_bl ? fwsec::GenericBootloader::load(dev, chipset)
                               : Result<fwsec::GenericBootloader>(code::ENOENT);
  if (needs_bl && gen_bl.is_err())
    return gen_bl.error();
  const fwsec::GenericBootloader* bl = needs_bl ? &*gen_bl : nullptr;
  auto layout = fb::layout(bar, chipset, bootloader.size(), gsp_fw.size());
  if (layout.is_err()) {
    KCPP_DEV_ERR(dev,
                 "cannot lay out the framebuffer for the GSP (VRAM size or VGA workspace out of range)\n");
    return layout.error();
  }
  KCPP_DEV_DBG(dev, "FbLayout: fb %#llx, frts %#llx-%#llx, wpr2 %#llx-%#llx\n", layout->fb.end,
               layout->frts.start, layout->frts.end, layout->wpr2.start, layout->wpr2.end);
  // One statement per fallible step: a KCPP_TRY that returns from inside an
  // aggregate's initializer would skip the destructors of the members before it.
  auto sb = KCPP_TRY(fwsec::FwsecFirmware::sb(dev, gsp, bar, fwsec, bl));
  auto booter_unload =
      KCPP_TRY(firmware::BooterFirmware::load(dev, chipset, sec2, bar, firmware::BOOTER_UNLOAD));
  UnloadFirmware unload{std::move(sb), std::move(booter_unload)};
  // Allocated before anything runs, and on failure freed only after the unload firmware:
  // SEC2 may read it until it is reset.
  auto meta = KCPP_TRY(kcpp::dma::Coherent<GspFwWprMeta>::alloc(dev, 1, kcpp::GFP_KERNEL));
  KCPP_TRY(meta.write(0, wpr_meta(*layout, gsp_fw, bootloader)));
  // Taken before anything runs: abandoning what the GPU was given then allocates nothing.
  auto slot = KCPP_TRY(kcpp::AbandonSlot<GivenToGpu>::alloc(kcpp::GFP_KERNEL));
  const bool wpr2_before = regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::read(bar).higher_bound() != 0;
  auto wpr2 = run_fwsec_frts(dev, bar, gsp, fwsec, *layout, bl);
  auto run = wpr2.is_ok() ? detail::start_gsp(dev, bar, chipset, gsp, sec2, pci, res, meta, bootloader)
                          : Result<SequencerRun>(wpr2.error());
  if (run.is_ok() && layout->frts.len() == 0) {  // no FRTS (GA100): WPR2 is Booter's
    *wpr2 = detail::read_wpr2(bar);
    if (wpr2->end == 0 || wpr2->start != layout->wpr2.start || wpr2->end != layout->frts.end) {
      KCPP_DEV_ERR(dev, "WPR2 not where Booter was told: %#llx-%#llx, expected %#llx-%#llx\n", wpr2->start,
                   wpr2->end, layout->wpr2.start, layout->frts.end);
      run = Result<SequencerRun>(code::EIO);
    }
  }
  // FWSEC or Booter ran (WPR2 was not there before): the GPU is taken back, so that the next
  // probe finds it as after a reset. If the unload firmware fails, the GSP or SEC2 may still
  // reach what they were given: it is abandoned, never freed nor reused, and the flush page
  // stays registered.
  auto take_back = [&] {
    // Stopped: the unload firmware succeeded, or FWSEC-SB halted and reported an error (EIO;
    // it does after FWSEC itself failed, before anything else ran) and no WPR2 is left.
    // Anything else (a falcon that never halted, a failed reset, Booter-unload's failure) may
    // leave something running.
    const auto r = run_unload_firmware(dev, bar, gsp, sec2, unload);
    if (r.is_ok() || (r.error() == code::EIO && detail::read_wpr2(bar).end == 0))
      return;
    KCPP_DEV_ERR(dev,
                 "cannot take the GPU back after the failed boot: the GPU needs a reset; "
                 "its memory stays allocated\n");
    std::move(slot).abandon(std::move(res), std::move(meta), std::move(gsp_fw), std::move(bootloader),
                            std::move(unload), std::move(flush));
  };
  if (run.is_err()) {
    if (!wpr2_before)
      take_back();
    return run.error();
  }
  // KBox::make moves nothing when its allocation fails: res and unload are still there.
  auto state = kcpp::KBox<BootState>::make(kcpp::GFP_KERNEL, *layout, *wpr2, fwsec.desc.version(),
                                           std::move(res), std::move(unload), *run, StaticInfo{});
  if (state.is_err()) {
    take_back();
    return state.error();
  }
  kcpp::KBox<BootState> boot = std::move(*state);
  boot->info = detail::static_info(dev, bar, boot->resources.cmdq());
  return boot;
}

/**
  * Unloads the GSP of @p state (see the file comment): a failed shutdown RPC
 * is logged and the unload firmware runs anyway. Returns the unload
 * firmware's result: an error means the GSP may still be running and
 * reaching the shared memory.
 */
template <typename Io>
Result<void> unload(const kcpp::Device<>& dev, const Io& bar, const falcon::Falcon<falcon::Gsp>& gsp,
                    const falcon::Falcon<falcon::Sec2>& sec2, BootState& state) {
  Cmdq& q = state.resources.cmdq();
  const RpcUnloadingGuestDriver rpc{};
  auto shutdown = [&]() -> Result<void> {
    KCPP_TRY(q.send(bar, function::UNLOADING_GUEST_DRIVER, detail::bytes_of(rpc)));
    KCPP_TRY(q.wait_for(function::UNLOADING_GUEST_DRIVER, gsp::RECEIVE_TIMEOUT_US, clock_of(bar)));
    auto ack = nova::poll_timeout(
        bar, [&] { return gsp.mailboxes(bar).mbox0; }, [](u32 v) { return (v & MAILBOX0_SUSPENDED) != 0; },
        10000, SUSPEND_ACK_US);
    return ack.is_err() ? Result<void>(ack.error()) : Result<void>();
  }();
  if (shutdown.is_err())
    KCPP_DEV_ERR(dev, "GSP shutdown failed (%d)\n", shutdown.error().to_errno());
  // The unload firmware stops the GSP either way; its result is what says whether the
  // shared memory may be freed.
  auto r = run_unload_firmware(dev, bar, gsp, sec2, state.unload);
  if (r.is_ok())
    KCPP_DEV_INFO(dev, "GSP unloaded\n");
  return r;
}

}  // namespace nova::gsp

#endif  // NOVA_CORE_GSP_H

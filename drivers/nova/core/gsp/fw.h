/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GSP firmware's interface (release 570.144), as declared layouts: what
 * the driver puts in shared memory for libos and GSP-RM, the payloads of
 * the RPCs nova-core sends and receives, and their function numbers.
 *
 * Every layout is the firmware's C structure with its natural alignment;
 * the static_asserts pin each field the driver or the simulated GSP reads at
 * the offset the firmware has it.
 */
#ifndef NOVA_CORE_GSP_FW_H
#define NOVA_CORE_GSP_FW_H

#include <kcpp/core/bytes.h>
#include <kcpp/core/types.h>

namespace nova::gsp {

using kcpp::u16;
using kcpp::u32;
using kcpp::u64;
using kcpp::u8;

/** RPC function numbers (NV_VGPU_MSG_FUNCTION_*) nova-core uses. */
namespace function {
inline constexpr u32 UNLOADING_GUEST_DRIVER = 47;  ///< unload: the GSP suspends itself
inline constexpr u32 GET_GSP_STATIC_INFO = 65;     ///< the GPU's static configuration
inline constexpr u32 GSP_SET_SYSTEM_INFO = 72;     ///< the host's view of the GPU (pre-queued)
inline constexpr u32 SET_REGISTRY = 73;            ///< registry keys for GSP-RM (pre-queued)
}  // namespace function

/** Event numbers (NV_VGPU_MSG_EVENT_*): messages the GSP sends on its own. */
namespace event {
inline constexpr u32 GSP_INIT_DONE = 0x1001;          ///< GSP-RM is up
inline constexpr u32 GSP_RUN_CPU_SEQUENCER = 0x1002;  ///< a program for the CPU sequencer
inline constexpr u32 POST_EVENT = 0x1003;             ///< an RM event notification
inline constexpr u32 OS_ERROR_LOG = 0x1006;           ///< an error the firmware logged
}  // namespace event

/** LibosMemoryRegionInitArgument: one memory region libos is told about. */
struct LibosMemoryRegion {
  KCPP_PLAIN_BYTES;
  u64 id8;    ///< 0x00: the region's name (id8())
  u64 pa;     ///< 0x08: its bus address
  u64 size;   ///< 0x10: its bytes
  u8 kind;    ///< 0x18: KIND_CONTIGUOUS
  u8 loc;     ///< 0x19: LOC_SYSMEM
  u8 pad[6];  ///< 0 (alignment)

  /** One physically contiguous region. */
  static constexpr u8 KIND_CONTIGUOUS = 1;
  /** In system memory. */
  static constexpr u8 LOC_SYSMEM = 1;
};
static_assert(sizeof(LibosMemoryRegion) == 32 && __builtin_offsetof(LibosMemoryRegion, kind) == 0x18);

/**
 * A libos region name as libos reads it: the ASCII name as a big-endian
 * number, i.e. its last character in the lowest byte.
 *
 * @code{.cpp}
 * static_assert(nova::gsp::id8("LOGINIT") == 0x004c4f47494e4954);
 * static_assert(nova::gsp::id8("RMARGS") == 0x0000524d41524753);
 * @endcode
 */
constexpr u64 id8(const char* name) {
  u64 v = 0;
  for (int i = 0; i < 8 && name[i]; i++) v = (v << 8) | u8(name[i]);
  return v;
}

/** The libos regions' entries in the array whose address the GSP gets: four used. */
inline constexpr kcpp::usize LIBOS_ENTRIES = 4096 / sizeof(LibosMemoryRegion);
/** Pages of each libos log buffer (LOGINIT, LOGINTR, LOGRM). */
inline constexpr kcpp::usize LOG_BUFFER_PAGES = 16;

/** MESSAGE_QUEUE_INIT_ARGUMENTS: where the command queue is. */
struct MessageQueueInitArguments {
  KCPP_PLAIN_BYTES;
  u64 shared_mem_phys_addr;    ///< 0x00: GspMem's bus address
  u32 page_table_entry_count;  ///< 0x08: NUM_PTES
  u32 pad;                     ///< 0 (alignment)
  u64 cmd_queue_offset;        ///< 0x10: the CPU queue, from GspMem's start
  u64 stat_queue_offset;       ///< 0x18: the GSP queue
};
static_assert(sizeof(MessageQueueInitArguments) == 32);

/** GSP_SR_INIT_ARGUMENTS: suspend/resume state (zero for a cold boot). */
struct SrInitArguments {
  KCPP_PLAIN_BYTES;
  u32 old_level;        ///< 0x00
  u32 flags;            ///< 0x04
  u8 in_pm_transition;  ///< 0x08
  u8 pad[3];            ///< 0 (alignment)
};
static_assert(sizeof(SrInitArguments) == 12);

/** GSP_ARGUMENTS_CACHED: GSP-RM's arguments (the libos region RMARGS). */
struct GspArgumentsCached {
  KCPP_PLAIN_BYTES;
  MessageQueueInitArguments queue;  ///< 0x00
  SrInitArguments sr;               ///< 0x20
  u32 gpu_instance;                 ///< 0x2c: 0
  u8 dmem_stack;                    ///< 0x30: 1
  u8 pad[7];                        ///< 0 (alignment)
  u64 profiler_pa;                  ///< 0x38: 0
  u64 profiler_size;                ///< 0x40: 0
};
static_assert(sizeof(GspArgumentsCached) == 72 && __builtin_offsetof(GspArgumentsCached, dmem_stack) == 0x30);
/** RMARGS is a page: Turing and GA100 want libos regions in whole GSP pages. */
inline constexpr kcpp::usize RMARGS_SIZE = 4096;

/** GspFwWprMeta: what Booter needs to place and verify the GSP firmware in WPR2. */
struct GspFwWprMeta {
  KCPP_PLAIN_BYTES;
  u64 magic;                          ///< 0x00: MAGIC
  u64 revision;                       ///< 0x08: REVISION
  u64 sysmem_addr_of_radix3_elf;      ///< 0x10: level 0 of the image's page tables
  u64 size_of_radix3_elf;             ///< 0x18: the image's bytes
  u64 sysmem_addr_of_bootloader;      ///< 0x20
  u64 size_of_bootloader;             ///< 0x28
  u64 bootloader_code_offset;         ///< 0x30
  u64 bootloader_data_offset;         ///< 0x38
  u64 bootloader_manifest_offset;     ///< 0x40
  u64 sysmem_addr_of_signature;       ///< 0x48: the chip family's signatures
  u64 size_of_signature;              ///< 0x50
  u64 gsp_fw_rsvd_start;              ///< 0x58: the non-WPR heap's start
  u64 non_wpr_heap_offset;            ///< 0x60
  u64 non_wpr_heap_size;              ///< 0x68
  u64 gsp_fw_wpr_start;               ///< 0x70: WPR2's start
  u64 gsp_fw_heap_offset;             ///< 0x78
  u64 gsp_fw_heap_size;               ///< 0x80
  u64 gsp_fw_offset;                  ///< 0x88: the ELF image in VRAM
  u64 boot_bin_offset;                ///< 0x90: the bootloader in VRAM
  u64 frts_offset;                    ///< 0x98
  u64 frts_size;                      ///< 0xa0
  u64 gsp_fw_wpr_end;                 ///< 0xa8: the VGA workspace's start, 128 KiB aligned down
  u64 fb_size;                        ///< 0xb0
  u64 vga_workspace_offset;           ///< 0xb8
  u64 vga_workspace_size;             ///< 0xc0
  u64 boot_count;                     ///< 0xc8: 0
  u64 partition_rpc[4];               ///< 0xd0: 0 (a union the driver does not use)
  u8 gsp_fw_heap_vf_partition_count;  ///< 0xf0
  u8 flags;                           ///< 0xf1: 0
  u8 pad[2];                          ///< 0 (alignment)
  u32 pmu_reserved_size;              ///< 0xf4: 0
  u64 verified;                       ///< 0xf8: Booter's; 0 from the driver

  /** The magic Booter checks. */
  static constexpr u64 MAGIC = 0xdc3aae21371a60b3ull;
  /** The layout's revision. */
  static constexpr u64 REVISION = 1;
};
static_assert(sizeof(GspFwWprMeta) == 256);
static_assert(__builtin_offsetof(GspFwWprMeta, sysmem_addr_of_signature) == 0x48 &&
              __builtin_offsetof(GspFwWprMeta, gsp_fw_rsvd_start) == 0x58 &&
              __builtin_offsetof(GspFwWprMeta, gsp_fw_wpr_start) == 0x70 &&
              __builtin_offsetof(GspFwWprMeta, frts_offset) == 0x98 &&
              __builtin_offsetof(GspFwWprMeta, fb_size) == 0xb0 &&
              __builtin_offsetof(GspFwWprMeta, gsp_fw_heap_vf_partition_count) == 0xf0 &&
              __builtin_offsetof(GspFwWprMeta, verified) == 0xf8);

/**
 * GspSystemInfo: the payload of GSP_SET_SYSTEM_INFO, the host's view of
 * the GPU. The fields the driver sets are named; the rest (ACPI method
 * data, SR-IOV and bridge details, 0 here) are reserved bytes.
 */
struct GspSystemInfo {
  KCPP_PLAIN_BYTES;
  u64 gpu_phys_addr;              ///< 0x00: BAR0's bus address
  u64 gpu_phys_fb_addr;           ///< 0x08: BAR1's
  u64 gpu_phys_inst_addr;         ///< 0x10: BAR3's
  u64 gpu_phys_io_addr;           ///< 0x18: 0
  u64 nv_domain_bus_device_func;  ///< 0x20: the PCI bus/device/function id
  u64 reserved0[4];               ///< 0x28: 0
  u64 max_user_va;                ///< 0x48: 2^47 - 4 KiB
  u32 pci_config_mirror_base;     ///< 0x50: where BAR0 mirrors the config space
  u32 pci_config_mirror_size;     ///< 0x54
  u32 pci_device_id;              ///< 0x58: device << 16 | vendor
  u32 pci_sub_device_id;          ///< 0x5c: subsystem device << 16 | subsystem vendor
  u32 pci_revision_id;            ///< 0x60
  u8 reserved1[0x380 - 0x64];     ///< 0x64: 0
  u8 is_primary;                  ///< 0x380: 0
  u8 reserved2[0x38c - 0x381];    ///< 0x381: 0
  u8 preserve_video_memory;       ///< 0x38c: 0
  u8 reserved3[0x3a0 - 0x38d];    ///< 0x38d: 0

  /** The config-space mirror in BAR0 of Turing to Ada. */
  static constexpr u32 CONFIG_MIRROR_BASE = 0x88000;
  /** @copydoc CONFIG_MIRROR_BASE */
  static constexpr u32 CONFIG_MIRROR_SIZE = 0x1000;
  /** The highest user virtual address GSP-RM may hand out: 47 bits, less a page. */
  static constexpr u64 MAX_USER_VA = (1ull << 47) - 4096;
};
static_assert(sizeof(GspSystemInfo) == 928);
static_assert(__builtin_offsetof(GspSystemInfo, max_user_va) == 0x48 &&
              __builtin_offsetof(GspSystemInfo, pci_device_id) == 0x58 &&
              __builtin_offsetof(GspSystemInfo, pci_revision_id) == 0x60 &&
              __builtin_offsetof(GspSystemInfo, is_primary) == 0x380 &&
              __builtin_offsetof(GspSystemInfo, preserve_video_memory) == 0x38c);

/** PACKED_REGISTRY_TABLE's header; its entries and then their names follow. */
struct PackedRegistryTable {
  KCPP_PLAIN_BYTES;
  u32 size;         ///< 0x00: the whole table, header, entries and names
  u32 num_entries;  ///< 0x04
};
/** PACKED_REGISTRY_ENTRY. */
struct PackedRegistryEntry {
  KCPP_PLAIN_BYTES;
  u32 name_offset;  ///< 0x00: the key's NUL-terminated name, from the table's start
  u8 type;          ///< 0x04: TYPE_DWORD
  u8 pad[3];        ///< 0 (alignment)
  u32 data;         ///< 0x08: the value
  u32 length;       ///< 0x0c: 0 for a DWORD

  /** A 32-bit value. */
  static constexpr u8 TYPE_DWORD = 1;
};
static_assert(sizeof(PackedRegistryTable) == 8 && sizeof(PackedRegistryEntry) == 16);

/** rpc_run_cpu_sequencer_v17_00's fixed part; the command words follow. */
struct RpcRunCpuSequencer {
  KCPP_PLAIN_BYTES;
  u32 buffer_size_dword;  ///< 0x00: the words of the command buffer
  u32 cmd_index;          ///< 0x04: the words of it in use
  u32 reg_save_area[8];   ///< 0x08
};
static_assert(sizeof(RpcRunCpuSequencer) == 40);

/** rpc_unloading_guest_driver_v1F_07. */
struct RpcUnloadingGuestDriver {
  KCPP_PLAIN_BYTES;
  u8 in_pm_transition;  ///< 0x00: 0 for a full unload
  u8 gc6_entering;      ///< 0x01: 0
  u8 pad[2];            ///< 0 (alignment)
  u32 new_level;        ///< 0x04: 0 (NV2080_CTRL_GPU_SET_POWER_STATE_GPU_LEVEL_0)
};
static_assert(sizeof(RpcUnloadingGuestDriver) == 8);

/** One NV2080_CTRL_CMD_FB_GET_FB_REGION_INFO region. */
struct FbRegion {
  KCPP_PLAIN_BYTES;
  u64 base;               ///< 0x00
  u64 limit;              ///< 0x08: inclusive
  u64 reserved;           ///< 0x10: nonzero: not for allocations
  u32 performance;        ///< 0x18
  u8 support_compressed;  ///< 0x1c
  u8 support_iso;         ///< 0x1d
  u8 is_protected;        ///< 0x1e
  u8 black_list[17];      ///< 0x1f
};
static_assert(sizeof(FbRegion) == 48);

/**
 * GspStaticConfigInfo_t: the reply to GET_GSP_STATIC_INFO. The fields
 * nova-core keeps are named; the rest are reserved bytes.
 */
struct GspStaticConfigInfo {
  KCPP_PLAIN_BYTES;
  u8 reserved0[344];          ///< 0x000: graphics caps, GID, SKU
  u32 num_fb_regions;         ///< 0x158: valid entries of fb_regions
  u32 pad0;                   ///< 0 (alignment)
  FbRegion fb_regions[16];    ///< 0x160
  u8 reserved1[1224 - 1120];  ///< 0x460: SR-IOV caps, engine caps
  u64 fb_length;              ///< 0x4c8: VRAM bytes
  u64 fbio_mask;              ///< 0x4d0
  u32 fb_bus_width;           ///< 0x4d8
  u32 fb_ram_type;            ///< 0x4dc
  u64 fbp_mask;               ///< 0x4e0
  u32 l2_cache_size;          ///< 0x4e8
  u8 gpu_name[64];            ///< 0x4ec: NUL-terminated
  u8 gpu_short_name[64];      ///< 0x52c
  u8 reserved2[1536 - 1388];  ///< 0x56c: the name in UTF-16, SKU flags
  u64 bar1_pde_base;          ///< 0x600
  u8 reserved3[1656 - 1544];  ///< 0x608
};
static_assert(sizeof(GspStaticConfigInfo) == 1656);
static_assert(__builtin_offsetof(GspStaticConfigInfo, num_fb_regions) == 344 &&
              __builtin_offsetof(GspStaticConfigInfo, fb_regions) == 352 &&
              __builtin_offsetof(GspStaticConfigInfo, fb_length) == 1224 &&
              __builtin_offsetof(GspStaticConfigInfo, l2_cache_size) == 1256 &&
              __builtin_offsetof(GspStaticConfigInfo, gpu_name) == 1260 &&
              __builtin_offsetof(GspStaticConfigInfo, bar1_pde_base) == 1536);

}  // namespace nova::gsp

#endif  // NOVA_CORE_GSP_FW_H

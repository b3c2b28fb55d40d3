// SPDX-License-Identifier: GPL-2.0
/*
 * nova-core on simulated GPUs.
 *
 *  nova_gpu    chipset identification: every chipset of the table, pre-Fermi,
 *              unknown architectures and implementations refused (ENODEV)
 *  nova_vbios  the VBIOS parser on synthesized ROMs (V2 and V3), a replayed
 *              image, a family of corrupted ones, and 10,000 random mutations
 *  nova_fb     the framebuffer layout and WPR heap arithmetic
 *  nova_fwsec  signature choice and the FRTS patch
 *  nova_firmware  ELF section lookup, Booter's load plan and signature choice
 *  nova_probe  the whole probe (identification to FWSEC-FRTS with WPR2 set)
 *              on simulated TU102, GA102, AD102 and more, each failure path
 *              a clean error with the flush page unregistered, and an
 *              allocation-failure sweep
 *
 * The probe tests bind a small PCI driver to QEMU's pci-testdev: the
 * simulated GPU needs a real device for the driver's DMA memory (its DMA
 * engine reads what that device mapped, like a bus master).
 */
#include <kcpp/alloc/kbox.h>
#include <kcpp/firmware.h>
#include <kcpp/kunit.h>
#include <kcpp/pci.h>

#include "../drivers/nova/core/fb.h"
#include "../drivers/nova/core/firmware/tlv.h"
#include "../drivers/nova/core/fwsec.h"
#include "../drivers/nova/core/gpu.h"
#include "../drivers/nova/core/gsp/cmdq.h"
#include "../drivers/nova/core/vbios.h"
#include "../drivers/nova/sim/gpu.h"
#include "helpers.h"

namespace {

using kcpp::u32;
using kcpp::u64;
using kcpp::u8;
using kcpp::usize;
using nova::sim::Options;

// A device to log against (identification logs with dev_info/dev_err).
kcpp::Result<kcpp::ARef<kcpp::pci::Device<>>> log_device() {
  return kcpp_test::find_testdev();
}

// ---------------------------------------------------------------- nova_gpu

kcpp::Result<void> every_chipset_of_the_table_is_identified() {
  auto dev = log_device();
  if (dev.is_err())
    return {};
  for (const nova::ChipsetInfo& c : nova::CHIPSETS) {
    auto gpu = KCPP_TRY(nova::sim::make_gpu(c.id));
    nova::Spec spec = KCPP_TRY(nova::Spec::identify(gpu->bar0(), (*dev)->as_device()));
    KCPP_EXPECT_EQ(spec.chipset.id(), c.id);
    KCPP_EXPECT_EQ(__builtin_strcmp(spec.chipset.name(), c.upper), 0);
    KCPP_EXPECT_EQ(spec.revision.major, 0xau);
    KCPP_EXPECT_EQ(spec.revision.minor, 1u);
    KCPP_EXPECT_EQ(static_cast<u32>(spec.chipset.architecture()), c.id >> 4);
  }
  return {};
}

kcpp::Result<void> boot0_decodes_as_on_real_hardware() {
  // 0xb72000a1: the BOOT_0 nouveau prints for a GA102.
  const auto b = nova::regs::NV_PMC_BOOT_0::from_raw(0xb72000a1);
  KCPP_EXPECT_EQ(b.architecture_0(), 0x17);
  KCPP_EXPECT(!b.architecture_1());
  KCPP_EXPECT_EQ(b.implementation(), 2);
  KCPP_EXPECT_EQ(b.major_revision(), 0xa);
  KCPP_EXPECT_EQ(b.minor_revision(), 1);
  KCPP_EXPECT(!b.is_older_than_fermi());
  KCPP_EXPECT_EQ(nova::sim::boot0_of(0x172) & 0x1ff001ff, 0xb72000a1u & 0x1ff001ff);
  // NV50 (Tesla, architecture 0x5) and NV40 are pre-Fermi; GF100 is not.
  KCPP_EXPECT(nova::regs::NV_PMC_BOOT_0::from_raw(0x050000a1).is_older_than_fermi());
  KCPP_EXPECT(!nova::regs::NV_PMC_BOOT_0::from_raw(0x0c0000a1).is_older_than_fermi());
  // Chipsets compare by id, as upstream does (GH100 sorts between GA107 and AD102).
  auto gh100 = KCPP_TRY(nova::Chipset::from_id(0x180));
  KCPP_EXPECT(KCPP_TRY(nova::Chipset::from_id(0x177)) < gh100);
  KCPP_EXPECT(gh100 < KCPP_TRY(nova::Chipset::from_id(0x192)));
  KCPP_EXPECT_EQ(__builtin_strcmp(gh100.firmware_dir(), "gh100"), 0);
  return {};
}

kcpp::Result<void> unsupported_gpus_are_refused() {
  auto dev = log_device();
  if (dev.is_err())
    return {};
  const auto& log = (*dev)->as_device();
  // Pre-Fermi: BOOT_0 of an NV50.
  auto nv50 = KCPP_TRY(nova::sim::make_gpu(0x162));
  nv50->regs().set(nova::regs::NV_PMC_BOOT_0::OFFSET, 0x050000a1);
  KCPP_EXPECT_EQ(nova::Spec::identify(nv50->bar0(), log).error(), kcpp::code::ENODEV);
  // An architecture nova does not know (Volta, 0x14) and an unknown implementation.
  auto volta = KCPP_TRY(nova::sim::make_gpu(0x140));
  KCPP_EXPECT_EQ(nova::Spec::identify(volta->bar0(), log).error(), kcpp::code::ENODEV);
  auto tu10f = KCPP_TRY(nova::sim::make_gpu(0x16f));
  KCPP_EXPECT_EQ(nova::Spec::identify(tu10f->bar0(), log).error(), kcpp::code::ENODEV);
  // A GPU whose BOOT_42 reads zero (no such register).
  auto blank = KCPP_TRY(nova::sim::make_gpu(0x172));
  blank->regs().set(nova::regs::NV_PMC_BOOT_42::OFFSET, 0);
  KCPP_EXPECT_EQ(nova::Spec::identify(blank->bar0(), log).error(), kcpp::code::ENODEV);
  KCPP_EXPECT_EQ(nova::Chipset::from_id(0x171).error(), kcpp::code::ENODEV);
  return {};
}

// ---------------------------------------------------------------- nova_vbios

kcpp::Result<kcpp::KVVec<u8>> synthesized(u32 version) {
  kcpp::KVVec<u8> rom;
  KCPP_TRY(nova::sim::synthesize_vbios(rom, version));
  return rom;
}

kcpp::Result<void> synthesized_vbios_parses() {
  using L = nova::sim::VbiosLayout;
  for (u32 version : {2u, 3u}) {
    auto rom = KCPP_TRY(synthesized(version));
    nova::vbios::Diag d;
    auto fw = nova::vbios::parse_bytes(rom.as_span(), d);
    KCPP_ASSERT(fw.is_ok());
    KCPP_EXPECT_EQ(fw->desc.version(), version);
    KCPP_EXPECT_EQ(fw->desc.imem_load_size(), L::IMEM_SIZE);
    KCPP_EXPECT_EQ(fw->desc.dmem_load_size(), L::DMEM_SIZE);
    KCPP_EXPECT_EQ(fw->ucode.len(), usize(L::IMEM_SIZE + L::DMEM_SIZE));
    KCPP_EXPECT_EQ(fw->ucode[7], L::imem_byte(7));
    KCPP_EXPECT_EQ(fw->desc.dmem_start(), L::IMEM_SIZE);
    if (version == 3) {
      KCPP_EXPECT_EQ(fw->desc.signature_count(), 2u);
      KCPP_EXPECT(fw->desc.v2().is_none());
      KCPP_EXPECT_EQ(KCPP_TRY(fw->desc.v3().ok_or(kcpp::code::EINVAL)).ucode_id, L::UCODE_ID);
      KCPP_EXPECT_EQ(fw->signatures.len(), 2u * 384);
      KCPP_EXPECT_EQ(KCPP_TRY(fw->signature(1))[0], u8(L::SIGNATURE_FILL + 1));
      KCPP_EXPECT(fw->signature(2).is_err());
    } else {
      KCPP_EXPECT(fw->desc.v3().is_none());
      KCPP_EXPECT_EQ(fw->desc.signature_count(), 0u);
      KCPP_EXPECT_EQ(KCPP_TRY(fw->desc.v2().ok_or(kcpp::code::EINVAL)).imem_sec_size, L::IMEM_SIZE - 0x200);
      KCPP_EXPECT_EQ(fw->signatures.len(), 0u);
    }
  }
  return {};
}

kcpp::Result<void> replayed_vbios_parses() {
  auto dev = log_device();
  if (dev.is_err())
    return {};
  auto fw = KCPP_TRY(kcpp::Firmware::request("nova_sim/vbios-replay.rom", (*dev)->as_device()));
  nova::vbios::Diag d;
  auto f = nova::vbios::parse_bytes(fw.data(), d);
  KCPP_ASSERT(f.is_ok());
  // An independently written image: EFI between PC-AT and FWSEC, a debug entry first.
  KCPP_EXPECT_EQ(f->desc.version(), 3u);
  KCPP_EXPECT_EQ(f->desc.imem_load_size(), 0x1000u);
  KCPP_EXPECT_EQ(f->desc.dmem_load_size(), 0x800u);
  KCPP_EXPECT_EQ(KCPP_TRY(f->desc.v3().ok_or(kcpp::code::EINVAL)).engine_id_mask, 0x400);
  KCPP_EXPECT_EQ(KCPP_TRY(f->signature(0))[383], 0xc0);
  auto shorter = KCPP_TRY(kcpp::Firmware::request("nova_sim/vbios-short.rom", (*dev)->as_device()));
  KCPP_EXPECT_EQ(nova::vbios::parse_bytes(shorter.data(), d).error(), kcpp::code::EINVAL);
  return {};
}

// Corrupts a synthesized V3 ROM one way; the parser must refuse it with @p want.
template <typename F>
kcpp::Result<void> refused(F corrupt, kcpp::Error want, const char* what) {
  auto rom = KCPP_TRY(synthesized(3));
  corrupt(rom);
  nova::vbios::Diag d;
  auto r = nova::vbios::parse_bytes(rom.as_span(), d);
  KCPP_EXPECT(r.is_err());
  if (r.is_err()) {
    KCPP_EXPECT_EQ(r.error(), want);
    KCPP_EXPECT(d.what != nullptr);
    if (r.error() != want)
      KCPP_PR_INFO("%s: %s\n", what, d.what ? d.what : "(no message)");
  }
  return {};
}

kcpp::Result<void> corrupted_vbios_images_are_refused() {
  using L = nova::sim::VbiosLayout;
  using V = kcpp::KVVec<u8>;
  namespace c = kcpp::code;
  const usize fw2 = L::PCI_AT + L::EFI + L::FWSEC1;
  auto w16 = [](V& r, usize at, kcpp::u16 v) { (void)kcpp::bytes::write(r.as_span(), at, v); };
  auto w32 = [](V& r, usize at, u32 v) { (void)kcpp::bytes::write(r.as_span(), at, v); };
  // Truncated: only the PC-AT image (the chain runs into an empty window).
  KCPP_TRY(refused([](V& r) { (void)r.resize(L::PCI_AT, 0, kcpp::GFP_KERNEL); }, c::EINVAL, "truncated"));
  // Bad signatures: ROM header, PCIR, BIT.
  KCPP_TRY(refused([&](V& r) { w16(r, 0, 0x1234); }, c::EINVAL, "ROM signature"));
  KCPP_TRY(refused([&](V& r) { r[L::PCI_AT + L::PCIR] = 'X'; }, c::EINVAL, "PCIR signature"));
  KCPP_TRY(refused([&](V& r) { r[L::BIT + 2] = 'b'; }, c::ENOENT, "BIT signature"));
  // Pointers past the end: PCIR pointer, falcon data pointer, PMU entry, descriptor, token offset.
  KCPP_TRY(refused([&](V& r) { w16(r, 0x18, 0xfff0); }, c::EINVAL, "PCIR pointer"));
  KCPP_TRY(
      refused([&](V& r) { w32(r, L::FALCON_DATA_PTR_AT, 0xfffffff0); }, c::ERANGE, "falcon data pointer"));
  KCPP_TRY(
      refused([&](V& r) { w32(r, L::FALCON_DATA_PTR_AT, 0x10); }, c::EINVAL, "falcon data pointer in PC-AT"));
  KCPP_TRY(
      refused([&](V& r) { w32(r, fw2 + L::PMU_TABLE_IN2 + 12, 0x7fffffff); }, c::EINVAL, "ucode pointer"));
  KCPP_TRY(refused([&](V& r) { w16(r, L::BIT + 12 + 6 + 4, 0xfffe); }, c::ERANGE, "token data offset"));
  KCPP_TRY(refused(
      [&](V& r) {
        r[L::BIT + 9] = 8;
        r[L::BIT + 10] = 255;
        r[L::BIT + 12 + 6] = 0;
      },
      c::ERANGE, "token count"));
  KCPP_TRY(refused([&](V& r) { w32(r, fw2 + L::DESC_IN2 + 20, 0x7fffffff); }, c::ERANGE, "IMEM size"));
  KCPP_TRY(refused([&](V& r) { r[fw2 + L::DESC_IN2 + 39] = 200; }, c::ERANGE, "signature count"));
  KCPP_TRY(refused([&](V& r) { r[fw2 + L::DESC_IN2 + 1] = 7; }, c::EINVAL, "descriptor version"));
  KCPP_TRY(refused([&](V& r) { w16(r, fw2 + L::DESC_IN2 + 2, 4); }, c::EINVAL, "descriptor size"));
  // Zero lengths: PCIR image length, NPDE subimage length, BIT token size.
  KCPP_TRY(refused([&](V& r) { w16(r, L::PCIR + 0x10, 0); }, c::EINVAL, "PCIR length 0"));
  KCPP_TRY(refused([&](V& r) { w16(r, L::PCIR + 0x20 + 8, 0); }, c::EINVAL, "NPDE length 0"));
  KCPP_TRY(refused([&](V& r) { r[L::BIT + 9] = 0; }, c::EINVAL, "token size 0"));
  // Missing pieces: no FWSEC_PROD entry, no second FWSEC image.
  KCPP_TRY(refused([&](V& r) { r[fw2 + L::PMU_TABLE_IN2 + 10] = 0x05; }, c::ENOENT, "no FWSEC_PROD"));
  KCPP_TRY(refused([&](V& r) { r[fw2 + L::PCIR + 0x14] = 0x03; }, c::EINVAL, "one FWSEC image"));
  // Loops: an image chain with no last image, and an image length that
  // wraps back (each image 512 bytes and never last: the chain must stop).
  KCPP_TRY(refused([&](V& r) { r[fw2 + L::PCIR + 0x20 + 10] = 0; }, c::EINVAL, "no last image"));
  KCPP_TRY(refused(
      [&](V& r) {
        (void)r.resize(usize(20) * 512, 0, kcpp::GFP_KERNEL);
        for (usize i = 0; i < 20; i++) {
          __builtin_memset(r.data() + i * 512, 0, 512);
          (void)nova::sim::detail::image_headers(
              r.as_span().subspan(i * 512, 512).expect("r holds 20 blocks of 512"), 0xe0, false);
        }
      },
      c::EINVAL, "endless chain"));
  return {};
}

// A small deterministic generator (xorshift64*).
struct Rng {
  u64 s;
  u64 next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545f4914f6cdd1dull;
  }
};

kcpp::Result<void> ten_thousand_mutated_vbios_images() {
  constexpr int images = 10000;
  auto base = KCPP_TRY(synthesized(3));
  auto rom = KCPP_TRY(synthesized(3));
  // Mutations land anywhere, but mostly where the parser looks: image
  // headers, the BIT table, the pointer, the PMU table, the descriptor.
  using L = nova::sim::VbiosLayout;
  const usize fw2 = L::PCI_AT + L::EFI + L::FWSEC1;
  const usize hot[] = {0,
                       L::PCI_AT,
                       L::PCI_AT + L::EFI,
                       fw2,
                       L::BIT,
                       L::FALCON_DATA_PTR_AT,
                       fw2 + L::PMU_TABLE_IN2,
                       fw2 + L::DESC_IN2};
  Rng rng{0x6e6f7661u};
  int parsed = 0, rejected = 0;
  for (int n = 0; n < images; n++) {
    __builtin_memcpy(rom.data(), base.data(), base.len());
    const u64 r = rng.next();
    const int flips = 1 + int(r % 4);
    for (int i = 0; i < flips; i++) {
      const u64 x = rng.next();
      usize at = (x & 3) ? hot[(x >> 1) % (sizeof(hot) / sizeof(hot[0]))] + ((x >> 8) % 64)
                         : usize((x >> 8) % rom.len());
      if (at >= rom.len())
        at = rom.len() - 1;
      rom[at] = (x >> 40) & 4 ? u8(x >> 48) : u8(rom[at] ^ (1u << ((x >> 56) & 7)));
    }
    // Sometimes also cut the image short.
    usize len = rom.len();
    if ((r >> 32) % 8 == 0)
      len = usize((r >> 35) % rom.len());
    nova::vbios::Diag d;
    auto f = nova::vbios::parse_bytes(KCPP_TRY(rom.as_span().subspan(0, len)), d);
    if (f.is_ok()) {
      parsed++;
      KCPP_EXPECT(f->ucode.len() <= len);
    } else {
      rejected++;
      KCPP_EXPECT(d.what != nullptr || f.error() == kcpp::code::ENOMEM);
    }
  }
  KCPP_PR_INFO("nova vbios mutation run: %d images, %d rejected, %d parsed\n", images, rejected, parsed);
  KCPP_EXPECT_EQ(parsed + rejected, images);
  KCPP_EXPECT(rejected > 0);
  KCPP_EXPECT(parsed > 0);
  return {};
}

// ---------------------------------------------------------------- nova_fb

kcpp::Result<void> layout_matches_the_worked_example() {
  // 24 GiB GA102, no valid VGA workspace, 20 KiB bootloader, 30 MiB image.
  const auto ga102 = KCPP_TRY(nova::Chipset::from_id(0x172));
  nova::fb::LayoutInputs in{
      24ull << 30, true, false, 0, 20 << 10, 30 << 20, nova::fb::LibosParams::for_chipset(ga102)};
  const auto l = KCPP_TRY(nova::fb::compute_layout(in));
  KCPP_EXPECT_EQ(l.vga_workspace.start, 0x5fff00000ull);
  KCPP_EXPECT_EQ(l.frts.start, 0x5ffe00000ull);
  KCPP_EXPECT_EQ(l.frts.end, 0x5fff00000ull);
  KCPP_EXPECT_EQ(l.boot.start, 0x5ffdfb000ull);
  KCPP_EXPECT_EQ(l.elf.start, 0x5fdff0000ull);
  KCPP_EXPECT_EQ(in.libos.wpr_heap_size(24ull << 30), 129ull << 20);
  KCPP_EXPECT_EQ(l.wpr2_heap.start, 0x5f5e00000ull);
  KCPP_EXPECT_EQ(l.wpr2_heap.end, 0x5fdf00000ull);
  KCPP_EXPECT_EQ(l.wpr2.start, 0x5f5d00000ull);
  KCPP_EXPECT_EQ(l.wpr2.end, 0x5fff00000ull);
  KCPP_EXPECT_EQ(l.heap.start, 0x5f5c00000ull);
  // A valid VGA workspace below the PRAMIN base puts it 128 KiB below the end; above, where it says.
  in.vga_valid = true;
  in.vga_addr = 0x100000;
  KCPP_EXPECT_EQ(KCPP_TRY(nova::fb::compute_layout(in)).vga_workspace.start, (24ull << 30) - (128 << 10));
  in.vga_addr = (24ull << 30) - (512 << 10);
  KCPP_EXPECT_EQ(KCPP_TRY(nova::fb::compute_layout(in)).vga_workspace.start, in.vga_addr);
  // Without display the register is not looked at.
  in.display = false;
  KCPP_EXPECT_EQ(KCPP_TRY(nova::fb::compute_layout(in)).vga_workspace.start, 0x5fff00000ull);
  // Turing: no carveout, 8 + 96 + 2 (96 KiB x 11, rounded up) = 106 MiB on 11 GiB,
  // clamped to [64, 256) MiB.
  const auto tu102 = KCPP_TRY(nova::Chipset::from_id(0x162));
  KCPP_EXPECT_EQ(nova::fb::LibosParams::for_chipset(tu102).wpr_heap_size(11ull << 30), 106ull << 20);
  KCPP_EXPECT_EQ(nova::fb::LibosParams::for_chipset(tu102).wpr_heap_size(4ull << 40), (256ull << 20) - 1);
  // A framebuffer too small for the layout is an error, not a wrap.
  in.vram_size = 16 << 20;
  KCPP_EXPECT_EQ(nova::fb::compute_layout(in).error(), kcpp::code::EINVAL);
  // ECC takes 1/16 of the local memory range.
  KCPP_EXPECT_EQ(
      nova::regs::NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE::from_raw((11 << 4) | 10 | (1u << 30)).usable_fb_size(),
      (11ull << 30) / 16 * 15);
  return {};
}

// ---------------------------------------------------------------- nova_fwsec

kcpp::Result<void> signature_choice_and_frts_patch() {
  // Versions {1, 2}: fuse 1 -> signature 0, fuse 2 -> signature 1, fuse 3 -> none.
  KCPP_EXPECT_EQ(KCPP_TRY(nova::fwsec::signature_index(0x6, 1)), 0u);
  KCPP_EXPECT_EQ(KCPP_TRY(nova::fwsec::signature_index(0x6, 2)), 1u);
  KCPP_EXPECT_EQ(nova::fwsec::signature_index(0x6, 3).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(nova::fwsec::signature_index(0x6, 0).error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(nova::fwsec::signature_index(0xffff, 40).error(), kcpp::code::EINVAL);

  using L = nova::sim::VbiosLayout;
  auto rom = KCPP_TRY(synthesized(3));
  nova::vbios::Diag d;
  auto fw = KCPP_TRY(nova::vbios::parse_bytes(rom.as_span(), d));
  auto img = KCPP_TRY(nova::fwsec::patch_frts(fw, 0x5ffe00000ull, 1 << 20, 1));
  const kcpp::Span<const u8> dmem = KCPP_TRY(img.as_span().subspan(L::IMEM_SIZE));
  KCPP_EXPECT_EQ(KCPP_TRY(kcpp::bytes::read<u32>(dmem, L::MAPPER_AT + 44)), 0x15u);
  const auto cmd = KCPP_TRY(kcpp::bytes::read<nova::fwsec::FrtsCmd>(dmem, L::CMD_IN_AT));
  KCPP_EXPECT_EQ(cmd.read_vbios.hdr, 24u);
  KCPP_EXPECT_EQ(cmd.read_vbios.flags, 2u);
  KCPP_EXPECT_EQ(cmd.frts_region.addr, 0x5ffe00u);
  KCPP_EXPECT_EQ(cmd.frts_region.size, 0x100u);
  KCPP_EXPECT_EQ(cmd.frts_region.ftype, 2u);
  KCPP_EXPECT_EQ(dmem[L::PKC_DATA_OFFSET + 100], u8(L::SIGNATURE_FILL + 1));
  // The original ucode is untouched; a table without a DMEMMAPPER is ENOTSUPP.
  KCPP_EXPECT_EQ(KCPP_TRY(kcpp::bytes::read<u32>(fw.ucode.as_span(), L::IMEM_SIZE + L::MAPPER_AT + 44)), 0u);
  fw.ucode[L::IMEM_SIZE + 12] = 9;  // entry 2's id
  KCPP_EXPECT_EQ(nova::fwsec::patch_frts(fw, 0x5ffe00000ull, 1 << 20, 1).error(), kcpp::code::ENOTSUPP);
  fw.ucode[L::IMEM_SIZE] = 2;  // interface table version
  KCPP_EXPECT_EQ(nova::fwsec::patch_frts(fw, 0, 0, 0).error(), kcpp::code::EINVAL);
  return {};
}

// The host of the simulated GPUs' DMA: pci-testdev, bound for the test's duration.
struct SimHost {
  using IdInfo = kcpp::pci::NoInfo;
  static constexpr const char* NAME = "kcpp_nova_sim";
  static constexpr auto ID_TABLE = kcpp::pci::id_table<IdInfo>({
      {kcpp::pci::DeviceId::from_id(kcpp::pci::Vendor::REDHAT, 0x0005), {}},
  });
  static kcpp::Result<SimHost> probe(const kcpp::pci::Device<kcpp::device::Core>& pdev, const IdInfo&) {
    KCPP_TRY(kcpp::dma::set_mask_and_coherent(pdev, kcpp::dma::Mask::bits<32>()));
    return SimHost{};
  }
};

struct Host {
  kcpp::pci::Registration<SimHost> reg;
  kcpp::ARef<kcpp::pci::Device<>> pdev;
  const kcpp::Device<kcpp::device::Bound>& dev() const {
    return (*kcpp_test::bound(*pdev).expect("the test bound it")).as_device();
  }
  // What the driver tells the GSP about its PCI function: pci-testdev's.
  nova::gsp::PciInfo pci() const {
    return nova::gsp::PciInfo::of(*kcpp_test::bound(*pdev).expect("the test bound it"));
  }
};

kcpp::Result<kcpp::KBox<Host>> host() {
  auto pdev = KCPP_TRY(kcpp_test::find_testdev());
  auto reg = KCPP_TRY(kcpp::pci::Registration<SimHost>::make(kcpp::GFP_KERNEL));
  auto h = KCPP_TRY(kcpp::KBox<Host>::make(kcpp::GFP_KERNEL, Host{std::move(reg), std::move(pdev)}));
  KCPP_TRY(kcpp_test::bound(*h->pdev));
  return h;
}

// ---------------------------------------------------------------- nova_firmware

kcpp::Result<void> elf_sections_are_found_and_checked() {
  // A minimal ELF64: header, then a section table of [null, .a, .shstrtab].
  u8 elf[64 + 16 + 3 * 64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  const char names[] = "\0.a\0.shstrtab";  // offsets 1 and 4
  __builtin_memcpy(elf + 64, names, sizeof(names));
  const kcpp::Span<u8> s(elf);
  KCPP_TRY(kcpp::bytes::write(s, 0x28, u64(80)));            // e_shoff
  KCPP_TRY(kcpp::bytes::write(s, 0x3a, kcpp::u16(64)));      // e_shentsize
  KCPP_TRY(kcpp::bytes::write(s, 0x3c, kcpp::u16(3)));       // e_shnum
  KCPP_TRY(kcpp::bytes::write(s, 0x3e, kcpp::u16(2)));       // e_shstrndx
  KCPP_TRY(kcpp::bytes::write(s, 80 + 64 + 0, u32(1)));      // .a: name
  KCPP_TRY(kcpp::bytes::write(s, 80 + 64 + 0x18, u64(64)));  //     offset
  KCPP_TRY(kcpp::bytes::write(s, 80 + 64 + 0x20, u64(3)));   //     size
  KCPP_TRY(kcpp::bytes::write(s, 80 + 128 + 0, u32(4)));     // .shstrtab
  KCPP_TRY(kcpp::bytes::write(s, 80 + 128 + 0x18, u64(64)));
  KCPP_TRY(kcpp::bytes::write(s, 80 + 128 + 0x20, u64(sizeof(names))));
  const kcpp::Span<const u8> cs = s;
  auto a = KCPP_TRY(nova::firmware::elf64_section(cs, ".a"));
  KCPP_EXPECT_EQ(a.data(), cs.data() + 64);
  KCPP_EXPECT_EQ(a.size(), 3u);
  KCPP_EXPECT_EQ(nova::firmware::elf64_section(cs, ".b").error(), kcpp::code::ENOENT);
  KCPP_EXPECT_EQ(nova::firmware::elf64_section(cs, ".").error(), kcpp::code::ENOENT);
  // A section past the end, a section table past the end, not 64-bit.
  KCPP_TRY(kcpp::bytes::write(s, 80 + 64 + 0x20, u64(1) << 40));
  KCPP_EXPECT_EQ(nova::firmware::elf64_section(cs, ".a").error(), kcpp::code::ERANGE);
  KCPP_TRY(kcpp::bytes::write(s, 0x28, ~u64(0) - 8));
  KCPP_EXPECT(nova::firmware::elf64_section(cs, ".a").is_err());
  elf[4] = 1;
  KCPP_EXPECT_EQ(nova::firmware::elf64_section(cs, ".a").error(), kcpp::code::EINVAL);
  KCPP_EXPECT_EQ(nova::firmware::elf64_section(KCPP_TRY(cs.subspan(0, 10)), ".a").error(),
                 kcpp::code::EINVAL);
  return {};
}

// Booter as the synthetic file lays it out (scripts/nova_sim_firmware.py):
// OS code 0x800 at 0, one application 0x2000 at 0x800, OS data 0x800 at
// 0x2800, signatures patched at 0x2900, two signatures (filled 0x30, 0x31),
// parameters fuse version 2, SEC2, ucode 3.
kcpp::Result<void> booter_load_plan_and_signature() {
  auto h = kcpp_test::find_testdev();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  auto reg = KCPP_TRY(kcpp::pci::Registration<SimHost>::make(kcpp::GFP_KERNEL));
  const auto& dev = (*KCPP_TRY(kcpp_test::bound(**h))).as_device();
  auto fw = KCPP_TRY(kcpp::Firmware::request("nvidia/ga102/gsp/booter_load-570.144.bin", dev));
  const auto ga102 = KCPP_TRY(nova::Chipset::from_id(0x172));
  const auto tu102 = KCPP_TRY(nova::Chipset::from_id(0x162));
  u32 seen_mask = 0, seen_id = 0;
  auto fuse = [&](u32 version) {
    return [&, version](kcpp::u16 mask, u8 id) -> kcpp::Result<u32> {
      seen_mask = mask;
      seen_id = id;
      return version;
    };
  };
  // GA102: fuse version 1 -> signature 2 - 1 = 1; secure application at 0, DMEM from the OS data.
  auto b = KCPP_TRY(nova::firmware::BooterFirmware::parse(dev, fw.data(), false, ga102, fuse(1)));
  KCPP_EXPECT_EQ(seen_mask, 1u);
  KCPP_EXPECT_EQ(seen_id, 3u);
  const auto& p = b.load_params();
  KCPP_EXPECT_EQ(p.imem_sec.src_start, 0x800u);
  KCPP_EXPECT_EQ(p.imem_sec.dst_start, 0u);
  KCPP_EXPECT_EQ(p.imem_sec.len, 0x2000u);
  KCPP_EXPECT_EQ(p.imem_ns.len, 0u);
  KCPP_EXPECT_EQ(p.dmem.src_start, 0x2800u);
  KCPP_EXPECT_EQ(p.dmem.len, 0x800u);
  KCPP_EXPECT_EQ(p.boot_addr, 0x800u);
  KCPP_EXPECT_EQ(p.brom.pkc_data_offset, 0x100u);
  u8 sig[384];
  KCPP_TRY(b.ucode().read_into(0x2900, kcpp::Span<u8>(sig)));
  KCPP_EXPECT_EQ(sig[0], 0x31);
  KCPP_EXPECT_EQ(sig[383], 0x31);
  // Turing: fuse version 0 takes the last signature; the OS code is loaded non-secure.
  auto t = KCPP_TRY(nova::firmware::BooterFirmware::parse(dev, fw.data(), false, tu102, fuse(0)));
  KCPP_EXPECT_EQ(t.load_params().imem_ns.len, 0x800u);
  KCPP_EXPECT_EQ(t.load_params().imem_sec.dst_start, 0x800u);
  KCPP_EXPECT_EQ(t.load_params().boot_addr, 0u);
  KCPP_TRY(t.ucode().read_into(0x2900, kcpp::Span<u8>(sig)));
  KCPP_EXPECT_EQ(sig[7], 0x31);
  // A fuse version the file has no signature for.
  KCPP_EXPECT_EQ(nova::firmware::BooterFirmware::parse(dev, fw.data(), false, ga102, fuse(5)).error(),
                 kcpp::code::EINVAL);
  // Cut short: every offset is checked.
  for (usize len : {usize(0), usize(20), usize(100), usize(600), fw.data().size() - 1})
    KCPP_EXPECT(
        nova::firmware::BooterFirmware::parse(dev, KCPP_TRY(fw.data().subspan(0, len)), false, ga102, fuse(1))
            .is_err());
  return {};
}

// A TLV container built in memory: NVFW, then blocks (tag, value, padding).
struct TlvBuilder {
  kcpp::KVec<u8> bytes;
  kcpp::Result<void> start() {
    return bytes.extend(kcpp::Span<const u8>(nova::firmware::Tlv::MAGIC), kcpp::GFP_KERNEL);
  }
  kcpp::Result<void> block(const char (&tag)[5], kcpp::Span<const u8> value, u32 len_field,
                           usize pad = ~usize(0)) {
    for (usize i = 0; i < 4; i++) KCPP_TRY(bytes.push(u8(tag[i]), kcpp::GFP_KERNEL));
    for (usize i = 0; i < 4; i++) KCPP_TRY(bytes.push(u8(len_field >> (8 * i)), kcpp::GFP_KERNEL));
    KCPP_TRY(bytes.extend(value, kcpp::GFP_KERNEL));
    const usize n = pad != ~usize(0) ? pad : (4 - value.size() % 4) % 4;
    for (usize i = 0; i < n; i++) KCPP_TRY(bytes.push(u8(0), kcpp::GFP_KERNEL));
    return {};
  }
  kcpp::Result<void> block(const char (&tag)[5], kcpp::Span<const u8> value) {
    return block(tag, value, u32(value.size()));
  }
  kcpp::Result<void> u32_block(const char (&tag)[5], u32 v) {
    const u8 le[] = {u8(v), u8(v >> 8), u8(v >> 16), u8(v >> 24)};
    return block(tag, kcpp::Span<const u8>(le));
  }
  kcpp::Result<nova::firmware::Tlv> parse() const { return nova::firmware::Tlv::parse(bytes.as_span()); }
};

kcpp::Result<void> tlv_containers_are_checked() {
  using nova::firmware::TlvTag;
  namespace c = kcpp::code;
  const u8 vers[] = {'1', '.', '0'};
  const u8 four[] = {1, 2, 3, 4};
  const u8 five[] = {1, 2, 3, 4, 5};
  // VERS anywhere will do; an empty value is a value (but not bytes()).
  {
    TlvBuilder t;
    KCPP_TRY(t.start());
    KCPP_TRY(t.block("BLOB", kcpp::Span<const u8>()));
    KCPP_TRY(t.block("VERS", kcpp::Span<const u8>(vers)));
    const auto tlv = KCPP_TRY(t.parse());
    KCPP_EXPECT_EQ(tlv.bytes(TlvTag("BLOB")).error(), c::EINVAL);
    KCPP_EXPECT_EQ(KCPP_TRY(tlv.string(TlvTag("BLOB"))).size(), 0u);
  }
  // Padding missing after the last value: the block runs past the end.
  {
    TlvBuilder t;
    KCPP_TRY(t.start());
    KCPP_TRY(t.block("VERS", kcpp::Span<const u8>(vers), 3, 0));
    KCPP_EXPECT_EQ(t.parse().error(), c::EINVAL);
  }
  // Lengths that wrap a 32-bit sum when padded, or point past the end.
  for (u32 len : {0xffffffffu, 0xfffffffdu, 0x80000000u, 4u}) {
    TlvBuilder t;
    KCPP_TRY(t.start());
    KCPP_TRY(t.block("VERS", kcpp::Span<const u8>(vers)));
    KCPP_TRY(t.block("SIZE", kcpp::Span<const u8>(), len, 0));
    KCPP_EXPECT_EQ(t.parse().error(), c::EINVAL);
  }
  // The magic alone, or anything shorter.
  {
    TlvBuilder t;
    KCPP_TRY(t.start());
    KCPP_EXPECT_EQ(t.parse().error(), c::EINVAL);  // no VERS
    KCPP_EXPECT_EQ(nova::firmware::Tlv::parse(KCPP_TRY(t.bytes.as_span().subspan(0, 3))).error(), c::EINVAL);
  }
  // Values of the wrong shape: a u32 of 5 bytes, a string with a NUL, signatures that do not split.
  {
    TlvBuilder t;
    KCPP_TRY(t.start());
    KCPP_TRY(t.block("VERS", kcpp::Span<const u8>(vers)));
    KCPP_TRY(t.block("SIZE", kcpp::Span<const u8>(five)));
    const u8 nul[] = {'a', 0, 'b'};
    KCPP_TRY(t.block("FILE", kcpp::Span<const u8>(nul)));
    KCPP_TRY(t.u32_block("NSIG", 3));
    KCPP_TRY(t.block("SIGN", kcpp::Span<const u8>(four)));
    KCPP_TRY(t.u32_block("NSIG", 2));  // a second NSIG that would split: the first counts
    const auto tlv = KCPP_TRY(t.parse());
    KCPP_EXPECT_EQ(tlv.u32_of(TlvTag("SIZE")).error(), c::EINVAL);
    KCPP_EXPECT_EQ(tlv.string(TlvTag("FILE")).error(), c::EINVAL);
    KCPP_EXPECT_EQ(tlv.signature(0).error(), c::EINVAL);
    KCPP_EXPECT_EQ(tlv.last_signature().error(), c::EINVAL);
  }
  // NSIG 0 is no signature at all, not a division by zero.
  {
    TlvBuilder t;
    KCPP_TRY(t.start());
    KCPP_TRY(t.block("VERS", kcpp::Span<const u8>(vers)));
    KCPP_TRY(t.u32_block("NSIG", 0));
    KCPP_TRY(t.block("SIGN", kcpp::Span<const u8>(four)));
    KCPP_EXPECT_EQ(KCPP_TRY(t.parse()).signature(0).error(), c::EINVAL);
  }
  // Every cut of a good file that is not at a block boundary is refused.
  {
    TlvBuilder t;
    KCPP_TRY(t.start());
    KCPP_TRY(t.block("VERS", kcpp::Span<const u8>(vers)));  // ends at 16
    KCPP_TRY(t.block("BLOB", kcpp::Span<const u8>(five)));  // ends at 32
    KCPP_TRY(t.parse());
    int accepted = 0;
    for (usize len = 0; len < t.bytes.len(); len++)
      accepted += nova::firmware::Tlv::parse(KCPP_TRY(t.bytes.as_span().subspan(0, len))).is_ok();
    KCPP_EXPECT_EQ(accepted, 1);  // the cut at 16: VERS alone
  }
  return {};
}

// A TLV gen_bootloader parsed: a BLOB of @p blob_len filler bytes, CDSZ @p cdsz, STRT @p strt.
kcpp::Result<nova::fwsec::GenericBootloader> gen_bootloader_tlv(usize blob_len, u32 cdsz, u32 strt) {
  const u8 vers[] = {'1'};
  kcpp::KVec<u8> blob;
  KCPP_TRY(blob.resize(blob_len, 0x5a, kcpp::GFP_KERNEL));
  TlvBuilder t;
  KCPP_TRY(t.start());
  KCPP_TRY(t.block("VERS", kcpp::Span<const u8>(vers)));
  KCPP_TRY(t.block("BLOB", blob.as_span()));
  KCPP_TRY(t.u32_block("CDSZ", cdsz));
  KCPP_TRY(t.u32_block("STRT", strt));
  return nova::fwsec::GenericBootloader::parse(t.bytes.as_span(), true);
}

kcpp::Result<void> generic_bootloader_files() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  const auto& dev = (*h)->dev();
  using nova::fwsec::GenericBootloader;
  using L = nova::sim::GenBootloaderLayout;
  namespace c = kcpp::code;
  // The .bin file (TU102) and the TLV file (TU104) give the same code and start tag.
  const auto bin = KCPP_TRY(GenericBootloader::load(dev, nova::Chipset::TU102));
  const auto tlv = KCPP_TRY(GenericBootloader::load(dev, nova::Chipset::TU104));
  for (const GenericBootloader* bl : {&bin, &tlv}) {
    KCPP_EXPECT_EQ(bl->code().size(), 0x300u);  // 0x2f0 padded to whole blocks
    KCPP_EXPECT_EQ(bl->start_tag(), L::START_TAG);
    KCPP_EXPECT_EQ(bl->boot_addr(), L::START_TAG << 8);
    KCPP_EXPECT_EQ(bl->imem_dst(), 0x10000u - 0x300u);
    KCPP_EXPECT_EQ(bl->dmem_load_off(), 0u);
    KCPP_EXPECT_EQ(bl->code()[5], L::code_byte(5));
    KCPP_EXPECT_EQ(bl->code()[L::CODE_SIZE - 1], L::code_byte(L::CODE_SIZE - 1));
    KCPP_EXPECT_EQ(bl->code()[L::CODE_SIZE], 0u);  // the padding is zero, not the BLOB's tail
  }
  // GA102 and later have none: nothing is requested for them by the probe, and none exists.
  KCPP_EXPECT_EQ(GenericBootloader::load(dev, nova::Chipset::GA102).error(), c::ENOENT);
  // Malformed code sizes and tags, in the TLV form.
  auto with = [](u32 cdsz, u32 strt) { return gen_bootloader_tlv(0x10004, cdsz, strt); };
  KCPP_EXPECT_EQ(KCPP_TRY(with(0x100, 0xff)).code().size(), 0x100u);
  KCPP_EXPECT_EQ(with(0, 0).error(), c::EINVAL);           // no code
  KCPP_EXPECT_EQ(with(0x102, 0).error(), c::EINVAL);       // not whole words
  KCPP_EXPECT_EQ(with(0x10004, 0).error(), c::EOVERFLOW);  // past the 64 KiB ceiling
  KCPP_EXPECT_EQ(with(0x10008, 0).error(), c::ERANGE);     // more than the BLOB holds
  KCPP_EXPECT_EQ(with(0x200, 0xffff).error(), c::ERANGE);  // tags 0xffff, 0x10000: past 16 bits
  KCPP_EXPECT(with(0x100, 0xffff).is_ok());                // one block at the last tag
  // The .bin form cut short anywhere is refused.
  auto fw = KCPP_TRY(kcpp::Firmware::request("nvidia/tu102/gsp/gen_bootloader-570.144.bin", dev));
  for (usize len : {usize(0), usize(23), usize(40), usize(300), fw.data().size() - 1})
    KCPP_EXPECT(GenericBootloader::parse(KCPP_TRY(fw.data().subspan(0, len)), false).is_err());
  return {};
}

// The TLV files say what the .bin files say: TU104's against TU102's, GA103's against GA102's.
kcpp::Result<void> tlv_and_bin_files_agree() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  const auto& dev = (*h)->dev();
  using nova::Chipset;
  using nova::firmware::BooterFirmware;
  using nova::firmware::RiscvFirmware;
  const auto rb = KCPP_TRY(RiscvFirmware::load(dev, Chipset::GA102));
  const auto rt = KCPP_TRY(RiscvFirmware::load(dev, Chipset::GA103));
  KCPP_EXPECT_EQ(rb.app_version(), rt.app_version());
  KCPP_EXPECT_EQ(rb.code_offset(), rt.code_offset());
  KCPP_EXPECT_EQ(rb.data_offset(), rt.data_offset());
  KCPP_EXPECT_EQ(rb.manifest_offset(), rt.manifest_offset());
  KCPP_EXPECT_EQ(rb.size(), rt.size());
  u8 a[64], b[64];
  KCPP_TRY(rb.ucode().read_into(0x4000, kcpp::Span<u8>(a)));
  KCPP_TRY(rt.ucode().read_into(0x4000, kcpp::Span<u8>(b)));
  KCPP_EXPECT(!__builtin_memcmp(a, b, sizeof(a)));
  auto fuse = [](kcpp::u16, u8) -> kcpp::Result<u32> { return u32(1); };
  for (const char* name : {"booter_load", "booter_unload"}) {
    char bin_path[64], tlv_path[64];
    snprintf(bin_path, sizeof(bin_path), "nvidia/ga102/gsp/%s-570.144.bin", name);
    snprintf(tlv_path, sizeof(tlv_path), "nvidia/ga103/gsp/%s.tlv", name);
    auto bf = KCPP_TRY(kcpp::Firmware::request(bin_path, dev));
    auto tf = KCPP_TRY(kcpp::Firmware::request(tlv_path, dev));
    for (Chipset chip : {Chipset::GA102, Chipset::TU102}) {
      const auto x = KCPP_TRY(BooterFirmware::parse(dev, bf.data(), false, chip, fuse));
      const auto y = KCPP_TRY(BooterFirmware::parse(dev, tf.data(), true, chip, fuse));
      const auto& p = x.load_params();
      const auto& q = y.load_params();
      auto same = [](const nova::falcon::LoadTarget& l, const nova::falcon::LoadTarget& r) {
        return l.src_start == r.src_start && l.dst_start == r.dst_start && l.len == r.len;
      };
      KCPP_EXPECT(same(p.imem_sec, q.imem_sec) && same(p.imem_ns, q.imem_ns) && same(p.dmem, q.dmem));
      KCPP_EXPECT(p.brom.pkc_data_offset == q.brom.pkc_data_offset &&
                  p.brom.engine_id_mask == q.brom.engine_id_mask && p.brom.ucode_id == q.brom.ucode_id);
      KCPP_EXPECT_EQ(p.boot_addr, q.boot_addr);
      KCPP_EXPECT_EQ(x.ucode().size(), y.ucode().size());
      u8 sx[400], sy[400];  // the patched signature and what follows
      KCPP_TRY(x.ucode().read_into(0x2900, kcpp::Span<u8>(sx)));
      KCPP_TRY(y.ucode().read_into(0x2900, kcpp::Span<u8>(sy)));
      KCPP_EXPECT(!__builtin_memcmp(sx, sy, sizeof(sx)));
      KCPP_EXPECT_EQ(sy[0], 0x31);  // FUSE 2 - fuse 1: signature 1 (the second FUSE block, 9, is ignored)
    }
    // A TLV Booter without its signatures, or with an engine mask past 16 bits, is refused.
    auto t = KCPP_TRY(nova::firmware::Tlv::parse(tf.data()));
    auto parts = KCPP_TRY(nova::firmware::BooterParts::of_tlv(t));
    parts.engine_id_mask = 0x10001;
    KCPP_EXPECT_EQ(BooterFirmware::build(dev, parts, Chipset::GA102, fuse).error(), kcpp::code::EINVAL);
    parts = KCPP_TRY(nova::firmware::BooterParts::of_tlv(t));
    auto newer = [](kcpp::u16, u8) -> kcpp::Result<u32> { return u32(3); };  // past FUSE 2
    KCPP_EXPECT_EQ(BooterFirmware::build(dev, parts, Chipset::GA102, newer).error(), kcpp::code::EINVAL);
  }
  // gsp.tlv: the image file beside it and the SIGN block, as the ELF's sections.
  const auto gt = KCPP_TRY(nova::firmware::GspFirmware::load(dev, Chipset::GA103));
  const auto gb = KCPP_TRY(nova::firmware::GspFirmware::load(dev, Chipset::GA104));
  KCPP_EXPECT_EQ(gt.size(), 0x8800u);
  KCPP_EXPECT_EQ(gt.size(), gb.size());
  KCPP_EXPECT_EQ(gt.signatures().size(), gb.signatures().size());
  KCPP_TRY(gt.signatures().read_into(0, kcpp::Span<u8>(a)));
  KCPP_TRY(gb.signatures().read_into(0, kcpp::Span<u8>(b)));
  KCPP_EXPECT(!__builtin_memcmp(a, b, sizeof(a)));
  return {};
}

// On Turing, FWSEC loaded by PIO without the generic bootloader does not run: the simulated
// falcon refuses it as the hardware's would not authenticate it.
kcpp::Result<void> turing_fwsec_needs_the_bootloader() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  const auto& dev = (*h)->dev();
  for (bool with_bl : {false, true}) {
    auto sim = KCPP_TRY(nova::sim::make_gpu(0x162, &dev));
    const auto bar = sim->bar0();
    const auto gsp = KCPP_TRY(nova::falcon::Falcon<nova::falcon::Gsp>::create(nova::Chipset::TU102, 0));
    nova::vbios::Diag d;
    const auto fwsec = KCPP_TRY(nova::vbios::parse_bytes(sim->vbios(), d));
    const auto bl = KCPP_TRY(nova::fwsec::GenericBootloader::load(dev, nova::Chipset::TU102));
    const auto fw = KCPP_TRY(nova::fwsec::FwsecFirmware::frts(dev, gsp, bar, fwsec, 0x2bfe00000ull, 1 << 20,
                                                              with_bl ? &bl : nullptr));
    KCPP_EXPECT_EQ(fw.via_bootloader(), with_bl);
    const auto r = fw.run(dev, gsp, bar);
    KCPP_EXPECT_EQ(r.is_ok(), with_bl);
    KCPP_EXPECT_EQ(sim->fwsec().refused == nullptr, with_bl);
    KCPP_EXPECT_EQ(sim->fwsec().gen_bootloader_runs, with_bl ? 1u : 0u);
    if (with_bl) {
      // The mirror: each part at its IMEM offset; the data after pad + the image's data offset.
      const auto desc = fw.bootloader_desc();
      using VL = nova::sim::VbiosLayout;
      KCPP_EXPECT_EQ(desc.non_sec_code_off, VL::V2_IMEM_PHYS_BASE);
      KCPP_EXPECT_EQ(desc.sec_code_off, VL::V2_IMEM_PHYS_BASE + 0x200);
      KCPP_EXPECT_EQ(desc.data_dma_base - desc.code_dma_base, u64(VL::V2_IMEM_PHYS_BASE + VL::IMEM_SIZE));
      KCPP_EXPECT_EQ(desc.data_size, VL::DMEM_SIZE);
      KCPP_EXPECT_EQ(sim->regs().get(nova::regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET) >> 4,
                     u32((0x2bfe00000ull + (1 << 20)) >> 12));
    }
  }
  return {};
}

// A generic bootloader that FWSEC's code would overwrite (EOVERFLOW), or whose IMEM tags
// are among the tags of FWSEC's code blocks (EINVAL), is refused before anything runs. The
// simulated V2 FWSEC's code fills IMEM 0x100-0x8ff: blocks 1 to 8.
kcpp::Result<void> fwsec_bootloader_collisions() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  const auto& dev = (*h)->dev();
  auto sim = KCPP_TRY(nova::sim::make_gpu(0x162, &dev));
  const auto gsp = KCPP_TRY(nova::falcon::Falcon<nova::falcon::Gsp>::create(nova::Chipset::TU102, 0));
  nova::vbios::Diag d;
  const auto fwsec = KCPP_TRY(nova::vbios::parse_bytes(sim->vbios(), d));
  auto frts_with = [&](u32 cdsz, u32 strt) -> kcpp::Result<nova::fwsec::FwsecFirmware> {
    const auto bl = KCPP_TRY(gen_bootloader_tlv(0xf800, cdsz, strt));
    return nova::fwsec::FwsecFirmware::frts(dev, gsp, sim->bar0(), fwsec, 0x2bfe00000ull, 1 << 20, &bl);
  };
  namespace c = kcpp::code;
  KCPP_EXPECT(frts_with(0x300, 0xfd).is_ok());                     // as the real file: tags 0xfd-0xff
  KCPP_EXPECT(frts_with(0x100, 0).is_ok());                        // tag 0: below FWSEC's first block
  KCPP_EXPECT(frts_with(0x200, 9).is_ok());                        // tags 9-10: right after its last
  KCPP_EXPECT_EQ(frts_with(0x100, 1).error(), c::EINVAL);          // FWSEC's first block
  KCPP_EXPECT_EQ(frts_with(0x100, 8).error(), c::EINVAL);          // its last
  KCPP_EXPECT_EQ(frts_with(0x300, 0).error(), c::EINVAL);          // tags 0-2 reach into it
  KCPP_EXPECT(frts_with(0xf700, 0x100).is_ok());                   // IMEM 0x900 on: right after FWSEC
  KCPP_EXPECT_EQ(frts_with(0xf800, 0x100).error(), c::EOVERFLOW);  // IMEM 0x800 on: over it
  return {};
}

// ---------------------------------------------------------------- nova_probe

using SimGpu = nova::Gpu<nova::sim::Bar0>;

// Probes simulated chip @p id; on success checks WPR2 and unbinds.
kcpp::Result<void> probe_ok(const Host& h, u32 id, u32 want_fwsec_version, Options o = {}) {
  o.pci = &*h.pdev;
  auto sim = KCPP_TRY(nova::sim::make_gpu(id, &h.dev(), o));
  auto gpu = SimGpu::probe(h.dev(), sim->bar0(), h.pci());
  KCPP_ASSERT(gpu.is_ok());
  const auto& st = gpu->boot_state();
  KCPP_EXPECT_EQ(gpu->spec().chipset.id(), id);
  KCPP_EXPECT_EQ(st.fwsec_version, want_fwsec_version);
  const bool frts = id != 0x170;  // GA100 has no FRTS: FWSEC first runs at unbind (SB)
  KCPP_EXPECT_EQ(sim->fwsec().ran, frts);
  KCPP_EXPECT(sim->fwsec().refused == nullptr);
  if (frts) {
    KCPP_EXPECT_EQ(st.wpr2.start, st.layout.frts.start);
    KCPP_EXPECT_EQ(st.layout.frts.len(), 1ull << 20);
  } else {
    KCPP_EXPECT_EQ(st.layout.frts.len(), 0ull);
    KCPP_EXPECT_EQ(st.wpr2.start, st.layout.wpr2.start);  // Booter made it from the WPR meta
  }
  KCPP_EXPECT_EQ(st.wpr2.end, st.layout.frts.end);
  // Turing and GA100 load by PIO, FWSEC through the generic bootloader's DMA; GA102 and later
  // DMA FWSEC in directly.
  const bool via_bl = want_fwsec_version == 2;
  KCPP_EXPECT_EQ(sim->fwsec().gen_bootloader_runs, via_bl && frts ? 1u : 0u);
  if (via_bl)
    KCPP_EXPECT(sim->fwsec().pio_words > 0 && sim->fwsec().dma_blocks == 0);
  else
    KCPP_EXPECT(sim->fwsec().dma_blocks > 0 && sim->fwsec().pio_words == 0);
  KCPP_EXPECT_EQ(gpu->sysmem_flush().registered(sim->bar0()), gpu->sysmem_flush().address());
  // The GSP booted: the simulated firmware found nothing wrong, ran the sequencer, answered.
  const auto& g = sim->gsp();
  KCPP_EXPECT(g.error == nullptr);
  if (g.error)
    KCPP_PR_INFO("nova: simulated GSP: %s\n", g.error);
  KCPP_EXPECT_EQ(g.booter_loads, 1u);
  KCPP_EXPECT_EQ(g.resumes, 1u);
  KCPP_EXPECT_EQ(g.received, 3u);  // SET_SYSTEM_INFO, SET_REGISTRY, GET_GSP_STATIC_INFO
  KCPP_EXPECT_EQ(st.sequencer.commands, 9u);
  KCPP_EXPECT_EQ(st.sequencer.saved[2], 0x5634u);     // REG_STORE read back what REG_MODIFY made
  KCPP_EXPECT_EQ(st.resources.cmdq().dropped(), 1u);  // the OS_ERROR_LOG before the program
  const auto& info = gpu->static_info();
  KCPP_EXPECT(!__builtin_strcmp(info.name, "NVIDIA simulated GPU"));
  KCPP_EXPECT_EQ(info.vram_size, 24ull << 30);
  KCPP_EXPECT_EQ(info.usable_count, 2u);  // the reserved region is not usable
  KCPP_EXPECT_EQ(info.ignored, 3u);       // past the VRAM, over the first region, over the reserved one
  KCPP_EXPECT_EQ(info.usable_total(), (22ull << 30) + (1 << 20));
  gpu->unbind(sim->bar0(), h.dev());
  KCPP_EXPECT_EQ(gpu->sysmem_flush().registered(sim->bar0()), 0ull);
  // Unloaded: the RPC acknowledged, FWSEC-SB and Booter-unload run, WPR2 gone.
  KCPP_EXPECT_EQ(g.unloads, 1u);
  KCPP_EXPECT_EQ(g.sb_runs, 1u);
  KCPP_EXPECT_EQ(g.booter_unloads, 1u);
  KCPP_EXPECT_EQ(sim->fwsec().gen_bootloader_runs, via_bl ? (frts ? 2u : 1u) : 0u);
  KCPP_EXPECT(sim->fwsec().refused == nullptr);
  KCPP_EXPECT_EQ(sim->regs().get(nova::regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET), 0u);
  KCPP_EXPECT(g.error == nullptr);
  return {};
}

// One probe to FWSEC-FRTS per case (make demo shows the GA102 one).
template <u32 Id, u32 FwsecVersion>
kcpp::Result<void> probe_chip() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  return probe_ok(**h, Id, FwsecVersion);
}

// make demo's rebind: probe, unbind, probe again on the same simulated GA102.
kcpp::Result<void> probe_ga102_rebind() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  const Host& hh = **h;
  Options o;
  o.pci = &*hh.pdev;
  auto sim = KCPP_TRY(nova::sim::make_gpu(0x172, &hh.dev(), o));
  for (u32 round = 1; round <= 2; round++) {
    if (round == 2)
      KCPP_PR_INFO("nova: rebind\n");
    auto gpu = SimGpu::probe(hh.dev(), sim->bar0(), hh.pci());
    KCPP_ASSERT(gpu.is_ok());
    KCPP_EXPECT_EQ(gpu->static_info().name[0], 'N');
    gpu->unbind(sim->bar0(), hh.dev());
    KCPP_EXPECT_EQ(sim->gsp().booter_loads, round);
    KCPP_EXPECT_EQ(sim->gsp().booter_unloads, round);
    KCPP_EXPECT_EQ(sim->regs().get(nova::regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET), 0u);
  }
  KCPP_EXPECT(sim->gsp().error == nullptr);
  return {};
}

kcpp::Result<void> probe_vga_workspace() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  // A valid VGA workspace below the PRAMIN base moves FRTS down; WPR2 follows.
  Options vga;
  vga.vga_valid = true;
  vga.vga_addr = (24ull << 30) - (4 << 20);
  return probe_ok(**h, 0x172, 3, vga);
}

kcpp::Result<void> probe_replays_a_vbios_dump() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  auto rom = KCPP_TRY(kcpp::Firmware::request("nova_sim/vbios-replay.rom", (*h)->dev()));
  Options o;
  o.vbios = rom.data();
  KCPP_TRY(probe_ok(**h, 0x172, 3, o));
  return {};
}

// Probes simulated chip @p id expecting @p want, and checks the flush page was cleared.
// With @p frts_ran, FWSEC-FRTS had created WPR2: the unload firmware must have taken it back.
// @p elapsed_ns, if given, gets the simulated time the probe took.
kcpp::Result<void> probe_fails(const Host& h, u32 id, kcpp::Error want, Options o = {}, bool frts_ran = false,
                               u64* elapsed_ns = nullptr) {
  o.pci = &*h.pdev;
  auto sim = KCPP_TRY(nova::sim::make_gpu(id, &h.dev(), o));
  auto gpu = SimGpu::probe(h.dev(), sim->bar0(), h.pci());
  if (elapsed_ns)
    *elapsed_ns = sim->clock().elapsed_ns();
  KCPP_EXPECT(gpu.is_err());
  if (gpu.is_err())
    KCPP_EXPECT_EQ(gpu.error(), want);
  KCPP_EXPECT_EQ(sim->regs().get(nova::regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::OFFSET), 0u);
  if (frts_ran) {
    KCPP_EXPECT_EQ(sim->gsp().sb_runs, 1u);
    KCPP_EXPECT_EQ(sim->gsp().booter_unloads, 1u);
    KCPP_EXPECT_EQ(sim->regs().get(nova::regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET), 0u);
  }
  return {};
}

kcpp::Result<void> probe_failures_are_clean() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  namespace c = kcpp::code;
  const Host& hh = **h;
  KCPP_TRY(probe_fails(hh, 0x16f, c::ENODEV));  // unknown implementation
  {
    auto nv50 = KCPP_TRY(nova::sim::make_gpu(0x172, &hh.dev()));
    nv50->regs().set(nova::regs::NV_PMC_BOOT_0::OFFSET, 0x050000a1);  // pre-Fermi
    KCPP_EXPECT_EQ(SimGpu::probe(hh.dev(), nv50->bar0(), hh.pci()).error(), c::ENODEV);
  }
  KCPP_TRY(probe_fails(hh, 0x180, c::ENOTSUPP));  // GH100: boots through FSP
  Options o;
  o.fwsec_mbox0 = 0x42;
  KCPP_TRY(probe_fails(hh, 0x172, c::EIO, o, true));  // FWSEC error in MAILBOX0
  KCPP_TRY(probe_fails(hh, 0x162, c::EIO, o, true));  // ...through the generic bootloader
  o = {};
  o.frts_err = 0x3;
  KCPP_TRY(probe_fails(hh, 0x192, c::EIO, o, true));  // FRTS error code
  o = {};
  o.wpr2_exists = true;
  KCPP_TRY(probe_fails(hh, 0x172, c::EBUSY, o));  // WPR2 from an earlier boot
  o = {};
  o.wpr2_skew = 1 << 20;
  KCPP_TRY(probe_fails(hh, 0x162, c::EIO, o, true));  // WPR2 somewhere else
  o = {};
  o.gsp_fuse = 0xf;  // fuse version 4: no such signature
  KCPP_TRY(probe_fails(hh, 0x172, c::EINVAL, o));
  // The broken firmware sets of scripts/nova_sim_firmware.py (CHIP_SETS).
  KCPP_TRY(probe_fails(hh, 0x166, c::ENOENT));  // TU106: no firmware files
  KCPP_TRY(probe_fails(hh, 0x168, c::ENOENT));  // TU116: no generic bootloader
  {
    // TU117: no Booter-unload. Nothing may run that could not be taken back: FWSEC never ran.
    // Every other file is there, so the ENOENT is Booter-unload's.
    for (const char* f : {"gsp-570.144.bin", "bootloader-570.144.bin", "booter_load-570.144.bin",
                          "gen_bootloader-570.144.bin", "booter_unload-570.144.bin"}) {
      char path[64];
      snprintf(path, sizeof(path), "nvidia/tu117/gsp/%s", f);
      KCPP_EXPECT_EQ(kcpp::Firmware::request_nowarn(path, hh.dev()).is_ok(),
                     __builtin_strcmp(f, "booter_unload-570.144.bin") != 0);
    }
    Options no_unload;
    no_unload.pci = &*hh.pdev;
    auto sim = KCPP_TRY(nova::sim::make_gpu(0x167, &hh.dev(), no_unload));
    KCPP_EXPECT_EQ(SimGpu::probe(hh.dev(), sim->bar0(), hh.pci()).error(), c::ENOENT);
    KCPP_EXPECT(!sim->fwsec().ran);
    KCPP_EXPECT_EQ(sim->gsp().booter_loads, 0u);
    KCPP_EXPECT_EQ(sim->regs().get(nova::regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::OFFSET), 0u);
  }
  KCPP_TRY(probe_fails(hh, 0x176, c::EINVAL));  // GA106: truncated GSP ELF
  KCPP_TRY(probe_fails(hh, 0x177, c::EINVAL));  // GA107: gsp.tlv names "../gsp.bin"
  KCPP_TRY(probe_fails(hh, 0x194, c::EINVAL));  // AD104: bootloader with a bad magic
  KCPP_TRY(probe_fails(hh, 0x196, c::EINVAL));  // AD106: gsp.tlv's SIZE is not gsp.bin's
  KCPP_TRY(probe_fails(hh, 0x197, c::EINVAL));  // AD107: gsp.tlv without VERS
  // A corrupted VBIOS (the truncated dump).
  auto rom = KCPP_TRY(kcpp::Firmware::request("nova_sim/vbios-short.rom", hh.dev()));
  o = {};
  o.vbios = rom.data();
  KCPP_TRY(probe_fails(hh, 0x172, c::EINVAL, o));
  return {};
}

// Whether a failure that waited out @p timeouts_us (the documented deadlines,
// summed) came when it should in simulated time: not before, and not later
// than the other waits and the last poll interval explain (SIM_SLACK_NS).
constexpr u64 SIM_SLACK_NS = 50'000'000;
bool timed_out_at(u64 elapsed_ns, u64 timeouts_us) {
  const bool ok = elapsed_ns >= timeouts_us * 1000 && elapsed_ns < timeouts_us * 1000 + SIM_SLACK_NS;
  if (!ok)
    KCPP_PR_INFO("nova: timed out at %llu ns of simulated time, want %llu us (+%llu ns)\n",
                 static_cast<unsigned long long>(elapsed_ns), static_cast<unsigned long long>(timeouts_us),
                 static_cast<unsigned long long>(SIM_SLACK_NS));
  return ok;
}

// The probe's timeouts run on the simulated GPU's clock: no real time passes,
// and each failure comes at its documented deadline of simulated time.
kcpp::Result<void> probe_timeouts() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  Options o;
  o.gfw_polls = -1;  // GFW never completes: 4 s
  u64 elapsed = 0;
  KCPP_TRY(probe_fails(**h, 0x172, kcpp::code::ETIMEDOUT, o, false, &elapsed));
  KCPP_EXPECT(timed_out_at(elapsed, nova::gfw::TIMEOUT_US));
  {
    // FWSEC never halts (2 s), nor FWSEC-SB after it: a falcon that did not stop may still
    // read what it was given, so the boot's memory is abandoned and the flush page kept.
    o = {};
    o.falcon_hangs = true;
    o.pci = &*(*h)->pdev;
    auto sim = KCPP_TRY(nova::sim::make_gpu(0x162, &(*h)->dev(), o));
    kcpp_fault_arm(true);
    const long live = kcpp_fault_live_allocations();
    KCPP_EXPECT_EQ(SimGpu::probe((*h)->dev(), sim->bar0(), (*h)->pci()).error(), kcpp::code::ETIMEDOUT);
    KCPP_EXPECT(timed_out_at(sim->clock().elapsed_ns(), 2 * nova::falcon::HALT_US));
    KCPP_EXPECT(kcpp_fault_live_allocations() > live);
    kcpp_fault_arm(false);
    KCPP_EXPECT_NE(sim->regs().get(nova::regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::OFFSET), 0u);
  }
  return {};
}

kcpp::Result<void> probe_allocation_failures() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());  // make check's machine has pci-testdev: no skip
  const Host& hh = **h;
  // The simulated GPU is built before the sweep: only the driver's allocations fail.
  // The driver's objects are in kcpp memory (kmalloc, vmalloc, DMA), so the
  // shim's count of live allocations is the leak check.
  // TU102 (.bin, generic bootloader), TU104 (TLV), GA100 (no FRTS), GA102 (DMA).
  for (u32 id : {0x162u, 0x164u, 0x170u, 0x172u}) {
    Options o;
    o.pci = &*hh.pdev;
    auto sim = KCPP_TRY(nova::sim::make_gpu(id, &hh.dev(), o));
    char what[32];
    snprintf(what, sizeof(what), "nova probe+unbind (%s)", KCPP_TRY(nova::Chipset::from_id(id)).name());
    long points = KCPP_TRY(kcpp_test::fault_sweep(
        [&]() -> kcpp::Result<void> {
          // One simulated GPU throughout: each failed probe must leave it as it found it
          // (WPR2 taken back), or the next run fails with EBUSY.
          auto gpu = KCPP_TRY(SimGpu::probe(hh.dev(), sim->bar0(), hh.pci()));
          gpu.unbind(sim->bar0(), hh.dev());
          return {};
        },
        what));
    KCPP_EXPECT(points >= 8);
  }
  return {};
}

// Probes with the simulated GSP misbehaving as @p fault: @p want, WPR2 taken
// back by the unload firmware, the flush page cleared.
kcpp::Result<void> gsp_fails(const Host& h, u32 id, nova::sim::Fault fault, kcpp::Error want,
                             u64* elapsed_ns = nullptr) {
  Options o;
  o.fault = fault;
  return probe_fails(h, id, want, o, true, elapsed_ns);
}

kcpp::Result<void> gsp_failures_are_clean() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());
  using F = nova::sim::Fault;
  namespace c = kcpp::code;
  const Host& hh = **h;
  KCPP_TRY(gsp_fails(hh, 0x172, F::BooterMailbox, c::ENODEV));
  KCPP_TRY(gsp_fails(hh, 0x162, F::BadChecksum, c::EIO));
  KCPP_TRY(gsp_fails(hh, 0x172, F::BadVersion, c::EIO));
  KCPP_TRY(gsp_fails(hh, 0x192, F::BadSignature, c::EIO));
  KCPP_TRY(gsp_fails(hh, 0x172, F::ElemCountPastRing, c::EIO));
  KCPP_TRY(gsp_fails(hh, 0x164, F::SeqOverrun, c::EINVAL));
  KCPP_TRY(gsp_fails(hh, 0x172, F::SeqUnknownOpcode, c::EINVAL));
  KCPP_TRY(gsp_fails(hh, 0x173, F::SeqOutsideBar0, c::EINVAL));
  u64 elapsed = 0;
  KCPP_TRY(gsp_fails(hh, 0x172, F::SeqPollTimeout, c::ETIMEDOUT, &elapsed));  // its own 100 ms
  KCPP_EXPECT(timed_out_at(elapsed, 100000));
  {
    // GA100: a Booter that leaves no WPR2 is an error (EIO), and FWSEC-SB still runs.
    Options o;
    o.fault = F::BooterNoWpr2;
    o.pci = &*hh.pdev;
    auto sim = KCPP_TRY(nova::sim::make_gpu(0x170, &hh.dev(), o));
    KCPP_EXPECT_EQ(SimGpu::probe(hh.dev(), sim->bar0(), hh.pci()).error(), c::EIO);
    KCPP_EXPECT_EQ(sim->gsp().sb_runs, 1u);
    KCPP_EXPECT_EQ(sim->regs().get(nova::regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::OFFSET), 0u);
  }
  return {};
}

// The waits that end in a timeout: the GSP's core, the sequencer program,
// GSP_INIT_DONE (5 s each); a missing static info is a warning only, a
// missing suspend acknowledgement an error at unbind that still unloads.
kcpp::Result<void> gsp_timeouts() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());
  using F = nova::sim::Fault;
  const Host& hh = **h;
  u64 elapsed = 0;
  KCPP_TRY(gsp_fails(hh, 0x162, F::RiscvNeverActive, kcpp::code::ETIMEDOUT, &elapsed));
  KCPP_EXPECT(timed_out_at(elapsed, nova::gsp::RISCV_ACTIVE_US));
  KCPP_TRY(gsp_fails(hh, 0x172, F::NoSequencer, kcpp::code::ETIMEDOUT, &elapsed));
  KCPP_EXPECT(timed_out_at(elapsed, nova::gsp::RECEIVE_TIMEOUT_US));
  KCPP_TRY(gsp_fails(hh, 0x192, F::NoInitDone, kcpp::code::ETIMEDOUT, &elapsed));
  KCPP_EXPECT(timed_out_at(elapsed, nova::gsp::RECEIVE_TIMEOUT_US));
  // A GSP that stops reading its queue after the boot: no static info (5 s) and no shutdown
  // reply (5 s), and the unload firmware still takes the GPU back.
  for (F f : {F::NoStaticInfo, F::NoSuspendAck, F::QueueStalled}) {
    Options o;
    o.fault = f;
    o.pci = &*hh.pdev;
    auto sim = KCPP_TRY(nova::sim::make_gpu(0x172, &hh.dev(), o));
    auto gpu = SimGpu::probe(hh.dev(), sim->bar0(), hh.pci());
    KCPP_ASSERT(gpu.is_ok());
    KCPP_EXPECT_EQ(gpu->static_info().name[0], f == F::NoSuspendAck ? 'N' : '\0');
    const u64 probed = sim->clock().elapsed_ns();
    gpu->unbind(sim->bar0(), hh.dev());
    const u64 unbound = sim->clock().elapsed_ns() - probed;
    // No static info: the probe waited one receive out. A stalled queue: that, and the
    // shutdown reply at unbind. No suspend acknowledgement: its own wait at unbind.
    KCPP_EXPECT(timed_out_at(probed, f == F::NoSuspendAck ? 0 : nova::gsp::RECEIVE_TIMEOUT_US));
    KCPP_EXPECT(timed_out_at(unbound, f == F::NoStaticInfo   ? 0
                                      : f == F::NoSuspendAck ? nova::gsp::SUSPEND_ACK_US
                                                             : nova::gsp::RECEIVE_TIMEOUT_US));
    KCPP_EXPECT_EQ(sim->regs().get(nova::regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET), 0u);
    KCPP_EXPECT_EQ(sim->gsp().booter_unloads, 1u);
    KCPP_EXPECT(sim->gsp().error == nullptr);
  }
  return {};
}

// Booter-unload fails, after a failed boot (a corrupted GSP message) or at unbind: the
// GSP or SEC2 may still reach the memory they were given, so none of it is freed. The
// GPU, its WPR2 still set, refuses the next probe with EBUSY until it is reset.
kcpp::Result<void> gsp_unload_failure_keeps_memory() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());
  using F = nova::sim::Fault;
  const Host& hh = **h;
  struct Case {
    u32 chip;
    F fault;
    long kept;
  };
  // Everything the GPU was given: the six buffers of gsp::Resources, the two unload images
  // (on Turing and GA100 also FWSEC-SB's bootloader copy) and the flush page. At unbind also
  // the boot state holding them and the box the flush page is abandoned in; after a failed
  // boot the WPR meta, the GSP image's four (its copy, SG table, page tables, signatures), the
  // bootloader, and the slot taken before FWSEC ran, that they are abandoned in.
  const Case cases[] = {
      {0x172, F::BadChecksum, 16}, {0x172, F::None, 11},  // GA102
      {0x162, F::BadChecksum, 17}, {0x162, F::None, 12},  // TU102
      {0x170, F::BadChecksum, 17}, {0x170, F::None, 12},  // GA100
  };
  for (const Case& c : cases) {
    const F f = c.fault;
    Options o;
    o.fault = f;
    o.booter_unload_error = 0x5e;
    o.pci = &*hh.pdev;
    auto sim = KCPP_TRY(nova::sim::make_gpu(c.chip, &hh.dev(), o));
    kcpp_fault_arm(true);  // counts the driver's live allocations, fails none
    const long live = kcpp_fault_live_allocations();
    {
      auto gpu = SimGpu::probe(hh.dev(), sim->bar0(), hh.pci());
      KCPP_EXPECT_EQ(gpu.is_ok(), f == F::None);
      if (gpu.is_err())
        KCPP_EXPECT_EQ(gpu.error(), kcpp::code::EIO);
      else
        gpu->unbind(sim->bar0(), hh.dev());
    }
    const long kept = kcpp_fault_live_allocations() - live;
    kcpp_fault_arm(false);
    KCPP_EXPECT_EQ(kept, c.kept);
    KCPP_EXPECT_EQ(sim->gsp().booter_unloads, 1u);
    KCPP_EXPECT_NE(sim->regs().get(nova::regs::NV_PFB_PRI_MMU_WPR2_ADDR_HI::OFFSET), 0u);
    // The flush page stays registered: the GPU may still flush into it.
    const u32 flush = sim->regs().get(nova::regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::OFFSET);
    KCPP_EXPECT_NE(flush, 0u);
    // The next probe refuses the GPU before it touches it: the abandoned page stays registered.
    KCPP_EXPECT_EQ(SimGpu::probe(hh.dev(), sim->bar0(), hh.pci()).error(), kcpp::code::EBUSY);
    KCPP_EXPECT_EQ(sim->regs().get(nova::regs::NV_PFB_NISO_FLUSH_SYSMEM_ADDR::OFFSET), flush);
    KCPP_PR_INFO("nova: Booter-unload failing on %#x (%s): %ld allocations kept\n", c.chip,
                 f == F::None ? "unbind" : "failed boot", kept);
  }
  return {};
}

// Bind, probe, unbind, 100 times on one simulated GPU: each unload leaves it
// as the next probe needs it (no WPR2), and nothing is left allocated.
kcpp::Result<void> hundred_rebinds() {
  auto h = host();
  KCPP_ASSERT(h.is_ok());
  const Host& hh = **h;
  for (u32 id : {0x162u, 0x172u}) {
    Options o;
    o.pci = &*hh.pdev;
    auto sim = KCPP_TRY(nova::sim::make_gpu(id, &hh.dev(), o));
    kcpp_fault_arm(true);  // counts the driver's live allocations, fails none
    const long live = kcpp_fault_live_allocations();
    int ok = 0;
    for (int i = 0; i < 100; i++) {
      auto gpu = SimGpu::probe(hh.dev(), sim->bar0(), hh.pci());
      if (gpu.is_err())
        break;
      ok += gpu->static_info().name[0] == 'N';
      gpu->unbind(sim->bar0(), hh.dev());
    }
    KCPP_EXPECT_EQ(kcpp_fault_live_allocations(), live);
    kcpp_fault_arm(false);
    KCPP_EXPECT_EQ(ok, 100);
    KCPP_EXPECT_EQ(sim->gsp().booter_loads, 100u);
    KCPP_EXPECT_EQ(sim->gsp().booter_unloads, 100u);
    KCPP_EXPECT(sim->gsp().error == nullptr);
  }
  return {};
}

// ---------------------------------------------------------------- nova_cmdq

// One direction's ring, in memory: what the GSP and the driver share.
kcpp::Result<kcpp::KVVec<u8>> ring() {
  kcpp::KVVec<u8> r;
  KCPP_TRY(r.resize(nova::gsp::MSGQ_NUM_PAGES * nova::gsp::GSP_PAGE_SIZE, 0, kcpp::GFP_KERNEL));
  return r;
}

kcpp::Result<void> cmdq_ring_arithmetic() {
  using namespace nova::gsp;
  // Modulo 63, not a mask: 60 + 5 is page 2, not page 1 (65 & 63).
  KCPP_EXPECT_EQ(advance(60, 5), 2u);
  KCPP_EXPECT_EQ(advance(62, 1), 0u);
  // One page stays free: an empty ring offers 62, a ring with the writer
  // just behind the reader offers none, and never reports itself empty.
  KCPP_EXPECT_EQ(writable_pages(0, 0), MSGQ_NUM_PAGES - 1);
  KCPP_EXPECT_EQ(writable_pages(10, 11), 0u);
  KCPP_EXPECT_EQ(writable_pages(62, 0), 0u);
  KCPP_EXPECT_EQ(writable_pages(5, 3), MSGQ_NUM_PAGES - 3);
  KCPP_EXPECT_EQ(readable_pages(10, 11), MSGQ_NUM_PAGES - 1);
  KCPP_EXPECT_EQ(readable_pages(7, 7), 0u);
  KCPP_EXPECT_EQ(readable_pages(2, 60), 5u);
  KCPP_EXPECT_EQ(message_pages(0), 1u);
  KCPP_EXPECT_EQ(message_pages(GSP_PAGE_SIZE - sizeof(MsgElementHeader)), 1u);
  KCPP_EXPECT_EQ(message_pages(GSP_PAGE_SIZE - sizeof(MsgElementHeader) + 1), 2u);
  KCPP_EXPECT_EQ(message_pages(62 * GSP_PAGE_SIZE), 0u);  // larger than any ring holds
  // The checksum: byte lanes, folded; what a sender stores makes the sum 0.
  const u8 bytes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  KCPP_EXPECT_EQ(checksum(kcpp::Span<const u8>(bytes)), (0x04030201u ^ 0x08070605u) ^ 9u);
  return {};
}

kcpp::Result<void> cmdq_messages_round_trip_and_wrap() {
  using namespace nova::gsp;
  auto r = KCPP_TRY(ring());
  kcpp::KVVec<u8> payload;
  for (usize i = 0; i < 5000; i++) KCPP_TRY(payload.push(u8(i * 7 + 3), kcpp::GFP_KERNEL));
  // A two-page message at page 0, read back whole.
  const u32 pages = KCPP_TRY(write_message(SpanRing(r.as_span()), 0, 0, 72, 1, 1, payload.as_span()));
  KCPP_EXPECT_EQ(pages, 2u);
  auto m = KCPP_TRY(read_message(SpanRing(r.as_span()), advance(0, pages), 0));
  KCPP_EXPECT_EQ(m.function, 72u);
  KCPP_EXPECT_EQ(m.sequence, 1u);
  KCPP_EXPECT_EQ(m.pages, 2u);
  KCPP_ASSERT_EQ(m.payload.len(), payload.len());
  KCPP_EXPECT(!__builtin_memcmp(m.payload.as_span().data(), payload.as_span().data(), payload.len()));
  // Written at the last page, the same message wraps to page 0 and reads back the same.
  auto w = KCPP_TRY(ring());
  const u32 at = MSGQ_NUM_PAGES - 1;
  KCPP_EXPECT_EQ(KCPP_TRY(write_message(SpanRing(w.as_span()), at, at, 73, 2, 9, payload.as_span())), 2u);
  auto wrapped = KCPP_TRY(read_message(SpanRing(w.as_span()), advance(at, 2), at));
  KCPP_EXPECT_EQ(advance(at, 2), 1u);
  KCPP_EXPECT_EQ(wrapped.function, 73u);
  KCPP_EXPECT(!__builtin_memcmp(wrapped.payload.as_span().data(), payload.as_span().data(), payload.len()));
  // Nothing written: nothing to read.
  KCPP_EXPECT_EQ(read_message(SpanRing(w.as_span()), at, at).error(), kcpp::code::EAGAIN);
  return {};
}

kcpp::Result<void> cmdq_full_ring_and_bad_messages() {
  using namespace nova::gsp;
  auto r = KCPP_TRY(ring());
  const u8 small[] = {0xaa, 0xbb};
  // Fill the ring one page at a time: 62 messages fit, the 63rd would make it look empty.
  u32 write = 0;
  for (u32 i = 0; i < MSGQ_NUM_PAGES - 1; i++)
    write = advance(write, KCPP_TRY(write_message(SpanRing(r.as_span()), write, 0, 1, i, i,
                                                  kcpp::Span<const u8>(small))));
  KCPP_EXPECT_EQ(write, MSGQ_NUM_PAGES - 1);
  KCPP_EXPECT_EQ(write_message(SpanRing(r.as_span()), write, 0, 1, 0, 0, kcpp::Span<const u8>(small)).error(),
                 kcpp::code::EAGAIN);
  KCPP_EXPECT_EQ(readable_pages(write, 0), MSGQ_NUM_PAGES - 1);
  // A payload no ring can hold.
  kcpp::KVVec<u8> huge;
  KCPP_TRY(huge.resize(62 * GSP_PAGE_SIZE, 0, kcpp::GFP_KERNEL));
  KCPP_EXPECT_EQ(write_message(SpanRing(r.as_span()), 0, 0, 1, 0, 0, huge.as_span()).error(),
                 kcpp::code::EMSGSIZE);

  auto fresh = [&]() -> kcpp::Result<kcpp::KVVec<u8>> {
    auto f = KCPP_TRY(ring());
    KCPP_TRY(write_message(SpanRing(f.as_span()), 0, 0, 1, 0, 0, kcpp::Span<const u8>(small)));
    return f;
  };
  // One flipped payload bit fails the checksum.
  auto bad = KCPP_TRY(fresh());
  bad[sizeof(MsgElementHeader) + 1] ^= 0x10;
  KCPP_EXPECT_EQ(read_message(SpanRing(bad.as_span()), 1, 0).error(), kcpp::code::EIO);
  // A wrong signature, a page count past the writer, a length the pages cannot hold.
  auto sig = KCPP_TRY(fresh());
  sig[__builtin_offsetof(MsgElementHeader, rpc) + 4] ^= 1;
  KCPP_EXPECT_EQ(read_message(SpanRing(sig.as_span()), 1, 0).error(), kcpp::code::EIO);
  auto count = KCPP_TRY(fresh());
  KCPP_TRY(kcpp::bytes::write(count.as_span(), __builtin_offsetof(MsgElementHeader, elem_count), u32(2)));
  KCPP_EXPECT_EQ(read_message(SpanRing(count.as_span()), 1, 0).error(), kcpp::code::EIO);
  auto len = KCPP_TRY(fresh());
  KCPP_TRY(kcpp::bytes::write(len.as_span(), __builtin_offsetof(MsgElementHeader, rpc) + 8, u32(0x7fffffff)));
  KCPP_EXPECT_EQ(read_message(SpanRing(len.as_span()), 1, 0).error(), kcpp::code::EIO);
  // The intact one reads.
  auto good = KCPP_TRY(fresh());
  KCPP_EXPECT_EQ(KCPP_TRY(read_message(SpanRing(good.as_span()), 1, 0)).payload.len(), 2u);
  return {};
}

// Queue full: a GSP that never reads makes a send retry for its timeout, then EAGAIN.
kcpp::Result<void> cmdq_send_retries_then_eagain() {
  using namespace nova::gsp;
  auto h = host();
  KCPP_ASSERT(h.is_ok());
  auto sim = KCPP_TRY(nova::sim::make_gpu(0x172, &(*h)->dev()));
  auto q = KCPP_TRY(Cmdq::create((*h)->dev()));
  const u8 small[8] = {};
  for (u32 i = 0; i < MSGQ_NUM_PAGES - 1; i++) KCPP_TRY(q.send(sim->bar0(), 1, kcpp::Span<const u8>(small)));
  KCPP_EXPECT_EQ(q.next_sequence(), MSGQ_NUM_PAGES - 1);
  const u64 before = sim->clock().elapsed_ns();
  KCPP_EXPECT_EQ(q.send(sim->bar0(), 1, kcpp::Span<const u8>(small), 20000).error(), kcpp::code::EAGAIN);
  KCPP_EXPECT(timed_out_at(sim->clock().elapsed_ns() - before, 20000));
  // The GSP reads one page: one more fits.
  const u32 gsp_read = 1;
  KCPP_TRY(q.memory().write_from(GSPQ_OFFSET + MSGQ_RX_HEADER_OFFSET, detail::bytes_of(gsp_read)));
  KCPP_TRY(q.send(sim->bar0(), 1, kcpp::Span<const u8>(small), 20000));
  // A read pointer past the ring from the GSP is EIO, not a wild write.
  const u32 bad = 200;
  KCPP_TRY(q.memory().write_from(GSPQ_OFFSET + MSGQ_RX_HEADER_OFFSET, detail::bytes_of(bad)));
  KCPP_EXPECT_EQ(q.send(sim->bar0(), 1, kcpp::Span<const u8>(small), 20000).error(), kcpp::code::EIO);
  return {};
}

// 10,000 randomly corrupted messages from the GSP's side of a real queue:
// lengths, element counts, the write pointer, checksums, sequencer programs
// and static-info replies. Each ends in an error or a clean parse.
kcpp::Result<void> ten_thousand_corrupted_gsp_messages() {
  using namespace nova::gsp;
  auto h = host();
  KCPP_ASSERT(h.is_ok());
  Rng rng{0x6e6f7661};
  int errors = 0, parsed = 0;
  kcpp::KVVec<u8> payload;
  KCPP_TRY(payload.resize(sizeof(GspStaticConfigInfo), 0, kcpp::GFP_KERNEL));
  // One queue throughout: each message goes where the driver's read pointer is, so the
  // ring wraps many times over.
  auto q = KCPP_TRY(Cmdq::create((*h)->dev()));
  const CoherentRing ring(q.memory(), GSPQ_OFFSET + MSGQ_ENTRY_OFFSET);
  kcpp::KVVec<u8> msg;
  KCPP_TRY(msg.resize(sizeof(MsgElementHeader) + sizeof(GspStaticConfigInfo), 0, kcpp::GFP_KERNEL));
  for (int i = 0; i < 10000; i++) {
    const bool seq = rng.next() & 1;
    const u32 fn = seq ? u32(event::GSP_RUN_CPU_SEQUENCER) : u32(function::GET_GSP_STATIC_INFO);
    usize len = seq ? sizeof(RpcRunCpuSequencer) + 4 * (rng.next() % 64) : sizeof(GspStaticConfigInfo);
    for (usize k = 0; k < len; k++) payload[k] = u8(rng.next() % 4 ? 0 : rng.next());
    if (seq) {  // mostly plausible programs: valid opcodes, counts near the buffer
      const u32 words = u32((len - sizeof(RpcRunCpuSequencer)) / 4);
      for (u32 w = 0; w < words; w++)
        KCPP_TRY(kcpp::bytes::write(payload.as_span(), sizeof(RpcRunCpuSequencer) + usize(4) * w,
                                    u32(rng.next() % 10)));
      KCPP_TRY(kcpp::bytes::write(payload.as_span(), 0, u32(words + rng.next() % 3)));
      KCPP_TRY(kcpp::bytes::write(payload.as_span(), 4, u32(words - rng.next() % 4)));
    } else {
      KCPP_TRY(kcpp::bytes::write(payload.as_span(), 344, u32(rng.next() % 20)));
      if (rng.next() % 2)
        __builtin_memset(payload.as_span().data() + 1260, 'N', 64 - (rng.next() % 2));
    }
    u32 at = 0;
    KCPP_TRY(q.memory().read_into(CPUQ_OFFSET + MSGQ_RX_HEADER_OFFSET, detail::bytes_into(at)));
    const u32 pages =
        KCPP_TRY(write_message(ring, at, at, fn, 0, 0, KCPP_TRY(payload.as_span().subspan(0, len))));
    u32 write = advance(at, pages);
    // One corruption: a header byte, a payload byte (either with the checksum then made
    // right again half of the time, so that the checks behind it are reached), or the writer.
    const usize total = sizeof(MsgElementHeader) + len;
    const usize base = usize(at) * GSP_PAGE_SIZE;
    const u64 what = rng.next() % 3;
    bool intact_sum = true;  // false: a bit flipped and the checksum left as it was
    if (what < 2) {
      const auto m = KCPP_TRY(msg.as_span().subspan(0, total));
      KCPP_TRY(detail::ring_read(ring, base, m));
      const usize off =
          what == 0 ? rng.next() % sizeof(MsgElementHeader) : sizeof(MsgElementHeader) + rng.next() % len;
      m[off] ^= u8(1u << (rng.next() % 8));
      // A flip in elem_count or the RPC length changes which bytes are summed; the weak sum
      // may then hold by chance (a length 4 shorter and a dropped word of 4 cancel out).
      const bool resizes = (off >= 0x28 && off < 0x2c) || (off >= 0x38 && off < 0x3c);
      intact_sum = resizes || rng.next() % 2;
      if (intact_sum) {
        KCPP_TRY(kcpp::bytes::write(m, __builtin_offsetof(MsgElementHeader, checksum), u32(0)));
        KCPP_TRY(kcpp::bytes::write(m, __builtin_offsetof(MsgElementHeader, checksum), checksum(m)));
      }
      KCPP_TRY(detail::ring_write(ring, base, m));
    } else {
      write = u32(rng.next() % 256);
    }
    KCPP_TRY(q.memory().write_from(GSPQ_OFFSET + __builtin_offsetof(MsgqTxHeader, write_ptr),
                                   detail::bytes_of(write)));
    auto m = q.receive(1);
    kcpp::Result<void> r = m.is_err() ? kcpp::Result<void>(m.error()) : kcpp::Result<void>();
    if (m.is_ok() && m->function == u32(event::GSP_RUN_CPU_SEQUENCER)) {
      kcpp::KVec<SeqCommand> cmds;
      r = parse_sequencer(m->payload.as_span(), cmds);
    } else if (m.is_ok() && m->function == u32(function::GET_GSP_STATIC_INFO)) {
      auto info = parse_static_info(m->payload.as_span());
      r = info.is_err() ? kcpp::Result<void>(info.error()) : kcpp::Result<void>();
      if (info.is_ok())
        KCPP_EXPECT(info->usable_count <= 16 && __builtin_strlen(info->name) < 64);
    }
    // A message whose checksum no longer holds never gets past the queue.
    if (!intact_sum)
      KCPP_EXPECT(m.is_err() && m.error() == kcpp::code::EIO);
    if (r.is_err()) {
      errors++;
      KCPP_EXPECT(r.error() == kcpp::code::EIO || r.error() == kcpp::code::EINVAL ||
                  r.error() == kcpp::code::ERANGE || r.error() == kcpp::code::ETIMEDOUT);
    } else {
      parsed++;
    }
  }
  KCPP_PR_INFO("nova gsp corruption run: 10000 messages, %d rejected, %d parsed\n", errors, parsed);
  KCPP_EXPECT(errors > 1000 && parsed > 1000);  // both outcomes are exercised
  return {};
}

}  // namespace

KCPP_KUNIT_SUITE(nova_gpu, KCPP_KUNIT_CASE(every_chipset_of_the_table_is_identified),
                 KCPP_KUNIT_CASE(boot0_decodes_as_on_real_hardware),
                 KCPP_KUNIT_CASE(unsupported_gpus_are_refused));
KCPP_KUNIT_SUITE(nova_vbios, KCPP_KUNIT_CASE(synthesized_vbios_parses),
                 KCPP_KUNIT_CASE(replayed_vbios_parses), KCPP_KUNIT_CASE(corrupted_vbios_images_are_refused),
                 KCPP_KUNIT_CASE(ten_thousand_mutated_vbios_images));
KCPP_KUNIT_SUITE(nova_fb, KCPP_KUNIT_CASE(layout_matches_the_worked_example));
KCPP_KUNIT_SUITE(nova_cmdq, KCPP_KUNIT_CASE(cmdq_ring_arithmetic),
                 KCPP_KUNIT_CASE(cmdq_messages_round_trip_and_wrap),
                 KCPP_KUNIT_CASE(cmdq_full_ring_and_bad_messages),
                 KCPP_KUNIT_CASE(cmdq_send_retries_then_eagain),
                 KCPP_KUNIT_CASE(ten_thousand_corrupted_gsp_messages));
KCPP_KUNIT_SUITE(nova_fwsec, KCPP_KUNIT_CASE(signature_choice_and_frts_patch));
KCPP_KUNIT_SUITE(nova_firmware, KCPP_KUNIT_CASE(elf_sections_are_found_and_checked),
                 KCPP_KUNIT_CASE(booter_load_plan_and_signature), KCPP_KUNIT_CASE(tlv_containers_are_checked),
                 KCPP_KUNIT_CASE(generic_bootloader_files), KCPP_KUNIT_CASE(tlv_and_bin_files_agree),
                 KCPP_KUNIT_CASE(turing_fwsec_needs_the_bootloader),
                 KCPP_KUNIT_CASE(fwsec_bootloader_collisions));
// TU104, GA103 and AD103 load the TLV files, the others the 570.144 .bin files.
KCPP_KUNIT_SUITE(nova_probe, KCPP_KUNIT_CASE_NAMED((probe_chip<0x162, 2>), "probe_tu102"),
                 KCPP_KUNIT_CASE_NAMED((probe_chip<0x164, 2>), "probe_tu104"),
                 KCPP_KUNIT_CASE_NAMED((probe_chip<0x170, 2>), "probe_ga100"),
                 KCPP_KUNIT_CASE_NAMED((probe_chip<0x172, 3>), "probe_ga102"),
                 KCPP_KUNIT_CASE_NAMED((probe_chip<0x173, 3>), "probe_ga103"),
                 KCPP_KUNIT_CASE_NAMED((probe_chip<0x174, 3>), "probe_ga104"),
                 KCPP_KUNIT_CASE_NAMED((probe_chip<0x192, 3>), "probe_ad102"),
                 KCPP_KUNIT_CASE_NAMED((probe_chip<0x193, 3>), "probe_ad103"),
                 KCPP_KUNIT_CASE(probe_ga102_rebind), KCPP_KUNIT_CASE(probe_vga_workspace),
                 KCPP_KUNIT_CASE(probe_replays_a_vbios_dump), KCPP_KUNIT_CASE(probe_failures_are_clean),
                 KCPP_KUNIT_CASE(probe_timeouts), KCPP_KUNIT_CASE(probe_allocation_failures));
KCPP_KUNIT_SUITE(nova_gsp, KCPP_KUNIT_CASE(gsp_failures_are_clean), KCPP_KUNIT_CASE(gsp_timeouts),
                 KCPP_KUNIT_CASE(gsp_unload_failure_keeps_memory), KCPP_KUNIT_CASE(hundred_rebinds));

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firmware files nova-core loads for every chipset it boots through
 * SEC2 (Turing, Ampere, Ada): gsp, the GSP bootloader, booter_load,
 * booter_unload, and on Turing and GA100 the generic bootloader
 * (fwsec/bootloader.h). Each comes in one of two forms, looked for in this
 * order:
 *  - nvidia/<chip>/gsp/<name>.tlv, the TLV container of upstream 7.3
 *    (firmware/tlv.h; the GSP bootloader is gsp_bootloader.tlv there);
 *  - nvidia/<chip>/gsp/<name>-570.144.bin, the 570.144 release's files.
 * The MODULE_FIRMWARE list names both, built at compile time from the
 * chipset table so that initramfs tools pick up every file. Hopper and
 * Blackwell boot differently and load none of these.
 *
 * The formats, each parsed with every offset checked (EINVAL or ERANGE
 * with a message on a malformed file):
 *  - gsp: an ELF64 file whose `.fwimage` section is the GSP image and the
 *    `.fwsignature_<family>` section of the chip family its signatures; or
 *    gsp.tlv, whose FILE names the image beside it (SIZE bytes) and whose
 *    SIGN holds the signatures. The image is mapped for the GPU
 *    (scatter-gather) and its size shapes the framebuffer layout.
 *  - the GSP bootloader: a BinHdr container (magic 0x10de) with a RISC-V
 *    ucode descriptor and the bootloader as payload, or its TLV form (BLOB
 *    and the descriptor's offsets as tags); copied to DMA memory.
 *  - booter_load, booter_unload: a BinHdr container with an HS header, a
 *    load header (OS code and data, applications), signature parameters
 *    and signatures, or the TLV form with the same facts as tags; the
 *    signature matching the SEC2 fuse version is patched in.
 */
#ifndef NOVA_CORE_FIRMWARE_H
#define NOVA_CORE_FIRMWARE_H

#include <kcpp/alloc/kvec.h>
#include <kcpp/core/bytes.h>
#include <kcpp/core/types.h>
#include <kcpp/dma.h>
#include <kcpp/firmware.h>
#include <kcpp/print.h>

#include "chipset.h"
#include "falcon.h"
#include "firmware/tlv.h"

namespace nova::firmware {

using kcpp::u16;
using kcpp::u64;
using kcpp::usize;

/** The GSP firmware release nova-core speaks (the suffix of the .bin files). */
inline constexpr const char VERSION[] = "570.144";

/**
 * A firmware file under its two names: the TLV container's and the 570.144 .bin file's.
 *
 * @code{.cpp}
 * // The GSP bootloader is the one file renamed in the TLV layout.
 * KCPP_ASSERT_EQ(__builtin_strcmp(nova::firmware::GSP_BOOTLOADER.tlv, "gsp_bootloader"), 0);
 * KCPP_ASSERT_EQ(__builtin_strcmp(nova::firmware::GSP_BOOTLOADER.bin, "bootloader"), 0);
 * @endcode
 */
struct FileName {
  const char* tlv;  ///< `nvidia/<chip>/gsp/<tlv>.tlv`
  const char* bin;  ///< `nvidia/<chip>/gsp/<bin>-570.144.bin`
};
/** The GSP firmware (its TLV names the image file beside it, GSP_IMAGE). */
inline constexpr FileName GSP{"gsp", "gsp"};
/** The GSP's RISC-V bootloader. */
inline constexpr FileName GSP_BOOTLOADER{"gsp_bootloader", "bootloader"};
/** Booter-load, run on SEC2 to start the GSP firmware. */
inline constexpr FileName BOOTER_LOAD{"booter_load", "booter_load"};
/** Booter-unload, run on SEC2 at unbind. */
inline constexpr FileName BOOTER_UNLOAD{"booter_unload", "booter_unload"};
/** The generic falcon bootloader that loads FWSEC on Turing and GA100. */
inline constexpr FileName GEN_BOOTLOADER{"gen_bootloader", "gen_bootloader"};
/** The files every SEC2-booted chipset loads. */
inline constexpr FileName FILES[] = {GSP, GSP_BOOTLOADER, BOOTER_LOAD, BOOTER_UNLOAD};
/** The GSP image the TLV files nova-core knows name (gsp.tlv's FILE), listed for initramfs tools. */
inline constexpr const char GSP_IMAGE[] = "gsp.bin";

/// @cond KCPP_INTERNAL
namespace detail {
constexpr usize length(const char* s) {
  usize n = 0;
  while (s[n]) n++;
  return n;
}
constexpr void append(char* out, usize& at, const char* s) {
  for (usize i = 0; s[i]; i++) out[at++] = s[i];
}
// Calls f(name, bin) for every file of chipset c: (name, false) for <name>.tlv or a plain name,
// (name, true) for <name>-570.144.bin.
template <typename F>
constexpr void for_each_file(const ChipsetInfo& c, F&& f) {
  if (!c.boots_through_sec2())
    return;
  for (const FileName& n : FILES) {
    f(n.tlv, ".tlv");
    f(n.bin, "bin");
  }
  if (c.needs_fwsec_bootloader()) {
    f(GEN_BOOTLOADER.tlv, ".tlv");
    f(GEN_BOOTLOADER.bin, "bin");
  }
  f(GSP_IMAGE, "");
}
constexpr usize modinfo_length() {
  usize n = 0;
  for (const ChipsetInfo& c : CHIPSETS)
    for_each_file(c, [&](const char* name, const char* kind) {
      n += length("firmware=nvidia/") + length(c.lower) + length("/gsp/") + length(name) + 1;
      n += kind[0] == '.' ? length(kind) : kind[0] ? 1 + length(VERSION) + length(".bin") : 0;
    });
  return n;
}
}  // namespace detail
/// @endcond

/** The `.modinfo` entries: NUL-separated `firmware=` strings. */
struct ModInfo {
  /** One `firmware=nvidia/<chip>/gsp/<file>` string per file nova-core may request, each ended by a NUL. */
  char data[detail::modinfo_length()];
};

/**
 * Builds the MODULE_FIRMWARE entries of every chipset: each file under
 * both its names (nova-core takes the TLV one if it is there), and the
 * GSP image a gsp.tlv names.
 *
 * @code{.cpp}
 * static constexpr nova::firmware::ModInfo m = nova::firmware::modinfo();
 * auto has = [&](const char* entry) {  // a whole entry, NUL included, at an entry's start
 *   const kcpp::usize n = __builtin_strlen(entry) + 1;
 *   for (kcpp::usize at = 0; at + n <= sizeof(m.data); at += __builtin_strlen(m.data + at) + 1)
 *     if (!__builtin_memcmp(m.data + at, entry, n))
 *       return true;
 *   return false;
 * };
 * KCPP_ASSERT(has("firmware=nvidia/ga100/gsp/gen_bootloader.tlv"));
 * KCPP_ASSERT(has("firmware=nvidia/tu102/gsp/gen_bootloader-570.144.bin"));
 * KCPP_ASSERT(has("firmware=nvidia/ad107/gsp/gsp_bootloader.tlv"));
 * KCPP_ASSERT(has("firmware=nvidia/ad107/gsp/bootloader-570.144.bin"));
 * KCPP_ASSERT(!has("firmware=nvidia/ga102/gsp/gen_bootloader.tlv"));  // GA102 DMAs FWSEC in
 * KCPP_ASSERT(!has("firmware=nvidia/gh100/gsp/gsp.tlv"));             // Hopper boots through FSP
 * @endcode
 */
consteval ModInfo modinfo() {
  ModInfo m{};
  usize at = 0;
  for (const ChipsetInfo& c : CHIPSETS) {
    detail::for_each_file(c, [&](const char* name, const char* kind) {
      detail::append(m.data, at, "firmware=nvidia/");
      detail::append(m.data, at, c.lower);
      detail::append(m.data, at, "/gsp/");
      detail::append(m.data, at, name);
      if (kind[0] == '.') {
        detail::append(m.data, at, kind);
      } else if (kind[0]) {
        detail::append(m.data, at, "-");
        detail::append(m.data, at, VERSION);
        detail::append(m.data, at, ".bin");
      }
      m.data[at++] = '\0';
    });
  }
  return m;
}

using kcpp::Result;
using kcpp::Span;
using kcpp::u8;
namespace code = kcpp::code;

/** A firmware file as found. */
struct File {
  kcpp::Firmware fw;  ///< its bytes
  bool tlv;           ///< the TLV container (else the 570.144 .bin file)
};

/**
 * Requests @p chipset's file @p name: `nvidia/<chip>/gsp/<tlv>.tlv` if it
 * exists, else `nvidia/<chip>/gsp/<bin>-570.144.bin` (logged if neither).
 */
[[gnu::noinline]] inline Result<File> request(const kcpp::Device<>& dev, Chipset chipset, FileName name) {
  char path[80];
  snprintf(path, sizeof(path), "nvidia/%s/gsp/%s.tlv", chipset.firmware_dir(), name.tlv);
  auto tlv = kcpp::Firmware::request_nowarn(path, dev);
  if (tlv.is_ok())
    return File{std::move(*tlv), true};
  // Absent (ENOENT, or EAGAIN where a user-space fallback loader gave up): try the .bin.
  if (tlv.error() == code::ENOMEM) {
    KCPP_DEV_ERR(dev, "cannot load %s (%d)\n", path, tlv.error().to_errno());
    return tlv.error();
  }
  snprintf(path, sizeof(path), "nvidia/%s/gsp/%s-%s.bin", chipset.firmware_dir(), name.bin, VERSION);
  auto fw = kcpp::Firmware::request(path, dev);
  if (fw.is_err()) {
    KCPP_DEV_ERR(dev, "cannot load %s.tlv or %s (%d)\n", name.tlv, path, fw.error().to_errno());
    return fw.error();
  }
  return File{std::move(*fw), false};
}

/**
 * A TLV file's VERS, for the log (at most 31 characters; "?" if it is not printable).
 *
 * @code{.cpp}
 * const kcpp::u8 file[] = {'N', 'V', 'F', 'W', 'V', 'E', 'R', 'S', 2, 0, 0, 0, '7', '3', 0, 0};
 * const auto tlv = KCPP_TRY(nova::firmware::Tlv::parse(kcpp::Span<const kcpp::u8>(file)));
 * KCPP_ASSERT_EQ(__builtin_strcmp(nova::firmware::TlvVersion::of(tlv).text, "73"), 0);
 * @endcode
 */
struct TlvVersion {
  char text[32];  ///< NUL-terminated
  /** The version of @p tlv. */
  static TlvVersion of(const Tlv& tlv) {
    TlvVersion v{};
    const auto s = tlv.string(TlvTag("VERS"));
    const usize n = s.is_ok() ? (s->size() < sizeof(v.text) ? s->size() : sizeof(v.text) - 1) : 0;
    if (s.is_ok())
      __builtin_memcpy(v.text, s->data(), n);
    else
      v.text[0] = '?';
    return v;
  }
};

/** The ELF64 file header (the fields nova-core reads; the rest is reserved here). */
struct Elf64Header {
  KCPP_PLAIN_BYTES;
  u8 ident[16];   ///< 0x00: 7f 'E' 'L' 'F', class, data, version, ABI, padding
  u16 type;       ///< 0x10
  u16 machine;    ///< 0x12
  u32 version;    ///< 0x14
  u64 entry;      ///< 0x18
  u64 phoff;      ///< 0x20
  u64 shoff;      ///< 0x28: the section header table
  u32 flags;      ///< 0x30
  u16 ehsize;     ///< 0x34
  u16 phentsize;  ///< 0x36
  u16 phnum;      ///< 0x38
  u16 shentsize;  ///< 0x3a: the stride of the section headers
  u16 shnum;      ///< 0x3c
  u16 shstrndx;   ///< 0x3e: the section of the section names
};
static_assert(sizeof(Elf64Header) == 64);
static_assert(__builtin_offsetof(Elf64Header, shoff) == 0x28 &&
              __builtin_offsetof(Elf64Header, shentsize) == 0x3a &&
              __builtin_offsetof(Elf64Header, shnum) == 0x3c &&
              __builtin_offsetof(Elf64Header, shstrndx) == 0x3e);

/** An ELF64 section header. */
struct Elf64SectionHeader {
  KCPP_PLAIN_BYTES;
  u32 name;       ///< 0x00: in the section-name table
  u32 type;       ///< 0x04
  u64 flags;      ///< 0x08
  u64 addr;       ///< 0x10
  u64 offset;     ///< 0x18: in the file
  u64 size;       ///< 0x20
  u32 link;       ///< 0x28
  u32 info;       ///< 0x2c
  u64 addralign;  ///< 0x30
  u64 entsize;    ///< 0x38
};
static_assert(sizeof(Elf64SectionHeader) == 64);
static_assert(__builtin_offsetof(Elf64SectionHeader, offset) == 0x18 &&
              __builtin_offsetof(Elf64SectionHeader, size) == 0x20);

/** The section @p name of the ELF64 file @p elf; ENOENT if absent, EINVAL/ERANGE if malformed. */
inline Result<Span<const u8>> elf64_section(Span<const u8> elf, const char* name) {
  static constexpr u8 magic[] = {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little endian */};
  auto eh = kcpp::bytes::read<Elf64Header>(elf, 0);
  if (eh.is_err())
    return code::EINVAL;
  for (usize i = 0; i < sizeof(magic); i++)
    if (eh->ident[i] != magic[i])
      return code::EINVAL;
  if (eh->shentsize < sizeof(Elf64SectionHeader) || eh->shstrndx >= eh->shnum)
    return code::EINVAL;
  auto header = [&](usize i) -> Result<Elf64SectionHeader> {
    return kcpp::bytes::read<Elf64SectionHeader>(elf,
                                                 KCPP_TRY(kcpp::num::add(eh->shoff, u64(i) * eh->shentsize)));
  };
  auto section = [&](usize i) -> Result<Span<const u8>> {
    const Elf64SectionHeader sh = KCPP_TRY(header(i));
    return elf.subspan(sh.offset, sh.size);
  };
  const Span<const u8> strtab = KCPP_TRY(section(eh->shstrndx));
  const usize want = __builtin_strlen(name);
  for (usize i = 0; i < eh->shnum; i++) {
    auto n = strtab.subspan(KCPP_TRY(header(i)).name, want + 1);
    if (n.is_err())
      continue;
    if (!__builtin_memcmp(n->data(), name, want) && (*n)[want] == 0)
      return section(i);
  }
  return code::ENOENT;
}

/** The header of NVIDIA's firmware containers. */
struct BinHdr {
  KCPP_PLAIN_BYTES;
  u32 bin_magic;      ///< 0x00: MAGIC
  u32 bin_ver;        ///< 0x04
  u32 bin_size;       ///< 0x08
  u32 header_offset;  ///< 0x0c: the ucode's descriptor or header
  u32 data_offset;    ///< 0x10: the payload
  u32 data_size;      ///< 0x14

  /** The value of bin_magic: NVIDIA's PCI vendor id. */
  static constexpr u32 MAGIC = 0x10de;
  /** The header of @p fw; EINVAL for a wrong magic or a payload outside the file. */
  static Result<BinHdr> parse(Span<const u8> fw) {
    auto h = kcpp::bytes::read<BinHdr>(fw, 0);
    if (h.is_err() || h->bin_magic != MAGIC || fw.subspan(h->data_offset, h->data_size).is_err())
      return code::EINVAL;
    return *h;
  }
  /** The payload of @p fw; ERANGE if it does not hold it (parse() checked the file it came from). */
  [[nodiscard]] Result<Span<const u8>> payload(Span<const u8> fw) const {
    return fw.subspan(data_offset, data_size);
  }
};
static_assert(sizeof(BinHdr) == 24);

/** Coherent DMA memory holding @p data, its size rounded up to a page (what the falcons load from). */
inline Result<kcpp::dma::Coherent<u8>> dma_copy(const kcpp::Device<kcpp::device::Bound>& dev,
                                                Span<const u8> data) {
  const usize size = KCPP_TRY(kcpp::num::align_up(data.size() ? data.size() : usize(1), usize(4096)));
  auto dma = KCPP_TRY(kcpp::dma::Coherent<u8>::alloc(dev, size, kcpp::GFP_KERNEL));
  KCPP_TRY(dma.write_from(0, data));
  return dma;
}

/** The signature section of @p chipset's GSP firmware. */
constexpr const char* gsp_signature_section(Chipset c) {
  switch (c.architecture()) {
    case Architecture::Turing:
      return c == Chipset::TU117 || c == Chipset::TU116 ? ".fwsignature_tu11x" : ".fwsignature_tu10x";
    case Architecture::Ampere:
      return c == Chipset::GA100 ? ".fwsignature_tu10x" : ".fwsignature_ga10x";
    default:
      return ".fwsignature_ad10x";
  }
}

/**
 * Where the levels of a radix-3 page table over @p pages GSP pages lie in
 * one allocation, in pages: level 0 (one page), level 1, level 2. Level 2
 * holds the bus address of every firmware page, level 1 that of every
 * level-2 page, level 0 that of every level-1 page; entries are 8 bytes,
 * little endian. The GSP bootloader walks them from level 0 to map the
 * firmware image, which the CPU placed in non-contiguous pages.
 *
 * @code{.cpp}
 * // 0x24000 bytes of firmware: 36 pages, one level-2 page, one level-1 page.
 * constexpr auto l = nova::firmware::Radix3Layout::of(36);
 * static_assert(l.l1_pages == 1 && l.l2_pages == 1 && l.total_pages() == 3);
 * // 30 MiB: 7680 pages need 15 level-2 pages, still one level-1 page.
 * static_assert(nova::firmware::Radix3Layout::of(7680).l2_pages == 15);
 * static_assert(nova::firmware::Radix3Layout::of(7680).l1_pages == 1);
 * // One more level-2 page than a level-1 page can list needs a second level-1 page.
 * static_assert(nova::firmware::Radix3Layout::of(512 * 512 + 1).l1_pages == 2);
 * @endcode
 */
struct Radix3Layout {
  /** The GSP page: the unit of the image and the size of each table page. */
  static constexpr usize PAGE = 4096;
  /** The entries of one table page. */
  static constexpr usize ENTRIES = PAGE / sizeof(u64);
  u64 fw_pages;  ///< pages of the firmware image
  u64 l2_pages;  ///< pages of level 2 (after level 1)
  u64 l1_pages;  ///< pages of level 1 (after level 0)

  /** The layout over @p pages firmware pages. */
  static constexpr Radix3Layout of(u64 pages) {
    const u64 l2 = (pages + ENTRIES - 1) / ENTRIES;
    return {pages, l2, (l2 + ENTRIES - 1) / ENTRIES};
  }
  /** Pages of the whole table. */
  [[nodiscard]] constexpr u64 total_pages() const { return 1 + l1_pages + l2_pages; }
};

/// @cond KCPP_INTERNAL
namespace detail {
// The page-aligned bus addresses of the pages of a mapping, in order; EINVAL
// for a segment that does not start at a page boundary, or that ends
// before the mapping's end at anything but one.
template <typename Mapping, typename F>
Result<void> for_each_page(const Mapping& m, usize size, F&& f) {
  constexpr usize page = Radix3Layout::PAGE;
  usize seen = 0;
  for (unsigned int i = 0; i < m.segments(); i++) {
    const auto seg = KCPP_TRY(m.segment(i));
    if (seg.addr % page || (seg.len % page && seen + seg.len < size))
      return code::EINVAL;
    for (usize at = 0; at < seg.len; at += page) KCPP_TRY(f(seg.addr + at));
    seen += seg.len;
  }
  return seen >= size ? Result<void>() : Result<void>(code::EINVAL);
}
}  // namespace detail
/// @endcond

/** The GSP firmware: its image mapped for the GPU, and its signatures. */
class GspFirmware {
 public:
  /**
   * Requests @p chipset's gsp file, maps a copy of its `.fwimage` for the
   * GPU and copies its signature section to DMA memory. EINVAL if the file
   * is not an ELF64 file with both sections, non-empty.
   */
  [[gnu::noinline]] static Result<GspFirmware> load(const kcpp::Device<kcpp::device::Bound>& dev,
                                                    Chipset chipset) {
    const File file = KCPP_TRY(request(dev, chipset, GSP));
    kcpp::VVec<u8> copy;
    Span<const u8> sigs;
    if (file.tlv) {
      sigs = KCPP_TRY(tlv_image(dev, chipset, file.fw.data(), copy));
    } else {
      auto image = elf64_section(file.fw.data(), ".fwimage");
      auto section = elf64_section(file.fw.data(), gsp_signature_section(chipset));
      if (image.is_err() || section.is_err() || image->is_empty() || section->is_empty()) {
        KCPP_DEV_ERR(dev, "GSP firmware: not an ELF file with .fwimage and %s\n",
                     gsp_signature_section(chipset));
        return code::EINVAL;
      }
      KCPP_TRY(copy.extend(*image, kcpp::GFP_KERNEL));
      sigs = *section;
    }
    const usize size = copy.len();
    auto mapped =
        KCPP_TRY(kcpp::dma::SgMapping<kcpp::dma::ToDevice>::map(dev, std::move(copy), kcpp::GFP_KERNEL));
    auto radix3 = radix3_tables(dev, mapped, size);
    if (radix3.is_err()) {
      KCPP_DEV_ERR(dev, "GSP firmware: cannot build its page tables (%d)\n", radix3.error().to_errno());
      return radix3.error();
    }
    auto signatures = KCPP_TRY(dma_copy(dev, sigs));
    return GspFirmware(std::move(mapped), std::move(*radix3), std::move(signatures), size);
  }

  /**
   * Whether @p name may name the GSP image beside gsp.tlv: 1 to 47 of
   * [A-Za-z0-9._-], not starting with a dot (no directory, no "..").
   *
   * @code{.cpp}
   * using nova::firmware::GspFirmware;
   * using Name = kcpp::Span<const kcpp::u8>;
   * const kcpp::u8 plain[] = {'g', 's', 'p', '.', 'b', 'i', 'n'};
   * const kcpp::u8 up[] = {'.', '.', '/', 'x'};
   * const kcpp::u8 dir[] = {'a', '/', 'b'};
   * const kcpp::u8 hidden[] = {'.', 'x'};
   * const kcpp::u8 space[] = {'a', ' ', 'b'};
   * KCPP_ASSERT(GspFirmware::valid_image_name(Name(plain)));
   * KCPP_ASSERT(!GspFirmware::valid_image_name(Name(up)));
   * KCPP_ASSERT(!GspFirmware::valid_image_name(Name(dir)));
   * KCPP_ASSERT(!GspFirmware::valid_image_name(Name(hidden)));
   * KCPP_ASSERT(!GspFirmware::valid_image_name(Name(space)));
   * KCPP_ASSERT(!GspFirmware::valid_image_name(Name()));
   * @endcode
   */
  static bool valid_image_name(Span<const u8> name) {
    if (name.is_empty() || name.size() >= 48 || name[0] == '.')
      return false;
    usize plain = 0;
    for (const u8 c : name)
      plain += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-';
    return plain == name.size();
  }

 private:
  // gsp.tlv: the image is the file FILE beside it, SIZE bytes, copied to @p copy; returns SIGN.
  [[gnu::noinline]] static Result<Span<const u8>> tlv_image(const kcpp::Device<kcpp::device::Bound>& dev,
                                                            Chipset chipset, Span<const u8> data,
                                                            kcpp::VVec<u8>& copy) {
    auto tlv = Tlv::parse(data);
    if (tlv.is_err()) {
      KCPP_DEV_ERR(dev, "GSP firmware: malformed TLV container\n");
      return code::EINVAL;
    }
    auto size = tlv->u32_of(TlvTag("SIZE"));
    auto name = tlv->string(TlvTag("FILE"));
    auto sigs = tlv->bytes(TlvTag("SIGN"));
    if (size.is_err() || *size == 0 || name.is_err() || !valid_image_name(*name) || sigs.is_err()) {
      KCPP_DEV_ERR(dev, "GSP firmware: gsp.tlv lacks a valid SIZE, FILE or SIGN\n");
      return code::EINVAL;
    }
    char path[96];
    snprintf(path, sizeof(path), "nvidia/%s/gsp/%.*s", chipset.firmware_dir(), int(name->size()),
             // SAFETY: name is a span of printable bytes (checked above); a char pointer may view them.
             reinterpret_cast<const char*>(name->data()));
    const auto image = kcpp::Firmware::request(path, dev);
    if (image.is_err()) {
      KCPP_DEV_ERR(dev, "cannot load %s (%d)\n", path, image.error().to_errno());
      return image.error();
    }
    if (image->data().size() != *size) {
      KCPP_DEV_ERR(dev, "GSP firmware: %s is %zu bytes, gsp.tlv says %u\n", path, image->data().size(),
                   *size);
      return code::EINVAL;
    }
    KCPP_TRY(copy.extend(image->data(), kcpp::GFP_KERNEL));
    KCPP_DEV_INFO(dev, "GSP firmware %s\n", TlvVersion::of(*tlv).text);
    return *sigs;
  }

 public:
  /**
   * The radix-3 page tables over @p image (@p size bytes) in one coherent
   * allocation laid out as Radix3Layout says; level 0 at its start.
   */
  template <typename Mapping>
  static Result<kcpp::dma::Coherent<u8>> radix3_tables(const kcpp::Device<kcpp::device::Bound>& dev,
                                                       const Mapping& image, usize size) {
    constexpr usize page = Radix3Layout::PAGE;
    const Radix3Layout l = Radix3Layout::of((size + page - 1) / page);
    kcpp::KVVec<u64> t;
    KCPP_TRY(t.resize(l.total_pages() * Radix3Layout::ENTRIES, 0, kcpp::GFP_KERNEL));
    auto tables = KCPP_TRY(kcpp::dma::Coherent<u8>::alloc(dev, t.len() * sizeof(u64), kcpp::GFP_KERNEL));
    const u64 base = tables.dma_handle();
    const usize l1 = Radix3Layout::ENTRIES, l2 = (1 + l.l1_pages) * Radix3Layout::ENTRIES;
    for (u64 i = 0; i < l.l1_pages; i++) t[i] = base + (1 + i) * page;
    for (u64 i = 0; i < l.l2_pages; i++) t[l1 + i] = base + (1 + l.l1_pages + i) * page;
    usize n = 0;
    KCPP_TRY(detail::for_each_page(image, size, [&](u64 addr) -> Result<void> {
      if (n >= l.fw_pages)
        return {};  // a last segment longer than the image (the mapping rounds up)
      t[l2 + n++] = addr;
      return {};
    }));
    // SAFETY: t holds t.len() u64 values; a u8 pointer may view them as bytes.
    const auto bytes = Span<const u8>::unsafe_from_raw(reinterpret_cast<const u8*>(t.as_span().data()),
                                                       t.len() * sizeof(u64));
    KCPP_TRY(tables.write_from(0, bytes));
    return tables;
  }
  /** The size of `.fwimage`. */
  [[nodiscard]] usize size() const { return size_; }
  /** The `.fwimage` section, mapped (scatter-gather) for the GPU to read. */
  [[nodiscard]] const kcpp::dma::SgMapping<kcpp::dma::ToDevice>& image() const { return image_; }
  /** The chip family's `.fwsignature_*` section, in coherent DMA memory. */
  [[nodiscard]] const kcpp::dma::Coherent<u8>& signatures() const { return signatures_; }
  /** The radix-3 page tables over the image (Radix3Layout); their bus address is level 0's. */
  [[nodiscard]] const kcpp::dma::Coherent<u8>& radix3() const { return radix3_; }

 private:
  GspFirmware(kcpp::dma::SgMapping<kcpp::dma::ToDevice> image, kcpp::dma::Coherent<u8> radix3,
              kcpp::dma::Coherent<u8> sigs, usize size)
      : image_(std::move(image)), radix3_(std::move(radix3)), signatures_(std::move(sigs)), size_(size) {}
  kcpp::dma::SgMapping<kcpp::dma::ToDevice> image_;
  kcpp::dma::Coherent<u8> radix3_;
  kcpp::dma::Coherent<u8> signatures_;
  usize size_;
};

/** The descriptor of the GSP bootloader (NVIDIA's RmRiscvUCodeDesc), at the container's header offset. */
struct RiscvUcodeDesc {
  KCPP_PLAIN_BYTES;
  u32 version;                  ///< 0x00
  u32 bootloader_offset;        ///< 0x04
  u32 bootloader_size;          ///< 0x08
  u32 bootloader_param_offset;  ///< 0x0c
  u32 bootloader_param_size;    ///< 0x10
  u32 riscv_elf_offset;         ///< 0x14
  u32 riscv_elf_size;           ///< 0x18
  u32 app_version;              ///< 0x1c
  u32 manifest_offset;          ///< 0x20
  u32 manifest_size;            ///< 0x24
  u32 monitor_data_offset;      ///< 0x28
  u32 monitor_data_size;        ///< 0x2c
  u32 monitor_code_offset;      ///< 0x30
  u32 monitor_code_size;        ///< 0x34
};
static_assert(sizeof(RiscvUcodeDesc) == 56);
static_assert(__builtin_offsetof(RiscvUcodeDesc, app_version) == 0x1c &&
              __builtin_offsetof(RiscvUcodeDesc, manifest_offset) == 0x20 &&
              __builtin_offsetof(RiscvUcodeDesc, monitor_data_offset) == 0x28 &&
              __builtin_offsetof(RiscvUcodeDesc, monitor_code_offset) == 0x30);

/** The GSP bootloader (a RISC-V ucode) and where its parts are. */
class RiscvFirmware {
 public:
  /**
   * Requests @p chipset's bootloader file and copies its payload to DMA
   * memory. EINVAL if the BinHdr or the descriptor is malformed.
   */
  [[gnu::noinline]] static Result<RiscvFirmware> load(const kcpp::Device<kcpp::device::Bound>& dev,
                                                      Chipset chipset) {
    const File file = KCPP_TRY(request(dev, chipset, GSP_BOOTLOADER));
    if (file.tlv) {
      // gsp_bootloader.tlv: the payload is BLOB; the descriptor's fields are tags.
      auto tlv = Tlv::parse(file.fw.data());
      auto blob = tlv.is_ok() ? tlv->bytes(TlvTag("BLOB")) : Result<Span<const u8>>(code::EINVAL);
      auto appv = tlv.is_ok() ? tlv->u32_of(TlvTag("APPV")) : Result<u32>(code::EINVAL);
      auto cdof = tlv.is_ok() ? tlv->u32_of(TlvTag("CDOF")) : Result<u32>(code::EINVAL);
      auto daof = tlv.is_ok() ? tlv->u32_of(TlvTag("DAOF")) : Result<u32>(code::EINVAL);
      auto mfof = tlv.is_ok() ? tlv->u32_of(TlvTag("MFOF")) : Result<u32>(code::EINVAL);
      if (blob.is_err() || appv.is_err() || cdof.is_err() || daof.is_err() || mfof.is_err() ||
          *cdof >= blob->size() || *daof >= blob->size() || *mfof >= blob->size()) {
        KCPP_DEV_ERR(dev, "GSP bootloader: malformed TLV file\n");
        return code::EINVAL;
      }
      return RiscvFirmware(KCPP_TRY(dma_copy(dev, *blob)), *appv, *cdof, *daof, *mfof);
    }
    auto hdr = BinHdr::parse(file.fw.data());
    auto desc = hdr.is_ok() ? kcpp::bytes::read<RiscvUcodeDesc>(file.fw.data(), hdr->header_offset)
                            : Result<RiscvUcodeDesc>(code::EINVAL);
    if (desc.is_err()) {
      KCPP_DEV_ERR(dev, "GSP bootloader: malformed container\n");
      return code::EINVAL;
    }
    return RiscvFirmware(KCPP_TRY(dma_copy(dev, KCPP_TRY(hdr->payload(file.fw.data())))), desc->app_version,
                         desc->monitor_code_offset, desc->monitor_data_offset, desc->manifest_offset);
  }
  /** The bootloader (the container's payload), in coherent DMA memory. */
  [[nodiscard]] const kcpp::dma::Coherent<u8>& ucode() const { return ucode_; }
  /** The DMA object's size (what the framebuffer layout reserves). */
  [[nodiscard]] usize size() const { return ucode_.size(); }
  /** The descriptor's app_version: what the GSP is told it runs (NV_PFALCON_FALCON_OS). */
  [[nodiscard]] u32 app_version() const { return app_version_; }
  /** The offset of the monitor's code in the payload (the descriptor's monitor_code_offset). */
  [[nodiscard]] u32 code_offset() const { return code_offset_; }
  /** The offset of the monitor's data in the payload (the descriptor's monitor_data_offset). */
  [[nodiscard]] u32 data_offset() const { return data_offset_; }
  /** The offset of the manifest in the payload (the descriptor's manifest_offset). */
  [[nodiscard]] u32 manifest_offset() const { return manifest_offset_; }

 private:
  RiscvFirmware(kcpp::dma::Coherent<u8> ucode, u32 app_version, u32 code, u32 data, u32 manifest)
      : ucode_(std::move(ucode)),
        app_version_(app_version),
        code_offset_(code),
        data_offset_(data),
        manifest_offset_(manifest) {}
  kcpp::dma::Coherent<u8> ucode_;
  u32 app_version_, code_offset_, data_offset_, manifest_offset_;
};

/**
 * The header of a heavy-secure (HS) ucode such as Booter, V2, at the
 * container's header offset. The *_offset fields are file offsets; those
 * of patch_loc, patch_sig and num_sig are of a u32 holding the value.
 */
struct HsHeaderV2 {
  KCPP_PLAIN_BYTES;
  u32 sig_prod_offset;   ///< 0x00: the production signatures
  u32 sig_prod_size;     ///< 0x04: all of them
  u32 patch_loc_offset;  ///< 0x08: -> where in the image the signature goes
  u32 patch_sig_offset;  ///< 0x0c: -> the first signature, from sig_prod_offset
  u32 meta_data_offset;  ///< 0x10: the HsSignatureParams
  u32 meta_data_size;    ///< 0x14: sizeof(HsSignatureParams)
  u32 num_sig_offset;    ///< 0x18: -> the number of signatures
  u32 header_offset;     ///< 0x1c: the HsLoadHeaderV2
  u32 header_size;       ///< 0x20
};
static_assert(sizeof(HsHeaderV2) == 36);
static_assert(__builtin_offsetof(HsHeaderV2, num_sig_offset) == 0x18 &&
              __builtin_offsetof(HsHeaderV2, header_offset) == 0x1c);

/** What selects an HS ucode's signature: the fuse version it was signed for and its engine. */
struct HsSignatureParams {
  KCPP_PLAIN_BYTES;
  u32 fuse_ver;        ///< 0x00
  u32 engine_id_mask;  ///< 0x04
  u32 ucode_id;        ///< 0x08
};
static_assert(sizeof(HsSignatureParams) == 12);

/** How an HS ucode loads: the OS code and data, then num_apps HsLoadApp entries. */
struct HsLoadHeaderV2 {
  KCPP_PLAIN_BYTES;
  u32 os_code_offset;  ///< 0x00
  u32 os_code_size;    ///< 0x04
  u32 os_data_offset;  ///< 0x08
  u32 os_data_size;    ///< 0x0c
  u32 num_apps;        ///< 0x10
};
static_assert(sizeof(HsLoadHeaderV2) == 20);
static_assert(__builtin_offsetof(HsLoadHeaderV2, num_apps) == 0x10);

/** One application of an HS ucode, after its HsLoadHeaderV2. */
struct HsLoadApp {
  KCPP_PLAIN_BYTES;
  u32 offset;  ///< 0x00: in the image
  u32 size;    ///< 0x04
};
static_assert(sizeof(HsLoadApp) == 8);

/**
 * What a Booter file says, from either container: its image and where the parts of it are.
 *
 * @code{.cpp}
 * #^ static kcpp::Result<void> tlv_put(kcpp::KVec<kcpp::u8>& f, const char* tag, kcpp::Span<const kcpp::u8> v) {
 * #^   const kcpp::u8 head[] = {kcpp::u8(tag[0]), kcpp::u8(tag[1]), kcpp::u8(tag[2]), kcpp::u8(tag[3]),
 * #^                            kcpp::u8(v.size()), 0, 0, 0};
 * #^   KCPP_TRY(f.extend(kcpp::Span<const kcpp::u8>(head), kcpp::GFP_KERNEL));
 * #^   KCPP_TRY(f.extend(v, kcpp::GFP_KERNEL));
 * #^   for (kcpp::usize i = v.size(); i % 4; i++)
 * #^     KCPP_TRY(f.push(kcpp::u8(0), kcpp::GFP_KERNEL));
 * #^   return {};
 * #^ }
 * #^ static kcpp::Result<void> tlv_word(kcpp::KVec<kcpp::u8>& f, const char* tag, kcpp::u32 x) {
 * #^   const kcpp::u8 le[] = {kcpp::u8(x), kcpp::u8(x >> 8), kcpp::u8(x >> 16), kcpp::u8(x >> 24)};
 * #^   return tlv_put(f, tag, kcpp::Span<const kcpp::u8>(le));
 * #^ }
 * // A Booter TLV with a 64-byte image, its OS data at 32 and two 4-byte signatures.
 * const kcpp::u8 magic[] = {'N', 'V', 'F', 'W'}, vers[] = {'1'}, sigs[] = {1, 1, 1, 1, 2, 2, 2, 2};
 * kcpp::u8 blob[64] = {};
 * kcpp::KVec<kcpp::u8> f;
 * KCPP_TRY(f.extend(kcpp::Span<const kcpp::u8>(magic), kcpp::GFP_KERNEL));
 * KCPP_TRY(tlv_put(f, "VERS", kcpp::Span<const kcpp::u8>(vers)));
 * KCPP_TRY(tlv_put(f, "BLOB", kcpp::Span<const kcpp::u8>(blob)));
 * KCPP_TRY(tlv_word(f, "CDOF", 0));
 * KCPP_TRY(tlv_word(f, "CDSZ", 16));
 * KCPP_TRY(tlv_word(f, "A0CO", 16));
 * KCPP_TRY(tlv_word(f, "A0CS", 16));
 * KCPP_TRY(tlv_word(f, "DAOF", 32));
 * KCPP_TRY(tlv_word(f, "DASZ", 32));
 * KCPP_TRY(tlv_word(f, "PLOC", 40));
 * KCPP_TRY(tlv_word(f, "FUSE", 2));
 * KCPP_TRY(tlv_word(f, "ENID", 1));
 * KCPP_TRY(tlv_word(f, "UCID", 3));
 * KCPP_TRY(tlv_word(f, "NSIG", 2));
 * KCPP_TRY(tlv_put(f, "SIGN", kcpp::Span<const kcpp::u8>(sigs)));
 * const auto tlv = KCPP_TRY(nova::firmware::Tlv::parse(f.as_span()));
 * const auto p = KCPP_TRY(nova::firmware::BooterParts::of_tlv(tlv));
 * KCPP_ASSERT(p.image.size() == 64 && p.os_data_offset == 32 && p.patch_loc == 40);
 * KCPP_ASSERT(p.num_sigs == 2 && p.signatures.size() == 8);
 * // Unsigned is not a Booter: without NSIG the TLV form is refused.
 * const kcpp::u8 bare[] = {'N', 'V', 'F', 'W', 'V', 'E', 'R', 'S', 1, 0, 0, 0, '1', 0, 0, 0};
 * const auto no_sigs = KCPP_TRY(nova::firmware::Tlv::parse(kcpp::Span<const kcpp::u8>(bare)));
 * KCPP_ASSERT_EQ(nova::firmware::BooterParts::of_tlv(no_sigs).error(), kcpp::code::EINVAL);
 * @endcode
 */
struct BooterParts {
  Span<const u8> image;       ///< The ucode, its signature not yet patched in
  u32 os_code_offset;         ///< The non-secure OS code, in the image
  u32 os_code_size;           ///< Its size
  u32 os_data_offset;         ///< The OS data (DMEM), in the image
  u32 os_data_size;           ///< Its size
  u32 app0_offset;            ///< The first (secure) application, in the image
  u32 app0_size;              ///< Its size
  u32 patch_loc;              ///< Where in the image the signature goes
  u32 fuse_ver;               ///< The fuse version the newest signature is for
  u32 engine_id_mask;         ///< The engines the ucode was signed for
  u32 ucode_id;               ///< The ucode's id (selects its fuse register)
  Span<const u8> signatures;  ///< num_sigs signatures of equal size, oldest fuse version last
  u32 num_sigs;               ///< 0: unsigned

  /** The parts of a 570.144 .bin file (BinHdr, HsHeaderV2, HsLoadHeaderV2); EINVAL/ERANGE if malformed. */
  static Result<BooterParts> of_bin(Span<const u8> fw) {
    const BinHdr bin = KCPP_TRY(BinHdr::parse(fw));
    const auto hs = KCPP_TRY(kcpp::bytes::read<HsHeaderV2>(fw, bin.header_offset));
    if (hs.meta_data_size != sizeof(HsSignatureParams))
      return code::EINVAL;
    const auto params = KCPP_TRY(kcpp::bytes::read<HsSignatureParams>(fw, hs.meta_data_offset));
    const auto load = KCPP_TRY(kcpp::bytes::read<HsLoadHeaderV2>(fw, hs.header_offset));
    if (load.num_apps == 0)
      return code::EINVAL;
    const auto app0 = KCPP_TRY(kcpp::bytes::read<HsLoadApp>(fw, hs.header_offset + sizeof(HsLoadHeaderV2)));
    BooterParts p{};
    p.image = KCPP_TRY(bin.payload(fw));
    p.os_code_offset = load.os_code_offset;
    p.os_code_size = load.os_code_size;
    p.os_data_offset = load.os_data_offset;
    p.os_data_size = load.os_data_size;
    p.app0_offset = app0.offset;
    p.app0_size = app0.size;
    p.patch_loc = KCPP_TRY(kcpp::bytes::read<u32>(fw, hs.patch_loc_offset));
    p.fuse_ver = params.fuse_ver;
    p.engine_id_mask = params.engine_id_mask;
    p.ucode_id = params.ucode_id;
    p.num_sigs = KCPP_TRY(kcpp::bytes::read<u32>(fw, hs.num_sig_offset));
    if (p.num_sigs) {
      const u32 sig_start = KCPP_TRY(kcpp::bytes::read<u32>(fw, hs.patch_sig_offset));
      p.signatures = KCPP_TRY(fw.subspan(u64(hs.sig_prod_offset) + sig_start, hs.sig_prod_size));
    }
    return p;
  }

  /** The parts of a TLV file (booter_load.tlv, booter_unload.tlv): always signed; EINVAL if malformed. */
  static Result<BooterParts> of_tlv(const Tlv& t) {
    BooterParts p{};
    p.image = KCPP_TRY(t.bytes(TlvTag("BLOB")));
    p.os_code_offset = KCPP_TRY(t.u32_of(TlvTag("CDOF")));
    p.os_code_size = KCPP_TRY(t.u32_of(TlvTag("CDSZ")));
    p.os_data_offset = KCPP_TRY(t.u32_of(TlvTag("DAOF")));
    p.os_data_size = KCPP_TRY(t.u32_of(TlvTag("DASZ")));
    p.app0_offset = KCPP_TRY(t.u32_of(TlvTag("A0CO")));
    p.app0_size = KCPP_TRY(t.u32_of(TlvTag("A0CS")));
    p.patch_loc = KCPP_TRY(t.u32_of(TlvTag("PLOC")));
    p.fuse_ver = KCPP_TRY(t.u32_of(TlvTag("FUSE")));
    p.engine_id_mask = KCPP_TRY(t.u32_of(TlvTag("ENID")));
    p.ucode_id = KCPP_TRY(t.u32_of(TlvTag("UCID")));
    p.num_sigs = KCPP_TRY(t.signature_count());
    p.signatures = KCPP_TRY(t.bytes(TlvTag("SIGN")));
    return p;
  }
};

/** Booter (load or unload): the SEC2 ucode that starts or stops the GSP firmware, signed, with its load plan. */
class BooterFirmware {
 public:
  /**
   * Requests @p chipset's Booter file @p name (BOOTER_LOAD or
   * BOOTER_UNLOAD, one format) and builds it (build()), with the fuse
   * version read from SEC2 @p sec2 through @p bar.
   */
  template <typename Io>
  static Result<BooterFirmware> load(const kcpp::Device<kcpp::device::Bound>& dev, Chipset chipset,
                                     const falcon::Falcon<falcon::Sec2>& sec2, const Io& bar,
                                     FileName name = BOOTER_LOAD) {
    const File file = KCPP_TRY(request(dev, chipset, name));
    auto r = parse(dev, file.fw.data(), file.tlv, chipset,
                   [&](u16 mask, u8 id) { return sec2.signature_reg_fuse_version(bar, mask, id); });
    if (r.is_err())
      KCPP_DEV_ERR(dev, "Booter: malformed or unsigned for this GPU (%d)\n", r.error().to_errno());
    return r;
  }

  /** Parses a Booter file of either container (@p tlv) and builds it (build()). */
  template <typename FuseVersion>
  static Result<BooterFirmware> parse(const kcpp::Device<kcpp::device::Bound>& dev, Span<const u8> fw,
                                      bool tlv, Chipset chipset, FuseVersion fuse_version) {
    if (tlv)
      return build(dev, KCPP_TRY(BooterParts::of_tlv(KCPP_TRY(Tlv::parse(fw)))), chipset, fuse_version);
    return build(dev, KCPP_TRY(BooterParts::of_bin(fw)), chipset, fuse_version);
  }

  /**
   * Copies @p p's image, patches in the signature for the chip's fuse
   * version (@p fuse_version(engine_id_mask, ucode_id); version 0, as on
   * Turing, takes the last signature, else the one `fuse_ver - version`
   * from the first) and plans the load: DMEM from the OS data; on Turing
   * and GA100 the OS code non-secure and the application secure at its
   * own offset, on GA102 and later only the application, at 0.
   */
  template <typename FuseVersion>
  static Result<BooterFirmware> build(const kcpp::Device<kcpp::device::Bound>& dev, const BooterParts& p,
                                      Chipset chipset, FuseVersion fuse_version) {
    if (p.engine_id_mask > 0xffff || p.ucode_id > 0xff || p.patch_loc < p.os_data_offset)
      return code::EINVAL;
    if (u64(p.app0_offset) + p.app0_size > p.image.size() ||
        u64(p.os_data_offset) + p.os_data_size > p.image.size() ||
        u64(p.os_code_offset) + p.os_code_size > p.image.size())
      return code::ERANGE;
    kcpp::KVec<u8> image;
    KCPP_TRY(image.extend(p.image, kcpp::GFP_KERNEL));
    if (p.num_sigs) {
      const usize sig_size = p.signatures.size() / p.num_sigs;
      if (sig_size == 0)
        return code::EINVAL;
      const u32 fuse = KCPP_TRY(fuse_version(u16(p.engine_id_mask), u8(p.ucode_id)));
      if (fuse > p.fuse_ver)
        return code::EINVAL;  // a chip newer than every signature
      const u32 idx = fuse == 0 ? p.num_sigs - 1 : p.fuse_ver - fuse;
      if (idx >= p.num_sigs)
        return code::EINVAL;
      KCPP_TRY(kcpp::bytes::copy(image.as_span(), p.patch_loc,
                                 KCPP_TRY(p.signatures.subspan(usize(idx) * sig_size, sig_size))));
    }
    falcon::LoadParams l{};
    l.brom = {p.patch_loc - p.os_data_offset, u16(p.engine_id_mask), u8(p.ucode_id)};
    l.dmem = {p.os_data_offset, 0, p.os_data_size};
    if (chipset >= Chipset::GA102) {
      l.imem_sec = {p.app0_offset, 0, p.app0_size};
      l.boot_addr = p.app0_offset;
    } else {  // Turing and GA100: non-secure OS code, secure application at its own offset
      l.imem_sec = {p.app0_offset, p.app0_offset, p.app0_size};
      l.imem_ns = {0, p.os_code_offset, p.os_code_size};
      l.boot_addr = p.os_code_offset;
    }
    return BooterFirmware(KCPP_TRY(dma_copy(dev, image.as_span())), l);
  }

  /** The image, its signature patched in, in coherent DMA memory. */
  [[nodiscard]] const kcpp::dma::Coherent<u8>& ucode() const { return ucode_; }
  /** How SEC2 loads the image: its IMEM and DMEM blocks, boot ROM parameters and start address. */
  [[nodiscard]] const falcon::LoadParams& load_params() const { return params_; }

 private:
  BooterFirmware(kcpp::dma::Coherent<u8> ucode, falcon::LoadParams p)
      : ucode_(std::move(ucode)), params_(p) {}
  kcpp::dma::Coherent<u8> ucode_;
  falcon::LoadParams params_;
};

}  // namespace nova::firmware

#ifdef MODULE
/// The MODULE_FIRMWARE list of the module (use once, in its module file).
#define NOVA_MODULE_FIRMWARE()                                                            \
  [[gnu::section(".modinfo"), gnu::used,                                                  \
    gnu::aligned(1)]] static constexpr ::nova::firmware::ModInfo nova_modinfo_firmware_ = \
      ::nova::firmware::modinfo();
#else
#define NOVA_MODULE_FIRMWARE()
#endif

#endif  // NOVA_CORE_FIRMWARE_H

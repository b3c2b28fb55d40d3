#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Synthetic firmware for nova-core's simulated GPU.

nova-core loads NVIDIA's GSP firmware (nvidia/<chip>/gsp/*-570.144.bin) and
reads the GPU's VBIOS. The real files are large and not redistributable in
this repository, and the tests only need their *layout*: headers, offsets,
section names and the pointer chains the driver follows. This script writes
small stand-ins in the upstream formats (all integers little-endian), with
deterministic filler content, so that a test kernel can build them in with
CONFIG_EXTRA_FIRMWARE and the simulator can replay a VBIOS image:

  nvidia/<chip>/gsp/gsp-570.144.bin          ELF64 with .fwimage and
                                             .fwsignature_<family>
  nvidia/<chip>/gsp/bootloader-570.144.bin   BinHdr + RmRiscvUCodeDesc
  nvidia/<chip>/gsp/booter_load-570.144.bin  BinHdr + HsHeaderV2 + HsLoadHeaderV2
  nvidia/<chip>/gsp/booter_unload-570.144.bin  the same format, other content
  nvidia/<chip>/gsp/gen_bootloader-570.144.bin  BinHdr + BootloaderDesc (Turing, GA100)
  nova_sim/vbios-replay.rom                  PC-AT, EFI and two FwSec images
  nova_sim/vbios-short.rom                   its first 0x800 bytes (truncated)

or the same files as TLV containers (the 7.3 layout): gsp.tlv (naming the
image file gsp.bin beside it), gsp_bootloader.tlv, booter_load.tlv,
booter_unload.tlv, gen_bootloader.tlv.

CHIP_SETS says which chip gets which form, and how the sets for the failure
tests are broken; tu106 gets no files at all.

Usage:
  nova_sim_firmware.py OUTDIR      write the files, rewriting only changed ones
  nova_sim_firmware.py --list      the relative paths, space-separated
  nova_sim_firmware.py --selftest  re-parse everything and check the layout
"""

import argparse
import os
import struct
import sys
from typing import Union

# What struct.unpack_from reads: the files are built in bytearrays, checked as bytes.
Buffer = Union[bytes, bytearray]

VERSION = '570.144'

# Chipset ids (the BOOT_0 chipset field) of the chips named below.
CHIP_IDS = {
    'tu102': 0x162, 'tu104': 0x164, 'tu106': 0x166, 'tu117': 0x167, 'tu116': 0x168,
    'ga100': 0x170, 'ga102': 0x172, 'ga103': 0x173, 'ga104': 0x174, 'ga106': 0x176,
    'ga107': 0x177, 'ad102': 0x192, 'ad103': 0x193, 'ad104': 0x194, 'ad106': 0x196,
    'ad107': 0x197,
}

# chip: (container form, .fwimage size, how the set is broken or None). Small
# images for most chips (not a whole number of pages), the full size for three.
CHIP_SETS = {
    'tu102': ('bin', 0x24000, None),
    'tu104': ('tlv', 0x8800, None),
    'ga100': ('bin', 0x8800, None),
    'ga102': ('bin', 0x24000, None),
    'ga103': ('tlv', 0x8800, None),
    'ga104': ('bin', 0x8800, None),
    'ad102': ('bin', 0x24000, None),
    'ad103': ('tlv', 0x8800, None),
    'tu116': ('bin', 0x8800, 'no-gen-bootloader'),
    'tu117': ('bin', 0x8800, 'no-booter-unload'),
    'ga106': ('bin', 0x8800, 'truncated-gsp'),       # gsp ELF cut to TRUNCATED_GSP_LEN bytes
    'ga107': ('tlv', 0x8800, 'bad-image-name'),      # gsp.tlv FILE is "../gsp.bin"
    'ad104': ('bin', 0x8800, 'bad-bootloader-magic'),  # bootloader BinHdr magic BAD_BIN_MAGIC
    'ad106': ('tlv', 0x8800, 'image-size-mismatch'),  # gsp.tlv SIZE one byte more than gsp.bin
    'ad107': ('tlv', 0x8800, 'no-vers'),             # gsp.tlv without its VERS block
}
VALID_CHIPS = tuple(c for c, (_, _, broken) in CHIP_SETS.items() if broken is None)
MISSING_CHIP = 'tu106'            # no files at all
TRUNCATED_GSP_LEN = 200
BAD_BIN_MAGIC = 0x10DF

VBIOS_REPLAY = 'nova_sim/vbios-replay.rom'
VBIOS_SHORT = 'nova_sim/vbios-short.rom'
VBIOS_SHORT_LEN = 0x800

TOTAL_LIMIT = 1536 * 1024         # everything is built into a test kernel


# --- helpers ---------------------------------------------------------------

def align_up(value: int, align: int) -> int:
    return (value + align - 1) // align * align


def pattern(length: int, mul: int, add: int) -> bytes:
    """Bytes whose byte i is (i * mul + add) & 0xff (period 256)."""
    period = bytes((i * mul + add) & 0xff for i in range(256))
    return (period * (length // 256 + 1))[:length]


def u16(data: Buffer, off: int) -> int:
    return struct.unpack_from('<H', data, off)[0]


def u32(data: Buffer, off: int) -> int:
    return struct.unpack_from('<I', data, off)[0]


class Layout:
    """A bytearray that records the ranges written, to catch overlaps."""

    def __init__(self, size: int) -> None:
        self.data = bytearray(size)
        self.ranges: list[tuple[int, int, str]] = []

    def put(self, off: int, blob: bytes, what: str) -> None:
        end = off + len(blob)
        assert 0 <= off and end <= len(self.data), f'{what} outside the buffer'
        for (o, e, w) in self.ranges:
            assert end <= o or off >= e, f'{what} overlaps {w}'
        self.ranges.append((off, end, what))
        self.data[off:end] = blob


def fw_path(chip: str, name: str) -> str:
    return f'nvidia/{chip}/gsp/{name}-{VERSION}.bin'


def tlv_path(chip: str, name: str) -> str:
    return f'nvidia/{chip}/gsp/{name}.tlv'


def needs_gen_bootloader(chip: str) -> bool:
    return chip.startswith('tu') or chip == 'ga100'


# --- TLV containers --------------------------------------------------------

TLV_MAGIC = b'NVFW'
TLV_VERSION = b'570.144-sim'
GSP_IMAGE = 'gsp.bin'


def tlv(blocks: list[tuple[str, bytes]]) -> bytes:
    """NVFW, then tag, u32 length, value, zero padding to 4, per block."""
    out = bytearray(TLV_MAGIC)
    for tag, value in blocks:
        assert len(tag) == 4 and tag.isascii()
        out += tag.encode() + struct.pack('<I', len(value)) + value
        out += bytes(align_up(len(value), 4) - len(value))
    return bytes(out)


def le32(v: int) -> bytes:
    return struct.pack('<I', v)


def parse_tlv(data: bytes) -> dict[str, bytes]:
    """{tag: value} (first block of a tag) of a well-formed container."""
    assert data[:4] == TLV_MAGIC
    out: dict[str, bytes] = {}
    at = 4
    while at < len(data):
        tag = data[at:at + 4].decode('ascii')
        n = u32(data, at + 4)
        out.setdefault(tag, data[at + 8:at + 8 + n])
        at += 8 + align_up(n, 4)
    assert at == len(data)
    return out


# --- gsp-570.144.bin: ELF64 ------------------------------------------------

FWSIGNATURE_SIZE = 4096

ELF_HDR = struct.Struct('<16sHHIQQQIHHHHHH')        # Elf64_Ehdr, 64 bytes
ELF_SHDR = struct.Struct('<IIQQQQIIQQ')             # Elf64_Shdr, 64 bytes
SHT_PROGBITS, SHT_STRTAB = 1, 3
EM_RISCV, ET_REL = 243, 1


def signature_section(chip: str) -> str:
    """The name of the signature section nova-core looks up for a chip."""
    if chip in ('tu116', 'tu117'):
        return '.fwsignature_tu11x'
    if chip.startswith('tu') or chip == 'ga100':
        return '.fwsignature_tu10x'
    if chip in ('ga102', 'ga103', 'ga104', 'ga106', 'ga107'):
        return '.fwsignature_ga10x'
    if chip.startswith('ad10'):
        return '.fwsignature_ad10x'
    raise ValueError(f'no GSP signature section for {chip}')


def gsp_image(chip: str) -> bytes:
    return pattern(CHIP_SETS[chip][1], 7, CHIP_IDS[chip])


def gsp_signatures() -> bytes:
    return bytes((0xA5 ^ i) & 0xff for i in range(FWSIGNATURE_SIZE))


def make_gsp(chip: str) -> bytes:
    """ELF64: header, section data (8-aligned), section header table last."""
    sections = [
        ('.fwimage', SHT_PROGBITS, gsp_image(chip)),
        (signature_section(chip), SHT_PROGBITS, gsp_signatures()),
    ]
    # .shstrtab: "\0" then each name NUL-terminated, .shstrtab's own last.
    names = [s[0] for s in sections] + ['.shstrtab']
    shstrtab = b'\0'
    name_off = []
    for n in names:
        name_off.append(len(shstrtab))
        shstrtab += n.encode() + b'\0'
    sections.append(('.shstrtab', SHT_STRTAB, shstrtab))

    body = bytearray(ELF_HDR.size)
    placed = []                                     # (offset, size)
    for (_, _, blob) in sections:
        body += bytes(align_up(len(body), 8) - len(body))
        placed.append((len(body), len(blob)))
        body += blob
    body += bytes(align_up(len(body), 8) - len(body))
    shoff = len(body)

    body += ELF_SHDR.pack(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)       # [0] null
    for i, (_, sh_type, _) in enumerate(sections):
        off, size = placed[i]
        body += ELF_SHDR.pack(name_off[i], sh_type, 0, 0, off, size, 0, 0,
                              8 if sh_type == SHT_PROGBITS else 1, 0)

    ident = b'\x7fELF' + bytes([2, 1, 1]) + bytes(9)   # ELFCLASS64, LSB, EV_CURRENT
    shnum = len(sections) + 1
    ELF_HDR.pack_into(body, 0, ident, ET_REL, EM_RISCV, 1, 0, 0, shoff, 0,
                      ELF_HDR.size, 0, 0, ELF_SHDR.size, shnum, shnum - 1)
    return bytes(body)


# --- BinHdr files ----------------------------------------------------------

BIN_MAGIC = 0x10DE
BIN_HDR = struct.Struct('<6I')          # magic, ver, size, header_off, data_off, data_size
BIN_HDR_OFFSET = BIN_HDR.size           # the sub-header right after BinHdr (24)


def bin_file(header_blobs: list[tuple[int, bytes, str]], data: bytes, magic: int = BIN_MAGIC) -> bytes:
    """BinHdr at 0, header_blobs [(offset, bytes, what)], payload at a
    256-aligned data_offset after every header."""
    end = max(off + len(b) for (off, b, _) in header_blobs)
    data_offset = align_up(end, 256)
    out = Layout(data_offset + len(data))
    out.put(0, BIN_HDR.pack(magic, 1, len(out.data), BIN_HDR_OFFSET, data_offset,
                            len(data)), 'BinHdr')
    for (off, blob, what) in header_blobs:
        out.put(off, blob, what)
    out.put(data_offset, data, 'payload')
    return bytes(out.data)


# bootloader: RmRiscvUCodeDesc (14 x u32)
RISCV_DESC = (1, 0, 0x400, 0x400, 0x100, 0x500, 0x3000, 0x00570144,
              0x3500, 0x400, 0x3900, 0x700, 0x4000, 0x1000)
BOOTLOADER_DATA_SIZE = 0x5000


def make_bootloader(magic: int = BIN_MAGIC) -> bytes:
    desc = struct.pack('<14I', *RISCV_DESC)
    return bin_file([(BIN_HDR_OFFSET, desc, 'RmRiscvUCodeDesc')],
                    pattern(BOOTLOADER_DATA_SIZE, 13, 1), magic)


# booter_load: HsHeaderV2 and what it points at. Offsets picked here: the
# three u32 values right after HsHeaderV2 (which ends at 60), then the
# signature params and the load header, the signatures 16-aligned after them.
BOOTER_HS_HDR = BIN_HDR_OFFSET                  # 24, HsHeaderV2 (36 bytes)
BOOTER_PATCH_LOC = 64                           # u32 patch location
BOOTER_PATCH_SIG = 68                           # u32 signature index (0)
BOOTER_NUM_SIG = 72                             # u32 signature count
BOOTER_META = 76                                # HsSignatureParams (12 bytes)
BOOTER_LOAD_HDR = 88                            # HsLoadHeaderV2 + apps
BOOTER_SIG_SIZE = 384
BOOTER_NUM_SIGS = 2
BOOTER_OS_CODE = (0, 0x800)                     # offset, size
BOOTER_OS_DATA = (0x2800, 0x800)
BOOTER_APPS = [(0x800, 0x2000)]
BOOTER_DATA_SIZE = 0x3000
BOOTER_PATCH_LOC_VALUE = BOOTER_OS_DATA[0] + 0x100
# The filler of each Booter's image (pattern() multiplier and addend): the
# simulated SEC2 tells them apart by the OS data it finds in DMEM.
BOOTER_FILL = {'booter_load': (3, 0x5a), 'booter_unload': (5, 0x21)}


def make_booter(name: str = 'booter_load') -> bytes:
    load = struct.pack('<5I', BOOTER_OS_CODE[0], BOOTER_OS_CODE[1], BOOTER_OS_DATA[0],
                       BOOTER_OS_DATA[1], len(BOOTER_APPS))
    for app in BOOTER_APPS:
        load += struct.pack('<2I', *app)
    sig_off = align_up(BOOTER_LOAD_HDR + len(load), 16)
    sigs = b''.join(bytes([0x30 + k]) * BOOTER_SIG_SIZE for k in range(BOOTER_NUM_SIGS))
    meta = struct.pack('<3I', 2, 0x1, 3)        # fuse_ver, engine_id_mask, ucode_id
    hs = struct.pack('<9I', sig_off, len(sigs), BOOTER_PATCH_LOC, BOOTER_PATCH_SIG,
                     BOOTER_META, len(meta), BOOTER_NUM_SIG, BOOTER_LOAD_HDR, len(load))
    return bin_file([
        (BOOTER_HS_HDR, hs, 'HsHeaderV2'),
        (BOOTER_PATCH_LOC, struct.pack('<I', BOOTER_PATCH_LOC_VALUE), 'patch_loc'),
        (BOOTER_PATCH_SIG, struct.pack('<I', 0), 'patch_sig'),
        (BOOTER_NUM_SIG, struct.pack('<I', BOOTER_NUM_SIGS), 'num_sig'),
        (BOOTER_META, meta, 'HsSignatureParams'),
        (BOOTER_LOAD_HDR, load, 'HsLoadHeaderV2'),
        (sig_off, sigs, 'signatures'),
    ], pattern(BOOTER_DATA_SIZE, *BOOTER_FILL[name]))


# gen_bootloader: BinHdr + BootloaderDesc (6 x u32); the code sits at
# GEN_BL_CODE_OFF of the payload, between filler bytes. Its code is what the
# simulated falcon recognises (sim/gpu.h GenBootloaderLayout).
GEN_BL_START_TAG = 0xFD
GEN_BL_CODE_SIZE = 0x2F0                        # not a whole number of 256-byte blocks
GEN_BL_CODE_OFF = 0x40
GEN_BL_DATA_SIZE = 0x400


def gen_bootloader_code() -> bytes:
    return pattern(GEN_BL_CODE_SIZE, 11, 0x47)


def make_gen_bootloader() -> bytes:
    payload = bytearray(pattern(GEN_BL_DATA_SIZE, 17, 0x99))
    payload[GEN_BL_CODE_OFF:GEN_BL_CODE_OFF + GEN_BL_CODE_SIZE] = gen_bootloader_code()
    desc = struct.pack('<6I', GEN_BL_START_TAG, 0, GEN_BL_CODE_OFF, GEN_BL_CODE_SIZE, 0, 0)
    return bin_file([(BIN_HDR_OFFSET, desc, 'BootloaderDesc')], bytes(payload))


def make_tlv_set(chip: str) -> dict[str, bytes]:
    """The TLV files of a chip: the same content as its .bin set, in the 7.3 layout."""
    image = gsp_image(chip)
    files = {
        tlv_path(chip, 'gsp'): tlv([('VERS', TLV_VERSION), ('SIZE', le32(len(image))),
                                    ('FILE', GSP_IMAGE.encode()), ('SIGN', gsp_signatures())]),
        f'nvidia/{chip}/gsp/{GSP_IMAGE}': image,
        tlv_path(chip, 'gsp_bootloader'): tlv([
            ('VERS', TLV_VERSION), ('CDOF', le32(RISCV_DESC[12])), ('DAOF', le32(RISCV_DESC[10])),
            ('MFOF', le32(RISCV_DESC[8])), ('APPV', le32(RISCV_DESC[7])),
            ('BLOB', pattern(BOOTLOADER_DATA_SIZE, 13, 1))]),
    }
    sigs = b''.join(bytes([0x30 + k]) * BOOTER_SIG_SIZE for k in range(BOOTER_NUM_SIGS))
    for name in BOOTER_FILL:
        files[tlv_path(chip, name)] = tlv([
            ('VERS', TLV_VERSION), ('XTRA', b'an unknown tag: ignored'),
            ('DAOF', le32(BOOTER_OS_DATA[0])), ('DASZ', le32(BOOTER_OS_DATA[1])),
            ('CDOF', le32(BOOTER_OS_CODE[0])), ('CDSZ', le32(BOOTER_OS_CODE[1])),
            ('PLOC', le32(BOOTER_PATCH_LOC_VALUE)), ('FUSE', le32(2)), ('ENID', le32(1)),
            ('UCID', le32(3)), ('A0CO', le32(BOOTER_APPS[0][0])), ('A0CS', le32(BOOTER_APPS[0][1])),
            ('BLOB', pattern(BOOTER_DATA_SIZE, *BOOTER_FILL[name])),
            ('NSIG', le32(BOOTER_NUM_SIGS)), ('SIGN', sigs),
            ('FUSE', le32(9))])                 # a second FUSE: the first one counts
    if needs_gen_bootloader(chip):
        files[tlv_path(chip, 'gen_bootloader')] = tlv([
            ('VERS', TLV_VERSION), ('BLOB', gen_bootloader_code() + bytes(0x10)),
            ('CDSZ', le32(GEN_BL_CODE_SIZE)), ('STRT', le32(GEN_BL_START_TAG))])
    return files


def make_bin_set(chip: str) -> dict[str, bytes]:
    files = {
        fw_path(chip, 'gsp'): make_gsp(chip),
        fw_path(chip, 'bootloader'): make_bootloader(),
    }
    for booter in BOOTER_FILL:
        files[fw_path(chip, booter)] = make_booter(booter)
    if needs_gen_bootloader(chip):
        files[fw_path(chip, 'gen_bootloader')] = make_gen_bootloader()
    return files


def make_set(chip: str) -> dict[str, bytes]:
    """A chip's files, broken as CHIP_SETS says; a broken set has only what the probe
    reads up to its fault."""
    form, _, broken = CHIP_SETS[chip]
    files = make_tlv_set(chip) if form == 'tlv' else make_bin_set(chip)
    gsp = tlv_path(chip, 'gsp') if form == 'tlv' else fw_path(chip, 'gsp')
    boot = tlv_path(chip, 'gsp_bootloader') if form == 'tlv' else fw_path(chip, 'bootloader')
    keep = None                                 # None: every file
    if broken == 'no-gen-bootloader':
        keep = {gsp, boot}
    elif broken == 'no-booter-unload':
        del files[fw_path(chip, 'booter_unload')]
    elif broken == 'truncated-gsp':
        files[gsp] = files[gsp][:TRUNCATED_GSP_LEN]
        keep = {gsp}
    elif broken == 'bad-bootloader-magic':
        files[boot] = make_bootloader(BAD_BIN_MAGIC)
        keep = {gsp, boot}
    elif broken in ('bad-image-name', 'image-size-mismatch', 'no-vers'):
        image = gsp_image(chip)
        vers = [] if broken == 'no-vers' else [('VERS', TLV_VERSION)]
        size = len(image) + (1 if broken == 'image-size-mismatch' else 0)
        name = b'../gsp.bin' if broken == 'bad-image-name' else GSP_IMAGE.encode()
        files[gsp] = tlv(vers + [('SIZE', le32(size)), ('FILE', name), ('SIGN', gsp_signatures())])
        keep = {gsp, f'nvidia/{chip}/gsp/{GSP_IMAGE}'}
    return {p: c for p, c in files.items() if keep is None or p in keep}


# --- VBIOS -----------------------------------------------------------------

PCI_VENDOR, PCI_DEVICE = 0x10DE, 0x2204         # a GA102 (RTX 3090)
PCIR_OFFSET = 0x40
PCIR = struct.Struct('<4sHHHHB3sHHBBH')         # 24 bytes
NPDE = struct.Struct('<4sHHHB')                 # 11 bytes
NPDE_OFFSET = align_up(PCIR_OFFSET + PCIR.size, 16)
LAST_IMAGE = 0x80
CODE_PCAT, CODE_EFI, CODE_FWSEC = 0x00, 0x03, 0xE0

PCAT_SIZE, EFI_SIZE, FWSEC1_SIZE = 0x1000, 0x800, 0x400

BIT_OFFSET = 0x100                              # in the PC-AT image
BIT_HDR = struct.Struct('<H4sHBBBB')            # 12 bytes
BIT_TOKEN = struct.Struct('<BBHH')              # 6 bytes
BIT_FALCON_DATA = 0x70
FALCON_DATA_PTR_AT = 0x200                      # in the PC-AT image

PMU_TABLE_IN_FWSEC2 = 0x80
UCODE_DESC_IN_FWSEC2 = 0x100
PMU_ENTRY = struct.Struct('<BBI')               # 6 bytes
PMU_APP_DEBUG, PMU_APP_FWSEC_PROD = 0x45, 0x85
# Pointers as the driver computes them: PC-AT + FwSec#1 + offset, no EFI.
FALCON_DATA_PTR = PCAT_SIZE + FWSEC1_SIZE + PMU_TABLE_IN_FWSEC2
UCODE_DESC_PTR = PCAT_SIZE + FWSEC1_SIZE + UCODE_DESC_IN_FWSEC2

DESC_V3 = struct.Struct('<9IHBBHH')             # FalconUCodeDescV3, 44 bytes
FWSEC_SIG_SIZE = 384
FWSEC_NUM_SIGS = 2
FWSEC_IMEM_SIZE = 0x1000
FWSEC_DMEM_SIZE = 0x800
FWSEC_PKC_OFFSET = 0x200
FWSEC_INTERFACE_OFFSET = 0x0
FWSEC_DMEMMAPPER_AT = 0x100                     # in DMEM
DMEMMAPPER = struct.Struct('<IHH14I')           # FalconAppifDmemmapperV3, 64 bytes
DMEMMAPPER_INIT_CMD = 44
APPIF_DMEMMAPPER = 4


def rom_image(size: int, code_type: int, last: bool) -> Layout:
    """An image with its 0xAA55 signature, PCIR and NPDE filled in."""
    img = Layout(size)
    img.put(0, struct.pack('<H', 0xAA55), 'ROM signature')
    img.put(0x18, struct.pack('<H', PCIR_OFFSET), 'PCIR pointer')
    img.put(PCIR_OFFSET, PCIR.pack(b'PCIR', PCI_VENDOR, PCI_DEVICE, 0, PCIR.size, 0,
                                   b'\x00\x00\x03', size // 512, 0, code_type,
                                   LAST_IMAGE if last else 0, 0), 'PCIR')
    img.put(NPDE_OFFSET, NPDE.pack(b'NPDE', 0x0100, NPDE.size, size // 512,
                                   LAST_IMAGE if last else 0), 'NPDE')
    return img


def make_pcat() -> bytes:
    img = rom_image(PCAT_SIZE, CODE_PCAT, False)
    tokens = [(0x32, 0, 0, 0), (0x49, 0, 0, 0), (BIT_FALCON_DATA, 0, 4, FALCON_DATA_PTR_AT)]
    bit = BIT_HDR.pack(0xB8FF, b'BIT\0', 0x0100, BIT_HDR.size, BIT_TOKEN.size, len(tokens), 0)
    bit += b''.join(BIT_TOKEN.pack(*t) for t in tokens)
    img.put(BIT_OFFSET, bit, 'BIT')
    img.put(FALCON_DATA_PTR_AT, struct.pack('<I', FALCON_DATA_PTR), 'falcon data pointer')
    return bytes(img.data)


def make_fwsec_dmem() -> bytes:
    dmem = Layout(FWSEC_DMEM_SIZE)
    appif = struct.pack('<4B', 1, 4, 8, 2)
    appif += struct.pack('<2I', 1, 0x300) + struct.pack('<2I', APPIF_DMEMMAPPER,
                                                        FWSEC_DMEMMAPPER_AT)
    dmem.put(FWSEC_INTERFACE_OFFSET, appif, 'application interface table')
    dmem.put(FWSEC_DMEMMAPPER_AT, DMEMMAPPER.pack(
        0x50414D44, 3, DMEMMAPPER.size,
        0x400, 0x100,            # cmd_in_buffer offset, size
        0x500, 0x100,            # cmd_out_buffer offset, size
        0, 0,                    # nvf_img_data_buffer offset, size
        0, 0, 0,                 # printf_buffer_hdr, build time stamp, signature
        0,                       # init_cmd: the driver patches it
        0, 0, 0, 0), 'DMEMMAPPER')  # feature, cmd masks, multi_tgt_tbl
    return bytes(dmem.data)


def make_fwsec2() -> bytes:
    desc_size = DESC_V3.size + FWSEC_SIG_SIZE * FWSEC_NUM_SIGS
    ucode_at = UCODE_DESC_IN_FWSEC2 + desc_size
    size = align_up(ucode_at + FWSEC_IMEM_SIZE + FWSEC_DMEM_SIZE, 512)
    img = rom_image(size, CODE_FWSEC, True)

    pmu = struct.pack('<4B', 1, 6, PMU_ENTRY.size, 2) + bytes(2)   # header_len 6
    pmu += PMU_ENTRY.pack(PMU_APP_DEBUG, 0, 0xDEADBEEF)            # must be ignored
    pmu += PMU_ENTRY.pack(PMU_APP_FWSEC_PROD, 0, UCODE_DESC_PTR)
    img.put(PMU_TABLE_IN_FWSEC2, pmu, 'PMU lookup table')

    desc = DESC_V3.pack((desc_size << 16) | (3 << 8) | 1,
                        FWSEC_IMEM_SIZE + FWSEC_DMEM_SIZE, FWSEC_PKC_OFFSET,
                        FWSEC_INTERFACE_OFFSET, 0, FWSEC_IMEM_SIZE, 0, 0, FWSEC_DMEM_SIZE,
                        0x400, 5, FWSEC_NUM_SIGS, 0x0006, 0)
    sigs = b''.join(bytes([0xC0 + k]) * FWSEC_SIG_SIZE for k in range(FWSEC_NUM_SIGS))
    img.put(UCODE_DESC_IN_FWSEC2, desc + sigs, 'FalconUCodeDescV3 + signatures')
    img.put(ucode_at, pattern(FWSEC_IMEM_SIZE, 5, 0x11) + make_fwsec_dmem(), 'ucode')
    return bytes(img.data)


def make_vbios() -> bytes:
    return (make_pcat() + bytes(rom_image(EFI_SIZE, CODE_EFI, False).data) +
            bytes(rom_image(FWSEC1_SIZE, CODE_FWSEC, False).data) + make_fwsec2())


# --- the file set ----------------------------------------------------------

def make_all() -> dict[str, bytes]:
    """{relative path: content}, in --list order."""
    files: dict[str, bytes] = {}
    for chip in CHIP_SETS:
        files.update(make_set(chip))
    vbios = make_vbios()
    files[VBIOS_REPLAY] = vbios
    files[VBIOS_SHORT] = vbios[:VBIOS_SHORT_LEN]
    return files


def write_all(outdir: str) -> None:
    """Writes the files; leaves those already up to date alone (mtime kept)."""
    for rel, content in make_all().items():
        path = os.path.join(outdir, rel)
        try:
            with open(path, 'rb') as f:
                if f.read() == content:
                    continue
        except FileNotFoundError:
            pass
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + '.tmp'
        with open(tmp, 'wb') as f:
            f.write(content)
        os.replace(tmp, path)


# --- self-check: parse the output the way the driver does ------------------

def elf_sections(data: bytes) -> dict[str, bytes]:
    """{name: bytes} of an ELF64 file; raises ValueError when malformed."""
    if len(data) < ELF_HDR.size or data[:4] != b'\x7fELF' or data[4] != 2 or data[5] != 1:
        raise ValueError('not an ELF64 LSB file')
    h = ELF_HDR.unpack_from(data, 0)
    shoff, shentsize, shnum, shstrndx = h[6], h[11], h[12], h[13]
    if shentsize != ELF_SHDR.size or shoff + shnum * shentsize > len(data):
        raise ValueError('section header table outside the file')
    shdrs = [ELF_SHDR.unpack_from(data, shoff + i * shentsize) for i in range(shnum)]
    for s in shdrs:
        if s[4] + s[5] > len(data):
            raise ValueError('section outside the file')
    strtab = shdrs[shstrndx]
    strings = data[strtab[4]:strtab[4] + strtab[5]]
    out = {}
    for s in shdrs[1:]:
        name = strings[s[0]:strings.index(b'\0', s[0])].decode()
        out[name] = data[s[4]:s[4] + s[5]]
    return out


def check_gsp(chip: str, data: bytes) -> None:
    h = ELF_HDR.unpack_from(data, 0)
    assert h[1:4] == (ET_REL, EM_RISCV, 1) and h[8] == 64 and h[10] == 0, chip
    secs = elf_sections(data)
    img = secs['.fwimage']
    assert img == gsp_image(chip) and img[:2] == bytes([CHIP_IDS[chip] & 0xff,
                                                         (7 + CHIP_IDS[chip]) & 0xff])
    sig = secs[signature_section(chip)]
    assert len(sig) == FWSIGNATURE_SIZE and sig[0] == 0xA5 and sig[1] == 0xA4
    assert '.shstrtab' in secs


def check_bin(data: bytes, magic: int = BIN_MAGIC) -> tuple[int, int]:
    m, ver, size, hdr_off, data_off, data_size = BIN_HDR.unpack_from(data, 0)
    assert (m, ver, size, hdr_off) == (magic, 1, len(data), BIN_HDR_OFFSET)
    assert data_off % 256 == 0 and data_off + data_size == len(data)
    return data_off, data_size


def check_bootloader(data: bytes, magic: int = BIN_MAGIC) -> None:
    data_off, data_size = check_bin(data, magic)
    assert data_off == 256 and data_size == BOOTLOADER_DATA_SIZE
    assert struct.unpack_from('<14I', data, BIN_HDR_OFFSET) == RISCV_DESC
    assert data[data_off + 1] == 14                         # 1 * 13 + 1


def check_booter(data: bytes, name: str = 'booter_load') -> None:
    data_off, data_size = check_bin(data)
    assert data_size == BOOTER_DATA_SIZE and data[data_off] == BOOTER_FILL[name][1]
    (sig_off, sig_size, patch_loc_off, patch_sig_off, meta_off, meta_size, num_sig_off,
     load_off, load_size) = struct.unpack_from('<9I', data, BIN_HDR_OFFSET)
    num_sigs = u32(data, num_sig_off)
    assert num_sigs == 2 and sig_size == num_sigs * BOOTER_SIG_SIZE
    assert u32(data, patch_sig_off) == 0
    patch_loc = u32(data, patch_loc_off)
    assert patch_loc == 0x2900 and patch_loc + BOOTER_SIG_SIZE <= data_size
    for k in range(num_sigs):
        sig = data[sig_off + k * BOOTER_SIG_SIZE:sig_off + (k + 1) * BOOTER_SIG_SIZE]
        assert sig == bytes([0x30 + k]) * BOOTER_SIG_SIZE
    assert meta_size == 12 and struct.unpack_from('<3I', data, meta_off) == (2, 1, 3)
    os_code_off, os_code_size, os_data_off, os_data_size, num_apps = \
        struct.unpack_from('<5I', data, load_off)
    assert load_size == 20 + 8 * num_apps and num_apps == 1
    assert struct.unpack_from('<2I', data, load_off + 20) == (0x800, 0x2000)
    assert os_data_off + os_data_size <= data_size and os_code_off + os_code_size <= data_size
    # Every header lies before the payload and no two overlap.
    ranges = sorted([(BIN_HDR_OFFSET, 36), (sig_off, sig_size), (patch_loc_off, 4),
                     (patch_sig_off, 4), (num_sig_off, 4), (meta_off, meta_size),
                     (load_off, load_size)])
    assert ranges[0][0] >= BIN_HDR.size
    for (a, b) in zip(ranges, ranges[1:]):
        assert a[0] + a[1] <= b[0], 'booter headers overlap'
    assert ranges[-1][0] + ranges[-1][1] <= data_off


def vbios_images(rom: bytes) -> tuple[list[tuple[int, int, bytes]], int]:
    """[(offset, code_type, bytes)] by walking the image chain (NPDE sizes)."""
    images, at = [], 0
    while True:
        assert u16(rom, at) == 0xAA55, f'no ROM signature at {at:#x}'
        pcir = at + u16(rom, at + 0x18)
        p = PCIR.unpack_from(rom, pcir)
        assert p[0] == b'PCIR' and p[1:3] == (PCI_VENDOR, PCI_DEVICE) and p[4] == PCIR.size
        npde = at + align_up(pcir - at + p[4], 16)
        n = NPDE.unpack_from(rom, npde)
        assert n[0] == b'NPDE' and n[2] == NPDE.size and n[3] == p[7]
        size = n[3] * 512
        images.append((at, p[9], rom[at:at + size]))
        at += size
        if n[4] & LAST_IMAGE:
            assert p[10] & LAST_IMAGE
            return images, at


def fwsec_offset(ptr: int, pcat: bytes, fwsec1: bytes) -> tuple[int, int]:
    """The driver's arithmetic: positions as if the EFI image were absent."""
    off = ptr - len(pcat)
    if off < len(fwsec1):
        return 1, off
    return 2, off - len(fwsec1)


def check_vbios(rom: bytes) -> None:
    assert len(rom) % 512 == 0 and len(rom) < 64 * 1024
    images, end = vbios_images(rom)
    assert end == len(rom)
    assert [i[0] % 512 for i in images] == [0] * 4
    assert [i[1] for i in images] == [CODE_PCAT, CODE_EFI, CODE_FWSEC, CODE_FWSEC]
    pcat, fwsec1, fwsec2 = images[0][2], images[2][2], images[3][2]
    assert (len(pcat), len(images[1][2]), len(fwsec1)) == (PCAT_SIZE, EFI_SIZE, FWSEC1_SIZE)

    # BIT, found by its signature, then token 0x70 -> falcon data pointer.
    bit = pcat.index(b'\xff\xb8BIT\0')
    hdr = BIT_HDR.unpack_from(pcat, bit)
    tokens = [BIT_TOKEN.unpack_from(pcat, bit + hdr[3] + i * hdr[4]) for i in range(hdr[5])]
    falcon = [t for t in tokens if t[0] == BIT_FALCON_DATA]
    assert len(falcon) == 1 and falcon[0][2] == 4
    ptr = u32(pcat, falcon[0][3])
    assert fwsec_offset(ptr, pcat, fwsec1) == (2, PMU_TABLE_IN_FWSEC2)

    # PMU lookup table -> the FWSEC prod entry -> the ucode descriptor.
    t = PMU_TABLE_IN_FWSEC2
    version, header_len, entry_len, count = struct.unpack_from('<4B', fwsec2, t)
    assert (version, header_len, entry_len, count) == (1, 6, 6, 2)
    entries = [PMU_ENTRY.unpack_from(fwsec2, t + header_len + i * entry_len)
               for i in range(count)]
    prod = [e for e in entries if e[0] == PMU_APP_FWSEC_PROD]
    assert len(prod) == 1 and entries[0][0] == PMU_APP_DEBUG
    where, d = fwsec_offset(prod[0][2], pcat, fwsec1)
    assert (where, d) == (2, UCODE_DESC_IN_FWSEC2)

    desc = DESC_V3.unpack_from(fwsec2, d)
    # desc_hdr: the BIT header above is a tuple, this one a u32.
    desc_hdr, stored, pkc, iface, _, imem, _, _, dmem, engines, ucode_id, nsigs, sigver, _ = desc
    desc_size = desc_hdr >> 16
    assert desc_hdr & 0xffff == 0x0301 and desc_size == DESC_V3.size + 384 * nsigs
    assert (stored, engines, ucode_id, nsigs, sigver) == (imem + dmem, 0x400, 5, 2, 6)
    for k in range(nsigs):
        s = d + DESC_V3.size + k * 384
        assert fwsec2[s:s + 384] == bytes([0xC0 + k]) * 384
    ucode = d + desc_size
    assert ucode + imem + dmem <= len(fwsec2)
    assert fwsec2[ucode:ucode + 2] == bytes([0x11, 0x16])
    dm = fwsec2[ucode + imem:ucode + imem + dmem]
    assert pkc + 384 <= dmem

    # DMEM: application interfaces -> DMEMMAPPER.
    _, ah_size, ae_size, ae_count = struct.unpack_from('<4B', dm, iface)
    apps: dict[int, int] = {}
    for i in range(ae_count):
        app_id, app_at = struct.unpack_from('<2I', dm, iface + ah_size + i * ae_size)
        apps[app_id] = app_at
    mapper = apps[APPIF_DMEMMAPPER]
    assert mapper + DMEMMAPPER.size <= dmem
    m = DMEMMAPPER.unpack_from(dm, mapper)
    assert m[:3] == (0x50414D44, 3, 64) and dm[mapper:mapper + 4] == b'DMAP'
    assert u32(dm, mapper + DMEMMAPPER_INIT_CMD) == 0
    assert m[3] + m[4] <= dmem and m[5] + m[6] <= dmem


def check_gen_bootloader(data: bytes) -> None:
    data_off, data_size = check_bin(data)
    desc = struct.unpack_from('<6I', data, BIN_HDR_OFFSET)
    assert desc == (GEN_BL_START_TAG, 0, GEN_BL_CODE_OFF, GEN_BL_CODE_SIZE, 0, 0)
    assert desc[2] + desc[3] <= data_size
    code = data[data_off + desc[2]:data_off + desc[2] + desc[3]]
    assert code == gen_bootloader_code() and code[1] == (11 + 0x47) & 0xff


def check_tlv_set(chip: str, files: dict[str, bytes]) -> None:
    """The TLV set says what the .bin set says."""
    g = parse_tlv(files[tlv_path(chip, 'gsp')])
    assert g['VERS'] == TLV_VERSION and g['FILE'] == GSP_IMAGE.encode()
    image = files[f'nvidia/{chip}/gsp/{GSP_IMAGE}']
    assert u32(g['SIZE'], 0) == len(image) and image == gsp_image(chip)
    assert g['SIGN'] == gsp_signatures()
    b = parse_tlv(files[tlv_path(chip, 'gsp_bootloader')])
    assert (u32(b['APPV'], 0), u32(b['MFOF'], 0), u32(b['DAOF'], 0), u32(b['CDOF'], 0)) == \
        (RISCV_DESC[7], RISCV_DESC[8], RISCV_DESC[10], RISCV_DESC[12])
    for name in BOOTER_FILL:
        t = parse_tlv(files[tlv_path(chip, name)])
        assert t['BLOB'] == pattern(BOOTER_DATA_SIZE, *BOOTER_FILL[name])
        assert u32(t['FUSE'], 0) == 2 and u32(t['PLOC'], 0) == BOOTER_PATCH_LOC_VALUE
        assert len(t['SIGN']) == u32(t['NSIG'], 0) * BOOTER_SIG_SIZE
    if needs_gen_bootloader(chip):
        t = parse_tlv(files[tlv_path(chip, 'gen_bootloader')])
        assert t['BLOB'][:u32(t['CDSZ'], 0)] == gen_bootloader_code()
        assert u32(t['STRT'], 0) == GEN_BL_START_TAG


def selftest() -> None:
    files = make_all()
    for chip in VALID_CHIPS:
        if CHIP_SETS[chip][0] == 'tlv':
            check_tlv_set(chip, files)
            assert not any(p.startswith(f'nvidia/{chip}/') and p.endswith('.bin') and
                           not p.endswith('/' + GSP_IMAGE) for p in files)
            continue
        check_gsp(chip, files[fw_path(chip, 'gsp')])
        check_bootloader(files[fw_path(chip, 'bootloader')])
        for booter in BOOTER_FILL:
            check_booter(files[fw_path(chip, booter)], booter)
        assert files[fw_path(chip, 'booter_load')] != files[fw_path(chip, 'booter_unload')]
        assert (fw_path(chip, 'gen_bootloader') in files) == needs_gen_bootloader(chip)
        if needs_gen_bootloader(chip):
            check_gen_bootloader(files[fw_path(chip, 'gen_bootloader')])

    # The broken sets are broken the intended way, and only that way.
    short = files[fw_path('ga106', 'gsp')]
    assert len(short) == TRUNCATED_GSP_LEN and short == make_gsp('ga106')[:200]
    try:
        elf_sections(short)
        raise AssertionError('truncated gsp parses')
    except ValueError:
        pass
    check_bootloader(files[fw_path('ad104', 'bootloader')], BAD_BIN_MAGIC)
    check_gsp('ad104', files[fw_path('ad104', 'gsp')])
    assert fw_path('tu116', 'bootloader') in files and \
        not any('gen_bootloader' in p for p in files if '/tu116/' in p)
    assert fw_path('tu117', 'gen_bootloader') in files and fw_path('tu117', 'booter_load') in files and \
        not any('booter_unload' in p for p in files if '/tu117/' in p)
    assert parse_tlv(files[tlv_path('ga107', 'gsp')])['FILE'] == b'../gsp.bin'
    g = parse_tlv(files[tlv_path('ad106', 'gsp')])
    assert u32(g['SIZE'], 0) == len(files[f'nvidia/ad106/gsp/{GSP_IMAGE}']) + 1
    assert 'VERS' not in parse_tlv(files[tlv_path('ad107', 'gsp')])
    assert not any(p.startswith(f'nvidia/{MISSING_CHIP}/') for p in files)
    assert signature_section('tu116') == '.fwsignature_tu11x'
    assert signature_section('ga100') == '.fwsignature_tu10x'

    check_vbios(files[VBIOS_REPLAY])
    assert files[VBIOS_SHORT] == files[VBIOS_REPLAY][:VBIOS_SHORT_LEN]

    total = sum(len(c) for c in files.values())
    assert total < TOTAL_LIMIT, f'{total} bytes is too much for a test kernel'
    assert make_all() == files, 'output is not deterministic'
    print(f'nova_sim_firmware: selftest passed, {len(files)} files, {total} bytes')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('outdir', nargs='?', help='where to write the files')
    ap.add_argument('--list', action='store_true', help='print the relative paths')
    ap.add_argument('--selftest', action='store_true', help='check the generated layout')
    args = ap.parse_args()
    if args.list:
        print(' '.join(make_all()))
    elif args.selftest:
        selftest()
    elif args.outdir:
        write_all(args.outdir)
    else:
        ap.error('give OUTDIR, --list or --selftest')
    return 0


if __name__ == '__main__':
    sys.exit(main())

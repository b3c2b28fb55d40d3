// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of the probe benchmark: nova-core's probe of a GPU, up to
 * FWSEC-FRTS and Booter's preparation, and its unbind, written the way a C
 * driver writes them (as nouveau-style C with the kernel's own helpers:
 * request_firmware, dma_alloc_coherent, sg tables), step
 * for step what drivers/nova/core does:
 *
 *   identify (BOOT_0, BOOT_42, the chipset table)
 *   wait for GFW boot, register the sysmem flush page
 *   GSP and SEC2 falcon HALs, clear the GSP's SWGEN0 interrupt
 *   VBIOS through the PROM window -> FWSEC (vbios_bench_c.c's parser)
 *   GSP firmware ELF: .fwimage copied and mapped (sg table), signatures in
 *   coherent memory; the bootloader's container and descriptor
 *   the framebuffer layout
 *   FWSEC patched for FRTS (and its signature by fuse version), reset,
 *   loaded (DMA on GA102+; on Turing the generic bootloader by PIO, which
 *   DMAs FWSEC in from its mirror), booted; WPR2 checked
 *   Booter parsed, its signature patched, copied to coherent memory
 *
 * Registers go through the same out-of-line accessors as the kcpp side's
 * (probe_bench.cpp), so both pay the same for the simulated hardware and
 * the ratio is the drivers' own code. Each check of the kcpp code is here
 * too, by hand; the log lines are the same.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/errno.h>
#include <linux/firmware.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "bench.h"
#include "nova_c.h"

/* ------------------------------------------------------------- registers */

#define NV_PMC_BOOT_0 0x000000
#define NV_PMC_BOOT_42 0x000a00
#define NV_PBUS_SW_SCRATCH_0E 0x001438
#define NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK 0x118128
#define NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT 0x118234
#define NV_USABLE_FB_SIZE_IN_MB 0x1183a4
#define NV_PFB_NISO_FLUSH_SYSMEM_ADDR 0x100c10
#define NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI 0x100c40
#define NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE 0x100ce0
#define NV_PFB_PRI_MMU_WPR2_ADDR_LO 0x1fa824
#define NV_PFB_PRI_MMU_WPR2_ADDR_HI 0x1fa828
#define NV_FUSE_STATUS_OPT_DISPLAY_GM107 0x021c04
#define NV_FUSE_STATUS_OPT_DISPLAY_GA100 0x820c04
#define NV_PDISP_VGA_WORKSPACE_BASE 0x625f04
#define NV_FUSE_OPT_FPF_NVDEC_UCODE1_VERSION(i) (0x824100 + 4 * (i))
#define NV_FUSE_OPT_FPF_SEC2_UCODE1_VERSION(i) (0x824140 + 4 * (i))
#define NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION(i) (0x8241c0 + 4 * (i))
#define NV_PROM 0x300000

/* Falcon registers, relative to the engine's PFALCON base... */
#define FALCON_IRQSCLR 0x004
#define FALCON_MAILBOX0 0x040
#define FALCON_MAILBOX1 0x044
#define FALCON_RM 0x084
#define FALCON_HWCFG2 0x0f4
#define FALCON_CPUCTL 0x100
#define FALCON_BOOTVEC 0x104
#define FALCON_DMACTL 0x10c
#define FALCON_DMATRFBASE 0x110
#define FALCON_DMATRFMOFFS 0x114
#define FALCON_DMATRFCMD 0x118
#define FALCON_DMATRFFBOFFS 0x11c
#define FALCON_DMATRFBASE1 0x128
#define FALCON_CPUCTL_ALIAS 0x130
#define FALCON_IMEMC 0x180
#define FALCON_IMEMD 0x184
#define FALCON_IMEMT 0x188
#define FALCON_DMEMC 0x1c0
#define FALCON_DMEMD 0x1c4
#define FALCON_ENGINE 0x3c0
#define FBIF_TRANSCFG 0x600
#define FBIF_CTL 0x624
/* ...and to its PFALCON2 base. */
#define FALCON2_MOD_SEL 0x180
#define FALCON2_BROM_CURR_UCODE_ID 0x198
#define FALCON2_BROM_ENGIDMASK 0x19c
#define FALCON2_BROM_PARAADDR 0x210
#define RISCV_BCR_CTRL 0x668

#define HWCFG2_MEM_SCRUBBING BIT(12)
#define HWCFG2_RESET_READY BIT(31)
#define CPUCTL_STARTCPU BIT(1)
#define CPUCTL_HALTED BIT(4)
#define CPUCTL_ALIAS_EN BIT(6)
#define DMACTL_SCRUBBING (BIT(1) | BIT(2))
#define DMATRFCMD_IDLE BIT(1)
#define DMATRFCMD_IMEM BIT(4)
#define DMATRFCMD_SIZE_256B (6 << 8)
#define MEMC_AINCW BIT(24)
#define IMEMC_SECURE BIT(28)
#define BCR_CTRL_VALID BIT(0)
#define BCR_CTRL_CORE_SELECT BIT(4)
#define DMA_BLOCK 256

/* Every register access goes through the benchmark's accessors. */
static u32 rd32(void *gpu, u32 off)
{
	return kcpp_bench_sim_rd32(gpu, off);
}

static void wr32(void *gpu, u32 off, u32 v)
{
	kcpp_bench_sim_wr32(gpu, off, v);
}

/*
 * Waits until (register & mask) == want, reading every sleep_us for at most
 * timeout_us, with one last read after the deadline; -ETIMEDOUT otherwise.
 * It sleeps between reads with fsleep(), as kcpp's read_poll_timeout() does
 * (and the Rust kernel crate's): the kernel's C read_poll_timeout() uses
 * usleep_range() instead, which on a kernel without high-resolution timers
 * (the benchmark kernel) sleeps until the next tick, 4 ms for 10 us, and the
 * comparison would measure that rather than the code.
 */
static int poll32(void *gpu, u32 off, u32 mask, u32 want, unsigned long sleep_us,
		  unsigned long timeout_us)
{
	u64 deadline = ktime_get_ns() + (u64)timeout_us * NSEC_PER_USEC;

	might_sleep();
	for (;;) {
		if ((rd32(gpu, off) & mask) == want)
			return 0;
		if (ktime_get_ns() > deadline)
			return (rd32(gpu, off) & mask) == want ? 0 : -ETIMEDOUT;
		if (sleep_us)
			fsleep(sleep_us);
		else
			cpu_relax();
	}
}

/* ------------------------------------------------------------- chipsets */

struct nvc_chip {
	u32 id;
	const char *upper, *lower;
};

static const struct nvc_chip nvc_chips[] = {
	{ 0x162, "TU102", "tu102" }, { 0x164, "TU104", "tu104" }, { 0x166, "TU106", "tu106" },
	{ 0x167, "TU117", "tu117" }, { 0x168, "TU116", "tu116" }, { 0x170, "GA100", "ga100" },
	{ 0x172, "GA102", "ga102" }, { 0x173, "GA103", "ga103" }, { 0x174, "GA104", "ga104" },
	{ 0x176, "GA106", "ga106" }, { 0x177, "GA107", "ga107" }, { 0x180, "GH100", "gh100" },
	{ 0x192, "AD102", "ad102" }, { 0x193, "AD103", "ad103" }, { 0x194, "AD104", "ad104" },
	{ 0x196, "AD106", "ad106" }, { 0x197, "AD107", "ad107" }, { 0x1a0, "GB100", "gb100" },
	{ 0x1a2, "GB102", "gb102" }, { 0x1b2, "GB202", "gb202" }, { 0x1b3, "GB203", "gb203" },
	{ 0x1b5, "GB205", "gb205" }, { 0x1b6, "GB206", "gb206" }, { 0x1b7, "GB207", "gb207" },
};

static const char *arch_name(u32 arch)
{
	switch (arch) {
	case 0x16: return "Turing";
	case 0x17: return "Ampere";
	case 0x18: return "Hopper";
	case 0x19: return "Ada";
	case 0x1a: return "BlackwellGB10x";
	case 0x1b: return "BlackwellGB20x";
	}
	return NULL;
}

static bool boots_through_sec2(const struct nvc_chip *c)
{
	u32 arch = c->id >> 4;

	return arch == 0x16 || arch == 0x17 || arch == 0x19;
}

/* ------------------------------------------------------------- falcons */

enum nvc_falcon_hal { FALCON_HAL_TU102, FALCON_HAL_GA102 };
enum nvc_fb_hal { FB_HAL_TU102, FB_HAL_GA100, FB_HAL_GA102 };

struct nvc_falcon {
	u32 base, base2;
	enum nvc_falcon_hal hal;
	u32 boot0;
};

struct nvc_target {
	u32 src, dst, len;
};

struct nvc_load {
	struct nvc_target imem_sec, imem_ns, dmem;
	u32 pkc_data_offset;
	u16 engine_id_mask;
	u8 ucode_id;
	u32 boot_addr;
};

struct nvc_dma {
	void *cpu;
	dma_addr_t addr;
	size_t size;
};

static int falcon_hal(u32 id, enum nvc_falcon_hal *hal)
{
	switch (id) {
	case 0x162: case 0x164: case 0x166: case 0x167: case 0x168:
		*hal = FALCON_HAL_TU102;
		return 0;
	case 0x172: case 0x173: case 0x174: case 0x176: case 0x177:
	case 0x192: case 0x193: case 0x194: case 0x196: case 0x197:
		*hal = FALCON_HAL_GA102;
		return 0;
	}
	return -ENOTSUPP;
}

static int falcon_reset(void *gpu, const struct nvc_falcon *f)
{
	int err;

	if (f->hal == FALCON_HAL_GA102)
		(void)poll32(gpu, f->base + FALCON_HWCFG2, HWCFG2_RESET_READY, HWCFG2_RESET_READY,
			     0, 150);
	wr32(gpu, f->base + FALCON_ENGINE, rd32(gpu, f->base + FALCON_ENGINE) | 1);
	fsleep(10);
	wr32(gpu, f->base + FALCON_ENGINE, rd32(gpu, f->base + FALCON_ENGINE) & ~1u);
	if (f->hal == FALCON_HAL_GA102) {
		if (rd32(gpu, f->base2 + RISCV_BCR_CTRL) & BCR_CTRL_CORE_SELECT) {
			wr32(gpu, f->base2 + RISCV_BCR_CTRL, 0);
			err = poll32(gpu, f->base2 + RISCV_BCR_CTRL, BCR_CTRL_VALID, BCR_CTRL_VALID,
				     10, 10000);
			if (err)
				return err;
		}
		err = poll32(gpu, f->base + FALCON_HWCFG2, HWCFG2_MEM_SCRUBBING, 0, 10, 20000);
	} else {
		err = poll32(gpu, f->base + FALCON_DMACTL, DMACTL_SCRUBBING, 0, 10, 10000);
	}
	if (err)
		return err;
	wr32(gpu, f->base + FALCON_RM, f->boot0);
	return 0;
}

static void falcon_dma_reset(void *gpu, const struct nvc_falcon *f)
{
	wr32(gpu, f->base + FBIF_CTL, rd32(gpu, f->base + FBIF_CTL) | BIT(7));
	wr32(gpu, f->base + FALCON_DMACTL, 0);
}

static void falcon_program_brom(void *gpu, const struct nvc_falcon *f, const struct nvc_load *p)
{
	if (f->hal != FALCON_HAL_GA102)
		return;
	wr32(gpu, f->base2 + FALCON2_BROM_PARAADDR, p->pkc_data_offset);
	wr32(gpu, f->base2 + FALCON2_BROM_ENGIDMASK, p->engine_id_mask);
	wr32(gpu, f->base2 + FALCON2_BROM_CURR_UCODE_ID, p->ucode_id);
	wr32(gpu, f->base2 + FALCON2_MOD_SEL, 1 /* RSA3K */);
}

static int falcon_dma_transfer(void *gpu, const struct nvc_falcon *f, const struct nvc_dma *img,
			       const struct nvc_target *t, bool imem, bool secure)
{
	u64 len = ALIGN((u64)t->len, DMA_BLOCK), base, pos;
	u32 cmd;
	int err;

	if ((u64)t->src + len > img->size)
		return -EINVAL;
	base = imem ? img->addr : img->addr + t->src;
	if (base % DMA_BLOCK || base >= BIT_ULL(49) || t->dst % DMA_BLOCK)
		return -EINVAL;
	wr32(gpu, f->base + FALCON_DMATRFBASE, (u32)(base >> 8));
	wr32(gpu, f->base + FALCON_DMATRFBASE1, (base >> 40) & 0x1ff);
	cmd = (imem ? DMATRFCMD_IMEM : 0) | ((secure ? 1 : 0) << 2) | DMATRFCMD_SIZE_256B;
	for (pos = 0; pos < len; pos += DMA_BLOCK) {
		if (t->dst + pos >= BIT(24))
			return -EINVAL;
		wr32(gpu, f->base + FALCON_DMATRFMOFFS, t->dst + pos);
		wr32(gpu, f->base + FALCON_DMATRFFBOFFS, (imem ? t->src : 0) + pos);
		wr32(gpu, f->base + FALCON_DMATRFCMD, cmd);
		err = poll32(gpu, f->base + FALCON_DMATRFCMD, DMATRFCMD_IDLE, DMATRFCMD_IDLE,
			     10, 2000000);
		if (err)
			return err;
	}
	return 0;
}

static int falcon_pio_imem(void *gpu, const struct nvc_falcon *f, const struct nvc_dma *img,
			   const struct nvc_target *t, bool secure)
{
	u8 block[DMA_BLOCK];
	u32 pos, i, n, word;

	if (t->len % 4 || t->dst % DMA_BLOCK || t->dst > 0xffff)
		return -EINVAL;
	wr32(gpu, f->base + FALCON_IMEMC, t->dst | MEMC_AINCW | (secure ? IMEMC_SECURE : 0));
	for (pos = 0; pos < t->len; pos += DMA_BLOCK) {
		n = min_t(u32, t->len - pos, DMA_BLOCK);
		memset(block, 0, sizeof(block));
		if ((u64)t->src + pos + n > img->size)
			return -EINVAL;
		memcpy(block, img->cpu + t->src + pos, n);
		wr32(gpu, f->base + FALCON_IMEMT, ((t->dst + pos) >> 8) & 0xffff);
		for (i = 0; i < DMA_BLOCK; i += 4) {
			memcpy(&word, block + i, 4);
			wr32(gpu, f->base + FALCON_IMEMD, word);
		}
	}
	return 0;
}

static int falcon_pio_dmem(void *gpu, const struct nvc_falcon *f, const struct nvc_dma *img,
			   const struct nvc_target *t)
{
	u32 pos, word;

	if (t->len % 4 || t->dst > 0xffff)
		return -EINVAL;
	wr32(gpu, f->base + FALCON_DMEMC, t->dst | MEMC_AINCW);
	for (pos = 0; pos < t->len; pos += 4) {
		if ((u64)t->src + pos + 4 > img->size)
			return -EINVAL;
		memcpy(&word, img->cpu + t->src + pos, 4);
		wr32(gpu, f->base + FALCON_DMEMD, word);
	}
	return 0;
}

static int falcon_load(void *gpu, const struct nvc_falcon *f, const struct nvc_dma *img,
		       const struct nvc_load *p)
{
	int err;

	falcon_dma_reset(gpu, f);
	if (f->hal == FALCON_HAL_GA102) {
		wr32(gpu, f->base + FBIF_TRANSCFG, 1 /* coherent sysmem */ | BIT(2) /* physical */);
		if (p->imem_ns.len) {
			err = falcon_dma_transfer(gpu, f, img, &p->imem_ns, true, false);
			if (err)
				return err;
		}
		err = falcon_dma_transfer(gpu, f, img, &p->imem_sec, true, true);
		if (!err)
			err = falcon_dma_transfer(gpu, f, img, &p->dmem, false, false);
	} else {
		if (p->imem_ns.len) {
			err = falcon_pio_imem(gpu, f, img, &p->imem_ns, false);
			if (err)
				return err;
		}
		err = falcon_pio_imem(gpu, f, img, &p->imem_sec, true);
		if (!err)
			err = falcon_pio_dmem(gpu, f, img, &p->dmem);
	}
	if (err)
		return err;
	falcon_program_brom(gpu, f, p);
	wr32(gpu, f->base + FALCON_BOOTVEC, p->boot_addr);
	return 0;
}

/* The generic bootloader's DMEM descriptor (RM_FLCN_BL_DMEM_DESC, version 2). */
struct nvc_bl_dmem_desc {
	u32 reserved[4], signature[4], ctx_dma;
	u64 code_dma_base;
	u32 non_sec_code_off, non_sec_code_size, sec_code_off, sec_code_size, code_entry_point;
	u64 data_dma_base;
	u32 data_size, argc, argv;
} __packed;

/* The generic bootloader: its code padded to 256-byte blocks, its start tag and DMEM offset. */
struct nvc_gen_bl {
	u8 *code;
	u32 size, start_tag, dmem_off;
};

/*
 * Turing: loads the generic bootloader by PIO at the top of the first 64 KiB
 * of IMEM (tags from its start tag), its descriptor into DMEM, points DMA
 * context 4 at physical system memory and sets the boot vector.
 */
static int falcon_load_bootloader(void *gpu, const struct nvc_falcon *f,
				  const struct nvc_gen_bl *bl, const struct nvc_bl_dmem_desc *desc)
{
	u32 dst = SZ_64K - bl->size, pos, i, word;
	const u8 *d = (const u8 *)desc;

	if (bl->start_tag + bl->size / DMA_BLOCK > 0x10000 || bl->dmem_off > 0xffff)
		return -ERANGE;
	falcon_dma_reset(gpu, f);
	wr32(gpu, f->base + FALCON_IMEMC, dst | MEMC_AINCW);
	for (pos = 0; pos < bl->size; pos += DMA_BLOCK) {
		wr32(gpu, f->base + FALCON_IMEMT, bl->start_tag + pos / DMA_BLOCK);
		for (i = 0; i < DMA_BLOCK; i += 4) {
			memcpy(&word, bl->code + pos + i, 4);
			wr32(gpu, f->base + FALCON_IMEMD, word);
		}
	}
	wr32(gpu, f->base + FALCON_DMEMC, bl->dmem_off | MEMC_AINCW);
	for (pos = 0; pos < sizeof(*desc); pos += 4) {
		memcpy(&word, d + pos, 4);
		wr32(gpu, f->base + FALCON_DMEMD, word);
	}
	wr32(gpu, f->base + FALCON_BOOTVEC, bl->start_tag << 8);
	wr32(gpu, f->base + FBIF_TRANSCFG + 4 * 4, 1 /* coherent sysmem */ | BIT(2) /* physical */);
	return 0;
}

/* Starts the CPU with MAILBOX0 = mbox0 and waits for it to halt. */
static int falcon_boot(void *gpu, const struct nvc_falcon *f, u32 mbox0, u32 *out0, u32 *out1)
{
	int err;

	wr32(gpu, f->base + FALCON_MAILBOX0, mbox0);
	if (rd32(gpu, f->base + FALCON_CPUCTL) & CPUCTL_ALIAS_EN)
		wr32(gpu, f->base + FALCON_CPUCTL_ALIAS, CPUCTL_STARTCPU);
	else
		wr32(gpu, f->base + FALCON_CPUCTL, CPUCTL_STARTCPU);
	err = poll32(gpu, f->base + FALCON_CPUCTL, CPUCTL_HALTED, CPUCTL_HALTED, 100, 2000000);
	if (err)
		return err;
	*out0 = rd32(gpu, f->base + FALCON_MAILBOX0);
	*out1 = rd32(gpu, f->base + FALCON_MAILBOX1);
	return 0;
}

static int fuse_version(void *gpu, const struct nvc_falcon *f, u16 engine_id_mask, u8 ucode_id,
			u32 *version)
{
	u32 fuse, i;

	*version = 0;
	if (f->hal == FALCON_HAL_TU102)
		return 0;
	if (ucode_id < 1 || ucode_id > 16)
		return -EINVAL;
	i = ucode_id - 1;
	if (engine_id_mask & 0x0001)
		fuse = rd32(gpu, NV_FUSE_OPT_FPF_SEC2_UCODE1_VERSION(i));
	else if (engine_id_mask & 0x0004)
		fuse = rd32(gpu, NV_FUSE_OPT_FPF_NVDEC_UCODE1_VERSION(i));
	else if (engine_id_mask & 0x0400)
		fuse = rd32(gpu, NV_FUSE_OPT_FPF_GSP_UCODE1_VERSION(i));
	else
		return -EINVAL;
	fuse &= 0xffff;
	*version = fuse ? fls(fuse) : 0;
	return 0;
}

/* ------------------------------------------------------------- memory */

/* Coherent memory holding data[len], its size rounded up to a page. */
static int dma_copy(struct device *dev, const void *data, size_t len, struct nvc_dma *out)
{
	out->size = PAGE_ALIGN(len ? len : 1);
	out->cpu = dma_alloc_coherent(dev, out->size, &out->addr, GFP_KERNEL);
	if (!out->cpu)
		return -ENOMEM;
	memcpy(out->cpu, data, len);
	return 0;
}

static void dma_free(struct device *dev, struct nvc_dma *d)
{
	if (d->cpu)
		dma_free_coherent(dev, d->size, d->cpu, d->addr);
	d->cpu = NULL;
}

/* A vmalloc'd copy of an image, mapped for the device through an sg table. */
struct nvc_sg {
	void *buf;
	size_t len;
	struct sg_table sgt;
};

static int sg_map_copy(struct device *dev, const void *src, size_t len, struct nvc_sg *m)
{
	unsigned int n = DIV_ROUND_UP(len, PAGE_SIZE), i;
	struct page **pages;
	int err;

	m->buf = vmalloc(len);
	if (!m->buf)
		return -ENOMEM;
	memcpy(m->buf, src, len);
	m->len = len;
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		err = -ENOMEM;
		goto free_buf;
	}
	for (i = 0; i < n; i++)
		pages[i] = vmalloc_to_page(m->buf + (size_t)i * PAGE_SIZE);
	err = sg_alloc_table_from_pages(&m->sgt, pages, n, 0, len, GFP_KERNEL);
	kvfree(pages);
	if (err)
		goto free_buf;
	err = dma_map_sgtable(dev, &m->sgt, DMA_TO_DEVICE, 0);
	if (err)
		goto free_table;
	return 0;
free_table:
	sg_free_table(&m->sgt);
free_buf:
	vfree(m->buf);
	return err;
}

static void sg_unmap_free(struct device *dev, struct nvc_sg *m)
{
	dma_unmap_sgtable(dev, &m->sgt, DMA_TO_DEVICE, 0);
	sg_free_table(&m->sgt);
	vfree(m->buf);
}

/* ------------------------------------------------------------- firmware */

/*
 * As nova-core: nvidia/<chip>/gsp/<tlv>.tlv first (quietly), then <name>-570.144.bin.
 * This C side parses only the .bin form; the benchmark's chips have no TLV files.
 */
static int request_fw(struct device *dev, const struct nvc_chip *c, const char *name,
		      const struct firmware **fw)
{
	const char *tlv = strcmp(name, "bootloader") ? name : "gsp_bootloader";
	char path[64];
	int err;

	snprintf(path, sizeof(path), "nvidia/%s/gsp/%s.tlv", c->lower, tlv);
	err = firmware_request_nowarn(fw, path, dev);
	if (!err) {
		release_firmware(*fw);
		dev_err(dev, "%s: TLV files are not parsed here\n", path);
		return -EINVAL;
	}
	if (err != -ENOENT)
		return err;
	snprintf(path, sizeof(path), "nvidia/%s/gsp/%s-570.144.bin", c->lower, name);
	err = request_firmware(fw, path, dev);
	if (err)
		dev_err(dev, "cannot load %s (%d)\n", path, err);
	return err;
}

/* Section name of ELF64 elf[len]: its bytes in *out; -ENOENT, -EINVAL, -ERANGE. */
static int elf64_section(const u8 *elf, size_t len, const char *name, const u8 **out,
			 size_t *out_len)
{
	static const u8 magic[] = { 0x7f, 'E', 'L', 'F', 2, 1 };
	u64 shoff, h, soff, ssize, str_off, str_size;
	u16 shentsize, shnum, shstrndx;
	size_t want = strlen(name), i;
	u32 name_off;

	if (len < 64 || memcmp(elf, magic, sizeof(magic)))
		return -EINVAL;
	memcpy(&shoff, elf + 0x28, 8);
	memcpy(&shentsize, elf + 0x3a, 2);
	memcpy(&shnum, elf + 0x3c, 2);
	memcpy(&shstrndx, elf + 0x3e, 2);
	if (shentsize < 64 || shstrndx >= shnum)
		return -EINVAL;
	/* Every section header inside the file (the last one ends the furthest). */
	if (check_add_overflow(shoff, (u64)(shnum - 1) * shentsize, &h) || h > len || 64 > len - h)
		return -ERANGE;
	h = shoff + (u64)shstrndx * shentsize;
	memcpy(&str_off, elf + h + 0x18, 8);
	memcpy(&str_size, elf + h + 0x20, 8);
	if (str_off > len || str_size > len - str_off)
		return -ERANGE;
	for (i = 0; i < shnum; i++) {
		h = shoff + (u64)i * shentsize;
		memcpy(&name_off, elf + h, 4);
		if (name_off > str_size || want + 1 > str_size - name_off)
			continue;
		if (memcmp(elf + str_off + name_off, name, want) || elf[str_off + name_off + want])
			continue;
		memcpy(&soff, elf + h + 0x18, 8);
		memcpy(&ssize, elf + h + 0x20, 8);
		if (soff > len || ssize > len - soff)
			return -ERANGE;
		*out = elf + soff;
		*out_len = ssize;
		return 0;
	}
	return -ENOENT;
}

struct bin_hdr {
	u32 bin_magic, bin_ver, bin_size, header_offset, data_offset, data_size;
};

static int bin_hdr(const struct firmware *fw, struct bin_hdr *h)
{
	if (fw->size < sizeof(*h))
		return -EINVAL;
	memcpy(h, fw->data, sizeof(*h));
	if (h->bin_magic != 0x10de || h->data_offset > fw->size ||
	    h->data_size > fw->size - h->data_offset)
		return -EINVAL;
	return 0;
}

/* nvidia/<chip>/gsp/gen_bootloader-570.144.bin: BinHdr, BootloaderDesc, the code in the payload. */
static int gen_bl_load(struct device *dev, const struct nvc_chip *c, struct nvc_gen_bl *bl)
{
	const struct firmware *fw;
	struct bin_hdr h;
	u32 desc[6]; /* start_tag, dmem_load_off, code_off, code_size, data_off, data_size */
	int err;

	err = request_fw(dev, c, "gen_bootloader", &fw);
	if (err)
		return err;
	err = bin_hdr(fw, &h);
	if (!err && (h.header_offset > fw->size || fw->size - h.header_offset < sizeof(desc)))
		err = -EINVAL;
	if (!err) {
		memcpy(desc, fw->data + h.header_offset, sizeof(desc));
		if (!desc[3] || desc[3] % 4 || desc[3] > SZ_64K || desc[2] > h.data_size ||
		    desc[3] > h.data_size - desc[2])
			err = -EINVAL;
	}
	if (!err) {
		bl->size = ALIGN(desc[3], DMA_BLOCK);
		bl->start_tag = desc[0];
		bl->dmem_off = desc[1];
		bl->code = kzalloc(bl->size, GFP_KERNEL);
		if (bl->code)
			memcpy(bl->code, fw->data + h.data_offset + desc[2], desc[3]);
		else
			err = -ENOMEM;
	}
	if (err)
		dev_err(dev, "generic bootloader: malformed file (%d)\n", err);
	release_firmware(fw);
	return err;
}

static const char *gsp_signature_section(u32 id)
{
	switch (id >> 4) {
	case 0x16:
		return id == 0x167 || id == 0x168 ? ".fwsignature_tu11x" : ".fwsignature_tu10x";
	case 0x17:
		return id == 0x170 ? ".fwsignature_tu10x" : ".fwsignature_ga10x";
	}
	return ".fwsignature_ad10x";
}

struct nvc_gsp_fw {
	struct nvc_sg image;
	struct nvc_dma sigs;
};

static int gsp_fw_load(struct device *dev, const struct nvc_chip *c, struct nvc_gsp_fw *g)
{
	const struct firmware *fw;
	const u8 *image, *sigs;
	size_t image_len, sigs_len;
	int err;

	err = request_fw(dev, c, "gsp", &fw);
	if (err)
		return err;
	if (elf64_section(fw->data, fw->size, ".fwimage", &image, &image_len) ||
	    elf64_section(fw->data, fw->size, gsp_signature_section(c->id), &sigs, &sigs_len) ||
	    !image_len || !sigs_len) {
		dev_err(dev, "GSP firmware: not an ELF file with .fwimage and %s\n",
			gsp_signature_section(c->id));
		err = -EINVAL;
		goto out;
	}
	err = sg_map_copy(dev, image, image_len, &g->image);
	if (err)
		goto out;
	err = dma_copy(dev, sigs, sigs_len, &g->sigs);
	if (err)
		sg_unmap_free(dev, &g->image);
out:
	release_firmware(fw);
	return err;
}

struct nvc_bootloader {
	struct nvc_dma ucode;
	u32 app_version, code_offset, data_offset, manifest_offset;
};

static int bootloader_load(struct device *dev, const struct nvc_chip *c, struct nvc_bootloader *b)
{
	const struct firmware *fw;
	struct bin_hdr h;
	u32 desc[14];
	int err;

	err = request_fw(dev, c, "bootloader", &fw);
	if (err)
		return err;
	if (bin_hdr(fw, &h) || h.header_offset > fw->size ||
	    sizeof(desc) > fw->size - h.header_offset) {
		dev_err(dev, "GSP bootloader: malformed container\n");
		err = -EINVAL;
		goto out;
	}
	memcpy(desc, fw->data + h.header_offset, sizeof(desc));
	b->app_version = desc[7];
	b->code_offset = desc[12];
	b->data_offset = desc[10];
	b->manifest_offset = desc[8];
	err = dma_copy(dev, fw->data + h.data_offset, h.data_size, &b->ucode);
out:
	release_firmware(fw);
	return err;
}

struct nvc_booter {
	struct nvc_dma ucode;
	struct nvc_load params;
};

/* Reads a u32 at off of fw into *v: 0, or -ERANGE past the end of fw. */
static int fw_u32(const struct firmware *fw, u64 off, u32 *v)
{
	if (off > fw->size || 4 > fw->size - off)
		return -ERANGE;
	memcpy(v, fw->data + off, 4);
	return 0;
}

static int booter_parse(struct device *dev, const struct firmware *fw, const struct nvc_chip *c,
			void *gpu, const struct nvc_falcon *sec2, struct nvc_booter *b)
{
	struct bin_hdr bin;
	u32 hs[9], params[3], load[5], app0_offset, app0_len, patch_loc, num_sigs, sig_size;
	u32 fuse, idx, sig_start;
	struct nvc_load *p = &b->params;
	u64 at;
	u8 *image;
	int err, i;

	err = bin_hdr(fw, &bin);
	if (err)
		return err;
	for (i = 0; i < 9; i++)
		if (fw_u32(fw, (u64)bin.header_offset + 4 * i, &hs[i]))
			return -ERANGE;
	/*
	 * hs: sig_prod_offset, sig_prod_size, patch_loc_offset, patch_sig_offset,
	 * meta_data_offset, meta_data_size, num_sig_offset, header_offset, header_size
	 */
	if (hs[5] != sizeof(params))
		return -EINVAL;
	for (i = 0; i < 3; i++)
		if (fw_u32(fw, (u64)hs[4] + 4 * i, &params[i]))
			return -ERANGE;
	for (i = 0; i < 5; i++)
		if (fw_u32(fw, (u64)hs[7] + 4 * i, &load[i]))
			return -ERANGE;
	/* load: os_code_offset, os_code_size, os_data_offset, os_data_size, num_apps */
	if (!load[4])
		return -EINVAL;
	if (fw_u32(fw, (u64)hs[7] + sizeof(load), &app0_offset) ||
	    fw_u32(fw, (u64)hs[7] + sizeof(load) + 4, &app0_len) ||
	    fw_u32(fw, hs[2], &patch_loc))
		return -ERANGE;

	image = kmalloc(bin.data_size, GFP_KERNEL);
	if (!image)
		return -ENOMEM;
	memcpy(image, fw->data + bin.data_offset, bin.data_size);
	err = -ERANGE;
	if (hs[6] > fw->size || 4 > fw->size - hs[6])
		goto out;
	memcpy(&num_sigs, fw->data + hs[6], 4);
	if (num_sigs) {
		err = -EINVAL;
		sig_size = hs[1] / num_sigs;
		if (!sig_size)
			goto out;
		err = fuse_version(gpu, sec2, params[1], params[2], &fuse);
		if (err)
			goto out;
		/* Fuse version 0 (Turing: none read) takes the last signature. */
		idx = fuse == 0 ? num_sigs - 1 : params[0] - fuse;
		err = -EINVAL;
		if (idx >= num_sigs)
			goto out;
		err = -ERANGE;
		if (hs[3] > fw->size || 4 > fw->size - hs[3])
			goto out;
		memcpy(&sig_start, fw->data + hs[3], 4);
		at = (u64)hs[0] + sig_start + (u64)idx * sig_size;
		if (at > fw->size || sig_size > fw->size - at || patch_loc > bin.data_size ||
		    sig_size > bin.data_size - patch_loc)
			goto out;
		memcpy(image + patch_loc, fw->data + at, sig_size);
	}
	err = -EINVAL;
	if (patch_loc < load[2])
		goto out;
	memset(p, 0, sizeof(*p));
	p->pkc_data_offset = patch_loc - load[2];
	p->engine_id_mask = params[1];
	p->ucode_id = params[2];
	p->dmem = (struct nvc_target){ load[2], 0, load[3] };
	if (c->id > 0x170) {
		p->imem_sec = (struct nvc_target){ app0_offset, 0, app0_len };
		p->boot_addr = app0_offset;
	} else {
		p->imem_sec = (struct nvc_target){ app0_offset, app0_offset, app0_len };
		p->imem_ns = (struct nvc_target){ 0, load[0], load[1] };
		p->boot_addr = load[0];
	}
	err = -ERANGE;
	if ((u64)app0_offset + app0_len > bin.data_size || (u64)load[2] + load[3] > bin.data_size)
		goto out;
	err = dma_copy(dev, image, bin.data_size, &b->ucode);
out:
	kfree(image);
	return err;
}

static int booter_load(struct device *dev, const struct nvc_chip *c, void *gpu,
		       const struct nvc_falcon *sec2, struct nvc_booter *b)
{
	const struct firmware *fw;
	int err;

	err = request_fw(dev, c, "booter_load", &fw);
	if (err)
		return err;
	err = booter_parse(dev, fw, c, gpu, sec2, b);
	if (err)
		dev_err(dev, "Booter: malformed or unsigned for this GPU (%d)\n", err);
	release_firmware(fw);
	return err;
}

/* ------------------------------------------------------------- framebuffer */

struct nvc_range {
	u64 start, end;
};

struct nvc_layout {
	struct nvc_range fb, vga_workspace, frts, boot, elf, wpr2_heap, wpr2, heap;
	u32 vf_partition_count;
};

static int fb_hal(u32 id, enum nvc_fb_hal *hal)
{
	switch (id >> 4) {
	case 0x16:
		*hal = FB_HAL_TU102;
		return 0;
	case 0x17:
		*hal = id == 0x170 ? FB_HAL_GA100 : FB_HAL_GA102;
		return 0;
	case 0x19:
		*hal = FB_HAL_GA102;
		return 0;
	}
	return -ENOTSUPP;
}

static u64 wpr_heap_size(u32 id, u64 fb_size)
{
	u64 carveout = 0, min = SZ_64M, max = SZ_256M, gbs, size;

	if (id >= 0x172) {
		carveout = 23068672;
		min = 88 * SZ_1M;
		max = 280 * SZ_1M;
	}
	gbs = (fb_size + SZ_1G - 1) >> 30;
	size = carveout + 8388608 + 100663296 + ALIGN(98304 * gbs, SZ_1M);
	return clamp(size, min, max - 1);
}

/* a - b into *r, or -EINVAL if it would wrap. */
static int sub(u64 a, u64 b, u64 *r)
{
	if (b > a)
		return -EINVAL;
	*r = a - b;
	return 0;
}

static int fb_layout(void *gpu, const struct nvc_chip *c, enum nvc_fb_hal hal, u64 bootloader_size,
		     u64 elf_size, struct nvc_layout *l)
{
	u64 vram, vga_base, vga_start, frts_end, t, heap_size;
	bool display;
	u32 r;

	if (hal == FB_HAL_GA102) {
		vram = (u64)rd32(gpu, NV_USABLE_FB_SIZE_IN_MB) << 20;
	} else {
		r = rd32(gpu, NV_PFB_PRI_MMU_LOCAL_MEMORY_RANGE);
		vram = (u64)((r >> 4) & 0x3f) << (r & 0xf) << 20;
		if (r & BIT(30))
			vram = vram / 16 * 15;
	}
	display = !(rd32(gpu, hal == FB_HAL_TU102 ? NV_FUSE_STATUS_OPT_DISPLAY_GM107 :
						    NV_FUSE_STATUS_OPT_DISPLAY_GA100) & 1);
	memset(l, 0, sizeof(*l));
	l->fb = (struct nvc_range){ 0, vram };
	if (sub(vram, SZ_1M, &vga_base))
		return -EINVAL;
	vga_start = vga_base;
	if (display) {
		r = rd32(gpu, NV_PDISP_VGA_WORKSPACE_BASE);
		if (r & BIT(3)) {
			u64 addr = (u64)(r >> 8) << 16;

			if (addr < vga_base) {
				if (sub(vram, SZ_128K, &vga_start))
					return -EINVAL;
			} else {
				vga_start = addr;
			}
		}
	}
	if (vga_start > vram)
		return -EINVAL;
	l->vga_workspace = (struct nvc_range){ vga_start, vram };
	frts_end = ALIGN_DOWN(vga_start, SZ_128K);
	if (sub(frts_end, SZ_1M, &t))
		return -EINVAL;
	l->frts = (struct nvc_range){ t, frts_end };
	if (sub(l->frts.start, bootloader_size, &t))
		return -EINVAL;
	t = ALIGN_DOWN(t, SZ_4K);
	l->boot = (struct nvc_range){ t, t + bootloader_size };
	if (sub(l->boot.start, elf_size, &t))
		return -EINVAL;
	t = ALIGN_DOWN(t, SZ_64K);
	l->elf = (struct nvc_range){ t, t + elf_size };
	heap_size = wpr_heap_size(c->id, vram);
	if (sub(l->elf.start, heap_size, &t))
		return -EINVAL;
	l->wpr2_heap = (struct nvc_range){ ALIGN_DOWN(t, SZ_1M), ALIGN_DOWN(l->elf.start, SZ_1M) };
	if (sub(l->wpr2_heap.start, 256 /* WPR metadata */, &t))
		return -EINVAL;
	l->wpr2 = (struct nvc_range){ ALIGN_DOWN(t, SZ_1M), l->frts.end };
	if (sub(l->wpr2.start, SZ_1M, &t))
		return -EINVAL;
	l->heap = (struct nvc_range){ t, l->wpr2.start };
	return 0;
}

/* ------------------------------------------------------------- FWSEC */

/* The PROM window, 32 bits at a time. */
static void read_prom(void *gpu, u8 *dst, size_t off, size_t n)
{
	size_t i;
	u32 v;

	for (i = 0; i < n; i += 4) {
		v = rd32(gpu, NV_PROM + off + i);
		memcpy(dst + i, &v, 4);
	}
}

static int fwsec_read(struct device *dev, void *gpu, struct nova_c_fwsec *f)
{
	int err = nova_c_vbios_fwsec(read_prom, gpu, f);

	if (err)
		dev_err(dev, "VBIOS: malformed ROM (%d)\n", err);
	return err;
}

static void fwsec_load_params(const struct nova_c_fwsec *d, struct nvc_load *p)
{
	memset(p, 0, sizeof(*p));
	if (d->version == 2) {
		u32 sec_start = d->imem_sec_base - d->imem_virt_base;

		p->imem_ns = (struct nvc_target){ 0, d->imem_phys_base,
						  d->imem_load_size - d->imem_sec_size };
		p->imem_sec = (struct nvc_target){ sec_start, d->imem_phys_base + sec_start,
						   d->imem_sec_size };
		p->dmem = (struct nvc_target){ d->dmem_offset, d->dmem_phys_base,
					       d->dmem_load_size };
		p->boot_addr = d->virtual_entry;
	} else {
		p->imem_sec = (struct nvc_target){ 0, d->imem_phys_base, d->imem_load_size };
		p->dmem = (struct nvc_target){ d->imem_load_size, d->dmem_phys_base,
					       d->dmem_load_size };
		p->pkc_data_offset = d->pkc_data_offset;
		p->engine_id_mask = d->engine_id_mask;
		p->ucode_id = d->ucode_id;
	}
}

/* Bytes [off, off + n) of img[len] exist. */
static bool in(size_t len, u64 off, u64 n)
{
	return off <= len && n <= len - off;
}

/* FWSEC's ucode patched for CMD_FRTS (and signature sig for V3), kmalloc'd. */
static int fwsec_patch_frts(const struct nova_c_fwsec *d, u64 frts_addr, u64 frts_size, u32 sig,
			    u8 **out)
{
	size_t len = (size_t)d->imem_load_size + d->dmem_load_size;
	u64 dmem = d->version == 2 ? d->dmem_offset : d->imem_load_size;
	u64 hdr = dmem + d->interface_offset, e, mapper, cmd_at;
	u8 header_size, entry_size, entry_count, *img;
	u32 cmd[11], id, v;
	int err = -ENOTSUPP, i;

	img = kmemdup(d->ucode, len, GFP_KERNEL);
	if (!img)
		return -ENOMEM;
	if (!in(len, hdr, 4)) {
		err = -ERANGE;
		goto fail;
	}
	header_size = img[hdr + 1];
	entry_size = img[hdr + 2];
	entry_count = img[hdr + 3];
	if (img[hdr] != 1 || entry_size < 8) {
		err = -EINVAL;
		goto fail;
	}
	for (i = 0; i < entry_count; i++) {
		e = hdr + header_size + (u64)i * entry_size;
		if (!in(len, e, 8)) {
			err = -ERANGE;
			goto fail;
		}
		memcpy(&id, img + e, 4);
		if (id != 4 /* DMEMMAPPER */)
			continue;
		memcpy(&v, img + e + 4, 4);
		mapper = dmem + v;
		if (!in(len, mapper, 64)) {
			err = -ERANGE;
			goto fail;
		}
		v = 0x15; /* CMD_FRTS */
		memcpy(img + mapper + 44, &v, 4);
		memcpy(&v, img + mapper + 8, 4);
		cmd_at = dmem + v;
		if ((frts_addr >> 12) > U32_MAX || (frts_size >> 12) > U32_MAX) {
			err = -EINVAL;
			goto fail;
		}
		/*
		 * ReadVbios { ver 1, hdr 24, addr 0, size 0, flags 2 }, FrtsRegion
		 * { ver 1, hdr 20, addr, size (4 KiB units), type FB }.
		 */
		memset(cmd, 0, sizeof(cmd));
		cmd[0] = 1;
		cmd[1] = 24;
		cmd[5] = 2;
		cmd[6] = 1;
		cmd[7] = 20;
		cmd[8] = frts_addr >> 12;
		cmd[9] = frts_size >> 12;
		cmd[10] = 2;
		if (!in(len, cmd_at, sizeof(cmd))) {
			err = -ERANGE;
			goto fail;
		}
		memcpy(img + cmd_at, cmd, sizeof(cmd));
		if (d->version == 3 && d->sig_count) {
			if (sig >= d->sig_count ||
			    !in(len, dmem + d->pkc_data_offset, NOVA_C_SIG_SIZE)) {
				err = -ERANGE;
				goto fail;
			}
			memcpy(img + dmem + d->pkc_data_offset,
			       d->sigs + (size_t)sig * NOVA_C_SIG_SIZE, NOVA_C_SIG_SIZE);
		}
		*out = img;
		return 0;
	}
fail:
	kfree(img);
	return err;
}

static int run_fwsec_frts(struct device *dev, void *gpu, const struct nvc_falcon *gsp,
			  const struct nova_c_fwsec *d, const struct nvc_layout *l,
			  const struct nvc_gen_bl *bl, struct nvc_range *wpr2)
{
	struct nvc_dma ucode = {};
	struct nvc_load params;
	struct nvc_bl_dmem_desc desc = {};
	u32 sig = 0, fuse, m0, m1, err_code, pad = 0, len;
	u8 *img, *mirror;
	int err;

	if (rd32(gpu, NV_PFB_PRI_MMU_WPR2_ADDR_HI) >> 4) {
		dev_err(dev, "WPR2 region already exists - GPU needs to be reset to proceed\n");
		return -EBUSY;
	}
	if (d->version == 3 && d->sig_count) {
		err = fuse_version(gpu, gsp, d->engine_id_mask, d->ucode_id, &fuse);
		if (err)
			return err;
		if (fuse >= 16 || !(d->signature_versions & BIT(fuse))) {
			dev_err(dev, "FWSEC: no matching signature: fuse version %u, signature versions %#x\n",
				fuse, d->signature_versions);
			return -EINVAL;
		}
		sig = hweight16(d->signature_versions & (BIT(fuse) - 1));
	}
	err = fwsec_patch_frts(d, l->frts.start, l->frts.end - l->frts.start, sig, &img);
	if (err) {
		dev_err(dev, "FWSEC: cannot patch the FRTS command (%d)\n", err);
		return err;
	}
	len = d->imem_load_size + d->dmem_load_size;
	fwsec_load_params(d, &params);
	if (bl) {
		/* The mirror: each part of FWSEC at its IMEM offset. */
		const struct nvc_target *ns = &params.imem_ns, *sec = &params.imem_sec;

		if (!ns->len || params.dmem.dst || sec->dst < sec->src ||
		    ns->dst - ns->src != sec->dst - sec->src ||
		    sec->dst + sec->len > SZ_64K - bl->size) {
			dev_err(dev, "FWSEC: its layout cannot go through the generic bootloader\n");
			kfree(img);
			return -EINVAL;
		}
		pad = params.imem_sec.dst - params.imem_sec.src;
		mirror = kzalloc(pad + len, GFP_KERNEL);
		if (!mirror) {
			kfree(img);
			return -ENOMEM;
		}
		memcpy(mirror + pad, img, len);
		kfree(img);
		img = mirror;
		len += pad;
	}
	err = dma_copy(dev, img, len, &ucode);
	kfree(img);
	if (err)
		return err;
	if (bl) {
		desc.ctx_dma = 4;
		desc.code_dma_base = ucode.addr;
		desc.non_sec_code_off = params.imem_ns.dst;
		desc.non_sec_code_size = params.imem_ns.len;
		desc.sec_code_off = params.imem_sec.dst;
		desc.sec_code_size = params.imem_sec.len;
		desc.data_dma_base = ucode.addr + pad + params.dmem.src;
		desc.data_size = params.dmem.len;
	}

	err = falcon_reset(gpu, gsp);
	if (err) {
		dev_err(dev, "Failed to reset GSP falcon (%d)\n", err);
		goto out;
	}
	if (bl)
		err = falcon_load_bootloader(gpu, gsp, bl, &desc);
	else
		err = falcon_load(gpu, gsp, &ucode, &params);
	if (err) {
		dev_err(dev, "Failed to load FWSEC firmware (%d)\n", err);
		goto out;
	}
	err = falcon_boot(gpu, gsp, 0, &m0, &m1);
	if (err) {
		dev_err(dev, "Failed to boot FWSEC firmware (%d)\n", err);
		goto out;
	}
	err = -EIO;
	if (m0) {
		dev_err(dev, "FWSEC firmware returned error %u\n", m0);
		goto out;
	}
	err_code = rd32(gpu, NV_PBUS_SW_SCRATCH_0E) >> 16;
	if (err_code) {
		dev_err(dev, "FWSEC-FRTS returned with error code %#x\n", err_code);
		goto out;
	}
	wpr2->start = (u64)(rd32(gpu, NV_PFB_PRI_MMU_WPR2_ADDR_LO) >> 4) << 12;
	wpr2->end = (u64)(rd32(gpu, NV_PFB_PRI_MMU_WPR2_ADDR_HI) >> 4) << 12;
	if (!wpr2->end) {
		dev_err(dev, "WPR2 region not created after FWSEC-FRTS\n");
		goto out;
	}
	if (wpr2->start != l->frts.start) {
		dev_err(dev, "WPR2 region created at unexpected address %#llx; expected %#llx\n",
			wpr2->start, l->frts.start);
		goto out;
	}
	dev_info(dev, "WPR2: %#llx-%#llx\n", wpr2->start, wpr2->end);
	err = 0;
out:
	dma_free(dev, &ucode);
	return err;
}

/* ------------------------------------------------------------- the GPU */

struct nvc_gpu {
	const struct nvc_chip *chip;
	u32 major, minor;
	enum nvc_fb_hal fb_hal;
	struct nvc_dma flush;
	struct nvc_falcon gsp, sec2;
	struct nvc_layout layout;
	struct nvc_range wpr2;
	u32 fwsec_version;
	struct nvc_booter booter;
};

static int identify(struct device *dev, void *gpu, struct nvc_gpu *g)
{
	u32 boot0 = rd32(gpu, NV_PMC_BOOT_0), boot42, arch, impl, id;
	size_t i;

	if (!(boot0 & BIT(8)) && ((boot0 >> 24) & 0x1f) < 0xc) {
		dev_err(dev, "Unsupported pre-Fermi GPU: boot0 = %#010x\n", boot0);
		return -ENODEV;
	}
	boot42 = rd32(gpu, NV_PMC_BOOT_42);
	arch = (boot42 >> 24) & 0x3f;
	impl = (boot42 >> 20) & 0xf;
	id = arch << 4 | impl;
	g->chip = NULL;
	for (i = 0; i < ARRAY_SIZE(nvc_chips) && !g->chip; i++)
		if (nvc_chips[i].id == id)
			g->chip = &nvc_chips[i];
	if (!arch_name(arch) || !g->chip) {
		dev_err(dev, "Unsupported chipset: boot42 = %#010x (architecture %#x, implementation %#x)\n",
			boot42, arch, impl);
		return -ENODEV;
	}
	g->major = (boot42 >> 16) & 0xf;
	g->minor = (boot42 >> 12) & 0xf;
	dev_info(dev, "NVIDIA (Chipset: %s, Architecture: %s, Revision: %x.%x)\n", g->chip->upper,
		 arch_name(arch), g->major, g->minor);
	return 0;
}

/*
 * GFW boot is complete once the progress register's read protection is
 * lowered and it reads 0xff (polled like poll32(), 1 ms apart, 4 s).
 */
static bool gfw_done(void *gpu)
{
	return (rd32(gpu, NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK) & 1) &&
	       (rd32(gpu, NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT) & 0xff) == 0xff;
}

static int wait_gfw_boot(struct device *dev, void *gpu)
{
	u64 deadline = ktime_get_ns() + 4000000ull * NSEC_PER_USEC;

	might_sleep();
	for (;;) {
		if (gfw_done(gpu))
			return 0;
		if (ktime_get_ns() > deadline) {
			if (gfw_done(gpu))
				return 0;
			dev_err(dev, "GFW boot did not complete\n");
			return -ETIMEDOUT;
		}
		fsleep(1000);
	}
}

static int flush_register(struct device *dev, void *gpu, struct nvc_gpu *g)
{
	struct nvc_dma *p = &g->flush;

	p->size = PAGE_SIZE;
	p->cpu = dma_alloc_coherent(dev, p->size, &p->addr, GFP_KERNEL);
	if (!p->cpu)
		return -ENOMEM;
	if (g->fb_hal == FB_HAL_TU102) {
		if (((u64)p->addr >> 8) > U32_MAX) {
			dma_free(dev, p);
			return -EINVAL;
		}
	} else {
		wr32(gpu, NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI, ((u64)p->addr >> 40) & 0xffffff);
	}
	wr32(gpu, NV_PFB_NISO_FLUSH_SYSMEM_ADDR, (u32)((u64)p->addr >> 8));
	return 0;
}

static void flush_unregister(struct device *dev, void *gpu, struct nvc_gpu *g)
{
	u64 v = (u64)rd32(gpu, NV_PFB_NISO_FLUSH_SYSMEM_ADDR) << 8;

	if (g->fb_hal != FB_HAL_TU102)
		v |= (u64)(rd32(gpu, NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI) & 0xffffff) << 40;
	if (v != g->flush.addr) {
		dev_warn(dev, "attempt to unregister a sysmem flush page that is not active\n");
		return;
	}
	if (g->fb_hal != FB_HAL_TU102)
		wr32(gpu, NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI, 0);
	wr32(gpu, NV_PFB_NISO_FLUSH_SYSMEM_ADDR, 0);
}

/* The GSP boot up to FWSEC-FRTS, then Booter's preparation. */
static int gsp_boot(struct device *dev, void *gpu, struct nvc_gpu *g)
{
	struct nova_c_fwsec fwsec;
	struct nvc_gsp_fw gsp_fw;
	struct nvc_bootloader bl;
	struct nvc_gen_bl gen_bl = {};
	bool needs_gen_bl = g->chip->id >> 4 == 0x16 || g->chip->id == 0x170;
	int err;

	err = fwsec_read(dev, gpu, &fwsec);
	if (err)
		return err;
	err = gsp_fw_load(dev, g->chip, &gsp_fw);
	if (err)
		goto free_fwsec;
	err = bootloader_load(dev, g->chip, &bl);
	if (err)
		goto free_gsp;
	if (needs_gen_bl) {
		err = gen_bl_load(dev, g->chip, &gen_bl);
		if (err)
			goto free_bl;
	}
	err = fb_layout(gpu, g->chip, g->fb_hal, bl.ucode.size, gsp_fw.image.len, &g->layout);
	if (err) {
		dev_err(dev, "cannot lay out the framebuffer for the GSP (VRAM size or VGA workspace out of range)\n");
		goto free_bl;
	}
	dev_dbg(dev, "FbLayout: fb %#llx, frts %#llx-%#llx, wpr2 %#llx-%#llx\n", g->layout.fb.end,
		g->layout.frts.start, g->layout.frts.end, g->layout.wpr2.start, g->layout.wpr2.end);
	err = run_fwsec_frts(dev, gpu, &g->gsp, &fwsec, &g->layout, needs_gen_bl ? &gen_bl : NULL,
			     &g->wpr2);
	if (err)
		goto free_bl;
	err = booter_load(dev, g->chip, gpu, &g->sec2, &g->booter);
	g->fwsec_version = fwsec.version;
free_bl:
	kfree(gen_bl.code);
	dma_free(dev, &bl.ucode);
free_gsp:
	dma_free(dev, &gsp_fw.sigs);
	sg_unmap_free(dev, &gsp_fw.image);
free_fwsec:
	nova_c_fwsec_free(&fwsec);
	return err;
}

static int nvc_probe(struct device *dev, void *gpu, struct nvc_gpu *g)
{
	enum nvc_falcon_hal gsp_hal, sec2_hal;
	u32 boot0;
	int err;

	err = identify(dev, gpu, g);
	if (err)
		return err;
	if (!boots_through_sec2(g->chip)) {
		dev_err(dev, "%s: booting %s GPUs (through FSP) is not supported yet\n",
			g->chip->upper, arch_name(g->chip->id >> 4));
		return -ENOTSUPP;
	}
	err = wait_gfw_boot(dev, gpu);
	if (err)
		return err;
	err = fb_hal(g->chip->id, &g->fb_hal);
	if (err)
		return err;
	err = flush_register(dev, gpu, g);
	if (err) {
		dev_err(dev, "cannot register the sysmem flush page (%d)\n", err);
		return err;
	}
	boot0 = rd32(gpu, NV_PMC_BOOT_0);
	if (falcon_hal(g->chip->id, &gsp_hal) || falcon_hal(g->chip->id, &sec2_hal)) {
		dev_err(dev, "%s: no falcon HAL for this chipset\n", g->chip->upper);
		err = -ENOTSUPP;
		goto fail;
	}
	g->gsp = (struct nvc_falcon){ 0x110000, 0x111000, gsp_hal, boot0 };
	g->sec2 = (struct nvc_falcon){ 0x840000, 0x841000, sec2_hal, boot0 };
	wr32(gpu, g->gsp.base + FALCON_IRQSCLR, BIT(6) /* SWGEN0 */);
	err = gsp_boot(dev, gpu, g);
	if (err)
		goto fail;
	return 0;
fail:
	flush_unregister(dev, gpu, g);
	dma_free(dev, &g->flush);
	return err;
}

static void nvc_unbind(struct device *dev, void *gpu, struct nvc_gpu *g)
{
	flush_unregister(dev, gpu, g);
	dma_free(dev, &g->booter.ucode);
	dma_free(dev, &g->flush);
}

/* ------------------------------------------------------------- workload */

/*
 * n probes and unbinds of a fresh simulated chip id; the simulator's
 * construction and teardown are excluded from the time.
 */
static long c_probe(u32 id, unsigned long n)
{
	struct device *dev = kcpp_bench_dma_dev;
	long sum = 0;
	unsigned long i;

	if (!dev)
		return -ENODEV;
	for (i = 0; i < n; i++) {
		struct nvc_gpu g = {};
		u64 t0 = ktime_get_ns();
		void *gpu = kcpp_bench_sim_new(id);
		int err;

		kcpp_bench_excluded_ns += ktime_get_ns() - t0;
		if (!gpu)
			return -ENOMEM;
		err = nvc_probe(dev, gpu, &g);
		if (!err) {
			sum += kcpp_bench_probe_sum(g.wpr2.start, g.wpr2.end, g.layout.heap.start,
						    g.layout.elf.start, g.fwsec_version,
						    g.booter.params.boot_addr,
						    g.booter.params.pkc_data_offset);
			nvc_unbind(dev, gpu, &g);
		}
		t0 = ktime_get_ns();
		kcpp_bench_sim_free(gpu);
		kcpp_bench_excluded_ns += ktime_get_ns() - t0;
		if (err)
			return err;
	}
	return sum;
}

long kcpp_bench_c_probe_ga102(unsigned long n)
{
	return c_probe(0x172, n);
}

long kcpp_bench_c_probe_tu102(unsigned long n)
{
	return c_probe(0x162, n);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C counterparts of nova-core's probe steps that the benchmarks share:
 * the VBIOS parser (vbios_bench_c.c), used by the VBIOS benchmark on a ROM
 * in memory and by the C probe (probe_bench_c.c) through the simulated
 * GPU's PROM window. Plain kernel C, as a C driver would write it.
 */
#ifndef KCPP_BENCHMARKS_NOVA_C_H
#define KCPP_BENCHMARKS_NOVA_C_H

#include <linux/types.h>

#define NOVA_C_SIG_SIZE 384

/*
 * FWSEC as the C parser extracts it: the descriptor (V2 or V3), the ucode
 * (IMEM code then DMEM data) and, for V3, the signatures (kmalloc'd).
 */
struct nova_c_fwsec {
	u32 version, header_size, interface_offset;
	u32 imem_phys_base, imem_load_size, imem_virt_base;
	u32 dmem_phys_base, dmem_load_size;
	u32 virtual_entry, imem_sec_base, imem_sec_size, dmem_offset; /* V2 */
	u32 pkc_data_offset;                                          /* V3 */
	u16 engine_id_mask, signature_versions;
	u8 ucode_id, sig_count;
	u8 *ucode;
	u8 *sigs;
};

/* Reads n bytes (a multiple of 4) of the ROM at off into dst. */
typedef void (*nova_c_rom_read)(void *ctx, u8 *dst, size_t off, size_t n);

/*
 * Reads the image chain through read and extracts FWSEC; -errno on a
 * malformed ROM or no memory. Free with nova_c_fwsec_free().
 */
int nova_c_vbios_fwsec(nova_c_rom_read read, void *ctx, struct nova_c_fwsec *f);
void nova_c_fwsec_free(struct nova_c_fwsec *f);

#endif

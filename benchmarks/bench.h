/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark harness shared by the C++ and C halves of kcpp_bench.
 * Each benchmark runs a workload of the same shape written with kcpp and in
 * plain C, in the same boot, a number of rounds each, and reports the best
 * round of each side and their ratio.
 */
#ifndef KCPP_BENCHMARKS_BENCH_H
#define KCPP_BENCHMARKS_BENCH_H

#ifdef __cplusplus
extern "C" {
#endif

/* A workload: returns a checksum (so nothing is optimised away), or a
 * negative errno. */
typedef long (*kcpp_bench_fn)(unsigned long n);

/* C workloads (alloc_bench_c.c). */
long kcpp_bench_c_push(unsigned long n);
long kcpp_bench_c_box(unsigned long n);

/* kcpp workloads (alloc_bench.cpp). */
long kcpp_bench_cpp_push(unsigned long n);
long kcpp_bench_cpp_box(unsigned long n);

/* The compile-time benchmark's translation units (compile_all*.c*). */
int kcpp_bench_compile_all_c(void);
int kcpp_bench_compile_all_cpp(void);

/* The VBIOS benchmark (vbios_bench*.c*): nova-core's VBIOS parser against
 * the same parse in hand-written C, on the ROM bench.cpp synthesizes. */
extern const unsigned char* kcpp_bench_vbios;
extern unsigned long kcpp_bench_vbios_len;
long kcpp_bench_cpp_vbios(unsigned long n);
long kcpp_bench_c_vbios(unsigned long n);

/* The probe benchmark (probe_bench*.c*): nova-core's probe and unbind of a
 * simulated GPU against the same sequence in C. */
long kcpp_bench_cpp_probe_ga102(unsigned long n);
long kcpp_bench_cpp_probe_tu102(unsigned long n);
long kcpp_bench_c_probe_ga102(unsigned long n);
long kcpp_bench_c_probe_tu102(unsigned long n);

/* The command-queue benchmark (cmdq_bench*.c*): RPC round trips through
 * nova-core's Cmdq against the same ring in C, both echoed by the simulated
 * GSP kcpp_bench_gsp_echo() (cmdq_bench_c.c), which their doorbells call
 * with GspMem's bus address. Each RPC carries KCPP_BENCH_RPC_PAYLOAD bytes. */
#define KCPP_BENCH_RPC_PAYLOAD 256
#define KCPP_BENCH_RPC_FUNCTION 0x1000
long kcpp_bench_cpp_cmdq(unsigned long n);
long kcpp_bench_c_cmdq(unsigned long n);
void kcpp_bench_gsp_echo(unsigned long long gsp_mem);

/* The device both probes make their DMA mappings for (the edu device,
 * bound while the benchmarks run), or NULL. */
struct device;
extern struct device* kcpp_bench_dma_dev;

/*
 * The misc-device benchmark (misc_bench*.c*): two echo devices, kcpp's and
 * C's, registered while the module is loaded; misc_bench_user.c times them.
 */
#define KCPP_BENCH_MISC_BUF 64
int kcpp_bench_misc_cpp_register(void);
void kcpp_bench_misc_cpp_unregister(void);
int kcpp_bench_misc_c_register(void);
void kcpp_bench_misc_c_unregister(void);

/* A simulated GPU of chip id (drivers/nova/sim), powered on, GFW boot
 * already complete; NULL without memory. Both probes reach its registers
 * only through the two accessors, which are out of line for both. */
void* kcpp_bench_sim_new(unsigned int id);
void kcpp_bench_sim_free(void* gpu);
unsigned int kcpp_bench_sim_rd32(void* gpu, unsigned long off);
void kcpp_bench_sim_wr32(void* gpu, unsigned long off, unsigned int v);

/* Time a workload spent on setup it does not count (the simulator's
 * construction); the harness resets it before a round and subtracts it. */
extern unsigned long long kcpp_bench_excluded_ns;

/* The checksum of a probe: what both sides must agree on. */
static inline long kcpp_bench_probe_sum(unsigned long long wpr2_start, unsigned long long wpr2_end,
                                        unsigned long long heap_start, unsigned long long elf_start,
                                        unsigned int fwsec_version, unsigned int booter_boot_addr,
                                        unsigned int booter_pkc_offset) {
  return (long)((wpr2_start >> 12) + (wpr2_end >> 12) + (heap_start >> 20) + (elf_start >> 16) +
                fwsec_version + booter_boot_addr + booter_pkc_offset);
}

/* The mapped size of the MMIO benchmark's BAR (edu's BAR0 is 1 MiB). */
#define KCPP_BENCH_IO_SIZE 0x100

/* C side of the MMIO benchmark (io_bench_c.c): base is the mapped BAR. */
#ifdef __cplusplus
long kcpp_bench_c_io(void* base, unsigned long n);
long kcpp_bench_c_poll(void* base, unsigned long n);
#else
long kcpp_bench_c_io(void __iomem* base, unsigned long n);
long kcpp_bench_c_poll(void __iomem* base, unsigned long n);
#endif

#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
#include <kcpp/io.h>
/* kcpp side of the MMIO benchmark (io_bench.cpp). */
extern "C" long kcpp_bench_cpp_io(kcpp::io::Mmio<KCPP_BENCH_IO_SIZE> io, unsigned long n);
extern "C" long kcpp_bench_cpp_poll(kcpp::io::Mmio<KCPP_BENCH_IO_SIZE> io, unsigned long n);
#endif

#endif

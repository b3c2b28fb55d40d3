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
extern const unsigned char *kcpp_bench_vbios;
extern unsigned long kcpp_bench_vbios_len;
long kcpp_bench_cpp_vbios(unsigned long n);
long kcpp_bench_c_vbios(unsigned long n);

/* The mapped size of the MMIO benchmark's BAR (edu's BAR0 is 1 MiB). */
#define KCPP_BENCH_IO_SIZE 0x100

/* C side of the MMIO benchmark (io_bench_c.c): base is the mapped BAR. */
#ifdef __cplusplus
long kcpp_bench_c_io(void *base, unsigned long n);
#else
long kcpp_bench_c_io(void __iomem *base, unsigned long n);
#endif

#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
#include <kcpp/io.h>
/* kcpp side of the MMIO benchmark (io_bench.cpp). */
extern "C" long kcpp_bench_cpp_io(kcpp::io::Mmio<KCPP_BENCH_IO_SIZE> io, unsigned long n);
#endif

#endif

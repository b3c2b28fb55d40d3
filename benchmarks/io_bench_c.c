// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of the MMIO benchmark, as a C driver writes it: writel() and
 * readl() of edu's liveness register.
 */
#include <linux/io.h>

#include "bench.h"

long kcpp_bench_c_io(void __iomem *base, unsigned long n)
{
	long sum = 0;
	unsigned long i;

	for (i = 0; i < n; i++) {
		writel((u32)i, base + 0x04);
		sum += readl(base + 0x04);
	}
	return sum;
}

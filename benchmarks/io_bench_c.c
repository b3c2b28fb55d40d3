// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of the MMIO benchmarks, as a C driver writes them: writel() and
 * readl() of edu's liveness register, and a poll of it.
 */
#include <linux/io.h>
#include <linux/iopoll.h>

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

/*
 * The poll benchmark's C side: for each value, write it and poll edu's
 * liveness register until it reads back the complement, with a deadline
 * (readl_poll_timeout(), no sleep between reads).
 */
long kcpp_bench_c_poll(void __iomem *base, unsigned long n)
{
	long sum = 0;
	unsigned long i;
	u32 v;

	for (i = 0; i < n; i++) {
		writel((u32)i, base + 0x04);
		if (readl_poll_timeout(base + 0x04, v, v == ~(u32)i, 0, 1000))
			return -ETIMEDOUT;
		sum += v;
	}
	return sum;
}

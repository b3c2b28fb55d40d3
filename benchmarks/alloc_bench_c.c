// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of the allocation benchmarks, written as a C driver author
 * would: a krealloc() doubling array, and kmalloc()/kfree() of a small
 * structure.
 */
#include <linux/slab.h>
#include <linux/compiler.h>

#include "bench.h"

long kcpp_bench_c_push(unsigned long n)
{
	int *a = NULL;
	size_t len = 0, cap = 0;
	long sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			int *p = krealloc(a, ncap * sizeof(*a), GFP_KERNEL);

			if (!p) {
				kfree(a);
				return -ENOMEM;
			}
			a = p;
			cap = ncap;
		}
		a[len++] = (int)i;
	}
	for (i = 0; i < len; i += 4096)
		sum += a[i];
	kfree(a);
	return sum + (long)len;
}

struct kcpp_bench_pair {
	u64 a;
	u64 b;
};

long kcpp_bench_c_box(unsigned long n)
{
	long sum = 0;
	unsigned long i;

	for (i = 0; i < n; i++) {
		struct kcpp_bench_pair *p = kmalloc(sizeof(*p), GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		p->a = i;
		p->b = i * 2;
		OPTIMIZER_HIDE_VAR(p);
		sum += p->b - p->a;
		kfree(p);
	}
	return sum;
}

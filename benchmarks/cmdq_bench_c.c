// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of the command-queue benchmark, and the simulated GSP both
 * sides talk to.
 *
 * An RPC round trip as a C driver writes it over the same GspMem layout as
 * nova-core's Cmdq (drivers/nova/core/gsp/cmdq.h): the CPU queue's ring of
 * 63 pages with one kept free, the element header with its lane checksum,
 * the write pointer published after a write barrier, the doorbell after a
 * full one; the reply read from the GSP queue into a kvmalloc'd copy, its
 * headers and checksum checked, the read pointer published. Waits use the
 * kernel's read_poll_timeout with the kcpp side's periods and timeouts.
 *
 * kcpp_bench_gsp_echo() is the "GSP": for each message in the CPU queue it
 * copies the element (headers, checksum and payload unchanged, so it stays
 * valid) into the GSP queue as the reply. Both sides' doorbells call it.
 */
#include <linux/dma-mapping.h>
#include <linux/errno.h>
#include <linux/iopoll.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bench.h"

#define Q_PAGE 4096u
#define Q_PAGES 63u
#define Q_RING (Q_PAGES * Q_PAGE)
#define Q_MSGQ (Q_PAGE + Q_RING)
#define Q_CPUQ Q_PAGE
#define Q_GSPQ (Q_CPUQ + Q_MSGQ)
#define Q_MEM (Q_GSPQ + Q_MSGQ)
#define Q_PTES (Q_MEM / Q_PAGE)
#define Q_WRITE_PTR 16u /* in a queue's tx header */
#define Q_RX_HDR 32u    /* the rx header, after the tx header */
#define RPC_VERSION 0x03000000u
#define RPC_SIGNATURE 0x43505256u

struct c_rpc_header {
	u32 header_version, signature, length, function;
	u32 rpc_result, rpc_result_private, sequence, spare;
};

struct c_elem_header {
	u8 auth_tag[16], aad[16];
	u32 checksum, seq_num, elem_count, pad;
	struct c_rpc_header rpc;
};

void *nova_sim_dma_bus_to_virt(struct device *dev, unsigned long long addr);

static u32 *q_u32(u8 *mem, size_t off)
{
	return (u32 *)(mem + off);
}

/*
 * The simulated GSP: echoes every message of the CPU queue into the GSP queue.
 * Its time is the GSP's, not the driver's: it is excluded from both sides' figures.
 */
void kcpp_bench_gsp_echo(unsigned long long gsp_mem)
{
	u64 t0 = ktime_get_ns();
	u8 *m = nova_sim_dma_bus_to_virt(kcpp_bench_dma_dev, gsp_mem);
	u32 read, write, out, i, count;

	if (!m)
		return;
	read = READ_ONCE(*q_u32(m, Q_GSPQ + Q_RX_HDR));
	write = READ_ONCE(*q_u32(m, Q_CPUQ + Q_WRITE_PTR));
	out = READ_ONCE(*q_u32(m, Q_GSPQ + Q_WRITE_PTR));
	while (read != write && read < Q_PAGES && write < Q_PAGES) {
		const struct c_elem_header *h =
			(const void *)(m + Q_CPUQ + Q_PAGE + read * Q_PAGE);

		count = h->elem_count;
		if (!count || count > (write + Q_PAGES - read) % Q_PAGES)
			break;
		for (i = 0; i < count; i++)
			memcpy(m + Q_GSPQ + Q_PAGE + ((out + i) % Q_PAGES) * Q_PAGE,
			       m + Q_CPUQ + Q_PAGE + ((read + i) % Q_PAGES) * Q_PAGE, Q_PAGE);
		read = (read + count) % Q_PAGES;
		out = (out + count) % Q_PAGES;
	}
	dma_wmb(); /* the replies before the pointer that publishes them */
	WRITE_ONCE(*q_u32(m, Q_GSPQ + Q_WRITE_PTR), out);
	WRITE_ONCE(*q_u32(m, Q_GSPQ + Q_RX_HDR), read);
	kcpp_bench_excluded_ns += ktime_get_ns() - t0;
}

struct c_cmdq {
	u8 *mem;
	dma_addr_t dma;
	u32 write, read, seq;
};

static u64 c_lanes(const u8 *p, size_t n)
{
	u64 sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum ^= (u64)p[i] << ((i % 8) * 8);
	return sum;
}

static u32 c_fold(u64 lanes)
{
	return (u32)(lanes >> 32) ^ (u32)lanes;
}

static void c_ring_write(u8 *ring, size_t at, const void *src, size_t n)
{
	size_t first = min_t(size_t, n, Q_RING - at);

	memcpy(ring + at, src, first);
	memcpy(ring, (const u8 *)src + first, n - first);
}

static void c_ring_read(const u8 *ring, size_t at, void *dst, size_t n)
{
	size_t first = min_t(size_t, n, Q_RING - at);

	memcpy(dst, ring + at, first);
	memcpy((u8 *)dst + first, ring, n - first);
}

static int c_send(struct c_cmdq *q, u32 function, const u8 *payload, size_t len)
{
	u8 *ring = q->mem + Q_CPUQ + Q_PAGE;
	struct c_elem_header h = {};
	u32 pages, read;
	size_t at;
	int ret;

	if (len > 0x10000 - sizeof(h))
		return -EMSGSIZE;
	pages = (sizeof(h) + len + Q_PAGE - 1) / Q_PAGE;
	ret = read_poll_timeout(READ_ONCE, read,
				read >= Q_PAGES ||
				(read + Q_PAGES - q->write - 1) % Q_PAGES >= pages,
				10, 1000000, false, *q_u32(q->mem, Q_GSPQ + Q_RX_HDR));
	if (ret)
		return -EAGAIN;
	if (read >= Q_PAGES)
		return -EIO;
	h.seq_num = q->seq;
	h.elem_count = pages;
	h.rpc.header_version = RPC_VERSION;
	h.rpc.signature = RPC_SIGNATURE;
	h.rpc.length = sizeof(h.rpc) + len;
	h.rpc.function = function;
	h.rpc.rpc_result = 0xffffffff;
	h.rpc.rpc_result_private = 0xffffffff;
	h.checksum = c_fold(c_lanes((const u8 *)&h, sizeof(h)) ^ c_lanes(payload, len));
	at = q->write * Q_PAGE;
	c_ring_write(ring, at, &h, sizeof(h));
	c_ring_write(ring, (at + sizeof(h)) % Q_RING, payload, len);
	q->seq++;
	q->write = (q->write + pages) % Q_PAGES;
	dma_wmb(); /* the message before the pointer that publishes it */
	WRITE_ONCE(*q_u32(q->mem, Q_CPUQ + Q_WRITE_PTR), q->write);
	mb(); /* the pointer in memory before the doorbell */
	kcpp_bench_gsp_echo(q->dma); /* the doorbell */
	return 0;
}

/* The next reply, in a kvmalloc'd copy of its payload (*payload, *len); free with kvfree. */
static int c_receive(struct c_cmdq *q, u32 *function, u8 **payload, size_t *len)
{
	const u8 *ring = q->mem + Q_GSPQ + Q_PAGE;
	struct c_elem_header h;
	u32 write, available;
	size_t n;
	u8 *p;
	int ret;

	ret = read_poll_timeout(READ_ONCE, write, write >= Q_PAGES || write != q->read, 1000,
				5000000, false, *q_u32(q->mem, Q_GSPQ + Q_WRITE_PTR));
	if (ret)
		return -ETIMEDOUT;
	if (write >= Q_PAGES)
		return -EIO;
	dma_rmb(); /* the write pointer before the message it publishes */
	available = (write + Q_PAGES - q->read) % Q_PAGES;
	memcpy(&h, ring + q->read * Q_PAGE, sizeof(h));
	if (!h.elem_count || h.elem_count > available || h.rpc.header_version != RPC_VERSION ||
	    h.rpc.signature != RPC_SIGNATURE || h.rpc.length < sizeof(h.rpc))
		goto resync;
	n = h.rpc.length - sizeof(h.rpc);
	if (n > 0x10000 - sizeof(h) || (sizeof(h) + n + Q_PAGE - 1) / Q_PAGE != h.elem_count)
		goto resync;
	p = kvmalloc(n ? n : 1, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	c_ring_read(ring, (q->read * Q_PAGE + sizeof(h)) % Q_RING, p, n);
	if (c_fold(c_lanes((const u8 *)&h, sizeof(h)) ^ c_lanes(p, n))) {
		kvfree(p);
		goto resync;
	}
	q->read = (q->read + h.elem_count) % Q_PAGES;
	mb(); /* the message copied out before the read pointer frees its pages */
	WRITE_ONCE(*q_u32(q->mem, Q_CPUQ + Q_RX_HDR), q->read);
	*function = h.rpc.function;
	*payload = p;
	*len = n;
	return 0;
resync:
	q->read = write;
	mb(); /* as above */
	WRITE_ONCE(*q_u32(q->mem, Q_CPUQ + Q_RX_HDR), q->read);
	return -EIO;
}

long kcpp_bench_c_cmdq(unsigned long n)
{
	struct c_cmdq q = {};
	u8 payload[KCPP_BENCH_RPC_PAYLOAD];
	long sum = 0;
	unsigned long i;
	u32 k;

	if (!kcpp_bench_dma_dev)
		return -ENODEV;
	q.mem = dma_alloc_coherent(kcpp_bench_dma_dev, Q_MEM, &q.dma, GFP_KERNEL);
	if (!q.mem)
		return -ENOMEM;
	for (k = 0; k < Q_PTES; k++)
		((u64 *)q.mem)[k] = q.dma + (u64)k * Q_PAGE;
	*q_u32(q.mem, Q_CPUQ + 4) = Q_MSGQ;
	*q_u32(q.mem, Q_CPUQ + 8) = Q_PAGE;
	*q_u32(q.mem, Q_CPUQ + 12) = Q_PAGES;
	*q_u32(q.mem, Q_CPUQ + 20) = 1;
	*q_u32(q.mem, Q_CPUQ + 24) = Q_RX_HDR;
	*q_u32(q.mem, Q_CPUQ + 28) = Q_PAGE;
	for (i = 0; i < n; i++) {
		u32 function;
		size_t len;
		u8 *reply;
		int ret;

		memset(payload, (int)(i & 0xff), sizeof(payload));
		ret = c_send(&q, KCPP_BENCH_RPC_FUNCTION + (i & 7), payload, sizeof(payload));
		if (!ret)
			ret = c_receive(&q, &function, &reply, &len);
		if (ret) {
			sum = ret;
			break;
		}
		sum += function + reply[len - 1] + len;
		kvfree(reply);
	}
	dma_free_coherent(kcpp_bench_dma_dev, Q_MEM, q.mem, q.dma);
	return sum;
}

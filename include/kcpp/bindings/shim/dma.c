// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA API: masks, coherent allocations, streaming mappings of
 * single buffers and of scatter-gather tables (kcpp/dma.h).
 */
#include <linux/version.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

int kcpp_dma_set_mask(struct device *dev, u64 mask)
{
	return dma_set_mask(dev, mask);
}

int kcpp_dma_set_coherent_mask(struct device *dev, u64 mask)
{
	return dma_set_coherent_mask(dev, mask);
}

int kcpp_dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	return dma_set_mask_and_coherent(dev, mask);
}

int kcpp_dma_set_max_seg_size(struct device *dev, unsigned int size)
{
	/* void in 6.12: it cannot fail once the device has dma_parms. */
	dma_set_max_seg_size(dev, size);
	return 0;
}

void *kcpp_dma_alloc_attrs(struct device *dev, size_t size, u64 *handle, unsigned int gfp,
			   unsigned long attrs)
{
	dma_addr_t h = 0;
	void *p;

	if (kcpp_fault_is_armed() && kcpp_fault_should_fail())
		return NULL;
	p = dma_alloc_attrs(dev, size, &h, gfp, attrs);
	/* Counted as a live block while armed: a leaked DMA buffer shows. */
	if (kcpp_fault_is_armed())
		kcpp_fault_count(p, 1);
	*handle = h;
	return p;
}

void kcpp_dma_free_attrs(struct device *dev, size_t size, void *cpu, u64 handle,
			 unsigned long attrs)
{
	if (kcpp_fault_is_armed())
		kcpp_fault_count(cpu, -1);
	dma_free_attrs(dev, size, cpu, handle, attrs);
}

u64 kcpp_dma_map_single(struct device *dev, void *ptr, size_t size, int dir,
			unsigned long attrs, int *err)
{
	dma_addr_t h = dma_map_single_attrs(dev, ptr, size, dir, attrs);

	*err = dma_mapping_error(dev, h);
	return h;
}

void kcpp_dma_unmap_single(struct device *dev, u64 handle, size_t size, int dir,
			   unsigned long attrs)
{
	dma_unmap_single_attrs(dev, handle, size, dir, attrs);
}

void kcpp_dma_sync_single_for_cpu(struct device *dev, u64 handle, size_t size, int dir)
{
	dma_sync_single_for_cpu(dev, handle, size, dir);
}

void kcpp_dma_sync_single_for_device(struct device *dev, u64 handle, size_t size, int dir)
{
	dma_sync_single_for_device(dev, handle, size, dir);
}

/*
 * A scatter-gather table over a buffer: vmalloc memory page by page, any
 * other (linear-map) memory as its pages, then mapped for dev.
 */
struct sg_table *kcpp_dma_map_buffer_sg(struct device *dev, void *buf, size_t len, int dir,
					unsigned long attrs, unsigned int gfp, int *err)
{
	unsigned long first = (unsigned long)buf & PAGE_MASK;
	unsigned int offset = offset_in_page(buf);
	unsigned int n = DIV_ROUND_UP(offset + len, PAGE_SIZE), i;
	struct page **pages;
	struct sg_table *sgt;

	*err = -ENOMEM;
	if (!len) {
		*err = -EINVAL;
		return NULL;
	}
	might_sleep();
	sgt = kcpp_kmalloc_node(sizeof(*sgt), gfp | (__force unsigned int)__GFP_ZERO,
				dev_to_node(dev));
	pages = kcpp_kvmalloc_node(array_size(n, sizeof(*pages)), gfp, dev_to_node(dev));
	if (!sgt || !pages)
		goto out;
	for (i = 0; i < n; i++) {
		void *va = (void *)(first + i * PAGE_SIZE);

		pages[i] = is_vmalloc_addr(va) ? vmalloc_to_page(va) : virt_to_page(va);
	}
	*err = sg_alloc_table_from_pages(sgt, pages, n, offset, len, (__force gfp_t)gfp);
	if (*err)
		goto out;
	*err = dma_map_sgtable(dev, sgt, dir, attrs);
	if (*err) {
		sg_free_table(sgt);
		goto out;
	}
	kcpp_kvfree(pages);
	return sgt;
out:
	kcpp_kvfree(pages);
	kcpp_kfree(sgt);
	return NULL;
}

void kcpp_dma_unmap_buffer_sg(struct device *dev, struct sg_table *sgt, int dir,
			      unsigned long attrs)
{
	dma_unmap_sgtable(dev, sgt, dir, attrs);
	sg_free_table(sgt);
	kcpp_kfree(sgt);
}

void kcpp_dma_sync_sgtable_for_cpu(struct device *dev, struct sg_table *sgt, int dir)
{
	dma_sync_sgtable_for_cpu(dev, sgt, dir);
}

void kcpp_dma_sync_sgtable_for_device(struct device *dev, struct sg_table *sgt, int dir)
{
	dma_sync_sgtable_for_device(dev, sgt, dir);
}

/* The number of DMA segments, and segment i's bus address and length. */
unsigned int kcpp_sgt_dma_count(const struct sg_table *sgt)
{
	return sgt->nents;
}

int kcpp_sgt_dma_segment(const struct sg_table *sgt, unsigned int index, u64 *addr,
			 unsigned int *len)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (i == index) {
			*addr = sg_dma_address(sg);
			*len = sg_dma_len(sg);
			return 0;
		}
	}
	return -EINVAL;
}


// SPDX-License-Identifier: GPL-2.0
/*
 * The driver-model half of the kcpp C shim: devices, devres, RCU, PCI,
 * interrupts, the auxiliary bus, firmware and delays. Included by shim.c
 * (one object per module); declarations in bindings.h.
 *
 * Bus drivers: C++ cannot lay out struct pci_driver or struct
 * auxiliary_driver, so the shim allocates them, wrapped with the C++
 * callbacks, and registers them. The C callbacks below find the wrapper
 * from the device's driver and forward.
 */
#include <linux/device.h>
#include <linux/device/devres.h>
#include <linux/rcupdate.h>
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/auxiliary_bus.h>
#include <linux/firmware.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/dma-mapping.h>
#include <linux/dma-direct.h>
#include <linux/scatterlist.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>

/* ---- Devices ------------------------------------------------------------ */

const char *kcpp_dev_name(const struct device *dev)
{
	return dev_name(dev);
}

void kcpp_get_device(struct device *dev)
{
	get_device(dev);
}

void kcpp_put_device(struct device *dev)
{
	put_device(dev);
}

void *kcpp_dev_get_drvdata(const struct device *dev)
{
	return dev_get_drvdata(dev);
}

void kcpp_dev_set_drvdata(struct device *dev, void *data)
{
	dev_set_drvdata(dev, data);
}

struct device *kcpp_dev_parent(const struct device *dev)
{
	return dev->parent;
}

int kcpp_dev_to_node(const struct device *dev)
{
	return dev_to_node((struct device *)dev);
}

bool kcpp_dev_is_bound(const struct device *dev)
{
	return device_is_bound((struct device *)dev);
}

void kcpp_device_release_driver(struct device *dev)
{
	device_release_driver(dev);
}

int kcpp_device_attach(struct device *dev)
{
	return device_attach(dev);
}

/* ---- Devres --------------------------------------------------------------- */

/*
 * One devres node per kcpp resource: a release function and its argument.
 * Unlike devm_add_action(), a node can be taken back without a warning when
 * the release already ran (a resource dropped concurrently with unbind).
 */
struct kcpp_devres_node {
	void (*release)(void *data);
	void *data;
};

static void kcpp_devres_release(struct device *dev, void *res)
{
	struct kcpp_devres_node *node = res;

	node->release(node->data);
}

static int kcpp_devres_match(struct device *dev, void *res, void *match)
{
	struct kcpp_devres_node *node = res, *want = match;

	return node->release == want->release && node->data == want->data;
}

int kcpp_devres_add(struct device *dev, void (*release)(void *), void *data, unsigned int gfp,
		    int nid)
{
	struct kcpp_devres_node *node;

	if (kcpp_armed()) {
		kcpp_note_gfp((__force gfp_t)gfp);
		if (kcpp_should_fail())
			return -ENOMEM;
	}
	node = devres_alloc_node(kcpp_devres_release, sizeof(*node), (__force gfp_t)gfp, nid);
	if (!node)
		return -ENOMEM;
	node->release = release;
	node->data = data;
	devres_add(dev, node);
	return 0;
}

bool kcpp_devres_remove(struct device *dev, void (*release)(void *), void *data)
{
	struct kcpp_devres_node want = { .release = release, .data = data };
	struct kcpp_devres_node *node;

	node = devres_remove(dev, kcpp_devres_release, kcpp_devres_match, &want);
	if (!node)
		return false;
	devres_free(node);
	return true;
}

/* ---- RCU -------------------------------------------------------------------- */

void kcpp_rcu_read_lock(void)
{
	rcu_read_lock();
}

void kcpp_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

void kcpp_synchronize_rcu(void)
{
	synchronize_rcu();
}

/* ---- Sleeping and polling --------------------------------------------------- */

void kcpp_fsleep(unsigned long usecs)
{
	fsleep(usecs);
}

void kcpp_udelay(unsigned long usecs)
{
	udelay(usecs);
}

void kcpp_might_sleep(const char *file, int line)
{
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	__might_sleep(file, line);
#endif
	might_resched();
}

void kcpp_cpu_relax(void)
{
	cpu_relax();
}

/* ---- Threads (tests and drivers that need a plain kernel thread) ------------ */

struct task_struct *kcpp_kthread_run(int (*fn)(void *), void *data, const char *name)
{
	struct task_struct *t = kthread_run(fn, data, "%s", name);

	return IS_ERR(t) ? NULL : t;
}

/* ---- sysfs attributes of a driver's devices ---------------------------------------------- */

struct kcpp_dev_attr {
	struct device_attribute attr;
	const struct kcpp_attr_desc *desc;
};

/* The driver's dev_groups: one group of the given attributes. */
struct kcpp_attr_set {
	const struct attribute_group *groups[2];
	struct attribute_group group;
	struct attribute **attrs;
	struct kcpp_dev_attr items[];
};

static ssize_t kcpp_attr_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct kcpp_dev_attr *a = container_of(attr, struct kcpp_dev_attr, attr);

	return a->desc->show(dev, buf);
}

static ssize_t kcpp_attr_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t len)
{
	struct kcpp_dev_attr *a = container_of(attr, struct kcpp_dev_attr, attr);

	return a->desc->store(dev, buf, len);
}

/* NULL for no attributes, an ERR_PTR on failure. */
static struct kcpp_attr_set *kcpp_attr_set_new(const struct kcpp_attr_desc *descs, unsigned int n,
					       unsigned int gfp)
{
	struct kcpp_attr_set *set;
	unsigned int i;

	if (!n)
		return NULL;
	set = kcpp_kmalloc_node(struct_size(set, items, n), gfp | (__force unsigned int)__GFP_ZERO,
				NUMA_NO_NODE);
	if (!set)
		return ERR_PTR(-ENOMEM);
	set->attrs = kcpp_kmalloc_node(array_size(n + 1, sizeof(*set->attrs)),
				       gfp | (__force unsigned int)__GFP_ZERO, NUMA_NO_NODE);
	if (!set->attrs) {
		kcpp_kfree(set);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < n; i++) {
		struct kcpp_dev_attr *a = &set->items[i];

		sysfs_attr_init(&a->attr.attr);
		a->attr.attr.name = descs[i].name;
		a->attr.attr.mode = (descs[i].show ? 0444 : 0) | (descs[i].store ? 0200 : 0);
		a->attr.show = descs[i].show ? kcpp_attr_show : NULL;
		a->attr.store = descs[i].store ? kcpp_attr_store : NULL;
		a->desc = &descs[i];
		set->attrs[i] = &a->attr.attr;
	}
	set->group.attrs = set->attrs;
	set->groups[0] = &set->group;
	return set;
}

static void kcpp_attr_set_free(struct kcpp_attr_set *set)
{
	if (!set)
		return;
	kcpp_kfree(set->attrs);
	kcpp_kfree(set);
}

/* ---- PCI ------------------------------------------------------------------ */

#if IS_ENABLED(CONFIG_PCI)
struct kcpp_pci_driver {
	struct pci_driver drv;
	int (*probe)(struct pci_dev *pdev, const void *id);
	void (*remove)(struct pci_dev *pdev);
	struct kcpp_attr_set *attrs;
};

static struct kcpp_pci_driver *kcpp_to_pci_driver(struct pci_dev *pdev)
{
	return container_of(to_pci_driver(pdev->dev.driver), struct kcpp_pci_driver, drv);
}

static int kcpp_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return kcpp_to_pci_driver(pdev)->probe(pdev, id);
}

static void kcpp_pci_remove(struct pci_dev *pdev)
{
	kcpp_to_pci_driver(pdev)->remove(pdev);
}

struct kcpp_pci_driver *kcpp_pci_driver_register(const char *name, const char *modname,
						 const void *id_table,
						 int (*probe)(struct pci_dev *, const void *),
						 void (*remove)(struct pci_dev *),
						 const struct kcpp_attr_desc *attrs,
						 unsigned int nattrs, unsigned int gfp, int *err)
{
	struct kcpp_pci_driver *d = kcpp_kmalloc_node(sizeof(*d),
						      gfp | (__force unsigned int)__GFP_ZERO,
						      NUMA_NO_NODE);

	if (!d) {
		*err = -ENOMEM;
		return NULL;
	}
	d->attrs = kcpp_attr_set_new(attrs, nattrs, gfp);
	if (IS_ERR(d->attrs)) {
		*err = PTR_ERR(d->attrs);
		kcpp_kfree(d);
		return NULL;
	}
	/* pci_register_driver() copies pci_driver's own dev_groups into driver. */
	d->drv.dev_groups = d->attrs ? d->attrs->groups : NULL;
	d->drv.name = name;
	d->drv.id_table = id_table;
	d->drv.probe = kcpp_pci_probe;
	d->drv.remove = kcpp_pci_remove;
	d->probe = probe;
	d->remove = remove;
	/* modname: for built-in code, the /sys/module entry the driver appears under. */
	*err = __pci_register_driver(&d->drv, THIS_MODULE, modname);
	if (*err) {
		kcpp_attr_set_free(d->attrs);
		kcpp_kfree(d);
		return NULL;
	}
	return d;
}

void kcpp_pci_driver_unregister(struct kcpp_pci_driver *d)
{
	pci_unregister_driver(&d->drv);
	kcpp_attr_set_free(d->attrs);
	kcpp_kfree(d);
}

bool kcpp_dev_is_pci(const struct device *dev)
{
	return dev_is_pci(dev);
}

struct pci_dev *kcpp_pci_get_device(unsigned int vendor, unsigned int device,
				    struct pci_dev *from)
{
	return pci_get_device(vendor, device, from);
}

void kcpp_pci_dev_get(struct pci_dev *pdev)
{
	pci_dev_get(pdev);
}

void kcpp_pci_dev_put(struct pci_dev *pdev)
{
	pci_dev_put(pdev);
}

int kcpp_pci_enable_device_mem(struct pci_dev *pdev)
{
	return pci_enable_device_mem(pdev);
}

void kcpp_pci_disable_device(struct pci_dev *pdev)
{
	pci_disable_device(pdev);
}

void kcpp_pci_set_master(struct pci_dev *pdev)
{
	pci_set_master(pdev);
}

void kcpp_pci_clear_master(struct pci_dev *pdev)
{
	pci_clear_master(pdev);
}

unsigned long long kcpp_pci_resource_start(struct pci_dev *pdev, int bar)
{
	return pci_resource_start(pdev, bar);
}

unsigned long long kcpp_pci_resource_len(struct pci_dev *pdev, int bar)
{
	return pci_resource_len(pdev, bar);
}

unsigned long kcpp_pci_resource_flags(struct pci_dev *pdev, int bar)
{
	return pci_resource_flags(pdev, bar);
}

int kcpp_pci_request_region(struct pci_dev *pdev, int bar, const char *name)
{
	return pci_request_region(pdev, bar, name);
}

void kcpp_pci_release_region(struct pci_dev *pdev, int bar)
{
	pci_release_region(pdev, bar);
}

void *kcpp_pci_iomap(struct pci_dev *pdev, int bar)
{
	return (void __force *)pci_iomap(pdev, bar, 0);
}

void kcpp_pci_iounmap(struct pci_dev *pdev, void *addr)
{
	pci_iounmap(pdev, (void __iomem __force *)addr);
}

int kcpp_pci_cfg_size(struct pci_dev *pdev)
{
	return pdev->cfg_size;
}

int kcpp_pci_read_config_byte(struct pci_dev *pdev, int where, u8 *val)
{
	return pcibios_err_to_errno(pci_read_config_byte(pdev, where, val));
}

int kcpp_pci_read_config_word(struct pci_dev *pdev, int where, u16 *val)
{
	return pcibios_err_to_errno(pci_read_config_word(pdev, where, val));
}

int kcpp_pci_read_config_dword(struct pci_dev *pdev, int where, u32 *val)
{
	return pcibios_err_to_errno(pci_read_config_dword(pdev, where, val));
}

int kcpp_pci_write_config_byte(struct pci_dev *pdev, int where, u8 val)
{
	return pcibios_err_to_errno(pci_write_config_byte(pdev, where, val));
}

int kcpp_pci_write_config_word(struct pci_dev *pdev, int where, u16 val)
{
	return pcibios_err_to_errno(pci_write_config_word(pdev, where, val));
}

int kcpp_pci_write_config_dword(struct pci_dev *pdev, int where, u32 val)
{
	return pcibios_err_to_errno(pci_write_config_dword(pdev, where, val));
}

int kcpp_pci_alloc_irq_vectors(struct pci_dev *pdev, unsigned int min, unsigned int max,
			       unsigned int flags)
{
	return pci_alloc_irq_vectors(pdev, min, max, flags);
}

void kcpp_pci_free_irq_vectors(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
}

int kcpp_pci_irq_vector(struct pci_dev *pdev, unsigned int nr)
{
	return pci_irq_vector(pdev, nr);
}
#endif /* CONFIG_PCI */

/* ---- Interrupts --------------------------------------------------------------- */

/*
 * The handlers the kernel calls have its exact type, irq_handler_t: calling
 * a function through a pointer of another type (C++'s handlers return int)
 * is undefined behaviour, and would fail kCFI's type check on a clang-built
 * kernel (which kcpp does not build for yet).
 */
static irqreturn_t kcpp_irq_primary(int irq, void *cookie)
{
	struct kcpp_irq_action *action = cookie;

	return (irqreturn_t)action->handler(irq, action->data);
}

static irqreturn_t kcpp_irq_thread(int irq, void *cookie)
{
	struct kcpp_irq_action *action = cookie;

	return (irqreturn_t)action->thread_fn(irq, action->data);
}

int kcpp_request_threaded_irq(unsigned int irq, struct kcpp_irq_action *action,
			      unsigned long flags, const char *name)
{
	return request_threaded_irq(irq, action->handler ? kcpp_irq_primary : NULL,
				    action->thread_fn ? kcpp_irq_thread : NULL, flags, name,
				    action);
}

void kcpp_free_irq(unsigned int irq, struct kcpp_irq_action *action)
{
	free_irq(irq, action);
}

void kcpp_synchronize_irq(unsigned int irq)
{
	synchronize_irq(irq);
}

/* ---- Auxiliary bus -------------------------------------------------------------- */

#if IS_ENABLED(CONFIG_AUXILIARY_BUS)
static void kcpp_auxiliary_release(struct device *dev)
{
	kcpp_kfree(to_auxiliary_dev(dev));
}

struct auxiliary_device *kcpp_auxiliary_device_add(struct device *parent, const char *modname,
						   const char *name, unsigned int id,
						   unsigned int gfp, int *err)
{
	struct auxiliary_device *adev = kcpp_kmalloc_node(sizeof(*adev),
							  gfp | (__force unsigned int)__GFP_ZERO,
							  dev_to_node(parent));

	if (!adev) {
		*err = -ENOMEM;
		return NULL;
	}
	adev->name = name;
	adev->id = id;
	adev->dev.parent = parent;
	adev->dev.release = kcpp_auxiliary_release;
	*err = auxiliary_device_init(adev);
	if (*err) {
		kcpp_kfree(adev);
		return NULL;
	}
	*err = __auxiliary_device_add(adev, modname);
	if (*err) {
		/* Frees adev through the release callback. */
		auxiliary_device_uninit(adev);
		return NULL;
	}
	return adev;
}

void kcpp_auxiliary_device_remove(struct auxiliary_device *adev)
{
	auxiliary_device_delete(adev);
	auxiliary_device_uninit(adev);
}

struct kcpp_auxiliary_driver {
	struct auxiliary_driver drv;
	int (*probe)(struct auxiliary_device *adev, const void *id);
	void (*remove)(struct auxiliary_device *adev);
	struct kcpp_attr_set *attrs;
};

static struct kcpp_auxiliary_driver *kcpp_to_aux_driver(struct auxiliary_device *adev)
{
	return container_of(to_auxiliary_drv(adev->dev.driver), struct kcpp_auxiliary_driver, drv);
}

static int kcpp_auxiliary_probe(struct auxiliary_device *adev, const struct auxiliary_device_id *id)
{
	return kcpp_to_aux_driver(adev)->probe(adev, id);
}

static void kcpp_auxiliary_remove(struct auxiliary_device *adev)
{
	kcpp_to_aux_driver(adev)->remove(adev);
}

struct kcpp_auxiliary_driver *
kcpp_auxiliary_driver_register(const char *name, const char *modname, const void *id_table,
			       int (*probe)(struct auxiliary_device *, const void *),
			       void (*remove)(struct auxiliary_device *),
			       const struct kcpp_attr_desc *attrs, unsigned int nattrs,
			       unsigned int gfp, int *err)
{
	struct kcpp_auxiliary_driver *d = kcpp_kmalloc_node(sizeof(*d),
							    gfp | (__force unsigned int)__GFP_ZERO,
							    NUMA_NO_NODE);

	if (!d) {
		*err = -ENOMEM;
		return NULL;
	}
	d->attrs = kcpp_attr_set_new(attrs, nattrs, gfp);
	if (IS_ERR(d->attrs)) {
		*err = PTR_ERR(d->attrs);
		kcpp_kfree(d);
		return NULL;
	}
	d->drv.driver.dev_groups = d->attrs ? d->attrs->groups : NULL;
	d->drv.name = name;
	d->drv.id_table = id_table;
	d->drv.probe = kcpp_auxiliary_probe;
	d->drv.remove = kcpp_auxiliary_remove;
	d->probe = probe;
	d->remove = remove;
	*err = __auxiliary_driver_register(&d->drv, THIS_MODULE, modname);
	if (*err) {
		kcpp_attr_set_free(d->attrs);
		kcpp_kfree(d);
		return NULL;
	}
	return d;
}

void kcpp_auxiliary_driver_unregister(struct kcpp_auxiliary_driver *d)
{
	auxiliary_driver_unregister(&d->drv);
	kcpp_attr_set_free(d->attrs);
	kcpp_kfree(d);
}
#endif /* CONFIG_AUXILIARY_BUS */

/* ---- Firmware ----------------------------------------------------------------------- */

#if IS_ENABLED(CONFIG_FW_LOADER)
int kcpp_request_firmware(const struct firmware **fw, const char *name, struct device *dev)
{
	return request_firmware(fw, name, dev);
}

int kcpp_firmware_request_nowarn(const struct firmware **fw, const char *name,
				 struct device *dev)
{
	return firmware_request_nowarn(fw, name, dev);
}

void kcpp_release_firmware(const struct firmware *fw)
{
	release_firmware(fw);
}

const unsigned char *kcpp_firmware_data(const struct firmware *fw, size_t *size)
{
	*size = fw->size;
	return fw->data;
}
#endif /* CONFIG_FW_LOADER */

/* ---- DMA ---------------------------------------------------------------------------- */

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

	if (kcpp_armed() && kcpp_should_fail())
		return NULL;
	p = dma_alloc_attrs(dev, size, &h, gfp, attrs);
	/* Counted as a live block while armed: a leaked DMA buffer shows. */
	if (kcpp_armed())
		kcpp_count(p, 1);
	*handle = h;
	return p;
}

void kcpp_dma_free_attrs(struct device *dev, size_t size, void *cpu, u64 handle,
			 unsigned long attrs)
{
	if (kcpp_armed())
		kcpp_count(cpu, -1);
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

/* ---- Completions ---------------------------------------------------------------------- */

void kcpp_init_completion(struct completion *c)
{
	init_completion(c);
}

void kcpp_complete(struct completion *c)
{
	complete(c);
}

void kcpp_complete_all(struct completion *c)
{
	complete_all(c);
}

/* Remaining jiffies become a sign: 1 completed, 0 timed out, <0 interrupted. */
long kcpp_wait_for_completion_timeout(struct completion *c, unsigned int ms)
{
	return wait_for_completion_timeout(c, msecs_to_jiffies(ms)) ? 1 : 0;
}

long kcpp_wait_for_completion_interruptible_timeout(struct completion *c, unsigned int ms)
{
	long r = wait_for_completion_interruptible_timeout(c, msecs_to_jiffies(ms));

	return r > 0 ? 1 : r;
}

void kcpp_reinit_completion(struct completion *c)
{
	reinit_completion(c);
}

void kcpp_wait_for_completion(struct completion *c)
{
	wait_for_completion(c);
}

/* kstrtoull() of a sysfs write (trailing newline allowed). */
int kcpp_kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	return kstrtoull(s, base, res);
}

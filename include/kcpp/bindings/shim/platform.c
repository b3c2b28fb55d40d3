// SPDX-License-Identifier: GPL-2.0
/*
 * The platform bus: the driver registration with its three ID tables
 * (name, OF, ACPI), resources, interrupts by index, and the registration
 * of platform devices (kcpp/platform.h).
 */
#include <linux/version.h>
#include <linux/acpi.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of_device.h>
#include <linux/platform_device.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/slab.h>
#include <linux/spinlock_types.h>
#include <linux/string.h>
#include <linux/types.h>
#include "internal.h"

struct kcpp_platform_driver {
	struct platform_driver drv;
	int (*probe)(struct platform_device *pdev, int table, unsigned long index);
	void (*remove)(struct platform_device *pdev);
	struct kcpp_attr_set *attrs;
};

static struct kcpp_platform_driver *kcpp_to_platform_driver(struct platform_device *pdev)
{
	return container_of(to_platform_driver(pdev->dev.driver), struct kcpp_platform_driver, drv);
}

/* The name table's entry for pdev (platform_match_id() is not exported). */
static const struct platform_device_id *
kcpp_platform_name_match(const struct platform_device_id *id, const struct platform_device *pdev)
{
	for (; id && id->name[0]; id++)
		if (strcmp(pdev->name, id->name) == 0)
			return id;
	return NULL;
}

/*
 * Which table entry matches, in the order platform_match() tries them: an
 * OF compatible, an ACPI ID, the name table. A device bound by its
 * driver_override or by the driver's name alone may match none. Each is
 * looked up again here: pdev->id_entry is only set on a name match, and may
 * be another driver's.
 */
static int kcpp_platform_probe(struct platform_device *pdev)
{
	struct kcpp_platform_driver *d = kcpp_to_platform_driver(pdev);
	const struct of_device_id *of = NULL;
	const struct acpi_device_id *acpi = NULL;
	const struct platform_device_id *id;

	if (d->drv.driver.of_match_table)
		of = of_match_device(d->drv.driver.of_match_table, &pdev->dev);
	if (of)
		return d->probe(pdev, KCPP_PLATFORM_MATCH_OF, (unsigned long)of->data);
	if (d->drv.driver.acpi_match_table)
		acpi = acpi_match_device(d->drv.driver.acpi_match_table, &pdev->dev);
	if (acpi)
		return d->probe(pdev, KCPP_PLATFORM_MATCH_ACPI, acpi->driver_data);
	id = kcpp_platform_name_match(d->drv.id_table, pdev);
	if (id)
		return d->probe(pdev, KCPP_PLATFORM_MATCH_NAME, id->driver_data);
	return d->probe(pdev, KCPP_PLATFORM_MATCH_NONE, 0);
}

/* 6.11 made platform_driver.remove return void; before, it returned int. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static void kcpp_platform_remove(struct platform_device *pdev)
{
	kcpp_to_platform_driver(pdev)->remove(pdev);
}
#else
static int kcpp_platform_remove(struct platform_device *pdev)
{
	kcpp_to_platform_driver(pdev)->remove(pdev);
	return 0;
}
#endif

struct kcpp_platform_driver *
kcpp_platform_driver_register(const char *name, const char *modname, const void *id_table,
			      const void *of_table, const void *acpi_table,
			      int (*probe)(struct platform_device *, int, unsigned long),
			      void (*remove)(struct platform_device *),
			      const struct kcpp_attr_desc *attrs, unsigned int nattrs,
			      unsigned int gfp, int *err)
{
	struct kcpp_platform_driver *d = kcpp_kmalloc_node(sizeof(*d),
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
	d->drv.driver.dev_groups = kcpp_attr_set_groups(d->attrs);
	d->drv.driver.name = name;
	d->drv.driver.mod_name = modname;
	d->drv.driver.of_match_table = of_table;
	d->drv.driver.acpi_match_table = acpi_table;
	d->drv.id_table = id_table;
	d->drv.probe = kcpp_platform_probe;
	d->drv.remove = kcpp_platform_remove;
	d->probe = probe;
	d->remove = remove;
	*err = __platform_driver_register(&d->drv, THIS_MODULE);
	if (*err) {
		kcpp_attr_set_free(d->attrs);
		kcpp_kfree(d);
		return NULL;
	}
	return d;
}

void kcpp_platform_driver_unregister(struct kcpp_platform_driver *d)
{
	platform_driver_unregister(&d->drv);
	kcpp_attr_set_free(d->attrs);
	kcpp_kfree(d);
}

bool kcpp_dev_is_platform(const struct device *dev)
{
	return dev_is_platform(dev);
}

const char *kcpp_platform_device_name(const struct platform_device *pdev)
{
	return pdev->name;
}

int kcpp_platform_device_id(const struct platform_device *pdev)
{
	return pdev->id;
}

int kcpp_platform_resource(struct platform_device *pdev, unsigned long type, unsigned int index,
			   struct kcpp_resource_desc *out)
{
	struct resource *r = platform_get_resource(pdev, type, index);

	if (!r)
		return -ENXIO;
	out->start = r->start;
	out->size = resource_size(r);
	out->flags = r->flags;
	out->name = r->name;
	return 0;
}

void *kcpp_platform_ioremap(struct platform_device *pdev, unsigned int index, const char *name,
			    struct kcpp_resource_desc *out, int *err)
{
	struct resource *r = platform_get_resource(pdev, IORESOURCE_MEM, index);
	void __iomem *addr;

	if (!r) {
		*err = -ENXIO;
		return NULL;
	}
	if (!request_mem_region(r->start, resource_size(r), name ?: dev_name(&pdev->dev))) {
		dev_err(&pdev->dev, "memory resource %u %pR is busy\n", index, r);
		*err = -EBUSY;
		return NULL;
	}
	addr = ioremap(r->start, resource_size(r));
	if (!addr) {
		release_mem_region(r->start, resource_size(r));
		*err = -ENOMEM;
		return NULL;
	}
	out->start = r->start;
	out->size = resource_size(r);
	out->flags = r->flags;
	out->name = r->name;
	return (void __force *)addr;
}

void kcpp_platform_iounmap(void *addr, unsigned long long start, unsigned long long size)
{
	iounmap((void __iomem __force *)addr);
	release_mem_region(start, size);
}

int kcpp_platform_get_irq(struct platform_device *pdev, unsigned int index)
{
	return platform_get_irq(pdev, index);
}

int kcpp_platform_get_irq_optional(struct platform_device *pdev, unsigned int index)
{
	return platform_get_irq_optional(pdev, index);
}

int kcpp_platform_irq_count(struct platform_device *pdev)
{
	return platform_irq_count(pdev);
}

struct platform_device *kcpp_platform_device_register(struct device *parent, const char *name,
						      int id,
						      const struct kcpp_resource_desc *res,
						      unsigned int nres, int *err)
{
	struct platform_device_info info = {
		.parent = parent,
		.name = name,
		.id = id,
	};
	struct resource *r = NULL;
	struct platform_device *pdev;
	unsigned int i;

	if (nres) {
		/* platform_device_register_full() copies the array. */
		r = kcpp_kmalloc_node(array_size(nres, sizeof(*r)),
				      (__force unsigned int)(GFP_KERNEL | __GFP_ZERO),
				      NUMA_NO_NODE);
		if (!r) {
			*err = -ENOMEM;
			return NULL;
		}
		for (i = 0; i < nres; i++) {
			if (!res[i].size || res[i].start + res[i].size - 1 < res[i].start) {
				kcpp_kfree(r);
				*err = -EINVAL;
				return NULL;
			}
			r[i].start = res[i].start;
			r[i].end = res[i].start + res[i].size - 1;
			r[i].flags = res[i].flags;
			r[i].name = res[i].name;
		}
	}
	info.res = r;
	info.num_res = nres;
	pdev = platform_device_register_full(&info);
	kcpp_kfree(r);
	if (IS_ERR(pdev)) {
		*err = PTR_ERR(pdev);
		return NULL;
	}
	return pdev;
}

void kcpp_platform_device_unregister(struct platform_device *pdev)
{
	platform_device_unregister(pdev);
}

void kcpp_platform_device_get(struct platform_device *pdev)
{
	get_device(&pdev->dev);
}

void kcpp_platform_device_put(struct platform_device *pdev)
{
	put_device(&pdev->dev);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * PCI: the driver registration and the pci_dev operations kcpp/pci.h
 * uses.
 */
#include <linux/version.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

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
	d->drv.dev_groups = kcpp_attr_set_groups(d->attrs);
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

u16 kcpp_pci_dev_id(struct pci_dev *pdev)
{
	return pci_dev_id(pdev);
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

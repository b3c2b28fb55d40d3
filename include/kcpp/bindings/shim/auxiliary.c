// SPDX-License-Identifier: GPL-2.0
/*
 * The auxiliary bus: devices and the driver registration
 * (kcpp/auxiliary.h).
 */
#include <linux/version.h>
#include <linux/auxiliary_bus.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

#if IS_ENABLED(CONFIG_AUXILIARY_BUS)
static void kcpp_auxiliary_release(struct device *dev)
{
	kcpp_kfree(to_auxiliary_dev(dev));
}

struct auxiliary_device *kcpp_auxiliary_device_add(struct device *parent, const char *modname,
						   const char *name, unsigned int id,
						   const void *data, unsigned int gfp, int *err)
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
	/* The driver core never writes it: the const is the data's owner's, kept. */
	adev->dev.platform_data = (void *)data;
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

const void *kcpp_auxiliary_device_data(const struct auxiliary_device *adev)
{
	return adev->dev.platform_data;
}

void kcpp_auxiliary_device_remove(struct auxiliary_device *adev)
{
	auxiliary_device_delete(adev);
	/* The data goes with the registration; the device may live on (a child's references). */
	adev->dev.platform_data = NULL;
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
	d->drv.driver.dev_groups = kcpp_attr_set_groups(d->attrs);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * Devices of the driver model and their devres resources.
 */
#include <linux/version.h>
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

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
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return device_is_bound((struct device *)dev);
#else
	/*
	 * 6.1 does not export device_is_bound(). The driver core's link state
	 * says the same: bound from the end of a successful probe until the
	 * unbind's cleanup (DL_DEV_UNBINDING while remove() runs).
	 */
	enum dl_dev_state state = READ_ONCE(dev->links.status);

	return state == DL_DEV_DRIVER_BOUND || state == DL_DEV_UNBINDING;
#endif
}

void kcpp_device_release_driver(struct device *dev)
{
	device_release_driver(dev);
}

int kcpp_device_attach(struct device *dev)
{
	return device_attach(dev);
}

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

	if (kcpp_fault_is_armed()) {
		kcpp_fault_note_gfp((__force gfp_t)gfp);
		if (kcpp_fault_should_fail())
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

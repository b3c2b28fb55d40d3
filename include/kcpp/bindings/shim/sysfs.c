// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs attributes of a driver's devices (kcpp/sysfs.h): the
 * attribute group a bus driver passes as its dev_groups (internal.h).
 */
#include <linux/version.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/overflow.h>
#include <linux/sysfs.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

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

struct kcpp_attr_set *kcpp_attr_set_new(const struct kcpp_attr_desc *descs, unsigned int n,
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

void kcpp_attr_set_free(struct kcpp_attr_set *set)
{
	if (!set)
		return;
	kcpp_kfree(set->attrs);
	kcpp_kfree(set);
}

const struct attribute_group **kcpp_attr_set_groups(struct kcpp_attr_set *set)
{
	return set ? set->groups : NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A device's attribute files as the kernel's sysfs holds them, for tests
 * that run at boot, before user space has mounted sysfs: the file is looked
 * up in the device's kernfs directory, its mode bits say whether it may be
 * read or written, and the callbacks are those sysfs would call.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/kernfs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sysfs_c_helpers.h"

long kcpp_test_sysfs_access(struct device *dev, const char *name, const char *write, char *buf,
			    size_t len)
{
	struct kernfs_node *kn = kernfs_find_and_get(dev->kobj.sd, name);
	struct device_attribute *attr;
	char *page;
	long r;

	if (!kn)
		return -ENOENT;
	/* A sysfs file's private data is its struct attribute. */
	attr = container_of((struct attribute *)kn->priv, struct device_attribute, attr);
	if (write) {
		r = (kn->mode & 0222) && attr->store ? attr->store(dev, attr, write, strlen(write))
						     : -EACCES;
	} else if (!(kn->mode & 0444) || !attr->show) {
		r = -EACCES;
	} else {
		/* show() fills up to a page, as sysfs gives it one. */
		page = kzalloc(PAGE_SIZE, GFP_KERNEL);
		r = page ? attr->show(dev, attr, page) : -ENOMEM;
		if (r >= 0)
			strscpy(buf, page, len);
		kfree(page);
	}
	kernfs_put(kn);
	return r;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Miscellaneous character devices (kcpp/miscdevice.h). One file_operations
 * for every kcpp misc device, static, so that it outlives any registration:
 * an open file keeps pointing at it (and at the module, its owner) after its
 * device was deregistered. Each open file's private_data is the header of
 * its C++ object, which names the operations of its class.
 */
#include <linux/version.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/compat.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

struct kcpp_misc {
	struct miscdevice misc;
	const struct kcpp_file_ops *ops;
	void *reg;
};

static int kcpp_misc_open(struct inode *inode, struct file *file)
{
	/* misc_open() put the miscdevice here, and holds misc_mtx: no deregistration meanwhile. */
	struct kcpp_misc *m = container_of(file->private_data, struct kcpp_misc, misc);
	struct kcpp_file_header *h = NULL;
	int err = m->ops->open(m->reg, file, &h);

	if (err)
		return err;
	file->private_data = h;
	return 0;
}

static int kcpp_misc_release(struct inode *inode, struct file *file)
{
	struct kcpp_file_header *h = file->private_data;

	/* NULL: a test's file whose open failed (kcpp_test_misc_open()). */
	if (h)
		h->ops->release(h->obj, file);
	return 0;
}

static ssize_t kcpp_misc_read(struct file *file, char __user *buf, size_t len, loff_t *pos)
{
	struct kcpp_file_header *h = file->private_data;

	if (!h->ops->read)
		return -EINVAL;
	return h->ops->read(h->obj, file, (unsigned long)buf, len, pos);
}

static ssize_t kcpp_misc_write(struct file *file, const char __user *buf, size_t len, loff_t *pos)
{
	struct kcpp_file_header *h = file->private_data;

	if (!h->ops->write)
		return -EINVAL;
	return h->ops->write(h->obj, file, (unsigned long)buf, len, pos);
}

static long kcpp_misc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct kcpp_file_header *h = file->private_data;

	if (!h->ops->ioctl)
		return -ENOTTY;
	return h->ops->ioctl(h->obj, file, cmd, arg);
}

static __poll_t kcpp_misc_poll(struct file *file, struct poll_table_struct *pt)
{
	struct kcpp_file_header *h = file->private_data;

	if (!h->ops->poll)
		return DEFAULT_POLLMASK;
	return (__force __poll_t)h->ops->poll(h->obj, file, pt);
}

static loff_t kcpp_misc_llseek(struct file *file, loff_t off, int whence)
{
	struct kcpp_file_header *h = file->private_data;

	if (!h->ops->llseek)
		return -ESPIPE;
	return h->ops->llseek(h->obj, file, off, whence);
}

static const struct file_operations kcpp_misc_fops = {
	.owner = THIS_MODULE,
	.open = kcpp_misc_open,
	.release = kcpp_misc_release,
	.read = kcpp_misc_read,
	.write = kcpp_misc_write,
	.unlocked_ioctl = kcpp_misc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = kcpp_misc_poll,
	.llseek = kcpp_misc_llseek,
};

struct kcpp_misc *kcpp_misc_register(const char *name, unsigned int mode,
				     const struct kcpp_file_ops *ops, void *reg,
				     struct device *parent, unsigned int gfp, int *err)
{
	struct kcpp_misc *m = kcpp_kmalloc_node(sizeof(*m), gfp | (__force unsigned int)__GFP_ZERO,
						 NUMA_NO_NODE);

	if (!m) {
		*err = -ENOMEM;
		return NULL;
	}
	m->misc.minor = MISC_DYNAMIC_MINOR;
	m->misc.name = name;
	m->misc.fops = &kcpp_misc_fops;
	m->misc.parent = parent;
	m->misc.mode = mode;
	m->ops = ops;
	m->reg = reg;
	*err = misc_register(&m->misc);
	if (*err) {
		kcpp_kfree(m);
		return NULL;
	}
	return m;
}

void kcpp_misc_deregister(struct kcpp_misc *m)
{
	misc_deregister(&m->misc);
	kcpp_kfree(m);
}

int kcpp_misc_minor(const struct kcpp_misc *m)
{
	return m->misc.minor;
}

struct device *kcpp_misc_device(const struct kcpp_misc *m)
{
	return m->misc.this_device;
}

unsigned int kcpp_file_flags(const struct file *file)
{
	return file->f_flags;
}

void kcpp_poll_wait(struct file *file, struct wait_queue_head *wq, struct poll_table_struct *pt)
{
	poll_wait(file, wq, pt);
}

#if IS_ENABLED(CONFIG_KCPP_FAULT_INJECTION)
/*
 * Test hooks: a file on the device's operations as misc_open() makes one
 * (without the device node, which the KUnit kernel has not mounted yet),
 * and each operation called as the VFS calls it, with a user buffer.
 */
struct file *kcpp_test_misc_open(struct kcpp_misc *m, unsigned int flags, int *err)
{
	struct file *f = anon_inode_getfile("kcpp-test-misc", &kcpp_misc_fops, &m->misc, flags);

	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	*err = kcpp_misc_open(file_inode(f), f);
	if (*err) {
		f->private_data = NULL;
		__fput_sync(f);
		return NULL;
	}
	return f;
}

void kcpp_test_file_close(struct file *f)
{
	__fput_sync(f);
}

long kcpp_test_file_read(struct file *f, unsigned long buf, unsigned long len, long long *pos)
{
	return f->f_op->read(f, (char __user *)buf, len, pos);
}

long kcpp_test_file_write(struct file *f, unsigned long buf, unsigned long len, long long *pos)
{
	return f->f_op->write(f, (const char __user *)buf, len, pos);
}

long kcpp_test_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return f->f_op->unlocked_ioctl(f, cmd, arg);
}

unsigned int kcpp_test_file_poll(struct file *f)
{
	return (__force unsigned int)vfs_poll(f, NULL);
}

long long kcpp_test_file_llseek(struct file *f, long long off, int whence)
{
	return vfs_llseek(f, off, whence);
}
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Miscellaneous character devices (kcpp/miscdevice.h). The file_operations
 * are C++'s: one static table per file-operations class, laid out by C++
 * from the offsets constants.c gives and called by the VFS directly, so an
 * open file keeps pointing at valid operations (and at their module, the
 * table's owner) after its device was deregistered. The shim registers the
 * device and finds the C++ registration during open.
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
	void *reg;
};

struct kcpp_misc *kcpp_misc_register(const char *name, unsigned int mode, const void *fops,
				     void *reg, struct device *parent, unsigned int gfp, int *err)
{
	struct kcpp_misc *m = kcpp_kmalloc_node(sizeof(*m), gfp | (__force unsigned int)__GFP_ZERO,
						 NUMA_NO_NODE);

	if (!m) {
		*err = -ENOMEM;
		return NULL;
	}
	m->misc.minor = MISC_DYNAMIC_MINOR;
	m->misc.name = name;
	m->misc.fops = fops;
	m->misc.parent = parent;
	m->misc.mode = mode;
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

/* During open only: misc_open() put the miscdevice in private_data, under misc_mtx. */
void *kcpp_misc_registration(const struct file *file)
{
	return container_of((struct miscdevice *)file->private_data, struct kcpp_misc, misc)->reg;
}

void kcpp_file_set_private(struct file *file, void *data)
{
	file->private_data = data;
}

unsigned int kcpp_file_flags(const struct file *file)
{
	return file->f_flags;
}

long long kcpp_file_pos(const struct file *file)
{
	return READ_ONCE(file->f_pos);
}

long long kcpp_file_set_pos(struct file *file, long long pos)
{
	return vfs_setpos(file, pos, MAX_LFS_FILESIZE);
}

void kcpp_poll_wait(struct file *file, struct wait_queue_head *wq, struct poll_table_struct *pt)
{
	poll_wait(file, wq, pt);
}

#if IS_ENABLED(CONFIG_KCPP_FAULT_INJECTION)
static const struct file_operations kcpp_test_noop_fops = {};

/*
 * Test hooks: a file on the device's operations as misc_open() makes one
 * (without the device node, which the KUnit kernel has not mounted yet),
 * and each operation called as the VFS calls it, with a user buffer.
 */
struct file *kcpp_test_misc_open(struct kcpp_misc *m, unsigned int flags, int *err)
{
	const struct file_operations *fops = m->misc.fops;
	struct file *f = anon_inode_getfile("kcpp-test-misc", fops, &m->misc, flags);

	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	*err = fops->open(file_inode(f), f);
	if (*err) {
		/* Not opened: release must not run. */
		f->f_op = &kcpp_test_noop_fops;
		__fput_sync(f);
		fops_put(fops);
		return NULL;
	}
	return f;
}

void kcpp_test_file_close(struct file *f)
{
	__fput_sync(f);
}

/* As vfs_read(), vfs_write() and vfs_ioctl() treat a missing operation. */
long kcpp_test_file_read(struct file *f, unsigned long buf, unsigned long len, long long *pos)
{
	return f->f_op->read ? f->f_op->read(f, (char __user *)buf, len, pos) : -EINVAL;
}

long kcpp_test_file_write(struct file *f, unsigned long buf, unsigned long len, long long *pos)
{
	return f->f_op->write ? f->f_op->write(f, (const char __user *)buf, len, pos) : -EINVAL;
}

long kcpp_test_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return f->f_op->unlocked_ioctl ? f->f_op->unlocked_ioctl(f, cmd, arg) : -ENOTTY;
}

unsigned int kcpp_test_file_poll(struct file *f)
{
	return (__force unsigned int)vfs_poll(f, NULL);
}

long long kcpp_test_file_llseek(struct file *f, long long off, int whence)
{
	/* A misc file without llseek has no FMODE_LSEEK after open; this one had no open. */
	return f->f_op->llseek ? vfs_llseek(f, off, whence) : -ESPIPE;
}
#endif

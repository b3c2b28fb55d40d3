// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs (kcpp/debugfs.h): directories, and read-only files whose
 * contents a C++ function writes into a seq_file. debugfs's proxy of the
 * file operations keeps a removal from completing while an operation runs,
 * and fails the ones after it, so the function never runs once its file
 * was removed.
 */
#include <linux/version.h>
#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

static int kcpp_debugfs_show(struct seq_file *m, void *v)
{
	const struct kcpp_debugfs_show *s = m->private;

	return s->show(s->data, m);
}

static int kcpp_debugfs_open(struct inode *inode, struct file *file)
{
	return single_open(file, kcpp_debugfs_show, inode->i_private);
}

static const struct file_operations kcpp_debugfs_fops = {
	.owner = THIS_MODULE,
	.open = kcpp_debugfs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

struct dentry *kcpp_debugfs_create_dir(const char *name, struct dentry *parent, int *err)
{
	struct dentry *d = debugfs_create_dir(name, parent);

	if (IS_ERR(d)) {
		*err = PTR_ERR(d);
		return NULL;
	}
	return d;
}

struct dentry *kcpp_debugfs_create_file(const char *name, unsigned int mode, struct dentry *parent,
					const struct kcpp_debugfs_show *show, int *err)
{
	struct dentry *d = debugfs_create_file(name, mode, parent, (void *)show,
					       &kcpp_debugfs_fops);

	if (IS_ERR(d)) {
		*err = PTR_ERR(d);
		return NULL;
	}
	/* The file's own reference: its owner may outlive the directory's removal. */
	return dget(d);
}

void kcpp_debugfs_remove_dir(struct dentry *d)
{
	debugfs_remove(d);
}

void kcpp_debugfs_remove_file(struct dentry *d)
{
	/* Still in the tree (removing its directory removed it already otherwise). */
	if (d_really_is_positive(d) && !d_unhashed(d))
		debugfs_remove(d);
	dput(d);
}

void kcpp_seq_write(struct seq_file *m, const char *s, unsigned long len)
{
	seq_write(m, s, len);
}

#if IS_ENABLED(CONFIG_KCPP_FAULT_INJECTION)
/* Test hooks: whether name exists under parent; a show into buf. */
bool kcpp_test_debugfs_exists(const char *name, struct dentry *parent)
{
	struct dentry *d = debugfs_lookup(name, parent);

	dput(d);
	return d;
}

long kcpp_test_debugfs_show(const struct kcpp_debugfs_show *show, char *buf, unsigned long len)
{
	struct seq_file m = { .buf = buf, .size = len, .private = (void *)show };
	int err = kcpp_debugfs_show(&m, NULL);

	if (err)
		return err;
	return seq_has_overflowed(&m) ? -EOVERFLOW : (long)m.count;
}
#endif

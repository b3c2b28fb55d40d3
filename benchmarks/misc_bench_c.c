// SPDX-License-Identifier: GPL-2.0
/*
 * The misc-device benchmark's C side: /dev/kcpp-bench-c, the echo device
 * of misc_bench.cpp written as a C driver would write it: its state in a
 * structure around the miscdevice, reached from the file's private_data
 * (which misc_open() sets) with container_of().
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include "bench.h"

struct kcpp_bench_echo {
	struct miscdevice misc;
	struct mutex lock; /* protects bytes and len */
	u8 bytes[KCPP_BENCH_MISC_BUF];
	size_t len;
};

static struct kcpp_bench_echo *kcpp_bench_echo_of(struct file *file)
{
	return container_of(file->private_data, struct kcpp_bench_echo, misc);
}

static ssize_t kcpp_bench_echo_write(struct file *file, const char __user *buf, size_t len,
				     loff_t *pos)
{
	struct kcpp_bench_echo *e = kcpp_bench_echo_of(file);
	size_t n = min_t(size_t, len, KCPP_BENCH_MISC_BUF);

	mutex_lock(&e->lock);
	if (copy_from_user(e->bytes, buf, n)) {
		mutex_unlock(&e->lock);
		return -EFAULT;
	}
	e->len = n;
	mutex_unlock(&e->lock);
	return n;
}

static ssize_t kcpp_bench_echo_read(struct file *file, char __user *buf, size_t len, loff_t *pos)
{
	struct kcpp_bench_echo *e = kcpp_bench_echo_of(file);
	size_t n;

	mutex_lock(&e->lock);
	n = min(len, e->len);
	if (copy_to_user(buf, e->bytes, n)) {
		mutex_unlock(&e->lock);
		return -EFAULT;
	}
	mutex_unlock(&e->lock);
	return n;
}

static const struct file_operations kcpp_bench_echo_fops = {
	.owner = THIS_MODULE,
	.read = kcpp_bench_echo_read,
	.write = kcpp_bench_echo_write,
};

static struct kcpp_bench_echo kcpp_bench_echo = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "kcpp-bench-c",
		.fops = &kcpp_bench_echo_fops,
	},
};

int kcpp_bench_misc_c_register(void)
{
	mutex_init(&kcpp_bench_echo.lock);
	return misc_register(&kcpp_bench_echo.misc);
}

void kcpp_bench_misc_c_unregister(void)
{
	misc_deregister(&kcpp_bench_echo.misc);
}

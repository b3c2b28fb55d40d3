// SPDX-License-Identifier: GPL-2.0
/*
 * DRM devices, their files and shmem-backed GEM objects (kcpp/drm.h).
 *
 * The struct drm_driver is C++'s: one static table per driver class, laid
 * out from the offsets constants.c gives, so that open files and GEM
 * objects that outlive the binding keep pointing at valid callbacks. The
 * file operations are the GEM ones every such driver has, here, in the
 * module's own copy of this part (their owner is the module). The shim
 * allocates the device with the driver's C++ data beside it, and wraps
 * what the DRM core keeps inline. The shmem objects are drm_shmem.c's, so
 * that only a module that makes them needs the shmem helpers' module.
 */
#include <linux/version.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include "internal.h"

/* Built in only where DRM is too (IS_REACHABLE): vmlinux cannot call drm.ko. */
#if IS_REACHABLE(CONFIG_DRM)
/* As DEFINE_DRM_GEM_FOPS() makes them, but visible to C++'s driver table. */
const struct file_operations kcpp_drm_gem_fops = {
	.owner = THIS_MODULE,
#ifdef DRM_GEM_FOPS
	DRM_GEM_FOPS,
#else /* before 6.5: the same operations, spelled out */
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = drm_ioctl,
	.compat_ioctl = drm_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = drm_gem_mmap,
#endif
};

/*
 * A device for driver, shown under parent in sysfs (the device DRM logs
 * with and maps DMA for), with one reference, the caller's. data is C++'s,
 * kept in dev_private and released by release(drm, data) when the last
 * reference goes, or at once if this fails. The allocation is not
 * devres-managed: its lifetime is the caller's to tie to a binding, which
 * need not be parent's (a driver bound to an auxiliary device shows its
 * DRM device under the PCI function above it). drm_dev_alloc() and
 * dev_private are the deprecated forms of devm_drm_dev_alloc(), which
 * would tie the device to parent's devres: the PCI function's, not the
 * auxiliary binding the device lives by.
 */
struct drm_device *kcpp_drm_dev_alloc(const struct device *parent, const void *driver, void *data,
				      void (*release)(struct drm_device *, void *), int *err)
{
	/* drm_dev_init() takes its own reference to parent; it changes nothing else of it. */
	struct drm_device *drm = drm_dev_alloc(driver, (struct device *)parent);

	if (IS_ERR(drm)) {
		*err = PTR_ERR(drm);
		release(NULL, data);
		return NULL;
	}
	drm->dev_private = data;
	/* On failure the action runs now: data is freed; the caller's put frees the device. */
	*err = drmm_add_action_or_reset(drm, release, data);
	if (*err) {
		drm->dev_private = NULL;
		drm_dev_put(drm);
		return NULL;
	}
	return drm;
}

void *kcpp_drm_data(const struct drm_device *drm)
{
	return drm->dev_private;
}

struct drm_device *kcpp_drm_file_dev(const struct drm_file *file)
{
	return file->minor->dev;
}

struct device *kcpp_drm_parent(const struct drm_device *drm)
{
	return drm->dev;
}

int kcpp_drm_render_minor(const struct drm_device *drm)
{
	return drm->render ? drm->render->index : -1;
}

void kcpp_drm_dev_get(struct drm_device *drm)
{
	drm_dev_get(drm);
}

void kcpp_drm_dev_put(struct drm_device *drm)
{
	drm_dev_put(drm);
}

void *kcpp_drm_file_priv(const struct drm_file *file)
{
	return file->driver_priv;
}

void kcpp_drm_file_set_priv(struct drm_file *file, void *priv)
{
	file->driver_priv = priv;
}

void kcpp_drm_gem_get(struct drm_gem_object *obj)
{
	drm_gem_object_get(obj);
}

void kcpp_drm_gem_put(struct drm_gem_object *obj)
{
	drm_gem_object_put(obj);
}

size_t kcpp_drm_gem_size(const struct drm_gem_object *obj)
{
	return obj->size;
}

struct drm_device *kcpp_drm_gem_dev(const struct drm_gem_object *obj)
{
	return obj->dev;
}

/* mock_drm_getfile() is exported for tests only: the built-in copy has these. */
#if IS_ENABLED(CONFIG_KCPP_FAULT_INJECTION) && IS_BUILTIN(CONFIG_DRM) && !defined(MODULE)
/*
 * Test hooks: a file open on the device's render node (its primary node
 * without one), without the device node (the KUnit kernel mounts no
 * devtmpfs), and an ioctl as the VFS calls it; kcpp_test_file_close()
 * closes it. mock_drm_getfile() runs the driver's open as drm_open() does,
 * but skips drm_open()'s unplugged check, its open count and the master:
 * tests of those go through a real device node, in user space.
 */
struct file *kcpp_test_drm_open(struct drm_device *drm, int *err)
{
	struct file *f = mock_drm_getfile(drm->render ? drm->render : drm->primary, O_RDWR);

	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	return f;
}

long kcpp_test_drm_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return f->f_op->unlocked_ioctl(f, cmd, arg);
}
#endif
#endif /* CONFIG_DRM */

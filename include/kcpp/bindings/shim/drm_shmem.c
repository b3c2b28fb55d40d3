// SPDX-License-Identifier: GPL-2.0
/*
 * Shmem-backed GEM objects (kcpp/drm/gem.h), from the DRM shmem helpers
 * (drm_shmem_helper.ko on distribution kernels).
 */
#include <linux/version.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include "internal.h"

#if IS_REACHABLE(CONFIG_DRM_GEM_SHMEM_HELPER)
/*
 * The shmem helpers' own operations, but for free: a kcpp object holds a
 * reference to its device (the DRM core's objects do not), so that one
 * that C++ keeps past the device's last file and registration never frees
 * itself into a freed device.
 */
static void kcpp_drm_gem_shmem_free(struct drm_gem_object *obj)
{
	struct drm_device *drm = obj->dev;

	drm_gem_shmem_free(to_drm_gem_shmem_obj(obj));
	drm_dev_put(drm);
}

static const struct drm_gem_object_funcs kcpp_drm_gem_shmem_funcs = {
	.free = kcpp_drm_gem_shmem_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/* A shmem-backed object of size bytes (a multiple of the page size), one reference. */
struct drm_gem_object *kcpp_drm_gem_shmem_create(struct drm_device *drm, size_t size, int *err)
{
	struct drm_gem_shmem_object *shmem = drm_gem_shmem_create(drm, size);

	if (IS_ERR(shmem)) {
		*err = PTR_ERR(shmem);
		return NULL;
	}
	/*
	 * Not published yet: no handle, no other reference. kcpp maps no
	 * object, so it gives back the mmap offset the helpers reserved: the
	 * space is the device's, shared by every client, and large objects,
	 * backed only when used, would exhaust it for all.
	 */
	drm_gem_free_mmap_offset(&shmem->base);
	shmem->base.funcs = &kcpp_drm_gem_shmem_funcs;
	drm_dev_get(drm);
	return &shmem->base;
}
#endif

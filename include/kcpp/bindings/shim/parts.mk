# SPDX-License-Identifier: GPL-2.0
# The parts of the C shim, one C file per subsystem in this directory. Read by
# this directory's Kbuild (the copy in vmlinux) and by scripts/kcpp.mk (the
# copy in each module, of the parts the module calls).
kcpp-shim-parts := runtime alloc fault core sync kunit device sysfs pci irq auxiliary \
	firmware dma platform uaccess miscdevice deferred debugfs drm drm_shmem

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel constants kcpp reads from the configured kernel, as X-macro
 * lists. This header is shared by the C side (constants.c turns each entry
 * into a line of the generated header; the binding tests compare each with
 * the C value) and the C++ side (names for errors and flags). It includes
 * nothing and is valid C and C++.
 *
 * X(name): the constant `name` of the kernel's headers becomes the macro
 * KCPP_<name> in <kcpp/bindings/generated.h>.
 */
#ifndef KCPP_BINDINGS_LISTS_H
#define KCPP_BINDINGS_LISTS_H

/* Kernel error numbers, include/uapi/asm-generic/errno*.h and linux/errno.h. */
#define KCPP_ERRNO_LIST(X) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) \
	X(ENOEXEC) X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) \
	X(EFAULT) X(EBUSY) X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) \
	X(EISDIR) X(EINVAL) X(ENFILE) X(EMFILE) X(ENOTTY) X(EFBIG) \
	X(ENOSPC) X(ESPIPE) X(EROFS) X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) \
	X(EDEADLK) X(ENAMETOOLONG) X(ENOLCK) X(ENOSYS) X(ENOTEMPTY) \
	X(ELOOP) X(ENOMSG) X(ENODATA) X(ETIME) X(ENOLINK) X(EPROTO) \
	X(EBADMSG) X(EOVERFLOW) X(EILSEQ) X(EOPNOTSUPP) X(EADDRINUSE) \
	X(ENOBUFS) X(ENOTCONN) X(ETIMEDOUT) X(ECONNREFUSED) X(EALREADY) \
	X(EINPROGRESS) X(ECANCELED) X(ENOMEDIUM) X(EMSGSIZE) X(ENOKEY) \
	X(EKEYREJECTED) X(ERESTARTSYS) X(ENOTSUPP) X(EPROBE_DEFER)

/*
 * The kmalloc size classes with a direct entry in the shim
 * (kcpp_kmalloc_<n>): the sizes of the kmalloc caches up to two pages.
 * Allocations whose size is known at compile time call the entry of the
 * smallest class that holds them, which selects the cache at compile time
 * as kmalloc() does in C for a constant size.
 */
#define KCPP_KMALLOC_CLASS_LIST(X) \
	X(8) X(16) X(32) X(64) X(96) X(128) X(192) X(256) X(512) X(1024) \
	X(2048) X(4096) X(8192)

/* Allocation flags, include/linux/gfp_types.h. */
#define KCPP_GFP_LIST(X) \
	X(GFP_KERNEL) X(GFP_ATOMIC) X(GFP_NOWAIT) X(GFP_NOIO) X(GFP_NOFS) \
	X(GFP_KERNEL_ACCOUNT) X(GFP_USER) X(GFP_DMA) X(GFP_DMA32) \
	X(__GFP_ZERO) X(__GFP_NOWARN) X(__GFP_NORETRY) X(__GFP_RETRY_MAYFAIL) \
	X(__GFP_HIGHMEM) X(__GFP_ACCOUNT) X(__GFP_THISNODE) X(__GFP_COMP) \
	X(__GFP_DIRECT_RECLAIM)

/* Memory and NUMA geometry. */
#define KCPP_MM_LIST(X) \
	X(PAGE_SHIFT) X(PAGE_SIZE) X(MAX_NUMNODES) X(NUMA_NO_NODE) \
	X(KMALLOC_MAX_SIZE) X(KMALLOC_MAX_CACHE_SIZE) X(KMALLOC_MIN_SIZE) \
	X(ARCH_KMALLOC_MINALIGN) X(ARCH_SLAB_MINALIGN)

/* PCI, include/linux/pci.h and include/uapi/linux/pci_regs.h. */
#define KCPP_PCI_LIST(X) \
	X(PCI_ANY_ID) X(PCI_VENDOR_ID) X(PCI_DEVICE_ID) X(PCI_COMMAND) \
	X(PCI_STATUS) X(PCI_CLASS_REVISION) X(PCI_HEADER_TYPE) \
	X(PCI_BASE_ADDRESS_0) X(PCI_SUBSYSTEM_VENDOR_ID) X(PCI_SUBSYSTEM_ID) \
	X(PCI_INTERRUPT_LINE) X(PCI_COMMAND_MEMORY) X(PCI_COMMAND_MASTER) \
	X(PCI_IRQ_INTX) X(PCI_IRQ_MSI) X(PCI_IRQ_MSIX) X(PCI_IRQ_ALL_TYPES) \
	X(PCI_STD_NUM_BARS) X(PCI_CFG_SPACE_SIZE) X(PCI_CFG_SPACE_EXP_SIZE) \
	X(PCI_CLASS_DISPLAY_VGA) X(PCI_CLASS_DISPLAY_3D) \
	X(PCI_VENDOR_ID_NVIDIA) X(PCI_VENDOR_ID_REDHAT) X(PCI_REVISION_ID) \
	X(PCI_CLASS_PROG) X(PCI_CAPABILITY_LIST) X(PCI_INTERRUPT_PIN) \
	X(PCI_NUM_RESOURCES) X(PCI_ROM_RESOURCE) X(PCI_CLASS_OTHERS) \
	X(PCI_CLASS_DISPLAY_OTHER)

/* Driver model: resources, interrupts, the auxiliary bus. */
#define KCPP_DRIVER_LIST(X) \
	X(IORESOURCE_IO) X(IORESOURCE_MEM) X(IORESOURCE_MEM_64) \
	X(IORESOURCE_PREFETCH) X(IRQF_SHARED) X(IRQF_ONESHOT) \
	X(IRQF_NO_SUSPEND) X(IRQ_NONE) X(IRQ_HANDLED) X(IRQ_WAKE_THREAD) \
	X(AUXILIARY_NAME_SIZE) X(DMA_BIDIRECTIONAL) X(DMA_TO_DEVICE) \
	X(DMA_FROM_DEVICE) X(DMA_ATTR_WEAK_ORDERING) X(DMA_ATTR_WRITE_COMBINE) \
	X(DMA_ATTR_NO_KERNEL_MAPPING) X(DMA_ATTR_SKIP_CPU_SYNC) \
	X(DMA_ATTR_FORCE_CONTIGUOUS) X(DMA_ATTR_ALLOC_SINGLE_PAGES) \
	X(DMA_ATTR_NO_WARN) X(DMA_ATTR_PRIVILEGED) \
	X(_DPRINTK_CLASS_DFLT) X(_DPRINTK_FLAGS_PRINT) \
	X(IORESOURCE_IRQ) X(IORESOURCE_TYPE_BITS) X(PLATFORM_NAME_SIZE) \
	X(PLATFORM_DEVID_NONE) X(PLATFORM_DEVID_AUTO) X(ACPI_ID_LEN) \
	X(O_NONBLOCK) X(O_RDWR) X(SEEK_SET) X(SEEK_CUR) X(SEEK_END) X(MISC_DYNAMIC_MINOR) \
	X(EPOLLIN) X(EPOLLOUT) X(EPOLLRDNORM) X(EPOLLWRNORM) X(EPOLLERR) \
	X(EPOLLHUP) X(EPOLLPRI) X(_IOC_NRSHIFT) X(_IOC_TYPESHIFT) X(_IOC_SIZESHIFT) \
	X(_IOC_DIRSHIFT) X(_IOC_DIRBITS) X(_IOC_SIZEBITS) X(_IOC_NONE) X(_IOC_READ) X(_IOC_WRITE) \
	X(WQ_UNBOUND) X(WQ_FREEZABLE) X(WQ_MEM_RECLAIM) X(WQ_HIGHPRI) \
	X(NSEC_PER_USEC) X(NSEC_PER_MSEC) X(NSEC_PER_SEC) \
	X(DRIVER_GEM) X(DRIVER_RENDER) X(DRM_AUTH) X(DRM_MASTER) X(DRM_ROOT_ONLY) \
	X(DRM_RENDER_ALLOW) X(DRM_IOCTL_BASE) X(DRM_COMMAND_BASE) X(DRM_COMMAND_END)

/*
 * Sizes and member offsets of kernel structures that C++ lays out itself
 * (a mirror type whose layout is checked against these at compile time).
 * S(struct) gives KCPP_SIZEOF_<struct>, O(struct, member) gives
 * KCPP_OFFSETOF_<struct>_<member>.
 */
#define KCPP_LAYOUT_LIST(S, O) \
	S(mutex) S(lock_class_key) S(completion) \
	S(_ddebug) O(_ddebug, format) \
	S(kunit_case) O(kunit_case, run_case) O(kunit_case, name) \
	O(kunit_case, generate_params) \
	S(kunit_suite) O(kunit_suite, name) O(kunit_suite, suite_init) \
	O(kunit_suite, suite_exit) O(kunit_suite, init) O(kunit_suite, exit) \
	O(kunit_suite, test_cases) \
	S(pci_device_id) O(pci_device_id, vendor) O(pci_device_id, device) \
	O(pci_device_id, subvendor) O(pci_device_id, subdevice) \
	O(pci_device_id, class) O(pci_device_id, class_mask) \
	O(pci_device_id, driver_data) O(pci_device_id, override_only) \
	S(auxiliary_device_id) O(auxiliary_device_id, name) \
	O(auxiliary_device_id, driver_data) \
	S(platform_device_id) O(platform_device_id, driver_data) \
	S(of_device_id) O(of_device_id, type) O(of_device_id, compatible) \
	O(of_device_id, data) \
	S(acpi_device_id) O(acpi_device_id, driver_data) O(acpi_device_id, cls) \
	O(acpi_device_id, cls_msk) O(platform_device, dev) \
	S(wait_queue_head) S(wait_queue_entry) \
	S(kcpp_work) S(kcpp_delayed_work) S(kcpp_hrtimer) \
	S(file_operations) O(file_operations, owner) O(file_operations, llseek) \
	O(file_operations, read) O(file_operations, write) O(file_operations, poll) \
	O(file_operations, unlocked_ioctl) O(file_operations, compat_ioctl) \
	O(file_operations, open) O(file_operations, release) O(file, private_data) \
	O(pci_dev, dev) O(pci_dev, vendor) O(pci_dev, device) \
	O(pci_dev, subsystem_vendor) O(pci_dev, subsystem_device) \
	O(pci_dev, revision) O(pci_dev, class) \
	O(auxiliary_device, dev) O(auxiliary_device, name) O(auxiliary_device, id) \
	S(drm_driver) O(drm_driver, open) O(drm_driver, postclose) O(drm_driver, major) \
	O(drm_driver, minor) O(drm_driver, patchlevel) O(drm_driver, name) O(drm_driver, desc) \
	O(drm_driver, driver_features) O(drm_driver, ioctls) O(drm_driver, num_ioctls) \
	O(drm_driver, fops) S(drm_ioctl_desc) O(drm_ioctl_desc, cmd) O(drm_ioctl_desc, flags) \
	O(drm_ioctl_desc, func) O(drm_ioctl_desc, name)

/* Alignments of kernel types C++ embeds (KCPP_ALIGNOF_<type>). */
#define KCPP_ALIGN_LIST(X) \
	X(struct mutex, mutex) X(spinlock_t, spinlock) X(raw_spinlock_t, raw_spinlock) \
	X(struct lock_class_key, lock_class_key) X(refcount_t, refcount) \
	X(struct completion, completion) X(struct wait_queue_head, wait_queue_head) \
	X(struct wait_queue_entry, wait_queue_entry) X(struct kcpp_work, kcpp_work) \
	X(struct kcpp_delayed_work, kcpp_delayed_work) X(struct kcpp_hrtimer, kcpp_hrtimer)

/* Sizes of kernel typedefs C++ embeds (KCPP_SIZEOF_<name>). */
#define KCPP_TYPEDEF_SIZE_LIST(X) \
	X(spinlock_t, spinlock) X(raw_spinlock_t, raw_spinlock) X(refcount_t, refcount)

/* Kernel configuration switches C++ code depends on, as 0 or 1. */
#define KCPP_CONFIG_LIST(X) \
	X(NUMA) X(SMP) X(MODULES) X(PCI) X(PCI_MSI) X(LOCKDEP) X(KASAN) \
	X(KUNIT) X(KCPP) X(HAVE_ARCH_PREL32_RELOCATIONS) X(MODULE_UNLOAD) \
	X(KCPP_FAULT_INJECTION) X(DEBUG_MUTEXES) X(DEBUG_SPINLOCK) X(PREEMPT_RT) \
	X(AUXILIARY_BUS) X(FW_LOADER) X(X86_64) X(DEBUG_ATOMIC_SLEEP) \
	X(DYNAMIC_DEBUG) X(JUMP_LABEL) X(ZONE_DMA) X(OF) X(ACPI) X(COMPAT) X(DEBUG_LOCK_ALLOC) \
	X(DRM) X(DRM_GEM_SHMEM_HELPER)

#endif /* KCPP_BINDINGS_LISTS_H */

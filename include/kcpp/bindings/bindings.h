/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations of the C functions kcpp calls: the shim (the C files of
 * shim/) and the few exported kernel functions whose C signature is plain
 * enough to declare directly. Valid C and C++; includes no kernel header.
 * The C shim includes it too, so the compiler checks every declaration
 * against its definition.
 *
 * Raw C pointers stay in this layer and in kcpp's detail namespaces.
 */
#ifndef KCPP_BINDINGS_BINDINGS_H
#define KCPP_BINDINGS_BINDINGS_H

/* C declarations: the kernel's names and the shim's C style. */
/* NOLINTBEGIN(readability-identifier-naming) */

#include "lists.h"

#ifdef __cplusplus
extern "C" {
#define KCPP_C_BOOL bool
#else
#define KCPP_C_BOOL _Bool
#endif

struct kunit;
struct kunit_suite;
struct mutex;
struct lock_class_key;
struct refcount_struct; /* refcount_t */
struct device;
struct pci_dev;
struct auxiliary_device;
struct firmware;
struct task_struct;
struct kcpp_pci_driver;
struct kcpp_auxiliary_driver;
struct platform_device;
struct kcpp_platform_driver;
struct file;
struct poll_table_struct;
struct wait_queue_head;
struct wait_queue_entry;
struct kcpp_misc;
struct drm_device;
struct drm_file;
struct drm_gem_object;
struct workqueue_struct;
struct kcpp_work;
struct kcpp_delayed_work;
struct kcpp_hrtimer;
struct dentry;
struct seq_file;
struct sg_table;
struct completion;
#ifdef __cplusplus
/*
 * spinlock_t and raw_spinlock_t are typedefs in C; C++ sees opaque structs
 * of those names.
 */
struct kcpp_spinlock;
typedef struct kcpp_spinlock kcpp_spinlock_t;
struct kcpp_raw_spinlock;
typedef struct kcpp_raw_spinlock kcpp_raw_spinlock_t;
#else
typedef spinlock_t kcpp_spinlock_t;
typedef raw_spinlock_t kcpp_raw_spinlock_t;
#endif

/* The kernel's printk entry point (kernel/printk/printk.c, exported). */
int _printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* lib/vsprintf.c, exported. */
int snprintf(char *buf, __SIZE_TYPE__ size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int vsnprintf(char *buf, __SIZE_TYPE__ size, const char *fmt, __builtin_va_list args)
	__attribute__((format(printf, 3, 0)));

/* C++ runtime support. */
void __cxa_pure_virtual(void);

/*
 * Allocation (kmalloc, vmalloc and kvmalloc families). Flags are gfp_t
 * values from <kcpp/bindings/generated.h>, node a NUMA node id or
 * NUMA_NO_NODE. The realloc functions keep the node of the original block.
 * Ordinary functions: with IBT each starts with its ENDBR landing pad, so
 * a call through a pointer, should one ever be taken, is still valid.
 */
void *kcpp_kmalloc_node(__SIZE_TYPE__ size, unsigned int flags, int node);
void *kcpp_krealloc(const void *p, __SIZE_TYPE__ size, unsigned int flags);
void kcpp_kfree(const void *p);
/* Tells kmemleak that block p, never freed, is no leak (kmemleak_not_leak). */
void kcpp_kmemleak_not_leak(const void *p);
/* kmalloc from the size class n (KCPP_KMALLOC_CLASS_LIST), size <= n. */
#define KCPP_KMALLOC_CLASS_DECL(n) \
	void *kcpp_kmalloc_##n(__SIZE_TYPE__ size, unsigned int flags); \
	void *kcpp_kmalloc_kernel_##n(__SIZE_TYPE__ size); \
	void *kcpp_kmalloc_node_##n(__SIZE_TYPE__ size, unsigned int flags, int node);
KCPP_KMALLOC_CLASS_LIST(KCPP_KMALLOC_CLASS_DECL)
#undef KCPP_KMALLOC_CLASS_DECL
void *kcpp_vmalloc_node(__SIZE_TYPE__ size, unsigned int flags, int node);
void kcpp_vfree(const void *p);
void *kcpp_kvmalloc_node(__SIZE_TYPE__ size, unsigned int flags, int node);
/* old_size: the size of the block at p, as it was allocated or last resized. */
void *kcpp_kvrealloc(const void *p, __SIZE_TYPE__ old_size, __SIZE_TYPE__ size, unsigned int flags);
void kcpp_kvfree(const void *p);
/* The NUMA node of the page behind p (kmalloc or vmalloc memory). */
int kcpp_mem_node(const void *p);
KCPP_C_BOOL kcpp_node_online(int node);

/*
 * Test hooks (only with CONFIG_KCPP_FAULT_INJECTION, which the KUnit tests
 * select; no other module has them). While armed: fail the n-th allocation
 * from now (0: none), count live allocations and injected failures, and
 * keep the flags of the last 32 allocations (kcpp_fault_gfp_of(i) for the
 * i-th since arming, 0 once overwritten).
 */
/* Arming costs nothing until then: a static key. Counting runs while armed. */
void kcpp_fault_arm(KCPP_C_BOOL on);
void kcpp_fault_fail_nth(long n);
long kcpp_fault_live_allocations(void);
long kcpp_fault_injected(void);
long kcpp_fault_allocations_seen(void);
unsigned int kcpp_fault_gfp_of(long i);
/* The next n calls of kcpp_warn() are expected: logged, not WARNed; counted down. */
void kcpp_fault_expect_warnings(int n);
int kcpp_fault_expected_warnings_left(void);

/* Locks (kcpp/sync/lock.h). Keys live in static storage, one per site. */
void kcpp_mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key);
void kcpp_mutex_destroy(struct mutex *lock);
void kcpp_mutex_lock(struct mutex *lock);
int kcpp_mutex_lock_interruptible(struct mutex *lock);
KCPP_C_BOOL kcpp_mutex_trylock(struct mutex *lock);
void kcpp_mutex_unlock(struct mutex *lock);
KCPP_C_BOOL kcpp_mutex_is_locked(struct mutex *lock);
void kcpp_spin_lock_init(kcpp_spinlock_t *lock, const char *name, struct lock_class_key *key);
void kcpp_spin_lock(kcpp_spinlock_t *lock);
KCPP_C_BOOL kcpp_spin_trylock(kcpp_spinlock_t *lock);
void kcpp_spin_unlock(kcpp_spinlock_t *lock);
unsigned long kcpp_spin_lock_irqsave(kcpp_spinlock_t *lock);
void kcpp_spin_unlock_irqrestore(kcpp_spinlock_t *lock, unsigned long flags);
KCPP_C_BOOL kcpp_spin_is_locked(kcpp_spinlock_t *lock);
void kcpp_raw_spin_lock_init(kcpp_raw_spinlock_t *lock, const char *name,
			     struct lock_class_key *key);
void kcpp_raw_spin_lock(kcpp_raw_spinlock_t *lock);
KCPP_C_BOOL kcpp_raw_spin_trylock(kcpp_raw_spinlock_t *lock);
void kcpp_raw_spin_unlock(kcpp_raw_spinlock_t *lock);
unsigned long kcpp_raw_spin_lock_irqsave(kcpp_raw_spinlock_t *lock);
void kcpp_raw_spin_unlock_irqrestore(kcpp_raw_spinlock_t *lock, unsigned long flags);
KCPP_C_BOOL kcpp_raw_spin_is_locked(kcpp_raw_spinlock_t *lock);
KCPP_C_BOOL kcpp_irqs_disabled(void);

/* refcount_t (include/linux/refcount.h): saturating, WARNs on misuse. */
void kcpp_refcount_set(struct refcount_struct *r, unsigned int n);
void kcpp_refcount_inc(struct refcount_struct *r);
KCPP_C_BOOL kcpp_refcount_dec_and_test(struct refcount_struct *r);
unsigned int kcpp_refcount_read(const struct refcount_struct *r);

/* CLOCK_MONOTONIC in nanoseconds (ktime_get_ns()). */
unsigned long long kcpp_ktime_get_ns(void);

/* A WARN() with a stack trace; for broken invariants, never for bad input. */
void kcpp_warn(const char *file, int line, const char *what);
/*
 * BUG(): only for states where continuing would corrupt memory. It does not
 * return, but is not declared noreturn: the caller follows the call with a
 * trap of its own, which objtool sees as the dead end even where it checks
 * each object alone and cannot see into the shim (6.1 without IBT).
 */
void kcpp_bug(const char *file, int line, const char *what);

/*
 * Driver model (shim/device.c, pci.c, auxiliary.c, ...). Errors are
 * negative errnos; functions that return an object report their error
 * through *err.
 */
const char *kcpp_dev_name(const struct device *dev);
void kcpp_get_device(struct device *dev);
void kcpp_put_device(struct device *dev);
void *kcpp_dev_get_drvdata(const struct device *dev);
void kcpp_dev_set_drvdata(struct device *dev, void *data);
struct device *kcpp_dev_parent(const struct device *dev);
int kcpp_dev_to_node(const struct device *dev);
KCPP_C_BOOL kcpp_dev_is_bound(const struct device *dev);
void kcpp_device_release_driver(struct device *dev);
int kcpp_device_attach(struct device *dev);
/*
 * Dynamic debug (lib/dynamic_debug.c, exported): print through a call
 * site's descriptor, a struct _ddebug in the __dyndbg section
 * (kcpp/print.h lays it out).
 */
struct _ddebug;
void __dynamic_pr_debug(struct _ddebug *descriptor, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void __dynamic_dev_dbg(struct _ddebug *descriptor, const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The kernel's dev_printk() entry point (drivers/base/core.c, exported). */
void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A devres node calling release(data) at unbind, allocated with gfp on the
 * NUMA node `node` (NUMA_NO_NODE: any); remove takes it back unrun.
 */
int kcpp_devres_add(struct device *dev, void (*release)(void *), void *data, unsigned int gfp,
		    int node);
KCPP_C_BOOL kcpp_devres_remove(struct device *dev, void (*release)(void *), void *data);

void kcpp_rcu_read_lock(void);
void kcpp_rcu_read_unlock(void);
void kcpp_synchronize_rcu(void);

void kcpp_fsleep(unsigned long usecs);
/* udelay(): busy-waits, for atomic context. */
void kcpp_udelay(unsigned long usecs);
void kcpp_might_sleep(const char *file, int line);
void kcpp_cpu_relax(void);
/* kthread_run(); NULL on failure. */
struct task_struct *kcpp_kthread_run(int (*fn)(void *), void *data, const char *name);

/*
 * A sysfs attribute of a driver's devices (kcpp/sysfs.h): its file name and
 * the callbacks (NULL: not readable, not writable), which return a length
 * or -errno. A driver registers an array of them; the driver core creates
 * the files (dev_groups) after probe succeeded, before the bind uevent,
 * and removes them, waiting for running callbacks, before remove().
 */
struct kcpp_attr_desc {
	const char *name;
	long (*show)(struct device *dev, char *buf);
	long (*store)(struct device *dev, const char *buf, __SIZE_TYPE__ len);
};

/*
 * PCI (CONFIG_PCI). id_table: a struct pci_device_id array, zero-terminated;
 * attrs: nattrs attributes of the driver's devices (nattrs 0: none).
 */
struct kcpp_pci_driver *kcpp_pci_driver_register(const char *name, const char *modname,
						 const void *id_table,
						 int (*probe)(struct pci_dev *, const void *),
						 void (*remove)(struct pci_dev *),
						 const struct kcpp_attr_desc *attrs,
						 unsigned int nattrs, unsigned int gfp,
						 int *err);
void kcpp_pci_driver_unregister(struct kcpp_pci_driver *drv);
KCPP_C_BOOL kcpp_dev_is_pci(const struct device *dev);
/* pci_get_device(): the next match after from (whose count it drops), counted. */
struct pci_dev *kcpp_pci_get_device(unsigned int vendor, unsigned int device,
				    struct pci_dev *from);
void kcpp_pci_dev_get(struct pci_dev *pdev);
void kcpp_pci_dev_put(struct pci_dev *pdev);
int kcpp_pci_enable_device_mem(struct pci_dev *pdev);
void kcpp_pci_disable_device(struct pci_dev *pdev);
void kcpp_pci_set_master(struct pci_dev *pdev);
void kcpp_pci_clear_master(struct pci_dev *pdev);
/* pci_dev_id(): the bus number and devfn, PCI_DEVID(). */
unsigned short kcpp_pci_dev_id(struct pci_dev *pdev);
unsigned long long kcpp_pci_resource_start(struct pci_dev *pdev, int bar);
unsigned long long kcpp_pci_resource_len(struct pci_dev *pdev, int bar);
unsigned long kcpp_pci_resource_flags(struct pci_dev *pdev, int bar);
int kcpp_pci_request_region(struct pci_dev *pdev, int bar, const char *name);
void kcpp_pci_release_region(struct pci_dev *pdev, int bar);
/* pci_iomap() of the whole BAR (maxlen 0); NULL on failure. */
void *kcpp_pci_iomap(struct pci_dev *pdev, int bar);
void kcpp_pci_iounmap(struct pci_dev *pdev, void *addr);
int kcpp_pci_cfg_size(struct pci_dev *pdev);
/* Config space accessors: 0 or the errno of pcibios_err_to_errno(). */
int kcpp_pci_read_config_byte(struct pci_dev *pdev, int where, unsigned char *val);
int kcpp_pci_read_config_word(struct pci_dev *pdev, int where, unsigned short *val);
int kcpp_pci_read_config_dword(struct pci_dev *pdev, int where, unsigned int *val);
int kcpp_pci_write_config_byte(struct pci_dev *pdev, int where, unsigned char val);
int kcpp_pci_write_config_word(struct pci_dev *pdev, int where, unsigned short val);
int kcpp_pci_write_config_dword(struct pci_dev *pdev, int where, unsigned int val);
int kcpp_pci_alloc_irq_vectors(struct pci_dev *pdev, unsigned int min, unsigned int max,
			       unsigned int flags);
void kcpp_pci_free_irq_vectors(struct pci_dev *pdev);
int kcpp_pci_irq_vector(struct pci_dev *pdev, unsigned int nr);

/* Interrupts. Handlers return IRQ_NONE, IRQ_HANDLED or IRQ_WAKE_THREAD. */
/*
 * An interrupt action: the shim's trampolines, which have the kernel's exact
 * irq_handler_t type (kCFI checks the type of every indirect call), call
 * handler(irq, data) and thread_fn(irq, data), which return irqreturn_t's
 * values. NULL handler: the kernel's default primary handler; NULL
 * thread_fn: no thread. The action is the dev_id cookie and must stay put
 * until kcpp_free_irq() returns.
 */
struct kcpp_irq_action {
	int (*handler)(int irq, void *data);
	int (*thread_fn)(int irq, void *data);
	void *data;
};

int kcpp_request_threaded_irq(unsigned int irq, struct kcpp_irq_action *action,
			      unsigned long flags, const char *name);
void kcpp_free_irq(unsigned int irq, struct kcpp_irq_action *action);
void kcpp_synchronize_irq(unsigned int irq);
/*
 * A software interrupt line on node `node`: its number, or -errno. Free
 * refuses (false) while a handler is still requested on it; trigger runs
 * its handlers as a device interrupt would, from any context.
 */
int kcpp_irq_line_alloc(int node);
KCPP_C_BOOL kcpp_irq_line_free(unsigned int irq);
int kcpp_irq_line_trigger(unsigned int irq);

/*
 * A resource as kcpp passes it across the boundary: start, size in bytes,
 * IORESOURCE_* flags, name (may be NULL).
 */
struct kcpp_resource_desc {
	unsigned long long start;
	unsigned long long size;
	unsigned long flags;
	const char *name;
};

/*
 * The platform bus. The probe callback learns which table matched (one of
 * the values below) and the matched entry's index; id_table, of_table and
 * acpi_table may each be NULL.
 */
enum kcpp_platform_match {
	KCPP_PLATFORM_MATCH_NONE = 0, /* no entry: driver_override, or the driver name */
	KCPP_PLATFORM_MATCH_NAME = 1,
	KCPP_PLATFORM_MATCH_OF = 2,
	KCPP_PLATFORM_MATCH_ACPI = 3,
};

struct kcpp_platform_driver *
kcpp_platform_driver_register(const char *name, const char *modname, const void *id_table,
			      const void *of_table, const void *acpi_table,
			      int (*probe)(struct platform_device *, int, unsigned long),
			      void (*remove)(struct platform_device *),
			      const struct kcpp_attr_desc *attrs, unsigned int nattrs,
			      unsigned int gfp, int *err);
void kcpp_platform_driver_unregister(struct kcpp_platform_driver *drv);
KCPP_C_BOOL kcpp_dev_is_platform(const struct device *dev);
const char *kcpp_platform_device_name(const struct platform_device *pdev);
int kcpp_platform_device_id(const struct platform_device *pdev);
/* Resource `index` of IORESOURCE_* type `type`: 0, or -ENXIO if there is none. */
int kcpp_platform_resource(struct platform_device *pdev, unsigned long type, unsigned int index,
			   struct kcpp_resource_desc *out);
/* Requests and maps memory resource `index` whole; out describes it. */
void *kcpp_platform_ioremap(struct platform_device *pdev, unsigned int index, const char *name,
			    struct kcpp_resource_desc *out, int *err);
void kcpp_platform_iounmap(void *addr, unsigned long long start, unsigned long long size);
/* Interrupt `index`: its number, or -errno (the optional form does not log). */
int kcpp_platform_get_irq(struct platform_device *pdev, unsigned int index);
int kcpp_platform_get_irq_optional(struct platform_device *pdev, unsigned int index);
int kcpp_platform_irq_count(struct platform_device *pdev);
/* A new platform device with copies of nres resources; id -1: none, -2: automatic. */
struct platform_device *kcpp_platform_device_register(struct device *parent, const char *name,
						      int id,
						      const struct kcpp_resource_desc *res,
						      unsigned int nres, int *err);
void kcpp_platform_device_unregister(struct platform_device *pdev);
void kcpp_platform_device_get(struct platform_device *pdev);
void kcpp_platform_device_put(struct platform_device *pdev);

/* Auxiliary bus (CONFIG_AUXILIARY_BUS). name must outlive the device. */
struct auxiliary_device *kcpp_auxiliary_device_add(struct device *parent, const char *modname,
						   const char *name, unsigned int id,
						   const void *data, unsigned int gfp, int *err);
/* The data the parent gave kcpp_auxiliary_device_add() (dev.platform_data), or NULL. */
const void *kcpp_auxiliary_device_data(const struct auxiliary_device *adev);
void kcpp_auxiliary_device_remove(struct auxiliary_device *adev);
struct kcpp_auxiliary_driver *
kcpp_auxiliary_driver_register(const char *name, const char *modname, const void *id_table,
			       int (*probe)(struct auxiliary_device *, const void *),
			       void (*remove)(struct auxiliary_device *),
			       const struct kcpp_attr_desc *attrs, unsigned int nattrs,
			       unsigned int gfp, int *err);
void kcpp_auxiliary_driver_unregister(struct kcpp_auxiliary_driver *drv);

/* Firmware (CONFIG_FW_LOADER). */
int kcpp_request_firmware(const struct firmware **fw, const char *name, struct device *dev);
int kcpp_firmware_request_nowarn(const struct firmware **fw, const char *name,
				 struct device *dev);
void kcpp_release_firmware(const struct firmware *fw);
const unsigned char *kcpp_firmware_data(const struct firmware *fw, __SIZE_TYPE__ *size);

/* DMA. Handles are dma_addr_t values; dir a DMA_* direction, attrs DMA_ATTR_* bits. */
int kcpp_dma_set_mask(struct device *dev, unsigned long long mask);
int kcpp_dma_set_coherent_mask(struct device *dev, unsigned long long mask);
int kcpp_dma_set_mask_and_coherent(struct device *dev, unsigned long long mask);
int kcpp_dma_set_max_seg_size(struct device *dev, unsigned int size);
void *kcpp_dma_alloc_attrs(struct device *dev, __SIZE_TYPE__ size, unsigned long long *handle,
			   unsigned int gfp, unsigned long attrs);
void kcpp_dma_free_attrs(struct device *dev, __SIZE_TYPE__ size, void *cpu,
			 unsigned long long handle, unsigned long attrs);
unsigned long long kcpp_dma_map_single(struct device *dev, void *ptr, __SIZE_TYPE__ size, int dir,
				       unsigned long attrs, int *err);
void kcpp_dma_unmap_single(struct device *dev, unsigned long long handle, __SIZE_TYPE__ size,
			   int dir, unsigned long attrs);
void kcpp_dma_sync_single_for_cpu(struct device *dev, unsigned long long handle,
				  __SIZE_TYPE__ size, int dir);
void kcpp_dma_sync_single_for_device(struct device *dev, unsigned long long handle,
				     __SIZE_TYPE__ size, int dir);
/* A mapped scatter-gather table over buf (kmalloc or vmalloc memory). */
struct sg_table *kcpp_dma_map_buffer_sg(struct device *dev, void *buf, __SIZE_TYPE__ len, int dir,
					unsigned long attrs, unsigned int gfp, int *err);
void kcpp_dma_unmap_buffer_sg(struct device *dev, struct sg_table *sgt, int dir,
			      unsigned long attrs);
void kcpp_dma_sync_sgtable_for_cpu(struct device *dev, struct sg_table *sgt, int dir);
void kcpp_dma_sync_sgtable_for_device(struct device *dev, struct sg_table *sgt, int dir);
unsigned int kcpp_sgt_dma_count(const struct sg_table *sgt);
int kcpp_sgt_dma_segment(const struct sg_table *sgt, unsigned int index, unsigned long long *addr,
			 unsigned int *len);

/*
 * Completions (kcpp/sync/completion.h). The timed waits take milliseconds
 * and return 1 (completed), 0 (timed out) or -errno (interrupted).
 */
void kcpp_init_completion(struct completion *c);
void kcpp_complete(struct completion *c);
void kcpp_complete_all(struct completion *c);
long kcpp_wait_for_completion_timeout_ms(struct completion *c, unsigned int ms);
long kcpp_wait_for_completion_interruptible_timeout_ms(struct completion *c, unsigned int ms);
void kcpp_reinit_completion(struct completion *c);
/* wait_for_completion(): no timeout, not interruptible. */
void kcpp_wait_for_completion(struct completion *c);

/*
 * Wait queues (sync.c). prepare returns 0, or -ERESTARTSYS when an
 * interruptible wait has a signal pending; nr 0 wakes every waiter.
 */
void kcpp_init_waitqueue_head(struct wait_queue_head *wq, const char *name,
			      struct lock_class_key *key);
void kcpp_wake_up(struct wait_queue_head *wq, int nr);
void kcpp_init_wait_entry(struct wait_queue_entry *entry, KCPP_C_BOOL exclusive);
long kcpp_prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *entry,
			  KCPP_C_BOOL interruptible);
void kcpp_finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *entry);
void kcpp_schedule(void);
/* Sleeps at most ms milliseconds (in the state set before); the time left. */
unsigned long kcpp_schedule_timeout_ms(unsigned long ms);

/*
 * Deferred work (deferred.c). The kcpp_* records live in C++ objects (their
 * layouts come from constants.c); delays and times are nanoseconds on
 * CLOCK_MONOTONIC. The bool results are the kernel's: queue: queued (false:
 * already pending); cancel: was pending or running; flush: waited for it.
 */
struct workqueue_struct *kcpp_alloc_workqueue(const char *name, unsigned int flags,
					      int max_active);
void kcpp_destroy_workqueue(struct workqueue_struct *wq);
void kcpp_flush_workqueue(struct workqueue_struct *wq);
struct workqueue_struct *kcpp_system_wq(void);
/* name and key: the lockdep class of the item's completion (one per C++ item type). */
void kcpp_init_work(struct kcpp_work *w, void (*fn)(void *), void *data, const char *name,
		    struct lock_class_key *key);
KCPP_C_BOOL kcpp_queue_work(struct workqueue_struct *wq, struct kcpp_work *w);
KCPP_C_BOOL kcpp_cancel_work_sync(struct kcpp_work *w);
KCPP_C_BOOL kcpp_flush_work(struct kcpp_work *w);
KCPP_C_BOOL kcpp_work_pending(const struct kcpp_work *w);
void kcpp_init_delayed_work(struct kcpp_delayed_work *w, void (*fn)(void *), void *data,
			    const char *name, struct lock_class_key *key);
KCPP_C_BOOL kcpp_queue_delayed_work(struct workqueue_struct *wq, struct kcpp_delayed_work *w,
				    unsigned long long delay_ns);
KCPP_C_BOOL kcpp_mod_delayed_work(struct workqueue_struct *wq, struct kcpp_delayed_work *w,
				  unsigned long long delay_ns);
KCPP_C_BOOL kcpp_cancel_delayed_work_sync(struct kcpp_delayed_work *w);
KCPP_C_BOOL kcpp_flush_delayed_work(struct kcpp_delayed_work *w);
/* fn returns nonzero to run again (after forwarding the expiry). */
void kcpp_hrtimer_init(struct kcpp_hrtimer *t, int (*fn)(void *), void *data);
void kcpp_hrtimer_start(struct kcpp_hrtimer *t, long long ns, KCPP_C_BOOL absolute);
KCPP_C_BOOL kcpp_hrtimer_cancel(struct kcpp_hrtimer *t);
KCPP_C_BOOL kcpp_hrtimer_active(const struct kcpp_hrtimer *t);
unsigned long long kcpp_hrtimer_forward_now(struct kcpp_hrtimer *t, long long interval_ns);
long long kcpp_hrtimer_expires_ns(const struct kcpp_hrtimer *t);

/*
 * debugfs (debugfs.c). A file's show record stays put while the file
 * exists; show writes the contents and returns 0 or -errno. Files hold a
 * reference on their dentry, which remove_file drops.
 */
struct kcpp_debugfs_show {
	int (*show)(void *data, struct seq_file *m);
	void *data;
};

struct dentry *kcpp_debugfs_create_dir(const char *name, struct dentry *parent, int *err);
struct dentry *kcpp_debugfs_create_file(const char *name, unsigned int mode, struct dentry *parent,
					const struct kcpp_debugfs_show *show, int *err);
void kcpp_debugfs_remove_dir(struct dentry *d);
void kcpp_debugfs_remove_file(struct dentry *d);
void kcpp_seq_write(struct seq_file *m, const char *s, unsigned long len);
/* lib/seq_file.c, exported. */
void seq_vprintf(struct seq_file *m, const char *fmt, __builtin_va_list args)
	__attribute__((format(printf, 2, 0)));
/* Test hooks (CONFIG_KCPP_FAULT_INJECTION only). */
KCPP_C_BOOL kcpp_test_debugfs_exists(const char *name, struct dentry *parent);
long kcpp_test_debugfs_show(const struct kcpp_debugfs_show *show, char *buf, unsigned long len);

/*
 * Miscellaneous character devices (miscdevice.c). fops is the struct
 * file_operations that C++ lays out itself (kcpp/miscdevice.h), static,
 * so that it outlives any registration; reg is the C++ registration, which
 * kcpp_misc_registration() finds from an open file's private_data during
 * open (misc_open() put the miscdevice there).
 */
struct inode;
struct module;
struct kcpp_misc *kcpp_misc_register(const char *name, unsigned int mode, const void *fops,
				     void *reg,
				     struct device *parent, unsigned int gfp, int *err);
void *kcpp_misc_registration(const struct file *file);
void kcpp_file_set_private(struct file *file, void *data);
void kcpp_misc_deregister(struct kcpp_misc *misc);
int kcpp_misc_minor(const struct kcpp_misc *misc);
struct device *kcpp_misc_device(const struct kcpp_misc *misc);
unsigned int kcpp_file_flags(const struct file *file);
/* The file position (f_pos), and vfs_setpos(): EINVAL below 0 or above MAX_LFS_FILESIZE. */
long long kcpp_file_pos(const struct file *file);
long long kcpp_file_set_pos(struct file *file, long long pos);
void kcpp_poll_wait(struct file *file, struct wait_queue_head *wq, struct poll_table_struct *pt);
/*
 * Test hooks (CONFIG_KCPP_FAULT_INJECTION only): a file on a misc device's
 * operations without its device node, each operation as the VFS calls it
 * (buf: a user address), and a close that releases at once.
 */
struct file *kcpp_test_misc_open(struct kcpp_misc *misc, unsigned int flags, int *err);
void kcpp_test_file_close(struct file *f);
long kcpp_test_file_read(struct file *f, unsigned long buf, unsigned long len, long long *pos);
long kcpp_test_file_write(struct file *f, unsigned long buf, unsigned long len, long long *pos);
long kcpp_test_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg);
unsigned int kcpp_test_file_poll(struct file *f);
long long kcpp_test_file_llseek(struct file *f, long long off, int whence);

/*
 * User-space memory (uaccess.c). User addresses are integers here; the
 * copies return the number of bytes NOT copied (0: all), as in C;
 * strncpy returns the string's length, count if no NUL came within count
 * bytes, or -EFAULT.
 */
unsigned long kcpp_copy_from_user(void *to, unsigned long from, unsigned long n);
unsigned long kcpp_copy_to_user(unsigned long to, const void *from, unsigned long n);
long kcpp_strncpy_from_user(char *dst, unsigned long src, long count);
unsigned long kcpp_clear_user(unsigned long to, unsigned long n);

int kcpp_kstrtoull(const char *s, unsigned int base, unsigned long long *res);

/*
 * DRM (drm.c; CONFIG_DRM, the shmem objects CONFIG_DRM_GEM_SHMEM_HELPER).
 * The driver table is C++'s, laid out from constants.c's offsets; the file
 * operations are the shim's GEM ones (this module their owner). The device
 * is allocated under parent (its place in sysfs) with one reference, the
 * caller's, and carries data, which release(drm, data) frees with the
 * device's last reference (drm is NULL when the allocation itself failed).
 */
extern const struct file_operations kcpp_drm_gem_fops;
struct drm_device *kcpp_drm_dev_alloc(const struct device *parent, const void *driver, void *data,
				      void (*release)(struct drm_device *, void *), int *err);
void *kcpp_drm_data(const struct drm_device *drm);
struct drm_device *kcpp_drm_file_dev(const struct drm_file *file);
struct device *kcpp_drm_parent(const struct drm_device *drm);
int kcpp_drm_render_minor(const struct drm_device *drm);
void kcpp_drm_dev_get(struct drm_device *drm);
void kcpp_drm_dev_put(struct drm_device *drm);
void *kcpp_drm_file_priv(const struct drm_file *file);
void kcpp_drm_file_set_priv(struct drm_file *file, void *priv);
void kcpp_drm_gem_get(struct drm_gem_object *obj);
void kcpp_drm_gem_put(struct drm_gem_object *obj);
unsigned long kcpp_drm_gem_size(const struct drm_gem_object *obj);
struct drm_device *kcpp_drm_gem_dev(const struct drm_gem_object *obj);
struct drm_gem_object *kcpp_drm_gem_shmem_create(struct drm_device *drm, unsigned long size,
						 int *err);
/* Exported by the DRM core (drm_drv.c, drm_gem.c). */
int drm_dev_register(struct drm_device *dev, unsigned long flags);
void drm_dev_unplug(struct drm_device *dev);
KCPP_C_BOOL drm_dev_enter(struct drm_device *dev, int *idx);
void drm_dev_exit(int idx);
int drm_gem_handle_create(struct drm_file *file_priv, struct drm_gem_object *obj,
			  unsigned int *handlep);
int drm_gem_handle_delete(struct drm_file *filp, unsigned int handle);
struct drm_gem_object *drm_gem_object_lookup(struct drm_file *filp, unsigned int handle);
/* Test hooks (CONFIG_KCPP_FAULT_INJECTION): a file on the render node, an ioctl on it. */
struct file *kcpp_test_drm_open(struct drm_device *drm, int *err);
long kcpp_test_drm_ioctl(struct file *f, unsigned int cmd, unsigned long arg);

/* KUnit. */
struct kunit *kcpp_kunit_current(void);
void kcpp_kunit_fail(struct kunit *test, const char *file, int line,
		     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void kcpp_kunit_skip(struct kunit *test, const char *reason);
KCPP_C_BOOL kcpp_kunit_has_failed(struct kunit *test);
/*
 * Test-only: len bytes of anonymous user memory (read-write) in an address
 * space KUnit gives the running test, unmapped when it ends; 0 where the
 * kernel has no kunit_vm_mmap() (before 6.10) or on failure.
 */
unsigned long kcpp_kunit_user_memory(struct kunit *test, unsigned long len);

#ifdef __cplusplus
}
#endif

/* NOLINTEND(readability-identifier-naming) */
#endif /* KCPP_BINDINGS_BINDINGS_H */

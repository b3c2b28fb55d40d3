// SPDX-License-Identifier: GPL-2.0
/*
 * A libdrm client of nova-drm, run by make check's boots while nova_sim.ko
 * (nova-core on a simulated GA102) and nova_drm.ko are loaded. It links
 * against Debian's libdrm, as every DRM client does, and talks to the
 * device through the render node.
 *
 *   nova_drm_client check CHIPSET VRAM_MIB KO
 *                                            the checks, one line each:
 *                                            "KCPP-NOVA-DRM <what> ok" or
 *                                            "KCPP-NOVA-DRM <what> FAILED: <why>"
 *   nova_drm_client fuzz N SEED              N random ioctls on the render node
 *   nova_drm_client bench N                  N GEM round trips through nova-drm
 *                                            and through vgem, timed
 *   nova_drm_client demo                     what a user would look at
 *
 * The checks that unbind and rebind write nova_sim's PCI driver's sysfs
 * files, and the last unloads nova_sim and loads it again from KO:
 * nova_sim is what nova-core is on hardware.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "../include/uapi/drm/nova_drm.h"

#define TAG "KCPP-NOVA-DRM"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SIM_DRIVER "/sys/bus/pci/drivers/nova_sim"

static int failures;

static void result(const char *what, int ok, const char *fmt, ...)
{
	char why[256] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	if (ok) {
		printf(TAG " %s ok\n", what);
	} else {
		printf(TAG " %s FAILED: %s\n", what, why);
		failures++;
	}
	fflush(stdout);
}

/* The errno of one ioctl: 0 on success. */
static int call(int fd, unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) ? errno : 0;
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : errno;
}

/* Whether fd is a device of the DRM driver called name. */
static int driver_is(int fd, const char *name)
{
	drmVersionPtr v = drmGetVersion(fd);
	int same = v && !strcmp(v->name, name);

	drmFreeVersion(v);
	return same;
}

/*
 * The render node of the first device drmGetDevices2() lists for driver
 * name, opened; its PCI address in pci (if not NULL). -1 if none.
 */
static int open_render(const char *name, char *pci, size_t len)
{
	drmDevicePtr devs[16];
	int n = drmGetDevices2(0, devs, 16);
	int fd = -1;

	for (int i = 0; i < n && fd < 0; i++) {
		if (!(devs[i]->available_nodes & (1 << DRM_NODE_RENDER)))
			continue;
		fd = open(devs[i]->nodes[DRM_NODE_RENDER], O_RDWR | O_CLOEXEC);
		if (fd >= 0 && !driver_is(fd, name)) {
			close(fd);
			fd = -1;
		}
		if (fd >= 0 && pci && devs[i]->bustype == DRM_BUS_PCI) {
			drmPciBusInfoPtr b = devs[i]->businfo.pci;

			snprintf(pci, len, "%04x:%02x:%02x.%u", b->domain,
				 b->bus, b->dev, b->func);
		}
	}
	if (n > 0)
		drmFreeDevices(devs, n);
	return fd;
}

static int getparam(int fd, __u64 param, __u64 *value)
{
	struct drm_nova_getparam p = { .param = param };
	int err = call(fd, DRM_IOCTL_NOVA_GETPARAM, &p);

	*value = p.value;
	return err;
}

static int gem_create(int fd, __u64 size, __u32 *handle)
{
	struct drm_nova_gem_create c = { .size = size };
	int err = call(fd, DRM_IOCTL_NOVA_GEM_CREATE, &c);

	*handle = c.handle;
	return err;
}

static int gem_info(int fd, __u32 handle, __u64 *size)
{
	struct drm_nova_gem_info i = { .handle = handle };
	int err = call(fd, DRM_IOCTL_NOVA_GEM_INFO, &i);

	*size = i.size;
	return err;
}

static int gem_close(int fd, __u32 handle)
{
	struct drm_gem_close c = { .handle = handle };

	return call(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* The length of BAR bar of the PCI function at sysfs path dev (0 if unused). */
static __u64 bar_len(const char *dev, int bar)
{
	char path[256], line[128];
	unsigned long long start = 0, end = 0, flags;
	FILE *f;

	snprintf(path, sizeof(path), "%s/resource", dev);
	f = fopen(path, "r");
	if (!f)
		return ~0ull;
	for (int i = 0; i <= bar; i++)
		if (!fgets(line, sizeof(line), f) ||
		    sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3) {
			start = 0;
			end = 0;
		}
	fclose(f);
	return end ? end - start + 1 : 0;
}

/* The kernel's count of open struct files (/proc/sys/fs/file-nr). */
static long files_open(void)
{
	char line[128];

	return read_line("/proc/sys/fs/file-nr", line, sizeof(line)) ?
		       -1 :
		       strtol(line, NULL, 10);
}

static int check_device(int fd, const char *pci, unsigned int chipset,
			__u64 vram)
{
	char dev[128], id[32], want[160];
	drmVersionPtr v = drmGetVersion(fd);
	drmDevicePtr d = NULL;
	__u64 value = 0;

	result("drmGetVersion reports nova 0.1.0",
	       v && !strcmp(v->name, "nova") && v->version_major == 0 &&
		       v->version_minor == 1 && v->version_patchlevel == 0,
	       "got %s %d.%d.%d", v ? v->name : "nothing",
	       v ? v->version_major : -1, v ? v->version_minor : -1,
	       v ? v->version_patchlevel : -1);
	drmFreeVersion(v);

	/* The parent's ids, as the PCI core has them in sysfs. */
	snprintf(dev, sizeof(dev), "/sys/bus/pci/devices/%s", pci);
	snprintf(want, sizeof(want), "%s/vendor", dev);
	if (read_line(want, id, sizeof(id)))
		id[0] = 0;
	if (drmGetDevice2(fd, 0, &d) == 0 && d->bustype == DRM_BUS_PCI) {
		unsigned int vendor = (unsigned int)strtoul(id, NULL, 16),
			     device;

		snprintf(want, sizeof(want), "%s/device", dev);
		device = read_line(want, id, sizeof(id)) ?
				 ~0u :
				 (unsigned int)strtoul(id, NULL, 16);
		char bound[160];

		/* The function nova-core (nova_sim) bound, found apart from libdrm. */
		snprintf(bound, sizeof(bound), SIM_DRIVER "/%s", pci);
		result("drmGetDevices2 lists the device with its parent's PCI ids",
		       d->deviceinfo.pci->vendor_id == vendor &&
			       d->deviceinfo.pci->device_id == device &&
			       vendor == 0x1b36 && device == 0x0005 &&
			       access(bound, F_OK) == 0,
		       "%04x:%04x at %s, sysfs says %04x:%04x",
		       d->deviceinfo.pci->vendor_id,
		       d->deviceinfo.pci->device_id, pci, vendor, device);
		printf(TAG " device %s %04x:%04x %s\n", pci,
		       d->deviceinfo.pci->vendor_id,
		       d->deviceinfo.pci->device_id, d->nodes[DRM_NODE_RENDER]);
	} else {
		result("drmGetDevices2 lists the device with its parent's PCI ids",
		       0, "not a PCI device");
	}
	drmFreeDevice(&d);

	result("GETPARAM VRAM_BAR_SIZE is the parent's BAR1 length",
	       getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &value) == 0 &&
		       value == bar_len(dev, 1),
	       "%llu, sysfs says %llu", (unsigned long long)value,
	       (unsigned long long)bar_len(dev, 1));
	result("GETPARAM CHIPSET is the simulated GPU's",
	       getparam(fd, NOVA_GETPARAM_CHIPSET, &value) == 0 &&
		       value == chipset,
	       "%#llx, want %#x", (unsigned long long)value, chipset);
	result("GETPARAM VRAM_SIZE is what the GSP reported",
	       getparam(fd, NOVA_GETPARAM_VRAM_SIZE, &value) == 0 &&
		       value == vram,
	       "%llu, want %llu", (unsigned long long)value,
	       (unsigned long long)vram);
	return 0;
}

static void check_gem(int fd)
{
	static const struct {
		__u64 ask, got;
	} sizes[] = {
		{ 1, 4096 },
		{ 4096, 4096 },
		{ 4097, 8192 },
		{ 3 * 4096 + 1, 4 * 4096 },
		{ 1ull << 30, 1ull << 30 },
	};
	int ok = 1;

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		__u32 h = 0;
		__u64 size = 0;
		int e1 = gem_create(fd, sizes[i].ask, &h),
		    e2 = gem_info(fd, h, &size);
		int e3 = gem_close(fd, h);

		if (e1 || e2 || e3 || !h || size != sizes[i].got) {
			ok = 0;
			printf(TAG
			       " gem size %llu: create %d info %d close %d handle %u size %llu\n",
			       (unsigned long long)sizes[i].ask, e1, e2, e3, h,
			       (unsigned long long)size);
		}
	}
	result("GEM_CREATE, GEM_INFO and GEM_CLOSE round trips, rounded to pages",
	       ok, "see above");
}

/* Each bad input: its errno, and the device still answers after. */
static void check_bad_input(int fd, const char *node)
{
	struct drm_nova_gem_create c;
	struct drm_nova_gem_info info = { .handle = 0x7fffffff };
	struct drm_nova_getparam p = { .param = 0x42 };
	void *unmapped = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	__u32 h = 0;
	__u64 size;
	int other, e;

	munmap(unmapped, 4096);
	e = call(fd,
		 DRM_IOWR(DRM_COMMAND_BASE + 0x1f, struct drm_nova_getparam),
		 &p);
	result("an unknown driver ioctl gets EINVAL", e == EINVAL, "errno %d",
	       e);
	e = call(fd,
		 DRM_IOWR(DRM_COMMAND_BASE + DRM_NOVA_GEM_INFO + 1,
			  struct drm_nova_gem_info),
		 &info);
	result("the command after the last gets EINVAL", e == EINVAL,
	       "errno %d", e);
	e = call(fd, DRM_IOCTL_NOVA_GETPARAM, &p);
	result("an unknown GETPARAM gets EINVAL", e == EINVAL, "errno %d", e);
	e = call(fd, DRM_IOCTL_NOVA_GETPARAM, NULL);
	result("a NULL argument gets EFAULT", e == EFAULT, "errno %d", e);
	e = call(fd, DRM_IOCTL_NOVA_GEM_CREATE, unmapped);
	result("an unmapped argument gets EFAULT", e == EFAULT, "errno %d", e);
	e = gem_create(fd, 0, &h);
	result("GEM_CREATE of size 0 gets EINVAL", e == EINVAL, "errno %d", e);
	e = gem_create(fd, ~0ull, &h);
	result("GEM_CREATE of U64_MAX gets EINVAL", e == EINVAL, "errno %d", e);
	e = gem_create(fd, ~0ull - 4095, &h);
	result("GEM_CREATE of U64_MAX - 4095 (page-aligned) gets EINVAL",
	       e == EINVAL, "errno %d", e);
	e = gem_create(fd, 1ull << 62, &h);
	result("GEM_CREATE of 2^62 gets ENOSPC", e == ENOSPC, "errno %d", e);
	c = (struct drm_nova_gem_create){ .pad = 1, .size = 4096 };
	e = call(fd, DRM_IOCTL_NOVA_GEM_CREATE, &c);
	result("GEM_CREATE with a nonzero pad gets EINVAL", e == EINVAL,
	       "errno %d", e);
	e = gem_info(fd, 0x7fffffff, &size);
	result("GEM_INFO of an unknown handle gets ENOENT", e == ENOENT,
	       "errno %d", e);
	e = gem_info(fd, 0, &size);
	result("GEM_INFO of handle 0 gets ENOENT", e == ENOENT, "errno %d", e);

	/* Handles are per file: this file has none now, the other one has handle 1. */
	other = open(node, O_RDWR | O_CLOEXEC);
	e = other < 0 ? errno : gem_create(other, 4096, &h);
	if (!e) {
		e = gem_info(fd, h, &size);
		result("a handle of another open file gets ENOENT", e == ENOENT,
		       "handle %u, errno %d", h, e);
		e = gem_info(other, h, &size);
		result("the handle works in its own file",
		       e == 0 && size == 4096, "errno %d", e);
	} else {
		result("a handle of another open file gets ENOENT", 0,
		       "second file: errno %d", e);
	}
	if (other >= 0)
		close(other);
	e = getparam(fd, NOVA_GETPARAM_CHIPSET, &size);
	result("the device still answers after the bad input", e == 0,
	       "errno %d", e);
}

/* 1000 objects in one file: the close frees them (their shmem files with them). */
static void check_close_frees(const char *node)
{
	long before = files_open(), with, after;
	int fd = open(node, O_RDWR | O_CLOEXEC), e = 0;
	__u32 h;

	for (int i = 0; fd >= 0 && i < 1000 && !e; i++)
		e = gem_create(fd, 1 << 20, &h);
	with = files_open();
	if (fd >= 0)
		close(fd);
	after = files_open();
	printf(TAG
	       " files open: %ld before, %ld with 1000 objects, %ld after the close\n",
	       before, with, after);
	/* file-nr is a per-CPU counter read without summing: a few dozen off. */
	result("closing the file frees its 1000 objects",
	       fd >= 0 && !e && with - before >= 900 && after - before < 100,
	       "files open: %ld before, %ld with the objects, %ld after (errno %d)",
	       before, with, after, e);
}

/* The render node's path and the PCI address of the first nova device; 0 if found. */
static int find_nova(char *node, size_t len, char *pci, size_t plen)
{
	char link[64];
	int fd = open_render("nova", pci, plen);

	if (fd < 0)
		return -1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, node, len - 1);

	close(fd);
	if (n < 0)
		return -1;
	node[n] = 0;
	return 0;
}

/* nova-core unbinds under an open file; the file gets ENODEV and closes; a bind works. */
static void check_unbind(const char *node, const char *pci)
{
	char new_node[64], new_pci[32];
	int fd = open(node, O_RDWR | O_CLOEXEC), e, again;
	__u32 h = 0;
	__u64 v;

	e = fd < 0 ? errno : gem_create(fd, 4096, &h);
	result("the file works before the unbind", e == 0, "errno %d", e);
	e = write_file(SIM_DRIVER "/unbind", pci);
	result("nova-core unbinds under the open file", e == 0, "errno %d", e);
	e = getparam(fd, NOVA_GETPARAM_CHIPSET, &v);
	result("after the unbind GETPARAM gets ENODEV", e == ENODEV, "errno %d",
	       e);
	e = gem_info(fd, h, &v);
	result("after the unbind GEM_INFO of a live handle gets ENODEV",
	       e == ENODEV, "errno %d", e);
	e = gem_create(fd, 4096, &h);
	result("after the unbind GEM_CREATE gets ENODEV", e == ENODEV,
	       "errno %d", e);
	again = open(node, O_RDWR | O_CLOEXEC);
	result("the render node is gone after the unbind",
	       again < 0 && errno == ENOENT, "open: %d errno %d", again, errno);
	if (again >= 0)
		close(again);
	e = close(fd) ? errno : 0;
	result("the file closes after the unbind", e == 0, "errno %d", e);
	e = write_file(SIM_DRIVER "/bind", pci);
	result("nova-core binds again", e == 0, "errno %d", e);
	if (find_nova(new_node, sizeof(new_node), new_pci, sizeof(new_pci))) {
		result("the new device works", 0,
		       "no nova render node after the bind");
		return;
	}
	fd = open(new_node, O_RDWR | O_CLOEXEC);
	e = fd < 0 ? errno : gem_create(fd, 4096, &h);
	if (!e)
		e = gem_info(fd, h, &v);
	result("the new device works",
	       e == 0 && v == 4096 && !strcmp(new_pci, pci),
	       "%s at %s: errno %d", new_node, new_pci, e);
	if (fd >= 0)
		close(fd);
}

/* CAP_SYS_ADMIN in the effective set, or not (it stays permitted). */
static int sys_admin(int on)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return errno;
	if (on)
		data[0].effective |= 1u << CAP_SYS_ADMIN;
	else
		data[0].effective &= ~(1u << CAP_SYS_ADMIN);
	return syscall(SYS_capset, &hdr, data) ? errno : 0;
}

/*
 * The primary node: its first opener is master and authenticated, a second
 * without CAP_SYS_ADMIN (the DRM core counts root as authenticated) is
 * neither, and GEM_CREATE and GEM_INFO are DRM_AUTH: EACCES, while GETPARAM
 * (render-allowed, no DRM_AUTH) still answers. And nova_drm's module cannot
 * go while a file of its device is open.
 */
static void check_auth_and_module(void)
{
	char path[64];
	int first = -1, second = -1, e;
	__u32 h = 0;
	__u64 v;

	for (int i = 0; i < 16 && first < 0; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		first = open(path, O_RDWR | O_CLOEXEC);
		if (first >= 0 && !driver_is(first, "nova")) {
			close(first);
			first = -1;
		}
	}
	e = sys_admin(0);
	second = first < 0 || e ? -1 : open(path, O_RDWR | O_CLOEXEC);
	sys_admin(1);
	e = second < 0 ? ENOENT : gem_create(first, 4096, &h);
	result("the primary node's master may create objects", e == 0, "errno %d", e);
	e = second < 0 ? ENOENT : gem_create(second, 4096, &h);
	result("an unauthenticated opener of the primary node gets EACCES on GEM_CREATE",
	       e == EACCES, "errno %d", e);
	e = second < 0 ? ENOENT : gem_info(second, h, &v);
	result("... and on GEM_INFO", e == EACCES, "errno %d", e);
	e = second < 0 ? ENOENT : getparam(second, NOVA_GETPARAM_CHIPSET, &v);
	result("... but GETPARAM answers it", e == 0, "errno %d", e);
	e = syscall(SYS_delete_module, "nova_drm", O_NONBLOCK) ? errno : 0;
	/* The kernel refuses a module in use with EWOULDBLOCK. */
	result("nova_drm's module cannot unload while a file is open", e == EWOULDBLOCK,
	       "errno %d", e);
	e = first < 0 ? ENOENT : getparam(first, NOVA_GETPARAM_CHIPSET, &v);
	result("the device still answers after the refused unload", e == 0, "errno %d", e);
	if (second >= 0)
		close(second);
	if (first >= 0)
		close(first);
}

/*
 * nova-core's module goes under an open file (rmmod): the file gets ENODEV
 * and closes, nothing of the module is left to call, and it loads again.
 * The DRM device's parent is the PCI function, whose release is the PCI
 * core's, not the auxiliary device, whose release is in that module.
 */
static void check_rmmod(const char *node, const char *ko)
{
	char new_node[64], pci[32];
	int fd = open(node, O_RDWR | O_CLOEXEC), e, mod;
	__u32 h = 0;
	__u64 v;

	e = fd < 0 ? errno : gem_create(fd, 4096, &h);
	result("the file works before nova-core's module goes", e == 0,
	       "errno %d", e);
	e = syscall(SYS_delete_module, "nova_sim", O_NONBLOCK) ? errno : 0;
	result("nova-core's module unloads under the open file", e == 0,
	       "errno %d", e);
	e = gem_info(fd, h, &v);
	result("after the unload GEM_INFO gets ENODEV", e == ENODEV, "errno %d",
	       e);
	e = close(fd) ? errno : 0;
	result("the file closes after the unload", e == 0, "errno %d", e);
	mod = open(ko, O_RDONLY | O_CLOEXEC);
	e = mod < 0 ? errno : syscall(SYS_finit_module, mod, "", 0) ? errno : 0;
	if (mod >= 0)
		close(mod);
	result("nova-core's module loads again", e == 0, "%s: errno %d", ko, e);
	e = find_nova(new_node, sizeof(new_node), pci, sizeof(pci));
	fd = e ? -1 : open(new_node, O_RDWR | O_CLOEXEC);
	e = fd < 0 ? ENOENT : gem_create(fd, 4096, &h);
	result("the device of the reloaded module works", e == 0, "errno %d",
	       e);
	if (fd >= 0)
		close(fd);
}

static int cmd_check(unsigned int chipset, __u64 vram, const char *ko)
{
	char node[64], pci[32] = "";

	if (find_nova(node, sizeof(node), pci, sizeof(pci))) {
		result("drmGetDevices2 finds a nova render node", 0,
		       "none listed");
		return 1;
	}
	result("drmGetDevices2 finds a nova render node", 1, NULL);
	printf(TAG " render node %s\n", node);
	int fd = open(node, O_RDWR | O_CLOEXEC);

	check_device(fd, pci, chipset, vram);
	check_gem(fd);
	check_bad_input(fd, node);
	close(fd);
	check_close_frees(node);
	check_auth_and_module();
	check_unbind(node, pci);
	check_rmmod(node, ko);
	printf(TAG " done failures=%d\n", failures);
	return failures != 0;
}

/* xorshift64*: the fuzzer's numbers, repeatable from the seed. */
static __u64 rng_state;
static __u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/*
 * n random ioctls on the render node: half nova's own commands with random
 * argument bytes (half of those made plausible: a small handle, a zero pad,
 * a small size, a known parameter), a quarter other driver
 * command numbers with random directions and sizes, a quarter random core
 * commands. The argument is a page of random bytes, or NULL, or unmapped.
 */
static int cmd_fuzz(long n, __u64 seed)
{
	char node[64], pci[32];
	unsigned char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long ok = 0, errs[256] = { 0 };
	__u64 v;
	int fd;

	if (find_nova(node, sizeof(node), pci, sizeof(pci)) ||
	    page == MAP_FAILED) {
		printf(TAG " fuzz FAILED: no nova render node\n");
		return 1;
	}
	munmap(page + 4096, 4096); /* the second page: unmapped */
	fd = open(node, O_RDWR | O_CLOEXEC);
	rng_state = seed | 1;
	for (long i = 0; i < n; i++) {
		__u64 r = rnd();
		unsigned long req;
		void *arg = page;

		for (int j = 0; j < 4096; j += 8) {
			__u64 x = rnd();

			memcpy(page + j, &x, 8);
		}
		switch (r & 3) {
		case 0:
		case 1: {
			static const unsigned long cmds[] = {
				DRM_IOCTL_NOVA_GETPARAM,
				DRM_IOCTL_NOVA_GEM_CREATE,
				DRM_IOCTL_NOVA_GEM_INFO, DRM_IOCTL_GEM_CLOSE
			};
			req = cmds[(r >> 2) % 4];
			if ((r >> 4) &
			    1) { /* plausible: a small handle, no pad, a small size */
				static const __u64 params[] = {
					NOVA_GETPARAM_VRAM_BAR_SIZE,
					NOVA_GETPARAM_CHIPSET,
					NOVA_GETPARAM_VRAM_SIZE, 0
				};
				__u32 small[2] = { (__u32)(rnd() % 64), 0 };
				__u64 size = rnd() & 0xfffff;

				memcpy(page, small, sizeof(small));
				memcpy(page + 8, &size, sizeof(size));
				if (req == DRM_IOCTL_NOVA_GETPARAM &&
				    ((r >> 5) & 3) != 3)
					memcpy(page, &params[(r >> 5) & 3],
					       sizeof(__u64));
			}
			break;
		}
		case 2:
			req = _IOC((r >> 2) & 3, DRM_IOCTL_BASE,
				   DRM_COMMAND_BASE + ((r >> 4) & 0x1f),
				   (r >> 9) & 0x3ff);
			break;
		default:
			req = _IOC((r >> 2) & 3, DRM_IOCTL_BASE,
				   (r >> 4) & 0x3f, (r >> 10) & 0x1ff);
			break;
		}
		if (((r >> 20) & 0xf) == 0)
			arg = NULL;
		else if (((r >> 20) & 0xf) == 1)
			arg = page + 4096;
		if (ioctl(fd, req, arg) == 0)
			ok++;
		else
			errs[errno & 0xff]++;
	}
	long other = n - ok - errs[EINVAL] - errs[EFAULT] - errs[ENOENT] -
		     errs[EACCES] - errs[ENOSPC];

	printf(TAG " fuzz %ld ioctls (seed %llu): %ld succeeded, ", n,
	       (unsigned long long)seed, ok);
	printf("EINVAL %ld, EFAULT %ld, ENOENT %ld, EACCES %ld, ENOSPC %ld, other %ld\n",
	       errs[EINVAL], errs[EFAULT], errs[ENOENT], errs[EACCES],
	       errs[ENOSPC], other);
	/* The fuzzing reached the handlers, and only the errnos they and the DRM core give. */
	result("at least 5% of the random ioctls succeeded", ok * 20 >= n, "%ld of %ld", ok, n);
	int e = getparam(fd, NOVA_GETPARAM_CHIPSET, &v);

	result("the device answers after the fuzzing", e == 0 && v != 0,
	       "errno %d", e);
	e = close(fd) ? errno : 0;
	result("the fuzzed file closes", e == 0, "errno %d", e);
	return failures != 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* vgem's primary node: dumb buffers are a primary-node ioctl. */
static int open_vgem(void)
{
	char path[64];

	for (int i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		int fd = open(path, O_RDWR | O_CLOEXEC);

		if (fd >= 0 && driver_is(fd, "vgem"))
			return fd;
		if (fd >= 0)
			close(fd);
	}
	return -1;
}

/*
 * n round trips each way, in alternating rounds: nova-drm's GEM_CREATE +
 * GEM_INFO + GEM_CLOSE and GEM_CREATE + GEM_CLOSE (4 KiB shmem objects),
 * vgem's MODE_CREATE_DUMB (1024x1 at 32 bpp: 4 KiB, shmem too) +
 * GEM_CLOSE. Prints "KCPP-BENCH drm <nova 3 ns> <nova 2 ns> <vgem ns> <n>".
 */
static int cmd_bench(long n)
{
	char node[64], pci[32];
	long long nova3 = 0, nova2 = 0, vgem = 0;
	int fd, vfd = open_vgem();

	if (vfd < 0 || find_nova(node, sizeof(node), pci, sizeof(pci))) {
		printf("KCPP-BENCH drm error: no %s device\n",
		       vfd < 0 ? "vgem" : "nova");
		return 1;
	}
	fd = open(node, O_RDWR | O_CLOEXEC);
	for (int round = 0; round < 10; round++) {
		long long t0 = now_ns(), t1, t2, t3;
		__u32 h;
		__u64 size;
		int e = 0;

		for (long i = 0; i < n / 10 && !e; i++)
			e = gem_create(fd, 4096, &h) ||
			    gem_info(fd, h, &size) || gem_close(fd, h);
		t1 = now_ns();
		for (long i = 0; i < n / 10 && !e; i++)
			e = gem_create(fd, 4096, &h) || gem_close(fd, h);
		t2 = now_ns();
		for (long i = 0; i < n / 10 && !e; i++) {
			struct drm_mode_create_dumb d = { .width = 1024,
							  .height = 1,
							  .bpp = 32 };

			e = call(vfd, DRM_IOCTL_MODE_CREATE_DUMB, &d) ||
			    gem_close(vfd, d.handle) || d.size != 4096;
		}
		t3 = now_ns();
		if (e) {
			printf("KCPP-BENCH drm error: an ioctl failed in round %d\n",
			       round);
			return 1;
		}
		nova3 += t1 - t0;
		nova2 += t2 - t1;
		vgem += t3 - t2;
	}
	printf("KCPP-BENCH drm %lld %lld %lld %ld\n", nova3, nova2, vgem, n);
	close(fd);
	close(vfd);
	return 0;
}

static int cmd_demo(void)
{
	char node[64], pci[32];
	__u64 bar1, chipset, vram, size;
	__u32 h;
	int fd;

	if (find_nova(node, sizeof(node), pci, sizeof(pci)))
		return 1;
	fd = open(node, O_RDWR | O_CLOEXEC);
	drmVersionPtr v = drmGetVersion(fd);

	printf("libdrm: %s is %s %d.%d.%d (%s), parent %s\n", node, v->name,
	       v->version_major, v->version_minor, v->version_patchlevel,
	       v->desc, pci);
	drmFreeVersion(v);
	getparam(fd, NOVA_GETPARAM_VRAM_BAR_SIZE, &bar1);
	getparam(fd, NOVA_GETPARAM_CHIPSET, &chipset);
	getparam(fd, NOVA_GETPARAM_VRAM_SIZE, &vram);
	printf("libdrm: chipset %#llx, VRAM %llu MiB (from the GSP), BAR1 %llu bytes\n",
	       (unsigned long long)chipset, (unsigned long long)(vram >> 20),
	       (unsigned long long)bar1);
	if (gem_create(fd, 10000, &h) == 0 && gem_info(fd, h, &size) == 0)
		printf("libdrm: GEM object of 10000 bytes: handle %u, %llu bytes\n",
		       h, (unsigned long long)size);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "check"))
		return cmd_check((unsigned int)strtoul(argv[2], NULL, 0),
				 strtoull(argv[3], NULL, 0) << 20, argv[4]);
	if (argc == 4 && !strcmp(argv[1], "fuzz"))
		return cmd_fuzz(strtol(argv[2], NULL, 0),
				strtoull(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "bench"))
		return cmd_bench(strtol(argv[2], NULL, 0));
	if (argc == 2 && !strcmp(argv[1], "demo"))
		return cmd_demo();
	fprintf(stderr,
		"usage: %s check CHIPSET VRAM_MIB NOVA_SIM_KO | fuzz N SEED | bench N | demo\n",
		argv[0]);
	return 2;
}

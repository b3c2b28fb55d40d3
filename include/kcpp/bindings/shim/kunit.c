// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, for kcpp's test macros (kcpp/kunit.h).
 */
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/version.h>
#include <linux/mman.h>
#include <linux/gfp.h>
#include <linux/jump_label.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include "internal.h"

#if IS_ENABLED(CONFIG_KUNIT)
struct kunit *kcpp_kunit_current(void)
{
	return kunit_get_current_test();
}

void kcpp_kunit_fail(struct kunit *test, const char *file, int line,
		     const char *fmt, ...)
{
	static const struct kunit_fail_assert assert = {};
	const struct kunit_loc loc = { .file = file, .line = line };
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	__kunit_do_failed_assertion(test, &loc, KUNIT_EXPECTATION,
				    &assert.assert, kunit_fail_assert_format,
				    "%pV", &vaf);
	va_end(args);
}

void kcpp_kunit_skip(struct kunit *test, const char *reason)
{
	kunit_mark_skipped(test, "%s", reason);
}

bool kcpp_kunit_has_failed(struct kunit *test)
{
	return test->status == KUNIT_FAILURE;
}

/* 6.10 added kunit_vm_mmap(), user memory for tests of user copies. */
unsigned long kcpp_kunit_user_memory(struct kunit *test, unsigned long len)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	unsigned long addr = kunit_vm_mmap(test, NULL, 0, len, PROT_READ | PROT_WRITE,
					   MAP_ANONYMOUS | MAP_PRIVATE, 0);

	return IS_ERR_VALUE(addr) ? 0 : addr;
#else
	return 0;
#endif
}
#endif

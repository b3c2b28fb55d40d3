// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit, for kcpp's test macros (kcpp/kunit.h).
 */
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/version.h>
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
#endif
